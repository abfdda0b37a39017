//! Instruction statements: an LR grammar written from the instruction table at build time
//! (one production per template, see `build/insn_grammar.rs` and [`bpf_isa::syntax`]), over
//! terminals made from the statement's tokens ([`tokens`]).
//!
//! Parsing is pure: [`select`] parses with [`Pure`], which answers the read-only questions (is
//! this name a constant, is local label `1` defined) and stands in for every symbol without
//! creating it. [`bind`] then lowers the chosen template's operands with the assembler's
//! resolver, the one place an instruction's symbols are interned and their references
//! recorded; operands without names are final after parsing.
//!
//! A statement that does not parse is explained by the table ([`explain`]): how far each
//! production reads it, and what those that read furthest expect there.

use crate::expr::{Cursor, Expr, ExprError, Span, SymId, SymbolResolver};
use crate::lexer::{Tok, Token};
use bpf_isa::syntax::{literals, productions};
use bpf_isa::{templates, Op, Piece, RegField};
use std::sync::OnceLock;

mod explain;
pub(crate) mod tokens;

use tokens::{ExprTok, Operand, RegTok, MAX_OPERANDS};

/// The numbers of the literal terminals, as the generated grammar's patterns name them.
#[allow(dead_code)]
mod lits {
    include!(concat!(env!("OUT_DIR"), "/insn/lits.rs"));
}

lalrpop_util::lalrpop_mod!(
    #[allow(clippy::all, clippy::pedantic, unused_parens, unused_imports, dead_code)]
    grammar,
    "/insn/grammar.rs"
);

/// Operands bound by a successful match.
#[derive(Debug, Default)]
pub struct Operands {
    pub dst: Option<(u8, Span)>,
    pub src: Option<(u8, Span)>,
    pub imm: Option<Expr>,
    pub off: Option<Expr>,
    /// pc-relative target (`$joff` / `$jimm`).
    pub target: Option<Expr>,
    pub asd: Option<Expr>,
    pub ass: Option<Expr>,
}

#[derive(Debug)]
pub struct Matched {
    pub op: Op,
    pub ops: Operands,
}

/// The operand an expression fills.
#[derive(Clone, Copy, Debug)]
enum Slot {
    Imm,
    Off,
    Target,
    AsDst,
    AsSrc,
}

/// What a production's action makes of a statement: the template, its registers, and which
/// expression (by index) fills which operand. Small, as the parser moves it. [`select`] gives
/// it back; the expressions, unresolved, are in the [`Scratch`] it was parsed with.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    template: u16,
    dst: Option<RegTok>,
    src: Option<RegTok>,
    exprs: [Option<(Slot, u8)>; 3],
    problem: Option<Problem>,
}

/// The expressions of the statement being parsed, kept by the caller from [`select`] to
/// [`bind`] (not moved with the parse result).
pub type Scratch = [Option<Operand>; MAX_OPERANDS];

/// The read-only questions parsing may ask of the assembler.
pub trait Lookup {
    /// A named constant that is not a symbol (see [`SymbolResolver::constant`]).
    fn constant(&self, name: &str) -> Option<i64>;
    /// Whether numeric local label `n` has been defined (so that `nb` refers to something).
    fn local_defined(&self, n: u32) -> bool;
}

/// The resolver of parsing: creates nothing, records nothing.
pub struct Pure<'x> {
    look: &'x dyn Lookup,
    /// A name, `.`, a local label or a builtin was seen: the operand must be bound again.
    named: bool,
}

impl<'x> Pure<'x> {
    pub fn new(look: &'x dyn Lookup) -> Self {
        Pure { look, named: false }
    }
}

impl SymbolResolver for Pure<'_> {
    fn symbol(&mut self, _name: &str, _span: Span) -> SymId {
        self.named = true;
        0
    }

    fn dot(&mut self, _span: Span) -> SymId {
        self.named = true;
        0
    }

    fn local_ref(&mut self, n: u32, backward: bool, _span: Span) -> Result<SymId, String> {
        if backward && !self.look.local_defined(n) {
            return Err(format!("no previous definition of local label `{n}`"));
        }
        self.named = true;
        Ok(0)
    }

    fn constant(&mut self, name: &str) -> Option<i64> {
        self.look.constant(name)
    }

    fn builtin(&mut self, _name: &str, _args: &[(u32, u32)], _span: Span) -> Option<Result<i64, String>> {
        self.named = true;
        Some(Ok(0))
    }
}

/// Why a statement is not an instruction.
#[derive(Debug)]
pub enum MatchError {
    /// No template starts like this statement.
    Unknown {
        span: Span,
    },
    /// The templates that read the statement this far expect something else here.
    Mismatch {
        span: Span,
        expected: Vec<String>,
        found: String,
    },
    /// A tied register differs (`r1 = -r2`).
    Tied {
        span: Span,
        want: String,
    },
    Expr(ExprError),
}

/// What a production's action finds wrong with the values its terminals allow (at token
/// `idx`; reported by [`select`]).
#[derive(Clone, Copy, Debug)]
pub enum Problem {
    /// A register that must repeat the earlier register `want` (number, `w`).
    Tied { idx: u32, want: (u8, bool) },
    /// A piece the terminal does not fully check: a fixed register, an offset's sign.
    Expected { idx: u32, piece: Piece },
}

/// A value of a production: a register or an expression terminal.
pub enum V {
    R(RegTok),
    E(ExprTok),
}

/// The action of production `prod` (generated grammar): its values, given to the template's
/// register and expression pieces in order.
fn act<const N: usize>(prod: usize, vals: [V; N]) -> Shape {
    let p = &productions()[prod];
    let mut sel = Shape { template: p.template as u16, dst: None, src: None, exprs: [None, None, None], problem: None };
    let mut n = 0;
    for (piece, v) in p.operands.iter().zip(vals) {
        let problem = match (*piece, v) {
            (Piece::Reg { field, w }, V::R(r)) => {
                let slot = match field {
                    RegField::Dst => &mut sel.dst,
                    RegField::Src => &mut sel.src,
                };
                match slot {
                    Some(prev) if prev.n != r.n => Some(Problem::Tied { idx: r.idx, want: (prev.n, w) }),
                    _ => {
                        *slot = Some(r);
                        None
                    }
                }
            }
            (Piece::FixedReg { n, .. }, V::R(r)) => {
                (r.n != n).then_some(Problem::Expected { idx: r.idx, piece: *piece })
            }
            (Piece::MemOff | Piece::IndOff, V::E(e)) if !e.signed => {
                Some(Problem::Expected { idx: e.first, piece: *piece })
            }
            (piece, V::E(e)) => {
                let slot = match piece {
                    Piece::Imm | Piece::Imm64 | Piece::IndOff => Slot::Imm,
                    Piece::MemOff => Slot::Off,
                    Piece::JumpOff | Piece::JumpImm => Slot::Target,
                    Piece::AsDst => Slot::AsDst,
                    _ => Slot::AsSrc,
                };
                sel.exprs[n] = Some((slot, e.idx));
                n += 1;
                None
            }
            _ => unreachable!("the generated grammar gives registers to register pieces"),
        };
        if sel.problem.is_none() {
            sel.problem = problem;
        }
    }
    sel
}

fn parser() -> &'static grammar::InsnParser {
    static P: OnceLock<grammar::InsnParser> = OnceLock::new();
    P.get_or_init(grammar::InsnParser::new)
}

pub(crate) fn tok_text(t: &Token<'_>) -> String {
    match t.tok {
        Tok::Ident(s) => format!("`{s}`"),
        Tok::Reg(n, w) => format!("`{}{n}`", if w { 'w' } else { 'r' }),
        Tok::Num { value, .. } => format!("`{value}`"),
        Tok::Str(s) => format!("\"{s}\""),
        Tok::LocalRef(n, b) => format!("`{n}{}`", if b { 'b' } else { 'f' }),
        Tok::Punct(p) => format!("`{p}`"),
        Tok::Bad(c) => format!("`{c}`"),
    }
}

/// What a template piece is, for diagnostics.
pub(crate) fn piece_text(p: Piece) -> String {
    match p {
        Piece::Lit(s) => format!("`{s}`"),
        Piece::Reg { w: false, .. } => "a 64-bit register (r0-r10)".into(),
        Piece::Reg { w: true, .. } => "a 32-bit register (w0-w10)".into(),
        Piece::FixedReg { n, w } => format!("`{}{n}`", if w { 'w' } else { 'r' }),
        Piece::MemOff | Piece::IndOff => "`+` or `-` and an offset".into(),
        Piece::JumpOff | Piece::JumpImm => "a jump target".into(),
        _ => "an expression".into(),
    }
}

/// Parse an instruction statement (`toks`, the whole statement) to its template, purely.
pub fn select(
    toks: &[Token<'_>],
    file: u32,
    eol: u32,
    pure: &mut Pure<'_>,
    scratch: &mut Scratch,
) -> Result<Shape, MatchError> {
    let look = pure.look;
    let res = parser().parse(tokens::Tokens::new(toks, file, eol, pure, scratch));
    let span_of = |i: u32| {
        let t = &toks[i as usize];
        Span { file, start: t.start, end: t.end }
    };
    match res {
        Ok(Shape { problem: Some(Problem::Tied { idx, want: (n, w) }), .. }) => {
            Err(MatchError::Tied { span: span_of(idx), want: format!("{}{n}", if w { 'w' } else { 'r' }) })
        }
        Ok(Shape { problem: Some(Problem::Expected { idx, piece }), .. }) => Err(MatchError::Mismatch {
            span: span_of(idx),
            expected: vec![piece_text(piece)],
            found: tok_text(&toks[idx as usize]),
        }),
        Ok(shape) => Ok(shape),
        // No production goes on: the table explains.
        Err(_) => Err(explain::explain(toks, file, eol, look)),
    }
}

/// Lower the operands of the template [`select`] chose with the assembler's resolver: the one
/// place an instruction's symbols are interned and their references recorded.
pub fn bind(
    shape: Shape,
    operands: &mut Scratch,
    toks: &[Token<'_>],
    file: u32,
    eol: u32,
    r: &mut dyn SymbolResolver,
) -> Result<Matched, MatchError> {
    let reg = |t: RegTok| (t.n, Span { file, start: t.start, end: t.end });
    let mut ops = Operands { dst: shape.dst.map(reg), src: shape.src.map(reg), ..Operands::default() };
    for (slot, i) in shape.exprs.into_iter().flatten() {
        let operand = operands[i as usize].take().expect("each expression fills one operand");
        let e = if operand.named {
            let mut c = Cursor::new(toks, file, eol);
            c.pos = operand.first as usize;
            c.expr(r).map_err(MatchError::Expr)?
        } else {
            operand.expr
        };
        let slot = match slot {
            Slot::Imm => &mut ops.imm,
            Slot::Off => &mut ops.off,
            Slot::Target => &mut ops.target,
            Slot::AsDst => &mut ops.asd,
            Slot::AsSrc => &mut ops.ass,
        };
        *slot = Some(e);
    }
    Ok(Matched { op: templates()[shape.template as usize].op, ops })
}

/// Select and bind in one call, for tools that read single instructions with a resolver of
/// their own (names are taken for symbols unless `r` says they are constants).
pub fn match_insn(toks: &[Token<'_>], file: u32, eol: u32, r: &mut dyn SymbolResolver) -> Result<Matched, MatchError> {
    struct Unknown;
    impl Lookup for Unknown {
        fn constant(&self, _name: &str) -> Option<i64> {
            None
        }
        fn local_defined(&self, _n: u32) -> bool {
            true
        }
    }
    if toks.is_empty() {
        return Err(MatchError::Unknown { span: Span { file, start: eol, end: eol } });
    }
    let mut scratch = Scratch::default();
    let sel = select(toks, file, eol, &mut Pure::new(&Unknown), &mut scratch)?;
    bind(sel, &mut scratch, toks, file, eol, r)
}

/// Mnemonic-like words of all templates, for "did you mean" suggestions.
pub fn known_words() -> Vec<&'static str> {
    literals()
        .iter()
        .copied()
        .filter(|s| s.len() > 2 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .collect()
}

#[cfg(test)]
mod tests;
