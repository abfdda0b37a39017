//! Base BTF (e.g. vmlinux) and copying its types into the context's builder.

use super::types::BUILTIN_TYPEDEFS;
use super::{Context, TagInfo, TagKind};
use btf::{BtfBuilder, Kind, TypeData};
use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};

/// A base BTF whose types [`super::Context`] imports by name: an owned, indexed copy of a
/// BTF blob such as `/sys/kernel/btf/vmlinux`. Share it between contexts with `Rc`.
pub struct BaseBtf {
    types: BtfBuilder,
    names: HashMap<String, Vec<u32>>,
    enumerators: OnceCell<HashMap<String, i64>>,
}

impl BaseBtf {
    /// Parse and index a BTF blob (base BTF, not split).
    pub fn from_bytes(data: &[u8]) -> Result<BaseBtf, btf::Error> {
        let parsed = btf::Btf::parse(data)?;
        let types = BtfBuilder::from_btf(&parsed);
        let mut names: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, t) in types.types().iter().enumerate() {
            if t.name_off == 0 {
                continue;
            }
            if let Some(n) = types.str_at(t.name_off) {
                names.entry(n.to_string()).or_default().push(types.start_id() + i as u32);
            }
        }
        Ok(BaseBtf { types, names, enumerators: OnceCell::new() })
    }

    /// Read and index a BTF file.
    pub fn from_file(path: impl AsRef<std::path::Path>) -> std::io::Result<BaseBtf> {
        let data = std::fs::read(path)?;
        Self::from_bytes(&data).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{e:?}")))
    }

    /// The type with this id.
    pub fn get(&self, id: u32) -> Option<&btf::TypeDef> {
        self.types.get(id)
    }

    /// The name of a type.
    pub fn name(&self, id: u32) -> &str {
        self.get(id).and_then(|t| self.types.str_at(t.name_off)).unwrap_or("")
    }

    /// The first type named `name` whose kind is one of `kinds` (earlier kinds preferred).
    pub fn find(&self, name: &str, kinds: &[Kind]) -> Option<u32> {
        let ids = self.names.get(name)?;
        kinds.iter().find_map(|k| ids.iter().copied().find(|&id| self.get(id).is_some_and(|t| t.kind() == *k)))
    }

    /// The value of an enumerator of any enum in the base.
    pub fn enumerator(&self, name: &str) -> Option<i64> {
        let map = self.enumerators.get_or_init(|| {
            let mut m = HashMap::new();
            for t in self.types.types() {
                let (values, signed32) = match &t.data {
                    TypeData::Enum { values, .. } => (values, t.kind_flag),
                    TypeData::Enum64 { values, .. } => (values, false),
                    _ => continue,
                };
                for v in values {
                    if let Some(n) = self.types.str_at(v.name_off) {
                        let val = if signed32 { v.val as u32 as i32 as i64 } else { v.val as i64 };
                        m.entry(n.to_string()).or_insert(val);
                    }
                }
            }
            m
        });
        map.get(name).copied()
    }

    /// All names of types of the given kinds (for "did you mean" hints).
    pub(crate) fn names_of_kind<'a>(&'a self, kinds: &'a [Kind]) -> impl Iterator<Item = &'a str> + 'a {
        self.names.iter().filter_map(move |(n, ids)| {
            ids.iter().any(|&id| self.get(id).is_some_and(|t| kinds.contains(&t.kind()))).then_some(n.as_str())
        })
    }
}

impl Context {
    /// Find a tag in the base and import it. `None` if the base has no such tag.
    pub(crate) fn import_tag(&mut self, kind: TagKind, name: &str) -> Option<u32> {
        let base = self.base.clone()?;
        let kinds: &[Kind] = match kind {
            TagKind::Struct => &[Kind::STRUCT, Kind::FWD],
            TagKind::Union => &[Kind::UNION, Kind::FWD],
            TagKind::Enum => &[Kind::ENUM, Kind::ENUM64],
        };
        let bid = base.find(name, kinds)?;
        if base.get(bid).is_some_and(|t| t.kind() == Kind::FWD && t.kind_flag != (kind == TagKind::Union)) {
            return None;
        }
        let id = self.import(bid);
        Some(id)
    }

    /// Find a typedef in the base and import it.
    pub(crate) fn import_typedef(&mut self, name: &str) -> Option<u32> {
        let base = self.base.clone()?;
        let bid = base.find(name, &[Kind::TYPEDEF])?;
        Some(self.import(bid))
    }

    /// Whether the base has a typedef of this name.
    pub(crate) fn base_has_typedef(&self, name: &str) -> bool {
        self.base.as_ref().is_some_and(|b| b.find(name, &[Kind::TYPEDEF]).is_some())
    }

    /// Copy base type `bid` and everything it references into the builder; returns the local
    /// id. Base integers and floats map onto the local ones of the same name; base typedefs
    /// that are builtin typedefs here (with the same size) map onto those.
    pub(crate) fn import(&mut self, bid: u32) -> u32 {
        if bid == 0 {
            return 0;
        }
        if let Some(&id) = self.imported.get(&bid) {
            return id;
        }
        let Some(base) = self.base.clone() else { return 0 };
        // Phase 1: the closure of types not yet imported, in discovery order.
        let mut order = Vec::new();
        let mut seen = HashSet::new();
        let mut stack = vec![bid];
        while let Some(id) = stack.pop() {
            if id == 0 || self.imported.contains_key(&id) || !seen.insert(id) {
                continue;
            }
            let Some(t) = base.get(id) else { continue };
            let name = base.name(id);
            if let Some(local) = self.unify(&base, id, name) {
                self.imported.insert(id, local);
                continue;
            }
            order.push(id);
            let mut refs = t.data.refs();
            refs.reverse();
            stack.extend(refs);
        }
        // Phase 2: allocate ids, then fill them in with references remapped.
        let first = self.b.next_id();
        for (i, &id) in order.iter().enumerate() {
            self.imported.insert(id, first + i as u32);
        }
        for &id in &order {
            let Some(t) = base.get(id) else { continue };
            let mut t = t.clone();
            t.name_off = self.b.add_str(base.name(id));
            t.data.for_each_ref_mut(|r| *r = if *r == 0 { 0 } else { self.imported.get(r).copied().unwrap_or(0) });
            let restr = |b: &mut BtfBuilder, off: &mut u32| {
                let s = base.types.str_at(*off).unwrap_or("").to_string();
                *off = b.add_str(&s);
            };
            match &mut t.data {
                TypeData::Struct { members, .. } | TypeData::Union { members, .. } => {
                    members.iter_mut().for_each(|m| restr(&mut self.b, &mut m.name_off))
                }
                TypeData::Enum { values, .. } | TypeData::Enum64 { values, .. } => {
                    values.iter_mut().for_each(|v| restr(&mut self.b, &mut v.name_off))
                }
                TypeData::FuncProto { params, .. } => {
                    params.iter_mut().for_each(|p| restr(&mut self.b, &mut p.name_off))
                }
                _ => {}
            }
            let kind = t.kind();
            let name = base.name(id).to_string();
            let local = self.b.add_type(t);
            // Named tags and typedefs become visible by name (local declarations still win).
            if !name.is_empty() {
                let tk = match kind {
                    Kind::STRUCT => Some(TagKind::Struct),
                    Kind::UNION => Some(TagKind::Union),
                    Kind::ENUM | Kind::ENUM64 => Some(TagKind::Enum),
                    _ => None,
                };
                if let Some(tk) = tk {
                    self.tags.entry(name).or_insert(TagInfo { kind: tk, id: local, complete: true, imported: true });
                }
            }
        }
        self.imported.get(&bid).copied().unwrap_or(0)
    }

    /// A local type standing for base type `id`, when one exists by name.
    fn unify(&mut self, base: &BaseBtf, id: u32, name: &str) -> Option<u32> {
        let t = base.get(id)?;
        match &t.data {
            TypeData::Int { size, info } => {
                let &(n, s, e) = super::types::BASE_TYPES.iter().find(|e| e.0 == name)?;
                (s == *size && e == Some(info.encoding) && info.offset == 0 && info.bits as u32 == s * 8)
                    .then(|| self.base_type(n))
            }
            TypeData::Float { size } => {
                let &(n, s, e) = super::types::BASE_TYPES.iter().find(|e| e.0 == name)?;
                (s == *size && e.is_none()).then(|| self.base_type(n))
            }
            TypeData::Typedef { type_id } => {
                BUILTIN_TYPEDEFS.iter().find(|e| e.0 == name)?;
                // Same meaning: the base typedef resolves to an integer of the same size.
                let mut target = *type_id;
                for _ in 0..16 {
                    match base.get(target).map(|t| &t.data) {
                        Some(TypeData::Typedef { type_id }) => target = *type_id,
                        _ => break,
                    }
                }
                let bt = base.get(target)?;
                let TypeData::Int { size, info } = &bt.data else { return None };
                let local = self.builtin_typedef(name)?;
                let lt = self.strip(local);
                match self.b.get(lt).map(|t| &t.data) {
                    Some(TypeData::Int { size: ls, info: li }) if ls == size && li.encoding == info.encoding => {
                        Some(local)
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }
}
