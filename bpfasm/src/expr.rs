//! Expressions in operands and data directives: numbers, symbols, `.`, and C operators.

use crate::lexer::{Tok, Token};

pub type SymId = u32;
/// A section id (an index into the assembly's sections).
pub type SecId = u32;

/// A source span: file id and byte range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Span {
    pub file: u32,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn to(self, other: Span) -> Span {
        Span { file: self.file, start: self.start.min(other.start), end: self.end.max(other.end) }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Shl,
    Shr,
    And,
    Or,
    Xor,
    LAnd,
    LOr,
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    Not,
    LNot,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Num(i64),
    Sym(SymId),
    Un(UnOp, Box<Expr>),
    Bin(BinOp, Box<Expr>, Box<Expr>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

impl Expr {
    pub fn num(v: i64, span: Span) -> Expr {
        Expr { kind: ExprKind::Num(v), span }
    }

    pub fn as_num(&self) -> Option<i64> {
        match self.kind {
            ExprKind::Num(v) => Some(v),
            _ => None,
        }
    }

    pub fn has_symbol(&self) -> bool {
        match &self.kind {
            ExprKind::Num(_) => false,
            ExprKind::Sym(_) => true,
            ExprKind::Un(_, e) => e.has_symbol(),
            ExprKind::Bin(_, a, b) => a.has_symbol() || b.has_symbol(),
        }
    }
}

/// What an identifier in an expression is ([`SymbolResolver::ident`]).
pub enum Ident {
    Const(i64),
    Sym(SymId),
}

/// Resolves names while parsing an expression.
pub trait SymbolResolver {
    /// The symbol for an identifier (created as undefined on first use).
    fn symbol(&mut self, name: &str, span: Span) -> SymId;
    /// A temporary symbol at the current location (`.`).
    fn dot(&mut self, span: Span) -> SymId;
    /// A numeric local label reference (`1b`, `1f`).
    fn local_ref(&mut self, n: u32, backward: bool, span: Span) -> Result<SymId, String>;
    /// A named constant that is not a symbol (C enumerators, UAPI constants).
    fn constant(&mut self, _name: &str) -> Option<i64> {
        None
    }
    /// An identifier in an expression: a named constant, or else a symbol.
    fn ident(&mut self, name: &str, span: Span) -> Ident {
        match self.constant(name) {
            Some(v) => Ident::Const(v),
            None => Ident::Sym(self.symbol(name, span)),
        }
    }
    /// A builtin function like `offsetof(struct s, f)` or `bpf_core_field_size(...)`; `args`
    /// are the byte ranges of the comma-separated arguments. `None`: not a builtin.
    fn builtin(&mut self, _name: &str, _args: &[(u32, u32)], _span: Span) -> Option<Result<i64, String>> {
        None
    }
}

/// Builtins that take C types and member paths (CO-RE and layout queries).
pub const BUILTINS: &[&str] = &[
    "offsetof",
    "sizeof",
    "bpf_core_field_offset",
    "bpf_core_field_size",
    "bpf_core_field_exists",
    "bpf_core_field_signed",
    "bpf_core_field_lshift",
    "bpf_core_field_rshift",
    "bpf_core_type_id_local",
    "bpf_core_type_id_kernel",
    "bpf_core_type_exists",
    "bpf_core_type_matches",
    "bpf_core_type_size",
    "bpf_core_enum_value_exists",
    "bpf_core_enum_value",
];

/// Why an expression did not parse.
#[derive(Clone, Debug)]
pub struct ExprError {
    pub span: Span,
    pub msg: String,
}

/// How deep an expression may nest: parentheses and unary operators, and the height of the
/// tree of binary operators (`a+a+...+a`). The parser, the evaluator and the tree's drop are
/// recursive; the limit keeps them far from the end of the stack (C compilers allow 256
/// levels of brackets).
pub const MAX_EXPR_DEPTH: u32 = 256;

impl ExprError {
    /// The expression exceeds [`MAX_EXPR_DEPTH`]: no other reading of the statement helps.
    pub fn is_too_deep(&self) -> bool {
        self.msg.starts_with(TOO_DEEP)
    }
}

const TOO_DEEP: &str = "expression nested too deeply";

/// A cursor over one statement's tokens.
pub struct Cursor<'t, 'a> {
    pub toks: &'t [Token<'a>],
    pub pos: usize,
    pub file: u32,
    /// Byte offset of the end of the statement (for "expected X at end of line").
    pub eol: u32,
    /// Current nesting of parentheses and unary operators.
    depth: u32,
}

impl<'t, 'a> Cursor<'t, 'a> {
    pub fn new(toks: &'t [Token<'a>], file: u32, eol: u32) -> Self {
        Cursor { toks, pos: 0, file, eol, depth: 0 }
    }

    fn too_deep(span: Span) -> ExprError {
        ExprError { span, msg: format!("{TOO_DEEP} (more than {MAX_EXPR_DEPTH} levels)") }
    }

    pub fn peek(&self) -> Option<&Token<'a>> {
        self.toks.get(self.pos)
    }

    pub fn peek_tok(&self) -> Option<Tok<'a>> {
        self.toks.get(self.pos).map(|t| t.tok)
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.toks.len()
    }

    pub fn bump(&mut self) -> Option<Token<'a>> {
        let t = self.toks.get(self.pos).copied();
        if t.is_some() {
            self.pos += 1;
        }
        t
    }

    pub fn span_here(&self) -> Span {
        match self.toks.get(self.pos) {
            Some(t) => Span { file: self.file, start: t.start, end: t.end },
            None => Span { file: self.file, start: self.eol, end: self.eol },
        }
    }

    pub fn span_of(&self, t: &Token<'_>) -> Span {
        Span { file: self.file, start: t.start, end: t.end }
    }

    pub fn eat_punct(&mut self, p: &str) -> bool {
        if let Some(Tok::Punct(q)) = self.peek_tok() {
            if q == p {
                self.pos += 1;
                return true;
            }
        }
        false
    }

    /// Parse an expression.
    pub fn expr(&mut self, r: &mut dyn SymbolResolver) -> Result<Expr, ExprError> {
        // A lone literal (most operands of data directives and `.loc`): what `binary` makes of
        // it, without its precedence climbing.
        if let Some(Token { tok: Tok::Num { value, overflow: false }, start, end }) = self.peek().copied() {
            let operator_next =
                matches!(self.toks.get(self.pos + 1), Some(Token { tok: Tok::Punct(p), .. }) if binop(p).is_some());
            if !operator_next {
                self.pos += 1;
                return Ok(Expr::num(value as i64, Span { file: self.file, start, end }));
            }
        }
        self.binary(r, 0).map(|(e, _)| e)
    }

    /// An expression and the height of its tree.
    fn binary(&mut self, r: &mut dyn SymbolResolver, min_prec: u8) -> Result<(Expr, u32), ExprError> {
        let (mut lhs, mut height) = self.unary(r)?;
        while let Some(Tok::Punct(p)) = self.peek_tok() {
            let Some((op, prec)) = binop(p) else { break };
            if prec < min_prec {
                break;
            }
            let op_span = self.span_here();
            self.pos += 1;
            let (rhs, rh) = self.binary(r, prec + 1)?;
            height = height.max(rh) + 1;
            if height > MAX_EXPR_DEPTH {
                return Err(Self::too_deep(op_span));
            }
            let span = lhs.span.to(rhs.span);
            lhs = Expr { kind: ExprKind::Bin(op, Box::new(lhs), Box::new(rhs)), span };
        }
        Ok((lhs, height))
    }

    fn unary(&mut self, r: &mut dyn SymbolResolver) -> Result<(Expr, u32), ExprError> {
        let here = self.span_here();
        if self.depth >= MAX_EXPR_DEPTH {
            return Err(Self::too_deep(here));
        }
        self.depth += 1;
        let e = self.unary_inner(r);
        self.depth -= 1;
        e
    }

    fn unary_inner(&mut self, r: &mut dyn SymbolResolver) -> Result<(Expr, u32), ExprError> {
        let here = self.span_here();
        let Some(t) = self.peek().copied() else {
            return Err(ExprError { span: here, msg: "expected an expression at end of line".into() });
        };
        let span = self.span_of(&t);
        match t.tok {
            Tok::Punct(p @ ("-" | "~" | "!" | "+")) => {
                self.pos += 1;
                let (e, h) = self.unary(r)?;
                let span = span.to(e.span);
                let op = match p {
                    "-" => UnOp::Neg,
                    "~" => UnOp::Not,
                    "!" => UnOp::LNot,
                    _ => return Ok((Expr { kind: e.kind, span }, h)),
                };
                if let ExprKind::Num(v) = e.kind {
                    let v = match op {
                        UnOp::Neg => v.wrapping_neg(),
                        UnOp::Not => !v,
                        UnOp::LNot => (v == 0) as i64,
                    };
                    return Ok((Expr::num(v, span), 0));
                }
                Ok((Expr { kind: ExprKind::Un(op, Box::new(e)), span }, h + 1))
            }
            Tok::Punct("(") => {
                self.pos += 1;
                let (e, h) = self.binary(r, 0)?;
                let close = self.span_here();
                if !self.eat_punct(")") {
                    return Err(ExprError { span: close, msg: "expected `)`".into() });
                }
                Ok((Expr { kind: e.kind, span: span.to(close) }, h))
            }
            Tok::Num { value, overflow } => {
                self.pos += 1;
                if overflow {
                    return Err(ExprError { span, msg: "integer literal does not fit in 64 bits".into() });
                }
                Ok((Expr::num(value as i64, span), 0))
            }
            Tok::Ident(".") => {
                self.pos += 1;
                Ok((Expr { kind: ExprKind::Sym(r.dot(span)), span }, 0))
            }
            Tok::Ident(name)
                if BUILTINS.contains(&name)
                    && matches!(self.toks.get(self.pos + 1).map(|t| t.tok), Some(Tok::Punct("("))) =>
            {
                // Collect the arguments up to the matching `)`.
                let open = self.pos + 1;
                let mut depth = 0usize;
                let mut args = Vec::new();
                let mut arg_start = None;
                let mut i = open;
                let mut close = None;
                while let Some(t) = self.toks.get(i) {
                    match t.tok {
                        Tok::Punct("(") | Tok::Punct("[") => {
                            depth += 1;
                            if depth > 1 && arg_start.is_none() {
                                arg_start = Some(t.start);
                            }
                        }
                        Tok::Punct(")") | Tok::Punct("]") => {
                            depth -= 1;
                            if depth == 0 {
                                if let Some(s) = arg_start.take() {
                                    args.push((s, self.toks[i - 1].end));
                                }
                                close = Some(i);
                                break;
                            }
                        }
                        Tok::Punct(",") if depth == 1 => {
                            if let Some(s) = arg_start.take() {
                                args.push((s, self.toks[i - 1].end));
                            }
                        }
                        _ => {
                            if arg_start.is_none() {
                                arg_start = Some(t.start);
                            }
                        }
                    }
                    i += 1;
                }
                let Some(close) = close else {
                    return Err(ExprError { span, msg: format!("`{name}(` is not closed") });
                };
                let full = Span { file: self.file, start: t.start, end: self.toks[close].end };
                self.pos = close + 1;
                match r.builtin(name, &args, full) {
                    Some(Ok(v)) => Ok((Expr::num(v, full), 0)),
                    Some(Err(msg)) => Err(ExprError { span: full, msg }),
                    None => Err(ExprError { span: full, msg: format!("`{name}` needs C declarations (`.cdecl`)") }),
                }
            }
            Tok::Ident(name) => {
                self.pos += 1;
                match r.ident(name, span) {
                    Ident::Const(v) => Ok((Expr::num(v, span), 0)),
                    Ident::Sym(id) => Ok((Expr { kind: ExprKind::Sym(id), span }, 0)),
                }
            }
            Tok::Str(s) => {
                // A quoted symbol name.
                self.pos += 1;
                Ok((Expr { kind: ExprKind::Sym(r.symbol(s, span)), span }, 0))
            }
            Tok::LocalRef(n, back) => {
                self.pos += 1;
                let id = r.local_ref(n, back, span).map_err(|msg| ExprError { span, msg })?;
                Ok((Expr { kind: ExprKind::Sym(id), span }, 0))
            }
            Tok::Reg(..) => Err(ExprError { span, msg: "a register is not allowed in an expression".into() }),
            _ => Err(ExprError { span, msg: "expected an expression".into() }),
        }
    }
}

fn binop(p: &str) -> Option<(BinOp, u8)> {
    Some(match p {
        "||" => (BinOp::LOr, 1),
        "&&" => (BinOp::LAnd, 2),
        "|" => (BinOp::Or, 3),
        "^" => (BinOp::Xor, 4),
        "&" => (BinOp::And, 5),
        "==" => (BinOp::Eq, 6),
        "!=" => (BinOp::Ne, 6),
        "<" => (BinOp::Lt, 7),
        ">" => (BinOp::Gt, 7),
        "<=" => (BinOp::Le, 7),
        ">=" => (BinOp::Ge, 7),
        "<<" => (BinOp::Shl, 8),
        ">>" => (BinOp::Shr, 8),
        "+" => (BinOp::Add, 9),
        "-" => (BinOp::Sub, 9),
        "*" => (BinOp::Mul, 10),
        "/" => (BinOp::Div, 10),
        "%" => (BinOp::Rem, 10),
        _ => return None,
    })
}

/// Apply a binary operator to two absolute values. `None`: division by zero.
pub fn apply(op: BinOp, a: i64, b: i64) -> Option<i64> {
    Some(match op {
        BinOp::Add => a.wrapping_add(b),
        BinOp::Sub => a.wrapping_sub(b),
        BinOp::Mul => a.wrapping_mul(b),
        BinOp::Div => {
            if b == 0 {
                return None;
            }
            a.wrapping_div(b)
        }
        BinOp::Rem => {
            if b == 0 {
                return None;
            }
            a.wrapping_rem(b)
        }
        BinOp::Shl => a.wrapping_shl(b as u32),
        BinOp::Shr => a.wrapping_shr(b as u32),
        BinOp::And => a & b,
        BinOp::Or => a | b,
        BinOp::Xor => a ^ b,
        BinOp::LAnd => (a != 0 && b != 0) as i64,
        BinOp::LOr => (a != 0 || b != 0) as i64,
        BinOp::Eq => (a == b) as i64,
        BinOp::Ne => (a != b) as i64,
        BinOp::Lt => (a < b) as i64,
        BinOp::Gt => (a > b) as i64,
        BinOp::Le => (a <= b) as i64,
        BinOp::Ge => (a >= b) as i64,
    })
}
