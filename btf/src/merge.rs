//! Merging the types of many blobs into one [`RawBtf`] as they are read, leaving out exact
//! copies of types already merged, so that a link of many objects built against the same
//! headers holds each header type about once instead of once per object.
//!
//! A type of a new blob is left out when its whole reachable graph is *isomorphic* to the
//! graph of a type already merged: same kinds, names, sizes, offsets, values and encodings,
//! edges in the same places, one-to-one (no two types of one blob go to the same merged
//! type). Its id then maps onto the merged type. Everything else is appended as it is, in
//! blob order, so the merged sequence is the full concatenation with later copies removed.
//!
//! Two passes per blob:
//!
//! 1. named and primitive types (STRUCT, UNION, ENUM, ENUM64, FWD, INT, FLOAT), in id order,
//!    are looked up by a hash of their shallow contents; a candidate is accepted after a walk
//!    of both graphs in lockstep with a hypothesis map (the walk decides every type it
//!    reaches, forward references included);
//! 2. the reference types left (PTR, TYPEDEF, modifiers, ARRAY, FUNC_PROTO) once their
//!    targets are decided, by exact lookup of the record with its references mapped.
//!
//! FUNC, VAR and DECL_TAG are always kept; DATASECs are not merged at all (callers rebuild
//! them). [`Merger::expand`] gives back the full concatenation (every blob's types, in
//! order), for callers whose later steps must see every copy.

use crate::dedup::{ref_slots, str_slots, Records};
use crate::hash::{FxHashMap as HashMap, FxHasher};
use crate::raw::RawBtf;
use crate::read::words;
use crate::{Btf, Kind};
use std::hash::Hasher;

/// Decision states of a blob's type (other values: the merged id it maps onto).
const UNDECIDED: u32 = u32::MAX;
const KEPT: u32 = u32::MAX - 1;
const BUSY: u32 = u32::MAX - 2;
const LAST_ID: u32 = u32::MAX - 3;

/// Walk steps allowed per type of a blob before pass 1 stops looking for copies (keeping a
/// type is always correct; this bounds the work on blobs that share little).
const STEPS_PER_TYPE: usize = 64;

fn kind(r: &[u32]) -> Kind {
    if r.len() < 3 {
        return Kind::UNKN;
    }
    Kind(((r[1] >> 24) & 0x1f) as u8)
}

fn is_anchor(k: Kind) -> bool {
    matches!(k, Kind::STRUCT | Kind::UNION | Kind::ENUM | Kind::ENUM64 | Kind::FWD | Kind::INT | Kind::FLOAT)
}

fn is_ref(k: Kind) -> bool {
    matches!(
        k,
        Kind::PTR
            | Kind::TYPEDEF
            | Kind::CONST
            | Kind::VOLATILE
            | Kind::RESTRICT
            | Kind::TYPE_TAG
            | Kind::ARRAY
            | Kind::FUNC_PROTO
    )
}

/// The merged types so far, and where every blob's types went.
#[derive(Clone, Debug, Default)]
pub struct Merger {
    raw: RawBtf,
    /// Per blob: its id -> merged id (0 for void and DATASECs), and the first id it added.
    inputs: Vec<(Vec<u32>, u32)>,
    /// Shallow hash -> newest merged named/primitive type with it; `chain[id]` the next older.
    anchors: HashMap<u64, u32>,
    /// Exact hash (references mapped) -> newest merged reference type; chained the same way.
    refs: HashMap<u64, u32>,
    chain: Vec<u32>,
    /// Merged id -> number (1-based) of the blob that mapped a type onto it (one-to-one).
    claim: Vec<u32>,
    /// Merged id -> number of the walk that hypothesises a type onto it.
    hyp_of: Vec<u32>,
    walks: u32,
    total_steps: usize,
    s: Scratch,
}

/// Per-blob working state, kept for its allocations.
#[derive(Clone, Debug, Default)]
struct Scratch {
    /// The blob's records as native words.
    t: Records,
    dec: Vec<u32>,
    hyp: Vec<u32>,
    hyp_list: Vec<u32>,
    stack: Vec<(u32, u32)>,
    /// Blob string offset -> merged offset (u32::MAX: not known), and the offsets set (to
    /// reset for the next blob).
    strmap: Vec<u32>,
    touched: Vec<u32>,
    steps: usize,
    tmp: Vec<u32>,
    /// Buffers for [`Merger::decide_ref`]'s records, one per level of recursion.
    pool: Vec<Vec<u32>>,
}

/// Counts for tests and tuning.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MergeStats {
    pub types_in: usize,
    pub types_kept: usize,
    pub walks: u32,
    pub steps: usize,
}

impl Merger {
    pub fn new() -> Merger {
        Merger { raw: RawBtf::new(), chain: vec![0], claim: vec![0], hyp_of: vec![0], ..Default::default() }
    }

    /// The merged types (DATASECs left out) and strings.
    pub fn raw(&self) -> &RawBtf {
        &self.raw
    }

    /// Blob `i`'s id -> merged id (0 for void and DATASECs).
    pub fn ids(&self, i: usize) -> &[u32] {
        &self.inputs[i].0
    }

    pub fn blob_count(&self) -> usize {
        self.inputs.len()
    }

    pub fn stats(&self) -> MergeStats {
        MergeStats {
            types_in: self.inputs.iter().map(|(ids, _)| ids.iter().skip(1).filter(|&&i| i != 0).count()).sum(),
            types_kept: self.raw.next_id() as usize - 1,
            walks: self.walks,
            steps: self.total_steps,
        }
    }

    /// Merge base BTF `src` (its DATASECs are left out); returns its index for
    /// [`Merger::ids`]. Split BTF is not looked into for copies.
    pub fn add(&mut self, src: &Btf<'_>) -> usize {
        let gen = self.inputs.len() as u32 + 1;
        self.load(src);
        if src.start_id() == 1 {
            self.find_copies(src, gen);
        }
        // Ids: copies map onto the merged type, the rest are appended in order.
        let n = self.s.t.len();
        let first_new = self.raw.next_id();
        let mut ids = vec![0u32; n];
        let mut next = first_new;
        for (x, id) in ids.iter_mut().enumerate().skip(1) {
            if kind(&self.s.t[x as u32]) == Kind::DATASEC {
                continue;
            }
            let d = self.s.dec[x];
            *id = if d <= LAST_ID && src.start_id() == 1 {
                d
            } else {
                next += 1;
                next - 1
            };
        }
        self.total_steps += self.s.steps;
        self.append(src, &ids, gen);
        self.inputs.push((ids, first_new));
        self.inputs.len() - 1
    }

    /// Every blob's types in full, in blob order (what appending every blob's types without
    /// looking for copies gives, strings aside), and per blob its id -> id there.
    pub fn expand(&self) -> (RawBtf, Vec<Vec<u32>>) {
        let mut out = RawBtf::with_strings_of(&self.raw);
        let total: usize = self.inputs.iter().map(|(ids, _)| ids.len()).sum();
        out.reserve(total, total * 6);
        let mut inv = vec![0u32; self.raw.next_id() as usize];
        let mut all = Vec::with_capacity(self.inputs.len());
        for (ids, _) in &self.inputs {
            let mut next = out.next_id();
            let mut mine = vec![0u32; ids.len()];
            for (x, &m) in ids.iter().enumerate() {
                if m != 0 {
                    mine[x] = next;
                    inv[m as usize] = next;
                    next += 1;
                }
            }
            for &m in ids.iter().filter(|&&m| m != 0) {
                out.push_mapped(self.raw.record(m), |r| if r == 0 { 0 } else { inv[r as usize] });
            }
            all.push(mine);
        }
        (out, all)
    }

    // ---- pass 0: the blob as words ----

    fn load(&mut self, src: &Btf<'_>) {
        let s = &mut self.s;
        s.t.words.clear();
        s.t.words.extend(words(src.endian(), src.type_section()));
        s.t.start.clear();
        s.t.start.extend([0u32, 0]);
        let mut end = 0u32;
        for t in src.types() {
            end += (t.raw().len() / 4) as u32;
            s.t.start.push(end);
        }
        let n = s.t.len();
        s.dec.clear();
        s.dec.resize(n, UNDECIDED);
        s.dec[0] = 0;
        s.hyp.clear();
        s.hyp.resize(n, UNDECIDED);
        let sl = src.string_section().len();
        for &o in &s.touched {
            s.strmap[o as usize] = u32::MAX;
        }
        s.touched.clear();
        if s.strmap.len() < sl {
            s.strmap.resize(sl, u32::MAX);
        }
        s.steps = 0;
    }

    // ---- strings ----

    fn src_str<'s>(src: &Btf<'s>, off: u32) -> &'s [u8] {
        src.str_bytes(off).unwrap_or(b"")
    }

    fn str_hash(&mut self, src: &Btf<'_>, off: u32) -> u64 {
        let mut f = FxHasher::default();
        f.write(Self::src_str(src, off));
        f.finish()
    }

    fn intern(&mut self, src: &Btf<'_>, off: u32) -> u32 {
        match self.s.strmap.get(off as usize) {
            Some(&e) if e != u32::MAX => e,
            _ => {
                let m = self.raw.add_str_bytes(Self::src_str(src, off));
                if let Some(c) = self.s.strmap.get_mut(off as usize) {
                    *c = m;
                    self.s.touched.push(off);
                }
                m
            }
        }
    }

    // ---- hashes ----

    /// Hash of a named/primitive record's shallow contents (strings by value, references
    /// left out): equal for a blob record and the merged copy made of it.
    fn shallow_hash(&mut self, src: &Btf<'_>, x: u32) -> u64 {
        let mut tmp = std::mem::take(&mut self.s.tmp);
        tmp.clear();
        tmp.extend_from_slice(&self.s.t[x]);
        let k = kind(&tmp);
        let mut h = FxHasher::default();
        h.write_u64(self.str_hash(src, tmp[0]));
        h.write_u32(tmp[1]);
        h.write_u32(tmp[2]);
        match k {
            Kind::INT => h.write_u32(tmp.get(3).copied().unwrap_or(0)),
            Kind::ENUM => {
                for v in tmp[3..].chunks_exact(2) {
                    h.write_u64(self.str_hash(src, v[0]));
                    h.write_u32(v[1]);
                }
            }
            Kind::ENUM64 => {
                for v in tmp[3..].chunks_exact(3) {
                    h.write_u64(self.str_hash(src, v[0]));
                    h.write_u32(v[1]);
                    h.write_u32(v[2]);
                }
            }
            Kind::STRUCT | Kind::UNION => {
                for m in tmp[3..].chunks_exact(3) {
                    h.write_u64(self.str_hash(src, m[0]));
                    h.write_u32(m[2]);
                }
            }
            _ => {}
        }
        self.s.tmp = tmp;
        h.finish()
    }

    /// Hash of reference record `r` (references already mapped to merged ids; strings as
    /// blob offsets, hashed by value).
    fn ref_hash(&mut self, src: &Btf<'_>, r: &[u32]) -> u64 {
        let mut h = FxHasher::default();
        let mut strs = str_slots(r).peekable();
        for (i, &w) in r.iter().enumerate() {
            if strs.peek() == Some(&i) {
                strs.next();
                h.write_u64(self.str_hash(src, w));
            } else {
                h.write_u32(w);
            }
        }
        h.finish()
    }

    // ---- pass 1: named and primitive types, by walks ----

    fn find_copies(&mut self, src: &Btf<'_>, gen: u32) {
        let n = self.s.t.len() as u32;
        let budget = STEPS_PER_TYPE * n as usize + 4096;
        for x in 1..n {
            if self.s.dec[x as usize] != UNDECIDED || !is_anchor(kind(&self.s.t[x])) {
                continue;
            }
            if self.s.steps > budget {
                self.s.dec[x as usize] = KEPT;
                continue;
            }
            let h = self.shallow_hash(src, x);
            let mut c = self.anchors.get(&h).copied().unwrap_or(0);
            let mut found = false;
            while c != 0 {
                if self.claim[c as usize] != gen && self.walk(src, gen, x, c) {
                    found = true;
                    break;
                }
                c = self.chain[c as usize];
            }
            if !found {
                self.s.dec[x as usize] = KEPT;
            }
        }
        // Pass 2: reference types, once what they refer to is decided.
        for x in 1..n {
            if self.s.dec[x as usize] == UNDECIDED {
                self.decide_ref(src, gen, x, 0);
            }
        }
    }

    /// Whether blob type `x`'s graph is isomorphic to merged type `y`'s; if so every type
    /// reached is decided.
    fn walk(&mut self, src: &Btf<'_>, gen: u32, x: u32, y: u32) -> bool {
        self.walks += 1;
        let walk = self.walks;
        let mut stack = std::mem::take(&mut self.s.stack);
        stack.clear();
        stack.push((x, y));
        self.s.hyp_list.clear();
        let ok = self.walk_inner(src, gen, walk, &mut stack);
        self.s.stack = stack;
        let list = std::mem::take(&mut self.s.hyp_list);
        for &a in &list {
            let b = self.s.hyp[a as usize];
            self.s.hyp[a as usize] = UNDECIDED;
            if ok {
                self.s.dec[a as usize] = b;
                self.claim[b as usize] = gen;
            }
        }
        self.s.hyp_list = list;
        ok
    }

    fn walk_inner(&mut self, src: &Btf<'_>, gen: u32, walk: u32, stack: &mut Vec<(u32, u32)>) -> bool {
        let n = self.s.t.len() as u32;
        let m = self.raw.next_id();
        while let Some((a, b)) = stack.pop() {
            self.s.steps += 1;
            if a == 0 || b == 0 {
                if a != b {
                    return false;
                }
                continue;
            }
            if a >= n || b >= m {
                return false;
            }
            match self.s.dec[a as usize] {
                UNDECIDED => {}
                d if d <= LAST_ID => {
                    if d != b {
                        return false;
                    }
                    continue;
                }
                _ => return false,
            }
            let h = self.s.hyp[a as usize];
            if h != UNDECIDED {
                if h != b {
                    return false;
                }
                continue;
            }
            if self.claim[b as usize] == gen || self.hyp_of[b as usize] == walk {
                return false;
            }
            self.s.hyp[a as usize] = b;
            self.hyp_of[b as usize] = walk;
            self.s.hyp_list.push(a);
            if !self.shallow_eq(src, a, b, stack) {
                return false;
            }
        }
        true
    }

    /// Blob record `a` and merged record `b` agree but for their references, which are
    /// pushed as pairs to compare.
    fn shallow_eq(&mut self, src: &Btf<'_>, a: u32, b: u32, stack: &mut Vec<(u32, u32)>) -> bool {
        let Merger { raw, s, .. } = self;
        let ra = &s.t[a];
        let rb = raw.record(b);
        if ra.len() != rb.len() || ra.len() < 3 || ra[1] != rb[1] {
            return false;
        }
        let mut st =
            StrEq { map: &mut s.strmap, touched: &mut s.touched, src: src.string_section(), merged: raw.strings() };
        if !st.eq(ra[0], rb[0]) {
            return false;
        }
        match kind(ra) {
            Kind::STRUCT | Kind::UNION => {
                if ra[2] != rb[2] {
                    return false;
                }
                for (x, y) in ra[3..].chunks_exact(3).zip(rb[3..].chunks_exact(3)) {
                    if x[2] != y[2] || !st.eq(x[0], y[0]) {
                        return false;
                    }
                    stack.push((x[1], y[1]));
                }
                true
            }
            Kind::PTR | Kind::TYPEDEF | Kind::CONST | Kind::VOLATILE | Kind::RESTRICT | Kind::TYPE_TAG => {
                stack.push((ra[2], rb[2]));
                true
            }
            Kind::ARRAY => {
                if ra.len() != 6 || ra[2] != rb[2] || ra[5] != rb[5] {
                    return false;
                }
                stack.push((ra[3], rb[3]));
                stack.push((ra[4], rb[4]));
                true
            }
            Kind::FUNC_PROTO => {
                for (x, y) in ra[3..].chunks_exact(2).zip(rb[3..].chunks_exact(2)) {
                    if !st.eq(x[0], y[0]) {
                        return false;
                    }
                    stack.push((x[1], y[1]));
                }
                stack.push((ra[2], rb[2]));
                true
            }
            Kind::INT | Kind::FLOAT | Kind::FWD => ra[2..] == rb[2..],
            Kind::ENUM | Kind::ENUM64 => {
                let stride = if kind(ra) == Kind::ENUM { 2 } else { 3 };
                ra[2] == rb[2]
                    && ra[3..]
                        .chunks_exact(stride)
                        .zip(rb[3..].chunks_exact(stride))
                        .all(|(x, y)| x[1..] == y[1..] && st.eq(x[0], y[0]))
            }
            _ => false,
        }
    }

    // ---- pass 2: reference types, by exact lookup ----

    fn decide_ref(&mut self, src: &Btf<'_>, gen: u32, x: u32, depth: usize) -> u32 {
        let d = self.s.dec[x as usize];
        if d != UNDECIDED {
            return d;
        }
        if depth > 64 || !is_ref(kind(&self.s.t[x])) {
            self.s.dec[x as usize] = KEPT;
            return KEPT;
        }
        self.s.dec[x as usize] = BUSY;
        // The record with its references mapped, in a buffer of the pool (this recurses).
        let mut r = self.s.pool.pop().unwrap_or_default();
        r.clear();
        r.extend_from_slice(&self.s.t[x]);
        let d = self.decide_mapped(src, gen, x, &mut r, depth);
        self.s.dec[x as usize] = d;
        self.s.pool.push(r);
        d
    }

    fn decide_mapped(&mut self, src: &Btf<'_>, gen: u32, x: u32, r: &mut [u32], depth: usize) -> u32 {
        let n = self.s.t.len() as u32;
        for s in ref_slots(r) {
            let c = r[s];
            if c == 0 {
                continue;
            }
            let dc = if c < n && c != x { self.decide_ref(src, gen, c, depth + 1) } else { KEPT };
            if dc > LAST_ID {
                return KEPT;
            }
            r[s] = dc;
        }
        let h = self.ref_hash(src, r);
        let mut c = self.refs.get(&h).copied().unwrap_or(0);
        while c != 0 {
            if self.claim[c as usize] != gen && self.ref_eq(src, r, c) {
                self.claim[c as usize] = gen;
                return c;
            }
            c = self.chain[c as usize];
        }
        KEPT
    }

    fn ref_eq(&mut self, src: &Btf<'_>, r: &[u32], c: u32) -> bool {
        let Merger { raw, s, .. } = self;
        let rc = raw.record(c);
        if rc.len() != r.len() {
            return false;
        }
        let mut st =
            StrEq { map: &mut s.strmap, touched: &mut s.touched, src: src.string_section(), merged: raw.strings() };
        let mut strs = str_slots(r).peekable();
        for (i, (&a, &b)) in r.iter().zip(rc).enumerate() {
            if strs.peek() == Some(&i) {
                strs.next();
                if !st.eq(a, b) {
                    return false;
                }
            } else if a != b {
                return false;
            }
        }
        true
    }

    // ---- appending what is kept ----

    fn append(&mut self, src: &Btf<'_>, ids: &[u32], gen: u32) {
        let n = self.s.t.len() as u32;
        let first_new = self.raw.next_id();
        let kept = ids.iter().filter(|&&i| i >= first_new).count();
        self.raw.reserve(kept, self.s.t.words.len());
        let base = src.start_id() == 1;
        // Blob ids are local (1 for its first type); references below that are to a base.
        let local = |w: u32| w.checked_add(1).and_then(|w| w.checked_sub(src.start_id())).filter(|&l| l > 0);
        let mut rec: Vec<u32> = Vec::new();
        for x in 1..n {
            let id = ids[x as usize];
            if id < first_new {
                continue;
            }
            rec.clear();
            rec.extend_from_slice(&self.s.t[x]);
            let k = kind(&rec);
            // Hashes come from the blob's record (strings by value), before rewriting.
            let anchor_hash = if is_anchor(k) && base { Some(self.shallow_hash(src, x)) } else { None };
            for s in ref_slots(&rec) {
                if let Some(w) = rec.get_mut(s) {
                    *w = local(*w).and_then(|l| ids.get(l as usize)).copied().unwrap_or(0);
                }
            }
            let ref_hash = if is_ref(k) && base { Some(self.ref_hash(src, &rec)) } else { None };
            for s in str_slots(&rec) {
                if let Some(&off) = rec.get(s) {
                    rec[s] = self.intern(src, off);
                }
            }
            let got = self.raw.push_mapped(&rec, |r| r);
            debug_assert_eq!(got, id);
            self.chain.push(0);
            self.claim.push(gen);
            self.hyp_of.push(0);
            if let Some(h) = anchor_hash {
                self.chain[id as usize] = self.anchors.insert(h, id).unwrap_or(0);
            } else if let Some(h) = ref_hash {
                self.chain[id as usize] = self.refs.insert(h, id).unwrap_or(0);
            }
        }
    }
}

/// Blob strings against merged strings, remembering the offsets found equal (merged strings
/// are unique, so one equal offset is the only one).
struct StrEq<'a> {
    map: &'a mut [u32],
    touched: &'a mut Vec<u32>,
    src: &'a [u8],
    merged: &'a [u8],
}

impl StrEq<'_> {
    #[inline]
    fn eq(&mut self, off: u32, moff: u32) -> bool {
        let Some(e) = self.map.get_mut(off as usize) else { return false };
        if *e != u32::MAX {
            return *e == moff;
        }
        let (Some(a), Some(b)) = (self.src.get(off as usize..), self.merged.get(moff as usize..)) else {
            return false;
        };
        let eq = cstr_eq(a, b);
        if eq {
            *e = moff;
            self.touched.push(off);
            true
        } else {
            false
        }
    }
}

/// Whether the NUL-terminated strings at the start of `a` and `b` are equal (eight bytes at
/// a time while both have them: an equal word holding a NUL ends both strings).
#[inline]
fn cstr_eq(a: &[u8], b: &[u8]) -> bool {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + 8 <= n {
        let x = u64::from_le_bytes(a[i..i + 8].try_into().expect("8 bytes"));
        let y = u64::from_le_bytes(b[i..i + 8].try_into().expect("8 bytes"));
        if x != y {
            break;
        }
        if x.wrapping_sub(LO) & !x & HI != 0 {
            return true;
        }
        i += 8;
    }
    for (&x, &y) in a[i..].iter().zip(&b[i..]) {
        if x != y {
            return false;
        }
        if x == 0 {
            return true;
        }
    }
    false
}

/// Whether deduplicated types `raw` leave no choice that the copies [`Merger`] left out
/// could have changed: no two structs, unions or forward declarations share a name, no two
/// enums share a name, and no enum is a forward declaration (one without values).
///
/// Why that is enough: a left-out copy's graph is isomorphic to its original's, so every
/// step of the deduplication that compares it with a canonical type has the same outcome
/// as for the original, except where the comparison has a choice: a forward declaration or
/// an enum without values is compatible with any full type of its name, so a copy can match
/// a canonical type its original did not (libbpf's equivalence is not transitive then).
/// With every name standing for one type, whatever a forward declaration matches is that
/// type, and the deduplication has one answer. Callers deduplicate the output of
/// [`Merger::expand`] instead when this is false.
pub fn unambiguous(raw: &RawBtf) -> bool {
    ambiguity(raw).is_none()
}

/// The first two types that make [`unambiguous`] false (ids in `raw`), and why.
pub fn ambiguity(raw: &RawBtf) -> Option<(u32, u32, &'static str)> {
    let mut names: HashMap<(u32, bool), u32> = HashMap::default();
    for id in 1..raw.next_id() {
        let r = raw.record(id);
        let k = kind(r);
        let vlen = (r[1] & 0xffff) as usize;
        match k {
            Kind::STRUCT | Kind::UNION | Kind::FWD if r[0] != 0 => {
                if let Some(o) = names.insert((r[0], false), id) {
                    return Some((o, id, "same name"));
                }
            }
            Kind::ENUM | Kind::ENUM64 if vlen == 0 => return Some((id, id, "enum without values")),
            Kind::ENUM | Kind::ENUM64 if r[0] != 0 => {
                if let Some(o) = names.insert((r[0], true), id) {
                    return Some((o, id, "same enum name"));
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{BtfBuilder, Endian, IntEncoding, Linkage, StrMap};

    /// A blob like an object's: a list node with a pointer cycle and a pointer to `X` (a
    /// forward declaration, or one of two different definitions), a function, a variable
    /// and a DATASEC. Ids are fixed so references can point forward.
    fn blob(suffix: &str, x: u8) -> Vec<u8> {
        let mut b = BtfBuilder::new();
        let int = b.add_int("int", 4, IntEncoding::SIGNED); // 1
        let node_ptr = b.add_ptr(3); // 2, to the struct after it
        let node = b.add_struct("node", 24, &[("next", node_ptr, 0), ("val", int, 64), ("x", 4, 128)]); // 3
        assert_eq!(node, 3);
        b.add_ptr(5); // 4
        match x {
            0 => b.add_fwd("X", false),
            1 => b.add_struct("X", 4, &[("a", int, 0)]),
            _ => b.add_struct("X", 8, &[("b", 6, 0)]),
        }; // 5
        if x == 2 {
            b.add_int("long", 8, IntEncoding::SIGNED); // 6
        }
        let proto = b.add_func_proto(int, &[("n", node_ptr)]);
        b.add_func(&format!("f{suffix}"), proto, Linkage::GLOBAL);
        let v = b.add_var(&format!("v{suffix}"), node, Linkage::GLOBAL);
        b.add_datasec(".data", 24, &[(v, 0, 24)]);
        b.to_bytes(Endian::Little)
    }

    /// Every blob's types (DATASECs aside) appended as they are, and where each went.
    fn concat(blobs: &[Vec<u8>]) -> (RawBtf, Vec<Vec<u32>>) {
        let mut r = RawBtf::new();
        let mut maps = Vec::new();
        for bytes in blobs {
            let b = Btf::parse(bytes).unwrap();
            let mut m = vec![0u32; b.type_count() as usize];
            for (next, t) in (r.next_id()..).zip(b.types().filter(|t| t.kind() != Kind::DATASEC)) {
                m[t.id() as usize] = next;
            }
            let mut strs = StrMap::for_btf(&b);
            for t in b.types().filter(|t| t.kind() != Kind::DATASEC) {
                r.push_copy(&b, &mut strs, &t, |i| m[i as usize]);
            }
            maps.push(m);
        }
        (r, maps)
    }

    fn merge(blobs: &[Vec<u8>]) -> Merger {
        let mut m = Merger::new();
        for bytes in blobs {
            m.add(&Btf::parse(bytes).unwrap());
        }
        m
    }

    /// Deduplicated bytes, and every blob's id -> final id.
    fn dedup(mut r: RawBtf, maps: &[Vec<u32>]) -> (Vec<u8>, Vec<Vec<u32>>) {
        let (_, d) = r.dedup().unwrap();
        let finals = maps.iter().map(|m| m.iter().map(|&i| d[i as usize]).collect()).collect();
        (r.to_bytes(Endian::Little), finals)
    }

    #[test]
    fn copies_are_left_out() {
        let blobs = [blob("1", 0), blob("2", 0), blob("3", 0)];
        let m = merge(&blobs);
        // 5 types shared, then a FUNC_PROTO, FUNC and VAR each; FUNCs and VARs are kept, the
        // FUNC_PROTO is a copy too
        assert_eq!(m.stats().types_kept, 5 + 3 + 2 + 2);
        assert_eq!(m.stats().types_in, 3 * 8);
        for i in 1..3 {
            assert_eq!(m.ids(i)[1..7], m.ids(0)[1..7], "blob {i}: header types map onto the first blob's");
            assert!(m.ids(i)[7] > m.ids(0)[7], "blob {i}: its FUNC is its own");
            assert_eq!(m.ids(i)[9], 0, "DATASECs are not merged");
        }
    }

    #[test]
    fn merged_dedup_equals_full_dedup_when_unambiguous() {
        let blobs = [blob("1", 0), blob("2", 1), blob("3", 0), blob("4", 1), blob("5", 0)];
        let m = merge(&blobs);
        let (full, full_maps) = concat(&blobs);
        let want = dedup(full, &full_maps);
        let ids: Vec<Vec<u32>> = (0..blobs.len()).map(|i| m.ids(i).to_vec()).collect();
        let mut fast = m.raw().clone();
        fast.dedup().unwrap();
        assert!(unambiguous(&fast), "{:?}", ambiguity(&fast));
        assert_eq!(dedup(m.raw().clone(), &ids), want);
        // the full concatenation rebuilt from the merged types is the same
        let (ex, ex_maps) = m.expand();
        assert_eq!(ex_maps, full_maps);
        assert_eq!(dedup(ex, &ex_maps), want);
    }

    #[test]
    fn two_definitions_of_a_name_are_ambiguous() {
        // `X` defined two ways: which one a later forward declaration's copy matches depends
        // on the copies, so only the full concatenation gives the right answer
        let blobs = [blob("1", 0), blob("2", 1), blob("3", 2), blob("4", 0)];
        let m = merge(&blobs);
        assert!(m.stats().types_kept < m.stats().types_in);
        let mut fast = m.raw().clone();
        fast.dedup().unwrap();
        assert_eq!(ambiguity(&fast).map(|a| a.2), Some("same name"));
        let (full, full_maps) = concat(&blobs);
        let (ex, ex_maps) = m.expand();
        assert_eq!(dedup(ex, &ex_maps), dedup(full, &full_maps));
    }

    #[test]
    fn strings_compare_to_the_nul() {
        assert!(cstr_eq(b"abc\0x", b"abc\0y"));
        assert!(cstr_eq(b"0123456789abcdef\0", b"0123456789abcdef\0zz"));
        assert!(cstr_eq(b"0123456\0", b"0123456\0"));
        assert!(!cstr_eq(b"0123456789abcdef\0", b"0123456789abcdeg\0"));
        assert!(!cstr_eq(b"abc\0", b"abcd\0"));
        assert!(!cstr_eq(b"abcdefgh", b"abcdefgh"), "no NUL: not a string");
        assert!(cstr_eq(b"\0", b"\0"));
    }
}
