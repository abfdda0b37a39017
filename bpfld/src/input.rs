//! Reading one input object: sections, symbols, relocations, BTF and .BTF.ext, read by
//! `bpfobj::read` and copied out (only what is linked) so later passes can transform it.

use bpfobj::elf::*;

/// One relocation (offset, symbol index, type), as `bpfobj::read` gives it.
pub use bpfobj::read::Reloc as Rel;

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
    /// Not linked as data (see [`is_ignored`]); such sections keep no name either.
    pub ignored: bool,
}

impl Section {
    pub fn is_exec(&self) -> bool {
        self.flags & SHF_EXECINSTR != 0
    }
}

#[derive(Clone, Debug)]
pub struct Symbol {
    /// The name, in [`Object::names`] ([`Object::sym_name`]): one buffer an object, not one
    /// allocation a symbol.
    name_at: u32,
    name_len: u32,
    pub value: u64,
    pub size: u64,
    pub bind: u8,
    pub typ: u8,
    pub vis: u8,
    /// The index of the section it is defined in, [`UNDEF`], or a reserved index of ELF
    /// (`SHN_ABS`, `SHN_COMMON`) as [`RESERVED`]` | index` ([`ABS`]): a real index can be
    /// 0xff00 or more in an object with extended section numbering.
    pub shndx: u32,
}

/// [`Symbol::shndx`] of an undefined symbol.
pub const UNDEF: u32 = SHN_UNDEF as u32;
/// Where ELF's reserved section indices (0xff00 and up) are kept in [`Symbol::shndx`].
pub const RESERVED: u32 = 0xffff_0000;
/// [`Symbol::shndx`] of an absolute symbol.
pub const ABS: u32 = RESERVED | SHN_ABS as u32;

impl Symbol {
    /// The name, in its object's [`Object::names`].
    pub(crate) fn name_in<'n>(&self, names: &'n str) -> &'n str {
        names.get(self.name_at as usize..(self.name_at + self.name_len) as usize).unwrap_or("")
    }
    pub fn is_undef(&self) -> bool {
        self.shndx == UNDEF
    }
    /// Defined by a reserved index (absolute, common), not in a section.
    pub fn is_reserved(&self) -> bool {
        self.shndx >= RESERVED
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
    /// Indexed by ELF section index (index 0 is the null section), up to the last linked
    /// section: the sections after it (DWARF, BTF, tables) have no entry.
    pub sections: Vec<Section>,
    /// Indexed by ELF symbol index (0 is the null symbol).
    pub symbols: Vec<Symbol>,
    /// The symbols' names, one after the other.
    pub(crate) names: String,
    pub btf: Option<Vec<u8>>,
    pub btf_ext: Option<btf::ext::BtfExt>,
}

impl Object {
    /// The name of symbol `s` (one of [`Object::symbols`]).
    pub fn sym_name(&self, s: &Symbol) -> &str {
        s.name_in(&self.names)
    }

    pub fn section_by_name(&self, name: &str) -> Option<usize> {
        self.sections.iter().position(|s| s.name == name)
    }
    /// The function symbol (or any named symbol) covering `off` in section `sec`.
    pub fn func_at(&self, sec: usize, off: u64) -> Option<&Symbol> {
        self.symbols
            .iter()
            .filter(|s| s.shndx as usize == sec && s.typ == STT_FUNC && s.value <= off)
            .filter(|s| s.size == 0 || off < s.value.saturating_add(s.size))
            .max_by_key(|s| s.value)
    }
}

/// The largest section alignment accepted (the output pads to it; BPF sections need 8).
const MAX_ALIGN: u64 = 4096;

/// Parse an object. Errors are plain text (the caller names the file).
pub fn parse(name: &str, data: &[u8]) -> Result<Object, String> {
    let (mut o, btf) = parse_lent(name, data)?;
    o.btf = btf.map(|b| b.data().to_vec());
    Ok(o)
}

/// [`parse`], with the `.BTF` section left in `data` (parsed, not copied into
/// [`Object::btf`]): for a caller that merges it straight away.
pub fn parse_lent<'d>(name: &str, data: &'d [u8]) -> Result<(Object, Option<btf::Btf<'d>>), String> {
    let obj = bpfobj::read::Object::parse(data).map_err(|e| {
        if e.is_not_elf64() {
            "not an ELF64 object (only 64-bit BPF relocatable objects can be linked)".to_string()
        } else {
            e.0
        }
    })?;
    let all = obj.sections();
    // Entries only up to the last linked section: clang puts DWARF, BTF and the symbol table
    // after code and data, and nothing refers to them by index (saves most of the entries).
    let ignored_at: Vec<bool> = all.iter().map(|s| ignored_by_name(s.sh_type, s.raw_name, s.size)).collect();
    let last_linked = ignored_at.iter().rposition(|&ig| !ig);
    let nsec = all.len();
    let mut out = Vec::with_capacity(last_linked.map_or(1, |l| l + 1));
    for (i, s) in all.iter().enumerate() {
        if s.sh_type == 4 {
            let name = utf8_name(s.raw_name);
            return Err(format!("section {name}: RELA relocations are not used by BPF objects"));
        }
        let ignored = ignored_at[i];
        if ignored && last_linked.is_none_or(|l| i > l) && i > 0 {
            continue;
        }
        let align = s.align;
        if !ignored && (!align.is_power_of_two() || align > MAX_ALIGN) {
            let name = utf8_name(s.raw_name);
            return Err(format!(
                "section {name}: alignment {align} is not a power of two up to {MAX_ALIGN} (libbpf rejects it too)"
            ));
        }
        out.push(Section {
            // Names of sections that are not linked are never shown: not worth an allocation.
            name: if ignored { String::new() } else { utf8_name(s.raw_name) },
            sh_type: s.sh_type,
            flags: s.flags,
            align,
            entsize: s.entsize,
            size: s.size,
            // Only linked sections keep their bytes (DWARF, tables and BTF are not copied).
            data: if ignored { Vec::new() } else { s.data.to_vec() },
            relocs: Vec::new(),
            has_rel_section: false,
            ignored,
        });
    }
    let mut symbols = Vec::with_capacity(obj.symbol_count().max(1));
    let mut sym_names = String::new();
    // (At most the string table's size: one allocation.)
    sym_names.reserve_exact(obj.symbol_strings_len());
    for sym in obj.symbols() {
        let name_at = sym_names.len() as u32;
        match std::str::from_utf8(sym.raw_name) {
            Ok(n) => sym_names.push_str(n),
            Err(_) => sym_names.push_str(&String::from_utf8_lossy(sym.raw_name)),
        }
        let name = &sym_names[name_at as usize..];
        // (bpfobj::read has checked the indices, extended ones included.)
        let shndx = match sym.section() {
            Some(i) if i < nsec => i as u32,
            Some(i) => return Err(format!("symbol `{name}`: section index {i} out of range")),
            None if sym.is_undef() => UNDEF,
            None => RESERVED | sym.shndx,
        };
        if sym.bind != STB_LOCAL && sym.vis != STV_DEFAULT && sym.vis != STV_HIDDEN {
            return Err(format!("symbol `{name}`: only default and hidden visibility are supported"));
        }
        let name_len = name.len() as u32;
        symbols.push(Symbol {
            name_at,
            name_len,
            value: sym.value,
            size: sym.size,
            bind: sym.bind,
            typ: sym.typ,
            vis: sym.vis,
            shndx,
        });
    }
    if symbols.is_empty() {
        symbols.push(Symbol { name_at: 0, name_len: 0, value: 0, size: 0, bind: 0, typ: 0, vis: 0, shndx: 0 });
    }
    // Relocations of DWARF and BTF are not linked (those sections are not copied).
    for &(rel_idx, target) in obj.rel_sections() {
        // (`relocations` reads every `.rel` section of the target at once.)
        if out.get(target).is_none_or(|s| is_ignored(s) || s.has_rel_section) {
            continue;
        }
        let v = obj.relocations(target).map_err(|e| e.0)?;
        if let Some(r) = v.iter().find(|r| RelocType(r.r_type).name().is_none()) {
            return Err(format!("{}: unknown relocation type {}", utf8_name(all[rel_idx].raw_name), r.r_type));
        }
        out[target].relocs = v;
        out[target].has_rel_section = true;
    }
    let btf = match obj.btf() {
        Some(b) => Some(btf::Btf::parse(b).map_err(|err| format!(".BTF: {err:?}"))?),
        None => None,
    };
    let btf_ext = match obj.btf_ext() {
        Some(d) => Some(btf::ext::BtfExt::parse(d).map_err(|err| format!(".BTF.ext: {err:?}"))?),
        None => None,
    };
    let o = Object {
        name: name.to_string(),
        big_endian: obj.big_endian,
        sections: out,
        symbols,
        names: sym_names,
        btf: None,
        btf_ext,
    };
    Ok((o, btf))
}

/// A section or symbol name as text (names are ASCII in practice; others print lossily).
fn utf8_name(b: &[u8]) -> String {
    match std::str::from_utf8(b) {
        Ok(s) => s.to_owned(),
        Err(_) => String::from_utf8_lossy(b).into_owned(),
    }
}

/// Sections that are not linked as data: symbol/string tables, relocations, BTF, DWARF,
/// address-significance tables, and an empty `.text`.
pub fn is_ignored(s: &Section) -> bool {
    s.ignored
}

/// Whether a section of this type, name and size is left out of a link.
pub fn ignored_by_name(sh_type: u32, name: &[u8], size: u64) -> bool {
    matches!(sh_type, SHT_NULL | SHT_STRTAB | SHT_SYMTAB | SHT_REL | SHT_LLVM_ADDRSIG)
        || name == b".BTF"
        || name == b".BTF.ext"
        || name.starts_with(b".debug_")
        || (name == b".text" && size == 0)
        || !(sh_type == SHT_PROGBITS || sh_type == SHT_NOBITS)
}

/// Read the file at `path` into the start of `buf` (which keeps its allocation across calls)
/// and return its length, reading only what [`parse`] looks at: for an ELF64 object, every
/// section but DWARF (`.debug_*` and its `.rel.debug_*` relocations, most of a `-g` object's
/// bytes). The bytes of skipped sections are left as they were in `buf` (never looked at).
/// Anything else (archives, files whose section table does not fit, files under 64 KiB) is
/// read whole. Also returns the file's device and inode.
pub fn read_file(path: &str, buf: &mut Vec<u8>) -> std::io::Result<(usize, (u64, u64))> {
    use std::os::unix::fs::{FileExt, MetadataExt};
    let f = std::fs::File::open(path)?;
    let meta = f.metadata()?;
    let id = (meta.dev(), meta.ino());
    let len = meta.len() as usize;
    if buf.len() < len {
        buf.resize(len, 0);
    }
    let data = &mut buf[..len];
    let ranges = if len >= 64 << 10 {
        f.read_exact_at(&mut data[..64], 0)?;
        sparse_ranges(&f, data)?
    } else {
        None
    };
    match ranges {
        Some(r) => {
            for (start, end) in r {
                f.read_exact_at(&mut data[start..end], start as u64)?;
            }
        }
        None => f.read_exact_at(data, 0)?,
    }
    Ok((len, id))
}

/// The byte ranges of an ELF64 file worth reading (header, section table, sections other than
/// DWARF), merged where close; `None` to read it all. `data` holds the first 64 bytes and has
/// the file's length.
fn sparse_ranges(f: &std::fs::File, data: &mut [u8]) -> std::io::Result<Option<Vec<(usize, usize)>>> {
    use std::os::unix::fs::FileExt;
    let len = data.len();
    if &data[..4] != b"\x7fELF" || data[4] != 2 || !matches!(data[5], 1 | 2) {
        return Ok(None);
    }
    let big = data[5] == 2;
    let u16_at = |d: &[u8], o: usize| {
        let b = [d[o], d[o + 1]];
        if big {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        }
    };
    let u32_at = |d: &[u8], o: usize| {
        let b = [d[o], d[o + 1], d[o + 2], d[o + 3]];
        if big {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        }
    };
    let u64_at = |d: &[u8], o: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&d[o..o + 8]);
        if big {
            u64::from_be_bytes(b)
        } else {
            u64::from_le_bytes(b)
        }
    };
    let (shoff, shentsize, shnum, shstrndx) =
        (u64_at(data, 0x28), u16_at(data, 0x3a), u16_at(data, 0x3c) as usize, u16_at(data, 0x3e) as usize);
    let table_end = (shnum as u64).checked_mul(64).and_then(|n| n.checked_add(shoff));
    if shentsize != 64 || shnum == 0 || shstrndx >= shnum || table_end.is_none_or(|e| e > len as u64) || shoff < 64 {
        return Ok(None);
    }
    let (t0, t1) = (shoff as usize, table_end.unwrap_or(0) as usize);
    f.read_exact_at(&mut data[t0..t1], shoff)?;
    // (name offset, type, offset, size) of each section; sections out of bounds: read all.
    let mut secs = Vec::with_capacity(shnum);
    for i in 0..shnum {
        let h = t0 + i * 64;
        let (name, typ, off, size) =
            (u32_at(data, h), u32_at(data, h + 4), u64_at(data, h + 0x18), u64_at(data, h + 0x20));
        if typ != SHT_NOBITS && typ != SHT_NULL && off.checked_add(size).is_none_or(|e| e > len as u64) {
            return Ok(None);
        }
        secs.push((name as usize, typ, off as usize, size as usize));
    }
    let (_, _, so, ss) = secs[shstrndx];
    f.read_exact_at(&mut data[so..so + ss], so as u64)?;
    let names = &data[so..so + ss];
    let mut ranges = vec![(0, 64), (t0, t1), (so, so + ss)];
    for &(name, typ, off, size) in &secs {
        if typ == SHT_NOBITS || typ == SHT_NULL || size == 0 {
            continue;
        }
        let n = names.get(name..).unwrap_or(b"");
        if n.starts_with(b".debug_") || n.starts_with(b".rel.debug_") {
            continue;
        }
        ranges.push((off, off + size));
    }
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (s, e) in ranges {
        match merged.last_mut() {
            // Gaps under a page are read rather than skipped (one system call instead of two).
            Some(last) if s <= last.1 + 4096 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    Ok(Some(merged))
}
