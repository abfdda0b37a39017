//! Stack liveness: which stack slots of a saved state some later instruction reads, so that
//! pruning ignores the slots nothing reads again (kernel/bpf/verifier.c up to 6.16:
//! mark_reg_read(), propagate_liveness() and stacksafe()'s `REG_LIVE_READ` test; 6.18 computes
//! the same facts in kernel/bpf/liveness.c).
//!
//! The rules, as the kernel has them:
//! - a read of a stack slot (a fill, a helper or kfunc reading memory, an iterator or dynptr
//!   used) marks the slot read in the path's checkpoint and in each checkpoint before it, up
//!   to the segment where the path wrote the whole slot (an 8-byte store: narrower stores and
//!   helpers writing memory do not hide an older value);
//! - a new frame hides the checkpoints before it: its slots are new;
//! - a path pruned by a saved state reads what that state's continuations read: the saved
//!   state's marks are marked again on the path;
//! - a saved state covers another (not exactly) ignoring its unread slots.
//!
//! Registers use the static liveness of `cfg.rs`. The marks of a saved state are complete only
//! once every path below it is done, and only if none of those paths was cut at an unfinished
//! loop head (its marks are not final): a state inside such a loop (`loop_entry`) is compared
//! with all its slots, and a path cut at a loop head or pruned by such a state marks every
//! slot read.

use super::*;

/// Frames whose slots are tracked (the kernel's MAX_CALL_FRAMES); deeper frames, and slots
/// past the 64th, are always compared.
pub(super) const LIVE_FRAMES: usize = 8;

/// A set of stack slots per frame: bit `i` of `[f]` is slot `i` (`fp-8*(i+1)..fp-8*i`) of
/// frame `f`.
pub(super) type SlotSet = [u64; LIVE_FRAMES];

pub(super) const ALL_SLOTS: SlotSet = [u64::MAX; LIVE_FRAMES];

/// The slots covering stack bytes `lo..hi` (offsets from the frame pointer, negative).
fn slot_bits(lo: i64, hi: i64) -> u64 {
    if hi <= lo || hi > 0 {
        return if hi > lo { u64::MAX } else { 0 };
    }
    let first = ((-hi) / 8) as u64; // slot of byte hi - 1
    let last = ((-lo - 1) / 8) as u64; // slot of byte lo
    if first >= 64 {
        return 0;
    }
    let last = last.min(63);
    let upper = if last == 63 { u64::MAX } else { (1u64 << (last + 1)) - 1 };
    upper & !((1u64 << first) - 1)
}

impl Verifier<'_> {
    /// The current instruction reads stack bytes `lo..hi` of frame `frame`.
    pub(super) fn note_stack_read(&mut self, frame: usize, lo: i64, hi: i64) {
        if frame < LIVE_FRAMES {
            self.step_reads[frame] |= slot_bits(lo, hi);
        }
    }

    /// The current instruction wrote the whole 8-byte slot at `off` of frame `frame`.
    pub(super) fn note_stack_written(&mut self, frame: usize, off: i32) {
        if frame < LIVE_FRAMES && off % 8 == 0 {
            self.step_writes[frame] |= slot_bits(off as i64, off as i64 + 8);
        }
    }

    /// Mark `reads` (not hidden by `written`, the path's writes since `cp`) read in checkpoint
    /// `cp` and the ones before it.
    pub(super) fn mark_stack_reads(&mut self, cp: Option<usize>, written: &SlotSet, reads: &SlotSet) {
        for f in 0..LIVE_FRAMES {
            let mut bits = reads[f] & !written[f];
            let mut c = cp;
            while bits != 0 {
                let Some(x) = c else { break };
                // a slot already marked here was marked in the states before it too
                bits &= !self.stack_read[x][f];
                self.stack_read[x][f] |= bits;
                bits &= !self.seg_written[x][f];
                c = self.checkpoints[x].parent;
            }
        }
    }

    /// After an instruction of `path` (with `depth` frames before it): its reads marked, its
    /// writes recorded, and the frames it created or left made new.
    pub(super) fn note_step_liveness(&mut self, path: &mut Path, depth: usize) {
        let reads = std::mem::take(&mut self.step_reads);
        if reads.iter().any(|&r| r != 0) {
            self.mark_stack_reads(path.cp, &path.written, &reads);
        }
        let writes = std::mem::take(&mut self.step_writes);
        for (w, s) in path.written.iter_mut().zip(writes) {
            *w |= s;
        }
        // A frame created or left: its index holds a new frame's slots from now on. (A frame
        // replaced at the same depth is not hidden: its reads mark the old frame's slots too,
        // which only prunes less.)
        let now = path.state.frames.len();
        if now != depth {
            for w in path.written.iter_mut().skip(now.min(depth)) {
                *w = u64::MAX;
            }
        }
    }

    /// The slots of checkpoint `c` that pruning must compare: the ones read after it, or all
    /// of them when its marks may be incomplete or the comparison is exact.
    pub(super) fn live_slots(&self, c: usize, exact: bool) -> SlotSet {
        if exact || self.checkpoints[c].loop_entry.is_some() {
            ALL_SLOTS
        } else {
            self.stack_read[c]
        }
    }

    /// A path cut at checkpoint `c` (pruned, or at a loop head) reads what `c`'s continuations
    /// read.
    pub(super) fn inherit_stack_reads(&mut self, c: usize, path: &Path, loop_head: bool) {
        let reads = if loop_head { ALL_SLOTS } else { self.live_slots(c, false) };
        self.mark_stack_reads(path.cp, &path.written, &reads);
    }
}

#[cfg(test)]
mod tests {
    use super::slot_bits;

    #[test]
    fn slots_of_byte_ranges() {
        assert_eq!(slot_bits(-8, 0), 1);
        assert_eq!(slot_bits(-16, -8), 2);
        assert_eq!(slot_bits(-9, -8), 2);
        assert_eq!(slot_bits(-12, -4), 3);
        assert_eq!(slot_bits(-512, 0), u64::MAX);
        assert_eq!(slot_bits(-512, -504), 1 << 63);
        assert_eq!(slot_bits(-4, -4), 0);
        // past the tracked slots: nothing recorded (those slots are always compared)
        assert_eq!(slot_bits(-600, -520), 0);
    }
}
