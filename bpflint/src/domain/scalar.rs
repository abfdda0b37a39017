//! Scalar abstract values: a tnum plus signed/unsigned 64- and 32-bit ranges, kept consistent
//! with each other (the kernel's `reg_bounds_sync` idea, re-derived here).

use super::tnum::Tnum;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Scalar {
    pub var: Tnum,
    pub smin: i64,
    pub smax: i64,
    pub umin: u64,
    pub umax: u64,
    pub s32min: i32,
    pub s32max: i32,
    pub u32min: u32,
    pub u32max: u32,
}

impl Default for Scalar {
    fn default() -> Self {
        Scalar::unknown()
    }
}

#[allow(clippy::should_implement_trait)]
/// The smallest member of tnum `t` greater than `z` (`t`'s largest member when there is none;
/// its smallest when `z` is below it) (kernel/lib tnum_step(), reimplemented: the lowest bit
/// where `z` has a 0 that may become a 1 while every higher bit of `z` fits the tnum).
fn tnum_step(t: Tnum, z: u64) -> u64 {
    let tmax = t.value | t.mask;
    if z >= tmax {
        return tmax;
    }
    if z < t.value {
        return t.value;
    }
    let misfit = (z ^ t.value) & !t.mask;
    for i in 0..64u32 {
        let bit = 1u64 << i;
        let above = if i == 63 { 0 } else { !0u64 << (i + 1) };
        if z & bit == 0 && (t.mask | t.value) & bit != 0 && misfit & above == 0 {
            return (z & above) | bit | (t.value & (bit - 1));
        }
    }
    tmax
}

/// The one value the unsigned range `[umin, umax]` and tnum `t` share, when they share exactly
/// one (kernel/bpf/verifier.c __update_reg64_bounds(): the three single-overlap cases).
fn single_overlap(t: Tnum, umin: u64, umax: u64) -> Option<u64> {
    if t.mask == 0 || umin > umax {
        return None;
    }
    let next = tnum_step(t, umin);
    let umin_in = umin & !t.mask == t.value;
    let tmax = t.value | t.mask;
    if umin_in && next > umax {
        Some(umin)
    } else if !umin_in && next == tmax {
        Some(tmax)
    } else if !umin_in && next <= umax && tnum_step(t, next) > umax {
        Some(next)
    } else {
        None
    }
}

impl Scalar {
    pub fn unknown() -> Scalar {
        Scalar {
            var: Tnum::UNKNOWN,
            smin: i64::MIN,
            smax: i64::MAX,
            umin: 0,
            umax: u64::MAX,
            s32min: i32::MIN,
            s32max: i32::MAX,
            u32min: 0,
            u32max: u32::MAX,
        }
    }
    pub fn constant(v: u64) -> Scalar {
        Scalar {
            var: Tnum::constant(v),
            smin: v as i64,
            smax: v as i64,
            umin: v,
            umax: v,
            s32min: v as u32 as i32,
            s32max: v as u32 as i32,
            u32min: v as u32,
            u32max: v as u32,
        }
    }
    /// Unknown value in `[0, max]` (unsigned).
    pub fn urange(min: u64, max: u64) -> Scalar {
        let mut s = Scalar::unknown();
        s.umin = min;
        s.umax = max;
        s.sync();
        s
    }
    pub fn is_const(&self) -> bool {
        self.var.is_const()
    }
    pub fn const_value(&self) -> Option<u64> {
        self.var.is_const().then_some(self.var.value)
    }
    pub fn is_const32(&self) -> bool {
        self.var.subreg().is_const()
    }
    pub fn is_unbounded(&self) -> bool {
        self.smin == i64::MIN && self.smax == i64::MAX && self.umin == 0 && self.umax == u64::MAX
    }

    /// Tighten ranges from the tnum and from each other, as the kernel does after every ALU
    /// operation and branch (kernel/bpf/verifier.c: reg_bounds_sync(): __update_reg_bounds(),
    /// three rounds of __reg_deduce_bounds(), __reg_bound_offset(), __update_reg_bounds()). The
    /// deduction is the one of Linux 6.7 and later (ranges that cross the sign boundary).
    pub fn sync(&mut self) {
        // the two commonest fixed points: a known constant and a value known nothing about
        if (self.var.mask == 0 && *self == Scalar::constant(self.var.value)) || *self == Scalar::unknown() {
            return;
        }
        self.update_from_tnum();
        for _ in 0..3 {
            let before = *self;
            self.deduce32();
            self.deduce64();
            self.deduce_mixed();
            // a round that changes nothing is a fixed point: the next ones would not either
            if *self == before {
                break;
            }
        }
        self.tnum_from_ranges();
        self.update_from_tnum();
    }

    fn update_from_tnum(&mut self) {
        let v = self.var;
        let sign = 1u64 << 63;
        self.smin = self.smin.max((v.value | (v.mask & sign)) as i64);
        self.smax = self.smax.min((v.value | (v.mask & !sign)) as i64);
        self.umin = self.umin.max(v.value);
        self.umax = self.umax.min(v.value | v.mask);
        // the unsigned range and the tnum share one value only: the value is known
        // (kernel/bpf/verifier.c __update_reg64_bounds() with tnum_step(), in the running 6.18
        // stable kernel; measured: tests/cli/bpflint-modern/bounds-tnum-single-value.s)
        if let Some(c) = single_overlap(v, self.umin, self.umax) {
            *self = Scalar::constant(c);
            return;
        }
        let s = v.subreg();
        let sign32 = 1u64 << 31;
        self.s32min = self.s32min.max((s.value | (s.mask & sign32)) as u32 as i32);
        self.s32max = self.s32max.min((s.value | (s.mask & !sign32)) as u32 as i32);
        self.u32min = self.u32min.max(s.value as u32);
        self.u32max = self.u32max.min((s.value | s.mask) as u32);
    }

    /// The subregister's ranges from the 64-bit ranges and from each other
    /// (__reg32_deduce_bounds()).
    fn deduce32(&mut self) {
        // 64 -> 32: when the upper halves agree, the low halves bound the subregister
        if self.umin >> 32 == self.umax >> 32 {
            self.u32min = self.u32min.max(self.umin as u32);
            self.u32max = self.u32max.min(self.umax as u32);
            if (self.umin as i32) <= (self.umax as i32) {
                self.s32min = self.s32min.max(self.umin as i32);
                self.s32max = self.s32max.min(self.umax as i32);
            }
        }
        if self.smin >> 32 == self.smax >> 32 {
            if (self.smin as u32) <= (self.smax as u32) {
                self.u32min = self.u32min.max(self.smin as u32);
                self.u32max = self.u32max.min(self.smax as u32);
            }
            if (self.smin as i32) <= (self.smax as i32) {
                self.s32min = self.s32min.max(self.smin as i32);
                self.s32max = self.s32max.min(self.smax as i32);
            }
        }
        // upper halves that differ by one, with the low halves crossing from negative to
        // non-negative: still one signed 32-bit range
        if ((self.umin >> 32) as u32).wrapping_add(1) == (self.umax >> 32) as u32
            && (self.umin as i32) < 0
            && (self.umax as i32) >= 0
        {
            self.s32min = self.s32min.max(self.umin as i32);
            self.s32max = self.s32max.min(self.umax as i32);
        }
        if ((self.smin >> 32) as u32).wrapping_add(1) == (self.smax >> 32) as u32
            && (self.smin as i32) < 0
            && (self.smax as i32) >= 0
        {
            self.s32min = self.s32min.max(self.smin as i32);
            self.s32max = self.s32max.min(self.smax as i32);
        }
        // signed <-> unsigned within 32 bits
        if (self.u32min as i32) <= (self.u32max as i32) {
            self.s32min = self.s32min.max(self.u32min as i32);
            self.s32max = self.s32max.min(self.u32max as i32);
        }
        if (self.s32min as u32) <= (self.s32max as u32) {
            self.u32min = self.u32min.max(self.s32min as u32);
            self.u32max = self.u32max.min(self.s32max as u32);
        } else if self.u32max < self.s32min as u32 {
            // the signed range crosses the sign boundary; the unsigned one lies in its
            // non-negative part
            self.s32min = self.u32min as i32;
            self.u32max = self.u32max.min(self.s32max as u32);
        } else if (self.s32max as u32) < self.u32min {
            self.s32max = self.u32max as i32;
            self.u32min = self.u32min.max(self.s32min as u32);
        }
    }

    /// Signed <-> unsigned 64-bit ranges (__reg64_deduce_bounds()).
    fn deduce64(&mut self) {
        if (self.umin as i64) <= (self.umax as i64) {
            self.smin = self.smin.max(self.umin as i64);
            self.smax = self.smax.min(self.umax as i64);
        }
        if (self.smin as u64) <= (self.smax as u64) {
            self.umin = self.umin.max(self.smin as u64);
            self.umax = self.umax.min(self.smax as u64);
        } else if self.umax < self.smin as u64 {
            self.smin = self.umin as i64;
            self.umax = self.umax.min(self.smax as u64);
        } else if (self.smax as u64) < self.umin {
            self.smax = self.umax as i64;
            self.umin = self.umin.max(self.smin as u64);
        }
    }

    /// The 64-bit ranges from the subregister's (__reg_deduce_mixed_bounds()).
    fn deduce_mixed(&mut self) {
        const HI: u64 = !0xffff_ffffu64;
        self.umin = self.umin.max((self.umin & HI) | self.u32min as u64);
        self.umax = self.umax.min((self.umax & HI) | self.u32max as u64);
        self.smin = self.smin.max(((self.smin as u64 & HI) | self.u32min as u64) as i64);
        self.smax = self.smax.min(((self.smax as u64 & HI) | self.u32max as u64) as i64);
        if (self.s32min as u32) <= (self.s32max as u32) {
            let (lo, hi) = (self.s32min as u32 as u64, self.s32max as u32 as u64);
            self.umin = self.umin.max((self.umin & HI) | lo);
            self.umax = self.umax.min((self.umax & HI) | hi);
            self.smin = self.smin.max(((self.smin as u64 & HI) | lo) as i64);
            self.smax = self.smax.min(((self.smax as u64 & HI) | hi) as i64);
        }
        // a non-negative subregister and a 64-bit value within the s32 range: the value is
        // the subregister
        if self.s32min >= 0 && self.smin >= i32::MIN as i64 && self.smax <= i32::MAX as i64 {
            self.smin = self.s32min as i64;
            self.smax = self.s32max as i64;
            self.umin = self.s32min as u64;
            self.umax = self.s32max as u64;
            self.var = self.var.intersect(Tnum::range(self.smin as u64, self.smax as u64));
        }
    }

    fn tnum_from_ranges(&mut self) {
        let t = self.var.intersect(Tnum::range(self.umin, self.umax));
        let sub = t.subreg().intersect(Tnum::range(self.u32min as u64, self.u32max as u64));
        self.var = t.with_subreg(sub);
    }

    /// Whether the abstract value is empty (contradictory ranges): an infeasible path.
    pub fn is_empty(&self) -> bool {
        self.umin > self.umax || self.smin > self.smax || self.u32min > self.u32max || self.s32min > self.s32max
    }

    /// The low 32 bits zero-extended (what a 32-bit ALU op or a `w` read sees).
    pub fn zext32(&self) -> Scalar {
        // a value already inside [0, u32::MAX], upper half known zero, is its own zero
        // extension (checked against the full computation on the corpora and 20,000
        // kernel-diff programs)
        if self.umax <= u32::MAX as u64 && self.smin >= 0 && (self.var.value | self.var.mask) >> 32 == 0 {
            return *self;
        }
        self.zext32_slow()
    }

    fn zext32_slow(&self) -> Scalar {
        let mut s = Scalar::unknown();
        s.var = self.var.subreg();
        s.umin = self.u32min as u64;
        s.umax = self.u32max as u64;
        s.u32min = self.u32min;
        s.u32max = self.u32max;
        s.s32min = self.s32min;
        s.s32max = self.s32max;
        s.sync();
        s
    }

    /// The low 32 bits sign-extended to 64.
    pub fn sext32(&self) -> Scalar {
        let mut s = Scalar::unknown();
        let sub = self.var.subreg();
        s.var = if sub.mask & (1 << 31) != 0 {
            Tnum::new(sub.value, sub.mask | 0xffff_ffff_0000_0000)
        } else if sub.value & (1 << 31) != 0 {
            Tnum::new(sub.value | 0xffff_ffff_0000_0000, sub.mask)
        } else {
            sub
        };
        s.smin = self.s32min as i64;
        s.smax = self.s32max as i64;
        s.sync();
        s
    }

    /// Keep the low `size` bytes of the value (zero-extending): a narrow load or a 32-bit result.
    pub fn truncate(&self, size: u32) -> Scalar {
        if size >= 8 {
            return *self;
        }
        let bits = size * 8;
        let mut s = Scalar::unknown();
        s.var = self.var.cast(size);
        let m = (1u64 << bits) - 1;
        if self.umin >> bits == self.umax >> bits {
            s.umin = self.umin & m;
            s.umax = self.umax & m;
        } else {
            s.umin = 0;
            s.umax = m;
        }
        // the low 32 bits as a signed range: when the whole range sits in one 2^31-aligned
        // block, or within the s32 range itself ([-1, 0] of an arithmetic shift by 31:
        // scalar32_min_max_arsh())
        let in_s32 = self.smin >= i32::MIN as i64 && self.smax <= i32::MAX as i64;
        if size == 4 && (self.smin >> 31 == self.smax >> 31 || in_s32) {
            s.s32min = self.smin as i32;
            s.s32max = self.smax as i32;
        }
        s.smin = 0;
        s.smax = m as i64;
        s.sync();
        s
    }

    /// Sign-extend from `size` bytes to 64 bits (movsx, ldsx).
    pub fn sign_extend(&self, size: u32) -> Scalar {
        if size >= 8 {
            return *self;
        }
        let bits = size * 8;
        let t = self.truncate(size);
        let half = 1u64 << (bits - 1);
        let mut s = Scalar::unknown();
        if t.umax < half {
            s = t;
        } else if t.umin >= half {
            // all negative
            let ext = !((1u64 << bits) - 1);
            s.var = Tnum::new(t.var.value | ext, t.var.mask);
            s.umin = t.umin | ext;
            s.umax = t.umax | ext;
        } else {
            s.smin = -(half as i64);
            s.smax = half as i64 - 1;
        }
        s.sync();
        s
    }

    pub fn contains(&self, o: &Scalar) -> bool {
        self.smin <= o.smin
            && self.smax >= o.smax
            && self.umin <= o.umin
            && self.umax >= o.umax
            && self.s32min <= o.s32min
            && self.s32max >= o.s32max
            && self.u32min <= o.u32min
            && self.u32max >= o.u32max
            && self.var.contains(o.var)
    }

    fn from_u_s(umin: Option<(u64, u64)>, smin: Option<(i64, i64)>, var: Tnum) -> Scalar {
        let mut s = Scalar::unknown();
        s.var = var;
        if let Some((a, b)) = umin {
            s.umin = a;
            s.umax = b;
        }
        if let Some((a, b)) = smin {
            s.smin = a;
            s.smax = b;
        }
        s.sync();
        s
    }

    pub fn add(&self, o: &Scalar) -> Scalar {
        let u = self.umin.checked_add(o.umin).zip(self.umax.checked_add(o.umax));
        let s = self.smin.checked_add(o.smin).zip(self.smax.checked_add(o.smax));
        Scalar::from_u_s(u, s, self.var.add(o.var))
    }
    pub fn sub(&self, o: &Scalar) -> Scalar {
        let u = if self.umin >= o.umax { Some((self.umin - o.umax, self.umax - o.umin)) } else { None };
        let s = self.smin.checked_sub(o.smax).zip(self.smax.checked_sub(o.smin));
        Scalar::from_u_s(u, s, self.var.sub(o.var))
    }
    pub fn mul(&self, o: &Scalar) -> Scalar {
        let u = self.umin.checked_mul(o.umin).zip(self.umax.checked_mul(o.umax));
        let ps = [
            self.smin.checked_mul(o.smin),
            self.smin.checked_mul(o.smax),
            self.smax.checked_mul(o.smin),
            self.smax.checked_mul(o.smax),
        ];
        let s = if ps.iter().all(|p| p.is_some()) {
            let v: Vec<i64> = ps.iter().map(|p| p.unwrap_or(0)).collect();
            Some((*v.iter().min().unwrap_or(&0), *v.iter().max().unwrap_or(&0)))
        } else {
            None
        };
        Scalar::from_u_s(u, s, self.var.mul(o.var))
    }
    pub fn and(&self, o: &Scalar) -> Scalar {
        let var = self.var.and(o.var);
        let u = Some((var.value, self.umax.min(o.umax)));
        let s = if self.smin >= 0 || o.smin >= 0 { None } else { Some((i64::MIN, self.smax.max(o.smax).max(-1))) };
        let mut r = Scalar::from_u_s(u, s, var);
        if self.smin >= 0 || o.smin >= 0 {
            let m = if self.smin >= 0 && o.smin >= 0 {
                self.smax.min(o.smax)
            } else if self.smin >= 0 {
                self.smax
            } else {
                o.smax
            };
            r.smin = r.smin.max(0);
            r.smax = r.smax.min(m);
            r.sync();
        }
        r
    }
    pub fn or(&self, o: &Scalar) -> Scalar {
        let var = self.var.or(o.var);
        let u = Some((self.umin.max(o.umin), var.umax()));
        Scalar::from_u_s(u, None, var)
    }
    pub fn xor(&self, o: &Scalar) -> Scalar {
        let var = self.var.xor(o.var);
        Scalar::from_u_s(Some((var.umin(), var.umax())), None, var)
    }
    /// Shift left by a known-bounded amount (< 64).
    pub fn lsh(&self, sh: &Scalar) -> Scalar {
        let (a, b) = (sh.umin as u32, sh.umax as u32);
        let var = if sh.is_const() { self.var.lshift(a) } else { Tnum::UNKNOWN.lshift(a) };
        let u = if b < 64 && self.umax <= (u64::MAX >> b) { Some((self.umin << a, self.umax << b)) } else { None };
        // `<<= 32` (the first half of a sign extension, `<<= 32; s>>= 32`) keeps the signed
        // bounds the non-negative 32-bit ones give (kernel/bpf/verifier.c
        // __scalar64_min_max_lsh())
        let s = (sh.const_value() == Some(32) && (self.s32min >= 0 || self.s32max >= 0)).then(|| {
            let lo = if self.s32min >= 0 { (self.s32min as i64) << 32 } else { i64::MIN };
            let hi = if self.s32max >= 0 { (self.s32max as i64) << 32 } else { i64::MAX };
            (lo, hi)
        });
        Scalar::from_u_s(u, s, var)
    }
    pub fn rsh(&self, sh: &Scalar) -> Scalar {
        let (a, b) = (sh.umin as u32, sh.umax as u32);
        let var = if sh.is_const() { self.var.rshift(a) } else { Tnum::UNKNOWN.rshift(a) };
        Scalar::from_u_s(Some((self.umin >> b.min(63), self.umax >> a.min(63))), None, var)
    }
    pub fn arsh(&self, sh: &Scalar, bits: u32) -> Scalar {
        if !sh.is_const() {
            return Scalar::unknown();
        }
        let a = sh.umin as u32;
        let var = self.var.arshift(a, bits);
        Scalar::from_u_s(None, Some((self.smin >> a.min(63), self.smax >> a.min(63))), var)
    }
}

impl std::fmt::Display for Scalar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(v) = self.const_value() {
            return write!(f, "{}", v as i64);
        }
        let mut parts = Vec::new();
        if self.smin != i64::MIN {
            parts.push(format!("smin={}", self.smin));
        }
        if self.smax != i64::MAX {
            parts.push(format!("smax={}", self.smax));
        }
        if self.umin != 0 {
            parts.push(format!("umin={}", self.umin));
        }
        if self.umax != u64::MAX {
            parts.push(format!("umax={}", self.umax));
        }
        if !self.var.is_unknown() {
            parts.push(format!("var_off={}", self.var));
        }
        if parts.is_empty() {
            write!(f, "scalar()")
        } else {
            write!(f, "scalar({})", parts.join(","))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_and_ranges() {
        let a = Scalar::urange(0, 255);
        assert_eq!(a.smax, 255);
        assert_eq!(a.u32max, 255);
        let b = a.add(&Scalar::constant(1));
        assert_eq!((b.umin, b.umax), (1, 256));
        let c = a.and(&Scalar::constant(0xf));
        assert_eq!(c.umax, 15);
        let d = Scalar::constant(5).sub(&Scalar::constant(7));
        assert_eq!(d.const_value(), Some((-2i64) as u64));
        let e = Scalar::constant(0xffff_ffff).sign_extend(4);
        assert_eq!(e.const_value(), Some(u64::MAX));
    }

    #[test]
    fn tnum_step_is_the_next_member() {
        // every 6-bit tnum and every z, against a search of its members
        for mask in 0u64..64 {
            for value in (0u64..64).filter(|v| v & mask == 0) {
                let t = Tnum { value, mask };
                let members: Vec<u64> = (0u64..64).filter(|x| x & !mask == value).collect();
                for z in 0u64..64 {
                    let want = members.iter().copied().find(|&m| m > z).unwrap_or(value | mask);
                    let want = if z < value { value } else { want };
                    assert_eq!(super::tnum_step(t, z), want, "t={t:?} z={z}");
                }
            }
        }
    }

    #[test]
    fn a_range_meeting_the_tnum_once_is_a_constant() {
        // x & 0x100, known non-zero: 0x100
        let mut s = Scalar::unknown();
        s.var = Tnum { value: 0, mask: 0x100 };
        s.umin = 1;
        s.sync();
        assert_eq!(s.const_value(), Some(0x100));
        // two members in range: unknown
        let mut s = Scalar::unknown();
        s.var = Tnum { value: 0, mask: 0x101 };
        s.umin = 1;
        s.sync();
        assert_eq!(s.const_value(), None);
    }
}
