//! A small, deterministic writer of ELF64 relocatable objects for BPF (`EM_BPF`, REL relocations).
//!
//! The caller gives sections (with their relocations) and symbols in final order (locals first);
//! the writer adds `.rel<name>` sections, `.symtab` and one `.strtab` shared by section and symbol
//! names, as llvm-mc does.
//!
//! The encoding and the bookkeeping are `object`'s ELF writer ([`object::write::elf::Writer`],
//! two phases: every index and file range is reserved, then everything is written in that
//! order): ELF header, section headers, symbols, relocations, and the extended numbering of
//! objects with 65,280 sections or more (`e_shnum` 0 with the count in section 0's `sh_size`,
//! `SHN_XINDEX` symbols with their indices in `.symtab_shndx`). What is ours is the layout:
//!
//! - section headers: null, `.strtab`, each section followed by its `.rel` section, `.symtab`,
//!   then `.symtab_shndx` when needed;
//! - file: ELF header, each section's contents (aligned as the section) followed by its
//!   relocations (aligned 8), `.symtab`, `.symtab_shndx`, `.strtab`, section headers (aligned 8);
//! - `.strtab` holds section and symbol names, each once, in the order they are first met (no
//!   suffix merging); `e_shstrndx` names it (reserved through the writer's `.shstrtab` index,
//!   whose own table is never written).
//!
//! The object is written into memory ([`ObjectWriter::write`]) or streamed into any
//! [`Write`] ([`ObjectWriter::write_to_with`], through `object`'s `StreamingBuffer`), where the
//! caller may write the contents of some sections itself, in place.

use crate::elf::*;
use object::elf as oelf;
use object::write::elf::{FileHeader, SectionHeader, SectionIndex, Sym, Writer};
use object::write::{StreamingBuffer, WritableBuffer};
use object::{BigEndian, Endian, Endianness, LittleEndian, U64};
use std::io::Write;

/// Where a symbol is defined.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymSection {
    Undef,
    Abs,
    /// Index into [`ObjectWriter::sections`].
    Section(usize),
}

#[derive(Clone, Debug)]
pub struct OutSymbol {
    pub name: String,
    pub value: u64,
    pub size: u64,
    pub bind: u8,
    pub typ: u8,
    pub vis: u8,
    pub section: SymSection,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutReloc {
    pub offset: u64,
    /// Index into [`ObjectWriter::symbols`] (0 is the null symbol the writer adds).
    pub sym: u32,
    pub r_type: u32,
}

#[derive(Clone, Debug)]
pub struct OutSection {
    pub name: String,
    pub sh_type: u32,
    pub flags: u64,
    pub align: u64,
    pub entsize: u64,
    /// Contents; for `SHT_NOBITS` only the length counts.
    pub data: Vec<u8>,
    /// For `SHT_NOBITS`: the size when it is more than `data.len()` (no need to allocate it).
    pub nobits_size: u64,
    pub relocs: Vec<OutReloc>,
    /// `sh_link` is the symbol table (e.g. `SHT_LLVM_ADDRSIG`).
    pub link_symtab: bool,
    /// Contents of this many bytes written by the caller of [`ObjectWriter::write_to_with`]
    /// (not held in `data`).
    pub external_size: Option<u64>,
}

impl OutSection {
    pub fn new(name: &str, sh_type: u32, flags: u64) -> Self {
        OutSection {
            name: name.to_string(),
            sh_type,
            flags,
            align: 1,
            entsize: 0,
            data: Vec::new(),
            nobits_size: 0,
            relocs: Vec::new(),
            link_symtab: false,
            external_size: None,
        }
    }
}

#[derive(Default)]
pub struct ObjectWriter {
    pub big_endian: bool,
    pub sections: Vec<OutSection>,
    /// Symbols without the null symbol; locals must come first.
    pub symbols: Vec<OutSymbol>,
}

/// Where each part of the object goes, decided before a byte is written (the writer's first
/// phase): section indices, file offsets, string offsets.
struct Plan {
    /// `.strtab` (index 1): section and symbol names, in the order they are first met.
    strtab: Vec<u8>,
    strtab_off: u64,
    /// Per section: its index, file offset and the name of its `.rel` section.
    secs: Vec<SecPlan>,
    symtab_index: u32,
    /// Symbols' names (offsets in `.strtab`, 0: none), in [`ObjectWriter::symbols`] order.
    sym_names: Vec<u32>,
    first_global: u32,
    strtab_name: u32,
    symtab_name: u32,
    shndx_name: Option<u32>,
}

struct SecPlan {
    index: u32,
    name: u32,
    offset: u64,
    /// `.rel<name>`: its name and file offset.
    rel: Option<(u32, u64)>,
}

/// `.strtab`: each name once, in the order first met (no suffix merging); offsets are known as
/// names are added. (btf's string index over the table's own bytes: `object`'s in-order
/// `StringTable` gives the same bytes but hashes each name with SipHash into an `IndexSet`,
/// twice the instructions of the whole table here, measured with callgrind on
/// `bench/link.py --case small`.)
struct StrTab {
    data: Vec<u8>,
    index: btf::hash::StrIndex,
}

impl StrTab {
    fn new() -> Self {
        StrTab { data: vec![0], index: btf::hash::StrIndex::build(&[0]) }
    }
    /// The offset of `s` (0 for no name).
    fn add(&mut self, s: &[u8]) -> u32 {
        if s.is_empty() {
            return 0;
        }
        self.index.intern(&mut self.data, s)
    }
}

/// `relocs` as `Elf64_Rel` entries (symbol indices after the null symbol).
fn rel_table<E: Endian>(e: E, relocs: &[OutReloc]) -> Vec<oelf::Rel64<E>> {
    relocs
        .iter()
        .map(|r| oelf::Rel64 {
            r_offset: U64::new(e, r.offset),
            r_info: oelf::Rel64::r_info(e, r.sym + 1, oelf::RelocationType(r.r_type)),
        })
        .collect()
}

fn err(e: object::write::Error) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

/// The caller's view of a section it writes: bytes go straight to the writer's buffer.
struct Fill<'w, 'a> {
    w: &'w mut Writer<'a>,
}

impl Write for Fill<'_, '_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.w.write(buf);
        Ok(buf.len())
    }
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.w.write(buf);
        Ok(())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl ObjectWriter {
    pub fn new(big_endian: bool) -> Self {
        ObjectWriter { big_endian, ..Default::default() }
    }

    /// The size of a section's contents in the file (none for `SHT_NOBITS`).
    fn file_size(s: &OutSection) -> u64 {
        match (s.sh_type, s.external_size) {
            (SHT_NOBITS, _) => 0,
            (_, Some(n)) => n,
            _ => s.data.len() as u64,
        }
    }

    /// Serialise the object. Every section's contents must be in [`OutSection::data`] (none
    /// written by the caller: see [`ObjectWriter::write_to_with`]).
    pub fn write(&self) -> Vec<u8> {
        let mut v = Vec::new();
        self.emit(&mut v, &mut |i, _| Err(self.no_contents(i)))
            .expect("writing to memory fails only for a section without its contents");
        v
    }

    fn no_contents(&self, i: usize) -> std::io::Error {
        std::io::Error::other(format!("no contents given for section {}", self.sections[i].name))
    }

    /// [`ObjectWriter::write`] into `w`, without building the object in memory first.
    pub fn write_to(&self, w: &mut impl Write) -> std::io::Result<()> {
        self.write_to_with(w, &mut |i, _| Err(self.no_contents(i)))
    }

    /// [`ObjectWriter::write_to`], where `fill(i, w)` writes the contents of section `i`
    /// when [`OutSection::external_size`] says it is written by the caller (exactly that
    /// many bytes, else an error).
    pub fn write_to_with(
        &self,
        w: &mut impl Write,
        fill: &mut dyn FnMut(usize, &mut dyn Write) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let mut buf = StreamingBuffer::new(w);
        self.emit(&mut buf, fill)?;
        buf.result()
    }

    /// Reserve everything in `w` (section indices, names, file ranges), in the order the
    /// object is then written.
    fn plan(&self, w: &mut Writer<'_>) -> Plan {
        let mut strtab = StrTab::new();
        // Index 1 is `.strtab`: reserved as the writer's section name table so that
        // `e_shstrndx` names it (its `.shstrtab` is never written: `.strtab` holds the
        // section names, as llvm-mc's objects do).
        w.reserve_shstrtab_section_index();
        let strtab_name = strtab.add(b".strtab");
        let symtab_name = strtab.add(b".symtab");
        let mut secs = Vec::with_capacity(self.sections.len());
        let mut rel_name = Vec::new();
        for s in &self.sections {
            let index = w.reserve_section_index().0;
            let name = strtab.add(s.name.as_bytes());
            let rel = (!s.relocs.is_empty()).then(|| {
                w.reserve_section_index();
                rel_name.clear();
                rel_name.extend_from_slice(b".rel");
                rel_name.extend_from_slice(s.name.as_bytes());
                (strtab.add(&rel_name), 0)
            });
            secs.push(SecPlan { index, name, offset: 0, rel });
        }
        let symtab_index = w.reserve_symtab_section_index().0;
        w.reserve_null_symbol_index();
        let mut sym_names = Vec::with_capacity(self.symbols.len());
        let mut first_global = self.symbols.len() as u32 + 1;
        for (i, sym) in self.symbols.iter().enumerate() {
            if sym.bind != STB_LOCAL && first_global == self.symbols.len() as u32 + 1 {
                first_global = i as u32 + 1;
            }
            sym_names.push(if sym.typ == STT_SECTION { 0 } else { strtab.add(sym.name.as_bytes()) });
            w.reserve_symbol_index(match sym.section {
                SymSection::Section(i) => Some(SectionIndex(secs[i].index)),
                _ => None,
            });
        }
        // More than 65,279 sections: the symbols' section indices that do not fit in
        // `st_shndx` go to `.symtab_shndx`, after `.symtab`.
        let shndx_name = w.symtab_shndx_needed().then(|| {
            w.reserve_symtab_shndx_section_index();
            strtab.add(b".symtab_shndx")
        });
        // File ranges: header, each section and its relocations, `.symtab`, `.symtab_shndx`,
        // `.strtab`, section headers.
        w.reserve_file_header();
        for (s, p) in self.sections.iter().zip(&mut secs) {
            // Aligned here, not by `reserve`, which takes powers of two only: an input
            // section's alignment reaches bpfld as it was (3 is aligned as 3).
            p.offset = w.reserved_len().next_multiple_of(s.align.max(1));
            w.reserve_until(p.offset);
            w.reserve(Self::file_size(s), 1);
            if let Some((_, off)) = &mut p.rel {
                *off = w.reserve_relocations(s.relocs.len(), false);
            }
        }
        w.reserve_symtab();
        w.reserve_symtab_shndx();
        let strtab_off = w.reserve(strtab.data.len() as u64, 1);
        w.reserve_section_headers();
        Plan {
            strtab: strtab.data,
            strtab_off,
            secs,
            symtab_index,
            sym_names,
            first_global,
            strtab_name,
            symtab_name,
            shndx_name,
        }
    }

    fn emit(
        &self,
        buf: &mut dyn WritableBuffer,
        fill: &mut dyn FnMut(usize, &mut dyn Write) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let endian = if self.big_endian { Endianness::Big } else { Endianness::Little };
        let mut w = Writer::new(endian, true, buf);
        let plan = self.plan(&mut w);
        w.write_file_header(&FileHeader {
            os_abi: oelf::OsAbi(0),
            abi_version: 0,
            e_type: oelf::FileType(ET_REL),
            e_machine: oelf::Machine(EM_BPF),
            e_entry: 0,
            e_flags: oelf::FileFlags(0),
        })
        .map_err(err)?;
        for (i, (s, p)) in self.sections.iter().zip(&plan.secs).enumerate() {
            w.pad_until(p.offset);
            if s.sh_type != SHT_NOBITS {
                match s.external_size {
                    Some(n) => {
                        fill(i, &mut Fill { w: &mut w })?;
                        let written = w.offset() - p.offset;
                        if written != n {
                            return Err(std::io::Error::other(format!(
                                "section {}: {written} bytes written, {n} announced",
                                s.name
                            )));
                        }
                    }
                    None => w.write(&s.data),
                }
            }
            if let Some((_, off)) = p.rel {
                w.pad_until(off);
                // The whole table in one write, in `object`'s `Elf64_Rel` of the byte order
                // known at compile time (one `write_relocation` each cost bpfasm 39
                // instructions more per relocation: callgrind, pyperf600.s, 34,298 of them).
                if self.big_endian {
                    w.write(object::bytes_of_slice(&rel_table(BigEndian, &s.relocs)));
                } else {
                    w.write(object::bytes_of_slice(&rel_table(LittleEndian, &s.relocs)));
                }
            }
        }
        let symtab_off = w.write_null_symbol();
        let syms = self.symbols.iter().zip(&plan.sym_names).map(|(sym, &st_name)| {
            let (section, st_shndx) = match sym.section {
                SymSection::Undef => (None, SHN_UNDEF),
                SymSection::Abs => (None, SHN_ABS),
                SymSection::Section(i) => (Some(plan.secs[i].index), 0),
            };
            Sym {
                section,
                st_name,
                st_info: oelf::SymbolInfo((sym.bind << 4) | (sym.typ & 0xf)),
                st_other: oelf::SymbolOther(sym.vis),
                st_shndx: oelf::SymbolSection(st_shndx),
                st_value: sym.value,
                st_size: sym.size,
            }
        });
        for sym in syms {
            w.write_symbol(&sym);
        }
        let shndx_off = w.write_symtab_shndx();
        w.pad_until(plan.strtab_off);
        w.write(&plan.strtab);
        w.write_null_section_header();
        w.write_section_header(&SectionHeader {
            sh_addralign: 1,
            ..shdr(plan.strtab_name, SHT_STRTAB, plan.strtab_off, plan.strtab.len() as u64)
        });
        for (s, p) in self.sections.iter().zip(&plan.secs) {
            let size = match s.sh_type {
                SHT_NOBITS => (s.data.len() as u64).max(s.nobits_size),
                _ => Self::file_size(s),
            };
            w.write_section_header(&SectionHeader {
                sh_flags: oelf::SectionFlags(s.flags),
                sh_link: if s.link_symtab { plan.symtab_index } else { 0 },
                sh_addralign: s.align,
                sh_entsize: s.entsize,
                ..shdr(p.name, s.sh_type, p.offset, size)
            });
            if let Some((rel_name, rel_off)) = p.rel {
                w.write_section_header(&SectionHeader {
                    sh_flags: oelf::SectionFlags(SHF_INFO_LINK),
                    sh_link: plan.symtab_index,
                    sh_info: p.index,
                    sh_addralign: 8,
                    sh_entsize: 16,
                    ..shdr(rel_name, SHT_REL, rel_off, s.relocs.len() as u64 * 16)
                });
            }
        }
        let nsyms = self.symbols.len() as u64 + 1;
        w.write_section_header(&SectionHeader {
            sh_link: 1,
            sh_info: plan.first_global,
            sh_addralign: 8,
            sh_entsize: 24,
            ..shdr(plan.symtab_name, SHT_SYMTAB, symtab_off, nsyms * 24)
        });
        if let Some(n) = plan.shndx_name {
            w.write_section_header(&SectionHeader {
                sh_link: plan.symtab_index,
                sh_addralign: 4,
                sh_entsize: 4,
                ..shdr(n, SHT_SYMTAB_SHNDX, shndx_off, nsyms * 4)
            });
        }
        Ok(())
    }
}

/// A section header with the fields every section sets; the others zero.
fn shdr(sh_name: u32, sh_type: u32, sh_offset: u64, sh_size: u64) -> SectionHeader {
    SectionHeader { sh_name, sh_type: oelf::SectionType(sh_type), sh_offset, sh_size, ..Default::default() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(big: bool) -> ObjectWriter {
        let mut w = ObjectWriter::new(big);
        let mut text = OutSection::new(".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR);
        text.align = 8;
        text.data = vec![0x95, 0, 0, 0, 0, 0, 0, 0, 0xb7, 1, 0, 0, 7, 0, 0, 0];
        text.relocs = vec![OutReloc { offset: 8, sym: 1, r_type: 1 }];
        w.sections.push(text);
        let mut bss = OutSection::new(".bss", SHT_NOBITS, SHF_ALLOC | SHF_WRITE);
        bss.align = 8;
        bss.nobits_size = 40;
        w.sections.push(bss);
        let mut odd = OutSection::new("license", SHT_PROGBITS, SHF_ALLOC);
        odd.data = b"GPL\0x".to_vec();
        w.sections.push(odd);
        let mut btf = OutSection::new(".BTF", SHT_PROGBITS, 0);
        btf.align = 4;
        btf.data = (0u8..37).collect();
        w.sections.push(btf);
        let sym = |name: &str, bind, section| OutSymbol {
            name: name.to_string(),
            value: 0,
            size: 8,
            bind,
            typ: STT_FUNC,
            vis: 0,
            section,
        };
        w.symbols = vec![sym("local", STB_LOCAL, SymSection::Section(0)), sym("f", STB_GLOBAL, SymSection::Undef)];
        w
    }

    /// Streaming gives the bytes `write` does, with a section's contents held or written by
    /// the caller, in either byte order; the object parses with its sections where they were.
    #[test]
    fn streamed_equals_in_memory() {
        for big in [false, true] {
            let w = object(big);
            let whole = w.write();
            let mut streamed = Vec::new();
            w.write_to(&mut streamed).unwrap();
            assert_eq!(streamed, whole);
            let mut ext = object(big);
            let btf = std::mem::take(&mut ext.sections[3].data);
            ext.sections[3].external_size = Some(btf.len() as u64);
            let mut filled = Vec::new();
            ext.write_to_with(&mut filled, &mut |i, w| {
                assert_eq!(i, 3);
                w.write_all(&btf)
            })
            .unwrap();
            assert_eq!(filled, whole);
            if !big {
                use object::{Object, ObjectSection};
                let f = object::File::parse(&*whole).unwrap();
                let s = f.section_by_name(".BTF").unwrap();
                assert_eq!(s.data().unwrap(), &btf[..]);
                assert_eq!(f.section_by_name(".bss").unwrap().size(), 40);
                assert_eq!(f.section_by_name(".text").unwrap().relocations().count(), 1);
            }
        }
    }

    /// A section the caller writes must be exactly as long as announced, and given at all.
    #[test]
    fn caller_written_section_checked() {
        let mut w = object(false);
        w.sections[3].data.clear();
        w.sections[3].external_size = Some(37);
        let short = w.write_to_with(&mut Vec::new(), &mut |_, w| w.write_all(&[0; 36])).unwrap_err();
        assert!(short.to_string().contains("36 bytes written, 37 announced"), "{short}");
        let none = w.write_to(&mut Vec::new()).unwrap_err();
        assert!(none.to_string().contains("no contents given for section .BTF"), "{none}");
    }

    /// A section's alignment need not be a power of two (bpfld keeps its inputs'): the
    /// contents start at a multiple of it all the same.
    #[test]
    fn alignment_other_than_a_power_of_two() {
        let mut w = object(false);
        w.sections[2].align = 3;
        w.sections[2].data = b"GPL\0".to_vec();
        w.sections[0].data.truncate(9);
        w.sections[0].relocs.clear();
        let bytes = w.write();
        let obj = crate::read::Object::parse(&bytes).unwrap();
        let lic = obj.section_by_name("license").unwrap();
        assert_eq!((lic.align, lic.data), (3, &b"GPL\0"[..]));
        // After the header, `.text`'s 9 bytes and `.bss` (aligned 8, at 80): 81, where a
        // power-of-two rounding of 80 to 3 gives 80.
        assert_eq!(&bytes[81..85], b"GPL\0");
    }

    /// 70,000 sections: section indices from 65,280 up do not fit in 16 bits. `e_shnum` is 0
    /// and section 0's `sh_size` the count, symbols say `SHN_XINDEX` and `.symtab_shndx` has
    /// their sections; `object`'s reader and ours both find each symbol's section.
    #[test]
    fn extended_section_numbering() {
        use object::read::elf::{ElfFile64, SectionHeader as _};
        use object::{Object as _, ObjectSection as _, ObjectSymbol as _};
        const N: usize = 70_000;
        let mut w = ObjectWriter::new(false);
        for k in 0..N {
            let mut s = OutSection::new(&format!("s{k}"), SHT_PROGBITS, SHF_ALLOC);
            s.data = vec![k as u8];
            w.sections.push(s);
        }
        // A relocation in the last section, against a symbol in it.
        w.sections[N - 1].relocs = vec![OutReloc { offset: 0, sym: 2, r_type: 2 }];
        let sym = |name: String, section| OutSymbol {
            name,
            value: 0,
            size: 1,
            bind: STB_GLOBAL,
            typ: STT_OBJECT,
            vis: 0,
            section,
        };
        w.symbols = vec![
            sym("a".into(), SymSection::Abs),
            sym("u".into(), SymSection::Undef),
            sym("first".into(), SymSection::Section(0)),
            sym("below".into(), SymSection::Section(0xff00 - 3)),
            sym("at".into(), SymSection::Section(0xff00 - 2)),
            sym("last".into(), SymSection::Section(N - 1)),
        ];
        w.symbols[2].bind = STB_LOCAL;
        w.symbols.swap(0, 2);
        let bytes = w.write();
        // null, .strtab, the sections, one .rel, .symtab, .symtab_shndx
        let count = 2 + N + 1 + 2;
        let f = ElfFile64::<object::Endianness>::parse(&*bytes).unwrap();
        let (h, e) = (f.elf_header(), f.endian());
        assert_eq!(h.e_shnum.get(e), 0);
        assert_eq!(h.e_shstrndx.get(e).0, 1);
        assert_eq!(f.elf_section_table().len(), count);
        let s0 = f.elf_section_table().iter().next().unwrap();
        assert_eq!(s0.sh_size(e), count as u64);
        assert_eq!(f.section_by_index(object::SectionIndex(count - 1)).unwrap().name().unwrap(), ".symtab_shndx");
        let want = [("first", Some(2)), ("below", Some(0xff00 - 1)), ("at", Some(0xff00)), ("last", Some(N + 1))];
        for (name, index) in want {
            let s = f.symbols().find(|s| s.name() == Ok(name)).unwrap();
            assert_eq!(s.section_index().map(|i| i.0), index, "object: {name}");
        }
        let ours = crate::read::Object::parse(&bytes).unwrap();
        assert_eq!(ours.sections().len(), count);
        for (name, index) in want {
            let s = ours.symbols().find(|s| s.name() == name).unwrap();
            assert_eq!(s.section(), index, "bpfobj::read: {name}");
        }
        assert_eq!(ours.section(N + 1).unwrap().name(), format!("s{}", N - 1));
        assert_eq!(ours.relocations(N + 1).unwrap().len(), 1);
        // Below the limit, none of it: the same writer gives 16-bit numbers.
        w.sections.truncate(100);
        w.symbols.truncate(3);
        let small = w.write();
        let f = ElfFile64::<object::Endianness>::parse(&*small).unwrap();
        assert_eq!(f.elf_header().e_shnum.get(f.endian()) as usize, 2 + 100 + 1);
        assert!(f.section_by_name(".symtab_shndx").is_none());
    }
}
