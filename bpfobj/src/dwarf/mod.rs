//! DWARF sections that the assembler generates itself, byte-compatible with
//! `llvm-mc-19 -triple bpfel|bpfeb -filetype=obj`:
//!
//! * `.debug_line` (+ `.debug_line_str`) from `.file` / `.loc` directives ([`line`](mod@line)),
//! * `.debug_frame` from `.cfi_*` directives ([`frame`]).
//!
//! The builders are pure: they take what the assembler collected and return section
//! bytes plus [`DwarfReloc`]s. Relocations use BPF's REL convention: the addend is
//! *also* written into the section bytes (implicit addend), so `DwarfReloc::addend` is
//! informational for REL writers and exact for RELA writers.
//!
//! Where the assembler has to follow llvm-mc's directive semantics (which `.loc` becomes
//! a row, how `.file` entries are normalised) the rules are documented on
//! [`line::FileTable`] and [`line::Sequence`]; `tests/dwarf_llvm_mc.rs` has a small
//! directive model that follows them and matches llvm-mc-19 on the kernel selftests.
//!
//! Use from the assembler:
//! 1. feed `.file N ...` to a [`FileTable`]; `.loc` checks [`FileTable::is_assigned`];
//! 2. collect [`Row`]s per code section ([`Sequence`] rules), and FDEs for
//!    `.cfi_startproc`/`.cfi_endproc` ([`Fde`]);
//! 3. at the end, if [`FileTable::is_used`]: `build_line_table(&table.into_input(seqs)?, be)`
//!    and append `debug_line` at the *current end* of `.debug_line` (llvm-mc appends the
//!    generated table after whatever the source emitted there; clang's
//!    `.Lline_table_start0:` label stays where the source put it, normally offset 0),
//!    adding that base to the reloc offsets; append `line_str` to `.debug_line_str`;
//! 4. if there are FDEs and `.cfi_sections .debug_frame` was given:
//!    `build_debug_frame(&FrameInput { dwarf_version: table.version(), fdes }, be)`.
//!
//! All relocations are against section symbols: `R_BPF_64_ABS64` for code addresses,
//! `R_BPF_64_ABS32` for `.debug_line_str` and `.debug_frame` offsets.

pub mod frame;
pub mod line;
pub mod unit;

pub use frame::{build_debug_frame, CfiInsn, CfiOp, Fde, FrameInput};
pub use line::{
    build_line_table, FileEntry, FileError, FileTable, LineTableInput, LineTableOutput, Loc, Row, Sequence,
};

/// Opaque id of an output section chosen by the assembler (usually its index).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SectionRef(pub usize);

/// What a relocation in a generated DWARF section points at. llvm-mc always relocates
/// against the *section symbol* of the target section (all labels involved are
/// assembler temporaries).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RelocTarget {
    /// Section symbol of a code section (`DW_LNE_set_address`, FDE `initial_location`).
    Section(SectionRef),
    /// Section symbol of `.debug_line_str` (`DW_FORM_line_strp` in the line table header).
    DebugLineStr,
    /// Section symbol of `.debug_frame` (FDE `CIE_pointer`).
    DebugFrame,
}

/// One absolute relocation in a generated section.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DwarfReloc {
    /// Offset of the relocated field, relative to the start of the returned bytes.
    pub offset: u64,
    /// 8 → `R_BPF_64_ABS64`, 4 → `R_BPF_64_ABS32`.
    pub size: u8,
    pub target: RelocTarget,
    /// Addend; already stored in the relocated field (REL, implicit addend).
    pub addend: i64,
}

/// `R_BPF_64_ABS64`.
pub const R_BPF_64_ABS64: u32 = 2;
/// `R_BPF_64_ABS32`.
pub const R_BPF_64_ABS32: u32 = 3;

impl DwarfReloc {
    /// ELF relocation type (`R_BPF_64_ABS64` or `R_BPF_64_ABS32`).
    pub fn r_type(&self) -> u32 {
        if self.size == 8 {
            R_BPF_64_ABS64
        } else {
            R_BPF_64_ABS32
        }
    }
}

/// Errors for inputs llvm-mc could never produce (the assembler should not hit them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DwarfError {
    /// Row / CFI offsets must not decrease within a sequence / FDE
    /// (`index` is the row or instruction index).
    OffsetGoesBackwards { unit: usize, index: usize },
    /// `end` before `start` (FDE) or `end_offset` before the last row (sequence).
    EndBeforeStart { unit: usize },
    /// A version we do not emit (line tables: 2..=5).
    UnsupportedVersion(u16),
}

impl std::fmt::Display for DwarfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DwarfError::OffsetGoesBackwards { unit, index } => {
                write!(f, "offset goes backwards at entry {index} of unit {unit}")
            }
            DwarfError::EndBeforeStart { unit } => write!(f, "end before start in unit {unit}"),
            DwarfError::UnsupportedVersion(v) => write!(f, "unsupported DWARF version {v}"),
        }
    }
}

impl std::error::Error for DwarfError {}

/// BPF `MCAsmInfo` facts that shape both sections.
pub(crate) const ADDRESS_SIZE: u8 = 8;
/// Minimum instruction length / code alignment factor (BPF: 8).
pub(crate) const MIN_INST_LENGTH: u64 = 8;

/// The one byte writer of the DWARF sections we encode (`.debug_line`, `.debug_frame`, and
/// bpfasm's `-g` compile unit): endianness, LEB128 (gimli's encoding), a length patched later.
pub struct Writer {
    pub buf: Vec<u8>,
    pub big_endian: bool,
}

impl Writer {
    pub fn new(big_endian: bool) -> Self {
        Writer { buf: Vec::new(), big_endian }
    }
    pub fn len(&self) -> u64 {
        self.buf.len() as u64
    }
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }
    pub fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }
    pub fn bytes(&mut self, v: &[u8]) {
        self.buf.extend_from_slice(v);
    }
    pub fn u16(&mut self, v: u16) {
        if self.big_endian {
            self.bytes(&v.to_be_bytes())
        } else {
            self.bytes(&v.to_le_bytes())
        }
    }
    pub fn u32(&mut self, v: u32) {
        if self.big_endian {
            self.bytes(&v.to_be_bytes())
        } else {
            self.bytes(&v.to_le_bytes())
        }
    }
    pub fn u64(&mut self, v: u64) {
        if self.big_endian {
            self.bytes(&v.to_be_bytes())
        } else {
            self.bytes(&v.to_le_bytes())
        }
    }
    /// Overwrite a previously reserved u32 at `at`.
    pub fn patch_u32(&mut self, at: usize, v: u32) {
        let b = if self.big_endian { v.to_be_bytes() } else { v.to_le_bytes() };
        self.buf[at..at + 4].copy_from_slice(&b);
    }
    pub fn uleb(&mut self, v: u64) {
        write_uleb(&mut self.buf, v)
    }
    pub fn sleb(&mut self, v: i64) {
        write_sleb(&mut self.buf, v)
    }
    pub fn cstr(&mut self, s: &str) {
        self.bytes(s.as_bytes());
        self.u8(0);
    }
}

pub(crate) use crate::leb::{write_sleb, write_uleb};

pub(crate) fn uleb_len(v: u64) -> usize {
    gimli::leb128::write::uleb128_size(v)
}
