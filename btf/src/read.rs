//! Zero-copy BTF reader with an index built once.

use crate::error::{Error, ErrorKind};
use crate::{Endian, IntEncoding, Kind, Linkage};
use std::sync::OnceLock;

/// `BTF_MAGIC`.
pub const MAGIC: u16 = 0xeb9f;
/// Size of the fixed `btf_header`.
pub const HEADER_LEN: usize = 24;

#[inline]
pub(crate) fn rd32(e: Endian, b: &[u8], off: usize) -> u32 {
    let a = [b[off], b[off + 1], b[off + 2], b[off + 3]];
    match e {
        Endian::Little => u32::from_le_bytes(a),
        Endian::Big => u32::from_be_bytes(a),
    }
}

/// The 32-bit words of `b` in byte order `e` (a trailing partial word is ignored).
#[inline]
pub(crate) fn words(e: Endian, b: &[u8]) -> impl Iterator<Item = u32> + '_ {
    b.chunks_exact(4).map(move |c| {
        let a = [c[0], c[1], c[2], c[3]];
        match e {
            Endian::Little => u32::from_le_bytes(a),
            Endian::Big => u32::from_be_bytes(a),
        }
    })
}

/// Detect the byte order from a 16-bit magic at the start of `data`.
pub(crate) fn detect_endian(data: &[u8], magic: u16) -> Option<Endian> {
    if data.len() < 2 {
        return None;
    }
    let m = [data[0], data[1]];
    if u16::from_le_bytes(m) == magic {
        Some(Endian::Little)
    } else if u16::from_be_bytes(m) == magic {
        Some(Endian::Big)
    } else {
        None
    }
}

/// The `btf_header` as read (all fields, host order).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    pub magic: u16,
    pub version: u8,
    pub flags: u8,
    pub hdr_len: u32,
    pub type_off: u32,
    pub type_len: u32,
    pub str_off: u32,
    pub str_len: u32,
}

impl Header {
    /// Parse the header only (checks magic, version and that `hdr_len` fits the input).
    pub fn parse(data: &[u8]) -> Result<(Header, Endian), Error> {
        let endian = detect_endian(data, MAGIC)
            .ok_or(Error::new(if data.len() < 2 { ErrorKind::Truncated } else { ErrorKind::BadMagic }, 0))?;
        if data.len() < HEADER_LEN {
            return Err(Error::new(ErrorKind::Truncated, data.len()));
        }
        let h = Header {
            magic: MAGIC,
            version: data[2],
            flags: data[3],
            hdr_len: rd32(endian, data, 4),
            type_off: rd32(endian, data, 8),
            type_len: rd32(endian, data, 12),
            str_off: rd32(endian, data, 16),
            str_len: rd32(endian, data, 20),
        };
        if h.version != 1 {
            return Err(Error::new(ErrorKind::BadVersion(h.version), 2));
        }
        if (h.hdr_len as usize) < HEADER_LEN || h.hdr_len as usize > data.len() {
            return Err(Error::new(ErrorKind::BadHeaderLen(h.hdr_len), 4));
        }
        Ok((h, endian))
    }
}

/// A parsed BTF blob: borrows the input bytes; holds the offset of each type.
///
/// Split BTF (a module over vmlinux) refers to its base: ids below [`Btf::start_id`]
/// and string offsets below [`Btf::start_str_off`] resolve in the base.
pub struct Btf<'a> {
    data: &'a [u8],
    endian: Endian,
    header: Header,
    types: &'a [u8],
    strings: &'a [u8],
    /// Offset in `types` of each local type; index = id - start_id.
    offsets: Vec<u32>,
    start_id: u32,
    start_str: u32,
    base: Option<&'a Btf<'a>>,
    names: OnceLock<NameIndex>,
    ptr_size: OnceLock<u32>,
    /// The string section as `str` when it is all UTF-8 (checked once, at parse time), so
    /// that [`Btf::str_at`] need not check each string.
    strings_utf8: Option<&'a str>,
}

impl core::fmt::Debug for Btf<'_> {
    #[inline]
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Btf")
            .field("endian", &self.endian)
            .field("header", &self.header)
            .field("types", &self.offsets.len())
            .field("start_id", &self.start_id)
            .field("split", &self.base.is_some())
            .finish()
    }
}

impl<'a> Btf<'a> {
    /// Parse a standalone (base) BTF blob.
    #[inline]
    pub fn parse(data: &'a [u8]) -> Result<Self, Error> {
        Self::parse_inner(data, None)
    }

    /// Parse split BTF on top of `base` (e.g. a module's BTF over vmlinux).
    #[inline]
    pub fn parse_split(data: &'a [u8], base: &'a Btf<'a>) -> Result<Self, Error> {
        Self::parse_inner(data, Some(base))
    }

    fn parse_inner(data: &'a [u8], base: Option<&'a Btf<'a>>) -> Result<Self, Error> {
        let (header, endian) = Header::parse(data)?;
        let hl = header.hdr_len as usize;
        let body = &data[hl..];
        let section = |off: u32, len: u32, field: usize| -> Result<&'a [u8], Error> {
            let start = off as usize;
            let end = start
                .checked_add(len as usize)
                .filter(|&e| e <= body.len())
                .ok_or(Error::new(ErrorKind::SectionOutOfBounds, field))?;
            Ok(&data[hl + start..hl + end])
        };
        let types = section(header.type_off, header.type_len, 8)?;
        let strings = section(header.str_off, header.str_len, 16)?;
        if header.type_off % 4 != 0 {
            return Err(Error::new(ErrorKind::SectionMisaligned, 8));
        }
        let (start_id, start_str) = match base {
            Some(b) => (b.type_count(), b.start_str + b.strings.len() as u32),
            None => (1, 0),
        };
        let type_base = hl + header.type_off as usize;
        // Records average about 24 bytes: reserve enough that the vector rarely grows (a
        // reallocation would copy it).
        let mut offsets = Vec::with_capacity(types.len() / 16 + 1);
        let max_local = (u32::MAX - start_id) as usize;
        let mut pos = 0usize;
        while pos < types.len() {
            if types.len() - pos < 12 {
                return Err(Error::new(ErrorKind::TypeTruncated, type_base + pos));
            }
            let w = [types[pos + 4], types[pos + 5], types[pos + 6], types[pos + 7]];
            let info = match endian {
                Endian::Little => u32::from_le_bytes(w),
                Endian::Big => u32::from_be_bytes(w),
            };
            let kind = ((info >> 24) & 0x1f) as usize;
            let (fixed, per) = EXTRA_LEN[kind];
            if fixed == u8::MAX {
                return Err(Error::new(ErrorKind::UnknownKind(Kind(kind as u8)), type_base + pos + 4));
            }
            let end = pos + 12 + fixed as usize + per as usize * (info & 0xffff) as usize;
            if end > types.len() {
                return Err(Error::new(ErrorKind::TypeTruncated, type_base + pos));
            }
            if offsets.len() >= max_local {
                return Err(Error::new(ErrorKind::TooManyTypes, type_base + pos));
            }
            offsets.push(pos as u32);
            pos = end;
        }
        Ok(Btf {
            data,
            endian,
            header,
            types,
            strings,
            offsets,
            start_id,
            start_str,
            base,
            names: OnceLock::new(),
            ptr_size: OnceLock::new(),
            strings_utf8: core::str::from_utf8(strings).ok(),
        })
    }

    /// The input bytes.
    #[inline]
    pub fn data(&self) -> &'a [u8] {
        self.data
    }
    #[inline]
    pub fn endian(&self) -> Endian {
        self.endian
    }
    #[inline]
    pub fn header(&self) -> &Header {
        &self.header
    }
    /// The raw type section.
    #[inline]
    pub fn type_section(&self) -> &'a [u8] {
        self.types
    }
    /// The raw string section.
    #[inline]
    pub fn string_section(&self) -> &'a [u8] {
        self.strings
    }
    /// The base BTF of split BTF.
    #[inline]
    pub fn base(&self) -> Option<&'a Btf<'a>> {
        self.base
    }
    /// First id of this blob's own types (1 for base BTF).
    #[inline]
    pub fn start_id(&self) -> u32 {
        self.start_id
    }
    /// First string offset of this blob's own strings (0 for base BTF).
    #[inline]
    pub fn start_str_off(&self) -> u32 {
        self.start_str
    }
    /// One past the last valid type id (includes the base's types and void).
    #[inline]
    pub fn type_count(&self) -> u32 {
        self.start_id + self.offsets.len() as u32
    }
    /// Number of types in this blob (not counting base or void).
    #[inline]
    pub fn local_type_count(&self) -> u32 {
        self.offsets.len() as u32
    }
    /// Byte offset of a local type's record within the input.
    #[inline]
    pub fn type_offset(&self, id: u32) -> Option<usize> {
        let i = id.checked_sub(self.start_id)? as usize;
        let off = *self.offsets.get(i)?;
        Some(self.header.hdr_len as usize + self.header.type_off as usize + off as usize)
    }

    /// The type with this id (`None` for void, id 0, or out of range).
    #[inline]
    pub fn type_by_id(&self, id: u32) -> Option<Type<'a>> {
        if id < self.start_id {
            return self.base.and_then(|b| b.type_by_id(id));
        }
        let i = (id - self.start_id) as usize;
        let start = *self.offsets.get(i)? as usize;
        let end = self.offsets.get(i + 1).map_or(self.types.len(), |&o| o as usize);
        Some(Type { id, rec: &self.types[start..end], endian: self.endian })
    }

    /// This blob's own types, in id order.
    #[inline]
    pub fn types(&self) -> impl ExactSizeIterator<Item = Type<'a>> + '_ {
        (self.start_id..self.type_count()).map(move |id| self.type_by_id(id).expect("in range"))
    }

    /// The NUL-terminated string at `off` (without the NUL), or `None` when out of range
    /// or unterminated.
    #[inline]
    pub fn str_bytes(&self, off: u32) -> Option<&'a [u8]> {
        if off < self.start_str {
            return self.base.and_then(|b| b.str_bytes(off));
        }
        let s = self.strings.get((off - self.start_str) as usize..)?;
        Some(&s[..cstr_len(s)?])
    }

    /// The string at `off` as UTF-8 (`None` if out of range or not UTF-8).
    pub fn str_at(&self, off: u32) -> Option<&'a str> {
        if off < self.start_str {
            return self.base.and_then(|b| b.str_at(off));
        }
        let start = (off - self.start_str) as usize;
        match self.strings_utf8 {
            // A NUL always ends a character: only the start needs checking.
            Some(all) => {
                let s = all.get(start..)?;
                Some(&s[..cstr_len(s.as_bytes())?])
            }
            None => self.str_bytes(off).and_then(|b| core::str::from_utf8(b).ok()),
        }
    }

    /// A type's name ("" for anonymous or unreadable).
    #[inline]
    pub fn name_of(&self, t: &Type<'_>) -> &'a str {
        self.str_at(t.name_off()).unwrap_or("")
    }

    #[inline]
    fn name_index(&self) -> &NameIndex {
        self.names.get_or_init(|| NameIndex::build(self))
    }

    /// Ids of all types named `name`, in this blob then its base (no scan: hashed index).
    #[inline]
    pub fn ids_by_name<'s>(&'s self, name: &'s str) -> IdsByName<'s> {
        IdsByName { btf: Some(self), name: name.as_bytes(), cur: 0, started: false }
    }

    /// First type named `name` of kind `kind`.
    #[inline]
    pub fn find_by_name_kind(&self, name: &str, kind: Kind) -> Option<Type<'a>> {
        self.ids_by_name(name).filter_map(|id| self.type_by_id(id)).find(|t| t.kind() == kind)
    }

    /// Build the name index now (otherwise built on first lookup).
    #[inline]
    pub fn build_name_index(&self) {
        self.name_index();
        if let Some(b) = self.base {
            b.build_name_index();
        }
    }

    /// Follow typedefs and modifiers (const, volatile, restrict, type tags) to the
    /// underlying type id, at most `MAX_RESOLVE_DEPTH` steps.
    #[inline]
    pub fn skip_mods_and_typedefs(&self, mut id: u32) -> u32 {
        for _ in 0..MAX_RESOLVE_DEPTH {
            match self.type_by_id(id) {
                Some(t) if t.kind().is_modifier() || t.kind() == Kind::TYPEDEF => id = t.type_id(),
                _ => return id,
            }
        }
        id
    }

    /// Size in bytes of type `id` (following typedefs/modifiers, multiplying arrays),
    /// `None` for void/func/unsized or on a loop.
    pub fn resolve_size(&self, id: u32) -> Option<u64> {
        let mut id = id;
        let mut mult: u64 = 1;
        for _ in 0..MAX_RESOLVE_DEPTH {
            let t = self.type_by_id(id)?;
            match t.kind() {
                Kind::INT | Kind::STRUCT | Kind::UNION | Kind::ENUM | Kind::ENUM64 | Kind::DATASEC | Kind::FLOAT => {
                    return mult.checked_mul(t.size() as u64)
                }
                Kind::PTR => return mult.checked_mul(self.pointer_size() as u64),
                Kind::TYPEDEF
                | Kind::VOLATILE
                | Kind::CONST
                | Kind::RESTRICT
                | Kind::TYPE_TAG
                | Kind::VAR
                | Kind::DECL_TAG => id = t.type_id(),
                Kind::ARRAY => {
                    let a = t.array();
                    mult = mult.checked_mul(a.nelems as u64)?;
                    id = a.elem_type;
                }
                _ => return None,
            }
        }
        None
    }

    /// Pointer size guessed from the types: the size of `long` (first INT named
    /// "long int" or "long unsigned int"), else 8. Computed once.
    pub fn pointer_size(&self) -> u32 {
        *self.ptr_size.get_or_init(|| {
            if let Some(b) = self.base {
                return b.pointer_size();
            }
            self.types()
                .find(|t| {
                    t.kind() == Kind::INT
                        && matches!(self.str_bytes(t.name_off()), Some(b"long int" | b"long unsigned int"))
                })
                .map_or(8, |t| t.size())
        })
    }
}

/// Bytes after the 12-byte `btf_type` of each kind (index: kind's 5 bits): fixed part and
/// per-item part; `u8::MAX` fixed marks an unknown kind. Same as [`Kind::extra_len`].
const EXTRA_LEN: [(u8, u8); 32] = {
    let mut t = [(u8::MAX, 0u8); 32];
    let mut k = 0;
    while k < 32 {
        let kind = Kind(k as u8);
        // extra_len is linear in vlen: probe it at 0 and 1.
        if let (Some(a), Some(b)) = (kind.extra_len(0), kind.extra_len(1)) {
            t[k] = (a as u8, (b - a) as u8);
        }
        k += 1;
    }
    t
};

/// Length of the NUL-terminated string at the start of `s`, `None` if unterminated.
/// Names are short: look at a word at a time before handing long ones to memchr.
#[inline]
fn cstr_len(s: &[u8]) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let mut p = 0;
    while p < 32 {
        let Some(c) = s.get(p..p + 8) else { break };
        let w = u64::from_le_bytes(c.try_into().expect("8 bytes"));
        let z = w.wrapping_sub(LO) & !w & HI;
        if z != 0 {
            return Some(p + (z.trailing_zeros() / 8) as usize);
        }
        p += 8;
    }
    memchr::memchr(0, &s[p..]).map(|n| p + n)
}

pub use crate::limits::MAX_RESOLVE_DEPTH;

/// Open-addressing hash table from name to first id, with a chain to further ids.
///
/// A slot is one `u32`: the local index + 1 of the first type with a name in the low
/// `idx_bits`, and the top bits of the name's hash above them (a tag), so probing compares
/// integers and names are compared only when the tags match (and not at all when the name
/// offsets are equal, as in a deduplicated string table). Four bytes a slot keep the table
/// of vmlinux (~126k types) within 1 MB, the size of a core's L2 cache here.
struct NameIndex {
    slots: Vec<u32>, // tag << idx_bits | (local index + 1); 0 = empty
    next: Vec<u32>,  // local index + 1 of next type with the same name, 0 = end
    mask: usize,
    idx_bits: u32,
}

const HASH_K: u64 = 0x9e37_79b9_7f4a_7c15;

#[inline]
fn hash_word(h: u64, w: u64) -> u64 {
    (h ^ w).wrapping_mul(HASH_K).rotate_left(26)
}

#[inline]
fn hash_finish(h: u64, len: usize) -> u64 {
    let h = (h ^ len as u64).wrapping_mul(HASH_K);
    h ^ (h >> 29)
}

/// Hash of a name: its bytes as little-endian 64-bit words (the last one zero-padded),
/// then its length. [`hash_cstr`] computes the same value straight from a string table.
pub(crate) fn hash_bytes(b: &[u8]) -> u64 {
    let mut h: u64 = 0;
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        h = hash_word(h, u64::from_le_bytes(c.try_into().expect("8 bytes")));
    }
    let r = chunks.remainder();
    if !r.is_empty() {
        let mut w = [0u8; 8];
        w[..r.len()].copy_from_slice(r);
        h = hash_word(h, u64::from_le_bytes(w));
    }
    hash_finish(h, b.len())
}

/// Length and [`hash_bytes`] hash of the NUL-terminated string at `off` in `strings`,
/// found word by word (no separate length scan); `None` when out of range or unterminated.
#[inline]
pub(crate) fn hash_cstr(strings: &[u8], off: usize) -> Option<(u64, usize)> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let s = strings.get(off..)?;
    let mut h: u64 = 0;
    let mut p = 0;
    while let Some(c) = s.get(p..p + 8) {
        let w = u64::from_le_bytes(c.try_into().expect("8 bytes"));
        let z = w.wrapping_sub(LO) & !w & HI;
        if z != 0 {
            // The lowest flagged byte is the first NUL (borrows only flag bytes above it).
            let n = (z.trailing_zeros() / 8) as usize;
            if n > 0 {
                h = hash_word(h, w & ((1u64 << (8 * n)) - 1));
            }
            return Some((hash_finish(h, p + n), p + n));
        }
        h = hash_word(h, w);
        p += 8;
    }
    // Fewer than 8 bytes left in the table.
    let n = memchr::memchr(0, &s[p..])?;
    Some((hash_bytes(&s[..p + n]), p + n))
}

impl NameIndex {
    /// Slot tag of hash `h` (its top bits, as many as the slot has left; maybe none).
    #[inline]
    fn tag(&self, h: u64) -> u32 {
        tag_of(h, self.idx_bits)
    }

    fn build(btf: &Btf<'_>) -> NameIndex {
        let n = btf.offsets.len();
        let cap = (n * 2).next_power_of_two().max(16);
        let mask = cap - 1;
        let idx_bits = 32 - (n as u32).leading_zeros(); // holds n (index + 1)
        let idx_mask = if idx_bits >= 32 { u32::MAX } else { (1u32 << idx_bits) - 1 };
        let mut slots = vec![0u32; cap];
        let mut next = vec![0u32; n];
        let types = btf.types;
        let e = btf.endian;
        let start_str = btf.start_str as usize;
        // Insert in reverse so each chain lists ids in increasing order.
        for i in (0..n).rev() {
            let name_off = rd32(e, types, btf.offsets[i] as usize);
            let (h, len) = if name_off as usize >= start_str {
                match hash_cstr(btf.strings, name_off as usize - start_str) {
                    Some(x) => x,
                    None => continue,
                }
            } else {
                match btf.str_bytes(name_off) {
                    Some(b) => (hash_bytes(b), b.len()),
                    None => continue,
                }
            };
            if len == 0 {
                continue;
            }
            let entry = tag_of(h, idx_bits) | (i as u32 + 1);
            let tag = entry & !idx_mask;
            let mut s = h as usize & mask;
            loop {
                let cur = slots[s];
                if cur == 0 {
                    slots[s] = entry;
                    break;
                }
                if cur & !idx_mask == tag {
                    let ci = ((cur & idx_mask) - 1) as usize;
                    let c_off = rd32(e, types, btf.offsets[ci] as usize);
                    if c_off == name_off || btf.str_bytes(c_off) == btf.str_bytes(name_off) {
                        next[i] = cur & idx_mask;
                        slots[s] = entry;
                        break;
                    }
                }
                s = (s + 1) & mask;
            }
        }
        NameIndex { slots, next, mask, idx_bits }
    }

    /// Local index + 1 of the first type named `name`, 0 if none.
    fn first(&self, btf: &Btf<'_>, name: &[u8]) -> u32 {
        if name.is_empty() {
            return 0;
        }
        let h = hash_bytes(name);
        let idx_mask = if self.idx_bits >= 32 { u32::MAX } else { (1u32 << self.idx_bits) - 1 };
        let tag = self.tag(h);
        let mut s = h as usize & self.mask;
        loop {
            let cur = self.slots[s];
            if cur == 0 {
                return 0;
            }
            if cur & !idx_mask == tag {
                let ci = ((cur & idx_mask) - 1) as usize;
                let c_off = rd32(btf.endian, btf.types, btf.offsets[ci] as usize);
                if btf.str_bytes(c_off) == Some(name) {
                    return cur & idx_mask;
                }
            }
            s = (s + 1) & self.mask;
        }
    }
}

/// The top `32 - idx_bits` bits of `h`, in place above the index bits of a slot.
#[inline]
fn tag_of(h: u64, idx_bits: u32) -> u32 {
    if idx_bits >= 32 {
        0
    } else {
        ((h >> 32) as u32) & !((1u32 << idx_bits) - 1)
    }
}

/// Iterator over the ids of types with a given name (see [`Btf::ids_by_name`]).
pub struct IdsByName<'s> {
    btf: Option<&'s Btf<'s>>,
    name: &'s [u8],
    cur: u32,
    started: bool,
}

impl Iterator for IdsByName<'_> {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        loop {
            let b = self.btf?;
            let idx = b.name_index();
            if !self.started {
                self.cur = idx.first(b, self.name);
                self.started = true;
            }
            if self.cur != 0 {
                let id = b.start_id + self.cur - 1;
                self.cur = idx.next[(self.cur - 1) as usize];
                return Some(id);
            }
            self.btf = b.base;
            self.started = false;
        }
    }
}

/// One type record, borrowed from the input.
#[derive(Clone, Copy)]
pub struct Type<'a> {
    id: u32,
    rec: &'a [u8],
    endian: Endian,
}

impl core::fmt::Debug for Type<'_> {
    #[inline]
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Type")
            .field("id", &self.id)
            .field("kind", &self.kind())
            .field("name_off", &self.name_off())
            .finish()
    }
}

impl<'a> Type<'a> {
    #[inline]
    pub fn id(&self) -> u32 {
        self.id
    }
    /// The raw record bytes (12-byte `btf_type` plus kind-specific data).
    #[inline]
    pub fn raw(&self) -> &'a [u8] {
        self.rec
    }
    #[inline]
    pub fn name_off(&self) -> u32 {
        rd32(self.endian, self.rec, 0)
    }
    #[inline]
    pub fn info(&self) -> u32 {
        rd32(self.endian, self.rec, 4)
    }
    #[inline]
    pub fn kind(&self) -> Kind {
        Kind(((self.info() >> 24) & 0x1f) as u8)
    }
    #[inline]
    pub fn vlen(&self) -> u32 {
        self.info() & 0xffff
    }
    #[inline]
    pub fn kind_flag(&self) -> bool {
        self.info() >> 31 != 0
    }
    /// The `size`/`type` union word.
    #[inline]
    pub fn size_or_type(&self) -> u32 {
        rd32(self.endian, self.rec, 8)
    }
    /// Size in bytes (INT, STRUCT, UNION, ENUM, ENUM64, DATASEC, FLOAT).
    #[inline]
    pub fn size(&self) -> u32 {
        self.size_or_type()
    }
    /// Referenced type (PTR, TYPEDEF, modifiers, FUNC, FUNC_PROTO return, VAR, tags).
    #[inline]
    pub fn type_id(&self) -> u32 {
        self.size_or_type()
    }
    #[inline]
    fn extra(&self, off: usize) -> u32 {
        rd32(self.endian, self.rec, 12 + off)
    }
    /// INT data (zeroes for other kinds).
    #[inline]
    pub fn int(&self) -> IntInfo {
        if self.kind() != Kind::INT {
            return IntInfo::default();
        }
        IntInfo::from_raw(self.extra(0))
    }
    /// ARRAY data (zeroes for other kinds).
    #[inline]
    pub fn array(&self) -> ArrayInfo {
        if self.kind() != Kind::ARRAY {
            return ArrayInfo::default();
        }
        ArrayInfo { elem_type: self.extra(0), index_type: self.extra(4), nelems: self.extra(8) }
    }
    /// VAR linkage (0 for other kinds).
    #[inline]
    pub fn var_linkage(&self) -> Linkage {
        if self.kind() != Kind::VAR {
            return Linkage(0);
        }
        Linkage(self.extra(0))
    }
    /// FUNC linkage (stored in vlen).
    #[inline]
    pub fn func_linkage(&self) -> Linkage {
        Linkage(self.vlen())
    }
    /// DECL_TAG component index (-1 for the declaration itself).
    #[inline]
    pub fn decl_tag_component(&self) -> i32 {
        if self.kind() != Kind::DECL_TAG {
            return -1;
        }
        self.extra(0) as i32
    }
    #[inline]
    fn items<T: Record>(&self, kinds: &[Kind]) -> Records<'a, T> {
        let n = if kinds.contains(&self.kind()) { self.vlen() as usize } else { 0 };
        Records {
            data: &self.rec[12..12 + n * T::SIZE],
            endian: self.endian,
            kflag: self.kind_flag(),
            _t: core::marker::PhantomData,
        }
    }
    /// STRUCT/UNION members (empty for other kinds).
    #[inline]
    pub fn members(&self) -> Records<'a, Member> {
        self.items(&[Kind::STRUCT, Kind::UNION])
    }
    /// ENUM and ENUM64 values (empty for other kinds).
    #[inline]
    pub fn enum_values(&self) -> EnumValues<'a> {
        match self.kind() {
            Kind::ENUM64 => EnumValues::E64(self.items(&[Kind::ENUM64])),
            _ => EnumValues::E32(self.items(&[Kind::ENUM])),
        }
    }
    /// FUNC_PROTO parameters (empty for other kinds).
    #[inline]
    pub fn params(&self) -> Records<'a, Param> {
        self.items(&[Kind::FUNC_PROTO])
    }
    /// DATASEC variables (empty for other kinds).
    #[inline]
    pub fn datasec_vars(&self) -> Records<'a, VarSecInfo> {
        self.items(&[Kind::DATASEC])
    }
    /// Whether this is a struct or union.
    #[inline]
    pub fn is_composite(&self) -> bool {
        matches!(self.kind(), Kind::STRUCT | Kind::UNION)
    }
    /// Whether this is an enum or enum64.
    #[inline]
    pub fn is_enum(&self) -> bool {
        matches!(self.kind(), Kind::ENUM | Kind::ENUM64)
    }
}

impl Kind {
    /// CONST, VOLATILE, RESTRICT, TYPE_TAG.
    #[inline]
    pub fn is_modifier(self) -> bool {
        matches!(self, Kind::CONST | Kind::VOLATILE | Kind::RESTRICT | Kind::TYPE_TAG)
    }
}

/// INT encoding data.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct IntInfo {
    pub encoding: IntEncoding,
    /// Bit offset (BTF_INT_OFFSET).
    pub offset: u8,
    /// Number of bits (BTF_INT_BITS).
    pub bits: u8,
    /// The whole raw word, including bits the format leaves unused.
    pub raw: u32,
}

impl IntInfo {
    #[inline]
    pub fn from_raw(v: u32) -> Self {
        IntInfo {
            encoding: IntEncoding(((v >> 24) & 0x0f) as u8),
            offset: ((v >> 16) & 0xff) as u8,
            bits: (v & 0xff) as u8,
            raw: v,
        }
    }
}

/// ARRAY data.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ArrayInfo {
    pub elem_type: u32,
    pub index_type: u32,
    pub nelems: u32,
}

/// A fixed-size record following a `btf_type`.
pub trait Record: Sized {
    const SIZE: usize;
    fn decode(b: &[u8], e: Endian, kflag: bool) -> Self;
}

/// Iterator over the records following a type.
#[derive(Clone)]
pub struct Records<'a, T> {
    data: &'a [u8],
    endian: Endian,
    kflag: bool,
    _t: core::marker::PhantomData<T>,
}

impl<T: Record> Iterator for Records<'_, T> {
    type Item = T;
    #[inline]
    fn next(&mut self) -> Option<T> {
        if self.data.len() < T::SIZE {
            return None;
        }
        let (h, t) = self.data.split_at(T::SIZE);
        self.data = t;
        Some(T::decode(h, self.endian, self.kflag))
    }
    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.data.len() / T::SIZE;
        (n, Some(n))
    }
}
impl<T: Record> ExactSizeIterator for Records<'_, T> {}

impl<T: Record> Records<'_, T> {
    /// The `i`th record.
    #[inline]
    pub fn get(&self, i: usize) -> Option<T> {
        let b = self.data.get(i * T::SIZE..(i + 1) * T::SIZE)?;
        Some(T::decode(b, self.endian, self.kflag))
    }
}

/// A STRUCT/UNION member.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Member {
    pub name_off: u32,
    pub type_id: u32,
    /// The raw `offset` word.
    pub offset: u32,
    /// Bit offset (decoded per the parent's kind_flag).
    pub bit_offset: u32,
    /// Bitfield size (0 when not a bitfield or kind_flag is clear).
    pub bitfield_size: u32,
}

impl Record for Member {
    const SIZE: usize = 12;
    #[inline]
    fn decode(b: &[u8], e: Endian, kflag: bool) -> Self {
        let offset = rd32(e, b, 8);
        let (bit_offset, bitfield_size) = if kflag { (offset & 0xff_ffff, offset >> 24) } else { (offset, 0) };
        Member { name_off: rd32(e, b, 0), type_id: rd32(e, b, 4), offset, bit_offset, bitfield_size }
    }
}

/// A FUNC_PROTO parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Param {
    pub name_off: u32,
    pub type_id: u32,
}

impl Record for Param {
    const SIZE: usize = 8;
    #[inline]
    fn decode(b: &[u8], e: Endian, _: bool) -> Self {
        Param { name_off: rd32(e, b, 0), type_id: rd32(e, b, 4) }
    }
}

/// A DATASEC entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct VarSecInfo {
    pub type_id: u32,
    pub offset: u32,
    pub size: u32,
}

impl Record for VarSecInfo {
    const SIZE: usize = 12;
    #[inline]
    fn decode(b: &[u8], e: Endian, _: bool) -> Self {
        VarSecInfo { type_id: rd32(e, b, 0), offset: rd32(e, b, 4), size: rd32(e, b, 8) }
    }
}

/// An ENUM or ENUM64 value. `val` holds the raw bits (ENUM: zero-extended 32 bits).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EnumValue {
    pub name_off: u32,
    pub val: u64,
}

/// Raw 32-bit enum record.
#[derive(Clone, Copy, Debug)]
pub struct Enum32(pub EnumValue);
impl Record for Enum32 {
    const SIZE: usize = 8;
    #[inline]
    fn decode(b: &[u8], e: Endian, _: bool) -> Self {
        Enum32(EnumValue { name_off: rd32(e, b, 0), val: rd32(e, b, 4) as u64 })
    }
}
/// Raw 64-bit enum record.
#[derive(Clone, Copy, Debug)]
pub struct Enum64(pub EnumValue);
impl Record for Enum64 {
    const SIZE: usize = 12;
    #[inline]
    fn decode(b: &[u8], e: Endian, _: bool) -> Self {
        let lo = rd32(e, b, 4) as u64;
        let hi = rd32(e, b, 8) as u64;
        Enum64(EnumValue { name_off: rd32(e, b, 0), val: hi << 32 | lo })
    }
}

/// Iterator over ENUM or ENUM64 values.
#[derive(Clone)]
pub enum EnumValues<'a> {
    E32(Records<'a, Enum32>),
    E64(Records<'a, Enum64>),
}

impl Iterator for EnumValues<'_> {
    type Item = EnumValue;
    #[inline]
    fn next(&mut self) -> Option<EnumValue> {
        match self {
            EnumValues::E32(r) => r.next().map(|v| v.0),
            EnumValues::E64(r) => r.next().map(|v| v.0),
        }
    }
    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            EnumValues::E32(r) => r.size_hint(),
            EnumValues::E64(r) => r.size_hint(),
        }
    }
}
impl ExactSizeIterator for EnumValues<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::BtfBuilder;

    /// Every name's ids from the hashed index equal a scan of the types, on the running
    /// kernel's BTF in both byte orders (skipped without /sys/kernel/btf/vmlinux).
    #[test]
    fn name_index_matches_scan() {
        let Ok(data) = std::fs::read("/sys/kernel/btf/vmlinux") else { return };
        let base = Btf::parse(&data).unwrap();
        let other = if base.endian() == Endian::Little { Endian::Big } else { Endian::Little };
        let swapped = BtfBuilder::from_btf(&base).to_bytes(other);
        for btf in [base, Btf::parse(&swapped).unwrap()] {
            let mut by_name: std::collections::HashMap<&[u8], Vec<u32>> = Default::default();
            for t in btf.types() {
                let name = btf.str_bytes(t.name_off()).unwrap_or_default();
                if !name.is_empty() {
                    by_name.entry(name).or_default().push(t.id());
                }
            }
            for (name, ids) in &by_name {
                let name = core::str::from_utf8(name).unwrap();
                assert_eq!(&btf.ids_by_name(name).collect::<Vec<_>>(), ids, "{name}");
            }
            for name in ["", "no_such_type_name", "task_struc", "task_structx"] {
                assert_eq!(btf.ids_by_name(name).count(), by_name.get(name.as_bytes()).map_or(0, Vec::len));
            }
        }
    }

    #[test]
    #[inline]
    fn hash_cstr_agrees_with_hash_bytes() {
        let table = b"\0a\0abcdefgh\0abcdefghijklmnopq\0xyz";
        for off in 0..table.len() {
            let got = hash_cstr(table, off);
            let want = table[off..].iter().position(|&c| c == 0).map(|n| (hash_bytes(&table[off..off + n]), n));
            assert_eq!(got, want, "offset {off}");
        }
    }
}
