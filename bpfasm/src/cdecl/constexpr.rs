//! Integer constant expressions with C's typing (32/64-bit, signedness, usual arithmetic
//! conversions): operators, casts, `sizeof`, `_Alignof`, `offsetof`, named constants.

use super::parse::*;
use super::CError;
use btf::{Kind, TypeData};

/// An integer constant with its C type (32/64 bits, signedness).
#[derive(Clone, Copy, Debug)]
pub(super) struct Val {
    pub(super) v: i128,
    pub(super) unsigned: bool,
    pub(super) wide: bool,
}

impl Val {
    pub(super) fn int(v: i128) -> Val {
        Val { v, unsigned: false, wide: false }.norm()
    }
    pub(super) fn typed(v: i128, unsigned: bool, wide: bool) -> Val {
        Val { v, unsigned, wide }.norm()
    }
    /// Wrap into the range of the type.
    pub(super) fn norm(mut self) -> Val {
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
    pub(super) fn literal(v: u128, unsigned: bool, long: bool) -> Val {
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
pub(super) fn common(a: Val, b: Val) -> (bool, bool) {
    let wide = a.wide || b.wide;
    let unsigned = (a.unsigned && (a.wide || !b.wide)) || (b.unsigned && (b.wide || !a.wide));
    (unsigned, wide)
}

impl Parser<'_> {
    // ----- constant expressions -----

    /// The value of an integer constant expression.
    pub(super) fn expr(&mut self, e: &ast::Expr) -> PResult<Val> {
        self.here = e.span.clone();
        self.nested(|p| p.expr_inner(e))
    }

    fn expr_inner(&mut self, e: &ast::Expr) -> PResult<Val> {
        use ast::ExprKind as K;
        let sp = e.span.clone();
        match &e.kind {
            K::Int(v, u, l) => Ok(Val::literal(*v, *u, *l)),
            K::Float(_) => self.err(sp, "floating-point values are not allowed in integer constant expressions"),
            K::Str(_) => self.err(sp, "a string is not an integer constant"),
            K::Ident(s) => self.ident_expr(s, sp),
            K::Unary(op, x) => {
                let v = self.expr(x)?;
                Ok(match *op {
                    "-" => Val::typed(-v.v, v.unsigned, v.wide),
                    "~" => Val::typed(!v.v, v.unsigned, v.wide),
                    "!" => Val::int((v.v == 0) as i128),
                    _ => v,
                })
            }
            K::AddrOf(_) => self.err_help(
                sp.start..sp.start + 1,
                "an address is not an integer constant",
                "addresses of symbols are allowed only as initializers of pointers",
            ),
            K::Binary(op, opsp, a, b) => {
                let a = self.expr(a)?;
                let b = self.expr(b)?;
                self.apply(op, a, b, opsp.clone())
            }
            K::Cond(c, a, b) => {
                let c = self.expr(c)?;
                let a = self.expr(a)?;
                let b = self.expr(b)?;
                let (u, w) = common(a, b);
                let v = if c.v != 0 { a.v } else { b.v };
                Ok(Val::typed(v, u, w))
            }
            K::Cast(t, x) => {
                let ty = self.type_name(t)?;
                let v = self.expr(x)?;
                self.cast(ty, v, t.span.clone())
            }
            K::SizeofType(t) => {
                let ty = self.type_name(t)?;
                self.sizeof(ty, sp)
            }
            K::SizeofVar((n, nsp)) => match self.cx.syms.get(n) {
                Some(s) => {
                    let ty = s.ty;
                    self.sizeof(ty, sp)
                }
                None => self.err(nsp.clone(), format!("unknown variable `{n}` in sizeof")),
            },
            K::Alignof(t) => {
                let t = self.type_name(t)?;
                match self.cx.align_of(t) {
                    Ok(a) => Ok(Val::typed(a as i128, true, true)),
                    Err(e) => self.err(sp, format!("invalid alignof: {e}")),
                }
            }
            K::Offsetof(t, path) => {
                let t = self.type_name(t)?;
                let fa = self.field_path(t, path, false)?;
                if fa.bitfield {
                    return self.err(sp, "offsetof a bit-field");
                }
                Ok(Val::typed(fa.byte_offset as i128, true, true))
            }
        }
    }

    fn sizeof(&mut self, ty: u32, sp: Range<usize>) -> PResult<Val> {
        match self.cx.size_of(ty) {
            Ok(s) => Ok(Val::typed(s as i128, true, true)),
            Err(e) => self.err(sp, format!("invalid sizeof: {e}")),
        }
    }

    pub(super) fn apply(&mut self, op: &str, a: Val, b: Val, sp: Range<usize>) -> PResult<Val> {
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

    pub(super) fn cast(&mut self, ty: u32, v: Val, sp: Range<usize>) -> PResult<Val> {
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

    pub(super) fn ident_expr(&mut self, s: &str, sp: Range<usize>) -> PResult<Val> {
        if let Some(v) = self.cx.constant(s) {
            let wide = v < i32::MIN as i64 || v > i32::MAX as i64;
            return Ok(Val::typed(v as i128, false, wide));
        }
        let mut e = CError::new(sp, format!("unknown constant `{s}`"));
        let mut cands: Vec<&str> = self.cx.enumerators.keys().map(|k| k.as_str()).collect();
        cands.extend(bpfobj::uapi::CONSTANTS.iter().map(|c| c.0));
        if let Some(c) = crate::diag::closest(s, cands) {
            e = e.help(format!("did you mean `{c}`?"));
        } else if self.cx.syms.contains_key(s) {
            e = e.help(format!("`{s}` is a variable or function, not a constant"));
        }
        self.errors.push(e);
        Err(())
    }
}
