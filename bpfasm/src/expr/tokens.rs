//! The expression grammar's tokens, and where an expression ends.
//!
//! An expression is embedded in a statement: `(r10 - 8)` ends at the `)` it did not open,
//! `r1 = sym ll` at `ll`, `.loc 1 2 3` after each number. LR parsing reads to the end of its
//! input, so the adapter decides the end as it hands the grammar its tokens: after an operand,
//! only a binary operator (or a `)` closing a `(` of the expression) continues the expression;
//! any other token ends it. Where an operand is expected every token is handed on, so that the
//! grammar reports what is wrong there.
//!
//! The adapter also bounds the nesting of brackets and unary operators ([`MAX_EXPR_DEPTH`]),
//! collapses a builtin call (`offsetof(struct s, f)`, whose arguments are C, not expressions)
//! into one token, and reports integer literals that overflow.

use super::{BinOp, ExprError, Span, BUILTINS, MAX_EXPR_DEPTH};
use crate::lexer::{Tok, Token};

/// A token of the expression grammar.
#[derive(Clone, Debug, PartialEq)]
pub enum T<'a> {
    Num(i64),
    Name(&'a str),
    Dot,
    Str(&'a str),
    Local(u32, bool),
    /// A builtin's name and the byte ranges of its comma-separated arguments.
    Builtin(&'a str, Vec<(u32, u32)>),
    /// A register (never part of an expression; the grammar reports it).
    Reg,
    /// Any other token (the grammar reports it).
    Other,
    /// A binary operator (`-` and `+` are also the unary ones).
    Op(BinOp),
    Tilde,
    Bang,
    LParen,
    RParen,
}

/// The grammar's token for a punctuator.
fn punct(p: &str) -> T<'static> {
    let op = match p {
        "~" => return T::Tilde,
        "!" => return T::Bang,
        "(" => return T::LParen,
        ")" => return T::RParen,
        "||" => BinOp::LOr,
        "&&" => BinOp::LAnd,
        "|" => BinOp::Or,
        "^" => BinOp::Xor,
        "&" => BinOp::And,
        "==" => BinOp::Eq,
        "!=" => BinOp::Ne,
        "<" => BinOp::Lt,
        ">" => BinOp::Gt,
        "<=" => BinOp::Le,
        ">=" => BinOp::Ge,
        "<<" => BinOp::Shl,
        ">>" => BinOp::Shr,
        "+" => BinOp::Add,
        "-" => BinOp::Sub,
        "*" => BinOp::Mul,
        "/" => BinOp::Div,
        "%" => BinOp::Rem,
        _ => return T::Other,
    };
    T::Op(op)
}

/// Whether a punctuator is a binary operator (so continues an expression after an operand).
pub fn is_binary(p: &str) -> bool {
    matches!(punct(p), T::Op(_))
}

type Item<'a> = Result<(u32, T<'a>, u32), ExprError>;

/// The tokens of one expression, from `pos` of a statement's tokens.
pub struct Tokens<'t, 'a> {
    toks: &'t [Token<'a>],
    /// The next token; after the parse, the first token past the expression.
    pub pos: usize,
    file: u32,
    eol: u32,
    /// An operand comes next (else an operator or the end).
    pub operand: bool,
    /// Unary operators waiting for their operand, per open `(` (the first entry: outside
    /// any bracket).
    pending: Vec<u32>,
    /// Open brackets plus waiting unary operators: the parser's nesting.
    depth: u32,
}

impl<'t, 'a> Tokens<'t, 'a> {
    pub fn new(toks: &'t [Token<'a>], pos: usize, file: u32, eol: u32) -> Self {
        Tokens { toks, pos, file, eol, operand: true, pending: vec![0], depth: 0 }
    }

    /// The span of the token the expression stopped at (or the end of the statement).
    pub fn stop_span(&self) -> Span {
        match self.toks.get(self.pos) {
            Some(t) => Span { file: self.file, start: t.start, end: t.end },
            None => Span { file: self.file, start: self.eol, end: self.eol },
        }
    }

    /// Whether a `(` of the expression is still open.
    pub fn in_brackets(&self) -> bool {
        self.pending.len() > 1
    }

    /// An operand is complete: the unary operators waiting for it are done.
    fn operand_done(&mut self) {
        let waiting = self.pending.last_mut().expect("the outermost level stays");
        self.depth -= *waiting;
        *waiting = 0;
        self.operand = false;
    }

    fn too_deep(&self) -> ExprError {
        ExprError::too_deep(self.stop_span())
    }

    /// A builtin call starting at `self.pos` (its name): the argument ranges and the index of
    /// the closing bracket.
    fn builtin_call(&self) -> Result<(Vec<(u32, u32)>, usize), ExprError> {
        let mut depth = 0usize;
        let mut args = Vec::new();
        let mut arg_start = None;
        for (i, t) in self.toks.iter().enumerate().skip(self.pos + 1) {
            match t.tok {
                Tok::Punct("(" | "[") => {
                    depth += 1;
                    if depth > 1 && arg_start.is_none() {
                        arg_start = Some(t.start);
                    }
                }
                Tok::Punct(")" | "]") => {
                    depth -= 1;
                    if depth == 0 {
                        if let Some(s) = arg_start.take() {
                            args.push((s, self.toks[i - 1].end));
                        }
                        return Ok((args, i));
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
        }
        let name = &self.toks[self.pos];
        let Tok::Ident(n) = name.tok else { unreachable!("a builtin call starts with its name") };
        Err(ExprError {
            span: Span { file: self.file, start: name.start, end: name.end },
            msg: format!("`{n}(` is not closed"),
        })
    }

    fn operand_token(&mut self, t: Token<'a>) -> Item<'a> {
        if self.depth >= MAX_EXPR_DEPTH {
            return Err(self.too_deep());
        }
        let (start, mut end) = (t.start, t.end);
        let tok = match t.tok {
            Tok::Punct("(") => {
                self.depth += 1;
                self.pending.push(0);
                T::LParen
            }
            Tok::Punct(p @ ("-" | "~" | "!" | "+")) => {
                self.depth += 1;
                *self.pending.last_mut().expect("the outermost level stays") += 1;
                punct(p)
            }
            Tok::Num { value, overflow } => {
                if overflow {
                    let span = Span { file: self.file, start, end };
                    return Err(ExprError { span, msg: "integer literal does not fit in 64 bits".into() });
                }
                self.operand_done();
                T::Num(value as i64)
            }
            Tok::Ident(".") => {
                self.operand_done();
                T::Dot
            }
            Tok::Ident(name)
                if BUILTINS.contains(&name)
                    && matches!(self.toks.get(self.pos + 1).map(|t| t.tok), Some(Tok::Punct("("))) =>
            {
                let (args, close) = self.builtin_call()?;
                end = self.toks[close].end;
                // The call's tokens past its name.
                self.pos = close;
                self.operand_done();
                T::Builtin(name, args)
            }
            Tok::Ident(name) => {
                self.operand_done();
                T::Name(name)
            }
            Tok::Str(s) => {
                self.operand_done();
                T::Str(s)
            }
            Tok::LocalRef(n, back) => {
                self.operand_done();
                T::Local(n, back)
            }
            Tok::Reg(..) => T::Reg,
            Tok::Punct(p) => punct(p),
            Tok::Bad(_) => T::Other,
        };
        self.pos += 1;
        Ok((start, tok, end))
    }
}

impl<'a> Iterator for Tokens<'_, 'a> {
    type Item = Item<'a>;

    fn next(&mut self) -> Option<Item<'a>> {
        let Some(&t) = self.toks.get(self.pos) else {
            // The end of the statement where an operand is due: the parser's own nesting
            // check comes first.
            return (self.operand && self.depth >= MAX_EXPR_DEPTH).then(|| Err(self.too_deep()));
        };
        if self.operand {
            return Some(self.operand_token(t));
        }
        let tok = match t.tok {
            Tok::Punct(p) if is_binary(p) => {
                self.operand = true;
                punct(p)
            }
            Tok::Punct(")") if self.in_brackets() => {
                self.pending.pop();
                self.depth -= 1;
                // The bracketed expression is an operand.
                self.operand_done();
                T::RParen
            }
            // Anything else ends the expression.
            _ => return None,
        };
        self.pos += 1;
        Some(Ok((t.start, tok, t.end)))
    }
}
