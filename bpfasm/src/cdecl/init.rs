//! Initializers: the bytes (and pointer relocations) of an initialized variable, with
//! designators, strings for char arrays and flexible arrays sized by their initializer.

use super::eval::InitBuf;
use super::parse::*;
use super::CError;
use btf::{Kind, MemberDef, TypeData};

impl Parser<'_> {
    // ----- initializers -----

    /// `T x[] = init`: returns the element count.
    pub(super) fn unsized_array_init(&mut self, elem: u32, buf: &mut InitBuf) -> PResult<u64> {
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

    pub(super) fn is_char_type(&self, ty: u32) -> bool {
        let st = self.cx.strip(ty);
        matches!(self.cx.b.get(st).map(|t| &t.data), Some(TypeData::Int { size: 1, .. }))
    }

    /// Initialize an object of type `ty` at bit offset `bit_off` (`width` > 0 for a bitfield).
    pub(super) fn initializer(&mut self, ty: u32, bit_off: u64, width: u32, buf: &mut InitBuf) -> PResult<()> {
        self.nested(|p| p.initializer_inner(ty, bit_off, width, buf))
    }

    pub(super) fn initializer_inner(&mut self, ty: u32, bit_off: u64, width: u32, buf: &mut InitBuf) -> PResult<()> {
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
    pub(super) fn array_braced(
        &mut self,
        elem: u32,
        n: u32,
        off: u64,
        _bit_off: u64,
        buf: &mut InitBuf,
    ) -> PResult<u64> {
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
    pub(super) fn composite_braced(
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
    pub(super) fn designation(&mut self, ty: u32, bit_off: u64, buf: &mut InitBuf) -> PResult<()> {
        self.nested(|p| p.designation_inner(ty, bit_off, buf))
    }

    pub(super) fn designation_inner(&mut self, ty: u32, bit_off: u64, buf: &mut InitBuf) -> PResult<()> {
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

    pub(super) fn scalar(&mut self, ty: u32, bit_off: u64, width: u32, buf: &mut InitBuf) -> PResult<()> {
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
