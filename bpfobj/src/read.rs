//! The one reader of BPF relocatable objects: a zero-copy view of an ELF64 `EM_BPF` object on
//! the `object` crate's raw ELF layer, and the BPF meaning of its parts as libbpf gives them:
//! programs (section -> program type and expected attach type, the functions in it), maps
//! (BTF-defined in `.maps` and legacy `maps` entries), relocations, BTF and `.BTF.ext`,
//! externs (`.kconfig`, `.ksyms`), license and kernel version.
//!
//! Nothing is copied: names and contents are slices of the input. Every index and offset is
//! checked when the view is built, so the accessors do not fail. The disassembler
//! (`bpfasm -d`), the linker and the linter read objects through it.

use object::read::elf::{FileHeader, Rel as _, SectionHeader, Sym as _};
use object::Endianness;

use crate::elf::*;
use crate::progsec::{self, SecDef};
use crate::uapi::{AttachType, ProgType};

/// Why bytes are not a BPF object this reader can read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadError(pub String);

impl ReadError {
    /// The bytes are not an ELF64 file at all (a tool may say what it wanted instead).
    pub fn is_not_elf64(&self) -> bool {
        self.0 == NOT_ELF64
    }
}

const NOT_ELF64: &str = "not an ELF64 object (BPF objects are 64-bit ELF)";

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ReadError {}

fn err<T>(s: impl Into<String>) -> Result<T, ReadError> {
    Err(ReadError(s.into()))
}

/// One section header and its contents.
#[derive(Clone, Copy, Debug)]
pub struct Section<'d> {
    pub index: usize,
    /// The name's bytes (ELF names need not be UTF-8); see [`Section::name`].
    pub raw_name: &'d [u8],
    pub sh_type: u32,
    pub flags: u64,
    /// At least 1.
    pub align: u64,
    pub entsize: u64,
    pub size: u64,
    pub link: u32,
    pub info: u32,
    /// The contents (empty for `SHT_NOBITS` and the null section).
    pub data: &'d [u8],
}

impl<'d> Section<'d> {
    /// The name, or "" when it is not UTF-8.
    pub fn name(&self) -> &'d str {
        std::str::from_utf8(self.raw_name).unwrap_or("")
    }
    pub fn is_exec(&self) -> bool {
        self.flags & SHF_EXECINSTR != 0
    }
}

/// One symbol table entry.
#[derive(Clone, Copy, Debug)]
pub struct Symbol<'d> {
    pub index: usize,
    pub raw_name: &'d [u8],
    pub value: u64,
    pub size: u64,
    pub bind: u8,
    pub typ: u8,
    /// `st_other & 3`.
    pub vis: u8,
    /// The section index (from `.symtab_shndx` when `st_shndx` is `SHN_XINDEX`); the special
    /// indices (`SHN_UNDEF`, `SHN_ABS`, `SHN_COMMON`) as they are.
    pub shndx: u32,
    /// The section it is defined in (an extended index may fall in the reserved range).
    sec: Option<usize>,
}

impl<'d> Symbol<'d> {
    pub fn name(&self) -> &'d str {
        std::str::from_utf8(self.raw_name).unwrap_or("")
    }
    pub fn is_undef(&self) -> bool {
        self.shndx == u32::from(SHN_UNDEF)
    }
    pub fn is_local(&self) -> bool {
        self.bind == STB_LOCAL
    }
    /// The section it is defined in (None: undefined, absolute or common).
    pub fn section(&self) -> Option<usize> {
        self.sec
    }
}

/// One `SHT_REL` entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reloc {
    pub offset: u64,
    /// Symbol index.
    pub sym: u32,
    pub r_type: u32,
}

/// A program section: the program type libbpf gives its name, and its functions.
#[derive(Clone, Debug)]
pub struct ProgramSection {
    pub section: usize,
    pub name: String,
    /// libbpf's definition the name selects (None: libbpf does not know the name).
    pub def: Option<&'static SecDef>,
    pub prog_type: ProgType,
    /// Expected attach type (0 when libbpf passes none).
    pub attach_type: AttachType,
    /// The `STT_FUNC` symbols defined in it, by offset.
    pub functions: Vec<usize>,
}

/// A legacy map definition: `struct bpf_map_def` (libbpf before 1.0; five `u32`) or iproute2's
/// `struct bpf_elf_map` (four more: id, pinning, inner_id, inner_idx), one per symbol of the
/// `maps` section, each entry `section size / symbols` bytes long (libbpf's rule).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LegacyMap {
    pub name: String,
    /// The section it is defined in (`maps`, or iproute2's `maps/NAME`).
    pub section: usize,
    /// Offset of the definition in the `maps` section.
    pub offset: u64,
    pub map_type: u32,
    pub key_size: u32,
    pub value_size: u32,
    pub max_entries: u32,
    pub map_flags: u32,
    /// iproute2's `id`, `pinning`, `inner_id`, `inner_idx` (None in a `bpf_map_def`).
    pub elf_map: Option<[u32; 4]>,
}

/// A map of `.maps` (its definition is the BTF of its variable: read with the `btf` crate).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BtfMap {
    pub name: String,
    pub offset: u64,
    pub size: u64,
}

/// What an undefined global symbol is satisfied by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExternKind {
    /// A `.kconfig` variable (libbpf fills it from the kernel configuration).
    Kconfig,
    /// A `.ksyms` variable or function (a kernel symbol or kfunc).
    Ksym,
    /// Neither: another object (or archive member) must define it.
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extern {
    pub name: String,
    pub symbol: usize,
    pub kind: ExternKind,
    pub weak: bool,
}

type RawRel = object::elf::Rel64<Endianness>;
type SymbolTable<'d> = object::read::elf::SymbolTable<'d, object::elf::FileHeader64<Endianness>, &'d [u8]>;

/// A BPF relocatable object, read.
pub struct Object<'d> {
    pub big_endian: bool,
    sections: Vec<Section<'d>>,
    /// Decoded on access ([`Object::symbol`]): a reader that copies symbols out (the linker)
    /// does not pay for a second table.
    symtab: SymbolTable<'d>,
    /// (rel section, target section), in section order.
    rels: Vec<(usize, usize)>,
    /// The entries of each of `rels`.
    rel_entries: Vec<&'d [RawRel]>,
    endian: Endianness,
}

fn rd_u32(d: &[u8], off: usize, big: bool) -> Option<u32> {
    let b: [u8; 4] = d.get(off..off + 4)?.try_into().ok()?;
    Some(if big { u32::from_be_bytes(b) } else { u32::from_le_bytes(b) })
}

impl<'d> Object<'d> {
    /// Read `data`: an ELF64 `ET_REL` object for `EM_BPF`, either byte order.
    pub fn parse(data: &'d [u8]) -> Result<Object<'d>, ReadError> {
        let Ok(hdr) = object::elf::FileHeader64::<Endianness>::parse(data) else {
            return err(NOT_ELF64);
        };
        let Ok(e) = hdr.endian() else { return err("bad ELF byte order") };
        if hdr.e_machine(e).0 != EM_BPF {
            return err(format!("not a BPF object (e_machine {}, expected {EM_BPF} EM_BPF)", hdr.e_machine(e).0));
        }
        if hdr.e_type(e).0 != ET_REL {
            return err(format!("not a relocatable object (e_type {})", hdr.e_type(e).0));
        }
        let table = hdr.sections(e, data).map_err(|x| ReadError(format!("bad section table: {x}")))?;
        let mut sections = Vec::with_capacity(table.len());
        let mut rels = Vec::new();
        let mut rel_entries = Vec::new();
        for (i, s) in table.iter().enumerate() {
            let sh_type = s.sh_type(e).0;
            let raw_name = table.section_name(e, s).unwrap_or(b"");
            let contents = if sh_type == SHT_NOBITS || sh_type == SHT_NULL {
                &[][..]
            } else {
                s.data(e, data).map_err(|_| {
                    ReadError(format!("section {}: data out of bounds", String::from_utf8_lossy(raw_name)))
                })?
            };
            if sh_type == SHT_REL {
                let target = s.sh_info(e) as usize;
                if target == 0 || target >= table.len() {
                    return err(format!(
                        "section {}: relocated section index {target} out of range",
                        String::from_utf8_lossy(raw_name)
                    ));
                }
                rels.push((i, target));
                let entries = s
                    .rel(e, data)
                    .map_err(|x| ReadError(format!("{}: {x}", String::from_utf8_lossy(raw_name))))?
                    .map_or(&[][..], |(r, _)| r);
                rel_entries.push(entries);
            }
            sections.push(Section {
                index: i,
                raw_name,
                sh_type,
                flags: s.sh_flags(e).0,
                align: s.sh_addralign(e).max(1),
                entsize: s.sh_entsize(e),
                size: s.sh_size(e),
                link: s.sh_link(e),
                info: s.sh_info(e),
                data: contents,
            });
        }
        let symtab = table
            .symbols(e, data, object::elf::SectionType(SHT_SYMTAB))
            .map_err(|x| ReadError(format!("bad symbol table: {x}")))?;
        // Every symbol's section index is checked once, so that decoding cannot fail.
        for (i, sym) in symtab.iter().enumerate() {
            let raw = sym.st_shndx(e).0;
            let shndx = match raw {
                0xffff => symtab.shndx(e, object::SymbolIndex(i)),
                x => Some(u32::from(x)),
            };
            let bad = match shndx {
                None => true,
                Some(x) => (raw < 0xff00 || raw == 0xffff) && x != 0 && x as usize >= sections.len(),
            };
            if bad {
                let name = String::from_utf8_lossy(symtab.symbol_name(e, sym).unwrap_or(b""));
                return err(format!("symbol `{name}`: section index {} out of range", shndx.unwrap_or(u32::MAX)));
            }
        }
        Ok(Object { big_endian: e == Endianness::Big, sections, symtab, rels, rel_entries, endian: e })
    }

    fn decode(&self, i: usize) -> Symbol<'d> {
        let e = self.endian;
        let sym = &self.symtab.symbols()[i];
        let (shndx, sec) = match sym.st_shndx(e).0 {
            0xffff => {
                let x = self.symtab.shndx(e, object::SymbolIndex(i)).unwrap_or(0);
                (x, (x != 0).then_some(x as usize))
            }
            x => (u32::from(x), (x != SHN_UNDEF && x < 0xff00).then_some(x as usize)),
        };
        Symbol {
            index: i,
            raw_name: self.symtab.symbol_name(e, sym).unwrap_or(b""),
            value: sym.st_value(e),
            size: sym.st_size(e),
            bind: sym.st_bind().0,
            typ: sym.st_type().0,
            vis: sym.st_other().0 & 3,
            shndx,
            sec,
        }
    }

    /// Every section, by ELF index (0 is the null section).
    pub fn sections(&self) -> &[Section<'d>] {
        &self.sections
    }

    pub fn section(&self, index: usize) -> Option<&Section<'d>> {
        self.sections.get(index)
    }

    pub fn section_by_name(&self, name: &str) -> Option<&Section<'d>> {
        self.sections.iter().find(|s| s.raw_name == name.as_bytes())
    }

    /// Every symbol, by index (0 is the null symbol; empty without a symbol table).
    pub fn symbols(&self) -> impl ExactSizeIterator<Item = Symbol<'d>> + '_ {
        (0..self.symtab.len()).map(move |i| self.decode(i))
    }

    /// Symbol `i` (None: out of range).
    pub fn symbol(&self, i: usize) -> Option<Symbol<'d>> {
        (i < self.symtab.len()).then(|| self.decode(i))
    }

    /// The size of the symbols' string table (an upper bound on their names' total length).
    pub fn symbol_strings_len(&self) -> usize {
        self.sections.get(self.symtab.string_section().0).map_or(0, |s| s.data.len())
    }

    /// How many symbols there are (the null symbol included).
    pub fn symbol_count(&self) -> usize {
        self.symtab.len()
    }

    /// The relocations of section `target` (from every `SHT_REL` section applying to it),
    /// each checked: its symbol exists and its offset is inside the section. (Checked here,
    /// not when the object is read: a reader that skips DWARF does not pay for its
    /// relocations.)
    pub fn relocations(&self, target: usize) -> Result<Vec<Reloc>, ReadError> {
        let e = self.endian;
        let mut out = Vec::new();
        for (k, &(ri, t)) in self.rels.iter().enumerate() {
            if t != target {
                continue;
            }
            let sec = &self.sections[t];
            out.reserve(self.rel_entries[k].len());
            for r in self.rel_entries[k] {
                let r = Reloc { offset: r.r_offset(e), sym: r.r_sym(e), r_type: r.r_type(e).0 };
                let rel_name = || String::from_utf8_lossy(self.sections[ri].raw_name);
                if r.sym as usize >= self.symtab.len().max(1) {
                    return err(format!("{}: relocation refers to symbol #{} out of range", rel_name(), r.sym));
                }
                if sec.sh_type != SHT_NOBITS && r.offset >= sec.size {
                    return err(format!("{}: relocation offset {:#x} beyond the section's end", rel_name(), r.offset));
                }
                out.push(r);
            }
        }
        Ok(out)
    }

    /// The `SHT_REL` sections, with the section each applies to.
    pub fn rel_sections(&self) -> &[(usize, usize)] {
        &self.rels
    }

    /// The bytes of `.BTF`.
    pub fn btf(&self) -> Option<&'d [u8]> {
        self.section_by_name(".BTF").map(|s| s.data)
    }

    /// The bytes of `.BTF.ext`.
    pub fn btf_ext(&self) -> Option<&'d [u8]> {
        self.section_by_name(".BTF.ext").map(|s| s.data)
    }

    /// The `license` section's string (to its NUL).
    pub fn license(&self) -> Option<&'d str> {
        let d = self.section_by_name("license")?.data;
        let end = d.iter().position(|&c| c == 0).unwrap_or(d.len());
        std::str::from_utf8(&d[..end]).ok()
    }

    /// The `version` section's `u32` (LINUX_VERSION_CODE, kprobes of old kernels).
    pub fn kernel_version(&self) -> Option<u32> {
        rd_u32(self.section_by_name("version")?.data, 0, self.big_endian)
    }

    /// The program sections (executable, non-empty, not `.text`), with libbpf's program type.
    pub fn programs(&self) -> Vec<ProgramSection> {
        let mut out = Vec::new();
        for s in self.sections.iter().filter(|s| s.is_exec() && s.size > 0 && s.raw_name != b".text") {
            let name = s.name().to_string();
            let def = progsec::find(&name);
            let mut functions: Vec<(u64, usize)> = self
                .symbols()
                .filter(|y| y.typ == STT_FUNC && y.section() == Some(s.index))
                .map(|y| (y.value, y.index))
                .collect();
            functions.sort_unstable();
            let functions = functions.into_iter().map(|(_, i)| i).collect();
            out.push(ProgramSection {
                section: s.index,
                name,
                def,
                prog_type: def.map_or(ProgType(0), |d| d.prog_type),
                attach_type: def.and_then(|d| d.attach_type).unwrap_or(AttachType(0)),
                functions,
            });
        }
        out
    }

    /// The maps of `.maps`, by offset.
    pub fn btf_maps(&self) -> Vec<BtfMap> {
        let Some(sec) = self.section_by_name(".maps") else { return Vec::new() };
        let mut v: Vec<BtfMap> = self
            .symbols()
            .filter(|y| y.section() == Some(sec.index) && y.typ != STT_SECTION && !y.raw_name.is_empty())
            .map(|y| BtfMap { name: y.name().to_string(), offset: y.value, size: y.size })
            .collect();
        v.sort_by_key(|m| m.offset);
        v
    }

    /// The legacy map definitions of a `maps` section (or `maps/NAME` sections, iproute2).
    pub fn legacy_maps(&self) -> Result<Vec<LegacyMap>, ReadError> {
        let mut out = Vec::new();
        for sec in self.sections.iter().filter(|s| s.raw_name == b"maps" || s.raw_name.starts_with(b"maps/")) {
            let mut syms: Vec<Symbol> = self
                .symbols()
                .filter(|y| y.section() == Some(sec.index) && y.typ != STT_SECTION && !y.raw_name.is_empty())
                .collect();
            syms.sort_by_key(|y| y.value);
            if syms.is_empty() {
                continue;
            }
            let entry = sec.size / syms.len() as u64;
            if sec.size % syms.len() as u64 != 0 || entry < 20 {
                return err(format!(
                    "section {}: {} bytes for {} map definitions (each must be a struct bpf_map_def of at least 20 bytes)",
                    sec.name(),
                    sec.size,
                    syms.len()
                ));
            }
            let big = self.big_endian;
            for y in syms {
                let o = y.value as usize;
                let f = |k: usize| rd_u32(sec.data, o + 4 * k, big);
                let (Some(t), Some(ks), Some(vs), Some(me), Some(fl)) = (f(0), f(1), f(2), f(3), f(4)) else {
                    return err(format!("map `{}`: definition beyond the end of section {}", y.name(), sec.name()));
                };
                let elf_map = (entry >= 36).then(|| [f(5), f(6), f(7), f(8)].map(|x| x.unwrap_or(0)));
                out.push(LegacyMap {
                    name: y.name().to_string(),
                    section: sec.index,
                    offset: y.value,
                    map_type: t,
                    key_size: ks,
                    value_size: vs,
                    max_entries: me,
                    map_flags: fl,
                    elf_map,
                });
            }
        }
        Ok(out)
    }

    /// The undefined global symbols, with what satisfies each: a `.kconfig` or `.ksyms`
    /// variable of the object's BTF (libbpf's rule: the DATASEC that lists the extern's VAR,
    /// or a FUNC declared `extern` for kfuncs), or another object.
    pub fn externs(&self) -> Vec<Extern> {
        let btf = self.btf().and_then(|b| btf::Btf::parse(b).ok());
        let mut in_sec: Vec<(String, ExternKind)> = Vec::new();
        if let Some(b) = &btf {
            for t in b.types() {
                if t.kind() != btf::Kind::DATASEC {
                    continue;
                }
                let kind = match b.name_of(&t) {
                    ".kconfig" => ExternKind::Kconfig,
                    ".ksyms" => ExternKind::Ksym,
                    _ => continue,
                };
                for v in t.datasec_vars() {
                    if let Some(var) = b.type_by_id(v.type_id) {
                        in_sec.push((b.name_of(&var).to_string(), kind));
                    }
                }
            }
        }
        let extern_funcs: Vec<String> = btf
            .as_ref()
            .map(|b| {
                b.types()
                    .filter(|t| t.kind() == btf::Kind::FUNC && t.func_linkage() == btf::Linkage::EXTERN)
                    .map(|t| b.name_of(&t).to_string())
                    .collect()
            })
            .unwrap_or_default();
        self.symbols()
            .filter(|y| y.is_undef() && !y.is_local() && !y.raw_name.is_empty())
            .map(|y| {
                let name = y.name().to_string();
                let kind = in_sec.iter().find(|(n, _)| *n == name).map(|(_, k)| *k).unwrap_or(
                    if extern_funcs.contains(&name) && y.typ != STT_OBJECT {
                        ExternKind::Ksym
                    } else {
                        ExternKind::Other
                    },
                );
                Extern { name, symbol: y.index, kind, weak: y.bind == STB_WEAK }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
