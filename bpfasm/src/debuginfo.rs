//! `-g` for hand-written assembly: a DWARF 5 compile unit for the `.s` source, with its line
//! program (a row per instruction), so that `llvm-objdump -S`, debuggers and symbolizers find
//! the source. Written by gimli (`bpfobj::dwarf::unit`); clang's `.loc` tables keep our own
//! encoder for llvm-mc's bytes (finish.rs).

use crate::asm::{Assembler, Reloc, RelocTarget, SecId};
use crate::diag::{Code, Diag};
use crate::expr::Span;
use bpf_isa::Endian;
use bpfobj::dwarf::unit::{build_unit, UnitInput, UnitTarget};
use bpfobj::elf::*;

impl Assembler {
    fn section_with(&mut self, name: &str, data: &mut Vec<Vec<u8>>) -> SecId {
        let id = self.get_section(name, SHT_PROGBITS, 0, 0, Span::default());
        while data.len() <= id as usize {
            data.push(Vec::new());
        }
        id
    }

    /// Emit `.debug_abbrev`, `.debug_info`, `.debug_line` (and `.debug_rnglists` for several
    /// code sections).
    pub(crate) fn compile_unit(&mut self, data: &mut Vec<Vec<u8>>) {
        let seqs = self.line_sequences(data);
        if seqs.is_empty() {
            return;
        }
        let name = codespan_reporting::files::Files::name(&self.files, 0).map(|n| n.to_string()).unwrap_or_default();
        let name = self.opts.map_debug_path(&name);
        let comp_dir = self.opts.comp_dir();
        let lines = match self.lines.take_files().into_input(seqs) {
            Ok(l) => l,
            Err(e) => return self.report(Diag::global(Code::Dwarf, e.to_string())),
        };
        let input = UnitInput {
            producer: concat!("bpfasm ", env!("CARGO_PKG_VERSION")),
            name: &name,
            comp_dir: &comp_dir,
            big_endian: self.opts.endian == Endian::Big,
            lines: &lines,
        };
        let sections = match build_unit(&input) {
            Ok(s) => s,
            Err(e) => return self.report(Diag::global(Code::Dwarf, e)),
        };
        let ids: Vec<SecId> = sections.iter().map(|s| self.section_with(s.name, data)).collect();
        let names: Vec<&str> = sections.iter().map(|s| s.name).collect();
        // Where each lands: after what the source itself put in a section of that name.
        let bases: Vec<u64> = ids.iter().map(|&id| data[id as usize].len() as u64).collect();
        for ((sec, &id), &base) in sections.into_iter().zip(&ids).zip(&bases) {
            let mut bytes = sec.data;
            for r in &sec.relocs {
                let target = match r.target {
                    UnitTarget::Code(s) => s.0 as SecId,
                    UnitTarget::Debug(name) => {
                        let Some(i) = names.iter().position(|&n| n == name) else { continue };
                        // An offset into a section that had bytes before ours moves by them.
                        let addend = (r.addend as u64).wrapping_add(bases[i]);
                        self.patch(&mut bytes, r.offset as usize, addend, r.size as usize);
                        ids[i]
                    }
                };
                let r_type = if r.size == 8 { RelocType::ABS64 } else { RelocType::ABS32 };
                self.secs[id as usize].relocs.push(Reloc {
                    offset: base + r.offset,
                    r_type,
                    target: RelocTarget::Section(target),
                });
            }
            data[id as usize].extend_from_slice(&bytes);
        }
    }
}
