//! Dynptrs (`struct bpf_dynptr`, 16 bytes = two stack slots): created by
//! `bpf_dynptr_from_mem` / `bpf_ringbuf_reserve_dynptr` / `bpf_dynptr_from_skb|xdp` on
//! uninitialised slots, used by the helpers and kfuncs that take an initialised one, released by
//! `bpf_ringbuf_submit|discard_dynptr` (kernel/bpf/verifier.c: process_dynptr_func(),
//! mark_stack_slots_dynptr(), destroy_if_dynptr_stack_slot(), is_dynptr_reg_valid_init(),
//! unmark_stack_slots_dynptr()). A ring buffer dynptr is a reference; overwriting one is refused,
//! overwriting any other destroys it and the slices taken from it.

use super::*;
use crate::domain::state::{DYNPTR_LOCAL, DYNPTR_RINGBUF, DYNPTR_SKB, DYNPTR_XDP};

/// How a call uses a dynptr argument.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum DynptrUse {
    /// Creates one of this type in uninitialised slots (`MEM_UNINIT`).
    Create(u32),
    /// Needs an initialised one (of this type, 0: any).
    Read(u32),
    /// Needs an initialised referenced one and releases it.
    Release,
}

pub(super) fn type_name(t: u32) -> &'static str {
    match t {
        DYNPTR_LOCAL => "local",
        DYNPTR_RINGBUF => "ringbuf",
        DYNPTR_SKB => "skb",
        DYNPTR_XDP => "xdp",
        _ => "unknown",
    }
}

/// The dynptr arguments of helpers: (argument register, use).
pub(super) fn helper_dynptr_args(id: u32) -> &'static [(u8, DynptrUse)] {
    match id {
        197 => &[(4, DynptrUse::Create(DYNPTR_LOCAL))],
        198 => &[(4, DynptrUse::Create(DYNPTR_RINGBUF))],
        199 | 200 => &[(1, DynptrUse::Release)],
        201 => &[(3, DynptrUse::Read(0))],
        202 | 203 => &[(1, DynptrUse::Read(0))],
        _ => &[],
    }
}

/// The dynptr arguments of kfuncs.
pub(super) fn kfunc_dynptr_args(name: &str) -> &'static [(u8, DynptrUse)] {
    match name {
        "bpf_dynptr_from_skb" => &[(3, DynptrUse::Create(DYNPTR_SKB))],
        "bpf_dynptr_from_xdp" => &[(3, DynptrUse::Create(DYNPTR_XDP))],
        "bpf_dynptr_slice"
        | "bpf_dynptr_slice_rdwr"
        | "bpf_dynptr_adjust"
        | "bpf_dynptr_is_null"
        | "bpf_dynptr_is_rdonly"
        | "bpf_dynptr_size" => &[(1, DynptrUse::Read(0))],
        // the clone gets the type and reference of its source (handled by the caller)
        "bpf_dynptr_clone" => &[(1, DynptrUse::Read(0))],
        _ => &[],
    }
}

impl Verifier<'_> {
    /// Where a dynptr argument points: (frame, fp offset of its first slot).
    fn dynptr_slots(&self, st: &State, regno: u8) -> R<(usize, i32)> {
        let r = *st.reg(regno);
        if r.ty != RegType::Stack {
            return Err(self.err(
                Some(st),
                Code::ArgType,
                format!("arg#{} expected pointer to stack or const struct bpf_dynptr", regno - 1),
            ));
        }
        if !r.val.is_const() {
            return Err(self.err(Some(st), Code::ArgType, "dynptr has to be at a constant offset".into()));
        }
        let o = r.off + r.val.smin as i32;
        if o % 8 != 0 || o > -16 || o < -self.p.profile.max_stack {
            return Err(self.err(Some(st), Code::ArgType, format!("cannot pass in dynptr at an offset={o}")));
        }
        Ok((r.frame as usize, o))
    }

    /// The dynptr state at (frame, o) if both slots hold one starting there.
    fn dynptr_at(st: &State, frame: usize, o: i32) -> Option<Reg> {
        let fr = &st.frames[frame];
        let (a, b) = (fr.slot(o)?, fr.slot(o + 8)?);
        let all = |s: &StackSlot| s.bytes.iter().all(|x| *x == SlotByte::Dynptr);
        (all(a) && all(b) && a.spilled.range == 1).then_some(a.spilled)
    }

    /// A write touches the stack slot at `so`: a dynptr there is destroyed, or the write refused
    /// when it is a reference (destroy_if_dynptr_stack_slot()).
    pub(super) fn destroy_dynptr_slot(&mut self, st: &mut State, frame: usize, so: i32) -> R<()> {
        let so = so.div_euclid(8) * 8;
        let fr = &st.frames[frame];
        let Some(s) = fr.slot(so) else { return Ok(()) };
        if s.bytes[0] != SlotByte::Dynptr {
            return Ok(());
        }
        let first = if s.spilled.range == 1 { so } else { so - 8 };
        let d = fr.slot(first).map(|s| s.spilled).unwrap_or_default();
        if d.ref_id != 0 {
            return Err(self.err(Some(st), Code::RefLeak, "cannot overwrite referenced dynptr".into()));
        }
        for x in [first, first + 8] {
            *st.frames[frame].slot_mut(x) = Default::default();
        }
        let id = d.id;
        st.for_each_reg(|r| {
            if r.ty == RegType::Mem && r.parent == id {
                *r = Reg::unknown();
            }
        });
        Ok(())
    }

    /// Check (and apply) one dynptr argument. Returns the dynptr read (for slices and clones).
    pub(super) fn dynptr_arg(&mut self, st: &mut State, regno: u8, u: DynptrUse) -> R<Option<Reg>> {
        // a dynptr passed in by pointer (a global function's argument, a callback's): not modelled
        if self.p.permissive && st.reg(regno).ty == RegType::BtfId {
            return Ok(None);
        }
        if st.reg(regno).ty == RegType::Dynptr {
            return self.const_dynptr_arg(st, regno, u);
        }
        let (frame, o) = self.dynptr_slots(st, regno)?;
        match u {
            DynptrUse::Create(t) => {
                self.destroy_dynptr_slot(st, frame, o)?;
                self.destroy_dynptr_slot(st, frame, o + 8)?;
                self.note_depth(st, frame, o);
                let id = self.new_id();
                let ref_id = if t == DYNPTR_RINGBUF {
                    let r = self.new_id();
                    st.refs.push(RefEntry::ptr(r, self.pc));
                    r
                } else {
                    0
                };
                for (x, first) in [(o, 1), (o + 8, 0)] {
                    let s = st.frames[frame].slot_mut(x);
                    s.bytes = [SlotByte::Dynptr; 8];
                    s.spilled = Reg { ty: RegType::Dynptr, subprog: t, range: first, id, ref_id, ..Reg::NOT_INIT };
                    self.note_stack_written(frame, x);
                }
                Ok(None)
            }
            DynptrUse::Read(_) | DynptrUse::Release => {
                self.note_stack_read(frame, o as i64, o as i64 + 16);
                let Some(d) = Self::dynptr_at(st, frame, o) else {
                    return Err(self.err(
                        Some(st),
                        Code::ArgType,
                        format!("Expected an initialized dynptr as arg #{}", regno - 1),
                    ));
                };
                if let DynptrUse::Read(t) = u {
                    if t != 0 && d.subprog != t {
                        return Err(self.err(
                            Some(st),
                            Code::ArgType,
                            format!("Expected a dynptr of type {} as arg #{}", type_name(t), regno - 1),
                        ));
                    }
                    return Ok(Some(d));
                }
                if d.ref_id == 0 {
                    return Err(self.err(Some(st), Code::RefLeak, format!("arg {regno} is an unacquired reference")));
                }
                for x in [o, o + 8] {
                    *st.frames[frame].slot_mut(x) = Default::default();
                }
                // its clones share the reference and go with it (unmark_stack_slots_dynptr():
                // every slot of that ref_obj_id is invalidated)
                let rid = d.ref_id;
                for fr in &mut st.frames {
                    fr.stack.update(|s| {
                        if s.bytes[0] == SlotByte::Dynptr && s.spilled.ref_id == rid {
                            *s = Default::default();
                        }
                    });
                }
                st.release_ref(rid);
                Ok(Some(d))
            }
        }
    }

    /// A dynptr argument given as a pointer to a const dynptr (the one a
    /// `bpf_user_ringbuf_drain` callback receives, `CONST_PTR_TO_DYNPTR`): at offset 0, never
    /// re-created nor released (kernel/bpf/verifier.c: check_func_arg_reg_off(),
    /// __check_ptr_off_reg(), check_func_arg() "skip_type_check", process_dynptr_func()).
    fn const_dynptr_arg(&mut self, st: &mut State, regno: u8, u: DynptrUse) -> R<Option<Reg>> {
        let r = *st.reg(regno);
        if r.off < 0 {
            let msg = format!("negative offset dynptr_ptr ptr R{regno} off={} disallowed", r.off);
            return Err(self.err(Some(st), Code::PointerArith, msg));
        }
        if !r.val.is_const() {
            let msg = format!("variable dynptr_ptr access var_off disallowed (R{regno})");
            return Err(self.err(Some(st), Code::PointerArith, msg));
        }
        let off = r.off as i64 + r.val.smin;
        if off != 0 {
            let msg = format!("dereference of modified dynptr_ptr ptr R{regno} off={off} disallowed");
            return Err(self.err(Some(st), Code::PointerArith, msg));
        }
        match u {
            DynptrUse::Release => {
                Err(self.err(Some(st), Code::RefLeak, "cannot release unowned const bpf_dynptr".into()))
            }
            DynptrUse::Create(_) => {
                Err(self.err(Some(st), Code::ArgType, "Dynptr has to be an uninitialized dynptr".into()))
            }
            DynptrUse::Read(t) => {
                if t != 0 && r.subprog != t {
                    return Err(self.err(
                        Some(st),
                        Code::ArgType,
                        format!("Expected a dynptr of type {} as arg #{}", type_name(t), regno - 1),
                    ));
                }
                Ok(Some(r))
            }
        }
    }

    /// The const dynptr a `bpf_user_ringbuf_drain` callback gets in R1: a local dynptr
    /// (kernel/bpf/verifier.c: set_user_ringbuf_callback_state(), mark_dynptr_cb_reg()).
    pub(super) fn const_dynptr_reg(&mut self) -> Reg {
        Reg { subprog: DYNPTR_LOCAL, range: 1, id: self.new_id(), rdonly: true, ..Reg::ptr(RegType::Dynptr) }
    }

    /// The dynptr rules of particular helpers, after the argument checks; true when the call
    /// changes packet data (kernel/bpf/verifier.c check_helper_call(): BPF_FUNC_dynptr_from_mem
    /// takes map values only, BPF_FUNC_dynptr_write to an skb dynptr sets changes_data).
    pub(super) fn dynptr_helper_checks(&mut self, st: &State, id: u32, dynptr: Option<Reg>) -> R<bool> {
        if id == 197 && st.reg(1).ty != RegType::MapValue && !(self.p.permissive && st.reg(1).ty == RegType::BtfId) {
            let msg = format!("Unsupported reg type {} for bpf_dynptr_from_mem data", st.reg(1).type_name());
            return Err(self.err(Some(st), Code::ArgType, msg));
        }
        Ok(id == 202 && dynptr.is_some_and(|d| d.subprog == DYNPTR_SKB))
    }

    /// Packet data may have moved: the slices of skb and xdp dynptrs go with the packet
    /// pointers (kernel/bpf/verifier.c clear_all_pkt_pointers(), reg_is_dynptr_slice_pkt()).
    pub(super) fn clear_pkt_slices(st: &mut State) {
        let mut ids = Vec::new();
        for fr in &st.frames {
            for s in fr.stack.iter() {
                let d = s.spilled;
                if s.bytes[0] == SlotByte::Dynptr && matches!(d.subprog, DYNPTR_SKB | DYNPTR_XDP) && d.id != 0 {
                    ids.push(d.id);
                }
            }
        }
        if ids.is_empty() {
            return;
        }
        st.for_each_reg(|r| {
            if r.ty == RegType::Mem && r.parent != 0 && ids.contains(&r.parent) {
                *r = Reg::unknown();
            }
        });
    }

    /// `bpf_dynptr_clone(src, clone)`: the clone shares the source's type and reference.
    pub(super) fn dynptr_clone(&mut self, st: &mut State, src: Reg) -> R<()> {
        let (frame, o) = self.dynptr_slots(st, 2)?;
        self.destroy_dynptr_slot(st, frame, o)?;
        self.destroy_dynptr_slot(st, frame, o + 8)?;
        self.note_depth(st, frame, o);
        let id = self.new_id();
        for (x, first) in [(o, 1), (o + 8, 0)] {
            let s = st.frames[frame].slot_mut(x);
            s.bytes = [SlotByte::Dynptr; 8];
            s.spilled = Reg { range: first, id, ..src };
            self.note_stack_written(frame, x);
        }
        Ok(())
    }
}
