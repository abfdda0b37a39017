//! `.debug_frame` generation from `.cfi_*` directives, matching llvm-mc-19 for BPF
//! (`.cfi_sections .debug_frame`; without it llvm-mc writes `.eh_frame`, which this
//! module does not produce).
//!
//! Layout: one CIE at offset 0, built from the first FDE (llvm-mc emits a single CIE
//! for `.debug_frame` whatever the later frames' `.cfi_return_column`/`simple` are),
//! then one FDE per `.cfi_startproc`/`.cfi_endproc` pair in `.cfi_startproc` order.
//! Every entry is padded with `DW_CFA_nop` to a multiple of 8 bytes (address size).

use super::{DwarfError, DwarfReloc, RelocTarget, SectionRef, Writer, ADDRESS_SIZE, MIN_INST_LENGTH};
use gimli::constants::{
    DW_CFA_advance_loc, DW_CFA_advance_loc1, DW_CFA_advance_loc2, DW_CFA_advance_loc4, DW_CFA_def_cfa,
    DW_CFA_def_cfa_offset, DW_CFA_def_cfa_register, DW_CFA_offset, DW_CFA_offset_extended, DW_CFA_offset_extended_sf,
    DW_CFA_register, DW_CFA_remember_state, DW_CFA_restore, DW_CFA_restore_extended, DW_CFA_restore_state,
    DW_CFA_same_value, DW_CFA_undefined,
};

/// BPF's return address column (`MCRegisterInfo::getRARegister`), as llvm-mc emits it.
pub const BPF_RETURN_ADDRESS_COLUMN: u64 = 11;
/// BPF's data alignment factor (`-` stack slot size 4).
pub const BPF_DATA_ALIGNMENT_FACTOR: i64 = -4;

/// Input for [`build_debug_frame`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameInput {
    /// The assembler's DWARF version (the one [`super::FileTable::version`] reports:
    /// 5 after `.file 0`, else 4). Picks the CIE version: 2 → 1, 3 → 3, 4/5 → 4.
    pub dwarf_version: u16,
    pub fdes: Vec<Fde>,
}

/// One `.cfi_startproc` ... `.cfi_endproc` region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fde {
    pub section: SectionRef,
    /// Section offset at `.cfi_startproc`.
    pub start: u64,
    /// Section offset at `.cfi_endproc`.
    pub end: u64,
    /// `.cfi_return_column` (only the first FDE's value matters: it shapes the CIE).
    pub return_column: Option<u64>,
    /// Directives between start and end, in source order.
    pub instructions: Vec<CfiInsn>,
}

/// One `.cfi_*` directive and the section offset where it appeared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CfiInsn {
    pub offset: u64,
    pub op: CfiOp,
}

/// The directives we encode. Registers are DWARF register numbers (BPF: r0..r10 = 0..10;
/// llvm-mc-19 only accepts plain numbers in `.cfi_*` operands for BPF).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CfiOp {
    /// `.cfi_def_cfa reg, off` → `DW_CFA_def_cfa reg off` (ULEB operands).
    DefCfa { reg: u64, offset: i64 },
    /// `.cfi_def_cfa_offset off` → `DW_CFA_def_cfa_offset`.
    DefCfaOffset(i64),
    /// `.cfi_adjust_cfa_offset adj` → `DW_CFA_def_cfa_offset (current + adj)`.
    AdjustCfaOffset(i64),
    /// `.cfi_def_cfa_register reg`.
    DefCfaRegister(u64),
    /// `.cfi_offset reg, off`.
    Offset { reg: u64, offset: i64 },
    /// `.cfi_rel_offset reg, off` (offset relative to the current CFA offset).
    RelOffset { reg: u64, offset: i64 },
    /// `.cfi_restore reg`.
    Restore(u64),
    /// `.cfi_undefined reg`.
    Undefined(u64),
    /// `.cfi_same_value reg`.
    SameValue(u64),
    /// `.cfi_register reg1, reg2`.
    Register(u64, u64),
    /// `.cfi_remember_state`.
    RememberState,
    /// `.cfi_restore_state`.
    RestoreState,
    /// `.cfi_escape bytes...` (copied verbatim).
    Escape(Vec<u8>),
}

/// Build `.debug_frame` (to be placed at offset 0 of that section, alignment 8).
/// Returns the bytes and relocations (offsets relative to the returned bytes):
/// each FDE has an `R_BPF_64_ABS32` against `.debug_frame` for its CIE pointer
/// (addend 0) and an `R_BPF_64_ABS64` against its code section for `initial_location`
/// (addend = start offset). Empty output when there are no FDEs.
pub fn build_debug_frame(input: &FrameInput, big_endian: bool) -> Result<(Vec<u8>, Vec<DwarfReloc>), DwarfError> {
    let mut w = Writer::new(big_endian);
    let mut relocs = Vec::new();
    let Some(first) = input.fdes.first() else {
        return Ok((Vec::new(), relocs));
    };
    let cie_version: u8 = match input.dwarf_version {
        0..=2 => 1,
        3 => 3,
        _ => 4,
    };

    // CIE.
    let cie_offset = w.len();
    w.u32(0); // length, patched
    w.u32(0xffff_ffff); // CIE_id
    w.u8(cie_version);
    w.u8(0); // augmentation ""
    if cie_version >= 4 {
        w.u8(ADDRESS_SIZE);
        w.u8(0); // segment_selector_size
    }
    w.uleb(MIN_INST_LENGTH);
    w.sleb(BPF_DATA_ALIGNMENT_FACTOR);
    let ra = first.return_column.unwrap_or(BPF_RETURN_ADDRESS_COLUMN);
    if cie_version == 1 {
        w.u8(ra as u8);
    } else {
        w.uleb(ra);
    }
    // BPF has no initial instructions.
    pad_and_patch(&mut w, cie_offset as usize);

    for (i, fde) in input.fdes.iter().enumerate() {
        if fde.end < fde.start {
            return Err(DwarfError::EndBeforeStart { unit: i });
        }
        let at = w.buf.len();
        w.u32(0); // length, patched
        relocs.push(DwarfReloc {
            offset: w.len(),
            size: 4,
            target: RelocTarget::DebugFrame,
            addend: cie_offset as i64,
        });
        w.u32(cie_offset as u32);
        relocs.push(DwarfReloc {
            offset: w.len(),
            size: 8,
            target: RelocTarget::Section(fde.section),
            addend: fde.start as i64,
        });
        w.u64(fde.start);
        w.u64(fde.end - fde.start);
        write_instructions(i, fde, &mut w)?;
        pad_and_patch(&mut w, at);
    }
    Ok((w.buf, relocs))
}

/// Pad with DW_CFA_nop to the address size and patch the entry's length field.
fn pad_and_patch(w: &mut Writer, at: usize) {
    while w.buf.len() & (ADDRESS_SIZE as usize - 1) != 0 {
        w.u8(0);
    }
    let len = w.buf.len() - at - 4;
    w.patch_u32(at, len as u32);
}

fn write_instructions(unit: usize, fde: &Fde, w: &mut Writer) -> Result<(), DwarfError> {
    let mut loc = fde.start;
    let mut cfa_offset: i64 = 0;
    for (i, insn) in fde.instructions.iter().enumerate() {
        if insn.offset < loc {
            return Err(DwarfError::OffsetGoesBackwards { unit, index: i });
        }
        // llvm-mc divides each label-to-label distance by the code alignment factor,
        // rounding down, and emits nothing for 0.
        advance_loc(w, (insn.offset - loc) / MIN_INST_LENGTH);
        loc = insn.offset;
        match &insn.op {
            CfiOp::DefCfa { reg, offset } => {
                cfa_offset = *offset;
                w.u8(DW_CFA_def_cfa.0);
                w.uleb(*reg);
                w.uleb(cfa_offset as u64);
            }
            CfiOp::DefCfaOffset(off) => {
                cfa_offset = *off;
                w.u8(DW_CFA_def_cfa_offset.0);
                w.uleb(cfa_offset as u64);
            }
            CfiOp::AdjustCfaOffset(adj) => {
                cfa_offset += *adj;
                w.u8(DW_CFA_def_cfa_offset.0);
                w.uleb(cfa_offset as u64);
            }
            CfiOp::DefCfaRegister(reg) => {
                w.u8(DW_CFA_def_cfa_register.0);
                w.uleb(*reg);
            }
            CfiOp::Offset { reg, offset } | CfiOp::RelOffset { reg, offset } => {
                let mut off = *offset;
                if matches!(insn.op, CfiOp::RelOffset { .. }) {
                    off -= cfa_offset;
                }
                let factored = off / BPF_DATA_ALIGNMENT_FACTOR; // truncates toward 0
                if factored < 0 {
                    w.u8(DW_CFA_offset_extended_sf.0);
                    w.uleb(*reg);
                    w.sleb(factored);
                } else if *reg < 64 {
                    w.u8(DW_CFA_offset.0 | *reg as u8);
                    w.uleb(factored as u64);
                } else {
                    w.u8(DW_CFA_offset_extended.0);
                    w.uleb(*reg);
                    w.uleb(factored as u64);
                }
            }
            CfiOp::Restore(reg) => {
                if *reg < 64 {
                    w.u8(DW_CFA_restore.0 | *reg as u8);
                } else {
                    w.u8(DW_CFA_restore_extended.0);
                    w.uleb(*reg);
                }
            }
            CfiOp::Undefined(reg) => {
                w.u8(DW_CFA_undefined.0);
                w.uleb(*reg);
            }
            CfiOp::SameValue(reg) => {
                w.u8(DW_CFA_same_value.0);
                w.uleb(*reg);
            }
            CfiOp::Register(a, b) => {
                w.u8(DW_CFA_register.0);
                w.uleb(*a);
                w.uleb(*b);
            }
            CfiOp::RememberState => w.u8(DW_CFA_remember_state.0),
            CfiOp::RestoreState => w.u8(DW_CFA_restore_state.0),
            CfiOp::Escape(bytes) => w.bytes(bytes),
        }
    }
    Ok(())
}

fn advance_loc(w: &mut Writer, delta: u64) {
    if delta == 0 {
    } else if delta < 64 {
        w.u8(DW_CFA_advance_loc.0 | delta as u8);
    } else if delta <= 0xff {
        w.u8(DW_CFA_advance_loc1.0);
        w.u8(delta as u8);
    } else if delta <= 0xffff {
        w.u8(DW_CFA_advance_loc2.0);
        w.u16(delta as u16);
    } else {
        w.u8(DW_CFA_advance_loc4.0);
        w.u32(delta as u32);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dwarf::line::tests::unhex;

    /// t1: `.cfi_startproc`, `r0 = 0`, `.cfi_def_cfa_offset 16`, `.cfi_offset 6, -8`,
    /// `exit`, `.cfi_endproc`; t2: `.cfi_startproc`, `r1 = 5 ll`, `exit`, `.cfi_endproc`
    /// (llvm-mc-19, `.cfi_sections .debug_frame`).
    fn input() -> FrameInput {
        FrameInput {
            dwarf_version: 5,
            fdes: vec![
                Fde {
                    section: SectionRef(3),
                    start: 0,
                    end: 16,
                    return_column: None,
                    instructions: vec![
                        CfiInsn { offset: 8, op: CfiOp::DefCfaOffset(16) },
                        CfiInsn { offset: 8, op: CfiOp::Offset { reg: 6, offset: -8 } },
                    ],
                },
                Fde { section: SectionRef(4), start: 0, end: 24, return_column: None, instructions: vec![] },
            ],
        }
    }

    #[test]
    fn golden_le_and_be() {
        let (le, relocs) = build_debug_frame(&input(), false).unwrap();
        assert_eq!(
            le,
            unhex(
                "0c000000ffffffff04000800087c0b001c000000000000000000000000000000
                 1000000000000000410e10860200000014000000000000000000000000000000
                 1800000000000000"
            )
        );
        let (be, relocs_be) = build_debug_frame(&input(), true).unwrap();
        assert_eq!(
            be,
            unhex(
                "0000000cffffffff04000800087c0b000000001c000000000000000000000000
                 0000000000000010410e10860200000000000014000000000000000000000000
                 0000000000000018"
            )
        );
        assert_eq!(relocs, relocs_be);
        let got: Vec<(u64, u32, RelocTarget)> = relocs.iter().map(|r| (r.offset, r.r_type(), r.target)).collect();
        assert_eq!(
            got,
            [
                (0x14, 3, RelocTarget::DebugFrame),
                (0x18, 2, RelocTarget::Section(SectionRef(3))),
                (0x34, 3, RelocTarget::DebugFrame),
                (0x38, 2, RelocTarget::Section(SectionRef(4))),
            ]
        );
    }

    #[test]
    fn no_fdes_no_bytes() {
        let (b, r) = build_debug_frame(&FrameInput { dwarf_version: 4, fdes: vec![] }, false).unwrap();
        assert!(b.is_empty() && r.is_empty());
    }

    #[test]
    fn advance_loc_truncates_like_llvm_mc() {
        // `.cfi_offset` at offsets 1 and 37 after start 0: deltas 1/8 = 0 (nothing) and
        // 36/8 = 4 (DW_CFA_advance_loc 4), as llvm-mc-19 does for unaligned labels.
        let mut i = input();
        i.fdes.truncate(1);
        i.fdes[0].end = 46;
        i.fdes[0].instructions = vec![
            CfiInsn { offset: 1, op: CfiOp::Offset { reg: 6, offset: -8 } },
            CfiInsn { offset: 37, op: CfiOp::Offset { reg: 7, offset: -8 } },
        ];
        let (b, _) = build_debug_frame(&i, false).unwrap();
        assert_eq!(&b[0x28..0x30], &unhex("8602448702000000")[..]);
    }
}
