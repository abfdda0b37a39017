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

/// Equality of two raw records.
type EqFn = fn(&[u32], &[u32]) -> bool;

const UNPROCESSED: u32 = u32::MAX;
const IN_PROGRESS: u32 = u32::MAX - 1;
const MAX_ID: u32 = 0x7fff_ffff;
const MAX_DEPTH: usize = 4096;

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
    equal_common(a, b)
        && a.len() == b.len()
        && a[3..].chunks_exact(3).zip(b[3..].chunks_exact(3)).all(|(x, y)| x[0] == y[0] && x[2] == y[2])
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

/// Positions (word indexes) of the type ids inside a record.
fn ref_slots(r: &[u32]) -> Vec<usize> {
    match kind(r) {
        Kind::PTR
        | Kind::TYPEDEF
        | Kind::VOLATILE
        | Kind::CONST
        | Kind::RESTRICT
        | Kind::FUNC
        | Kind::VAR
        | Kind::DECL_TAG
        | Kind::TYPE_TAG => vec![2],
        Kind::ARRAY => vec![3, 4],
        Kind::STRUCT | Kind::UNION => (0..vlen(r)).map(|i| 3 + 3 * i + 1).collect(),
        Kind::FUNC_PROTO => std::iter::once(2).chain((0..vlen(r)).map(|i| 3 + 2 * i + 1)).collect(),
        Kind::DATASEC => (0..vlen(r)).map(|i| 3 + 3 * i).collect(),
        _ => Vec::new(),
    }
}

/// Positions of string offsets inside a record.
fn str_slots(r: &[u32]) -> Vec<usize> {
    let mut v = vec![0];
    match kind(r) {
        Kind::STRUCT | Kind::UNION => v.extend((0..vlen(r)).map(|i| 3 + 3 * i)),
        Kind::ENUM | Kind::FUNC_PROTO => v.extend((0..vlen(r)).map(|i| 3 + 2 * i)),
        Kind::ENUM64 => v.extend((0..vlen(r)).map(|i| 3 + 3 * i)),
        _ => {}
    }
    v
}

struct Dedup {
    t: Vec<Vec<u32>>,
    map: Vec<u32>,
    hypot_map: Vec<u32>,
    hypot_list: Vec<u32>,
    table: HashMap<u64, Vec<u32>>,
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
        if kind(&self.t[id as usize]) != Kind::FWD {
            return id;
        }
        let r = self.resolve(id);
        if kind(&self.t[r as usize]) != Kind::FWD {
            r
        } else {
            id
        }
    }
    fn add(&mut self, h: u64, id: u32) {
        self.table.entry(h).or_default().push(id);
    }
    /// Candidates for `h`, newest first.
    fn cands(&self, h: u64) -> Vec<u32> {
        self.table.get(&h).map(|v| v.iter().rev().copied().collect()).unwrap_or_default()
    }
    /// First candidate for `h` (newest first) equal to `r` by `eq`.
    fn find(&self, h: u64, r: &[u32], eq: EqFn) -> Option<u32> {
        self.table.get(&h)?.iter().rev().copied().find(|&c| eq(r, &self.t[c as usize]))
    }

    fn prim(&mut self, id: u32) {
        let r = std::mem::take(&mut self.t[id as usize]);
        self.prim_inner(id, &r);
        self.t[id as usize] = r;
    }

    fn prim_inner(&mut self, id: u32, r: &[u32]) {
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
                for c in self.cands(h) {
                    let ct = &self.t[c as usize];
                    if kind(ct) != k {
                        continue;
                    }
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
        let (x, y) = (&self.t[a as usize], &self.t[b as usize]);
        kind(x) == Kind::ARRAY && kind(y) == Kind::ARRAY && equal_array(x, y)
    }
    fn identical_structs(&self, a: u32, b: u32, depth: usize) -> bool {
        let (x, y) = (&self.t[a as usize], &self.t[b as usize]);
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
        let (x, y) = (&self.t[a as usize], &self.t[b as usize]);
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
        let mut stack = vec![(cand, canon)];
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
            let ct = &self.t[cand as usize];
            let nt = &self.t[canon as usize];
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
            let mut children: Vec<(u32, u32)> = Vec::new();
            let ok = match ck {
                Kind::INT => equal_int_tag(ct, nt),
                Kind::ENUM | Kind::ENUM64 => compat_enum(ct, nt),
                Kind::FWD | Kind::FLOAT => equal_common(ct, nt),
                Kind::CONST
                | Kind::VOLATILE
                | Kind::RESTRICT
                | Kind::PTR
                | Kind::TYPEDEF
                | Kind::FUNC
                | Kind::TYPE_TAG => {
                    children.push((ct[2], nt[2]));
                    ct[1] == nt[1]
                }
                Kind::ARRAY => {
                    children.push((ct[4], nt[4]));
                    children.push((ct[3], nt[3]));
                    compat_array(ct, nt)
                }
                Kind::STRUCT | Kind::UNION => {
                    let ok = shallow_equal_struct(ct, nt);
                    if ok {
                        for (a, b) in ct[3..].chunks_exact(3).zip(nt[3..].chunks_exact(3)) {
                            children.push((a[1], b[1]));
                        }
                    }
                    ok
                }
                Kind::FUNC_PROTO => {
                    let ok = compat_fnproto(ct, nt);
                    if ok {
                        children.push((ct[2], nt[2]));
                        for (a, b) in ct[3..].chunks_exact(2).zip(nt[3..].chunks_exact(2)) {
                            children.push((a[1], b[1]));
                        }
                    }
                    ok
                }
                _ => false,
            };
            if !ok {
                return false;
            }
            // First child on top of the stack.
            stack.extend(children.into_iter().rev());
        }
        true
    }

    fn merge_hypot(&mut self) {
        for i in 0..self.hypot_list.len() {
            let canon = self.hypot_list[i];
            let targ = self.hypot_map[canon as usize];
            let t_id = self.resolve(targ);
            let c_id = self.resolve(canon);
            let tk = kind(&self.t[t_id as usize]);
            let ck = kind(&self.t[c_id as usize]);
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
        if !matches!(kind(&self.t[id as usize]), Kind::STRUCT | Kind::UNION) {
            return;
        }
        let h = hash_struct(&self.t[id as usize]);
        let mut new_id = id;
        for c in self.cands(h) {
            if !shallow_equal_struct(&self.t[id as usize], &self.t[c as usize]) {
                continue;
            }
            self.clear_hypot();
            if !self.is_equiv(id, c) {
                continue;
            }
            self.merge_hypot();
            new_id = c;
            break;
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
            let r = &self.t[id as usize];
            if matches!(kind(r), Kind::STRUCT | Kind::UNION) && self.map[id as usize] == id {
                names.entry(r[0]).and_modify(|v| *v = 0).or_insert(id);
            }
        }
        for id in 1..self.t.len() as u32 {
            let r = &self.t[id as usize];
            if kind(r) != Kind::FWD || self.map[id as usize] != id {
                continue;
            }
            let Some(&cand) = names.get(&r[0]) else { continue };
            if cand == 0 {
                continue;
            }
            let want = if kflag(r) { Kind::UNION } else { Kind::STRUCT };
            if kind(&self.t[cand as usize]) == want {
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
        let k = kind(&self.t[id as usize]);
        let slots: Vec<usize> = match k {
            Kind::CONST
            | Kind::VOLATILE
            | Kind::RESTRICT
            | Kind::PTR
            | Kind::TYPEDEF
            | Kind::FUNC
            | Kind::TYPE_TAG
            | Kind::DECL_TAG => vec![2],
            Kind::ARRAY => vec![3, 4],
            Kind::FUNC_PROTO => ref_slots(&self.t[id as usize]),
            _ => return Err(DedupError::BadTypeId(id)),
        };
        for s in slots {
            let target = self.t[id as usize][s];
            let r = self.ref_type(target, depth + 1)?;
            self.t[id as usize][s] = r;
        }
        let r = &self.t[id as usize];
        let (h, eq): (u64, EqFn) = match k {
            Kind::DECL_TAG => (hash_int_tag(r), equal_int_tag),
            Kind::ARRAY => (hash_array(r), equal_array),
            Kind::FUNC_PROTO => (hash_fnproto(r), equal_fnproto),
            _ => (hash_common(r), equal_common),
        };
        let new_id = self.find(h, r, eq).unwrap_or(id);
        self.map[id as usize] = new_id;
        if new_id == id {
            self.add(h, id);
        }
        Ok(new_id)
    }
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
    let n = btf.type_count();
    // Raw words of each record; index 0 is void.
    let mut t: Vec<Vec<u32>> = Vec::with_capacity(n as usize);
    t.push(Vec::new());
    for ty in btf.types() {
        let raw = ty.raw();
        t.push(raw.chunks_exact(4).map(|c| u32::from_ne_bytes([c[0], c[1], c[2], c[3]])).collect());
    }
    for (id, r) in t.iter().enumerate().skip(1) {
        for s in ref_slots(r) {
            if r[s] >= n {
                return Err(DedupError::BadTypeId(id as u32));
            }
        }
    }
    // 1. Strings, in order of first use.
    let strings_before = b.strings().len();
    let mut strs: Vec<u8> = vec![0];
    let mut smap: HashMap<&[u8], u32> = HashMap::default();
    smap.insert(b"", 0);
    for r in t.iter_mut().skip(1) {
        for s in str_slots(r) {
            let off = r[s];
            let bytes = btf.str_bytes(off).ok_or(DedupError::BadStringOffset(off))?;
            let new = *smap.entry(bytes).or_insert_with(|| {
                let o = strs.len() as u32;
                strs.extend_from_slice(bytes);
                strs.push(0);
                o
            });
            r[s] = new;
        }
    }
    let mut d = Dedup {
        map: vec![UNPROCESSED; n as usize],
        hypot_map: vec![UNPROCESSED; n as usize],
        hypot_list: Vec::new(),
        table: HashMap::default(),
        t,
    };
    d.map[0] = 0;
    for id in 1..n {
        if matches!(kind(&d.t[id as usize]), Kind::VAR | Kind::DATASEC) {
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
    let mut out = Vec::new();
    for id in 1..n {
        if d.map[id as usize] != id {
            continue;
        }
        let mut r = d.t[id as usize].clone();
        for s in ref_slots(&r) {
            let nid = new_id[d.resolve(r[s]) as usize];
            if nid > MAX_ID {
                return Err(DedupError::BadTypeId(id));
            }
            r[s] = nid;
        }
        for w in r {
            out.extend_from_slice(&w.to_ne_bytes());
        }
    }
    let mut raw = Vec::with_capacity(24 + out.len() + strs.len());
    raw.extend_from_slice(&crate::MAGIC.to_ne_bytes());
    raw.extend_from_slice(&[1, 0]);
    for v in [24u32, 0, out.len() as u32, out.len() as u32, strs.len() as u32] {
        raw.extend_from_slice(&v.to_ne_bytes());
    }
    raw.extend_from_slice(&out);
    raw.extend_from_slice(&strs);
    let res = Btf::parse(&raw).map_err(|_| DedupError::BadTypeId(0))?;
    *b = BtfBuilder::from_btf(&res);
    let id_map: Vec<u32> = (0..n).map(|id| new_id[d.resolve(id) as usize]).collect();
    Ok((DedupStats { types_before: n - 1, types_after: next - 1, strings_before, strings_after: strs.len() }, id_map))
}
