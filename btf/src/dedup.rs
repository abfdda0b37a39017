//! Type and string deduplication, following libbpf's `btf__dedup` algorithm:
//!
//! 1. strings: one copy of each string, in order of first use;
//! 2. primitive types (INT, ENUM, ENUM64, FWD, FLOAT) by value (an enum without values
//!    merges with the full enum of the same name);
//! 3. structs and unions by *hypothetical equivalence*: two types are the same if their
//!    graphs can be walked in lockstep with a consistent mapping, where a FWD matches a
//!    struct/union of the same name and kind;
//! 4. FWDs left over resolve to the unique struct/union of their name, if any;
//! 5. reference types (PTR, TYPEDEF, modifiers, ARRAY, FUNC, FUNC_PROTO, tags) bottom-up
//!    after their targets;
//! 6. compaction (canonical types keep their relative order) and id remapping.
//!
//! VAR and DATASEC are never merged. The result is deterministic.

use crate::hash::FxHashMap as HashMap;
use crate::{Btf, BtfBuilder, Endian, Kind};

/// Why deduplication failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DedupError {
    /// A type refers to an id that does not exist.
    BadTypeId(u32),
    /// A name offset points outside the string section.
    BadStringOffset(u32),
    /// Reference types form a loop (e.g. a typedef to itself).
    Loop(u32),
    /// Type graph deeper than the walk allows.
    TooDeep(u32),
    /// Split BTF is not supported by this implementation.
    SplitUnsupported,
}

impl core::fmt::Display for DedupError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            DedupError::BadTypeId(id) => write!(f, "reference to missing type id {id}"),
            DedupError::BadStringOffset(o) => write!(f, "string offset {o} out of range"),
            DedupError::Loop(id) => write!(f, "reference loop at type {id}"),
            DedupError::TooDeep(id) => write!(f, "type graph too deep at type {id}"),
            DedupError::SplitUnsupported => f.write_str("deduplication of split BTF is not supported"),
        }
    }
}

impl std::error::Error for DedupError {}

const UNPROCESSED: u32 = u32::MAX;
const IN_PROGRESS: u32 = u32::MAX - 1;
const MAX_ID: u32 = 0x7fff_ffff;
use crate::limits::DEDUP_MAX_DEPTH as MAX_DEPTH;

/// Counts before and after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DedupStats {
    pub types_before: u32,
    pub types_after: u32,
    pub strings_before: usize,
    pub strings_after: usize,
}

fn kind(r: &[u32]) -> Kind {
    if r.len() < 3 {
        return Kind::UNKN;
    }
    Kind(((r[1] >> 24) & 0x1f) as u8)
}
fn vlen(r: &[u32]) -> usize {
    (r[1] & 0xffff) as usize
}
fn kflag(r: &[u32]) -> bool {
    r[1] >> 31 != 0
}

fn mix(h: u64, v: u32) -> u64 {
    (h ^ v as u64).wrapping_mul(0x0100_0000_01b3).rotate_left(23) ^ 0x9e37_79b9
}
fn hash_common(r: &[u32]) -> u64 {
    mix(mix(mix(0, r[0]), r[1]), r[2])
}
fn equal_common(a: &[u32], b: &[u32]) -> bool {
    a[..3] == b[..3]
}
fn hash_int_tag(r: &[u32]) -> u64 {
    mix(hash_common(r), r[3])
}
fn equal_int_tag(a: &[u32], b: &[u32]) -> bool {
    equal_common(a, b) && a[3] == b[3]
}
fn hash_enum(r: &[u32]) -> u64 {
    mix(mix(mix(0, r[0]), r[1] & !0xffff), r[2])
}
fn equal_enum(a: &[u32], b: &[u32]) -> bool {
    a == b
}
fn is_enum_fwd(r: &[u32]) -> bool {
    matches!(kind(r), Kind::ENUM | Kind::ENUM64) && vlen(r) == 0
}
fn compat_enum(a: &[u32], b: &[u32]) -> bool {
    if !is_enum_fwd(a) && !is_enum_fwd(b) {
        return equal_enum(a, b);
    }
    a[0] == b[0] && (a[1] & !0xffff) == (b[1] & !0xffff) && a[2] == b[2]
}
fn hash_struct(r: &[u32]) -> u64 {
    let mut h = hash_common(r);
    for m in r[3..].chunks_exact(3) {
        h = mix(mix(h, m[0]), m[2]);
    }
    h
}
fn shallow_equal_struct(a: &[u32], b: &[u32]) -> bool {
    if a.len() != b.len() || !equal_common(a, b) {
        return false;
    }
    // Members: name and offset equal (types are compared by the graph walk).
    let mut i = 3;
    while i + 3 <= a.len() {
        if a[i] != b[i] || a[i + 2] != b[i + 2] {
            return false;
        }
        i += 3;
    }
    true
}
fn hash_array(r: &[u32]) -> u64 {
    mix(mix(mix(hash_common(r), r[3]), r[4]), r[5])
}
fn equal_array(a: &[u32], b: &[u32]) -> bool {
    a == b
}
fn compat_array(a: &[u32], b: &[u32]) -> bool {
    equal_common(a, b) && a[5] == b[5]
}
fn hash_fnproto(r: &[u32]) -> u64 {
    let mut h = hash_common(r);
    for p in r[3..].chunks_exact(2) {
        h = mix(mix(h, p[0]), p[1]);
    }
    h
}
fn equal_fnproto(a: &[u32], b: &[u32]) -> bool {
    a == b
}
fn compat_fnproto(a: &[u32], b: &[u32]) -> bool {
    a[0] == b[0]
        && a[1] == b[1]
        && a.len() == b.len()
        && a[3..].chunks_exact(2).zip(b[3..].chunks_exact(2)).all(|(x, y)| x[0] == y[0])
}

/// Word positions inside a record: `fixed` ones, then `count` more from `base` by `stride`.
/// Holds no borrow of the record, so callers may change the record while walking.
#[derive(Clone, Copy)]
pub(crate) struct Slots {
    fixed: &'static [usize],
    base: usize,
    stride: usize,
    count: usize,
}

impl Iterator for Slots {
    type Item = usize;
    #[inline]
    fn next(&mut self) -> Option<usize> {
        if let Some((&f, rest)) = self.fixed.split_first() {
            self.fixed = rest;
            return Some(f);
        }
        if self.count == 0 {
            return None;
        }
        self.count -= 1;
        let s = self.base;
        self.base += self.stride;
        Some(s)
    }
}

/// Positions (word indexes) of the type ids inside a record.
pub(crate) fn ref_slots(r: &[u32]) -> Slots {
    let (fixed, base, stride, count): (&'static [usize], _, _, _) = match kind(r) {
        Kind::PTR
        | Kind::TYPEDEF
        | Kind::VOLATILE
        | Kind::CONST
        | Kind::RESTRICT
        | Kind::FUNC
        | Kind::VAR
        | Kind::DECL_TAG
        | Kind::TYPE_TAG => (&[2], 0, 0, 0),
        Kind::ARRAY => (&[3, 4], 0, 0, 0),
        Kind::STRUCT | Kind::UNION => (&[], 4, 3, vlen(r)),
        Kind::FUNC_PROTO => (&[2], 4, 2, vlen(r)),
        Kind::DATASEC => (&[], 3, 3, vlen(r)),
        _ => (&[], 0, 0, 0),
    };
    Slots { fixed, base, stride, count }
}

/// Positions of string offsets inside a record.
pub(crate) fn str_slots(r: &[u32]) -> Slots {
    let (base, stride, count) = match kind(r) {
        Kind::STRUCT | Kind::UNION => (3, 3, vlen(r)),
        Kind::ENUM | Kind::FUNC_PROTO => (3, 2, vlen(r)),
        Kind::ENUM64 => (3, 3, vlen(r)),
        _ => (0, 0, 0),
    };
    Slots { fixed: &[0], base, stride, count }
}

/// All records, as native-order words, one after another (id 0, void, is empty).
#[derive(Clone, Debug, Default)]
pub(crate) struct Records {
    pub(crate) words: Vec<u32>,
    /// Where each id's record starts in `words`; one more entry marks the end.
    pub(crate) start: Vec<u32>,
}

impl core::ops::Index<u32> for Records {
    type Output = [u32];
    #[inline]
    fn index(&self, id: u32) -> &[u32] {
        &self.words[self.start[id as usize] as usize..self.start[id as usize + 1] as usize]
    }
}

impl Records {
    #[inline]
    pub(crate) fn word_mut(&mut self, id: u32, slot: usize) -> &mut u32 {
        &mut self.words[self.start[id as usize] as usize + slot]
    }
    pub(crate) fn len(&self) -> usize {
        self.start.len() - 1
    }
}

struct Dedup {
    t: Records,
    map: Vec<u32>,
    hypot_map: Vec<u32>,
    hypot_list: Vec<u32>,
    /// Hash -> newest id with it; `chain[id]` is the previous one (0 ends the list): the
    /// candidates of a hash, newest first, without a vector per hash.
    table: HashMap<u64, u32>,
    chain: Vec<u32>,
    /// The walk of `is_equiv` (kept to reuse its allocation).
    stack: Vec<(u32, u32)>,
}

impl Dedup {
    fn mapped(&self, id: u32) -> bool {
        self.map[id as usize] <= MAX_ID
    }
    fn resolve(&self, mut id: u32) -> u32 {
        while self.mapped(id) && self.map[id as usize] != id {
            id = self.map[id as usize];
        }
        id
    }
    fn resolve_fwd(&self, id: u32) -> u32 {
        if kind(&self.t[id]) != Kind::FWD {
            return id;
        }
        let r = self.resolve(id);
        if kind(&self.t[r]) != Kind::FWD {
            r
        } else {
            id
        }
    }
    fn add(&mut self, h: u64, id: u32) {
        self.chain[id as usize] = self.table.insert(h, id).unwrap_or(0);
    }
    /// Newest candidate for `h` (0: none); `self.chain[c]` is the next older.
    fn first_cand(&self, h: u64) -> u32 {
        self.table.get(&h).copied().unwrap_or(0)
    }
    /// First candidate for `h` (newest first) equal to `r` by `eq`.
    #[inline]
    fn find(&self, h: u64, r: &[u32], eq: impl Fn(&[u32], &[u32]) -> bool) -> Option<u32> {
        let mut c = self.first_cand(h);
        while c != 0 {
            if eq(r, &self.t[c]) {
                return Some(c);
            }
            c = self.chain[c as usize];
        }
        None
    }

    fn prim(&mut self, id: u32) {
        let r = &self.t[id];
        let k = kind(r);
        let h;
        let mut new_id = id;
        match k {
            Kind::INT => {
                h = hash_int_tag(r);
                if let Some(c) = self.find(h, r, equal_int_tag) {
                    new_id = c;
                }
            }
            Kind::ENUM | Kind::ENUM64 => {
                h = hash_enum(r);
                let mut c = self.first_cand(h);
                while c != 0 {
                    let (r, ct) = (&self.t[id], &self.t[c]);
                    if kind(ct) == k {
                        if equal_enum(r, ct) {
                            new_id = c;
                            break;
                        }
                        if compat_enum(r, ct) {
                            if is_enum_fwd(r) {
                                new_id = c;
                                break;
                            }
                            self.map[c as usize] = id;
                        }
                    }
                    c = self.chain[c as usize];
                }
            }
            Kind::FWD | Kind::FLOAT => {
                h = hash_common(r);
                if let Some(c) = self.find(h, r, equal_common) {
                    new_id = c;
                }
            }
            _ => return,
        }
        self.map[id as usize] = new_id;
        if new_id == id {
            self.add(h, id);
        }
    }

    fn identical_arrays(&self, a: u32, b: u32) -> bool {
        let (x, y) = (&self.t[a], &self.t[b]);
        kind(x) == Kind::ARRAY && kind(y) == Kind::ARRAY && equal_array(x, y)
    }
    fn identical_structs(&self, a: u32, b: u32, depth: usize) -> bool {
        let (x, y) = (&self.t[a], &self.t[b]);
        if depth > MAX_DEPTH || !matches!(kind(x), Kind::STRUCT | Kind::UNION) || kind(x) != kind(y) {
            return false;
        }
        if !shallow_equal_struct(x, y) {
            return false;
        }
        x[3..].chunks_exact(3).zip(y[3..].chunks_exact(3)).all(|(m1, m2)| {
            m1[1] == m2[1] || self.identical_arrays(m1[1], m2[1]) || self.identical_structs(m1[1], m2[1], depth + 1)
        })
    }
    fn identical_ptrs(&self, a: u32, b: u32) -> bool {
        let (x, y) = (&self.t[a], &self.t[b]);
        kind(x) == Kind::PTR && kind(y) == Kind::PTR && x[2] == y[2]
    }

    fn clear_hypot(&mut self) {
        for &c in &self.hypot_list {
            self.hypot_map[c as usize] = UNPROCESSED;
        }
        self.hypot_list.clear();
    }

    /// Hypothetical equivalence of `cand` (new graph) and `canon` (canonical graph), walked
    /// depth-first in the same order as a recursive walk would, with an explicit stack.
    fn is_equiv(&mut self, cand: u32, canon: u32) -> bool {
        let mut stack = std::mem::take(&mut self.stack);
        stack.clear();
        stack.push((cand, canon));
        let ok = self.is_equiv_walk(&mut stack);
        self.stack = stack;
        ok
    }

    fn is_equiv_walk(&mut self, stack: &mut Vec<(u32, u32)>) -> bool {
        while let Some((cand, canon)) = stack.pop() {
            if self.resolve(cand) == self.resolve(canon) {
                continue;
            }
            let canon = self.resolve_fwd(canon);
            let hyp = self.hypot_map[canon as usize];
            if hyp <= MAX_ID {
                if hyp == cand
                    || self.identical_arrays(hyp, cand)
                    || self.identical_structs(hyp, cand, 0)
                    || self.identical_ptrs(hyp, cand)
                {
                    continue;
                }
                return false;
            }
            self.hypot_map[canon as usize] = cand;
            self.hypot_list.push(canon);
            let ct = &self.t[cand];
            let nt = &self.t[canon];
            let (ck, nk) = (kind(ct), kind(nt));
            if ct.first() != nt.first() {
                return false;
            }
            if (ck == Kind::FWD || nk == Kind::FWD) && ck != nk {
                let (real, fwd) = if ck == Kind::FWD { (nk, ct) } else { (ck, nt) };
                let fwd_kind = if kflag(fwd) { Kind::UNION } else { Kind::STRUCT };
                if fwd_kind != real {
                    return false;
                }
                continue;
            }
            if ck != nk {
                return false;
            }
            // Children go on the stack last first, so the first is walked next.
            match ck {
                Kind::INT => {
                    if !equal_int_tag(ct, nt) {
                        return false;
                    }
                }
                Kind::ENUM | Kind::ENUM64 => {
                    if !compat_enum(ct, nt) {
                        return false;
                    }
                }
                Kind::FWD | Kind::FLOAT => {
                    if !equal_common(ct, nt) {
                        return false;
                    }
                }
                Kind::CONST
                | Kind::VOLATILE
                | Kind::RESTRICT
                | Kind::PTR
                | Kind::TYPEDEF
                | Kind::FUNC
                | Kind::TYPE_TAG => {
                    if ct[1] != nt[1] {
                        return false;
                    }
                    stack.push((ct[2], nt[2]));
                }
                Kind::ARRAY => {
                    if !compat_array(ct, nt) {
                        return false;
                    }
                    stack.push((ct[3], nt[3]));
                    stack.push((ct[4], nt[4]));
                }
                Kind::STRUCT | Kind::UNION => {
                    if !shallow_equal_struct(ct, nt) {
                        return false;
                    }
                    let mut i = ct.len();
                    while i >= 6 {
                        i -= 3;
                        stack.push((ct[i + 1], nt[i + 1]));
                    }
                }
                Kind::FUNC_PROTO => {
                    if !compat_fnproto(ct, nt) {
                        return false;
                    }
                    for (a, b) in ct[3..].chunks_exact(2).zip(nt[3..].chunks_exact(2)).rev() {
                        stack.push((a[1], b[1]));
                    }
                    stack.push((ct[2], nt[2]));
                }
                _ => return false,
            }
        }
        true
    }

    fn merge_hypot(&mut self) {
        for i in 0..self.hypot_list.len() {
            let canon = self.hypot_list[i];
            let targ = self.hypot_map[canon as usize];
            let t_id = self.resolve(targ);
            let c_id = self.resolve(canon);
            let tk = kind(&self.t[t_id]);
            let ck = kind(&self.t[c_id]);
            if tk != Kind::FWD && ck == Kind::FWD {
                self.map[c_id as usize] = t_id;
            }
            if tk == Kind::FWD && ck != Kind::FWD {
                self.map[t_id as usize] = c_id;
            }
            if matches!(tk, Kind::STRUCT | Kind::UNION) && ck != Kind::FWD && self.mapped(c_id) && !self.mapped(t_id) {
                self.map[t_id as usize] = c_id;
            }
        }
    }

    fn struct_type(&mut self, id: u32) {
        if self.mapped(id) {
            return;
        }
        if !matches!(kind(&self.t[id]), Kind::STRUCT | Kind::UNION) {
            return;
        }
        let h = hash_struct(&self.t[id]);
        let mut new_id = id;
        let mut c = self.first_cand(h);
        while c != 0 {
            let next = self.chain[c as usize];
            if shallow_equal_struct(&self.t[id], &self.t[c]) {
                self.clear_hypot();
                if self.is_equiv(id, c) {
                    self.merge_hypot();
                    new_id = c;
                    break;
                }
            }
            c = next;
        }
        self.map[id as usize] = new_id;
        if new_id == id {
            self.add(h, id);
        }
    }

    /// A FWD still canonical after the struct pass resolves to the one canonical struct or
    /// union of its name, when that name is unique among them and the kind matches.
    fn resolve_fwds(&mut self) {
        let mut names: HashMap<u32, u32> = HashMap::default();
        for id in 1..self.t.len() as u32 {
            let r = &self.t[id];
            if matches!(kind(r), Kind::STRUCT | Kind::UNION) && self.map[id as usize] == id {
                names.entry(r[0]).and_modify(|v| *v = 0).or_insert(id);
            }
        }
        for id in 1..self.t.len() as u32 {
            let r = &self.t[id];
            if kind(r) != Kind::FWD || self.map[id as usize] != id {
                continue;
            }
            let Some(&cand) = names.get(&r[0]) else { continue };
            if cand == 0 {
                continue;
            }
            let want = if kflag(r) { Kind::UNION } else { Kind::STRUCT };
            if kind(&self.t[cand]) == want {
                self.map[id as usize] = cand;
            }
        }
    }

    fn ref_type(&mut self, id: u32, depth: usize) -> Result<u32, DedupError> {
        if depth > MAX_DEPTH {
            return Err(DedupError::TooDeep(id));
        }
        let m = self.map[id as usize];
        if m == IN_PROGRESS {
            return Err(DedupError::Loop(id));
        }
        if m <= MAX_ID {
            return Ok(self.resolve(id));
        }
        self.map[id as usize] = IN_PROGRESS;
        let k = kind(&self.t[id]);
        let slots = match k {
            Kind::CONST
            | Kind::VOLATILE
            | Kind::RESTRICT
            | Kind::PTR
            | Kind::TYPEDEF
            | Kind::FUNC
            | Kind::TYPE_TAG
            | Kind::DECL_TAG => Slots { fixed: &[2], base: 0, stride: 0, count: 0 },
            Kind::ARRAY => Slots { fixed: &[3, 4], base: 0, stride: 0, count: 0 },
            Kind::FUNC_PROTO => ref_slots(&self.t[id]),
            _ => return Err(DedupError::BadTypeId(id)),
        };
        for s in slots {
            let target = self.t[id][s];
            let r = self.ref_type(target, depth + 1)?;
            *self.t.word_mut(id, s) = r;
        }
        let r = &self.t[id];
        let (h, found) = match k {
            Kind::DECL_TAG => (hash_int_tag(r), self.find(hash_int_tag(r), r, equal_int_tag)),
            Kind::ARRAY => (hash_array(r), self.find(hash_array(r), r, equal_array)),
            Kind::FUNC_PROTO => (hash_fnproto(r), self.find(hash_fnproto(r), r, equal_fnproto)),
            _ => (hash_common(r), self.find(hash_common(r), r, equal_common)),
        };
        let new_id = found.unwrap_or(id);
        self.map[id as usize] = new_id;
        if new_id == id {
            self.add(h, id);
        }
        Ok(new_id)
    }
}

/// Replace the string offsets in every record by offsets in a new string table holding each
/// distinct string once, in order of first use; returns that table.
///
/// Equal offsets are equal strings: `memo[off]` is the new offset + 1 of the string at `off`
/// once seen (0: not yet), so each offset is hashed once. Distinct offsets with equal
/// contents meet in `slots`, an open-addressing table of (top 32 bits of the hash) << 32 |
/// (new offset + 1), which compares contents only when the hashes agree.
fn dedup_strings(t: &mut Records, n: u32, old: &[u8]) -> Result<Vec<u8>, DedupError> {
    let mut strs: Vec<u8> = Vec::with_capacity(old.len());
    strs.push(0);
    let mut memo = vec![0u32; old.len()];
    // At most one entry per string of the old table (a NUL ends each): no rehashing.
    let mut cap = (2 * memchr::memchr_iter(0, old).count()).next_power_of_two().max(1024);
    let mut slots = vec![0u64; cap];
    let mut used = 0usize;
    let insert = |slots: &mut [u64], h: u64, new: u32| {
        let mask = slots.len() - 1;
        let mut i = h as usize & mask;
        while slots[i] != 0 {
            i = (i + 1) & mask;
        }
        slots[i] = (h >> 32) << 32 | (new as u64 + 1);
    };
    insert(&mut slots, crate::read::hash_bytes(b""), 0);
    used += 1;
    for id in 1..n {
        for s in str_slots(&t[id]) {
            let w = t.word_mut(id, s);
            let off = *w;
            if let Some(&m) = memo.get(off as usize) {
                if m != 0 {
                    *w = m - 1;
                    continue;
                }
            }
            let (h, len) = crate::read::hash_cstr(old, off as usize).ok_or(DedupError::BadStringOffset(off))?;
            let bytes = &old[off as usize..off as usize + len];
            let mask = cap - 1;
            let mut i = h as usize & mask;
            let new = loop {
                let e = slots[i];
                if e == 0 {
                    // A new string.
                    let o = strs.len() as u32;
                    strs.extend_from_slice(bytes);
                    strs.push(0);
                    slots[i] = (h >> 32) << 32 | (o as u64 + 1);
                    used += 1;
                    if used * 2 > cap {
                        cap *= 2;
                        let mut bigger = vec![0u64; cap];
                        for &e in slots.iter().filter(|&&e| e != 0) {
                            let o = (e as u32 - 1) as usize;
                            let len = strs[o..].iter().position(|&c| c == 0).expect("NUL");
                            insert(&mut bigger, crate::read::hash_bytes(&strs[o..o + len]), o as u32);
                        }
                        slots = bigger;
                    }
                    break o;
                }
                if e >> 32 == h >> 32 {
                    let o = (e as u32 - 1) as usize;
                    if strs.get(o..o + len) == Some(bytes) && strs.get(o + len) == Some(&0) {
                        break o as u32;
                    }
                }
                i = (i + 1) & mask;
            };
            memo[off as usize] = new + 1;
            *w = new;
        }
    }
    Ok(strs)
}

/// Deduplicate the builder's types and strings in place (base BTF only).
pub fn dedup(b: &mut BtfBuilder) -> Result<DedupStats, DedupError> {
    dedup_with_map(b).map(|(stats, _)| stats)
}

/// [`dedup`], also returning where every old type id went: `map[old] = new` (`map[0] = 0`).
/// Linkers need it to rewrite `.BTF.ext` records and symbol type ids.
pub fn dedup_with_map(b: &mut BtfBuilder) -> Result<(DedupStats, Vec<u32>), DedupError> {
    if b.start_id() != 1 {
        return Err(DedupError::SplitUnsupported);
    }
    let e = Endian::native();
    let bytes = b.to_bytes(e);
    let btf = Btf::parse(&bytes).map_err(|_| DedupError::BadTypeId(0))?;
    let mut raw = crate::RawBtf::from_btf(&btf);
    let r = raw.dedup()?;
    let out = raw.to_bytes(e);
    let res = Btf::parse(&out).map_err(|_| DedupError::BadTypeId(0))?;
    *b = BtfBuilder::from_btf(&res);
    Ok(r)
}

/// Deduplicate records `t` (id 0 is void) whose string offsets point into `strings`: the
/// kept records (renumbered, string offsets into the new string section), that section,
/// `map[old id] = new id`, and counts.
pub(crate) fn dedup_records(
    mut t: Records,
    strings: &[u8],
) -> Result<(Records, Vec<u8>, Vec<u32>, DedupStats), DedupError> {
    let n = t.len() as u32;
    for id in 1..n {
        let r = &t[id];
        for s in ref_slots(r) {
            if r[s] >= n {
                return Err(DedupError::BadTypeId(id));
            }
        }
    }
    // 1. Strings, in order of first use.
    let strs = dedup_strings(&mut t, n, strings)?;
    let mut d = Dedup {
        map: vec![UNPROCESSED; n as usize],
        hypot_map: vec![UNPROCESSED; n as usize],
        hypot_list: Vec::new(),
        table: HashMap::with_capacity_and_hasher(n as usize / 2, Default::default()),
        chain: vec![0; n as usize],
        stack: Vec::new(),
        t,
    };
    d.map[0] = 0;
    for id in 1..n {
        if matches!(kind(&d.t[id]), Kind::VAR | Kind::DATASEC) {
            d.map[id as usize] = id;
        }
    }
    // 2-4.
    for id in 1..n {
        d.prim(id);
    }
    for id in 1..n {
        d.struct_type(id);
    }
    d.resolve_fwds();
    d.table.clear();
    for id in 1..n {
        if !d.mapped(id) || d.map[id as usize] == IN_PROGRESS {
            d.ref_type(id, 0)?;
        }
    }
    // 5. Compact and remap.
    let mut new_id = vec![UNPROCESSED; n as usize];
    new_id[0] = 0;
    let mut next = 1u32;
    for id in 1..n {
        if d.map[id as usize] == id {
            new_id[id as usize] = next;
            next += 1;
        }
    }
    let mut out = Records { words: Vec::with_capacity(d.t.words.len()), start: Vec::with_capacity(next as usize + 1) };
    out.start.extend([0u32, 0]);
    for id in 1..n {
        if d.map[id as usize] != id {
            continue;
        }
        let r = &d.t[id];
        let mut slots = ref_slots(r).peekable();
        for (i, &w) in r.iter().enumerate() {
            let mut w = w;
            if slots.peek() == Some(&i) {
                slots.next();
                let nid = new_id[d.resolve(w) as usize];
                if nid > MAX_ID {
                    return Err(DedupError::BadTypeId(id));
                }
                w = nid;
            }
            out.words.push(w);
        }
        out.start.push(out.words.len() as u32);
    }
    let id_map: Vec<u32> = (0..n).map(|id| new_id[d.resolve(id) as usize]).collect();
    let stats = DedupStats {
        types_before: n - 1,
        types_after: next - 1,
        strings_before: strings.len(),
        strings_after: strs.len(),
    };
    Ok((out, strs, id_map, stats))
}
