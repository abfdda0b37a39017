//! Assembler macros: `.macro`/`.endm`, `.rept`/`.irp`/`.irpc`/`.endr`, conditional assembly
//! (`.if` and friends, in [`cond`]) and `.error`/`.warning`.
//!
//! Expansion is textual, as in GNU as and llvm-mc: a macro use becomes a new piece of source
//! text (registered as a file of its own, so spans into it stay valid) that the assembler reads
//! like any other input. Each expansion records where every piece of its text came from
//! ([`subst::Seg`]); diagnostics inside it are mapped back to the line of the macro body and
//! carry a label at every macro use that led there ([`origin`]). A `.rept` body without any
//! `\` is not copied at all: the assembler reads the body text where it stands, N times.
//!
//! Nothing here runs for a source without macros beyond a flag test per statement and a
//! directive-name comparison per directive. Limits: [`crate::limits`].

pub mod args;
mod cond;
mod origin;
pub mod state;
pub mod subst;
#[cfg(test)]
mod tests;

pub(crate) use cond::is_conditional;
pub(crate) use state::{body_directive, Active, BodyDirective, Cond};
pub use state::{directives, Expansion, Macro, MacroState};

use crate::asm::Assembler;
use crate::diag::{Code, Diag, Source};
use crate::expr::Span;
use crate::lexer::{Lexer, Tok, Token};
use crate::limits::{EXPANSION_OVERHEAD, MAX_EXPANSION_BYTES, MAX_MACRO_DEPTH};
use std::rc::Rc;
use subst::Seg;

/// Read the statements of a body up to its closing directive, with nesting. Returns the byte
/// range of the body and the closing directive's token (or `None` at end of input).
fn collect_body<'a>(lx: &mut Lexer<'a>, kind: BodyDirective) -> Option<(usize, usize, Vec<Token<'a>>)> {
    let start = lx.pos();
    let mut depth = 0u32;
    let mut toks = Vec::new();
    loop {
        if lx.at_end() || !lx.next_statement(&mut toks) {
            lx.errors.clear();
            return None;
        }
        // Lexing errors inside a body are reported when (if) it is expanded.
        lx.errors.clear();
        let Some(Tok::Ident(d)) = toks.first().map(|t| t.tok) else { continue };
        let (opens, closes) = match kind {
            BodyDirective::Macro => (d == ".macro", d == ".endm" || d == ".endmacro"),
            _ => (matches!(d, ".rept" | ".irp" | ".irpc"), d == ".endr"),
        };
        if opens {
            depth += 1;
        } else if closes {
            if depth == 0 {
                return Some((start, toks[0].start as usize, toks));
            }
            depth -= 1;
        }
    }
}

impl Assembler {
    fn span_of(&self, file: u32, r: (u32, u32)) -> Span {
        Span { file, start: r.0, end: r.1 }
    }

    /// `.macro`, `.rept`, `.irp`, `.irpc`: read the body from the lexer, then define or expand.
    #[cold]
    #[inline(never)]
    pub(crate) fn body_directive(
        &mut self,
        kind: BodyDirective,
        toks: &[Token<'_>],
        file: u32,
        eol: u32,
        text: &Source,
        lx: &mut Lexer<'_>,
    ) {
        let dspan = Span { file, start: toks[0].start, end: toks[0].end };
        let Some((body_start, body_end, end_toks)) = collect_body(lx, kind) else {
            let (what, end) = match kind {
                BodyDirective::Macro => ("`.macro`", "`.endm`"),
                BodyDirective::Rept => ("`.rept`", "`.endr`"),
                BodyDirective::Irp => ("`.irp`", "`.endr`"),
                BodyDirective::Irpc => ("`.irpc`", "`.endr`"),
            };
            return self.report(
                Diag::error(Code::UnterminatedMacro, dspan, format!("{what} without {end}"))
                    .label(format!("this {what} is never closed"))
                    .help(format!("end the body with a line holding {end}")),
            );
        };
        if let Some(extra) = end_toks.get(1) {
            let name = match end_toks[0].tok {
                Tok::Ident(n) => n,
                _ => "",
            };
            self.report(
                Diag::error(
                    Code::Syntax,
                    Span { file, start: extra.start, end: extra.end },
                    format!("unexpected text after `{name}`"),
                )
                .label("unexpected"),
            );
        }
        let body = (body_start as u32, body_end as u32);
        match kind {
            BodyDirective::Macro => self.define_macro(&toks[1..], file, dspan, text, body),
            BodyDirective::Rept => self.rept(&toks[1..], file, eol, dspan, text, body),
            BodyDirective::Irp | BodyDirective::Irpc => {
                self.irp(kind == BodyDirective::Irpc, &toks[1..], file, eol, dspan, text, body)
            }
        }
    }

    fn define_macro(&mut self, toks: &[Token<'_>], file: u32, dspan: Span, text: &Source, body: (u32, u32)) {
        let src: &str = text.as_ref();
        let Some(name_tok) = toks.first() else {
            return self.report(Diag::error(Code::Syntax, dspan, "`.macro` needs a name").label("no name"));
        };
        let name: Rc<str> = match name_tok.tok {
            Tok::Ident(n) | Tok::Str(n) => Rc::from(n),
            Tok::Reg(..) => Rc::from(&src[name_tok.start as usize..name_tok.end as usize]),
            _ => {
                let sp = Span { file, start: name_tok.start, end: name_tok.end };
                return self.report(Diag::error(Code::Syntax, sp, "expected a macro name").label("not a name"));
            }
        };
        let def_span = Span { file, start: name_tok.start, end: name_tok.end };
        let params = match args::parse_params(src, &toks[1..]) {
            Ok(p) => p,
            Err(e) => return self.report(Diag::error(Code::MacroParameter, self.span_of(file, e.span), e.msg)),
        };
        for p in &params {
            if p.required && p.default.is_some() {
                self.report(Diag::warning(
                    Code::PointlessDefault,
                    self.span_of(file, p.span),
                    format!("pointless default value for required parameter `{}` in macro `{name}`", p.name),
                ));
            }
        }
        if let Some(old) = self.mac.macros.get(&name) {
            let first = old.def_span;
            return self.report(
                Diag::error(Code::DuplicateMacro, def_span, format!("macro `{name}` is already defined"))
                    .label("defined again here")
                    .with_secondary(first, "first defined here")
                    .help("remove it first with `.purgem` to define it anew"),
            );
        }
        let m = Macro { name: name.clone(), params, file, text: text.clone(), body, def_span };
        self.mac.macros.insert(name, Rc::new(m));
    }

    /// Register expanded text as a file, remember where it came from and read it.
    fn run_materialised(
        &mut self,
        what: String,
        macro_name: Option<Rc<str>>,
        use_span: Span,
        origin_file: u32,
        text: String,
        segs: Vec<Seg>,
    ) -> Option<usize> {
        let len = text.len();
        let name = format!("<expansion of {what}>");
        let src = Source::owned(text);
        let id = self.files.add(name, src.clone()) as u32;
        let idx = self.mac.expansions.len();
        self.mac.expansions.push(Expansion {
            what,
            macro_name: macro_name.clone(),
            use_span,
            file: id,
            origin_file,
            segs,
            text: src.clone(),
        });
        self.mac.by_file.insert(id, idx);
        self.run_expansion(use_span, macro_name.is_some(), id, src, 0, len);
        Some(idx)
    }

    /// Read `text[start..end]` of `file` as an expansion requested at `use_span`.
    fn run_expansion(&mut self, use_span: Span, is_macro: bool, file: u32, text: Source, start: usize, end: usize) {
        self.mac.active.push(Active { use_span, cond_depth: self.mac.conds.len() });
        self.run_range(file, text, start, end);
        let a = self.mac.active.pop().expect("pushed above");
        let exiting = self.mac.exit_pending;
        while self.mac.conds.len() > a.cond_depth {
            let c = self.mac.conds.pop().expect("checked");
            if !exiting {
                self.report(
                    Diag::error(
                        Code::UnterminatedIf,
                        c.span,
                        "conditional without `.endif` at the end of the expansion",
                    )
                    .label("opened here")
                    .help("close every `.if` inside the macro or `.rept` body it starts in"),
                );
            }
        }
        self.mac.update_skipping();
        if is_macro {
            self.mac.exit_pending = false;
        }
    }

    /// After one repetition: stop after `.exitm` (it leaves the innermost expansion: the whole
    /// `.rept`/`.irp`/`.irpc`) or too many errors.
    fn leave_repetition(&mut self) -> bool {
        if self.mac.exit_pending {
            self.mac.exit_pending = false;
            return true;
        }
        self.mac.stopped
    }

    /// Check the depth and size limits for one more expansion of `bytes` bytes.
    fn expansion_allowed(&mut self, use_span: Span, bytes: u64) -> bool {
        if self.mac.active.len() >= MAX_MACRO_DEPTH {
            self.report(
                Diag::error(
                    Code::MacroLimit,
                    use_span,
                    format!("macro expansions nest more than {MAX_MACRO_DEPTH} levels deep"),
                )
                .label("one level too many")
                .help("a macro that uses itself needs a condition (`.if`) that ends the recursion"),
            );
            return false;
        }
        if self.mac.size_limit_hit {
            return false;
        }
        self.mac.expanded_bytes = self.mac.expanded_bytes.saturating_add(bytes.saturating_add(EXPANSION_OVERHEAD));
        if self.mac.expanded_bytes > MAX_EXPANSION_BYTES {
            self.report(
                Diag::error(
                    Code::MacroLimit,
                    use_span,
                    format!("macro expansions produce more than {MAX_EXPANSION_BYTES} bytes of source in total"),
                )
                .label("expanding this goes past the limit")
                .help("a `.rept` count or a recursion that is larger than intended?"),
            );
            // Stop every expansion in progress: the rest would fail the same way.
            self.mac.size_limit_hit = true;
            return false;
        }
        true
    }

    /// A statement that uses macro `m` (`toks[0]` is its name).
    #[cold]
    #[inline(never)]
    pub(crate) fn invoke_macro(&mut self, m: Rc<Macro>, toks: &[Token<'_>], file: u32, eol: u32) {
        let use_span = Span { file, start: toks[0].start, end: toks[0].end };
        let values = {
            let src = codespan_reporting::files::Files::source(&self.files, file as usize).unwrap_or("");
            let vararg = m.params.last().filter(|p| p.vararg).map(|_| m.params.len() - 1);
            let args = match args::split_args(src, &toks[1..], vararg, eol) {
                Ok(a) => a,
                Err(e) => return self.report(Diag::error(Code::MacroArgument, self.span_of(file, e.span), e.msg)),
            };
            match self.bind_args(&m, args, file, eol, use_span) {
                Some(v) => v,
                None => return,
            }
        };
        let body_len = (m.body.1 - m.body.0) as u64;
        if !self.expansion_allowed(use_span, body_len) {
            return;
        }
        let src: &str = m.text.as_ref();
        let body = &src[m.body.0 as usize..m.body.1 as usize];
        let names: Vec<&str> = m.params.iter().map(|p| p.name.as_str()).collect();
        let vals: Vec<&str> = values.iter().map(String::as_str).collect();
        let mut out = String::with_capacity(body.len() + 16);
        let mut segs = Vec::new();
        subst::substitute(body, m.body.0, &names, &vals, Some(self.mac.instantiations), &mut out, &mut segs);
        self.mac.instantiations += 1;
        let extra = (out.len() as u64).saturating_sub(body_len);
        self.mac.expanded_bytes = self.mac.expanded_bytes.saturating_add(extra);
        let idx = self.mac.expansions.len();
        self.mac.uses.push((use_span, m.name.clone(), idx));
        self.run_materialised(format!("macro `{}`", m.name), Some(m.name.clone()), use_span, m.file, out, segs);
    }

    /// Match arguments to parameters: named, positional, defaults, `:req`.
    fn bind_args(
        &mut self,
        m: &Macro,
        args: Vec<args::Arg>,
        file: u32,
        eol: u32,
        use_span: Span,
    ) -> Option<Vec<String>> {
        let np = m.params.len();
        let mut vals: Vec<Option<String>> = vec![None; np];
        let mut named = false;
        let mut ok = true;
        for (k, a) in args.into_iter().enumerate() {
            let pi = match &a.name {
                Some((n, sp)) => {
                    named = true;
                    match m.params.iter().position(|p| &p.name == n) {
                        Some(i) => i,
                        None => {
                            let mut d = Diag::error(
                                Code::MacroArgument,
                                self.span_of(file, *sp),
                                format!("macro `{}` has no parameter named `{n}`", m.name),
                            )
                            .with_secondary(m.def_span, "defined here");
                            if let Some(s) = crate::diag::closest(n, m.params.iter().map(|p| p.name.as_str())) {
                                d = d.help(format!("did you mean `{s}`?"));
                            }
                            self.report(d);
                            ok = false;
                            continue;
                        }
                    }
                }
                None if named => {
                    self.report(
                        Diag::error(
                            Code::MacroArgument,
                            self.span_of(file, a.span),
                            "cannot mix positional and keyword arguments",
                        )
                        .label("positional argument after `name=value`"),
                    );
                    ok = false;
                    continue;
                }
                None => k,
            };
            if np == 0 && a.value.is_empty() && a.name.is_none() {
                continue;
            }
            if pi >= np {
                self.report(
                    Diag::error(Code::MacroArgument, self.span_of(file, a.span), "too many positional arguments")
                        .label(match np {
                            0 => format!("macro `{}` takes no arguments", m.name),
                            _ => format!("macro `{}` takes {np} argument(s)", m.name),
                        })
                        .with_secondary(m.def_span, "defined here"),
                );
                return None;
            }
            if !a.value.is_empty() {
                vals[pi] = Some(a.value);
            }
        }
        let mut out = Vec::with_capacity(np);
        for (p, v) in m.params.iter().zip(vals) {
            match v {
                Some(v) => out.push(v),
                None => {
                    if p.required {
                        self.report(
                            Diag::error(
                                Code::MacroArgument,
                                Span { file, start: eol, end: eol }.max_with(use_span),
                                format!("missing value for required parameter `{}` of macro `{}`", p.name, m.name),
                            )
                            .with_secondary(
                                Span { file: m.file, start: p.span.0, end: p.span.1 },
                                "declared `:req` here",
                            ),
                        );
                        ok = false;
                    }
                    out.push(p.default.clone().unwrap_or_default());
                }
            }
        }
        ok.then_some(out)
    }

    /// `.rept COUNT`.
    fn rept(&mut self, toks: &[Token<'_>], file: u32, eol: u32, dspan: Span, text: &Source, body: (u32, u32)) {
        let mut c = crate::expr::Cursor::new(toks, file, eol);
        let n = match self.abs_expr(&mut c, "repeat count") {
            Some(n) => n,
            None => return,
        };
        if !c.at_end() {
            let sp = c.span_here();
            return self
                .report(Diag::error(Code::Syntax, sp, "unexpected text after `.rept` count").label("unexpected"));
        }
        if n < 0 {
            return self.report(Diag::error(Code::DirectiveOperand, dspan, format!("`.rept` count is negative ({n})")));
        }
        let src: &str = text.as_ref();
        let b = &src[body.0 as usize..body.1 as usize];
        let len = b.len() as u64;
        if !b.contains('\\') {
            // The body as written, read N times where it stands.
            for _ in 0..n {
                if !self.expansion_allowed(dspan, len) {
                    return;
                }
                self.run_expansion(dspan, false, file, text.clone(), body.0 as usize, body.1 as usize);
                if self.leave_repetition() {
                    return;
                }
            }
            return;
        }
        let mut out = String::new();
        let mut segs = Vec::new();
        subst::substitute(b, body.0, &[], &[], None, &mut out, &mut segs);
        let olen = out.len();
        let mut idx = None;
        for _ in 0..n {
            if !self.expansion_allowed(dspan, olen as u64) {
                return;
            }
            match idx {
                None => idx = self.run_materialised("`.rept`".into(), None, dspan, file, out.clone(), segs.clone()),
                Some(i) => {
                    let (id, t) = (self.mac.expansions[i].file, self.mac.expansions[i].text.clone());
                    self.run_expansion(dspan, false, id, t, 0, olen);
                }
            }
            if self.leave_repetition() {
                return;
            }
        }
    }

    /// `.irp SYM, VALUES...` / `.irpc SYM, CHARS`.
    #[allow(clippy::too_many_arguments)]
    fn irp(
        &mut self,
        chars: bool,
        toks: &[Token<'_>],
        file: u32,
        eol: u32,
        dspan: Span,
        text: &Source,
        body: (u32, u32),
    ) {
        let d = if chars { ".irpc" } else { ".irp" };
        let src: &str = text.as_ref();
        let sym = match toks.first().map(|t| t.tok) {
            Some(Tok::Ident(s)) => s.to_string(),
            Some(Tok::Reg(..)) => src[toks[0].start as usize..toks[0].end as usize].to_string(),
            _ => {
                let sp = toks.first().map_or(Span { file, start: eol, end: eol }, |t| Span {
                    file,
                    start: t.start,
                    end: t.end,
                });
                return self.report(
                    Diag::error(Code::Syntax, sp, format!("`{d}` needs a symbol name")).label("expected a name"),
                );
            }
        };
        if toks.get(1).map(|t| t.tok) != Some(Tok::Punct(",")) {
            let sp =
                toks.get(1).map_or(Span { file, start: eol, end: eol }, |t| Span { file, start: t.start, end: t.end });
            return self.report(Diag::error(Code::Syntax, sp, format!("expected `,` after the `{d}` symbol")));
        }
        let items = match args::split_args(src, &toks[2..], None, eol) {
            Ok(a) => a,
            Err(e) => return self.report(Diag::error(Code::MacroArgument, self.span_of(file, e.span), e.msg)),
        };
        let values: Vec<String> = if chars {
            if items.len() > 1 {
                return self.report(Diag::error(
                    Code::DirectiveOperand,
                    self.span_of(file, items[1].span),
                    "`.irpc` takes one string of characters",
                ));
            }
            let s = items.first().map(|a| a.value.clone()).unwrap_or_default();
            s.chars().map(String::from).collect()
        } else {
            // Empty items at the end are no items (`.irp x,` repeats nothing), as in llvm-mc.
            let mut v: Vec<String> = items.into_iter().map(|a| a.value).collect();
            while v.last().is_some_and(|s| s.is_empty()) {
                v.pop();
            }
            v
        };
        let b = &src[body.0 as usize..body.1 as usize];
        let what = format!("`{d}`");
        for v in &values {
            if !self.expansion_allowed(dspan, b.len() as u64) {
                return;
            }
            let mut out = String::with_capacity(b.len());
            let mut segs = Vec::new();
            subst::substitute(
                b,
                body.0,
                &[sym.as_str()],
                &[v.as_str()],
                Some(self.mac.instantiations),
                &mut out,
                &mut segs,
            );
            self.run_materialised(what.clone(), None, dspan, file, out, segs);
            if self.leave_repetition() {
                return;
            }
        }
    }

    /// An absolute expression now, or `None` after reporting why not.
    pub(crate) fn abs_expr(&mut self, c: &mut crate::expr::Cursor<'_, '_>, what: &str) -> Option<i64> {
        let e = {
            let file = c.file;
            let mut r = crate::asm::Resolver { a: self, file };
            c.expr(&mut r)
        };
        match e {
            Ok(e) => self.eval_abs_now(&e, what),
            Err(e) => {
                self.report(Diag::error(Code::BadExpression, e.span, e.msg));
                None
            }
        }
    }
}

impl Span {
    /// `self` if it is a real location after `other`, else `other` (for "missing argument"
    /// errors at the end of a statement).
    fn max_with(self, other: Span) -> Span {
        if self.file == other.file && self.start >= other.end {
            self
        } else {
            other
        }
    }
}
