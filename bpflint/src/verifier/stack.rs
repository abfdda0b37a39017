//! The stack: spills and fills, partial writes, stack depth per subprogram (kernel/bpf/verifier.c:
//! check_stack_write_fixed_off(), check_stack_write_var_off(), check_stack_read_fixed_off()).

use super::*;

impl Verifier<'_> {
    pub(super) fn note_depth(&mut self, st: &State, frame: usize, o: i32) {
        let sub = st.frames[frame].subprog;
        let d = -o;
        if d > self.stack_depth[sub] {
            self.stack_depth[sub] = d;
        }
    }

    pub(super) fn stack_write(&mut self, st: &mut State, frame: usize, o: i32, size: u32, val: Reg) -> R<()> {
        self.note_depth(st, frame, o);
        self.destroy_dynptr_slot(st, frame, o)?;
        self.destroy_dynptr_slot(st, frame, o + size as i32 - 1)?;
        if val.ty == RegType::Stack && frame + 1 != st.frames.len() {
            return Err(Diag::new(
                self.pc,
                Code::PointerLeak,
                "cannot spill pointers to stack into stack frame of the caller".into(),
                String::new(),
            ));
        }
        let fr = &mut st.frames[frame];
        if val.is_ptr() && size != 8 {
            return Err(Diag::new(self.pc, Code::SpillSize, "invalid size of register spill".into(), String::new()));
        }
        let s = fr.slot_mut(o);
        if o % 8 == 0 && (val.is_ptr() || val.is_scalar()) {
            // A register (or an immediate) stored at the start of a slot is a spill of its
            // whole state, even a narrow one: the stored bytes are STACK_SPILL, the rest of the
            // slot keeps ZERO/INVALID and is MISC otherwise; a scalar wider than the store
            // loses its id (kernel/bpf/verifier.c: check_stack_write_fixed_off(),
            // save_register_state(), mark_stack_slot_misc()).
            let fits = size == 8 || val.val.umax >> (size * 8) == 0;
            s.spilled = if fits { val } else { Reg { id: 0, ..val } };
            for (i, b) in s.bytes.iter_mut().enumerate() {
                if i < size as usize {
                    *b = SlotByte::Spill;
                } else if !matches!(*b, SlotByte::Zero | SlotByte::Invalid) {
                    *b = SlotByte::Misc;
                }
            }
            return Ok(());
        }
        // A plain write: the slot no longer holds a register; a spill, iterator, dynptr or
        // saved interrupt state in it becomes plain bytes (an overwritten irq flag is not
        // restorable: irq.rs); the written bytes are ZERO for a zero value (whose register
        // must then be precise), MISC otherwise.
        if matches!(s.bytes[0], SlotByte::Spill | SlotByte::Iter | SlotByte::Dynptr | SlotByte::IrqFlag) {
            for b in s.bytes.iter_mut() {
                if *b != SlotByte::Invalid {
                    *b = SlotByte::Misc;
                }
            }
        }
        s.spilled = Reg::NOT_INIT;
        let b = if val.is_null_const() { SlotByte::Zero } else { SlotByte::Misc };
        self.zero_store |= b == SlotByte::Zero;
        for i in 0..size as i32 {
            fr.set_byte(o + i, b);
        }
        Ok(())
    }

    /// A fixed-offset read from the stack (kernel/bpf/verifier.c: check_stack_read_fixed_off()).
    pub(super) fn stack_read(&self, st: &State, frame: usize, regno: u8, o: i32, size: u32) -> R<Reg> {
        let fr = &st.frames[frame];
        let slot = fr.slot(o).copied().unwrap_or_default();
        let rel = o.rem_euclid(8) as usize;
        let narrow = |n: u32| if n >= 8 { Scalar::unknown() } else { Scalar::urange(0, (1u64 << (n * 8)) - 1) };
        let (mut spills, mut zeros) = (0u32, 0u32);
        if slot.bytes[0] == SlotByte::Spill {
            let sp = slot.spilled;
            let spill_size = slot.bytes.iter().take_while(|&&b| b == SlotByte::Spill).count() as u32;
            if size == 8 && spill_size == 8 {
                return Ok(sp);
            }
            if !sp.is_scalar() {
                return Err(self.err(Some(st), Code::SpillSize, "invalid size of register fill".into()));
            }
            if size <= spill_size && rel == 0 {
                // a narrower fill from the start of the spill: the spilled value, cut to the
                // size read; the id survives when the value fits
                let id = if sp.val.umax >> (size * 8) == 0 { sp.id } else { 0 };
                return Ok(Reg { id, ..Reg::scalar(sp.val.truncate(size)) });
            }
        }
        for i in 0..size as usize {
            match slot.bytes.get(rel + i).copied().unwrap_or(SlotByte::Invalid) {
                SlotByte::Spill => spills += 1,
                SlotByte::Misc => {}
                SlotByte::Zero => zeros += 1,
                SlotByte::Invalid if self.p.profile.allow_uninit_stack => {}
                SlotByte::Invalid => {
                    return Err(self.err(
                        Some(st),
                        Code::UninitStack,
                        format!("invalid read from stack R{regno} off {o}+{i} size {size}"),
                    ));
                }
                // an iterator's, dynptr's or irq flag's state is opaque: only MISC/ZERO bytes are readable
                SlotByte::Iter | SlotByte::Dynptr | SlotByte::IrqFlag => {
                    return Err(self.err(
                        Some(st),
                        Code::UninitStack,
                        format!("invalid read from stack off {o}+{i} size {size}"),
                    ));
                }
            }
        }
        // zeros are preserved: a spilled zero or ZERO bytes read in part
        if (spills == size && slot.spilled.is_null_const()) || zeros == size {
            return Ok(Reg::constant(0));
        }
        Ok(Reg::scalar(narrow(size)))
    }
}
