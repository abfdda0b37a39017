//! The declaration parser: recursive descent over tokens, building BTF as it goes (types are
//! needed while parsing: `sizeof`, enum constants, typedef names). This file has the parser
//! state, the entry points, token helpers, error recovery and whole declarations; the other
//! parts are in `declarator.rs`, `tags.rs`, `constexpr.rs`, `field.rs` and `init.rs`.

use super::eval::InitBuf;
pub(super) use super::lex::{lex, Tok, T};
use super::types::BUILTIN_TYPEDEFS;
use super::{CError, Context, Decl, ExternKind, FieldAccess, Init, Storage, SymInfo, TagKind};
use btf::{Kind, TypeData};
pub(super) use std::ops::Range;

/// Errors are pushed to `Parser::errors`; `Err(())` unwinds to a recovery point.
pub(super) type PResult<T> = Result<T, ()>;

/// Nesting limit for declarators, expressions, initializers and struct bodies.
pub(super) const MAX_NEST: u32 = 200;
/// The largest initialised variable (its bytes are built in memory): an input of a few bytes
/// must not ask for gigabytes.
pub(super) const MAX_INIT_BYTES: u64 = 1 << 30;

/// Attributes and libbpf attribute macros seen on a declaration.
#[derive(Clone, Debug, Default)]
pub(super) struct Attrs {
    pub(super) packed: bool,
    pub(super) aligned: Option<u32>,
    pub(super) section: Option<String>,
    pub(super) decl_tags: Vec<String>,
    pub(super) type_tags: Vec<String>,
    pub(super) weak: bool,
    pub(super) hidden: bool,
    pub(super) ksym: bool,
    pub(super) kconfig: bool,
    /// `preserve_access_index`: accesses to this struct are CO-RE relocated.
    pub(super) pai: bool,
}

impl Attrs {
    pub(super) fn merge(&mut self, o: Attrs) {
        self.packed |= o.packed;
        self.pai |= o.pai;
        if let Some(a) = o.aligned {
            self.aligned = Some(self.aligned.map_or(a, |b| b.max(a)));
        }
        if o.section.is_some() {
            self.section = o.section;
        }
        self.decl_tags.extend(o.decl_tags);
        self.type_tags.extend(o.type_tags);
        self.weak |= o.weak;
        self.hidden |= o.hidden;
        self.ksym |= o.ksym;
        self.kconfig |= o.kconfig;
    }
}

/// Declaration specifiers: the base type (qualified), storage class, attributes.
#[derive(Clone, Debug)]
pub(super) struct Spec {
    pub(super) ty: u32,
    pub(super) storage: Option<Storage>,
    pub(super) typedef: bool,
    pub(super) attrs: Attrs,
    /// The specifier defined a tagless struct/union (an anonymous member if no declarator).
    pub(super) tagless_def: bool,
}

/// One derivation step of a declarator, applied to the type built so far.
#[derive(Clone, Debug)]
pub(super) enum Op {
    Ptr {
        c: bool,
        v: bool,
        r: bool,
        tags: Vec<String>,
    },
    /// `[N]`, or `[]` (None).
    Array(Option<u32>, Range<usize>),
    Func {
        params: Vec<(String, u32)>,
        variadic: bool,
        tags: Vec<(String, i32)>,
    },
}

#[derive(Clone, Debug)]
pub(super) struct Declarator {
    pub(super) name: Option<(String, Range<usize>)>,
    /// Applied first to last; the last is the outermost.
    pub(super) ops: Vec<Op>,
    pub(super) span: Range<usize>,
}

/// A struct/union member before layout.
pub(super) struct MemberSpec {
    pub(super) name: String,
    pub(super) ty: u32,
    pub(super) bitfield: Option<u32>,
    pub(super) aligned: Option<u32>,
    pub(super) packed: bool,
    pub(super) flexible: bool,
    pub(super) decl_tags: Vec<String>,
    pub(super) span: Range<usize>,
}

pub(crate) struct Parser<'c> {
    pub(super) cx: &'c mut Context,
    pub(super) toks: Vec<Tok>,
    pub(super) pos: usize,
    pub(super) errors: Vec<CError>,
    pub(super) depth: u32,
    pub(super) decls: Vec<Decl>,
}

pub(crate) fn parse_block(cx: &mut Context, text: &str) -> Result<Vec<Decl>, Vec<CError>> {
    let mut errors = Vec::new();
    let toks = lex(text, &mut errors);
    let mut p = Parser { cx, toks, pos: 0, errors, depth: 0, decls: Vec::new() };
    p.translation_unit();
    if p.errors.is_empty() {
        Ok(p.decls)
    } else {
        p.errors.sort_by_key(|e| e.span.start);
        Err(p.errors)
    }
}

pub(super) fn single<R>(cx: &mut Context, text: &str, f: impl FnOnce(&mut Parser) -> PResult<R>) -> Result<R, CError> {
    let mut errors = Vec::new();
    let toks = lex(text, &mut errors);
    let mut p = Parser { cx, toks, pos: 0, errors, depth: 0, decls: Vec::new() };
    let r = f(&mut p);
    if r.is_ok() && p.errors.is_empty() && !p.at_eof() {
        let sp = p.span();
        let _: PResult<()> = p.err(sp, "unexpected text after the end");
    }
    match (r, p.errors.into_iter().next()) {
        (Ok(v), None) => Ok(v),
        (_, Some(e)) => Err(e),
        (Err(()), None) => Err(CError::new(0..text.len(), "invalid input")),
    }
}

pub(crate) fn parse_type_name(cx: &mut Context, text: &str) -> Result<u32, CError> {
    single(cx, text, |p| p.type_name())
}

pub(crate) fn parse_const_expr(cx: &mut Context, text: &str) -> Result<i64, CError> {
    single(cx, text, |p| {
        let sp = p.span();
        let v = p.expr()?;
        if v.v > u64::MAX as i128 || v.v < i64::MIN as i128 {
            return p.err(sp, "value out of range");
        }
        Ok(v.v as i64)
    })
}

pub(crate) fn parse_field_access(cx: &mut Context, ty: u32, text: &str) -> Result<FieldAccess, CError> {
    single(cx, text, |p| p.field_access(ty))
}

pub(super) fn is_type_keyword(s: &str) -> bool {
    matches!(
        s,
        "void"
            | "char"
            | "short"
            | "int"
            | "long"
            | "signed"
            | "__signed"
            | "__signed__"
            | "unsigned"
            | "_Bool"
            | "float"
            | "double"
            | "__int128"
            | "struct"
            | "union"
            | "enum"
            | "typeof"
            | "__typeof"
            | "__typeof__"
            | "const"
            | "__const"
            | "__const__"
            | "volatile"
            | "__volatile"
            | "__volatile__"
            | "restrict"
            | "__restrict"
            | "__restrict__"
    )
}

pub(super) fn is_attr_word(s: &str) -> bool {
    matches!(s, "__attribute__" | "__attribute" | "SEC" | "__ksym" | "__kconfig" | "__weak" | "__hidden")
}

pub(super) fn is_ignored_word(s: &str) -> bool {
    matches!(
        s,
        "inline"
            | "__inline"
            | "__inline__"
            | "__always_inline"
            | "__noinline"
            | "_Noreturn"
            | "__noreturn"
            | "register"
            | "auto"
    )
}

impl Parser<'_> {
    // ----- token helpers -----

    pub(super) fn peek(&self) -> &T {
        self.peek_at(0)
    }
    pub(super) fn peek_at(&self, n: usize) -> &T {
        let i = (self.pos + n).min(self.toks.len() - 1);
        &self.toks[i].t
    }
    pub(super) fn span(&self) -> Range<usize> {
        self.toks[self.pos.min(self.toks.len() - 1)].span.clone()
    }
    pub(super) fn prev_end(&self) -> usize {
        if self.pos == 0 {
            0
        } else {
            self.toks[(self.pos - 1).min(self.toks.len() - 1)].span.end
        }
    }
    pub(super) fn bump(&mut self) -> Tok {
        let t = self.toks[self.pos.min(self.toks.len() - 1)].clone();
        if self.pos < self.toks.len() - 1 {
            self.pos += 1;
        }
        t
    }
    pub(super) fn at_eof(&self) -> bool {
        matches!(self.peek(), T::Eof)
    }
    pub(super) fn at(&self, p: &str) -> bool {
        matches!(self.peek(), T::Punct(q) if *q == p)
    }
    pub(super) fn at_n(&self, n: usize, p: &str) -> bool {
        matches!(self.peek_at(n), T::Punct(q) if *q == p)
    }
    pub(super) fn at_ident(&self, s: &str) -> bool {
        matches!(self.peek(), T::Ident(q) if q == s)
    }
    pub(super) fn eat(&mut self, p: &str) -> bool {
        if self.at(p) {
            self.bump();
            true
        } else {
            false
        }
    }
    pub(super) fn describe_tok(t: &T) -> String {
        match t {
            T::Ident(s) => format!("`{s}`"),
            T::Int(..) | T::Float(_) => "a number".into(),
            T::Str(_) => "a string".into(),
            T::Punct(p) => format!("`{p}`"),
            T::Eof => "the end of the input".into(),
        }
    }
    pub(super) fn expect(&mut self, p: &str) -> PResult<Range<usize>> {
        if self.at(p) {
            Ok(self.bump().span)
        } else {
            let sp = self.span();
            let found = Self::describe_tok(self.peek());
            self.err(sp, format!("expected `{p}`, found {found}"))
        }
    }
    pub(super) fn ident(&mut self, what: &str) -> PResult<(String, Range<usize>)> {
        if let T::Ident(s) = self.peek() {
            let s = s.clone();
            let sp = self.bump().span;
            return Ok((s, sp));
        }
        let sp = self.span();
        let found = Self::describe_tok(self.peek());
        self.err(sp, format!("expected {what}, found {found}"))
    }
    pub(super) fn string(&mut self) -> PResult<String> {
        let mut out = Vec::new();
        let sp = self.span();
        if !matches!(self.peek(), T::Str(_)) {
            let found = Self::describe_tok(self.peek());
            return self.err(sp, format!("expected a string, found {found}"));
        }
        while let T::Str(s) = self.peek() {
            out.extend_from_slice(s);
            self.bump();
        }
        match String::from_utf8(out) {
            Ok(s) if !s.contains('\0') => Ok(s),
            _ => self.err(sp, "this string must be valid UTF-8 without NUL bytes"),
        }
    }
    pub(super) fn err<R>(&mut self, span: Range<usize>, msg: impl Into<String>) -> PResult<R> {
        self.errors.push(CError::new(span, msg));
        Err(())
    }
    pub(super) fn err_help<R>(
        &mut self,
        span: Range<usize>,
        msg: impl Into<String>,
        help: impl Into<String>,
    ) -> PResult<R> {
        self.errors.push(CError::new(span, msg).help(help));
        Err(())
    }
    pub(super) fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_NEST {
            let sp = self.span();
            self.depth -= 1;
            return self.err(sp, "nesting too deep");
        }
        Ok(())
    }
    pub(super) fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }
    pub(super) fn nested<R>(&mut self, f: impl FnOnce(&mut Self) -> PResult<R>) -> PResult<R> {
        self.enter()?;
        let r = f(self);
        self.leave();
        r
    }

    /// Skip to after the next `;` outside brackets (or stop before an unmatched `}` when
    /// `in_braces`).
    pub(super) fn recover(&mut self, in_braces: bool) {
        let mut depth = 0i32;
        loop {
            match self.peek() {
                T::Eof => return,
                T::Punct("(" | "[" | "{") => depth += 1,
                T::Punct(")" | "]") => depth -= 1,
                T::Punct("}") => {
                    if depth <= 0 && in_braces {
                        return;
                    }
                    depth -= 1;
                    if depth <= 0 && !in_braces {
                        self.bump();
                        // `struct {...} x;`: keep going to the `;`.
                        if !self.at(";") && depth < 0 {
                            return;
                        }
                        depth = depth.max(0);
                        continue;
                    }
                }
                T::Punct(";") if depth <= 0 => {
                    self.bump();
                    return;
                }
                _ => {}
            }
            self.bump();
        }
    }

    // ----- names -----

    pub(super) fn is_typedef_name(&self, s: &str) -> bool {
        self.cx.is_type_name(s)
    }

    pub(super) fn typedef_lookup(&mut self, s: &str) -> Option<u32> {
        if let Some(&id) = self.cx.typedefs.get(s) {
            return Some(id);
        }
        if let Some(id) = self.cx.builtin_typedef(s) {
            return Some(id);
        }
        self.cx.import_typedef(s)
    }

    /// Whether the token at `n` starts a type name.
    pub(super) fn starts_type(&self, n: usize) -> bool {
        match self.peek_at(n) {
            T::Ident(s) => is_type_keyword(s) || self.is_typedef_name(s),
            _ => false,
        }
    }

    pub(super) fn type_name_hint(&self, name: &str) -> Option<String> {
        let mut cands: Vec<&str> = self.cx.typedefs.keys().map(|s| s.as_str()).collect();
        cands.extend(BUILTIN_TYPEDEFS.iter().map(|e| e.0));
        cands.extend(["int", "char", "short", "long", "unsigned", "signed", "void", "float", "double", "_Bool"]);
        let base_names: Vec<&str> = match &self.cx.base {
            Some(b) => b.names_of_kind(&[Kind::TYPEDEF]).collect(),
            None => Vec::new(),
        };
        cands.extend(base_names);
        crate::diag::closest(name, cands).map(|c| format!("did you mean `{c}`?"))
    }

    pub(super) fn tag_hint(&self, kind: TagKind, name: &str) -> Option<String> {
        let mut cands: Vec<&str> =
            self.cx.tags.iter().filter(|(_, t)| t.kind == kind && t.complete).map(|(n, _)| n.as_str()).collect();
        let kinds: &[Kind] = match kind {
            TagKind::Struct => &[Kind::STRUCT],
            TagKind::Union => &[Kind::UNION],
            TagKind::Enum => &[Kind::ENUM, Kind::ENUM64],
        };
        let base_names: Vec<&str> = match &self.cx.base {
            Some(b) => b.names_of_kind(kinds).collect(),
            None => Vec::new(),
        };
        cands.extend(base_names);
        crate::diag::closest(name, cands).map(|c| format!("did you mean `{} {c}`?", kind.word()))
    }

    // ----- declarations -----

    pub(super) fn translation_unit(&mut self) {
        while !self.at_eof() {
            if self.eat(";") {
                continue;
            }
            let start = self.pos;
            if self.declaration().is_err() {
                self.recover(false);
            }
            if self.pos == start {
                self.bump();
            }
        }
    }

    pub(super) fn declaration(&mut self) -> PResult<()> {
        let start = self.span().start;
        let spec = self.specifiers(true)?;
        if self.eat(";") {
            if spec.storage.is_some() || spec.typedef {
                // `static struct foo;` and the like: legal but declares nothing.
            }
            return Ok(());
        }
        loop {
            let d = self.declarator(false)?;
            let mut attrs = spec.attrs.clone();
            attrs.merge(self.attributes()?);
            let Some((name, name_span)) = d.name.clone() else {
                return self.err(d.span.clone(), "expected a name in this declaration");
            };
            let is_func = matches!(d.ops.last(), Some(Op::Func { .. }));
            if spec.typedef {
                self.typedef_decl(&spec, &d, &attrs, name, name_span)?;
            } else if is_func {
                self.func_decl(&spec, &d, attrs, name, name_span, start)?;
            } else {
                self.var_decl(&spec, &d, attrs, name, name_span, start)?;
            }
            if self.eat(",") {
                continue;
            }
            if self.at("{") && is_func {
                let sp = self.span();
                return self.err_help(
                    sp,
                    "function bodies are not supported in C declarations",
                    "declare the prototype here (`int f(void *ctx);`) and write the body in assembly",
                );
            }
            self.expect(";")?;
            return Ok(());
        }
    }

    pub(super) fn typedef_decl(
        &mut self,
        spec: &Spec,
        d: &Declarator,
        attrs: &Attrs,
        name: String,
        name_span: Range<usize>,
    ) -> PResult<()> {
        let ty = self.build(spec.ty, &attrs.type_tags, &d.ops)?;
        if self.at("=") {
            let sp = self.span();
            return self.err(sp, "a typedef cannot have an initializer");
        }
        if let Some(&old) = self.cx.typedefs.get(&name) {
            let same =
                matches!(self.cx.b.get(old).map(|t| &t.data), Some(TypeData::Typedef { type_id }) if *type_id == ty);
            if same {
                return Ok(());
            }
            return self.err(name_span, format!("redefinition of typedef `{name}` with a different type"));
        }
        let id = self.cx.b.add_typedef(&name, ty);
        if let Some(a) = attrs.aligned {
            self.cx.aligns.insert(id, a);
        }
        for t in &attrs.decl_tags {
            self.cx.b.add_decl_tag(t, id, -1);
        }
        self.cx.typedefs.insert(name, id);
        Ok(())
    }

    pub(super) fn declare_sym(
        &mut self,
        name: &str,
        span: Range<usize>,
        ty: u32,
        func: bool,
        storage: Storage,
    ) -> PResult<()> {
        if let Some(old) = self.cx.syms.get(name) {
            if old.ty == ty && old.func == func && (func || storage == Storage::Extern) {
                return Ok(());
            }
            let what = if old.func { "function" } else { "variable" };
            return self.err_help(
                span,
                format!("redefinition of `{name}`"),
                format!("`{name}` was already declared as a {what} of type `{}`", self.cx.describe(old.ty)),
            );
        }
        self.cx.syms.insert(name.to_string(), SymInfo { ty, func });
        Ok(())
    }

    pub(super) fn func_decl(
        &mut self,
        spec: &Spec,
        d: &Declarator,
        attrs: Attrs,
        name: String,
        name_span: Range<usize>,
        start: usize,
    ) -> PResult<()> {
        let proto = self.build_func(spec.ty, &d.ops)?;
        if self.at("=") {
            let sp = self.span();
            return self.err(sp, "a function cannot have an initializer");
        }
        let storage = spec.storage.unwrap_or(Storage::Global);
        let mut decl_tags: Vec<(String, i32)> = attrs.decl_tags.iter().map(|t| (t.clone(), -1)).collect();
        if let Some(Op::Func { tags, .. }) = d.ops.last() {
            decl_tags.extend(tags.iter().cloned());
        }
        self.declare_sym(&name, name_span, proto, true, storage)?;
        let section = if attrs.ksym && attrs.section.is_none() { Some(".ksyms".into()) } else { attrs.section };
        self.decls.push(Decl::Func {
            name,
            proto,
            storage,
            section,
            ksym: attrs.ksym,
            weak: attrs.weak,
            hidden: attrs.hidden,
            decl_tags,
            span: start..self.prev_end(),
        });
        Ok(())
    }

    pub(super) fn var_decl(
        &mut self,
        spec: &Spec,
        d: &Declarator,
        attrs: Attrs,
        name: String,
        name_span: Range<usize>,
        start: usize,
    ) -> PResult<()> {
        let storage = spec.storage.unwrap_or(Storage::Global);
        let unsized_array = matches!(d.ops.last(), Some(Op::Array(None, _)));
        let mut init = None;
        let ty;
        if self.at("=") {
            let eq = self.bump().span;
            if storage == Storage::Extern {
                return self.err(eq, format!("`extern` variable `{name}` cannot have an initializer"));
            }
            if unsized_array {
                // `T x[] = ...`: the initializer gives the length.
                let n = d.ops.len() - 1;
                let elem = self.build(spec.ty, &attrs.type_tags, &d.ops[..n])?;
                let mut buf = InitBuf::default();
                let count = self.unsized_array_init(elem, &mut buf)?;
                let count = match u32::try_from(count) {
                    Ok(c) => c,
                    Err(_) => return self.err(name_span, "array too large"),
                };
                ty = self.cx.array(elem, count);
                let size = self.size_checked(ty, name_span.clone())?;
                if size > MAX_INIT_BYTES {
                    return self.err(name_span, format!("initialised variable larger than {MAX_INIT_BYTES} bytes"));
                }
                buf.bytes.resize(size as usize, 0);
                init = Some(buf);
            } else {
                ty = self.build(spec.ty, &attrs.type_tags, &d.ops)?;
                let size = match self.cx.size_of(ty) {
                    Ok(s) if s <= MAX_INIT_BYTES => s,
                    Ok(_) => {
                        return self.err(name_span, format!("initialised variable larger than {MAX_INIT_BYTES} bytes"))
                    }
                    Err(e) => return self.err(name_span, format!("variable `{name}` has an incomplete type: {e}")),
                };
                let mut buf = InitBuf { bytes: vec![0; size as usize], relocs: Vec::new() };
                self.initializer(ty, 0, 0, &mut buf)?;
                init = Some(buf);
            }
        } else {
            ty = self.build(spec.ty, &attrs.type_tags, &d.ops)?;
        }
        let size = match self.cx.size_of(ty) {
            Ok(s) if s <= u32::MAX as u64 => s as u32,
            Ok(_) => return self.err(name_span, "variable too large"),
            Err(_) if storage == Storage::Extern => 0,
            Err(e) => {
                let mut err = CError::new(name_span.clone(), format!("variable `{name}` has an incomplete type: {e}"));
                let stripped = self.cx.strip(ty);
                if let Some(t) = self.cx.b.get(stripped).filter(|t| t.kind() == Kind::FWD) {
                    let n = self.cx.b.str_at(t.name_off).unwrap_or("").to_string();
                    let kind = if t.kind_flag { TagKind::Union } else { TagKind::Struct };
                    match self.tag_hint(kind, &n) {
                        Some(h) => err = err.help(h),
                        None => {
                            err = err.help(format!(
                                "define `{} {n}` before this declaration, or give a base BTF that has it",
                                kind.word()
                            ))
                        }
                    }
                }
                self.errors.push(err);
                return Err(());
            }
        };
        let align = self.cx.align_of(ty).unwrap_or(1).max(attrs.aligned.unwrap_or(1));
        let extern_kind = (storage == Storage::Extern).then_some(if attrs.ksym {
            ExternKind::Ksym
        } else if attrs.kconfig {
            ExternKind::Kconfig
        } else {
            ExternKind::Plain
        });
        let section = if attrs.section.is_some() {
            attrs.section.clone()
        } else if attrs.ksym {
            Some(".ksyms".into())
        } else if attrs.kconfig {
            Some(".kconfig".into())
        } else {
            None
        };
        self.declare_sym(&name, name_span, ty, false, storage)?;
        let init = init.map(|b| {
            let size = (size as usize).max(b.bytes.len());
            let mut bytes = b.bytes;
            bytes.resize(size, 0);
            let mut relocs = b.relocs;
            relocs.sort();
            Init { bytes, relocs }
        });
        let size = init.as_ref().map_or(size, |i| i.bytes.len() as u32);
        self.decls.push(Decl::Var {
            name,
            ty,
            storage,
            section,
            extern_kind,
            weak: attrs.weak,
            hidden: attrs.hidden,
            readonly: self.cx.is_const(ty),
            init,
            size,
            align,
            decl_tags: attrs.decl_tags,
            span: start..self.prev_end(),
        });
        Ok(())
    }

    pub(super) fn size_checked(&mut self, ty: u32, span: Range<usize>) -> PResult<u64> {
        match self.cx.size_of(ty) {
            Ok(s) if s <= u32::MAX as u64 => Ok(s),
            Ok(_) => self.err(span, "type too large"),
            Err(e) => self.err(span, e),
        }
    }
}
