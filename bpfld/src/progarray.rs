//! Program arrays: members known at link time (static `.values` initialisers and
//! `--prog-array MAP=PROG,...`) checked against the array's owner as the kernel's
//! `bpf_prog_map_compatible` does (program type, expected attach type, xdp frags;
//! extension programs never), before anything is loaded.

use crate::btfutil::parse_map_def;
use crate::diag::Diagnostic;
use crate::input::Object;
use crate::programs::{programs, Program};
use bpfobj::elf::*;
use bpfobj::uapi::MapType;
use btf::hash::FxHashMap as HashMap;
use btf::{Btf, Kind};

/// `--prog-array MAP=PROG,PROG,...`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decl {
    pub map: String,
    pub progs: Vec<String>,
}

impl std::str::FromStr for Decl {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (m, p) = s.split_once('=').ok_or("expected MAP=PROG[,PROG...]")?;
        let progs: Vec<String> = p.split(',').filter(|x| !x.is_empty()).map(str::to_string).collect();
        if m.is_empty() || progs.is_empty() {
            return Err("expected MAP=PROG[,PROG...]".into());
        }
        Ok(Decl { map: m.to_string(), progs })
    }
}

/// Why `member` cannot share a program array with `owner` (None: compatible): the kernel's
/// rule, `bpfobj::progarray::incompatibility`.
pub fn incompatibility(owner: &Program, member: &Program) -> Option<String> {
    let key = |p: &Program| bpfobj::progarray::Member {
        prog_type: p.prog_type.unwrap_or_default(),
        attach_type: p.attach_type.unwrap_or_default(),
        xdp_frags: p.xdp_frags,
    };
    bpfobj::progarray::incompatibility(&key(owner), &key(member)).map(str::to_string)
}

struct ProgArray {
    name: String,
    offset: u64,
    size: u64,
    values_off: Option<u32>,
}

/// Check the program arrays of a linked object.
/// `origins` maps function names to the input that defined them (for messages).
pub fn check(out: &Object, decls: &[Decl], origins: &HashMap<String, String>) -> Vec<Diagnostic> {
    let mut errs = Vec::new();
    let from = |n: &str| origins.get(n).cloned().unwrap_or_else(|| out.name.clone());
    let Some(maps_idx) = out.section_by_name(".maps") else {
        for d in decls {
            errs.push(Diagnostic::error(
                "L0030",
                format!("--prog-array: no map `{}` (the object has no .maps)", d.map),
            ));
        }
        return errs;
    };
    let btf = out.btf.as_deref().and_then(|b| Btf::parse(b).ok());
    let mut arrays = Vec::new();
    let mut other_maps = Vec::new();
    // Map name -> VAR id, from the .maps DATASEC (no name index needed).
    let mut map_vars: HashMap<&str, u32> = HashMap::default();
    if let Some(b) = &btf {
        // DATASECs come last: search from the end.
        let n = b.type_count();
        let ds = (1..n)
            .rev()
            .filter_map(|id| b.type_by_id(id))
            .find(|t| t.kind() == Kind::DATASEC && b.name_of(t) == ".maps");
        for vi in ds.iter().flat_map(|t| t.datasec_vars()) {
            if let Some(v) = b.type_by_id(vi.type_id) {
                map_vars.insert(b.name_of(&v), vi.type_id);
            }
        }
    }
    for s in &out.symbols {
        if s.shndx as usize != maps_idx || s.typ == STT_SECTION || out.sym_name(s).is_empty() {
            continue;
        }
        let def = btf.as_ref().and_then(|b| parse_map_def(b, *map_vars.get(out.sym_name(s))?).ok());
        match def {
            Some(d) if d.map_type == Some(MapType::PROG_ARRAY.0) => arrays.push(ProgArray {
                name: out.sym_name(s).to_string(),
                offset: s.value,
                size: s.size,
                values_off: d.values_off,
            }),
            _ => other_maps.push(out.sym_name(s).to_string()),
        }
    }
    if arrays.is_empty() && decls.is_empty() {
        return errs;
    }
    let progs = programs(out);
    let maps_sec = &out.sections[maps_idx];
    for a in &arrays {
        let map_sym = out.symbols.iter().position(|s| out.sym_name(s) == a.name && s.shndx as usize == maps_idx);
        // Owners: programs that use the map (they load first, in section order).
        let mut users: Vec<&Program> = Vec::new();
        for p in &progs {
            let sec = &out.sections[p.sec_index];
            let uses = sec.relocs.iter().any(|r| {
                Some(r.sym as usize) == map_sym && r.offset >= p.offset && (p.size == 0 || r.offset < p.offset + p.size)
            });
            if uses {
                users.push(p);
            }
        }
        let mut members: Vec<(&Program, String)> = Vec::new();
        // Static initialisers.
        if let Some(vo) = a.values_off {
            let start = a.offset + vo as u64;
            for r in
                maps_sec.relocs.iter().filter(|r| r.offset >= start && r.offset < a.offset + a.size.max(vo as u64 + 8))
            {
                let slot = (r.offset - start) / 8;
                let sym = &out.symbols[r.sym as usize];
                // A section symbol plus the addend stored in the slot, or a function symbol.
                let value = if sym.typ == STT_SECTION {
                    let o = r.offset as usize;
                    maps_sec.data.get(o..o + 8).map_or(0, |b| {
                        let a = [b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]];
                        if out.big_endian {
                            u64::from_be_bytes(a)
                        } else {
                            u64::from_le_bytes(a)
                        }
                    })
                } else {
                    sym.value
                };
                let p = progs.iter().find(|p| p.offset == value && p.sec_index == sym.shndx as usize);
                let Some(p) = p else {
                    errs.push(
                        Diagnostic::error(
                            "L0031",
                            format!("prog array `{}` slot {slot}: `{}` is not a program", a.name, out.sym_name(sym)),
                        )
                        .label(&out.name, "only functions in program sections can be tail-call targets"),
                    );
                    continue;
                };
                if !p.global || p.hidden {
                    errs.push(
                        Diagnostic::error(
                            "L0031",
                            format!(
                                "prog array `{}` slot {slot}: program `{}` is {}",
                                a.name,
                                p.name,
                                if p.global { "hidden" } else { "static" }
                            ),
                        )
                        .label(&from(&p.name), format!("`{}` in section {}", p.name, p.section))
                        .help("programs in `.values` must be global: libbpf loads only global programs"),
                    );
                    continue;
                }
                members.push((p, format!("slot {slot} of the .values initialiser")));
            }
        }
        for d in decls.iter().filter(|d| d.map == a.name) {
            for name in &d.progs {
                match progs.iter().find(|p| &p.name == name) {
                    Some(p) => members.push((p, "--prog-array".into())),
                    None => errs.push(
                        Diagnostic::error(
                            "L0030",
                            format!("--prog-array {}: no program `{name}` in the inputs", a.name),
                        )
                        .help("name a function defined in a program section (SEC(\"...\"))"),
                    ),
                }
            }
        }
        let owner = users.first().copied().or(members.first().map(|m| m.0));
        let Some(owner) = owner else { continue };
        let why_owner = if !users.is_empty() { "uses the array (loads first)" } else { "first member" };
        for u in users.iter().skip(1) {
            if let Some(why) = incompatibility(owner, u) {
                errs.push(
                    Diagnostic::error(
                        "L0032",
                        format!("programs `{}` and `{}` both use prog array `{}`: {why}", owner.name, u.name, a.name),
                    )
                    .label(&from(&owner.name), format!("`{}`: {}", owner.name, owner.describe()))
                    .label(&from(&u.name), format!("`{}`: {}", u.name, u.describe())),
                );
            }
        }
        for (m, how) in &members {
            if let Some(why) = incompatibility(owner, m) {
                errs.push(
                    Diagnostic::error(
                        "L0033",
                        format!(
                            "program `{}` cannot be a member of prog array `{}` owned by `{}`: {why}",
                            m.name, a.name, owner.name
                        ),
                    )
                    .label(&from(&owner.name), format!("owner `{}` ({why_owner}): {}", owner.name, owner.describe()))
                    .label(&from(&m.name), format!("member `{}` ({how}): {}", m.name, m.describe()))
                    .help("the kernel rejects the update with EINVAL (bpf_prog_map_compatible)"),
                );
            }
        }
    }
    for d in decls {
        if !arrays.iter().any(|a| a.name == d.map) {
            let what = if other_maps.contains(&d.map) { "is not a BPF_MAP_TYPE_PROG_ARRAY" } else { "does not exist" };
            errs.push(Diagnostic::error("L0030", format!("--prog-array: map `{}` {what}", d.map)));
        }
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decl_parses() {
        let d: Decl = "jumps=a,b".parse().unwrap();
        assert_eq!(d, Decl { map: "jumps".into(), progs: vec!["a".into(), "b".into()] });
        assert!("jumps".parse::<Decl>().is_err());
        assert!("=a".parse::<Decl>().is_err());
        assert!("m=".parse::<Decl>().is_err());
    }
}
