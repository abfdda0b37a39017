//! `context-cast`: the context of one program type reinterpreted as another's.
//!
//! - Tail calls into programs of another type or expected attach type, through the program
//!   array's static members (`.values` initialisers) and `--prog-array MAP=PROG,...`: the kernel
//!   refuses the map update (EINVAL), or the load of the second program sharing the array.
//! - The context passed to a subprogram or global function whose BTF argument type is another
//!   program type's context (`struct __sk_buff *` in an XDP program): global functions fail to
//!   load, static ones silently reinterpret the context.
//! - freplace programs whose context type differs from the target function's.
//! - Context accesses past the context struct, and writes to read-only context fields (named).

use bpfobj::uapi::ProgType;

use super::{Finding, Level, Lint, Options, Unit};
use crate::ctx::{self, Access, Layout};
use crate::program::Program;

pub const LINT: Lint = Lint {
    id: "context-cast",
    level: Level::Error,
    summary: "a program's context used as another program type's context",
    explain: "\
Every program type receives its own context struct (__sk_buff, xdp_md, pt_regs, a tracepoint
record...). Code that hands the context to something expecting another type reinterprets its bytes:
- bpf_tail_call() into a program of another type or expected attach type. The kernel only notices
  when the program is inserted into the program array (bpf_map_update_elem fails with EINVAL, or
  libbpf fails to populate a statically initialised array); bpflint checks the array's static
  members and the members named with `--prog-array MAP=PROG,...` (like bpfld).
- Passing the context to a function whose BTF parameter is another type's context
  (`int f(struct __sk_buff *)` called from an XDP program): a global function is rejected at load,
  a static function silently reads the wrong struct.
- freplace programs whose first argument's context type differs from the replaced function's.
- Context accesses past the end of the context struct and stores to read-only context fields
  (named here; the verifier rejects them at load).
For raw_tp programs the context is 8 bytes per tracepoint argument; see tracepoint-abi.

Fix: tail-call only into programs of the same section type (and expected attach type), give
functions the context type of the programs that call them, and write only writable fields.",
    check,
};

/// Context structs of all program types (pointer targets that mean \"a context\").
const CTX_STRUCTS: &[&str] = &[
    "__sk_buff",
    "xdp_md",
    "bpf_sock_ops",
    "sk_msg_md",
    "bpf_sock",
    "bpf_sock_addr",
    "bpf_cgroup_dev_ctx",
    "bpf_sysctl",
    "bpf_sockopt",
    "bpf_perf_event_data",
    "bpf_sk_lookup",
    "sk_reuseport_md",
    "pt_regs",
    "bpf_raw_tracepoint_args",
];

fn type_desc(p: &Program) -> String {
    let t = p.type_name();
    if p.attach_type.0 != 0 {
        let a = p
            .attach_type
            .name()
            .map(|n| n.trim_start_matches("BPF_").to_ascii_lowercase())
            .unwrap_or_else(|| format!("attach type {}", p.attach_type.0));
        format!("{t}, expected attach type {a}")
    } else {
        t
    }
}

fn find_prog<'a>(units: &'a [Unit<'a>], name: &str) -> Option<&'a Unit<'a>> {
    units.iter().find(|u| u.program.name == name).or_else(|| units.iter().find(|u| u.program.section == name))
}

pub fn check(u: &Unit, units: &[Unit], opts: &Options) -> Vec<Finding> {
    let p = u.program;
    let f = &u.verdict.facts;
    let mut out = Vec::new();
    // ---- tail calls
    for c in f.helper_calls.iter().filter(|c| c.id == 12) {
        for &m in &c.maps {
            let Some(map) = p.maps.get(m as usize) else { continue };
            let mut members: Vec<(Option<u32>, String, &str)> =
                map.static_members.iter().map(|(k, n)| (Some(*k), n.clone(), "static initialiser")).collect();
            for (mname, progs) in &opts.prog_arrays {
                if *mname == map.name {
                    members.extend(progs.iter().map(|n| (None, n.clone(), "--prog-array")));
                }
            }
            for (slot, member, how) in members {
                let Some(t) = find_prog(units, &member) else { continue };
                let q = t.program;
                let key = |p: &Program| bpfobj::progarray::Member::new(&p.section, p.prog_type, p.attach_type);
                let why = bpfobj::progarray::incompatibility(&key(p), &key(q));
                let Some(why) = why else { continue };
                let at = slot.map(|s| format!("[{s}]")).unwrap_or_default();
                out.push(
                    Finding::new(
                        &LINT,
                        u,
                        Some(c.insn),
                        format!(
                            "tail call through `{}` can enter `{}` ({}), but this program is {}",
                            map.name,
                            q.name,
                            type_desc(q),
                            type_desc(p)
                        ),
                    )
                    .note(format!("`{}`{at} is a member of `{}` ({how}); {why}", q.name, map.name))
                    .note(format!("`{}` would read this program's {} as its own context", q.name, ctx_name(p)))
                    .kernel("refuses to insert the program into the array: bpf_map_update_elem fails with EINVAL")
                    .help("tail-call only into programs of the same type and expected attach type (the same section prefix)"),
                );
            }
        }
    }
    // ---- context passed to functions typed for another context
    let own = match p.prog_type {
        ProgType::RAW_TRACEPOINT | ProgType::RAW_TRACEPOINT_WRITABLE => Some("bpf_raw_tracepoint_args"),
        t => bpfobj::progsec::ctx_struct(t),
    };
    for (insn, sub, regs) in f.ctx_args.iter().filter(|_| own.is_some()) {
        let Some(&start) = f.subprog_starts.get(*sub) else { continue };
        let Some(sig) = p.func_sigs.iter().find(|s| s.start == start) else { continue };
        for &r in regs {
            let Some(want) = sig.arg_structs.get(r as usize - 1) else { continue };
            if want.is_empty() || !CTX_STRUCTS.contains(&want.as_str()) || Some(want.as_str()) == own {
                continue;
            }
            let fd = Finding::new(
                &LINT,
                u,
                Some(*insn),
                format!(
                    "the context ({}) is passed as argument {} of `{}`, declared `struct {} *`",
                    ctx_name(p),
                    r,
                    sig.name,
                    want
                ),
            )
            .note(format!("`{}` reads it as the context of another program type", sig.name));
            out.push(if sig.global {
                fd.kernel("the load fails: a global function's context argument must have the program's context type")
                    .help(format!(
                        "declare the parameter as `{}`",
                        own.map(|s| format!("struct {s} *")).unwrap_or("void *".into())
                    ))
            } else {
                fd.kernel("accepted silently: static functions are verified inline and read the wrong struct").help(
                    format!(
                        "declare the parameter as `{}`",
                        own.map(|s| format!("struct {s} *")).unwrap_or("void *".into())
                    ),
                )
            });
        }
    }
    // ---- freplace
    if p.prog_type == ProgType::EXT {
        let target = p.section.strip_prefix('?').unwrap_or(&p.section).strip_prefix("freplace/").unwrap_or("");
        let mine = p.func_sigs.iter().find(|s| s.start == 0).and_then(|s| s.arg_structs.first()).cloned();
        for t in units.iter().filter(|t| t.program.prog_type != ProgType::EXT) {
            let Some(ts) = t.program.func_sigs.iter().find(|s| s.name == target) else { continue };
            let theirs = ts.arg_structs.first().cloned().unwrap_or_default();
            let tctx = bpfobj::progsec::ctx_struct(t.program.prog_type).unwrap_or("");
            let mine = mine.clone().unwrap_or_default();
            let bad = (!mine.is_empty() && !theirs.is_empty() && mine != theirs)
                || (CTX_STRUCTS.contains(&mine.as_str()) && !tctx.is_empty() && mine != tctx);
            if bad {
                out.push(
                    Finding::new(
                        &LINT,
                        u,
                        None,
                        format!(
                            "freplace of `{target}` takes `struct {mine} *`, but `{target}` in `{}` ({}) takes `struct {} *`",
                            t.program.name,
                            t.program.type_name(),
                            if theirs.is_empty() { tctx } else { &theirs }
                        ),
                    )
                    .kernel("the load (or link) with the target fails: the prototypes must match")
                    .help(format!("declare the replacement with the target's prototype (`struct {tctx} *`)")),
                );
                break;
            }
        }
    }
    // ---- accesses past the context, writes to read-only fields
    let layout = ctx::layout(p.prog_type, p.attach_type);
    let (sname, size) = match layout {
        Layout::Fields { name, size, .. } => (name, size),
        Layout::Flat { name, rule } => (name, rule.end),
        Layout::Any => return out,
    };
    let raw_tp = super::tracepoint_abi::raw_tracepoint_of(&p.section).is_some();
    for a in &f.ctx_accesses {
        let end = a.off + a.size as i64;
        if end > size as i64 && !raw_tp && p.prog_type != ProgType::TRACEPOINT {
            out.push(
                Finding::new(
                    &LINT,
                    u,
                    Some(a.insn),
                    format!(
                        "{} {} bytes at offset {} of `{sname}`, which is {size} bytes",
                        if a.write { "writes" } else { "reads" },
                        a.size,
                        a.off
                    ),
                )
                .kernel("the load fails: invalid bpf_context access"),
            );
            continue;
        }
        if a.write
            && ctx::check(&layout, a.off, a.size, true) == Access::Denied
            && ctx::check(&layout, a.off, a.size, false) != Access::Denied
        {
            let field = field_name(&layout, a.off);
            out.push(
                Finding::new(
                    &LINT,
                    u,
                    Some(a.insn),
                    format!("writes the read-only {field} of `{sname}` ({} programs)", p.type_name()),
                )
                .kernel("the load fails: invalid bpf_context access")
                .help("copy the value to the stack and modify the copy, or use a helper that changes it"),
            );
        }
    }
    out
}

fn ctx_name(p: &Program) -> String {
    bpfobj::progsec::ctx_struct(p.prog_type).map(|s| format!("struct {s} *")).unwrap_or_else(|| "context".into())
}

fn field_name(layout: &Layout, off: i64) -> String {
    if let Layout::Fields { fields, .. } = layout {
        if let Some(f) = fields.iter().find(|f| off >= f.off as i64 && off < (f.off + f.size) as i64) {
            return format!("field `{}`", f.name);
        }
    }
    format!("context (offset {off})")
}
