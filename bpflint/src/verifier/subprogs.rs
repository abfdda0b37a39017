//! Calls of subprograms and callbacks, and `exit`: frames, callback arguments and return ranges,
//! references and locks at exit (kernel/bpf/verifier.c: check_func_call(), push_callback_call(),
//! prepare_func_exit(), check_return_code()).

use super::*;

impl Verifier<'_> {
    /// A callback the helper may call any number of times (bpf_loop, bpf_for_each_map_elem,
    /// bpf_find_vma, bpf_user_ringbuf_drain): the current path goes on after the call, a queued
    /// path enters the callback from the state before the call, and the callback's exit goes
    /// back to the call, which queues the callback again until the states at the call converge
    /// (kernel/bpf/verifier.c: push_callback_call(), prepare_func_exit(), is_state_visited()
    /// with calls_callback()). bpf_loop stops re-entering after its iteration count
    /// (check_helper_call(): callback_depth < R1's maximum).
    pub(super) fn loop_callback(
        &mut self,
        st: &mut State,
        pre: State,
        sub: usize,
        helper: u32,
        meta: &Meta,
        ret: (i64, i64),
    ) -> R<Next> {
        let pc = self.pc;
        if helper == 181 {
            self.want_precise(&pre, 1);
            let depth = pre.cur().callback_depth;
            if depth as u64 >= pre.reg(1).val.umax {
                st.cur_mut().callback_depth = 0;
                return Ok(Next::Goto(pc + 1));
            }
        }
        let mut cb = pre;
        cb.cur_mut().callback_depth += 1;
        cb.callback_unroll_depth += 1;
        st.cur_mut().callback_depth = 0;
        match self.callback(&mut cb, sub, helper, meta, ret)? {
            Next::Goto(start) => Ok(Next::Branch { taken_pc: start, taken: cb, fall_pc: pc + 1 }),
            other => Ok(other),
        }
    }

    pub(super) fn callback(
        &mut self,
        st: &mut State,
        sub: usize,
        helper: u32,
        meta: &Meta,
        ret: (i64, i64),
    ) -> R<Next> {
        let pc = self.pc;
        if st.frames.len() >= self.p.profile.max_call_frames {
            return Err(self.err(
                Some(st),
                Code::CallDepth,
                format!("the call stack of {} frames is too deep !", st.frames.len() + 1),
            ));
        }
        let caller_sub = st.cur().subprog;
        if !self.calls.contains(&(caller_sub, sub)) {
            self.calls.push((caller_sub, sub));
        }
        let edge = CallEdge { caller: caller_sub, callee: sub, insn: pc, helper: Some(helper) };
        if !self.sink.calls.contains(&edge) {
            self.sink.calls.push(edge);
        }
        let depth = st.frames.len() as u8;
        let mut f = Frame::new(pc, sub);
        f.callback_ret = Some(ret);
        f.regs[10] = Reg { frame: depth, ..Reg::ptr(RegType::Stack) };
        let cb_arg = meta.cb_arg.unwrap_or(Reg::constant(0));
        let mapv = meta.map.unwrap_or(0);
        match helper {
            181 => {
                // the index: a scalar the kernel knows nothing of (set_loop_callback_state())
                f.regs[1] = Reg::unknown();
                f.regs[2] = cb_arg;
            }
            164 => {
                f.regs[1] = Reg { ty: RegType::MapPtr, map: mapv, val: Scalar::constant(0), ..Reg::NOT_INIT };
                f.regs[2] = Reg { ty: RegType::MapKey, map: mapv, val: Scalar::constant(0), ..Reg::NOT_INIT };
                f.regs[3] = Reg { ty: RegType::MapValue, map: mapv, val: Scalar::constant(0), ..Reg::NOT_INIT };
                f.regs[4] = cb_arg;
            }
            170 => {
                f.regs[1] = Reg { ty: RegType::MapPtr, map: mapv, val: Scalar::constant(0), ..Reg::NOT_INIT };
                f.regs[2] = Reg { ty: RegType::MapKey, map: mapv, val: Scalar::constant(0), ..Reg::NOT_INIT };
                f.regs[3] = Reg { ty: RegType::MapValue, map: mapv, val: Scalar::constant(0), ..Reg::NOT_INIT };
            }
            209 => {
                // a const dynptr to the sample and the context (set_user_ringbuf_callback_state())
                f.regs[1] = self.const_dynptr_reg();
                f.regs[2] = cb_arg;
            }
            _ => {
                f.regs[1] = Reg::ptr(RegType::BtfId);
                f.regs[2] = Reg::ptr(RegType::BtfId);
                f.regs[3] = cb_arg;
            }
        }
        st.frames.push(f);
        let start = self.cfg.subprogs[sub].start;
        Ok(Next::Goto(start))
    }

    /// The call graph and the context arguments of a bpf-to-bpf call (for the stack check and
    /// the lints).
    pub(super) fn record_call(&mut self, st: &State, sub: usize) {
        let pc = self.pc;
        let caller_sub = st.cur().subprog;
        if !self.calls.contains(&(caller_sub, sub)) {
            self.calls.push((caller_sub, sub));
        }
        let edge = CallEdge { caller: caller_sub, callee: sub, insn: pc, helper: None };
        if !self.sink.calls.contains(&edge) {
            self.sink.calls.push(edge);
        }
        let ctx_regs: Vec<u8> = (1..=5u8).filter(|&r| st.reg(r).ty == RegType::Ctx).collect();
        if !ctx_regs.is_empty() {
            let e = self.sink.ctx_args.entry((pc, sub)).or_default();
            for r in ctx_regs {
                if !e.contains(&r) {
                    e.push(r);
                }
            }
        }
    }

    pub(super) fn local_call(&mut self, st: &mut State, insn: Insn) -> R<Next> {
        let pc = self.pc;
        let target = (pc as i64 + insn.imm + 1) as usize;
        let sub = self.cfg.subprog_of_start(target).unwrap_or(0);
        if st.frames.len() >= self.p.profile.max_call_frames {
            return Err(self.err(
                Some(st),
                Code::CallDepth,
                format!("the call stack of {} frames is too deep !", st.frames.len() + 1),
            ));
        }
        // a global function that may sleep, called in an RCU read-side section, with preemption
        // or interrupts disabled, or from a program that cannot sleep (check_func_call():
        // might_sleep with active_rcu_lock, active_preempt_locks, active_irq_id, in_sleepable())
        let atomic = st.rcu || st.preempt > 0 || st.active_irq().is_some() || !self.sleepable;
        if atomic && self.global_sig(target).is_some() && self.subprog_might_sleep(sub) {
            return Err(self.err(
                Some(st),
                Code::SpinLock,
                "global functions that may sleep are not allowed in non-sleepable context,\ni.e., in a RCU/IRQ/preempt-disabled section, or in\na non-sleepable BPF program context".into(),
            ));
        }
        if !st.holds_lock() && st.preempt == 0 {
            if let Some(sig) = self.global_sig(target).cloned() {
                return self.global_call(st, sub, sig);
            }
        }
        if st.holds_lock() {
            // Since 6.9 only global subprograms are refused under a lock (kernel/bpf/verifier.c,
            // check_func_call()); before, every call was.
            let global =
                self.p.funcs.iter().any(|f| f.start == target && f.global) || self.global_sig(target).is_some();
            if !self.p.profile.lock_static_calls {
                return Err(self.err(
                    Some(st),
                    Code::SpinLock,
                    "function calls are not allowed while holding a lock".into(),
                ));
            }
            if global {
                return Err(self.err(
                    Some(st),
                    Code::SpinLock,
                    "global function calls are not allowed while holding a lock,\nuse static function instead".into(),
                ));
            }
        }
        self.record_call(st, sub);
        let depth = st.frames.len() as u8;
        let mut f = Frame::new(pc, sub);
        for r in 1..=5u8 {
            f.regs[r as usize] = *st.reg(r);
        }
        f.regs[10] = Reg { frame: depth, ..Reg::ptr(RegType::Stack) };
        for r in 0..=5u8 {
            *st.reg_mut(r) = Reg::NOT_INIT;
        }
        st.frames.push(f);
        Ok(Next::Goto(target))
    }

    pub(super) fn exit(&mut self, st: &mut State) -> R<Next> {
        // A static subprogram may return with the lock held (its caller unlocks) since 6.9.
        // (the less callback of bpf_rbtree_add() runs under its caller's lock:
        // check_resource_leak(), in_rbtree_lock_required_cb())
        if st.spin_lock.is_some()
            && (st.frames.len() == 1 || !self.p.profile.lock_static_calls)
            && !self.in_rbtree_cb(st)
        {
            return Err(self.err(Some(st), Code::SpinLock, "bpf_spin_unlock is missing".into()));
        }
        // resilient locks: only the main program's exit must have released them
        // (check_resource_leak(): active_locks)
        if !st.res_locks.is_empty() && st.frames.len() == 1 {
            return Err(self.err(
                Some(st),
                Code::SpinLock,
                "BPF_EXIT instruction in main prog cannot be used inside bpf_spin_lock-ed region".into(),
            ));
        }
        if st.frames.len() > 1 {
            let r0 = *st.reg(0);
            if !r0.is_init() && st.cur().callback_ret.is_some() {
                return Err(self.err(Some(st), Code::UninitReg, "R0 !read_ok".into()));
            }
            if st.cur().callback_ret.is_some() {
                self.want_precise(st, 0);
            }
            let f = st.frames.pop().expect("frame");
            let depth = st.frames.len() as u8;
            if let Some((lo, hi)) = f.callback_ret {
                if !r0.is_scalar() || r0.val.smin < lo || r0.val.smax > hi {
                    st.frames.push(f);
                    return Err(self.err(
                        Some(st),
                        Code::ReturnValue,
                        format!(
                            "At callback return the register R0 has {} should have been in [{lo}, {hi}]",
                            r0.describe()
                        ),
                    ));
                }
                if self.is_loop_callback_call(f.callsite) {
                    // back to the call, which may enter the callback again; the caller's
                    // registers are those of before the call (prepare_func_exit())
                    st.for_each_reg(|x| {
                        if x.ty == RegType::Stack && x.frame >= depth {
                            *x = Reg::NOT_INIT;
                        }
                    });
                    self.widen_at(st, f.callsite);
                    return Ok(Next::Goto(f.callsite));
                }
                *st.reg_mut(0) = Reg::unknown();
            } else {
                // any stack pointer, the caller's too: the kernel is conservative there
                // (prepare_func_exit())
                if r0.ty == RegType::Stack {
                    st.frames.push(f);
                    return Err(self.err(
                        Some(st),
                        Code::PointerLeak,
                        "cannot return stack pointer to the caller".into(),
                    ));
                }
                *st.reg_mut(0) = r0;
            }
            st.clobber_args();
            // references to the dead frame's stack die with it
            st.for_each_reg(|x| {
                if x.ty == RegType::Stack && x.frame as usize > depth as usize - 1 + 1 - 1 && x.frame >= depth {
                    *x = Reg::NOT_INIT;
                }
            });
            return Ok(Next::Goto(f.callsite + 1));
        }
        // kernel/bpf/verifier.c do_check(), BPF_EXIT: the main program may not end inside an RCU
        // read-side section or with preemption disabled
        if st.rcu || st.preempt > 0 {
            let what = if st.rcu { "bpf_rcu_read_lock" } else { "bpf_preempt_disable" };
            let msg = if self.p.profile.resource_leak_msg {
                format!("BPF_EXIT instruction in main prog cannot be used inside {what}-ed region")
            } else if st.rcu {
                "bpf_rcu_read_unlock is missing".to_string()
            } else if st.preempt == 1 {
                "1 bpf_preempt_enable is missing".to_string()
            } else {
                format!("{} bpf_preempt_enable(s) are missing", st.preempt)
            };
            return Err(self.err(Some(st), Code::SpinLock, msg));
        }
        // saved interrupt state is no leaked reference (check_reference_leak() counts
        // REF_TYPE_PTR only) but must be restored before the main program ends
        // (check_resource_leak(): active_irq_id, after the leak check)
        if let Some(e) = st.refs.iter().find(|e| e.irq == 0) {
            return Err(self.err(
                Some(st),
                Code::RefLeak,
                if self.p.profile.resource_leak_msg {
                    "BPF_EXIT instruction in main prog would lead to reference leak".to_string()
                } else {
                    format!("Unreleased reference id={} alloc_insn={}", e.id, e.insn)
                },
            ));
        }
        if st.active_irq().is_some() {
            return Err(self.err(
                Some(st),
                Code::SpinLock,
                "BPF_EXIT instruction in main prog cannot be used inside bpf_local_irq_save-ed region".into(),
            ));
        }
        let r0 = *st.reg(0);
        if !(r0.is_init() || self.p.permissive && self.p.prog_type == ProgType::STRUCT_OPS) {
            return Err(self.err(Some(st), Code::UninitReg, "R0 !read_ok".into()));
        }
        // a global subprogram returns a scalar, whatever the program type (check_return_code())
        if self.in_global.is_some() {
            if !r0.is_scalar() {
                return Err(self.err(
                    Some(st),
                    Code::ReturnValue,
                    format!("At subprogram exit the register R0 is not a scalar value ({})", r0.type_name()),
                ));
            }
            return Ok(Next::Exit);
        }
        if let Some((lo, hi)) = ctx::return_range(self.p.prog_type, self.p.attach_type) {
            self.want_precise(st, 0);
            if !r0.is_scalar() {
                return Err(self.err(
                    Some(st),
                    Code::ReturnValue,
                    format!("At program exit the register R0 is not a known value ({})", r0.type_name()),
                ));
            }
            if r0.val.smin < lo || r0.val.smax > hi {
                return Err(self.err(
                    Some(st),
                    Code::ReturnValue,
                    format!("At program exit the register R0 has {} should have been in [{lo}, {hi}]", r0.describe()),
                ));
            }
        }
        Ok(Next::Exit)
    }
}

/// LD_ABS/LD_IND and tail calls in a subprogram need it to return an integer, known from BTF
/// (kernel/bpf/verifier.c, check_btf_func(), check_abnormal_return()).
pub(super) fn subprog_return_rules(p: &Program, cfg: &Cfg) -> Option<Diag> {
    let has_btf = !p.func_sigs.is_empty();
    for sp in cfg.subprogs.iter().skip(1) {
        let mut what = None;
        for pc in sp.start..sp.end.min(p.slots.len()) {
            if let Slot::Insn(insn, _) = p.slots[pc] {
                match insn.op {
                    Op::LdAbsB | Op::LdAbsH | Op::LdAbsW | Op::LdIndB | Op::LdIndH | Op::LdIndW => {
                        what = Some(("LD_ABS", pc));
                        break;
                    }
                    Op::Call if insn.imm == 12 && !p.kfuncs.contains_key(&pc) && what.is_none() => {
                        what = Some(("tail_call", pc))
                    }
                    _ => {}
                }
            }
        }
        let Some((what, pc)) = what else { continue };
        let msg = if !has_btf {
            if !p.permissive {
                continue;
            }
            format!("{what} is not allowed in subprogs without BTF")
        } else if p.func_sigs.iter().find(|s| s.start == sp.start).is_some_and(|s| !s.ret_scalar) {
            format!("{what} is only allowed in functions that return 'int'.")
        } else {
            continue;
        };
        return Some(Diag::new(pc, Code::BadCall, msg, String::new()));
    }
    None
}
