//! Printing instructions in LLVM's BPF assembly syntax, from the table's templates.

use crate::insn::Insn;
use crate::table::FORMS;
use std::fmt::Write;

/// Text to print instead of a numeric operand (a symbol from a relocation, a label).
#[derive(Clone, Copy, Debug, Default)]
pub struct Overrides<'a> {
    /// Replaces `$imm` / `$imm64` (e.g. `map + 8` for a relocated `ld_imm64`, `bpf_helper` for a call).
    pub imm: Option<&'a str>,
    /// Replaces a pc-relative target (`$joff`, `$jimm`) with a label.
    pub target: Option<&'a str>,
}

fn signed(out: &mut String, v: i64, spaced: bool) {
    let (sign, mag) = if v < 0 { ('-', (v as i128).unsigned_abs()) } else { ('+', v as u128) };
    if spaced {
        let _ = write!(out, "{sign} {mag}");
    } else {
        let _ = write!(out, "{sign}{mag}");
    }
}

/// Print `insn` into `out`.
pub fn print_into(insn: &Insn, ov: Overrides<'_>, out: &mut String) {
    let t = FORMS[insn.op as usize].asm;
    let b = t.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'$' {
            let next = t[i..].find('$').map_or(b.len(), |n| i + n);
            out.push_str(&t[i..next]);
            i = next;
            continue;
        }
        let start = i + 1;
        let mut j = start;
        while j < b.len() && b[j].is_ascii_alphanumeric() {
            j += 1;
        }
        match &t[start..j] {
            "d" => {
                let _ = write!(out, "r{}", insn.dst);
            }
            "dw" => {
                let _ = write!(out, "w{}", insn.dst);
            }
            "s" => {
                let _ = write!(out, "r{}", insn.src);
            }
            "sw" => {
                let _ = write!(out, "w{}", insn.src);
            }
            "imm" | "imm64" => match ov.imm {
                Some(s) => out.push_str(s),
                None => {
                    let _ = write!(out, "{}", insn.imm);
                }
            },
            "moff" => signed(out, insn.off as i64, true),
            "joff" => match ov.target {
                Some(s) => out.push_str(s),
                None => signed(out, insn.off as i64, false),
            },
            "jimm" => match ov.target {
                Some(s) => out.push_str(s),
                None => signed(out, insn.imm, false),
            },
            "asd" => {
                let _ = write!(out, "{}", (insn.imm as u32) >> 16);
            }
            "ass" => {
                let _ = write!(out, "{}", (insn.imm as u32) & 0xffff);
            }
            "ind" => {
                if insn.imm != 0 {
                    out.push(' ');
                    signed(out, insn.imm, true);
                }
            }
            other => unreachable!("placeholder ${other}"),
        }
        i = j;
    }
}

/// Print `insn` to a new string.
pub fn print(insn: &Insn) -> String {
    let mut s = String::new();
    print_into(insn, Overrides::default(), &mut s);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Op;

    #[test]
    fn examples() {
        let i = Insn { op: Op::LdxDW, dst: 1, src: 10, off: -8, imm: 0 };
        assert_eq!(print(&i), "r1 = *(u64 *)(r10 - 8)");
        let i = Insn { op: Op::JsgtK, dst: 1, src: 0, off: -1, imm: 5 };
        assert_eq!(print(&i), "if r1 s> 5 goto -1");
        let i = Insn { op: Op::AddrSpaceCast, dst: 1, src: 2, off: 0, imm: 1 };
        assert_eq!(print(&i), "r1 = addr_space_cast(r2, 0, 1)");
        let i = Insn { op: Op::LdIndB, dst: 0, src: 1, off: 0, imm: 2 };
        assert_eq!(print(&i), "r0 = *(u8 *)skb[r1 + 2]");
        let i = Insn { op: Op::LdxB, dst: 1, src: 2, off: i16::MIN, imm: 0 };
        assert_eq!(print(&i), "r1 = *(u8 *)(r2 - 32768)");
    }
}
