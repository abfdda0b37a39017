//! What the link keeps of one object's BTF once it is merged ([`crate::inputs`]): the id map
//! into the merged blob, its global symbols' types, its DATASECs; and the one table of the
//! strings every input's `.BTF.ext` refers to.

use btf::hash::FxHashMap as HashMap;
use btf::hash::FxHashSet;
use btf::{Btf, Kind, Linkage, VarSecInfo};
use std::sync::Arc;

/// The BTF of each global symbol of one object: its VAR/FUNC id in the object and the
/// DATASEC holding it (index into [`ObjBtf::datasecs`]), as libbpf's `find_glob_sym_btf`
/// would answer, or why the object's BTF is ambiguous about it. Eight bytes a symbol.
#[derive(Default)]
pub(crate) struct GlobIndex {
    /// Per symbol index: (type id, DATASEC index + 1 or 0); type id 0: none, u32::MAX: see
    /// `ambiguous`.
    at: Vec<(u32, u32)>,
    ambiguous: Vec<(usize, String)>,
}

impl GlobIndex {
    /// Symbol `si`'s BTF: `None` for a local symbol or one the BTF does not name.
    pub fn get(&self, si: usize) -> Option<Result<(u32, Option<usize>), &str>> {
        match *self.at.get(si)? {
            (0, _) => None,
            (u32::MAX, _) => {
                let e = self.ambiguous.iter().find(|(i, _)| *i == si).map_or("", |(_, e)| e.as_str());
                Some(Err(e))
            }
            (id, ds) => Some(Ok((id, (ds as usize).checked_sub(1)))),
        }
    }
}

/// What the link needs of one object's BTF once it is merged.
pub(crate) struct ObjBtf {
    /// The object's blob in the merger ([`Merger::ids`]).
    pub blob: usize,
    /// Per symbol index: the BTF of a global symbol of that name (None for others).
    pub globs: GlobIndex,
    /// Its non-static VARs and FUNCs, in type order.
    pub non_static: Vec<u32>,
    /// Its DATASECs in type order: name (shared by every object naming it) and the range of
    /// its variables in `datasec_vars`.
    datasecs: Vec<(Arc<str>, u32, u32)>,
    /// The variables (object ids) of every DATASEC, one after the other.
    datasec_vars: Vec<VarSecInfo>,
}

impl ObjBtf {
    /// What the link needs of `b` (its DATASEC names shared through `names`); `blob` is set
    /// when the types are merged.
    pub fn new(b: &Btf<'_>, syms: (&[crate::input::Symbol], &str), names: &mut FxHashSet<Arc<str>>) -> ObjBtf {
        let mut non_static = Vec::new();
        let mut datasecs = Vec::new();
        let mut datasec_vars = Vec::new();
        for t in b.types() {
            match t.kind() {
                Kind::DATASEC => {
                    // (The same few names in every object: one copy each.)
                    let name = b.name_of(&t);
                    let name = match names.get(name) {
                        Some(n) => n.clone(),
                        None => {
                            let n: Arc<str> = name.into();
                            names.insert(n.clone());
                            n
                        }
                    };
                    let start = datasec_vars.len() as u32;
                    datasec_vars.extend(t.datasec_vars());
                    datasecs.push((name, start, datasec_vars.len() as u32));
                }
                Kind::VAR if t.var_linkage() != Linkage::STATIC => non_static.push(t.id()),
                Kind::FUNC if t.func_linkage() != Linkage::STATIC => non_static.push(t.id()),
                _ => {}
            }
        }
        let mut ob = ObjBtf { blob: 0, globs: GlobIndex::default(), non_static, datasecs, datasec_vars };
        ob.globs = glob_index(b, &ob, syms);
        ob
    }

    /// DATASEC `i` (in type order): name and variables.
    pub fn datasec(&self, i: usize) -> Option<(&str, &[VarSecInfo])> {
        let (n, a, b) = self.datasecs.get(i)?;
        Some((n, &self.datasec_vars[*a as usize..*b as usize]))
    }

    /// The DATASECs in type order.
    pub fn datasecs(&self) -> impl Iterator<Item = (&str, &[VarSecInfo])> {
        (0..self.datasecs.len()).filter_map(|i| self.datasec(i))
    }
}

/// The strings `.BTF.ext` records of every input refer to (file names, source lines, CO-RE
/// access strings, section names), each once. Kept apart from the merged types' strings, so
/// that deduplicating types never walks the source lines of every input.
pub(crate) struct ExtStrings {
    pub bytes: Vec<u8>,
    index: btf::hash::StrIndex,
}

impl ExtStrings {
    pub(crate) fn new() -> ExtStrings {
        ExtStrings { bytes: vec![0], index: btf::hash::StrIndex::build(&[0]) }
    }

    pub(crate) fn add(&mut self, s: &[u8]) -> u32 {
        if s.is_empty() {
            return 0;
        }
        self.index.intern(&mut self.bytes, s)
    }

    /// The string at `off` (to its NUL).
    pub fn get(&self, off: u32) -> &[u8] {
        let s = self.bytes.get(off as usize..).unwrap_or(b"");
        &s[..memchr_nul(s)]
    }
}

fn memchr_nul(s: &[u8]) -> usize {
    s.iter().position(|&c| c == 0).unwrap_or(s.len())
}

/// [`GlobIndex`] of one object, from one pass over its non-static VARs/FUNCs and DATASECs.
fn glob_index(b: &Btf<'_>, ob: &ObjBtf, (syms, names): (&[crate::input::Symbol], &str)) -> GlobIndex {
    let non_static = &ob.non_static;
    let is_non_static = |v: &btf::Type<'_>| match v.kind() {
        Kind::VAR => v.var_linkage() != Linkage::STATIC,
        Kind::FUNC => v.func_linkage() != Linkage::STATIC,
        _ => false,
    };
    /// What a name resolves to: a variable of a DATASEC (id, DATASEC), one whose loose
    /// VAR/FUNC is another type (ambiguous: the DATASEC's id, the loose one's), or a loose
    /// VAR/FUNC alone.
    #[derive(Clone, Copy)]
    enum Found {
        InSec(u32, usize),
        Ambiguous(u32, u32),
        Loose(u32),
    }
    // One map: per name, the last non-static VAR/FUNC of that name (0: none) and what the
    // first non-static variable of a DATASEC of that name resolves to. (Sized up front:
    // growing a map rehashes it, for every object.)
    let vars = ob.datasec_vars.len();
    let mut by_name: HashMap<&str, (u32, Option<Found>)> =
        HashMap::with_capacity_and_hasher(vars + non_static.len(), Default::default());
    for &id in non_static {
        if let Some(t) = b.type_by_id(id) {
            by_name.entry(b.name_of(&t)).or_insert((0, None)).0 = id;
        }
    }
    for (di, (_, vars)) in ob.datasecs().enumerate() {
        for vi in vars {
            let Some(v) = b.type_by_id(vi.type_id) else { continue };
            if !is_non_static(&v) {
                continue;
            }
            let (l, found) = by_name.entry(b.name_of(&v)).or_insert((0, None));
            if found.is_some() {
                continue;
            }
            *found = Some(match *l {
                l if l != 0 && l != vi.type_id => Found::Ambiguous(vi.type_id, l),
                _ => Found::InSec(vi.type_id, di),
            });
        }
    }
    let mut g = GlobIndex { at: Vec::with_capacity(syms.len()), ambiguous: Vec::new() };
    for (si, s) in syms.iter().enumerate() {
        if s.is_local() {
            g.at.push((0, 0));
            continue;
        }
        let name = s.name_in(names);
        let found = by_name.get(name).and_then(|&(l, f)| f.or((l != 0).then_some(Found::Loose(l))));
        g.at.push(match found {
            None => (0, 0),
            Some(Found::InSec(id, d)) => (id, d as u32 + 1),
            Some(Found::Loose(id)) => (id, 0),
            Some(Found::Ambiguous(id, l)) => {
                g.ambiguous.push((si, format!("BTF of `{name}` is ambiguous: types [{l}] and [{id}]")));
                (u32::MAX, 0)
            }
        });
    }
    g
}
