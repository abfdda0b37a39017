//! Templates of the instruction table, split into pieces once.
//!
//! The same tokenizer rules are used by the assembler's lexer ([`PUNCTUATORS`]), so a template
//! and a source line that spell the same instruction produce the same token sequence.

use crate::table::{Op, ALIASES, FORMS};
use std::sync::OnceLock;

/// Multi-character punctuators, longest first (maximal munch).
pub const PUNCTUATORS: &[&str] = &[
    "<<=", ">>=", "+=", "-=", "*=", "/=", "%=", "|=", "&=", "^=", "==", "!=", ">=", "<=", "<<", ">>", "&&", "||", "=",
    "+", "-", "*", "/", "%", "|", "&", "^", "~", "!", "<", ">", "(", ")", "[", "]", ",", ":",
];

/// Which register field a register placeholder fills.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegField {
    Dst,
    Src,
}

/// One piece of a template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece {
    /// Literal token text (identifier, keyword or punctuator).
    Lit(&'static str),
    /// A register operand: field and whether it is spelled `w`.
    Reg {
        field: RegField,
        w: bool,
    },
    /// A fixed register spelled in the template (`r0`, `w0`).
    FixedReg {
        n: u8,
        w: bool,
    },
    Imm,
    Imm64,
    /// Memory offset: `+ N` / `- N`.
    MemOff,
    /// pc-relative offset in the off field.
    JumpOff,
    /// pc-relative offset in the imm field.
    JumpImm,
    AsDst,
    AsSrc,
    /// Optional `+ N` of indirect packet loads.
    IndOff,
}

/// Split a template into pieces.
pub fn pieces_of(t: &'static str) -> Vec<Piece> {
    let b = t.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b' ' {
            i += 1;
        } else if c == b'$' {
            let start = i + 1;
            let mut j = start;
            while j < b.len() && (b[j].is_ascii_alphanumeric()) {
                j += 1;
            }
            let name = &t[start..j];
            out.push(match name {
                "d" => Piece::Reg { field: RegField::Dst, w: false },
                "dw" => Piece::Reg { field: RegField::Dst, w: true },
                "s" => Piece::Reg { field: RegField::Src, w: false },
                "sw" => Piece::Reg { field: RegField::Src, w: true },
                "imm" => Piece::Imm,
                "imm64" => Piece::Imm64,
                "moff" => Piece::MemOff,
                "joff" => Piece::JumpOff,
                "jimm" => Piece::JumpImm,
                "asd" => Piece::AsDst,
                "ass" => Piece::AsSrc,
                "ind" => Piece::IndOff,
                _ => panic!("unknown placeholder ${name} in template {t:?}"),
            });
            i = j;
        } else if c.is_ascii_alphanumeric() || c == b'_' || c == b'.' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.') {
                i += 1;
            }
            let word = &t[start..i];
            match parse_reg(word) {
                Some((n, w)) => out.push(Piece::FixedReg { n, w }),
                None => out.push(Piece::Lit(word)),
            }
        } else {
            let p = PUNCTUATORS
                .iter()
                .find(|p| t[i..].starts_with(**p))
                .unwrap_or_else(|| panic!("bad character in template {t:?}"));
            out.push(Piece::Lit(p));
            i += p.len();
        }
    }
    out
}

/// `r0`..`r10` / `w0`..`w10` -> (number, is_w).
pub fn parse_reg(s: &str) -> Option<(u8, bool)> {
    let b = s.as_bytes();
    if b.len() < 2 || b.len() > 3 {
        return None;
    }
    let w = match b[0] {
        b'r' => false,
        b'w' => true,
        _ => return None,
    };
    let num = &s[1..];
    if num.len() > 1 && num.starts_with('0') {
        return None;
    }
    let n: u8 = num.parse().ok()?;
    (n <= 10).then_some((n, w))
}

/// A template ready for matching: its op and pieces. Aliases come after canonical rows.
#[derive(Debug)]
pub struct Template {
    pub op: Op,
    pub pieces: Vec<Piece>,
    pub text: &'static str,
    pub alias: bool,
}

/// All templates (canonical rows, then aliases), split once.
pub fn templates() -> &'static [Template] {
    static T: OnceLock<Vec<Template>> = OnceLock::new();
    T.get_or_init(|| {
        let mut v: Vec<Template> =
            FORMS.iter().map(|f| Template { op: f.op, pieces: pieces_of(f.asm), text: f.asm, alias: false }).collect();
        v.extend(ALIASES.iter().map(|&(op, text)| Template { op, pieces: pieces_of(text), text, alias: true }));
        v
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_templates_split() {
        for t in templates() {
            assert!(!t.pieces.is_empty(), "{}", t.text);
        }
    }

    #[test]
    fn split_example() {
        let p = pieces_of("$d = *(u8 *)($s $moff)");
        assert_eq!(p.len(), 11);
        assert_eq!(p[3], Piece::Lit("("));
        assert_eq!(p[4], Piece::Lit("u8"));
    }
}
