//! Validation by the Linux kernel's rules (kernel/bpf/btf.c, `BPF_BTF_LOAD`).
//!
//! The checks follow the kernel's phases and order, so the first error reported is the one
//! the kernel would report: header, sections, string section, per-type metadata (in id
//! order), then resolution of every type (sizes, references, loops, members), function
//! prototypes, and finally type-tag placement. Pointer size is 8 (64-bit kernels).

use crate::{Btf, Kind, Type};
use core::fmt;

use crate::limits::MAX_RESOLVE_DEPTH as RESOLVE_DEPTH;
pub use crate::limits::{KSYM_NAME_LEN, MAX_NAME_OFFSET, MAX_SIZE, MAX_TYPE};
const PTR_SIZE: u32 = 8;

/// One kernel rule, broken. Member/parameter/variable indexes are 0-based.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Invalid {
    // --- header and sections
    /// Fewer than 8 bytes, or fewer than `hdr_len`, or `hdr_len` < 24.
    HeaderTooShort,
    /// Header bytes past the known 24 are not zero.
    HeaderTailNotZero,
    BadMagic,
    BadVersion(u8),
    BadFlags(u8),
    /// Nothing after the header.
    NoData,
    /// Input larger than the kernel's 16 MiB limit.
    TooLarge,
    /// A section starts past the end of the data.
    SectionOffset,
    /// Unused bytes between or after sections.
    SectionGap,
    SectionOverlap,
    SectionTooLong,
    /// The string section is not the last thing in the data.
    StringsNotAtEnd,
    /// Empty string section, too long, not NUL-terminated, or not starting with "".
    BadStringSection,
    TypeSectionMisaligned,
    /// Base BTF without types.
    NoTypes,
    /// The type section ends inside a type record.
    TypeTruncated,
    TooManyTypes,
    // --- per-type metadata
    /// `info` has bits set outside vlen, kind and kind_flag.
    InfoReservedBits,
    UnknownKind(Kind),
    NameOffsetOutOfRange,
    /// Name is not a valid C identifier (or section name for DATASEC).
    InvalidName,
    /// This kind must be anonymous (PTR, CONST, VOLATILE, RESTRICT, ARRAY, FUNC_PROTO).
    NameNotAllowed,
    /// TYPE_TAG or DECL_TAG without a value.
    TagWithoutValue,
    VlenNotZero,
    KindFlagNotAllowed,
    /// A referenced type id is larger than `BTF_MAX_TYPE`.
    TypeIdTooLarge,
    /// FWD with a non-zero type/size word.
    FwdTypeNotZero,
    /// INT data has reserved bits set.
    IntReservedBits,
    /// INT offset + bits exceeds 128.
    IntTooManyBits,
    /// INT bits do not fit its size.
    IntBitsExceedSize,
    IntBadEncoding,
    ArraySizeNotZero,
    /// Array of void (element type id 0 or too large).
    ArrayElemVoid,
    ArrayIndexVoid,
    MemberNameOffset(u16),
    MemberInvalidName(u16),
    /// Member of type void.
    MemberVoid(u16),
    /// Union member at a non-zero offset.
    UnionMemberOffset(u16),
    /// Member offsets decrease.
    MemberOffsetDecreasing(u16),
    /// Member starts past the struct's size.
    MemberOffsetPastSize(u16),
    /// ENUM/ENUM64 size not a power of two up to 8.
    EnumSize,
    EnumValueNameOffset(u16),
    EnumValueInvalidName(u16),
    /// FUNC linkage other than static or global.
    FuncLinkage(u32),
    /// VAR linkage other than static or global.
    VarLinkage(u32),
    VarVoid,
    DatasecSizeZero,
    DatasecVarVoid(u16),
    /// Variables not sorted, overlapping, or starting past the section.
    DatasecVarOffset(u16),
    DatasecVarSize(u16),
    DatasecVarEnd(u16),
    /// Sum of variable sizes exceeds the section size.
    DatasecSizeSum,
    FloatSize,
    /// DECL_TAG component_idx below -1.
    DeclTagComponentBelowMinusOne,
    // --- resolution
    /// A modifier, pointer, typedef or VAR refers to a missing or unsuitable type.
    InvalidRefType,
    ResolveTooDeep,
    /// A reference loop (e.g. typedef to itself, struct containing itself).
    Loop,
    InvalidResolveState,
    /// Member of a type with no size (FWD, FUNC, ...), of VAR/DATASEC/DECL_TAG, or missing.
    MemberInvalidType(u16),
    MemberNotAligned(u16),
    MemberExceedsSize(u16),
    /// Bitfield wider than its type, or bitfield on a non-integer.
    BitfieldTooWide(u16),
    /// Bitfield (kind_flag struct) on an INT that is itself a bitfield-like INT.
    BitfieldBaseType(u16),
    /// Member spans more than 128 bits.
    MemberTooManyBits(u16),
    ArrayIndexType,
    ArrayElemType,
    ArrayOfIrregularInt,
    ArraySizeOverflow,
    DatasecNotVar(u16),
    DatasecVarType(u16),
    DatasecVarTooSmall(u16),
    /// FUNC does not point at a FUNC_PROTO.
    FuncNotProto,
    /// FUNC parameter without a name.
    FuncParamUnnamed(u16),
    FuncProtoReturn,
    /// Invalid parameter (missing type, no size, VAR/DATASEC, bad name).
    FuncProtoParam(u16),
    /// A void parameter that is not last, or a named vararg.
    VoidParamNotLast(u16),
    /// DECL_TAG on something other than STRUCT, UNION, FUNC, VAR or TYPEDEF.
    DeclTagTarget,
    /// DECL_TAG component index out of range or on VAR/TYPEDEF.
    DeclTagComponent,
    /// TYPE_TAG after another modifier in a chain.
    TypeTagPlacement,
    /// Modifier chain too long or cyclic.
    ModifierChain,
}

/// A validation error: the rule, the offending type id (0 for header errors) and its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    pub id: u32,
    pub name: String,
    pub kind: Invalid,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.id == 0 {
            write!(f, "{:?}", self.kind)
        } else {
            write!(f, "[{}] '{}': {:?}", self.id, self.name, self.kind)
        }
    }
}

impl std::error::Error for ValidationError {}

fn herr(kind: Invalid) -> ValidationError {
    ValidationError { id: 0, name: String::new(), kind }
}

/// Validate raw bytes as `BPF_BTF_LOAD` would (base BTF, either byte order).
pub fn validate_bytes(data: &[u8]) -> Result<(), ValidationError> {
    check_header(data, false)?;
    let btf = Btf::parse(data).map_err(|e| {
        herr(match e.kind {
            crate::ErrorKind::UnknownKind(k) => Invalid::UnknownKind(k),
            crate::ErrorKind::TooManyTypes => Invalid::TooManyTypes,
            _ => Invalid::TypeTruncated,
        })
    })?;
    validate_types(&btf)
}

/// Validate a parsed blob (header, sections and types). For split BTF the base is
/// validated first and must be valid.
pub fn validate(btf: &Btf<'_>) -> Result<(), ValidationError> {
    check_header(btf.data(), btf.base().is_some())?;
    validate_types(btf)
}

fn check_header(data: &[u8], split: bool) -> Result<(), ValidationError> {
    if data.len() > MAX_SIZE {
        return Err(herr(Invalid::TooLarge));
    }
    if data.len() < 8 {
        return Err(herr(Invalid::HeaderTooShort));
    }
    let e = crate::read::detect_endian(data, crate::MAGIC);
    let endian = e.unwrap_or(crate::Endian::native());
    let rd = |off: usize| crate::read::rd32(endian, data, off);
    let hdr_len = rd(4) as usize;
    if data.len() < hdr_len {
        return Err(herr(Invalid::HeaderTooShort));
    }
    if hdr_len > 24 && data[24..hdr_len].iter().any(|&b| b != 0) {
        return Err(herr(Invalid::HeaderTailNotZero));
    }
    if e.is_none() {
        return Err(herr(Invalid::BadMagic));
    }
    if data[2] != 1 {
        return Err(herr(Invalid::BadVersion(data[2])));
    }
    if data[3] != 0 {
        return Err(herr(Invalid::BadFlags(data[3])));
    }
    if !split && data.len() == hdr_len {
        return Err(herr(Invalid::NoData));
    }
    if hdr_len < 24 {
        // Fields past hdr_len read as zero: no section can be described.
        return Err(herr(Invalid::HeaderTooShort));
    }
    let (type_off, type_len, str_off, str_len) = (rd(8), rd(12), rd(16), rd(20));
    let mut secs = [(type_off, type_len), (str_off, str_len)];
    secs.sort();
    let expected = (data.len() - hdr_len) as u32;
    let mut total: u32 = 0;
    for (off, len) in secs {
        if expected < off {
            return Err(herr(Invalid::SectionOffset));
        }
        if total < off {
            return Err(herr(Invalid::SectionGap));
        }
        if total > off {
            return Err(herr(Invalid::SectionOverlap));
        }
        if expected - total < len {
            return Err(herr(Invalid::SectionTooLong));
        }
        total += len;
    }
    if expected != total {
        return Err(herr(Invalid::SectionGap));
    }
    // String section.
    let s_start = hdr_len + str_off as usize;
    let s_end = s_start + str_len as usize;
    if s_end != data.len() {
        return Err(herr(Invalid::StringsNotAtEnd));
    }
    if !(split && str_len == 0) {
        if str_len == 0 || str_len - 1 > MAX_NAME_OFFSET || data[s_end - 1] != 0 {
            return Err(herr(Invalid::BadStringSection));
        }
        if !split && data[s_start] != 0 {
            return Err(herr(Invalid::BadStringSection));
        }
    }
    if type_off % 4 != 0 {
        return Err(herr(Invalid::TypeSectionMisaligned));
    }
    if !split && type_len == 0 {
        return Err(herr(Invalid::NoTypes));
    }
    Ok(())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Visit {
    NotVisited,
    Visited,
    Resolved,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Tbd,
    Ptr,
    StructOrArray,
}

/// Failure inside resolution: a rule, or the stack conditions the kernel reports on the
/// type whose resolution started.
enum RErr {
    Rule(u32, Invalid),
    Depth,
    Loop,
}

struct Env<'b, 'a> {
    btf: &'b Btf<'a>,
    /// First id this run resolves (types below are resolved already).
    start_id: u32,
    visit: Vec<Visit>,
    resolved_id: Vec<u32>,
    resolved_size: Vec<u32>,
    stack: Vec<(u32, u16)>,
    mode: Mode,
}

/// What a type id refers to: void (id 0), a type, or nothing (out of range).
#[derive(Clone, Copy)]
enum T<'a> {
    Void,
    Ty(Type<'a>),
}

impl T<'_> {
    fn kind(&self) -> Kind {
        match self {
            T::Void => Kind::UNKN,
            T::Ty(t) => t.kind(),
        }
    }
}

fn is_modifier(k: Kind) -> bool {
    matches!(k, Kind::TYPEDEF | Kind::VOLATILE | Kind::CONST | Kind::RESTRICT | Kind::TYPE_TAG)
}
fn is_struct(k: Kind) -> bool {
    matches!(k, Kind::STRUCT | Kind::UNION)
}
fn needs_resolve(k: Kind) -> bool {
    is_modifier(k)
        || is_struct(k)
        || matches!(k, Kind::PTR | Kind::ARRAY | Kind::VAR | Kind::FUNC | Kind::DECL_TAG | Kind::DATASEC)
}
fn source_only(k: Kind) -> bool {
    matches!(k, Kind::VAR | Kind::DECL_TAG | Kind::DATASEC)
}
fn nosize(k: Kind) -> bool {
    matches!(k, Kind::UNKN | Kind::FWD | Kind::FUNC | Kind::FUNC_PROTO | Kind::DECL_TAG)
}
fn has_size(k: Kind) -> bool {
    matches!(k, Kind::INT | Kind::STRUCT | Kind::UNION | Kind::ENUM | Kind::DATASEC | Kind::FLOAT | Kind::ENUM64)
}
fn int_is_regular(t: &Type<'_>) -> bool {
    let i = t.int();
    let bytes = (i.bits as u32).div_ceil(8);
    i.bits.is_multiple_of(8) && i.offset == 0 && matches!(bytes, 1 | 2 | 4 | 8 | 16)
}

/// The kernel's `isalpha` (Latin-1 ctype table: 0xc0..=0xff are letters except × and ÷).
fn k_isalpha(c: u8) -> bool {
    c.is_ascii_alphabetic() || (c >= 0xc0 && c != 0xd7 && c != 0xf7)
}

/// The kernel's `isprint` (ASCII printable, and Latin-1 0xa0..=0xff).
fn k_isprint(c: u8) -> bool {
    (0x20..0x7f).contains(&c) || c >= 0xa0
}

fn valid_identifier(s: Option<&[u8]>) -> bool {
    let Some(s) = s else { return false };
    let Some((&first, rest)) = s.split_first() else { return false };
    if !(k_isalpha(first) || first == b'_' || first == b'.') {
        return false;
    }
    s.len() <= KSYM_NAME_LEN && rest.iter().all(|&c| k_isalpha(c) || c.is_ascii_digit() || c == b'_' || c == b'.')
}

fn valid_section_name(s: Option<&[u8]>) -> bool {
    let Some(s) = s else { return false };
    !s.is_empty() && s.len() <= KSYM_NAME_LEN && s.iter().all(|&c| k_isprint(c))
}

impl<'b, 'a> Env<'b, 'a> {
    fn get(&self, id: u32) -> Option<T<'a>> {
        if id == 0 {
            return Some(T::Void);
        }
        self.btf.type_by_id(id).map(T::Ty)
    }
    fn resolved(&self, id: u32) -> bool {
        id < self.start_id || self.visit.get(id as usize) == Some(&Visit::Resolved)
    }
    fn sink(&self, k: Kind) -> bool {
        match self.mode {
            Mode::Tbd => !needs_resolve(k),
            Mode::Ptr => !is_modifier(k) && k != Kind::PTR,
            Mode::StructOrArray => !is_modifier(k) && k != Kind::ARRAY && !is_struct(k),
        }
    }
    fn push(&mut self, id: u32) -> Result<(), RErr> {
        if self.stack.len() == RESOLVE_DEPTH {
            return Err(RErr::Depth);
        }
        if id < self.start_id || self.visit[id as usize] != Visit::NotVisited {
            return Err(RErr::Loop);
        }
        self.visit[id as usize] = Visit::Visited;
        self.stack.push((id, 0));
        if self.mode == Mode::Tbd {
            let k = self.get(id).map_or(Kind::UNKN, |t| t.kind());
            if k == Kind::PTR {
                self.mode = Mode::Ptr;
            } else if is_struct(k) || k == Kind::ARRAY {
                self.mode = Mode::StructOrArray;
            }
        }
        Ok(())
    }
    fn pop_resolved(&mut self, rid: u32, size: u32) {
        let (id, _) = self.stack.pop().expect("non-empty stack");
        self.resolved_id[id as usize] = rid;
        self.resolved_size[id as usize] = size;
        self.visit[id as usize] = Visit::Resolved;
    }
    fn set_next_member(&mut self, n: u16) {
        if let Some(top) = self.stack.last_mut() {
            top.1 = n;
        }
    }

    /// The kernel's `btf_type_id_size`: follow a resolved modifier/VAR to a sized type.
    fn id_size(&self, id: u32) -> Option<(u32, T<'a>, u32)> {
        let t = self.get(id)?;
        let k = t.kind();
        if nosize(k) {
            return None;
        }
        let sized = |id: u32, t: T<'a>| -> Option<(u32, T<'a>, u32)> {
            let k = t.kind();
            if nosize(k) {
                None
            } else if has_size(k) {
                let T::Ty(ty) = t else { return None };
                Some((id, t, ty.size()))
            } else if k == Kind::ARRAY {
                Some((id, t, self.resolved_size.get(id as usize).copied().unwrap_or(0)))
            } else if k == Kind::PTR {
                Some((id, t, PTR_SIZE))
            } else {
                None
            }
        };
        if has_size(k) || k == Kind::ARRAY || k == Kind::PTR {
            return sized(id, t);
        }
        if !is_modifier(k) && k != Kind::VAR {
            return None;
        }
        let rid = self.resolved_id.get(id as usize).copied().unwrap_or(0);
        let rt = self.get(rid)?;
        sized(rid, rt)
    }

    fn resolve_step(&mut self, id: u32, next_member: u16) -> Result<(), RErr> {
        let Some(T::Ty(t)) = self.get(id) else { return Err(RErr::Rule(id, Invalid::InvalidResolveState)) };
        let bad = |r: Invalid| Err(RErr::Rule(id, r));
        match t.kind() {
            k if is_modifier(k) || k == Kind::PTR || k == Kind::VAR => {
                let mut next_id = t.type_id();
                let next = match self.get(next_id) {
                    Some(n) if !source_only(n.kind()) => n,
                    _ => return bad(Invalid::InvalidRefType),
                };
                if !self.sink(next.kind()) && !self.resolved(next_id) {
                    return self.push(next_id);
                }
                if (k == Kind::PTR || k == Kind::VAR) && is_modifier(next.kind()) {
                    let rid = self.resolved_id[next_id as usize];
                    if let Some(rt) = self.get(rid) {
                        if rt.kind() == Kind::PTR && !self.sink(rt.kind()) && !self.resolved(rid) {
                            return self.push(rid);
                        }
                    }
                }
                match self.id_size(next_id) {
                    Some((sid, _, _)) => next_id = sid,
                    None if k == Kind::VAR => return bad(Invalid::InvalidRefType),
                    None => {
                        let mut nk = next.kind();
                        if self.resolved(next_id) {
                            next_id = self.resolved_id.get(next_id as usize).copied().unwrap_or(0);
                            nk = self.get(next_id).map_or(Kind::UNKN, |t| t.kind());
                        }
                        if !matches!(nk, Kind::UNKN | Kind::FWD | Kind::FUNC_PROTO) {
                            return bad(Invalid::InvalidRefType);
                        }
                    }
                }
                self.pop_resolved(next_id, 0);
                Ok(())
            }
            Kind::STRUCT | Kind::UNION => {
                let kflag = t.kind_flag();
                let members = t.members();
                if next_member > 0 {
                    let i = next_member - 1;
                    let m = members.get(i as usize).expect("member index");
                    if !self.resolved(m.type_id) {
                        return bad(Invalid::InvalidResolveState);
                    }
                    self.check_member(&t, i, m, m.type_id, kflag)?;
                }
                for (i, m) in members.clone().enumerate().skip(next_member as usize) {
                    let i = i as u16;
                    let mt = match self.get(m.type_id) {
                        Some(mt) if !nosize(mt.kind()) && !source_only(mt.kind()) => mt,
                        _ => return bad(Invalid::MemberInvalidType(i)),
                    };
                    if !self.sink(mt.kind()) && !self.resolved(m.type_id) {
                        self.set_next_member(i + 1);
                        return self.push(m.type_id);
                    }
                    self.check_member(&t, i, m, m.type_id, kflag)?;
                }
                self.pop_resolved(0, 0);
                Ok(())
            }
            Kind::ARRAY => {
                let a = t.array();
                let it = match self.get(a.index_type) {
                    Some(x) if !nosize(x.kind()) && !source_only(x.kind()) => x,
                    _ => return bad(Invalid::ArrayIndexType),
                };
                if !self.sink(it.kind()) && !self.resolved(a.index_type) {
                    return self.push(a.index_type);
                }
                match self.id_size(a.index_type) {
                    Some((_, T::Ty(x), _)) if x.kind() == Kind::INT && int_is_regular(&x) => {}
                    _ => return bad(Invalid::ArrayIndexType),
                }
                let et = match self.get(a.elem_type) {
                    Some(x) if !nosize(x.kind()) && !source_only(x.kind()) => x,
                    _ => return bad(Invalid::ArrayElemType),
                };
                if !self.sink(et.kind()) && !self.resolved(a.elem_type) {
                    return self.push(a.elem_type);
                }
                let Some((eid, e, esize)) = self.id_size(a.elem_type) else {
                    return bad(Invalid::ArrayElemType);
                };
                if let T::Ty(x) = e {
                    if x.kind() == Kind::INT && !int_is_regular(&x) {
                        return bad(Invalid::ArrayOfIrregularInt);
                    }
                }
                if a.nelems != 0 && esize > u32::MAX / a.nelems {
                    return bad(Invalid::ArraySizeOverflow);
                }
                self.pop_resolved(eid, esize * a.nelems);
                Ok(())
            }
            Kind::DATASEC => {
                self.mode = Mode::Tbd;
                for (i, v) in t.datasec_vars().enumerate().skip(next_member as usize) {
                    let i = i as u16;
                    let vt = match self.get(v.type_id) {
                        Some(T::Ty(x)) if x.kind() == Kind::VAR => x,
                        _ => return bad(Invalid::DatasecNotVar(i)),
                    };
                    if !self.sink(Kind::VAR) && !self.resolved(v.type_id) {
                        self.set_next_member(i + 1);
                        return self.push(v.type_id);
                    }
                    let Some((_, _, size)) = self.id_size(vt.type_id()) else {
                        return bad(Invalid::DatasecVarType(i));
                    };
                    if v.size < size {
                        return bad(Invalid::DatasecVarTooSmall(i));
                    }
                }
                self.pop_resolved(0, 0);
                Ok(())
            }
            Kind::FUNC => {
                let proto = match self.get(t.type_id()) {
                    Some(T::Ty(p)) if p.kind() == Kind::FUNC_PROTO => p,
                    _ => return bad(Invalid::FuncNotProto),
                };
                for (i, p) in proto.params().enumerate() {
                    if p.name_off == 0 && p.type_id != 0 {
                        return bad(Invalid::FuncParamUnnamed(i as u16));
                    }
                }
                self.pop_resolved(t.type_id(), 0);
                Ok(())
            }
            Kind::DECL_TAG => {
                let next_id = t.type_id();
                let next = match self.get(next_id) {
                    Some(T::Ty(n))
                        if matches!(n.kind(), Kind::FUNC | Kind::VAR | Kind::TYPEDEF) || n.is_composite() =>
                    {
                        n
                    }
                    _ => return bad(Invalid::DeclTagTarget),
                };
                if !self.sink(next.kind()) && !self.resolved(next_id) {
                    return self.push(next_id);
                }
                let idx = t.decl_tag_component();
                if idx != -1 {
                    if matches!(next.kind(), Kind::VAR | Kind::TYPEDEF) {
                        return bad(Invalid::DeclTagComponent);
                    }
                    let vlen = if next.is_composite() {
                        next.vlen()
                    } else {
                        match self.get(next.type_id()) {
                            Some(T::Ty(p)) => p.vlen(),
                            _ => 0,
                        }
                    };
                    if idx as u32 >= vlen {
                        return bad(Invalid::DeclTagComponent);
                    }
                }
                self.pop_resolved(next_id, 0);
                Ok(())
            }
            _ => bad(Invalid::InvalidResolveState),
        }
    }

    /// The member checks of the kernel's per-kind `check_member`/`check_kflag_member`.
    fn check_member(&self, st: &Type<'a>, i: u16, m: crate::Member, mtype: u32, kflag: bool) -> Result<(), RErr> {
        let bad = |r: Invalid| Err(RErr::Rule(st.id(), r));
        let ssize = st.size();
        let Some(T::Ty(mt)) = self.get(mtype) else { return bad(Invalid::MemberInvalidType(i)) };
        let raw = m.offset;
        let k = mt.kind();
        if is_modifier(k) {
            let Some((rid, _, _)) = self.id_size(mtype) else { return bad(Invalid::MemberInvalidType(i)) };
            return self.check_member(st, i, m, rid, kflag);
        }
        // Generic kflag members: no bitfield allowed, then the plain check.
        let generic = matches!(k, Kind::PTR | Kind::ARRAY | Kind::STRUCT | Kind::UNION | Kind::FLOAT);
        if kflag && generic && raw >> 24 != 0 {
            return bad(Invalid::BitfieldTooWide(i));
        }
        let aligned = |off: u32| off.is_multiple_of(8);
        match k {
            Kind::INT if !kflag => {
                let ii = mt.int();
                let Some(off) = raw.checked_add(ii.offset as u32) else {
                    return bad(Invalid::MemberExceedsSize(i));
                };
                let bytes_off = off / 8;
                let copy_bits = ii.bits as u32 + off % 8;
                if copy_bits > 128 {
                    return bad(Invalid::MemberTooManyBits(i));
                }
                if ssize < bytes_off || ssize - bytes_off < copy_bits.div_ceil(8) {
                    return bad(Invalid::MemberExceedsSize(i));
                }
                Ok(())
            }
            Kind::INT => {
                if !int_is_regular(&mt) {
                    return bad(Invalid::BitfieldBaseType(i));
                }
                let mut nbits = raw >> 24;
                let off = raw & 0xff_ffff;
                let ibits = mt.int().bits as u32;
                if nbits == 0 {
                    if !aligned(off) {
                        return bad(Invalid::MemberNotAligned(i));
                    }
                    nbits = ibits;
                } else if nbits > ibits {
                    return bad(Invalid::BitfieldTooWide(i));
                }
                let bytes_off = off / 8;
                let copy_bits = nbits + off % 8;
                if copy_bits > 128 {
                    return bad(Invalid::MemberTooManyBits(i));
                }
                if ssize < bytes_off || ssize - bytes_off < copy_bits.div_ceil(8) {
                    return bad(Invalid::MemberExceedsSize(i));
                }
                Ok(())
            }
            Kind::ENUM | Kind::ENUM64 if kflag => {
                let off = raw & 0xff_ffff;
                let mut nbits = raw >> 24;
                if nbits == 0 {
                    if !aligned(off) {
                        return bad(Invalid::MemberNotAligned(i));
                    }
                    nbits = 32;
                } else if nbits > 32 {
                    return bad(Invalid::BitfieldTooWide(i));
                }
                if ssize < (off + nbits).div_ceil(8) {
                    return bad(Invalid::MemberExceedsSize(i));
                }
                Ok(())
            }
            Kind::ENUM | Kind::ENUM64 | Kind::STRUCT | Kind::UNION | Kind::PTR | Kind::ARRAY => {
                if !aligned(raw) {
                    return bad(Invalid::MemberNotAligned(i));
                }
                let msize = match k {
                    Kind::PTR => PTR_SIZE,
                    Kind::ARRAY => self.id_size(mtype).map_or(0, |x| x.2),
                    _ => mt.size(),
                };
                if ssize.wrapping_sub(raw / 8) < msize {
                    return bad(Invalid::MemberExceedsSize(i));
                }
                Ok(())
            }
            Kind::FLOAT => {
                let size = mt.size() as u64;
                let align_bits = size.min(PTR_SIZE as u64) * 8;
                if align_bits == 0 || !(raw as u64).is_multiple_of(align_bits) {
                    return bad(Invalid::MemberNotAligned(i));
                }
                if raw as u64 / 8 + size > ssize as u64 {
                    return bad(Invalid::MemberExceedsSize(i));
                }
                Ok(())
            }
            _ => bad(Invalid::MemberInvalidType(i)),
        }
    }

    /// The kernel's final sanity check after resolving a type.
    fn resolve_valid(&self, id: u32) -> bool {
        if !self.resolved(id) {
            return false;
        }
        let Some(T::Ty(t)) = self.get(id) else { return false };
        let (rid, rsize) = (self.resolved_id[id as usize], self.resolved_size[id as usize]);
        let k = t.kind();
        if is_struct(k) || k == Kind::DATASEC {
            return rid == 0 && rsize == 0;
        }
        if k == Kind::DECL_TAG || k == Kind::FUNC {
            return rid != 0 && rsize == 0;
        }
        if is_modifier(k) || k == Kind::PTR || k == Kind::VAR {
            return match self.get(rid) {
                Some(r) => !is_modifier(r.kind()) && r.kind() != Kind::VAR && r.kind() != Kind::DATASEC,
                None => false,
            };
        }
        if k == Kind::ARRAY {
            let a = t.array();
            return match self.id_size(a.elem_type) {
                Some((_, e, es)) => !is_modifier(e.kind()) && a.nelems.wrapping_mul(es) == rsize,
                None => false,
            };
        }
        false
    }

    fn resolve(&mut self, id: u32) -> Result<(), ValidationError> {
        self.mode = Mode::Tbd;
        let mut res = self.push(id);
        while res.is_ok() {
            let Some(&(vid, next)) = self.stack.last() else { break };
            res = self.resolve_step(vid, next);
        }
        self.stack.clear();
        let err = |this: &Self, eid: u32, kind: Invalid| {
            let name = this.btf.type_by_id(eid).map(|t| this.btf.name_of(&t).to_string()).unwrap_or_default();
            ValidationError { id: eid, name, kind }
        };
        match res {
            Err(RErr::Rule(eid, r)) => Err(err(self, eid, r)),
            Err(RErr::Depth) => Err(err(self, id, Invalid::ResolveTooDeep)),
            Err(RErr::Loop) => Err(err(self, id, Invalid::Loop)),
            Ok(()) if !self.resolve_valid(id) => Err(err(self, id, Invalid::InvalidResolveState)),
            Ok(()) => Ok(()),
        }
    }

    fn func_proto_check(&mut self, t: &Type<'a>) -> Result<(), ValidationError> {
        let e =
            |this: &Self, kind: Invalid| ValidationError { id: t.id(), name: this.btf.name_of(t).to_string(), kind };
        let ret = t.type_id();
        if ret != 0 {
            let rt = match self.get(ret) {
                Some(x) if !source_only(x.kind()) => x,
                _ => return Err(e(self, Invalid::FuncProtoReturn)),
            };
            if needs_resolve(rt.kind()) && !self.resolved(ret) {
                self.resolve(ret)?;
            }
            if self.id_size(ret).is_none() {
                return Err(e(self, Invalid::FuncProtoReturn));
            }
        }
        let params: Vec<_> = t.params().collect();
        let mut n = params.len();
        if n == 0 {
            return Ok(());
        }
        if params[n - 1].type_id == 0 {
            if params[n - 1].name_off != 0 {
                return Err(e(self, Invalid::VoidParamNotLast((n - 1) as u16)));
            }
            n -= 1;
        }
        for (i, p) in params[..n].iter().enumerate() {
            let i = i as u16;
            let at = match self.get(p.type_id) {
                Some(x) => x,
                None => return Err(e(self, Invalid::FuncProtoParam(i))),
            };
            if source_only(at.kind()) {
                return Err(e(self, Invalid::FuncProtoParam(i)));
            }
            if p.name_off != 0
                && (!name_offset_valid(self.btf, p.name_off) || !valid_identifier(self.btf.str_bytes(p.name_off)))
            {
                return Err(e(self, Invalid::FuncProtoParam(i)));
            }
            if needs_resolve(at.kind()) && !self.resolved(p.type_id) {
                self.resolve(p.type_id)?;
            }
            if self.id_size(p.type_id).is_none() {
                let kind = if p.type_id == 0 { Invalid::VoidParamNotLast(i) } else { Invalid::FuncProtoParam(i) };
                return Err(e(self, kind));
            }
        }
        Ok(())
    }
}

fn name_offset_valid(btf: &Btf<'_>, off: u32) -> bool {
    if off > MAX_NAME_OFFSET {
        return false;
    }
    let mut b = btf;
    while off < b.start_str_off() {
        match b.base() {
            Some(x) => b = x,
            None => return false,
        }
    }
    off - b.start_str_off() < b.string_section().len() as u32
}

fn check_meta(btf: &Btf<'_>, t: &Type<'_>) -> Result<(), Invalid> {
    use Invalid::*;
    let info = t.info();
    if info & !0x9f00_ffff != 0 {
        return Err(InfoReservedBits);
    }
    let k = t.kind();
    if !k.is_known() {
        return Err(UnknownKind(k));
    }
    if !name_offset_valid(btf, t.name_off()) {
        return Err(NameOffsetOutOfRange);
    }
    let name = btf.str_bytes(t.name_off());
    let named = t.name_off() != 0;
    let ident = || valid_identifier(name);
    let vlen0 = || if t.vlen() != 0 { Err(VlenNotZero) } else { Ok(()) };
    let kf0 = || if t.kind_flag() { Err(KindFlagNotAllowed) } else { Ok(()) };
    match k {
        Kind::INT => {
            vlen0()?;
            kf0()?;
            let raw = t.int().raw;
            if raw & !0x0fff_ffff != 0 {
                return Err(IntReservedBits);
            }
            let i = t.int();
            let nbits = i.bits as u32 + i.offset as u32;
            if nbits > 128 {
                return Err(IntTooManyBits);
            }
            if nbits.div_ceil(8) > t.size() {
                return Err(IntBitsExceedSize);
            }
            if !matches!(i.encoding.0, 0 | 1 | 2 | 4) {
                return Err(IntBadEncoding);
            }
        }
        Kind::PTR | Kind::TYPEDEF | Kind::VOLATILE | Kind::CONST | Kind::RESTRICT | Kind::TYPE_TAG => {
            vlen0()?;
            if t.kind_flag() && k != Kind::TYPE_TAG {
                return Err(KindFlagNotAllowed);
            }
            if t.type_id() > MAX_TYPE {
                return Err(TypeIdTooLarge);
            }
            match k {
                Kind::TYPEDEF if !named || !ident() => return Err(InvalidName),
                Kind::TYPE_TAG if name.is_none_or(|n| n.is_empty()) => return Err(TagWithoutValue),
                Kind::PTR | Kind::VOLATILE | Kind::CONST | Kind::RESTRICT if named => return Err(NameNotAllowed),
                _ => {}
            }
        }
        Kind::FWD => {
            vlen0()?;
            if t.type_id() != 0 {
                return Err(FwdTypeNotZero);
            }
            if !named || !ident() {
                return Err(InvalidName);
            }
        }
        Kind::ARRAY => {
            if named {
                return Err(NameNotAllowed);
            }
            vlen0()?;
            kf0()?;
            if t.size() != 0 {
                return Err(ArraySizeNotZero);
            }
            let a = t.array();
            if a.elem_type == 0 || a.elem_type > MAX_TYPE {
                return Err(ArrayElemVoid);
            }
            if a.index_type == 0 || a.index_type > MAX_TYPE {
                return Err(ArrayIndexVoid);
            }
        }
        Kind::STRUCT | Kind::UNION => {
            if named && !ident() {
                return Err(InvalidName);
            }
            let mut last = 0u32;
            let size = t.size();
            for (i, m) in t.members().enumerate() {
                let i = i as u16;
                if !name_offset_valid(btf, m.name_off) {
                    return Err(MemberNameOffset(i));
                }
                if m.name_off != 0 && !valid_identifier(btf.str_bytes(m.name_off)) {
                    return Err(MemberInvalidName(i));
                }
                if m.type_id == 0 || m.type_id > MAX_TYPE {
                    return Err(MemberVoid(i));
                }
                let off = m.bit_offset;
                if k == Kind::UNION && off != 0 {
                    return Err(UnionMemberOffset(i));
                }
                if last > off {
                    return Err(MemberOffsetDecreasing(i));
                }
                if off.div_ceil(8) > size {
                    return Err(MemberOffsetPastSize(i));
                }
                last = off;
            }
        }
        Kind::ENUM | Kind::ENUM64 => {
            let size = t.size();
            if size > 8 || !size.is_power_of_two() {
                return Err(EnumSize);
            }
            if named && !ident() {
                return Err(InvalidName);
            }
            for (i, v) in t.enum_values().enumerate() {
                let i = i as u16;
                if !name_offset_valid(btf, v.name_off) {
                    return Err(EnumValueNameOffset(i));
                }
                if v.name_off == 0 || !valid_identifier(btf.str_bytes(v.name_off)) {
                    return Err(EnumValueInvalidName(i));
                }
            }
        }
        Kind::FUNC_PROTO => {
            if named {
                return Err(NameNotAllowed);
            }
            kf0()?;
        }
        Kind::FUNC => {
            if !named || !ident() {
                return Err(InvalidName);
            }
            if t.vlen() > 1 {
                return Err(FuncLinkage(t.vlen()));
            }
            kf0()?;
        }
        Kind::VAR => {
            vlen0()?;
            kf0()?;
            if !named || !ident() {
                return Err(InvalidName);
            }
            if t.type_id() == 0 || t.type_id() > MAX_TYPE {
                return Err(VarVoid);
            }
            let l = t.var_linkage().0;
            if l > 1 {
                return Err(VarLinkage(l));
            }
        }
        Kind::DATASEC => {
            let size = t.size();
            if size == 0 {
                return Err(DatasecSizeZero);
            }
            kf0()?;
            if !named || !valid_section_name(name) {
                return Err(InvalidName);
            }
            let mut last_end: u64 = 0;
            let mut sum: u64 = 0;
            for (i, v) in t.datasec_vars().enumerate() {
                let i = i as u16;
                if v.type_id == 0 || v.type_id > MAX_TYPE {
                    return Err(DatasecVarVoid(i));
                }
                if (v.offset as u64) < last_end || v.offset >= size {
                    return Err(DatasecVarOffset(i));
                }
                if v.size == 0 || v.size > size {
                    return Err(DatasecVarSize(i));
                }
                last_end = v.offset as u64 + v.size as u64;
                if last_end > size as u64 {
                    return Err(DatasecVarEnd(i));
                }
                sum += v.size as u64;
            }
            if (size as u64) < sum {
                return Err(DatasecSizeSum);
            }
        }
        Kind::FLOAT => {
            vlen0()?;
            kf0()?;
            if !matches!(t.size(), 2 | 4 | 8 | 12 | 16) {
                return Err(FloatSize);
            }
        }
        Kind::DECL_TAG => {
            if name.is_none_or(|n| n.is_empty()) {
                return Err(TagWithoutValue);
            }
            vlen0()?;
            let idx = t.decl_tag_component();
            if idx < -1 {
                return Err(DeclTagComponentBelowMinusOne);
            }
        }
        _ => return Err(UnknownKind(k)),
    }
    Ok(())
}

fn validate_types(btf: &Btf<'_>) -> Result<(), ValidationError> {
    if let Some(base) = btf.base() {
        validate_types(base)?;
    }
    let err = |t: &Type<'_>, kind: Invalid| ValidationError { id: t.id(), name: btf.name_of(t).to_string(), kind };
    if btf.type_count() > MAX_TYPE {
        return Err(herr(Invalid::TooManyTypes));
    }
    for t in btf.types() {
        check_meta(btf, &t).map_err(|k| err(&t, k))?;
    }
    let n = btf.type_count() as usize;
    let start = btf.start_id();
    let mut env = Env {
        btf,
        start_id: start,
        visit: vec![Visit::NotVisited; n],
        resolved_id: vec![0; n],
        resolved_size: vec![0; n],
        stack: Vec::with_capacity(RESOLVE_DEPTH),
        mode: Mode::Tbd,
    };
    // Base types count as resolved; their resolution is recomputed lazily below.
    if let Some(base) = btf.base() {
        precompute_base(&mut env, base);
    }
    for t in btf.types() {
        let id = t.id();
        if needs_resolve(t.kind()) && !env.resolved(id) {
            env.resolve(id)?;
        }
        if t.kind() == Kind::FUNC_PROTO {
            env.func_proto_check(&t)?;
        }
    }
    check_type_tags(btf, start)
}

/// Fill resolved ids/sizes for base types (already validated) by a simple walk.
fn precompute_base(env: &mut Env<'_, '_>, base: &Btf<'_>) {
    for id in 1..base.type_count() {
        let Some(t) = base.type_by_id(id) else { continue };
        let k = t.kind();
        if is_modifier(k) || k == Kind::PTR || k == Kind::VAR {
            // Follow modifiers to the first non-modifier.
            let mut r = t.type_id();
            for _ in 0..RESOLVE_DEPTH {
                match base.type_by_id(r) {
                    Some(x) if is_modifier(x.kind()) => r = x.type_id(),
                    _ => break,
                }
            }
            env.resolved_id[id as usize] = r;
        } else if k == Kind::ARRAY {
            let a = t.array();
            let mut e = a.elem_type;
            for _ in 0..RESOLVE_DEPTH {
                match base.type_by_id(e) {
                    Some(x) if is_modifier(x.kind()) => e = x.type_id(),
                    _ => break,
                }
            }
            env.resolved_id[id as usize] = e;
            let es = base.resolve_size(a.elem_type).unwrap_or(0) as u32;
            env.resolved_size[id as usize] = es.wrapping_mul(a.nelems);
        } else if k == Kind::FUNC || k == Kind::DECL_TAG {
            env.resolved_id[id as usize] = t.type_id();
        }
        env.visit[id as usize] = Visit::Resolved;
    }
}

fn check_type_tags(btf: &Btf<'_>, start: u32) -> Result<(), ValidationError> {
    let mut good_id = start as i64 - 1;
    for t in btf.types() {
        if !is_modifier(t.kind()) {
            continue;
        }
        let err = |kind| ValidationError { id: t.id(), name: btf.name_of(&t).to_string(), kind };
        let mut cur = t;
        let mut cur_id = t.id();
        let mut in_tags = cur.kind() == Kind::TYPE_TAG;
        let mut limit = 32;
        while is_modifier(cur.kind()) {
            if limit == 0 {
                return Err(err(Invalid::ModifierChain));
            }
            limit -= 1;
            if cur.kind() == Kind::TYPE_TAG {
                if !in_tags {
                    return Err(err(Invalid::TypeTagPlacement));
                }
            } else {
                in_tags = false;
            }
            if cur_id as i64 <= good_id {
                break;
            }
            cur_id = cur.type_id();
            if cur_id == 0 {
                break;
            }
            match btf.type_by_id(cur_id) {
                Some(x) => cur = x,
                None => return Err(err(Invalid::InvalidRefType)),
            }
        }
        good_id = t.id() as i64;
    }
    Ok(())
}
