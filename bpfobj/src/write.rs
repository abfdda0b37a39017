//! A small, deterministic writer of ELF64 relocatable objects for BPF (`EM_BPF`, REL relocations).
//!
//! The caller gives sections (with their relocations) and symbols in final order (locals first);
//! the writer adds `.rel<name>` sections, `.symtab` and one `.strtab` shared by section and symbol
//! names, as llvm-mc does.

use crate::elf::*;
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

/// Where everything goes, decided before a byte is written (the header needs the section
/// table's offset, the symbol table needs the names' offsets).
struct Layout {
    /// Section header entries after the null one: `.strtab`, each section and its `.rel`
    /// section, `.symtab`.
    hdrs: Vec<Hdr>,
    /// The symbol table's bytes and the string table's (small next to the sections).
    symtab: Vec<u8>,
    strtab: Vec<u8>,
    shoff: u64,
}

impl Hdr {
    fn null() -> Hdr {
        Hdr { name: 0, sh_type: 0, flags: 0, offset: 0, size: 0, link: 0, info: 0, align: 0, entsize: 0 }
    }
}

fn align_up(off: u64, a: u64) -> u64 {
    off.next_multiple_of(a.max(1))
}

/// Counts what goes through, so a section written by the caller is checked against its size.
struct Counting<'w> {
    inner: &'w mut dyn Write,
    n: u64,
}

impl Write for Counting<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let k = self.inner.write(buf)?;
        self.n += k as u64;
        Ok(k)
    }
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.inner.write_all(buf)?;
        self.n += buf.len() as u64;
        Ok(())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Zero bytes for padding.
const ZEROS: [u8; 64] = [0; 64];

fn pad(w: &mut dyn Write, n: u64) -> std::io::Result<()> {
    let mut n = n as usize;
    while n > 0 {
        let k = n.min(ZEROS.len());
        w.write_all(&ZEROS[..k])?;
        n -= k;
    }
    Ok(())
}

impl ObjectWriter {
    pub fn new(big_endian: bool) -> Self {
        ObjectWriter { big_endian, ..Default::default() }
    }

    fn u16b(&self, x: u16) -> [u8; 2] {
        if self.big_endian {
            x.to_be_bytes()
        } else {
            x.to_le_bytes()
        }
    }
    fn u32b(&self, x: u32) -> [u8; 4] {
        if self.big_endian {
            x.to_be_bytes()
        } else {
            x.to_le_bytes()
        }
    }
    fn u64b(&self, x: u64) -> [u8; 8] {
        if self.big_endian {
            x.to_be_bytes()
        } else {
            x.to_le_bytes()
        }
    }

    /// The size of a section's contents in the file (none for `SHT_NOBITS`).
    fn file_size(s: &OutSection) -> u64 {
        match (s.sh_type, s.external_size) {
            (SHT_NOBITS, _) => 0,
            (_, Some(n)) => n,
            _ => s.data.len() as u64,
        }
    }

    fn layout(&self) -> Layout {
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
        let strtab_name = strtab.add(".strtab");
        let symtab_name = strtab.add(".symtab");
        let mut hdrs: Vec<Hdr> = Vec::with_capacity(next as usize);
        hdrs.push(Hdr::null()); // .strtab, once its place is known
        let mut off = 64u64;
        for (i, s) in self.sections.iter().enumerate() {
            let name = strtab.add(&s.name);
            off = align_up(off, s.align);
            let size = match s.sh_type {
                SHT_NOBITS => (s.data.len() as u64).max(s.nobits_size),
                _ => Self::file_size(s),
            };
            hdrs.push(Hdr {
                name,
                sh_type: s.sh_type,
                flags: s.flags,
                offset: off,
                size,
                link: if s.link_symtab { symtab_index } else { 0 },
                info: 0,
                align: s.align,
                entsize: s.entsize,
            });
            off += Self::file_size(s);
            if !s.relocs.is_empty() {
                let name = strtab.add(&format!(".rel{}", s.name));
                off = align_up(off, 8);
                hdrs.push(Hdr {
                    name,
                    sh_type: SHT_REL,
                    flags: SHF_INFO_LINK,
                    offset: off,
                    size: (s.relocs.len() * 16) as u64,
                    link: symtab_index,
                    info: index_of[i],
                    align: 8,
                    entsize: 16,
                });
                off += (s.relocs.len() * 16) as u64;
            }
        }
        // Symbol table.
        off = align_up(off, 8);
        let symtab_off = off;
        let mut symtab = Vec::with_capacity((self.symbols.len() + 1) * 24);
        symtab.extend_from_slice(&[0u8; 24]);
        let mut first_global = self.symbols.len() as u32 + 1;
        for (i, sym) in self.symbols.iter().enumerate() {
            if sym.bind != STB_LOCAL && first_global == self.symbols.len() as u32 + 1 {
                first_global = i as u32 + 1;
            }
            let name = if sym.typ == STT_SECTION { 0 } else { strtab.add(&sym.name) };
            symtab.extend_from_slice(&self.u32b(name));
            symtab.push((sym.bind << 4) | (sym.typ & 0xf));
            symtab.push(sym.vis);
            symtab.extend_from_slice(&self.u16b(match sym.section {
                SymSection::Undef => SHN_UNDEF,
                SymSection::Abs => SHN_ABS,
                SymSection::Section(i) => index_of[i] as u16,
            }));
            symtab.extend_from_slice(&self.u64b(sym.value));
            symtab.extend_from_slice(&self.u64b(sym.size));
        }
        off += symtab.len() as u64;
        let strtab_off = off;
        off += strtab.data.len() as u64;
        hdrs[0] = Hdr {
            name: strtab_name,
            sh_type: SHT_STRTAB,
            flags: 0,
            offset: strtab_off,
            size: strtab.data.len() as u64,
            link: 0,
            info: 0,
            align: 1,
            entsize: 0,
        };
        hdrs.push(Hdr {
            name: symtab_name,
            sh_type: SHT_SYMTAB,
            flags: 0,
            offset: symtab_off,
            size: symtab.len() as u64,
            link: 1,
            info: first_global,
            align: 8,
            entsize: 24,
        });
        debug_assert_eq!(hdrs.len() as u32 + 1, symtab_index + 1);
        Layout { hdrs, symtab, strtab: strtab.data, shoff: align_up(off, 8) }
    }

    /// Serialise the object. Every section's contents must be in [`OutSection::data`] (none
    /// written by the caller: see [`ObjectWriter::write_to_with`]).
    pub fn write(&self) -> Vec<u8> {
        let l = self.layout();
        let mut v = Vec::with_capacity(l.shoff as usize + (l.hdrs.len() + 1) * 64);
        self.emit(&l, &mut v, &mut |i, _| Err(self.no_contents(i)))
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
        self.emit(&self.layout(), w, fill)
    }

    fn emit(
        &self,
        l: &Layout,
        w: &mut impl Write,
        fill: &mut dyn FnMut(usize, &mut dyn Write) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let be = self.big_endian;
        let shnum = l.hdrs.len() + 1;
        // ELF header.
        let mut h = Vec::with_capacity(64);
        h.extend_from_slice(&[0x7f, b'E', b'L', b'F', 2, if be { 2 } else { 1 }, 1, 0]);
        h.extend_from_slice(&[0; 8]);
        h.extend_from_slice(&self.u16b(ET_REL));
        h.extend_from_slice(&self.u16b(EM_BPF));
        h.extend_from_slice(&self.u32b(1));
        h.extend_from_slice(&self.u64b(0)); // entry
        h.extend_from_slice(&self.u64b(0)); // phoff
        h.extend_from_slice(&self.u64b(l.shoff));
        h.extend_from_slice(&self.u32b(0)); // flags
        h.extend_from_slice(&self.u16b(64));
        h.extend_from_slice(&self.u16b(0));
        h.extend_from_slice(&self.u16b(0));
        h.extend_from_slice(&self.u16b(64));
        h.extend_from_slice(&self.u16b(shnum as u16));
        h.extend_from_slice(&self.u16b(1)); // shstrndx: .strtab
        w.write_all(&h)?;
        let mut at = 64u64;
        let mut hdr = 1; // l.hdrs[0] is .strtab
        let mut rel = Vec::new();
        for (i, s) in self.sections.iter().enumerate() {
            let hd = &l.hdrs[hdr];
            hdr += 1;
            pad(w, hd.offset - at)?;
            at = hd.offset;
            if s.sh_type != SHT_NOBITS {
                match s.external_size {
                    Some(n) => {
                        let mut c = Counting { inner: w, n: 0 };
                        fill(i, &mut c)?;
                        if c.n != n {
                            return Err(std::io::Error::other(format!(
                                "section {}: {} bytes written, {n} announced",
                                s.name, c.n
                            )));
                        }
                    }
                    None => w.write_all(&s.data)?,
                }
                at += Self::file_size(s);
            }
            if !s.relocs.is_empty() {
                let hd = &l.hdrs[hdr];
                hdr += 1;
                pad(w, hd.offset - at)?;
                rel.clear();
                rel.reserve(s.relocs.len() * 16);
                for r in &s.relocs {
                    rel.extend_from_slice(&self.u64b(r.offset));
                    rel.extend_from_slice(&self.u64b(((r.sym as u64 + 1) << 32) | r.r_type as u64));
                }
                w.write_all(&rel)?;
                at = hd.offset + hd.size;
            }
        }
        let symtab_hdr = &l.hdrs[hdr];
        pad(w, symtab_hdr.offset - at)?;
        w.write_all(&l.symtab)?;
        w.write_all(&l.strtab)?;
        at = symtab_hdr.offset + l.symtab.len() as u64 + l.strtab.len() as u64;
        pad(w, l.shoff - at)?;
        let mut t = Vec::with_capacity(shnum * 64);
        for hd in std::iter::once(&Hdr::null()).chain(&l.hdrs) {
            t.extend_from_slice(&self.u32b(hd.name));
            t.extend_from_slice(&self.u32b(hd.sh_type));
            t.extend_from_slice(&self.u64b(hd.flags));
            t.extend_from_slice(&self.u64b(0));
            t.extend_from_slice(&self.u64b(hd.offset));
            t.extend_from_slice(&self.u64b(hd.size));
            t.extend_from_slice(&self.u32b(hd.link));
            t.extend_from_slice(&self.u32b(hd.info));
            t.extend_from_slice(&self.u64b(hd.align));
            t.extend_from_slice(&self.u64b(hd.entsize));
        }
        w.write_all(&t)
    }
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
}
