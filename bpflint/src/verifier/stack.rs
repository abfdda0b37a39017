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
        if size == 8 && o % 8 == 0 {
            let s = fr.slot_mut(o);
            s.bytes = [SlotByte::Spill; 8];
            s.spilled = val;
            s.spilled_hi = Reg::NOT_INIT;
            s.wide_lo = false;
            return Ok(());
        }
        // A narrower write breaks any spill it touches into plain bytes.
        for so in [o, o + size as i32 - 1] {
            let s = fr.slot_mut(so);
            let half_spill = s.spilled_hi.is_init() || s.bytes[4] != SlotByte::Spill;
            if s.bytes.contains(&SlotByte::Spill) {
                let lo_spill = s.bytes[0] == SlotByte::Spill;
                if !half_spill && lo_spill {
                    // an 8-byte spill is being partly overwritten
                    for b in s.bytes.iter_mut() {
                        *b = SlotByte::Misc;
                    }
                }
            }
        }
        if size == 4 && o.rem_euclid(8) == 0 && val.is_scalar() && !val.is_null_const() {
            let s = fr.slot_mut(o);
            let lo = o.rem_euclid(8) == 0;
            let range = if lo { 0..4 } else { 4..8 };
            for b in range {
                s.bytes[b] = SlotByte::Spill;
            }
            // the id survives a 32-bit spill of a value that fits in 32 bits
            let id = if val.val.umax <= u32::MAX as u64 { val.id } else { 0 };
            let v = Reg { id, ..Reg::scalar(val.val.truncate(4)) };
            if lo {
                s.spilled = v;
                s.wide_lo = val.val.umax > u32::MAX as u64;
                if s.bytes[4] == SlotByte::Spill && !s.spilled_hi.is_init() {
                    for b in 4..8 {
                        s.bytes[b] = SlotByte::Misc;
                    }
                }
            } else {
                s.spilled_hi = v;
            }
            return Ok(());
        }
        let b = if val.is_null_const() { SlotByte::Zero } else { SlotByte::Misc };
        // Zero bytes are not a spill backtracking can follow into: the stored register's
        // value counts from here (the kernel's STACK_ZERO rule).
        self.zero_store |= b == SlotByte::Zero;
        for i in 0..size as i32 {
            let oo = o + i;
            let s = fr.slot_mut(oo);
            let idx = (oo.rem_euclid(8)) as usize;
            if s.bytes[idx] == SlotByte::Spill {
                // the rest of that 32-bit half is no longer a spill
                let r = if idx < 4 { 0..4 } else { 4..8 };
                for k in r {
                    if s.bytes[k] == SlotByte::Spill {
                        s.bytes[k] = SlotByte::Misc;
                    }
                }
                if idx >= 4 {
                    s.spilled_hi = Reg::NOT_INIT;
                }
            }
            fr.set_byte(oo, b);
        }
        Ok(())
    }

    pub(super) fn stack_read(&self, st: &State, frame: usize, regno: u8, o: i32, size: u32) -> R<Reg> {
        let fr = &st.frames[frame];
        let slot = fr.slot(o).copied().unwrap_or_default();
        let same_slot = (o & !7) == ((o + size as i32 - 1) & !7);
        let all_spill = (0..size as i32).all(|i| fr.byte(o + i) == SlotByte::Spill);
        if all_spill && same_slot {
            let rel = o.rem_euclid(8);
            let full = !slot.spilled_hi.is_init();
            if size == 8 {
                if full {
                    return Ok(slot.spilled);
                }
                let (lo, hi) = (slot.spilled.val, slot.spilled_hi.val);
                if let (Some(a), Some(b)) = (lo.const_value(), hi.const_value()) {
                    return Ok(Reg::constant((a & 0xffff_ffff) | (b << 32)));
                }
                return Ok(Reg::unknown());
            }
            let sp = if rel >= 4 && !full { slot.spilled_hi } else { slot.spilled };
            if sp.is_ptr() {
                return Err(self.err(Some(st), Code::SpillSize, "invalid size of register fill".into()));
            }
            // little endian: the low bytes come first
            let base = if rel >= 4 && !full { 4 } else { 0 };
            if rel == base {
                // a narrower fill keeps the id when the value fits (check_stack_read_fixed_off())
                let id = if sp.val.umax >> (size * 8) == 0 { sp.id } else { 0 };
                return Ok(Reg { id, ..Reg::scalar(sp.val.truncate(size)) });
            }
            return Ok(Reg::scalar(Scalar::urange(0, (1u64 << (size * 8)) - 1)));
        }
        let mut zero = true;
        for i in 0..size as i32 {
            let b = fr.byte(o + i);
            match b {
                SlotByte::Invalid if self.p.profile.allow_uninit_stack => zero = false,
                SlotByte::Invalid => {
                    let _ = regno;
                    return Err(self.err(
                        Some(st),
                        Code::UninitStack,
                        format!("invalid read from stack R{regno} off {}+{} size {}", o, 0, size),
                    ));
                }
                SlotByte::Spill => {
                    let s = fr.slot(o + i).map(|s| s.spilled).unwrap_or_default();
                    if s.is_ptr() {
                        return Err(self.err(Some(st), Code::SpillSize, "invalid size of register fill".into()));
                    }
                    zero = false;
                }
                SlotByte::Zero => {}
                SlotByte::Misc => zero = false,
                // an iterator's state is opaque (kernel/bpf/verifier.c,
                // check_stack_read_fixed_off(): only MISC/ZERO bytes are readable)
                SlotByte::Iter | SlotByte::Dynptr => {
                    return Err(self.err(
                        Some(st),
                        Code::UninitStack,
                        format!("invalid read from stack off {}+{} size {}", o, i, size),
                    ));
                }
            }
        }
        if zero {
            return Ok(Reg::constant(0));
        }
        Ok(Reg::scalar(if size >= 8 { Scalar::unknown() } else { Scalar::urange(0, (1u64 << (size * 8)) - 1) }))
    }
}
