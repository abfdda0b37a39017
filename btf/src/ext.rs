//! `.BTF.ext`: func_info, line_info and CO-RE relocation records, read and write.

use crate::error::{Error, ErrorKind};
use crate::read::{detect_endian, rd32};
use crate::Endian;

/// Minimum `.BTF.ext` header (without CO-RE relocations).
pub const EXT_HEADER_MIN: usize = 24;
/// Header length including the CO-RE relocation fields.
pub const EXT_HEADER_LEN: usize = 32;

/// `bpf_func_info`: instruction offset (bytes in ELF, instructions in the kernel) and FUNC id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FuncInfo {
    pub insn_off: u32,
    pub type_id: u32,
}

/// `bpf_line_info`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LineInfo {
    pub insn_off: u32,
    pub file_name_off: u32,
    pub line_off: u32,
    /// `line << 10 | column`.
    pub line_col: u32,
}

impl LineInfo {
    pub fn line(&self) -> u32 {
        self.line_col >> 10
    }
    pub fn column(&self) -> u32 {
        self.line_col & 0x3ff
    }
}

/// CO-RE relocation kind (`enum bpf_core_relo_kind`).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CoreReloKind(pub u32);

impl CoreReloKind {
    pub const FIELD_BYTE_OFFSET: Self = Self(0);
    pub const FIELD_BYTE_SIZE: Self = Self(1);
    pub const FIELD_EXISTS: Self = Self(2);
    pub const FIELD_SIGNED: Self = Self(3);
    pub const FIELD_LSHIFT_U64: Self = Self(4);
    pub const FIELD_RSHIFT_U64: Self = Self(5);
    pub const TYPE_ID_LOCAL: Self = Self(6);
    pub const TYPE_ID_TARGET: Self = Self(7);
    pub const TYPE_EXISTS: Self = Self(8);
    pub const TYPE_SIZE: Self = Self(9);
    pub const ENUMVAL_EXISTS: Self = Self(10);
    pub const ENUMVAL_VALUE: Self = Self(11);
    pub const TYPE_MATCHES: Self = Self(12);

    pub fn name(self) -> Option<&'static str> {
        const N: [&str; 13] = [
            "byte_off",
            "byte_sz",
            "field_exists",
            "signed",
            "lshift_u64",
            "rshift_u64",
            "local_type_id",
            "target_type_id",
            "type_exists",
            "type_size",
            "enumval_exists",
            "enumval_value",
            "type_matches",
        ];
        N.get(self.0 as usize).copied()
    }
}

impl core::fmt::Debug for CoreReloKind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.name() {
            Some(n) => f.write_str(n),
            None => write!(f, "unknown CO-RE relocation kind {}", self.0),
        }
    }
}

/// `bpf_core_relo`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CoreRelo {
    pub insn_off: u32,
    pub type_id: u32,
    pub access_str_off: u32,
    pub kind: CoreReloKind,
}

/// Records of one ELF section: its name (string offset in .BTF) and records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecRecords<T> {
    pub sec_name_off: u32,
    pub records: Vec<T>,
}

/// A parsed `.BTF.ext` section. Records are decoded from the first bytes of each record;
/// `*_rec_size` keeps the size found in the input so writing gives the same bytes when no
/// trailing record fields are present.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct BtfExt {
    pub func_info: Vec<SecRecords<FuncInfo>>,
    pub line_info: Vec<SecRecords<LineInfo>>,
    pub core_relos: Vec<SecRecords<CoreRelo>>,
    /// Whether the header carries CO-RE relocation fields (32-byte header).
    pub has_core_relo_header: bool,
}

#[allow(clippy::too_many_arguments)]
fn parse_sub<T>(
    data: &[u8],
    e: Endian,
    base: usize,
    off: u32,
    len: u32,
    min_rec: u32,
    field: usize,
    decode: impl Fn(&[u8]) -> T,
) -> Result<Vec<SecRecords<T>>, Error> {
    if len == 0 {
        return Ok(Vec::new());
    }
    let start = base.checked_add(off as usize).ok_or(Error::new(ErrorKind::SectionOutOfBounds, field))?;
    let end = start
        .checked_add(len as usize)
        .filter(|&e| e <= data.len())
        .ok_or(Error::new(ErrorKind::SectionOutOfBounds, field))?;
    let s = &data[start..end];
    if s.len() < 4 {
        return Err(Error::new(ErrorKind::BadExtSection, start));
    }
    let rec_size = rd32(e, s, 0);
    if rec_size < min_rec || !rec_size.is_multiple_of(4) {
        return Err(Error::new(ErrorKind::BadRecordSize(rec_size), start));
    }
    let mut pos = 4usize;
    let mut out = Vec::new();
    while pos < s.len() {
        if s.len() - pos < 8 {
            return Err(Error::new(ErrorKind::BadExtSection, start + pos));
        }
        let sec_name_off = rd32(e, s, pos);
        let n = rd32(e, s, pos + 4) as usize;
        pos += 8;
        let bytes = n
            .checked_mul(rec_size as usize)
            .filter(|&b| b <= s.len() - pos)
            .ok_or(Error::new(ErrorKind::BadExtSection, start + pos - 4))?;
        let records = s[pos..pos + bytes].chunks_exact(rec_size as usize).map(&decode).collect();
        pos += bytes;
        out.push(SecRecords { sec_name_off, records });
    }
    Ok(out)
}

impl BtfExt {
    /// Parse a `.BTF.ext` section (either byte order).
    pub fn parse(data: &[u8]) -> Result<BtfExt, Error> {
        let e = detect_endian(data, crate::MAGIC)
            .ok_or(Error::new(if data.len() < 2 { ErrorKind::Truncated } else { ErrorKind::BadMagic }, 0))?;
        if data.len() < EXT_HEADER_MIN {
            return Err(Error::new(ErrorKind::Truncated, data.len()));
        }
        if data[2] != 1 {
            return Err(Error::new(ErrorKind::BadVersion(data[2]), 2));
        }
        let hdr_len = rd32(e, data, 4);
        if (hdr_len as usize) < EXT_HEADER_MIN || hdr_len as usize > data.len() {
            return Err(Error::new(ErrorKind::BadHeaderLen(hdr_len), 4));
        }
        let base = hdr_len as usize;
        let func_info = parse_sub(data, e, base, rd32(e, data, 8), rd32(e, data, 12), 8, 8, |b| FuncInfo {
            insn_off: rd32(e, b, 0),
            type_id: rd32(e, b, 4),
        })?;
        let line_info = parse_sub(data, e, base, rd32(e, data, 16), rd32(e, data, 20), 16, 16, |b| LineInfo {
            insn_off: rd32(e, b, 0),
            file_name_off: rd32(e, b, 4),
            line_off: rd32(e, b, 8),
            line_col: rd32(e, b, 12),
        })?;
        let has_core = hdr_len as usize >= EXT_HEADER_LEN;
        let core_relos = if has_core {
            parse_sub(data, e, base, rd32(e, data, 24), rd32(e, data, 28), 16, 24, |b| CoreRelo {
                insn_off: rd32(e, b, 0),
                type_id: rd32(e, b, 4),
                access_str_off: rd32(e, b, 8),
                kind: CoreReloKind(rd32(e, b, 12)),
            })?
        } else {
            Vec::new()
        };
        Ok(BtfExt { func_info, line_info, core_relos, has_core_relo_header: has_core })
    }

    /// Write the section: 32-byte header (24 if there are no CO-RE relocations and the
    /// input had none), then func_info, line_info, core_relo sub-sections, in that order.
    pub fn to_bytes(&self, e: Endian) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.byte_len());
        self.write_to(&mut out, e).expect("writing to memory does not fail");
        out
    }

    /// The sub-sections' lengths (func_info, line_info, core_relo) and the header's.
    fn lens(&self) -> (u32, u32, u32, u32) {
        fn len<T>(secs: &[SecRecords<T>], rec_size: usize) -> usize {
            if secs.is_empty() {
                0
            } else {
                4 + secs.iter().map(|s| 8 + s.records.len() * rec_size).sum::<usize>()
            }
        }
        let (fl, ll, cl) = (len(&self.func_info, 8), len(&self.line_info, 16), len(&self.core_relos, 16));
        let core = self.has_core_relo_header || !self.core_relos.is_empty();
        let hdr_len = if core { EXT_HEADER_LEN } else { EXT_HEADER_MIN };
        (hdr_len as u32, fl as u32, ll as u32, cl as u32)
    }

    /// The length of [`BtfExt::to_bytes`].
    pub fn byte_len(&self) -> usize {
        let (h, f, l, c) = self.lens();
        (h + f + l + c) as usize
    }

    /// [`BtfExt::to_bytes`] into `w` (a file, without the section in memory first).
    pub fn write_to(&self, w: &mut dyn std::io::Write, e: Endian) -> std::io::Result<()> {
        fn sub<T>(
            w: &mut crate::words::WordWriter<'_>,
            secs: &[SecRecords<T>],
            rec_size: u32,
            enc: impl Fn(&mut crate::words::WordWriter<'_>, &T) -> std::io::Result<()>,
        ) -> std::io::Result<()> {
            if secs.is_empty() {
                return Ok(());
            }
            w.u32(rec_size)?;
            for s in secs {
                w.u32(s.sec_name_off)?;
                w.u32(s.records.len() as u32)?;
                for r in &s.records {
                    enc(w, r)?;
                }
            }
            Ok(())
        }
        // Sub-section sizes first, so the header is written first.
        let (hdr_len, fl, ll, cl) = self.lens();
        let mut w = crate::words::WordWriter::new(w, e);
        w.bytes(&match e {
            Endian::Little => crate::MAGIC.to_le_bytes(),
            Endian::Big => crate::MAGIC.to_be_bytes(),
        })?;
        w.bytes(&[1, 0])?;
        w.u32(hdr_len)?;
        w.u32(0)?;
        w.u32(fl)?;
        w.u32(fl)?;
        w.u32(ll)?;
        if hdr_len as usize == EXT_HEADER_LEN {
            w.u32(fl + ll)?;
            w.u32(cl)?;
        }
        sub(&mut w, &self.func_info, 8, |w, r| {
            w.u32(r.insn_off)?;
            w.u32(r.type_id)
        })?;
        sub(&mut w, &self.line_info, 16, |w, r| {
            w.u32(r.insn_off)?;
            w.u32(r.file_name_off)?;
            w.u32(r.line_off)?;
            w.u32(r.line_col)
        })?;
        sub(&mut w, &self.core_relos, 16, |w, r| {
            w.u32(r.insn_off)?;
            w.u32(r.type_id)?;
            w.u32(r.access_str_off)?;
            w.u32(r.kind.0)
        })?;
        w.flush()
    }
}
