//! Disassembler: BPF ELF object -> LLVM BPF assembly that `bpfasm` assembles back to the same bytes.

use bpf_isa::{decode, print_into, Endian, Op, Overrides, RawInsn};
use bpfobj::elf::{self, RelocType};
use bpfobj::read::Object;
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
    let file = Object::parse(bytes).map_err(|e| DisasmError(e.to_string()))?;
    let e = if file.big_endian { Endian::Big } else { Endian::Little };
    let mut out = String::new();
    // Symbols by section and offset.
    let mut labels: BTreeMap<(usize, u64), Vec<String>> = BTreeMap::new();
    let mut decls = String::new();
    for sym in file.symbols() {
        let name = sym.name();
        if name.is_empty() || sym.typ == elf::STT_SECTION || sym.typ == elf::STT_FILE {
            continue;
        }
        let (st_type, bind, vis) = (sym.typ, sym.bind, sym.vis);
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
        if let Some(idx) = sym.section() {
            labels.entry((idx, sym.value)).or_default().push(qn.clone());
            if sym.size != 0 {
                let _ = writeln!(decls, "\t.size\t{qn}, {}", sym.size);
            }
        }
    }
    out.push_str(&decls);
    for sec in file.sections() {
        let sh_type = sec.sh_type;
        if !matches!(
            sh_type,
            elf::SHT_PROGBITS | elf::SHT_NOBITS | elf::SHT_INIT_ARRAY | elf::SHT_FINI_ARRAY | elf::SHT_NOTE
        ) {
            continue;
        }
        let name = sec.name();
        let flags = sec.flags;
        let mut f = String::new();
        for (bit, c) in [
            (elf::SHF_ALLOC, 'a'),
            (elf::SHF_WRITE, 'w'),
            (elf::SHF_EXECINSTR, 'x'),
            (elf::SHF_MERGE, 'M'),
            (elf::SHF_STRINGS, 'S'),
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
        let ent = sec.entsize;
        if flags & elf::SHF_MERGE != 0 {
            let _ = writeln!(out, "\t.section\t{},\"{f}\",{ty},{ent}", quote_section(name));
        } else {
            let _ = writeln!(out, "\t.section\t{},\"{f}\",{ty}", quote_section(name));
        }
        let align = sec.align;
        if align > 1 {
            let _ = writeln!(out, "\t.p2align\t{}", align.trailing_zeros());
        }
        let size = sec.size;
        let si = sec.index;
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
        let data = sec.data;
        // Relocations of this section: offset -> (type, symbol name; a section symbol's is its
        // section's).
        let mut relocs: BTreeMap<u64, (u32, String)> = BTreeMap::new();
        for r in file.relocations(si).map_err(|e| DisasmError(e.to_string()))? {
            let name = match file.symbol(r.sym as usize) {
                Some(s) if s.typ == elf::STT_SECTION => {
                    s.section().and_then(|x| file.section(x)).map(|x| x.name().to_string()).unwrap_or_default()
                }
                Some(s) => s.name().to_string(),
                None => String::new(),
            };
            relocs.insert(r.offset, (r.r_type, name));
        }
        let code = flags & elf::SHF_EXECINSTR != 0;
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
