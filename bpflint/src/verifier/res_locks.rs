//! Resilient spin locks (Linux 6.15+): `bpf_res_spin_lock(lock)` may fail (a deadlock or a
//! timeout the kernel detects at run time), so the verifier forks at the call: one path holds
//! the lock and sees 0, the other holds nothing and sees an error in `[-MAX_ERRNO, -1]`. Several
//! locks may be held at once, released innermost first; the `_irqsave` / `_irqrestore` forms
//! also save and restore the interrupt state in an irq flag (irq.rs) (kernel/bpf/verifier.c:
//! check_kfunc_call() KF_bpf_res_spin_lock, process_spin_lock() with PROCESS_RES_LOCK,
//! acquire_lock_state(), find_lock_state(), release_lock_state(), kfunc_spin_allowed()).

use super::*;
use crate::domain::state::IRQ_LOCK;

/// The kfuncs of resilient locks: (name, locks, with the interrupt state).
const RES_LOCK_KFUNCS: &[(&str, bool, bool)] = &[
    ("bpf_res_spin_lock", true, false),
    ("bpf_res_spin_unlock", false, false),
    ("bpf_res_spin_lock_irqsave", true, true),
    ("bpf_res_spin_unlock_irqrestore", false, true),
];

/// Whether `name` is a resilient lock kfunc: (locks, with the interrupt state).
pub(super) fn res_lock_kfunc(name: &str) -> Option<(bool, bool)> {
    RES_LOCK_KFUNCS.iter().find(|(n, ..)| *n == name).map(|&(_, lock, irq)| (lock, irq))
}

/// `-MAX_ERRNO` (include/linux/err.h).
const MAX_ERRNO: i64 = 4095;

impl State {
    /// Any lock held: a `bpf_spin_lock` or resilient ones (the kernel's `active_locks`).
    pub fn holds_lock(&self) -> bool {
        self.spin_lock.is_some() || !self.res_locks.is_empty()
    }
}

impl Verifier<'_> {
    /// The lock argument in R1: a map value or an allocated object, at the constant offset of
    /// its `struct bpf_res_spin_lock` (check_kfunc_args() KF_ARG_PTR_TO_RES_SPIN_LOCK,
    /// process_spin_lock()). Returns the lock's identity.
    fn res_lock_arg(&mut self, st: &State) -> R<(u32, i32)> {
        let reg = self.read_reg(st, 1)?;
        let allocated = reg.ty == RegType::BtfId && reg.ref_id != 0 && !reg.maybe_null;
        if (reg.ty != RegType::MapValue || reg.maybe_null) && !allocated {
            return Err(self.err(
                Some(st),
                Code::SpinLock,
                "arg#0 doesn't point to map value or allocated object".into(),
            ));
        }
        if !reg.val.is_const() {
            return Err(self.err(
                Some(st),
                Code::SpinLock,
                "R1 doesn't have constant offset. bpf_res_spin_lock has to be at the constant offset".into(),
            ));
        }
        // bpflint does not record resilient locks in the program's own allocated types
        let field = if allocated { None } else { self.p.maps[reg.map as usize].res_spin_lock_off };
        let Some(fo) = field else {
            let what = if allocated {
                "local 'kptr'".to_string()
            } else {
                format!("map '{}'", self.p.maps[reg.map as usize].name)
            };
            return Err(self.err(Some(st), Code::SpinLock, format!("{what} has no valid bpf_res_spin_lock")));
        };
        let off = reg.off as i64 + reg.val.smin;
        if off != fo as i64 {
            return Err(self.err(
                Some(st),
                Code::SpinLock,
                format!("off {off} doesn't point to 'struct bpf_res_spin_lock' that is at {fo}"),
            ));
        }
        Ok(Self::lock_identity(&reg, Some(reg.map)))
    }

    /// A call of a resilient lock kfunc (after the checks every kfunc call takes).
    pub(super) fn res_lock_call(&mut self, st: &mut State, lock: bool, irq: bool) -> R<Next> {
        let next = self.pc + 1;
        let ident = self.res_lock_arg(st)?;
        if !lock {
            // release_lock_state() of the same kind, which must be the most recent lock
            let (lo, hi) = (ident.0, ident.1);
            let Some(pos) = st.res_locks.iter().position(|&(m, id, i)| m == lo && id == hi && i == irq) else {
                return Err(self.err(Some(st), Code::SpinLock, "bpf_res_spin_unlock of different lock".into()));
            };
            if pos + 1 != st.res_locks.len() {
                return Err(self.err(Some(st), Code::SpinLock, "bpf_res_spin_unlock cannot be out of order".into()));
            }
            st.res_locks.pop();
            if irq {
                self.irq_flag_arg(st, 1, false, IRQ_LOCK)?;
            }
            if !st.holds_lock() {
                Self::invalidate_non_owning_refs(st);
            }
            st.clobber_args();
            *st.reg_mut(0) = Reg::NOT_INIT;
            return Ok(Next::Goto(next));
        }
        if st.res_locks.iter().any(|&(m, id, _)| (m, id) == ident) {
            return Err(self.err(
                Some(st),
                Code::SpinLock,
                "Acquiring the same lock again, AA deadlock detected".into(),
            ));
        }
        // the failed acquisition: nothing taken, an error code in R0 (pushed before the
        // arguments are processed)
        let mut failed = st.clone();
        failed.clobber_args();
        let mut err = Scalar::unknown();
        (err.smin, err.smax, err.s32min, err.s32max) = (-MAX_ERRNO, -1, -MAX_ERRNO as i32, -1);
        err.sync();
        *failed.reg_mut(0) = Reg::scalar(err);
        st.res_locks.push((ident.0, ident.1, irq));
        if irq {
            self.irq_flag_arg(st, 1, true, IRQ_LOCK)?;
        }
        st.clobber_args();
        *st.reg_mut(0) = Reg::constant(0);
        Ok(Next::Branch { taken_pc: next, taken: failed, fall_pc: next })
    }
}
