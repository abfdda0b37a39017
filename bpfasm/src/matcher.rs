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
use btf::hash::FxHashMap as HashMap;
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

/// The candidates of one first token.
#[derive(Default)]
struct Entry {
    /// All of them, most specific first: (second literal or `None` = any, template index).
    all: Cands,
    /// The candidates for a given second token: those whose second piece is that literal
    /// and those whose second piece is not a literal, in the order of `all`.
    by_second: HashMap<&'static str, Third>,
    /// The candidates whose second piece is not a literal (for any other second token).
    any: Third,
}

/// Candidates told apart by the statement's third token (`r1 = r2`, `r1 = 5`, `r1 = *(...`
/// share two tokens and some forty templates): a template whose third piece is a literal or a
/// register is listed under that; one whose third piece is an expression (or that has none)
/// under every class, since its expression may start with anything. Order is kept.
#[derive(Default)]
struct Third {
    lit: HashMap<&'static str, Vec<usize>>,
    reg_r: Vec<usize>,
    reg_w: Vec<usize>,
    /// Templates whose third piece takes any token.
    other: Vec<usize>,
}

impl Third {
    fn new(cands: &[usize]) -> Third {
        let third = |i: usize| templates()[i].pieces.get(2).copied();
        let mut t = Third::default();
        for &i in cands {
            if let Some(Piece::Lit(s)) = third(i) {
                t.lit.entry(s).or_default();
            }
        }
        for &i in cands {
            match third(i) {
                Some(Piece::Lit(s)) => t.lit.get_mut(s).expect("registered above").push(i),
                Some(Piece::Reg { w: false, .. } | Piece::FixedReg { w: false, .. }) => t.reg_r.push(i),
                Some(Piece::Reg { w: true, .. } | Piece::FixedReg { w: true, .. }) => t.reg_w.push(i),
                _ => {
                    for v in t.lit.values_mut() {
                        v.push(i);
                    }
                    t.reg_r.push(i);
                    t.reg_w.push(i);
                    t.other.push(i);
                }
            }
        }
        t
    }

    fn for_third(&self, tok: Option<Tok<'_>>) -> &[usize] {
        match tok {
            Some(Tok::Reg(_, false)) => &self.reg_r,
            Some(Tok::Reg(_, true)) => &self.reg_w,
            Some(Tok::Ident(s) | Tok::Punct(s)) => self.lit.get(s).map_or(&self.other[..], |v| v),
            _ => &self.other,
        }
    }
}

impl Entry {
    fn new(all: Cands) -> Entry {
        let mut seconds: Vec<&'static str> = all.iter().filter_map(|&(sec, _)| sec).collect();
        seconds.sort_unstable();
        seconds.dedup();
        let by_second = seconds
            .into_iter()
            .map(|s| {
                let v: Vec<usize> = all.iter().filter(|(sec, _)| sec.is_none_or(|x| x == s)).map(|&(_, i)| i).collect();
                (s, Third::new(&v))
            })
            .collect();
        let any: Vec<usize> = all.iter().filter(|(sec, _)| sec.is_none()).map(|&(_, i)| i).collect();
        Entry { all, by_second, any: Third::new(&any) }
    }

    /// The candidates worth trying for a statement's second and third tokens.
    fn candidates(&self, second: Option<&str>, third: Option<Tok<'_>>) -> &[usize] {
        match second.and_then(|s| self.by_second.get(s)) {
            Some(t) => t.for_third(third),
            None => self.any.for_third(third),
        }
    }
}

struct Index {
    reg_r: Entry,
    reg_w: Entry,
    lit: HashMap<&'static str, Entry>,
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
        let mut by_first: HashMap<Key, Vec<(Option<&'static str>, usize)>> = HashMap::default();
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
        let mut index = Index { reg_r: Entry::default(), reg_w: Entry::default(), lit: HashMap::default() };
        for (k, mut v) in by_first {
            v.sort_by_key(|&(_, i)| (std::cmp::Reverse(lits(i)), i));
            match k {
                Key::RegR => index.reg_r = Entry::new(v),
                Key::RegW => index.reg_w = Entry::new(v),
                Key::Lit(s) => {
                    index.lit.insert(s, Entry::new(v));
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
    let entry = match first.tok {
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
    for &ti in entry.candidates(second, toks.get(2).map(|t| t.tok)) {
        if !prefix_fits(&all[ti], toks) {
            continue;
        }
        r.named = false;
        if let Ok(ops) = try_template(&all[ti], toks, file, eol, r) {
            return Ok(Selected { template: ti, ops: (!r.named).then_some(ops) });
        }
    }
    // No match: explain.
    let mut best: Option<(usize, Fail)> = None;
    let mut expected: Vec<Expect> = Vec::new();
    for &(sec, ti) in &entry.all {
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

/// Whether the tokens can start like `t`: its leading literals and registers (which take one
/// token each, before any expression) are checked against the statement's first tokens as
/// [`try_template`] checks them. Most candidates fail here, without parsing an expression or
/// building operands (a statement `r1 = ...` has some forty candidates).
fn prefix_fits(t: &Template, toks: &[Token<'_>]) -> bool {
    for (p, tok) in t.pieces.iter().zip(toks.iter().map(|t| t.tok).chain(std::iter::repeat(Tok::Bad(' ')))) {
        let fits = match (*p, tok) {
            (Piece::Lit(s), Tok::Ident(x)) => x == s,
            (Piece::Lit(s), Tok::Punct(x)) => std::ptr::eq(x, s) || x == s,
            (Piece::Lit(_), _) => false,
            (Piece::FixedReg { n, w }, Tok::Reg(m, v)) => m == n && v == w,
            (Piece::FixedReg { .. }, _) => false,
            (Piece::Reg { w, .. }, Tok::Reg(_, v)) => v == w,
            (Piece::Reg { .. }, _) => false,
            // The first expression: token positions are not fixed past it.
            _ => return true,
        };
        if !fits {
            return false;
        }
    }
    true
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
