//! `--gc-sections`: drop static subprograms that nothing reaches.
//!
//! Per object, before the link (a static function can only be reached from its own object).
//! Roots: every function outside `.text` (programs), every non-static function (another
//! object may call it), and every function a non-instruction section points at. Edges:
//! bpf-to-bpf calls (`call` with `src_reg = BPF_PSEUDO_CALL`) and function addresses
//! (`ld_imm64` with `src_reg = BPF_PSEUDO_FUNC`, the callbacks of `bpf_loop` and friends), with
//! or without a relocation, resolved the way libbpf resolves them. Unreached static functions
//! of `.text` are cut out; instruction offsets that point across them (pc-relative calls,
//! section-relative immediates, data addends), `.text` relocations and symbols, and the
//! `.BTF.ext` func_info/line_info/CO-RE records of `.text` are rewritten. The FUNC types stay
//! in BTF (the kernel does not mind a FUNC without func_info). Anything the analysis does not
//! understand (a function without a size, a reference into the middle of nowhere) leaves the
//! object untouched.

use crate::input::Object;
use bpfobj::elf::*;

/// A function `collect` removed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Removed {
    pub name: String,
    pub size: u64,
}

const INSN: u64 = 8;
const OP_CALL: u8 = 0x85;
const OP_LD_IMM64: u8 = 0x18;
const PSEUDO_CALL: u8 = 1;
const PSEUDO_FUNC: u8 = 4;

struct Code {
    big: bool,
}

impl Code {
    fn src_reg(&self, insn: &[u8]) -> u8 {
        if self.big {
            insn[1] & 0xf
        } else {
            insn[1] >> 4
        }
    }
    fn imm(&self, insn: &[u8]) -> i32 {
        let b = [insn[4], insn[5], insn[6], insn[7]];
        if self.big {
            i32::from_be_bytes(b)
        } else {
            i32::from_le_bytes(b)
        }
    }
    fn set_imm(&self, insn: &mut [u8], v: i32) {
        insn[4..8].copy_from_slice(&if self.big { v.to_be_bytes() } else { v.to_le_bytes() });
    }
    fn rd(&self, d: &[u8], at: usize, n: usize) -> Option<u64> {
        let b = d.get(at..at + n)?;
        let mut v = 0u64;
        for i in 0..n {
            let byte = if self.big { b[i] } else { b[n - 1 - i] };
            v = v << 8 | byte as u64;
        }
        Some(v)
    }
    fn wr(&self, d: &mut [u8], at: usize, n: usize, v: u64) {
        for i in 0..n {
            let byte = (v >> (8 * i)) as u8;
            d[if self.big { at + n - 1 - i } else { at + i }] = byte;
        }
    }
}

/// A reference from an instruction to code: the byte offset in `.text` it points at, and how
/// to rewrite it.
#[derive(Clone, Copy)]
enum Ref {
    /// pc-relative (no relocation, both in `.text`).
    PcRel { sec: usize, at: u64, target: u64 },
    /// Through a relocation against `.text` symbol `sym` (a function or the section symbol).
    Sym { sec: usize, at: u64, sym: usize, target: u64, pseudo_func: bool },
    /// A data word (`len` bytes) holding a `.text` offset (relocation against the section symbol).
    Data { sec: usize, at: u64, len: usize, target: u64 },
    /// A relocation against a function symbol (nothing to rewrite but liveness).
    Func { target: u64 },
}

impl Ref {
    fn target(&self) -> u64 {
        match *self {
            Ref::PcRel { target, .. } | Ref::Sym { target, .. } | Ref::Data { target, .. } | Ref::Func { target } => {
                target
            }
        }
    }
}

/// Every reference to `.text` code in `obj`, or `None` when one is not understood.
fn refs(obj: &Object, text: usize, code: &Code) -> Option<Vec<(usize, u64, Ref)>> {
    let mut out = Vec::new();
    for (si, s) in obj.sections.iter().enumerate() {
        if crate::input::is_ignored(s) {
            continue;
        }
        let exec = s.is_exec();
        let mut rel_at: Vec<(u64, usize)> = s.relocs.iter().map(|r| (r.offset, r.sym as usize)).collect();
        rel_at.sort_unstable();
        if exec {
            let mut o = 0u64;
            while o + INSN <= s.data.len() as u64 {
                let insn = &s.data[o as usize..(o + INSN) as usize];
                let op = insn[0];
                let rel = rel_at.binary_search_by_key(&o, |r| r.0).ok().map(|i| rel_at[i].1);
                let src = code.src_reg(insn);
                let imm = code.imm(insn) as i64;
                let call = op == OP_CALL && src == PSEUDO_CALL;
                let func = op == OP_LD_IMM64 && src == PSEUDO_FUNC;
                match rel {
                    Some(sym) => {
                        let y = obj.symbols.get(sym)?;
                        if y.shndx as usize == text && !y.is_undef() {
                            // Compilers leave src_reg 0 on a relocated function address;
                            // libbpf sets BPF_PSEUDO_FUNC when it sees the relocation.
                            let func = op == OP_LD_IMM64;
                            let base = y.value as i64;
                            let target = if call {
                                base / 8 + imm + 1
                            } else if func {
                                (base + imm) / 8
                            } else if y.typ == STT_FUNC {
                                base / 8
                            } else {
                                return None; // something else pointing into code
                            };
                            let target = u64::try_from(target).ok()? * INSN;
                            let r = if call || func {
                                Ref::Sym { sec: si, at: o, sym, target, pseudo_func: func }
                            } else {
                                Ref::Func { target }
                            };
                            out.push((si, o, r));
                        }
                    }
                    None if (call || func) && si == text => {
                        let target = u64::try_from((o / INSN) as i64 + imm + 1).ok()? * INSN;
                        out.push((si, o, Ref::PcRel { sec: si, at: o, target }));
                    }
                    None if call || func => return None,
                    None => {}
                }
                o += if op == OP_LD_IMM64 { 2 * INSN } else { INSN };
            }
        } else {
            for r in &s.relocs {
                let y = obj.symbols.get(r.sym as usize)?;
                if y.shndx as usize != text || y.is_undef() {
                    continue;
                }
                if y.typ == STT_SECTION {
                    let len = match RelocType(r.r_type) {
                        RelocType::ABS64 => 8,
                        RelocType::ABS32 | RelocType::NODYLD32 => 4,
                        _ => return None,
                    };
                    if s.sh_type == SHT_NOBITS {
                        return None;
                    }
                    let target = code.rd(&s.data, r.offset as usize, len)?;
                    out.push((si, r.offset, Ref::Data { sec: si, at: r.offset, len, target }));
                } else {
                    out.push((si, r.offset, Ref::Func { target: y.value }));
                }
            }
        }
    }
    Some(out)
}

/// Remove unreferenced static functions from `.text` of one object, rewriting everything
/// that points into the section. Returns what was removed (in address order).
pub fn collect(obj: &mut Object) -> Vec<Removed> {
    let Some(text) = obj.sections.iter().position(|s| s.name == ".text" && s.is_exec()) else {
        return Vec::new();
    };
    let tsize = obj.sections[text].size;
    if tsize == 0 || obj.sections[text].data.len() as u64 != tsize {
        return Vec::new();
    }
    let code = Code { big: obj.big_endian };
    // Functions of .text, by address.
    let mut funcs: Vec<(u64, u64, usize)> = Vec::new();
    for (i, y) in obj.symbols.iter().enumerate() {
        if y.shndx as usize == text && y.typ == STT_FUNC && !y.is_undef() {
            if y.size == 0 || y.value % INSN != 0 || y.value.checked_add(y.size).is_none_or(|e| e > tsize) {
                return Vec::new();
            }
            funcs.push((y.value, y.value + y.size, i));
        }
    }
    funcs.sort_unstable();
    funcs.dedup_by_key(|f| f.0);
    if funcs.windows(2).any(|w| w[0].1 > w[1].0) {
        return Vec::new();
    }
    let func_of = |off: u64| -> Option<usize> {
        let i = funcs.partition_point(|f| f.0 <= off).checked_sub(1)?;
        (off < funcs[i].1).then_some(i)
    };
    let Some(refs) = refs(obj, text, &code) else { return Vec::new() };
    // Roots, then a worklist over calls made from live .text functions.
    let mut live = vec![false; funcs.len()];
    let mut work = Vec::new();
    let mark = |f: usize, live: &mut Vec<bool>, work: &mut Vec<usize>| {
        if !live[f] {
            live[f] = true;
            work.push(f);
        }
    };
    for (fi, f) in funcs.iter().enumerate() {
        if obj.symbols.iter().any(|y| y.shndx as usize == text && y.typ == STT_FUNC && y.value == f.0 && !y.is_local())
        {
            mark(fi, &mut live, &mut work);
        }
    }
    let mut from_text: Vec<Vec<usize>> = vec![Vec::new(); funcs.len()];
    for (si, at, r) in &refs {
        let Some(t) = func_of(r.target()) else { return Vec::new() };
        if *si == text {
            let Some(src) = func_of(*at) else { return Vec::new() };
            from_text[src].push(t);
        } else {
            mark(t, &mut live, &mut work);
        }
    }
    while let Some(f) = work.pop() {
        for &t in &from_text[f] {
            mark(t, &mut live, &mut work);
        }
    }
    let dead: Vec<(u64, u64)> = funcs.iter().zip(&live).filter(|(_, l)| !**l).map(|(f, _)| (f.0, f.1)).collect();
    if dead.is_empty() {
        return Vec::new();
    }
    // Old .text offset -> new (None inside a removed function).
    let new_off = |off: u64| -> Option<u64> {
        let mut cut = 0;
        for &(s, e) in &dead {
            if off >= e {
                cut += e - s;
            } else if off >= s {
                return None;
            } else {
                break;
            }
        }
        Some(off - cut)
    };
    let new_sym_value: Vec<Option<u64>> = obj
        .symbols
        .iter()
        .map(|y| if y.shndx as usize == text && !y.is_undef() { new_off(y.value) } else { Some(y.value) })
        .collect();
    // Rewrite immediates and data words (in place, before .text is cut).
    for (si, at, r) in &refs {
        if *si == text && func_of(*at).is_some_and(|f| !live[f]) {
            continue; // in a removed function
        }
        let nt = new_off(r.target()).expect("reference to a live function") as i64;
        match *r {
            Ref::PcRel { sec, at, .. } => {
                let na = new_off(at).expect("live") as i64;
                let insn = &mut obj.sections[sec].data[at as usize..(at + INSN) as usize];
                code.set_imm(insn, (nt / 8 - na / 8 - 1) as i32);
            }
            Ref::Sym { sec, at, sym, pseudo_func, .. } => {
                let base = new_sym_value[sym].unwrap_or(0) as i64;
                let imm = if pseudo_func { nt - base } else { nt / 8 - base / 8 - 1 };
                let insn = &mut obj.sections[sec].data[at as usize..(at + INSN) as usize];
                code.set_imm(insn, imm as i32);
            }
            Ref::Data { sec, at, len, .. } => code.wr(&mut obj.sections[sec].data, at as usize, len, nt as u64),
            Ref::Func { .. } => {}
        }
    }
    // Cut .text and its relocations.
    let t = &mut obj.sections[text];
    let mut data = Vec::with_capacity(t.data.len());
    let mut pos = 0u64;
    for &(s, e) in &dead {
        data.extend_from_slice(&t.data[pos as usize..s as usize]);
        pos = e;
    }
    data.extend_from_slice(&t.data[pos as usize..]);
    t.size = data.len() as u64;
    t.data = data;
    // An emptied `.text` is not linked, like the empty `.text` compilers emit.
    t.ignored = crate::input::ignored_by_name(t.sh_type, t.name.as_bytes(), t.size);
    t.relocs.retain_mut(|r| match new_off(r.offset) {
        Some(n) => {
            r.offset = n;
            true
        }
        None => false,
    });
    // Symbols: drop those inside removed functions, renumber the rest.
    let mut removed = Vec::new();
    for &(s, e) in &dead {
        let f = funcs.iter().find(|f| f.0 == s).expect("dead function");
        removed.push(Removed { name: obj.sym_name(&obj.symbols[f.2]).to_string(), size: e - s });
    }
    let mut renum = vec![0u32; obj.symbols.len()];
    let mut kept = Vec::with_capacity(obj.symbols.len());
    for (i, mut y) in std::mem::take(&mut obj.symbols).into_iter().enumerate() {
        if i > 0 && y.shndx as usize == text && !y.is_undef() && y.typ != STT_SECTION {
            match new_sym_value[i] {
                Some(v) => y.value = v,
                None => continue,
            }
        }
        renum[i] = kept.len() as u32;
        kept.push(y);
    }
    obj.symbols = kept;
    for s in &mut obj.sections {
        for r in &mut s.relocs {
            r.sym = renum.get(r.sym as usize).copied().unwrap_or(0);
        }
    }
    // .BTF.ext records of .text.
    let btf = obj.btf.as_deref().and_then(|b| btf::Btf::parse(b).ok());
    if let (Some(ext), Some(btf)) = (&mut obj.btf_ext, &btf) {
        let is_text = |off: u32| btf.str_at(off) == Some(".text");
        let fix = |off: &mut u32| match new_off(*off as u64) {
            Some(n) => {
                *off = n as u32;
                true
            }
            None => false,
        };
        for s in ext.func_info.iter_mut().filter(|s| is_text(s.sec_name_off)) {
            s.records.retain_mut(|r| fix(&mut r.insn_off));
        }
        for s in ext.line_info.iter_mut().filter(|s| is_text(s.sec_name_off)) {
            s.records.retain_mut(|r| fix(&mut r.insn_off));
        }
        for s in ext.core_relos.iter_mut().filter(|s| is_text(s.sec_name_off)) {
            s.records.retain_mut(|r| fix(&mut r.insn_off));
        }
    }
    removed
}
