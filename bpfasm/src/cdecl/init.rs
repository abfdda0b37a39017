//! Initializers: the bytes (and pointer relocations) of an initialized variable, with
//! designators, strings for char arrays and flexible arrays sized by their initializer.

use super::eval::InitBuf;
use super::parse::*;
use super::CError;
use btf::{Kind, MemberDef, TypeData};

impl Parser<'_> {
    // ----- initializers -----

    /// `T x[] = init`: returns the element count.
    pub(super) fn unsized_array_init(&mut self, elem: u32, init: &ast::Init, buf: &mut InitBuf) -> PResult<u64> {
        self.size_checked(elem, init.span())?;
        match init {
            ast::Init::Expr(ast::Expr { kind: ast::ExprKind::Str(s), .. }) if self.is_char_type(elem) => {
                let mut s = s.clone();
                s.push(0);
                buf.bytes = s.clone();
                Ok(s.len() as u64)
            }
            ast::Init::List(items, _) => self.array_braced(elem, 0, 0, items, buf),
            ast::Init::Expr(e) => self.err(e.span.clone(), "an array needs a braced initializer `{ ... }`"),
        }
    }

    pub(super) fn is_char_type(&self, ty: u32) -> bool {
        let st = self.cx.strip(ty);
        matches!(self.cx.b.get(st).map(|t| &t.data), Some(TypeData::Int { size: 1, .. }))
    }

    /// Initialize an object of type `ty` at bit offset `bit_off` (`width` > 0 for a bitfield).
    pub(super) fn initializer(
        &mut self,
        ty: u32,
        bit_off: u64,
        width: u32,
        init: &ast::Init,
        buf: &mut InitBuf,
    ) -> PResult<()> {
        self.here = init.span();
        self.nested(|p| p.initializer_inner(ty, bit_off, width, init, buf))
    }

    pub(super) fn initializer_inner(
        &mut self,
        ty: u32,
        bit_off: u64,
        width: u32,
        init: &ast::Init,
        buf: &mut InitBuf,
    ) -> PResult<()> {
        let st = self.cx.strip(ty);
        let data = self.cx.b.get(st).map(|t| t.data.clone());
        let off = bit_off / 8;
        match data {
            Some(TypeData::Array(a)) => {
                if let ast::Init::Expr(ast::Expr { kind: ast::ExprKind::Str(s), span }) = init {
                    if self.is_char_type(a.elem_type) {
                        let mut s = s.clone();
                        if a.nelems != 0 && s.len() > a.nelems as usize {
                            return self.err(
                                span.clone(),
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
                }
                let ast::Init::List(items, _) = init else {
                    return self.err_help(
                        init.span(),
                        format!("`{}` needs a braced initializer", self.cx.describe(ty)),
                        "write `{ ... }`",
                    );
                };
                self.array_braced(a.elem_type, a.nelems, off, items, buf)?;
                Ok(())
            }
            Some(TypeData::Struct { members, .. } | TypeData::Union { members, .. }) => {
                let ast::Init::List(items, _) = init else {
                    return self.err_help(
                        init.span(),
                        format!("`{}` needs a braced initializer", self.cx.describe(ty)),
                        "write `{ .member = value, ... }`",
                    );
                };
                let union = self.cx.b.get(st).is_some_and(|t| t.kind() == Kind::UNION);
                self.composite_braced(st, &members, union, bit_off, items, buf)
            }
            _ => {
                match init {
                    ast::Init::Expr(e) => self.scalar(ty, bit_off, width, e, buf),
                    ast::Init::List(items, sp) => match items.as_slice() {
                        [(d, ast::Init::Expr(e))] if d.is_empty() => self.scalar(ty, bit_off, width, e, buf),
                        [] => self.err(sp.clone(), "empty scalar initializer"),
                        [(d, i)] if d.is_empty() => self.err(i.span(), "braces around a scalar initializer"),
                        [(d, _)] if !d.is_empty() => self
                            .err(d[0].span(), format!("designator in the initializer of `{}`", self.cx.describe(ty))),
                        [_, (_, i), ..] => self
                            .err(i.span(), format!("excess elements in the initializer of `{}`", self.cx.describe(ty))),
                        _ => self.err(sp.clone(), "invalid scalar initializer"),
                    },
                }
            }
        }
    }

    /// `{ a, [3] = b, ... }` for an array of `elem` with `n` elements (0: grows). Returns the
    /// number of elements initialized (highest index + 1).
    pub(super) fn array_braced(
        &mut self,
        elem: u32,
        n: u32,
        off: u64,
        items: &[(Vec<ast::Step>, ast::Init)],
        buf: &mut InitBuf,
    ) -> PResult<u64> {
        let es = match items.first() {
            Some((_, i)) => self.size_checked(elem, i.span())?,
            None => self.cx.size_of(elem).unwrap_or(0),
        };
        let mut idx: u64 = 0;
        let mut count: u64 = 0;
        for (desig, init) in items {
            let esp = desig.first().map_or_else(|| init.span(), |d| d.span());
            let rest = match desig.split_first() {
                Some((ast::Step::Index(e, isp), rest)) => {
                    let v = self.expr(e)?;
                    if v.v < 0 || v.v > u32::MAX as i128 {
                        return self.err(isp.clone(), format!("invalid array index {}", v.v));
                    }
                    idx = v.v as u64;
                    rest
                }
                Some((d, _)) => {
                    return self.err(d.span(), "a member designator in the initializer of an array");
                }
                None => &[][..],
            };
            if n != 0 && idx >= n as u64 {
                return self.err(esp, format!("index {idx} is beyond the end of an array of {n} elements"));
            }
            let eoff = off + idx * es;
            if eoff + es > MAX_INIT_BYTES {
                return self.err(esp, format!("initializer larger than {MAX_INIT_BYTES} bytes"));
            }
            buf.clear_relocs(eoff, eoff + es);
            if rest.is_empty() {
                self.initializer(elem, eoff * 8, 0, init, buf)?;
            } else {
                self.designation(elem, eoff * 8, rest, init, buf)?;
            }
            idx += 1;
            count = count.max(idx);
        }
        let end = off + count * es;
        if (buf.bytes.len() as u64) < end {
            buf.bytes.resize(end as usize, 0);
        }
        Ok(count)
    }

    /// `{ .a = 1, 2, .b.c = 3 }`.
    pub(super) fn composite_braced(
        &mut self,
        st: u32,
        members: &[MemberDef],
        union: bool,
        bit_off: u64,
        items: &[(Vec<ast::Step>, ast::Init)],
        buf: &mut InitBuf,
    ) -> PResult<()> {
        let mut cursor = 0usize;
        for (desig, init) in items {
            match desig.split_first() {
                Some((ast::Step::Member((name, nsp)), rest)) => {
                    let Some(steps) = self.cx.find_member(st, name) else {
                        let mut e = CError::new(
                            nsp.clone(),
                            format!("`{}` has no member named `{name}`", self.cx.describe(st)),
                        );
                        let names = self.cx.member_names(st);
                        if let Some(c) = crate::diag::closest(name, names.iter().map(|s| s.as_str())) {
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
                    if !rest.is_empty() {
                        if w != 0 {
                            return self.err(nsp.clone(), format!("`{name}` is a bit-field"));
                        }
                        self.designation(ty, off, rest, init, buf)?;
                    } else {
                        self.initializer(ty, off, w, init, buf)?;
                    }
                }
                Some((d, _)) => {
                    return self
                        .err(d.span(), format!("array designator in an initializer of `{}`", self.cx.describe(st)));
                }
                None => {
                    if (union && cursor > 0) || cursor >= members.len() {
                        return self.err(
                            init.span(),
                            format!("excess elements in the initializer of `{}`", self.cx.describe(st)),
                        );
                    }
                    let m = members[cursor];
                    cursor += 1;
                    self.initializer(m.type_id, bit_off + m.bit_offset as u64, m.bitfield_size, init, buf)?;
                }
            }
        }
        Ok(())
    }

    /// The rest of a designator chain (`.b[2].c = value`), starting at an object of type `ty`.
    pub(super) fn designation(
        &mut self,
        ty: u32,
        bit_off: u64,
        steps: &[ast::Step],
        init: &ast::Init,
        buf: &mut InitBuf,
    ) -> PResult<()> {
        self.nested(|p| p.designation_inner(ty, bit_off, steps, init, buf))
    }

    pub(super) fn designation_inner(
        &mut self,
        ty: u32,
        bit_off: u64,
        steps: &[ast::Step],
        init: &ast::Init,
        buf: &mut InitBuf,
    ) -> PResult<()> {
        let st = self.cx.strip(ty);
        let Some((step, rest)) = steps.split_first() else {
            return self.initializer(ty, bit_off, 0, init, buf);
        };
        match step {
            ast::Step::Member((name, nsp)) => {
                let Some(found) = self.cx.find_member(st, name) else {
                    return self.err(nsp.clone(), format!("`{}` has no member named `{name}`", self.cx.describe(ty)));
                };
                let (mut off, mut t, mut w) = (bit_off, 0, 0);
                for (_, o, mt, bw) in found {
                    off += o as u64;
                    t = mt;
                    w = bw;
                }
                if !rest.is_empty() {
                    return self.designation(t, off, rest, init, buf);
                }
                self.initializer(t, off, w, init, buf)
            }
            ast::Step::Index(e, lsp) => {
                let Some(TypeData::Array(a)) = self.cx.b.get(st).map(|t| t.data.clone()) else {
                    return self.err(lsp.clone(), format!("`{}` is not an array", self.cx.describe(ty)));
                };
                let v = self.expr(e)?;
                if v.v < 0 || (a.nelems != 0 && v.v >= a.nelems as i128) || v.v > u32::MAX as i128 {
                    return self.err(lsp.clone(), format!("index {} out of bounds", v.v));
                }
                let es = self.size_checked(a.elem_type, lsp.clone())?;
                let off = bit_off + v.v as u64 * es * 8;
                if !rest.is_empty() {
                    return self.designation(a.elem_type, off, rest, init, buf);
                }
                self.initializer(a.elem_type, off, 0, init, buf)
            }
            ast::Step::Arrow(sp) => self.err(sp.clone(), "`->` in a designator"),
        }
    }

    pub(super) fn scalar(
        &mut self,
        ty: u32,
        bit_off: u64,
        width: u32,
        e: &ast::Expr,
        buf: &mut InitBuf,
    ) -> PResult<()> {
        let st = self.cx.strip(ty);
        let Some(t) = self.cx.b.get(st).cloned() else {
            return self.err(e.span.clone(), "cannot initialize an object of type `void`");
        };
        let off = bit_off / 8;
        let endian = self.cx.endian;
        match &t.data {
            TypeData::Ptr { .. } => {
                // Casts to types, then `&symbol` or a symbol that is not a constant.
                let mut x = e;
                while let ast::ExprKind::Cast(t, inner) = &x.kind {
                    self.type_name(t)?;
                    x = inner;
                }
                let sym = match &x.kind {
                    ast::ExprKind::AddrOf(inner) => match &inner.kind {
                        ast::ExprKind::Ident(n) => Some((n.clone(), inner.span.clone())),
                        _ => return self.err(inner.span.clone(), "expected a symbol name"),
                    },
                    ast::ExprKind::Ident(n) if self.cx.constant(n).is_none() => Some((n.clone(), x.span.clone())),
                    _ => None,
                };
                if let Some((name, nsp)) = sym {
                    if self.cx.constant(&name).is_some() {
                        return self.err(nsp, format!("`{name}` is a constant, not a symbol"));
                    }
                    buf.write_ptr(endian, off, name, 0);
                    return Ok(());
                }
                let v = self.expr(x)?;
                if v.v < i64::MIN as i128 || v.v > u64::MAX as i128 {
                    return self.err(e.span.clone(), "pointer value out of range");
                }
                buf.clear_relocs(off, off + 8);
                buf.write_int(endian, off, 8, v.v as u128);
                Ok(())
            }
            TypeData::Float { size } => {
                let (neg, x) = match &e.kind {
                    ast::ExprKind::Unary("-", x) => (true, &**x),
                    _ => (false, e),
                };
                let x = match &x.kind {
                    ast::ExprKind::Float(f) => *f,
                    ast::ExprKind::Int(i, _, _) => *i as f64,
                    _ => return self.err(x.span.clone(), "expected a floating-point number"),
                };
                let x = if neg { -x } else { x };
                let bits = if *size == 4 { (x as f32).to_bits() as u128 } else { x.to_bits() as u128 };
                buf.write_int(endian, off, *size, bits);
                Ok(())
            }
            TypeData::Int { size, .. } | TypeData::Enum { size, .. } | TypeData::Enum64 { size, .. } => {
                let v = self.expr(e)?;
                let sp = e.span.clone();
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
            _ => self.err(e.span.clone(), format!("cannot initialize an object of type `{}`", self.cx.describe(ty))),
        }
    }
}
