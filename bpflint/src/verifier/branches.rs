//! Conditional jumps: which way a comparison can go, the ranges each branch learns, null inference
//! and packet-range inference (kernel/bpf/verifier.c: check_cond_jmp_op(), is_branch_taken(),
//! reg_set_min_max(), mark_ptr_or_null_regs(), find_good_pkt_pointers()).

use super::*;
use crate::domain::state::ADD_CONST;

impl Verifier<'_> {
    pub(super) fn cond_jump(&mut self, st: &mut State, insn: Insn) -> R<Next> {
        use Op::*;
        let pc = self.pc;
        let is32 = insn.form().class() == 6;
        let is_k = insn.form().src == bpf_isa::Field::Zero;
        let target = (pc as i64 + insn.off as i64 + 1) as usize;
        let dst = self.read_reg(st, insn.dst)?;
        let src = if is_k {
            Reg::constant(if is32 { insn.imm as u32 as u64 } else { insn.imm as i32 as i64 as u64 })
        } else {
            self.read_reg(st, insn.src)?
        };
        let cmp = match insn.op {
            JeqK | JeqX | JeqK32 | JeqX32 => Cmp::Eq,
            JneK | JneX | JneK32 | JneX32 => Cmp::Ne,
            JgtK | JgtX | JgtK32 | JgtX32 => Cmp::Gt,
            JgeK | JgeX | JgeK32 | JgeX32 => Cmp::Ge,
            JltK | JltX | JltK32 | JltX32 => Cmp::Lt,
            JleK | JleX | JleK32 | JleX32 => Cmp::Le,
            JsgtK | JsgtX | JsgtK32 | JsgtX32 => Cmp::Sgt,
            JsgeK | JsgeX | JsgeK32 | JsgeX32 => Cmp::Sge,
            JsltK | JsltX | JsltK32 | JsltX32 => Cmp::Slt,
            JsleK | JsleX | JsleK32 | JsleX32 => Cmp::Sle,
            _ => Cmp::Set,
        };
        let fall = pc + 1;
        // Pointers.
        if dst.is_ptr() || src.is_ptr() {
            let mut taken = st.clone();
            // null checks
            if !is32 && matches!(cmp, Cmp::Eq | Cmp::Ne) {
                let (p, other) = if dst.is_ptr() { (dst, src) } else { (src, dst) };
                if other.is_null_const() {
                    // NULL inference only for a comparison with the immediate 0, not with a
                    // register holding 0 (check_cond_jmp_op(): BPF_K && imm == 0)
                    if p.maybe_null && is_k {
                        let (null_st, nonnull_st) =
                            if cmp == Cmp::Eq { (&mut taken, &mut *st) } else { (&mut *st, &mut taken) };
                        mark_null(null_st, p.id, true);
                        mark_null(nonnull_st, p.id, false);
                        return Ok(Next::Branch { taken_pc: target, taken, fall_pc: fall });
                    }
                    if non_null(&p) {
                        // ptr == 0 is never true
                        if !is_k && src.is_scalar() {
                            self.want_precise(st, insn.src);
                        }
                        return Ok(Next::Goto(if cmp == Cmp::Eq { fall } else { target }));
                    }
                }
            }
            // Comparing a maybe-NULL pointer with a non-NULL one: where they are equal, the
            // maybe-NULL register is not NULL (the kernel marks that register only).
            if !is32
                && !is_k
                && matches!(cmp, Cmp::Eq | Cmp::Ne)
                && dst.is_ptr()
                && src.is_ptr()
                && dst.maybe_null != src.maybe_null
                && dst.ty != RegType::BtfId
                && src.ty != RegType::BtfId
            {
                let eq = if cmp == Cmp::Eq { &mut taken } else { &mut *st };
                let r = if src.maybe_null { insn.src } else { insn.dst };
                eq.reg_mut(r).maybe_null = false;
            }
            if !is32 && dst.is_ptr() && src.is_ptr() {
                self.pkt_compare(st, &mut taken, insn, cmp, dst, src);
            }
            return Ok(Next::Branch { taken_pc: target, taken, fall_pc: fall });
        }
        // Scalars.
        let (a, b) = (dst.val, src.val);
        // Copies refined with an operand (one id): backtracking must follow them too.
        let ids = [dst.id & !ADD_CONST, if is_k { 0 } else { src.id & !ADD_CONST }];
        if ids.iter().any(|&i| i != 0) {
            let f = st.cur();
            let same = |r: &Reg| r.is_scalar() && r.id != 0 && ids.contains(&(r.id & !ADD_CONST));
            let regs = (0..10u16).filter(|&r| same(&f.regs[r as usize])).fold(0u16, |m, r| m | 1 << r);
            let slots = f
                .stack
                .iter()
                .enumerate()
                .take(64)
                .filter(|(_, sl)| sl.bytes[0] == SlotByte::Spill && same(&sl.spilled))
                .fold(0u64, |m, (i, _)| m | 1 << i);
            self.step_linked = (regs, slots);
        }
        let decided = |v: &mut Self, st: &State| {
            v.want_precise(st, insn.dst);
            if !is_k {
                v.want_precise(st, insn.src);
            }
        };
        match outcome(cmp, &a, &b, is32) {
            Some(true) => {
                decided(self, st);
                return Ok(Next::Goto(target));
            }
            Some(false) => {
                decided(self, st);
                return Ok(Next::Goto(fall));
            }
            None => {}
        }
        let mut taken = st.clone();
        let (ta, tb) = refine(cmp, &a, &b, is32, true);
        let (mut fa, fb) = refine(cmp, &a, &b, is32, false);
        // Linux 6.18, measured: where `r & K` is 0 the register keeps only what its bits say
        // (the bounds learnt before are dropped, tests/cli/bpflint-modern/jset-false-bounds.s)
        // (the register's tnum before the test with K's bits cleared, in the test's width:
        // regs_refine_cond_op(); nothing else the bounds implied survives)
        if matches!(cmp, Cmp::Set) && self.p.profile.jset_false_drops_bounds && b.var.is_const() {
            let k = if is32 { b.var.value & 0xffff_ffff } else { b.var.value };
            let var = Tnum::new(a.var.value & !k, a.var.mask & !k);
            fa = Scalar::unknown();
            fa.var = var;
            fa.sync();
        }
        let t_ok =
            set_scalar(&mut taken, insn.dst, dst.id, ta) && (is_k || set_scalar(&mut taken, insn.src, src.id, tb));
        let f_ok = set_scalar(st, insn.dst, dst.id, fa) && (is_k || set_scalar(st, insn.src, src.id, fb));
        if !(t_ok && f_ok) {
            // one way is infeasible given the ranges: decided by them
            decided(self, st);
        }
        match (t_ok, f_ok) {
            (true, true) => Ok(Next::Branch { taken_pc: target, taken, fall_pc: fall }),
            (true, false) => {
                *st = taken;
                Ok(Next::Goto(target))
            }
            (false, true) => Ok(Next::Goto(fall)),
            (false, false) => Ok(Next::Exit),
        }
    }

    pub(super) fn pkt_compare(&self, fall: &mut State, taken: &mut State, insn: Insn, cmp: Cmp, dst: Reg, src: Reg) {
        let _ = insn;
        let is_pair = |a: &Reg, b: &Reg| {
            (a.ty == RegType::Packet && b.ty == RegType::PacketEnd)
                || (a.ty == RegType::PacketMeta
                    && b.ty == RegType::Packet
                    && b.off == 0
                    && b.val.const_value() == Some(0))
        };
        // (state, pointer reg, right-open)
        let apply = |s: &mut State, p: &Reg, open: bool| {
            if p.off < 0 || (p.off == 0 && open) {
                return;
            }
            if p.val.umax > MAX_PACKET_OFF || p.val.umax + p.off as u64 > MAX_PACKET_OFF {
                return;
            }
            let nr = p.off + if open { 1 } else { 0 };
            let (ty, id) = (p.ty, p.id);
            s.for_each_reg(|r| {
                if r.ty == ty && r.id == id && r.range < nr {
                    r.range = nr;
                }
            });
        };
        if is_pair(&dst, &src) {
            match cmp {
                Cmp::Gt => apply(fall, &dst, false),
                Cmp::Lt => apply(taken, &dst, true),
                Cmp::Ge => apply(fall, &dst, true),
                Cmp::Le => apply(taken, &dst, false),
                _ => {}
            }
        } else if is_pair(&src, &dst) {
            match cmp {
                Cmp::Gt => apply(taken, &src, true),
                Cmp::Lt => apply(fall, &src, false),
                Cmp::Ge => apply(taken, &src, false),
                Cmp::Le => apply(fall, &src, true),
                _ => {}
            }
        }
    }
}

/// After `if rX == 0`: in the null branch every copy becomes 0, in the other it is a valid pointer.
pub(super) fn mark_null(st: &mut State, id: u32, is_null: bool) {
    if id == 0 {
        return;
    }
    let mut released = None;
    st.for_each_reg(|r| {
        if r.is_ptr() && r.maybe_null && r.id == id {
            if is_null {
                // only the acquired pointer itself being NULL means nothing was acquired; a
                // cast of it (sk_fullsock, skc_to_*) being NULL does not
                // (mark_ptr_or_null_regs(): ref_obj_id == id)
                if r.ref_id != 0 && r.ref_id == r.id {
                    released = Some(r.ref_id);
                }
                *r = Reg::constant(0);
            } else {
                r.maybe_null = false;
                if r.ty != RegType::Sock
                    && r.ty != RegType::SockCommon
                    && r.ty != RegType::TcpSock
                    && r.ty != RegType::Mem
                {
                    // the kernel keeps ids only where they still matter
                }
            }
        }
    });
    if let Some(rid) = released {
        st.refs.retain(|e| e.id != rid);
    }
}

/// Give register `r` (and its scalar copies with the same id) the value `v`. False: infeasible.
/// A scalar linked by a delta (`ADD_CONST`) gets `v` shifted by the difference of the deltas
/// (kernel/bpf/verifier.c: sync_linked_regs()).
pub(super) fn set_scalar(st: &mut State, r: u8, id: u32, v: Scalar) -> bool {
    // Ranges that contradict each other after the refinement: the kernel does not drop the
    // branch but forgets the register's bounds, keeping its known bits
    // (reg_bounds_sanity_check() outside its selftests: __mark_reg_unbounded()), so the path
    // goes on with that value.
    let v = if v.is_empty() { Scalar { var: v.var, ..Scalar::unknown() } } else { v };
    if id != 0 {
        let base = id & !ADD_CONST;
        let (flag, off) = (id & ADD_CONST, st.reg(r).off);
        st.for_each_reg(|x| {
            if !x.is_scalar() || x.id & !ADD_CONST != base {
                return;
            }
            if (x.id & ADD_CONST == 0 && flag == 0) || x.off == off {
                x.val = v;
            } else {
                let delta = (x.off as i64 - off as i64) as u64;
                x.val = v.add(&Scalar::constant(delta));
                // a delta added at 32 bits, to either register, is zero-extended (Linux 6.18
                // stable / 7.0: sync_linked_regs(), BPF_ADD_CONST32 of the known register,
                // and of the linked one since bc308be380c1)
                if (x.id | flag) & crate::domain::state::ADD_CONST32 != 0 {
                    x.val = x.val.truncate(4);
                }
            }
        });
    }
    st.reg_mut(r).val = v;
    true
}

/// A comparison view of a scalar at 64 or 32 bits.
#[derive(Clone, Copy, Debug)]
pub(super) struct View {
    umin: u64,
    umax: u64,
    smin: i64,
    smax: i64,
    var: Tnum,
}

pub(super) fn view(s: &Scalar, is32: bool) -> View {
    if is32 {
        View {
            umin: s.u32min as u64,
            umax: s.u32max as u64,
            smin: s.s32min as i64,
            smax: s.s32max as i64,
            var: s.var.subreg(),
        }
    } else {
        View { umin: s.umin, umax: s.umax, smin: s.smin, smax: s.smax, var: s.var }
    }
}

pub(super) fn unview(s: &Scalar, v: View, is32: bool) -> Scalar {
    let mut r = *s;
    if is32 {
        r.u32min = r.u32min.max(v.umin as u32);
        r.u32max = r.u32max.min(v.umax as u32);
        r.s32min = r.s32min.max(v.smin as i32);
        r.s32max = r.s32max.min(v.smax as i32);
        if v.umin > v.umax || v.smin > v.smax {
            r.u32min = 1;
            r.u32max = 0;
            return r;
        }
        r.var = r.var.with_subreg(r.var.subreg().intersect(v.var));
    } else {
        r.umin = r.umin.max(v.umin);
        r.umax = r.umax.min(v.umax);
        r.smin = r.smin.max(v.smin);
        r.smax = r.smax.min(v.smax);
        if v.umin > v.umax || v.smin > v.smax {
            r.umin = 1;
            r.umax = 0;
            return r;
        }
        r.var = r.var.intersect(v.var);
    }
    if r.is_empty() {
        return r;
    }
    // a contradictory tnum/range combination is an empty value too
    if (r.var.value & !r.var.mask) != r.var.value {
        r.umin = 1;
        r.umax = 0;
        return r;
    }
    r.sync();
    r
}

/// Whether `a cmp b` is always true/false.
pub(super) fn outcome(cmp: Cmp, a: &Scalar, b: &Scalar, is32: bool) -> Option<bool> {
    let (x, y) = (view(a, is32), view(b, is32));
    match cmp {
        Cmp::Eq | Cmp::Ne => {
            let eq = if x.var.is_const() && y.var.is_const() {
                Some(x.var.value == y.var.value)
            } else if x.umin > y.umax
                || x.umax < y.umin
                || x.smin > y.smax
                || x.smax < y.smin
                || (x.var.value ^ y.var.value) & !(x.var.mask | y.var.mask) != 0
            {
                Some(false)
            } else {
                None
            };
            eq.map(|e| if cmp == Cmp::Eq { e } else { !e })
        }
        Cmp::Gt => tri(x.umin > y.umax, x.umax <= y.umin),
        Cmp::Ge => tri(x.umin >= y.umax, x.umax < y.umin),
        Cmp::Lt => tri(x.umax < y.umin, x.umin >= y.umax),
        Cmp::Le => tri(x.umax <= y.umin, x.umin > y.umax),
        Cmp::Sgt => tri(x.smin > y.smax, x.smax <= y.smin),
        Cmp::Sge => tri(x.smin >= y.smax, x.smax < y.smin),
        Cmp::Slt => tri(x.smax < y.smin, x.smin >= y.smax),
        Cmp::Sle => tri(x.smax <= y.smin, x.smin > y.smax),
        Cmp::Set => {
            if x.var.value & y.var.value != 0 {
                Some(true)
            } else if (x.var.value | x.var.mask) & (y.var.value | y.var.mask) == 0 {
                Some(false)
            } else {
                None
            }
        }
    }
}

pub(super) fn tri(t: bool, f: bool) -> Option<bool> {
    if t {
        Some(true)
    } else if f {
        Some(false)
    } else {
        None
    }
}

pub(super) fn ne_refine(p: &mut View, q: &View, is32: bool, maxu: u64) {
    if q.var.is_const() {
        let k = q.var.value;
        if p.umin == k && p.umin < maxu {
            p.umin += 1;
        } else if p.umin == k {
            p.umin = 1;
            p.umax = 0;
        }
        if p.umax == k && p.umax > 0 {
            p.umax -= 1;
        }
        let ks = if is32 { k as u32 as i32 as i64 } else { k as i64 };
        if p.smin == ks {
            p.smin = p.smin.saturating_add(1);
        }
        if p.smax == ks {
            p.smax = p.smax.saturating_sub(1);
        }
    }
}

/// Refine both operands assuming `a cmp b` is `truth`.
pub(super) fn refine(cmp: Cmp, a: &Scalar, b: &Scalar, is32: bool, truth: bool) -> (Scalar, Scalar) {
    let (mut x, mut y) = (view(a, is32), view(b, is32));
    let c = if truth {
        cmp
    } else {
        match cmp {
            Cmp::Eq => Cmp::Ne,
            Cmp::Ne => Cmp::Eq,
            Cmp::Gt => Cmp::Le,
            Cmp::Ge => Cmp::Lt,
            Cmp::Lt => Cmp::Ge,
            Cmp::Le => Cmp::Gt,
            Cmp::Sgt => Cmp::Sle,
            Cmp::Sge => Cmp::Slt,
            Cmp::Slt => Cmp::Sge,
            Cmp::Sle => Cmp::Sgt,
            Cmp::Set => Cmp::Set,
        }
    };
    let maxu = if is32 { u32::MAX as u64 } else { u64::MAX };
    match c {
        Cmp::Eq => {
            let v = View {
                umin: x.umin.max(y.umin),
                umax: x.umax.min(y.umax),
                smin: x.smin.max(y.smin),
                smax: x.smax.min(y.smax),
                var: x.var.intersect(y.var),
            };
            x = v;
            y = v;
        }
        Cmp::Ne => {
            let (x0, y0) = (x, y);
            ne_refine(&mut x, &y0, is32, maxu);
            ne_refine(&mut y, &x0, is32, maxu);
        }
        Cmp::Gt => {
            x.umin = x.umin.max(y.umin.saturating_add(1));
            y.umax = y.umax.min(x.umax.saturating_sub(1));
            if y.umin == maxu || x.umax == 0 {
                x.umin = 1;
                x.umax = 0;
            }
        }
        Cmp::Ge => {
            x.umin = x.umin.max(y.umin);
            y.umax = y.umax.min(x.umax);
        }
        Cmp::Lt => {
            x.umax = x.umax.min(y.umax.saturating_sub(1));
            y.umin = y.umin.max(x.umin.saturating_add(1));
            if y.umax == 0 || x.umin == maxu {
                x.umin = 1;
                x.umax = 0;
            }
        }
        Cmp::Le => {
            x.umax = x.umax.min(y.umax);
            y.umin = y.umin.max(x.umin);
        }
        Cmp::Sgt => {
            x.smin = x.smin.max(y.smin.saturating_add(1));
            y.smax = y.smax.min(x.smax.saturating_sub(1));
        }
        Cmp::Sge => {
            x.smin = x.smin.max(y.smin);
            y.smax = y.smax.min(x.smax);
        }
        Cmp::Slt => {
            x.smax = x.smax.min(y.smax.saturating_sub(1));
            y.smin = y.smin.max(x.smin.saturating_add(1));
        }
        Cmp::Sle => {
            x.smax = x.smax.min(y.smax);
            y.smin = y.smin.max(x.smin);
        }
        Cmp::Set => {
            if y.var.is_const() {
                if truth {
                    if y.var.value.is_power_of_two() {
                        x.var = Tnum::new(x.var.value | y.var.value, x.var.mask & !y.var.value);
                    }
                } else {
                    x.var = x.var.and(Tnum::constant(!y.var.value));
                }
            }
        }
    }
    (unview(a, x, is32), unview(b, y, is32))
}
