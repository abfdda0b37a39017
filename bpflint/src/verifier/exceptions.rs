//! BPF exceptions: the exception callback a program names with an `exception_callback:NAME`
//! declaration tag on its main function. The kernel takes one such tag, wants a global function
//! returning an integer and taking a single integer (the cookie of `bpf_throw`), verifies it on
//! its own as a callback (it cannot throw), and refuses any direct call of it
//! (kernel/bpf/verifier.c: find_exception_callback_insn_off(), do_check_common() with
//! in_exception_callback_fn, check_max_stack_depth_subprog(); kernel/bpf/btf.c
//! btf_prepare_func_args()).

use super::*;
use crate::program::GlobalArg;

impl Verifier<'_> {
    /// Before anything is verified: one tag at most (find_exception_callback_insn_off()).
    pub(super) fn exception_cb_tags(&self) -> R<()> {
        if self.p.exception_cb_tags > 1 {
            return Err(Diag::new(
                0,
                Code::BadCall,
                "multiple exception callback tags for main subprog".into(),
                String::new(),
            ));
        }
        Ok(())
    }

    /// After the program and its global functions: the callback's prototype, the callback on
    /// its own, and no call of it.
    pub(super) fn exception_cb(&mut self) -> R<()> {
        let Some(start) = self.p.exception_cb else { return Ok(()) };
        let Some(sub) = self.cfg.subprog_of_start(start) else { return Ok(()) };
        let Some(sig) = self.p.func_sigs.iter().find(|s| s.start == start).cloned() else { return Ok(()) };
        let fail = |pc: usize, msg: String| Err(Diag::new(pc, Code::BadCall, msg, String::new()));
        if !sig.global {
            return fail(start, format!("exception callback '{}' must have global linkage", sig.name));
        }
        // btf_prepare_func_args(): like every global function, an integer return
        if !sig.ret_scalar {
            return fail(
                start,
                format!("Global function {}() doesn't return scalar. Only those are supported.", sig.name),
            );
        }
        // do_check_common(): a single scalar argument
        if sig.params.len() != 1 || sig.params[0] != GlobalArg::Scalar {
            return fail(start, "exception cb only supports single integer argument".into());
        }
        let mut f = Frame::new(usize::MAX, sub);
        f.regs[1] = Reg::unknown();
        f.regs[10] = Reg::ptr(RegType::Stack);
        // a callback: bpf_throw is refused inside (check_kfunc_call())
        f.callback_ret = Some((i64::MIN, i64::MAX));
        self.in_global = Some(sub);
        self.explore(start, State::new(f))?;
        self.in_global = None;
        // check_max_stack_depth_subprog(): the exception callback is never called directly
        for (pc, slot) in self.p.slots.iter().enumerate() {
            if let Slot::Insn(i, _) = slot {
                if i.op == Op::CallLocal && pc as i64 + i.imm + 1 == start as i64 {
                    self.pc = pc;
                    return fail(pc, format!("insn {pc} cannot call exception cb directly"));
                }
            }
        }
        Ok(())
    }
}
