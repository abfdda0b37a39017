//! Open-coded iterators (`bpf_iter_<kind>_new/next/destroy`) and the loop convergence rules the
//! kernel applies at `iter_next` calls and `may_goto` (kernel/bpf/verifier.c:
//! process_iter_arg(), mark_stack_slots_iter(), is_iter_reg_valid_init(),
//! process_iter_next_call(), widen_imprecise_scalars(), is_state_visited()).
//!
//! The iterator's state lives in its stack slots (`STACK_ITER`): `new` needs slots that hold no
//! iterator and acquires a reference; `next` and `destroy` need an initialised iterator of the
//! same kind; `destroy` releases the reference. At `next` the kernel forks: the current path sees
//! the iterator drained (`NULL`), a queued path sees an element and the iteration depth grows by
//! one. Loops converge because the queued state's imprecise scalars that changed since the
//! previous visit of the same `next` are widened to unknown, and a path reaching `next` again
//! with an active iterator is pruned against any earlier state it fits in by range, even one
//! whose exploration is not finished.

use super::*;
use crate::domain::state::{ITER_ACTIVE, ITER_DRAINED};
use crate::program::{IterCall, IterOp};

impl Verifier<'_> {
    /// Where an iterator argument points: (frame, fp offset of its lowest byte).
    fn iter_slots(&self, st: &State, ic: &IterCall) -> R<(usize, i32)> {
        let r1 = *st.reg(1);
        if r1.ty != RegType::Stack || !r1.val.is_const() {
            return Err(self.err(Some(st), Code::ArgType, "arg#0 expected pointer to an iterator on stack".into()));
        }
        let o = r1.off + r1.val.smin as i32;
        let len = ic.slots as i32 * 8;
        if o % 8 != 0 || o < -self.p.profile.max_stack || o + len > 0 {
            return Err(self.err(
                Some(st),
                Code::ArgType,
                format!("cannot pass in iter_{} at an offset={o}", self.kind_name(ic)),
            ));
        }
        Ok((r1.frame as usize, o))
    }

    fn kind_name(&self, ic: &IterCall) -> &str {
        self.p.iter_kinds.get(ic.kind as usize).map_or("?", String::as_str)
    }

    /// The iterator state at (frame, o) if every slot holds an initialised iterator of kind
    /// `ic.kind` (only the first slot carries the reference).
    fn iter_at(&self, st: &State, frame: usize, o: i32, ic: &IterCall) -> Option<Reg> {
        let fr = &st.frames[frame];
        let first = fr.slot(o + (ic.slots as i32 - 1) * 8)?.spilled;
        for i in 0..ic.slots as i32 {
            let s = fr.slot(o + i * 8)?;
            let top = i == ic.slots as i32 - 1;
            if s.bytes.iter().any(|b| *b != SlotByte::Iter)
                || s.spilled.ty != RegType::Iter
                || s.spilled.subprog != ic.kind
                || (s.spilled.ref_id != 0) != top
            {
                return None;
            }
        }
        Some(first)
    }

    /// Set the iterator state of every slot (the reference stays on the first).
    fn set_iter(st: &mut State, frame: usize, o: i32, ic: &IterCall, state: i32, depth: i32, ref_id: u32) {
        for i in 0..ic.slots as i32 {
            let top = i == ic.slots as i32 - 1;
            let s = st.frames[frame].slot_mut(o + i * 8);
            s.bytes = [SlotByte::Iter; 8];
            s.spilled = Reg {
                ty: RegType::Iter,
                subprog: ic.kind,
                range: state,
                off: depth,
                ref_id: if top { ref_id } else { 0 },
                ..Reg::NOT_INIT
            };
        }
    }

    /// A call of an iterator kfunc.
    pub(super) fn iter_call(&mut self, st: &mut State, ic: IterCall) -> R<Next> {
        let (frame, o) = self.iter_slots(st, &ic)?;
        let kind = self.kind_name(&ic).to_string();
        let next = self.pc + 1;
        match ic.op {
            IterOp::New => {
                let fr = &st.frames[frame];
                let busy =
                    (0..ic.slots as i32).any(|i| fr.slot(o + i * 8).is_some_and(|s| s.bytes.contains(&SlotByte::Iter)));
                if busy {
                    return Err(self.err(
                        Some(st),
                        Code::ArgType,
                        format!("expected uninitialized iter_{kind} as arg #0"),
                    ));
                }
                self.note_depth(st, frame, o);
                let id = self.new_id();
                Self::set_iter(st, frame, o, &ic, ITER_ACTIVE, 0, id);
                for i in 0..ic.slots as i32 {
                    self.note_stack_written(frame, o + i * 8);
                }
                st.refs.push(RefEntry::ptr(id, self.pc));
                st.clobber_args();
                *st.reg_mut(0) = Reg::unknown();
                Ok(Next::Goto(next))
            }
            IterOp::Destroy | IterOp::Next => {
                self.note_stack_read(frame, o as i64, o as i64 + ic.slots as i64 * 8);
                let Some(it) = self.iter_at(st, frame, o, &ic) else {
                    return Err(self.err(
                        Some(st),
                        Code::ArgType,
                        format!("expected an initialized iter_{kind} as arg #0"),
                    ));
                };
                if ic.op == IterOp::Destroy {
                    st.release_ref(it.ref_id);
                    for i in 0..ic.slots as i32 {
                        *st.frames[frame].slot_mut(o + i * 8) = Default::default();
                    }
                    st.clobber_args();
                    *st.reg_mut(0) = Reg::NOT_INIT;
                    return Ok(Next::Goto(next));
                }
                st.clobber_args();
                let active = it.range == ITER_ACTIVE;
                let mut queued = active.then(|| st.clone());
                // the current path: the iterator is drained, next() returned NULL
                Self::set_iter(st, frame, o, &ic, ITER_DRAINED, it.off, it.ref_id);
                *st.reg_mut(0) = Reg::constant(0);
                let Some(mut q) = queued.take() else { return Ok(Next::Goto(next)) };
                Self::set_iter(&mut q, frame, o, &ic, ITER_ACTIVE, it.off + 1, it.ref_id);
                self.widen_from_prev(&mut q);
                *q.reg_mut(0) = match ic.elem_mem {
                    Some(n) => Reg { rdonly: true, mem_size: n, ..Reg::ptr(RegType::Mem) },
                    None => Reg::ptr(RegType::BtfId),
                };
                Ok(Next::Branch { taken_pc: next, taken: q, fall_pc: next })
            }
        }
    }

    /// `may_goto`: the current path takes the jump (the loop budget is used up), a queued path
    /// falls through with the budget one deeper (kernel/bpf/verifier.c, do_check(): BPF_JCOND).
    pub(super) fn may_goto(&mut self, st: &mut State, target: usize) -> Next {
        let mut q = st.clone();
        q.may_goto_depth += 1;
        self.widen_from_prev(&mut q);
        Next::Branch { taken_pc: self.pc + 1, taken: q, fall_pc: target }
    }

    /// widen_imprecise_scalars(): against the previous visit of this loop head on the current
    /// path (the nearest earlier checkpoint at this instruction with the same call sites), every
    /// scalar that no check relied on and that changed becomes unknown, so the loop's states
    /// converge instead of counting up.
    fn widen_from_prev(&self, q: &mut State) {
        let Some(prev) = self.prev_entry(q) else { return };
        self.widen_against(prev, q);
    }

    /// After a callback returns to its call: widen against the most recent state at the call
    /// that is still being explored with the same call sites (kernel/bpf/verifier.c:
    /// find_prev_entry(), widen_imprecise_scalars() in prepare_func_exit()).
    pub(super) fn widen_at(&self, q: &mut State, pc: usize) {
        let Some(list) = self.visited.get(pc) else { return };
        let prev = list.iter().rev().map(|e| e.cp).find(|&k| {
            let cp = &self.checkpoints[k];
            self.branches[k] > 0
                && cp.state.frames.len() == q.frames.len()
                && cp.state.frames.iter().zip(&q.frames).all(|(a, b)| a.callsite == b.callsite)
        });
        if let Some(prev) = prev {
            self.widen_against(prev, q);
        }
    }

    /// Whether the helper call at `pc` enters a callback the kernel verifies as a loop body.
    pub(super) fn is_loop_callback_call(&self, pc: usize) -> bool {
        matches!(self.p.slots.get(pc), Some(Slot::Insn(i, _)) if i.op == Op::Call && i.src == 0
            && helper_calls::LOOP_CALLBACK_HELPERS.contains(&(i.imm as u32))
            && !self.p.kfuncs.contains_key(&pc))
    }

    fn widen_against(&self, prev: usize, q: &mut State) {
        let old = &self.checkpoints[prev].state;
        for (of, cf) in old.frames.iter().zip(q.frames.iter_mut()) {
            for (o, c) in of.regs.iter().zip(cf.regs.iter_mut()) {
                widen(o, c);
            }
            for (i, os) in of.stack.iter().enumerate() {
                let Some(cs) = cf.stack.get(i) else { break };
                if os.bytes[0] == SlotByte::Spill && cs.bytes[0] == SlotByte::Spill {
                    let mut w = cs.spilled;
                    widen(&os.spilled, &mut w);
                    if w != cs.spilled {
                        cf.stack.get_mut(i).expect("slot").spilled = w;
                    }
                }
            }
        }
    }

    /// The nearest checkpoint at the current instruction among the ancestors of the current
    /// path's checkpoint (which was just saved here), with the same call sites.
    fn prev_entry(&self, q: &State) -> Option<usize> {
        let mut c = self.cur_cp.and_then(|c| self.checkpoints[c].parent);
        while let Some(k) = c {
            let cp = &self.checkpoints[k];
            if cp.pc == self.pc
                && cp.state.frames.len() == q.frames.len()
                && cp.state.frames.iter().zip(&q.frames).all(|(a, b)| a.callsite == b.callsite)
            {
                return Some(k);
            }
            c = cp.parent;
        }
        None
    }

    /// Whether `pc` is a loop head the kernel treats specially (computed once per program).
    pub(super) fn loop_head(&self, pc: usize) -> bool {
        self.loop_heads.get(pc).copied().unwrap_or(false)
    }

    /// Whether `pc` is a loop head the kernel treats specially: an `iter_next` call or `may_goto`.
    pub(super) fn is_loop_head(&self, pc: usize) -> bool {
        self.p.iter_calls.get(&pc).is_some_and(|c| c.op == IterOp::Next)
            || matches!(self.p.slots.get(pc), Some(Slot::Insn(i, _)) if i.op == Op::MayGoto)
            || self.is_loop_callback_call(pc)
    }

    /// At a loop head, an earlier state whose exploration is still going on may cover the
    /// current one (by range, precise or not): at `iter_next` when the current iterator is still
    /// active, at `may_goto` when the budgets differ.
    pub(super) fn loop_head_covers(&self, old: &State, cur: &State, live: impl Fn(usize, usize, u8) -> bool) -> bool {
        let pc = self.pc;
        if let Some(ic) = self.p.iter_calls.get(&pc) {
            let active = self
                .iter_slots(cur, ic)
                .ok()
                .and_then(|(f, o)| self.iter_at(cur, f, o, ic))
                .is_some_and(|it| it.range == ITER_ACTIVE);
            return active && self.covers_by_range(old, cur, live);
        }
        if self.is_loop_callback_call(pc) {
            return self.covers_by_range(old, cur, live);
        }
        old.may_goto_depth != cur.may_goto_depth && self.covers_by_range(old, cur, live)
    }
}

fn widen(o: &Reg, c: &mut Reg) {
    if o.ty == RegType::Scalar && c.ty == RegType::Scalar && !o.precise && !c.precise && o.val != c.val {
        *c = Reg::unknown();
    }
}

/// Whether an active iterator of one state is at another depth than in the other: then a
/// repeated state is the next iteration, not an infinite loop (kernel/bpf/verifier.c,
/// iter_active_depths_differ()).
pub(super) fn active_depths_differ(a: &State, b: &State) -> bool {
    for (fa, fb) in a.frames.iter().zip(&b.frames) {
        for (sa, sb) in fa.stack.iter().zip(fb.stack.iter()) {
            let (x, y) = (&sa.spilled, &sb.spilled);
            if sa.bytes[0] == SlotByte::Iter
                && x.ref_id != 0
                && x.range == ITER_ACTIVE
                && sb.bytes[0] == SlotByte::Iter
                && x.off != y.off
            {
                return true;
            }
        }
    }
    false
}
