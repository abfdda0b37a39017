//! DWARF -> BTF (like `pahole -J`), with gimli.
//!
//! Reads the DWARF of an ELF object, shared library or executable (DWARF 4 or 5, clang or
//! gcc; relocations of relocatable objects are applied), converts every type reachable from
//! the units and every function with code, then deduplicates the result.
//!
//! Differences from pahole 1.24: `_Atomic T` becomes `T` (pahole drops the type, which the
//! kernel rejects); no VAR/DATASEC are emitted.

use crate::build::{MemberDef, TypeData, TypeDef};
use crate::hash::FxHashMap as HashMap;
use crate::read::{ArrayInfo, EnumValue, IntInfo, Param};
use crate::{BtfBuilder, IntEncoding, Linkage};
use gimli::{AttributeValue, Reader, UnitOffset};
use object::{Object, ObjectSection};
use std::borrow::Cow;

/// Why a conversion failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DwarfError {
    /// The file is not a readable object file.
    Object(String),
    /// The DWARF is malformed.
    Dwarf(String),
    /// The file has no `.debug_info`.
    NoDebugInfo,
    /// Deduplication of the result failed.
    Dedup(crate::dedup::DedupError),
}

impl core::fmt::Display for DwarfError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            DwarfError::Object(e) => write!(f, "bad object file: {e}"),
            DwarfError::Dwarf(e) => write!(f, "bad DWARF: {e}"),
            DwarfError::NoDebugInfo => f.write_str("no DWARF debug info (.debug_info)"),
            DwarfError::Dedup(e) => write!(f, "dedup: {e}"),
        }
    }
}

impl std::error::Error for DwarfError {}

impl From<gimli::Error> for DwarfError {
    fn from(e: gimli::Error) -> Self {
        DwarfError::Dwarf(e.to_string())
    }
}

#[derive(Debug, Clone, Copy)]
struct Reloc<'a>(&'a object::read::RelocationMap);

impl gimli::read::Relocate for Reloc<'_> {
    fn relocate_address(&self, offset: usize, value: u64) -> gimli::Result<u64> {
        Ok(self.0.relocate(offset as u64, value))
    }
    fn relocate_offset(&self, offset: usize, value: usize) -> gimli::Result<usize> {
        <usize as gimli::ReaderOffset>::from_u64(self.0.relocate(offset as u64, value as u64))
    }
}

type R<'a> = gimli::RelocateReader<gimli::EndianSlice<'a, gimli::RunTimeEndian>, Reloc<'a>>;

/// Longest chain of transparent DIEs (`_Atomic`, ...) followed.
const MAX_CHAIN: usize = 16;

/// Convert the DWARF of an ELF file to deduplicated BTF.
pub fn btf_from_dwarf(data: &[u8]) -> Result<BtfBuilder, DwarfError> {
    let file = object::File::parse(data).map_err(|e| DwarfError::Object(e.to_string()))?;
    if file.section_by_name(".debug_info").is_none() {
        return Err(DwarfError::NoDebugInfo);
    }
    let endian = if file.is_little_endian() { gimli::RunTimeEndian::Little } else { gimli::RunTimeEndian::Big };
    let empty = object::read::RelocationMap::default();
    let mut store: HashMap<gimli::SectionId, (Cow<'_, [u8]>, object::read::RelocationMap)> = HashMap::default();
    for id in [
        gimli::SectionId::DebugAbbrev,
        gimli::SectionId::DebugAddr,
        gimli::SectionId::DebugInfo,
        gimli::SectionId::DebugLine,
        gimli::SectionId::DebugLineStr,
        gimli::SectionId::DebugStr,
        gimli::SectionId::DebugStrOffsets,
        gimli::SectionId::DebugRanges,
        gimli::SectionId::DebugRngLists,
    ] {
        if let Some(s) = file.section_by_name(id.name()) {
            let d = s.uncompressed_data().map_err(|e| DwarfError::Object(e.to_string()))?;
            let r = s.relocation_map().map_err(|e| DwarfError::Object(e.to_string()))?;
            store.insert(id, (d, r));
        }
    }
    let dwarf = gimli::Dwarf::load(|id| -> Result<R<'_>, gimli::Error> {
        let (d, r): (&[u8], &object::read::RelocationMap) = match store.get(&id) {
            Some((d, r)) => (d, r),
            None => (&[], &empty),
        };
        Ok(gimli::RelocateReader::new(gimli::EndianSlice::new(d, endian), Reloc(r)))
    })?;
    let mut units = Vec::new();
    let mut headers = dwarf.units();
    while let Some(h) = headers.next()? {
        units.push(dwarf.unit(h)?);
    }
    let mut c = Conv {
        dwarf: &dwarf,
        units: &units,
        b: BtfBuilder::new(),
        memo: HashMap::default(),
        work: Vec::new(),
        index_type: None,
    };
    for u in 0..units.len() {
        c.functions(u)?;
        c.drain()?;
    }
    let mut b = c.b;
    crate::dedup::dedup(&mut b).map_err(DwarfError::Dedup)?;
    Ok(b)
}

struct Conv<'d, 'a> {
    dwarf: &'d gimli::Dwarf<R<'a>>,
    units: &'d [gimli::Unit<R<'a>>],
    b: BtfBuilder,
    memo: HashMap<(usize, usize), u32>,
    work: Vec<(usize, UnitOffset, u32)>,
    index_type: Option<u32>,
}

fn udata(v: Option<AttributeValue<R<'_>>>) -> Option<u64> {
    v.and_then(|v| v.udata_value())
}

impl<'d, 'a> Conv<'d, 'a> {
    fn name(&self, u: usize, e: &gimli::DebuggingInformationEntry<R<'a>>) -> Result<String, DwarfError> {
        match e.attr_value(gimli::DW_AT_name) {
            Some(v) => {
                let s = self.dwarf.attr_string(&self.units[u], v)?;
                Ok(s.to_string_lossy()?.into_owned())
            }
            None => Ok(String::new()),
        }
    }

    /// The unit offset a DW_AT_type (or other reference) attribute points to.
    fn target(&self, u: usize, v: Option<AttributeValue<R<'a>>>) -> Option<UnitOffset> {
        match v? {
            AttributeValue::UnitRef(o) => Some(o),
            AttributeValue::DebugInfoRef(o) => o.to_unit_offset(&self.units[u].header),
            _ => None,
        }
    }

    fn type_attr(&mut self, u: usize, e: &gimli::DebuggingInformationEntry<R<'a>>) -> Result<u32, DwarfError> {
        match self.target(u, e.attr_value(gimli::DW_AT_type)) {
            Some(o) => self.id_of(u, o),
            None => Ok(0),
        }
    }

    /// The BTF id for the type DIE at `off` (reserved now, converted by `drain`).
    fn id_of(&mut self, u: usize, off: UnitOffset) -> Result<u32, DwarfError> {
        let mut off = off;
        for _ in 0..MAX_CHAIN {
            if let Some(&id) = self.memo.get(&(u, off.0)) {
                return Ok(id);
            }
            let e = self.units[u].entry(off)?;
            match e.tag() {
                gimli::DW_TAG_atomic_type | gimli::DW_TAG_immutable_type => {
                    match self.target(u, e.attr_value(gimli::DW_AT_type)) {
                        Some(t) => off = t,
                        None => return Ok(0),
                    }
                }
                gimli::DW_TAG_base_type
                | gimli::DW_TAG_pointer_type
                | gimli::DW_TAG_reference_type
                | gimli::DW_TAG_rvalue_reference_type
                | gimli::DW_TAG_ptr_to_member_type
                | gimli::DW_TAG_const_type
                | gimli::DW_TAG_volatile_type
                | gimli::DW_TAG_restrict_type
                | gimli::DW_TAG_typedef
                | gimli::DW_TAG_structure_type
                | gimli::DW_TAG_class_type
                | gimli::DW_TAG_union_type
                | gimli::DW_TAG_enumeration_type
                | gimli::DW_TAG_array_type
                | gimli::DW_TAG_subroutine_type => {
                    let id = self.b.add_type(TypeDef { name_off: 0, kind_flag: false, data: TypeData::Fwd });
                    self.memo.insert((u, off.0), id);
                    self.work.push((u, off, id));
                    return Ok(id);
                }
                _ => return Ok(0),
            }
        }
        Ok(0)
    }

    fn drain(&mut self) -> Result<(), DwarfError> {
        while let Some((u, off, id)) = self.work.pop() {
            let def = self.convert(u, off)?;
            *self.b.get_mut(id).expect("reserved id") = def;
        }
        Ok(())
    }

    fn array_index(&mut self) -> u32 {
        if let Some(i) = self.index_type {
            return i;
        }
        let i = self.b.add_int("__ARRAY_SIZE_TYPE__", 4, IntEncoding::NONE);
        self.index_type = Some(i);
        i
    }

    fn convert(&mut self, u: usize, off: UnitOffset) -> Result<TypeDef, DwarfError> {
        let unit = &self.units[u];
        let e = unit.entry(off)?;
        let name = self.name(u, &e)?;
        let name_off = self.b.add_str(&name);
        let size = udata(e.attr_value(gimli::DW_AT_byte_size)).unwrap_or(0) as u32;
        let def = |data| TypeDef { name_off, kind_flag: false, data };
        Ok(match e.tag() {
            gimli::DW_TAG_base_type => {
                let enc = match e.attr_value(gimli::DW_AT_encoding) {
                    Some(AttributeValue::Encoding(x)) => x,
                    _ => gimli::DW_ATE_signed,
                };
                match enc {
                    gimli::DW_ATE_float | gimli::DW_ATE_complex_float => def(TypeData::Float { size }),
                    _ => {
                        let encoding = match enc {
                            gimli::DW_ATE_boolean => IntEncoding::BOOL,
                            gimli::DW_ATE_signed | gimli::DW_ATE_signed_char => IntEncoding::SIGNED,
                            _ => IntEncoding::NONE,
                        };
                        let bits =
                            udata(e.attr_value(gimli::DW_AT_bit_size)).unwrap_or(size as u64 * 8).min(128) as u32;
                        let raw = (encoding.0 as u32) << 24 | bits;
                        def(TypeData::Int { size, info: IntInfo::from_raw(raw) })
                    }
                }
            }
            gimli::DW_TAG_pointer_type
            | gimli::DW_TAG_reference_type
            | gimli::DW_TAG_rvalue_reference_type
            | gimli::DW_TAG_ptr_to_member_type => {
                let t = self.type_attr(u, &e)?;
                TypeDef { name_off: 0, kind_flag: false, data: TypeData::Ptr { type_id: t } }
            }
            gimli::DW_TAG_const_type => {
                TypeDef { name_off: 0, kind_flag: false, data: TypeData::Const { type_id: self.type_attr(u, &e)? } }
            }
            gimli::DW_TAG_volatile_type => {
                TypeDef { name_off: 0, kind_flag: false, data: TypeData::Volatile { type_id: self.type_attr(u, &e)? } }
            }
            gimli::DW_TAG_restrict_type => {
                TypeDef { name_off: 0, kind_flag: false, data: TypeData::Restrict { type_id: self.type_attr(u, &e)? } }
            }
            gimli::DW_TAG_typedef => def(TypeData::Typedef { type_id: self.type_attr(u, &e)? }),
            gimli::DW_TAG_structure_type | gimli::DW_TAG_class_type | gimli::DW_TAG_union_type => {
                let union = e.tag() == gimli::DW_TAG_union_type;
                if let Some(AttributeValue::Flag(true)) = e.attr_value(gimli::DW_AT_declaration) {
                    return Ok(TypeDef { name_off, kind_flag: union, data: TypeData::Fwd });
                }
                let members = self.members(u, off)?;
                let kind_flag = members.iter().any(|m| m.bitfield_size != 0);
                let data = if union { TypeData::Union { size, members } } else { TypeData::Struct { size, members } };
                TypeDef { name_off, kind_flag, data }
            }
            gimli::DW_TAG_enumeration_type => self.enumeration(u, off, name_off, size)?,
            gimli::DW_TAG_array_type => {
                let elem = self.type_attr(u, &e)?;
                let mut dims = Vec::new();
                let mut tree = unit.entries_tree(Some(off))?;
                let mut children = tree.root()?.children();
                while let Some(ch) = children.next()? {
                    let ce = ch.entry();
                    if ce.tag() != gimli::DW_TAG_subrange_type {
                        continue;
                    }
                    let n = if let Some(c) = udata(ce.attr_value(gimli::DW_AT_count)) {
                        c
                    } else if let Some(ub) = ce.attr_value(gimli::DW_AT_upper_bound) {
                        match ub {
                            AttributeValue::Sdata(-1) => 0,
                            v => v.udata_value().map_or(0, |x| x.wrapping_add(1)),
                        }
                    } else {
                        0
                    };
                    dims.push(n.min(u32::MAX as u64) as u32);
                }
                if dims.is_empty() {
                    dims.push(0);
                }
                let index = self.array_index();
                let mut t = elem;
                for &n in dims[1..].iter().rev() {
                    t = self.b.add_array(t, index, n);
                }
                TypeDef {
                    name_off: 0,
                    kind_flag: false,
                    data: TypeData::Array(ArrayInfo { elem_type: t, index_type: index, nelems: dims[0] }),
                }
            }
            gimli::DW_TAG_subroutine_type => {
                let ret = self.type_attr(u, &e)?;
                let params = self.params(u, off, false)?;
                TypeDef { name_off: 0, kind_flag: false, data: TypeData::FuncProto { ret, params } }
            }
            _ => TypeDef { name_off: 0, kind_flag: false, data: TypeData::Fwd },
        })
    }

    fn members(&mut self, u: usize, off: UnitOffset) -> Result<Vec<MemberDef>, DwarfError> {
        let unit = &self.units[u];
        let mut out = Vec::new();
        let mut tree = unit.entries_tree(Some(off))?;
        let mut children = tree.root()?.children();
        let mut raw = Vec::new();
        while let Some(ch) = children.next()? {
            let e = ch.entry();
            if e.tag() != gimli::DW_TAG_member || e.attr_value(gimli::DW_AT_external).is_some() {
                continue;
            }
            let name = self.name(u, e)?;
            let ty = self.target(u, e.attr_value(gimli::DW_AT_type));
            let loc = match e.attr_value(gimli::DW_AT_data_member_location) {
                Some(AttributeValue::Exprloc(expr)) => {
                    let mut r = expr.0;
                    // DW_OP_plus_uconst N
                    if r.read_u8().ok() == Some(0x23) {
                        r.read_uleb128().ok()
                    } else {
                        None
                    }
                }
                Some(v) => v.udata_value(),
                None => None,
            };
            let bit_size = udata(e.attr_value(gimli::DW_AT_bit_size)).unwrap_or(0);
            let bit_offset = if let Some(dbo) = udata(e.attr_value(gimli::DW_AT_data_bit_offset)) {
                dbo
            } else if let Some(bo) = udata(e.attr_value(gimli::DW_AT_bit_offset)) {
                // DWARF 2-4: bits from the most significant bit of the storage unit.
                let unit_size = udata(e.attr_value(gimli::DW_AT_byte_size)).unwrap_or(0);
                let base = loc.unwrap_or(0) * 8;
                (base + unit_size * 8).wrapping_sub(bo + bit_size)
            } else {
                loc.unwrap_or(0) * 8
            };
            raw.push((name, ty, bit_offset, bit_size));
        }
        for (name, ty, bit_offset, bit_size) in raw {
            let type_id = match ty {
                Some(t) => self.id_of(u, t)?,
                None => 0,
            };
            let name_off = self.b.add_str(&name);
            out.push(MemberDef { name_off, type_id, bit_offset: bit_offset as u32, bitfield_size: bit_size as u32 });
        }
        Ok(out)
    }

    fn enumeration(&mut self, u: usize, off: UnitOffset, name_off: u32, size: u32) -> Result<TypeDef, DwarfError> {
        let unit = &self.units[u];
        let e = unit.entry(off)?;
        // Signedness from the underlying type, else from the values.
        let mut signed = None;
        if let Some(t) = self.target(u, e.attr_value(gimli::DW_AT_type)) {
            let mut t = t;
            for _ in 0..MAX_CHAIN {
                let te = unit.entry(t)?;
                if te.tag() == gimli::DW_TAG_base_type {
                    signed = Some(matches!(
                        te.attr_value(gimli::DW_AT_encoding),
                        Some(AttributeValue::Encoding(gimli::DW_ATE_signed | gimli::DW_ATE_signed_char))
                    ));
                    break;
                }
                match self.target(u, te.attr_value(gimli::DW_AT_type)) {
                    Some(n) => t = n,
                    None => break,
                }
            }
        }
        let mut vals = Vec::new();
        let mut tree = unit.entries_tree(Some(off))?;
        let mut children = tree.root()?.children();
        while let Some(ch) = children.next()? {
            let ce = ch.entry();
            if ce.tag() != gimli::DW_TAG_enumerator {
                continue;
            }
            let name = self.name(u, ce)?;
            let (v, neg) = match ce.attr_value(gimli::DW_AT_const_value) {
                Some(AttributeValue::Sdata(x)) => (x as u64, x < 0),
                Some(AttributeValue::Data1(x)) => (x as u64, false),
                Some(AttributeValue::Data2(x)) => (x as u64, false),
                Some(AttributeValue::Data4(x)) => (x as u64, false),
                Some(AttributeValue::Data8(x)) => (x, false),
                Some(AttributeValue::Udata(x)) => (x, false),
                _ => (0, false),
            };
            vals.push((name, v, neg));
        }
        let signed = signed.unwrap_or_else(|| vals.iter().any(|v| v.2));
        let size = if size == 0 { 4 } else { size };
        let values: Vec<EnumValue> =
            vals.iter().map(|(n, v, _)| EnumValue { name_off: self.b.add_str(n), val: *v }).collect();
        let data = if size > 4 {
            TypeData::Enum64 { size, values }
        } else {
            let values = values.into_iter().map(|v| EnumValue { val: v.val as u32 as u64, ..v }).collect();
            TypeData::Enum { size, values }
        };
        Ok(TypeDef { name_off, kind_flag: signed, data })
    }

    /// Parameters of a subroutine type or subprogram (`named`: keep parameter names).
    fn params(&mut self, u: usize, off: UnitOffset, named: bool) -> Result<Vec<Param>, DwarfError> {
        let unit = &self.units[u];
        let mut raw = Vec::new();
        let mut tree = unit.entries_tree(Some(off))?;
        let mut children = tree.root()?.children();
        while let Some(ch) = children.next()? {
            let ce = ch.entry();
            match ce.tag() {
                gimli::DW_TAG_formal_parameter => {
                    let name = if named { self.name(u, ce)? } else { String::new() };
                    raw.push((name, self.target(u, ce.attr_value(gimli::DW_AT_type)), false));
                }
                gimli::DW_TAG_unspecified_parameters => raw.push((String::new(), None, true)),
                _ => {}
            }
        }
        let mut out = Vec::new();
        for (name, ty, vararg) in raw {
            let type_id = match (ty, vararg) {
                (Some(t), false) => self.id_of(u, t)?,
                _ => 0,
            };
            out.push(Param { name_off: self.b.add_str(&name), type_id });
        }
        Ok(out)
    }

    /// Every type declared at the top of unit `u` (like pahole, unused ones too), then
    /// FUNC + FUNC_PROTO for every function with code.
    fn functions(&mut self, u: usize) -> Result<(), DwarfError> {
        let unit = &self.units[u];
        let mut top = Vec::new();
        {
            let mut tree = unit.entries_tree(None)?;
            let mut children = tree.root()?.children();
            while let Some(ch) = children.next()? {
                top.push(ch.entry().offset());
            }
        }
        for off in top {
            self.id_of(u, off)?;
        }
        let unit = &self.units[u];
        let mut found = Vec::new();
        let mut cursor = unit.entries();
        while let Some(e) = cursor.next_dfs()? {
            if e.tag() != gimli::DW_TAG_subprogram || e.attr_value(gimli::DW_AT_low_pc).is_none() {
                continue;
            }
            if e.attr_value(gimli::DW_AT_declaration).is_some() || e.attr_value(gimli::DW_AT_specification).is_some() {
                continue;
            }
            // Out-of-line instances of inline functions name their origin.
            let origin = self.target(u, e.attr_value(gimli::DW_AT_abstract_origin));
            let src = origin.unwrap_or(e.offset());
            found.push(src);
        }
        for src in found {
            let e = self.units[u].entry(src)?;
            let name = self.name(u, &e)?;
            // The kernel only accepts C identifiers as function names (Rust/C++ symbols are not).
            let ident = name
                .bytes()
                .enumerate()
                .all(|(i, c)| c == b'_' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit()));
            if name.is_empty() || !ident {
                continue;
            }
            let external = matches!(e.attr_value(gimli::DW_AT_external), Some(AttributeValue::Flag(true)));
            let ret = self.type_attr(u, &e)?;
            let params = self.params(u, src, true)?;
            let proto =
                self.b.add_type(TypeDef { name_off: 0, kind_flag: false, data: TypeData::FuncProto { ret, params } });
            let linkage = if external { Linkage::GLOBAL } else { Linkage::STATIC };
            self.b.add_func(&name, proto, linkage);
        }
        Ok(())
    }
}
