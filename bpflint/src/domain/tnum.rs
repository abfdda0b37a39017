//! Tristate numbers: each bit known 0, known 1 or unknown (`mask` bit set).
//! Written from the published description of the kernel's tnum domain (value/mask pairs).

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Tnum {
    pub value: u64,
    pub mask: u64,
}

#[allow(clippy::should_implement_trait)]
impl Tnum {
    pub const UNKNOWN: Tnum = Tnum { value: 0, mask: u64::MAX };

    pub const fn new(value: u64, mask: u64) -> Tnum {
        Tnum { value: value & !mask, mask }
    }
    pub const fn constant(v: u64) -> Tnum {
        Tnum { value: v, mask: 0 }
    }
    /// The smallest tnum holding every value of `[min, max]`.
    pub fn range(min: u64, max: u64) -> Tnum {
        let diff = min ^ max;
        let bits = 64 - diff.leading_zeros();
        if bits > 63 {
            return Tnum::UNKNOWN;
        }
        let low = (1u64 << bits) - 1;
        Tnum::new(min & !low, low)
    }
    pub fn is_const(self) -> bool {
        self.mask == 0
    }
    pub fn is_unknown(self) -> bool {
        self.mask == u64::MAX
    }
    pub fn equals_const(self, v: u64) -> bool {
        self.is_const() && self.value == v
    }
    pub fn lshift(self, n: u32) -> Tnum {
        if n >= 64 {
            return Tnum::constant(0);
        }
        Tnum::new(self.value << n, self.mask << n)
    }
    pub fn rshift(self, n: u32) -> Tnum {
        if n >= 64 {
            return Tnum::constant(0);
        }
        Tnum::new(self.value >> n, self.mask >> n)
    }
    /// Arithmetic shift right of a value `bits` wide (32 or 64).
    pub fn arshift(self, n: u32, bits: u32) -> Tnum {
        if bits == 32 {
            let v = ((self.value as u32 as i32) >> n.min(31)) as u32 as u64;
            let m = ((self.mask as u32 as i32) >> n.min(31)) as u32 as u64;
            Tnum::new(v, m)
        } else {
            Tnum::new(((self.value as i64) >> n.min(63)) as u64, ((self.mask as i64) >> n.min(63)) as u64)
        }
    }
    pub fn add(self, b: Tnum) -> Tnum {
        let sm = self.mask.wrapping_add(b.mask);
        let sv = self.value.wrapping_add(b.value);
        let sigma = sm.wrapping_add(sv);
        let carries = sigma ^ sv;
        let mu = carries | self.mask | b.mask;
        Tnum::new(sv & !mu, mu)
    }
    pub fn sub(self, b: Tnum) -> Tnum {
        let dv = self.value.wrapping_sub(b.value);
        let hi = dv.wrapping_add(self.mask);
        let lo = dv.wrapping_sub(b.mask);
        let mu = (hi ^ lo) | self.mask | b.mask;
        Tnum::new(dv & !mu, mu)
    }
    pub fn and(self, b: Tnum) -> Tnum {
        let ones_a = self.value | self.mask;
        let ones_b = b.value | b.mask;
        let v = self.value & b.value;
        Tnum::new(v, ones_a & ones_b & !v)
    }
    pub fn or(self, b: Tnum) -> Tnum {
        let v = self.value | b.value;
        Tnum::new(v, (self.mask | b.mask) & !v)
    }
    pub fn xor(self, b: Tnum) -> Tnum {
        let mu = self.mask | b.mask;
        Tnum::new((self.value ^ b.value) & !mu, mu)
    }
    /// Shift-and-add multiplication over tristate bits.
    pub fn mul(self, b: Tnum) -> Tnum {
        let mut a = self;
        let mut b = b;
        let known = a.value.wrapping_mul(b.value);
        let mut acc = Tnum::constant(0);
        while a.value != 0 || a.mask != 0 {
            if a.value & 1 != 0 {
                acc = acc.add(Tnum::new(0, b.mask));
            } else if a.mask & 1 != 0 {
                acc = acc.add(Tnum::new(0, b.value | b.mask));
            }
            a = a.rshift(1);
            b = b.lshift(1);
        }
        Tnum::constant(known).add(acc)
    }
    /// Values in both.
    pub fn intersect(self, b: Tnum) -> Tnum {
        let v = self.value | b.value;
        let mu = self.mask & b.mask;
        Tnum::new(v & !mu, mu)
    }
    /// Truncate to `size` bytes.
    pub fn cast(self, size: u32) -> Tnum {
        if size >= 8 {
            return self;
        }
        let m = (1u64 << (size * 8)) - 1;
        Tnum::new(self.value & m, self.mask & m)
    }
    /// Whether every value of `b` is a value of `self`.
    pub fn contains(self, b: Tnum) -> bool {
        if b.mask & !self.mask != 0 {
            return false;
        }
        self.value == b.value & !self.mask
    }
    pub fn subreg(self) -> Tnum {
        self.cast(4)
    }
    pub fn with_subreg(self, sub: Tnum) -> Tnum {
        Tnum::new(
            (self.value & !0xffff_ffff) | (sub.value & 0xffff_ffff),
            (self.mask & !0xffff_ffff) | (sub.mask & 0xffff_ffff),
        )
    }
    pub fn umin(self) -> u64 {
        self.value
    }
    pub fn umax(self) -> u64 {
        self.value | self.mask
    }
}

impl std::fmt::Display for Tnum {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "({:#x}; {:#x})", self.value, self.mask)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members(t: Tnum, bits: u32) -> Vec<u64> {
        (0..1u64 << bits).filter(|v| v & !t.mask == t.value).collect()
    }

    #[test]
    fn ops_are_sound_on_small_values() {
        let ts: Vec<Tnum> = (0..16u64).flat_map(|v| (0..16u64).map(move |m| Tnum::new(v, m))).collect();
        for &a in &ts {
            for &b in &ts {
                for x in members(a, 4) {
                    for y in members(b, 4) {
                        assert!(a.add(b).contains(Tnum::constant(x.wrapping_add(y))));
                        assert!(a.sub(b).contains(Tnum::constant(x.wrapping_sub(y))));
                        assert!(a.and(b).contains(Tnum::constant(x & y)));
                        assert!(a.or(b).contains(Tnum::constant(x | y)));
                        assert!(a.xor(b).contains(Tnum::constant(x ^ y)));
                        assert!(a.mul(b).contains(Tnum::constant(x.wrapping_mul(y))));
                    }
                }
            }
        }
        assert_eq!(Tnum::range(0, 7), Tnum::new(0, 7));
        assert_eq!(Tnum::range(4, 5), Tnum::new(4, 1));
    }
}
