//! Semantic comparison of two BPF ELF relocatable objects.
//!
//! Two objects are compared by meaning, not by file layout (acceptance point 2 of issue 2):
//!
//! - **ELF header**: class, byte order, OS ABI, `e_type`, `e_machine`, `e_flags`.
//! - **Sections** are paired by name (the n-th section called `X` on the left with the n-th on
//!   the right). Each pair must have the same `sh_type`, `sh_flags`, `sh_addralign`,
//!   `sh_entsize` and the same bytes (for `SHT_NOBITS`: the same size). This includes `.BTF`,
//!   `.BTF.ext` and every `.debug_*` section.
//! - **`.debug_line`** may differ in its bytes if both decode (gimli) to the same line programs:
//!   same header values (version, address size, line base/range, opcode base, minimum
//!   instruction length, ...), same directories and files (as strings, whatever their form; with
//!   MD5), and the same rows. Its relocations are then compared without their offsets (which
//!   depend on the encoding), as a multiset of (type, symbol, implicit addend).
//! - **Not compared as sections**: `SHT_REL`/`SHT_RELA` (compared as relocations, below),
//!   `SHT_SYMTAB`, `SHT_SYMTAB_SHNDX` and `SHT_STRTAB` (`.symtab`, `.symtab_shndx`, `.strtab`,
//!   `.shstrtab`: their bytes depend on symbol order and string layout; the symbols, with their
//!   extended section indices, are compared below) and
//!   `SHT_LLVM_ADDRSIG` (`.llvm_addrsig`), whose content is a list of symbol-table indices: it is
//!   decoded and compared as the set (sorted list) of the symbols' names: the table is a set,
//!   its order carries no meaning.
//! - **Relocations**, per target section, as the sorted list of (offset, `r_type`, symbol), where
//!   a section symbol is named by its section's name. With `SHT_REL` the addend is implicit: it
//!   lives in the section bytes, which are compared anyway. With `SHT_RELA` the explicit addend
//!   is part of the tuple.
//! - **Symbols**: the non-local ones (binding not `STB_LOCAL`), by name: section (by name, or
//!   `UND`/`ABS`/`COMMON`), value, size, type, binding, visibility. Local symbols are not
//!   compared (they are names for offsets that relocations and DWARF already pin down).
//!
//! [`Mode::CodeAndData`] restricts all this to code and data sections (`SHF_ALLOC` sections of type
//! `SHT_PROGBITS` or `SHT_NOBITS`) and their relocations, without symbols, `.llvm_addrsig` or
//! debug sections: the comparison used against `clang -c` for files llvm-mc rejects.
//! [`Mode::CodeBytes`] compares only the bytes of the non-empty code sections
//! (`SHF_EXECINSTR`), not their attributes or relocations: the round-trip check of acceptance 3.

use std::collections::{BTreeMap, HashMap};
use std::fmt::{self, Write as _};
use std::path::Path;

use bpfobj::elf as k;
use object::elf;
use object::read::elf::{FileHeader, Rela as _, SectionHeader as _, Sym as _};
use object::{Endianness, SectionIndex};

/// `SHT_LLVM_ADDRSIG`: the address-significance table LLVM writes for `.addrsig`.
pub const SHT_LLVM_ADDRSIG: u32 = 0x6fff_4c03;

/// What to compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Everything (see the module documentation).
    Full,
    /// Code and data sections (`SHF_ALLOC`, `SHT_PROGBITS`/`SHT_NOBITS`) and their relocations.
    CodeAndData,
    /// Bytes of non-empty code sections (`SHF_EXECINSTR`) only.
    CodeBytes,
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Mode::Full => "full",
            Mode::CodeAndData => "code and data only",
            Mode::CodeBytes => "code bytes only",
        })
    }
}

/// The differences found between two objects; `Display` renders the report.
#[derive(Debug, Clone)]
pub struct Differences {
    pub left: String,
    pub right: String,
    pub mode: Mode,
    /// One finding each, possibly multi-line. Sections are named in each finding.
    pub items: Vec<Finding>,
}

/// One difference.
#[derive(Debug, Clone)]
pub struct Finding {
    /// What differs, as a short stable key: `header`, `section:<name>`, `relocs:<name>`,
    /// `symbols`, `parse`. Useful to group failures.
    pub kind: String,
    /// The readable report.
    pub text: String,
}

impl Differences {
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl fmt::Display for Differences {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "objects differ ({}), {} difference(s)\n  left:  {}\n  right: {}",
            self.mode,
            self.items.len(),
            self.left,
            self.right
        )?;
        const SHOWN: usize = 12;
        for item in self.items.iter().take(SHOWN) {
            let mut lines = item.text.lines();
            if let Some(first) = lines.next() {
                writeln!(f, "  - {first}")?;
            }
            for line in lines {
                writeln!(f, "    {line}")?;
            }
        }
        if self.items.len() > SHOWN {
            let rest: Vec<&str> = self.items[SHOWN..].iter().map(|i| i.kind.as_str()).collect();
            writeln!(f, "  ... and {} more: {}", rest.len(), rest.join(", "))?;
        }
        Ok(())
    }
}

/// Compares two object files. `Err` holds the report.
pub fn compare_files(left: &Path, right: &Path, mode: Mode) -> Result<(), Differences> {
    let read = |p: &Path| std::fs::read(p).map_err(|e| format!("cannot read {}: {e}", p.display()));
    let (l, r) = (read(left), read(right));
    let (l, r) = match (l, r) {
        (Ok(l), Ok(r)) => (l, r),
        (l, r) => {
            let items =
                [l.err(), r.err()].into_iter().flatten().map(|text| Finding { kind: "parse".into(), text }).collect();
            return Err(Differences {
                left: left.display().to_string(),
                right: right.display().to_string(),
                mode,
                items,
            });
        }
    };
    compare(&left.display().to_string(), &l, &right.display().to_string(), &r, mode)
}

/// Compares two objects given as bytes; the names are used in the report.
pub fn compare(left_name: &str, left: &[u8], right_name: &str, right: &[u8], mode: Mode) -> Result<(), Differences> {
    let mut d = Differences { left: left_name.to_string(), right: right_name.to_string(), mode, items: Vec::new() };
    match (Obj::parse(left), Obj::parse(right)) {
        (Ok(l), Ok(r)) => compare_objs(&l, &r, mode, &mut d.items),
        (l, r) => {
            for (side, res) in [("left", l.err()), ("right", r.err())] {
                if let Some(e) = res {
                    d.items
                        .push(Finding { kind: "parse".into(), text: format!("{side}: not a valid ELF64 object: {e}") });
                }
            }
        }
    }
    if d.is_empty() {
        Ok(())
    } else {
        Err(d)
    }
}

/// Differences in the named local symbols (`STB_LOCAL`, except section symbols): not part of
/// the acceptance comparison, which covers non-local symbols only, but loaders read some of them
/// (libbpf finds static subprograms through local `FUNC` symbols). Compared as a multiset of
/// (name, section, value, size, type, visibility). `None` when equal or when either does not parse.
pub fn local_symbol_differences(left: &[u8], right: &[u8]) -> Option<String> {
    let (l, r) = (Obj::parse(left).ok()?, Obj::parse(right).ok()?);
    let locals = |o: &Obj| -> Vec<String> {
        let mut v: Vec<String> = o
            .symbols
            .iter()
            .skip(1)
            .filter(|s| s.bind == k::STB_LOCAL && s.st_type != k::STT_SECTION)
            .map(show_sym)
            .collect();
        v.sort();
        v
    };
    let (lv, rv) = (locals(&l), locals(&r));
    (lv != rv).then(|| format!("local symbols differ ({} vs {}):\n{}", lv.len(), rv.len(), list_diff(&lv, &rv)))
}

/// The decoded `.debug_line` of an object as text lines (one per header item and row), as the
/// comparison sees it; `Ok(empty)` without `.debug_line`.
pub fn debug_line_dump(data: &[u8]) -> Result<Vec<String>, String> {
    let obj = Obj::parse(data)?;
    match obj.section_by_name(".debug_line") {
        Some(sec) => line_dump(&obj, sec.data),
        None => Ok(Vec::new()),
    }
}

// ---------------------------------------------------------------------------------------------
// Parsed form.

struct Sec<'a> {
    index: usize,
    name: String,
    sh_type: u32,
    flags: u64,
    align: u64,
    entsize: u64,
    size: u64,
    data: &'a [u8],
}

#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Debug)]
struct Reloc {
    offset: u64,
    r_type: u32,
    symbol: String,
    /// Explicit addend (`SHT_RELA` only).
    addend: Option<i64>,
}

#[derive(Clone, PartialEq, Eq, Debug)]
struct SymInfo {
    name: String,
    section: String,
    value: u64,
    size: u64,
    st_type: u8,
    bind: u8,
    vis: u8,
}

struct Obj<'a> {
    little: bool,
    os_abi: u8,
    e_type: u16,
    e_machine: u16,
    e_flags: u32,
    /// Sections other than REL/RELA/SYMTAB/STRTAB/NULL, in file order.
    sections: Vec<Sec<'a>>,
    /// Relocations by target section index.
    relocs: HashMap<usize, Vec<Reloc>>,
    /// All symbols by index (index 0 included).
    symbols: Vec<SymInfo>,
}

impl<'a> Obj<'a> {
    fn parse(data: &'a [u8]) -> Result<Obj<'a>, String> {
        let header = elf::FileHeader64::<Endianness>::parse(data).map_err(|e| e.to_string())?;
        let endian = header.endian().map_err(|e| e.to_string())?;
        let table = header.sections(endian, data).map_err(|e| e.to_string())?;
        let sec_name = |i: usize| -> String {
            table
                .section(SectionIndex(i))
                .and_then(|s| table.section_name(endian, s))
                .map(|n| String::from_utf8_lossy(n).into_owned())
                .unwrap_or_else(|_| format!("<section #{i}>"))
        };

        // Symbols.
        let symtab = table.symbols(endian, data, elf::SectionType(k::SHT_SYMTAB)).map_err(|e| e.to_string())?;
        let mut symbols = Vec::with_capacity(symtab.len());
        for (i, sym) in symtab.enumerate() {
            let st_type = sym.st_type().0;
            let shndx = sym.st_shndx(endian).0;
            let section = match shndx {
                k::SHN_UNDEF => "UND".to_string(),
                k::SHN_ABS => "ABS".to_string(),
                k::SHN_COMMON => "COMMON".to_string(),
                _ => match symtab.symbol_section(endian, sym, i) {
                    Ok(Some(idx)) => sec_name(idx.0),
                    _ => format!("<shndx {shndx:#x}>"),
                },
            };
            let name = if st_type == k::STT_SECTION {
                section.clone()
            } else {
                symtab
                    .symbol_name(endian, sym)
                    .map(|n| String::from_utf8_lossy(n).into_owned())
                    .unwrap_or_else(|_| format!("<symbol #{}>", i.0))
            };
            symbols.push(SymInfo {
                name,
                section,
                value: sym.st_value(endian),
                size: sym.st_size(endian),
                st_type,
                bind: sym.st_bind().0,
                vis: sym.st_visibility().0,
            });
        }
        let sym_name = |i: u32| -> String {
            if i == 0 {
                "<no symbol>".to_string()
            } else {
                symbols.get(i as usize).map(|s| s.name.clone()).unwrap_or_else(|| format!("<bad symbol #{i}>"))
            }
        };

        let mut sections = Vec::new();
        let mut relocs: HashMap<usize, Vec<Reloc>> = HashMap::new();
        for (idx, sh) in table.enumerate() {
            let sh_type = sh.sh_type(endian).0;
            let name = sec_name(idx.0);
            match sh_type {
                k::SHT_NULL | k::SHT_SYMTAB | k::SHT_SYMTAB_SHNDX | k::SHT_STRTAB => {}
                k::SHT_REL => {
                    let (rels, _) =
                        sh.rel(endian, data).map_err(|e| format!("{name}: {e}"))?.unwrap_or((&[], SectionIndex(0)));
                    let list = relocs.entry(sh.sh_info(endian) as usize).or_default();
                    for r in rels {
                        list.push(Reloc {
                            offset: r.r_offset.get(endian),
                            r_type: r.r_type(endian).0,
                            symbol: sym_name(r.r_sym(endian)),
                            addend: None,
                        });
                    }
                }
                k::SHT_RELA => {
                    let (relas, _) =
                        sh.rela(endian, data).map_err(|e| format!("{name}: {e}"))?.unwrap_or((&[], SectionIndex(0)));
                    let list = relocs.entry(sh.sh_info(endian) as usize).or_default();
                    for r in relas {
                        list.push(Reloc {
                            offset: r.r_offset(endian),
                            r_type: r.r_type(endian, false).0,
                            symbol: sym_name(r.r_sym(endian, false)),
                            addend: Some(r.r_addend(endian)),
                        });
                    }
                }
                _ => {
                    let data = if sh_type == k::SHT_NOBITS {
                        &[][..]
                    } else {
                        sh.data(endian, data).map_err(|e| format!("{name}: {e}"))?
                    };
                    sections.push(Sec {
                        index: idx.0,
                        name,
                        sh_type,
                        flags: sh.sh_flags(endian).0,
                        align: sh.sh_addralign(endian),
                        entsize: sh.sh_entsize(endian),
                        size: sh.sh_size(endian),
                        data,
                    });
                }
            }
        }
        for list in relocs.values_mut() {
            list.sort();
        }
        Ok(Obj {
            little: endian == Endianness::Little,
            os_abi: header.e_ident().os_abi.0,
            e_type: header.e_type(endian).0,
            e_machine: header.e_machine(endian).0,
            e_flags: header.e_flags(endian).0,
            sections,
            relocs,
            symbols,
        })
    }

    fn section_by_name(&self, name: &str) -> Option<&Sec<'a>> {
        self.sections.iter().find(|s| s.name == name)
    }

    fn relocs_of(&self, sec: &Sec) -> &[Reloc] {
        self.relocs.get(&sec.index).map(Vec::as_slice).unwrap_or(&[])
    }

    fn sym_by_index(&self, i: u64) -> String {
        self.symbols.get(i as usize).map(|s| s.name.clone()).unwrap_or_else(|| format!("<bad symbol #{i}>"))
    }
}

fn in_scope(s: &Sec, mode: Mode) -> bool {
    match mode {
        Mode::Full => true,
        Mode::CodeAndData => {
            s.flags & k::SHF_ALLOC != 0 && (s.sh_type == k::SHT_PROGBITS || s.sh_type == k::SHT_NOBITS)
        }
        Mode::CodeBytes => s.flags & k::SHF_EXECINSTR != 0 && s.size > 0,
    }
}

// ---------------------------------------------------------------------------------------------
// Comparison.

fn compare_objs(l: &Obj, r: &Obj, mode: Mode, out: &mut Vec<Finding>) {
    let mut header = Vec::new();
    let bo = |little: bool| if little { "little endian" } else { "big endian" };
    if l.little != r.little {
        header.push(format!("byte order: {} vs {}", bo(l.little), bo(r.little)));
    }
    if l.os_abi != r.os_abi {
        header.push(format!("EI_OSABI: {} vs {}", l.os_abi, r.os_abi));
    }
    if l.e_type != r.e_type {
        header.push(format!("e_type: {} vs {}", l.e_type, r.e_type));
    }
    if l.e_machine != r.e_machine {
        header.push(format!("e_machine: {} vs {}", l.e_machine, r.e_machine));
    }
    if l.e_flags != r.e_flags {
        header.push(format!("e_flags: {:#x} vs {:#x}", l.e_flags, r.e_flags));
    }
    if !header.is_empty() {
        out.push(Finding { kind: "header".into(), text: format!("ELF header differs: {}", header.join("; ")) });
    }

    // Pair sections by (name, occurrence).
    let keyed = |o: &'_ Obj<'_>| -> Vec<(String, usize)> {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        o.sections
            .iter()
            .map(|s| {
                let n = seen.entry(&s.name).or_default();
                *n += 1;
                (s.name.clone(), *n - 1)
            })
            .collect()
    };
    let lkeys = keyed(l);
    let rkeys = keyed(r);
    let rmap: HashMap<&(String, usize), usize> = rkeys.iter().enumerate().map(|(i, k)| (k, i)).collect();
    let lmap: HashMap<&(String, usize), usize> = lkeys.iter().enumerate().map(|(i, k)| (k, i)).collect();

    for (li, key) in lkeys.iter().enumerate() {
        let ls = &l.sections[li];
        match rmap.get(key) {
            Some(&ri) => {
                let rs = &r.sections[ri];
                if in_scope(ls, mode) || in_scope(rs, mode) {
                    compare_section(l, ls, r, rs, mode, out);
                }
            }
            None if in_scope(ls, mode) => out.push(Finding {
                kind: format!("section:{}", ls.name),
                text: format!(
                    "section {} only in left ({}, {} bytes, {} relocations)",
                    ls.name,
                    describe_type(ls.sh_type),
                    ls.size,
                    l.relocs_of(ls).len()
                ),
            }),
            None => {}
        }
    }
    for (ri, key) in rkeys.iter().enumerate() {
        let rs = &r.sections[ri];
        if !lmap.contains_key(key) && in_scope(rs, mode) {
            out.push(Finding {
                kind: format!("section:{}", rs.name),
                text: format!(
                    "section {} only in right ({}, {} bytes, {} relocations)",
                    rs.name,
                    describe_type(rs.sh_type),
                    rs.size,
                    r.relocs_of(rs).len()
                ),
            });
        }
    }

    if mode == Mode::Full {
        compare_symbols(l, r, out);
    }
}

fn compare_section(l: &Obj, ls: &Sec, r: &Obj, rs: &Sec, mode: Mode, out: &mut Vec<Finding>) {
    let name = &ls.name;
    let mut attrs = Vec::new();
    if mode == Mode::CodeBytes {
        if ls.data != rs.data {
            out.push(Finding { kind: format!("section:{name}"), text: byte_diff(l, ls, r, rs) });
        }
        return;
    }
    if ls.sh_type != rs.sh_type {
        attrs.push(format!("sh_type {} vs {}", describe_type(ls.sh_type), describe_type(rs.sh_type)));
    }
    if ls.flags != rs.flags {
        attrs.push(format!(
            "sh_flags {:#x} ({}) vs {:#x} ({})",
            ls.flags,
            describe_flags(ls.flags),
            rs.flags,
            describe_flags(rs.flags)
        ));
    }
    if ls.align != rs.align {
        attrs.push(format!("sh_addralign {} vs {}", ls.align, rs.align));
    }
    if ls.entsize != rs.entsize {
        attrs.push(format!("sh_entsize {} vs {}", ls.entsize, rs.entsize));
    }
    if !attrs.is_empty() {
        out.push(Finding {
            kind: format!("section:{name}"),
            text: format!("section {name}: attributes differ: {}", attrs.join("; ")),
        });
    }

    let mut line_rows_equal = false;
    if ls.sh_type == k::SHT_NOBITS || rs.sh_type == k::SHT_NOBITS {
        if ls.size != rs.size {
            out.push(Finding {
                kind: format!("section:{name}"),
                text: format!("section {name}: size {} vs {}", ls.size, rs.size),
            });
        }
    } else if ls.sh_type == SHT_LLVM_ADDRSIG && rs.sh_type == SHT_LLVM_ADDRSIG {
        // A set: the order of the entries carries no meaning.
        let (mut ln, mut rn) = (addrsig_names(l, ls), addrsig_names(r, rs));
        ln.sort();
        rn.sort();
        if ln != rn {
            out.push(Finding {
                kind: format!("section:{name}"),
                text: format!("section {name}: address-significant symbols differ\n{}", list_diff(&ln, &rn)),
            });
        }
    } else if ls.data != rs.data {
        if name == ".debug_line" && mode == Mode::Full {
            match (line_dump(l, ls.data), line_dump(r, rs.data)) {
                (Ok(ld), Ok(rd)) if ld == rd => line_rows_equal = true,
                (ld, rd) => {
                    let detail = match (ld, rd) {
                        (Ok(ld), Ok(rd)) => {
                            format!("decoded line programs differ:\n{}", first_line_difference(&ld, &rd))
                        }
                        (ld, rd) => format!(
                            "cannot decode: left {}, right {}",
                            ld.err().unwrap_or_else(|| "ok".into()),
                            rd.err().unwrap_or_else(|| "ok".into())
                        ),
                    };
                    out.push(Finding {
                        kind: format!("section:{name}"),
                        text: format!("{}\n{detail}", byte_diff(l, ls, r, rs)),
                    });
                }
            }
        } else {
            out.push(Finding { kind: format!("section:{name}"), text: byte_diff(l, ls, r, rs) });
        }
    }

    let (lr, rr) = (l.relocs_of(ls), r.relocs_of(rs));
    if line_rows_equal {
        // Offsets depend on the encoding: compare (type, symbol, implicit addend) as a multiset.
        let key = |o: &Obj, s: &Sec, rel: &Reloc| {
            let addend = implicit_addend(s.data, rel.offset, rel.r_type, o.little)
                .map(|a| format!("{a:#x}"))
                .unwrap_or_else(|| "?".into());
            format!(
                "{} {}{} (addend {addend})",
                reloc_type_name(rel.r_type),
                rel.symbol,
                rel.addend.map(|a| format!(" {a:+}")).unwrap_or_default()
            )
        };
        let mut lk: Vec<String> = lr.iter().map(|x| key(l, ls, x)).collect();
        let mut rk: Vec<String> = rr.iter().map(|x| key(r, rs, x)).collect();
        lk.sort();
        rk.sort();
        if lk != rk {
            out.push(Finding {
                kind: format!("relocs:{name}"),
                text: format!(
                    "relocations of {name} differ (compared without offsets since the \
                     .debug_line encodings differ; {} vs {}):\n{}",
                    lk.len(),
                    rk.len(),
                    list_diff(&lk, &rk)
                ),
            });
        }
    } else if lr != rr {
        let show = |x: &Reloc| {
            format!(
                "{:#06x} {} {}{}",
                x.offset,
                reloc_type_name(x.r_type),
                x.symbol,
                x.addend.map(|a| format!(" {a:+}")).unwrap_or_default()
            )
        };
        let lk: Vec<String> = lr.iter().map(show).collect();
        let rk: Vec<String> = rr.iter().map(show).collect();
        out.push(Finding {
            kind: format!("relocs:{name}"),
            text: format!("relocations of {name} differ ({} vs {}):\n{}", lr.len(), rr.len(), list_diff(&lk, &rk)),
        });
    }
}

fn compare_symbols(l: &Obj, r: &Obj, out: &mut Vec<Finding>) {
    let global = |o: &Obj| -> BTreeMap<String, Vec<SymInfo>> {
        let mut m: BTreeMap<String, Vec<SymInfo>> = BTreeMap::new();
        for s in o.symbols.iter().skip(1).filter(|s| s.bind != k::STB_LOCAL) {
            m.entry(s.name.clone()).or_default().push(s.clone());
        }
        m
    };
    let (lg, rg) = (global(l), global(r));
    let mut lines = Vec::new();
    for (name, ls) in &lg {
        match rg.get(name) {
            None => lines.extend(ls.iter().map(|s| format!("only in left:  {}", show_sym(s)))),
            Some(rs) if rs != ls => {
                for s in ls {
                    lines.push(format!("left:  {}", show_sym(s)));
                }
                for s in rs {
                    lines.push(format!("right: {}", show_sym(s)));
                }
            }
            Some(_) => {}
        }
    }
    for (name, rs) in &rg {
        if !lg.contains_key(name) {
            lines.extend(rs.iter().map(|s| format!("only in right: {}", show_sym(s))));
        }
    }
    if !lines.is_empty() {
        let n = lines.len();
        if n > 24 {
            lines.truncate(24);
            lines.push(format!("... and {} more", n - 24));
        }
        out.push(Finding { kind: "symbols".into(), text: format!("non-local symbols differ:\n{}", lines.join("\n")) });
    }
}

fn show_sym(s: &SymInfo) -> String {
    let ty = match s.st_type {
        k::STT_NOTYPE => "NOTYPE".to_string(),
        k::STT_OBJECT => "OBJECT".to_string(),
        k::STT_FUNC => "FUNC".to_string(),
        k::STT_SECTION => "SECTION".to_string(),
        k::STT_FILE => "FILE".to_string(),
        t => format!("type {t}"),
    };
    let bind = match s.bind {
        k::STB_LOCAL => "LOCAL".to_string(),
        k::STB_GLOBAL => "GLOBAL".to_string(),
        k::STB_WEAK => "WEAK".to_string(),
        b => format!("bind {b}"),
    };
    let vis = match s.vis {
        k::STV_DEFAULT => "DEFAULT",
        k::STV_INTERNAL => "INTERNAL",
        k::STV_HIDDEN => "HIDDEN",
        _ => "PROTECTED",
    };
    format!("{} in {} value {:#x} size {} {ty} {bind} {vis}", s.name, s.section, s.value, s.size)
}

fn addrsig_names(o: &Obj, s: &Sec) -> Vec<String> {
    let mut names = Vec::new();
    let mut data = s.data;
    while !data.is_empty() {
        match read_uleb(&mut data) {
            Some(i) => names.push(o.sym_by_index(i)),
            None => {
                names.push("<truncated ULEB128>".into());
                break;
            }
        }
    }
    names
}

fn read_uleb(data: &mut &[u8]) -> Option<u64> {
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let (&b, rest) = data.split_first()?;
        *data = rest;
        if shift < 64 {
            v |= u64::from(b & 0x7f) << shift;
        }
        shift += 7;
        if b & 0x80 == 0 {
            return Some(v);
        }
    }
}

/// The implicit addend of a REL relocation, read from the section bytes.
fn implicit_addend(data: &[u8], offset: u64, r_type: u32, little: bool) -> Option<i64> {
    let (at, size) = match r_type {
        // R_BPF_64_64 and R_BPF_64_32: the imm field of the instruction.
        1 | 10 => (offset + 4, 4),
        2 => (offset, 8),
        3 | 4 => (offset, 4),
        _ => return None,
    };
    let at = usize::try_from(at).ok()?;
    let bytes = data.get(at..at + size)?;
    let mut buf = [0u8; 8];
    if little {
        buf[..size].copy_from_slice(bytes);
        Some(i64::from_le_bytes(buf))
    } else {
        buf[8 - size..].copy_from_slice(bytes);
        Some(i64::from_be_bytes(buf))
    }
}

// ---------------------------------------------------------------------------------------------
// Reports.

fn byte_diff(l: &Obj, ls: &Sec, r: &Obj, rs: &Sec) -> String {
    let (a, b) = (ls.data, rs.data);
    let common = a.len().min(b.len());
    let first = (0..common).find(|&i| a[i] != b[i]).unwrap_or(common);
    let mut differing = 0usize;
    let mut runs = 0usize;
    let mut in_run = false;
    for i in 0..common {
        if a[i] != b[i] {
            differing += 1;
            if !in_run {
                runs += 1;
            }
            in_run = true;
        } else {
            in_run = false;
        }
    }
    let mut s = String::new();
    let _ = write!(
        s,
        "section {}: contents differ: {} vs {} bytes; first difference at offset {first:#x}",
        ls.name,
        a.len(),
        b.len()
    );
    if common > 0 {
        let _ = write!(s, "; {differing} of the first {common} bytes differ, in {runs} run(s)");
    }
    if a.len() != b.len() && first == common {
        let _ = write!(s, "; the {} is a prefix of the other", if a.len() < b.len() { "left" } else { "right" });
    }
    s.push('\n');
    if ls.flags & k::SHF_EXECINSTR != 0 {
        let insn = first / 8 * 8;
        let get = |d: &[u8], little: bool| match d.get(insn..(insn + 8).min(d.len())) {
            Some(i) if !i.is_empty() => format!("{}  ({})", hex(i), insn_fields(i, little)),
            _ => "<none>".into(),
        };
        let _ = writeln!(
            s,
            "instruction #{} (offset {insn:#x}):\n  left  {}\n  right {}",
            insn / 8,
            get(a, l.little),
            get(b, r.little)
        );
    }
    if let Some(hint) = btf_hint(&ls.name, a, first, l.little) {
        let _ = writeln!(s, "{hint}");
    }
    for (side, o, sec) in [("left", l, ls), ("right", r, rs)] {
        for rel in o.relocs_of(sec) {
            let end = rel.offset + 8;
            if rel.offset <= first as u64 && (first as u64) < end {
                let _ = writeln!(
                    s,
                    "{side} has relocation {} against {} at {:#x} (implicit addend is in these bytes)",
                    reloc_type_name(rel.r_type),
                    rel.symbol,
                    rel.offset
                );
            }
        }
    }
    // Hex context: two lines before, three after.
    let start = (first / 16).saturating_sub(2) * 16;
    let end = ((first / 16 + 4) * 16).min(a.len().max(b.len()));
    let mut off = start;
    while off < end {
        let row = |d: &[u8]| -> String {
            (off..off + 16)
                .map(|i| {
                    let sep = if i % 16 == 8 { "  " } else { " " };
                    match d.get(i) {
                        Some(v) => format!("{sep}{v:02x}"),
                        None => format!("{sep}  "),
                    }
                })
                .collect()
        };
        let marks: String = (off..off + 16)
            .map(|i| {
                let sep = if i % 16 == 8 { "  " } else { " " };
                if a.get(i) != b.get(i) {
                    format!("{sep}^^")
                } else {
                    format!("{sep}  ")
                }
            })
            .collect();
        let _ = writeln!(s, "{off:#010x}  L{}", row(a));
        let _ = writeln!(s, "            R{}", row(b));
        if marks.contains('^') {
            let _ = writeln!(s, "             {}", marks.trim_end());
        }
        off += 16;
    }
    s.trim_end().to_string()
}

/// The fields of one BPF instruction, for reports (not a disassembler).
fn insn_fields(i: &[u8], little: bool) -> String {
    if i.len() < 8 {
        return "truncated".into();
    }
    let class = ["ld", "ldx", "st", "stx", "alu", "jmp", "jmp32", "alu64"][usize::from(i[0] & 7)];
    let (dst, src) = if little { (i[1] & 0xf, i[1] >> 4) } else { (i[1] >> 4, i[1] & 0xf) };
    let (off, imm) = if little {
        (i16::from_le_bytes([i[2], i[3]]), i32::from_le_bytes([i[4], i[5], i[6], i[7]]))
    } else {
        (i16::from_be_bytes([i[2], i[3]]), i32::from_be_bytes([i[4], i[5], i[6], i[7]]))
    };
    format!("opcode {:#04x} class {class} dst r{dst} src r{src} off {off} imm {imm}", i[0])
}

/// Says which part of a `.BTF`/`.BTF.ext` section an offset falls in.
fn btf_hint(name: &str, d: &[u8], off: usize, little: bool) -> Option<String> {
    if name != ".BTF" && name != ".BTF.ext" {
        return None;
    }
    let u32_at = |at: usize| -> Option<usize> {
        let b: [u8; 4] = d.get(at..at + 4)?.try_into().ok()?;
        Some(if little { u32::from_le_bytes(b) } else { u32::from_be_bytes(b) } as usize)
    };
    let hdr_len = u32_at(4)?;
    if off < hdr_len {
        return Some(format!("(in the {name} header)"));
    }
    let rel = off - hdr_len;
    let parts: &[(&str, usize)] = match name {
        ".BTF" => &[("type", 8), ("string", 16)],
        ".BTF.ext" if hdr_len >= 32 => &[("func_info", 8), ("line_info", 16), ("core_relo", 24)],
        ".BTF.ext" => &[("func_info", 8), ("line_info", 16)],
        _ => return None,
    };
    for (part, at) in parts {
        let (start, len) = (u32_at(*at)?, u32_at(at + 4)?);
        if (start..start + len).contains(&rel) {
            return Some(format!("(in the {name} {part} section, at +{:#x} of it)", rel - start));
        }
    }
    None
}

fn hex(d: &[u8]) -> String {
    d.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" ")
}

/// Lines only in left / only in right (multiset difference, order kept), capped.
fn list_diff(l: &[String], r: &[String]) -> String {
    fn count(v: &[String]) -> HashMap<&str, isize> {
        let mut m: HashMap<&str, isize> = HashMap::new();
        for x in v {
            *m.entry(x).or_default() += 1;
        }
        m
    }
    let (mut lc, mut rc) = (count(l), count(r));
    let mut only_l = Vec::new();
    for x in l {
        let c = rc.entry(x).or_default();
        if *c > 0 {
            *c -= 1;
        } else {
            only_l.push(x.as_str());
        }
    }
    let mut only_r = Vec::new();
    for x in r {
        let c = lc.entry(x).or_default();
        if *c > 0 {
            *c -= 1;
        } else {
            only_r.push(x.as_str());
        }
    }
    let mut s = String::new();
    const CAP: usize = 12;
    for (side, v) in [("only in left: ", &only_l), ("only in right:", &only_r)] {
        for x in v.iter().take(CAP) {
            let _ = writeln!(s, "{side} {x}");
        }
        if v.len() > CAP {
            let _ = writeln!(s, "{side} ... and {} more", v.len() - CAP);
        }
    }
    if only_l.is_empty() && only_r.is_empty() {
        s.push_str("same entries, different order");
    }
    s.trim_end().to_string()
}

/// The first differing line of two dumps, with context.
fn first_line_difference(l: &[String], r: &[String]) -> String {
    let i = l.iter().zip(r).position(|(a, b)| a != b).unwrap_or(l.len().min(r.len()));
    let mut s = format!("first difference at line {} of the dumps ({} vs {} lines)\n", i + 1, l.len(), r.len());
    for line in &l[i.saturating_sub(3)..i] {
        let _ = writeln!(s, "    {line}");
    }
    for line in l.iter().skip(i).take(3) {
        let _ = writeln!(s, "  L {line}");
    }
    for line in r.iter().skip(i).take(3) {
        let _ = writeln!(s, "  R {line}");
    }
    s.trim_end().to_string()
}

/// Decodes every line program of a `.debug_line` section into comparable lines of text.
fn line_dump(o: &Obj, data: &[u8]) -> Result<Vec<String>, String> {
    use gimli::{AttributeValue, ColumnType, DebugLine, DebugLineOffset, EndianSlice, RunTimeEndian};
    let endian = if o.little { RunTimeEndian::Little } else { RunTimeEndian::Big };
    let sec = |n: &str| o.section_by_name(n).map(|s| s.data).unwrap_or(&[]);
    let (line_str, str_) = (sec(".debug_line_str"), sec(".debug_str"));
    let cstr = |d: &[u8], off: usize| -> String {
        let d = d.get(off..).unwrap_or(&[]);
        let end = d.iter().position(|&b| b == 0).unwrap_or(d.len());
        String::from_utf8_lossy(&d[..end]).into_owned()
    };
    let attr = |v: &AttributeValue<EndianSlice<RunTimeEndian>>| -> String {
        match v {
            AttributeValue::String(s) => String::from_utf8_lossy(s.slice()).into_owned(),
            AttributeValue::DebugLineStrRef(off) => cstr(line_str, off.0),
            AttributeValue::DebugStrRef(off) => cstr(str_, off.0),
            other => format!("{other:?}"),
        }
    };
    let debug_line = DebugLine::new(data, endian);
    let mut out = Vec::new();
    let mut offset = 0usize;
    while offset < data.len() {
        let program = debug_line
            .program(DebugLineOffset(offset), 8, None, None)
            .map_err(|e| format!("line program at {offset:#x}: {e}"))?;
        let h = program.header();
        let total = h.unit_length() + h.format().initial_length_size() as usize;
        out.push(format!(
            "program #{}: version {} address_size {} min_inst_length {} max_ops {} \
             default_is_stmt {} line_base {} line_range {} opcode_base {} std_opcode_lengths {:?}",
            out.len(),
            h.version(),
            h.address_size(),
            h.minimum_instruction_length(),
            h.maximum_operations_per_instruction(),
            h.default_is_stmt(),
            h.line_base(),
            h.line_range(),
            h.opcode_base(),
            h.standard_opcode_lengths().slice()
        ));
        for (i, d) in h.include_directories().iter().enumerate() {
            out.push(format!("  dir[{i}] {}", attr(d)));
        }
        for (i, f) in h.file_names().iter().enumerate() {
            out.push(format!(
                "  file[{i}] {} dir {} time {} size {} md5 {}",
                attr(&f.path_name()),
                f.directory_index(),
                f.timestamp(),
                f.size(),
                if h.file_has_md5() { hex(f.md5()).replace(' ', "") } else { "-".into() }
            ));
        }
        let mut rows = program.rows();
        while let Some((_, row)) = rows.next_row().map_err(|e| format!("line program at {offset:#x}: {e}"))? {
            let col = match row.column() {
                ColumnType::LeftEdge => 0,
                ColumnType::Column(c) => c.get(),
            };
            let mut flags = String::new();
            for (set, name) in [
                (row.is_stmt(), " stmt"),
                (row.basic_block(), " bb"),
                (row.prologue_end(), " prologue_end"),
                (row.epilogue_begin(), " epilogue_begin"),
                (row.end_sequence(), " end_sequence"),
            ] {
                if set {
                    flags.push_str(name);
                }
            }
            out.push(format!(
                "  row addr {:#x} op {} file {} line {} col {col} isa {} discr {}{flags}",
                row.address(),
                row.op_index(),
                row.file_index(),
                row.line().map_or(0, |l| l.get()),
                row.isa(),
                row.discriminator()
            ));
        }
        if total == 0 {
            break;
        }
        offset += total;
    }
    Ok(out)
}

pub fn reloc_type_name(t: u32) -> String {
    match t {
        0 => "R_BPF_NONE".into(),
        1 => "R_BPF_64_64".into(),
        2 => "R_BPF_64_ABS64".into(),
        3 => "R_BPF_64_ABS32".into(),
        4 => "R_BPF_64_NODYLD32".into(),
        10 => "R_BPF_64_32".into(),
        t => format!("r_type {t}"),
    }
}

fn describe_type(t: u32) -> String {
    match t {
        k::SHT_PROGBITS => "PROGBITS".into(),
        k::SHT_NOBITS => "NOBITS".into(),
        k::SHT_NOTE => "NOTE".into(),
        k::SHT_GROUP => "GROUP".into(),
        SHT_LLVM_ADDRSIG => "LLVM_ADDRSIG".into(),
        t => format!("type {t:#x}"),
    }
}

fn describe_flags(f: u64) -> String {
    let mut s = String::new();
    for (bit, c) in [
        (k::SHF_WRITE, 'W'),
        (k::SHF_ALLOC, 'A'),
        (k::SHF_EXECINSTR, 'X'),
        (k::SHF_MERGE, 'M'),
        (k::SHF_STRINGS, 'S'),
        (k::SHF_INFO_LINK, 'I'),
        (k::SHF_GROUP, 'G'),
        (k::SHF_TLS, 'T'),
        (k::SHF_EXCLUDE, 'E'),
    ] {
        if f & bit != 0 {
            s.push(c);
        }
    }
    if s.is_empty() {
        s.push('-');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uleb() {
        let mut d: &[u8] = &[0xe5, 0x8e, 0x26, 0x01];
        assert_eq!(read_uleb(&mut d), Some(624_485));
        assert_eq!(read_uleb(&mut d), Some(1));
        assert_eq!(read_uleb(&mut d), None);
    }

    #[test]
    fn list_diff_reports_both_sides() {
        let l = vec!["a".to_string(), "b".to_string(), "b".to_string()];
        let r = vec!["b".to_string(), "c".to_string()];
        let s = list_diff(&l, &r);
        assert!(s.contains("only in left:  a"), "{s}");
        assert!(s.contains("only in left:  b"), "{s}");
        assert!(s.contains("only in right: c"), "{s}");
    }

    use object::write::{Object, Relocation, Symbol, SymbolSection};
    use object::{Architecture, BinaryFormat, RelocationFlags, SectionKind, SymbolFlags, SymbolKind, SymbolScope};

    /// What a synthetic object contains; tests change one thing at a time.
    #[derive(Clone)]
    struct Spec {
        code: Vec<u8>,
        map_name: &'static str,
        prog_size: u64,
        debug_line: Vec<u8>,
        btf: Vec<u8>,
    }

    /// A DWARF 4 line program for `a.c` with rows (0, line 1) and (8, line 2); `special` encodes
    /// the second row with a special opcode instead of advance_pc/advance_line/copy.
    fn line_program(special: bool, second_line: u8) -> Vec<u8> {
        let mut header = vec![1, 1, 1, 0xfb, 14, 13, 0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1];
        header.push(0); // no include directories
        header.extend_from_slice(b"a.c\0\0\0\0");
        header.push(0); // end of files
        let mut program = vec![0, 9, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1]; // set_address 0; copy
        if special {
            // address += 8, line += second_line - 1
            program.push((second_line - 1 + 5) + 14 * 8 + 13);
        } else {
            program.extend_from_slice(&[2, 8, 3, second_line - 1, 1]);
        }
        program.extend_from_slice(&[2, 8, 0, 1, 1]); // advance_pc 8; end_sequence
        let mut unit = vec![4, 0];
        unit.extend_from_slice(&(header.len() as u32).to_le_bytes());
        unit.extend(header);
        unit.extend(program);
        let mut out = (unit.len() as u32).to_le_bytes().to_vec();
        out.extend(unit);
        out
    }

    fn spec() -> Spec {
        Spec {
            // r1 = map ll; r0 = 0; exit
            code: [
                &[0x18, 0x01, 0, 0, 0, 0, 0, 0][..],
                &[0; 8],
                &[0xb7, 0, 0, 0, 0, 0, 0, 0],
                &[0x95, 0, 0, 0, 0, 0, 0, 0],
            ]
            .concat(),
            map_name: "map",
            prog_size: 32,
            debug_line: line_program(false, 2),
            btf: vec![0x9f, 0xeb, 1, 0, 24, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0],
        }
    }

    fn build(s: &Spec) -> Vec<u8> {
        let mut o = Object::new(BinaryFormat::Elf, Architecture::Bpf, object::Endianness::Little);
        let text = o.add_section(vec![], b"xdp".to_vec(), SectionKind::Text);
        o.set_section_data(text, s.code.clone(), 8);
        o.add_symbol(Symbol {
            name: b"prog".to_vec(),
            value: 0,
            size: s.prog_size,
            kind: SymbolKind::Text,
            scope: SymbolScope::Dynamic,
            weak: false,
            section: SymbolSection::Section(text),
            flags: SymbolFlags::None,
        });
        let maps = o.add_section(vec![], b".maps".to_vec(), SectionKind::Data);
        for name in ["map", "other_map"] {
            let data = o.add_symbol(Symbol {
                name: name.as_bytes().to_vec(),
                value: 0,
                size: 0,
                kind: SymbolKind::Data,
                scope: SymbolScope::Dynamic,
                weak: false,
                section: SymbolSection::Undefined,
                flags: SymbolFlags::None,
            });
            o.add_symbol_data(data, maps, &[0; 8], 8);
        }
        let map = o.symbol_id(s.map_name.as_bytes()).expect("map symbol");
        o.add_relocation(
            text,
            Relocation {
                offset: 0,
                symbol: map,
                addend: 0,
                flags: RelocationFlags::Elf { r_type: object::elf::RelocationType(1) },
            },
        )
        .expect("relocation");
        let btf = o.add_section(vec![], b".BTF".to_vec(), SectionKind::Metadata);
        o.set_section_data(btf, s.btf.clone(), 4);
        let line = o.add_section(vec![], b".debug_line".to_vec(), SectionKind::Debug);
        o.set_section_data(line, s.debug_line.clone(), 1);
        let text_sym = o.section_symbol(text);
        // The operand of DW_LNE_set_address: after the header (4 + 2 + 4 + 27) and 3 bytes.
        o.add_relocation(
            line,
            Relocation {
                offset: 40,
                symbol: text_sym,
                addend: 0,
                flags: RelocationFlags::Elf { r_type: object::elf::RelocationType(2) },
            },
        )
        .expect("relocation");
        o.write().expect("write")
    }

    fn diff(l: &Spec, r: &Spec, mode: Mode) -> Result<(), Differences> {
        compare("left.o", &build(l), "right.o", &build(r), mode)
    }

    #[test]
    fn identical_objects_are_equal() {
        assert!(diff(&spec(), &spec(), Mode::Full).is_ok());
    }

    #[test]
    fn code_difference_names_the_instruction() {
        let mut r = spec();
        r.code[16] = 0xb4; // w0 = 0
        let d = diff(&spec(), &r, Mode::Full).unwrap_err();
        let text = d.to_string();
        assert_eq!(d.items.len(), 1, "{text}");
        assert_eq!(d.items[0].kind, "section:xdp");
        assert!(text.contains("first difference at offset 0x10"), "{text}");
        assert!(text.contains("instruction #2"), "{text}");
        assert!(text.contains("class alu64") && text.contains("class alu "), "{text}");
        assert!(diff(&spec(), &r, Mode::CodeBytes).is_err());
    }

    #[test]
    fn relocation_symbol_difference() {
        let r = Spec { map_name: "other_map", ..spec() };
        let d = diff(&spec(), &r, Mode::CodeAndData).unwrap_err();
        let text = d.to_string();
        assert!(text.contains("only in left:  0x0000 R_BPF_64_64 map"), "{text}");
        assert!(text.contains("only in right: 0x0000 R_BPF_64_64 other_map"), "{text}");
        // Code bytes alone are the same.
        assert!(diff(&spec(), &r, Mode::CodeBytes).is_ok());
    }

    #[test]
    fn symbol_difference_only_in_full_mode() {
        let r = Spec { prog_size: 24, ..spec() };
        let d = diff(&spec(), &r, Mode::Full).unwrap_err();
        let text = d.to_string();
        assert_eq!(d.items[0].kind, "symbols", "{text}");
        assert!(text.contains("left:  prog in xdp value 0x0 size 32 FUNC GLOBAL DEFAULT"), "{text}");
        assert!(text.contains("right: prog in xdp value 0x0 size 24"), "{text}");
        assert!(diff(&spec(), &r, Mode::CodeAndData).is_ok());
    }

    #[test]
    fn btf_is_compared_in_full_mode_only() {
        let mut r = spec();
        r.btf[24] = 2;
        let d = diff(&spec(), &r, Mode::Full).unwrap_err();
        let text = d.to_string();
        assert!(text.contains("in the .BTF string section"), "{text}");
        assert!(diff(&spec(), &r, Mode::CodeAndData).is_ok());
    }

    #[test]
    fn debug_line_encoding_may_differ_if_rows_are_equal() {
        let r = Spec { debug_line: line_program(true, 2), ..spec() };
        assert_ne!(spec().debug_line, r.debug_line);
        assert!(diff(&spec(), &r, Mode::Full).is_ok());

        let r = Spec { debug_line: line_program(true, 3), ..spec() };
        let d = diff(&spec(), &r, Mode::Full).unwrap_err();
        let text = d.to_string();
        assert!(text.contains("decoded line programs differ"), "{text}");
        assert!(text.contains("L   row addr 0x8 op 0 file 1 line 2"), "{text}");
        assert!(text.contains("R   row addr 0x8 op 0 file 1 line 3"), "{text}");
    }

    #[test]
    fn garbage_is_a_parse_finding() {
        let e = compare("a", b"nope", "b", b"nope", Mode::Full).unwrap_err();
        assert_eq!(e.items.len(), 2);
        assert_eq!(e.items[0].kind, "parse");
    }
}
