//! Reading one input object: sections, symbols, relocations, BTF and .BTF.ext (object's raw
//! ELF layer; everything copied out so later passes can transform it).

use bpfobj::elf::*;
use object::read::elf::{FileHeader, Rel as _, SectionHeader, Sym as _};
use object::Endianness;

#[derive(Clone, Debug)]
pub struct Rel {
    pub offset: u64,
    pub sym: u32,
    pub r_type: u32,
}

#[derive(Clone, Debug)]
pub struct Section {
    pub name: String,
    pub sh_type: u32,
    pub flags: u64,
    pub align: u64,
    pub entsize: u64,
    /// Size (for NOBITS, `data` is empty).
    pub size: u64,
    /// The bytes of a linked section; empty for NOBITS and for sections [`is_ignored`] skips
    /// (DWARF, symbol and string tables, `.BTF`/`.BTF.ext`: see [`Object::btf`]).
    pub data: Vec<u8>,
    /// Relocations applying to this section (from its `.rel` section).
    pub relocs: Vec<Rel>,
    /// Name of the `.rel` section the relocations came from (for messages).
    pub has_rel_section: bool,
}

impl Section {
    pub fn is_exec(&self) -> bool {
        self.flags & SHF_EXECINSTR != 0
    }
}

#[derive(Clone, Debug)]
pub struct Symbol {
    pub name: String,
    pub value: u64,
    pub size: u64,
    pub bind: u8,
    pub typ: u8,
    pub vis: u8,
    pub shndx: u16,
}

impl Symbol {
    pub fn is_undef(&self) -> bool {
        self.shndx == SHN_UNDEF
    }
    pub fn is_local(&self) -> bool {
        self.bind == STB_LOCAL
    }
}

/// One input object file.
#[derive(Clone, Debug)]
pub struct Object {
    pub name: String,
    pub big_endian: bool,
    /// Indexed by ELF section index (index 0 is the null section).
    pub sections: Vec<Section>,
    /// Indexed by ELF symbol index (0 is the null symbol).
    pub symbols: Vec<Symbol>,
    pub btf: Option<Vec<u8>>,
    pub btf_ext: Option<btf::ext::BtfExt>,
}

impl Object {
    pub fn section_by_name(&self, name: &str) -> Option<usize> {
        self.sections.iter().position(|s| s.name == name)
    }
    /// The function symbol (or any named symbol) covering `off` in section `sec`.
    pub fn func_at(&self, sec: usize, off: u64) -> Option<&Symbol> {
        self.symbols
            .iter()
            .filter(|s| s.shndx as usize == sec && s.typ == STT_FUNC && s.value <= off)
            .filter(|s| s.size == 0 || off < s.value + s.size)
            .max_by_key(|s| s.value)
    }
}

/// Parse an object. Errors are plain text (the caller names the file).
pub fn parse(name: &str, data: &[u8]) -> Result<Object, String> {
    let hdr = object::elf::FileHeader64::<Endianness>::parse(data)
        .map_err(|_| "not an ELF64 object (only 64-bit BPF relocatable objects can be linked)".to_string())?;
    let e = hdr.endian().map_err(|_| "bad ELF byte order".to_string())?;
    if hdr.e_machine(e) != EM_BPF {
        return Err(format!("not a BPF object (e_machine {}, expected {EM_BPF} EM_BPF)", hdr.e_machine(e)));
    }
    if hdr.e_type(e) != ET_REL {
        return Err(format!("not a relocatable object (e_type {})", hdr.e_type(e)));
    }
    let sections = hdr.sections(e, data).map_err(|err| format!("bad section table: {err}"))?;
    let mut out = Vec::new();
    let mut rel_of: Vec<(usize, usize)> = Vec::new();
    let mut symtab_idx = None;
    let mut btf: Option<Vec<u8>> = None;
    let mut btf_ext_raw: Option<&[u8]> = None;
    for (i, s) in sections.iter().enumerate() {
        let name = String::from_utf8_lossy(sections.section_name(e, s).unwrap_or(b"")).into_owned();
        let sh_type = s.sh_type(e);
        let raw = if sh_type == SHT_NOBITS || sh_type == SHT_NULL {
            &[][..]
        } else {
            s.data(e, data).map_err(|_| format!("section {name}: data out of bounds"))?
        };
        if name == ".BTF" && btf.is_none() {
            btf = Some(raw.to_vec());
        } else if name == ".BTF.ext" && btf_ext_raw.is_none() {
            btf_ext_raw = Some(raw);
        }
        if sh_type == SHT_REL {
            rel_of.push((i, s.sh_info(e) as usize));
        }
        if sh_type == SHT_SYMTAB {
            symtab_idx = Some(i);
        }
        if sh_type == 4 {
            return Err(format!("section {name}: RELA relocations are not used by BPF objects"));
        }
        let mut sec = Section {
            name,
            sh_type,
            flags: s.sh_flags(e),
            align: s.sh_addralign(e).max(1),
            entsize: s.sh_entsize(e),
            size: s.sh_size(e),
            data: Vec::new(),
            relocs: Vec::new(),
            has_rel_section: false,
        };
        // Only linked sections keep their bytes (DWARF, tables and BTF are not copied).
        if !is_ignored(&sec) {
            sec.data = raw.to_vec();
        }
        out.push(sec);
    }
    let mut symbols = Vec::new();
    if symtab_idx.is_some() {
        let symtab = sections.symbols(e, data, SHT_SYMTAB).map_err(|err| format!("bad symbol table: {err}"))?;
        for sym in symtab.iter() {
            let name = String::from_utf8_lossy(symtab.symbol_name(e, sym).unwrap_or(b"")).into_owned();
            let shndx = sym.st_shndx(e);
            if shndx != SHN_UNDEF && shndx != SHN_ABS && shndx as usize >= out.len() && shndx < 0xff00 {
                return Err(format!("symbol `{name}`: section index {shndx} out of range"));
            }
            let vis = sym.st_other() & 3;
            if sym.st_bind() != STB_LOCAL && vis != STV_DEFAULT && vis != STV_HIDDEN {
                return Err(format!("symbol `{name}`: only default and hidden visibility are supported"));
            }
            symbols.push(Symbol {
                name,
                value: sym.st_value(e),
                size: sym.st_size(e),
                bind: sym.st_bind(),
                typ: sym.st_type(),
                vis,
                shndx,
            });
        }
    }
    if symbols.is_empty() {
        symbols.push(Symbol { name: String::new(), value: 0, size: 0, bind: 0, typ: 0, vis: 0, shndx: 0 });
    }
    for (rel_idx, target) in rel_of {
        let rname = out[rel_idx].name.clone();
        if target == 0 || target >= out.len() {
            return Err(format!("section {rname}: relocated section index {target} out of range"));
        }
        let s = sections.section(object::SectionIndex(rel_idx)).map_err(|e| e.to_string())?;
        let (rels, _) =
            s.rel(e, data).map_err(|err| format!("{rname}: {err}"))?.unwrap_or((&[], object::SectionIndex(0)));
        let tsize = out[target].size;
        let mut v = Vec::with_capacity(rels.len());
        for r in rels {
            let rel = Rel { offset: r.r_offset(e), sym: r.r_sym(e), r_type: r.r_type(e) };
            if rel.sym as usize >= symbols.len() {
                return Err(format!("{rname}: relocation refers to symbol #{} out of range", rel.sym));
            }
            let tname = &out[target].name;
            let skip = tname == ".BTF" || tname == ".BTF.ext" || tname.starts_with(".debug_");
            if !skip {
                if RelocType(rel.r_type).name().is_none() {
                    return Err(format!("{rname}: unknown relocation type {}", rel.r_type));
                }
                if rel.offset >= tsize {
                    return Err(format!("{rname}: relocation offset {:#x} beyond the section's end", rel.offset));
                }
            }
            v.push(rel);
        }
        out[target].relocs.extend(v);
        out[target].has_rel_section = true;
    }
    if let Some(b) = &btf {
        btf::Btf::parse(b).map_err(|err| format!(".BTF: {err:?}"))?;
    }
    let btf_ext = match btf_ext_raw {
        Some(d) => Some(btf::ext::BtfExt::parse(d).map_err(|err| format!(".BTF.ext: {err:?}"))?),
        None => None,
    };
    Ok(Object {
        name: name.to_string(),
        big_endian: matches!(e, Endianness::Big),
        sections: out,
        symbols,
        btf,
        btf_ext,
    })
}

/// Sections that are not linked as data: symbol/string tables, relocations, BTF, DWARF,
/// address-significance tables, and an empty `.text`.
pub fn is_ignored(s: &Section) -> bool {
    matches!(s.sh_type, SHT_NULL | SHT_STRTAB | SHT_SYMTAB | SHT_REL | SHT_LLVM_ADDRSIG)
        || s.name == ".BTF"
        || s.name == ".BTF.ext"
        || s.name.starts_with(".debug_")
        || (s.name == ".text" && s.size == 0)
        || !(s.sh_type == SHT_PROGBITS || s.sh_type == SHT_NOBITS)
}
