//! Attach targets in another BPF object (`attach_prog_fd`): fentry/fexit/freplace programs whose
//! section names a function of `--target-object`, checked as the kernel's
//! `bpf_check_attach_target` and `btf_check_func_type_match` would at load time.

use crate::btfutil::type_str;
use crate::diag::{side_by_side, Diagnostic};
use crate::input::Object;
use crate::programs::{programs, Program};
use bpfobj::elf::*;
use bpfobj::uapi::{AttachType, ProgType};
use btf::hash::FxHashMap as HashMap;
use btf::{Btf, Kind, Linkage, Type};

/// `MAX_BPF_FUNC_ARGS`.
const MAX_ARGS: u32 = 12;

fn is_tracing_to_prog(p: &Program) -> bool {
    p.prog_type == Some(ProgType::EXT)
        || (p.prog_type == Some(ProgType::TRACING)
            && matches!(p.attach_type, Some(AttachType::TRACE_FENTRY) | Some(AttachType::TRACE_FEXIT)))
}

fn skip_mods<'a>(b: &Btf<'a>, mut id: u32) -> Option<Type<'a>> {
    for _ in 0..32 {
        let t = b.type_by_id(id)?;
        if matches!(t.kind(), Kind::VOLATILE | Kind::CONST | Kind::RESTRICT | Kind::TYPEDEF | Kind::TYPE_TAG) {
            id = t.type_id();
        } else {
            return Some(t);
        }
    }
    None
}

/// The kernel's `btf_type_str`-like word for a type (after modifiers).
fn kind_of(b: &Btf<'_>, id: u32) -> String {
    if id == 0 {
        return "void".into();
    }
    match skip_mods(b, id) {
        Some(t) => match t.kind() {
            Kind::INT => "INT".into(),
            Kind::PTR => "PTR".into(),
            k => format!("{k}"),
        },
        None => "void".into(),
    }
}

/// Info word comparison as `t1->info != t2->info` (kind, kind_flag, vlen); void is kind 0.
fn info(b: &Btf<'_>, id: u32) -> u32 {
    if id == 0 {
        return 0;
    }
    skip_mods(b, id).map_or(0, |t| t.info())
}

/// `btf_check_func_type_match(prog, target)`: Err(kernel-style reason).
pub fn func_type_match(b1: &Btf<'_>, f1: u32, b2: &Btf<'_>, f2: u32) -> Result<(), String> {
    let (t1, t2) = (b1.type_by_id(f1).ok_or("no FUNC")?, b2.type_by_id(f2).ok_or("no FUNC")?);
    let (n1, n2) = (b1.name_of(&t1), b2.name_of(&t2));
    if t1.func_linkage() != Linkage::GLOBAL {
        return Err(format!("{n1}() is not a global function"));
    }
    if t2.func_linkage() != Linkage::GLOBAL {
        return Err(format!("{n2}() is not a global function"));
    }
    let (p1, p2) =
        (b1.type_by_id(t1.type_id()).ok_or("no FUNC_PROTO")?, b2.type_by_id(t2.type_id()).ok_or("no FUNC_PROTO")?);
    if p1.vlen() != p2.vlen() {
        return Err(format!("{n1}() has {} args while {n2}() has {} args", p1.vlen(), p2.vlen()));
    }
    if info(b1, p1.type_id()) != info(b2, p2.type_id()) {
        return Err(format!(
            "Return type {} of {n1}() doesn't match type {} of {n2}()",
            kind_of(b1, p1.type_id()),
            kind_of(b2, p2.type_id())
        ));
    }
    for (i, (a1, a2)) in p1.params().zip(p2.params()).enumerate() {
        let (x1, x2) = (skip_mods(b1, a1.type_id), skip_mods(b2, a2.type_id));
        if info(b1, a1.type_id) != info(b2, a2.type_id) {
            return Err(format!(
                "arg{i} in {n1}() is {} while {n2}() has {}",
                kind_of(b1, a1.type_id),
                kind_of(b2, a2.type_id)
            ));
        }
        let (Some(x1), Some(x2)) = (x1, x2) else { return Err(format!("arg{i} in {n1}() has unrecognized type")) };
        let has_size = matches!(
            x1.kind(),
            Kind::INT | Kind::ENUM | Kind::ENUM64 | Kind::STRUCT | Kind::UNION | Kind::FLOAT | Kind::DATASEC
        );
        if has_size && x1.size() != x2.size() {
            return Err(format!("arg{i} in {n1}() has size {} while {n2}() has {}", x1.size(), x2.size()));
        }
        if matches!(x1.kind(), Kind::INT | Kind::ENUM | Kind::ENUM64) {
            continue;
        }
        if x1.kind() != Kind::PTR {
            return Err(format!("arg{i} in {n1}() has unrecognized type"));
        }
        let (s1, s2) = (skip_mods(b1, x1.type_id()), skip_mods(b2, x2.type_id()));
        let s1 =
            s1.filter(|s| s.kind() == Kind::STRUCT).ok_or(format!("arg{i} in {n1}() is not a pointer to context"))?;
        let s2 =
            s2.filter(|s| s.kind() == Kind::STRUCT).ok_or(format!("arg{i} in {n2}() is not a pointer to context"))?;
        let (c1, c2) = (b1.name_of(&s1), b2.name_of(&s2));
        if c1 != c2 {
            return Err(format!("arg{i} {n1}(struct {c1} *) doesn't match {n2}(struct {c2} *)"));
        }
    }
    Ok(())
}

/// `btf_distill_func_proto` for fentry/fexit on a global target: argument and return shapes
/// the trampoline can handle.
fn distill(b: &Btf<'_>, f: u32) -> Result<(), String> {
    let t = b.type_by_id(f).ok_or("no FUNC")?;
    let name = b.name_of(&t);
    let p = b.type_by_id(t.type_id()).ok_or("no FUNC_PROTO")?;
    if p.vlen() > MAX_ARGS {
        return Err(format!("The function {name} has {} arguments. Too many.", p.vlen()));
    }
    let ok = |id: u32| -> bool {
        if id == 0 {
            return true;
        }
        match skip_mods(b, id) {
            Some(t) => match t.kind() {
                Kind::INT | Kind::PTR | Kind::ENUM | Kind::ENUM64 => t.kind() == Kind::PTR || t.size() <= 8,
                Kind::STRUCT | Kind::UNION => t.size() <= 16,
                _ => false,
            },
            None => false,
        }
    };
    if !ok(p.type_id()) || skip_mods(b, p.type_id()).is_some_and(|t| t.is_composite()) {
        return Err(format!("The function {name} return type {} is unsupported.", kind_of(b, p.type_id())));
    }
    for (i, a) in p.params().enumerate() {
        if a.type_id == 0 && i + 1 == p.vlen() as usize {
            return Err(format!("The function {name} with variable args is unsupported."));
        }
        if !ok(a.type_id) {
            return Err(format!("The function {name} arg{i} type {} is unsupported.", kind_of(b, a.type_id)));
        }
    }
    Ok(())
}

fn proto(b: &Btf<'_>, f: u32) -> String {
    type_str(b, f)
}

/// Check every fentry/fexit/freplace program of `out` whose section names a function of `tgt`.
/// `origins` maps function names to the input that defined them (for messages).
pub fn check(out: &Object, tgt: &Object, origins: &HashMap<String, String>) -> Vec<Diagnostic> {
    let mut errs = Vec::new();
    let from = |n: &str| origins.get(n).cloned().unwrap_or_else(|| out.name.clone());
    let ob = out.btf.as_deref().and_then(|b| Btf::parse(b).ok());
    let tb = tgt.btf.as_deref().and_then(|b| Btf::parse(b).ok());
    let tprogs = programs(tgt);
    for p in programs(out) {
        if !is_tracing_to_prog(&p) {
            continue;
        }
        let ext = p.prog_type == Some(ProgType::EXT);
        let Some(target) = p.target_name() else { continue };
        let err = |msg: String| {
            Diagnostic::error(
                "L0020",
                format!("program `{}` cannot attach to `{target}` in `{}`: {msg}", p.name, tgt.name),
            )
            .label(&from(&p.name), format!("`{}` in section {}", p.name, p.section))
        };
        // The target function: a FUNC symbol and its BTF FUNC with func_info.
        let sym = tgt.symbols.iter().find(|s| {
            tgt.sym_name(s) == target
                && s.typ == STT_FUNC
                && tgt.sections.get(s.shndx as usize).is_some_and(|x| x.is_exec())
        });
        let Some(sym) = sym else {
            if ext {
                errs.push(err("no such function".into()).label(&tgt.name, "has no function of that name"));
            }
            continue; // fentry/fexit may name a kernel function
        };
        let Some(tb) = &tb else {
            errs.push(err("the target object has no BTF".into()).label(&tgt.name, "compile it with -g"));
            continue;
        };
        let tfunc = tb.ids_by_name(target).find(|&id| tb.type_by_id(id).is_some_and(|t| t.kind() == Kind::FUNC));
        let tsec = tgt.sections.get(sym.shndx as usize).map_or("", |s| s.name.as_str());
        let has_func_info = tfunc.is_some_and(|id| {
            tgt.btf_ext.as_ref().is_some_and(|e| {
                e.func_info
                    .iter()
                    .any(|s| tb.str_at(s.sec_name_off) == Some(tsec) && s.records.iter().any(|r| r.type_id == id))
            })
        });
        let Some(tfunc) = tfunc.filter(|_| has_func_info) else {
            errs.push(
                err(format!("Subprog {target} doesn't exist (no BTF func_info for it)"))
                    .label(&tgt.name, format!("`{target}` in section {tsec} has no func_info")),
            );
            continue;
        };
        let static_target = sym.bind == STB_LOCAL
            || sym.vis == STV_HIDDEN
            || tb.type_by_id(tfunc).is_some_and(|t| t.func_linkage() == Linkage::STATIC);
        if ext && static_target {
            let why = if sym.vis == STV_HIDDEN { "hidden (libbpf makes it static at load)" } else { "static" };
            errs.push(
                err("Cannot replace static functions".into())
                    .label(&tgt.name, format!("`{target}` is {why}"))
                    .help("only global functions can be replaced; make the target global and not __hidden"),
            );
            continue;
        }
        // The program the target lives in (an entry point), for the recursion rules.
        if let Some(tp) = tprogs.iter().find(|t| t.sec_index == sym.shndx as usize) {
            if tp.prog_type == p.prog_type {
                errs.push(
                    err("Cannot recursively attach".into())
                        .label(&tgt.name, format!("`{target}` is in `{}` ({})", tp.name, tp.describe())),
                );
                continue;
            }
            if ext
                && tp.prog_type == Some(ProgType::TRACING)
                && matches!(tp.attach_type, Some(AttachType::TRACE_FENTRY) | Some(AttachType::TRACE_FEXIT))
            {
                errs.push(
                    err("Cannot extend fentry/fexit".into())
                        .label(&tgt.name, format!("`{target}` is a tracing program")),
                );
                continue;
            }
        }
        let Some(ob) = &ob else {
            errs.push(err("Program extension requires BTF".into()));
            continue;
        };
        if ext {
            if p.btf_func == 0 {
                errs.push(err("Program extension requires BTF".into()));
                continue;
            }
            if let Err(why) = func_type_match(ob, p.btf_func, tb, tfunc) {
                errs.push(err(why).label(&tgt.name, format!("target `{target}` in section {tsec}")).note(
                    side_by_side(
                        &format!("replacement ({})", from(&p.name)),
                        &proto(ob, p.btf_func),
                        &format!("target ({})", tgt.name),
                        &proto(tb, tfunc),
                    ),
                ));
            }
        } else if !static_target {
            if let Err(why) = distill(tb, tfunc) {
                errs.push(err(why).label(&tgt.name, proto(tb, tfunc)));
            }
        }
    }
    errs
}
