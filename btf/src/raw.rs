//! BTF assembled as raw records (native-order words) and a string section: the form
//! deduplication works on. For tools that copy many types between blobs (the linker merges
//! every input's types, deduplicates, then appends `.BTF.ext` strings): no per-type
//! allocation, and deduplication runs on the words in place. [`BtfBuilder`](crate::BtfBuilder)
//! remains the typed, convenient builder.

use crate::build::header;
use crate::dedup::{dedup_records, ref_slots, str_slots, DedupError, DedupStats, Records};
use crate::hash::StrIndex;
use crate::read::words;
use crate::{Btf, Endian, Kind, Linkage, Type};

/// Where the strings of one source blob went in a [`RawBtf`] (by source offset), so each is
/// hashed once however many records use it.
#[derive(Clone, Debug)]
pub struct StrMap(Vec<u32>);

impl StrMap {
    pub fn for_btf(src: &Btf<'_>) -> StrMap {
        StrMap(vec![u32::MAX; src.string_section().len()])
    }
}

#[derive(Clone, Debug)]
pub struct RawBtf {
    t: Records,
    strings: Vec<u8>,
    index: StrIndex,
}

impl Default for RawBtf {
    fn default() -> Self {
        Self::new()
    }
}

impl RawBtf {
    /// The types and strings of base BTF `btf`, as they are.
    pub fn from_btf(btf: &Btf<'_>) -> RawBtf {
        let words = words(btf.endian(), btf.type_section()).collect();
        let mut start = Vec::with_capacity(btf.type_count() as usize + 1);
        start.extend([0u32, 0]);
        let mut end = 0u32;
        for t in btf.types() {
            end += (t.raw().len() / 4) as u32;
            start.push(end);
        }
        let strings = btf.string_section().to_vec();
        RawBtf { t: Records { words, start }, index: StrIndex::build(&strings), strings }
    }

    /// Base BTF with no types (id 0 is void) and the empty string.
    pub fn new() -> RawBtf {
        RawBtf { t: Records { words: Vec::new(), start: vec![0, 0] }, strings: vec![0], index: StrIndex::build(&[0]) }
    }

    /// No types, and the strings of `other`.
    pub(crate) fn with_strings_of(other: &RawBtf) -> RawBtf {
        RawBtf {
            t: Records { words: Vec::new(), start: vec![0, 0] },
            strings: other.strings.clone(),
            index: other.index.clone(),
        }
    }

    /// Append record `rec` (native words, string offsets already in this blob) with its type
    /// references rewritten by `id_of`; returns its id.
    pub fn push_mapped(&mut self, rec: &[u32], mut id_of: impl FnMut(u32) -> u32) -> u32 {
        let id = self.next_id();
        let at = self.t.words.len();
        self.t.words.extend_from_slice(rec);
        let r = &mut self.t.words[at..];
        for s in ref_slots(r) {
            if let Some(w) = r.get_mut(s) {
                *w = id_of(*w);
            }
        }
        self.t.start.push(self.t.words.len() as u32);
        id
    }

    /// Room for `types` more records of `words` words in all.
    pub fn reserve(&mut self, types: usize, words: usize) {
        self.t.start.reserve(types);
        self.t.words.reserve(words);
    }

    /// The id the next record gets.
    pub fn next_id(&self) -> u32 {
        self.t.len() as u32
    }

    /// Record `id` (1 ..= next_id - 1) as words: `[name_off, info, size/type, ...]`.
    pub fn record(&self, id: u32) -> &[u32] {
        &self.t[id]
    }

    pub fn strings(&self) -> &[u8] {
        &self.strings
    }

    /// Add a string (one copy of each) and return its offset.
    pub fn add_str_bytes(&mut self, s: &[u8]) -> u32 {
        if s.is_empty() {
            return 0;
        }
        self.index.intern(&mut self.strings, s)
    }

    /// Append a copy of type `t` of blob `src`, its strings added to this blob (through
    /// `strs`, which remembers `src`'s offsets already added) and its type references mapped
    /// by `id_of`; returns its id.
    pub fn push_copy(
        &mut self,
        src: &Btf<'_>,
        strs: &mut StrMap,
        t: &Type<'_>,
        mut id_of: impl FnMut(u32) -> u32,
    ) -> u32 {
        let id = self.next_id();
        let at = self.t.words.len();
        self.t.words.extend(words(src.endian(), t.raw()));
        for s in str_slots(&self.t.words[at..]) {
            let Some(&off) = self.t.words.get(at + s) else { continue };
            let new = match strs.0.get(off as usize) {
                Some(&v) if v != u32::MAX => v,
                _ => {
                    let v = self.add_str_bytes(src.str_bytes(off).unwrap_or(b""));
                    if let Some(c) = strs.0.get_mut(off as usize) {
                        *c = v;
                    }
                    v
                }
            };
            self.t.words[at + s] = new;
        }
        let r = &mut self.t.words[at..];
        for s in ref_slots(r) {
            if let Some(w) = r.get_mut(s) {
                *w = id_of(*w);
            }
        }
        self.t.start.push(self.t.words.len() as u32);
        id
    }

    /// Append a DATASEC of `vars` (type id, offset, size); returns its id.
    pub fn push_datasec(&mut self, name: &str, size: u32, vars: &[(u32, u32, u32)]) -> u32 {
        let id = self.next_id();
        let name_off = self.add_str_bytes(name.as_bytes());
        let info = (Kind::DATASEC.0 as u32) << 24 | vars.len() as u32;
        self.t.words.extend([name_off, info, size]);
        for &(ty, off, sz) in vars {
            self.t.words.extend([ty, off, sz]);
        }
        self.t.start.push(self.t.words.len() as u32);
        id
    }

    /// The linkage of FUNC or VAR `id` becomes `l` (other kinds are left alone).
    pub fn set_linkage(&mut self, id: u32, l: Linkage) {
        if id == 0 || id >= self.next_id() {
            return;
        }
        let at = self.t.start[id as usize] as usize;
        let r = &mut self.t.words[at..];
        match Kind(((r[1] >> 24) & 0x1f) as u8) {
            Kind::FUNC => r[1] = (r[1] & !0xffff) | (l.0 & 0xffff),
            Kind::VAR if r.len() > 3 => r[3] = l.0,
            _ => {}
        }
    }

    /// The linkage of FUNC or VAR `id`.
    pub fn linkage(&self, id: u32) -> Option<Linkage> {
        let r = self.t.start.get(id as usize + 1).map(|_| &self.t[id])?;
        match Kind(((r.get(1)? >> 24) & 0x1f) as u8) {
            Kind::FUNC => Some(Linkage(r[1] & 0xffff)),
            Kind::VAR => Some(Linkage(*r.get(3)?)),
            _ => None,
        }
    }

    /// Keep the records `keep(id)` accepts, in order, with every type reference rewritten by
    /// `new_id(old)` (which must give the kept records' new ids).
    pub fn retain(&mut self, keep: impl Fn(u32) -> bool, new_id: impl Fn(u32) -> u32) {
        // In place: a kept record only moves towards the front.
        let n = self.next_id();
        let mut to = 0usize;
        let mut kept = 1usize;
        for id in 1..n {
            let (from, end) = (self.t.start[id as usize] as usize, self.t.start[id as usize + 1] as usize);
            if !keep(id) {
                continue;
            }
            self.t.words.copy_within(from..end, to);
            let r = &mut self.t.words[to..to + (end - from)];
            for s in ref_slots(r) {
                if let Some(w) = r.get_mut(s) {
                    *w = new_id(*w);
                }
            }
            to += end - from;
            kept += 1;
            // `start[kept]` is read later only for ids above `id`, whose entries are not
            // overwritten yet (kept <= id + 1)
            self.t.start[kept] = to as u32;
        }
        self.t.words.truncate(to);
        self.t.start.truncate(kept + 1);
    }

    /// Deduplicate types and strings in place (libbpf's `btf__dedup`, see [`crate::dedup`]):
    /// returns the counts and `map[old id] = new id`. Strings no type uses are dropped.
    pub fn dedup(&mut self) -> Result<(DedupStats, Vec<u32>), DedupError> {
        let t = std::mem::take(&mut self.t);
        let (out, strs, map, stats) = dedup_records(t, &self.strings)?;
        self.t = out;
        self.index = StrIndex::build(&strs);
        self.strings = strs;
        Ok((stats, map))
    }

    /// The `.BTF` section bytes in byte order `e`.
    pub fn to_bytes(&self, e: Endian) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.byte_len());
        self.write_to(&mut out, e).expect("writing to memory does not fail");
        out
    }

    /// The length of [`RawBtf::to_bytes`].
    pub fn byte_len(&self) -> usize {
        24 + self.t.words.len() * 4 + self.strings.len()
    }

    /// [`RawBtf::to_bytes`] into `w` (a file, without the blob in memory first).
    pub fn write_to(&self, w: &mut dyn std::io::Write, e: Endian) -> std::io::Result<()> {
        let tlen = self.t.words.len() * 4;
        w.write_all(&header(e, tlen, self.strings.len()))?;
        let mut ww = crate::words::WordWriter::new(w, e);
        for &v in &self.t.words {
            ww.u32(v)?;
        }
        ww.flush()?;
        w.write_all(&self.strings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{BtfBuilder, IntEncoding};

    #[test]
    fn copy_dedup_and_write() {
        // the same blob copied twice: deduplication leaves one copy, every id maps onto it
        let mut b = BtfBuilder::new();
        let int = b.add_int("int", 4, IntEncoding::SIGNED);
        let p = b.add_ptr(int);
        b.add_struct("pair", 16, &[("a", int, 0), ("p", p, 64)]);
        let one = b.to_bytes(Endian::Little);
        let src = Btf::parse(&one).unwrap();
        let mut r = RawBtf::new();
        for _ in 0..2 {
            let base = r.next_id() - 1;
            let mut strs = StrMap::for_btf(&src);
            for t in src.types() {
                let id = r.push_copy(&src, &mut strs, &t, |i| if i == 0 { 0 } else { i + base });
                assert_eq!(id, t.id() + base);
            }
        }
        assert_eq!(r.next_id(), 7);
        let (stats, map) = r.dedup().unwrap();
        assert_eq!((stats.types_before, stats.types_after), (6, 3));
        assert_eq!(map[4..7], map[1..4]);
        let bytes = r.to_bytes(Endian::Big);
        let out = Btf::parse(&bytes).unwrap();
        assert_eq!(out.type_count(), 4);
        let s = out.type_by_id(map[3]).unwrap();
        assert_eq!(out.name_of(&s), "pair");
        assert_eq!(out.name_of(&out.type_by_id(map[1]).unwrap()), "int");
    }

    #[test]
    fn linkage_retain_and_datasec() {
        let mut b = BtfBuilder::new();
        let int = b.add_int("int", 4, IntEncoding::SIGNED);
        b.add_var("x", int, Linkage::EXTERN);
        b.add_var("y", int, Linkage::GLOBAL);
        let bytes = b.to_bytes(Endian::Little);
        let src = Btf::parse(&bytes).unwrap();
        let mut r = RawBtf::new();
        let mut strs = StrMap::for_btf(&src);
        for t in src.types() {
            r.push_copy(&src, &mut strs, &t, |i| i);
        }
        assert_eq!(r.linkage(2), Some(Linkage::EXTERN));
        r.set_linkage(2, Linkage::GLOBAL);
        assert_eq!(r.linkage(2), Some(Linkage::GLOBAL));
        // drop `x` (id 2): `y` becomes 2
        r.retain(|id| id != 2, |id| if id == 3 { 2 } else { id });
        let ds = r.push_datasec(".data", 4, &[(2, 0, 4)]);
        let bytes = r.to_bytes(Endian::Little);
        let out = Btf::parse(&bytes).unwrap();
        assert_eq!(out.type_count(), 4);
        let t = out.type_by_id(ds).unwrap();
        assert_eq!(t.kind(), Kind::DATASEC);
        assert_eq!(out.name_of(&t), ".data");
        assert_eq!(out.name_of(&out.type_by_id(2).unwrap()), "y");
    }
}
