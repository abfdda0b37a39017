//! Path exploration and state pruning: the worklist of paths, checkpoints at pruning points, and the
//! comparison of a path with the states already explored at its instruction (kernel/bpf/verifier.c:
//! do_check(), is_state_visited(), states_equal(), update_branch_counts()).

use super::liveness::ALL_SLOTS;
use super::*;

impl Verifier<'_> {
    pub(super) fn explore(&mut self, start: usize, init: State) -> R<()> {
        let mut work: Vec<Path> =
            vec![Path { pc: start, state: init, cp: None, hist: Vec::new(), written: Default::default() }];
        while let Some(mut path) = work.pop() {
            loop {
                self.pc = path.pc;
                self.processed += 1;
                if self.processed > self.p.profile.complexity_limit {
                    return Err(self.err(
                        Some(&path.state),
                        Code::TooComplex,
                        format!("BPF program is too large. Processed {} insn", self.processed),
                    ));
                }
                let loop_head = self.loop_head(path.pc);
                if self.cfg.prune_point[path.pc] || loop_head {
                    let (result, add_new) = self.prune(&path);
                    // the kernel always saves a state at a loop head (is_force_checkpoint())
                    let add_new = add_new || loop_head;
                    match result {
                        PruneResult::Pruned(c) => {
                            // The old state's verification relied on its precise scalars: so
                            // does this path's, back to its checkpoints.
                            self.propagate_precision(c, &path);
                            self.inherit_stack_reads(c, &path, false);
                            self.finish(path.cp);
                            break;
                        }
                        PruneResult::LoopHead(c) => {
                            self.propagate_precision(c, &path);
                            self.inherit_stack_reads(c, &path, true);
                            // the states of this path inside the loop now depend on the
                            // unfinished head: they cover others only by range until it is done
                            let mut k = path.cp;
                            while let Some(x) = k {
                                if x == c {
                                    break;
                                }
                                let cp = &mut self.checkpoints[x];
                                cp.loop_entry.get_or_insert(c);
                                k = cp.parent;
                            }
                            self.finish(path.cp);
                            break;
                        }
                        PruneResult::Loop => {
                            return Err(self.err(
                                Some(&path.state),
                                Code::InfiniteLoop,
                                format!("infinite loop detected at insn {}", path.pc),
                            ));
                        }
                        PruneResult::Continue => {
                            let id = self.checkpoints.len();
                            if add_new || self.cfg.subprog_start(path.pc) {
                                (self.prev_insns, self.prev_jmps) = (self.processed, self.jmps);
                                self.checkpoints.push(Checkpoint {
                                    pc: path.pc,
                                    loop_entry: None,
                                    state: path.state.clone(),
                                    parent: path.cp,
                                    // one exact allocation; the path keeps its buffer
                                    hist: path.hist.as_slice().into(),
                                    all_precise: false,
                                    listed: true,
                                });
                                path.hist.clear();
                                self.stack_read.push(Default::default());
                                self.seg_written.push(std::mem::take(&mut path.written));
                                self.branches.push(1);
                                self.hits.push(0);
                                self.misses.push(0);
                                let mask = live_ptr_mask(&path.state, |r| self.cfg.live_in(path.pc, r));
                                let key = ptr_key(&path.state, mask);
                                let stack = stack_summary(&path.state);
                                let list = &mut self.visited[path.pc];
                                list.push(Explored { cp: id, ptr_mask: mask, ptr_key: key, stack });
                                if list.len() > MAX_STATES_PER_INSN {
                                    let old = list.remove(0).cp;
                                    self.checkpoints[old].listed = false;
                                    self.free_if_unreachable(old);
                                }
                                path.cp = Some(id);
                            }
                        }
                    }
                }
                if let Some(r) = self.record.get_mut(path.pc) {
                    match r {
                        Some((_, n)) => *n += 1,
                        None => *r = Some((regs_summary(&path.state), 1)),
                    }
                }
                let depth = path.state.frames.len();
                self.step_slot = None;
                self.step_linked = (0, 0);
                self.zero_store = false;
                self.step_frame_change = false;
                self.cur_cp = path.cp;
                if let Some(s) = self.seen.get_mut(path.pc) {
                    *s = true;
                }
                // every jump-class instruction counts (do_check(): jmps_processed)
                if let Some(Slot::Insn(i, _)) = self.p.slots.get(path.pc) {
                    if matches!(i.form().class(), 5 | 6) {
                        self.jmps += 1;
                    }
                }
                let next = self.step(&mut path.state)?;
                self.note_step_liveness(&mut path, depth);
                if !self.want.is_empty() || !self.want_slots.is_empty() {
                    let mut m = Masks::default();
                    for (f, r) in std::mem::take(&mut self.want) {
                        if f < MAX_FRAMES {
                            m.regs[f] |= 1 << r;
                        }
                    }
                    for (f, i) in std::mem::take(&mut self.want_slots) {
                        if f < MAX_FRAMES && i < 64 {
                            m.slots[f] |= 1 << i;
                        }
                    }
                    self.backtrack(&path.hist, path.cp, depth - 1, m);
                }
                let (frame, slot) = self.step_slot.unwrap_or((0, NO_SLOT));
                path.hist.push(Step {
                    pc: path.pc as u32,
                    frame,
                    slot,
                    frame_change: path.state.frames.len() != depth
                        || matches!(next, Next::Exit)
                        || self.step_frame_change,
                    linked_regs: self.step_linked.0,
                    linked_slots: self.step_linked.1,
                });
                match next {
                    Next::Goto(n) => path.pc = n,
                    Next::Exit => {
                        self.finish(path.cp);
                        break;
                    }
                    Next::Branch { taken_pc, taken, fall_pc } => {
                        if let Some(c) = path.cp {
                            self.branches[c] += 1;
                        }
                        work.push(Path {
                            pc: taken_pc,
                            state: taken,
                            cp: path.cp,
                            hist: path.hist.clone(),
                            written: path.written,
                        });
                        if work.len() > self.p.profile.jmp_seq_limit {
                            return Err(self.err(
                                Some(&path.state),
                                Code::TooComplex,
                                format!("The sequence of {} jumps is too complex.", work.len()),
                            ));
                        }
                        path.pc = fall_pc;
                    }
                }
            }
        }
        Ok(())
    }

    pub(super) fn finish(&mut self, mut cp: Option<usize>) {
        while let Some(c) = cp {
            let b = &mut self.branches[c];
            *b = b.saturating_sub(1);
            if *b > 0 {
                break;
            }
            self.free_if_unreachable(c);
            cp = self.checkpoints[c].parent;
        }
    }

    /// Compare the path with the saved states at its instruction. Also says whether a new
    /// state should be saved there (the kernel's heuristics, over all paths: only after at
    /// least 2 jumps and 8 instructions since the last state saved, and inside a loop being
    /// explored only after 20 jumps or 100 instructions, since successive iterations rarely
    /// help pruning; kernel/bpf/verifier.c is_state_visited()).
    pub(super) fn prune(&mut self, path: &Path) -> (PruneResult, bool) {
        let (insns, jmps) = (self.processed - self.prev_insns, self.jmps - self.prev_jmps);
        let mut add_new = jmps >= 2 && insns >= 8;
        let list = &self.visited[path.pc];
        let cfg = &self.cfg;
        let live = |fi: usize, _sub: usize, r: u8| -> bool {
            let at = if fi + 1 == path.state.frames.len() { path.pc } else { path.state.frames[fi + 1].callsite + 1 };
            cfg.live_in(at, r)
        };
        let mut result = PruneResult::Continue;
        // reused between calls: no allocation per pruning point
        let mut missed = std::mem::take(&mut self.missed);
        missed.clear();
        let loop_head = self.loop_head(path.pc);
        // the current state's pointer key over the last mask asked for (the states saved at
        // one instruction mostly have the same live pointer registers)
        let mut cur_key: Option<(u16, u64)> = None;
        let mut cur_stack = None;
        for (k, e) in list.iter().enumerate().rev() {
            let c = e.cp;
            let cp = &self.checkpoints[c];
            let key = match cur_key {
                Some((m, key)) if m == e.ptr_mask => key,
                _ => {
                    let key = ptr_key(&path.state, e.ptr_mask);
                    cur_key = Some((e.ptr_mask, key));
                    key
                }
            };
            // a live pointer register or a stack slot's kind differs: the saved state cannot
            // cover this one (the current state's summary is computed once, when first needed)
            if loop_head && self.loop_head_covers(&cp.state, &path.state, live) {
                result = PruneResult::LoopHead(c);
                self.hits[c] += 1;
                break;
            }
            if self.branches[c] == 0 {
                let inside_open_loop = cp.loop_entry.is_some_and(|h| self.branches[h] > 0);
                let slots = self.live_slots(c, inside_open_loop);
                // the summary test over the slots read after the saved state only
                let read = slots.get(path.state.frames.len() - 1).copied().unwrap_or(u64::MAX);
                // (with uninitialised stack readable, an old MISC byte matches an unwritten one)
                let full = if self.p.profile.allow_uninit_stack { 0 } else { e.stack.1 & read };
                let masked = (e.stack.0 & read, full);
                if key == e.ptr_key
                    && !stack_summary_differs(masked, *cur_stack.get_or_insert_with(|| stack_summary(&path.state)))
                    && state_covers(
                        &cp.state,
                        &path.state,
                        inside_open_loop,
                        &slots,
                        self.p.profile.allow_uninit_stack,
                        live,
                    )
                {
                    result = PruneResult::Pruned(c);
                    self.hits[c] += 1;
                    break;
                }
            } else if loop_head {
                // the kernel skips its infinite-loop test at loop heads
            } else {
                if key == e.ptr_key
                    && !stack_summary_differs(e.stack, *cur_stack.get_or_insert_with(|| stack_summary(&path.state)))
                    && self.covers_by_range(&cp.state, &path.state, live)
                    && self.covers_by_range(&path.state, &cp.state, live)
                    && path.state.may_goto_depth == cp.state.may_goto_depth
                    && path.state.callback_unroll_depth == cp.state.callback_unroll_depth
                    && !iters::active_depths_differ(&cp.state, &path.state)
                {
                    result = PruneResult::Loop;
                    break;
                }
                if jmps < 20 && insns < 100 {
                    add_new = false;
                }
            }
            missed.push((k, c));
        }
        // A miss counts only when a new state is saved instead: otherwise the iterations of
        // a loop would evict the states saved at its first ones.
        let mut evict = Vec::new();
        if add_new && !matches!(result, PruneResult::Pruned(_)) {
            for &(k, c) in &missed {
                self.misses[c] += 1;
                if self.misses[c] > self.hits[c] * 3 + 3 {
                    evict.push(k);
                }
            }
        }
        self.missed = missed;
        if !evict.is_empty() {
            for k in evict {
                let c = self.visited[path.pc].remove(k).cp;
                self.checkpoints[c].listed = false;
                self.free_if_unreachable(c);
            }
        }
        (result, add_new)
    }

    /// [`state_covers`] by range, every stack slot compared (the kernel's exact comparisons:
    /// loops, iterator heads).
    pub(super) fn covers_by_range(&self, old: &State, cur: &State, live: impl Fn(usize, usize, u8) -> bool) -> bool {
        state_covers(old, cur, true, &ALL_SLOTS, self.p.profile.allow_uninit_stack, live)
    }

    pub(super) fn check_stack_depth(&self) -> R<()> {
        // Longest chain of frames, each rounded up per profile (32 bytes and at least 1 byte on
        // 6.1; 16 bytes with JIT on newer kernels).
        // The kernel walks the call graph statically, calls in dead code and callback
        // references included (check_max_stack_depth_subprog()): the edges seen while
        // exploring plus every `call pc+N` and BPF_PSEUDO_FUNC reference of each function.
        let mut edges = self.calls.clone();
        for (pc, slot) in self.p.slots.iter().enumerate() {
            let Slot::Insn(insn, pseudo) = slot else { continue };
            let is_ref = insn.op == Op::CallLocal || (insn.op == Op::LdImm64 && *pseudo == 4);
            if !is_ref {
                continue;
            }
            let target = pc as i64 + (insn.imm as i32) as i64 + 1;
            let caller = self.cfg.subprogs.iter().rposition(|s| s.start <= pc);
            let callee = usize::try_from(target).ok().and_then(|t| self.cfg.subprog_of_start(t));
            if let (Some(a), Some(b)) = (caller, callee) {
                if !edges.contains(&(a, b)) {
                    edges.push((a, b));
                }
            }
        }
        fn depth(v: &Verifier, edges: &[(usize, usize)], sub: usize, seen: &mut Vec<usize>) -> (i32, usize) {
            let r = v.p.profile.stack_round.max(1);
            let d = if r >= 32 { v.stack_depth[sub].max(1) } else { v.stack_depth[sub] };
            let own = (d + r - 1) / r * r;
            let mut best = (own, 1);
            if seen.contains(&sub) {
                return best;
            }
            seen.push(sub);
            for &(a, b) in edges {
                if a == sub {
                    let (d, n) = depth(v, edges, b, seen);
                    if own + d > best.0 {
                        best = (own + d, n + 1);
                    }
                }
            }
            seen.pop();
            best
        }
        let mut seen = Vec::new();
        let (d, n) = depth(self, &edges, 0, &mut seen);
        if n > 1 && d > self.p.profile.max_stack {
            return Err(Diag::new(
                0,
                Code::StackTooDeep,
                format!("combined stack size of {n} calls is {d}. Too large"),
                String::new(),
            ));
        }
        Ok(())
    }
}
