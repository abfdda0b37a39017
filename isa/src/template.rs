//! Templates of the instruction table, split into pieces once.
//!
//! The same tokenizer rules are used by the assembler's lexer ([`PUNCTUATORS`]), so a template
//! and a source line that spell the same instruction produce the same token sequence.

use crate::table::{Op, ALIASES, FORMS};
use std::sync::OnceLock;

/// Multi-character punctuators, longest first (maximal munch).
pub static PUNCTUATORS: &[&str] = &[
    "<<=", ">>=", "+=", "-=", "*=", "/=", "%=", "|=", "&=", "^=", "==", "!=", ">=", "<=", "<<", ">>", "&&", "||", "=",
    "+", "-", "*", "/", "%", "|", "&", "^", "~", "!", "<", ">", "(", ")", "[", "]", ",", ":",
];

/// The punctuator at the start of `s` (maximal munch), as the same `&'static str` every time.
#[inline]
pub fn punct_at(s: &[u8]) -> Option<&'static str> {
    let b1 = s.get(1).copied().unwrap_or(0);
    let b2 = s.get(2).copied().unwrap_or(0);
    let p = |i: usize| Some(PUNCTUATORS[i]);
    match (s.first()?, b1, b2) {
        (b'<', b'<', b'=') => p(0),
        (b'>', b'>', b'=') => p(1),
        (b'+', b'=', _) => p(2),
        (b'-', b'=', _) => p(3),
        (b'*', b'=', _) => p(4),
        (b'/', b'=', _) => p(5),
        (b'%', b'=', _) => p(6),
        (b'|', b'=', _) => p(7),
        (b'&', b'=', _) => p(8),
        (b'^', b'=', _) => p(9),
        (b'=', b'=', _) => p(10),
        (b'!', b'=', _) => p(11),
        (b'>', b'=', _) => p(12),
        (b'<', b'=', _) => p(13),
        (b'<', b'<', _) => p(14),
        (b'>', b'>', _) => p(15),
        (b'&', b'&', _) => p(16),
        (b'|', b'|', _) => p(17),
        (b'=', ..) => p(18),
        (b'+', ..) => p(19),
        (b'-', ..) => p(20),
        (b'*', ..) => p(21),
        (b'/', ..) => p(22),
        (b'%', ..) => p(23),
        (b'|', ..) => p(24),
        (b'&', ..) => p(25),
        (b'^', ..) => p(26),
        (b'~', ..) => p(27),
        (b'!', ..) => p(28),
        (b'<', ..) => p(29),
        (b'>', ..) => p(30),
        (b'(', ..) => p(31),
        (b')', ..) => p(32),
        (b'[', ..) => p(33),
        (b']', ..) => p(34),
        (b',', ..) => p(35),
        (b':', ..) => p(36),
        _ => None,
    }
}

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
            let p = punct_at(&b[i..]).unwrap_or_else(|| panic!("bad character in template {t:?}"));
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
    fn punct_at_is_maximal_munch() {
        for (i, p) in PUNCTUATORS.iter().enumerate() {
            let got = punct_at(p.as_bytes()).unwrap();
            assert_eq!(got, *p);
            assert!(std::ptr::eq(got, PUNCTUATORS[i]));
            let longest = PUNCTUATORS.iter().filter(|q| p.starts_with(**q)).max_by_key(|q| q.len()).unwrap();
            assert_eq!(got, *longest);
        }
        assert_eq!(punct_at(b"<<= 1"), Some("<<="));
        assert_eq!(punct_at(b"a"), None);
    }

    #[test]
    fn split_example() {
        let p = pieces_of("$d = *(u8 *)($s $moff)");
        assert_eq!(p.len(), 11);
        assert_eq!(p[3], Piece::Lit("("));
        assert_eq!(p[4], Piece::Lit("u8"));
    }
}
