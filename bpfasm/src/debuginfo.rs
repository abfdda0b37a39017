//! `-g` for hand-written assembly: a DWARF 5 compile unit for the `.s` source so that
//! `llvm-objdump -S`, debuggers and symbolizers find the line table (the line table itself comes
//! from the per-instruction rows, through `bpfobj::dwarf`).

use crate::asm::{Assembler, Reloc, RelocTarget, SecId};
use crate::expr::Span;
use bpf_isa::Endian;
use bpfobj::dwarf::Writer;
use bpfobj::elf::*;
use gimli::constants::{
    DW_AT_comp_dir, DW_AT_high_pc, DW_AT_language, DW_AT_low_pc, DW_AT_name, DW_AT_producer, DW_AT_ranges,
    DW_AT_stmt_list, DW_FORM_addr, DW_FORM_data2, DW_FORM_data4, DW_FORM_sec_offset, DW_FORM_string,
    DW_LANG_Mips_Assembler, DW_RLE_end_of_list, DW_RLE_start_length, DW_TAG_compile_unit, DW_UT_compile,
};

impl Assembler {
    fn section_with(&mut self, name: &str, data: &mut Vec<Vec<u8>>) -> SecId {
        let id = self.get_section(name, SHT_PROGBITS, 0, 0, Span::default());
        while data.len() <= id as usize {
            data.push(Vec::new());
        }
        id
    }

    /// Emit `.debug_abbrev`, `.debug_info` (and `.debug_rnglists` for several code sections).
    pub(crate) fn compile_unit(&mut self, data: &mut Vec<Vec<u8>>) {
        let big = self.opts.endian == Endian::Big;
        let code: Vec<SecId> =
            (0..self.secs.len() as SecId).filter(|&s| !self.secs[s as usize].lines.is_empty()).collect();
        if code.is_empty() {
            return;
        }
        let name = codespan_reporting::files::Files::name(&self.files, 0).map(|n| n.to_string()).unwrap_or_default();
        let name = self.opts.map_debug_path(&name);
        let comp_dir = self.opts.comp_dir();
        let single = code.len() == 1;

        let abbrev_sec = self.section_with(".debug_abbrev", data);
        let mut ab = Writer::new(big);
        let abbrev_off = data[abbrev_sec as usize].len() as u64;
        ab.uleb(1);
        ab.uleb(u64::from(DW_TAG_compile_unit.0));
        ab.u8(0); // no children
        for (at, form) in [
            (DW_AT_producer, DW_FORM_string),
            (DW_AT_language, DW_FORM_data2),
            (DW_AT_name, DW_FORM_string),
            (DW_AT_stmt_list, DW_FORM_sec_offset),
            (DW_AT_comp_dir, DW_FORM_string),
            (DW_AT_low_pc, DW_FORM_addr),
        ] {
            ab.uleb(u64::from(at.0));
            ab.uleb(u64::from(form.0));
        }
        if single {
            ab.uleb(u64::from(DW_AT_high_pc.0));
            ab.uleb(u64::from(DW_FORM_data4.0));
        } else {
            ab.uleb(u64::from(DW_AT_ranges.0));
            ab.uleb(u64::from(DW_FORM_sec_offset.0));
        }
        ab.bytes(&[0, 0, 0]);
        data[abbrev_sec as usize].extend_from_slice(&ab.buf);

        let ranges = if single {
            None
        } else {
            let rl = self.section_with(".debug_rnglists", data);
            let base = data[rl as usize].len();
            let mut w = Writer::new(big);
            w.u32(0);
            w.u16(5);
            w.u8(8);
            w.u8(0);
            w.u32(0);
            let list_off = w.buf.len();
            for &s in &code {
                w.u8(DW_RLE_start_length.0);
                self.secs[rl as usize].relocs.push(Reloc {
                    offset: (base + w.buf.len()) as u64,
                    r_type: RelocType::ABS64,
                    target: RelocTarget::Section(s),
                });
                w.u64(0);
                w.uleb(data[s as usize].len() as u64);
            }
            w.u8(DW_RLE_end_of_list.0);
            w.patch_u32(0, (w.buf.len() - 4) as u32);
            data[rl as usize].extend_from_slice(&w.buf);
            Some((rl, (base + list_off) as u32))
        };

        let info = self.section_with(".debug_info", data);
        let line = self.section_with(".debug_line", data);
        let base = data[info as usize].len();
        let mut w = Writer::new(big);
        let rel = |a: &mut Assembler, at: usize, r_type: RelocType, target: SecId| {
            a.secs[info as usize].relocs.push(Reloc {
                offset: (base + at) as u64,
                r_type,
                target: RelocTarget::Section(target),
            })
        };
        w.u32(0);
        w.u16(5);
        w.u8(DW_UT_compile.0);
        w.u8(8);
        rel(self, w.buf.len(), RelocType::ABS32, abbrev_sec);
        w.u32(abbrev_off as u32);
        w.uleb(1);
        w.cstr(concat!("bpfasm ", env!("CARGO_PKG_VERSION")));
        w.u16(DW_LANG_Mips_Assembler.0);
        w.cstr(&name);
        rel(self, w.buf.len(), RelocType::ABS32, line);
        w.u32(0);
        w.cstr(&comp_dir);
        if single {
            rel(self, w.buf.len(), RelocType::ABS64, code[0]);
            w.u64(0);
            w.u32(data[code[0] as usize].len() as u32);
        } else {
            w.u64(0);
            let (rl, off) = ranges.expect("ranges for several sections");
            rel(self, w.buf.len(), RelocType::ABS32, rl);
            w.u32(off);
        }
        w.patch_u32(0, (w.buf.len() - 4) as u32);
        data[info as usize].extend_from_slice(&w.buf);
    }
}
