//! The declaration parser: recursive descent over tokens, building BTF as it goes (types are
//! needed while parsing: `sizeof`, enum constants, typedef names).

use super::eval::InitBuf;
use super::lex::{lex, Tok, T};
use super::types::{BASE_TYPES, BUILTIN_TYPEDEFS};
use super::{CError, Context, Decl, ExternKind, FieldAccess, Init, Storage, SymInfo, TagInfo, TagKind};
use btf::{Kind, MemberDef, TypeData, TypeDef};
use std::ops::Range;

/// Errors are pushed to `Parser::errors`; `Err(())` unwinds to a recovery point.
type PResult<T> = Result<T, ()>;

/// Nesting limit for declarators, expressions, initializers and struct bodies.
const MAX_NEST: u32 = 200;
/// The largest initialised variable (its bytes are built in memory): an input of a few bytes
/// must not ask for gigabytes.
const MAX_INIT_BYTES: u64 = 1 << 30;

/// Attributes and libbpf attribute macros seen on a declaration.
#[derive(Clone, Debug, Default)]
struct Attrs {
    packed: bool,
    aligned: Option<u32>,
    section: Option<String>,
    decl_tags: Vec<String>,
    type_tags: Vec<String>,
    weak: bool,
    hidden: bool,
    ksym: bool,
    kconfig: bool,
    /// `preserve_access_index`: accesses to this struct are CO-RE relocated.
    pai: bool,
}

impl Attrs {
    fn merge(&mut self, o: Attrs) {
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
struct Spec {
    ty: u32,
    storage: Option<Storage>,
    typedef: bool,
    attrs: Attrs,
    /// The specifier defined a tagless struct/union (an anonymous member if no declarator).
    tagless_def: bool,
}

/// One derivation step of a declarator, applied to the type built so far.
#[derive(Clone, Debug)]
enum Op {
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
struct Declarator {
    name: Option<(String, Range<usize>)>,
    /// Applied first to last; the last is the outermost.
    ops: Vec<Op>,
    span: Range<usize>,
}

/// A struct/union member before layout.
struct MemberSpec {
    name: String,
    ty: u32,
    bitfield: Option<u32>,
    aligned: Option<u32>,
    packed: bool,
    flexible: bool,
    decl_tags: Vec<String>,
    span: Range<usize>,
}

/// An integer constant with its C type (32/64 bits, signedness).
#[derive(Clone, Copy, Debug)]
struct Val {
    v: i128,
    unsigned: bool,
    wide: bool,
}

impl Val {
    fn int(v: i128) -> Val {
        Val { v, unsigned: false, wide: false }.norm()
    }
    fn typed(v: i128, unsigned: bool, wide: bool) -> Val {
        Val { v, unsigned, wide }.norm()
    }
    /// Wrap into the range of the type.
    fn norm(mut self) -> Val {
        let bits = if self.wide { 64 } else { 32 };
        let m = (1i128 << bits) - 1;
        let mut v = self.v & m;
        if !self.unsigned && v >> (bits - 1) != 0 {
            v -= 1i128 << bits;
        }
        self.v = v;
        self
    }
    /// The type of a literal (C rules, without distinguishing hex/octal).
    fn literal(v: u128, unsigned: bool, long: bool) -> Val {
        let v = v as i128;
        if unsigned {
            Val { v, unsigned: true, wide: long || v > u32::MAX as i128 }
        } else if long {
            Val { v, unsigned: v > i64::MAX as i128, wide: true }
        } else if v <= i32::MAX as i128 {
            Val { v, unsigned: false, wide: false }
        } else if v <= i64::MAX as i128 {
            Val { v, unsigned: false, wide: true }
        } else {
            Val { v, unsigned: true, wide: true }
        }
    }
}

/// Usual arithmetic conversions for two operands.
fn common(a: Val, b: Val) -> (bool, bool) {
    let wide = a.wide || b.wide;
    let unsigned = (a.unsigned && (a.wide || !b.wide)) || (b.unsigned && (b.wide || !a.wide));
    (unsigned, wide)
}

pub(crate) struct Parser<'c> {
    cx: &'c mut Context,
    toks: Vec<Tok>,
    pos: usize,
    errors: Vec<CError>,
    depth: u32,
    decls: Vec<Decl>,
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

fn single<R>(cx: &mut Context, text: &str, f: impl FnOnce(&mut Parser) -> PResult<R>) -> Result<R, CError> {
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

fn is_type_keyword(s: &str) -> bool {
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

fn is_attr_word(s: &str) -> bool {
    matches!(s, "__attribute__" | "__attribute" | "SEC" | "__ksym" | "__kconfig" | "__weak" | "__hidden")
}

fn is_ignored_word(s: &str) -> bool {
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

    fn peek(&self) -> &T {
        self.peek_at(0)
    }
    fn peek_at(&self, n: usize) -> &T {
        let i = (self.pos + n).min(self.toks.len() - 1);
        &self.toks[i].t
    }
    fn span(&self) -> Range<usize> {
        self.toks[self.pos.min(self.toks.len() - 1)].span.clone()
    }
    fn prev_end(&self) -> usize {
        if self.pos == 0 {
            0
        } else {
            self.toks[(self.pos - 1).min(self.toks.len() - 1)].span.end
        }
    }
    fn bump(&mut self) -> Tok {
        let t = self.toks[self.pos.min(self.toks.len() - 1)].clone();
        if self.pos < self.toks.len() - 1 {
            self.pos += 1;
        }
        t
    }
    fn at_eof(&self) -> bool {
        matches!(self.peek(), T::Eof)
    }
    fn at(&self, p: &str) -> bool {
        matches!(self.peek(), T::Punct(q) if *q == p)
    }
    fn at_n(&self, n: usize, p: &str) -> bool {
        matches!(self.peek_at(n), T::Punct(q) if *q == p)
    }
    fn at_ident(&self, s: &str) -> bool {
        matches!(self.peek(), T::Ident(q) if q == s)
    }
    fn eat(&mut self, p: &str) -> bool {
        if self.at(p) {
            self.bump();
            true
        } else {
            false
        }
    }
    fn describe_tok(t: &T) -> String {
        match t {
            T::Ident(s) => format!("`{s}`"),
            T::Int(..) | T::Float(_) => "a number".into(),
            T::Str(_) => "a string".into(),
            T::Punct(p) => format!("`{p}`"),
            T::Eof => "the end of the input".into(),
        }
    }
    fn expect(&mut self, p: &str) -> PResult<Range<usize>> {
        if self.at(p) {
            Ok(self.bump().span)
        } else {
            let sp = self.span();
            let found = Self::describe_tok(self.peek());
            self.err(sp, format!("expected `{p}`, found {found}"))
        }
    }
    fn ident(&mut self, what: &str) -> PResult<(String, Range<usize>)> {
        if let T::Ident(s) = self.peek() {
            let s = s.clone();
            let sp = self.bump().span;
            return Ok((s, sp));
        }
        let sp = self.span();
        let found = Self::describe_tok(self.peek());
        self.err(sp, format!("expected {what}, found {found}"))
    }
    fn string(&mut self) -> PResult<String> {
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
    fn err<R>(&mut self, span: Range<usize>, msg: impl Into<String>) -> PResult<R> {
        self.errors.push(CError::new(span, msg));
        Err(())
    }
    fn err_help<R>(&mut self, span: Range<usize>, msg: impl Into<String>, help: impl Into<String>) -> PResult<R> {
        self.errors.push(CError::new(span, msg).help(help));
        Err(())
    }
    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_NEST {
            let sp = self.span();
            self.depth -= 1;
            return self.err(sp, "nesting too deep");
        }
        Ok(())
    }
    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }
    fn nested<R>(&mut self, f: impl FnOnce(&mut Self) -> PResult<R>) -> PResult<R> {
        self.enter()?;
        let r = f(self);
        self.leave();
        r
    }

    /// Skip to after the next `;` outside brackets (or stop before an unmatched `}` when
    /// `in_braces`).
    fn recover(&mut self, in_braces: bool) {
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

    fn is_typedef_name(&self, s: &str) -> bool {
        self.cx.typedefs.contains_key(s) || BUILTIN_TYPEDEFS.iter().any(|e| e.0 == s) || self.cx.base_has_typedef(s)
    }

    fn typedef_lookup(&mut self, s: &str) -> Option<u32> {
        if let Some(&id) = self.cx.typedefs.get(s) {
            return Some(id);
        }
        if let Some(id) = self.cx.builtin_typedef(s) {
            return Some(id);
        }
        self.cx.import_typedef(s)
    }

    /// Whether the token at `n` starts a type name.
    fn starts_type(&self, n: usize) -> bool {
        match self.peek_at(n) {
            T::Ident(s) => is_type_keyword(s) || self.is_typedef_name(s),
            _ => false,
        }
    }

    fn type_name_hint(&self, name: &str) -> Option<String> {
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

    fn tag_hint(&self, kind: TagKind, name: &str) -> Option<String> {
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

    fn translation_unit(&mut self) {
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

    fn declaration(&mut self) -> PResult<()> {
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

    fn typedef_decl(
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

    fn declare_sym(&mut self, name: &str, span: Range<usize>, ty: u32, func: bool, storage: Storage) -> PResult<()> {
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

    fn func_decl(
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

    fn var_decl(
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

    fn size_checked(&mut self, ty: u32, span: Range<usize>) -> PResult<u64> {
        match self.cx.size_of(ty) {
            Ok(s) if s <= u32::MAX as u64 => Ok(s),
            Ok(_) => self.err(span, "type too large"),
            Err(e) => self.err(span, e),
        }
    }

    /// Declaration specifiers. `storage`: whether `static`/`extern`/`typedef` are allowed.
    fn specifiers(&mut self, storage_ok: bool) -> PResult<Spec> {
        let start = self.span();
        let mut words: Vec<(String, Range<usize>)> = Vec::new();
        let mut ty: Option<u32> = None;
        let (mut c, mut v, mut r) = (false, false, false);
        let mut spec = Spec { ty: 0, storage: None, typedef: false, attrs: Attrs::default(), tagless_def: false };
        while let T::Ident(s) = self.peek().clone() {
            let sp = self.span();
            match s.as_str() {
                "typedef" | "static" | "extern" => {
                    if !storage_ok {
                        return self.err(sp, format!("`{s}` is not allowed here"));
                    }
                    if spec.storage.is_some() || spec.typedef {
                        return self.err(sp, "more than one storage class");
                    }
                    self.bump();
                    match s.as_str() {
                        "typedef" => spec.typedef = true,
                        "static" => spec.storage = Some(Storage::Static),
                        _ => spec.storage = Some(Storage::Extern),
                    }
                }
                w if is_ignored_word(w) => {
                    self.bump();
                }
                "const" | "__const" | "__const__" => {
                    self.bump();
                    c = true;
                }
                "volatile" | "__volatile" | "__volatile__" => {
                    self.bump();
                    v = true;
                }
                "restrict" | "__restrict" | "__restrict__" => {
                    self.bump();
                    r = true;
                }
                "void" | "char" | "short" | "int" | "long" | "signed" | "__signed" | "__signed__" | "unsigned"
                | "_Bool" | "float" | "double" | "__int128" => {
                    if ty.is_some() {
                        return self.err(sp, "two or more data types in declaration specifiers");
                    }
                    self.bump();
                    words.push((s.trim_matches('_').to_string(), sp));
                    if s == "_Bool" {
                        words.last_mut().expect("just pushed").0 = "_Bool".into();
                    }
                }
                "struct" | "union" | "enum" => {
                    if ty.is_some() || !words.is_empty() {
                        return self.err(sp, "two or more data types in declaration specifiers");
                    }
                    self.bump();
                    let (id, tagless) =
                        if s == "enum" { (self.enum_spec(sp)?, false) } else { self.struct_spec(s == "union", sp)? };
                    spec.tagless_def = tagless;
                    ty = Some(id);
                }
                "typeof" | "__typeof" | "__typeof__" => {
                    if ty.is_some() || !words.is_empty() {
                        return self.err(sp, "two or more data types in declaration specifiers");
                    }
                    self.bump();
                    self.expect("(")?;
                    let id = if self.starts_type(0) {
                        self.type_name()?
                    } else {
                        let (n, nsp) = self.ident("a type or variable name")?;
                        match self.cx.syms.get(&n) {
                            Some(s) => s.ty,
                            None => return self.err(nsp, format!("unknown variable `{n}` in typeof")),
                        }
                    };
                    self.expect(")")?;
                    ty = Some(id);
                }
                w if is_attr_word(w) => {
                    let a = self.attributes()?;
                    spec.attrs.merge(a);
                }
                "_Atomic" | "_Thread_local" | "__thread" | "_Complex" | "__auto_type" | "_BitInt" => {
                    return self.err(sp, format!("`{s}` is not supported in BPF declarations"));
                }
                _ => {
                    if ty.is_some() || !words.is_empty() {
                        break;
                    }
                    if let Some(id) = self.typedef_lookup(&s) {
                        self.bump();
                        ty = Some(id);
                        continue;
                    }
                    let mut e = CError::new(sp, format!("unknown type name `{s}`"));
                    if let Some(h) = self.type_name_hint(&s) {
                        e = e.help(h);
                    }
                    self.errors.push(e);
                    return Err(());
                }
            }
        }
        let base = match ty {
            Some(t) => t,
            None if words.is_empty() => {
                let sp = if self.span().start == start.start { self.span() } else { start };
                let found = Self::describe_tok(self.peek());
                return self.err(sp, format!("expected a type, found {found}"));
            }
            None => self.base_words(&words)?,
        };
        spec.ty = self.cx.qualify(base, c, v, r);
        Ok(spec)
    }

    /// Combine `unsigned long long` and friends into a base type.
    fn base_words(&mut self, words: &[(String, Range<usize>)]) -> PResult<u32> {
        let count = |w: &str| words.iter().filter(|x| x.0 == w).count();
        let (signed, unsigned) = (count("signed"), count("unsigned"));
        let (char_, short, int, long) = (count("char"), count("short"), count("int"), count("long"));
        let (void, bool_, float, double, i128_) =
            (count("void"), count("_Bool"), count("float"), count("double"), count("int128"));
        let span = words[0].1.start..words[words.len() - 1].1.end;
        let bad = |p: &mut Self| p.err(span.clone(), "invalid combination of type specifiers");
        if signed + unsigned > 1
            || char_ > 1
            || short > 1
            || int > 1
            || long > 2
            || void + bool_ + float + double + i128_ > 1
        {
            return bad(self);
        }
        let sign = signed + unsigned > 0;
        let name: &str = if void == 1 {
            if words.len() > 1 {
                return bad(self);
            }
            return Ok(0);
        } else if bool_ == 1 || float == 1 {
            if words.len() > 1 {
                return bad(self);
            }
            if bool_ == 1 {
                "_Bool"
            } else {
                "float"
            }
        } else if double == 1 {
            match (long, words.len()) {
                (0, 1) => "double",
                (1, 2) => "long double",
                _ => return bad(self),
            }
        } else if i128_ == 1 {
            if char_ + short + int + long > 0 {
                return bad(self);
            }
            if unsigned == 1 {
                "unsigned __int128"
            } else {
                "__int128"
            }
        } else if char_ == 1 {
            if short + int + long > 0 {
                return bad(self);
            }
            match (signed, unsigned) {
                (1, _) => "signed char",
                (_, 1) => "unsigned char",
                _ => "char",
            }
        } else if short == 1 {
            if long > 0 {
                return bad(self);
            }
            if unsigned == 1 {
                "unsigned short"
            } else {
                "short"
            }
        } else if long == 2 {
            if unsigned == 1 {
                "unsigned long long"
            } else {
                "long long"
            }
        } else if long == 1 {
            if unsigned == 1 {
                "unsigned long"
            } else {
                "long"
            }
        } else if int == 1 || sign {
            if unsigned == 1 {
                "unsigned int"
            } else {
                "int"
            }
        } else {
            return bad(self);
        };
        debug_assert!(BASE_TYPES.iter().any(|b| b.0 == name));
        Ok(self.cx.base_type(name))
    }

    /// `__attribute__((...))`, `SEC("x")`, `__ksym`, `__kconfig`, `__weak`, `__hidden`, any
    /// number of them.
    fn attributes(&mut self) -> PResult<Attrs> {
        let mut a = Attrs::default();
        while let T::Ident(s) = self.peek().clone() {
            match s.as_str() {
                "__attribute__" | "__attribute" => {
                    self.bump();
                    self.expect("(")?;
                    self.expect("(")?;
                    loop {
                        if self.at(")") {
                            break;
                        }
                        self.attribute(&mut a)?;
                        if !self.eat(",") {
                            break;
                        }
                    }
                    self.expect(")")?;
                    self.expect(")")?;
                }
                "SEC" => {
                    self.bump();
                    self.expect("(")?;
                    a.section = Some(self.string()?);
                    self.expect(")")?;
                }
                "__ksym" => {
                    self.bump();
                    a.ksym = true;
                }
                "__kconfig" => {
                    self.bump();
                    a.kconfig = true;
                }
                "__weak" => {
                    self.bump();
                    a.weak = true;
                }
                "__hidden" => {
                    self.bump();
                    a.hidden = true;
                }
                w if is_ignored_word(w) => {
                    self.bump();
                }
                _ => break,
            }
        }
        Ok(a)
    }

    fn attribute(&mut self, a: &mut Attrs) -> PResult<()> {
        let (raw, sp) = self.ident("an attribute name")?;
        let name = raw.strip_prefix("__").and_then(|n| n.strip_suffix("__")).unwrap_or(&raw);
        match name {
            "packed" => a.packed = true,
            "aligned" => {
                if self.eat("(") {
                    let esp = self.span();
                    let v = self.expr()?;
                    self.expect(")")?;
                    if v.v <= 0 || v.v > (1 << 28) || (v.v & (v.v - 1)) != 0 {
                        return self.err(esp.start..self.prev_end(), "alignment must be a power of two");
                    }
                    a.aligned = Some(a.aligned.unwrap_or(1).max(v.v as u32));
                } else {
                    a.aligned = Some(8);
                }
            }
            "section" => {
                self.expect("(")?;
                a.section = Some(self.string()?);
                self.expect(")")?;
            }
            "btf_decl_tag" | "btf_type_tag" => {
                self.expect("(")?;
                let t = self.string()?;
                self.expect(")")?;
                if name == "btf_decl_tag" {
                    a.decl_tags.push(t);
                } else {
                    a.type_tags.push(t);
                }
            }
            "weak" => a.weak = true,
            "visibility" => {
                self.expect("(")?;
                let vsp = self.span();
                let v = self.string()?;
                self.expect(")")?;
                match v.as_str() {
                    "hidden" => a.hidden = true,
                    "default" => {}
                    _ => return self.err(vsp, format!("unsupported visibility `{v}`")),
                }
            }
            "preserve_access_index" => a.pai = true,
            "used"
            | "unused"
            | "always_inline"
            | "noinline"
            | "maybe_unused"
            | "deprecated"
            | "warn_unused_result"
            | "const"
            | "pure"
            | "noreturn"
            | "cold"
            | "hot"
            | "nonnull"
            | "format"
            | "may_alias"
            | "bpf_fastcall"
            | "preserve_static_offset"
            | "flatten"
            | "nocf_check" => {
                if self.at("(") {
                    self.skip_parens()?;
                }
            }
            _ => {
                return self.err_help(
                    sp,
                    format!("unsupported attribute `{raw}`"),
                    "supported: packed, aligned, section, btf_decl_tag, btf_type_tag, preserve_access_index, weak, visibility",
                );
            }
        }
        Ok(())
    }

    fn skip_parens(&mut self) -> PResult<()> {
        self.expect("(")?;
        let mut depth = 1;
        while depth > 0 {
            match self.bump().t {
                T::Punct("(") => depth += 1,
                T::Punct(")") => depth -= 1,
                T::Eof => {
                    let sp = self.span();
                    return self.err(sp, "unbalanced parentheses");
                }
                _ => {}
            }
        }
        Ok(())
    }

    // ----- declarators -----

    /// A declarator; `abstract_ok`: the name may be missing (type names, parameters).
    fn declarator(&mut self, abstract_ok: bool) -> PResult<Declarator> {
        self.nested(|p| p.declarator_inner(abstract_ok))
    }

    fn declarator_inner(&mut self, abstract_ok: bool) -> PResult<Declarator> {
        let start = self.span().start;
        let mut ptr_ops = Vec::new();
        while self.eat("*") {
            let (mut c, mut v, mut r) = (false, false, false);
            let mut tags = Vec::new();
            loop {
                match self.peek() {
                    T::Ident(s) if matches!(s.as_str(), "const" | "__const" | "__const__") => c = true,
                    T::Ident(s) if matches!(s.as_str(), "volatile" | "__volatile" | "__volatile__") => v = true,
                    T::Ident(s) if matches!(s.as_str(), "restrict" | "__restrict" | "__restrict__") => r = true,
                    T::Ident(s) if s == "__attribute__" || s == "__attribute" => {
                        let a = self.attributes()?;
                        tags.extend(a.type_tags);
                        continue;
                    }
                    _ => break,
                }
                self.bump();
            }
            ptr_ops.push(Op::Ptr { c, v, r, tags });
        }
        let mut name = None;
        let mut inner = None;
        match self.peek().clone() {
            T::Ident(s) if !(is_attr_word(&s) || abstract_ok && self.starts_type(0)) => {
                let sp = self.bump().span;
                name = Some((s, sp));
            }
            T::Punct("(") if self.nested_declarator_follows() => {
                self.bump();
                inner = Some(self.declarator(abstract_ok)?);
                self.expect(")")?;
            }
            _ => {}
        }
        let mut suffixes = Vec::new();
        loop {
            if self.at("[") {
                let lsp = self.bump().span;
                if self.at("]") {
                    let rsp = self.bump().span;
                    suffixes.push(Op::Array(None, lsp.start..rsp.end));
                    continue;
                }
                let esp = self.span();
                let n = self.expr()?;
                let rsp = self.expect("]")?;
                if n.v < 0 || n.v > u32::MAX as i128 {
                    return self.err(esp.start..rsp.start, format!("invalid array size {}", n.v));
                }
                suffixes.push(Op::Array(Some(n.v as u32), lsp.start..rsp.end));
            } else if self.at("(") {
                self.bump();
                let op = self.params()?;
                self.expect(")")?;
                suffixes.push(op);
            } else {
                break;
            }
        }
        if name.is_none() && inner.is_none() && !abstract_ok {
            let sp = self.span();
            let found = Self::describe_tok(self.peek());
            return self.err(sp, format!("expected a name, found {found}"));
        }
        let mut ops = ptr_ops;
        ops.extend(suffixes.into_iter().rev());
        if let Some(inner) = inner {
            name = inner.name;
            ops.extend(inner.ops);
        }
        Ok(Declarator { name, ops, span: start..self.prev_end().max(start) })
    }

    /// After `(` in a declarator: a nested declarator (`(*fp)`) rather than parameters.
    fn nested_declarator_follows(&self) -> bool {
        match self.peek_at(1) {
            T::Punct("*" | "(" | "^") => true,
            T::Ident(s) => !is_type_keyword(s) && !self.is_typedef_name(s) && !is_attr_word(s) && !is_ignored_word(s),
            _ => false,
        }
    }

    /// A parameter list (after `(`, up to but not including `)`).
    fn params(&mut self) -> PResult<Op> {
        let mut params = Vec::new();
        let mut tags = Vec::new();
        let mut variadic = false;
        if self.at(")") {
            return Ok(Op::Func { params, variadic, tags });
        }
        if self.at_ident("void") && self.at_n(1, ")") {
            self.bump();
            return Ok(Op::Func { params, variadic, tags });
        }
        loop {
            if self.eat("...") {
                variadic = true;
                break;
            }
            let spec = self.specifiers(false)?;
            let d = self.declarator(true)?;
            let mut attrs = spec.attrs.clone();
            attrs.merge(self.attributes()?);
            let mut ty = self.build(spec.ty, &attrs.type_tags, &d.ops)?;
            if ty == 0 && d.ops.is_empty() {
                return self.err(d.span, "a parameter cannot have type `void`");
            }
            // Parameters of array or function type are pointers.
            let st = self.cx.strip(ty);
            match self.cx.b.get(st).map(|t| t.data.clone()) {
                Some(TypeData::Array(a)) => ty = self.cx.ptr(a.elem_type),
                Some(TypeData::FuncProto { .. }) => ty = self.cx.ptr(ty),
                _ => {}
            }
            for t in attrs.decl_tags {
                tags.push((t, params.len() as i32));
            }
            params.push((d.name.map(|n| n.0).unwrap_or_default(), ty));
            if !self.eat(",") {
                break;
            }
        }
        Ok(Op::Func { params, variadic, tags })
    }

    /// Apply declarator ops to a base type. `tags`: type tags on the base.
    /// Prototypes get no parameter names (as clang emits function pointer types), except the
    /// outermost one of a function declaration (see [`Self::build_func`]).
    fn build(&mut self, base: u32, tags: &[String], ops: &[Op]) -> PResult<u32> {
        self.build_ops(base, tags, ops, false)
    }

    /// Like [`Self::build`] for a function declaration: its own prototype keeps the
    /// parameter names.
    fn build_func(&mut self, base: u32, ops: &[Op]) -> PResult<u32> {
        self.build_ops(base, &[], ops, true)
    }

    fn build_ops(&mut self, base: u32, tags: &[String], ops: &[Op], names_last: bool) -> PResult<u32> {
        let mut cur = base;
        let mut pending: Vec<String> = tags.to_vec();
        for (i, op) in ops.iter().enumerate() {
            match op {
                Op::Ptr { c, v, r, tags } => {
                    let mut p = cur;
                    for t in &pending {
                        p = self.cx.type_tag(t, p);
                    }
                    let ptr = self.cx.ptr(p);
                    cur = self.cx.qualify(ptr, *c, *v, *r);
                    pending = tags.clone();
                }
                Op::Array(n, sp) => {
                    let st = self.cx.strip(cur);
                    match self.cx.b.get(st).map(|t| t.kind()) {
                        Some(Kind::FUNC_PROTO) => return self.err(sp.clone(), "an array of functions is not allowed"),
                        None => return self.err(sp.clone(), "an array of `void` is not allowed"),
                        _ => {}
                    }
                    if let Err(e) = self.cx.size_of(cur) {
                        return self.err(sp.clone(), format!("array element type is incomplete: {e}"));
                    }
                    cur = self.cx.array(cur, n.unwrap_or(0));
                    pending.clear();
                }
                Op::Func { params, variadic, .. } => {
                    let st = self.cx.strip(cur);
                    if let Some(k @ (Kind::ARRAY | Kind::FUNC_PROTO)) = self.cx.b.get(st).map(|t| t.kind()) {
                        let what = if k == Kind::ARRAY { "an array" } else { "a function" };
                        let sp = self.span();
                        return self.err(sp, format!("a function cannot return {what}"));
                    }
                    if names_last && i + 1 == ops.len() {
                        cur = self.cx.func_proto(cur, params, *variadic);
                    } else {
                        let unnamed: Vec<(String, u32)> = params.iter().map(|p| (String::new(), p.1)).collect();
                        cur = self.cx.func_proto(cur, &unnamed, *variadic);
                    }
                    pending.clear();
                }
            }
        }
        Ok(cur)
    }

    /// A type name: specifiers and an abstract declarator (`int *`, `struct s[4]`).
    fn type_name(&mut self) -> PResult<u32> {
        let spec = self.specifiers(false)?;
        let d = self.declarator(true)?;
        if let Some((n, sp)) = d.name {
            return self.err(sp, format!("unexpected name `{n}` in a type name"));
        }
        self.build(spec.ty, &spec.attrs.type_tags, &d.ops)
    }

    // ----- struct / union / enum -----

    /// After `struct`/`union`: returns the type id and whether it was a tagless definition.
    fn struct_spec(&mut self, union: bool, kw: Range<usize>) -> PResult<(u32, bool)> {
        let kind = if union { TagKind::Union } else { TagKind::Struct };
        let mut attrs = self.attributes()?;
        let name = match self.peek() {
            T::Ident(_) => Some(self.ident("a name")?),
            _ => None,
        };
        if !self.at("{") {
            let Some((name, nsp)) = name else {
                let sp = self.span();
                return self.err(sp, format!("expected a name or `{{` after `{}`", kind.word()));
            };
            return Ok((self.tag_ref(kind, &name, nsp)?, false));
        }
        // A definition.
        let id = match &name {
            Some((n, nsp)) => match self.cx.tags.get(n).cloned() {
                Some(t) if t.kind != kind => {
                    let msg = format!("`{n}` is already declared as `{} {n}`", t.kind.word());
                    self.skip_braces();
                    return self.err(nsp.clone(), msg);
                }
                Some(t) if t.imported => {
                    self.skip_braces();
                    return self.err_help(
                        nsp.clone(),
                        format!("redefinition of `{} {n}`, already imported from the base BTF", kind.word()),
                        format!(
                            "declare it before its first use, or name it `{n}___local` (CO-RE ignores a `___` suffix)"
                        ),
                    );
                }
                Some(t) if t.complete => {
                    self.skip_braces();
                    return self.err(nsp.clone(), format!("redefinition of `{} {n}`", kind.word()));
                }
                Some(t) => Some(t.id),
                None => {
                    let id = self.cx.b.add_fwd(n, union);
                    self.cx.tags.insert(n.clone(), TagInfo { kind, id, complete: false, imported: false });
                    Some(id)
                }
            },
            None => None,
        };
        self.expect("{")?;
        let members = self.nested(|p| p.struct_body())?;
        self.expect("}")?;
        attrs.merge(self.attributes()?);
        let span = kw.start..self.prev_end();
        let (size, align, defs, tags) = self.layout(union, &members, &attrs, span)?;
        let kind_flag = defs.iter().any(|m| m.bitfield_size != 0);
        let data =
            if union { TypeData::Union { size, members: defs } } else { TypeData::Struct { size, members: defs } };
        let name_off = self.cx.b.add_str(name.as_ref().map_or("", |n| n.0.as_str()));
        let def = TypeDef { name_off, kind_flag, data };
        let id = match id {
            Some(id) => {
                if let Some(t) = self.cx.b.get_mut(id) {
                    *t = def;
                }
                id
            }
            None => self.cx.b.add_type(def),
        };
        self.cx.aligns.insert(id, align);
        if attrs.pai {
            self.cx.relocatable.insert(id);
        }
        if let Some((n, _)) = &name {
            if let Some(t) = self.cx.tags.get_mut(n) {
                t.complete = true;
            }
        }
        for t in &attrs.decl_tags {
            self.cx.b.add_decl_tag(t, id, -1);
        }
        for (t, i) in tags {
            self.cx.b.add_decl_tag(&t, id, i as i32);
        }
        Ok((id, name.is_none()))
    }

    /// `struct X` / `union X` / `enum X` without a body.
    fn tag_ref(&mut self, kind: TagKind, name: &str, nsp: Range<usize>) -> PResult<u32> {
        if let Some(t) = self.cx.tags.get(name).cloned() {
            if t.kind != kind {
                return self.err(
                    nsp,
                    format!("`{name}` is declared as `{} {name}`, not `{} {name}`", t.kind.word(), kind.word()),
                );
            }
            return Ok(t.id);
        }
        if let Some(id) = self.cx.import_tag(kind, name) {
            return Ok(id);
        }
        if kind == TagKind::Enum {
            let mut e = CError::new(nsp, format!("unknown type `enum {name}`"));
            if let Some(h) = self.tag_hint(kind, name) {
                e = e.help(h);
            }
            self.errors.push(e);
            return Err(());
        }
        // A forward declaration: usable behind pointers.
        let id = self.cx.b.add_fwd(name, kind == TagKind::Union);
        self.cx.tags.insert(name.to_string(), TagInfo { kind, id, complete: false, imported: false });
        Ok(id)
    }

    fn skip_braces(&mut self) {
        if !self.at("{") {
            return;
        }
        let mut depth = 0;
        loop {
            match self.bump().t {
                T::Punct("{") => depth += 1,
                T::Punct("}") => {
                    depth -= 1;
                    if depth == 0 {
                        return;
                    }
                }
                T::Eof => return,
                _ => {}
            }
        }
    }

    fn struct_body(&mut self) -> PResult<Vec<MemberSpec>> {
        let mut members = Vec::new();
        let mut failed = false;
        while !self.at("}") && !self.at_eof() {
            if self.eat(";") {
                continue;
            }
            let before = self.pos;
            if self.member_decl(&mut members).is_err() {
                failed = true;
                self.recover(true);
                if self.pos == before {
                    self.bump();
                }
            }
        }
        if failed {
            return Err(());
        }
        Ok(members)
    }

    fn member_decl(&mut self, members: &mut Vec<MemberSpec>) -> PResult<()> {
        let start = self.span().start;
        if let T::Ident(m) = self.peek().clone() {
            if matches!(m.as_str(), "__uint" | "__type" | "__array" | "__ulong") && self.at_n(1, "(") {
                let msp = self.bump().span;
                self.bump();
                let (name, _) = self.ident("a member name")?;
                self.expect(",")?;
                let (ty, flexible) = match m.as_str() {
                    "__uint" => {
                        let esp = self.span();
                        let v = self.expr()?;
                        if v.v < 0 || v.v > u32::MAX as i128 {
                            return self
                                .err(esp.start..self.prev_end(), format!("`{name}` must be between 0 and 2^32-1"));
                        }
                        let int = self.cx.base_type("int");
                        let arr = self.cx.array(int, v.v as u32);
                        (self.cx.ptr(arr), false)
                    }
                    "__type" => {
                        let t = self.type_name()?;
                        (self.cx.ptr(t), false)
                    }
                    "__array" => {
                        let t = self.type_name()?;
                        let p = self.cx.ptr(t);
                        (self.cx.array(p, 0), true)
                    }
                    _ => return self.err(msp, "`__ulong` is not supported; use `__uint` for values below 2^32"),
                };
                self.expect(")")?;
                self.eat(";");
                members.push(MemberSpec {
                    name,
                    ty,
                    bitfield: None,
                    aligned: None,
                    packed: false,
                    flexible,
                    decl_tags: Vec::new(),
                    span: start..self.prev_end(),
                });
                return Ok(());
            }
        }
        let spec = self.specifiers(false)?;
        if self.at(";") {
            self.bump();
            if spec.tagless_def {
                let st = self.cx.strip(spec.ty);
                if matches!(self.cx.b.get(st).map(|t| t.kind()), Some(Kind::STRUCT | Kind::UNION)) {
                    members.push(MemberSpec {
                        name: String::new(),
                        ty: spec.ty,
                        bitfield: None,
                        aligned: spec.attrs.aligned,
                        packed: false,
                        flexible: false,
                        decl_tags: Vec::new(),
                        span: start..self.prev_end(),
                    });
                }
            }
            return Ok(());
        }
        loop {
            let d = if self.at(":") {
                Declarator { name: None, ops: Vec::new(), span: self.span() }
            } else {
                self.declarator(false)?
            };
            let mut bitfield = None;
            if self.eat(":") {
                let esp = self.span();
                let w = self.expr()?;
                if w.v < 0 || w.v > 128 {
                    return self.err(esp.start..self.prev_end(), format!("invalid bit-field width {}", w.v));
                }
                bitfield = Some(w.v as u32);
            }
            let mut attrs = spec.attrs.clone();
            attrs.merge(self.attributes()?);
            let ty = self.build(spec.ty, &attrs.type_tags, &d.ops)?;
            let flexible = matches!(d.ops.last(), Some(Op::Array(None, _)));
            members.push(MemberSpec {
                name: d.name.map(|n| n.0).unwrap_or_default(),
                ty,
                bitfield,
                aligned: attrs.aligned,
                packed: attrs.packed,
                flexible,
                decl_tags: attrs.decl_tags,
                span: start..self.prev_end(),
            });
            if self.eat(",") {
                continue;
            }
            self.expect(";")?;
            return Ok(());
        }
    }

    /// Lay out members as clang does for BPF (SysV rules). Returns size, alignment, BTF
    /// members and member decl tags `(tag, index)`.
    #[allow(clippy::type_complexity)]
    fn layout(
        &mut self,
        union: bool,
        members: &[MemberSpec],
        attrs: &Attrs,
        span: Range<usize>,
    ) -> PResult<(u32, u32, Vec<MemberDef>, Vec<(String, usize)>)> {
        let mut off: u64 = 0; // bits
        let mut max_end: u64 = 0;
        let mut align: u64 = 1;
        let mut defs = Vec::new();
        let mut tags = Vec::new();
        let mut ok = true;
        let mut names = std::collections::HashSet::new();
        for (i, m) in members.iter().enumerate() {
            if !m.name.is_empty() && !names.insert(m.name.clone()) {
                self.errors.push(CError::new(m.span.clone(), format!("duplicate member `{}`", m.name)));
                ok = false;
                continue;
            }
            let is_last = i + 1 == members.len();
            let size = match self.cx.size_of(m.ty) {
                Ok(s) => s,
                Err(e) => {
                    let mut err =
                        CError::new(m.span.clone(), format!("member `{}` has an incomplete type: {e}", m.name));
                    if let Some(t) = self.cx.b.get(self.cx.strip(m.ty)).filter(|t| t.kind() == Kind::FWD) {
                        let n = self.cx.b.str_at(t.name_off).unwrap_or("").to_string();
                        let k = if t.kind_flag { TagKind::Union } else { TagKind::Struct };
                        if let Some(h) = self.tag_hint(k, &n) {
                            err = err.help(h);
                        }
                    }
                    self.errors.push(err);
                    ok = false;
                    continue;
                }
            };
            if m.flexible && !is_last && !union {
                self.errors.push(CError::new(m.span.clone(), "a flexible array member must be the last member"));
                ok = false;
                continue;
            }
            if m.flexible && union {
                self.errors.push(CError::new(m.span.clone(), "a flexible array member is not allowed in a union"));
                ok = false;
                continue;
            }
            let natural = self.cx.align_of(m.ty).unwrap_or(1) as u64;
            let mut a = if attrs.packed || m.packed { 1 } else { natural };
            if let Some(x) = m.aligned {
                a = a.max(x as u64);
            }
            if let Some(w) = m.bitfield {
                let st = self.cx.strip(m.ty);
                let integral =
                    matches!(self.cx.b.get(st).map(|t| t.kind()), Some(Kind::INT | Kind::ENUM | Kind::ENUM64));
                if !integral {
                    self.errors.push(CError::new(
                        m.span.clone(),
                        format!("bit-field `{}` has non-integer type `{}`", m.name, self.cx.describe(m.ty)),
                    ));
                    ok = false;
                    continue;
                }
                let bits = size * 8;
                if w as u64 > bits {
                    self.errors.push(CError::new(
                        m.span.clone(),
                        format!(
                            "width of bit-field `{}` ({w} bits) exceeds the width of its type ({bits} bits)",
                            m.name
                        ),
                    ));
                    ok = false;
                    continue;
                }
                if w == 0 {
                    if !m.name.is_empty() {
                        self.errors
                            .push(CError::new(m.span.clone(), format!("named bit-field `{}` has zero width", m.name)));
                        ok = false;
                        continue;
                    }
                    if !union {
                        off = off.next_multiple_of(natural * 8);
                    }
                    continue;
                }
                let start = if union {
                    0
                } else if attrs.packed || m.packed {
                    off
                } else if off % bits + w as u64 > bits {
                    off.next_multiple_of(natural * 8)
                } else {
                    off
                };
                let start = if let Some(x) = m.aligned { start.next_multiple_of(x as u64 * 8) } else { start };
                if !m.name.is_empty() {
                    align = align.max(a);
                    for t in &m.decl_tags {
                        tags.push((t.clone(), defs.len()));
                    }
                    defs.push(self.cx.b.member(&m.name, m.ty, start as u32, w));
                }
                let end = start + w as u64;
                max_end = max_end.max(end);
                if !union {
                    off = end;
                }
                continue;
            }
            let start = if union { 0 } else { off.next_multiple_of(a * 8) };
            align = align.max(a);
            for t in &m.decl_tags {
                tags.push((t.clone(), defs.len()));
            }
            defs.push(self.cx.b.member(&m.name, m.ty, start as u32, 0));
            let end = start + size * 8;
            max_end = max_end.max(end);
            if !union {
                off = end;
            }
        }
        if !ok {
            return Err(());
        }
        if let Some(x) = attrs.aligned {
            align = align.max(x as u64);
        }
        let size = max_end.div_ceil(8).next_multiple_of(align);
        if size > u32::MAX as u64 / 8 {
            return self.err(span, "structure too large");
        }
        if defs.len() > 0xffff {
            return self.err(span, "too many members");
        }
        Ok((size as u32, align as u32, defs, tags))
    }

    /// After `enum`.
    fn enum_spec(&mut self, kw: Range<usize>) -> PResult<u32> {
        let mut attrs = self.attributes()?;
        let name = match self.peek() {
            T::Ident(_) => Some(self.ident("a name")?),
            _ => None,
        };
        if !self.at("{") {
            let Some((name, nsp)) = name else {
                let sp = self.span();
                return self.err(sp, "expected a name or `{` after `enum`");
            };
            return self.tag_ref(TagKind::Enum, &name, nsp);
        }
        if let Some((n, nsp)) = &name {
            if let Some(t) = self.cx.tags.get(n).cloned() {
                self.skip_braces();
                let msg = if t.kind != TagKind::Enum {
                    format!("`{n}` is already declared as `{} {n}`", t.kind.word())
                } else {
                    format!("redefinition of `enum {n}`")
                };
                return self.err(nsp.clone(), msg);
            }
        }
        self.bump();
        let mut values: Vec<(String, i128)> = Vec::new();
        let mut next: i128 = 0;
        let mut ok = true;
        while !self.at("}") {
            let (n, nsp) = match self.ident("an enumerator name") {
                Ok(x) => x,
                Err(()) => {
                    ok = false;
                    break;
                }
            };
            let mut v = next;
            if self.eat("=") {
                match self.expr() {
                    Ok(x) => v = x.v,
                    Err(()) => {
                        ok = false;
                        while !self.at(",") && !self.at("}") && !self.at_eof() {
                            self.bump();
                        }
                    }
                }
            }
            if v < i64::MIN as i128 || v > u64::MAX as i128 {
                self.errors.push(CError::new(nsp.clone(), format!("enumerator value {v} does not fit in 64 bits")));
                ok = false;
            }
            if self.cx.enumerators.contains_key(&n) || values.iter().any(|x| x.0 == n) {
                self.errors.push(CError::new(nsp.clone(), format!("redefinition of enumerator `{n}`")));
                ok = false;
            } else {
                // Visible to the next enumerators' expressions.
                self.cx.enumerators.insert(n.clone(), (0, values.len() as u32, v as i64));
                values.push((n, v));
            }
            next = v + 1;
            if !self.eat(",") {
                break;
            }
        }
        if !ok {
            for (n, _) in &values {
                self.cx.enumerators.remove(n);
            }
            self.skip_to_close_brace();
            return Err(());
        }
        if self.expect("}").is_err() {
            for (n, _) in &values {
                self.cx.enumerators.remove(n);
            }
            return Err(());
        }
        attrs.merge(self.attributes()?);
        if values.is_empty() {
            return self.err(kw.start..self.prev_end(), "an enum needs at least one enumerator");
        }
        let signed = values.iter().any(|v| v.1 < 0);
        let fits = |lo: i128, hi: i128| values.iter().all(|v| v.1 >= lo && v.1 <= hi);
        let size_for = |bytes: u32| -> bool {
            let bits = bytes * 8;
            if signed {
                fits(-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
            } else {
                fits(0, (1i128 << bits) - 1)
            }
        };
        let size = if attrs.packed {
            [1, 2, 4, 8].into_iter().find(|&s| size_for(s)).unwrap_or(8)
        } else if size_for(4) {
            4
        } else {
            8
        };
        let name_str = name.as_ref().map_or("", |n| n.0.as_str());
        let pairs: Vec<(&str, i64)> = values.iter().map(|(n, v)| (n.as_str(), *v as i64)).collect();
        let id = if size == 8 && !size_for(4) {
            self.cx.b.add_enum64(name_str, size, signed, &pairs)
        } else {
            self.cx.b.add_enum(name_str, size, signed, &pairs)
        };
        for (n, _) in &values {
            if let Some(e) = self.cx.enumerators.get_mut(n) {
                e.0 = id;
            }
        }
        if let Some((n, _)) = name {
            self.cx.tags.insert(n, TagInfo { kind: TagKind::Enum, id, complete: true, imported: false });
        }
        for t in &attrs.decl_tags {
            self.cx.b.add_decl_tag(t, id, -1);
        }
        Ok(id)
    }

    fn skip_to_close_brace(&mut self) {
        let mut depth = 0;
        loop {
            match self.peek() {
                T::Eof => return,
                T::Punct("{" | "(" | "[") => depth += 1,
                T::Punct(")" | "]") => depth -= 1,
                T::Punct("}") => {
                    if depth == 0 {
                        self.bump();
                        return;
                    }
                    depth -= 1;
                }
                _ => {}
            }
            self.bump();
        }
    }

    // ----- constant expressions -----

    fn expr(&mut self) -> PResult<Val> {
        self.nested(|p| p.conditional())
    }

    fn conditional(&mut self) -> PResult<Val> {
        let c = self.binary(1)?;
        if self.eat("?") {
            let a = self.expr()?;
            self.expect(":")?;
            let b = self.nested(|p| p.conditional())?;
            let (u, w) = common(a, b);
            let v = if c.v != 0 { a.v } else { b.v };
            return Ok(Val::typed(v, u, w));
        }
        Ok(c)
    }

    fn prec(&self) -> Option<(&'static str, u8)> {
        let T::Punct(p) = self.peek() else { return None };
        let n = match *p {
            "||" => 1,
            "&&" => 2,
            "|" => 3,
            "^" => 4,
            "&" => 5,
            "==" | "!=" => 6,
            "<" | ">" | "<=" | ">=" => 7,
            "<<" | ">>" => 8,
            "+" | "-" => 9,
            "*" | "/" | "%" => 10,
            _ => return None,
        };
        Some((p, n))
    }

    fn binary(&mut self, min: u8) -> PResult<Val> {
        let mut lhs = self.unary()?;
        while let Some((op, prec)) = self.prec() {
            if prec < min {
                break;
            }
            let opsp = self.bump().span;
            let rhs = self.nested(|p| p.binary(prec + 1))?;
            lhs = self.apply(op, lhs, rhs, opsp)?;
        }
        Ok(lhs)
    }

    fn apply(&mut self, op: &str, a: Val, b: Val, sp: Range<usize>) -> PResult<Val> {
        let (u, w) = common(a, b);
        let bits = if w { 64 } else { 32 };
        let ua = |x: Val| -> i128 {
            if u {
                x.v & ((1i128 << bits) - 1)
            } else {
                x.v
            }
        };
        let (x, y) = (ua(a), ua(b));
        let bool_ = |c: bool| Ok(Val::int(c as i128));
        match op {
            "||" => bool_(a.v != 0 || b.v != 0),
            "&&" => bool_(a.v != 0 && b.v != 0),
            "==" => bool_(x == y),
            "!=" => bool_(x != y),
            "<" => bool_(x < y),
            ">" => bool_(x > y),
            "<=" => bool_(x <= y),
            ">=" => bool_(x >= y),
            "|" => Ok(Val::typed(x | y, u, w)),
            "^" => Ok(Val::typed(x ^ y, u, w)),
            "&" => Ok(Val::typed(x & y, u, w)),
            "+" => Ok(Val::typed(x + y, u, w)),
            "-" => Ok(Val::typed(x - y, u, w)),
            "*" => Ok(Val::typed(x.wrapping_mul(y), u, w)),
            "/" | "%" => {
                if y == 0 {
                    return self.err(sp, "division by zero in a constant expression");
                }
                Ok(Val::typed(if op == "/" { x / y } else { x % y }, u, w))
            }
            "<<" | ">>" => {
                let lbits = if a.wide { 64 } else { 32 };
                if b.v < 0 || b.v >= lbits {
                    return self.err(sp, format!("shift count {} out of range for a {lbits}-bit value", b.v));
                }
                let la = if a.unsigned { a.v & ((1i128 << lbits) - 1) } else { a.v };
                let v = if op == "<<" { la << b.v } else { la >> b.v };
                Ok(Val::typed(v, a.unsigned, a.wide))
            }
            _ => self.err(sp, format!("unsupported operator `{op}`")),
        }
    }

    fn unary(&mut self) -> PResult<Val> {
        self.nested(|p| p.unary_inner())
    }

    fn unary_inner(&mut self) -> PResult<Val> {
        let sp = self.span();
        match self.peek().clone() {
            T::Punct("-") => {
                self.bump();
                let v = self.unary()?;
                Ok(Val::typed(-v.v, v.unsigned, v.wide))
            }
            T::Punct("+") => {
                self.bump();
                self.unary()
            }
            T::Punct("~") => {
                self.bump();
                let v = self.unary()?;
                Ok(Val::typed(!v.v, v.unsigned, v.wide))
            }
            T::Punct("!") => {
                self.bump();
                let v = self.unary()?;
                Ok(Val::int((v.v == 0) as i128))
            }
            T::Punct("(") => {
                self.bump();
                if self.starts_type(0) {
                    let tsp = self.span();
                    let ty = self.type_name()?;
                    self.expect(")")?;
                    let v = self.unary()?;
                    return self.cast(ty, v, tsp);
                }
                let v = self.expr()?;
                self.expect(")")?;
                Ok(v)
            }
            T::Punct("&") => self.err_help(
                sp,
                "an address is not an integer constant",
                "addresses of symbols are allowed only as initializers of pointers",
            ),
            T::Int(v, u, l) => {
                self.bump();
                Ok(Val::literal(v, u, l))
            }
            T::Float(_) => self.err(sp, "floating-point values are not allowed in integer constant expressions"),
            T::Str(_) => self.err(sp, "a string is not an integer constant"),
            T::Ident(s) => self.ident_expr(s, sp),
            t => {
                let found = Self::describe_tok(&t);
                self.err(sp, format!("expected an expression, found {found}"))
            }
        }
    }

    fn cast(&mut self, ty: u32, v: Val, sp: Range<usize>) -> PResult<Val> {
        let st = self.cx.strip(ty);
        let Some(t) = self.cx.b.get(st) else { return Ok(v) }; // (void)
        match &t.data {
            TypeData::Ptr { .. } => Ok(Val::typed(v.v, true, true)),
            TypeData::Int { size, .. } | TypeData::Enum { size, .. } | TypeData::Enum64 { size, .. } => {
                let signed = self.cx.is_signed(st);
                let size = *size;
                if size < 4 {
                    let bits = size * 8;
                    let mut x = v.v & ((1i128 << bits) - 1);
                    if signed && x >> (bits - 1) != 0 {
                        x -= 1i128 << bits;
                    }
                    if t.kind() == Kind::INT && self.cx.b.get(st).is_some_and(|t| matches!(&t.data, TypeData::Int { info, .. } if info.encoding == btf::IntEncoding::BOOL)) {
                        x = (v.v != 0) as i128;
                    }
                    return Ok(Val::int(x));
                }
                Ok(Val::typed(v.v, !signed, size > 4))
            }
            _ => self.err(sp, format!("cannot cast to `{}` in a constant expression", self.cx.describe(ty))),
        }
    }

    fn ident_expr(&mut self, s: String, sp: Range<usize>) -> PResult<Val> {
        match s.as_str() {
            "sizeof" => {
                self.bump();
                let paren = self.at("(") && self.starts_type(1);
                let ty = if paren {
                    self.bump();
                    let t = self.type_name()?;
                    self.expect(")")?;
                    t
                } else {
                    let had_paren = self.eat("(");
                    let (n, nsp) = self.ident("a type or variable")?;
                    if had_paren {
                        self.expect(")")?;
                    }
                    match self.cx.syms.get(&n) {
                        Some(s) => s.ty,
                        None => return self.err(nsp, format!("unknown variable `{n}` in sizeof")),
                    }
                };
                match self.cx.size_of(ty) {
                    Ok(s) => Ok(Val::typed(s as i128, true, true)),
                    Err(e) => self.err(sp.start..self.prev_end(), format!("invalid sizeof: {e}")),
                }
            }
            "_Alignof" | "__alignof__" | "__alignof" | "alignof" => {
                self.bump();
                self.expect("(")?;
                let t = self.type_name()?;
                self.expect(")")?;
                match self.cx.align_of(t) {
                    Ok(a) => Ok(Val::typed(a as i128, true, true)),
                    Err(e) => self.err(sp.start..self.prev_end(), format!("invalid alignof: {e}")),
                }
            }
            "offsetof" | "__builtin_offsetof" => {
                self.bump();
                self.expect("(")?;
                let t = self.type_name()?;
                self.expect(",")?;
                let fa = self.field_path(t, false)?;
                self.expect(")")?;
                if fa.bitfield {
                    return self.err(sp.start..self.prev_end(), "offsetof a bit-field");
                }
                Ok(Val::typed(fa.byte_offset as i128, true, true))
            }
            _ => {
                self.bump();
                if let Some(v) = self.cx.constant(&s) {
                    let wide = v < i32::MIN as i64 || v > i32::MAX as i64;
                    return Ok(Val::typed(v as i128, false, wide));
                }
                let mut e = CError::new(sp, format!("unknown constant `{s}`"));
                let mut cands: Vec<&str> = self.cx.enumerators.keys().map(|k| k.as_str()).collect();
                cands.extend(bpfobj::uapi::CONSTANTS.iter().map(|c| c.0));
                if let Some(c) = crate::diag::closest(&s, cands) {
                    e = e.help(format!("did you mean `{c}`?"));
                } else if self.cx.syms.contains_key(&s) {
                    e = e.help(format!("`{s}` is a variable or function, not a constant"));
                }
                self.errors.push(e);
                Err(())
            }
        }
    }

    // ----- field access (CO-RE and offsetof) -----

    fn field_access(&mut self, ty: u32) -> PResult<FieldAccess> {
        self.field_path(ty, true)
    }

    /// A member path on `ty`. `root_index`: a leading `[N]` may index the root.
    fn field_path(&mut self, ty: u32, root_index: bool) -> PResult<FieldAccess> {
        let root = self.cx.strip(ty);
        let root_size = self.cx.size_of(root).unwrap_or(0);
        let mut access = vec![0u32];
        let mut bit_off: u64 = 0;
        if root_index && self.at("[") {
            self.bump();
            let esp = self.span();
            let i = self.expr()?;
            self.expect("]")?;
            if i.v < 0 || i.v > u32::MAX as i128 {
                return self.err(esp, "invalid index");
            }
            access[0] = i.v as u32;
            bit_off = (i.v as u64).saturating_mul(root_size * 8);
        }
        let mut cur = ty;
        let mut width = 0u32;
        let mut first = true;
        while !self.at_eof() && !self.at(")") {
            if self.at("[") {
                let lsp = self.bump().span;
                let i = self.expr()?;
                let rsp = self.expect("]")?;
                let st = self.cx.strip(cur);
                let Some(TypeData::Array(a)) = self.cx.b.get(st).map(|t| t.data.clone()) else {
                    return self.err(lsp.start..rsp.end, format!("`{}` is not an array", self.cx.describe(cur)));
                };
                if i.v < 0 || i.v > u32::MAX as i128 || (a.nelems != 0 && i.v >= a.nelems as i128) {
                    return self.err(
                        lsp.start..rsp.end,
                        format!("index {} out of bounds for `{}`", i.v, self.cx.describe(cur)),
                    );
                }
                let es = match self.cx.size_of(a.elem_type) {
                    Ok(s) => s,
                    Err(e) => return self.err(lsp, e),
                };
                access.push(i.v as u32);
                bit_off = bit_off.saturating_add((i.v as u64).saturating_mul(es * 8));
                cur = a.elem_type;
                width = 0;
                first = false;
                continue;
            }
            if first {
                self.eat(".");
            } else if !self.eat(".") {
                if self.at("->") {
                    let sp = self.span();
                    return self.err_help(
                        sp,
                        "`->` dereferences a pointer",
                        "a CO-RE access path stays within one object; use `.`",
                    );
                }
                let sp = self.span();
                let found = Self::describe_tok(self.peek());
                return self.err(sp, format!("expected `.` or `[`, found {found}"));
            }
            first = false;
            let (name, nsp) = self.ident("a member name")?;
            let st = self.cx.strip(cur);
            if !matches!(self.cx.b.get(st).map(|t| t.kind()), Some(Kind::STRUCT | Kind::UNION)) {
                return self.err(nsp, format!("`{}` is not a struct or union", self.cx.describe(cur)));
            }
            let Some(steps) = self.cx.find_member(st, &name) else {
                let mut e = CError::new(nsp, format!("`{}` has no member named `{name}`", self.cx.describe(cur)));
                let names = self.cx.member_names(st);
                if let Some(c) = crate::diag::closest(&name, names.iter().map(|s| s.as_str())) {
                    e = e.help(format!("did you mean `{c}`?"));
                }
                self.errors.push(e);
                return Err(());
            };
            for (idx, off, t, w) in steps {
                access.push(idx);
                bit_off = bit_off.saturating_add(off as u64);
                cur = t;
                width = w;
            }
        }
        let bit_off32 = u32::try_from(bit_off).unwrap_or(u32::MAX);
        let signed = self.cx.is_signed(cur);
        let sp = 0..self.prev_end();
        if width > 0 {
            // libbpf: the smallest naturally aligned load (of at least the member type's size)
            // that covers the bitfield.
            let mut byte_sz = match self.cx.size_of(cur) {
                Ok(s) => s,
                Err(e) => return self.err(sp, e),
            };
            let mut byte_off = bit_off / 8 / byte_sz * byte_sz;
            while bit_off + width as u64 - byte_off * 8 > byte_sz * 8 {
                if byte_sz >= 8 {
                    return self.err(sp, "bit-field cannot be read with one load");
                }
                byte_sz *= 2;
                byte_off = bit_off / 8 / byte_sz * byte_sz;
            }
            return Ok(FieldAccess {
                access,
                byte_offset: byte_off as u32,
                byte_size: byte_sz as u32,
                bit_offset: bit_off32,
                bit_size: width,
                bitfield: true,
                signed,
                root_type: root,
                field_type: cur,
            });
        }
        let size = match self.cx.size_of(cur) {
            Ok(s) => s as u32,
            Err(_) => 0,
        };
        Ok(FieldAccess {
            access,
            byte_offset: (bit_off / 8) as u32,
            byte_size: size,
            bit_offset: bit_off32,
            bit_size: size.saturating_mul(8),
            bitfield: false,
            signed,
            root_type: root,
            field_type: cur,
        })
    }

    // ----- initializers -----

    /// `T x[] = init`: returns the element count.
    fn unsized_array_init(&mut self, elem: u32, buf: &mut InitBuf) -> PResult<u64> {
        let es = self.size_checked(elem, self.span())?;
        if matches!(self.peek(), T::Str(_)) && self.is_char_type(elem) {
            let sp = self.span();
            let mut s = Vec::new();
            while let T::Str(x) = self.peek() {
                s.extend_from_slice(x);
                self.bump();
            }
            let _ = sp;
            s.push(0);
            buf.bytes = s.clone();
            return Ok(s.len() as u64);
        }
        if !self.at("{") {
            let sp = self.span();
            return self.err(sp, "an array needs a braced initializer `{ ... }`");
        }
        let n = self.array_braced(elem, 0, 0, 0, buf)?;
        let _ = es;
        Ok(n)
    }

    fn is_char_type(&self, ty: u32) -> bool {
        let st = self.cx.strip(ty);
        matches!(self.cx.b.get(st).map(|t| &t.data), Some(TypeData::Int { size: 1, .. }))
    }

    /// Initialize an object of type `ty` at bit offset `bit_off` (`width` > 0 for a bitfield).
    fn initializer(&mut self, ty: u32, bit_off: u64, width: u32, buf: &mut InitBuf) -> PResult<()> {
        self.nested(|p| p.initializer_inner(ty, bit_off, width, buf))
    }

    fn initializer_inner(&mut self, ty: u32, bit_off: u64, width: u32, buf: &mut InitBuf) -> PResult<()> {
        let st = self.cx.strip(ty);
        let data = self.cx.b.get(st).map(|t| t.data.clone());
        let off = bit_off / 8;
        match data {
            Some(TypeData::Array(a)) => {
                if matches!(self.peek(), T::Str(_)) && self.is_char_type(a.elem_type) {
                    let sp = self.span();
                    let mut s = Vec::new();
                    while let T::Str(x) = self.peek() {
                        s.extend_from_slice(x);
                        self.bump();
                    }
                    let sp = sp.start..self.prev_end();
                    if a.nelems != 0 && s.len() > a.nelems as usize {
                        return self.err(
                            sp,
                            format!("string of {} bytes does not fit in `{}`", s.len(), self.cx.describe(ty)),
                        );
                    }
                    if a.nelems == 0 {
                        s.push(0);
                    }
                    for (i, c) in s.iter().enumerate() {
                        buf.write_int(self.cx.endian, off + i as u64, 1, *c as u128);
                    }
                    return Ok(());
                }
                if !self.at("{") {
                    let sp = self.span();
                    return self.err_help(
                        sp,
                        format!("`{}` needs a braced initializer", self.cx.describe(ty)),
                        "write `{ ... }`",
                    );
                }
                self.array_braced(a.elem_type, a.nelems, off, bit_off, buf)?;
                Ok(())
            }
            Some(TypeData::Struct { members, .. } | TypeData::Union { members, .. }) => {
                if !self.at("{") {
                    let sp = self.span();
                    return self.err_help(
                        sp,
                        format!("`{}` needs a braced initializer", self.cx.describe(ty)),
                        "write `{ .member = value, ... }`",
                    );
                }
                let union = self.cx.b.get(st).is_some_and(|t| t.kind() == Kind::UNION);
                self.composite_braced(st, &members, union, bit_off, buf)
            }
            _ => {
                if self.eat("{") {
                    self.scalar(ty, bit_off, width, buf)?;
                    self.eat(",");
                    self.expect("}")?;
                    return Ok(());
                }
                self.scalar(ty, bit_off, width, buf)
            }
        }
    }

    /// `{ a, [3] = b, ... }` for an array of `elem` with `n` elements (0: grows). Returns the
    /// number of elements initialized (highest index + 1).
    fn array_braced(&mut self, elem: u32, n: u32, off: u64, _bit_off: u64, buf: &mut InitBuf) -> PResult<u64> {
        self.expect("{")?;
        let es = self.size_checked(elem, self.span())?;
        let mut idx: u64 = 0;
        let mut count: u64 = 0;
        while !self.at("}") {
            let esp = self.span();
            let designated = self.at("[");
            if designated {
                self.bump();
                let v = self.expr()?;
                let rsp = self.expect("]")?;
                if v.v < 0 || v.v > u32::MAX as i128 {
                    return self.err(esp.start..rsp.end, format!("invalid array index {}", v.v));
                }
                idx = v.v as u64;
            }
            if n != 0 && idx >= n as u64 {
                return self.err(esp, format!("index {idx} is beyond the end of an array of {n} elements"));
            }
            let eoff = off + idx * es;
            if eoff + es > MAX_INIT_BYTES {
                return self.err(esp, format!("initializer larger than {MAX_INIT_BYTES} bytes"));
            }
            buf.clear_relocs(eoff, eoff + es);
            if designated && (self.at(".") || self.at("[")) {
                self.designation(elem, eoff * 8, buf)?;
            } else {
                if designated {
                    self.expect("=")?;
                }
                self.initializer(elem, eoff * 8, 0, buf)?;
            }
            idx += 1;
            count = count.max(idx);
            if !self.eat(",") {
                break;
            }
        }
        self.expect("}")?;
        let end = off + count * es;
        if (buf.bytes.len() as u64) < end {
            buf.bytes.resize(end as usize, 0);
        }
        Ok(count)
    }

    /// `{ .a = 1, 2, .b.c = 3 }`.
    fn composite_braced(
        &mut self,
        st: u32,
        members: &[MemberDef],
        union: bool,
        bit_off: u64,
        buf: &mut InitBuf,
    ) -> PResult<()> {
        self.expect("{")?;
        let mut cursor = 0usize;
        while !self.at("}") {
            let sp = self.span();
            if self.at(".") {
                self.bump();
                let (name, nsp) = self.ident("a member name")?;
                let Some(steps) = self.cx.find_member(st, &name) else {
                    let mut e = CError::new(nsp, format!("`{}` has no member named `{name}`", self.cx.describe(st)));
                    let names = self.cx.member_names(st);
                    if let Some(c) = crate::diag::closest(&name, names.iter().map(|s| s.as_str())) {
                        e = e.help(format!("did you mean `{c}`?"));
                    }
                    self.errors.push(e);
                    return Err(());
                };
                cursor = steps[0].0 as usize + 1;
                let mut off = bit_off;
                let mut ty = 0;
                let mut w = 0;
                for (_, o, t, bw) in steps {
                    off += o as u64;
                    ty = t;
                    w = bw;
                }
                if self.at(".") || self.at("[") {
                    if w != 0 {
                        return self.err(nsp, format!("`{name}` is a bit-field"));
                    }
                    self.designation(ty, off, buf)?;
                } else {
                    self.expect("=")?;
                    self.initializer(ty, off, w, buf)?;
                }
            } else if self.at("[") {
                return self.err(sp, format!("array designator in an initializer of `{}`", self.cx.describe(st)));
            } else {
                if (union && cursor > 0) || cursor >= members.len() {
                    return self.err(sp, format!("excess elements in the initializer of `{}`", self.cx.describe(st)));
                }
                let m = members[cursor];
                cursor += 1;
                self.initializer(m.type_id, bit_off + m.bit_offset as u64, m.bitfield_size, buf)?;
            }
            if !self.eat(",") {
                break;
            }
        }
        self.expect("}")?;
        Ok(())
    }

    /// The rest of a designator chain (`.b[2].c = value`), starting at an object of type `ty`.
    fn designation(&mut self, ty: u32, bit_off: u64, buf: &mut InitBuf) -> PResult<()> {
        self.nested(|p| p.designation_inner(ty, bit_off, buf))
    }

    fn designation_inner(&mut self, ty: u32, bit_off: u64, buf: &mut InitBuf) -> PResult<()> {
        let st = self.cx.strip(ty);
        if self.eat(".") {
            let (name, nsp) = self.ident("a member name")?;
            let Some(steps) = self.cx.find_member(st, &name) else {
                return self.err(nsp, format!("`{}` has no member named `{name}`", self.cx.describe(ty)));
            };
            let (mut off, mut t, mut w) = (bit_off, 0, 0);
            for (_, o, mt, bw) in steps {
                off += o as u64;
                t = mt;
                w = bw;
            }
            if self.at(".") || self.at("[") {
                return self.designation(t, off, buf);
            }
            self.expect("=")?;
            return self.initializer(t, off, w, buf);
        }
        let lsp = self.expect("[")?;
        let Some(TypeData::Array(a)) = self.cx.b.get(st).map(|t| t.data.clone()) else {
            return self.err(lsp, format!("`{}` is not an array", self.cx.describe(ty)));
        };
        let v = self.expr()?;
        let rsp = self.expect("]")?;
        if v.v < 0 || (a.nelems != 0 && v.v >= a.nelems as i128) || v.v > u32::MAX as i128 {
            return self.err(lsp.start..rsp.end, format!("index {} out of bounds", v.v));
        }
        let es = self.size_checked(a.elem_type, lsp)?;
        let off = bit_off + v.v as u64 * es * 8;
        if self.at(".") || self.at("[") {
            return self.designation(a.elem_type, off, buf);
        }
        self.expect("=")?;
        self.initializer(a.elem_type, off, 0, buf)
    }

    fn scalar(&mut self, ty: u32, bit_off: u64, width: u32, buf: &mut InitBuf) -> PResult<()> {
        let st = self.cx.strip(ty);
        let Some(t) = self.cx.b.get(st).cloned() else {
            let sp = self.span();
            return self.err(sp, "cannot initialize an object of type `void`");
        };
        let off = bit_off / 8;
        let endian = self.cx.endian;
        match &t.data {
            TypeData::Ptr { .. } => {
                let start = self.span();
                while self.at("(") && self.starts_type(1) {
                    self.bump();
                    self.type_name()?;
                    self.expect(")")?;
                }
                let sym = if self.eat("&") {
                    Some(self.ident("a symbol name")?)
                } else if let T::Ident(s) = self.peek().clone() {
                    if self.cx.constant(&s).is_none()
                        && !matches!(
                            s.as_str(),
                            "sizeof" | "_Alignof" | "__alignof__" | "offsetof" | "__builtin_offsetof"
                        )
                    {
                        Some(self.ident("a symbol")?)
                    } else {
                        None
                    }
                } else {
                    None
                };
                if let Some((name, nsp)) = sym {
                    if self.cx.constant(&name).is_some() {
                        return self.err(nsp, format!("`{name}` is a constant, not a symbol"));
                    }
                    buf.write_ptr(endian, off, name, 0);
                    return Ok(());
                }
                let v = self.expr()?;
                if v.v < i64::MIN as i128 || v.v > u64::MAX as i128 {
                    return self.err(start.start..self.prev_end(), "pointer value out of range");
                }
                buf.clear_relocs(off, off + 8);
                buf.write_int(endian, off, 8, v.v as u128);
                Ok(())
            }
            TypeData::Float { size } => {
                let sp = self.span();
                let neg = self.eat("-");
                let x = match self.bump().t {
                    T::Float(f) => f,
                    T::Int(i, _, _) => i as f64,
                    _ => return self.err(sp, "expected a floating-point number"),
                };
                let x = if neg { -x } else { x };
                let bits = if *size == 4 { (x as f32).to_bits() as u128 } else { x.to_bits() as u128 };
                buf.write_int(endian, off, *size, bits);
                Ok(())
            }
            TypeData::Int { size, .. } | TypeData::Enum { size, .. } | TypeData::Enum64 { size, .. } => {
                let sp = self.span();
                let v = self.expr()?;
                let sp = sp.start..self.prev_end();
                let is_bool = matches!(&t.data, TypeData::Int { info, .. } if info.encoding == btf::IntEncoding::BOOL);
                let mut x = v.v;
                if is_bool {
                    x = (x != 0) as i128;
                }
                let bits = if width > 0 { width } else { size.saturating_mul(8).min(128) };
                if bits < 128 {
                    let lo = -(1i128 << (bits - 1));
                    let hi = (1i128 << bits) - 1;
                    if x < lo || x > hi {
                        return self.err(
                            sp,
                            format!(
                                "value {x} does not fit in `{}`{}",
                                self.cx.describe(ty),
                                if width > 0 { format!(" : {width}") } else { String::new() }
                            ),
                        );
                    }
                }
                if width > 0 {
                    buf.write_bits(endian, bit_off, width, x as u128);
                } else {
                    buf.write_int(endian, off, *size, x as u128);
                }
                Ok(())
            }
            _ => {
                let sp = self.span();
                self.err(sp, format!("cannot initialize an object of type `{}`", self.cx.describe(ty)))
            }
        }
    }
}
