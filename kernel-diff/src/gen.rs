//! The generator: well-formed programs near the edge of what the kernel accepts.
//!
//! A program is `r6 = r1` (the context, kept in r6), `r7`/`r8` as scalars, then a few
//! snippets (context loads and stores, stack spills and fills, map lookups, packet accesses,
//! bounded indexes into map values / stack / packet, helper calls, bounded loops, bpf-to-bpf
//! calls, bpf_loop callbacks), each possibly behind a random branch, then `r0 = ...; exit`,
//! then the subprograms. Every snippet has a safe form and "edge" choices (an offset one past
//! the end, a missing null check, a wrong size, an unbounded scalar, ...) taken with a
//! per-program probability, so that about half of the programs are rejected by the kernel.

use crate::asm::*;
use crate::prog::{Map, Prog};
use crate::rng::Rng;

/// The program types the campaign loads (`BPF_PROG_TYPE_*`).
pub const TYPES: [u32; 6] = [SOCKET_FILTER, KPROBE, SCHED_CLS, TRACEPOINT, XDP, CGROUP_SKB];
pub const SOCKET_FILTER: u32 = 1;
pub const KPROBE: u32 = 2;
pub const SCHED_CLS: u32 = 3;
pub const TRACEPOINT: u32 = 5;
pub const XDP: u32 = 6;
pub const CGROUP_SKB: u32 = 8;

// Helper ids (uapi/linux/bpf.h `___BPF_FUNC_MAPPER`).
const MAP_LOOKUP: i32 = 1;
const MAP_UPDATE: i32 = 2;
const MAP_DELETE: i32 = 3;
const KTIME_GET_NS: i32 = 5;
const PRANDOM: i32 = 7;
const SMP_PROCESSOR_ID: i32 = 8;
const PID_TGID: i32 = 14;
const SKB_LOAD_BYTES: i32 = 26;
const XDP_ADJUST_HEAD: i32 = 44;
const PROBE_READ_KERNEL: i32 = 113;
const BPF_LOOP: i32 = 181;

/// `struct __sk_buff` fields (offset, size).
const SKB: &[(i16, i16)] = &[
    (0, 4),
    (4, 4),
    (8, 4),
    (12, 4),
    (16, 4),
    (20, 4),
    (24, 4),
    (28, 4),
    (32, 4),
    (36, 4),
    (40, 4),
    (44, 4),
    (48, 4),
    (52, 4),
    (56, 4),
    (60, 4),
    (64, 4),
    (68, 4),
    (72, 4),
    (76, 4),
    (80, 4),
    (84, 4),
    (88, 4),
    (92, 4),
    (96, 4),
    (100, 4),
    (116, 4),
    (132, 4),
    (136, 4),
    (140, 4),
    (144, 8),
    (152, 8),
    (160, 4),
    (164, 4),
    (168, 8),
    (176, 4),
    (180, 1),
    (184, 8),
];
/// `struct __sk_buff` fields that some skb program types may write.
const SKB_WRITABLE: &[i16] = &[8, 32, 44, 48, 52, 56, 60, 64, 72];
/// `struct xdp_md`.
/// `egress_ifindex` (20) is readable only by devmap programs: reached by edge offsets.
const XDP_MD: &[(i16, i16)] = &[(0, 4), (4, 4), (8, 4), (12, 4), (16, 4)];
/// `struct pt_regs` (x86-64): 21 u64.
const PT_REGS: &[(i16, i16)] = &[
    (0, 8),
    (8, 8),
    (16, 8),
    (24, 8),
    (32, 8),
    (40, 8),
    (48, 8),
    (56, 8),
    (64, 8),
    (72, 8),
    (80, 8),
    (88, 8),
    (96, 8),
    (104, 8),
    (112, 8),
    (120, 8),
    (128, 8),
    (136, 8),
    (144, 8),
    (152, 8),
    (160, 8),
];
/// A tracepoint's record: any aligned read after the first 8 bytes (the common header).
const TP: &[(i16, i16)] = &[(8, 8), (16, 8), (24, 4), (28, 4), (32, 2), (34, 1), (40, 8), (0, 8)];

/// Fields every program type reads (the rest are reached by edge choices).
fn safe_ctx_fields(pt: u32) -> &'static [(i16, i16)] {
    match pt {
        XDP => &XDP_MD[2..],
        KPROBE => PT_REGS,
        TRACEPOINT => &TP[..7],
        _ => &SKB[..18],
    }
}

/// Context fields this program type may write (kernel: *_is_valid_access for BPF_WRITE).
fn writable_ctx_fields(pt: u32) -> &'static [i16] {
    match pt {
        SOCKET_FILTER => &SKB_WRITABLE[3..8],
        SCHED_CLS => SKB_WRITABLE,
        CGROUP_SKB => &SKB_WRITABLE[..8],
        _ => &[],
    }
}

fn ctx_fields(pt: u32) -> &'static [(i16, i16)] {
    match pt {
        XDP => XDP_MD,
        KPROBE => PT_REGS,
        TRACEPOINT => TP,
        _ => SKB,
    }
}

fn ctx_size(pt: u32) -> i16 {
    match pt {
        XDP => 24,
        KPROBE => 168,
        TRACEPOINT => 64,
        _ => 192,
    }
}

fn is_skb(pt: u32) -> bool {
    matches!(pt, SOCKET_FILTER | SCHED_CLS | CGROUP_SKB)
}

fn has_packet(pt: u32) -> bool {
    matches!(pt, SCHED_CLS | CGROUP_SKB | XDP)
}

fn is_tracing(pt: u32) -> bool {
    matches!(pt, KPROBE | TRACEPOINT)
}

/// (data, data_end) context offsets.
fn pkt_offsets(pt: u32) -> (i16, i16) {
    if pt == XDP {
        (0, 4)
    } else {
        (76, 80)
    }
}

#[derive(Clone, Copy)]
enum Pending {
    /// A subprogram called with r1 = a pointer to `len` initialised bytes of the caller's
    /// stack (or the context) and r2 = a scalar.
    Sub { label: Label, arg_len: i16, ctx_arg: bool, nested: bool },
    /// A bpf_loop callback: r1 = index, r2 = the callback context (`ctx_len` bytes of the
    /// caller's stack, or NULL when 0).
    Callback { label: Label, ctx_len: i16 },
}

pub struct Gen<'r> {
    r: &'r mut Rng,
    a: Asm,
    pt: u32,
    maps: Vec<Map>,
    /// Percentage of edge choices.
    edge_pct: u64,
    pending: Vec<Pending>,
}

/// Generate one program.
pub fn generate(r: &mut Rng) -> Prog {
    let pt = *r.pick(&TYPES);
    let edge_pct = *r.pick(&[0, 4, 8, 12, 20]);
    let mut maps = vec![Map::array(*r.pick(&[8, 16, 48, 64]), *r.pick(&[1, 4, 16]))];
    if r.chance(50) {
        maps.push(Map::hash(*r.pick(&[4, 8]), *r.pick(&[8, 16, 32])));
    }
    let mut g = Gen { r, a: Asm::default(), pt, maps, edge_pct, pending: Vec::new() };
    g.program();
    // Callbacks need BTF func_info (an edge choice leaves it out).
    let callbacks = g.pending.iter().any(|p| matches!(p, Pending::Callback { .. }));
    let func_info = callbacks && !g.edge() || g.r.chance(10);
    let (insns, map_refs) = g.a.finish();
    Prog { prog_type: pt, attach_type: 0, insns, maps: g.maps, map_refs, func_info }
}

impl Gen<'_> {
    fn edge(&mut self) -> bool {
        self.r.chance(self.edge_pct)
    }

    fn program(&mut self) {
        self.a.mov(6, 1);
        self.init_scalar(7);
        self.a.movk(8, 0);
        let n = self.r.range(1, 5);
        for _ in 0..n {
            if self.r.chance(30) {
                let skip = self.a.label();
                self.branch_on_scalar(skip);
                self.snippet();
                self.a.bind(skip);
            } else {
                self.snippet();
            }
        }
        self.ret();
        // Subprograms and callbacks (they may queue more: one level of nesting).
        let mut i = 0;
        while i < self.pending.len() {
            let p = self.pending[i];
            self.emit_pending(p);
            i += 1;
        }
    }

    fn init_scalar(&mut self, reg: u8) {
        match self.r.below(3) {
            0 => {
                self.a.call(PRANDOM);
                self.a.mov(reg, 0);
            }
            1 => self.a.movk(reg, self.r.range(-4, 64) as i32),
            _ => {
                // a context field read as a scalar
                let (off, size) = *self.r.pick(self.scalar_ctx_fields());
                self.a.ldx(size, reg, 6, off);
            }
        }
    }

    /// Context fields that read as scalars for this program type (not packet pointers).
    fn scalar_ctx_fields(&self) -> &'static [(i16, i16)] {
        match self.pt {
            XDP => &XDP_MD[3..],
            _ => safe_ctx_fields(self.pt),
        }
    }

    fn branch_on_scalar(&mut self, skip: Label) {
        let class = if self.r.chance(25) { JMP32 } else { JMP };
        let op = *self.r.pick(&CONDS);
        let reg = if self.r.chance(50) { 7 } else { 8 };
        let imm = self.r.range(-2, 64) as i32;
        self.a.jk(class, op, reg, imm, skip);
    }

    fn snippet(&mut self) {
        match self.r.below(15) {
            0 => self.ctx_load(),
            1 => self.ctx_store(),
            2 | 3 => self.stack(),
            4 | 5 => self.map_access(),
            6 => self.packet(),
            7 | 8 => self.bounded_index(),
            9 => self.helper(),
            10 => self.bounded_loop(),
            11 => self.subprog_call(),
            12 => self.bpf_loop(),
            _ => self.scalar_math(),
        }
    }

    fn ret(&mut self) {
        let cgroup = self.pt == CGROUP_SKB;
        if self.edge() {
            match self.r.below(3) {
                0 => self.a.mov(0, 7),
                1 => self.a.movk(0, 2),
                _ => {}
            }
        } else {
            self.a.movk(0, if cgroup { self.r.range(0, 1) as i32 } else { self.r.range(0, 3) as i32 });
        }
        self.a.exit();
    }

    /// A size (bytes) other than `s`.
    fn other_size(&mut self, s: i16) -> i16 {
        loop {
            let n = self.r.pick(&SIZES).1;
            if n != s {
                return n;
            }
        }
    }

    fn nudge(&mut self) -> i16 {
        *self.r.pick(&[1, 2, 3, 4, -1, -2, -4, 8])
    }

    fn ctx_load(&mut self) {
        let edge = self.edge();
        let (mut off, mut size) = *self.r.pick(if edge { ctx_fields(self.pt) } else { safe_ctx_fields(self.pt) });
        if edge {
            match self.r.below(6) {
                0 => off += self.nudge(),
                1 => size = self.other_size(size),
                2 => off = ctx_size(self.pt) - self.r.range(0, 4) as i16,
                5 => {}
                3 => {
                    // a narrow load inside the field
                    size = 1;
                    off += self.r.range(0, 3) as i16;
                }
                _ => {
                    // through a modified context pointer
                    self.a.mov(2, 6);
                    self.a.alu64k(ADD, 2, off as i32);
                    self.a.ldx(size, 7, 2, 0);
                    return;
                }
            }
        }
        let dst = if self.r.chance(50) { 7 } else { 8 };
        self.a.ldx(size, dst, 6, off);
        if self.r.chance(50) {
            self.a.alu64k(AND, dst, 0xff);
        }
    }

    fn ctx_store(&mut self) {
        let w = writable_ctx_fields(self.pt);
        let edge = self.edge();
        if w.is_empty() && !edge {
            return self.stack();
        }
        let mut off = if w.is_empty() { self.r.pick(ctx_fields(self.pt)).0 } else { *self.r.pick(w) };
        let mut size = 4;
        if edge {
            match self.r.below(3) {
                0 => off = self.r.pick(ctx_fields(self.pt)).0,
                1 => size = self.other_size(size),
                _ => off += self.nudge(),
            }
        }
        if self.r.chance(50) {
            self.a.st(size, 6, off, self.r.range(0, 9) as i32);
        } else {
            self.a.stx(size, 6, off, 7);
        }
    }

    fn stack(&mut self) {
        let mut off = -8 * self.r.range(1, 16) as i16;
        let mut size = self.r.pick(&SIZES).1;
        if self.edge() {
            match self.r.below(4) {
                0 => off = *self.r.pick(&[-512, -520, 0, 8, -513]),
                1 => off += self.r.range(1, 7) as i16,
                2 => off = -512 + self.r.range(-8, 8) as i16,
                _ => size = 8,
            }
        }
        match self.r.below(4) {
            0 => {
                // spill the context pointer, fill it back (maybe partially), use it
                self.a.stx(8, 10, off, 6);
                let fill = if self.edge() { self.other_size(8) } else { 8 };
                self.a.ldx(fill, 2, 10, off);
                let (f, s) = *self.r.pick(self.scalar_ctx_fields());
                self.a.ldx(s, 7, 2, f);
            }
            1 => {
                self.a.st(size, 10, off, self.r.range(-1, 100) as i32);
                let fill = if self.edge() { self.other_size(size) } else { size };
                self.a.ldx(fill, 8, 10, off);
            }
            2 => {
                self.a.stx(size, 10, off, 7);
                let fill = if self.edge() { self.other_size(size) } else { size };
                self.a.ldx(fill, 7, 10, off);
            }
            _ => {
                // a read of whatever is there
                self.a.ldx(size, 8, 10, off);
            }
        }
    }

    /// `r0 = lookup(map, key)`; returns the label the null path jumps to (bound by the
    /// caller after its accesses) and the map index.
    fn lookup(&mut self) -> (Label, usize) {
        let m = self.r.below(self.maps.len() as u64) as usize;
        let map = self.maps[m];
        let ks = map.key_size as i16;
        let key_off = -16;
        if !self.edge() {
            if map.map_type == crate::prog::MAP_ARRAY && self.r.chance(50) {
                self.a.st(4, 10, key_off, self.r.range(0, map.max_entries as i64) as i32);
            } else {
                self.a.stx(ks.min(8), 10, key_off, 7);
            }
        } else if self.r.chance(50) {
            self.a.st(4, 10, key_off, 0);
        }
        self.a.mov(2, 10);
        let koff = if self.edge() { key_off + *self.r.pick(&[4, 8, 12, -500]) } else { key_off };
        self.a.alu64k(ADD, 2, koff as i32);
        self.a.ld_map(1, m as u32);
        self.a.call(MAP_LOOKUP);
        let skip = self.a.label();
        if !self.edge() {
            match self.r.below(3) {
                0 => self.a.jk(JMP, JEQ, 0, 0, skip),
                1 => {
                    let ok = self.a.label();
                    self.a.jk(JMP, JNE, 0, 0, ok);
                    self.a.ja(skip);
                    self.a.bind(ok);
                }
                _ => {
                    self.a.mov(5, 0);
                    self.a.jk(JMP, JEQ, 5, 0, skip);
                }
            }
        } else if self.r.chance(30) {
            // a check of the wrong register
            self.a.jk(JMP, JEQ, 7, 0, skip);
        }
        (skip, m)
    }

    fn map_access(&mut self) {
        let (skip, m) = self.lookup();
        let vs = self.maps[m].value_size as i16;
        let mut size = self.r.pick(&SIZES).1.min(vs);
        let mut off = self.r.range(0, (vs - size) as i64) as i16;
        if self.edge() {
            match self.r.below(4) {
                0 => off = vs - size + self.r.range(1, 4) as i16,
                1 => off = -self.r.range(1, 8) as i16,
                2 => size = 8,
                _ => off += 1,
            }
        }
        match self.r.below(3) {
            0 => self.a.ldx(size, 7, 0, off),
            1 => self.a.st(size, 0, off, 1),
            _ => {
                self.a.stx(size, 0, off, 8);
                // keep the pointer and use it again after a call
                if self.r.chance(40) {
                    self.a.mov(9, 0);
                    self.a.call(PRANDOM);
                    let o = if self.edge() { 0 } else { 9 };
                    self.a.ldx(1, 8, o, 0);
                }
            }
        }
        self.a.bind(skip);
    }

    /// A packet bounds check: r2 = data, r3 = data_end, r4 = r2 + n; the body runs when
    /// `r4 <= r3` (unless an edge choice breaks it). Returns the skip label.
    fn pkt_check(&mut self, n: i16) -> Label {
        let (d, de) = pkt_offsets(self.pt);
        let meta = self.pt == XDP && self.r.chance(10);
        if meta {
            self.a.ldx(4, 2, 6, 8);
            self.a.ldx(4, 3, 6, 0);
        } else {
            self.a.ldx(4, 2, 6, d);
            self.a.ldx(4, 3, 6, de);
        }
        self.a.mov(4, 2);
        self.a.alu64k(ADD, 4, n as i32);
        let skip = self.a.label();
        let edge = self.edge();
        match self.r.below(if edge { 7 } else { 4 }) {
            0 => self.a.jx(JMP, JGT, 4, 3, skip),
            1 => self.a.jx(JMP, JLT, 3, 4, skip),
            2 => {
                let ok = self.a.label();
                self.a.jx(JMP, JLE, 4, 3, ok);
                self.a.ja(skip);
                self.a.bind(ok);
            }
            3 => {
                let ok = self.a.label();
                self.a.jx(JMP, JGE, 3, 4, ok);
                self.a.ja(skip);
                self.a.bind(ok);
            }
            4 => self.a.jx(JMP, JGE, 4, 3, skip),
            5 => self.a.jx(JMP, JGT, 2, 3, skip),
            _ => {}
        }
        skip
    }

    fn packet(&mut self) {
        if !has_packet(self.pt) && !self.edge() {
            return self.ctx_load();
        }
        let n = self.r.range(1, 64) as i16;
        let skip = self.pkt_check(n);
        let mut size = self.r.pick(&SIZES).1.min(8);
        while size > n {
            size /= 2;
        }
        let mut off = self.r.range(0, (n - size) as i64) as i16;
        if self.edge() {
            match self.r.below(3) {
                0 => off = n - size + 1,
                1 => size = 8,
                _ => off = -1,
            }
        }
        if self.r.chance(70) {
            self.a.ldx(size, 7, 2, off);
        } else {
            self.a.st(size, 2, off, 0);
        }
        if self.pt == XDP && self.r.chance(30) {
            // the packet may move: pointers from before are gone
            self.a.mov(1, 6);
            self.a.movk(2, 0);
            self.a.call(XDP_ADJUST_HEAD);
            if self.edge() {
                self.a.ldx(1, 8, 4, -1);
            }
        }
        self.a.bind(skip);
    }

    /// A scalar bounded by a random chain, added to a pointer, then an access.
    fn bounded_index(&mut self) {
        self.a.mov(3, if self.r.chance(50) { 7 } else { 8 });
        let skip = self.a.label();
        let steps = self.r.range(1, 2);
        for _ in 0..steps {
            match self.r.below(6) {
                0 => {
                    let m = *self.r.pick(&[1, 3, 7, 15, 31, 63, 0xff]);
                    self.a.alu64k(AND, 3, m);
                }
                1 => {
                    let op = *self.r.pick(&[JGT, JGE, JSGT, JSGE]);
                    let class = if self.r.chance(30) { JMP32 } else { JMP };
                    let c = self.r.range(0, 64) as i32;
                    self.a.jk(class, op, 3, c, skip);
                }
                2 => self.a.jk(JMP, JSLT, 3, 0, skip),
                3 => {
                    let s = self.r.range(56, 63) as i32;
                    self.a.alu64k(RSH, 3, s);
                }
                4 => {
                    let m = self.r.range(1, 64) as i32;
                    self.a.alu64k(MOD, 3, m);
                }
                _ => {
                    // 32-bit ops zero-extend
                    let m = *self.r.pick(&[7, 15, 63, 0xff, 0xffff]);
                    self.a.alu32k(AND, 3, m);
                }
            }
        }
        let size = self.r.pick(&SIZES).1;
        match self.r.below(3) {
            0 => {
                self.a.mov(9, 3);
                let (null, m) = self.lookup();
                let vs = self.maps[m].value_size as i32;
                self.a.alu64x(ADD, 0, 9);
                let off = self.r.range(0, (vs - size as i32).max(0) as i64) as i16;
                if self.r.chance(50) {
                    self.a.ldx(size, 7, 0, off);
                } else {
                    self.a.stx(size, 0, off, 8);
                }
                self.a.bind(null);
            }
            1 => {
                // the stack is always strictly aligned: clear the index's low bits
                if size > 1 && !self.edge() {
                    self.a.alu64k(AND, 3, -(size as i32));
                }
                self.a.mov(2, 10);
                let base = -8 * self.r.range(1, 40) as i32;
                self.a.alu64k(ADD, 2, base);
                self.a.alu64x(ADD, 2, 3);
                if self.r.chance(50) {
                    self.a.st(size, 2, 0, 0);
                } else {
                    self.a.ldx(size, 7, 2, 0);
                }
            }
            _ => {
                if has_packet(self.pt) {
                    let n = self.r.range(1, 64) as i16;
                    self.a.mov(5, 3);
                    let inner = self.pkt_check(n);
                    self.a.alu64x(ADD, 2, 5);
                    self.a.mov(4, 2);
                    let m = self.r.range(1, 16) as i32;
                    self.a.alu64k(ADD, 4, m);
                    self.a.jx(JMP, JGT, 4, 3, inner);
                    self.a.ldx(size.min(m as i16), 7, 2, 0);
                    self.a.bind(inner);
                } else {
                    self.a.mov(2, 6);
                    self.a.alu64x(ADD, 2, 3);
                    self.a.ldx(4, 7, 2, 0);
                }
            }
        }
        self.a.bind(skip);
    }

    fn scalar_math(&mut self) {
        let ops = [ADD, SUB, MUL, OR, AND, LSH, RSH, XOR, ARSH, DIV, MOD, NEG];
        for _ in 0..self.r.range(1, 4) {
            let op = *self.r.pick(&ops);
            let dst = if self.r.chance(50) { 7 } else { 8 };
            if op == NEG {
                let class = if self.r.chance(30) { ALU } else { ALU64 };
                self.a.raw(class | NEG, dst, 0, 0, 0);
                continue;
            }
            let k = match op {
                LSH | RSH | ARSH => self.r.range(0, 63) as i32,
                _ => self.r.range(-3, 100) as i32,
            };
            if self.r.chance(30) {
                self.a.raw(ALU | op | K, dst, 0, 0, k.clamp(-31, 31));
            } else if self.r.chance(30) {
                self.a.alu64x(op, dst, 15 - dst);
            } else {
                self.a.alu64k(op, dst, k);
            }
        }
        if self.edge() {
            // a pointer in arithmetic where the kernel forbids it
            match self.r.below(3) {
                0 => self.a.alu64x(MUL, 6, 7),
                1 => self.a.alu32k(ADD, 6, 1),
                _ => self.a.alu64x(ADD, 7, 6),
            }
        }
    }

    fn helper(&mut self) {
        let edge = self.edge();
        match self.r.below(7) {
            0 => {
                self.a.call(*self.r.pick(&[PRANDOM, KTIME_GET_NS, SMP_PROCESSOR_ID]));
                self.a.mov(7, 0);
            }
            1 => {
                let m = self.r.below(self.maps.len() as u64) as usize;
                let map = self.maps[m];
                let vs = map.value_size as i16;
                let voff = -8 - (vs + 7) / 8 * 8;
                self.a.st(8, 10, -8, 0);
                if !edge {
                    for o in (0..vs).step_by(8) {
                        self.a.st(8.min(vs - o), 10, voff + o, 1);
                    }
                }
                self.a.ld_map(1, m as u32);
                self.a.mov(2, 10);
                self.a.alu64k(ADD, 2, -8);
                self.a.mov(3, 10);
                self.a.alu64k(ADD, 3, if edge && self.r.chance(50) { voff + 8 } else { voff } as i32);
                self.a.movk(4, 0);
                self.a.call(MAP_UPDATE);
            }
            2 => {
                let m = self.r.below(self.maps.len() as u64) as usize;
                self.a.st(8, 10, -8, 0);
                self.a.ld_map(1, m as u32);
                self.a.mov(2, 10);
                self.a.alu64k(ADD, 2, -8);
                self.a.call(MAP_DELETE);
            }
            3 if is_tracing(self.pt) || edge => {
                self.a.mov(1, 10);
                self.a.alu64k(ADD, 1, -32);
                if edge && self.r.chance(50) {
                    self.a.mov(2, 7);
                } else {
                    let n = if edge { 33 } else { self.r.range(0, 32) as i32 };
                    self.a.movk(2, n);
                }
                self.a.mov(3, 6);
                self.a.call(PROBE_READ_KERNEL);
            }
            4 if is_skb(self.pt) || edge => {
                self.a.mov(1, 6);
                self.a.movk(2, self.r.range(0, 14) as i32);
                self.a.mov(3, 10);
                self.a.alu64k(ADD, 3, -16);
                if edge && self.r.chance(50) {
                    self.a.mov(4, 8);
                } else if self.r.chance(30) {
                    self.a.mov(4, 7);
                    self.a.alu64k(AND, 4, 15);
                    self.a.alu64k(ADD, 4, 1);
                } else {
                    self.a.movk(4, if edge { 17 } else { self.r.range(1, 16) as i32 });
                }
                self.a.call(SKB_LOAD_BYTES);
            }
            5 if is_tracing(self.pt) || edge => {
                self.a.call(PID_TGID);
                self.a.mov(8, 0);
            }
            _ => {
                // r1-r5 are clobbered by a call
                self.a.call(PRANDOM);
                self.a.mov(8, if edge { 1 } else { 0 });
            }
        }
    }

    fn bounded_loop(&mut self) {
        let n = self.r.range(1, 24) as i32;
        let edge = self.edge();
        self.a.movk(1, 0);
        let top = self.a.label();
        self.a.bind(top);
        match self.r.below(3) {
            0 => {
                // index the stack with the counter
                self.a.mov(2, 1);
                self.a.alu64k(AND, 2, if edge { 511 } else { 63 });
                self.a.mov(3, 10);
                self.a.alu64k(ADD, 3, -64);
                self.a.alu64x(ADD, 3, 2);
                self.a.st(1, 3, 0, 7);
            }
            1 => self.a.alu64x(ADD, 8, 1),
            _ => {
                // loop-carried packet/ctx reads stay in bounds
                let (off, size) = *self.r.pick(self.scalar_ctx_fields());
                self.a.ldx(size, 2, 6, off);
                self.a.alu64x(ADD, 8, 2);
            }
        }
        let step = if edge && self.r.chance(30) { 0 } else { 1 };
        self.a.alu64k(ADD, 1, step);
        let op = *self.r.pick(&[JLT, JNE, JSLT]);
        let lim = if edge && self.r.chance(50) { n + 1 } else { n };
        self.a.jk(JMP, op, 1, lim, top);
    }

    fn subprog_call(&mut self) {
        let label = self.a.label();
        let ctx_arg = self.r.chance(30);
        let arg_len = *self.r.pick(&[8, 16, 24]);
        if ctx_arg {
            self.a.mov(1, 6);
        } else {
            for o in (0..arg_len).step_by(8) {
                self.a.st(8, 10, -arg_len + o, 0);
            }
            self.a.mov(1, 10);
            self.a.alu64k(ADD, 1, -arg_len as i32);
        }
        self.a.mov(2, 7);
        self.a.call_local(label);
        self.a.mov(8, 0);
        let nested = self.r.chance(20);
        self.pending.push(Pending::Sub { label, arg_len, ctx_arg, nested });
    }

    fn bpf_loop(&mut self) {
        let label = self.a.label();
        let ctx_len = if self.edge() && self.r.chance(50) { 0 } else { *self.r.pick(&[8, 16]) };
        for o in (0..ctx_len).step_by(8) {
            self.a.st(8, 10, -ctx_len + o, 0);
        }
        self.a.movk(1, self.r.range(1, 64) as i32);
        self.a.ld_func(2, label);
        if ctx_len == 0 {
            self.a.movk(3, 0);
        } else {
            self.a.mov(3, 10);
            self.a.alu64k(ADD, 3, -ctx_len as i32);
        }
        self.a.movk(4, 0);
        self.a.call(BPF_LOOP);
        self.pending.push(Pending::Callback { label, ctx_len });
    }

    fn emit_pending(&mut self, p: Pending) {
        match p {
            Pending::Sub { label, arg_len, ctx_arg, nested } => {
                self.a.bind(label);
                let edge = self.edge();
                if ctx_arg {
                    let (mut off, size) = *self.r.pick(self.scalar_ctx_fields());
                    if edge {
                        off += 1;
                    }
                    self.a.ldx(size, 0, 1, off);
                } else {
                    let mut off = 8 * self.r.range(0, (arg_len / 8 - 1) as i64) as i16;
                    if edge {
                        off = *self.r.pick(&[arg_len, -8, off + 4]);
                    }
                    if self.r.chance(50) {
                        self.a.stx(8, 1, off, 2);
                        self.a.movk(0, 0);
                    } else {
                        self.a.ldx(8, 0, 1, off);
                    }
                }
                if nested {
                    // a deeper frame with a stack of its own
                    let depth = if self.edge() { 480 } else { 64 };
                    self.a.st(8, 10, -depth, 0);
                    self.a.mov(6, 0);
                    let inner = self.a.label();
                    self.a.mov(1, 10);
                    self.a.alu64k(ADD, 1, -depth as i32);
                    self.a.movk(2, 1);
                    self.a.call_local(inner);
                    self.a.mov(0, 6);
                    self.pending.push(Pending::Sub { label: inner, arg_len: 8, ctx_arg: false, nested: false });
                }
                if self.edge() {
                    // callee-saved registers are not the caller's
                    self.a.mov(0, *self.r.pick(&[6, 7, 2]));
                }
                self.a.exit();
            }
            Pending::Callback { label, ctx_len } => {
                self.a.bind(label);
                let edge = self.edge();
                if ctx_len > 0 || edge {
                    let off = if edge { ctx_len } else { 0 };
                    self.a.stx(8, 2, off, 1);
                }
                let ret = if self.edge() { 2 } else { self.r.range(0, 1) as i32 };
                self.a.movk(0, ret);
                self.a.exit();
            }
        }
    }
}
