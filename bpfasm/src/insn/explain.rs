//! Explaining a statement the grammar rejected, by the table: how far each production reads
//! the statement's terminals, and what those that read furthest expect there (as a reader of
//! the table would: "expected `ll` or end of statement, found `6`").
//!
//! A word that the adapter took for a name because the next token could not follow it as a
//! keyword (`be16` in `r1 = be16 goto`) is read both ways here, so the explanation points at the
//! token that is really wrong (`goto`, where a register was due). What the productions' actions
//! check (the sign of a memory offset, a fixed register) limits how far a production reads.

use super::tokens::{Tokens, T};
use super::{piece_text, tok_text, Lookup, MatchError, Pure};
use crate::expr::{Cursor, Span};
use crate::lexer::{Tok, Token};
use bpf_isa::syntax::{keyword, productions, Term};
use bpf_isa::Piece;

/// One terminal of the statement as the explanation reads it.
struct Read {
    /// Its first token.
    first: usize,
    /// The terminal, and the keyword it also is (a one-word expression that is a keyword).
    term: Option<Term>,
    also: Option<Term>,
    bad: bool,
    /// An expression that starts with a sign; a register's number.
    signed: bool,
    reg: Option<u8>,
}

/// Whether a terminal can be a production's `piece` (`term`): what the production's action
/// checks (a memory offset's sign, a fixed register) counts here too.
fn fits(r: &Read, term: Term, piece: Piece) -> bool {
    match piece {
        Piece::MemOff | Piece::IndOff => r.term == Some(Term::Expr) && r.signed,
        Piece::FixedReg { n, .. } => r.term == Some(term) && r.reg == Some(n),
        _ => r.term == Some(term) || r.also == Some(term),
    }
}

/// The error for a statement the parser rejected.
pub(super) fn explain(toks: &[Token<'_>], file: u32, eol: u32, look: &dyn Lookup) -> MatchError {
    let span_of = |t: &Token<'_>| Span { file, start: t.start, end: t.end };
    let mut pure = Pure::new(look);
    let mut scratch = Default::default();
    let mut ts = Tokens::new(toks, file, eol, &mut pure, &mut scratch);
    let mut reads: Vec<Read> = Vec::new();
    while let Some((_, t, end)) = ts.next() {
        let first = ts.last_start;
        let word = match toks[first].tok {
            Tok::Ident(s) => keyword(s),
            _ => None,
        };
        let also = match (&t, word) {
            // A one-word expression that is a keyword.
            (T::Expr(_), Some(w)) if end == toks[first].end => Some(Term::Lit(w)),
            _ => None,
        };
        let (signed, reg) = match t {
            T::Expr(e) => (e.signed, None),
            T::R64(r) | T::R32(r) => (false, Some(r.n)),
            _ => (false, None),
        };
        reads.push(Read { first, term: t.term(), also, bad: matches!(t, T::Bad), signed, reg });
    }
    let bad = ts.bad.take();
    if let Some(e) = &bad {
        if e.is_too_deep() {
            return MatchError::Expr(e.clone());
        }
    }
    // How far each production reads; the furthest, and what is expected there.
    let reach = |p: &bpf_isa::syntax::Production| {
        p.terms.iter().zip(&p.pieces).zip(&reads).take_while(|((t, piece), r)| fits(r, **t, **piece)).count()
    };
    let mut best = 0;
    for p in productions() {
        let n = reach(p);
        // (A production that reads every terminal would have parsed: not the explanation.)
        if n < reads.len() || p.terms.len() > n {
            best = best.max(n);
        }
    }
    if best == 0 {
        return MatchError::Unknown { span: span_of(&toks[0]) };
    }
    let mut expected: Vec<Piece> = Vec::new();
    let mut at_end = false;
    for p in productions() {
        if reach(p) >= best && (best < reads.len() || p.terms.len() > best) {
            match p.pieces.get(best) {
                Some(piece) => expected.push(*piece),
                None => at_end = true,
            }
        }
    }
    if expected.is_empty() && !at_end {
        return MatchError::Unknown { span: span_of(&toks[0]) };
    }
    let wants_expr = expected.iter().any(|p| !matches!(p, Piece::Lit(_) | Piece::Reg { .. } | Piece::FixedReg { .. }));
    let (span, found_text, found_reg) = match reads.get(best) {
        // An operand that did not parse where an expression may stand: its own error.
        Some(r) if r.bad && wants_expr => return MatchError::Expr(bad.expect("a bad terminal has its error")),
        Some(r) => {
            let t = &toks[r.first];
            (span_of(t), tok_text(t), matches!(t.tok, Tok::Reg(..)))
        }
        None => (Span { file, start: eol, end: eol }, "end of statement".to_string(), false),
    };
    let mut expected: Vec<String> = expected.into_iter().map(piece_text).collect();
    if at_end {
        expected.push("end of statement".into());
    }
    expected.sort();
    expected.dedup();
    // Where most operands could stand (`r0 = = ...`) the list says less than the expression
    // parser's own word on the token.
    if wants_expr && expected.len() > 4 && !found_reg {
        if let Some(r) = reads.get(best) {
            let mut c = Cursor::new(toks, file, eol);
            c.pos = r.first;
            if let Err(e) = c.expr(&mut Pure::new(look)) {
                return MatchError::Expr(e);
            }
        }
    }
    // A register of the wrong width: the register expectations say it all.
    if found_reg && expected.iter().any(|e| e.contains("register")) {
        expected.retain(|e| e.contains("register"));
    }
    MatchError::Mismatch { span, expected, found: found_text }
}
