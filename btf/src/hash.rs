//! A small fast hasher (FxHash-style multiply-rotate) for maps keyed by integers and short
//! strings, and [`StrIndex`], a string-interning index over a NUL-separated byte arena.
//! Deterministic; not DoS-resistant (inputs are object files, not network peers). Public so
//! the linker and the other tools use the same maps instead of SipHash.

use std::hash::{BuildHasherDefault, Hasher};

#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(K);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut c = bytes.chunks_exact(8);
        for x in &mut c {
            self.add(u64::from_le_bytes([x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7]]));
        }
        let r = c.remainder();
        if !r.is_empty() {
            let mut b = [0u8; 8];
            b[..r.len()].copy_from_slice(r);
            self.add(u64::from_le_bytes(b) ^ (r.len() as u64) << 59);
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64)
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64)
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i)
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64)
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

pub type FxBuild = BuildHasherDefault<FxHasher>;
pub type FxHashMap<K, V> = std::collections::HashMap<K, V, FxBuild>;
pub type FxHashSet<K> = std::collections::HashSet<K, FxBuild>;

fn hash_bytes(s: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write(s);
    h.finish()
}

/// The set of strings of a NUL-separated arena, by position: `find` answers "where is this
/// string" without a key allocation per string (the arena holds the bytes). Open addressing;
/// each slot keeps the position and 32 bits of the hash, so growing never re-reads the arena
/// and a probe compares bytes only on a hash match.
#[derive(Clone, Debug)]
pub struct StrIndex {
    /// `(hash >> 32) << 32 | position`; [`EMPTY`] is an empty slot. Length 0 or a power of two.
    slots: Vec<u64>,
    len: usize,
}

const EMPTY: u64 = u64::MAX;

impl StrIndex {
    /// An empty index with room for `n` strings before it grows.
    fn with_capacity(n: usize) -> StrIndex {
        StrIndex { slots: vec![EMPTY; (n * 8 / 7 + 1).next_power_of_two().max(16)], len: 0 }
    }

    /// Index every string of `arena` (first occurrence wins).
    pub fn build(arena: &[u8]) -> StrIndex {
        let mut ix = StrIndex::with_capacity(memchr::memchr_iter(0, arena).count());
        let mut pos = 0;
        while pos < arena.len() {
            let n = memchr::memchr(0, &arena[pos..]).unwrap_or(arena.len() - pos);
            if let Err(slot) = ix.find(arena, &arena[pos..pos + n]) {
                ix.insert_at(slot, pos as u32);
            }
            pos += n + 1;
        }
        ix
    }

    fn rehash(&mut self, size: usize) {
        let old = std::mem::replace(&mut self.slots, vec![EMPTY; size]);
        let mask = size - 1;
        for e in old.into_iter().filter(|&e| e != EMPTY) {
            let mut i = self.slot_of(e >> 32);
            while self.slots[i] != EMPTY {
                i = (i + 1) & mask;
            }
            self.slots[i] = e;
        }
    }

    /// Slot for the high 32 bits of a hash.
    fn slot_of(&self, h32: u64) -> usize {
        ((h32 << 32) >> (64 - self.slots.len().trailing_zeros())) as usize
    }

    /// `Ok(position)` of `s` in `arena`, or `Err(slot)` to pass to [`StrIndex::insert_at`]
    /// (the slot also carries the hash, so the insertion does not hash again).
    pub fn find(&self, arena: &[u8], s: &[u8]) -> Result<u32, StrSlot> {
        let mask = self.slots.len() - 1;
        let h32 = hash_bytes(s) >> 32;
        let mut i = self.slot_of(h32);
        loop {
            let e = self.slots[i];
            if e == EMPTY {
                return Err(StrSlot { index: i, h32 });
            }
            if e >> 32 == h32 {
                let at = e as u32 as usize;
                if arena.get(at..at + s.len()) == Some(s) && arena.get(at + s.len()) == Some(&0) {
                    return Ok(e as u32);
                }
            }
            i = (i + 1) & mask;
        }
    }

    /// Record that the string [`StrIndex::find`] did not find now lives at `pos` of the arena.
    pub fn insert_at(&mut self, slot: StrSlot, pos: u32) {
        self.slots[slot.index] = slot.h32 << 32 | pos as u64;
        self.len += 1;
        if self.len * 8 >= self.slots.len() * 7 {
            self.rehash(self.slots.len() * 2);
        }
    }
}

impl StrIndex {
    /// The position of `s` in `arena`, appending it (and its NUL) when it is not there yet.
    pub fn intern(&mut self, arena: &mut Vec<u8>, s: &[u8]) -> u32 {
        match self.find(arena, s) {
            Ok(pos) => pos,
            Err(slot) => {
                let pos = arena.len() as u32;
                arena.extend_from_slice(s);
                arena.push(0);
                self.insert_at(slot, pos);
                pos
            }
        }
    }
}

/// Where [`StrIndex::find`] would put a string it did not find.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StrSlot {
    index: usize,
    h32: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn str_index_finds_first_occurrence_and_grows() {
        let mut arena = b"\0a\0bc\0a\0".to_vec();
        let mut ix = StrIndex::build(&arena);
        assert_eq!(ix.find(&arena, b"a"), Ok(1));
        assert_eq!(ix.find(&arena, b"bc"), Ok(3));
        assert_eq!(ix.find(&arena, b""), Ok(0));
        assert!(ix.find(&arena, b"b").is_err());
        for k in 0..10_000u32 {
            let s = format!("name{k}");
            let slot = ix.find(&arena, s.as_bytes()).unwrap_err();
            let pos = arena.len() as u32;
            arena.extend_from_slice(s.as_bytes());
            arena.push(0);
            ix.insert_at(slot, pos);
        }
        for k in (0..10_000u32).step_by(997) {
            let s = format!("name{k}");
            let p = ix.find(&arena, s.as_bytes()).unwrap() as usize;
            assert_eq!(&arena[p..p + s.len()], s.as_bytes());
        }
        assert_eq!(ix.find(&arena, b"a"), Ok(1));
    }
}
