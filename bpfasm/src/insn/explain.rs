//! Explaining a statement the grammar rejected, by the table: the templates that read its
//! first `k` terminals (where the parser stopped) and what each expects next.

use super::tokens::Tokens;
use super::{piece_text, tok_text, Lookup, MatchError, Pure};
use crate::expr::{ExprError, Span};
use crate::lexer::{Tok, Token};
use bpf_isa::syntax::{productions, Term};
use bpf_isa::Piece;

/// What the parser found where no production goes on.
pub(super) enum Found {
    /// A terminal starting at this token.
    Token(usize),
    /// An expression that did not parse, and the token it starts at.
    Bad(ExprError, usize),
    End,
}

/// The error for a statement whose terminal `k` (`found`) no production takes.
pub(super) fn explain(
    toks: &[Token<'_>],
    file: u32,
    eol: u32,
    look: &dyn Lookup,
    k: usize,
    found: Found,
) -> MatchError {
    let span_of = |t: &Token<'_>| Span { file, start: t.start, end: t.end };
    if k == 0 {
        return MatchError::Unknown { span: span_of(&toks[0]) };
    }
    // An expression too deep is the error whatever the templates say.
    if let Found::Bad(e, _) = &found {
        if e.is_too_deep() {
            return MatchError::Expr(e.clone());
        }
    }
    // The terminals before `k`, read again.
    let mut pure = Pure::new(look);
    let mut scratch = Default::default();
    let prefix: Vec<Option<Term>> =
        Tokens::new(toks, file, eol, &mut pure, &mut scratch).take(k).map(|(_, t, _)| t.term()).collect();
    let mut expected: Vec<Piece> = Vec::new();
    let mut at_end = false;
    for p in productions() {
        if p.terms.len() < k || p.terms[..k].iter().zip(&prefix).any(|(a, b)| Some(*a) != *b) {
            continue;
        }
        match p.pieces.get(k) {
            Some(piece) => expected.push(*piece),
            None => at_end = true,
        }
    }
    let wants_expr = expected.iter().any(|p| !matches!(p, Piece::Lit(_) | Piece::Reg { .. } | Piece::FixedReg { .. }));
    let (span, found_text, found_reg) = match found {
        // An operand that did not parse where an expression may stand: its own error.
        Found::Bad(e, _) if wants_expr => return MatchError::Expr(e),
        Found::Bad(_, i) | Found::Token(i) => {
            let t = &toks[i];
            (span_of(t), tok_text(t), matches!(t.tok, Tok::Reg(..)))
        }
        Found::End => (Span { file, start: eol, end: eol }, "end of statement".to_string(), false),
    };
    let mut expected: Vec<String> = expected.into_iter().map(piece_text).collect();
    if at_end {
        expected.push("end of statement".into());
    }
    expected.sort();
    expected.dedup();
    // A register of the wrong width: the register expectations say it all.
    if found_reg && expected.iter().any(|e| e.contains("register")) {
        expected.retain(|e| e.contains("register"));
    }
    MatchError::Mismatch { span, expected, found: found_text }
}
