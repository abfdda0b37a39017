//! Disassembler: BPF ELF object -> LLVM BPF assembly that `bpfasm` assembles back to the same bytes.

use bpf_isa::{decode, print_into, Endian, Op, Overrides, RawInsn};
use bpfobj::elf::RelocType;
use object::read::elf::{ElfFile64, FileHeader, SectionHeader, Sym};
use object::{elf, Endianness, Object, ObjectSection, ObjectSymbol, RelocationTarget, SectionKind};
use std::collections::BTreeMap;
use std::fmt::Write;

#[derive(Debug)]
pub struct DisasmError(pub String);

impl std::fmt::Display for DisasmError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn quote_section(name: &str) -> String {
    format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A symbol name as the assembler reads it back: quoted unless it is a plain identifier that
/// does not read as a register (`r1`, `w10`) or a number.
fn sym_expr(name: &str, addend: i64) -> String {
    let plain = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '$')
        && name.starts_with(|c: char| !c.is_ascii_digit())
        && bpf_isa::parse_reg(name).is_none();
    let n = if plain { name.to_string() } else { format!("\"{name}\"") };
    match addend {
        0 => n,
        a if a > 0 => format!("{n} + {a}"),
        a => format!("{n} - {}", (a as i128).unsigned_abs()),
    }
}

/// Disassemble an object into assembly text.
pub fn disassemble(bytes: &[u8]) -> Result<String, DisasmError> {
    let file =
        ElfFile64::<Endianness>::parse(bytes).map_err(|e| DisasmError(format!("not a 64-bit ELF object: {e}")))?;
    let hdr = file.elf_header();
    let endian = hdr.endian().map_err(|e| DisasmError(e.to_string()))?;
    if hdr.e_machine(endian) != elf::EM_BPF {
        return Err(DisasmError(format!("not a BPF object (e_machine {})", hdr.e_machine(endian))));
    }
    let e = if file.is_little_endian() { Endian::Little } else { Endian::Big };
    let mut out = String::new();
    // Symbols by section and offset.
    let mut labels: BTreeMap<(usize, u64), Vec<String>> = BTreeMap::new();
    let mut decls = String::new();
    for sym in file.symbols() {
        let name = sym.name().unwrap_or("");
        if name.is_empty() || sym.kind() == object::SymbolKind::Section || sym.kind() == object::SymbolKind::File {
            continue;
        }
        let raw = sym.elf_symbol();
        let st_type = raw.st_type();
        let bind = raw.st_bind();
        let vis = raw.st_visibility();
        let qn = sym_expr(name, 0);
        match bind {
            elf::STB_GLOBAL => {
                let _ = writeln!(decls, "\t.globl\t{qn}");
            }
            elf::STB_WEAK => {
                let _ = writeln!(decls, "\t.weak\t{qn}");
            }
            _ => {}
        }
        match vis {
            elf::STV_HIDDEN => {
                let _ = writeln!(decls, "\t.hidden\t{qn}");
            }
            elf::STV_PROTECTED => {
                let _ = writeln!(decls, "\t.protected\t{qn}");
            }
            elf::STV_INTERNAL => {
                let _ = writeln!(decls, "\t.internal\t{qn}");
            }
            _ => {}
        }
        match st_type {
            elf::STT_FUNC => {
                let _ = writeln!(decls, "\t.type\t{qn},@function");
            }
            elf::STT_OBJECT => {
                let _ = writeln!(decls, "\t.type\t{qn},@object");
            }
            _ => {}
        }
        if let Some(idx) = sym.section_index() {
            labels.entry((idx.0, sym.address())).or_default().push(qn.clone());
            if raw.st_size(endian) != 0 {
                let _ = writeln!(decls, "\t.size\t{qn}, {}", raw.st_size(endian));
            }
        }
    }
    out.push_str(&decls);
    for sec in file.sections() {
        let sh = sec.elf_section_header();
        let sh_type = sh.sh_type(endian);
        if !matches!(
            sh_type,
            elf::SHT_PROGBITS | elf::SHT_NOBITS | elf::SHT_INIT_ARRAY | elf::SHT_FINI_ARRAY | elf::SHT_NOTE
        ) {
            continue;
        }
        let name = sec.name().unwrap_or("");
        let flags = sh.sh_flags(endian);
        let mut f = String::new();
        for (bit, c) in [
            (elf::SHF_ALLOC as u64, 'a'),
            (elf::SHF_WRITE as u64, 'w'),
            (elf::SHF_EXECINSTR as u64, 'x'),
            (elf::SHF_MERGE as u64, 'M'),
            (elf::SHF_STRINGS as u64, 'S'),
        ] {
            if flags & bit != 0 {
                f.push(c);
            }
        }
        let ty = match sh_type {
            elf::SHT_NOBITS => "@nobits",
            elf::SHT_NOTE => "@note",
            elf::SHT_INIT_ARRAY => "@init_array",
            elf::SHT_FINI_ARRAY => "@fini_array",
            _ => "@progbits",
        };
        let ent = sh.sh_entsize(endian);
        if flags & elf::SHF_MERGE as u64 != 0 {
            let _ = writeln!(out, "\t.section\t{},\"{f}\",{ty},{ent}", quote_section(name));
        } else {
            let _ = writeln!(out, "\t.section\t{},\"{f}\",{ty}", quote_section(name));
        }
        let align = sh.sh_addralign(endian).max(1);
        if align > 1 {
            let _ = writeln!(out, "\t.p2align\t{}", align.trailing_zeros());
        }
        let size = sh.sh_size(endian);
        let si = sec.index().0;
        if sh_type == elf::SHT_NOBITS {
            let mut pos = 0u64;
            for ((s, off), names) in labels.range((si, 0)..=(si, u64::MAX)) {
                let _ = s;
                if *off > pos {
                    let _ = writeln!(out, "\t.zero\t{}", off - pos);
                    pos = *off;
                }
                for n in names {
                    let _ = writeln!(out, "{n}:");
                }
            }
            if size > pos {
                let _ = writeln!(out, "\t.zero\t{}", size - pos);
            }
            continue;
        }
        let data = sec.data().map_err(|e| DisasmError(format!("section {name}: {e}")))?;
        // Relocations of this section: offset -> (type, symbol name, is section symbol).
        let mut relocs: BTreeMap<u64, (u32, String)> = BTreeMap::new();
        for (off, r) in sec.relocations() {
            let r_type = match r.flags() {
                object::RelocationFlags::Elf { r_type } => r_type,
                _ => 0,
            };
            let name = match r.target() {
                RelocationTarget::Symbol(i) => match file.symbol_by_index(i) {
                    Ok(s) if s.kind() == object::SymbolKind::Section => s
                        .section_index()
                        .and_then(|x| file.section_by_index(x).ok())
                        .and_then(|x| x.name().ok().map(str::to_string))
                        .unwrap_or_default(),
                    Ok(s) => s.name().unwrap_or("").to_string(),
                    Err(_) => String::new(),
                },
                _ => String::new(),
            };
            relocs.insert(off, (r_type, name));
        }
        let code = sec.kind() == SectionKind::Text || flags & elf::SHF_EXECINSTR as u64 != 0;
        let mut pos = 0usize;
        let mut label_iter = labels.range((si, 0)..=(si, u64::MAX)).peekable();
        while pos < data.len() {
            while let Some(((_, off), names)) = label_iter.peek() {
                if *off as usize <= pos {
                    for n in names.iter() {
                        let _ = writeln!(out, "{n}:");
                    }
                    label_iter.next();
                } else {
                    break;
                }
            }
            let next_label = label_iter.peek().map_or(usize::MAX, |((_, o), _)| *o as usize);
            if code && pos.is_multiple_of(8) && pos + 8 <= data.len() {
                match decode(&data[pos..], e) {
                    Ok((insn, n)) if pos + n <= next_label || n == 8 => {
                        let mut line = String::from("\t");
                        match relocs.get(&(pos as u64)) {
                            Some((t, sym)) => {
                                let t = RelocType(*t);
                                let text = if t == RelocType::R64_64 && insn.op == Op::LdImm64 {
                                    sym_expr(sym, insn.imm as i32 as i64)
                                } else if t == RelocType::R64_32 && matches!(insn.op, Op::CallLocal | Op::Call) {
                                    sym_expr(sym, (insn.imm as i32 as i64 + 1) * 8)
                                } else {
                                    return Err(DisasmError(format!(
                                        "{name}+{pos:#x}: unexpected relocation {t} on an instruction"
                                    )));
                                };
                                let mut i2 = insn;
                                if i2.op == Op::CallLocal {
                                    i2.op = Op::Call;
                                }
                                print_into(&i2, Overrides { imm: Some(&text), target: None }, &mut line);
                            }
                            None => print_into(&insn, Overrides::default(), &mut line),
                        }
                        out.push_str(&line);
                        out.push('\n');
                        pos += n;
                        continue;
                    }
                    _ => {
                        let raw = RawInsn::from_bytes(data[pos..pos + 8].try_into().unwrap_or(&[0; 8]), e);
                        let _ = writeln!(
                            out,
                            "\t.byte\t{}\t# unknown instruction: code {:#04x} dst {} src {} off {} imm {}",
                            data[pos..pos + 8].iter().map(|b| b.to_string()).collect::<Vec<_>>().join(", "),
                            raw.code,
                            raw.dst,
                            raw.src,
                            raw.off,
                            raw.imm
                        );
                        pos += 8;
                        continue;
                    }
                }
            }
            if let Some((t, sym)) = relocs.get(&(pos as u64)) {
                let t = RelocType(*t);
                let n = if t == RelocType::ABS64 { 8 } else { 4 };
                if pos + n <= data.len() {
                    let v = if n == 8 {
                        let b: [u8; 8] = data[pos..pos + 8].try_into().unwrap_or([0; 8]);
                        if e == Endian::Little {
                            i64::from_le_bytes(b)
                        } else {
                            i64::from_be_bytes(b)
                        }
                    } else {
                        let b: [u8; 4] = data[pos..pos + 4].try_into().unwrap_or([0; 4]);
                        (if e == Endian::Little { u32::from_le_bytes(b) } else { u32::from_be_bytes(b) }) as i64
                    };
                    let _ = writeln!(out, "\t{}\t{}", if n == 8 { ".quad" } else { ".long" }, sym_expr(sym, v));
                    pos += n;
                    continue;
                }
            }
            // Raw bytes up to the next label or relocation, 16 per line.
            let next_reloc = relocs.range(pos as u64 + 1..).next().map_or(usize::MAX, |(o, _)| *o as usize);
            let end = data.len().min(next_label).min(next_reloc).min(pos + 16).max(pos + 1);
            let _ = writeln!(
                out,
                "\t.byte\t{}",
                data[pos..end].iter().map(|b| format!("{b:#04x}")).collect::<Vec<_>>().join(", ")
            );
            pos = end;
        }
        for (_, names) in label_iter {
            for n in names {
                let _ = writeln!(out, "{n}:");
            }
        }
    }
    Ok(out)
}
