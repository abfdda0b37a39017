//! LEB128 (DWARF, `.uleb128`/`.sleb128`, `.llvm_addrsig`): gimli encodes
//! (`gimli::leb128::write`); what is ours is only the padded form gimli lacks, which the
//! assembler needs when a value's size was reserved before its final value was known.

use gimli::leb128::write::{sleb128_size, uleb128_size, Leb128};

/// Append `v` as unsigned LEB128 (gimli's encoding).
pub fn write_uleb(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(Leb128::unsigned(v).bytes());
}

/// Append `v` as signed LEB128 (gimli's encoding).
pub fn write_sleb(out: &mut Vec<u8>, v: i64) {
    out.extend_from_slice(Leb128::signed(v).bytes());
}

/// Append `v` (signed or unsigned LEB128) padded with continuation bytes to at least `pad_to`
/// bytes, as assemblers do when a value's final size was reserved earlier.
pub fn write_leb_padded(out: &mut Vec<u8>, v: i64, signed: bool, pad_to: u64) {
    let start = out.len();
    if signed {
        write_sleb(out, v);
    } else {
        write_uleb(out, v as u64);
    }
    while ((out.len() - start) as u64) < pad_to {
        let last = out.len() - 1;
        out[last] |= 0x80;
        out.push(if signed && v < 0 { 0x7f } else { 0 });
    }
}

/// Encoded size of `v`, unpadded.
pub fn leb_size(v: i64, signed: bool) -> u64 {
    if signed {
        sleb128_size(v) as u64
    } else {
        uleb128_size(v as u64) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        let mut v = Vec::new();
        write_uleb(&mut v, 624485);
        assert_eq!(v, [0xe5, 0x8e, 0x26]);
        v.clear();
        write_sleb(&mut v, -123456);
        assert_eq!(v, [0xc0, 0xbb, 0x78]);
        v.clear();
        write_sleb(&mut v, 63);
        write_sleb(&mut v, 64);
        write_sleb(&mut v, -64);
        write_sleb(&mut v, -65);
        assert_eq!(v, [0x3f, 0xc0, 0x00, 0x40, 0xbf, 0x7f]);
        v.clear();
        write_leb_padded(&mut v, 1, false, 3);
        assert_eq!(v, [0x81, 0x80, 0x00]);
        v.clear();
        write_leb_padded(&mut v, -1, true, 2);
        assert_eq!(v, [0xff, 0x7f]);
        assert_eq!(leb_size(127, false), 1);
        assert_eq!(leb_size(128, false), 2);
        assert_eq!(leb_size(63, true), 1);
        assert_eq!(leb_size(64, true), 2);
        assert_eq!(leb_size(-64, true), 1);
        assert_eq!(leb_size(-65, true), 2);
    }
}
