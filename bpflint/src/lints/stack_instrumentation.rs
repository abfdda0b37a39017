//! `stack-instrumentation`: stack the kernel (or a tracing tool) adds after the 512-byte check.
//!
//! The verifier checks the combined stack of every call chain (frames rounded per kernel
//! version) before it rewrites the program; the rewrites add stack slots afterwards:
//! `bpf_loop` inlining (3 slots in the caller's frame), `may_goto` counters, and optional
//! instrumentation models (`--instrument map-trace`). This lint computes, per call chain, the
//! kernel's own numbers and what runs after instrumentation, and reports a budget per program.

use bpf_isa::Op;
use serde_json::{json, Value};

use super::{Finding, Level, Lint, Options, Unit};
use crate::program::{Program, Slot};

pub const LINT: Lint = Lint {
    id: "stack-instrumentation",
    level: Level::Error,
    summary: "call chains whose stack exceeds 512 bytes once the kernel's rewrites and instrumentation are added",
    explain: "\
The kernel checks the 512-byte stack limit (MAX_BPF_STACK) on the program as written: the
combined stack of each chain of bpf-to-bpf calls (and callbacks), each frame rounded up - to 32
bytes on 6.1, to 16 bytes when the program is JITed on newer kernels -, at most 8 frames, and at
most 256 bytes of callers' frames below a subprogram that tail-calls. Only then does it rewrite the
program, and the rewrites take more stack: an inlined bpf_loop() keeps its loop state in 3 slots
(24 bytes) of the caller's frame, a may_goto counter takes 8 (16 with the timed may_goto of 6.18 on
x86-64). Instrumentation such as map-update tracing (`--instrument map-trace`: the helper's
arguments saved on the stack at every bpf_map_update_elem / bpf_map_delete_elem call) adds more.
A program the verifier accepted can so run with more than 512 bytes of stack: on 6.18, a
496-byte program with an inlined bpf_loop is accepted and runs with a 520-byte stack.

This lint computes the exact chains with the kernel's rounding for the chosen profile
(`--kernel 6.1|6.18|native`), adds the instrumentation costs of that profile, and flags chains
over 512 bytes, chains the kernel itself rejects, and chains with less headroom than
`--stack-headroom N`. `bpflint --report stack FILE.o` prints every program's budget.

Fix: move large buffers to a per-CPU array map, split deep call chains, or keep headroom for the
rewrites (24 bytes per frame that calls bpf_loop, 16 per frame with may_goto).",
    check,
};

/// Stack costs of one kernel version, as data.
#[derive(Clone, Copy, Debug)]
pub struct StackModel {
    pub profile: &'static str,
    /// Granularity the verifier rounds each frame to (`round_up_stack_depth`).
    pub round: i32,
    /// Frames of 0 bytes count as 1 byte before rounding (the interpreter's rule).
    pub min_one: bool,
    /// Bytes an inlined `bpf_loop` (constant callback, flags 0, JIT) adds to the caller's frame.
    pub bpf_loop_inline: i32,
    /// Bytes a frame containing `may_goto` gains (0: not supported).
    pub may_goto: i32,
    /// Callers' frames at or above this size forbid tail calls in a subprogram.
    pub tail_call_limit: i32,
    pub max_frames: usize,
    pub max_stack: i32,
}

/// Bytes `--instrument map-trace` saves per call site: all helper arguments, 8 bytes each.
pub const MAP_TRACE_UPDATE: i32 = 32;
pub const MAP_TRACE_DELETE: i32 = 16;

/// The stack model of a kernel profile (the newest for an unknown name), from its features.
pub fn model(profile: &str) -> StackModel {
    let p = crate::profile::Profile::by_name(profile).unwrap_or(&crate::profile::LINUX_6_18);
    StackModel {
        profile: p.name,
        round: p.stack_round,
        min_one: p.stack_min_one,
        bpf_loop_inline: 24,
        may_goto: if p.may_goto { 16 } else { 0 },
        tail_call_limit: 256,
        max_frames: p.max_call_frames,
        max_stack: p.max_stack,
    }
}

impl StackModel {
    pub fn rounded(&self, depth: i32) -> i32 {
        let d = if self.min_one { depth.max(1) } else { depth };
        (d + self.round - 1) / self.round * self.round
    }
}

/// One frame of the budget.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    pub name: String,
    pub start: usize,
    /// Deepest stack byte used (the verifier's `stack_depth`).
    pub depth: i32,
    /// As the verifier counts it (rounded).
    pub rounded: i32,
    /// Added after the check: (what, bytes).
    pub extra: Vec<(String, i32)>,
    /// First instruction that causes an extra (bpf_loop call, may_goto, map helper call).
    pub extra_at: Option<usize>,
    pub tail_call: bool,
}

impl Frame {
    pub fn extra_total(&self) -> i32 {
        self.extra.iter().map(|e| e.1).sum()
    }
    /// What the JIT allocates after the rewrites (8-byte aligned).
    pub fn runtime(&self) -> i32 {
        (self.depth + self.extra_total() + 7) / 8 * 8
    }
}

/// A chain of frames from the entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chain {
    pub frames: Vec<usize>,
    /// Sum of rounded frames: what the verifier checks against 512.
    pub checked: i32,
    /// Sum after the rewrites and instrumentation.
    pub runtime: i32,
}

/// The stack budget of one program.
#[derive(Clone, Debug)]
pub struct Budget {
    pub profile: &'static str,
    pub frames: Vec<Frame>,
    pub chains: Vec<Chain>,
    /// (frame, callers' depth) where a tail-calling subprogram sits above 256 bytes.
    pub tail_call_violations: Vec<(usize, i32)>,
}

impl Budget {
    pub fn deepest(&self) -> Option<&Chain> {
        self.chains.iter().max_by_key(|c| (c.runtime, c.checked))
    }
}

fn frame_name(p: &Program, sub: usize, start: usize) -> String {
    if sub == 0 {
        return p.name.clone();
    }
    p.func_sigs.iter().find(|s| s.start == start).map(|s| s.name.clone()).unwrap_or_else(|| format!("subprog@{start}"))
}

pub fn budget(u: &Unit, opts: &Options) -> Budget {
    let p = u.program;
    let f = &u.verdict.facts;
    let m = model(opts.profile.name);
    let n = f.subprog_starts.len().max(1);
    let end_of = |s: usize| f.subprog_starts.get(s + 1).copied().unwrap_or(p.len());
    let sub_of = |insn: usize| f.subprog_starts.iter().rposition(|&s| s <= insn).unwrap_or(0);
    let mut frames: Vec<Frame> = (0..n)
        .map(|s| {
            let start = f.subprog_starts.get(s).copied().unwrap_or(0);
            let depth = f.subprog_stack.get(s).copied().unwrap_or(0);
            Frame {
                name: frame_name(p, s, start),
                start,
                depth,
                rounded: m.rounded(depth),
                extra: Vec::new(),
                extra_at: None,
                tail_call: false,
            }
        })
        .collect();
    // per-frame costs after the check
    let mut loop_inline = vec![None; n];
    let mut map_trace = vec![(0, 0); n];
    for c in &f.helper_calls {
        let s = sub_of(c.insn);
        match c.id {
            12 => frames[s].tail_call = true,
            181 if c.r4_const == Some(0) && c.callback.is_some() => {
                loop_inline[s] = loop_inline[s].or(Some(c.insn));
            }
            2 | 3 if opts.instrument.map_trace => {
                let cost = if c.id == 2 { MAP_TRACE_UPDATE } else { MAP_TRACE_DELETE };
                if cost > map_trace[s].0 {
                    map_trace[s] = (cost, c.insn);
                }
            }
            _ => {}
        }
    }
    for (s, fr) in frames.iter_mut().enumerate() {
        if let Some(at) = loop_inline[s] {
            let pad = (fr.depth + 7) / 8 * 8 - fr.depth;
            fr.extra.push(("bpf_loop inlining".into(), m.bpf_loop_inline + pad));
            fr.extra_at = fr.extra_at.or(Some(at));
        }
        if m.may_goto > 0 {
            let start = fr.start;
            let at = (start..end_of(s).min(p.len()))
                .find(|&i| matches!(p.slots.get(i), Some(Slot::Insn(x, _)) if x.op == Op::MayGoto));
            if let Some(at) = at {
                fr.extra.push(("may_goto counter".into(), m.may_goto));
                fr.extra_at = fr.extra_at.or(Some(at));
            }
        }
        if map_trace[s].0 > 0 {
            fr.extra.push(("map-trace argument save".into(), map_trace[s].0));
            fr.extra_at = fr.extra_at.or(Some(map_trace[s].1));
        }
    }
    // chains (depth-first over calls and callbacks, as the kernel walks them)
    let mut chains = Vec::new();
    let mut tail = Vec::new();
    let mut path = vec![0usize];
    walk(f, &frames, &m, &mut path, &mut chains, &mut tail);
    Budget { profile: m.profile, frames, chains, tail_call_violations: tail }
}

fn walk(
    f: &crate::verifier::Facts,
    frames: &[Frame],
    m: &StackModel,
    path: &mut Vec<usize>,
    chains: &mut Vec<Chain>,
    tail: &mut Vec<(usize, i32)>,
) {
    let cur = *path.last().unwrap_or(&0);
    let callers: i32 = path[..path.len() - 1].iter().map(|&s| frames[s].rounded).sum();
    if cur != 0 && frames[cur].tail_call && callers >= m.tail_call_limit && !tail.iter().any(|t| t.0 == cur) {
        tail.push((cur, callers));
    }
    let mut callees: Vec<usize> = f.calls.iter().filter(|c| c.caller == cur).map(|c| c.callee).collect();
    callees.sort_unstable();
    callees.dedup();
    callees.retain(|c| !path.contains(c));
    if callees.is_empty() || path.len() > 16 {
        chains.push(Chain {
            frames: path.clone(),
            checked: path.iter().map(|&s| frames[s].rounded).sum(),
            runtime: path.iter().map(|&s| frames[s].runtime()).sum(),
        });
        return;
    }
    for c in callees {
        path.push(c);
        walk(f, frames, m, path, chains, tail);
        path.pop();
    }
}

fn chain_names(b: &Budget, c: &Chain) -> String {
    c.frames.iter().map(|&s| b.frames[s].name.as_str()).collect::<Vec<_>>().join(" -> ")
}

fn extras(b: &Budget, c: &Chain) -> String {
    let mut v = Vec::new();
    for &s in &c.frames {
        for (what, n) in &b.frames[s].extra {
            v.push(format!("+{n} {what} in {}", b.frames[s].name));
        }
    }
    v.join(", ")
}

pub fn check(u: &Unit, _units: &[Unit], opts: &Options) -> Vec<Finding> {
    let b = budget(u, opts);
    let m = model(b.profile);
    let mut out = Vec::new();
    let mut seen_runtime = false;
    for c in &b.chains {
        let names = chain_names(&b, c);
        let at = Some(b.frames[*c.frames.last().unwrap_or(&0)].start);
        if c.frames.len() > m.max_frames {
            out.push(
                Finding::new(
                    &LINT,
                    u,
                    at,
                    format!("call chain {names} has {} frames (at most {})", c.frames.len(), m.max_frames),
                )
                .kernel("the load fails: the call stack is too deep"),
            );
        }
        if c.checked > m.max_stack {
            out.push(
                Finding::new(
                    &LINT,
                    u,
                    at,
                    format!(
                        "call chain {names} needs {} bytes of stack on {} (frames rounded to {})",
                        c.checked, b.profile, m.round
                    ),
                )
                .kernel(format!(
                    "the load fails: combined stack size of {} calls is {}. Too large",
                    c.frames.len(),
                    c.checked
                ))
                .help("move buffers to a per-CPU array map or split the chain"),
            );
            continue;
        }
        if c.runtime > m.max_stack && !seen_runtime {
            seen_runtime = true;
            let at = c.frames.iter().find_map(|&s| b.frames[s].extra_at).or(at);
            out.push(
                Finding::new(
                    &LINT,
                    u,
                    at,
                    format!(
                        "call chain {names} runs with {} bytes of stack after instrumentation ({} checked by the verifier, {})",
                        c.runtime,
                        c.checked,
                        extras(&b, c)
                    ),
                )
                .note(format!("{} bytes over the 512-byte limit", c.runtime - m.max_stack))
                .kernel(format!("accepted on {}: the limit is checked before the rewrites add their slots", b.profile))
                .help("shrink the frames by the instrumentation's cost (move buffers to a per-CPU array map)"),
            );
            continue;
        }
        if let Some(h) = opts.stack_headroom {
            let left = m.max_stack - c.runtime;
            if left < h && !seen_runtime {
                seen_runtime = true;
                out.push(
                    Finding::new(
                        &LINT,
                        u,
                        at,
                        format!("call chain {names} leaves {left} bytes of stack headroom (--stack-headroom {h})"),
                    )
                    .note(format!("{} bytes after instrumentation, {} checked by the verifier", c.runtime, c.checked)),
                );
            }
        }
    }
    for &(s, d) in &b.tail_call_violations {
        out.push(
            Finding::new(
                &LINT,
                u,
                Some(b.frames[s].start),
                format!(
                    "`{}` tail-calls with {d} bytes of callers' frames below it (limit {})",
                    b.frames[s].name,
                    m.tail_call_limit - 1
                ),
            )
            .kernel(format!(
                "the load fails: tail_calls are not allowed when call stack of previous frames is {d} bytes"
            ))
            .help("make the tail call from a shallower function or shrink the callers' frames"),
        );
    }
    out
}

pub fn budget_text(u: &Unit, opts: &Options) -> String {
    let b = budget(u, opts);
    let m = model(b.profile);
    let mut s = format!(
        "{}: {} ({}): stack budget on {} (frames rounded to {})\n",
        u.file,
        u.program.name,
        u.program.type_name(),
        b.profile,
        m.round
    );
    for fr in &b.frames {
        let ex: Vec<String> = fr.extra.iter().map(|(w, n)| format!("+{n} {w}")).collect();
        s.push_str(&format!(
            "  frame {:<24} {:>4} bytes, counted {:>4}{}{}\n",
            fr.name,
            fr.depth,
            fr.rounded,
            if ex.is_empty() { String::new() } else { format!(", {}", ex.join(", ")) },
            if fr.tail_call { ", tail-calls" } else { "" }
        ));
    }
    if let Some(c) = b.deepest() {
        s.push_str(&format!(
            "  deepest chain: {} = {} checked, {} at run time, headroom {}\n",
            chain_names(&b, c),
            c.checked,
            c.runtime,
            m.max_stack - c.runtime.max(c.checked)
        ));
    }
    s
}

pub fn budget_json(u: &Unit, opts: &Options) -> Value {
    let b = budget(u, opts);
    let m = model(b.profile);
    let frames: Vec<Value> = b
        .frames
        .iter()
        .map(|f| {
            json!({
                "name": f.name, "start": f.start, "depth": f.depth, "counted": f.rounded,
                "extra": f.extra.iter().map(|(w, n)| json!({"what": w, "bytes": n})).collect::<Vec<_>>(),
                "tail_call": f.tail_call,
            })
        })
        .collect();
    let deepest = b.deepest().map(|c| {
        json!({
            "frames": c.frames.iter().map(|&s| b.frames[s].name.clone()).collect::<Vec<_>>(),
            "checked": c.checked, "runtime": c.runtime, "headroom": m.max_stack - c.runtime.max(c.checked),
        })
    });
    json!({"file": u.file, "program": u.program.name, "profile": b.profile, "round": m.round, "frames": frames, "deepest": deepest})
}
