//! LEB128 encoding (DWARF, `.uleb128`/`.sleb128`, `.llvm_addrsig`).

/// Append `v` as unsigned LEB128.
pub fn write_uleb(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Append `v` as signed LEB128.
pub fn write_sleb(out: &mut Vec<u8>, mut v: i64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if (v == 0 && byte & 0x40 == 0) || (v == -1 && byte & 0x40 != 0) {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
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

/// Encoded size of `v`.
pub fn leb_size(v: i64, signed: bool) -> u64 {
    let mut tmp = Vec::with_capacity(10);
    if signed {
        write_sleb(&mut tmp, v);
    } else {
        write_uleb(&mut tmp, v as u64);
    }
    tmp.len() as u64
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
        write_leb_padded(&mut v, 1, false, 3);
        assert_eq!(v, [0x81, 0x80, 0x00]);
        v.clear();
        write_leb_padded(&mut v, -1, true, 2);
        assert_eq!(v, [0xff, 0x7f]);
        assert_eq!(leb_size(127, false), 1);
        assert_eq!(leb_size(64, true), 2);
    }
}
