//! Declaration specifiers (base types, qualifiers, storage classes), attributes, declarators
//! and type names; applying a declarator to its base type.

use super::parse::*;
use super::types::BASE_TYPES;
use super::{CError, Storage};
use btf::{Kind, TypeData};

impl Parser<'_> {
    /// Declaration specifiers. `storage`: whether `static`/`extern`/`typedef` are allowed.
    pub(super) fn specifiers(&mut self, storage_ok: bool) -> PResult<Spec> {
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
    pub(super) fn attributes(&mut self) -> PResult<Attrs> {
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

    pub(super) fn attribute(&mut self, a: &mut Attrs) -> PResult<()> {
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

    pub(super) fn skip_parens(&mut self) -> PResult<()> {
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
    pub(super) fn declarator(&mut self, abstract_ok: bool) -> PResult<Declarator> {
        self.nested(|p| p.declarator_inner(abstract_ok))
    }

    pub(super) fn declarator_inner(&mut self, abstract_ok: bool) -> PResult<Declarator> {
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
    pub(super) fn nested_declarator_follows(&self) -> bool {
        match self.peek_at(1) {
            T::Punct("*" | "(" | "^") => true,
            T::Ident(s) => !is_type_keyword(s) && !self.is_typedef_name(s) && !is_attr_word(s) && !is_ignored_word(s),
            _ => false,
        }
    }

    /// A parameter list (after `(`, up to but not including `)`).
    pub(super) fn params(&mut self) -> PResult<Op> {
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
    pub(super) fn type_name(&mut self) -> PResult<u32> {
        let spec = self.specifiers(false)?;
        let d = self.declarator(true)?;
        if let Some((n, sp)) = d.name {
            return self.err(sp, format!("unexpected name `{n}` in a type name"));
        }
        self.build(spec.ty, &spec.attrs.type_tags, &d.ops)
    }
}
