//! bpf_fastcall: spill/fill pairs around a call the kernel inlines are removed, and with them the
//! stack they used (kernel/bpf/verifier.c, since 6.12: mark_fastcall_patterns(),
//! mark_fastcall_pattern_for_call(), check_fastcall_stack_contract(),
//! remove_fastcall_spills_fills(), which runs before check_max_stack_depth()).
//!
//! The pattern: around a call that clobbers only its argument registers and r0, pairs
//! `*(u64 *)(r10 - Y) = rX` before and `rX = *(u64 *)(r10 - Y)` after it, for registers the
//! call keeps, at the subprogram's lowest spill offsets upwards, none of them a jump target. If
//! the call is inlined (bpf_get_smp_processor_id() on x86-64 with the JIT; kfuncs flagged
//! KF_FASTCALL), the pairs go and the subprogram's stack ends at the top of that region, unless
//! some other instruction of the subprogram touches the region or a pattern surrounds a call
//! that is not inlined.

use super::*;

/// BPF_FUNC_get_smp_processor_id: the one helper the verifier inlines on x86-64
/// (verifier_inlines_helper_call(); its proto has allow_fastcall).
const INLINED_HELPER: i64 = 8;
/// The kfuncs the kernel inlines (kernel/bpf/verifier.c is_fastcall_kfunc_call()).
const FASTCALL_KFUNCS: &[&str] = &["bpf_cast_to_kern_ctx", "bpf_rdonly_cast"];
/// r0-r5.
const CALLER_SAVED: u16 = 0x3f;

#[derive(Default)]
pub(super) struct Fastcall {
    /// Per instruction: a spill or fill of a pattern.
    pattern: Vec<bool>,
    /// Per subprogram: the top of the fastcall region (`fastcall_stack_off`), whether a call
    /// with a pattern is inlined (pairs removed), and whether one is not (`keep_fastcall_stack`).
    top: Vec<i32>,
    removed: Vec<bool>,
    keep: Vec<bool>,
}

impl Fastcall {
    pub(super) fn find(p: &Program, cfg: &Cfg) -> Fastcall {
        let n = p.slots.len();
        let mut f = Fastcall {
            pattern: vec![false; n],
            top: vec![0; cfg.subprogs.len()],
            removed: vec![false; cfg.subprogs.len()],
            keep: vec![false; cfg.subprogs.len()],
        };
        if !p.profile.fastcall {
            return f;
        }
        let insn = |pc: usize| match p.slots.get(pc) {
            Some(Slot::Insn(i, _)) => Some(*i),
            _ => None,
        };
        for (s, sub) in cfg.subprogs.iter().enumerate() {
            let range = sub.start..sub.end.min(n);
            let lowest = range
                .clone()
                .filter_map(insn)
                .filter(|i| i.op == Op::StxDW && i.dst == 10)
                .map(|i| i.off as i32)
                .min()
                .unwrap_or(0)
                .min(0);
            for pc in range.clone() {
                let Some(call) = insn(pc) else { continue };
                let Some((clobbered, inlined)) = clobbers(p, pc, &call) else { continue };
                if clobbered == CALLER_SAVED {
                    continue;
                }
                let mut expected = !clobbered & CALLER_SAVED;
                let mut off = lowest;
                let mut pairs = 0;
                for k in 1..=5usize {
                    let (Some(before), after) = (pc.checked_sub(k), pc + k) else { break };
                    if before < range.start
                        || after >= range.end
                        || cfg.jump_target[before + 1]
                        || cfg.jump_target[after]
                    {
                        break;
                    }
                    let (Some(stx), Some(ldx)) = (insn(before), insn(after)) else { break };
                    let pair = stx.op == Op::StxDW
                        && ldx.op == Op::LdxDW
                        && stx.dst == 10
                        && ldx.src == 10
                        && stx.src == ldx.dst
                        && stx.src < 6
                        && expected & (1 << stx.src) != 0
                        && stx.off as i32 == off
                        && ldx.off as i32 == off;
                    if !pair {
                        break;
                    }
                    expected &= !(1 << stx.src);
                    f.pattern[before] = true;
                    f.pattern[after] = true;
                    pairs += 1;
                    off += 8;
                }
                if pairs == 0 {
                    continue;
                }
                if inlined {
                    f.removed[s] = true;
                } else {
                    f.keep[s] = true;
                }
                f.top[s] = f.top[s].min(off);
            }
        }
        f
    }

    /// The stack depth of subprogram `s` once the pairs are removed, if they are.
    pub(super) fn depth(&self, s: usize) -> Option<i32> {
        (self.removed.get(s) == Some(&true) && !self.keep[s] && self.top[s] != i32::MIN).then(|| -self.top[s])
    }
}

/// The registers a call clobbers if it is a fastcall candidate (r0 unless it returns void, and
/// its argument registers; all of r0-r5 for other calls), and whether the kernel inlines it
/// (helper_fastcall_clobber_mask(), kfunc_fastcall_clobber_mask()).
fn clobbers(p: &Program, pc: usize, call: &Insn) -> Option<(u16, bool)> {
    match call.op {
        Op::Call => {
            let h = crate::helpers::by_id(call.imm as u32)?;
            let mut m = if h.ret == crate::helpers::Ret::Void { 0 } else { 1 };
            for (i, a) in h.args.iter().enumerate() {
                if *a != crate::helpers::Arg::No {
                    m |= 1 << (i + 1);
                }
            }
            Some((m, call.imm == INLINED_HELPER))
        }
        Op::CallKfunc => {
            let name = p.kfuncs.get(&pc)?;
            let (ret, params) = p.kernel_btf.as_ref()?.func_proto(name)?;
            let mut m = if ret == 0 { 0 } else { 1 };
            for i in 0..params.len().min(5) {
                m |= 1 << (i + 1);
            }
            Some((m, FASTCALL_KFUNCS.contains(&name.as_str())))
        }
        _ => None,
    }
}

impl Verifier<'_> {
    /// A stack access at `off` of `frame` by the current instruction: one below the fastcall
    /// region's top that is not part of a pattern keeps the subprogram's spills and fills
    /// (check_fastcall_stack_contract()).
    pub(super) fn fastcall_contract(&mut self, st: &State, frame: usize, off: i32) {
        let s = st.frames[frame].subprog;
        let f = &mut self.fastcall;
        if f.top.get(s).is_some_and(|&t| off < t) && f.pattern.get(self.pc) != Some(&true) {
            f.top[s] = i32::MIN;
        }
    }
}
