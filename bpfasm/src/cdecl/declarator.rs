//! Declaration specifiers (base types, qualifiers, storage classes), attributes, declarators
//! and type names; applying a declarator to its base type.

use super::parse::*;
use super::types::BASE_TYPES;
use super::{CError, Storage, TagKind};
use btf::{Kind, TypeData};

impl Parser<'_> {
    /// Declaration specifiers. `storage_ok`: whether `static`/`extern`/`typedef` are allowed.
    /// `whole`: the span of what they belong to (for "expected a type").
    pub(super) fn specifiers(&mut self, items: &[ast::Spec], storage_ok: bool, whole: Range<usize>) -> PResult<Spec> {
        let mut words: Vec<(String, Range<usize>)> = Vec::new();
        let mut ty: Option<u32> = None;
        let (mut c, mut v, mut r) = (false, false, false);
        let mut spec = Spec { ty: 0, storage: None, typedef: false, attrs: Attrs::default(), tagless_def: false };
        let mut i = 0;
        // The type so far is a struct/union/enum body (`struct s {...} int x;`: a `;` missing).
        let mut after_body = false;
        while i < items.len() {
            let item = &items[i];
            i += 1;
            match item {
                ast::Spec::Storage(s, sp) => {
                    if !storage_ok {
                        return self.err(sp.clone(), format!("`{s}` is not allowed here"));
                    }
                    if spec.storage.is_some() || spec.typedef {
                        return self.err(sp.clone(), "more than one storage class");
                    }
                    match *s {
                        "typedef" => spec.typedef = true,
                        "static" => spec.storage = Some(Storage::Static),
                        _ => spec.storage = Some(Storage::Extern),
                    }
                }
                ast::Spec::Qual(q, _) => match *q {
                    "const" => c = true,
                    "volatile" => v = true,
                    _ => r = true,
                },
                ast::Spec::Word(w, sp) => {
                    if ty.is_some() {
                        return self.two_types(sp.clone(), after_body);
                    }
                    words.push((w.to_string(), sp.clone()));
                }
                ast::Spec::Tag(t) => {
                    if ty.is_some() || !words.is_empty() {
                        return self.two_types(t.kw.clone(), after_body);
                    }
                    // Attributes right after the body are the tag's.
                    let mut post = Vec::new();
                    if t.body.is_some() {
                        while let Some(ast::Spec::Attrs(a)) = items.get(i) {
                            post.extend(a.iter().cloned());
                            i += 1;
                        }
                    }
                    let (id, tagless) = if t.kind == TagKind::Enum {
                        (self.enum_spec(t, &post)?, false)
                    } else {
                        self.struct_spec(t, &post)?
                    };
                    spec.tagless_def = tagless;
                    after_body = t.body.is_some();
                    ty = Some(id);
                }
                ast::Spec::Typeof(arg, sp) => {
                    if ty.is_some() || !words.is_empty() {
                        return self.two_types(sp.clone(), after_body);
                    }
                    let id = match &**arg {
                        ast::TypeofArg::Type(t) => self.type_name(t)?,
                        ast::TypeofArg::Var((n, nsp)) => match self.cx.syms.get(n) {
                            Some(s) => s.ty,
                            None => return self.err(nsp.clone(), format!("unknown variable `{n}` in typeof")),
                        },
                    };
                    ty = Some(id);
                }
                ast::Spec::Attrs(a) => {
                    let a = self.attributes(a)?;
                    spec.attrs.merge(a);
                }
                ast::Spec::Unsupported((s, sp)) => {
                    return self.err(sp.clone(), format!("`{s}` is not supported in BPF declarations"));
                }
                ast::Spec::TypeName((s, sp)) => {
                    if ty.is_some() || !words.is_empty() {
                        return self.two_types(sp.clone(), after_body);
                    }
                    if let Some(id) = self.typedef_lookup(s) {
                        ty = Some(id);
                        continue;
                    }
                    let mut e = CError::new(sp.clone(), format!("unknown type name `{s}`"));
                    if let Some(h) = self.type_name_hint(s) {
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
                let sp = items.first().map_or(whole, |s| s.span());
                return self.err(sp, "expected a type");
            }
            None => self.base_words(&words)?,
        };
        spec.ty = self.cx.qualify(base, c, v, r);
        Ok(spec)
    }

    pub(super) fn base_words(&mut self, words: &[(String, Range<usize>)]) -> PResult<u32> {
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
    pub(super) fn attributes(&mut self, list: &[ast::Attr]) -> PResult<Attrs> {
        let mut a = Attrs::default();
        for item in list {
            match item {
                ast::Attr::Gnu { name, args, span } => self.attribute(&mut a, name, args.as_deref(), span.clone())?,
                ast::Attr::Sec(e, _) => a.section = Some(self.string(e)?),
                ast::Attr::Word(w, _) => match *w {
                    "__ksym" => a.ksym = true,
                    "__kconfig" => a.kconfig = true,
                    "__weak" => a.weak = true,
                    "__hidden" => a.hidden = true,
                    _ => {}
                },
            }
        }
        Ok(a)
    }

    /// The one string argument of an attribute.
    fn attr_string(&mut self, args: Option<&[ast::Expr]>, span: Range<usize>) -> PResult<(String, Range<usize>)> {
        match args {
            Some([e]) => Ok((self.string(e)?, e.span.clone())),
            _ => self.err(span, "expected one string argument"),
        }
    }

    pub(super) fn attribute(
        &mut self,
        a: &mut Attrs,
        (raw, sp): &(String, Range<usize>),
        args: Option<&[ast::Expr]>,
        span: Range<usize>,
    ) -> PResult<()> {
        let name = raw.strip_prefix("__").and_then(|n| n.strip_suffix("__")).unwrap_or(raw);
        match name {
            "packed" => a.packed = true,
            "aligned" => match args {
                Some([e]) => {
                    let v = self.expr(e)?;
                    if v.v <= 0 || v.v > (1 << 28) || (v.v & (v.v - 1)) != 0 {
                        return self.err(e.span.clone(), "alignment must be a power of two");
                    }
                    a.aligned = Some(a.aligned.unwrap_or(1).max(v.v as u32));
                }
                Some(_) => return self.err(span, "expected one alignment"),
                None => a.aligned = Some(8),
            },
            "section" => a.section = Some(self.attr_string(args, span)?.0),
            "btf_decl_tag" | "btf_type_tag" => {
                let t = self.attr_string(args, span)?.0;
                if name == "btf_decl_tag" {
                    a.decl_tags.push(t);
                } else {
                    a.type_tags.push(t);
                }
            }
            "weak" => a.weak = true,
            "visibility" => {
                let (v, vsp) = self.attr_string(args, span)?;
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
            | "nocf_check" => {}
            _ => {
                return self.err_help(
                    sp.clone(),
                    format!("unsupported attribute `{raw}`"),
                    "supported: packed, aligned, section, btf_decl_tag, btf_type_tag, preserve_access_index, weak, visibility",
                );
            }
        }
        Ok(())
    }

    // ----- declarators -----

    /// A declarator; `abstract_ok`: the name may be missing (type names, parameters).
    pub(super) fn declarator(&mut self, d: &ast::Declarator, abstract_ok: bool) -> PResult<Declarator> {
        self.here = d.span.clone();
        self.nested(|p| p.declarator_inner(d, abstract_ok))
    }

    pub(super) fn declarator_inner(&mut self, d: &ast::Declarator, abstract_ok: bool) -> PResult<Declarator> {
        let mut ops = Vec::new();
        for p in &d.ptrs {
            let tags = self.attributes(&p.attrs)?.type_tags;
            ops.push(Op::Ptr { c: p.c, v: p.v, r: p.r, tags });
        }
        let mut suffixes = Vec::new();
        for s in &d.suffixes {
            match s {
                ast::Suffix::Array(None, sp) => suffixes.push(Op::Array(None, sp.clone())),
                ast::Suffix::Array(Some(e), sp) => {
                    let n = self.expr(e)?;
                    if n.v < 0 || n.v > u32::MAX as i128 {
                        return self.err(e.span.clone(), format!("invalid array size {}", n.v));
                    }
                    suffixes.push(Op::Array(Some(n.v as u32), sp.clone()));
                }
                ast::Suffix::Func(params, sp) => suffixes.push(self.params(params, sp.clone())?),
            }
        }
        let mut name = d.name.clone();
        ops.extend(suffixes.into_iter().rev());
        if let Some(inner) = &d.inner {
            let inner = self.declarator(inner, abstract_ok)?;
            name = inner.name;
            ops.extend(inner.ops);
        }
        if name.is_none() && !abstract_ok {
            return self.err(d.span.clone(), "expected a name");
        }
        Ok(Declarator { name, ops, span: d.span.clone() })
    }

    fn two_types<R>(&mut self, span: Range<usize>, after_body: bool) -> PResult<R> {
        let msg = "two or more data types in declaration specifiers";
        if after_body {
            return self.err_help(span, msg, "is a `;` missing after the `}` before it?");
        }
        self.err(span, msg)
    }

    /// A parameter list.
    pub(super) fn params(&mut self, ps: &ast::Params, span: Range<usize>) -> PResult<Op> {
        let mut params = Vec::new();
        let mut tags = Vec::new();
        let variadic = ps.variadic;
        if let [p] = ps.list.as_slice() {
            if p.d.is_none() && matches!(p.specs.as_slice(), [ast::Spec::Word("void", _)]) {
                return Ok(Op::Func { span, params, variadic, tags });
            }
        }
        for p in &ps.list {
            let spec = self.specifiers(&p.specs, false, p.span.clone())?;
            let d = match &p.d {
                Some(d) => self.declarator(d, true)?,
                None => Declarator { name: None, ops: Vec::new(), span: p.span.clone() },
            };
            let mut attrs = spec.attrs.clone();
            attrs.merge(self.attributes(&p.attrs)?);
            let mut ty = self.build(spec.ty, &attrs.type_tags, &d.ops)?;
            if ty == 0 && d.ops.is_empty() {
                return self.err(p.span.clone(), "a parameter cannot have type `void`");
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
        }
        Ok(Op::Func { span, params, variadic, tags })
    }

    /// Apply declarator ops to a base type. `tags`: type tags on the base.
    /// Prototypes get no parameter names (as clang emits function pointer types), except the
    /// outermost one of a function declaration (see [`Self::build_func`]).
    pub(super) fn build(&mut self, base: u32, tags: &[String], ops: &[Op]) -> PResult<u32> {
        self.build_ops(base, tags, ops, false)
    }

    /// Like [`Self::build`] for a function declaration: its own prototype keeps the
    /// parameter names.
    pub(super) fn build_func(&mut self, base: u32, ops: &[Op]) -> PResult<u32> {
        self.build_ops(base, &[], ops, true)
    }

    pub(super) fn build_ops(&mut self, base: u32, tags: &[String], ops: &[Op], names_last: bool) -> PResult<u32> {
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
                Op::Func { params, variadic, span, .. } => {
                    let st = self.cx.strip(cur);
                    if let Some(k @ (Kind::ARRAY | Kind::FUNC_PROTO)) = self.cx.b.get(st).map(|t| t.kind()) {
                        let what = if k == Kind::ARRAY { "an array" } else { "a function" };
                        let sp = span.clone();
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
    pub(super) fn type_name(&mut self, t: &ast::TypeName) -> PResult<u32> {
        let spec = self.specifiers(&t.specs, false, t.span.clone())?;
        let d = match &t.d {
            Some(d) => self.declarator(d, true)?,
            None => Declarator { name: None, ops: Vec::new(), span: t.span.clone() },
        };
        if let Some((n, sp)) = d.name {
            return self.err(sp, format!("unexpected name `{n}` in a type name"));
        }
        self.build(spec.ty, &spec.attrs.type_tags, &d.ops)
    }
}
