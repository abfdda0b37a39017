//! The semantics of C declarations: the syntax tree of `syntax.rs` becomes BTF, one top-level
//! declaration at a time (later declarations need the types, typedef names and enum constants
//! of earlier ones). This file has the state, the entry points and whole declarations; the
//! other parts are in `declarator.rs` (specifiers, attributes, declarators), `tags.rs`
//! (struct/union/enum and layout), `constexpr.rs`, `field.rs` and `init.rs`.

use super::eval::InitBuf;
pub(super) use super::lex::lex;
pub(super) use super::syntax as ast;
use super::types::BUILTIN_TYPEDEFS;
use super::{CError, Context, Decl, ExternKind, FieldAccess, Init, Storage, SymInfo, TagKind};
use btf::{Kind, TypeData};
pub(super) use std::ops::Range;

/// Errors are pushed to `Parser::errors`; `Err(())` unwinds to a recovery point.
pub(super) type PResult<T> = Result<T, ()>;

/// Depth limit of the recursion over the tree (declarators, expressions, initializers,
/// designators). The syntax layer already bounds the tree's depth by its bracket nesting and
/// operator chains; this is a second guard.
pub(super) const MAX_DEPTH: u32 = 2 * (ast::MAX_NEST + ast::MAX_OPERATORS);
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
        span: Range<usize>,
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
    pub(super) errors: Vec<CError>,
    pub(super) depth: u32,
    /// The span of the tree node being worked on (for the nesting limit's error).
    pub(super) here: Range<usize>,
    pub(super) decls: Vec<Decl>,
}

/// A syntax error, with the hint the names declared so far allow.
fn syntax_hint(p: &Parser, e: CError) -> CError {
    if let Some(n) = e.message.strip_prefix("unknown type name `").and_then(|m| m.strip_suffix('`')) {
        if let Some(h) = p.type_name_hint(n) {
            return e.help(h);
        }
    }
    e
}

pub(crate) fn parse_block(cx: &mut Context, text: &str) -> Result<Vec<Decl>, Vec<CError>> {
    let mut errors = Vec::new();
    let toks = lex(text, &mut errors);
    let mut p = Parser { cx, errors, depth: 0, here: 0..0, decls: Vec::new() };
    for r in ast::split(&toks) {
        let mut syn = Vec::new();
        let d = {
            let cx: &Context = p.cx;
            ast::parse_declaration(&toks[r], text.len(), &|s| cx.is_type_name(s), &mut syn)
        };
        for e in syn {
            let e = syntax_hint(&p, e);
            p.errors.push(e);
        }
        if let Some(d) = d {
            let _ = p.declaration(&d);
        }
    }
    if p.errors.is_empty() {
        Ok(p.decls)
    } else {
        p.errors.sort_by_key(|e| e.span.start);
        Err(p.errors)
    }
}

type SyntaxFn<A> = fn(&[super::lex::Tok], usize, &dyn Fn(&str) -> bool) -> Result<A, CError>;

/// One item (a type name, an expression, a member path): the first error if any.
fn single<A, R>(
    cx: &mut Context,
    text: &str,
    syntax: SyntaxFn<A>,
    f: impl FnOnce(&mut Parser, A) -> PResult<R>,
) -> Result<R, CError> {
    let mut errors = Vec::new();
    let toks = lex(text, &mut errors);
    let mut p = Parser { cx, errors, depth: 0, here: 0..0, decls: Vec::new() };
    let tree = {
        let cx: &Context = p.cx;
        syntax(&toks, text.len(), &|s| cx.is_type_name(s))
    };
    let r = match tree {
        Ok(t) => f(&mut p, t),
        Err(e) => {
            let e = syntax_hint(&p, e);
            p.errors.push(e);
            Err(())
        }
    };
    match (r, p.errors.into_iter().next()) {
        (Ok(v), None) => Ok(v),
        (_, Some(e)) => Err(e),
        (Err(()), None) => Err(CError::new(0..text.len(), "invalid input")),
    }
}

pub(crate) fn parse_type_name(cx: &mut Context, text: &str) -> Result<u32, CError> {
    single(cx, text, ast::parse_type_name, |p, t| p.type_name(&t))
}

pub(crate) fn parse_const_expr(cx: &mut Context, text: &str) -> Result<i64, CError> {
    single(cx, text, ast::parse_expr, |p, e| {
        let v = p.expr(&e)?;
        if v.v > u64::MAX as i128 || v.v < i64::MIN as i128 {
            return p.err(e.span.clone(), "value out of range");
        }
        Ok(v.v as i64)
    })
}

pub(crate) fn parse_field_access(cx: &mut Context, ty: u32, text: &str) -> Result<FieldAccess, CError> {
    single(cx, text, ast::parse_path, |p, steps| p.field_access(ty, &steps))
}

impl Parser<'_> {
    /// The text of a string literal (adjacent literals concatenated).
    pub(super) fn string(&mut self, e: &ast::Expr) -> PResult<String> {
        let ast::ExprKind::Str(bytes) = &e.kind else {
            return self.err(e.span.clone(), "expected a string");
        };
        match String::from_utf8(bytes.clone()) {
            Ok(s) if !s.contains('\0') => Ok(s),
            _ => self.err(e.span.clone(), "this string must be valid UTF-8 without NUL bytes"),
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
        if self.depth > MAX_DEPTH {
            let sp = self.here.clone();
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

    // ----- names -----

    pub(super) fn typedef_lookup(&mut self, s: &str) -> Option<u32> {
        if let Some(&id) = self.cx.typedefs.get(s) {
            return Some(id);
        }
        if let Some(id) = self.cx.builtin_typedef(s) {
            return Some(id);
        }
        self.cx.import_typedef(s)
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

    pub(super) fn declaration(&mut self, decl: &ast::Declaration) -> PResult<()> {
        let start = decl.span.start;
        let spec = self.specifiers(&decl.specs, true, decl.span.clone())?;
        for i in &decl.decls {
            let d = self.declarator(&i.d, false)?;
            let mut attrs = spec.attrs.clone();
            attrs.merge(self.attributes(&i.attrs)?);
            let Some((name, name_span)) = d.name.clone() else {
                return self.err(d.span.clone(), "expected a name in this declaration");
            };
            let is_func = matches!(d.ops.last(), Some(Op::Func { .. }));
            let end = i.span.end;
            if spec.typedef {
                self.typedef_decl(&spec, &d, &attrs, name, name_span, i.init.as_ref())?;
            } else if is_func {
                self.func_decl(&spec, &d, attrs, (name, name_span), start..end, i.init.as_ref())?;
            } else {
                self.var_decl(&spec, &d, attrs, (name, name_span), start..end, i.init.as_ref())?;
            }
        }
        Ok(())
    }

    pub(super) fn typedef_decl(
        &mut self,
        spec: &Spec,
        d: &Declarator,
        attrs: &Attrs,
        name: String,
        name_span: Range<usize>,
        init: Option<&(Range<usize>, ast::Init)>,
    ) -> PResult<()> {
        let ty = self.build(spec.ty, &attrs.type_tags, &d.ops)?;
        if let Some((eq, _)) = init {
            return self.err(eq.clone(), "a typedef cannot have an initializer");
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
        (name, name_span): (String, Range<usize>),
        span: Range<usize>,
        init: Option<&(Range<usize>, ast::Init)>,
    ) -> PResult<()> {
        let proto = self.build_func(spec.ty, &d.ops)?;
        if let Some((eq, _)) = init {
            return self.err(eq.clone(), "a function cannot have an initializer");
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
            span,
        });
        Ok(())
    }

    pub(super) fn var_decl(
        &mut self,
        spec: &Spec,
        d: &Declarator,
        attrs: Attrs,
        (name, name_span): (String, Range<usize>),
        span: Range<usize>,
        init_syntax: Option<&(Range<usize>, ast::Init)>,
    ) -> PResult<()> {
        let storage = spec.storage.unwrap_or(Storage::Global);
        let unsized_array = matches!(d.ops.last(), Some(Op::Array(None, _)));
        let mut init = None;
        let ty;
        if let Some((eq, init_tree)) = init_syntax {
            let eq = eq.clone();
            if storage == Storage::Extern {
                return self.err(eq, format!("`extern` variable `{name}` cannot have an initializer"));
            }
            if unsized_array {
                // `T x[] = ...`: the initializer gives the length.
                let n = d.ops.len() - 1;
                let elem = self.build(spec.ty, &attrs.type_tags, &d.ops[..n])?;
                let mut buf = InitBuf::default();
                let count = self.unsized_array_init(elem, init_tree, &mut buf)?;
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
                self.initializer(ty, 0, 0, init_tree, &mut buf)?;
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
            span,
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
