//! The abstract interpreter: explores every path of a program in the kernel's terms, with state
//! pruning, and stops at the first rule the kernel would reject on.
//!
//! This file holds the interpreter's state ([`Verifier`]), its entry points and `step`, the
//! dispatch of one instruction. The rules live by concept:
//! - `explore`: the worklist of paths, checkpoints and state pruning;
//! - `precision`: backtracking of which scalars must be precise;
//! - `alu`: moves, ALU on scalars and pointers, `ld_imm64`;
//! - `memory` and `stack`: loads, stores and atomics through every pointer type; spills/fills;
//! - `branches`: conditional jumps, range refinement, null and packet-range inference;
//! - `helper_calls`, `kfuncs`, `subprogs`: calls of helpers, kernel functions, subprograms and
//!   callbacks, and `exit`;
//! - `iters`, `dynptrs`, `globals`: open-coded iterators (and `may_goto`), dynptrs, global
//!   subprograms verified on their own.

use std::collections::HashMap;

use bpf_isa::{Insn, Op};
use bpfobj::uapi::ProgType;

use crate::cfg::{self, Cfg};
use crate::ctx::{self, Access, Layout, Yields};
use crate::diag::{Code, Diag};
use crate::domain::state::{
    live_ptr_mask, ptr_key, stack_summary, stack_summary_differs, state_covers, RefEntry, Slot as StackSlot,
};
use crate::domain::{Frame, Reg, RegType, Scalar, SlotByte, State, Tnum};
use crate::helpers::{self, Arg, Helper, Ret};
use crate::program::{LdRef, Program, Slot};

mod alu;
mod branches;
mod casts;
mod dynptrs;
mod exceptions;
mod explore;
mod fastcall;
mod globals;
mod graph;
mod helper_calls;
mod irq;
mod iters;
mod kfuncs;
mod liveness;
mod memory;
mod precision;
mod res_locks;
mod stack;
mod subprogs;

use self::{helper_calls::*, subprogs::*};

const BPF_MAX_VAR_OFF: i64 = 1 << 29;
/// Largest size of a variable-sized memory access (`BPF_MAX_VAR_SIZ`).
const BPF_MAX_VAR_SIZ: u64 = 1 << 29;
const MAX_PACKET_OFF: u64 = 0xffff;
use crate::limits::MAX_STATES_PER_INSN;

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
    /// The instructions from the parent checkpoint (or the start) to this one.
    hist: Box<[Step]>,
    /// Every scalar of this state and its ancestors is already precise.
    all_precise: bool,
    /// In its instruction's list of explored states (`Verifier::visited`).
    listed: bool,
}

impl Verifier<'_> {
    /// Drop what nothing can read any more of checkpoint `c`: once no path is left below it
    /// (no precision walk or loop-head search reaches it), its history; once it is also out of
    /// its instruction's list (no pruning compares with it), its state. Its counters stay for
    /// the statistics and `loop_entry` tests (kernel/bpf/verifier.c: is_state_visited() frees
    /// an evicted state whose branches are done, update_branch_counts()).
    fn free_if_unreachable(&mut self, c: usize) {
        if self.branches[c] != 0 {
            return;
        }
        let e = &mut self.checkpoints[c];
        // the history is walked only from the paths below a checkpoint: none are left
        e.hist = Box::default();
        if !e.listed {
            e.state.frames = Vec::new();
            e.state.refs = Vec::new();
        }
    }
}

/// An entry of an instruction's list of explored states.
#[derive(Clone, Copy)]
struct Explored {
    /// The checkpoint.
    cp: usize,
    /// Its live pointer registers and their [`ptr_key`], kept here so that most states that
    /// cannot cover the current one are told apart without reading them.
    ptr_mask: u16,
    ptr_key: u64,
    /// Its [`stack_summary`], for the same purpose.
    stack: (u64, u64),
}

struct Path {
    pc: usize,
    state: State,
    cp: Option<usize>,
    /// The instructions since `cp`, for precision backtracking.
    hist: Vec<Step>,
    /// The whole stack slots written since `cp` (liveness.rs).
    written: liveness::SlotSet,
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
        // OR-folds without early exits: a few vector operations
        let r = self.regs.iter().fold(0u16, |a, &r| a | r);
        let s = self.slots.iter().fold(0u64, |a, &s| a | s);
        r == 0 && s == 0
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
    /// Jump-class instructions processed, and both counters when the last state was saved
    /// (the kernel's jmps_processed, prev_insn_processed, prev_jmps_processed).
    jmps: u64,
    prev_insns: u64,
    prev_jmps: u64,
    checkpoints: Vec<Checkpoint>,
    /// The bpf_fastcall spill/fill patterns (fastcall.rs).
    fastcall: fastcall::Fastcall,
    /// Per checkpoint: the stack slots read after it (liveness.rs).
    stack_read: Vec<liveness::SlotSet>,
    /// Per checkpoint: the whole stack slots written between its parent and it.
    seg_written: Vec<liveness::SlotSet>,
    /// Stack slots the current instruction read, and wrote whole.
    step_reads: liveness::SlotSet,
    step_writes: liveness::SlotSet,
    /// Per checkpoint: the paths still being explored below it (the kernel's `branches`),
    /// apart from the checkpoints so that pruning reads it without touching the states.
    branches: Vec<u32>,
    /// Per instruction: the explored states saved there (indices into `checkpoints`).
    visited: Vec<Vec<Explored>>,
    /// Per instruction: a loop head the kernel treats specially (see `loop_head`).
    loop_heads: Vec<bool>,
    /// Scratch list of `prune`: the explored states a path did not match (index in the list,
    /// checkpoint).
    missed: Vec<(usize, usize)>,
    /// Instructions some path reached (the kernel's `insn_aux_data[].seen`).
    seen: Vec<bool>,
    /// Per instruction: pointer type used by a memory access (ctx vs other must not mix).
    access_kind: HashMap<usize, RegType>,
    /// Per bpf_obj_drop() call: the program's type of the object it dropped (graph.rs).
    drop_types: HashMap<usize, u32>,
    /// Max stack depth seen per subprogram.
    stack_depth: Vec<i32>,
    /// Call graph edges seen (caller subprog, callee subprog).
    calls: Vec<(usize, usize)>,
    pc: usize,
    hits: Vec<u32>,
    misses: Vec<u32>,
    /// The helper being checked may take packet pointers.
    cur_pkt_access: bool,
    /// The helper whose arguments are being checked (for messages).
    cur_helper: &'static str,
    /// [`Program::sleepable`], looked up once (it scans libbpf's section table).
    sleepable: bool,
    sink: FactSink,
    /// Precision requests of the current instruction: (frame, register), values before it.
    want: Vec<(usize, u8)>,
    /// Precision requests for spilled scalars: (frame, stack slot), values before it.
    want_slots: Vec<(usize, usize)>,
    /// Stack slot touched by the current instruction (frame, slot).
    step_slot: Option<(u8, u8)>,
    /// Linked registers/slots of the current conditional jump.
    step_linked: (u16, u64),
    /// The current store wrote zero bytes (not a spill): its value register must be precise.
    zero_store: bool,
    /// The current instruction left a frame on some path (precision backtracking stops there).
    step_frame_change: bool,
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

/// What the kernel refuses when the program is loaded, before any path is explored: XDP
/// metadata kfuncs outside a device-bound load, and for a license that is not GPL-compatible,
/// kfunc calls (kernel/bpf/verifier.c add_kfunc_call()) and struct_ops programs
/// (check_struct_ops_btf_id()).
fn load_rules(p: &Program) -> Option<Diag> {
    // kernel variables (`extern T sym __ksym`) need kallsyms addresses (resolve_pseudo_ldimm64()
    // -> check_pseudo_btf_id())
    if let Some((at, name)) = p.ksym_unresolved.iter().min() {
        let msg = format!("ldimm64 failed to find the address for kernel symbol '{name}'.");
        return Some(Diag::new(*at, Code::BadInsn, msg, String::new()));
    }
    // XDP metadata kfuncs need a device-bound load, which bpflint never models
    if let Some(at) = p.kfuncs.iter().filter(|(_, n)| crate::kfuncs::needs_dev_bound(n)).map(|(&i, _)| i).min() {
        let msg = "metadata kfuncs require device-bound program".to_string();
        return Some(Diag::new(at, Code::Kfunc, msg, String::new()));
    }
    if p.gpl_compatible {
        return None;
    }
    if let Some(&at) = p.kfuncs.keys().min() {
        let msg = "cannot call kernel function from non-GPL compatible program".to_string();
        return Some(Diag::new(at, Code::Kfunc, msg, String::new()));
    }
    if p.prog_type == ProgType::STRUCT_OPS {
        let msg = "struct ops programs must have a GPL compatible license".to_string();
        return Some(Diag::new(0, Code::HelperNotAllowed, msg, String::new()));
    }
    None
}

/// The struct_ops member a program implements must be one the kernel attaches to
/// (kernel/bpf/verifier.c check_struct_ops_btf_id(), after the license).
fn struct_ops_rules(p: &Program) -> Option<Diag> {
    let (st, member) = p.struct_ops.as_ref()?;
    let msg = crate::struct_ops::check_member(st, member, p.sleepable())?;
    Some(Diag::new(0, Code::HelperNotAllowed, msg, String::new()))
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
    if let Some(e) = load_rules(p).or_else(|| struct_ops_rules(p)) {
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
    let fastcall = fastcall::Fastcall::find(p, &cfg);
    let mut v = Verifier {
        p,
        fastcall,
        layout: ctx::layout(p.prog_type, p.attach_type),
        cfg,
        id_gen: 0,
        processed: 0,
        jmps: 0,
        prev_insns: 0,
        prev_jmps: 0,
        checkpoints: Vec::new(),
        branches: Vec::new(),
        visited: vec![Vec::new(); p.slots.len()],
        loop_heads: Vec::new(),
        missed: Vec::new(),
        seen: vec![false; p.slots.len()],
        access_kind: HashMap::new(),
        drop_types: HashMap::new(),
        stack_depth: vec![0; nsub],
        calls: Vec::new(),
        pc: 0,
        hits: Vec::new(),
        misses: Vec::new(),
        stack_read: Vec::new(),
        seg_written: Vec::new(),
        step_reads: Default::default(),
        step_writes: Default::default(),
        cur_pkt_access: false,
        cur_helper: "",
        sleepable: p.sleepable(),
        sink: FactSink::default(),
        want: Vec::new(),
        want_slots: Vec::new(),
        step_slot: None,
        step_linked: (0, 0),
        zero_store: false,
        step_frame_change: false,
        record: if record { vec![None; p.slots.len()] } else { Vec::new() },
        cur_cp: None,
        globals: Vec::new(),
        in_global: None,
    };
    v.loop_heads = (0..p.slots.len()).map(|pc| v.is_loop_head(pc)).collect();
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
        State::new(f)
    }

    fn run(&mut self) -> R<()> {
        self.exception_cb_tags()?;
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
        self.exception_cb()?;
        // the kernel removes the bpf_fastcall spills and fills before it sums the frames
        for s in 0..self.stack_depth.len() {
            if let Some(d) = self.fastcall.depth(s) {
                self.stack_depth[s] = d;
            }
        }
        self.check_stack_depth()?;
        self.check_dead_callbacks()
    }

    /// A callback reference (`ld_imm64` BPF_PSEUDO_FUNC) that was reached, to a function no
    /// path entered and after which nothing lives: the kernel removes the dead code
    /// (opt_remove_dead_code()) and then finds no function at the reference's target
    /// (jit_subprogs(), which runs when more than one function is left: "No program to jit").
    fn check_dead_callbacks(&mut self) -> R<()> {
        // kfunc callbacks (bpf_rbtree_add's `less`, ...) are not entered by bpflint: a program
        // with kfunc calls may reach its callbacks through them
        if !self.p.kfuncs.is_empty() {
            return Ok(());
        }
        // with no live function but the main program there is nothing to JIT separately
        let live = self.cfg.subprogs.iter().filter(|s| self.seen.get(s.start) == Some(&true)).count();
        if live <= 1 {
            return Ok(());
        }
        // the unseen ranges, removed in ascending order (each in the coordinates the earlier
        // removals left); references move by bpf_adj_delta_to_imm()'s rule: one whose target
        // lies in or before a removed range keeps its immediate
        // (an ld_imm64's second half is seen with its first: sanitize_mark_insn_seen())
        let seen: Vec<bool> = (0..self.seen.len())
            .map(|k| self.seen[k] || (k > 0 && matches!(self.p.slots.get(k), Some(Slot::Wide)) && self.seen[k - 1]))
            .collect();
        let mut ranges = Vec::new();
        let mut i = 0;
        while i < seen.len() {
            if seen[i] {
                i += 1;
                continue;
            }
            let s = i;
            while i < seen.len() && !seen[i] {
                i += 1;
            }
            ranges.push((s, i - s));
        }
        let removed_before =
            |x: usize| ranges.iter().filter(|&&(s, _)| s < x).map(|&(s, l)| l.min(x - s)).sum::<usize>();
        let live_starts: Vec<i64> = self
            .cfg
            .subprogs
            .iter()
            .filter(|s| self.seen.get(s.start) == Some(&true))
            .map(|s| (s.start - removed_before(s.start)) as i64)
            .collect();
        for (pc, slot) in self.p.slots.iter().enumerate() {
            let Slot::Insn(insn, 4) = slot else { continue };
            if insn.op != Op::LdImm64 || !self.seen[pc] {
                continue;
            }
            let (mut cur, mut imm) = (pc as i64, (insn.imm as i32) as i64);
            let mut shift = 0i64;
            for &(s, l) in &ranges {
                let (pos, len) = (s as i64 - shift, l as i64);
                let end_old = pos + len;
                if cur < pos && cur + imm + 1 >= end_old {
                    imm -= len;
                } else if cur >= end_old && cur + imm + 1 < pos {
                    imm += len;
                }
                if cur >= end_old {
                    cur -= len;
                }
                shift += len;
            }
            let target = cur + imm + 1;
            if !live_starts.contains(&target) {
                self.pc = pc;
                return Err(Diag::new(
                    pc,
                    Code::BadInsn,
                    format!("verifier bug: No program to jit at insn {target} (subprog < 0)"),
                    String::new(),
                ));
            }
        }
        Ok(())
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
                if let Some(mut zero) = self.fork_sign_mask(st, insn) {
                    self.alu(&mut zero, insn)?;
                    self.alu(st, insn)?;
                    return Ok(Next::Branch { taken_pc: next, taken: zero, fall_pc: next });
                }
                self.alu(st, insn)?;
                Ok(Next::Goto(next))
            }
            Neg64 | Neg32 => {
                // 0 - dst, as Linux 6.18 tracks it (measured: a negated bounded value is
                // bounded; the 6.12 source made it unknown)
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
                // In a subprogram the load's hidden failure exit (bpf_gen_ld_abs()) returns 0
                // from the subprogram: the caller sees that too (measured on Linux 6.18: a
                // caller reading an uninitialised register when the result is 0 is rejected).
                if st.frames.len() > 1 {
                    let mut fail = st.clone();
                    *fail.reg_mut(0) = Reg::constant(0);
                    if let Next::Goto(ret) = self.exit(&mut fail)? {
                        self.step_frame_change = true;
                        return Ok(Next::Branch { taken_pc: ret, taken: fail, fall_pc: next });
                    }
                }
                Ok(Next::Goto(next))
            }
            LdxW | LdxH | LdxB | LdxDW | LdxsxW | LdxsxH | LdxsxB => {
                if matches!(insn.op, LdxsxW | LdxsxH | LdxsxB) && !self.p.profile.isa_v4 {
                    return Err(self.err(Some(st), Code::BadInsn, format!("unknown opcode {:02x}", insn.form().code)));
                }
                let base = self.read_reg(st, insn.src)?;
                let acquire = pseudo == crate::program::LOAD_ACQUIRE;
                if acquire {
                    self.acquire_release(st, insn.src, &base, "loads from")?;
                }
                self.check_dst_writable(st, insn.dst)?;
                let signed = matches!(insn.op, LdxsxW | LdxsxH | LdxsxB);
                let v = self.mem_access(st, insn.src, base, insn.off as i32, sz(insn.op), false, None, acquire)?;
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
                // before 6.3 the kernel refused BPF_ST into the context (do_check()); since, the
                // context's is_valid_access() rules decide as for BPF_STX
                if base.ty == RegType::Ctx && !self.p.profile.st_ctx {
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
                let release = pseudo == crate::program::STORE_RELEASE;
                if release {
                    self.acquire_release(st, insn.dst, &base, "stores into")?;
                }
                // a scalar spilled to the start of a stack slot, in a store wide enough for
                // its value, shares an id with its register, so a later comparison of either
                // bounds both (kernel/bpf/verifier.c, check_stack_write_fixed_off():
                // assign_scalar_id_before_mov())
                let size = sz(insn.op);
                let aligned = base.val.is_const() && (base.off as i64 + insn.off as i64 + base.val.smin) % 8 == 0;
                if base.ty == RegType::Stack
                    && aligned
                    && val.is_scalar()
                    && (size == 8 || val.val.umax >> (size * 8) == 0)
                {
                    val = self.link_before_copy(st, insn.src);
                }
                self.mem_access(st, insn.dst, base, insn.off as i32, sz(insn.op), true, Some(val), release)?;
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
            LoadAcquireB | LoadAcquireH | LoadAcquireW | LoadAcquireDW | StoreReleaseB | StoreReleaseH
            | StoreReleaseW | StoreReleaseDW => {
                // (Program::decode gives them as the tagged plain load or store they verify as.)
                Err(self.err(Some(st), Code::BadInsn, format!("unknown opcode {:02x}", insn.form().code)))
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

    // ---------------------------------------------------------------- memory

    // ---------------------------------------------------------------- branches

    // ---------------------------------------------------------------- calls
}

#[derive(Default)]
struct Meta {
    size_max: u64,
    map: Option<u32>,
    ref_id: u32,
    alloc_size: u32,
    callback: Option<usize>,
    cb_arg: Option<Reg>,
    /// The key of an array map lookup, when a constant on the stack (get_constant_map_key()).
    const_key: Option<u64>,
}

enum PruneResult {
    /// Covered at a loop head by a state whose exploration is unfinished.
    LoopHead(usize),
    /// Covered by this (finished) checkpoint.
    Pruned(usize),
    Loop,
    Continue,
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

impl Reg {
    fn with_val(mut self, v: Scalar) -> Reg {
        self.val = v;
        self
    }
}
