//! `struct`/`union`/`enum` specifiers: bodies, members (libbpf's `__uint`/`__type`/`__array`),
//! the SysV layout of members and bitfields, enumerators.

use super::parse::*;
use super::{CError, TagInfo, TagKind};
use btf::{Kind, MemberDef, TypeData, TypeDef};

impl Parser<'_> {
    // ----- struct / union / enum -----

    /// After `struct`/`union`: returns the type id and whether it was a tagless definition.
    pub(super) fn struct_spec(&mut self, t: &ast::TagSpec, post: &[ast::Attr]) -> PResult<(u32, bool)> {
        let kind = t.kind;
        let union = kind == TagKind::Union;
        let kw = t.kw.clone();
        let mut attrs = self.attributes(&t.attrs)?;
        let name = t.name.clone();
        let Some(ast::Body::Members(body)) = &t.body else {
            let Some((name, nsp)) = name else {
                return self.err(kw, format!("expected a name or `{{` after `{}`", kind.word()));
            };
            return Ok((self.tag_ref(kind, &name, nsp)?, false));
        };
        // A definition.
        let id = match &name {
            Some((n, nsp)) => match self.cx.tags.get(n).cloned() {
                Some(t) if t.kind != kind => {
                    let msg = format!("`{n}` is already declared as `{} {n}`", t.kind.word());
                    return self.err(nsp.clone(), msg);
                }
                Some(t) if t.imported => {
                    return self.err_help(
                        nsp.clone(),
                        format!("redefinition of `{} {n}`, already imported from the base BTF", kind.word()),
                        format!(
                            "declare it before its first use, or name it `{n}___local` (CO-RE ignores a `___` suffix)"
                        ),
                    );
                }
                Some(t) if t.complete => {
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
        let members = self.nested(|p| p.struct_body(body))?;
        attrs.merge(self.attributes(post)?);
        let span = t.span.clone();
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
    pub(super) fn tag_ref(&mut self, kind: TagKind, name: &str, nsp: Range<usize>) -> PResult<u32> {
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

    pub(super) fn struct_body(&mut self, body: &[ast::Member]) -> PResult<Vec<MemberSpec>> {
        let mut members = Vec::new();
        let mut failed = false;
        for m in body {
            if self.member_decl(m, &mut members).is_err() {
                failed = true;
            }
        }
        if failed {
            return Err(());
        }
        Ok(members)
    }

    pub(super) fn member_decl(&mut self, m: &ast::Member, members: &mut Vec<MemberSpec>) -> PResult<()> {
        let (specs, fields, span) = match m {
            ast::Member::Empty => return Ok(()),
            ast::Member::Error => return Err(()),
            ast::Member::Macro { word, word_span, name: (name, _), arg, span } => {
                let (ty, flexible) = match (*word, arg) {
                    ("__uint", ast::MacroArg::Expr(e)) => {
                        let v = self.expr(e)?;
                        if v.v < 0 || v.v > u32::MAX as i128 {
                            return self.err(e.span.clone(), format!("`{name}` must be between 0 and 2^32-1"));
                        }
                        let int = self.cx.base_type("int");
                        let arr = self.cx.array(int, v.v as u32);
                        (self.cx.ptr(arr), false)
                    }
                    ("__type", ast::MacroArg::Type(t)) => {
                        let t = self.type_name(t)?;
                        (self.cx.ptr(t), false)
                    }
                    ("__array", ast::MacroArg::Type(t)) => {
                        let t = self.type_name(t)?;
                        let p = self.cx.ptr(t);
                        (self.cx.array(p, 0), true)
                    }
                    _ => {
                        return self
                            .err(word_span.clone(), "`__ulong` is not supported; use `__uint` for values below 2^32")
                    }
                };
                members.push(MemberSpec {
                    name: name.clone(),
                    ty,
                    bitfield: None,
                    aligned: None,
                    packed: false,
                    flexible,
                    decl_tags: Vec::new(),
                    span: span.clone(),
                });
                return Ok(());
            }
            ast::Member::Fields { specs, fields, span } => (specs, fields, span),
        };
        let start = span.start;
        let spec = self.specifiers(specs, false, span.clone())?;
        if fields.is_empty() {
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
                        span: span.clone(),
                    });
                }
            }
            return Ok(());
        }
        for f in fields {
            let d = match &f.d {
                Some(d) => self.declarator(d, f.width.is_some())?,
                None => Declarator { name: None, ops: Vec::new(), span: f.span.clone() },
            };
            let mut bitfield = None;
            if let Some(e) = &f.width {
                let w = self.expr(e)?;
                if w.v < 0 || w.v > 128 {
                    return self.err(e.span.clone(), format!("invalid bit-field width {}", w.v));
                }
                bitfield = Some(w.v as u32);
            }
            let mut attrs = spec.attrs.clone();
            attrs.merge(self.attributes(&f.attrs)?);
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
                span: start..f.span.end,
            });
        }
        Ok(())
    }

    /// Lay out members as clang does for BPF (SysV rules). Returns size, alignment, BTF
    /// members and member decl tags `(tag, index)`.
    #[allow(clippy::type_complexity)]
    pub(super) fn layout(
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
    pub(super) fn enum_spec(&mut self, t: &ast::TagSpec, post: &[ast::Attr]) -> PResult<u32> {
        let mut attrs = self.attributes(&t.attrs)?;
        let name = t.name.clone();
        let Some(ast::Body::Enumerators(body)) = &t.body else {
            let Some((name, nsp)) = name else {
                return self.err(t.kw.clone(), "expected a name or `{` after `enum`");
            };
            return self.tag_ref(TagKind::Enum, &name, nsp);
        };
        if let Some((n, nsp)) = &name {
            if let Some(t) = self.cx.tags.get(n).cloned() {
                let msg = if t.kind != TagKind::Enum {
                    format!("`{n}` is already declared as `{} {n}`", t.kind.word())
                } else {
                    format!("redefinition of `enum {n}`")
                };
                return self.err(nsp.clone(), msg);
            }
        }
        let mut values: Vec<(String, i128)> = Vec::new();
        let mut next: i128 = 0;
        let mut ok = true;
        for en in body {
            let (n, nsp) = en.name.clone();
            let mut v = next;
            if let Some(e) = &en.value {
                match self.expr(e) {
                    Ok(x) => v = x.v,
                    Err(()) => ok = false,
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
        }
        if !ok {
            for (n, _) in &values {
                self.cx.enumerators.remove(n);
            }
            return Err(());
        }
        attrs.merge(self.attributes(post)?);
        if values.is_empty() {
            return self.err(t.span.clone(), "an enum needs at least one enumerator");
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
}
