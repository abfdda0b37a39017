//! Owned type definitions, the builder and the writer.

use crate::read::{ArrayInfo, Btf, EnumValue, IntInfo, Param, VarSecInfo};
use crate::{Endian, IntEncoding, Kind, Linkage};

/// A member as given to the builder. `bitfield_size` 0 means "not a bitfield".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MemberDef {
    pub name_off: u32,
    pub type_id: u32,
    pub bit_offset: u32,
    pub bitfield_size: u32,
}

/// The kind-specific part of an owned type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TypeData {
    Int {
        size: u32,
        info: IntInfo,
    },
    Ptr {
        type_id: u32,
    },
    Array(ArrayInfo),
    Struct {
        size: u32,
        members: Vec<MemberDef>,
    },
    Union {
        size: u32,
        members: Vec<MemberDef>,
    },
    /// `kind_flag` set means signed.
    Enum {
        size: u32,
        values: Vec<EnumValue>,
    },
    /// `kind_flag` set means union.
    Fwd,
    Typedef {
        type_id: u32,
    },
    Volatile {
        type_id: u32,
    },
    Const {
        type_id: u32,
    },
    Restrict {
        type_id: u32,
    },
    Func {
        proto: u32,
        linkage: Linkage,
    },
    FuncProto {
        ret: u32,
        params: Vec<Param>,
    },
    Var {
        type_id: u32,
        linkage: Linkage,
    },
    Datasec {
        size: u32,
        vars: Vec<VarSecInfo>,
    },
    Float {
        size: u32,
    },
    DeclTag {
        type_id: u32,
        component_idx: i32,
    },
    TypeTag {
        type_id: u32,
    },
    /// `kind_flag` set means signed.
    Enum64 {
        size: u32,
        values: Vec<EnumValue>,
    },
}

/// An owned type: name offset, kind_flag and kind-specific data.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TypeDef {
    pub name_off: u32,
    pub kind_flag: bool,
    pub data: TypeData,
}

impl TypeData {
    pub fn kind(&self) -> Kind {
        match self {
            TypeData::Int { .. } => Kind::INT,
            TypeData::Ptr { .. } => Kind::PTR,
            TypeData::Array(_) => Kind::ARRAY,
            TypeData::Struct { .. } => Kind::STRUCT,
            TypeData::Union { .. } => Kind::UNION,
            TypeData::Enum { .. } => Kind::ENUM,
            TypeData::Fwd => Kind::FWD,
            TypeData::Typedef { .. } => Kind::TYPEDEF,
            TypeData::Volatile { .. } => Kind::VOLATILE,
            TypeData::Const { .. } => Kind::CONST,
            TypeData::Restrict { .. } => Kind::RESTRICT,
            TypeData::Func { .. } => Kind::FUNC,
            TypeData::FuncProto { .. } => Kind::FUNC_PROTO,
            TypeData::Var { .. } => Kind::VAR,
            TypeData::Datasec { .. } => Kind::DATASEC,
            TypeData::Float { .. } => Kind::FLOAT,
            TypeData::DeclTag { .. } => Kind::DECL_TAG,
            TypeData::TypeTag { .. } => Kind::TYPE_TAG,
            TypeData::Enum64 { .. } => Kind::ENUM64,
        }
    }

    /// Every type id this type refers to, mutably (for remapping).
    /// Visit every string offset inside the data (member, parameter and enumerator names; the
    /// type's own name is [`TypeDef::name_off`]). For moving types between string tables.
    pub fn for_each_str_mut(&mut self, mut f: impl FnMut(&mut u32)) {
        match self {
            TypeData::Struct { members, .. } | TypeData::Union { members, .. } => {
                members.iter_mut().for_each(|m| f(&mut m.name_off))
            }
            TypeData::Enum { values, .. } | TypeData::Enum64 { values, .. } => {
                values.iter_mut().for_each(|v| f(&mut v.name_off))
            }
            TypeData::FuncProto { params, .. } => params.iter_mut().for_each(|p| f(&mut p.name_off)),
            _ => {}
        }
    }

    pub fn for_each_ref_mut(&mut self, mut f: impl FnMut(&mut u32)) {
        match self {
            TypeData::Int { .. } | TypeData::Fwd | TypeData::Float { .. } => {}
            TypeData::Enum { .. } | TypeData::Enum64 { .. } => {}
            TypeData::Ptr { type_id }
            | TypeData::Typedef { type_id }
            | TypeData::Volatile { type_id }
            | TypeData::Const { type_id }
            | TypeData::Restrict { type_id }
            | TypeData::Var { type_id, .. }
            | TypeData::DeclTag { type_id, .. }
            | TypeData::TypeTag { type_id } => f(type_id),
            TypeData::Func { proto, .. } => f(proto),
            TypeData::Array(a) => {
                f(&mut a.elem_type);
                f(&mut a.index_type);
            }
            TypeData::Struct { members, .. } | TypeData::Union { members, .. } => {
                members.iter_mut().for_each(|m| f(&mut m.type_id))
            }
            TypeData::FuncProto { ret, params } => {
                f(ret);
                params.iter_mut().for_each(|p| f(&mut p.type_id));
            }
            TypeData::Datasec { vars, .. } => vars.iter_mut().for_each(|v| f(&mut v.type_id)),
        }
    }

    /// Every type id this type refers to.
    pub fn refs(&self) -> Vec<u32> {
        let mut v = Vec::new();
        self.clone().for_each_ref_mut(|r| v.push(*r));
        v
    }
}

impl TypeDef {
    pub fn kind(&self) -> Kind {
        self.data.kind()
    }

    /// Decode a borrowed type into an owned one.
    pub fn from_type(t: &crate::Type<'_>) -> Option<TypeDef> {
        let kf = t.kind_flag();
        let data = match t.kind() {
            Kind::INT => TypeData::Int { size: t.size(), info: t.int() },
            Kind::PTR => TypeData::Ptr { type_id: t.type_id() },
            Kind::ARRAY => TypeData::Array(t.array()),
            Kind::STRUCT | Kind::UNION => {
                let members = t
                    .members()
                    .map(|m| MemberDef {
                        name_off: m.name_off,
                        type_id: m.type_id,
                        bit_offset: m.bit_offset,
                        bitfield_size: m.bitfield_size,
                    })
                    .collect();
                if t.kind() == Kind::STRUCT {
                    TypeData::Struct { size: t.size(), members }
                } else {
                    TypeData::Union { size: t.size(), members }
                }
            }
            Kind::ENUM => TypeData::Enum { size: t.size(), values: t.enum_values().collect() },
            Kind::ENUM64 => TypeData::Enum64 { size: t.size(), values: t.enum_values().collect() },
            Kind::FWD => TypeData::Fwd,
            Kind::TYPEDEF => TypeData::Typedef { type_id: t.type_id() },
            Kind::VOLATILE => TypeData::Volatile { type_id: t.type_id() },
            Kind::CONST => TypeData::Const { type_id: t.type_id() },
            Kind::RESTRICT => TypeData::Restrict { type_id: t.type_id() },
            Kind::FUNC => TypeData::Func { proto: t.type_id(), linkage: t.func_linkage() },
            Kind::FUNC_PROTO => TypeData::FuncProto { ret: t.type_id(), params: t.params().collect() },
            Kind::VAR => TypeData::Var { type_id: t.type_id(), linkage: t.var_linkage() },
            Kind::DATASEC => TypeData::Datasec { size: t.size(), vars: t.datasec_vars().collect() },
            Kind::FLOAT => TypeData::Float { size: t.size() },
            Kind::DECL_TAG => TypeData::DeclTag { type_id: t.type_id(), component_idx: t.decl_tag_component() },
            Kind::TYPE_TAG => TypeData::TypeTag { type_id: t.type_id() },
            _ => return None,
        };
        Some(TypeDef { name_off: t.name_off(), kind_flag: kf, data })
    }

    fn vlen(&self) -> u32 {
        match &self.data {
            TypeData::Struct { members, .. } | TypeData::Union { members, .. } => members.len() as u32,
            TypeData::Enum { values, .. } | TypeData::Enum64 { values, .. } => values.len() as u32,
            TypeData::FuncProto { params, .. } => params.len() as u32,
            TypeData::Datasec { vars, .. } => vars.len() as u32,
            TypeData::Func { linkage, .. } => linkage.0,
            _ => 0,
        }
    }

    /// Append this type's record to `out`.
    pub fn encode(&self, e: Endian, out: &mut Vec<u8>) {
        let w = |out: &mut Vec<u8>, v: u32| match e {
            Endian::Little => out.extend_from_slice(&v.to_le_bytes()),
            Endian::Big => out.extend_from_slice(&v.to_be_bytes()),
        };
        let info = (self.kind_flag as u32) << 31 | (self.kind().0 as u32) << 24 | (self.vlen() & 0xffff);
        w(out, self.name_off);
        w(out, info);
        let kf = self.kind_flag;
        match &self.data {
            TypeData::Int { size, info } => {
                w(out, *size);
                w(out, info.raw);
            }
            TypeData::Ptr { type_id }
            | TypeData::Typedef { type_id }
            | TypeData::Volatile { type_id }
            | TypeData::Const { type_id }
            | TypeData::Restrict { type_id }
            | TypeData::TypeTag { type_id } => w(out, *type_id),
            TypeData::Array(a) => {
                w(out, 0);
                w(out, a.elem_type);
                w(out, a.index_type);
                w(out, a.nelems);
            }
            TypeData::Struct { size, members } | TypeData::Union { size, members } => {
                w(out, *size);
                for m in members {
                    w(out, m.name_off);
                    w(out, m.type_id);
                    let off = if kf { m.bitfield_size << 24 | (m.bit_offset & 0xff_ffff) } else { m.bit_offset };
                    w(out, off);
                }
            }
            TypeData::Enum { size, values } => {
                w(out, *size);
                for v in values {
                    w(out, v.name_off);
                    w(out, v.val as u32);
                }
            }
            TypeData::Enum64 { size, values } => {
                w(out, *size);
                for v in values {
                    w(out, v.name_off);
                    w(out, v.val as u32);
                    w(out, (v.val >> 32) as u32);
                }
            }
            TypeData::Fwd => w(out, 0),
            TypeData::Func { proto, .. } => w(out, *proto),
            TypeData::FuncProto { ret, params } => {
                w(out, *ret);
                for p in params {
                    w(out, p.name_off);
                    w(out, p.type_id);
                }
            }
            TypeData::Var { type_id, linkage } => {
                w(out, *type_id);
                w(out, linkage.0);
            }
            TypeData::Datasec { size, vars } => {
                w(out, *size);
                for v in vars {
                    w(out, v.type_id);
                    w(out, v.offset);
                    w(out, v.size);
                }
            }
            TypeData::Float { size } => w(out, *size),
            TypeData::DeclTag { type_id, component_idx } => {
                w(out, *type_id);
                w(out, *component_idx as u32);
            }
        }
    }
}

/// Builds BTF from strings and types, then writes it in either byte order.
///
/// ```
/// use btf::{BtfBuilder, Endian, IntEncoding};
/// let mut b = BtfBuilder::new();
/// let int = b.add_int("int", 4, IntEncoding::SIGNED);
/// let ptr = b.add_ptr(int);
/// b.add_struct("pair", 16, &[("a", int, 0), ("p", ptr, 64)]);
/// let bytes = b.to_bytes(Endian::Little);
/// let btf = btf::Btf::parse(&bytes).unwrap();
/// assert_eq!(btf.type_count(), 4);
/// ```
#[derive(Clone, Debug)]
pub struct BtfBuilder {
    strings: Vec<u8>,
    str_map: Option<crate::hash::StrIndex>,
    types: Vec<TypeDef>,
    start_id: u32,
    start_str: u32,
}

impl Default for BtfBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl BtfBuilder {
    /// An empty builder for base BTF (string section starts with "").
    pub fn new() -> Self {
        BtfBuilder { strings: vec![0], str_map: None, types: Vec::new(), start_id: 1, start_str: 0 }
    }

    /// An empty builder for split BTF over `base`: ids and string offsets continue the base's.
    pub fn new_split(base: &Btf<'_>) -> Self {
        BtfBuilder {
            strings: vec![0],
            str_map: None,
            types: Vec::new(),
            start_id: base.type_count(),
            start_str: base.start_str_off() + base.string_section().len() as u32,
        }
    }

    /// A builder holding exactly the strings and types of `btf` (split stays split).
    /// Writing it back gives the same bytes for any input with a 24-byte header and the
    /// type section before the string section.
    pub fn from_btf(btf: &Btf<'_>) -> Self {
        BtfBuilder {
            strings: btf.string_section().to_vec(),
            str_map: None,
            types: btf.types().filter_map(|t| TypeDef::from_type(&t)).collect(),
            start_id: btf.start_id(),
            start_str: btf.start_str_off(),
        }
    }

    /// Build from parts (for dedup and other transformations).
    pub fn from_parts(strings: Vec<u8>, types: Vec<TypeDef>) -> Self {
        BtfBuilder { strings, str_map: None, types, start_id: 1, start_str: 0 }
    }

    pub fn start_id(&self) -> u32 {
        self.start_id
    }
    /// The id the next added type will get.
    pub fn next_id(&self) -> u32 {
        self.start_id + self.types.len() as u32
    }
    pub fn types(&self) -> &[TypeDef] {
        &self.types
    }
    pub fn types_mut(&mut self) -> &mut Vec<TypeDef> {
        &mut self.types
    }
    pub fn strings(&self) -> &[u8] {
        &self.strings
    }
    /// The type with this id, if it was added to this builder.
    pub fn get(&self, id: u32) -> Option<&TypeDef> {
        self.types.get(id.checked_sub(self.start_id)? as usize)
    }
    pub fn get_mut(&mut self, id: u32) -> Option<&mut TypeDef> {
        self.types.get_mut(id.checked_sub(self.start_id)? as usize)
    }
    /// The string at a local offset.
    pub fn str_at(&self, off: u32) -> Option<&str> {
        let s = self.strings.get(off.checked_sub(self.start_str)? as usize..)?;
        let n = s.iter().position(|&c| c == 0)?;
        core::str::from_utf8(&s[..n]).ok()
    }

    /// Add a string (deduplicated) and return its offset. "" is offset 0 in base BTF.
    pub fn add_str(&mut self, s: &str) -> u32 {
        self.add_str_bytes(s.as_bytes())
    }

    /// Add a string given as bytes (must not contain NUL).
    pub fn add_str_bytes(&mut self, s: &[u8]) -> u32 {
        if s.is_empty() {
            // Offset 0 always reads as "" (in split BTF it resolves in the base).
            return 0;
        }
        let strings = &mut self.strings;
        let map = self.str_map.get_or_insert_with(|| crate::hash::StrIndex::build(strings));
        self.start_str + map.intern(strings, s)
    }

    /// Add a type; returns its id.
    pub fn add_type(&mut self, t: TypeDef) -> u32 {
        let id = self.next_id();
        self.types.push(t);
        id
    }

    fn add(&mut self, name: &str, kind_flag: bool, data: TypeData) -> u32 {
        let name_off = self.add_str(name);
        self.add_type(TypeDef { name_off, kind_flag, data })
    }

    /// INT of `size` bytes using all its bits.
    pub fn add_int(&mut self, name: &str, size: u32, encoding: IntEncoding) -> u32 {
        self.add_int_bits(name, size, encoding, 0, (size * 8).min(255) as u8)
    }
    /// INT with explicit bit offset and bit count.
    pub fn add_int_bits(&mut self, name: &str, size: u32, encoding: IntEncoding, offset: u8, bits: u8) -> u32 {
        let raw = (encoding.0 as u32) << 24 | (offset as u32) << 16 | bits as u32;
        self.add(name, false, TypeData::Int { size, info: IntInfo::from_raw(raw) })
    }
    pub fn add_float(&mut self, name: &str, size: u32) -> u32 {
        self.add(name, false, TypeData::Float { size })
    }
    pub fn add_ptr(&mut self, type_id: u32) -> u32 {
        self.add("", false, TypeData::Ptr { type_id })
    }
    pub fn add_const(&mut self, type_id: u32) -> u32 {
        self.add("", false, TypeData::Const { type_id })
    }
    pub fn add_volatile(&mut self, type_id: u32) -> u32 {
        self.add("", false, TypeData::Volatile { type_id })
    }
    pub fn add_restrict(&mut self, type_id: u32) -> u32 {
        self.add("", false, TypeData::Restrict { type_id })
    }
    pub fn add_typedef(&mut self, name: &str, type_id: u32) -> u32 {
        self.add(name, false, TypeData::Typedef { type_id })
    }
    pub fn add_type_tag(&mut self, tag: &str, type_id: u32) -> u32 {
        self.add(tag, false, TypeData::TypeTag { type_id })
    }
    /// DECL_TAG on a type (`component_idx` -1) or on a member/parameter.
    pub fn add_decl_tag(&mut self, tag: &str, type_id: u32, component_idx: i32) -> u32 {
        self.add(tag, false, TypeData::DeclTag { type_id, component_idx })
    }
    pub fn add_array(&mut self, elem_type: u32, index_type: u32, nelems: u32) -> u32 {
        self.add("", false, TypeData::Array(ArrayInfo { elem_type, index_type, nelems }))
    }
    fn members(&mut self, members: &[(&str, u32, u32)]) -> Vec<MemberDef> {
        members
            .iter()
            .map(|&(n, t, off)| MemberDef { name_off: self.add_str(n), type_id: t, bit_offset: off, bitfield_size: 0 })
            .collect()
    }
    /// STRUCT with `(name, type, bit offset)` members.
    pub fn add_struct(&mut self, name: &str, size: u32, members: &[(&str, u32, u32)]) -> u32 {
        let members = self.members(members);
        self.add(name, false, TypeData::Struct { size, members })
    }
    /// UNION with `(name, type, bit offset)` members.
    pub fn add_union(&mut self, name: &str, size: u32, members: &[(&str, u32, u32)]) -> u32 {
        let members = self.members(members);
        self.add(name, false, TypeData::Union { size, members })
    }
    /// STRUCT or UNION with full member definitions (kind_flag set iff any bitfield).
    pub fn add_composite(&mut self, union: bool, name: &str, size: u32, members: Vec<MemberDef>) -> u32 {
        let kf = members.iter().any(|m| m.bitfield_size != 0);
        let data = if union { TypeData::Union { size, members } } else { TypeData::Struct { size, members } };
        self.add(name, kf, data)
    }
    /// A member definition (name interned).
    pub fn member(&mut self, name: &str, type_id: u32, bit_offset: u32, bitfield_size: u32) -> MemberDef {
        MemberDef { name_off: self.add_str(name), type_id, bit_offset, bitfield_size }
    }
    /// ENUM (size 4 unless given) with `(name, value)` pairs.
    pub fn add_enum(&mut self, name: &str, size: u32, signed: bool, values: &[(&str, i64)]) -> u32 {
        let values =
            values.iter().map(|&(n, v)| EnumValue { name_off: self.add_str(n), val: v as u32 as u64 }).collect();
        self.add(name, signed, TypeData::Enum { size, values })
    }
    pub fn add_enum64(&mut self, name: &str, size: u32, signed: bool, values: &[(&str, i64)]) -> u32 {
        let values = values.iter().map(|&(n, v)| EnumValue { name_off: self.add_str(n), val: v as u64 }).collect();
        self.add(name, signed, TypeData::Enum64 { size, values })
    }
    /// Forward declaration of a struct (or union).
    pub fn add_fwd(&mut self, name: &str, union: bool) -> u32 {
        self.add(name, union, TypeData::Fwd)
    }
    /// FUNC_PROTO with `(name, type)` parameters.
    pub fn add_func_proto(&mut self, ret: u32, params: &[(&str, u32)]) -> u32 {
        let params = params.iter().map(|&(n, t)| Param { name_off: self.add_str(n), type_id: t }).collect();
        self.add("", false, TypeData::FuncProto { ret, params })
    }
    pub fn add_func(&mut self, name: &str, proto: u32, linkage: Linkage) -> u32 {
        self.add(name, false, TypeData::Func { proto, linkage })
    }
    pub fn add_var(&mut self, name: &str, type_id: u32, linkage: Linkage) -> u32 {
        self.add(name, false, TypeData::Var { type_id, linkage })
    }
    /// DATASEC with `(var id, offset, size)` entries.
    pub fn add_datasec(&mut self, name: &str, size: u32, vars: &[(u32, u32, u32)]) -> u32 {
        let vars = vars.iter().map(|&(type_id, offset, size)| VarSecInfo { type_id, offset, size }).collect();
        self.add(name, false, TypeData::Datasec { size, vars })
    }

    /// The type section bytes.
    pub fn type_bytes(&self, e: Endian) -> Vec<u8> {
        let mut out = Vec::new();
        for t in &self.types {
            t.encode(e, &mut out);
        }
        out
    }

    /// Write `btf_header`, types and strings.
    pub fn to_bytes(&self, e: Endian) -> Vec<u8> {
        let types = self.type_bytes(e);
        let mut out = Vec::with_capacity(24 + types.len() + self.strings.len());
        out.extend_from_slice(&header(e, types.len(), self.strings.len()));
        out.extend_from_slice(&types);
        out.extend_from_slice(&self.strings);
        out
    }
}

/// The 24-byte `.BTF` header (magic, version 1, no flags) for a type section of `types` bytes
/// followed by a string section of `strings` bytes, in byte order `e`.
pub(crate) fn header(e: Endian, types: usize, strings: usize) -> [u8; 24] {
    let mut h = [0u8; 24];
    let w = |v: u32| match e {
        Endian::Little => v.to_le_bytes(),
        Endian::Big => v.to_be_bytes(),
    };
    h[..2].copy_from_slice(&match e {
        Endian::Little => crate::read::MAGIC.to_le_bytes(),
        Endian::Big => crate::read::MAGIC.to_be_bytes(),
    });
    h[2] = 1;
    for (i, v) in [24u32, 0, types as u32, types as u32, strings as u32].into_iter().enumerate() {
        h[4 + 4 * i..8 + 4 * i].copy_from_slice(&w(v));
    }
    h
}
