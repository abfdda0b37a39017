//! Initializer bytes: integer and bitfield stores in the target's byte order.

use bpf_isa::Endian;

/// The bytes (and pointer relocations) of an initializer under construction.
#[derive(Clone, Debug, Default)]
pub(crate) struct InitBuf {
    pub bytes: Vec<u8>,
    pub relocs: Vec<(u32, String)>,
}

impl InitBuf {
    fn grow(&mut self, end: usize) {
        if self.bytes.len() < end {
            self.bytes.resize(end, 0);
        }
    }

    /// Store the low `size` bytes of `v` at `off`.
    pub fn write_int(&mut self, endian: Endian, off: u64, size: u32, v: u128) {
        let (Ok(off), size) = (usize::try_from(off), size as usize) else { return };
        let Some(end) = off.checked_add(size) else { return };
        self.grow(end);
        let le = v.to_le_bytes();
        for (i, &byte) in le.iter().enumerate().take(size.min(16)) {
            let pos = match endian {
                Endian::Little => off + i,
                Endian::Big => off + size - 1 - i,
            };
            self.bytes[pos] = byte;
        }
    }

    /// Store the low `width` bits of `v` at bit offset `bit_off` (BTF bit numbering: from the
    /// least significant bit of the first byte on little endian, from the most significant
    /// bit on big endian).
    pub fn write_bits(&mut self, endian: Endian, bit_off: u64, width: u32, v: u128) {
        let Some(end) = bit_off.checked_add(width as u64) else { return };
        let Ok(end_byte) = usize::try_from(end.div_ceil(8)) else { return };
        self.grow(end_byte);
        for i in 0..width as u64 {
            // Bit i of the field, counted from its start in memory order.
            let (pos, bit) = (
                bit_off + i,
                match endian {
                    Endian::Little => (v >> i) & 1,
                    Endian::Big => (v >> (width as u64 - 1 - i)) & 1,
                },
            );
            let byte = (pos / 8) as usize;
            let shift = match endian {
                Endian::Little => pos % 8,
                Endian::Big => 7 - pos % 8,
            };
            self.bytes[byte] &= !(1 << shift);
            self.bytes[byte] |= (bit as u8) << shift;
        }
    }

    /// Record a pointer to `sym` at `off` (8 bytes, addend `addend`).
    pub fn write_ptr(&mut self, endian: Endian, off: u64, sym: String, addend: i128) {
        self.write_int(endian, off, 8, addend as u128);
        self.relocs.retain(|r| r.0 as u64 != off);
        self.relocs.push((off as u32, sym));
    }

    /// Forget relocations in `[start, end)` (an element being overwritten).
    pub fn clear_relocs(&mut self, start: u64, end: u64) {
        self.relocs.retain(|r| (r.0 as u64) < start || r.0 as u64 >= end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_both_endians() {
        let mut b = InitBuf::default();
        b.write_bits(Endian::Little, 3, 4, 0b1011);
        assert_eq!(b.bytes, vec![0b0101_1000]);
        let mut b = InitBuf::default();
        b.write_bits(Endian::Big, 3, 4, 0b1011);
        assert_eq!(b.bytes, vec![0b0001_0110]);
        let mut b = InitBuf::default();
        b.write_int(Endian::Big, 2, 2, 0x1234);
        assert_eq!(b.bytes, vec![0, 0, 0x12, 0x34]);
    }
}
