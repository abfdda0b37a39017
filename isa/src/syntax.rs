//! The instruction statements as productions of a grammar: each template's pieces as the
//! terminals an LR parser sees. The assembler's build script writes its lalrpop grammar from
//! [`productions`], and the assembler explains a syntax error with the same list, so the
//! grammar and the table cannot disagree.
//!
//! Terminals: every literal of the templates (keywords and punctuators, numbered by
//! [`literals`]), a 64-bit register, a 32-bit register, and an expression (numbers, names and
//! operators, parsed as one operand before the statement's grammar sees it).

use crate::template::{templates, Piece};
use std::sync::OnceLock;

/// A terminal of an instruction statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Term {
    /// A template literal: its index in [`literals`].
    Lit(u16),
    R64,
    R32,
    Expr,
}

/// One production: the template it parses (index into [`templates`]) and its terminals, in
/// which each of the template's register and expression pieces is one terminal.
#[derive(Clone, Debug)]
pub struct Production {
    pub template: usize,
    pub terms: Vec<Term>,
    /// For each terminal, the template piece it stands for.
    pub pieces: Vec<Piece>,
    /// The pieces that are not literals (registers and expressions), in order: what the
    /// production's values fill.
    pub operands: Vec<Piece>,
}

/// The distinct literal texts of all templates, sorted: a literal terminal's number is its
/// index here.
pub fn literals() -> &'static [&'static str] {
    static L: OnceLock<Vec<&'static str>> = OnceLock::new();
    L.get_or_init(|| {
        let mut v: Vec<&'static str> = templates()
            .iter()
            .flat_map(|t| t.pieces.iter())
            .filter_map(|p| match p {
                Piece::Lit(s) => Some(*s),
                _ => None,
            })
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    })
}

/// The number of literal `s`, if it is one.
#[inline]
pub fn literal(s: &str) -> Option<u16> {
    // The literals by first byte and length (most words of a statement, `.LBB0_3` or
    // `bpf_map`, share neither with a literal: no comparison at all).
    const MAX_LEN: usize = 32;
    static BUCKETS: OnceLock<Vec<Vec<(&'static str, u16)>>> = OnceLock::new();
    let buckets = BUCKETS.get_or_init(|| {
        let mut v = vec![Vec::new(); 256 * MAX_LEN];
        for (i, l) in literals().iter().enumerate() {
            assert!(l.len() < MAX_LEN, "literal `{l}` is too long");
            v[l.as_bytes()[0] as usize * MAX_LEN + l.len()].push((*l, i as u16));
        }
        v
    });
    let b = s.as_bytes();
    if b.is_empty() || b.len() >= MAX_LEN {
        return None;
    }
    let bucket = &buckets[b[0] as usize * MAX_LEN + b.len()];
    bucket.iter().find(|(l, _)| l.bytes().zip(b).all(|(x, y)| x == *y)).map(|&(_, i)| i)
}

/// The keyword (an identifier that is a template literal) `s`, if it is one.
#[inline]
pub fn keyword(s: &str) -> Option<u16> {
    match s.as_bytes().first() {
        Some(c) if c.is_ascii_alphabetic() || *c == b'_' => literal(s),
        _ => None,
    }
}

/// Whether terminal `b` (`None`: the end of the statement) follows terminal `a` somewhere in a
/// production.
pub fn can_follow(a: Term, b: Option<Term>) -> bool {
    follows(a, b, false)
}

/// [`can_follow`] where `a` stands past a production's first terminal. A word that is a
/// keyword is read as one there only if the next token can follow it (`call exit` calls a
/// symbol named `exit`, `r0 = lock ll` loads one named `lock`); at the start of a statement a
/// keyword is always one.
pub fn can_follow_mid(a: Term, b: Option<Term>) -> bool {
    follows(a, b, true)
}

/// The follow relation of the productions, over all positions or past the first.
fn follows(a: Term, b: Option<Term>, past_start: bool) -> bool {
    /// Row width, and the two tables (any position, past the first).
    static M: OnceLock<(usize, [Vec<bool>; 2])> = OnceLock::new();
    let n = literals().len();
    let id = |t: Term| match t {
        Term::Lit(i) => i as usize,
        Term::R64 => n,
        Term::R32 => n + 1,
        Term::Expr => n + 2,
    };
    let (width, tables) = M.get_or_init(|| {
        let width = n + 4;
        let mut any = vec![false; (n + 3) * width];
        let mut mid = any.clone();
        for p in productions() {
            for (i, t) in p.terms.iter().enumerate() {
                let at = id(*t) * width + p.terms.get(i + 1).map_or(n + 3, |u| id(*u));
                any[at] = true;
                mid[at] |= i > 0;
            }
        }
        (width, [any, mid])
    });
    tables[usize::from(past_start)][id(a) * width + b.map_or(n + 3, id)]
}

/// The productions of instruction statements, in table order. An optional piece (the `+ N`
/// of an indirect packet load) gives two productions. Two templates that read the same
/// terminals would make the grammar ambiguous: lalrpop refuses it when the build generates it
/// (and a test here says which two).
pub fn productions() -> &'static [Production] {
    static P: OnceLock<Vec<Production>> = OnceLock::new();
    P.get_or_init(|| {
        let mut out: Vec<Production> = Vec::new();
        for (i, t) in templates().iter().enumerate() {
            let variants: Vec<Vec<Piece>> = if t.pieces.contains(&Piece::IndOff) {
                vec![t.pieces.clone(), t.pieces.iter().copied().filter(|p| *p != Piece::IndOff).collect()]
            } else {
                vec![t.pieces.clone()]
            };
            for pieces in variants {
                let terms = pieces.iter().map(term_of).collect();
                let operands = pieces.iter().copied().filter(|p| !matches!(p, Piece::Lit(_))).collect();
                out.push(Production { template: i, terms, pieces, operands });
            }
        }
        out
    })
}

/// The terminal a piece is read as.
pub fn term_of(p: &Piece) -> Term {
    match *p {
        Piece::Lit(s) => Term::Lit(literal(s).expect("every literal is numbered")),
        Piece::Reg { w: false, .. } | Piece::FixedReg { w: false, .. } => Term::R64,
        Piece::Reg { w: true, .. } | Piece::FixedReg { w: true, .. } => Term::R32,
        Piece::Imm
        | Piece::Imm64
        | Piece::MemOff
        | Piece::JumpOff
        | Piece::JumpImm
        | Piece::AsDst
        | Piece::AsSrc
        | Piece::IndOff => Term::Expr,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_has_a_production() {
        let prods = productions();
        for (i, t) in templates().iter().enumerate() {
            assert!(prods.iter().any(|p| p.template == i), "{} has no production", t.text);
        }
        assert!(literal("goto").is_some() && keyword("goto").is_some() && keyword("*").is_none());
        let lit = |s: &str| Term::Lit(literal(s).unwrap());
        let goto = lit("goto");
        assert!(can_follow_mid(goto, Some(Term::Expr)) && !can_follow_mid(goto, None));
        assert!(!can_follow_mid(goto, Some(Term::R64)));
        assert!((0..literals().len()).all(|m| !can_follow_mid(lit("exit"), Some(Term::Lit(m as u16)))));
        // (`exit` ends a statement only at its start.)
        assert!(can_follow(lit("exit"), None) && !can_follow_mid(lit("exit"), None));
        assert!(can_follow(lit("call"), Some(Term::Expr)) && can_follow(lit("exit"), None));
        assert!(!can_follow(lit("("), Some(Term::Expr)) && !can_follow(Term::Expr, Some(Term::Expr)));
    }

    #[test]
    fn productions_are_distinct() {
        let prods = productions();
        for (i, a) in prods.iter().enumerate() {
            for b in &prods[i + 1..] {
                assert_ne!(a.terms, b.terms, "{} / {}", templates()[a.template].text, templates()[b.template].text);
            }
        }
    }
}
