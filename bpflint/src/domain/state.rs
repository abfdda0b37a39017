//! Registers, stack slots, call frames and whole verifier states, plus the "old state covers
//! new state" test used for pruning.

use std::rc::Rc;

use super::scalar::Scalar;

pub const MAX_BPF_STACK: i32 = 512;

/// What a register holds, in the kernel's vocabulary (names match its log output).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RegType {
    NotInit,
    Scalar,
    Ctx,
    /// Pointer into a stack frame (`fp`).
    Stack,
    /// `CONST_PTR_TO_MAP`.
    MapPtr,
    MapValue,
    MapKey,
    PacketMeta,
    Packet,
    PacketEnd,
    FlowKeys,
    Sock,
    SockCommon,
    TcpSock,
    XdpSock,
    /// Memory of a known size (`PTR_TO_MEM`: ringbuf records, helper results).
    Mem,
    /// `PTR_TO_BTF_ID`: kernel object typed by BTF (modelled loosely).
    BtfId,
    Func,
    TpBuffer,
    Buf,
    /// The state of an open-coded iterator, kept in its stack slots (never in a register):
    /// `subprog` is the iterator kind (index into `Program::iter_kinds`), `range` its state
    /// ([`ITER_ACTIVE`] / [`ITER_DRAINED`]), `off` the iteration depth, `ref_id` the
    /// reference `bpf_iter_*_new` acquired (first slot only).
    Iter,
    /// The state of a `struct bpf_dynptr` (two stack slots, never in a register): `subprog` is
    /// the dynptr type ([`DYNPTR_LOCAL`]...), `range` 1 on the first (lower) slot, `id` the
    /// dynptr's identity (its slices carry it in `parent`), `ref_id` the reference of a ring
    /// buffer dynptr.
    Dynptr,
}

pub const DYNPTR_LOCAL: u32 = 1;
pub const DYNPTR_RINGBUF: u32 = 2;
pub const DYNPTR_SKB: u32 = 3;
pub const DYNPTR_XDP: u32 = 4;

pub const ITER_ACTIVE: i32 = 1;
pub const ITER_DRAINED: i32 = 2;

impl RegType {
    pub fn name(self) -> &'static str {
        match self {
            RegType::NotInit => "?",
            RegType::Scalar => "scalar",
            RegType::Ctx => "ctx",
            RegType::Stack => "fp",
            RegType::MapPtr => "map_ptr",
            RegType::MapValue => "map_value",
            RegType::MapKey => "map_key",
            RegType::PacketMeta => "pkt_meta",
            RegType::Packet => "pkt",
            RegType::PacketEnd => "pkt_end",
            RegType::FlowKeys => "flow_keys",
            RegType::Sock => "sock",
            RegType::SockCommon => "sock_common",
            RegType::TcpSock => "tcp_sock",
            RegType::XdpSock => "xdp_sock",
            RegType::Mem => "mem",
            RegType::BtfId => "ptr_",
            RegType::Func => "func",
            RegType::TpBuffer => "tp_buffer",
            RegType::Buf => "buf",
            RegType::Iter => "iter",
            RegType::Dynptr => "dynptr",
        }
    }
    pub fn is_pkt(self) -> bool {
        matches!(self, RegType::Packet | RegType::PacketMeta)
    }
    pub fn is_sock(self) -> bool {
        matches!(self, RegType::Sock | RegType::SockCommon | RegType::TcpSock | RegType::XdpSock)
    }
}

/// One register.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Reg {
    pub ty: RegType,
    /// `PTR_MAYBE_NULL`.
    pub maybe_null: bool,
    /// Read-only memory (`MEM_RDONLY`).
    pub rdonly: bool,
    /// Fixed offset of a pointer.
    pub off: i32,
    /// The value of a scalar, or the variable offset of a pointer.
    pub val: Scalar,
    /// Identity shared by copies: null checks and packet range checks apply to all copies.
    pub id: u32,
    /// Acquired reference this pointer carries (0: none).
    pub ref_id: u32,
    /// Packet bytes known to be accessible past the pointer.
    pub range: i32,
    /// Map index (map_ptr, map_value, map_key).
    pub map: u32,
    /// Size of `Mem`/`Buf` memory.
    pub mem_size: u32,
    /// Frame a stack pointer points into.
    pub frame: u8,
    /// Subprogram a `Func` pointer names.
    pub subprog: u32,
    /// A scalar whose exact range some later check relied on (the kernel's precision
    /// tracking). Only set in saved (checkpoint) states, by backtracking from the use; an
    /// imprecise scalar of a saved state matches any scalar when pruning.
    pub precise: bool,
    /// `PTR_TO_BTF_ID`: the kernel BTF type id of the pointee (0: unknown).
    pub btf_id: u32,
    /// `PTR_TO_BTF_ID`: [`TRUSTED`], [`RCU`] or [`UNTRUSTED`] (0: a plain `ptr_`).
    pub trust: u8,
    /// A dynptr slice (`PTR_TO_MEM`): the id of the dynptr it points into (0: none).
    pub parent: u32,
    /// `PTR_TO_BTF_ID | MEM_ALLOC`: the program's BTF type id of the object it allocated
    /// (`bpf_obj_new()`, graph nodes; 0: unknown).
    pub local: u32,
}

/// A scalar's id flags (the kernel's `BPF_ADD_CONST`): the scalar is its id's base value plus
/// the constant in `off` (`r1 = r2; r1 += 4`), so a bound learnt on either bounds the other.
/// Either [`ADD_CONST64`] or (a 32-bit `w1 += 4`, whose result is zero-extended)
/// [`ADD_CONST32`].
pub const ADD_CONST: u32 = ADD_CONST64 | ADD_CONST32;
/// The delta was added by a 64-bit operation (`BPF_ADD_CONST64`).
pub const ADD_CONST64: u32 = 1 << 31;
/// The delta was added by a 32-bit operation (`BPF_ADD_CONST32`, Linux 6.18 stable and 7.0).
pub const ADD_CONST32: u32 = 1 << 30;

/// `PTR_TRUSTED`: a pointer the kernel vouches for (program arguments, acquired objects).
pub const TRUSTED: u8 = 1;
/// `MEM_RCU`: valid inside an RCU read-side section.
pub const RCU: u8 = 2;
/// `PTR_UNTRUSTED`: reached by walking a pointer field; only loads are allowed.
pub const UNTRUSTED: u8 = 4;
/// `MEM_ALLOC | NON_OWN_REF`: an object the program allocated and gave to a list or tree
/// (kernel/bpf/verifier.c, ref_set_non_owning()): usable until the lock is released.
pub const NON_OWN: u8 = 8;

impl Default for Reg {
    fn default() -> Self {
        Reg::NOT_INIT
    }
}

impl Reg {
    pub const NOT_INIT: Reg = Reg {
        ty: RegType::NotInit,
        maybe_null: false,
        rdonly: false,
        off: 0,
        val: Scalar {
            var: super::tnum::Tnum::UNKNOWN,
            smin: i64::MIN,
            smax: i64::MAX,
            umin: 0,
            umax: u64::MAX,
            s32min: i32::MIN,
            s32max: i32::MAX,
            u32min: 0,
            u32max: u32::MAX,
        },
        id: 0,
        ref_id: 0,
        range: 0,
        map: 0,
        mem_size: 0,
        frame: 0,
        subprog: 0,
        precise: false,
        btf_id: 0,
        trust: 0,
        parent: 0,
        local: 0,
    };

    pub fn scalar(val: Scalar) -> Reg {
        Reg { ty: RegType::Scalar, val, ..Reg::NOT_INIT }
    }
    pub fn unknown() -> Reg {
        Reg::scalar(Scalar::unknown())
    }
    pub fn constant(v: u64) -> Reg {
        Reg::scalar(Scalar::constant(v))
    }
    pub fn ptr(ty: RegType) -> Reg {
        Reg { ty, val: Scalar::constant(0), ..Reg::NOT_INIT }
    }
    pub fn is_init(&self) -> bool {
        self.ty != RegType::NotInit
    }
    pub fn is_scalar(&self) -> bool {
        self.ty == RegType::Scalar
    }
    pub fn is_ptr(&self) -> bool {
        !matches!(self.ty, RegType::NotInit | RegType::Scalar)
    }
    pub fn is_null_const(&self) -> bool {
        self.is_scalar() && self.val.const_value() == Some(0)
    }
    /// The kernel's type string (`map_value_or_null`, `ptr_or_null_`...).
    pub fn type_name(&self) -> String {
        let base = self.ty.name();
        let mut s = String::new();
        if self.rdonly && matches!(self.ty, RegType::Mem | RegType::Buf) {
            s.push_str("rdonly_");
        }
        // untrusted memory (bpf_rdonly_cast(p, 0), pointers to non-structs in kernel objects)
        if self.ty == RegType::Mem && self.trust == UNTRUSTED {
            s.push_str("untrusted_");
        }
        if self.ty == RegType::BtfId {
            s.push_str(match self.trust {
                TRUSTED => "trusted_",
                RCU => "rcu_",
                UNTRUSTED => "untrusted_",
                _ => "",
            });
        }
        s.push_str(base);
        if self.maybe_null {
            if self.ty == RegType::BtfId {
                s.push_str("or_null_");
            } else {
                s.push_str("_or_null");
            }
        }
        s
    }

    /// Short register state for diagnostics, in the spirit of the kernel's log.
    pub fn describe(&self) -> String {
        match self.ty {
            RegType::NotInit => "?".into(),
            RegType::Scalar => format!("{}", self.val),
            _ => {
                let mut parts = Vec::new();
                if self.id != 0 {
                    parts.push(format!("id={}", self.id));
                }
                if self.ref_id != 0 {
                    parts.push(format!("ref_obj_id={}", self.ref_id));
                }
                if self.off != 0 {
                    parts.push(format!("off={}", self.off));
                }
                if self.ty.is_pkt() {
                    parts.push(format!("r={}", self.range));
                }
                if !self.val.is_const() || self.val.const_value() != Some(0) {
                    parts.push(format!("var={}", self.val));
                }
                if matches!(self.ty, RegType::Mem | RegType::Buf) {
                    parts.push(format!("sz={}", self.mem_size));
                }
                format!("{}({})", self.type_name(), parts.join(","))
            }
        }
    }
}

/// What one stack byte holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SlotByte {
    Invalid,
    Misc,
    Zero,
    Spill,
    /// Part of an open-coded iterator's state (`STACK_ITER`): not readable, passed by pointer.
    Iter,
    /// Part of a dynptr (`STACK_DYNPTR`): not readable, passed by pointer.
    Dynptr,
    /// Saved interrupt state (`STACK_IRQ_FLAG`, Linux 6.14+): written by
    /// `bpf_local_irq_save()`, not readable, passed by pointer (verifier/irq.rs).
    IrqFlag,
}

/// One 8-byte stack slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Slot {
    pub bytes: [SlotByte; 8],
    /// The spilled register (meaningful when bytes are `Spill`; a 32-bit spill is in bytes
    /// 0..4, like the kernel's, which tracks spills only at the start of a slot).
    pub spilled: Reg,
}

impl Default for Slot {
    fn default() -> Self {
        EMPTY_SLOT
    }
}

impl Slot {
    /// A scalar spilled by an 8-byte store (kernel/bpf/verifier.c is_spilled_scalar_reg64()).
    pub fn is_scalar64_spill(&self) -> bool {
        self.bytes == [SlotByte::Spill; 8] && self.spilled.is_scalar()
    }
}

/// A slot never written.
pub const EMPTY_SLOT: Slot = Slot { bytes: [SlotByte::Invalid; 8], spilled: Reg::NOT_INIT };

/// Slots per shared chunk of a [`Stack`].
const CHUNK: usize = 4;

/// The stack slots of one frame, shared between states copy-on-write in chunks of [`CHUNK`]
/// slots: cloning a state (a branch, a saved checkpoint) copies only the chunk pointers, and a
/// write copies the one chunk it touches if another state still shares it. Explored states
/// then keep only the chunks their path changed since the state before (the kernel copies the
/// whole `bpf_stack_state` array on every push_stack() / copy_verifier_state()).
#[derive(Clone, Default)]
pub struct Stack {
    chunks: Vec<Rc<[Slot; CHUNK]>>,
    /// Slots in use: `chunks` covers `len` rounded up; the slots past `len` are default.
    len: usize,
}

impl Stack {
    pub fn len(&self) -> usize {
        self.len
    }
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    pub fn get(&self, i: usize) -> Option<&Slot> {
        (i < self.len).then(|| &self.chunks[i / CHUNK][i % CHUNK])
    }
    /// Slot `i` for writing (its chunk unshared first).
    pub fn get_mut(&mut self, i: usize) -> Option<&mut Slot> {
        if i >= self.len {
            return None;
        }
        Some(&mut Rc::make_mut(&mut self.chunks[i / CHUNK])[i % CHUNK])
    }
    /// Grow to `n` slots (new slots are default); never shrinks.
    pub fn grow(&mut self, n: usize) {
        if n <= self.len {
            return;
        }
        while self.chunks.len() * CHUNK < n {
            self.chunks.push(Rc::new([Slot::default(); CHUNK]));
        }
        self.len = n;
    }
    /// Every slot of this stack with the same slot of `o` (a never written one past its end),
    /// and whether the two live in one chunk both share (then they are the same slot).
    pub fn pairs<'a>(&'a self, o: &'a Stack) -> impl Iterator<Item = (&'a Slot, &'a Slot, bool)> + 'a {
        (0..self.len).map(move |i| {
            let (k, j) = (i / CHUNK, i % CHUNK);
            let a = &self.chunks[k];
            match o.chunks.get(k) {
                Some(b) if i < o.len => (&a[j], &b[j], Rc::ptr_eq(a, b)),
                _ => (&a[j], &EMPTY_SLOT, false),
            }
        })
    }
    /// The [`stack_summary`] of these slots (the first 64).
    pub fn summary(&self) -> (u64, u64) {
        let (mut spill, mut full) = (0u64, 0u64);
        let n = self.len.min(64);
        for (k, c) in self.chunks.iter().enumerate().take(n.div_ceil(CHUNK)) {
            for (j, s) in c.iter().enumerate().take(n - k * CHUNK) {
                let i = k * CHUNK + j;
                // a spilled 64-bit scalar may match MISC bytes (state_covers())
                let any_spill = s.bytes[0] == SlotByte::Spill && !s.is_scalar64_spill();
                spill |= (any_spill as u64) << i;
                full |= (!s.bytes.contains(&SlotByte::Invalid) as u64) << i;
            }
        }
        (spill, full)
    }
    pub fn iter(&self) -> impl Iterator<Item = &Slot> + '_ {
        self.chunks.iter().flat_map(|c| c.iter()).take(self.len)
    }
    /// Apply `f` to every slot, unsharing only the chunks where it changes a slot.
    pub fn update(&mut self, mut f: impl FnMut(&mut Slot)) {
        let len = self.len;
        for (k, c) in self.chunks.iter_mut().enumerate() {
            let n = CHUNK.min(len.saturating_sub(k * CHUNK));
            let mut new = **c;
            new[..n].iter_mut().for_each(&mut f);
            if new != **c {
                *c = Rc::new(new);
            }
        }
    }
}

impl PartialEq for Stack {
    fn eq(&self, o: &Stack) -> bool {
        self.len == o.len && self.chunks.iter().zip(&o.chunks).all(|(a, b)| Rc::ptr_eq(a, b) || a == b)
    }
}

impl Eq for Stack {}

impl std::hash::Hash for Stack {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.len.hash(h);
        self.iter().for_each(|s| s.hash(h));
    }
}

impl std::fmt::Debug for Stack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// One call frame.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Frame {
    pub regs: [Reg; 11],
    /// `stack.get(i)` covers `fp - 8*(i+1) .. fp - 8*i`.
    pub stack: Stack,
    /// Instruction index of the call that created this frame (return goes to `callsite + 1`).
    pub callsite: usize,
    pub subprog: usize,
    /// For callback frames (bpf_loop etc.): the range R0 must be in.
    pub callback_ret: Option<(i64, i64)>,
    /// How many times this frame's current helper call has entered its callback on this path
    /// (the kernel's `callback_depth`: bpf_loop stops re-entering at its iteration count).
    pub callback_depth: u32,
}

impl Frame {
    pub fn new(callsite: usize, subprog: usize) -> Frame {
        Frame {
            regs: [Reg::NOT_INIT; 11],
            stack: Stack::default(),
            callsite,
            subprog,
            callback_ret: None,
            callback_depth: 0,
        }
    }
    /// Byte at `fp + off` (off negative).
    pub fn byte(&self, off: i32) -> SlotByte {
        let i = (-off - 1) as usize / 8;
        let b = 7 - ((-off - 1) as usize % 8);
        self.stack.get(i).map(|s| s.bytes[b]).unwrap_or(SlotByte::Invalid)
    }
    pub fn slot_mut(&mut self, off: i32) -> &mut Slot {
        let i = (-off - 1) as usize / 8;
        self.stack.grow(i + 1);
        self.stack.get_mut(i).expect("grown")
    }
    pub fn slot(&self, off: i32) -> Option<&Slot> {
        let i = (-off - 1) as usize / 8;
        self.stack.get(i)
    }
    pub fn set_byte(&mut self, off: i32, v: SlotByte) {
        let b = 7 - ((-off - 1) as usize % 8);
        self.slot_mut(off).bytes[b] = v;
    }
    pub fn depth(&self) -> i32 {
        self.stack.len() as i32 * 8
    }
}

/// An acquired reference that must be released before exit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RefEntry {
    pub id: u32,
    pub insn: usize,
    /// 0: a referenced pointer (`REF_TYPE_PTR`); otherwise saved interrupt state
    /// (`REF_TYPE_IRQ`) and the class of kfuncs that saved it ([`IRQ_NATIVE`], [`IRQ_LOCK`]).
    pub irq: u8,
}

/// Interrupt state saved by `bpf_local_irq_save()` (kernel/bpf/verifier.c `IRQ_NATIVE_KFUNC`).
pub const IRQ_NATIVE: u8 = 1;
/// Interrupt state saved by `bpf_res_spin_lock_irqsave()` (`IRQ_LOCK_KFUNC`).
pub const IRQ_LOCK: u8 = 2;

impl RefEntry {
    /// A referenced pointer acquired at `insn`.
    pub fn ptr(id: u32, insn: usize) -> RefEntry {
        RefEntry { id, insn, irq: 0 }
    }
}

/// A whole verifier state.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct State {
    pub frames: Vec<Frame>,
    pub refs: Vec<RefEntry>,
    /// Held `bpf_spin_lock` (map id, offset).
    pub spin_lock: Option<(u32, i32)>,
    /// Counter of `may_goto` iterations left (modelled per path).
    pub may_goto_depth: u32,
    /// Loop callbacks entered on this path (the kernel's `callback_unroll_depth`): the same
    /// state one callback iteration later is not an infinite loop.
    pub callback_unroll_depth: u32,
    /// `bpf_preempt_disable()` calls not yet matched by `bpf_preempt_enable()`.
    pub preempt: u8,
    /// Inside `bpf_rcu_read_lock()` / `bpf_rcu_read_unlock()`.
    pub rcu: bool,
    /// Held `bpf_res_spin_lock`s (Linux 6.15+), oldest first: the lock's identity (as
    /// `spin_lock`) and whether `bpf_res_spin_lock_irqsave()` took it (verifier/res_locks.rs).
    pub res_locks: Vec<(u32, i32, bool)>,
}

impl State {
    /// The state at a program's (or a global subprogram's) first instruction: one frame,
    /// nothing held.
    pub fn new(frame: Frame) -> State {
        State {
            frames: vec![frame],
            refs: Vec::new(),
            spin_lock: None,
            may_goto_depth: 0,
            callback_unroll_depth: 0,
            preempt: 0,
            rcu: false,
            res_locks: Vec::new(),
        }
    }

    pub fn cur(&self) -> &Frame {
        self.frames.last().expect("at least one frame")
    }
    pub fn cur_mut(&mut self) -> &mut Frame {
        self.frames.last_mut().expect("at least one frame")
    }
    pub fn regs(&self) -> &[Reg; 11] {
        &self.cur().regs
    }
    pub fn reg(&self, r: u8) -> &Reg {
        &self.cur().regs[r as usize]
    }
    pub fn reg_mut(&mut self, r: u8) -> &mut Reg {
        &mut self.cur_mut().regs[r as usize]
    }
    /// A call scratches the argument registers r1-r5 (the caller's `r0` is set by the call).
    pub fn clobber_args(&mut self) {
        for r in 1..=5 {
            *self.reg_mut(r) = Reg::NOT_INIT;
        }
    }

    /// Release reference `rid`: it leaves the reference list and every register holding it
    /// (copies, spills, slices) becomes an unknown scalar (kernel/bpf/verifier.c,
    /// release_reference()).
    pub fn release_ref(&mut self, rid: u32) {
        self.refs.retain(|e| e.id != rid);
        self.for_each_reg(|x| {
            if x.ref_id == rid {
                *x = Reg::unknown();
            }
        });
    }

    /// Packet data may have moved: every packet pointer becomes an unknown scalar
    /// (kernel/bpf/verifier.c, clear_all_pkt_pointers()).
    pub fn clear_pkt_pointers(&mut self) {
        self.for_each_reg(|x| {
            if matches!(x.ty, RegType::Packet | RegType::PacketMeta | RegType::PacketEnd) {
                *x = Reg::unknown();
            }
        });
    }

    /// Every register in every frame, and every spilled register.
    pub fn for_each_reg(&mut self, mut f: impl FnMut(&mut Reg)) {
        for fr in &mut self.frames {
            for r in fr.regs.iter_mut() {
                f(r);
            }
            fr.stack.update(|s| {
                if s.bytes[0] == SlotByte::Spill {
                    f(&mut s.spilled);
                }
            });
        }
    }
}

/// Whether old register `o` covers current register `c` (every concrete value of `c` is one
/// `o` allowed), given `o` was verified safe. With `exact`, scalars are compared by range even
/// when the old one is not precise (the infinite-loop test).
pub fn reg_covers(o: &Reg, c: &Reg, idmap: &mut Vec<(u32, u32)>, exact: bool) -> bool {
    if o.ty == RegType::NotInit {
        return true;
    }
    if c.ty == RegType::NotInit {
        return false;
    }
    if o.ty != c.ty {
        return false;
    }
    match o.ty {
        // No later check relied on this value: any scalar will do.
        RegType::Scalar if !o.precise && !exact => true,
        // Linked copies (one id) are refined together by comparisons: the current state must
        // link the same registers, or a bound the old path learnt through a copy would not hold.
        // A delta-linked scalar (ADD_CONST) only covers one linked by the same delta, and a
        // plainly linked one only a plainly linked or unlinked one (kernel/bpf/verifier.c,
        // regsafe()).
        RegType::Scalar => {
            let (of, cf) = (o.id & ADD_CONST != 0, c.id & ADD_CONST != 0);
            // (and by a delta of the same width: a 32-bit one is zero-extended)
            if (of && (!cf || o.off != c.off || o.id & ADD_CONST != c.id & ADD_CONST)) || (o.id != 0 && !of && cf) {
                return false;
            }
            o.val.contains(&c.val)
                && check_scalar_ids(o.id, c.id, idmap)
                && (!of || check_ids(o.id & !ADD_CONST, c.id & !ADD_CONST, idmap))
        }
        _ => {
            if o.maybe_null != c.maybe_null
                || o.off != c.off
                || o.map != c.map
                || o.mem_size != c.mem_size
                || o.frame != c.frame
                || o.rdonly != c.rdonly
                || o.subprog != c.subprog
                || o.btf_id != c.btf_id
                || o.local != c.local
                || o.trust != c.trust
                || (o.ref_id == 0) != (c.ref_id == 0)
            {
                return false;
            }
            if o.ty.is_pkt() && o.range > c.range {
                return false;
            }
            if !o.val.contains(&c.val) {
                return false;
            }
            check_ids(o.id, c.id, idmap) && check_ids(o.ref_id, c.ref_id, idmap)
        }
    }
}

/// Scalar ids: an id of 0 is a fresh one of its own, so an unlinked scalar on one side matches a
/// linked one on the other as long as the links stay consistent (kernel/bpf/verifier.c,
/// check_scalar_ids()).
fn check_scalar_ids(a: u32, b: u32, map: &mut Vec<(u32, u32)>) -> bool {
    let fresh = |map: &Vec<(u32, u32)>| u32::MAX - map.len() as u32;
    let a = if a == 0 { fresh(map) } else { a };
    let b = if b == 0 { fresh(map) } else { b };
    check_ids(a, b, map)
}

fn check_ids(a: u32, b: u32, map: &mut Vec<(u32, u32)>) -> bool {
    if a == 0 && b == 0 {
        return true;
    }
    for &(x, y) in map.iter() {
        if x == a {
            return y == b;
        }
        if y == b {
            return false;
        }
    }
    map.push((a, b));
    true
}

/// The scalar a slot holds as a whole: a spilled 64-bit scalar, or an unknown one for a slot of
/// MISC bytes (unwritten ones too when reading uninitialised stack is allowed)
/// (kernel/bpf/verifier.c scalar_reg_for_stack()).
fn slot_scalar(s: &Slot, uninit_ok: bool) -> Option<Reg> {
    if s.is_scalar64_spill() {
        return Some(s.spilled);
    }
    let misc = |b: &SlotByte| *b == SlotByte::Misc || (uninit_ok && *b == SlotByte::Invalid);
    s.bytes.iter().all(misc).then(Reg::unknown)
}

/// Whether comparing slot `s` with itself in [`state_covers`] surely succeeds without linking
/// ids: then a slot both states share needs no comparison. Linked registers (an id), held
/// references and tnums whose value has unknown bits set take the full comparison, which may
/// still fail or record an id pair. (Skipping an unlinked scalar only leaves out a pair of
/// fresh ids, which never match anything else.)
fn slot_covers_itself(s: &Slot, exact: bool) -> bool {
    let reg_ok = |r: &Reg| match r.ty {
        RegType::NotInit => true,
        RegType::Scalar if !r.precise && !exact => true,
        _ => r.id == 0 && r.ref_id == 0 && r.val.var.value & r.val.var.mask == 0,
    };
    match s.bytes[0] {
        SlotByte::Spill => reg_ok(&s.spilled),
        SlotByte::Dynptr | SlotByte::Iter | SlotByte::IrqFlag => s.spilled.ref_id == 0,
        _ => true,
    }
}

/// The pointer registers of the innermost frame of `st` that `live` says may be read: the
/// registers [`ptr_key`] summarises for a saved state.
pub fn live_ptr_mask(st: &State, live: impl Fn(u8) -> bool) -> u16 {
    let f = st.cur();
    (0..11u8).filter(|&r| f.regs[r as usize].is_ptr() && live(r)).fold(0, |m, r| m | 1 << r)
}

/// A hash of what [`reg_covers`] requires to be equal between an old pointer register and the
/// current one (type, fixed offset, map, size, frame, flags, BTF type, whether it holds a
/// reference), over the registers of `mask` in the innermost frame of `st`. When an explored
/// state's key over its live pointer registers differs from the current state's key over the
/// same registers, some live pointer register differs and [`state_covers`] fails: pruning
/// skips the full comparison (and the memory of that state) then. Equal keys prove nothing.
pub fn ptr_key(st: &State, mask: u16) -> u64 {
    let f = st.cur();
    let mut h = 0u64;
    let mut mix = |x: u64| h = (h.rotate_left(5) ^ x).wrapping_mul(0x517c_c1b7_2722_0a95);
    for r in (0..11).filter(|r| mask >> r & 1 != 0) {
        let g = &f.regs[r];
        mix(r as u64 | (g.ty as u64) << 8 | (g.maybe_null as u64) << 16 | (g.rdonly as u64) << 17);
        mix((g.ref_id == 0) as u64 | (g.frame as u64) << 8 | (g.trust as u64) << 16);
        mix(g.off as u32 as u64 | (g.map as u64) << 32);
        mix(g.mem_size as u64 | (g.subprog as u64) << 32);
        mix(g.btf_id as u64 | (g.local as u64) << 32);
    }
    h
}

/// The stack slots (of the first 64) of the innermost frame of `st` that hold a spilled
/// register other than a 64-bit scalar (first byte `Spill`), and those whose eight bytes are
/// all written.
pub fn stack_summary(st: &State) -> (u64, u64) {
    st.cur().stack.summary()
}

/// Whether the [`stack_summary`] of an old state and of the current one prove that
/// [`state_covers`] fails: a spilled register of the old state is not one in the current state
/// (the byte rule: `Spill` needs `Spill`), or a slot fully written in the old state has an
/// unwritten byte in the current one (a written byte needs a written byte).
pub fn stack_summary_differs(old: (u64, u64), cur: (u64, u64)) -> bool {
    old.0 & !cur.0 != 0 || old.1 & !cur.1 != 0
}

/// Whether old state `o` covers current state `c` at the same instruction. `live(frame, reg)`
/// says whether a register may be read later; dead registers are ignored. `exact`: see
/// [`reg_covers`]. `slots[frame]`: the stack slots of `o` to compare (bit `i`: slot `i`; the
/// others are not read after `o`); slots past the 64th and frames past `slots` are always
/// compared. `uninit_ok`: the program may read uninitialised stack (`allow_uninit_stack`).
pub fn state_covers(
    o: &State,
    c: &State,
    exact: bool,
    slots: &[u64],
    uninit_ok: bool,
    live: impl Fn(usize, usize, u8) -> bool,
) -> bool {
    if o.frames.len() != c.frames.len()
        || o.spin_lock.map(|l| l.0) != c.spin_lock.map(|l| l.0)
        || o.refs.len() != c.refs.len()
        || o.preempt != c.preempt
        || o.rcu != c.rcu
        || o.res_locks != c.res_locks
    {
        return false;
    }
    let mut idmap = Vec::new();
    // the held lock's id maps like any other id
    if let (Some(a), Some(b)) = (o.spin_lock, c.spin_lock) {
        if !check_ids(a.1 as u32, b.1 as u32, &mut idmap) {
            return false;
        }
    }
    for (fi, (of, cf)) in o.frames.iter().zip(&c.frames).enumerate() {
        // a state that went through more bpf_loop iterations does not cover one that went
        // through fewer (kernel/bpf/verifier.c func_states_equal(): callback_depth)
        if of.callsite != cf.callsite || of.callback_depth > cf.callback_depth {
            return false;
        }
        for r in 0..11u8 {
            if !live(fi, of.subprog, r) {
                continue;
            }
            if !reg_covers(&of.regs[r as usize], &cf.regs[r as usize], &mut idmap, exact) {
                return false;
            }
        }
        let read = slots.get(fi).copied().unwrap_or(u64::MAX);
        for (i, (os, cs, shared)) in of.stack.pairs(&cf.stack).enumerate() {
            if i < 64 && read >> i & 1 == 0 {
                continue;
            }
            if shared && slot_covers_itself(os, exact) {
                continue;
            }
            // exact: the same byte types (kernel/bpf/verifier.c stacksafe(), RANGE_WITHIN)
            if exact && os.bytes != cs.bytes {
                return false;
            }
            // an unwritten byte, or (when reading uninitialised stack is allowed) a MISC byte of
            // the old state matches anything: reading it gives an unknown scalar either way
            let skip = |b: SlotByte| b == SlotByte::Invalid || (uninit_ok && !exact && b == SlotByte::Misc);
            if os.bytes.iter().all(|&b| skip(b)) {
                continue;
            }
            // a 64-bit spilled scalar and a slot of MISC bytes are both scalars
            // (scalar_reg_for_stack())
            if let (Some(a), Some(b)) = (slot_scalar(os, uninit_ok), slot_scalar(cs, uninit_ok)) {
                if !reg_covers(&a, &b, &mut idmap, exact) {
                    return false;
                }
                continue;
            }
            if os.bytes != cs.bytes {
                for b in 0..8 {
                    let (ob, cb) = (os.bytes[b], cs.bytes[b]);
                    if skip(ob) {
                        continue;
                    }
                    let ok = match (ob, cb) {
                        (SlotByte::Misc, SlotByte::Misc | SlotByte::Zero) => true,
                        (SlotByte::Misc, SlotByte::Spill) => cs.spilled.is_scalar(),
                        (SlotByte::Zero, SlotByte::Zero) => true,
                        (SlotByte::Spill, SlotByte::Spill) => true,
                        (SlotByte::Iter, SlotByte::Iter) => true,
                        (SlotByte::Dynptr, SlotByte::Dynptr) => true,
                        (SlotByte::IrqFlag, SlotByte::IrqFlag) => true,
                        _ => false,
                    };
                    if !ok {
                        return false;
                    }
                }
            }
            if os.bytes[0] == SlotByte::Spill && !reg_covers(&os.spilled, &cs.spilled, &mut idmap, exact) {
                return false;
            }
            // iterators: same kind and state, the same reference; the depth is ignored
            // (kernel/bpf/verifier.c, stacksafe())
            if os.bytes[0] == SlotByte::Dynptr {
                let (a, b) = (&os.spilled, &cs.spilled);
                if a.subprog != b.subprog || a.range != b.range || !check_ids(a.ref_id, b.ref_id, &mut idmap) {
                    return false;
                }
            }
            // saved interrupt state: the same class, the same reference (stacksafe(),
            // STACK_IRQ_FLAG)
            if os.bytes[0] == SlotByte::IrqFlag {
                let (a, b) = (&os.spilled, &cs.spilled);
                if a.subprog != b.subprog || !check_ids(a.ref_id, b.ref_id, &mut idmap) {
                    return false;
                }
            }
            if os.bytes[0] == SlotByte::Iter {
                let (a, b) = (&os.spilled, &cs.spilled);
                if a.subprog != b.subprog || a.range != b.range || !check_ids(a.ref_id, b.ref_id, &mut idmap) {
                    return false;
                }
            }
        }
    }
    for (a, b) in o.refs.iter().zip(&c.refs) {
        if a.irq != b.irq || !check_ids(a.id, b.id, &mut idmap) {
            return false;
        }
    }
    true
}
