//! The terminals of instruction statements, from a statement's logos tokens.
//!
//! Registers and template literals (keywords such as `goto`, `ll`, `u32`; punctuators) are one
//! terminal each. An operand expression becomes one terminal too: the expression grammar
//! ([`crate::expr`]) parses it where it starts and ends it where it cannot go on, so `r1 = sym
//! ll` is `R64 "=" Expr "ll"` and `*(u32 *)(r10 - 8)` ends its offset at the `)`. A keyword
//! starts a statement as a keyword; past the start it is one where the next token can follow it
//! in some template, else a symbol's name (`call exit`, as llvm-mc reads it).
//!
//! Three punctuators open either a bracket of the template or an expression: `(` belongs to
//! the template when a register or a keyword follows it (`(u32 *)`, `(r1 + 4)`, `(s8)`), and `-`
//! is the template's negation when a register follows `= -`; otherwise they start an
//! expression.
//!
//! Expressions are parsed with the pure resolver ([`Pure`]): nothing is interned here; an
//! operand that names symbols is parsed again when the statement is bound.

use super::Pure;
use crate::expr::{Cursor, Expr, ExprError};
use crate::lexer::{Tok, Token};
use bpf_isa::syntax::{can_follow, can_follow_mid, keyword, literal, Term};

/// A register terminal: its number, byte range and token index.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RegTok {
    pub n: u8,
    pub start: u32,
    pub end: u32,
    pub idx: u32,
}

/// An expression terminal as the parser sees it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ExprTok {
    /// Its index in [`Tokens::operands`].
    pub idx: u8,
    /// It starts with `+` or `-` (a memory offset must).
    pub signed: bool,
    /// Its first token's index.
    pub first: u32,
}

/// An expression terminal.
#[derive(Clone, Debug, PartialEq)]
pub struct Operand {
    /// The tree as the pure resolver read it (final unless `named`).
    pub expr: Expr,
    /// It names a symbol, `.`, a local label or a builtin: bind parses it again.
    pub named: bool,
    /// Its first token's index.
    pub first: u32,
}

/// A terminal of the statement grammar (small: the parser moves it on every step).
#[derive(Clone, Copy, Debug)]
pub enum T {
    R64(RegTok),
    R32(RegTok),
    Expr(ExprTok),
    /// A template literal ([`bpf_isa::syntax::literals`]).
    Lit(u16),
    /// An expression that did not parse ([`Tokens::bad`]; no production takes it).
    Bad,
    /// A token no template has (`:`, a stray character).
    Other,
}

/// The most expressions a statement hands the parser: the most of any template (three) and
/// the one the parser looks at before it rejects a statement with more.
pub const MAX_OPERANDS: usize = 4;

impl T {
    /// The table's terminal (for explaining errors).
    pub fn term(&self) -> Option<Term> {
        Some(match self {
            T::R64(_) => Term::R64,
            T::R32(_) => Term::R32,
            T::Expr(_) => Term::Expr,
            T::Lit(i) => Term::Lit(*i),
            T::Bad | T::Other => return None,
        })
    }
}

/// Whether a token is `(` (one byte compared, not a string).
#[inline]
fn is_open(t: Tok<'_>) -> bool {
    matches!(t, Tok::Punct(p) if p.as_bytes() == b"(")
}

type Item = (u32, T, u32);

/// The terminals of one statement.
pub struct Tokens<'t, 'a, 'p, 'x, 's> {
    toks: &'t [Token<'a>],
    pos: usize,
    file: u32,
    eol: u32,
    pure: &'p mut Pure<'x>,
    /// The expressions handed out.
    operands: &'s mut [Option<Operand>; MAX_OPERANDS],
    n_operands: usize,
    /// The error of the expression that did not parse.
    pub bad: Option<ExprError>,
    /// The last terminal handed out (`None` also after one that is not a terminal of the table).
    prev: Option<Term>,
    /// The token index the last terminal handed out starts at.
    pub last_start: usize,
}

impl<'t, 'a, 'p, 'x, 's> Tokens<'t, 'a, 'p, 'x, 's> {
    pub fn new(
        toks: &'t [Token<'a>],
        file: u32,
        eol: u32,
        pure: &'p mut Pure<'x>,
        operands: &'s mut [Option<Operand>; MAX_OPERANDS],
    ) -> Self {
        Tokens { toks, pos: 0, file, eol, pure, operands, n_operands: 0, bad: None, prev: None, last_start: 0 }
    }

    /// Whether the `(` at `i` is the template's: a register or a keyword follows its run of `(`.
    fn template_bracket(&self, i: usize) -> bool {
        let next = self.toks[i..].iter().find(|t| !is_open(t.tok));
        match next.map(|t| t.tok) {
            Some(Tok::Reg(..)) => true,
            Some(Tok::Ident(s)) => keyword(s).is_some(),
            _ => false,
        }
    }

    /// Whether the word `s` at token `i` is a keyword: at the start of the statement if it is
    /// one at all; past it, unless an expression may stand here (after the terminal before it)
    /// and the next token cannot follow the keyword ([`can_follow_mid`]).
    fn is_keyword_here(&self, s: &str, i: usize) -> bool {
        let Some(k) = keyword(s) else { return false };
        if i == 0 || !self.prev.is_some_and(|p| can_follow(p, Some(Term::Expr))) {
            return true;
        }
        let follows = |b: Term| can_follow_mid(Term::Lit(k), Some(b));
        match self.toks.get(i + 1).map(|t| t.tok) {
            None => can_follow_mid(Term::Lit(k), None),
            Some(Tok::Reg(_, w)) => follows(if w { Term::R32 } else { Term::R64 }),
            Some(Tok::Ident(w)) => keyword(w).is_some_and(|m| follows(Term::Lit(m))) || follows(Term::Expr),
            Some(Tok::Punct(p)) => {
                literal(p).is_some_and(|m| follows(Term::Lit(m)))
                    || (follows(Term::Expr) && matches!(p, "(" | "-" | "+" | "~" | "!"))
            }
            Some(Tok::Num { .. } | Tok::Str(_) | Tok::LocalRef(..)) => follows(Term::Expr),
            Some(Tok::Bad(_)) => false,
        }
    }

    fn expression(&mut self) -> T {
        let first = self.pos;
        let mut c = Cursor::new(self.toks, self.file, self.eol);
        c.pos = first;
        self.pure.named = false;
        match c.expr(self.pure) {
            Ok(expr) => {
                self.pos = c.pos;
                let signed = matches!(self.toks[first].tok, Tok::Punct("+" | "-"));
                let Some(slot) = self.operands.get_mut(self.n_operands) else { return T::Other };
                *slot = Some(Operand { expr, named: self.pure.named, first: first as u32 });
                self.n_operands += 1;
                T::Expr(ExprTok { idx: self.n_operands as u8 - 1, signed, first: first as u32 })
            }
            Err(e) => {
                // The statement cannot match past here.
                self.pos = self.toks.len();
                self.bad = Some(e);
                T::Bad
            }
        }
    }
}

impl Iterator for Tokens<'_, '_, '_, '_, '_> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        let i = self.pos;
        let t = *self.toks.get(i)?;
        self.last_start = i;
        let lit = |s: &str| literal(s).map_or(T::Other, T::Lit);
        let next_is_reg = || matches!(self.toks.get(i + 1).map(|t| t.tok), Some(Tok::Reg(..)));
        let term = match t.tok {
            Tok::Reg(n, w) => {
                let r = RegTok { n, start: t.start, end: t.end, idx: i as u32 };
                if w {
                    T::R32(r)
                } else {
                    T::R64(r)
                }
            }
            Tok::Ident(s) if self.is_keyword_here(s, i) => lit(s),
            Tok::Punct("(") if self.template_bracket(i) => lit("("),
            Tok::Punct("-") if i > 0 && next_is_reg() && self.toks[i - 1].tok == Tok::Punct("=") => lit("-"),
            Tok::Punct("(" | "-" | "+" | "~" | "!")
            | Tok::Ident(_)
            | Tok::Num { .. }
            | Tok::Str(_)
            | Tok::LocalRef(..) => {
                let term = self.expression();
                let end = self.toks[self.pos.max(i + 1) - 1].end;
                self.prev = term.term();
                return Some((t.start, term, end));
            }
            Tok::Punct(p) => lit(p),
            Tok::Bad(_) => T::Other,
        };
        self.pos += 1;
        self.prev = term.term();
        Some((t.start, term, t.end))
    }
}
