//! Encoding and decoding of instructions, driven by the table.

use crate::table::{Field, Form, Isa, Op, FORMS};
use std::fmt;
use std::sync::OnceLock;

/// Byte order of the target (`bpfel` / `bpfeb`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Endian {
    #[default]
    Little,
    Big,
}

/// The raw fields of one 8-byte instruction slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct RawInsn {
    pub code: u8,
    pub dst: u8,
    pub src: u8,
    pub off: i16,
    pub imm: i32,
}

impl RawInsn {
    pub fn to_bytes(self, e: Endian) -> [u8; 8] {
        let mut b = [0u8; 8];
        b[0] = self.code;
        match e {
            Endian::Little => {
                b[1] = (self.src << 4) | (self.dst & 0xf);
                b[2..4].copy_from_slice(&self.off.to_le_bytes());
                b[4..8].copy_from_slice(&self.imm.to_le_bytes());
            }
            Endian::Big => {
                b[1] = (self.dst << 4) | (self.src & 0xf);
                b[2..4].copy_from_slice(&self.off.to_be_bytes());
                b[4..8].copy_from_slice(&self.imm.to_be_bytes());
            }
        }
        b
    }

    pub fn from_bytes(b: &[u8; 8], e: Endian) -> RawInsn {
        match e {
            Endian::Little => RawInsn {
                code: b[0],
                dst: b[1] & 0xf,
                src: b[1] >> 4,
                off: i16::from_le_bytes([b[2], b[3]]),
                imm: i32::from_le_bytes([b[4], b[5], b[6], b[7]]),
            },
            Endian::Big => RawInsn {
                code: b[0],
                dst: b[1] >> 4,
                src: b[1] & 0xf,
                off: i16::from_be_bytes([b[2], b[3]]),
                imm: i32::from_be_bytes([b[4], b[5], b[6], b[7]]),
            },
        }
    }
}

/// A decoded (or to-be-encoded) instruction: a table row plus its operand values.
///
/// Fields a row does not use as operands are ignored on encode (the row's fixed value or zero is
/// written) and normalised on decode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Insn {
    pub op: Op,
    pub dst: u8,
    pub src: u8,
    pub off: i16,
    /// The immediate; the full 64-bit value for `ld_imm64`, otherwise an `i32` widened.
    pub imm: i64,
}

impl Insn {
    pub fn new(op: Op) -> Insn {
        Insn { op, dst: 0, src: 0, off: 0, imm: 0 }
    }

    pub fn form(&self) -> &'static Form {
        self.op.form()
    }

    /// Size in bytes: 16 for `ld_imm64`, else 8.
    pub fn size(&self) -> usize {
        if self.op.is_wide() {
            16
        } else {
            8
        }
    }

    /// The raw slots of this instruction (one or two).
    pub fn raw(&self) -> (RawInsn, Option<RawInsn>) {
        let f = self.form();
        let pick = |field: Field, v: i64| -> i64 {
            match field {
                Field::Zero => 0,
                Field::Fixed(x) => x as i64,
                Field::Operand => v,
            }
        };
        let first = RawInsn {
            code: f.code,
            dst: pick(f.dst, self.dst as i64) as u8,
            src: pick(f.src, self.src as i64) as u8,
            off: pick(f.off, self.off as i64) as i16,
            imm: pick(f.imm, self.imm) as i32,
        };
        if f.is_wide() {
            let second = RawInsn { imm: (self.imm as u64 >> 32) as u32 as i32, ..RawInsn::default() };
            (first, Some(second))
        } else {
            (first, None)
        }
    }

    /// Append the encoding to `out`.
    pub fn encode_into(&self, e: Endian, out: &mut Vec<u8>) {
        let (a, b) = self.raw();
        out.extend_from_slice(&a.to_bytes(e));
        if let Some(b) = b {
            out.extend_from_slice(&b.to_bytes(e));
        }
    }

    pub fn encode(&self, e: Endian) -> Vec<u8> {
        let mut v = Vec::with_capacity(16);
        self.encode_into(e, &mut v);
        v
    }
}

/// Why bytes did not decode to a table row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// Fewer bytes than an instruction needs.
    Truncated { needed: usize },
    /// No row has this opcode with these field values.
    Unknown(RawInsn),
    /// The second slot of `ld_imm64` has non-zero code/regs/off.
    BadWideSecondSlot(RawInsn),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Truncated { needed } => write!(f, "truncated instruction: {needed} bytes needed"),
            DecodeError::Unknown(r) => write!(
                f,
                "unknown instruction: code {:#04x} dst {} src {} off {} imm {}",
                r.code, r.dst, r.src, r.off, r.imm
            ),
            DecodeError::BadWideSecondSlot(r) => {
                write!(f, "bad second slot of ld_imm64: code {:#04x} dst {} src {} off {}", r.code, r.dst, r.src, r.off)
            }
        }
    }
}

impl std::error::Error for DecodeError {}

fn by_code() -> &'static [Vec<Op>; 256] {
    static T: OnceLock<[Vec<Op>; 256]> = OnceLock::new();
    T.get_or_init(|| {
        let mut t: [Vec<Op>; 256] = std::array::from_fn(|_| Vec::new());
        for f in FORMS {
            t[f.code as usize].push(f.op);
        }
        // Rows with more fixed discriminators are tried first.
        for v in t.iter_mut() {
            v.sort_by_key(|op| {
                let f = op.form();
                let fixed = [f.dst, f.src, f.off, f.imm].iter().filter(|x| matches!(x, Field::Fixed(_))).count();
                std::cmp::Reverse(fixed)
            });
        }
        t
    })
}

fn field_ok(field: Field, v: i64) -> bool {
    match field {
        Field::Zero => v == 0,
        Field::Fixed(x) => v == x as i64,
        Field::Operand => true,
    }
}

/// Decode a raw first slot into its row, without reading a second slot.
pub fn lookup(r: RawInsn) -> Option<Op> {
    by_code()[r.code as usize].iter().copied().find(|op| {
        let f = op.form();
        field_ok(f.dst, r.dst as i64)
            && field_ok(f.src, r.src as i64)
            && field_ok(f.off, r.off as i64)
            && (f.is_wide() || field_ok(f.imm, r.imm as i64))
            && r.dst <= 10
            && (f.src != Field::Operand || r.src <= 10)
    })
}

/// Decode the instruction at the start of `bytes`. Returns the instruction and its size.
pub fn decode(bytes: &[u8], e: Endian) -> Result<(Insn, usize), DecodeError> {
    let first: &[u8; 8] = bytes.get(..8).and_then(|s| s.try_into().ok()).ok_or(DecodeError::Truncated { needed: 8 })?;
    let r = RawInsn::from_bytes(first, e);
    let op = lookup(r).ok_or(DecodeError::Unknown(r))?;
    let mut insn = Insn { op, dst: r.dst, src: r.src, off: r.off, imm: r.imm as i64 };
    let f = op.form();
    if f.dst != Field::Operand {
        insn.dst = 0;
    }
    if f.src != Field::Operand {
        insn.src = 0;
    }
    if f.off != Field::Operand {
        insn.off = 0;
    }
    if f.imm != Field::Operand {
        insn.imm = 0;
    }
    if f.is_wide() {
        let second: &[u8; 8] =
            bytes.get(8..16).and_then(|s| s.try_into().ok()).ok_or(DecodeError::Truncated { needed: 16 })?;
        let r2 = RawInsn::from_bytes(second, e);
        if r2.code != 0 || r2.dst != 0 || r2.src != 0 || r2.off != 0 {
            return Err(DecodeError::BadWideSecondSlot(r2));
        }
        insn.imm = ((r2.imm as u32 as u64) << 32 | (r.imm as u32 as u64)) as i64;
        Ok((insn, 16))
    } else {
        Ok((insn, 8))
    }
}

/// The minimum ISA that has `op`.
pub fn min_isa(op: Op) -> Isa {
    op.form().isa
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row encodes to bytes that decode back to the same row, in both byte orders.
    #[test]
    fn every_row_round_trips() {
        for f in FORMS {
            let mut i = Insn::new(f.op);
            if f.dst == Field::Operand {
                i.dst = 3;
            }
            if f.src == Field::Operand {
                i.src = 4;
            }
            if f.off == Field::Operand {
                i.off = -7;
            }
            if f.imm == Field::Operand {
                i.imm = if f.is_wide() { 0x1234_5678_9abc_def0 } else { -5 };
            }
            for e in [Endian::Little, Endian::Big] {
                let bytes = i.encode(e);
                let (d, n) = decode(&bytes, e).unwrap_or_else(|err| panic!("{}: {err}", f.name));
                assert_eq!(n, bytes.len());
                assert_eq!(d, i, "{}", f.name);
            }
        }
    }

    #[test]
    fn hostile_bytes_do_not_panic() {
        let mut x: u64 = 0x9e3779b97f4a7c15;
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let mut b = x.to_le_bytes().to_vec();
            b.extend_from_slice(&x.rotate_left(17).to_le_bytes()[..(x % 9) as usize]);
            let _ = decode(&b, Endian::Little);
            let _ = decode(&b, Endian::Big);
        }
    }
}
