//! `-g` for hand-written assembly: a DWARF 5 compile unit for the `.s` source so that
//! `llvm-objdump -S`, debuggers and symbolizers find the line table (the line table itself comes
//! from the per-instruction rows, through `bpfobj::dwarf`).

use crate::asm::{Assembler, Reloc, RelocTarget, SecId};
use crate::expr::Span;
use bpf_isa::Endian;
use bpfobj::elf::*;

const DW_TAG_COMPILE_UNIT: u8 = 0x11;
const DW_AT_PRODUCER: u8 = 0x25;
const DW_AT_LANGUAGE: u8 = 0x13;
const DW_AT_NAME: u8 = 0x03;
const DW_AT_STMT_LIST: u8 = 0x10;
const DW_AT_COMP_DIR: u8 = 0x1b;
const DW_AT_LOW_PC: u8 = 0x11;
const DW_AT_HIGH_PC: u8 = 0x12;
const DW_AT_RANGES: u8 = 0x55;
const DW_FORM_ADDR: u8 = 0x01;
const DW_FORM_DATA2: u8 = 0x05;
const DW_FORM_DATA4: u8 = 0x06;
const DW_FORM_STRING: u8 = 0x08;
const DW_FORM_SEC_OFFSET: u8 = 0x17;
const DW_LANG_MIPS_ASSEMBLER: u16 = 0x8001;
const DW_UT_COMPILE: u8 = 1;
const DW_RLE_END_OF_LIST: u8 = 0;
const DW_RLE_START_LENGTH: u8 = 7;

struct W {
    v: Vec<u8>,
    big: bool,
}

impl W {
    fn u16(&mut self, x: u16) {
        self.v.extend_from_slice(&if self.big { x.to_be_bytes() } else { x.to_le_bytes() });
    }
    fn u32(&mut self, x: u32) {
        self.v.extend_from_slice(&if self.big { x.to_be_bytes() } else { x.to_le_bytes() });
    }
    fn u64(&mut self, x: u64) {
        self.v.extend_from_slice(&if self.big { x.to_be_bytes() } else { x.to_le_bytes() });
    }
    fn str(&mut self, s: &str) {
        self.v.extend_from_slice(s.as_bytes());
        self.v.push(0);
    }
    fn uleb(&mut self, x: u64) {
        crate::asm::write_leb(&mut self.v, x as i64, false, 0);
    }
    fn patch_len(&mut self, at: usize) {
        let len = (self.v.len() - at - 4) as u32;
        let b = if self.big { len.to_be_bytes() } else { len.to_le_bytes() };
        self.v[at..at + 4].copy_from_slice(&b);
    }
}

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
        let mut ab = W { v: Vec::new(), big };
        let abbrev_off = data[abbrev_sec as usize].len() as u64;
        ab.uleb(1);
        ab.uleb(DW_TAG_COMPILE_UNIT as u64);
        ab.v.push(0); // no children
        for (at, form) in [
            (DW_AT_PRODUCER, DW_FORM_STRING),
            (DW_AT_LANGUAGE, DW_FORM_DATA2),
            (DW_AT_NAME, DW_FORM_STRING),
            (DW_AT_STMT_LIST, DW_FORM_SEC_OFFSET),
            (DW_AT_COMP_DIR, DW_FORM_STRING),
            (DW_AT_LOW_PC, DW_FORM_ADDR),
        ] {
            ab.uleb(at as u64);
            ab.uleb(form as u64);
        }
        if single {
            ab.uleb(DW_AT_HIGH_PC as u64);
            ab.uleb(DW_FORM_DATA4 as u64);
        } else {
            ab.uleb(DW_AT_RANGES as u64);
            ab.uleb(DW_FORM_SEC_OFFSET as u64);
        }
        ab.v.extend_from_slice(&[0, 0, 0]);
        data[abbrev_sec as usize].extend_from_slice(&ab.v);

        let ranges = if single {
            None
        } else {
            let rl = self.section_with(".debug_rnglists", data);
            let base = data[rl as usize].len();
            let mut w = W { v: Vec::new(), big };
            w.u32(0);
            w.u16(5);
            w.v.push(8);
            w.v.push(0);
            w.u32(0);
            let list_off = w.v.len();
            for &s in &code {
                w.v.push(DW_RLE_START_LENGTH);
                self.secs[rl as usize].relocs.push(Reloc {
                    offset: (base + w.v.len()) as u64,
                    r_type: RelocType::ABS64,
                    target: RelocTarget::Section(s),
                });
                w.u64(0);
                w.uleb(data[s as usize].len() as u64);
            }
            w.v.push(DW_RLE_END_OF_LIST);
            w.patch_len(0);
            data[rl as usize].extend_from_slice(&w.v);
            Some((rl, (base + list_off) as u32))
        };

        let info = self.section_with(".debug_info", data);
        let line = self.section_with(".debug_line", data);
        let base = data[info as usize].len();
        let mut w = W { v: Vec::new(), big };
        let rel = |a: &mut Assembler, at: usize, r_type: RelocType, target: SecId| {
            a.secs[info as usize].relocs.push(Reloc {
                offset: (base + at) as u64,
                r_type,
                target: RelocTarget::Section(target),
            })
        };
        w.u32(0);
        w.u16(5);
        w.v.push(DW_UT_COMPILE);
        w.v.push(8);
        rel(self, w.v.len(), RelocType::ABS32, abbrev_sec);
        w.u32(abbrev_off as u32);
        w.uleb(1);
        w.str(concat!("bpfasm ", env!("CARGO_PKG_VERSION")));
        w.u16(DW_LANG_MIPS_ASSEMBLER);
        w.str(&name);
        rel(self, w.v.len(), RelocType::ABS32, line);
        w.u32(0);
        w.str(&comp_dir);
        if single {
            rel(self, w.v.len(), RelocType::ABS64, code[0]);
            w.u64(0);
            w.u32(data[code[0] as usize].len() as u32);
        } else {
            w.u64(0);
            let (rl, off) = ranges.expect("ranges for several sections");
            rel(self, w.v.len(), RelocType::ABS32, rl);
            w.u32(off);
        }
        w.patch_len(0);
        data[info as usize].extend_from_slice(&w.v);
    }
}
