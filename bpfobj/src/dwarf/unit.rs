//! The DWARF of `-g` on hand-written assembly: one DWARF 5 compile unit and its line program,
//! written by gimli (`gimli::write::DwarfUnit`).
//!
//! Clang's `.loc`/`.file` tables keep our own encoder ([`super::build_line_table`]): its opcode
//! order is llvm-mc's, byte for byte. Here nothing is to be matched byte for byte (llvm-mc's
//! `-g` describes its own choices), so gimli writes the unit, the line program (file names as
//! inline strings: no `.debug_line_str`), the range list of a unit spread over several code
//! sections, and the abbreviations. Addresses in code sections and offsets into the other
//! debug sections come out as relocations with their addends (the object is REL: the caller
//! stores each addend in place).

use super::{LineTableInput, SectionRef};
use gimli::write::{
    Address, AttributeValue, DwarfUnit, EndianVec, LineProgram, LineString, Range, RangeList, Relocation,
    RelocationTarget, Sections,
};
use gimli::{Encoding, Format, LineEncoding, RunTimeEndian};

/// What a relocation of the unit points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitTarget {
    /// A code section (an address in it).
    Code(SectionRef),
    /// Another debug section of the unit, by name (an offset in it).
    Debug(&'static str),
}

/// A relocation in one of the unit's sections: `size` bytes at `offset` hold
/// `target + addend` (the addend is also already stored there, for a REL object whose
/// sections start at offset 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnitReloc {
    pub offset: u64,
    pub size: u8,
    pub target: UnitTarget,
    pub addend: i64,
}

/// One section of the unit: its name, bytes and relocations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitSection {
    pub name: &'static str,
    pub data: Vec<u8>,
    pub relocs: Vec<UnitReloc>,
}

/// The inputs of the unit: who made it, the source, and the line rows (from
/// [`super::FileTable::into_input`]; file 0 is the source).
pub struct UnitInput<'a> {
    pub producer: &'a str,
    pub name: &'a str,
    pub comp_dir: &'a str,
    pub big_endian: bool,
    pub lines: &'a LineTableInput,
}

/// A writer that keeps gimli's relocations (for sections and code addresses).
#[derive(Clone)]
struct RelocWriter {
    w: EndianVec<RunTimeEndian>,
    relocs: Vec<Relocation>,
}

impl gimli::write::RelocateWriter for RelocWriter {
    type Writer = EndianVec<RunTimeEndian>;
    fn writer(&self) -> &Self::Writer {
        &self.w
    }
    fn writer_mut(&mut self) -> &mut Self::Writer {
        &mut self.w
    }
    fn relocate(&mut self, r: Relocation) {
        self.relocs.push(r);
    }
}

/// BPF instructions are 8 bytes; line and address advances count instructions (as llvm-mc's
/// line tables for BPF do).
const LINE_ENCODING: LineEncoding = LineEncoding {
    minimum_instruction_length: 8,
    maximum_operations_per_instruction: 1,
    default_is_stmt: true,
    line_base: -5,
    line_range: 14,
};

/// The unit's sections (`.debug_abbrev`, `.debug_info`, `.debug_line`, and `.debug_rnglists`
/// when the code is in several sections), empty ones left out; nothing without line rows.
pub fn build_unit(input: &UnitInput<'_>) -> Result<Vec<UnitSection>, String> {
    let encoding = Encoding { format: Format::Dwarf32, version: 5, address_size: 8 };
    let endian = if input.big_endian { RunTimeEndian::Big } else { RunTimeEndian::Little };
    let lines = input.lines;
    let string = |s: &str| LineString::String(s.as_bytes().to_vec());
    let mut dwarf = DwarfUnit::new(encoding);
    let mut program =
        LineProgram::new(encoding, LINE_ENCODING, string(&lines.comp_dir), None, string(input.name), None);
    // Directories 1.. and files 1.. as numbered in the table (file 0 is the source).
    let dirs: Vec<_> = lines.dirs.iter().map(|d| program.add_directory(string(d))).collect();
    let root = program.files().next().map(|(id, _, _)| id).expect("DWARF 5 has file 0");
    let mut files = vec![root];
    for f in &lines.files {
        let dir = match f.dir {
            0 => program.default_directory(),
            i => dirs.get(i as usize - 1).copied().unwrap_or_else(|| program.default_directory()),
        };
        files.push(program.add_file(string(&f.name), dir, None));
    }
    let mut ranges = Vec::new();
    for seq in &lines.sequences {
        let section = seq.section.0;
        program.begin_sequence(Some(Address::Symbol { symbol: section, addend: 0 }));
        for r in &seq.rows {
            let row = program.row();
            row.address_offset = r.offset;
            row.file = files.get(r.loc.file as usize).copied().unwrap_or(root);
            row.line = r.loc.line;
            row.column = r.loc.column;
            row.is_statement = r.loc.is_stmt;
            row.basic_block = r.loc.basic_block;
            row.prologue_end = r.loc.prologue_end;
            row.epilogue_begin = r.loc.epilogue_begin;
            row.isa = r.loc.isa;
            row.discriminator = r.loc.discriminator;
            program.generate_row();
        }
        program.end_sequence(seq.end_offset);
        ranges.push((section, seq.end_offset));
    }
    dwarf.unit.line_program = program;

    let root_entry = dwarf.unit.root();
    let producer = input.producer.as_bytes().to_vec();
    let unit_ranges = match ranges[..] {
        [] => return Ok(Vec::new()),
        [(s, len)] => vec![
            (gimli::DW_AT_low_pc, AttributeValue::Address(Address::Symbol { symbol: s, addend: 0 })),
            (gimli::DW_AT_high_pc, AttributeValue::Udata(len)),
        ],
        _ => {
            let list = RangeList(
                ranges
                    .iter()
                    .map(|&(s, len)| Range::StartLength {
                        begin: Address::Symbol { symbol: s, addend: 0 },
                        length: len,
                    })
                    .collect(),
            );
            let id = dwarf.unit.ranges.add(list);
            vec![
                (gimli::DW_AT_low_pc, AttributeValue::Address(Address::Constant(0))),
                (gimli::DW_AT_ranges, AttributeValue::RangeListRef(id)),
            ]
        }
    };
    let e = dwarf.unit.get_mut(root_entry);
    e.set(gimli::DW_AT_producer, AttributeValue::String(producer));
    e.set(gimli::DW_AT_language, AttributeValue::Language(gimli::DW_LANG_Mips_Assembler));
    e.set(gimli::DW_AT_name, AttributeValue::String(input.name.as_bytes().to_vec()));
    e.set(gimli::DW_AT_stmt_list, AttributeValue::LineProgramRef);
    e.set(gimli::DW_AT_comp_dir, AttributeValue::String(input.comp_dir.as_bytes().to_vec()));
    for (at, v) in unit_ranges {
        e.set(at, v);
    }

    let mut sections = Sections::new(RelocWriter { w: EndianVec::new(endian), relocs: Vec::new() });
    dwarf.write(&mut sections).map_err(|e| format!("DWARF unit: {e}"))?;
    let mut out = Vec::new();
    sections.for_each_mut(|id, w| -> Result<(), String> {
        if w.w.slice().is_empty() {
            return Ok(());
        }
        let mut data = w.w.take();
        let mut relocs = Vec::with_capacity(w.relocs.len());
        for r in &w.relocs {
            let target = match r.target {
                RelocationTarget::Symbol(s) => UnitTarget::Code(SectionRef(s)),
                RelocationTarget::Section(id) => UnitTarget::Debug(id.name()),
            };
            // REL: the addend lives in the relocated field.
            let at = r.offset;
            let field = data.get_mut(at..at + r.size as usize).ok_or("DWARF unit: relocation out of bounds")?;
            match (r.size, input.big_endian) {
                (4, false) => field.copy_from_slice(&(r.addend as u32).to_le_bytes()),
                (4, true) => field.copy_from_slice(&(r.addend as u32).to_be_bytes()),
                (8, false) => field.copy_from_slice(&(r.addend as u64).to_le_bytes()),
                (8, true) => field.copy_from_slice(&(r.addend as u64).to_be_bytes()),
                (n, _) => return Err(format!("DWARF unit: a {n}-byte relocation")),
            }
            relocs.push(UnitReloc { offset: at as u64, size: r.size, target, addend: r.addend });
        }
        out.push(UnitSection { name: id.name(), data, relocs });
        Ok(())
    })?;
    Ok(out)
}
