//! Member access paths (`a.b[2].c`): CO-RE access specs and `offsetof`.

use super::parse::*;

use super::{CError, FieldAccess};
use btf::{Kind, TypeData};

impl Parser<'_> {
    // ----- field access (CO-RE and offsetof) -----

    pub(super) fn field_access(&mut self, ty: u32, steps: &[ast::Step]) -> PResult<FieldAccess> {
        self.field_path(ty, steps, true)
    }

    /// A member path on `ty`. `root_index`: a leading `[N]` may index the root.
    pub(super) fn field_path(&mut self, ty: u32, steps: &[ast::Step], root_index: bool) -> PResult<FieldAccess> {
        let root = self.cx.strip(ty);
        let root_size = self.cx.size_of(root).unwrap_or(0);
        let mut access = vec![0u32];
        let mut bit_off: u64 = 0;
        let mut steps = steps;
        if let (true, [ast::Step::Index(e, _), rest @ ..]) = (root_index, steps) {
            let i = self.expr(e)?;
            if i.v < 0 || i.v > u32::MAX as i128 {
                return self.err(e.span.clone(), "invalid index");
            }
            access[0] = i.v as u32;
            bit_off = (i.v as u64).saturating_mul(root_size * 8);
            steps = rest;
        }
        let end = steps.last().map_or(0, |s| s.span().end);
        let mut cur = ty;
        let mut width = 0u32;
        for step in steps {
            if let ast::Step::Index(e, lsp) = step {
                let i = self.expr(e)?;
                let (lsp, rsp) = (lsp.clone(), lsp.clone());
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
                continue;
            }
            let (name, nsp) = match step {
                ast::Step::Member(n) => n.clone(),
                _ => {
                    return self.err_help(
                        step.span(),
                        "`->` dereferences a pointer",
                        "a CO-RE access path stays within one object; use `.`",
                    );
                }
            };
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
        let sp = 0..end;
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
}
