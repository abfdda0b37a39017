//! `tracepoint-abi`: tracepoint records and kernel structs are not a stable ABI.
//!
//! - `tracepoint/CAT/NAME` programs: every context access is checked against the event's format
//!   (tracefs `events/CAT/NAME/format` of the running kernel, or `--tracefs DIR`): an offset that
//!   is no field start, a size that differs from the field's, an access past the record (the
//!   kernel loads the program, then refuses the attach with EACCES).
//! - `raw_tp/NAME` and `tp_btf/NAME` programs reading argument N of a tracepoint with fewer
//!   arguments (raw_tp: attach fails with EINVAL; tp_btf: the load fails).
//! - Kernel structs walked at hard-coded offsets: constant offsets added to the source pointer
//!   of `bpf_probe_read_kernel` & co., or loads through BTF pointers, without a CO-RE relocation.
//! - [`interfaces`]: per program, the kernel interfaces it depends on and whether each is ABI.

use bpf_isa::Op;
use bpfobj::tracefs::{self, TraceEvent, TraceField};
use bpfobj::uapi::ProgType;
use serde_json::{json, Value};

use super::{Finding, Level, Lint, Options, Unit};
use crate::program::{Program, Slot};

pub const LINT: Lint = Lint {
    id: "tracepoint-abi",
    level: Level::Warn,
    summary: "tracepoint and kernel-struct accesses that depend on one kernel's layout",
    explain: "\
Only the syscall tracepoints (syscalls/sys_enter_*, sys_exit_*) have a stable record layout.
Every other tracepoint's fields change order and size between kernels, and kernel structs change
layout all the time. The kernel does not check a tracepoint program's context offsets against the
event's fields: a program compiled against another kernel's layout loads, attaches and silently
reads the wrong bytes. Only an access past the end of the record is refused, and only at attach
time (EACCES from PERF_EVENT_IOC_SET_BPF / BPF_LINK_CREATE); a raw_tp program reading an argument
the tracepoint does not have fails to attach with EINVAL.

This lint checks each context access of tracepoint/CAT/NAME programs against the event's format
file (the running kernel's tracefs, or a saved copy of another kernel's `events/` tree given with
`--tracefs DIR`), raw_tp/tp_btf argument numbers against the tracepoint's prototype in the running
kernel's BTF, and reports constant offsets into kernel structs (the source of bpf_probe_read_kernel,
loads through BTF pointers) that carry no CO-RE relocation.

Fix: declare the record as `struct trace_event_raw_NAME` from vmlinux.h (CO-RE relocates its
fields), read kernel structs with BPF_CORE_READ() or through `__attribute__((preserve_access_index))`
types, or use tp_btf/fentry programs whose arguments are typed by BTF.
`bpflint --report interfaces FILE.o` lists what each program depends on.",
    check,
};

/// `tracepoint/CAT/NAME` or `tp/CAT/NAME`.
pub fn tracepoint_of(section: &str) -> Option<(&str, &str)> {
    let s = section.strip_prefix('?').unwrap_or(section);
    let rest = s.strip_prefix("tracepoint/").or_else(|| s.strip_prefix("tp/"))?;
    rest.split_once('/')
}

/// `raw_tp/NAME`, `raw_tracepoint/NAME` (and `.w`), or `tp_btf/NAME`: (name, is tp_btf).
pub fn raw_tracepoint_of(section: &str) -> Option<(&str, bool)> {
    let s = section.strip_prefix('?').unwrap_or(section);
    for pre in ["raw_tp/", "raw_tracepoint/", "raw_tp.w/", "raw_tracepoint.w/"] {
        if let Some(n) = s.strip_prefix(pre) {
            return Some((n, false));
        }
    }
    s.strip_prefix("tp_btf/").map(|n| (n, true))
}

/// Number of arguments of tracepoint `name` in the running kernel's BTF (`btf_trace_NAME`).
pub fn raw_tp_nargs(name: &str) -> Option<usize> {
    crate::kernel_btf::KernelBtf::native()?.raw_tp_proto(name).map(|(_, params)| params.len())
}

fn is_array(f: &TraceField) -> bool {
    f.decl.contains('[') && !f.decl.contains("__data_loc")
}

/// The field a program reading `size` bytes at `off` probably meant.
fn probable(ev: &TraceEvent, off: u32, size: u32) -> Option<&TraceField> {
    let dist = |f: &TraceField| (f.offset as i64 - off as i64).unsigned_abs();
    ev.fields
        .iter()
        .filter(|f| !f.common && (f.size == size || is_array(f)))
        .min_by_key(|f| dist(f))
        .filter(|f| dist(f) <= 16)
        .or_else(|| ev.fields.iter().filter(|f| !f.common).min_by_key(|f| dist(f)))
}

fn field_desc(f: &TraceField) -> String {
    format!("`{}` (offset {}, size {})", f.decl, f.offset, f.size)
}

/// What is wrong with one access (None: it reads a whole field, or part of an array).
pub fn check_access(ev: &TraceEvent, off: u32, size: u32) -> Option<(String, bool)> {
    let end = off + size;
    let rec = ev.record_size();
    if end > rec {
        return Some((
            format!(
                "reads {size} bytes at offset {off} of {}/{}, past the end of its {rec}-byte record",
                ev.category, ev.name
            ),
            true,
        ));
    }
    let Some(f) = ev.field_at(off) else {
        return Some((
            format!(
                "reads {size} bytes at offset {off} of {}/{}, which is padding between fields",
                ev.category, ev.name
            ),
            false,
        ));
    };
    if is_array(f) && end <= f.offset + f.size {
        return None;
    }
    if f.offset != off {
        return Some((
            format!(
                "reads {size} bytes at offset {off} of {}/{}, inside field {}: not a field start",
                ev.category,
                ev.name,
                field_desc(f)
            ),
            false,
        ));
    }
    if f.size != size {
        return Some((
            format!("reads {size} bytes of the {}-byte field {} of {}/{}", f.size, field_desc(f), ev.category, ev.name),
            false,
        ));
    }
    None
}

pub fn check(u: &Unit, _units: &[Unit], opts: &Options) -> Vec<Finding> {
    let p = u.program;
    let f = &u.verdict.facts;
    let mut out = Vec::new();
    if p.prog_type == ProgType::TRACEPOINT {
        if let Some((cat, name)) = tracepoint_of(&p.section) {
            match opts.tracefs_root() {
                None => out.push(
                    Finding::new(&LINT, u, None, "no tracefs to check the tracepoint record against".into())
                        .help("mount tracefs (mount -t tracefs tracefs /sys/kernel/tracing) or pass --tracefs DIR"),
                ),
                Some(root) => match tracefs::read_event(&root, cat, name) {
                    Err(e) => out.push(
                        Finding::new(&LINT, u, None, format!("tracepoint {cat}/{name} does not exist in this kernel"))
                            .note(e.to_string())
                            .kernel("attach fails: the event is not there"),
                    ),
                    Ok(ev) => {
                        for a in f.ctx_accesses.iter().filter(|a| !a.write && a.off >= 0) {
                            let (off, size) = (a.off as u32, a.size);
                            let Some((msg, fatal)) = check_access(&ev, off, size) else { continue };
                            let mut fd = Finding::new(&LINT, u, Some(a.insn), msg);
                            if p.core_relos.contains(&a.insn) {
                                fd = fd.note("the access has a CO-RE relocation: libbpf moves it within the struct the program declared, which is not this event's record");
                            }
                            let at_start = ev.field_at(off).is_some_and(|x| x.offset == off);
                            if let Some(pf) = probable(&ev, off, size).filter(|_| !at_start) {
                                fd = fd.note(format!("probably meant field {}", field_desc(pf)));
                            }
                            fd = if fatal {
                                fd.kernel(format!(
                                    "loads, then refuses to attach with EACCES: the program reads up to byte {} and the record has {}",
                                    off + size,
                                    ev.record_size()
                                ))
                            } else {
                                fd.kernel("loads and attaches: the program silently reads other bytes")
                            };
                            if !ev.is_abi() {
                                fd = fd
                                    .note(format!("the layout of {cat}/{name} is not ABI: it changes between kernels"));
                            }
                            out.push(fd.help(format!(
                                "read the record through `struct trace_event_raw_{name}` from vmlinux.h (CO-RE), or use tp_btf/{name}"
                            )));
                        }
                    }
                },
            }
        }
    }
    if let Some((name, tp_btf)) = raw_tracepoint_of(&p.section) {
        if matches!(p.prog_type, ProgType::RAW_TRACEPOINT | ProgType::RAW_TRACEPOINT_WRITABLE | ProgType::TRACING) {
            if let Some(n) = raw_tp_nargs(name) {
                let limit = (n * 8) as i64;
                for a in f.ctx_accesses.iter().filter(|a| a.off + a.size as i64 > limit) {
                    let arg = a.off / 8;
                    let fd = Finding::new(
                        &LINT,
                        u,
                        Some(a.insn),
                        format!(
                            "reads argument {arg} (ctx offset {}) of tracepoint {name}, which has {n} argument{}",
                            a.off,
                            if n == 1 { "" } else { "s" }
                        ),
                    )
                    .note(format!("the context of {name} is {} bytes: 8 per argument", n * 8));
                    out.push(if tp_btf {
                        fd.kernel("the load fails: the verifier checks tp_btf arguments against BTF")
                    } else {
                        fd.kernel(format!(
                            "loads, then refuses to attach with EINVAL (max_ctx_offset {} > {})",
                            a.off + a.size as i64,
                            limit
                        ))
                    });
                }
            }
        }
    }
    out.extend(hard_coded_offsets(u));
    out
}

/// Helpers that read kernel memory through a pointer in r3.
const PROBE_READ_KERNEL: &[(u32, &str)] = &[
    (4, "bpf_probe_read"),
    (45, "bpf_probe_read_str"),
    (113, "bpf_probe_read_kernel"),
    (115, "bpf_probe_read_kernel_str"),
];

fn insn_at(p: &Program, i: usize) -> Option<bpf_isa::Insn> {
    match p.slots.get(i) {
        Some(Slot::Insn(x, _)) => Some(*x),
        _ => None,
    }
}

/// The constant added to the source pointer of a probe-read call, when the pointer is a kernel
/// pointer (loaded from memory or returned by a helper) plus a constant without a CO-RE
/// relocation: (instruction that adds it, constant).
fn source_offset(p: &Program, call: usize) -> Option<(usize, i64)> {
    let mut reg = 3u8;
    let mut added: Option<(usize, i64)> = None;
    let mut i = call;
    for _ in 0..24 {
        if i == 0 {
            return None;
        }
        i -= 1;
        if matches!(p.slots.get(i), Some(Slot::Wide)) {
            continue;
        }
        let x = insn_at(p, i)?;
        if x.op == Op::Exit {
            return None;
        }
        if matches!(x.op, Op::Call | Op::CallLocal) {
            // r0 = helper() (bpf_get_current_task...): a kernel pointer as the base
            if reg == 0 {
                return added;
            }
            if (1..=5).contains(&reg) {
                return None;
            }
            continue;
        }
        if x.op.is_jump() {
            continue;
        }
        if x.dst != reg || !writes_dst(x.op) {
            continue;
        }
        match x.op {
            Op::AddK64 if added.is_none() => {
                if x.imm == 0 || p.core_relos.contains(&i) {
                    return None;
                }
                added = Some((i, x.imm));
            }
            Op::MovX64 => {
                if x.src == 10 {
                    return None;
                }
                reg = x.src;
            }
            Op::LdxDW => return added,
            _ => return None,
        }
    }
    None
}

/// Whether the base register of the load at `insn` holds a kernel pointer as loaded (from the
/// context or memory) or returned by a helper, not one already moved by pointer arithmetic.
fn base_is_object_start(p: &Program, insn: usize) -> bool {
    let Some(x) = insn_at(p, insn) else { return false };
    let mut reg = x.src;
    let mut i = insn;
    for _ in 0..24 {
        if i == 0 {
            return false;
        }
        i -= 1;
        let Some(y) = insn_at(p, i) else { continue };
        if matches!(y.op, Op::Call | Op::CallLocal) {
            if reg == 0 {
                return true;
            }
            continue;
        }
        if y.op.is_jump() || y.dst != reg || !writes_dst(y.op) {
            continue;
        }
        match y.op {
            Op::MovX64 => reg = y.src,
            Op::LdxDW => return true,
            _ => return false,
        }
    }
    false
}

fn writes_dst(op: Op) -> bool {
    let class = op.form().class();
    // ALU, ALU64, LDX, LD (ld_imm64)
    matches!(class, 0 | 1 | 4 | 7)
}

fn hard_coded_offsets(u: &Unit) -> Vec<Finding> {
    let p = u.program;
    let f = &u.verdict.facts;
    let mut out = Vec::new();
    for c in &f.helper_calls {
        let Some(&(_, hname)) = PROBE_READ_KERNEL.iter().find(|(id, _)| *id == c.id) else { continue };
        let Some((at, k)) = source_offset(p, c.insn) else { continue };
        out.push(
            Finding::new(
                &LINT,
                u,
                Some(at),
                format!("{hname} reads a kernel struct at the hard-coded offset {k} (no CO-RE relocation)"),
            )
            .note(format!("the source pointer of the {hname} call at insn {} is a kernel pointer plus {k}", c.insn))
            .kernel("loads and runs: on a kernel with another struct layout it silently reads other bytes")
            .help("read the field with BPF_CORE_READ(ptr, field) or bpf_core_read(&dst, sizeof(dst), &ptr->field) on a preserve_access_index type"),
        );
    }
    let s = p.section.strip_prefix('?').unwrap_or(&p.section);
    let typed_args = ["fentry/", "fexit/", "fmod_ret/", "tp_btf/", "lsm/", "fentry.s/", "fexit.s/", "lsm.s/"]
        .iter()
        .any(|pre| s.starts_with(pre));
    for &(insn, off, size) in f.btf_accesses.iter().filter(|_| typed_args) {
        if off == 0 || p.core_relos.contains(&insn) || !base_is_object_start(p, insn) {
            continue;
        }
        out.push(
            Finding::new(
                &LINT,
                u,
                Some(insn),
                format!("loads {size} bytes at the hard-coded offset {off} of a BTF-typed kernel pointer (no CO-RE relocation)"),
            )
            .kernel("the verifier checks the offset against this kernel's BTF only")
            .help("access the field through a vmlinux.h type (preserve_access_index) so clang emits a CO-RE relocation"),
        );
    }
    out
}

/// The kernel interfaces a program depends on: (kind, name, ABI?, detail).
pub fn interfaces(u: &Unit, opts: &Options) -> Vec<(String, String, bool, String)> {
    let p = u.program;
    let f = &u.verdict.facts;
    let mut v = Vec::new();
    if let Some((cat, name)) = tracepoint_of(&p.section) {
        let ev = opts.tracefs_root().and_then(|r| tracefs::read_event(&r, cat, name).ok());
        let abi = cat == "syscalls";
        let fields: Vec<String> = f
            .ctx_accesses
            .iter()
            .filter(|a| !a.write && a.off >= 0)
            .map(|a| {
                let off = a.off as u32;
                match ev.as_ref().and_then(|e| e.field_at(off).map(|fl| (fl, check_access(e, off, a.size)))) {
                    Some((fl, None)) => format!("{}@{}", fl.name, off),
                    Some((_, Some(_))) | None => format!("?@{}:{}", off, a.size),
                }
            })
            .collect();
        let detail = match &ev {
            Some(e) => format!(
                "record {} bytes; reads {}",
                e.record_size(),
                if fields.is_empty() { "nothing".into() } else { fields.join(" ") }
            ),
            None => "not in this kernel's tracefs".into(),
        };
        v.push(("tracepoint".into(), format!("{cat}/{name}"), abi, detail));
    }
    if let Some((name, tp_btf)) = raw_tracepoint_of(&p.section) {
        let n = raw_tp_nargs(name).map(|n| format!("{n} args")).unwrap_or_else(|| "unknown to this kernel".into());
        v.push((if tp_btf { "tp_btf" } else { "raw_tracepoint" }.into(), name.into(), false, n));
    }
    let s = p.section.strip_prefix('?').unwrap_or(&p.section);
    for pre in ["kprobe/", "kretprobe/", "fentry/", "fexit/", "fmod_ret/", "lsm/", "fentry.s/", "fexit.s/", "lsm.s/"] {
        if let Some(fun) = s.strip_prefix(pre) {
            v.push((pre.trim_end_matches('/').into(), fun.into(), false, "kernel function (not ABI)".into()));
        }
    }
    let mut seen = Vec::new();
    for c in &f.helper_calls {
        if seen.contains(&c.id) {
            continue;
        }
        seen.push(c.id);
        let name =
            crate::helpers::by_id(c.id).map(|h| h.name.to_string()).unwrap_or_else(|| format!("helper#{}", c.id));
        v.push(("helper".into(), name, true, format!("id {}", c.id)));
    }
    let mut kf: Vec<&String> = p.kfuncs.values().collect();
    kf.sort();
    kf.dedup();
    for k in kf {
        v.push(("kfunc".into(), k.clone(), false, "kernel function (not ABI)".into()));
    }
    let hard = hard_coded_offsets(u).len();
    if hard > 0 {
        v.push((
            "struct offsets".into(),
            format!("{hard} hard-coded"),
            false,
            "kernel struct layout of one kernel".into(),
        ));
    }
    if !p.core_relos.is_empty() {
        v.push(("CO-RE".into(), format!("{} relocations", p.core_relos.len()), true, "relocated at load".into()));
    }
    v
}

pub fn interfaces_text(u: &Unit, opts: &Options) -> String {
    let mut s = format!("{}: {} ({}, section {})\n", u.file, u.program.name, u.program.type_name(), u.program.section);
    for (kind, name, abi, detail) in interfaces(u, opts) {
        s.push_str(&format!("  {kind:<15} {name:<40} {:<7} {detail}\n", if abi { "ABI" } else { "not-ABI" }));
    }
    s
}

pub fn interfaces_json(u: &Unit, opts: &Options) -> Value {
    let list: Vec<Value> = interfaces(u, opts)
        .into_iter()
        .map(|(kind, name, abi, detail)| json!({"kind": kind, "name": name, "abi": abi, "detail": detail}))
        .collect();
    json!({"file": u.file, "program": u.program.name, "section": u.program.section, "interfaces": list})
}
