//! Moves, ALU instructions on scalars and pointers, and 64-bit immediate loads (kernel/bpf/verifier.c:
//! check_alu_op(), adjust_scalar_min_max_vals(), adjust_ptr_min_max_vals(), check_ld_imm()).

use super::*;
use crate::domain::state::{ADD_CONST, ADD_CONST32, ADD_CONST64};

impl Verifier<'_> {
    pub(super) fn mov(&mut self, st: &mut State, insn: Insn) -> R<()> {
        use Op::*;
        self.check_dst_writable(st, insn.dst)?;
        let r = match insn.op {
            MovK64 => Reg::constant(insn.imm as i32 as i64 as u64),
            MovK32 => Reg::constant(insn.imm as u32 as u64),
            MovX64 => {
                self.read_reg(st, insn.src)?;
                self.link_before_copy(st, insn.src)
            }
            MovX32 => {
                let s = self.read_reg(st, insn.src)?;
                if s.is_scalar() {
                    // a value that fits in 32 bits is copied whole and linked to its source
                    // (kernel/bpf/verifier.c check_alu_op(): BPF_MOV32 with
                    // get_reg_width(src) <= 32 -> assign_scalar_id_before_mov())
                    let id = if s.val.umax <= u32::MAX as u64 { self.link_before_copy(st, insn.src).id } else { 0 };
                    let off = st.reg(insn.src).off;
                    Reg { id, off: if id != 0 { off } else { 0 }, ..Reg::scalar(s.val.zext32()) }
                } else {
                    Reg::unknown().with_val(Scalar::urange(0, u32::MAX as u64))
                }
            }
            MovsxB64 | MovsxH64 | MovsxW64 | MovsxB32 | MovsxH32 => {
                if !self.p.profile.isa_v4 {
                    return Err(self.err(Some(st), Code::BadInsn, format!("unknown opcode {:02x}", insn.form().code)));
                }
                let s = self.read_reg(st, insn.src)?;
                // privileged loads may leak pointers: sign-extending one gives an unknown
                // scalar ("sign-extension part of pointer" is for unprivileged loads only);
                // a value the extension leaves unchanged stays linked to its source
                // (kernel/bpf/verifier.c check_alu_op(): BPF_MOV with off != 0)
                if !s.is_scalar() {
                    *st.reg_mut(insn.dst) = if is_alu32(insn.op) {
                        Reg::unknown().with_val(Scalar::urange(0, u32::MAX as u64))
                    } else {
                        Reg::unknown()
                    };
                    return Ok(());
                }
                let n = match insn.op {
                    MovsxB64 | MovsxB32 => 1,
                    MovsxH64 | MovsxH32 => 2,
                    _ => 4,
                };
                let id = if s.val.umax < 1u64 << (n * 8 - 1) { self.link_before_copy(st, insn.src).id } else { 0 };
                let off = st.reg(insn.src).off;
                let v = s.val.sign_extend(n);
                Reg {
                    id,
                    off: if id != 0 { off } else { 0 },
                    ..Reg::scalar(if is_alu32(insn.op) { v.truncate(4) } else { v })
                }
            }
            _ => unreachable!("mov"),
        };
        *st.reg_mut(insn.dst) = r;
        Ok(())
    }

    /// Linux 6.18, measured: `r &= K` / `r |= K` where r is a sign mask (signed range [-1, 0],
    /// as `s>>= 63` or `w s>>= 31` leave it) is explored once for r = 0 and once for r = -1
    /// (all ones in the operation's width), so each result is a constant: after `w7 s>>= 31;
    /// r7 &= 77` the kernel's state is `R7=77` on one path. Returns the r = 0 state and sets
    /// r = -1 in `st`, or None.
    pub(super) fn fork_sign_mask(&mut self, st: &mut State, insn: Insn) -> Option<State> {
        use Op::*;
        if !self.p.profile.fork_sign_mask
            || !matches!(insn.op, AndK64 | AndX64 | OrK64 | OrX64 | AndK32 | AndX32 | OrK32 | OrX32)
        {
            return None;
        }
        let is32 = is_alu32(insn.op);
        let is_k = insn.op.form().src == bpf_isa::Field::Zero;
        let src_const = is_k || st.reg(insn.src).is_scalar() && st.reg(insn.src).val.is_const();
        let d = st.reg(insn.dst);
        if !src_const || !d.is_scalar() {
            return None;
        }
        let v = d.val;
        let ones = if !is32 && v.smin == -1 && v.smax == 0 {
            u64::MAX
        } else if v.s32min == -1 && v.s32max == 0 && (is32 || (v.umin == 0 && v.umax == u32::MAX as u64)) {
            u32::MAX as u64
        } else {
            return None;
        };
        let mut zero = st.clone();
        *zero.reg_mut(insn.dst) = Reg::constant(0);
        *st.reg_mut(insn.dst) = Reg::constant(ones);
        Some(zero)
    }

    pub(super) fn alu(&mut self, st: &mut State, insn: Insn) -> R<()> {
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
            // the kernel bounds a 32-bit add/sub on the signed view too, when it cannot
            // overflow (kernel/bpf/verifier.c scalar32_min_max_add()/_sub()): [-26, 0] - 8 is
            // [-34, -8] though the unsigned view wraps
            if matches!(kind, "+=" | "-=") {
                let (sa, sb) = (dst.val.sext32(), src.val.sext32());
                let (lo, hi) = if kind == "+=" {
                    (sa.smin.checked_add(sb.smin), sa.smax.checked_add(sb.smax))
                } else {
                    (sa.smin.checked_sub(sb.smax), sa.smax.checked_sub(sb.smin))
                };
                if let (Some(lo), Some(hi)) = (lo, hi) {
                    if lo >= i32::MIN as i64 && hi <= i32::MAX as i64 {
                        r.s32min = r.s32min.max(lo as i32);
                        r.s32max = r.s32max.min(hi as i32);
                        r.sync();
                    }
                }
            }
        }
        if r.is_empty() {
            r = Scalar::unknown();
        }
        // `r1 += const` on a linked 64-bit scalar keeps the link, by a delta (once: a second
        // delta, or one above S32_MAX, unlinks) (kernel/bpf/verifier.c:
        // adjust_reg_min_max_vals(), BPF_ADD_CONST)
        let mut out = Reg::scalar(r);
        let self_add = !is_k && insn.src == insn.dst;
        if self.p.profile.linked_delta_sub_alu32 {
            // Linux 6.18 stable / 7.0: also `-=`, negative deltas and 32-bit operations on a
            // value whose upper half is zero (adjust_reg_min_max_vals(): BPF_ADD_CONST64 /
            // BPF_ADD_CONST32)
            let konst = if is32 { src.val.is_const32() } else { src.val.is_const() };
            if matches!(kind, "+=" | "-=") && dst.id != 0 && konst && !self_add {
                let val = if is32 { src.val.var.value as u32 as u64 } else { src.val.var.value };
                let fits = if is32 { dst.val.umax <= u32::MAX as u64 } else { i32::try_from(val as i64).is_ok() };
                let off = val as u32 as i32;
                let off = if kind == "-=" { off.checked_neg() } else { Some(off) };
                if let (true, Some(off), 0) = (fits, off, dst.id & ADD_CONST) {
                    out.id = dst.id | if is32 { ADD_CONST32 } else { ADD_CONST64 };
                    out.off = off;
                }
            }
        } else if kind == "+=" && !is32 && dst.id != 0 && src.val.is_const() && !self_add {
            let c = src.val.umin;
            if dst.id & ADD_CONST == 0 && c <= i32::MAX as u64 {
                out.id = dst.id | ADD_CONST64;
                out.off = c as i32;
            }
        }
        *st.reg_mut(insn.dst) = out;
        Ok(())
    }

    /// Before a scalar is copied (move, spill): give it an id the copy shares; a delta-linked
    /// scalar loses its link first, as only one delta is tracked (kernel/bpf/verifier.c:
    /// assign_scalar_id_before_mov()). Returns the register as it now is.
    pub(super) fn link_before_copy(&mut self, st: &mut State, regno: u8) -> Reg {
        let r = st.reg_mut(regno);
        if !r.is_scalar() {
            return *r;
        }
        if r.id & ADD_CONST != 0 {
            r.id = 0;
            r.off = 0;
        }
        if r.id == 0 && !r.val.is_const() {
            let id = self.new_id();
            st.reg_mut(regno).id = id;
        }
        *st.reg(regno)
    }

    pub(super) fn ptr_alu(&mut self, st: &State, insn: Insn, kind: &str, dst: Reg, src: Reg, is32: bool) -> R<Reg> {
        let d = insn.dst;
        if dst.is_ptr() && src.is_ptr() {
            if kind == "-=" {
                return Ok(Reg::unknown());
            }
            return Err(self.err(Some(st), Code::PointerArith, format!("R{d} pointer {kind} pointer prohibited")));
        }
        let (ptr, off, ptr_is_dst) = if dst.is_ptr() { (dst, src, true) } else { (src, dst, false) };
        if self.p.permissive && ptr.ty == RegType::BtfId {
            // a pointer to a kernel struct of known type moves like any pointer: a constant goes
            // into its fixed offset, anything else into its variable one (which a load then
            // refuses: check_ptr_to_btf_access())
            let add = kind == "+=" || (kind == "-=" && ptr_is_dst);
            // (so does an object the program allocated: graph/graph.rs checks its offsets)
            let alloc = ptr.btf_id == 0 && (ptr.ref_id != 0 || ptr.trust == crate::domain::state::NON_OWN);
            if (ptr.btf_id != 0 || alloc) && add && !is32 {
                let mut p = ptr;
                let delta =
                    off.val.const_value().map(|c| if kind == "-=" { (c as i64).wrapping_neg() } else { c as i64 });
                match delta.and_then(|d| i32::try_from(d).ok()).and_then(|d| p.off.checked_add(d)) {
                    Some(o) => p.off = o,
                    None => p.val = Scalar::unknown(),
                }
                return Ok(p);
            }
            // other BTF-typed kernel pointers are modelled loosely: keep a pointer for add, else
            // a scalar
            return Ok(if ptr_is_dst && !is32 { ptr } else { Reg::unknown() });
        }
        // Untrusted memory is read through probe instructions: the kernel does not track its
        // offsets, the pointer stays as it was (Linux 6.16+: kernel/bpf/verifier.c
        // adjust_ptr_min_max_vals(), PTR_TO_MEM | PTR_UNTRUSTED).
        if ptr.ty == RegType::Mem
            && ptr.trust == crate::domain::state::UNTRUSTED
            && ptr_is_dst
            && !is32
            && self.p.profile.untrusted_mem_access
        {
            return Ok(ptr);
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

    pub(super) fn ld_imm64(&mut self, st: &State, insn: Insn, pseudo: u8) -> R<Reg> {
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
                // a callback's address needs the program's BTF func_info (kernel/bpf/verifier.c,
                // check_ld_imm(): "missing btf func_info")
                if !self.p.func_info {
                    return Err(self.err(Some(st), Code::BadInsn, "missing btf func_info".into()));
                }
                let target = (self.pc as i64 + (insn.imm as i32) as i64 + 1) as usize;
                let sub = self.cfg.subprog_of_start(target).unwrap_or(0);
                Ok(Reg { ty: RegType::Func, subprog: sub as u32, val: Scalar::constant(0), ..Reg::NOT_INIT })
            }
            // the address of a kernel function (libbpf's kfunc extern in an ld_imm64, as
            // bpf_ksym_exists() makes): read-only memory of size 0, never NULL
            // (kernel/bpf/verifier.c check_pseudo_btf_id(): btf_type_is_func())
            3 if insn.imm == 1 => Ok(Reg { rdonly: true, mem_size: 0, ..Reg::ptr(RegType::Mem) }),
            3 => {
                if self.p.permissive {
                    return Ok(Reg { ty: RegType::BtfId, val: Scalar::constant(0), ..Reg::NOT_INIT });
                }
                Err(self.err(Some(st), Code::BadInsn, "kernel variables via BPF_PSEUDO_BTF_ID are not modelled".into()))
            }
            _ => Err(self.err(Some(st), Code::BadInsn, "invalid bpf_ld_imm64 insn".into())),
        }
    }

    pub(super) fn ld_ref(&mut self, st: &State, r: LdRef) -> R<Reg> {
        // maps with a bpf_spin_lock or bpf_timer are not for every program type
        // (kernel/bpf/verifier.c: check_map_prog_compatibility(), is_tracing_prog_type())
        let (LdRef::Map(m) | LdRef::MapValue(m, _)) = r;
        if let Some(map) = self.p.maps.get(m as usize) {
            let tracing = matches!(
                self.p.prog_type,
                ProgType::KPROBE | ProgType::TRACEPOINT | ProgType::PERF_EVENT | ProgType::RAW_TRACEPOINT
            ) || self.p.prog_type == ProgType::RAW_TRACEPOINT_WRITABLE;
            let msg = if map.spin_lock_off.is_some() && self.p.prog_type == ProgType::SOCKET_FILTER {
                Some("socket filter progs cannot use bpf_spin_lock yet")
            } else if map.spin_lock_off.is_some() && tracing {
                Some("tracing progs cannot use bpf_spin_lock yet")
            } else if map.timer_off.is_some() && tracing {
                Some("tracing progs cannot use bpf_timer yet")
            } else {
                None
            };
            if let Some(msg) = msg {
                return Err(self.err(Some(st), Code::BadMap, msg.into()));
            }
        }
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
}
