//! The abstract interpreter: explores every path of a program in the kernel's terms, with state
//! pruning, and stops at the first rule the kernel would reject on.

use std::collections::HashMap;

use bpf_isa::{Insn, Op};
use bpfobj::uapi::ProgType;

use crate::cfg::{self, Cfg};
use crate::ctx::{self, Access, Layout, Yields};
use crate::diag::{Code, Diag};
use crate::domain::state::{state_covers, RefEntry, Slot as StackSlot};
use crate::domain::{Frame, Reg, RegType, Scalar, SlotByte, State, Tnum};
use crate::helpers::{self, Arg, Helper, Ret};
use crate::program::{LdRef, Program, Slot};

mod dynptrs;
mod globals;
mod iters;
mod kfuncs;

const BPF_MAX_VAR_OFF: i64 = 1 << 29;
const MAX_PACKET_OFF: u64 = 0xffff;
/// Complete states kept per instruction for pruning.
const MAX_STATES_PER_INSN: usize = 256;

/// Outcome of analysing one program.
#[derive(Clone, Debug)]
pub struct Verdict {
    pub error: Option<Diag>,
    pub insns_processed: u64,
    pub states: usize,
    pub max_stack: i32,
    /// What the analysis saw on the way (for lints).
    pub facts: Facts,
}

/// One context access (every path, recorded once per instruction/offset/size).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct CtxAccess {
    pub insn: usize,
    pub off: i64,
    pub size: u32,
    pub write: bool,
}

/// One helper call site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HelperCall {
    pub insn: usize,
    pub id: u32,
    /// Maps passed in r1 (map helpers) or r2 (`bpf_tail_call`), by index in `Program::maps`.
    pub maps: Vec<u32>,
    /// r4 when it was a known constant on every path (the flags of `bpf_loop`).
    pub r4_const: Option<i64>,
    /// The callback subprogram (bpf_loop, for_each_map_elem, ...).
    pub callback: Option<usize>,
}

/// One call edge: a bpf-to-bpf call or a helper calling back into a subprogram.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallEdge {
    pub caller: usize,
    pub callee: usize,
    pub insn: usize,
    /// The helper that calls back (None: a local call).
    pub helper: Option<u32>,
}

/// Facts recorded during the analysis: context accesses, BTF-pointer accesses, helper call
/// sites, per-subprogram stack depth and the call graph.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    pub ctx_accesses: Vec<CtxAccess>,
    /// Accesses at a constant offset from the start of a BTF-typed kernel object: (insn, offset, size).
    pub btf_accesses: Vec<(usize, i64, u32)>,
    pub helper_calls: Vec<HelperCall>,
    /// First instruction of each subprogram.
    pub subprog_starts: Vec<usize>,
    /// Deepest stack byte used by each subprogram (the kernel's `stack_depth`).
    pub subprog_stack: Vec<i32>,
    pub calls: Vec<CallEdge>,
    /// Local calls passing the context pointer: (call insn, callee subprogram, argument registers).
    pub ctx_args: Vec<(usize, usize, Vec<u8>)>,
}

#[derive(Default)]
struct FactSink {
    ctx: std::collections::BTreeSet<CtxAccess>,
    btf: std::collections::BTreeSet<(usize, i64, u32)>,
    helpers: std::collections::BTreeMap<usize, HelperCall>,
    calls: Vec<CallEdge>,
    ctx_args: std::collections::BTreeMap<(usize, usize), Vec<u8>>,
}

impl Verdict {
    pub fn accepted(&self) -> bool {
        self.error.is_none()
    }
}

type R<T> = Result<T, Diag>;

struct Checkpoint {
    /// The instruction this state was saved at.
    pc: usize,
    /// A loop head (iter_next / may_goto checkpoint) some path inside this state's loop was
    /// pruned against while that head's exploration was unfinished: while it is, this state
    /// only covers states it contains by range (kernel/bpf/verifier.c: loop_entry, force_exact).
    loop_entry: Option<usize>,
    state: State,
    parent: Option<usize>,
    branches: u32,
    /// The instructions from the parent checkpoint (or the start) to this one.
    hist: Vec<Step>,
    /// Every scalar of this state and its ancestors is already precise.
    all_precise: bool,
}

struct Path {
    pc: usize,
    state: State,
    cp: Option<usize>,
    last_cp: u64,
    /// The instructions since `cp`, for precision backtracking.
    hist: Vec<Step>,
}

/// One executed instruction, as precision backtracking needs it.
#[derive(Clone, Copy, Debug)]
struct Step {
    pc: u32,
    /// The stack slot a fixed-offset stack access touched: (frame, slot index), slot
    /// `NO_SLOT` when none.
    frame: u8,
    slot: u8,
    /// The call depth changed (call, callback, exit): backtracking gives up there.
    frame_change: bool,
    /// For a conditional jump on linked scalars: the registers and stack slots of the current
    /// frame that share an id with an operand (they were refined together).
    linked_regs: u16,
    linked_slots: u64,
}

const NO_SLOT: u8 = u8::MAX;

/// Registers and stack slots whose values must be precise, per frame.
#[derive(Clone, Copy, Debug, Default)]
struct Masks {
    regs: [u16; MAX_FRAMES],
    slots: [u64; MAX_FRAMES],
}

const MAX_FRAMES: usize = 16;

impl Masks {
    fn is_empty(&self) -> bool {
        self.regs.iter().all(|&r| r == 0) && self.slots.iter().all(|&s| s == 0)
    }
}

/// What one instruction does to control flow.
enum Next {
    Goto(usize),
    /// Both ways feasible: the jump-taken state is pushed.
    Branch {
        taken_pc: usize,
        taken: State,
        fall_pc: usize,
    },
    Exit,
}

pub struct Verifier<'p> {
    p: &'p Program,
    cfg: Cfg,
    layout: Layout,
    id_gen: u32,
    processed: u64,
    checkpoints: Vec<Checkpoint>,
    visited: HashMap<usize, Vec<usize>>,
    /// Per instruction: pointer type used by a memory access (ctx vs other must not mix).
    access_kind: HashMap<usize, RegType>,
    /// Max stack depth seen per subprogram.
    stack_depth: Vec<i32>,
    /// Call graph edges seen (caller subprog, callee subprog).
    calls: Vec<(usize, usize)>,
    pc: usize,
    hits: Vec<u32>,
    misses: Vec<u32>,
    /// The helper being checked may take packet pointers.
    cur_pkt_access: bool,
    sink: FactSink,
    /// Precision requests of the current instruction: (frame, register), values before it.
    want: Vec<(usize, u8)>,
    /// Stack slot touched by the current instruction (frame, slot).
    step_slot: Option<(u8, u8)>,
    /// Linked registers/slots of the current conditional jump.
    step_linked: (u16, u64),
    /// The current store wrote zero bytes (not a spill): its value register must be precise.
    zero_store: bool,
    /// With [`verify_with_states`]: per instruction, the first state's registers and the visits.
    record: Vec<Option<(String, u32)>>,
    /// The checkpoint of the path being stepped.
    cur_cp: Option<usize>,
    /// Global subprograms called so far: each is verified on its own after the main program.
    globals: Vec<usize>,
    /// The global subprogram being verified on its own (None: the main program).
    in_global: Option<usize>,
}

pub fn verify(p: &Program) -> Verdict {
    verify_inner(p, false).0
}

/// The register state before one instruction, as the analysis first reached it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InsnState {
    pub insn: usize,
    /// Registers in the kernel log's words (`R1=ctx() R10=fp()`), on the first path that
    /// reached the instruction.
    pub regs: String,
    /// How many times paths reached it (each with its own state).
    pub visits: u32,
}

/// [`verify`], also giving the register state before every instruction the analysis reached
/// (for editors: hover shows what the verifier knows there).
pub fn verify_with_states(p: &Program) -> (Verdict, Vec<InsnState>) {
    verify_inner(p, true)
}

fn verify_inner(p: &Program, record: bool) -> (Verdict, Vec<InsnState>) {
    if p.prog_type == ProgType::UNSPEC {
        // libbpf refuses the program before the kernel sees it (libbpf.c: "missing BPF prog
        // type, check ELF section name"); BPF_PROG_LOAD itself rejects type 0 with EINVAL.
        let msg = format!("missing BPF prog type, check ELF section name '{}'", p.section);
        let e = Diag::new(0, Code::UnknownProgType, msg, String::new());
        let v = Verdict { error: Some(e), insns_processed: 0, states: 0, max_stack: 0, facts: Facts::default() };
        return (v, Vec::new());
    }
    let cfg = match cfg::build(p) {
        Ok(c) => c,
        Err(e) => {
            let v = Verdict { error: Some(e), insns_processed: 0, states: 0, max_stack: 0, facts: Facts::default() };
            return (v, Vec::new());
        }
    };
    if let Some(e) = subprog_return_rules(p, &cfg) {
        let v = Verdict { error: Some(e), insns_processed: 0, states: 0, max_stack: 0, facts: Facts::default() };
        return (v, Vec::new());
    }
    let nsub = cfg.subprogs.len();
    let mut v = Verifier {
        p,
        layout: ctx::layout(p.prog_type, p.attach_type),
        cfg,
        id_gen: 0,
        processed: 0,
        checkpoints: Vec::new(),
        visited: HashMap::new(),
        access_kind: HashMap::new(),
        stack_depth: vec![0; nsub],
        calls: Vec::new(),
        pc: 0,
        hits: Vec::new(),
        misses: Vec::new(),
        cur_pkt_access: false,
        sink: FactSink::default(),
        want: Vec::new(),
        step_slot: None,
        step_linked: (0, 0),
        zero_store: false,
        record: if record { vec![None; p.slots.len()] } else { Vec::new() },
        cur_cp: None,
        globals: Vec::new(),
        in_global: None,
    };
    let r = v.run();
    let max_stack = v.stack_depth.first().copied().unwrap_or(0);
    let sink = std::mem::take(&mut v.sink);
    let facts = Facts {
        ctx_accesses: sink.ctx.into_iter().collect(),
        btf_accesses: sink.btf.into_iter().collect(),
        helper_calls: sink.helpers.into_values().collect(),
        subprog_starts: v.cfg.subprogs.iter().map(|s| s.start).collect(),
        subprog_stack: v.stack_depth.clone(),
        calls: sink.calls,
        ctx_args: sink.ctx_args.into_iter().map(|((i, s), r)| (i, s, r)).collect(),
    };
    let states = std::mem::take(&mut v.record)
        .into_iter()
        .enumerate()
        .filter_map(|(insn, r)| r.map(|(regs, visits)| InsnState { insn, regs, visits }))
        .collect();
    (Verdict { error: r.err(), insns_processed: v.processed, states: v.checkpoints.len(), max_stack, facts }, states)
}

fn sz(op: Op) -> u32 {
    match op {
        Op::LdxB | Op::StB | Op::StxB | Op::LdxsxB | Op::LdAbsB | Op::LdIndB => 1,
        Op::LdxH | Op::StH | Op::StxH | Op::LdxsxH | Op::LdAbsH | Op::LdIndH => 2,
        Op::LdxW | Op::StW | Op::StxW | Op::LdxsxW | Op::LdAbsW | Op::LdIndW => 4,
        _ => 8,
    }
}

fn is_alu32(op: Op) -> bool {
    op.form().class() == 4
}

/// Register state summary for diagnostics.
pub fn regs_summary(st: &State) -> String {
    let mut parts = Vec::new();
    for (i, r) in st.regs().iter().enumerate() {
        if r.is_init() {
            parts.push(format!("R{i}={}", r.describe()));
        }
    }
    parts.join(" ")
}

impl<'p> Verifier<'p> {
    fn err(&self, st: Option<&State>, code: Code, msg: String) -> Diag {
        Diag::new(self.pc, code, msg, st.map(regs_summary).unwrap_or_default())
    }

    fn new_id(&mut self) -> u32 {
        self.id_gen += 1;
        self.id_gen
    }

    fn insn(&self, pc: usize) -> (Insn, u8) {
        match self.p.slots[pc] {
            Slot::Insn(i, s) => (i, s),
            _ => (Insn::new(Op::Exit), 0),
        }
    }

    fn initial_state(&mut self) -> State {
        let mut f = Frame::new(usize::MAX, 0);
        f.regs[1] = Reg::ptr(RegType::Ctx);
        f.regs[10] = Reg::ptr(RegType::Stack);
        State { frames: vec![f], refs: Vec::new(), spin_lock: None, may_goto_depth: 0, preempt: 0, rcu: false }
    }

    fn run(&mut self) -> R<()> {
        let init = self.initial_state();
        self.explore(0, init)?;
        // then every global subprogram the program calls, once, on its own
        let mut k = 0;
        while k < self.globals.len() {
            let sub = self.globals[k];
            k += 1;
            let init = self.global_entry_state(sub);
            self.in_global = Some(sub);
            self.explore(self.cfg.subprogs[sub].start, init)?;
        }
        self.in_global = None;
        self.check_stack_depth()
    }

    fn explore(&mut self, start: usize, init: State) -> R<()> {
        let mut work: Vec<Path> = vec![Path { pc: start, state: init, cp: None, last_cp: 0, hist: Vec::new() }];
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
                            self.finish(path.cp);
                            break;
                        }
                        PruneResult::LoopHead(c) => {
                            self.propagate_precision(c, &path);
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
                                path.last_cp = self.processed;
                                self.checkpoints.push(Checkpoint {
                                    pc: path.pc,
                                    loop_entry: None,
                                    state: path.state.clone(),
                                    parent: path.cp,
                                    branches: 1,
                                    hist: std::mem::take(&mut path.hist),
                                    all_precise: false,
                                });
                                self.hits.push(0);
                                self.misses.push(0);
                                let list = self.visited.entry(path.pc).or_default();
                                list.push(id);
                                if list.len() > MAX_STATES_PER_INSN {
                                    list.remove(0);
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
                self.cur_cp = path.cp;
                let next = self.step(&mut path.state)?;
                if !self.want.is_empty() {
                    let mut m = Masks::default();
                    for (f, r) in std::mem::take(&mut self.want) {
                        if f < MAX_FRAMES {
                            m.regs[f] |= 1 << r;
                        }
                    }
                    self.backtrack(&path.hist, path.cp, depth - 1, m);
                }
                let (frame, slot) = self.step_slot.unwrap_or((0, NO_SLOT));
                path.hist.push(Step {
                    pc: path.pc as u32,
                    frame,
                    slot,
                    frame_change: path.state.frames.len() != depth || matches!(next, Next::Exit),
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
                            self.checkpoints[c].branches += 1;
                        }
                        work.push(Path {
                            pc: taken_pc,
                            state: taken,
                            cp: path.cp,
                            last_cp: path.last_cp,
                            hist: path.hist.clone(),
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

    fn finish(&mut self, mut cp: Option<usize>) {
        while let Some(c) = cp {
            let e = &mut self.checkpoints[c];
            e.branches = e.branches.saturating_sub(1);
            if e.branches > 0 {
                break;
            }
            cp = e.parent;
        }
    }

    // ---- precision tracking (the kernel's mark_chain_precision) ----
    //
    // Scalars start imprecise: a saved state whose scalar no check relied on matches any
    // scalar at pruning time. When a check relies on a scalar's range (pointer arithmetic, a
    // size argument, a branch decided by the range, a return value), the instructions of the
    // current path are walked backwards to find which registers and stack slots that value
    // came from, and those are marked precise in every checkpoint of the path on the way.
    // Where the walk cannot follow (calls, exits, loads of packet data), every scalar of the
    // path's checkpoints becomes precise: slower pruning, never a wrong one.

    /// Mark what `m` names (values before the instruction after `hist`) precise in the
    /// checkpoints of a path whose history since checkpoint `cp` is `hist`; `cur` is the
    /// path's innermost frame.
    fn backtrack(&mut self, hist: &[Step], mut cp: Option<usize>, cur: usize, mut m: Masks) {
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
    fn bt_step(&self, s: &Step, m: &mut Masks, cur: usize) -> Result<(), ()> {
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
    fn mark_all_precise(&mut self, mut cp: Option<usize>) {
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
    fn propagate_precision(&mut self, c: usize, path: &Path) {
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
                if (sl.bytes[0] == SlotByte::Spill && p(&sl.spilled))
                    || (sl.bytes[4] == SlotByte::Spill && sl.spilled_hi.is_init() && p(&sl.spilled_hi))
                {
                    m.slots[fi] |= 1 << i;
                }
            }
        }
        if !m.is_empty() {
            self.backtrack(&path.hist, path.cp, path.state.frames.len() - 1, m);
        }
    }

    /// Ask for register `r` of the current frame to be precise (if it holds a scalar).
    fn want_precise(&mut self, st: &State, r: u8) {
        if r < 10 && st.reg(r).is_scalar() {
            self.want.push((st.frames.len() - 1, r));
        }
    }

    /// Compare the path with the saved states at its instruction. Also says whether a new
    /// state should be saved there (the kernel's heuristics: not more often than every 8
    /// instructions, and inside a loop being explored only every 100, since successive
    /// iterations rarely help pruning).
    fn prune(&mut self, path: &Path) -> (PruneResult, bool) {
        let since = self.processed - path.last_cp;
        let mut add_new = since >= 8;
        let Some(list) = self.visited.get(&path.pc) else { return (PruneResult::Continue, add_new) };
        let cfg = &self.cfg;
        let live = |fi: usize, _sub: usize, r: u8| -> bool {
            let at = if fi + 1 == path.state.frames.len() { path.pc } else { path.state.frames[fi + 1].callsite + 1 };
            cfg.live_in(at, r)
        };
        let mut result = PruneResult::Continue;
        let mut missed = Vec::new();
        let loop_head = self.loop_head(path.pc);
        for (k, &c) in list.iter().enumerate().rev() {
            let cp = &self.checkpoints[c];
            if loop_head && self.loop_head_covers(&cp.state, &path.state, live) {
                result = PruneResult::LoopHead(c);
                self.hits[c] += 1;
                break;
            }
            if cp.branches == 0 {
                let inside_open_loop = cp.loop_entry.is_some_and(|h| self.checkpoints[h].branches > 0);
                if state_covers(&cp.state, &path.state, inside_open_loop, live) {
                    result = PruneResult::Pruned(c);
                    self.hits[c] += 1;
                    break;
                }
            } else if loop_head {
                // the kernel skips its infinite-loop test at loop heads
            } else {
                if state_covers(&cp.state, &path.state, true, live)
                    && state_covers(&path.state, &cp.state, true, live)
                    && path.state.may_goto_depth == cp.state.may_goto_depth
                    && !iters::active_depths_differ(&cp.state, &path.state)
                {
                    result = PruneResult::Loop;
                    break;
                }
                if since < 100 {
                    add_new = false;
                }
            }
            missed.push((k, c));
        }
        // A miss counts only when a new state is saved instead: otherwise the iterations of
        // a loop would evict the states saved at its first ones.
        let mut evict = Vec::new();
        if add_new && !matches!(result, PruneResult::Pruned(_)) {
            for (k, c) in missed {
                self.misses[c] += 1;
                if self.misses[c] > self.hits[c] * 3 + 3 {
                    evict.push(k);
                }
            }
        }
        if !evict.is_empty() {
            if let Some(list) = self.visited.get_mut(&path.pc) {
                for k in evict {
                    list.remove(k);
                }
            }
        }
        (result, add_new)
    }

    fn check_stack_depth(&self) -> R<()> {
        // Longest chain of frames, each rounded up per profile (32 bytes and at least 1 byte on
        // 6.1; 16 bytes with JIT on newer kernels).
        fn depth(v: &Verifier, sub: usize, seen: &mut Vec<usize>) -> (i32, usize) {
            let r = v.p.profile.stack_round.max(1);
            let d = if r >= 32 { v.stack_depth[sub].max(1) } else { v.stack_depth[sub] };
            let own = (d + r - 1) / r * r;
            let mut best = (own, 1);
            if seen.contains(&sub) {
                return best;
            }
            seen.push(sub);
            for &(a, b) in &v.calls {
                if a == sub {
                    let (d, n) = depth(v, b, seen);
                    if own + d > best.0 {
                        best = (own + d, n + 1);
                    }
                }
            }
            seen.pop();
            best
        }
        let mut seen = Vec::new();
        let (d, n) = depth(self, 0, &mut seen);
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

    // ---------------------------------------------------------------- registers

    fn read_reg(&self, st: &State, r: u8) -> R<Reg> {
        if r > 10 {
            return Err(self.err(Some(st), Code::BadInsn, format!("R{r} is invalid")));
        }
        let reg = *st.reg(r);
        if !reg.is_init() {
            return Err(self.err(Some(st), Code::UninitReg, format!("R{r} !read_ok")));
        }
        Ok(reg)
    }

    fn check_dst_writable(&self, st: &State, r: u8) -> R<()> {
        if r == 10 {
            return Err(self.err(Some(st), Code::FramePointerWrite, "frame pointer is read only".into()));
        }
        if r > 10 {
            return Err(self.err(Some(st), Code::BadInsn, format!("R{r} is invalid")));
        }
        Ok(())
    }

    // ---------------------------------------------------------------- the transfer function

    fn step(&mut self, st: &mut State) -> R<Next> {
        let pc = self.pc;
        let (insn, pseudo) = self.insn(pc);
        let next = pc + 1;
        use Op::*;
        match insn.op {
            AddK64 | AddX64 | SubK64 | SubX64 | MulK64 | MulX64 | DivK64 | DivX64 | SdivK64 | SdivX64 | OrK64
            | OrX64 | AndK64 | AndX64 | LshK64 | LshX64 | RshK64 | RshX64 | ModK64 | ModX64 | SmodK64 | SmodX64
            | XorK64 | XorX64 | ArshK64 | ArshX64 | AddK32 | AddX32 | SubK32 | SubX32 | MulK32 | MulX32 | DivK32
            | DivX32 | SdivK32 | SdivX32 | OrK32 | OrX32 | AndK32 | AndX32 | LshK32 | LshX32 | RshK32 | RshX32
            | ModK32 | ModX32 | SmodK32 | SmodX32 | XorK32 | XorX32 | ArshK32 | ArshX32 => {
                self.alu(st, insn)?;
                Ok(Next::Goto(next))
            }
            Neg64 | Neg32 => {
                self.check_dst_writable(st, insn.dst)?;
                let d = self.read_reg(st, insn.dst)?;
                let r = if d.is_scalar() {
                    let v = if insn.op == Neg32 {
                        Scalar::constant(0).sub(&d.val.zext32()).truncate(4)
                    } else {
                        Scalar::constant(0).sub(&d.val)
                    };
                    Reg::scalar(v)
                } else {
                    Reg::unknown()
                };
                *st.reg_mut(insn.dst) = r;
                Ok(Next::Goto(next))
            }
            MovK64 | MovX64 | MovsxB64 | MovsxH64 | MovsxW64 | MovK32 | MovX32 | MovsxB32 | MovsxH32 => {
                self.mov(st, insn)?;
                Ok(Next::Goto(next))
            }
            AddrSpaceCast => {
                if !self.p.permissive {
                    return Err(self.err(
                        Some(st),
                        Code::BadInsn,
                        "addr_space_cast insn can only be used in a program that has an associated arena".into(),
                    ));
                }
                self.check_dst_writable(st, insn.dst)?;
                self.read_reg(st, insn.src)?;
                *st.reg_mut(insn.dst) = Reg::unknown();
                Ok(Next::Goto(next))
            }
            Bswap16 | Bswap32 | Bswap64 | Le16 | Le32 | Le64 | Be16 | Be32 | Be64 => {
                if matches!(insn.op, Bswap16 | Bswap32 | Bswap64) && !self.p.profile.isa_v4 {
                    return Err(self.err(Some(st), Code::BadInsn, format!("unknown opcode {:02x}", insn.form().code)));
                }
                self.check_dst_writable(st, insn.dst)?;
                let d = self.read_reg(st, insn.dst)?;
                let bits = insn.imm as u32;
                let v = if !d.is_scalar() {
                    Scalar::unknown()
                } else {
                    match insn.op {
                        Le16 | Le32 | Le64 => d.val.truncate(bits / 8),
                        _ => {
                            if let Some(c) = d.val.const_value() {
                                let r = match bits {
                                    16 => (c as u16).swap_bytes() as u64,
                                    32 => (c as u32).swap_bytes() as u64,
                                    _ => c.swap_bytes(),
                                };
                                Scalar::constant(r)
                            } else if bits == 64 {
                                Scalar::unknown()
                            } else {
                                Scalar::urange(0, (1u64 << bits) - 1)
                            }
                        }
                    }
                };
                *st.reg_mut(insn.dst) = Reg::scalar(v);
                Ok(Next::Goto(next))
            }
            LdImm64 => {
                self.check_dst_writable(st, insn.dst)?;
                let r = self.ld_imm64(st, insn, pseudo)?;
                *st.reg_mut(insn.dst) = r;
                Ok(Next::Goto(pc + 2))
            }
            LdAbsW | LdAbsH | LdAbsB | LdIndW | LdIndH | LdIndB => {
                self.ld_abs(st, insn)?;
                Ok(Next::Goto(next))
            }
            LdxW | LdxH | LdxB | LdxDW | LdxsxW | LdxsxH | LdxsxB => {
                if matches!(insn.op, LdxsxW | LdxsxH | LdxsxB) && !self.p.profile.isa_v4 {
                    return Err(self.err(Some(st), Code::BadInsn, format!("unknown opcode {:02x}", insn.form().code)));
                }
                let base = self.read_reg(st, insn.src)?;
                self.check_dst_writable(st, insn.dst)?;
                let signed = matches!(insn.op, LdxsxW | LdxsxH | LdxsxB);
                let v = self.mem_access(st, insn.src, base, insn.off as i32, sz(insn.op), false, None, false)?;
                let mut v = v.unwrap_or_else(Reg::unknown);
                // a context field that yields a pointer (packet data, data_end, ...) may not be
                // read sign-extended (net/core/filter.c: `info->is_ldsx` in *_is_valid_access())
                if signed && base.ty == RegType::Ctx && v.is_ptr() {
                    return Err(self.err(
                        Some(st),
                        Code::CtxAccess,
                        format!("invalid bpf_context access off={} size={}", insn.off, sz(insn.op)),
                    ));
                }
                if signed && v.is_scalar() {
                    v = Reg::scalar(v.val.sign_extend(sz(insn.op)));
                }
                *st.reg_mut(insn.dst) = v;
                Ok(Next::Goto(next))
            }
            StW | StH | StB | StDW => {
                let base = self.read_reg(st, insn.dst)?;
                if base.ty == RegType::Ctx {
                    return Err(self.err(
                        Some(st),
                        Code::CtxAccess,
                        format!("BPF_ST stores into R{} ctx is not allowed", insn.dst),
                    ));
                }
                let val = Reg::constant(insn.imm as i32 as i64 as u64);
                self.mem_access(st, insn.dst, base, insn.off as i32, sz(insn.op), true, Some(val), false)?;
                Ok(Next::Goto(next))
            }
            StxW | StxH | StxB | StxDW => {
                let mut val = self.read_reg(st, insn.src)?;
                let base = self.read_reg(st, insn.dst)?;
                // a scalar spilled to the stack shares an id with its register, so a later
                // comparison of either bounds both (kernel/bpf/verifier.c,
                // check_stack_write_fixed_off(): assign_scalar_id_before_mov())
                if base.ty == RegType::Stack
                    && matches!(insn.op, StxW | StxDW)
                    && val.is_scalar()
                    && !val.val.is_const()
                    && val.id == 0
                {
                    val.id = self.new_id();
                    st.reg_mut(insn.src).id = val.id;
                }
                self.mem_access(st, insn.dst, base, insn.off as i32, sz(insn.op), true, Some(val), false)?;
                if self.zero_store {
                    self.want_precise(st, insn.src);
                }
                Ok(Next::Goto(next))
            }
            AtomicAdd32 | AtomicOr32 | AtomicAnd32 | AtomicXor32 | AtomicFetchAdd32 | AtomicFetchOr32
            | AtomicFetchAnd32 | AtomicFetchXor32 | AtomicXchg32 | AtomicCmpxchg32 | AtomicAdd64 | AtomicOr64
            | AtomicAnd64 | AtomicXor64 | AtomicFetchAdd64 | AtomicFetchOr64 | AtomicFetchAnd64 | AtomicFetchXor64
            | AtomicXchg64 | AtomicCmpxchg64 => {
                self.atomic(st, insn)?;
                Ok(Next::Goto(next))
            }
            Ja => Ok(Next::Goto((pc as i64 + insn.off as i64 + 1) as usize)),
            Gotol => Ok(Next::Goto((pc as i64 + insn.imm + 1) as usize)),
            MayGoto => {
                if !self.p.profile.may_goto {
                    return Err(self.err(Some(st), Code::BadInsn, format!("unknown opcode {:02x}", insn.form().code)));
                }
                // Either the loop budget is exhausted (jump) or not (fall through).
                let target = (pc as i64 + insn.off as i64 + 1) as usize;
                Ok(self.may_goto(st, target))
            }
            JeqK | JeqX | JgtK | JgtX | JgeK | JgeX | JsetK | JsetX | JneK | JneX | JsgtK | JsgtX | JsgeK | JsgeX
            | JltK | JltX | JleK | JleX | JsltK | JsltX | JsleK | JsleX | JeqK32 | JeqX32 | JgtK32 | JgtX32
            | JgeK32 | JgeX32 | JsetK32 | JsetX32 | JneK32 | JneX32 | JsgtK32 | JsgtX32 | JsgeK32 | JsgeX32
            | JltK32 | JltX32 | JleK32 | JleX32 | JsltK32 | JsltX32 | JsleK32 | JsleX32 => self.cond_jump(st, insn),
            Call => self.helper_call(st, insn),
            CallLocal => self.local_call(st, insn),
            CallKfunc => {
                if let Some(ic) = self.p.iter_calls.get(&pc).copied() {
                    return self.iter_call(st, ic);
                }
                if !self.p.permissive {
                    return Err(self.err(
                        Some(st),
                        Code::Kfunc,
                        format!("calling kernel function {} is not allowed", insn.imm),
                    ));
                }
                if let Some(name) = self.p.kfuncs.get(&pc).cloned() {
                    if let Some(r) = self.kfunc_call(st, &name) {
                        return r;
                    }
                }
                // a kfunc the kernel's BTF does not describe: nothing known of its result
                st.clobber_args();
                *st.reg_mut(0) = Reg::unknown();
                Ok(Next::Goto(next))
            }
            Callx => {
                if !self.p.permissive {
                    return Err(self.err(Some(st), Code::BadInsn, format!("unknown opcode {:02x}", insn.form().code)));
                }
                Ok(Next::Goto(next))
            }
            Exit => self.exit(st),
        }
    }

    fn mov(&mut self, st: &mut State, insn: Insn) -> R<()> {
        use Op::*;
        self.check_dst_writable(st, insn.dst)?;
        let r = match insn.op {
            MovK64 => Reg::constant(insn.imm as i32 as i64 as u64),
            MovK32 => Reg::constant(insn.imm as u32 as u64),
            MovX64 => {
                let mut s = self.read_reg(st, insn.src)?;
                if s.is_scalar() && !s.val.is_const() && s.id == 0 {
                    s.id = self.new_id();
                    st.reg_mut(insn.src).id = s.id;
                }
                s
            }
            MovX32 => {
                let s = self.read_reg(st, insn.src)?;
                if s.is_scalar() {
                    Reg::scalar(s.val.zext32())
                } else {
                    Reg::unknown().with_val(Scalar::urange(0, u32::MAX as u64))
                }
            }
            MovsxB64 | MovsxH64 | MovsxW64 | MovsxB32 | MovsxH32 => {
                if !self.p.profile.isa_v4 {
                    return Err(self.err(Some(st), Code::BadInsn, format!("unknown opcode {:02x}", insn.form().code)));
                }
                let s = self.read_reg(st, insn.src)?;
                if !s.is_scalar() {
                    return Err(self.err(
                        Some(st),
                        Code::PointerArith,
                        format!("R{} sign-extension part of pointer", insn.src),
                    ));
                }
                let n = match insn.op {
                    MovsxB64 | MovsxB32 => 1,
                    MovsxH64 | MovsxH32 => 2,
                    _ => 4,
                };
                let v = s.val.sign_extend(n);
                Reg::scalar(if is_alu32(insn.op) { v.truncate(4) } else { v })
            }
            _ => unreachable!("mov"),
        };
        *st.reg_mut(insn.dst) = r;
        Ok(())
    }

    fn alu(&mut self, st: &mut State, insn: Insn) -> R<()> {
        use Op::*;
        let op = insn.op;
        let is32 = is_alu32(op);
        let is_k = op.form().src == bpf_isa::Field::Zero;
        let kind = match op {
            AddK64 | AddX64 | AddK32 | AddX32 => "+=",
            SubK64 | SubX64 | SubK32 | SubX32 => "-=",
            MulK64 | MulX64 | MulK32 | MulX32 => "*=",
            DivK64 | DivX64 | DivK32 | DivX32 | SdivK64 | SdivX64 | SdivK32 | SdivX32 => "/=",
            ModK64 | ModX64 | ModK32 | ModX32 | SmodK64 | SmodX64 | SmodK32 | SmodX32 => "%=",
            OrK64 | OrX64 | OrK32 | OrX32 => "|=",
            AndK64 | AndX64 | AndK32 | AndX32 => "&=",
            XorK64 | XorX64 | XorK32 | XorX32 => "^=",
            LshK64 | LshX64 | LshK32 | LshX32 => "<<=",
            RshK64 | RshX64 | RshK32 | RshX32 => ">>=",
            _ => "s>>=",
        };
        let signed_div = matches!(op, SdivK64 | SdivX64 | SdivK32 | SdivX32 | SmodK64 | SmodX64 | SmodK32 | SmodX32);
        if signed_div && !self.p.profile.isa_v4 {
            return Err(self.err(Some(st), Code::BadInsn, "BPF_ALU uses reserved fields".into()));
        }
        let src = if is_k {
            let v = if is32 { insn.imm as u32 as u64 } else { insn.imm as i32 as i64 as u64 };
            if matches!(kind, "/=" | "%=") && insn.imm == 0 {
                return Err(self.err(Some(st), Code::DivByZero, "div by zero".into()));
            }
            if matches!(kind, "<<=" | ">>=" | "s>>=") {
                let bits = if is32 { 32 } else { 64 };
                if insn.imm < 0 || insn.imm >= bits {
                    return Err(self.err(Some(st), Code::BadShift, format!("invalid shift {}", insn.imm)));
                }
            }
            Reg::constant(v)
        } else {
            self.read_reg(st, insn.src)?
        };
        let dst = self.read_reg(st, insn.dst)?;
        self.check_dst_writable(st, insn.dst)?;

        let (dst, src) = if self.p.permissive {
            let top = |r: &Reg| r.ty == RegType::BtfId;
            let as_scalar = |r: Reg, other: &Reg| {
                if top(&r) && (other.is_ptr() && !top(other) || !matches!(kind, "+=" | "-=")) {
                    Reg::unknown()
                } else {
                    r
                }
            };
            (as_scalar(dst, &src), as_scalar(src, &dst))
        } else {
            (dst, src)
        };
        if self.p.permissive && dst.ty == RegType::BtfId && src.ty == RegType::BtfId {
            *st.reg_mut(insn.dst) = Reg::unknown();
            return Ok(());
        }
        if dst.is_ptr() || src.is_ptr() {
            // The pointer's new offset relies on the scalar's range.
            if !is_k && dst.is_ptr() && src.is_scalar() {
                self.want_precise(st, insn.src);
            }
            if dst.is_scalar() && src.is_ptr() {
                self.want_precise(st, insn.dst);
            }
            let r = self.ptr_alu(st, insn, kind, dst, src, is32)?;
            *st.reg_mut(insn.dst) = r;
            return Ok(());
        }
        let bits = if is32 { 32 } else { 64 };
        // The kernel computes a range only for the operations it models; after any other (div,
        // mod, a shift by a non-constant or out-of-range amount) the whole 64-bit register is
        // unknown, even for a 32-bit operation (no zero extension): kernel/bpf/verifier.c,
        // is_safe_to_compute_dst_reg_range() and adjust_scalar_min_max_vals().
        let src_const = if is32 { src.val.is_const32() } else { src.val.is_const() };
        let tracked = match kind {
            "+=" | "-=" | "*=" | "|=" | "&=" | "^=" => true,
            "<<=" | ">>=" | "s>>=" => src_const && src.val.umax < bits as u64,
            _ => false,
        };
        if !tracked {
            *st.reg_mut(insn.dst) = Reg::unknown();
            return Ok(());
        }
        let (a, b) = if is32 {
            if kind == "s>>=" || signed_div {
                (dst.val.sext32(), src.val.sext32())
            } else {
                (dst.val.zext32(), src.val.zext32())
            }
        } else {
            (dst.val, src.val)
        };
        let mut r = match kind {
            "+=" => a.add(&b),
            "-=" => a.sub(&b),
            "*=" => a.mul(&b),
            "|=" => a.or(&b),
            "&=" => a.and(&b),
            "^=" => a.xor(&b),
            "<<=" | ">>=" | "s>>=" => {
                if b.umax >= bits as u64 {
                    Scalar::unknown()
                } else if kind == "<<=" {
                    a.lsh(&b)
                } else if kind == ">>=" {
                    a.rsh(&b)
                } else {
                    a.arsh(&b, 64)
                }
            }
            // not tracked: handled above
            _ => Scalar::unknown(),
        };
        if is32 {
            r = r.truncate(4);
        }
        if r.is_empty() {
            r = Scalar::unknown();
        }
        *st.reg_mut(insn.dst) = Reg::scalar(r);
        Ok(())
    }

    fn ptr_alu(&mut self, st: &State, insn: Insn, kind: &str, dst: Reg, src: Reg, is32: bool) -> R<Reg> {
        let d = insn.dst;
        if dst.is_ptr() && src.is_ptr() {
            if kind == "-=" {
                return Ok(Reg::unknown());
            }
            return Err(self.err(Some(st), Code::PointerArith, format!("R{d} pointer {kind} pointer prohibited")));
        }
        let (ptr, off, ptr_is_dst) = if dst.is_ptr() { (dst, src, true) } else { (src, dst, false) };
        if self.p.permissive && ptr.ty == RegType::BtfId {
            // BTF-typed kernel pointers are modelled loosely: keep a pointer for add, else a scalar
            return Ok(if ptr_is_dst && !is32 { ptr } else { Reg::unknown() });
        }
        if is32 {
            if kind == "-=" {
                return Ok(Reg::unknown());
            }
            return Err(self.err(Some(st), Code::PointerArith, format!("R{d} 32-bit pointer arithmetic prohibited")));
        }
        let known = off.val.is_const();
        let (smin, smax) = (off.val.smin, off.val.smax);
        if ptr.maybe_null {
            return Err(self.err(
                Some(st),
                Code::PointerArith,
                format!("R{d} pointer arithmetic on {} prohibited, null-check it first", ptr.type_name()),
            ));
        }
        match ptr.ty {
            RegType::MapPtr if known && smin == 0 && kind == "+=" => {}
            RegType::MapPtr
            | RegType::PacketEnd
            | RegType::Sock
            | RegType::SockCommon
            | RegType::TcpSock
            | RegType::XdpSock => {
                return Err(self.err(
                    Some(st),
                    Code::PointerArith,
                    format!("R{d} pointer arithmetic on {} prohibited", ptr.type_name()),
                ));
            }
            _ => {}
        }
        match kind {
            "+=" => {}
            "-=" => {
                if !ptr_is_dst {
                    return Err(self.err(
                        Some(st),
                        Code::PointerArith,
                        format!("R{d} tried to subtract pointer from scalar"),
                    ));
                }
                if ptr.ty == RegType::Stack {
                    return Err(self.err(
                        Some(st),
                        Code::PointerArith,
                        format!("R{d} subtraction from stack pointer prohibited"),
                    ));
                }
            }
            "&=" | "|=" | "^=" => {
                let name = match kind {
                    "&=" => "&=",
                    "|=" => "|=",
                    _ => "^=",
                };
                return Err(self.err(
                    Some(st),
                    Code::PointerArith,
                    format!("R{d} bitwise operator {name} on pointer prohibited"),
                ));
            }
            _ => {
                return Err(self.err(
                    Some(st),
                    Code::PointerArith,
                    format!("R{d} pointer arithmetic with {kind} operator prohibited"),
                ));
            }
        }
        let tname = ptr.ty.name();
        // sanity of the offset register and of the pointer
        if known && (smin >= BPF_MAX_VAR_OFF || smin <= -BPF_MAX_VAR_OFF) {
            return Err(self.err(
                Some(st),
                Code::PointerArith,
                format!("math between {tname} pointer and {smin} is not allowed"),
            ));
        }
        if !known && smin == i64::MIN {
            return Err(self.err(
                Some(st),
                Code::PointerArith,
                format!("math between {tname} pointer and register with unbounded min value is not allowed"),
            ));
        }
        if !known && (smin >= BPF_MAX_VAR_OFF || smin <= -BPF_MAX_VAR_OFF) {
            return Err(self.err(
                Some(st),
                Code::PointerArith,
                format!("value {smin} makes {tname} pointer be out of bounds"),
            ));
        }
        let _ = smax;
        let mut r = ptr;
        let neg = kind == "-=";
        if known {
            let c = if neg { -(smin) } else { smin };
            let no = ptr.off as i64 + c;
            if no >= BPF_MAX_VAR_OFF || no <= -BPF_MAX_VAR_OFF {
                return Err(self.err(
                    Some(st),
                    Code::PointerArith,
                    format!("{tname} pointer offset {no} is not allowed"),
                ));
            }
            r.off = no as i32;
        } else {
            r.val = if neg { ptr.val.sub(&off.val) } else { ptr.val.add(&off.val) };
            if r.ty.is_pkt() {
                r.id = self.new_id();
                r.range = 0;
            }
        }
        // the result must stay sane too
        if r.val.smin <= -BPF_MAX_VAR_OFF || r.val.smin >= BPF_MAX_VAR_OFF || r.val.smin == i64::MIN {
            if r.val.smin == i64::MIN {
                return Err(self.err(
                    Some(st),
                    Code::PointerArith,
                    format!("math between {tname} pointer and register with unbounded min value is not allowed"),
                ));
            }
            return Err(self.err(
                Some(st),
                Code::PointerArith,
                format!("value {} makes {tname} pointer be out of bounds", r.val.smin),
            ));
        }
        Ok(r)
    }

    fn ld_imm64(&mut self, st: &State, insn: Insn, pseudo: u8) -> R<Reg> {
        match pseudo {
            0 => {
                if let Some(r) = self.p.ld_refs.get(&self.pc) {
                    return self.ld_ref(st, *r);
                }
                Ok(Reg::constant(insn.imm as u64))
            }
            1 | 2 | 5 | 6 => {
                let Some(r) = self.p.ld_refs.get(&self.pc).copied() else {
                    return Err(self.err(
                        Some(st),
                        Code::BadMap,
                        format!("fd {} is not pointing to valid bpf_map", insn.imm as i32),
                    ));
                };
                let r = match (pseudo, r) {
                    (2 | 6, LdRef::Map(m)) => LdRef::MapValue(m, (insn.imm as u64 >> 32) as u32 as i32),
                    _ => r,
                };
                self.ld_ref(st, r)
            }
            4 => {
                let target = (self.pc as i64 + (insn.imm as i32) as i64 + 1) as usize;
                let sub = self.cfg.subprog_of_start(target).unwrap_or(0);
                Ok(Reg { ty: RegType::Func, subprog: sub as u32, val: Scalar::constant(0), ..Reg::NOT_INIT })
            }
            3 => {
                if self.p.permissive {
                    return Ok(Reg { ty: RegType::BtfId, val: Scalar::constant(0), ..Reg::NOT_INIT });
                }
                Err(self.err(Some(st), Code::BadInsn, "kernel variables via BPF_PSEUDO_BTF_ID are not modelled".into()))
            }
            _ => Err(self.err(Some(st), Code::BadInsn, "invalid bpf_ld_imm64 insn".into())),
        }
    }

    fn ld_ref(&mut self, st: &State, r: LdRef) -> R<Reg> {
        match r {
            LdRef::Map(m) => Ok(Reg { ty: RegType::MapPtr, map: m, val: Scalar::constant(0), ..Reg::NOT_INIT }),
            LdRef::MapValue(m, off) => {
                let map = &self.p.maps[m as usize];
                if map.map_type != 2 {
                    return Err(self.err(
                        Some(st),
                        Code::BadMap,
                        "map type does not support direct value access".into(),
                    ));
                }
                if off < 0 || off as u32 >= map.value_size.max(1) {
                    return Err(self.err(
                        Some(st),
                        Code::BadMap,
                        format!("invalid access to map value pointer, value_size={} off={}", map.value_size, off),
                    ));
                }
                Ok(Reg { ty: RegType::MapValue, map: m, off, val: Scalar::constant(0), ..Reg::NOT_INIT })
            }
        }
    }

    fn ld_abs(&mut self, st: &mut State, insn: Insn) -> R<()> {
        let ok_type = matches!(self.p.prog_type, ProgType::SOCKET_FILTER | ProgType::SCHED_CLS | ProgType::SCHED_ACT);
        if !ok_type {
            return Err(self.err(
                Some(st),
                Code::BadInsn,
                "BPF_LD_[ABS|IND] instructions not allowed for this program type".into(),
            ));
        }
        if !st.refs.is_empty() {
            return Err(self.err(
                Some(st),
                Code::RefLeak,
                "BPF_LD_[ABS|IND] cannot be mixed with socket references".into(),
            ));
        }
        if st.spin_lock.is_some() {
            return Err(self.err(
                Some(st),
                Code::SpinLock,
                "BPF_LD_[ABS|IND] cannot be used inside bpf_spin_lock-ed region".into(),
            ));
        }
        if matches!(insn.op, Op::LdIndW | Op::LdIndH | Op::LdIndB) {
            let s = self.read_reg(st, insn.src)?;
            let _ = s;
        }
        let r6 = self.read_reg(st, 6)?;
        if r6.ty != RegType::Ctx {
            return Err(self.err(Some(st), Code::BadInsn, "at the time of BPF_LD_ABS|IND R6 != pointer to skb".into()));
        }
        st.clobber_args();
        let n = sz(insn.op);
        *st.reg_mut(0) = Reg::scalar(Scalar::urange(0, (1u64 << (n * 8)) - 1));
        Ok(())
    }

    // ---------------------------------------------------------------- memory

    fn check_align(&self, st: &State, reg: &Reg, off: i32, size: u32, strict_once: bool) -> R<()> {
        let strict = self.p.strict_alignment || strict_once || reg.ty == RegType::Stack;
        if !strict || size == 1 {
            return Ok(());
        }
        let desc = match reg.ty {
            RegType::Packet | RegType::PacketMeta => "packet ",
            RegType::FlowKeys => "flow keys ",
            RegType::MapKey => "key ",
            RegType::MapValue => "value ",
            RegType::Ctx => "context ",
            RegType::Stack => "stack ",
            RegType::Sock => "sock ",
            RegType::SockCommon => "sock_common ",
            RegType::TcpSock => "tcp_sock ",
            RegType::XdpSock => "xdp_sock ",
            _ => "",
        };
        let ip_align = if reg.ty.is_pkt() { 2 } else { 0 };
        let base = if reg.ty.is_pkt() && !self.p.strict_alignment { return Ok(()) } else { ip_align };
        let t = reg.val.var.add(Tnum::constant((base as i64 + reg.off as i64 + off as i64) as u64));
        if t.value & (size as u64 - 1) != 0 || t.mask & (size as u64 - 1) != 0 {
            return Err(self.err(
                Some(st),
                Code::Misaligned,
                format!(
                    "misaligned {desc}access off {}+{}+{} size {}",
                    if reg.val.var.is_const() {
                        format!("{}", reg.val.var.value as i64)
                    } else {
                        format!("{}", reg.val.var)
                    },
                    reg.off,
                    off,
                    size
                ),
            ));
        }
        Ok(())
    }

    /// Check `[var + off, var + off + size)` against `[0, mem_size)`.
    #[allow(clippy::too_many_arguments)]
    fn check_region(&self, st: &State, regno: u8, reg: &Reg, off: i32, size: u32, mem_size: u32, what: &str) -> R<()> {
        let fixed = |o: i64| -> bool { o >= 0 && size > 0 && o + size as i64 <= mem_size as i64 };
        let fixed_msg = |o: i64| -> String {
            match what {
                "map" => format!("invalid access to map value, value_size={mem_size} off={o} size={size}"),
                "key" => format!("invalid access to map key, key_size={mem_size} off={o} size={size}"),
                _ => format!("invalid access to memory, mem_size={mem_size} off={o} size={size}"),
            }
        };
        let off = off as i64 + reg.off as i64;
        let v = &reg.val;
        if v.is_const() {
            let o = off + v.smin;
            if !fixed(o) {
                return Err(self.err(Some(st), Code::OutOfBounds, fixed_msg(o)));
            }
            return Ok(());
        }
        if v.smin < 0 && (v.smin == i64::MIN || off + v.smin != (off + v.smin) as i32 as i64 || v.smin + off < 0) {
            return Err(self.err(
                Some(st),
                Code::NegativeIndex,
                format!("R{regno} min value is negative, either use unsigned index or do a if (index >=0) check."),
            ));
        }
        if !fixed(off + v.smin) {
            return Err(self.err(
                Some(st),
                Code::OutOfBounds,
                format!("R{regno} min value is outside of the allowed memory range"),
            ));
        }
        if v.umax >= BPF_MAX_VAR_OFF as u64 {
            return Err(self.err(
                Some(st),
                Code::Unbounded,
                format!("R{regno} unbounded memory access, make sure to bounds check any such access"),
            ));
        }
        if !fixed(off + v.umax as i64) {
            return Err(self.err(
                Some(st),
                Code::OutOfBounds,
                format!("R{regno} max value is outside of the allowed memory range"),
            ));
        }
        Ok(())
    }

    /// A load (`write == false`, returns the loaded value) or store of `size` bytes at
    /// `base + off`. `atomic` asks for strict alignment.
    #[allow(clippy::too_many_arguments)]
    fn mem_access(
        &mut self,
        st: &mut State,
        regno: u8,
        base: Reg,
        off: i32,
        size: u32,
        write: bool,
        val: Option<Reg>,
        atomic: bool,
    ) -> R<Option<Reg>> {
        // The same instruction must not be used with ctx and non-ctx pointers.
        let kind = base.ty;
        let special = |t: RegType| matches!(t, RegType::Ctx | RegType::BtfId) || t.is_sock();
        match self.access_kind.get(&self.pc) {
            Some(k) if *k != kind && base.is_ptr() && (special(*k) || special(kind)) => {
                return Err(self.err(
                    Some(st),
                    Code::BadInsn,
                    "same insn cannot be used with different pointers".into(),
                ));
            }
            _ => {
                if base.is_ptr() {
                    self.access_kind.insert(self.pc, kind);
                }
            }
        }
        if base.maybe_null
            || !base.is_ptr()
            || matches!(base.ty, RegType::PacketEnd | RegType::Func | RegType::Iter | RegType::Dynptr)
        {
            return Err(self.err(
                Some(st),
                Code::InvalidMem,
                format!("R{regno} invalid mem access '{}'", base.type_name()),
            ));
        }
        self.check_align(st, &base, off, size, atomic)?;
        let scalar_of_size = |n: u32| if n >= 8 { Scalar::unknown() } else { Scalar::urange(0, (1u64 << (n * 8)) - 1) };
        match base.ty {
            RegType::Stack => {
                let frame = base.frame as usize;
                if base.val.is_const() {
                    let o = base.off + off + base.val.smin as i32;
                    if (-512..0).contains(&o) {
                        self.step_slot = Some((frame as u8, ((-o - 1) / 8) as u8));
                    }
                    if o < -self.p.profile.max_stack || o + size as i32 > 0 || o >= 0 {
                        let rw = if write { "write to" } else { "read from" };
                        return Err(self.err(
                            Some(st),
                            Code::StackOutOfBounds,
                            format!("invalid {rw} stack R{regno} off={o} size={size}"),
                        ));
                    }
                    if write {
                        self.stack_write(st, frame, o, size, val.unwrap_or_else(Reg::unknown))?;
                        Ok(None)
                    } else {
                        self.stack_read(st, frame, regno, o, size).map(Some)
                    }
                } else {
                    let min = base.off as i64 + off as i64 + base.val.smin;
                    let max = base.off as i64 + off as i64 + base.val.smax;
                    if base.val.smin == i64::MIN || min < -(self.p.profile.max_stack as i64) || max + size as i64 > 0 {
                        return Err(self.err(
                            Some(st),
                            Code::StackOutOfBounds,
                            format!(
                                "invalid variable-offset {} stack R{regno} var_off={} off={} size={}",
                                if write { "write to" } else { "read from" },
                                base.val.var,
                                off,
                                size
                            ),
                        ));
                    }
                    let fr = &mut st.frames[frame];
                    if write {
                        for o in min..max + size as i64 {
                            let o = o as i32;
                            if fr.byte(o) == SlotByte::Spill {
                                fr.slot_mut(o).bytes = [SlotByte::Misc; 8];
                            }
                            fr.set_byte(o, SlotByte::Misc);
                        }
                        self.note_depth(st, frame, min as i32);
                        Ok(None)
                    } else {
                        for o in min..max + size as i64 {
                            if fr.byte(o as i32) == SlotByte::Invalid && !self.p.profile.allow_uninit_stack {
                                return Err(self.err(
                                    Some(st),
                                    Code::UninitStack,
                                    format!(
                                        "invalid variable-offset read from stack R{regno} var_off={} off={} size={}",
                                        base.val.var, off, size
                                    ),
                                ));
                            }
                        }
                        Ok(Some(Reg::scalar(scalar_of_size(size))))
                    }
                }
            }
            RegType::Ctx => {
                if base.val.is_const() {
                    let o = base.off as i64 + base.val.smin + off as i64;
                    self.sink.ctx.insert(CtxAccess { insn: self.pc, off: o, size, write });
                }
                if base.off != 0 {
                    return Err(self.err(
                        Some(st),
                        Code::CtxAccess,
                        format!("dereference of modified ctx ptr R{regno} off={} disallowed", base.off),
                    ));
                }
                if !base.val.is_const() || base.val.smin != 0 {
                    return Err(self.err(
                        Some(st),
                        Code::CtxAccess,
                        format!("variable ctx access var_off={} disallowed", base.val.var),
                    ));
                }
                if atomic {
                    return Err(self.err(
                        Some(st),
                        Code::CtxAccess,
                        format!("BPF_ATOMIC stores into R{regno} ctx is not allowed"),
                    ));
                }
                if let Some(bc) = self.p.btf_ctx.as_ref() {
                    return self.btf_ctx_access(st, bc, off, size, write).map(Some);
                }
                match ctx::check(&self.layout, off as i64, size, write) {
                    Access::Denied => Err(self.err(
                        Some(st),
                        Code::CtxAccess,
                        format!("invalid bpf_context access off={off} size={size}"),
                    )),
                    Access::Ok(y) => {
                        if write {
                            return Ok(None);
                        }
                        let r = match y {
                            Yields::Scalar if size == 8 && self.p.permissive && ctx::btf_ctx(self.p.prog_type) => {
                                Reg::ptr(RegType::BtfId)
                            }
                            Yields::Scalar => Reg::scalar(scalar_of_size(size)),
                            Yields::Packet => Reg::ptr(RegType::Packet),
                            Yields::PacketEnd => Reg::ptr(RegType::PacketEnd),
                            Yields::PacketMeta => Reg::ptr(RegType::PacketMeta),
                            Yields::FlowKeys => Reg::ptr(RegType::FlowKeys),
                            Yields::SockCommonOrNull | Yields::SockOrNull => {
                                let ty = if y == Yields::SockOrNull { RegType::Sock } else { RegType::SockCommon };
                                Reg { maybe_null: true, id: self.new_id(), ..Reg::ptr(ty) }
                            }
                            Yields::Sock => Reg::ptr(RegType::Sock),
                            Yields::BtfId => Reg::ptr(RegType::BtfId),
                        };
                        Ok(Some(r))
                    }
                }
            }
            RegType::MapValue => {
                let map = &self.p.maps[base.map as usize];
                if write && map.prog_rdonly() {
                    return Err(self.err(
                        Some(st),
                        Code::ReadOnly,
                        format!(
                            "write into map forbidden, value_size={} off={} size={}",
                            map.value_size,
                            off + base.off,
                            size
                        ),
                    ));
                }
                if !write && map.prog_wronly() {
                    return Err(self.err(
                        Some(st),
                        Code::ReadOnly,
                        format!(
                            "read from map forbidden, value_size={} off={} size={}",
                            map.value_size,
                            off + base.off,
                            size
                        ),
                    ));
                }
                self.check_region(st, regno, &base, off, size, map.value_size, "map")?;
                // special fields
                let lo = base.off as i64 + off as i64 + base.val.smin;
                let hi = base.off as i64 + off as i64 + base.val.umax.min(1 << 30) as i64 + size as i64;
                let hit = |fo: u32, fs: u32| lo < (fo + fs) as i64 && hi > fo as i64;
                if let Some(o) = map.spin_lock_off {
                    if hit(o, 4) {
                        return Err(self.err(
                            Some(st),
                            Code::SpinLock,
                            "bpf_spin_lock cannot be accessed directly by load/store".into(),
                        ));
                    }
                }
                if let Some(o) = map.timer_off {
                    if hit(o, 16) {
                        return Err(self.err(
                            Some(st),
                            Code::SpinLock,
                            "bpf_timer cannot be accessed directly by load/store".into(),
                        ));
                    }
                }
                for &k in &map.kptr_offs {
                    if hit(k, 8) && !self.p.permissive && (size != 8 || lo != k as i64) {
                        {
                            return Err(self.err(
                                Some(st),
                                Code::InvalidMem,
                                "kptr access size must be BPF_DW".to_string(),
                            ));
                        }
                    }
                }
                if write {
                    return Ok(None);
                }
                if let (Some(bytes), true) = (&map.frozen, base.val.is_const() && map.prog_rdonly()) {
                    let o = lo as usize;
                    if o + size as usize <= bytes.len() {
                        let mut v = 0u64;
                        for i in 0..size as usize {
                            v |= (bytes[o + i] as u64) << (8 * i);
                        }
                        return Ok(Some(Reg::constant(v)));
                    }
                }
                Ok(Some(Reg::scalar(scalar_of_size(size))))
            }
            RegType::MapKey => {
                if write {
                    return Err(self.err(Some(st), Code::ReadOnly, format!("R{regno} cannot write into map_key")));
                }
                let ks = self.p.maps.get(base.map as usize).map(|m| m.key_size).unwrap_or(0);
                self.check_region(st, regno, &base, off, size, ks, "key")?;
                Ok(Some(Reg::scalar(scalar_of_size(size))))
            }
            RegType::Mem | RegType::Buf | RegType::TpBuffer => {
                if write && base.rdonly {
                    return Err(self.err(
                        Some(st),
                        Code::ReadOnly,
                        format!("R{regno} cannot write into {}", base.type_name()),
                    ));
                }
                if base.mem_size == u32::MAX {
                    return Ok(if write { None } else { Some(Reg::scalar(scalar_of_size(size))) });
                }
                self.check_region(st, regno, &base, off, size, base.mem_size, "mem")?;
                Ok(if write { None } else { Some(Reg::scalar(scalar_of_size(size))) })
            }
            RegType::Packet | RegType::PacketMeta => {
                if write && !ctx::may_write_packet(self.p.prog_type) {
                    return Err(self.err(Some(st), Code::PacketWrite, "cannot write into packet".into()));
                }
                if atomic {
                    return Err(self.err(
                        Some(st),
                        Code::InvalidMem,
                        format!("BPF_ATOMIC stores into R{regno} {} is not allowed", base.ty.name()),
                    ));
                }
                if base.val.smin < 0 {
                    return Err(self.err(
                        Some(st),
                        Code::NegativeIndex,
                        format!(
                            "R{regno} min value is negative, either use unsigned index or do a if (index >=0) check."
                        ),
                    ));
                }
                let o = base.off as i64 + off as i64;
                if o < 0 || o + size as i64 > base.range as i64 || base.range < 0 {
                    return Err(self.err(
                        Some(st),
                        Code::PacketBounds,
                        format!(
                            "invalid access to packet, off={} size={}, R{regno}(id={},off={},r={})\nR{regno} offset is outside of the packet",
                            o, size, base.id, base.off, base.range
                        ),
                    ));
                }
                Ok(if write { None } else { Some(Reg::scalar(scalar_of_size(size))) })
            }
            RegType::FlowKeys => {
                let o = base.off as i64 + off as i64 + base.val.smin;
                if !base.val.is_const() || o < 0 || o + size as i64 > 56 {
                    return Err(self.err(
                        Some(st),
                        Code::OutOfBounds,
                        format!("invalid access to flow keys off={o} size={size}"),
                    ));
                }
                Ok(if write { None } else { Some(Reg::scalar(scalar_of_size(size))) })
            }
            RegType::Sock | RegType::SockCommon | RegType::TcpSock | RegType::XdpSock => {
                let o = base.off as i64 + off as i64;
                let ok = !write
                    && !atomic
                    && base.val.is_const()
                    && base.val.smin == 0
                    && match base.ty {
                        RegType::Sock => ctx::sock_access(true, o, size),
                        RegType::SockCommon => ctx::sock_access(false, o, size),
                        RegType::TcpSock => ctx::tcp_sock_access(o, size),
                        _ => o == 0 && size == 4,
                    };
                if !ok {
                    return Err(self.err(
                        Some(st),
                        Code::InvalidMem,
                        format!("R{regno} invalid {} access off={o} size={size}", base.ty.name()),
                    ));
                }
                Ok(Some(Reg::scalar(scalar_of_size(size))))
            }
            RegType::BtfId | RegType::MapPtr => {
                if base.ty == RegType::BtfId && base.val.is_const() && base.off == 0 && base.val.smin == 0 {
                    // a constant offset straight from a kernel object's start
                    self.sink.btf.insert((self.pc, off as i64, size));
                }
                if base.ty == RegType::MapPtr {
                    // a map pointer reads the kernel's map struct (kernel/bpf/verifier.c,
                    // check_ptr_to_map_access(): read only, not below its start)
                    let mt = self.p.maps.get(base.map as usize).map_or(0, |m| m.map_type);
                    let sname = map_struct_name(mt);
                    if write {
                        return Err(self.err(
                            Some(st),
                            Code::InvalidMem,
                            format!("only read from {sname} is supported"),
                        ));
                    }
                    let o = base.off as i64 + off as i64;
                    if o < 0 || !base.val.is_const() {
                        return Err(self.err(
                            Some(st),
                            Code::InvalidMem,
                            format!("R{regno} is {sname} invalid negative access: off={o}"),
                        ));
                    }
                }
                // kernel objects are read-only, except where a program type has its own
                // btf_struct_access (struct_ops callbacks, tc's sk_buff fields)
                let writable =
                    matches!(self.p.prog_type, ProgType::STRUCT_OPS | ProgType::SCHED_CLS | ProgType::SCHED_ACT);
                if write && (!self.p.permissive || !writable) {
                    return Err(self.err(Some(st), Code::InvalidMem, "only read is supported".into()));
                }
                if !write && size == 8 && self.p.permissive && base.ty == RegType::BtfId {
                    return Ok(Some(Reg::ptr(RegType::BtfId)));
                }
                Ok(if write { None } else { Some(Reg::scalar(scalar_of_size(size))) })
            }
            RegType::NotInit
            | RegType::Scalar
            | RegType::PacketEnd
            | RegType::Func
            | RegType::Iter
            | RegType::Dynptr => {
                unreachable!("checked above")
            }
        }
    }

    /// A context read of a BTF-typed tracing program: the traced function's argument `off / 8`
    /// (kernel/bpf/verifier.c tracing_prog_is_valid_access() and kernel/bpf/btf.c
    /// btf_ctx_access()). Scalars (ints, enums, structs by value, `void *`, `int *`) may be read
    /// at any aligned size; pointers to kernel objects only as 8 bytes, and become
    /// `PTR_TO_BTF_ID`; nothing may be written.
    fn btf_ctx_access(&mut self, st: &State, bc: &crate::program::BtfCtx, off: i32, size: u32, write: bool) -> R<Reg> {
        use crate::kernel_btf::ValueKind;
        let denied = |v: &Self, why: Option<String>| {
            let mut d = v.err(Some(st), Code::CtxAccess, format!("invalid bpf_context access off={off} size={size}"));
            if let Some(w) = why {
                d.kernel = format!("{w}\ninvalid bpf_context access off={off} size={size}");
            }
            Err(d)
        };
        if !(0..8 * 12).contains(&off) || write || off % size as i32 != 0 {
            return denied(self, None);
        }
        if off % 8 != 0 {
            return denied(self, Some(format!("func '{}' offset {off} is not multiple of 8", bc.func)));
        }
        let arg = (off / 8) as usize;
        let kind = match bc.args.get(arg) {
            Some(k) => k,
            None if arg == bc.args.len() && bc.ret.is_some() => bc.ret.as_ref().unwrap_or(&ValueKind::Scalar(8)),
            None => return denied(self, Some(format!("func '{}' doesn't have {}-th argument", bc.func, arg + 1))),
        };
        match kind {
            ValueKind::Scalar(_) if size >= 8 => Ok(Reg::unknown()),
            ValueKind::Scalar(_) => Ok(Reg::scalar(Scalar::urange(0, (1u64 << (size * 8)) - 1))),
            ValueKind::Other(what) => denied(
                self,
                Some(format!("func '{}' arg{arg} has type {what}. Only pointer access is allowed", bc.func)),
            ),
            _ if size != 8 => denied(self, Some(format!("func '{}' size {size} must be 8", bc.func))),
            ValueKind::ScalarPtr => Ok(Reg::unknown()),
            // tracing programs' arguments are trusted (kernel/bpf/btf.c, prog_args_trusted())
            ValueKind::BtfPtr(name) => {
                let btf_id = self.p.kernel_btf.as_ref().map_or(0, |k| k.struct_id(name));
                Ok(Reg { btf_id, trust: crate::domain::state::TRUSTED, ..Reg::ptr(RegType::BtfId) })
            }
        }
    }

    fn note_depth(&mut self, st: &State, frame: usize, o: i32) {
        let sub = st.frames[frame].subprog;
        let d = -o;
        if d > self.stack_depth[sub] {
            self.stack_depth[sub] = d;
        }
    }

    fn stack_write(&mut self, st: &mut State, frame: usize, o: i32, size: u32, val: Reg) -> R<()> {
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

    fn stack_read(&self, st: &State, frame: usize, regno: u8, o: i32, size: u32) -> R<Reg> {
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

    fn atomic(&mut self, st: &mut State, insn: Insn) -> R<()> {
        use Op::*;
        let fetch = !matches!(
            insn.op,
            AtomicAdd32 | AtomicOr32 | AtomicAnd32 | AtomicXor32 | AtomicAdd64 | AtomicOr64 | AtomicAnd64 | AtomicXor64
        );
        if fetch && insn.src == 10 && !matches!(insn.op, AtomicCmpxchg32 | AtomicCmpxchg64) {
            return Err(self.err(Some(st), Code::FramePointerWrite, "frame pointer is read only".into()));
        }
        let size = if insn.form().code == 0xdb { 8 } else { 4 };
        let src = self.read_reg(st, insn.src)?;
        let base = self.read_reg(st, insn.dst)?;
        if matches!(insn.op, AtomicCmpxchg32 | AtomicCmpxchg64) {
            self.read_reg(st, 0)?;
        }
        if matches!(base.ty, RegType::Ctx | RegType::Packet | RegType::PacketMeta | RegType::FlowKeys)
            || base.ty.is_sock()
        {
            return Err(self.err(
                Some(st),
                Code::InvalidMem,
                format!("BPF_ATOMIC stores into R{} {} is not allowed", insn.dst, base.ty.name()),
            ));
        }
        let old = self.mem_access(st, insn.dst, base, insn.off as i32, size, false, None, true)?;
        let stored = if matches!(insn.op, AtomicXchg32 | AtomicXchg64) { src } else { Reg::unknown() };
        let stored = if matches!(insn.op, AtomicCmpxchg32 | AtomicCmpxchg64) && src.is_ptr() { src } else { stored };
        self.mem_access(st, insn.dst, base, insn.off as i32, size, true, Some(stored), true)?;
        let fetched = match old {
            Some(r) if base.ty == RegType::Stack && size == 8 && r.is_ptr() => r,
            _ => {
                if size == 4 {
                    Reg::scalar(Scalar::urange(0, u32::MAX as u64))
                } else {
                    Reg::unknown()
                }
            }
        };
        match insn.op {
            AtomicCmpxchg32 | AtomicCmpxchg64 => *st.reg_mut(0) = fetched,
            AtomicAdd32 | AtomicOr32 | AtomicAnd32 | AtomicXor32 | AtomicAdd64 | AtomicOr64 | AtomicAnd64
            | AtomicXor64 => {}
            _ => *st.reg_mut(insn.src) = fetched,
        }
        Ok(())
    }

    // ---------------------------------------------------------------- branches

    fn cond_jump(&mut self, st: &mut State, insn: Insn) -> R<Next> {
        use Op::*;
        let pc = self.pc;
        let is32 = insn.form().class() == 6;
        let is_k = insn.form().src == bpf_isa::Field::Zero;
        let target = (pc as i64 + insn.off as i64 + 1) as usize;
        let dst = self.read_reg(st, insn.dst)?;
        let src = if is_k {
            Reg::constant(if is32 { insn.imm as u32 as u64 } else { insn.imm as i32 as i64 as u64 })
        } else {
            self.read_reg(st, insn.src)?
        };
        let cmp = match insn.op {
            JeqK | JeqX | JeqK32 | JeqX32 => Cmp::Eq,
            JneK | JneX | JneK32 | JneX32 => Cmp::Ne,
            JgtK | JgtX | JgtK32 | JgtX32 => Cmp::Gt,
            JgeK | JgeX | JgeK32 | JgeX32 => Cmp::Ge,
            JltK | JltX | JltK32 | JltX32 => Cmp::Lt,
            JleK | JleX | JleK32 | JleX32 => Cmp::Le,
            JsgtK | JsgtX | JsgtK32 | JsgtX32 => Cmp::Sgt,
            JsgeK | JsgeX | JsgeK32 | JsgeX32 => Cmp::Sge,
            JsltK | JsltX | JsltK32 | JsltX32 => Cmp::Slt,
            JsleK | JsleX | JsleK32 | JsleX32 => Cmp::Sle,
            _ => Cmp::Set,
        };
        let fall = pc + 1;
        // Pointers.
        if dst.is_ptr() || src.is_ptr() {
            let mut taken = st.clone();
            // null checks
            if !is32 && matches!(cmp, Cmp::Eq | Cmp::Ne) {
                let (p, other) = if dst.is_ptr() { (dst, src) } else { (src, dst) };
                if other.is_null_const() {
                    if p.maybe_null {
                        let (null_st, nonnull_st) =
                            if cmp == Cmp::Eq { (&mut taken, &mut *st) } else { (&mut *st, &mut taken) };
                        mark_null(null_st, p.id, true);
                        mark_null(nonnull_st, p.id, false);
                        return Ok(Next::Branch { taken_pc: target, taken, fall_pc: fall });
                    }
                    if non_null(&p) {
                        // ptr == 0 is never true
                        if !is_k && src.is_scalar() {
                            self.want_precise(st, insn.src);
                        }
                        return Ok(Next::Goto(if cmp == Cmp::Eq { fall } else { target }));
                    }
                }
            }
            // Comparing a maybe-NULL pointer with a non-NULL one: where they are equal, the
            // maybe-NULL register is not NULL (the kernel marks that register only).
            if !is32
                && !is_k
                && matches!(cmp, Cmp::Eq | Cmp::Ne)
                && dst.is_ptr()
                && src.is_ptr()
                && dst.maybe_null != src.maybe_null
                && dst.ty != RegType::BtfId
                && src.ty != RegType::BtfId
            {
                let eq = if cmp == Cmp::Eq { &mut taken } else { &mut *st };
                let r = if src.maybe_null { insn.src } else { insn.dst };
                eq.reg_mut(r).maybe_null = false;
            }
            if !is32 && dst.is_ptr() && src.is_ptr() {
                self.pkt_compare(st, &mut taken, insn, cmp, dst, src);
            }
            return Ok(Next::Branch { taken_pc: target, taken, fall_pc: fall });
        }
        // Scalars.
        let (a, b) = (dst.val, src.val);
        // Copies refined with an operand (one id): backtracking must follow them too.
        let ids = [dst.id, if is_k { 0 } else { src.id }];
        if ids.iter().any(|&i| i != 0) {
            let f = st.cur();
            let same = |r: &Reg| r.is_scalar() && r.id != 0 && ids.contains(&r.id);
            let regs = (0..10u16).filter(|&r| same(&f.regs[r as usize])).fold(0u16, |m, r| m | 1 << r);
            let slots = f
                .stack
                .iter()
                .enumerate()
                .take(64)
                .filter(|(_, sl)| sl.bytes[0] == SlotByte::Spill && same(&sl.spilled))
                .fold(0u64, |m, (i, _)| m | 1 << i);
            self.step_linked = (regs, slots);
        }
        let decided = |v: &mut Self, st: &State| {
            v.want_precise(st, insn.dst);
            if !is_k {
                v.want_precise(st, insn.src);
            }
        };
        match outcome(cmp, &a, &b, is32) {
            Some(true) => {
                decided(self, st);
                return Ok(Next::Goto(target));
            }
            Some(false) => {
                decided(self, st);
                return Ok(Next::Goto(fall));
            }
            None => {}
        }
        let mut taken = st.clone();
        let (ta, tb) = refine(cmp, &a, &b, is32, true);
        let (fa, fb) = refine(cmp, &a, &b, is32, false);
        let t_ok =
            set_scalar(&mut taken, insn.dst, dst.id, ta) && (is_k || set_scalar(&mut taken, insn.src, src.id, tb));
        let f_ok = set_scalar(st, insn.dst, dst.id, fa) && (is_k || set_scalar(st, insn.src, src.id, fb));
        if !(t_ok && f_ok) {
            // one way is infeasible given the ranges: decided by them
            decided(self, st);
        }
        match (t_ok, f_ok) {
            (true, true) => Ok(Next::Branch { taken_pc: target, taken, fall_pc: fall }),
            (true, false) => {
                *st = taken;
                Ok(Next::Goto(target))
            }
            (false, true) => Ok(Next::Goto(fall)),
            (false, false) => Ok(Next::Exit),
        }
    }

    fn pkt_compare(&self, fall: &mut State, taken: &mut State, insn: Insn, cmp: Cmp, dst: Reg, src: Reg) {
        let _ = insn;
        let is_pair = |a: &Reg, b: &Reg| {
            (a.ty == RegType::Packet && b.ty == RegType::PacketEnd)
                || (a.ty == RegType::PacketMeta
                    && b.ty == RegType::Packet
                    && b.off == 0
                    && b.val.const_value() == Some(0))
        };
        // (state, pointer reg, right-open)
        let apply = |s: &mut State, p: &Reg, open: bool| {
            if p.off < 0 || (p.off == 0 && open) {
                return;
            }
            if p.val.umax > MAX_PACKET_OFF || p.val.umax + p.off as u64 > MAX_PACKET_OFF {
                return;
            }
            let nr = p.off + if open { 1 } else { 0 };
            let (ty, id) = (p.ty, p.id);
            s.for_each_reg(|r| {
                if r.ty == ty && r.id == id && r.range < nr {
                    r.range = nr;
                }
            });
        };
        if is_pair(&dst, &src) {
            match cmp {
                Cmp::Gt => apply(fall, &dst, false),
                Cmp::Lt => apply(taken, &dst, true),
                Cmp::Ge => apply(fall, &dst, true),
                Cmp::Le => apply(taken, &dst, false),
                _ => {}
            }
        } else if is_pair(&src, &dst) {
            match cmp {
                Cmp::Gt => apply(taken, &src, true),
                Cmp::Lt => apply(fall, &src, false),
                Cmp::Ge => apply(taken, &src, false),
                Cmp::Le => apply(fall, &src, true),
                _ => {}
            }
        }
    }

    // ---------------------------------------------------------------- calls

    fn helper_call(&mut self, st: &mut State, insn: Insn) -> R<Next> {
        let id = insn.imm as u32;
        if let Some(name) = self.p.kfuncs.get(&self.pc) {
            let _ = name;
            st.clobber_args();
            *st.reg_mut(0) = Reg::unknown();
            return Ok(Next::Goto(self.pc + 1));
        }
        if self.p.permissive && helpers::by_id(id).is_none() && id <= 300 {
            st.clobber_args();
            *st.reg_mut(0) = Reg::unknown();
            return Ok(Next::Goto(self.pc + 1));
        }
        let Some(h) = helpers::by_id(id) else {
            return Err(self.err(Some(st), Code::UnknownHelper, format!("invalid func unknown#{}", insn.imm)));
        };
        if !h.allowed_for(self.p.prog_type, self.p.attach_type) {
            return Err(self.err(
                Some(st),
                Code::HelperNotAllowed,
                format!("program of this type cannot use helper {}#{}", h.name, h.id),
            ));
        }
        if st.spin_lock.is_some() && !matches!(id, 94 | 93) {
            return Err(self.err(
                Some(st),
                Code::SpinLock,
                "function calls are not allowed while holding a lock".into(),
            ));
        }
        {
            let map_reg = if id == 12 { *st.reg(2) } else { *st.reg(1) };
            let r4 = *st.reg(4);
            let r4c = if r4.is_scalar() { r4.val.const_value().map(|v| v as i64) } else { None };
            let cb =
                [1u8, 2, 3, 4].iter().map(|&r| *st.reg(r)).find(|r| r.ty == RegType::Func).map(|r| r.subprog as usize);
            let e = self.sink.helpers.entry(self.pc).or_insert(HelperCall {
                insn: self.pc,
                id,
                maps: Vec::new(),
                r4_const: r4c,
                callback: cb,
            });
            if map_reg.ty == RegType::MapPtr && !e.maps.contains(&map_reg.map) {
                e.maps.push(map_reg.map);
            }
            if e.r4_const != r4c {
                e.r4_const = None;
            }
        }
        let meta = self.check_helper_args(st, h)?;
        let mut dynptr = None;
        let slice_len = if id == 203 { st.reg(3).val.const_value() } else { None };
        for &(r, u) in dynptrs::helper_dynptr_args(id) {
            if st.reg(r).ty == RegType::Stack || !self.p.permissive {
                dynptr = self.dynptr_arg(st, r, u)?.or(dynptr);
            }
        }
        // bpf_kptr_xchg(): the map takes the reference passed in (OBJ_RELEASE), the old value
        // comes back referenced (kernel/bpf/helpers.c bpf_kptr_xchg_proto; verifier.c
        // is_acquire_function())
        let xchg_released = if id == 194 {
            let r = *st.reg(2);
            if r.ref_id != 0 {
                st.release_ref(r.ref_id);
            }
            true
        } else {
            false
        };
        if id == 12 && !st.refs.is_empty() {
            return Err(self.err(Some(st), Code::RefLeak, "tail_call would lead to reference leak".into()));
        }
        if id == 81 {
            self.want_precise(st, 2);
            let flags = *st.reg(2);
            if !flags.is_scalar() || flags.val.const_value() != Some(0) {
                return Err(self.err(
                    Some(st),
                    Code::ArgType,
                    "get_local_storage() doesn't support non-zero flags".into(),
                ));
            }
        }
        let changes_pkt = changes_pkt_data(id, self.p.profile);
        // effects
        let pc = self.pc;
        if let Some(ai) = h.release {
            let r = *st.reg(ai + 1);
            if r.ref_id == 0 {
                return Err(self.err(
                    Some(st),
                    Code::RefLeak,
                    format!("R{} must be referenced when passed to release function", ai + 1),
                ));
            }
            let rid = r.ref_id;
            st.release_ref(rid);
        }
        match id {
            93 => {
                if st.spin_lock.is_some() {
                    return Err(self.err(
                        Some(st),
                        Code::SpinLock,
                        "Locking two bpf_spin_locks are not allowed".into(),
                    ));
                }
                // the lock is the map value's (or object's) identity: its map and register id
                // (kernel/bpf/verifier.c, process_spin_lock(): active_lock.ptr / .id)
                st.spin_lock = Some((meta.map.unwrap_or(0), st.reg(1).id as i32));
            }
            94 => {
                let Some(held) = st.spin_lock else {
                    return Err(self.err(Some(st), Code::SpinLock, "bpf_spin_unlock without taking a lock".into()));
                };
                if held != (meta.map.unwrap_or(0), st.reg(1).id as i32) {
                    return Err(self.err(Some(st), Code::SpinLock, "bpf_spin_unlock of different lock".into()));
                }
                st.spin_lock = None;
            }
            _ => {}
        }
        st.clobber_args();
        let map = meta.map.map(|m| &self.p.maps[m as usize]);
        let mut r0 = match h.ret {
            Ret::Int => Reg::unknown(),
            Ret::Void => Reg::NOT_INIT,
            Ret::MapValueOrNull | Ret::MapValue => {
                let m = meta.map.unwrap_or(0);
                let mt = map.map(|m| m.map_type).unwrap_or(0);
                let mut r = match mt {
                    12 | 13 if id == 1 => {
                        // map in map: the inner map
                        let inner = map.and_then(|x| x.inner_index).unwrap_or(m);
                        Reg { ty: RegType::MapPtr, map: inner, val: Scalar::constant(0), ..Reg::NOT_INIT }
                    }
                    15 | 18 if id == 1 => Reg::ptr(RegType::Sock),
                    17 if id == 1 => Reg::ptr(RegType::XdpSock),
                    _ => Reg { ty: RegType::MapValue, map: m, val: Scalar::constant(0), ..Reg::NOT_INIT },
                };
                if h.ret == Ret::MapValueOrNull {
                    r.maybe_null = true;
                    r.id = self.new_id();
                }
                if matches!(mt, 15 | 18) && id == 1 {
                    r.ref_id = self.new_id();
                    st.refs.push(RefEntry { id: r.ref_id, insn: pc });
                }
                r
            }
            Ret::SockOrNull | Ret::TcpSockOrNull | Ret::SockCommonOrNull | Ret::BtfIdOrNull | Ret::MemOrBtfIdOrNull => {
                let ty = match h.ret {
                    Ret::SockOrNull => RegType::Sock,
                    Ret::TcpSockOrNull => RegType::TcpSock,
                    Ret::SockCommonOrNull => RegType::SockCommon,
                    Ret::MemOrBtfIdOrNull => RegType::Mem,
                    _ => RegType::BtfId,
                };
                let mut r = Reg { maybe_null: true, id: self.new_id(), ..Reg::ptr(ty) };
                if ty == RegType::Mem {
                    r.mem_size = u32::MAX;
                    r.rdonly = true;
                }
                // fullsock/tcp_sock keep the reference of their argument
                r.ref_id = meta.ref_id;
                if xchg_released {
                    r.ref_id = self.new_id();
                    r.trust = crate::domain::state::TRUSTED;
                    st.refs.push(RefEntry { id: r.ref_id, insn: pc });
                }
                r
            }
            Ret::AllocMemOrNull => {
                Reg { maybe_null: true, id: self.new_id(), mem_size: meta.alloc_size, ..Reg::ptr(RegType::Mem) }
            }
            // bpf_get_current_task_btf(): a trusted task_struct (kernel/trace/bpf_trace.c,
            // bpf_get_current_task_btf_proto: RET_PTR_TO_BTF_ID_TRUSTED)
            Ret::BtfId if id == 158 => Reg {
                btf_id: self.p.kernel_btf.as_ref().map_or(0, |k| k.struct_id("task_struct")),
                trust: crate::domain::state::TRUSTED,
                ..Reg::ptr(RegType::BtfId)
            },
            Ret::BtfId => Reg::ptr(RegType::BtfId),
        };
        if matches!(id, 67 | 141 | 45 | 114 | 115) {
            let mut v = Scalar::unknown();
            v.smin = -4095;
            v.smax = meta.size_max as i64;
            v.s32min = -4095;
            v.s32max = meta.size_max.min(i32::MAX as u64) as i32;
            v.sync();
            r0 = Reg::scalar(v);
        }
        if h.acquire {
            r0.ref_id = self.new_id();
            st.refs.push(RefEntry { id: r0.ref_id, insn: pc });
        }
        if changes_pkt {
            st.clear_pkt_pointers();
        }
        // bpf_dynptr_data(): a slice of `len` bytes into the dynptr, gone with it
        if let (203, Some(d)) = (id, dynptr) {
            if r0.ty == RegType::Mem {
                r0.parent = d.id;
                r0.ref_id = d.ref_id;
                r0.rdonly = false;
                r0.mem_size = slice_len.unwrap_or(0).min(u32::MAX as u64) as u32;
            }
        }
        *st.reg_mut(0) = r0;
        // callbacks run as a nested frame
        if let Some(sub) = meta.callback {
            let ret_range = match id {
                181 | 164 | 209 | 180 => (0, 1),
                _ => (0, 0),
            };
            return self.callback(st, sub, id, &meta, ret_range);
        }
        Ok(Next::Goto(pc + 1))
    }

    fn check_helper_args(&mut self, st: &mut State, h: &Helper) -> R<Meta> {
        let mut meta = Meta::default();
        self.cur_pkt_access = matches!(h.id, 1 | 2 | 3 | 87 | 195 | 28 | 84 | 85 | 99 | 100 | 110);
        let mut last_mem: Option<(u8, Reg, bool)> = None;
        for (i, arg) in h.args.iter().enumerate() {
            let regno = (i + 1) as u8;
            if *arg == Arg::No {
                break;
            }
            let reg = self.read_reg(st, regno)?;
            let expect = |v: &Self, exp: &str| -> Diag {
                v.err(Some(st), Code::ArgType, format!("R{regno} type={} expected={exp}", reg.type_name()))
            };
            match arg {
                Arg::No => {}
                Arg::Any => {}
                Arg::MapPtr => {
                    if reg.ty != RegType::MapPtr || reg.maybe_null {
                        return Err(expect(self, "map_ptr"));
                    }
                    meta.map = Some(reg.map);
                    let mt = self.p.maps[reg.map as usize].map_type;
                    let ok_func = helpers::map_types_for(h.id).map(|l| l.contains(&mt)).unwrap_or(true);
                    let ok_map = helpers::funcs_for_map(mt).map(|l| l.contains(&h.id)).unwrap_or(true);
                    // sockmap/sockhash updates and deletes only where no socket is locked
                    // (kernel/bpf/verifier.c, may_update_sockmap())
                    let sock_update = matches!(mt, 15 | 18) && matches!(h.id, 2 | 3);
                    let ok_sock = !sock_update
                        || match self.p.prog_type {
                            ProgType::TRACING => self.p.attach_type == bpfobj::uapi::AttachType::TRACE_ITER,
                            ProgType::SOCK_OPS => h.id == 3,
                            ProgType::SOCKET_FILTER
                            | ProgType::SCHED_CLS
                            | ProgType::SCHED_ACT
                            | ProgType::XDP
                            | ProgType::SK_REUSEPORT
                            | ProgType::FLOW_DISSECTOR
                            | ProgType::SK_LOOKUP => true,
                            _ => false,
                        };
                    if !ok_func || !ok_map || !ok_sock {
                        return Err(self.err(
                            Some(st),
                            Code::MapHelper,
                            format!("cannot pass map_type {} into func {}#{}", mt, h.name, h.id),
                        ));
                    }
                }
                Arg::MapKey | Arg::MapValue | Arg::UninitMapValue | Arg::MapValueOrNull => {
                    let Some(m) = meta.map else {
                        return Err(self.err(Some(st), Code::ArgType, "invalid map_ptr to access map->key".into()));
                    };
                    if *arg == Arg::MapValueOrNull && reg.is_null_const() {
                        continue;
                    }
                    let map = &self.p.maps[m as usize];
                    if *arg == Arg::MapValue
                        && matches!(map.map_type, 15 | 18)
                        && (reg.ty.is_sock() || reg.ty == RegType::BtfId)
                    {
                        continue;
                    }
                    let size = if *arg == Arg::MapKey { map.key_size } else { map.value_size };
                    let write = *arg == Arg::UninitMapValue;
                    self.check_helper_mem(st, regno, reg, size as u64, size as u64, write, false, "map_key")?;
                }
                Arg::Mem | Arg::MemOrNull | Arg::UninitMem => {
                    if *arg == Arg::MemOrNull && reg.is_null_const() {
                        last_mem = Some((regno, reg, true));
                        continue;
                    }
                    if !is_mem_ptr(&reg) {
                        return Err(expect(
                            self,
                            "fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_",
                        ));
                    }
                    last_mem = Some((regno, reg, *arg == Arg::UninitMem));
                }
                Arg::Size | Arg::SizeOrZero => {
                    if !reg.is_scalar() {
                        return Err(expect(self, "scalar"));
                    }
                    self.want_precise(st, regno);
                    let Some((mreg_no, mreg, write)) = last_mem.take() else { continue };
                    let v = reg.val;
                    meta.size_max = v.umax;
                    if v.smin < 0 {
                        return Err(self.err(
                            Some(st),
                            Code::NegativeIndex,
                            format!("R{regno} min value is negative, either use unsigned or 'var &= const'"),
                        ));
                    }
                    if v.umin == 0 && *arg == Arg::Size {
                        return Err(self.err(
                            Some(st),
                            Code::ZeroSize,
                            format!("R{regno} invalid zero-sized read: u64=[{},{}]", v.umin, v.umax),
                        ));
                    }
                    if v.umax >= BPF_MAX_VAR_OFF as u64 {
                        return Err(self.err(
                            Some(st),
                            Code::Unbounded,
                            format!("R{regno} unbounded memory access, use 'var &= const' or 'if (var < const)'"),
                        ));
                    }
                    if mreg.is_null_const() {
                        if v.umax != 0 {
                            return Err(self.err(
                                Some(st),
                                Code::ArgType,
                                format!("R{mreg_no} type=scalar expected=fp"),
                            ));
                        }
                        continue;
                    }
                    if v.umax > 0 {
                        self.check_helper_mem(st, mreg_no, mreg, v.umin, v.umax, write, true, "mem")?;
                    }
                }
                Arg::AllocSize => {
                    self.want_precise(st, regno);
                    if !reg.is_scalar() || !reg.val.is_const() {
                        return Err(self.err(Some(st), Code::ArgType, format!("R{regno} is not a known constant'")));
                    }
                    meta.alloc_size = reg.val.umin.min(u32::MAX as u64) as u32;
                }
                Arg::CtxOrNull if reg.is_null_const() => {}
                Arg::Ctx | Arg::CtxOrNull => {
                    if reg.ty != RegType::Ctx {
                        return Err(expect(self, "ctx"));
                    }
                    if reg.off < 0 {
                        return Err(self.err(
                            Some(st),
                            Code::CtxAccess,
                            format!("negative offset ctx ptr R{regno} off={} disallowed", reg.off),
                        ));
                    }
                    if reg.off != 0 || !reg.val.is_const() || reg.val.smin != 0 {
                        return Err(self.err(
                            Some(st),
                            Code::CtxAccess,
                            format!("dereference of modified ctx ptr R{regno} off={} disallowed", reg.off),
                        ));
                    }
                }
                Arg::SockAnyOrNull if reg.is_null_const() => {}
                Arg::Sock | Arg::SockCommon | Arg::SockAny | Arg::SockAnyOrNull => {
                    let ok = reg.ty.is_sock()
                        || reg.ty == RegType::BtfId
                        || (reg.ty == RegType::Ctx && self.p.prog_type == ProgType::CGROUP_SOCK);
                    if !ok || reg.maybe_null {
                        return Err(expect(self, "sock_common, sock, tcp_sock, xdp_sock, ptr_, trusted_ptr_"));
                    }
                    meta.ref_id = reg.ref_id;
                }
                Arg::RingbufMem => {
                    if reg.ty != RegType::Mem || reg.maybe_null || reg.ref_id == 0 {
                        return Err(expect(self, "ringbuf_mem"));
                    }
                    if reg.off != 0 || !reg.val.is_const() || reg.val.smin != 0 {
                        return Err(self.err(
                            Some(st),
                            Code::PointerArith,
                            format!("R{regno} must have zero offset when passed to release func"),
                        ));
                    }
                }
                Arg::Func => {
                    if reg.ty != RegType::Func {
                        return Err(expect(self, "func"));
                    }
                    meta.callback = Some(reg.subprog as usize);
                }
                Arg::StackOrNull => {
                    if !(reg.is_null_const() || reg.ty == RegType::Stack) {
                        return Err(expect(self, "fp"));
                    }
                    meta.cb_arg = Some(reg);
                }
                Arg::SpinLock | Arg::Timer => {
                    if reg.ty != RegType::MapValue || reg.maybe_null {
                        return Err(expect(self, "map_value"));
                    }
                    let map = &self.p.maps[reg.map as usize];
                    let (field, name) = if *arg == Arg::SpinLock {
                        (map.spin_lock_off, "bpf_spin_lock")
                    } else {
                        (map.timer_off, "bpf_timer")
                    };
                    let Some(fo) = field else {
                        return Err(self.err(
                            Some(st),
                            Code::SpinLock,
                            format!("map '{}' has no valid {}", map.name, name),
                        ));
                    };
                    if !reg.val.is_const() || (reg.off as i64 + reg.val.smin) != fo as i64 {
                        return Err(self.err(
                            Some(st),
                            Code::SpinLock,
                            format!(
                                "off {} doesn't point to 'struct {}' that is at {}",
                                reg.off as i64 + reg.val.smin,
                                name,
                                fo
                            ),
                        ));
                    }
                    meta.map = Some(reg.map);
                }
                Arg::ConstStr => {
                    if (reg.ty != RegType::MapValue || !self.p.maps[reg.map as usize].prog_rdonly())
                        && !self.p.permissive
                    {
                        {
                            return Err(self.err(
                                Some(st),
                                Code::ArgType,
                                format!("R{regno} does not point to a readonly map'"),
                            ));
                        }
                    }
                }
                Arg::Int => {
                    if !is_mem_ptr(&reg) {
                        return Err(expect(self, "fp"));
                    }
                    self.check_align(st, &reg, 0, 4, true)?;
                    self.check_helper_mem(st, regno, reg, 4, 4, true, false, "mem")?;
                }
                Arg::Dynptr => {
                    if reg.ty != RegType::Stack && !(self.p.permissive && reg.ty == RegType::BtfId) {
                        return Err(expect(self, "fp"));
                    }
                    // the slots are checked by the dynptr rules (dynptrs.rs)
                }
                Arg::CtxOrSock => {
                    let ok = reg.ty == RegType::Ctx || reg.ty.is_sock() || reg.ty == RegType::BtfId;
                    if !ok || reg.maybe_null {
                        return Err(expect(self, "ctx"));
                    }
                    if reg.ty == RegType::Ctx && reg.off != 0 {
                        let what =
                            if reg.off < 0 { "negative offset ctx ptr" } else { "dereference of modified ctx ptr" };
                        return Err(self.err(
                            Some(st),
                            Code::CtxAccess,
                            format!("{what} R{regno} off={} disallowed", reg.off),
                        ));
                    }
                }
                Arg::Long => {
                    if !is_mem_ptr(&reg) {
                        return Err(expect(self, "fp"));
                    }
                    self.check_align(st, &reg, 0, 8, true)?;
                    self.check_helper_mem(st, regno, reg, 8, 8, true, false, "mem")?;
                }
                Arg::BtfId => {
                    if !reg.is_ptr() && !self.p.permissive {
                        return Err(expect(self, "ptr_"));
                    }
                }
            }
        }
        Ok(meta)
    }

    /// A helper reads (or, with `write`, fills) `[0, max)` bytes at `reg`.
    #[allow(clippy::too_many_arguments)]
    fn check_helper_mem(
        &mut self,
        st: &mut State,
        regno: u8,
        reg: Reg,
        min: u64,
        max: u64,
        write: bool,
        sized: bool,
        _what: &str,
    ) -> R<()> {
        let _ = (min, sized);
        if reg.maybe_null || !reg.is_ptr() {
            return Err(self.err(
                Some(st),
                Code::ArgType,
                format!(
                    "R{regno} type={} expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf",
                    reg.type_name()
                ),
            ));
        }
        match reg.ty {
            RegType::Stack => {
                let frame = reg.frame as usize;
                let lo = reg.off as i64 + reg.val.smin;
                let hi = reg.off as i64 + reg.val.smax + max as i64;
                if reg.val.smin == i64::MIN || lo < -(self.p.profile.max_stack as i64) || hi > 0 || lo >= 0 {
                    return Err(self.err(
                        Some(st),
                        Code::StackOutOfBounds,
                        format!("invalid indirect access to stack R{regno} off={} size={}", lo, max),
                    ));
                }
                // dynptr and iterator slots are opaque to helpers (kernel/bpf/verifier.c,
                // check_stack_range_initialized())
                for o in lo..hi {
                    let b = st.frames[frame].byte(o as i32);
                    if b == SlotByte::Dynptr && write {
                        return Err(self.err(
                            Some(st),
                            Code::ArgType,
                            format!("potential write to dynptr at off={} disallowed", o.div_euclid(8) * 8),
                        ));
                    }
                    if matches!(b, SlotByte::Dynptr | SlotByte::Iter) {
                        return Err(self.err(
                            Some(st),
                            Code::UninitStack,
                            format!("invalid read from stack R{regno} off {}+{} size {}", lo, o - lo, max),
                        ));
                    }
                }
                if write {
                    self.note_depth(st, frame, lo as i32);
                    let fr = &mut st.frames[frame];
                    for o in lo..hi {
                        let o = o as i32;
                        if fr.byte(o) == SlotByte::Spill {
                            let s = fr.slot_mut(o);
                            s.bytes = [SlotByte::Misc; 8];
                        }
                        fr.set_byte(o, SlotByte::Misc);
                    }
                } else {
                    let fr = &st.frames[frame];
                    for o in lo..hi {
                        if fr.byte(o as i32) == SlotByte::Invalid && !self.p.profile.allow_uninit_stack {
                            return Err(self.err(
                                Some(st),
                                Code::UninitStack,
                                format!("invalid indirect read from stack R{regno} off {}+{} size {}", lo, o - lo, max),
                            ));
                        }
                    }
                }
                Ok(())
            }
            RegType::Packet | RegType::PacketMeta => {
                if !self.cur_pkt_access || (write && !ctx::may_write_packet(self.p.prog_type)) {
                    return Err(self.err(
                        Some(st),
                        Code::PacketWrite,
                        "helper access to the packet is not allowed".into(),
                    ));
                }
                if reg.val.smin < 0 || reg.off < 0 || reg.off as i64 + max as i64 > reg.range as i64 {
                    return Err(self.err(
                        Some(st),
                        Code::PacketBounds,
                        format!(
                            "invalid access to packet, off={} size={}, R{regno}(id={},off={},r={})",
                            reg.off, max, reg.id, reg.off, reg.range
                        ),
                    ));
                }
                Ok(())
            }
            RegType::MapValue => {
                let map = &self.p.maps[reg.map as usize];
                if write && map.prog_rdonly() {
                    return Err(self.err(Some(st), Code::ReadOnly, "write into map forbidden".into()));
                }
                if !write && map.prog_wronly() {
                    return Err(self.err(Some(st), Code::ReadOnly, "read from map forbidden".into()));
                }
                self.check_region(st, regno, &reg, 0, max as u32, map.value_size, "map")
            }
            RegType::MapKey => {
                let ks = self.p.maps.get(reg.map as usize).map(|m| m.key_size).unwrap_or(0);
                self.check_region(st, regno, &reg, 0, max as u32, ks, "key")
            }
            RegType::Mem | RegType::Buf => {
                if write && reg.rdonly {
                    return Err(self.err(
                        Some(st),
                        Code::ReadOnly,
                        format!("R{regno} cannot write into {}", reg.type_name()),
                    ));
                }
                if reg.mem_size == u32::MAX {
                    return Ok(());
                }
                self.check_region(st, regno, &reg, 0, max as u32, reg.mem_size, "mem")
            }
            RegType::Ctx if self.p.permissive => Ok(()),
            RegType::BtfId if self.p.permissive => Ok(()),
            _ => Err(self.err(
                Some(st),
                Code::ArgType,
                format!(
                    "R{regno} type={} expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf",
                    reg.type_name()
                ),
            )),
        }
    }

    fn callback(&mut self, st: &mut State, sub: usize, helper: u32, meta: &Meta, ret: (i64, i64)) -> R<Next> {
        let pc = self.pc;
        if st.frames.len() >= self.p.profile.max_call_frames {
            return Err(self.err(
                Some(st),
                Code::CallDepth,
                format!("the call stack of {} frames is too deep !", st.frames.len() + 1),
            ));
        }
        let caller_sub = st.cur().subprog;
        if !self.calls.contains(&(caller_sub, sub)) {
            self.calls.push((caller_sub, sub));
        }
        let edge = CallEdge { caller: caller_sub, callee: sub, insn: pc, helper: Some(helper) };
        if !self.sink.calls.contains(&edge) {
            self.sink.calls.push(edge);
        }
        let depth = st.frames.len() as u8;
        let mut f = Frame::new(pc, sub);
        f.callback_ret = Some(ret);
        f.regs[10] = Reg { frame: depth, ..Reg::ptr(RegType::Stack) };
        let cb_arg = meta.cb_arg.unwrap_or(Reg::constant(0));
        let mapv = meta.map.unwrap_or(0);
        match helper {
            181 => {
                f.regs[1] = Reg::scalar(Scalar::urange(0, u32::MAX as u64));
                f.regs[2] = cb_arg;
            }
            164 => {
                f.regs[1] = Reg { ty: RegType::MapPtr, map: mapv, val: Scalar::constant(0), ..Reg::NOT_INIT };
                f.regs[2] = Reg { ty: RegType::MapKey, map: mapv, val: Scalar::constant(0), ..Reg::NOT_INIT };
                f.regs[3] = Reg { ty: RegType::MapValue, map: mapv, val: Scalar::constant(0), ..Reg::NOT_INIT };
                f.regs[4] = cb_arg;
            }
            170 => {
                f.regs[1] = Reg { ty: RegType::MapPtr, map: mapv, val: Scalar::constant(0), ..Reg::NOT_INIT };
                f.regs[2] = Reg { ty: RegType::MapKey, map: mapv, val: Scalar::constant(0), ..Reg::NOT_INIT };
                f.regs[3] = Reg { ty: RegType::MapValue, map: mapv, val: Scalar::constant(0), ..Reg::NOT_INIT };
            }
            _ => {
                f.regs[1] = Reg::ptr(RegType::BtfId);
                f.regs[2] = Reg::ptr(RegType::BtfId);
                f.regs[3] = cb_arg;
            }
        }
        st.frames.push(f);
        let start = self.cfg.subprogs[sub].start;
        Ok(Next::Goto(start))
    }

    /// The call graph and the context arguments of a bpf-to-bpf call (for the stack check and
    /// the lints).
    fn record_call(&mut self, st: &State, sub: usize) {
        let pc = self.pc;
        let caller_sub = st.cur().subprog;
        if !self.calls.contains(&(caller_sub, sub)) {
            self.calls.push((caller_sub, sub));
        }
        let edge = CallEdge { caller: caller_sub, callee: sub, insn: pc, helper: None };
        if !self.sink.calls.contains(&edge) {
            self.sink.calls.push(edge);
        }
        let ctx_regs: Vec<u8> = (1..=5u8).filter(|&r| st.reg(r).ty == RegType::Ctx).collect();
        if !ctx_regs.is_empty() {
            let e = self.sink.ctx_args.entry((pc, sub)).or_default();
            for r in ctx_regs {
                if !e.contains(&r) {
                    e.push(r);
                }
            }
        }
    }

    fn local_call(&mut self, st: &mut State, insn: Insn) -> R<Next> {
        let pc = self.pc;
        let target = (pc as i64 + insn.imm + 1) as usize;
        let sub = self.cfg.subprog_of_start(target).unwrap_or(0);
        if st.frames.len() >= self.p.profile.max_call_frames {
            return Err(self.err(
                Some(st),
                Code::CallDepth,
                format!("the call stack of {} frames is too deep !", st.frames.len() + 1),
            ));
        }
        if st.spin_lock.is_none() && st.preempt == 0 {
            if let Some(sig) = self.global_sig(target).cloned() {
                return self.global_call(st, sub, sig);
            }
        }
        if st.spin_lock.is_some() {
            // Since 6.9 only global subprograms are refused under a lock (kernel/bpf/verifier.c,
            // check_func_call()); before, every call was.
            let global = self.p.funcs.iter().any(|f| f.start == target && f.global);
            if !self.p.profile.lock_static_calls {
                return Err(self.err(
                    Some(st),
                    Code::SpinLock,
                    "function calls are not allowed while holding a lock".into(),
                ));
            }
            if global {
                return Err(self.err(
                    Some(st),
                    Code::SpinLock,
                    "global function calls are not allowed while holding a lock,\nuse static function instead".into(),
                ));
            }
        }
        self.record_call(st, sub);
        let depth = st.frames.len() as u8;
        let mut f = Frame::new(pc, sub);
        for r in 1..=5u8 {
            f.regs[r as usize] = *st.reg(r);
        }
        f.regs[10] = Reg { frame: depth, ..Reg::ptr(RegType::Stack) };
        for r in 0..=5u8 {
            *st.reg_mut(r) = Reg::NOT_INIT;
        }
        st.frames.push(f);
        Ok(Next::Goto(target))
    }

    fn exit(&mut self, st: &mut State) -> R<Next> {
        // A static subprogram may return with the lock held (its caller unlocks) since 6.9.
        if st.spin_lock.is_some() && (st.frames.len() == 1 || !self.p.profile.lock_static_calls) {
            return Err(self.err(Some(st), Code::SpinLock, "bpf_spin_unlock is missing".into()));
        }
        if st.frames.len() > 1 {
            let r0 = *st.reg(0);
            if !r0.is_init() && st.cur().callback_ret.is_some() {
                return Err(self.err(Some(st), Code::UninitReg, "R0 !read_ok".into()));
            }
            if st.cur().callback_ret.is_some() {
                self.want_precise(st, 0);
            }
            let f = st.frames.pop().expect("frame");
            let depth = st.frames.len() as u8;
            if let Some((lo, hi)) = f.callback_ret {
                if !r0.is_scalar() || r0.val.smin < lo || r0.val.smax > hi {
                    st.frames.push(f);
                    return Err(self.err(
                        Some(st),
                        Code::ReturnValue,
                        format!(
                            "At callback return the register R0 has {} should have been in [{lo}, {hi}]",
                            r0.describe()
                        ),
                    ));
                }
                *st.reg_mut(0) = Reg::unknown();
            } else {
                if r0.ty == RegType::Stack && r0.frame == depth {
                    st.frames.push(f);
                    return Err(self.err(
                        Some(st),
                        Code::PointerLeak,
                        "cannot return stack pointer to the caller".into(),
                    ));
                }
                *st.reg_mut(0) = r0;
            }
            st.clobber_args();
            // references to the dead frame's stack die with it
            st.for_each_reg(|x| {
                if x.ty == RegType::Stack && x.frame as usize > depth as usize - 1 + 1 - 1 && x.frame >= depth {
                    *x = Reg::NOT_INIT;
                }
            });
            return Ok(Next::Goto(f.callsite + 1));
        }
        // kernel/bpf/verifier.c do_check(), BPF_EXIT: the main program may not end inside an RCU
        // read-side section or with preemption disabled
        if st.rcu || st.preempt > 0 {
            let what = if st.rcu { "bpf_rcu_read_lock" } else { "bpf_preempt_disable" };
            let msg = if self.p.profile.resource_leak_msg {
                format!("BPF_EXIT instruction in main prog cannot be used inside {what}-ed region")
            } else if st.rcu {
                "bpf_rcu_read_unlock is missing".to_string()
            } else if st.preempt == 1 {
                "1 bpf_preempt_enable is missing".to_string()
            } else {
                format!("{} bpf_preempt_enable(s) are missing", st.preempt)
            };
            return Err(self.err(Some(st), Code::SpinLock, msg));
        }
        if let Some(e) = st.refs.first() {
            return Err(self.err(
                Some(st),
                Code::RefLeak,
                if self.p.profile.resource_leak_msg {
                    "BPF_EXIT instruction in main prog would lead to reference leak".to_string()
                } else {
                    format!("Unreleased reference id={} alloc_insn={}", e.id, e.insn)
                },
            ));
        }
        let r0 = *st.reg(0);
        if !(r0.is_init() || self.p.permissive && self.p.prog_type == ProgType::STRUCT_OPS) {
            return Err(self.err(Some(st), Code::UninitReg, "R0 !read_ok".into()));
        }
        // a global subprogram returns a scalar, whatever the program type (check_return_code())
        if self.in_global.is_some() {
            if !r0.is_scalar() {
                return Err(self.err(
                    Some(st),
                    Code::ReturnValue,
                    format!("At subprogram exit the register R0 is not a scalar value ({})", r0.type_name()),
                ));
            }
            return Ok(Next::Exit);
        }
        if let Some((lo, hi)) = ctx::return_range(self.p.prog_type, self.p.attach_type) {
            self.want_precise(st, 0);
            if !r0.is_scalar() {
                return Err(self.err(
                    Some(st),
                    Code::ReturnValue,
                    format!("At program exit the register R0 is not a known value ({})", r0.type_name()),
                ));
            }
            if r0.val.smin < lo || r0.val.smax > hi {
                return Err(self.err(
                    Some(st),
                    Code::ReturnValue,
                    format!("At program exit the register R0 has {} should have been in [{lo}, {hi}]", r0.describe()),
                ));
            }
        }
        Ok(Next::Exit)
    }
}

#[derive(Default)]
struct Meta {
    size_max: u64,
    map: Option<u32>,
    ref_id: u32,
    alloc_size: u32,
    callback: Option<usize>,
    cb_arg: Option<Reg>,
}

enum PruneResult {
    /// Covered at a loop head by a state whose exploration is unfinished.
    LoopHead(usize),
    /// Covered by this (finished) checkpoint.
    Pruned(usize),
    Loop,
    Continue,
}

fn is_mem_ptr(r: &Reg) -> bool {
    matches!(
        r.ty,
        RegType::Stack
            | RegType::Packet
            | RegType::PacketMeta
            | RegType::MapKey
            | RegType::MapValue
            | RegType::Mem
            | RegType::Buf
            | RegType::BtfId
            | RegType::Ctx
    )
}

fn non_null(r: &Reg) -> bool {
    !r.maybe_null
        && matches!(
            r.ty,
            RegType::MapValue
                | RegType::MapKey
                | RegType::Sock
                | RegType::SockCommon
                | RegType::TcpSock
                | RegType::XdpSock
                | RegType::Mem
        )
}

/// After `if rX == 0`: in the null branch every copy becomes 0, in the other it is a valid pointer.
fn mark_null(st: &mut State, id: u32, is_null: bool) {
    if id == 0 {
        return;
    }
    let mut released = None;
    st.for_each_reg(|r| {
        if r.is_ptr() && r.maybe_null && r.id == id {
            if is_null {
                if r.ref_id != 0 {
                    released = Some(r.ref_id);
                }
                *r = Reg::constant(0);
            } else {
                r.maybe_null = false;
                if r.ty != RegType::Sock
                    && r.ty != RegType::SockCommon
                    && r.ty != RegType::TcpSock
                    && r.ty != RegType::Mem
                {
                    // the kernel keeps ids only where they still matter
                }
            }
        }
    });
    if let Some(rid) = released {
        st.refs.retain(|e| e.id != rid);
    }
}

/// Give register `r` (and its scalar copies with the same id) the value `v`. False: infeasible.
fn set_scalar(st: &mut State, r: u8, id: u32, v: Scalar) -> bool {
    if v.is_empty() {
        return false;
    }
    if id != 0 {
        st.for_each_reg(|x| {
            if x.is_scalar() && x.id == id {
                x.val = v;
            }
        });
    }
    st.reg_mut(r).val = v;
    true
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cmp {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    Sgt,
    Sge,
    Slt,
    Sle,
    Set,
}

/// A comparison view of a scalar at 64 or 32 bits.
#[derive(Clone, Copy, Debug)]
struct View {
    umin: u64,
    umax: u64,
    smin: i64,
    smax: i64,
    var: Tnum,
}

fn view(s: &Scalar, is32: bool) -> View {
    if is32 {
        View {
            umin: s.u32min as u64,
            umax: s.u32max as u64,
            smin: s.s32min as i64,
            smax: s.s32max as i64,
            var: s.var.subreg(),
        }
    } else {
        View { umin: s.umin, umax: s.umax, smin: s.smin, smax: s.smax, var: s.var }
    }
}

fn unview(s: &Scalar, v: View, is32: bool) -> Scalar {
    let mut r = *s;
    if is32 {
        r.u32min = r.u32min.max(v.umin as u32);
        r.u32max = r.u32max.min(v.umax as u32);
        r.s32min = r.s32min.max(v.smin as i32);
        r.s32max = r.s32max.min(v.smax as i32);
        if v.umin > v.umax || v.smin > v.smax {
            r.u32min = 1;
            r.u32max = 0;
            return r;
        }
        r.var = r.var.with_subreg(r.var.subreg().intersect(v.var));
    } else {
        r.umin = r.umin.max(v.umin);
        r.umax = r.umax.min(v.umax);
        r.smin = r.smin.max(v.smin);
        r.smax = r.smax.min(v.smax);
        if v.umin > v.umax || v.smin > v.smax {
            r.umin = 1;
            r.umax = 0;
            return r;
        }
        r.var = r.var.intersect(v.var);
    }
    if r.is_empty() {
        return r;
    }
    // a contradictory tnum/range combination is an empty value too
    if (r.var.value & !r.var.mask) != r.var.value {
        r.umin = 1;
        r.umax = 0;
        return r;
    }
    r.sync();
    r
}

/// Whether `a cmp b` is always true/false.
fn outcome(cmp: Cmp, a: &Scalar, b: &Scalar, is32: bool) -> Option<bool> {
    let (x, y) = (view(a, is32), view(b, is32));
    match cmp {
        Cmp::Eq | Cmp::Ne => {
            let eq = if x.var.is_const() && y.var.is_const() {
                Some(x.var.value == y.var.value)
            } else if x.umin > y.umax
                || x.umax < y.umin
                || x.smin > y.smax
                || x.smax < y.smin
                || (x.var.value ^ y.var.value) & !(x.var.mask | y.var.mask) != 0
            {
                Some(false)
            } else {
                None
            };
            eq.map(|e| if cmp == Cmp::Eq { e } else { !e })
        }
        Cmp::Gt => tri(x.umin > y.umax, x.umax <= y.umin),
        Cmp::Ge => tri(x.umin >= y.umax, x.umax < y.umin),
        Cmp::Lt => tri(x.umax < y.umin, x.umin >= y.umax),
        Cmp::Le => tri(x.umax <= y.umin, x.umin > y.umax),
        Cmp::Sgt => tri(x.smin > y.smax, x.smax <= y.smin),
        Cmp::Sge => tri(x.smin >= y.smax, x.smax < y.smin),
        Cmp::Slt => tri(x.smax < y.smin, x.smin >= y.smax),
        Cmp::Sle => tri(x.smax <= y.smin, x.smin > y.smax),
        Cmp::Set => {
            if x.var.value & y.var.value != 0 {
                Some(true)
            } else if (x.var.value | x.var.mask) & (y.var.value | y.var.mask) == 0 {
                Some(false)
            } else {
                None
            }
        }
    }
}

fn tri(t: bool, f: bool) -> Option<bool> {
    if t {
        Some(true)
    } else if f {
        Some(false)
    } else {
        None
    }
}

fn ne_refine(p: &mut View, q: &View, is32: bool, maxu: u64) {
    if q.var.is_const() {
        let k = q.var.value;
        if p.umin == k && p.umin < maxu {
            p.umin += 1;
        } else if p.umin == k {
            p.umin = 1;
            p.umax = 0;
        }
        if p.umax == k && p.umax > 0 {
            p.umax -= 1;
        }
        let ks = if is32 { k as u32 as i32 as i64 } else { k as i64 };
        if p.smin == ks {
            p.smin = p.smin.saturating_add(1);
        }
        if p.smax == ks {
            p.smax = p.smax.saturating_sub(1);
        }
    }
}

/// Refine both operands assuming `a cmp b` is `truth`.
fn refine(cmp: Cmp, a: &Scalar, b: &Scalar, is32: bool, truth: bool) -> (Scalar, Scalar) {
    let (mut x, mut y) = (view(a, is32), view(b, is32));
    let c = if truth {
        cmp
    } else {
        match cmp {
            Cmp::Eq => Cmp::Ne,
            Cmp::Ne => Cmp::Eq,
            Cmp::Gt => Cmp::Le,
            Cmp::Ge => Cmp::Lt,
            Cmp::Lt => Cmp::Ge,
            Cmp::Le => Cmp::Gt,
            Cmp::Sgt => Cmp::Sle,
            Cmp::Sge => Cmp::Slt,
            Cmp::Slt => Cmp::Sge,
            Cmp::Sle => Cmp::Sgt,
            Cmp::Set => Cmp::Set,
        }
    };
    let maxu = if is32 { u32::MAX as u64 } else { u64::MAX };
    match c {
        Cmp::Eq => {
            let v = View {
                umin: x.umin.max(y.umin),
                umax: x.umax.min(y.umax),
                smin: x.smin.max(y.smin),
                smax: x.smax.min(y.smax),
                var: x.var.intersect(y.var),
            };
            x = v;
            y = v;
        }
        Cmp::Ne => {
            let (x0, y0) = (x, y);
            ne_refine(&mut x, &y0, is32, maxu);
            ne_refine(&mut y, &x0, is32, maxu);
        }
        Cmp::Gt => {
            x.umin = x.umin.max(y.umin.saturating_add(1));
            y.umax = y.umax.min(x.umax.saturating_sub(1));
            if y.umin == maxu || x.umax == 0 {
                x.umin = 1;
                x.umax = 0;
            }
        }
        Cmp::Ge => {
            x.umin = x.umin.max(y.umin);
            y.umax = y.umax.min(x.umax);
        }
        Cmp::Lt => {
            x.umax = x.umax.min(y.umax.saturating_sub(1));
            y.umin = y.umin.max(x.umin.saturating_add(1));
            if y.umax == 0 || x.umin == maxu {
                x.umin = 1;
                x.umax = 0;
            }
        }
        Cmp::Le => {
            x.umax = x.umax.min(y.umax);
            y.umin = y.umin.max(x.umin);
        }
        Cmp::Sgt => {
            x.smin = x.smin.max(y.smin.saturating_add(1));
            y.smax = y.smax.min(x.smax.saturating_sub(1));
        }
        Cmp::Sge => {
            x.smin = x.smin.max(y.smin);
            y.smax = y.smax.min(x.smax);
        }
        Cmp::Slt => {
            x.smax = x.smax.min(y.smax.saturating_sub(1));
            y.smin = y.smin.max(x.smin.saturating_add(1));
        }
        Cmp::Sle => {
            x.smax = x.smax.min(y.smax);
            y.smin = y.smin.max(x.smin);
        }
        Cmp::Set => {
            if y.var.is_const() {
                if truth {
                    if y.var.value.is_power_of_two() {
                        x.var = Tnum::new(x.var.value | y.var.value, x.var.mask & !y.var.value);
                    }
                } else {
                    x.var = x.var.and(Tnum::constant(!y.var.value));
                }
            }
        }
    }
    (unview(a, x, is32), unview(b, y, is32))
}

/// LD_ABS/LD_IND and tail calls in a subprogram need it to return an integer, known from BTF
/// (kernel/bpf/verifier.c, check_btf_func(), check_abnormal_return()).
fn subprog_return_rules(p: &Program, cfg: &Cfg) -> Option<Diag> {
    let has_btf = !p.func_sigs.is_empty();
    for sp in cfg.subprogs.iter().skip(1) {
        let mut what = None;
        for pc in sp.start..sp.end.min(p.slots.len()) {
            if let Slot::Insn(insn, _) = p.slots[pc] {
                match insn.op {
                    Op::LdAbsB | Op::LdAbsH | Op::LdAbsW | Op::LdIndB | Op::LdIndH | Op::LdIndW => {
                        what = Some(("LD_ABS", pc));
                        break;
                    }
                    Op::Call if insn.imm == 12 && !p.kfuncs.contains_key(&pc) && what.is_none() => {
                        what = Some(("tail_call", pc))
                    }
                    _ => {}
                }
            }
        }
        let Some((what, pc)) = what else { continue };
        let msg = if !has_btf {
            if !p.permissive {
                continue;
            }
            format!("{what} is not allowed in subprogs without BTF")
        } else if p.func_sigs.iter().find(|s| s.start == sp.start).is_some_and(|s| !s.ret_scalar) {
            format!("{what} is only allowed in functions that return 'int'.")
        } else {
            continue;
        };
        return Some(Diag::new(pc, Code::BadCall, msg, String::new()));
    }
    None
}

/// The kernel struct behind a map of this type (what `CONST_PTR_TO_MAP` points to).
fn map_struct_name(map_type: u32) -> &'static str {
    match map_type {
        2 | 3 | 4 | 6 | 8 | 12 => "bpf_array",
        1 | 5 | 9 | 10 | 13 => "bpf_htab",
        27 => "bpf_ringbuf_map",
        11 => "lpm_trie",
        15 => "bpf_stab",
        18 => "bpf_shtab",
        _ => "bpf_map",
    }
}

/// Helpers after which packet pointers are invalid (net/core/filter.c,
/// bpf_helper_changes_pkt_data()).
fn changes_pkt_data(id: u32, profile: &crate::profile::Profile) -> bool {
    matches!(
        id,
        9 | 10 | 11 | 13 | 18 | 19 | 31 | 38 | 39 | 43 | 44 | 50 | 54 | 63 | 65 | 73 | 74 | 75 | 76 | 90 | 91 | 143
    ) || (id == 12 && profile.tail_call_changes_pkt)
}

impl Reg {
    fn with_val(mut self, v: Scalar) -> Reg {
        self.val = v;
        self
    }
}

/// Mark what `m` names precise in `st` (a checkpoint on the path), dropping what is not a
/// scalar there. `Some(true)` when a mark was new (the walk must go on to older states),
/// `Some(false)` when all were already set, `None` when a slot does not exist in `st` (the
/// walk missed the store that created it).
fn mark_in_state(st: &mut State, m: &mut Masks) -> Option<bool> {
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
            let sl = fr.stack.get_mut(i)?;
            let mut any = false;
            if sl.bytes[0] == SlotByte::Spill && sl.spilled.is_scalar() {
                new |= !sl.spilled.precise;
                sl.spilled.precise = true;
                any = true;
            }
            if sl.bytes[4] == SlotByte::Spill && sl.spilled_hi.is_scalar() {
                new |= !sl.spilled_hi.precise;
                sl.spilled_hi.precise = true;
                any = true;
            }
            if !any {
                m.slots[f] &= !(1 << i);
            }
        }
    }
    Some(new)
}
