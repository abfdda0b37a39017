//! Control flow over all subprograms: the kernel's structural checks (`check_subprogs`,
//! `check_cfg`), prune points and register liveness.

use bpf_isa::{Field, Op};

use crate::diag::{Code, Diag};
use crate::program::{Program, Slot};

#[derive(Clone, Debug)]
pub struct Subprog {
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Debug)]
pub struct Cfg {
    pub subprogs: Vec<Subprog>,
    /// Instruction index -> whether states are saved and compared there.
    pub prune_point: Vec<bool>,
    /// Live-in registers per instruction (bit per register).
    pub live: Vec<u16>,
    /// Instruction index -> whether some jump, call or callback reference targets it (the
    /// kernel's jmp points).
    pub jump_target: Vec<bool>,
}

impl Cfg {
    pub fn subprog_of_start(&self, start: usize) -> Option<usize> {
        self.subprogs.iter().position(|s| s.start == start)
    }
    pub fn subprog_of(&self, pc: usize) -> usize {
        self.subprogs.iter().rposition(|s| s.start <= pc).unwrap_or(0)
    }
    pub fn subprog_start(&self, pc: usize) -> bool {
        self.subprogs.iter().any(|s| s.start == pc)
    }
    pub fn live_in(&self, pc: usize, r: u8) -> bool {
        self.live.get(pc).is_none_or(|m| m & (1 << r) != 0)
    }
}

fn bad(pc: usize, code: Code, msg: String) -> Diag {
    Diag::new(pc, code, msg, String::new())
}

/// Successors of `pc` inside its function (calls fall through).
fn succs(p: &Program, pc: usize) -> Vec<usize> {
    let Slot::Insn(i, _) = p.slots[pc] else { return vec![] };
    let n = pc + if i.op == Op::LdImm64 { 2 } else { 1 };
    match i.op {
        Op::Exit => vec![],
        Op::Ja => vec![(pc as i64 + i.off as i64 + 1) as usize],
        Op::Gotol => vec![(pc as i64 + i.imm + 1) as usize],
        op if op.is_jump() => vec![n, (pc as i64 + i.off as i64 + 1) as usize],
        _ => vec![n],
    }
}

fn reserved_msg(code: u8) -> String {
    let class = code & 7;
    match class {
        0 => "BPF_LD_IMM64 uses reserved fields".into(),
        1 => "BPF_LDX uses reserved fields".into(),
        2 => "BPF_ST uses reserved fields".into(),
        3 => "BPF_STX uses reserved fields".into(),
        4 | 7 => "BPF_ALU uses reserved fields".into(),
        _ => match code & 0xf0 {
            0x80 => "BPF_CALL uses reserved fields".into(),
            0x90 => "BPF_EXIT uses reserved fields".into(),
            0x00 => "BPF_JA uses reserved fields".into(),
            _ => "BPF_JMP/JMP32 uses reserved fields".into(),
        },
    }
}

/// Whether any table row has this opcode byte.
fn known_code(code: u8) -> bool {
    bpf_isa::FORMS.iter().any(|f| f.code == code)
}

pub fn build(p: &Program) -> Result<Cfg, Diag> {
    let n = p.len();
    if n == 0 {
        return Err(bad(0, Code::BadInsn, "program is empty".into()));
    }
    if n > p.profile.max_insns {
        return Err(bad(0, Code::TooComplex, format!("program is too large ({n} insns)")));
    }
    // 1. every slot decodes
    for (pc, s) in p.slots.iter().enumerate() {
        match s {
            Slot::Bad(r) => {
                if r.code == 0x18 {
                    return Err(bad(pc, Code::BadInsn, "invalid bpf_ld_imm64 insn".into()));
                }
                if r.code == 0 && r.dst == 0 && r.src == 0 && r.off == 0 {
                    // the second slot of a wide instruction without its first half
                    return Err(bad(pc, Code::BadInsn, format!("unknown opcode {:02x}", r.code)));
                }
                if !known_code(r.code) {
                    return Err(bad(pc, Code::BadInsn, format!("unknown opcode {:02x}", r.code)));
                }
                if r.dst > 10 {
                    return Err(bad(pc, Code::BadInsn, format!("R{} is invalid", r.dst)));
                }
                if r.src > 10 {
                    return Err(bad(pc, Code::BadInsn, format!("R{} is invalid", r.src)));
                }
                if r.code & 7 == 3 && (r.code & 0xe0) == 0xc0 {
                    return Err(bad(pc, Code::BadInsn, format!("BPF_ATOMIC uses invalid atomic opcode {:02x}", r.imm)));
                }
                return Err(bad(pc, Code::BadInsn, reserved_msg(r.code)));
            }
            Slot::Insn(i, pseudo) => {
                if i.op == Op::LdImm64 && *pseudo > 6 {
                    return Err(bad(pc, Code::BadInsn, "invalid bpf_ld_imm64 insn".into()));
                }
                if i.op == Op::LdImm64 && matches!(*pseudo, 1 | 3 | 4 | 5) && (i.imm as u64 >> 32) != 0 {
                    return Err(bad(pc, Code::BadInsn, "unrecognized bpf_ld_imm64 insn".into()));
                }
                let f = i.form();
                let v4_only = f.isa == bpf_isa::Isa::V4 && !matches!(i.op, Op::Gotol | Op::MayGoto);
                if !p.profile.isa_v4 && (v4_only || matches!(i.op, Op::Gotol)) {
                    return Err(bad(pc, Code::BadInsn, reserved_msg(f.code)));
                }
                let _ = Field::Zero;
            }
            Slot::Wide => {}
        }
    }
    // 2. subprograms
    let mut starts = vec![0usize];
    for (pc, s) in p.slots.iter().enumerate() {
        if let Slot::Insn(i, pseudo) = s {
            let t = match (i.op, pseudo) {
                (Op::CallLocal, _) => Some(pc as i64 + i.imm + 1),
                (Op::LdImm64, 4) => Some(pc as i64 + (i.imm as i32) as i64 + 1),
                _ => None,
            };
            if let Some(t) = t {
                if t < 0 || t as usize >= n || matches!(p.slots[t as usize], Slot::Wide) {
                    return Err(bad(pc, Code::BadCall, "call to invalid destination".into()));
                }
                starts.push(t as usize);
            }
        }
    }
    // the exception callback is a function of its own, entered by the kernel
    starts.extend(p.exception_cb.filter(|&s| s < n));
    starts.sort_unstable();
    starts.dedup();
    let mut subprogs = Vec::new();
    for (k, &s) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(n);
        subprogs.push(Subprog { start: s, end });
    }
    if subprogs.len() > crate::limits::MAX_SUBPROGS {
        return Err(bad(0, Code::TooComplex, "too many subprograms".into()));
    }
    // 2b. static call depth (every call instruction counts, dead code included)
    {
        let mut edges: Vec<Vec<usize>> = vec![Vec::new(); subprogs.len()];
        for (k, sp) in subprogs.iter().enumerate() {
            for pc in sp.start..sp.end {
                if let Slot::Insn(i, _) = p.slots[pc] {
                    if i.op == Op::CallLocal {
                        let t = (pc as i64 + i.imm + 1) as usize;
                        if let Some(j) = subprogs.iter().position(|s| s.start == t) {
                            edges[k].push(j);
                        }
                    }
                }
            }
        }
        fn deepest(e: &[Vec<usize>], k: usize, d: usize, limit: usize) -> usize {
            if d > limit {
                return d;
            }
            let mut best = d;
            for &j in &e[k] {
                best = best.max(deepest(e, j, d + 1, limit));
                if best > limit {
                    break;
                }
            }
            best
        }
        let max = p.profile.max_call_frames;
        let d = deepest(&edges, 0, 1, max);
        if d > max {
            return Err(bad(0, Code::CallDepth, format!("the call stack of {} frames is too deep !", max)));
        }
    }
    // 3. jumps stay inside their function, and functions end with exit or a jump
    for sp in &subprogs {
        for pc in sp.start..sp.end {
            let Slot::Insn(i, _) = p.slots[pc] else { continue };
            if i.op.is_jump() {
                let t = if i.op == Op::Gotol { pc as i64 + i.imm + 1 } else { pc as i64 + i.off as i64 + 1 };
                if t < sp.start as i64 || t >= sp.end as i64 {
                    return Err(bad(pc, Code::BadJump, format!("jump out of range from insn {pc} to {t}")));
                }
                if matches!(p.slots[t as usize], Slot::Wide) {
                    return Err(bad(pc, Code::BadJump, format!("jump into the middle of ldimm64 insn {}", t - 1)));
                }
            }
        }
        let last = sp.end - 1;
        let ok = match p.slots[last] {
            Slot::Insn(i, _) => matches!(i.op, Op::Exit | Op::Ja | Op::Gotol),
            _ => false,
        };
        if !ok {
            return Err(bad(last, Code::BadJump, "last insn is not an exit or jmp".into()));
        }
    }
    // 4. reachability (from the entry and every function start reached by a call)
    let mut seen = vec![false; n];
    let mut stack = vec![0usize];
    let mut entered = vec![0usize];
    if let Some(s) = p.exception_cb.filter(|&s| s < n) {
        stack.push(s);
        entered.push(s);
    }
    while let Some(pc) = stack.pop() {
        if pc >= n || seen[pc] {
            continue;
        }
        seen[pc] = true;
        if let Slot::Insn(i, pseudo) = p.slots[pc] {
            if i.op == Op::LdImm64 && pc + 1 < n {
                seen[pc + 1] = true;
            }
            let t = match (i.op, pseudo) {
                (Op::CallLocal, _) => Some((pc as i64 + i.imm + 1) as usize),
                (Op::LdImm64, 4) => Some((pc as i64 + (i.imm as i32) as i64 + 1) as usize),
                _ => None,
            };
            if let Some(t) = t {
                if !entered.contains(&t) {
                    entered.push(t);
                }
                stack.push(t);
            }
        }
        for s in succs(p, pc) {
            stack.push(s);
        }
    }
    if let Some(pc) = seen.iter().position(|s| !s) {
        return Err(bad(pc, Code::Unreachable, format!("unreachable insn {pc}")));
    }
    // 5. prune points as check_cfg() marks them (kernel/bpf/verifier.c visit_insn(),
    // visit_func_call_insn(), push_insn()): a conditional jump itself and its target (not its
    // fall-through), an unconditional jump's target, a subprogram call and the instruction
    // after every call
    let mut prune = vec![false; n];
    let mut jump_target = vec![false; n];
    for pc in 0..n {
        let Slot::Insn(i, pseudo) = p.slots[pc] else { continue };
        let target = match i.op {
            Op::Gotol | Op::CallLocal => Some(pc as i64 + i.imm + 1),
            Op::LdImm64 if pseudo == 4 => Some(pc as i64 + i.imm + 1),
            op if op.is_jump() => Some(pc as i64 + i.off as i64 + 1),
            _ => None,
        };
        if let Some(t) = target.and_then(|t| usize::try_from(t).ok()).filter(|&t| t < n) {
            jump_target[t] = true;
            if i.op.is_jump() {
                prune[t] = true;
            }
        }
        if i.op.is_jump() && !matches!(i.op, Op::Ja | Op::Gotol) {
            prune[pc] = true;
        }
        // a call of a subprogram is one itself (visit_func_call_insn(): visit_callee)
        if i.op == Op::CallLocal {
            prune[pc] = true;
        }
        if matches!(i.op, Op::CallLocal | Op::Call | Op::CallKfunc | Op::Callx) && pc + 1 < n {
            prune[pc + 1] = true;
        }
    }
    for sp in &subprogs {
        prune[sp.start] = true;
    }
    // 6. liveness
    let live = liveness(p, &subprogs);
    Ok(Cfg { subprogs, prune_point: prune, live, jump_target })
}

/// Registers read (uses) and written (defs) by one instruction.
fn uses_defs(p: &Program, pc: usize) -> (u16, u16) {
    let Slot::Insn(i, _) = p.slots[pc] else { return (0, 0) };
    let d = 1u16 << i.dst;
    let s = 1u16 << i.src;
    let f = i.form();
    let src_used = f.src == Field::Operand;
    use Op::*;
    match i.op {
        MovK64 | MovK32 | LdImm64 => (0, d),
        MovX64 | MovX32 | MovsxB64 | MovsxH64 | MovsxW64 | MovsxB32 | MovsxH32 | AddrSpaceCast => (s, d),
        LdxW | LdxH | LdxB | LdxDW | LdxsxW | LdxsxH | LdxsxB => (s, d),
        StW | StH | StB | StDW => (d, 0),
        StxW | StxH | StxB | StxDW => (d | s, 0),
        LdAbsW | LdAbsH | LdAbsB => (1 << 6, 0x3f),
        LdIndW | LdIndH | LdIndB => (1 << 6 | s, 0x3f),
        Call => {
            let n = crate::helpers::by_id(i.imm as u32).map(|h| h.nargs()).unwrap_or(5);
            (((1u16 << (n + 1)) - 1) & !1, 0x3f)
        }
        CallLocal | CallKfunc | Callx => (0x3e | if i.op == Callx { d } else { 0 }, 0x3f),
        Exit => (1, 0),
        Ja | Gotol | MayGoto => (0, 0),
        AtomicCmpxchg32 | AtomicCmpxchg64 => (d | s | 1, 1),
        op if op.form().code & 7 == 3 => (d | s, s),
        op if op.is_jump() => (d | if src_used { s } else { 0 }, 0),
        _ => (d | if src_used { s } else { 0 }, d),
    }
}

fn liveness(p: &Program, subprogs: &[Subprog]) -> Vec<u16> {
    let n = p.len();
    let mut live = vec![0u16; n];
    let ud: Vec<(u16, u16)> = (0..n).map(|pc| uses_defs(p, pc)).collect();
    let sc: Vec<Vec<usize>> = (0..n).map(|pc| succs(p, pc)).collect();
    let _ = subprogs;
    let mut changed = true;
    let mut rounds = 0;
    while changed && rounds < 1000 {
        changed = false;
        rounds += 1;
        for pc in (0..n).rev() {
            let mut out = 0u16;
            for &s in &sc[pc] {
                if s < n {
                    out |= live[s];
                }
            }
            let (u, d) = ud[pc];
            let inn = u | (out & !d);
            if inn != live[pc] {
                live[pc] = inn;
                changed = true;
            }
        }
    }
    live
}
