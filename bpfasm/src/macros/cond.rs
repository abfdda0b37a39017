//! Conditional assembly (`.if`, `.ifdef`, `.ifndef`, `.ifeq`/`.ifne`/`.ifgt`/..., `.ifb`/`.ifnb`,
//! `.ifc`/`.ifnc`, `.elseif`, `.else`, `.endif`), `.error`/`.warning`, `.exitm`, `.purgem` and the
//! closing directives met without their opening one.

use super::Cond;
use crate::asm::{Assembler, SymDef};
use crate::diag::{Code, Diag};
use crate::expr::{Cursor, Span};
use crate::lexer::{unescape, Tok, Token};

/// Is `name` a directive of conditional assembly?
pub(crate) fn is_conditional(name: &str) -> bool {
    name.starts_with(".if") && super::state::IF_DIRECTIVES.contains(&name)
        || matches!(name, ".else" | ".elseif" | ".endif")
}

impl Assembler {
    /// A statement inside a branch that is not assembled: only conditionals count.
    #[cold]
    #[inline(never)]
    pub(crate) fn skipped_statement(&mut self, toks: &[Token<'_>], file: u32, eol: u32) {
        if let Tok::Ident(d) = toks[0].tok {
            if is_conditional(d) {
                let mut c = Cursor::new(&toks[1..], file, eol);
                let dspan = Span { file, start: toks[0].start, end: toks[0].end };
                if let Err(e) = self.conditional(d, &mut c, dspan) {
                    self.report(e);
                }
            }
        }
    }

    /// `.if*`, `.elseif`, `.else`, `.endif`. In a skipped branch nothing is evaluated.
    #[cold]
    #[inline(never)]
    pub(crate) fn conditional(&mut self, name: &str, c: &mut Cursor<'_, '_>, dspan: Span) -> Result<(), Diag> {
        let r = match name {
            ".else" => {
                let Some(top) = self.mac.conds.last_mut() else {
                    return Err(
                        Diag::error(Code::StrayDirective, dspan, "`.else` without `.if`").label("no open `.if`")
                    );
                };
                if top.seen_else {
                    return Err(Diag::error(Code::StrayDirective, dspan, "`.else` after `.else`")
                        .label("second `.else`")
                        .with_secondary(top.span, "of this conditional"));
                }
                top.active = top.parent_active && !top.taken;
                top.taken = true;
                top.seen_else = true;
                Ok(())
            }
            ".elseif" => {
                let Some(top) = self.mac.conds.last().copied() else {
                    return Err(
                        Diag::error(Code::StrayDirective, dspan, "`.elseif` without `.if`").label("no open `.if`")
                    );
                };
                if top.seen_else {
                    return Err(Diag::error(Code::StrayDirective, dspan, "`.elseif` after `.else`")
                        .with_secondary(top.span, "of this conditional"));
                }
                let v = if top.parent_active && !top.taken {
                    let v = self.abs_expr(c, "condition").unwrap_or(0) != 0;
                    Some(v)
                } else {
                    c.pos = c.toks.len();
                    None
                };
                let top = self.mac.conds.last_mut().expect("checked");
                match v {
                    Some(v) => {
                        top.active = v;
                        top.taken = v;
                    }
                    None => top.active = false,
                }
                Ok(())
            }
            ".endif" => match self.mac.conds.pop() {
                Some(_) => Ok(()),
                None => Err(Diag::error(Code::StrayDirective, dspan, "`.endif` without `.if`").label("no open `.if`")),
            },
            _ => {
                let parent_active = !self.mac.skipping;
                let v = if parent_active {
                    self.condition(name, c)?
                } else {
                    c.pos = c.toks.len();
                    false
                };
                self.mac.conds.push(Cond { active: v, parent_active, taken: v, seen_else: false, span: dspan });
                Ok(())
            }
        };
        self.mac.update_skipping();
        r
    }

    /// The value of the condition of an `.if*` directive.
    fn condition(&mut self, name: &str, c: &mut Cursor<'_, '_>) -> Result<bool, Diag> {
        let v = match name {
            ".ifdef" | ".ifndef" | ".ifnotdef" => {
                let sp = c.span_here();
                let t = c.bump();
                let sym = match t.map(|t| t.tok) {
                    Some(Tok::Ident(s)) | Some(Tok::Str(s)) => s.to_string(),
                    Some(Tok::Reg(..)) => {
                        let t = t.expect("some");
                        self.source_text(c.file, t.start, t.end)
                    }
                    _ => return Err(Diag::error(Code::Syntax, sp, format!("`{name}` needs a symbol name"))),
                };
                let defined =
                    self.syms.lookup(sym.as_str()).is_some_and(|id| self.syms[id as usize].def != SymDef::Undefined);
                defined == (name == ".ifdef")
            }
            ".ifb" | ".ifnb" => {
                let blank = c.at_end();
                c.pos = c.toks.len();
                blank == (name == ".ifb")
            }
            ".ifc" | ".ifnc" => {
                let toks = c.toks;
                let comma = toks.iter().position(|t| t.tok == Tok::Punct(","));
                let Some(k) = comma else {
                    return Err(Diag::error(
                        Code::DirectiveOperand,
                        c.span_here(),
                        format!("`{name}` compares two strings: `{name} a, b`"),
                    ));
                };
                let text = |a: &[Token<'_>]| -> String {
                    match (a.first(), a.last()) {
                        (Some(f), Some(l)) => self.source_text(c.file, f.start, l.end).trim().to_string(),
                        _ => String::new(),
                    }
                };
                let (l, r) = (text(&toks[..k]), text(&toks[k + 1..]));
                c.pos = toks.len();
                (l == r) == (name == ".ifc")
            }
            _ => {
                let Some(v) = self.abs_expr(c, "condition") else {
                    c.pos = c.toks.len();
                    return Ok(false);
                };
                match name {
                    ".if" | ".ifne" => v != 0,
                    ".ifeq" => v == 0,
                    ".ifgt" => v > 0,
                    ".ifge" => v >= 0,
                    ".iflt" => v < 0,
                    ".ifle" => v <= 0,
                    _ => unreachable!("is_conditional lists the names"),
                }
            }
        };
        Ok(v)
    }

    /// `.error "msg"` / `.warning "msg"`.
    #[cold]
    #[inline(never)]
    pub(crate) fn user_diagnostic(&mut self, error: bool, c: &mut Cursor<'_, '_>, dspan: Span) -> Result<(), Diag> {
        let msg = match c.peek_tok() {
            None => format!("`.{}` directive invoked in source file", if error { "error" } else { "warning" }),
            Some(Tok::Str(s)) => {
                let sp = c.span_here();
                c.bump();
                let mut bytes = Vec::new();
                if unescape(s, &mut bytes).is_err() {
                    return Err(Diag::error(Code::BadEscape, sp, "bad escape sequence in string"));
                }
                String::from_utf8_lossy(&bytes).into_owned()
            }
            Some(_) => {
                return Err(
                    Diag::error(Code::Syntax, c.span_here(), "expected a message in quotes").label("not a string")
                )
            }
        };
        let d =
            if error { Diag::error(Code::UserError, dspan, msg) } else { Diag::warning(Code::UserWarning, dspan, msg) };
        self.report(d);
        Ok(())
    }

    /// `.macro`, `.rept`, `.irp`, `.irpc`: the statement loop reads the body after the statement.
    pub(crate) fn body_request(&mut self, name: &str, c: &mut Cursor<'_, '_>, dspan: Span) -> Result<(), Diag> {
        if let Some(kind) = super::body_directive(name) {
            self.mac.body_pending = Some((kind, dspan.start));
            self.mac.attention = true;
        }
        c.pos = c.toks.len();
        Ok(())
    }

    /// `.exitm`, `.purgem`, and `.endm`/`.endr` met outside a body.
    #[cold]
    #[inline(never)]
    pub(crate) fn macro_directive(&mut self, name: &str, c: &mut Cursor<'_, '_>, dspan: Span) -> Result<(), Diag> {
        match name {
            ".exitm" => {
                // It leaves the innermost expansion: a macro, or a whole `.rept`/`.irp`/`.irpc`.
                if self.mac.active.is_empty() {
                    return Err(
                        Diag::error(Code::StrayDirective, dspan, "`.exitm` outside a macro").label("not in a macro")
                    );
                }
                self.mac.exit_pending = true;
                self.mac.attention = true;
                Ok(())
            }
            ".purgem" => {
                let sp = c.span_here();
                let name = match c.bump().map(|t| t.tok) {
                    Some(Tok::Ident(n)) | Some(Tok::Str(n)) => n,
                    _ => return Err(Diag::error(Code::Syntax, sp, "`.purgem` needs a macro name")),
                };
                match self.mac.macros.remove(name) {
                    Some(_) => Ok(()),
                    None => Err(Diag::error(Code::UnknownMacro, sp, format!("macro `{name}` is not defined"))),
                }
            }
            ".endm" | ".endmacro" => {
                c.pos = c.toks.len();
                Err(Diag::error(Code::StrayDirective, dspan, format!("`{name}` without `.macro`"))
                    .label("no macro is being defined"))
            }
            _ => {
                c.pos = c.toks.len();
                Err(Diag::error(Code::StrayDirective, dspan, "`.endr` without `.rept`, `.irp` or `.irpc`")
                    .label("nothing to repeat"))
            }
        }
    }

    /// At the end of the input: every `.if` still open.
    pub(crate) fn unterminated_conditionals(&mut self) {
        let open = std::mem::take(&mut self.mac.conds);
        for c in open {
            self.report(
                Diag::error(Code::UnterminatedIf, c.span, "conditional without `.endif`")
                    .label("never closed")
                    .help("close it with `.endif`"),
            );
        }
        self.mac.update_skipping();
    }
}
