//! Precision tracking: which scalars must be exact for pruning to be sound, found by walking the
//! instructions of a path backwards (kernel/bpf/verifier.c: backtrack_insn(), __mark_chain_precision(),
//! mark_all_scalars_precise()).

use super::*;

impl Verifier<'_> {
    /// Mark what `m` names (values before the instruction after `hist`) precise in the
    /// checkpoints of a path whose history since checkpoint `cp` is `hist`; `cur` is the
    /// path's innermost frame.
    pub(super) fn backtrack(&mut self, hist: &[Step], mut cp: Option<usize>, cur: usize, mut m: Masks) {
        if cur >= MAX_FRAMES {
            self.mark_all_precise(cp);
            return;
        }
        for s in hist.iter().rev() {
            if self.bt_step(s, &mut m, cur).is_err() {
                self.mark_all_precise(cp);
                return;
            }
            if m.is_empty() {
                return;
            }
        }
        while let Some(c) = cp {
            match mark_in_state(&mut self.checkpoints[c].state, &mut m) {
                None => {
                    self.mark_all_precise(Some(c));
                    return;
                }
                Some(false) => return,
                Some(true) => {}
            }
            if m.is_empty() {
                return;
            }
            for i in (0..self.checkpoints[c].hist.len()).rev() {
                let s = self.checkpoints[c].hist[i];
                if self.bt_step(&s, &mut m, cur).is_err() {
                    self.mark_all_precise(Some(c));
                    return;
                }
                if m.is_empty() {
                    return;
                }
            }
            cp = self.checkpoints[c].parent;
        }
    }

    /// Undo one instruction: which registers/slots held what `m` needs before it ran.
    /// `Err`: the walk cannot follow this instruction.
    pub(super) fn bt_step(&self, s: &Step, m: &mut Masks, cur: usize) -> Result<(), ()> {
        if s.frame_change {
            return Err(());
        }
        let (insn, _) = self.insn(s.pc as usize);
        let code = insn.form().code;
        let class = code & 7;
        let op = code & 0xf0;
        let x = code & 0x08 != 0;
        let d = 1u16 << (insn.dst & 15);
        let sr = 1u16 << (insn.src & 15);
        let slot_bit = |m: &Masks| {
            s.slot != NO_SLOT && (s.frame as usize) < MAX_FRAMES && m.slots[s.frame as usize] >> s.slot & 1 != 0
        };
        let regs = m.regs[cur];
        match class {
            // ALU, ALU64
            4 | 7 => {
                if regs & d == 0 {
                    return Ok(());
                }
                match op {
                    0x80 | 0xd0 => {} // neg, byte swaps: dst from dst
                    0xb0 => {
                        // mov (and movsx): dst from src, or a constant
                        m.regs[cur] &= !d;
                        if x && insn.op != Op::AddrSpaceCast {
                            m.regs[cur] |= sr;
                        }
                    }
                    _ => {
                        if x {
                            m.regs[cur] |= sr;
                        }
                    }
                }
            }
            // LDX
            1 => {
                if regs & d == 0 {
                    return Ok(());
                }
                m.regs[cur] &= !d;
                if s.slot != NO_SLOT && (s.frame as usize) < MAX_FRAMES {
                    m.slots[s.frame as usize] |= 1 << s.slot;
                }
            }
            // ST, STX (and atomics)
            2 | 3 => {
                if regs & d != 0 {
                    return Err(()); // a scalar used as the address: pointer subtraction
                }
                let atomic = class == 3 && code & 0xe0 == 0xc0;
                if atomic {
                    let fetch = insn.imm & 1 != 0;
                    let cmpxchg = insn.imm == 0xf1;
                    let load = if cmpxchg {
                        1u16
                    } else if fetch {
                        sr
                    } else {
                        0
                    };
                    if regs & load != 0 {
                        // the old memory value: from the slot when it is a stack slot
                        m.regs[cur] &= !load;
                        if s.slot != NO_SLOT && (s.frame as usize) < MAX_FRAMES {
                            m.slots[s.frame as usize] |= 1 << s.slot;
                        }
                    }
                    if slot_bit(m) {
                        // the new slot value depends on the old one and the operands
                        m.regs[cur] |= sr | if cmpxchg { 1 } else { 0 };
                    }
                    return Ok(());
                }
                if slot_bit(m) {
                    m.slots[s.frame as usize] &= !(1u64 << s.slot);
                    if class == 3 {
                        m.regs[cur] |= sr;
                    }
                }
            }
            // JMP, JMP32
            5 | 6 => match op {
                0x80 => {
                    // helper or kfunc (local calls and callbacks change frames): r0 is new,
                    // r1-r5 are clobbered
                    m.regs[cur] &= !1;
                    if m.regs[cur] & 0x3e != 0 {
                        return Err(());
                    }
                }
                0x90 => return Err(()),
                0x00 | 0xe0 => {} // ja, may_goto
                _ => {
                    let mut ops = d | if x { sr } else { 0 };
                    let linked = s.linked_regs != 0 || s.linked_slots != 0;
                    if linked && (regs & (ops | s.linked_regs) != 0 || m.slots[cur] & s.linked_slots != 0) {
                        ops |= s.linked_regs;
                        m.regs[cur] |= ops;
                        m.slots[cur] |= s.linked_slots;
                    } else if x && regs & ops != 0 {
                        m.regs[cur] |= ops;
                    }
                }
            },
            // LD: ld_imm64 gives a constant; ld_abs/ld_ind load packet data into r0 and
            // clobber r1-r5
            _ => {
                if insn.op == Op::LdImm64 {
                    m.regs[cur] &= !d;
                } else if regs & 0x3f != 0 {
                    return Err(());
                }
            }
        }
        Ok(())
    }

    /// Every scalar of checkpoint `cp` and its ancestors becomes precise.
    pub(super) fn mark_all_precise(&mut self, mut cp: Option<usize>) {
        while let Some(c) = cp {
            let e = &mut self.checkpoints[c];
            if e.all_precise {
                break;
            }
            e.all_precise = true;
            e.state.for_each_reg(|r| {
                if r.is_scalar() {
                    r.precise = true;
                }
            });
            cp = e.parent;
        }
    }

    /// After pruning against checkpoint `c`: the precise scalars of its state that may still
    /// be read must be precise along the pruned path too.
    pub(super) fn propagate_precision(&mut self, c: usize, path: &Path) {
        let mut m = Masks::default();
        let old = &self.checkpoints[c].state;
        let n = old.frames.len();
        for (fi, f) in old.frames.iter().enumerate().take(MAX_FRAMES) {
            let at = if fi + 1 == n { path.pc } else { old.frames[fi + 1].callsite + 1 };
            for r in 0..10u8 {
                let reg = &f.regs[r as usize];
                if reg.is_scalar() && reg.precise && self.cfg.live_in(at, r) {
                    m.regs[fi] |= 1 << r;
                }
            }
            for (i, sl) in f.stack.iter().enumerate().take(64) {
                let p = |r: &Reg| r.is_scalar() && r.precise;
                if sl.bytes[0] == SlotByte::Spill && p(&sl.spilled) {
                    m.slots[fi] |= 1 << i;
                }
            }
        }
        if !m.is_empty() {
            self.backtrack(&path.hist, path.cp, path.state.frames.len() - 1, m);
        }
    }

    /// Ask for register `r` of the current frame to be precise (if it holds a scalar).
    pub(super) fn want_precise(&mut self, st: &State, r: u8) {
        if r < 10 && st.reg(r).is_scalar() {
            self.want.push((st.frames.len() - 1, r));
        }
    }
}

/// Mark what `m` names precise in `st` (a checkpoint on the path), dropping what is not a
/// scalar there. `Some(true)` when a mark was new (the walk must go on to older states),
/// `Some(false)` when all were already set, `None` when a slot does not exist in `st` (the
/// walk missed the store that created it).
pub(super) fn mark_in_state(st: &mut State, m: &mut Masks) -> Option<bool> {
    let mut new = false;
    for f in 0..MAX_FRAMES {
        if m.regs[f] == 0 && m.slots[f] == 0 {
            continue;
        }
        let fr = st.frames.get_mut(f)?;
        for r in 0..11usize {
            if m.regs[f] >> r & 1 == 0 {
                continue;
            }
            let reg = &mut fr.regs[r];
            if !reg.is_scalar() {
                m.regs[f] &= !(1 << r);
                continue;
            }
            new |= !reg.precise;
            reg.precise = true;
        }
        for i in 0..64usize {
            if m.slots[f] >> i & 1 == 0 {
                continue;
            }
            // a copy first: the slot's chunk is unshared only when a mark is new
            let mut sl = *fr.stack.get(i)?;
            let before = sl;
            let sl = &mut sl;
            let mut any = false;
            if sl.bytes[0] == SlotByte::Spill && sl.spilled.is_scalar() {
                new |= !sl.spilled.precise;
                sl.spilled.precise = true;
                any = true;
            }
            if !any {
                m.slots[f] &= !(1 << i);
            }
            if *sl != before {
                *fr.stack.get_mut(i).expect("slot") = *sl;
            }
        }
    }
    Some(new)
}
