//! Saved interrupt state (Linux 6.14+): `bpf_local_irq_save(&flags)` disables interrupts and
//! keeps the previous state in an 8-byte stack slot, `bpf_local_irq_restore(&flags)` restores
//! it (kernel/bpf/verifier.c: process_irq_flag(), is_irq_flag_reg_valid_uninit(),
//! is_irq_flag_reg_valid_init(), mark_stack_slot_irq_flag(), unmark_stack_slot_irq_flag(),
//! acquire_irq_state(), release_irq_state(), check_resource_leak()).
//!
//! The slot holds `STACK_IRQ_FLAG` bytes (not readable; a plain write turns them into MISC
//! bytes, after which the flag cannot be restored) and a reference of its own kind: saves nest,
//! and only the most recent one still saved may be restored (the kernel's `active_irq_id`).
//! The main program may not exit, nor call a global function that may sleep, nor call a
//! sleepable helper or kfunc, while interrupts are disabled. A subprogram may return with them
//! disabled (its caller restores).

use super::*;
use crate::domain::state::{IRQ_LOCK, IRQ_NATIVE};

/// The kfuncs whose argument is an irq flag (`__irq_flag` in the kernel's prototypes):
/// (name, saves, kfunc class).
const IRQ_KFUNCS: &[(&str, bool, u8)] = &[
    ("bpf_local_irq_save", true, IRQ_NATIVE),
    ("bpf_local_irq_restore", false, IRQ_NATIVE),
    ("bpf_res_spin_lock_irqsave", true, IRQ_LOCK),
    ("bpf_res_spin_unlock_irqrestore", false, IRQ_LOCK),
];

/// Whether `name` takes an irq flag, and how: (saves, class).
pub(super) fn irq_kfunc(name: &str) -> Option<(bool, u8)> {
    IRQ_KFUNCS.iter().find(|(n, ..)| *n == name).map(|&(_, save, class)| (save, class))
}

/// The kernel's name of a kfunc class in its messages (irq_kfunc_class_str()).
fn class_name(class: u8) -> &'static str {
    if class == IRQ_LOCK {
        "lock"
    } else {
        "native"
    }
}

impl State {
    /// The most recent interrupt state still saved (the kernel's `active_irq_id`).
    pub fn active_irq(&self) -> Option<RefEntry> {
        self.refs.iter().rev().find(|e| e.irq != 0).copied()
    }

    /// The region where nothing may sleep that this state is in, as the kernel names it in
    /// its messages (check_helper_call() and check_kfunc_call(): active_rcu_lock,
    /// active_preempt_locks, active_irq_id), or None.
    pub fn non_sleepable_region(&self) -> Option<&'static str> {
        if self.rcu {
            Some("rcu_read_lock region")
        } else if self.preempt > 0 {
            Some("non-preemptible region")
        } else if self.active_irq().is_some() {
            Some("IRQ-disabled region")
        } else {
            None
        }
    }
}

impl Verifier<'_> {
    /// The irq flag argument `arg` (in `R{arg+1}`) of kfunc `name`: saves or restores the
    /// interrupt state in its stack slot (process_irq_flag()).
    pub(super) fn irq_flag_arg(&mut self, st: &mut State, arg: usize, save: bool, class: u8) -> R<()> {
        let regno = arg as u8 + 1;
        let reg = self.read_reg(st, regno)?;
        // check_kfunc_args(), KF_ARG_PTR_TO_IRQ_FLAG
        if reg.ty != RegType::Stack {
            return Err(self.err(Some(st), Code::ArgType, format!("arg#{arg} doesn't point to an irq flag on stack")));
        }
        // irq_flag_get_spi(), stack_slot_obj_get_spi(): one whole slot at a constant offset
        let Some(v) = reg.val.const_value() else {
            return Err(self.err(Some(st), Code::ArgType, "irq flag has to be at a constant offset".into()));
        };
        let o = reg.off + v as i64 as i32;
        if o % 8 != 0 || o < -self.p.profile.max_stack || o + 8 > 0 {
            return Err(self.err(Some(st), Code::ArgType, format!("cannot pass in irq flag at an offset={o}")));
        }
        let frame = reg.frame as usize;
        if save {
            // is_irq_flag_reg_valid_uninit(): no byte of the slot holds a saved state
            let busy = st.frames[frame].slot(o).is_some_and(|s| s.bytes.contains(&SlotByte::IrqFlag));
            if busy {
                return Err(self.err(Some(st), Code::ArgType, format!("expected uninitialized irq flag as arg#{arg}")));
            }
            // check_mem_access(BPF_DW, BPF_WRITE), then mark_stack_slot_irq_flag() and
            // acquire_irq_state(): a reference of its own kind, the active one
            self.stack_write(st, frame, o, 8, Reg::unknown())?;
            self.note_stack_written(frame, o);
            let id = self.new_id();
            let s = st.frames[frame].slot_mut(o);
            s.bytes = [SlotByte::IrqFlag; 8];
            s.spilled = Reg { ref_id: id, subprog: class as u32, ..Reg::NOT_INIT };
            st.refs.push(RefEntry { id, insn: self.pc, irq: class });
            return Ok(());
        }
        // is_irq_flag_reg_valid_init(): all eight bytes hold the saved state
        self.note_stack_read(frame, o as i64, o as i64 + 8);
        let slot = st.frames[frame].slot(o).copied().unwrap_or_default();
        if slot.bytes != [SlotByte::IrqFlag; 8] {
            return Err(self.err(Some(st), Code::ArgType, format!("expected an initialized irq flag as arg#{arg}")));
        }
        // unmark_stack_slot_irq_flag(): saved and restored by the same class of kfuncs
        let saved_by = slot.spilled.subprog as u8;
        if saved_by != class {
            return Err(self.err(
                Some(st),
                Code::ArgType,
                format!(
                    "irq flag acquired by {} kfuncs cannot be restored with {} kfuncs",
                    class_name(saved_by),
                    class_name(class)
                ),
            ));
        }
        // release_irq_state(): only the most recent saved state may be restored
        let rid = slot.spilled.ref_id;
        if let Some(active) = st.active_irq() {
            if active.id != rid {
                return Err(self.err(
                    Some(st),
                    Code::ArgType,
                    format!(
                        "cannot restore irq state out of order, expected id={} acquired at insn_idx={}",
                        active.id, active.insn
                    ),
                ));
            }
        }
        st.refs.retain(|e| e.id != rid);
        *st.frames[frame].slot_mut(o) = Default::default();
        Ok(())
    }
}

impl Verifier<'_> {
    /// Whether subprogram `sub`, or one it calls, calls a helper or kfunc that may sleep, on
    /// any instruction whatever the values (kernel/bpf/verifier.c: the subprogram's
    /// `might_sleep`, set by visit_insn() in check_cfg() and merged from callees).
    pub(super) fn subprog_might_sleep(&self, sub: usize) -> bool {
        let mut seen = vec![false; self.cfg.subprogs.len()];
        let mut work = vec![sub];
        while let Some(s) = work.pop() {
            if std::mem::replace(&mut seen[s], true) {
                continue;
            }
            let sp = &self.cfg.subprogs[s];
            for pc in sp.start..sp.end.min(self.p.slots.len()) {
                let Slot::Insn(i, _) = self.p.slots[pc] else { continue };
                match i.op {
                    Op::Call if crate::helpers::by_id(i.imm as u32).is_some_and(|h| h.might_sleep()) => return true,
                    Op::CallKfunc => {
                        let sleeps = self.p.kfuncs.get(&pc).and_then(|n| crate::kfuncs::find(n));
                        if sleeps.is_some_and(|d| d.flags & crate::kfuncs::flags::SLEEPABLE != 0) {
                            return true;
                        }
                    }
                    Op::CallLocal => {
                        if let Some(t) = self.cfg.subprog_of_start((pc as i64 + i.imm + 1) as usize) {
                            work.push(t);
                        }
                    }
                    _ => {}
                }
            }
        }
        false
    }
}
