//! Matching a statement's tokens against the instruction table's templates.
//!
//! Matching is pure: candidates are tried with [`Pure`], which answers the read-only questions
//! (is this name a constant, is local label `1` defined) and stands in for every symbol without
//! creating it. Only the chosen template is bound with the assembler's resolver ([`bind`]),
//! which interns its symbols and records their references once; a statement without names
//! needs no second pass.

use crate::expr::{Cursor, Expr, ExprError, Span, SymId, SymbolResolver};
use crate::lexer::{Tok, Token};
use bpf_isa::{templates, Op, Piece, RegField, Template};
use std::collections::HashMap;
use std::sync::OnceLock;

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

/// The template an instruction statement matched, and its operands when they name no symbol
/// (then they are final; otherwise [`bind`] parses them again with the real resolver).
#[derive(Debug)]
pub struct Selected {
    pub template: usize,
    pub ops: Option<Operands>,
}

/// The read-only questions matching may ask of the assembler.
pub trait Lookup {
    /// A named constant that is not a symbol (see [`SymbolResolver::constant`]).
    fn constant(&self, name: &str) -> Option<i64>;
    /// Whether numeric local label `n` has been defined (so that `nb` refers to something).
    fn local_defined(&self, n: u32) -> bool;
}

/// The resolver of matching: creates nothing, records nothing.
pub struct Pure<'x> {
    look: &'x dyn Lookup,
    /// A name, `.`, a local label or a builtin was seen: the operands must be bound again.
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

/// Why no template matched.
#[derive(Debug)]
pub enum MatchError {
    /// No template starts like this statement.
    Unknown {
        span: Span,
    },
    /// The best candidate failed here.
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

/// What a failed template wanted at the failing position (formatted only for diagnostics).
#[derive(Clone, Copy, Debug)]
enum Expect {
    Piece(Piece),
    End,
}

impl Expect {
    fn text(self) -> String {
        match self {
            Expect::Piece(p) => piece_text(&p),
            Expect::End => "end of statement".into(),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    RegR,
    RegW,
    Lit(&'static str),
}

type Cands = Vec<(Option<&'static str>, usize)>;

struct Index {
    /// Candidates by first token: (second literal or `None` = any, template index).
    reg_r: Cands,
    reg_w: Cands,
    lit: HashMap<&'static str, Cands>,
}

fn first_key(p: &Piece) -> Key {
    match *p {
        Piece::Reg { w, .. } | Piece::FixedReg { w, .. } => {
            if w {
                Key::RegW
            } else {
                Key::RegR
            }
        }
        Piece::Lit(s) => Key::Lit(s),
        _ => unreachable!("templates start with a register or a literal"),
    }
}

fn index() -> &'static Index {
    static I: OnceLock<Index> = OnceLock::new();
    I.get_or_init(|| {
        let mut by_first: HashMap<Key, Vec<(Option<&'static str>, usize)>> = HashMap::new();
        for (i, t) in templates().iter().enumerate() {
            let second = match t.pieces.get(1) {
                Some(Piece::Lit(s)) => Some(*s),
                _ => None,
            };
            by_first.entry(first_key(&t.pieces[0])).or_default().push((second, i));
        }
        // Templates with more literal text are more specific: try them first, so that
        // `call pc+2` is not read as a call to a symbol named `pc`.
        let lits = |i: usize| templates()[i].pieces.iter().filter(|p| matches!(p, Piece::Lit(_))).count();
        let mut index = Index { reg_r: Vec::new(), reg_w: Vec::new(), lit: HashMap::new() };
        for (k, mut v) in by_first {
            v.sort_by_key(|&(_, i)| std::cmp::Reverse(lits(i)));
            match k {
                Key::RegR => index.reg_r = v,
                Key::RegW => index.reg_w = v,
                Key::Lit(s) => {
                    index.lit.insert(s, v);
                }
            }
        }
        index
    })
}

fn tok_text(t: &Token<'_>) -> String {
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

fn piece_text(p: &Piece) -> String {
    match *p {
        Piece::Lit(s) => format!("`{s}`"),
        Piece::Reg { w: false, .. } => "a 64-bit register (r0-r10)".into(),
        Piece::Reg { w: true, .. } => "a 32-bit register (w0-w10)".into(),
        Piece::FixedReg { n, w } => format!("`{}{n}`", if w { 'w' } else { 'r' }),
        Piece::MemOff => "`+` or `-` and an offset".into(),
        Piece::JumpOff | Piece::JumpImm => "a jump target".into(),
        _ => "an expression".into(),
    }
}

enum Fail {
    At { pos: usize, expected: Expect },
    Tied { pos: usize, want: String },
    Expr(ExprError, usize),
}

fn try_template(
    t: &Template,
    toks: &[Token<'_>],
    file: u32,
    eol: u32,
    r: &mut dyn SymbolResolver,
) -> Result<Operands, Fail> {
    let mut c = Cursor::new(toks, file, eol);
    let mut ops = Operands::default();
    let n = t.pieces.len();
    for (pi, p) in t.pieces.iter().enumerate() {
        let pos = c.pos;
        let fail = |pos| Fail::At { pos, expected: Expect::Piece(*p) };
        match *p {
            Piece::Lit(s) => match c.peek_tok() {
                Some(Tok::Ident(x)) if x == s => c.pos += 1,
                // Punctuators are the same static strings on both sides: compare addresses.
                Some(Tok::Punct(x)) if std::ptr::eq(x, s) || x == s => c.pos += 1,
                _ => return Err(fail(pos)),
            },
            Piece::FixedReg { n, w } => match c.peek_tok() {
                Some(Tok::Reg(m, v)) if m == n && v == w => c.pos += 1,
                _ => return Err(fail(pos)),
            },
            Piece::Reg { field, w } => match c.peek_tok() {
                Some(Tok::Reg(m, v)) if v == w => {
                    let span = c.span_here();
                    let slot = match field {
                        RegField::Dst => &mut ops.dst,
                        RegField::Src => &mut ops.src,
                    };
                    match slot {
                        Some((prev, _)) if *prev != m => {
                            let want = format!("{}{}", if w { 'w' } else { 'r' }, prev);
                            return Err(Fail::Tied { pos, want });
                        }
                        _ => *slot = Some((m, span)),
                    }
                    c.pos += 1;
                }
                _ => return Err(fail(pos)),
            },
            Piece::MemOff | Piece::IndOff => {
                // The sign is part of the expression: `r10 - FRAME * 2 + 8` is `-(FRAME*2) + 8`.
                if !matches!(c.peek_tok(), Some(Tok::Punct("+" | "-"))) {
                    if matches!(p, Piece::IndOff) {
                        continue;
                    }
                    return Err(fail(pos));
                }
                let e = c.expr(r).map_err(|e| Fail::Expr(e, pos))?;
                if matches!(p, Piece::MemOff) {
                    ops.off = Some(e);
                } else {
                    ops.imm = Some(e);
                }
            }
            Piece::Imm | Piece::Imm64 | Piece::JumpOff | Piece::JumpImm | Piece::AsDst | Piece::AsSrc => {
                // A register where an expression is expected is a plain mismatch, so that the
                // register form of the same instruction can explain the problem.
                if c.at_end() || matches!(c.peek_tok(), Some(Tok::Reg(..))) {
                    return Err(fail(pos));
                }
                // An expression must not swallow what the template expects next (`ll`, `goto`).
                let e = c.expr(r).map_err(|e| Fail::Expr(e, pos))?;
                let slot = match p {
                    Piece::Imm | Piece::Imm64 => &mut ops.imm,
                    Piece::JumpOff | Piece::JumpImm => &mut ops.target,
                    Piece::AsDst => &mut ops.asd,
                    _ => &mut ops.ass,
                };
                *slot = Some(e);
            }
        }
        let _ = (pi, n);
    }
    if !c.at_end() {
        return Err(Fail::At { pos: c.pos, expected: Expect::End });
    }
    Ok(ops)
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
    let sel = select(toks, file, eol, &mut Pure::new(&Unknown))?;
    bind(sel, toks, file, eol, r)
}

/// Bind the operands of the template [`select`] chose, with the assembler's resolver:
/// the one place an instruction's symbols are interned and their references recorded.
pub fn bind(
    sel: Selected,
    toks: &[Token<'_>],
    file: u32,
    eol: u32,
    r: &mut dyn SymbolResolver,
) -> Result<Matched, MatchError> {
    let t = &templates()[sel.template];
    let ops = match sel.ops {
        Some(ops) => ops,
        None => match try_template(t, toks, file, eol, r) {
            Ok(ops) => ops,
            Err(Fail::Expr(e, _)) => return Err(MatchError::Expr(e)),
            // The same tokens and template matched a moment ago: only an expression's value
            // (a builtin's) can differ.
            Err(_) => return Err(MatchError::Unknown { span: Span { file, start: toks[0].start, end: eol } }),
        },
    };
    Ok(Matched { op: t.op, ops })
}

/// Select the template of an instruction statement. `toks` is the whole statement.
///
/// The first pass tries the candidates without bookkeeping; only when none matches does a
/// second pass collect what the furthest-reaching candidates expected, for the diagnostic.
pub fn select(toks: &[Token<'_>], file: u32, eol: u32, r: &mut Pure<'_>) -> Result<Selected, MatchError> {
    let first = &toks[0];
    let span_of = |t: &Token<'_>| Span { file, start: t.start, end: t.end };
    let idx = index();
    let cands = match first.tok {
        Tok::Reg(_, false) => &idx.reg_r,
        Tok::Reg(_, true) => &idx.reg_w,
        Tok::Ident(s) | Tok::Punct(s) => match idx.lit.get(s) {
            Some(c) => c,
            None => return Err(MatchError::Unknown { span: span_of(first) }),
        },
        _ => return Err(MatchError::Unknown { span: span_of(first) }),
    };
    let second = toks.get(1).and_then(|t| match t.tok {
        Tok::Ident(s) | Tok::Punct(s) => Some(s),
        _ => None,
    });
    let all = templates();
    for &(sec, ti) in cands {
        if let (Some(a), Some(b)) = (sec, second) {
            if !std::ptr::eq(a, b) && a != b {
                continue;
            }
        }
        r.named = false;
        if let Ok(ops) = try_template(&all[ti], toks, file, eol, r) {
            return Ok(Selected { template: ti, ops: (!r.named).then_some(ops) });
        }
    }
    // No match: explain.
    let mut best: Option<(usize, Fail)> = None;
    let mut expected: Vec<Expect> = Vec::new();
    for &(sec, ti) in cands {
        if let (Some(a), Some(b)) = (sec, second) {
            if a != b {
                note(&mut best, &mut expected, Fail::At { pos: 1, expected: Expect::Piece(Piece::Lit(a)) });
                continue;
            }
        }
        if let Err(f) = try_template(&all[ti], toks, file, eol, r) {
            note(&mut best, &mut expected, f);
        }
    }
    let Some((pos, fail)) = best else { return Err(MatchError::Unknown { span: span_of(first) }) };
    Err(match fail {
        Fail::Expr(e, _) => MatchError::Expr(e),
        Fail::Tied { pos, want } => MatchError::Tied { span: span_of(&toks[pos]), want },
        Fail::At { .. } => {
            let (span, found) = match toks.get(pos) {
                Some(t) => (span_of(t), tok_text(t)),
                None => (Span { file, start: eol, end: eol }, "end of statement".into()),
            };
            let mut expected: Vec<String> = expected.into_iter().map(Expect::text).collect();
            expected.sort();
            expected.dedup();
            // A register of the wrong width: the register expectations say it all.
            if matches!(toks.get(pos).map(|t| t.tok), Some(Tok::Reg(..)))
                && expected.iter().any(|e| e.contains("register"))
            {
                expected.retain(|e| e.contains("register"));
            }
            MatchError::Mismatch { span, expected, found }
        }
    })
}

fn fail_pos(f: &Fail) -> usize {
    match f {
        Fail::At { pos, .. } | Fail::Tied { pos, .. } => *pos,
        // Too deep an expression: every template would say so; it is the error to report.
        Fail::Expr(e, _) if e.is_too_deep() => usize::MAX,
        // An expression error means the template matched up to the expression: rank it high.
        Fail::Expr(_, pos) => *pos + 1,
    }
}

fn note(best: &mut Option<(usize, Fail)>, expected: &mut Vec<Expect>, f: Fail) {
    let p = fail_pos(&f);
    match best {
        Some((bp, _)) if *bp > p => {}
        Some((bp, _)) if *bp == p => {
            if let Fail::At { expected: e, .. } = &f {
                expected.push(*e);
            }
        }
        _ => {
            expected.clear();
            if let Fail::At { expected: e, .. } = &f {
                expected.push(*e);
            }
            *best = Some((p, f));
        }
    }
}

/// Mnemonic-like words of all templates, for "did you mean" suggestions.
pub fn known_words() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = templates()
        .iter()
        .flat_map(|t| t.pieces.iter())
        .filter_map(|p| match p {
            Piece::Lit(s) if s.len() > 2 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => Some(*s),
            _ => None,
        })
        .collect();
    v.sort();
    v.dedup();
    v
}
