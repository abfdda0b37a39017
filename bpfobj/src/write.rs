//! A small, deterministic writer of ELF64 relocatable objects for BPF (`EM_BPF`, REL relocations).
//!
//! The caller gives sections (with their relocations) and symbols in final order (locals first);
//! the writer adds `.rel<name>` sections, `.symtab` and one `.strtab` shared by section and symbol
//! names, as llvm-mc does.

use crate::elf::*;

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

struct Buf {
    v: Vec<u8>,
    be: bool,
}

impl Buf {
    fn u16(&mut self, x: u16) {
        self.v.extend_from_slice(&if self.be { x.to_be_bytes() } else { x.to_le_bytes() });
    }
    fn u32(&mut self, x: u32) {
        self.v.extend_from_slice(&if self.be { x.to_be_bytes() } else { x.to_le_bytes() });
    }
    fn u64(&mut self, x: u64) {
        self.v.extend_from_slice(&if self.be { x.to_be_bytes() } else { x.to_le_bytes() });
    }
    fn align(&mut self, a: u64) {
        let a = a.max(1) as usize;
        while !self.v.len().is_multiple_of(a) {
            self.v.push(0);
        }
    }
}

/// `.strtab`: one copy of each name (btf's string index over the table's own bytes).
struct StrTab {
    data: Vec<u8>,
    index: btf::hash::StrIndex,
}

impl StrTab {
    fn new() -> Self {
        StrTab { data: vec![0], index: btf::hash::StrIndex::build(&[0]) }
    }
    fn add(&mut self, s: &str) -> u32 {
        if s.is_empty() {
            return 0;
        }
        self.index.intern(&mut self.data, s.as_bytes())
    }
}

struct Hdr {
    name: u32,
    sh_type: u32,
    flags: u64,
    offset: u64,
    size: u64,
    link: u32,
    info: u32,
    align: u64,
    entsize: u64,
}

impl ObjectWriter {
    pub fn new(big_endian: bool) -> Self {
        ObjectWriter { big_endian, ..Default::default() }
    }

    /// Serialise the object.
    pub fn write(&self) -> Vec<u8> {
        let be = self.big_endian;
        let mut strtab = StrTab::new();
        // Section header indices: 0 null, 1 .strtab, then each section followed by its .rel section,
        // then .symtab last.
        let mut index_of = Vec::with_capacity(self.sections.len());
        let mut next = 2u32;
        for s in &self.sections {
            index_of.push(next);
            next += 1;
            if !s.relocs.is_empty() {
                next += 1;
            }
        }
        let symtab_index = next;
        let shnum = next + 1;

        // Size the buffer once: large objects must not pay for doubling reallocations.
        let estimate = 64
            + self.sections.iter().map(|s| s.data.len() + s.align as usize + s.relocs.len() * 16 + 8).sum::<usize>()
            + (self.symbols.len() + 1) * 24
            + self.symbols.iter().map(|s| s.name.len() + 1).sum::<usize>()
            + self.sections.iter().map(|s| 2 * s.name.len() + 8).sum::<usize>()
            + (self.sections.len() * 2 + 4) * 64
            + 64;
        let mut v = Vec::with_capacity(estimate);
        v.resize(64, 0);
        let mut out = Buf { v, be };
        let mut hdrs: Vec<Hdr> = Vec::new();
        let strtab_name = strtab.add(".strtab");
        let symtab_name = strtab.add(".symtab");
        for (i, s) in self.sections.iter().enumerate() {
            let name = strtab.add(&s.name);
            out.align(s.align);
            let offset = out.v.len() as u64;
            if s.sh_type != SHT_NOBITS {
                out.v.extend_from_slice(&s.data);
            }
            hdrs.push(Hdr {
                name,
                sh_type: s.sh_type,
                flags: s.flags,
                offset,
                size: if s.sh_type == SHT_NOBITS {
                    (s.data.len() as u64).max(s.nobits_size)
                } else {
                    s.data.len() as u64
                },
                link: if s.link_symtab { symtab_index } else { 0 },
                info: 0,
                align: s.align,
                entsize: s.entsize,
            });
            if !s.relocs.is_empty() {
                let name = strtab.add(&format!(".rel{}", s.name));
                out.align(8);
                let offset = out.v.len() as u64;
                for r in &s.relocs {
                    out.u64(r.offset);
                    out.u64(((r.sym as u64 + 1) << 32) | r.r_type as u64);
                }
                hdrs.push(Hdr {
                    name,
                    sh_type: SHT_REL,
                    flags: SHF_INFO_LINK,
                    offset,
                    size: (s.relocs.len() * 16) as u64,
                    link: symtab_index,
                    info: index_of[i],
                    align: 8,
                    entsize: 16,
                });
            }
        }
        // Symbol table.
        out.align(8);
        let symtab_off = out.v.len() as u64;
        out.v.extend_from_slice(&[0u8; 24]);
        let mut first_global = self.symbols.len() as u32 + 1;
        for (i, sym) in self.symbols.iter().enumerate() {
            if sym.bind != STB_LOCAL && first_global == self.symbols.len() as u32 + 1 {
                first_global = i as u32 + 1;
            }
            let name = if sym.typ == STT_SECTION { 0 } else { strtab.add(&sym.name) };
            out.u32(name);
            out.v.push((sym.bind << 4) | (sym.typ & 0xf));
            out.v.push(sym.vis);
            out.u16(match sym.section {
                SymSection::Undef => SHN_UNDEF,
                SymSection::Abs => SHN_ABS,
                SymSection::Section(i) => index_of[i] as u16,
            });
            out.u64(sym.value);
            out.u64(sym.size);
        }
        let symtab_size = out.v.len() as u64 - symtab_off;
        let strtab_off = out.v.len() as u64;
        out.v.extend_from_slice(&strtab.data);
        let strtab_size = strtab.data.len() as u64;

        out.align(8);
        let shoff = out.v.len() as u64;
        let mut all = vec![
            Hdr { name: 0, sh_type: 0, flags: 0, offset: 0, size: 0, link: 0, info: 0, align: 0, entsize: 0 },
            Hdr {
                name: strtab_name,
                sh_type: SHT_STRTAB,
                flags: 0,
                offset: strtab_off,
                size: strtab_size,
                link: 0,
                info: 0,
                align: 1,
                entsize: 0,
            },
        ];
        all.extend(hdrs);
        all.push(Hdr {
            name: symtab_name,
            sh_type: SHT_SYMTAB,
            flags: 0,
            offset: symtab_off,
            size: symtab_size,
            link: 1,
            info: first_global,
            align: 8,
            entsize: 24,
        });
        debug_assert_eq!(all.len() as u32, shnum);
        for h in &all {
            out.u32(h.name);
            out.u32(h.sh_type);
            out.u64(h.flags);
            out.u64(0);
            out.u64(h.offset);
            out.u64(h.size);
            out.u32(h.link);
            out.u32(h.info);
            out.u64(h.align);
            out.u64(h.entsize);
        }
        // ELF header.
        let mut h = Buf { v: Vec::with_capacity(64), be };
        h.v.extend_from_slice(&[0x7f, b'E', b'L', b'F', 2, if be { 2 } else { 1 }, 1, 0]);
        h.v.extend_from_slice(&[0; 8]);
        h.u16(ET_REL);
        h.u16(EM_BPF);
        h.u32(1);
        h.u64(0); // entry
        h.u64(0); // phoff
        h.u64(shoff);
        h.u32(0); // flags
        h.u16(64);
        h.u16(0);
        h.u16(0);
        h.u16(64);
        h.u16(shnum as u16);
        h.u16(1); // shstrndx: .strtab
        out.v[..64].copy_from_slice(&h.v);
        out.v
    }
}
