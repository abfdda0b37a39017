//! Memory accesses through pointers: context, packet, map values, BTF objects, memory regions,
//! alignment, atomics and legacy packet loads (kernel/bpf/verifier.c: check_mem_access(),
//! check_ptr_alignment(), check_mem_region_access(), check_atomic(), check_ld_abs()).

use super::*;

impl Verifier<'_> {
    pub(super) fn ld_abs(&mut self, st: &mut State, insn: Insn) -> R<()> {
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
        // the loaded value is not bounded by its size: the kernel marks R0 unknown
        // (check_ld_abs(): mark_reg_unknown())
        *st.reg_mut(0) = Reg::unknown();
        Ok(())
    }

    pub(super) fn check_align(&self, st: &State, reg: &Reg, off: i32, size: u32, strict_once: bool) -> R<()> {
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
    pub(super) fn check_region(
        &self,
        st: &State,
        regno: u8,
        reg: &Reg,
        off: i32,
        size: u32,
        mem_size: u32,
        what: &str,
    ) -> R<()> {
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
    pub(super) fn mem_access(
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
        // A load may mix kernel objects and memory (since 6.16 both are read through probe
        // instructions: kernel/bpf/verifier.c save_aux_ptr_type(), allow_trust_mismatch and
        // is_ptr_to_mem_or_btf_id()).
        let mem_or_btf = |t: RegType| matches!(t, RegType::Mem | RegType::BtfId);
        let merge = !write && !atomic && self.p.profile.untrusted_mem_access;
        match self.access_kind.get(&self.pc) {
            Some(k) if merge && mem_or_btf(*k) && mem_or_btf(kind) => {}
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
                    self.fastcall_contract(st, frame, o);
                    if write {
                        self.stack_write(st, frame, o, size, val.unwrap_or_else(Reg::unknown))?;
                        if size == 8 {
                            self.note_stack_written(frame, o);
                        }
                        Ok(None)
                    } else {
                        // reads count for the stack depth too (check_mem_access():
                        // update_stack_depth() before check_stack_read())
                        self.note_depth(st, frame, o);
                        self.note_stack_read(frame, o as i64, o as i64 + size as i64);
                        self.stack_read(st, frame, regno, o, size).map(Some)
                    }
                } else {
                    // kernel/bpf/verifier.c check_stack_access_within_bounds(): a variable
                    // offset beyond BPF_MAX_VAR_OFF either way is refused before the bounds
                    const MAX_VAR_OFF: i64 = 1 << 29;
                    if base.val.smax >= MAX_VAR_OFF || base.val.smin <= -MAX_VAR_OFF {
                        return Err(self.err(
                            Some(st),
                            Code::StackOutOfBounds,
                            format!(
                                "invalid unbounded variable-offset {} stack R{regno}",
                                if write { "write to" } else { "read from" }
                            ),
                        ));
                    }
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
                    self.fastcall_contract(st, frame, min as i32);
                    if write {
                        let fr = &mut st.frames[frame];
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
                        self.note_stack_read(frame, min, max + size as i64);
                        let fr = &st.frames[frame];
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
                        self.note_depth(st, frame, min as i32);
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
                // a writable raw tracepoint's first argument points to the tracepoint's buffer,
                // whose size the kernel checks when the program is attached
                // (kernel/trace/bpf_trace.c raw_tp_writable_prog_is_valid_access())
                if self.p.prog_type == ProgType::RAW_TRACEPOINT_WRITABLE && off == 0 && size == 8 && !write {
                    return Ok(Some(Reg { mem_size: u32::MAX, ..Reg::ptr(RegType::TpBuffer) }));
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
                if let Some(o) = map.res_spin_lock_off {
                    if hit(o, 4) {
                        return Err(self.err(
                            Some(st),
                            Code::SpinLock,
                            "bpf_res_spin_lock cannot be accessed directly by load/store".into(),
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
                // a kptr field is loaded and stored whole, at a fixed offset (kernel/bpf/verifier.c
                // check_map_access(): the kptr cases)
                for &k in map.kptrs.iter().map(|k| &k.off) {
                    if !hit(k, 8) {
                        continue;
                    }
                    let msg = if !base.val.is_const() {
                        Some("kptr access cannot have variable offset".to_string())
                    } else if lo != k as i64 {
                        Some(format!("kptr access misaligned expected={k} off={lo}"))
                    } else if size != 8 {
                        Some("kptr access size must be BPF_DW".to_string())
                    } else {
                        None
                    };
                    if let Some(m) = msg {
                        return Err(self.err(Some(st), Code::InvalidMem, m));
                    }
                }
                // (check_map_kptr_access(): referenced kptrs change only by bpf_kptr_xchg; a
                // load gives the pointee, maybe NULL, RCU-protected or untrusted)
                if let Some(kp) = map.kptrs.iter().find(|k| k.off as i64 == lo && base.val.is_const()) {
                    if write && kp.kind != crate::program::KptrKind::Unref {
                        return Err(self.err(Some(st), Code::InvalidMem, "store to referenced kptr disallowed".into()));
                    }
                    if let (true, Some(v)) = (write, val) {
                        self.kptr_store_value(st, kp, &v)?;
                    }
                    if !write {
                        let kp = kp.clone();
                        return Ok(Some(self.kptr_load(st, &kp)));
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
            // kernel/bpf/verifier.c check_tp_buffer_access() -> __check_buffer_access(): a
            // constant, non-negative offset (the size is checked when the program is attached)
            RegType::TpBuffer => {
                let o = base.off as i64 + off as i64;
                if o < 0 {
                    return Err(self.err(
                        Some(st),
                        Code::InvalidMem,
                        format!("R{regno} invalid tracepoint buffer access: off={o}, size={size}"),
                    ));
                }
                if !base.val.is_const() || base.val.smin != 0 {
                    return Err(self.err(
                        Some(st),
                        Code::InvalidMem,
                        format!("R{regno} invalid variable buffer offset: off={o}, var_off={}", base.val.var),
                    ));
                }
                Ok(if write { None } else { Some(Reg::scalar(scalar_of_size(size))) })
            }
            RegType::Mem | RegType::Buf => {
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
                // without the kernel's BTF (raw programs) the offset rules still hold
                // (check_ptr_to_btf_access())
                if base.ty == RegType::BtfId && !self.p.permissive && base.btf_id == 0 {
                    self.btf_offset(st, regno, &base, off, "")?;
                }
                // a kernel object of known type: the field the load reads decides the result
                if let (RegType::BtfId, false, Some(k)) = (base.ty, write, self.p.kernel_btf.as_deref()) {
                    // (graph nodes popped from lists and trees stand for the program's own
                    // object around them: not a kernel struct)
                    if base.btf_id != 0
                        && !self.p.core_unresolved.contains(&self.pc)
                        && !matches!(k.type_name(base.btf_id), "bpf_list_node" | "bpf_rb_node")
                    {
                        return self.btf_load(st, k, regno, &base, off, size).map(Some);
                    }
                }
                if !write
                    && size == 8
                    && self.p.permissive
                    && base.ty == RegType::BtfId
                    && !self.local_scalar(&base, off, size)
                {
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

    /// What a store into an untrusted kptr field may write: NULL, or a pointer to an object of
    /// the field's type at no variable offset, and at no fixed one either, which would point
    /// inside it (kernel/bpf/verifier.c: check_map_kptr_access(), map_kptr_match_type(),
    /// __check_ptr_off_reg(), btf_struct_ids_match()).
    fn kptr_store_value(&mut self, st: &State, kp: &crate::program::Kptr, v: &Reg) -> R<()> {
        if v.is_null_const() {
            return Ok(());
        }
        let expected = format!("expected=ptr_{0} or untrusted_ptr_{0}", kp.target);
        let msg = if v.ty != RegType::BtfId || v.local != 0 {
            Some(format!("invalid kptr access, R type={} {expected}", v.describe()))
        } else if v.val.const_value() != Some(0) {
            Some(format!("variable ptr_ access var_off={} disallowed", v.val.var))
        } else {
            let name = self.p.kernel_btf.as_deref().filter(|_| v.btf_id != 0).map(|k| k.type_name(v.btf_id));
            match name {
                Some(n) if n != kp.target || v.off != 0 => {
                    Some(format!("invalid kptr access, R type=untrusted_ptr_{n} {expected}"))
                }
                _ => None,
            }
        };
        match msg {
            Some(m) => Err(self.err(Some(st), Code::InvalidMem, m)),
            None => Ok(()),
        }
    }

    /// The offset a load through a kernel-object pointer reads at: constant and not negative
    /// (kernel/bpf/verifier.c check_ptr_to_btf_access()); `tname` names the struct in the
    /// messages ("" when the kernel's BTF is not at hand).
    fn btf_offset(&self, st: &State, regno: u8, base: &Reg, off: i32, tname: &str) -> R<i64> {
        let o = base.off as i64 + off as i64;
        if o < 0 {
            return Err(self.err(
                Some(st),
                Code::InvalidMem,
                format!("R{regno} is ptr_{tname} invalid negative access: off={o}"),
            ));
        }
        if !base.val.is_const() || base.val.smin != 0 {
            return Err(self.err(
                Some(st),
                Code::InvalidMem,
                format!("R{regno} is ptr_{tname} invalid variable offset: off={o}, var_off={}", base.val.var),
            ));
        }
        Ok(o)
    }

    /// A load through a pointer to a kernel object (kernel/bpf/verifier.c,
    /// check_ptr_to_btf_access()): the offset must be constant and not negative, the field is
    /// found by kernel/bpf/btf.c btf_struct_walk(), and a pointer field gives a pointer whose
    /// trust follows the parent's: untrusted from an untrusted parent or through a union; from
    /// a trusted or RCU parent, trusted or RCU only for the fields on the kernel's lists (read
    /// from its BTF, `task_struct__safe_rcu`...) or tagged `__rcu`, and inside an RCU section
    /// where the list asks for one; untrusted otherwise. Measured on Linux 6.18: a field the
    /// lists do not name, read from a trusted or plain parent, is untrusted (6.12's source made
    /// it a plain `ptr_`).
    fn btf_load(
        &mut self,
        st: &State,
        k: &crate::kernel_btf::KernelBtf,
        regno: u8,
        base: &Reg,
        off: i32,
        size: u32,
    ) -> R<Reg> {
        use crate::domain::state::{RCU, TRUSTED, UNTRUSTED};
        use crate::kernel_btf::{Safe, Walk};
        let tname = k.type_name(base.btf_id);
        if !self.p.gpl_compatible {
            return Err(self.err(
                Some(st),
                Code::InvalidMem,
                format!("Cannot access kernel 'struct {tname}' from non-GPL compatible program"),
            ));
        }
        let o = self.btf_offset(st, regno, base, off, tname)?;
        let walk = k.struct_walk(base.btf_id, o as u32, size).map_err(|m| self.err(Some(st), Code::InvalidMem, m))?;
        // a pointer to a non-struct: read-only untrusted memory, read through probe
        // instructions (Linux 6.16+: check_ptr_to_btf_access(), WALK_PTR_UNTRUSTED gives
        // PTR_TO_MEM | MEM_RDONLY | PTR_UNTRUSTED); a number before
        if walk == Walk::MemPtr && self.p.profile.untrusted_mem_access {
            return Ok(Reg { rdonly: true, mem_size: u32::MAX, trust: UNTRUSTED, ..Reg::ptr(RegType::Mem) });
        }
        let Walk::Ptr { id, field, rcu_tag, percpu_or_user, through_union } = walk else {
            let v = if size >= 8 { Scalar::unknown() } else { Scalar::urange(0, (1u64 << (size * 8)) - 1) };
            return Ok(Reg::scalar(v));
        };
        let mut r = Reg { btf_id: id, ..Reg::ptr(RegType::BtfId) };
        let mut maybe_null = false;
        let parent_trusted = base.ref_id != 0 || base.trust == TRUSTED || base.trust == RCU;
        r.trust = UNTRUSTED;
        if !through_union && base.trust != UNTRUSTED && parent_trusted {
            let safe = |list| k.safe_field(base.btf_id, &field, id, list);
            let in_rcu = self.in_rcu_cs(st);
            if safe(Safe::Trusted) {
                r.trust = TRUSTED;
            } else if safe(Safe::TrustedOrNull) {
                (r.trust, maybe_null) = (TRUSTED, true);
            } else if in_rcu && !base.maybe_null {
                if safe(Safe::Rcu) {
                    r.trust = RCU;
                } else if rcu_tag || safe(Safe::RcuOrNull) {
                    (r.trust, maybe_null) = (RCU, true);
                } else if percpu_or_user {
                    r.trust = 0;
                }
            }
        }
        if maybe_null {
            r.maybe_null = true;
            r.id = self.new_id();
        }
        Ok(r)
    }

    /// The value a load of a kptr field gives (kernel/bpf/verifier.c btf_ld_kptr_type()): a
    /// pointer to the kptr's struct, maybe NULL; RCU-protected inside an RCU section when the
    /// object is freed after a grace period (a percpu kptr, the program's own objects, and the
    /// kernel's `rcu_protected_types`: cgroup, bpf_cpumask, task_struct, bpf_crypto_ctx,
    /// prog_test_ref_kfunc), untrusted otherwise. The program's own objects stay loosely typed.
    fn kptr_load(&mut self, st: &State, kp: &crate::program::Kptr) -> Reg {
        use crate::domain::state::{RCU, UNTRUSTED};
        use crate::program::KptrKind;
        let kernel_id = self.p.kernel_btf.as_deref().map_or(0, |k| k.struct_id(&kp.target));
        let local = kernel_id == 0;
        let rcu_safe = kp.kind == KptrKind::Percpu
            || (kp.kind == KptrKind::Ref
                && (local
                    || matches!(
                        kp.target.as_str(),
                        "prog_test_ref_kfunc" | "cgroup" | "bpf_cpumask" | "task_struct" | "bpf_crypto_ctx"
                    )));
        let in_rcu = self.in_rcu_cs(st);
        let btf_id = if kp.kind == KptrKind::Percpu { 0 } else { kernel_id };
        // an object of the program's own type: that type (graph.rs)
        let local_type = if local && kp.kind == KptrKind::Ref { self.local_type_named(&kp.target) } else { 0 };
        Reg {
            btf_id,
            local: local_type,
            maybe_null: true,
            id: self.new_id(),
            trust: if rcu_safe && in_rcu { RCU } else { UNTRUSTED },
            ..Reg::ptr(RegType::BtfId)
        }
    }

    /// Inside an RCU read-side section: bpf_rcu_read_lock(), a held spin lock, or any moment
    /// of a program that cannot sleep (kernel/bpf/verifier.c in_rcu_cs()).
    fn in_rcu_cs(&self, st: &State) -> bool {
        st.rcu || st.holds_lock() || !self.sleepable
    }

    /// A context read of a BTF-typed tracing program: the traced function's argument `off / 8`
    /// (kernel/bpf/verifier.c tracing_prog_is_valid_access() and kernel/bpf/btf.c
    /// btf_ctx_access()). Scalars (ints, enums, structs by value, `void *`, `int *`) may be read
    /// at any aligned size; pointers to kernel objects only as 8 bytes, and become
    /// `PTR_TO_BTF_ID`; nothing may be written.
    pub(super) fn btf_ctx_access(
        &mut self,
        st: &State,
        bc: &crate::program::BtfCtx,
        off: i32,
        size: u32,
        write: bool,
    ) -> R<Reg> {
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
            // an iterator's own typing of an argument (btf_ctx_access(): ctx_arg_info)
            _ if bc.iter_args.iter().any(|&(i, _)| i == arg) => {
                use crate::program::IterArg;
                let (_, how) =
                    bc.iter_args.iter().find(|&&(i, _)| i == arg).copied().unwrap_or((arg, IterArg::BtfOrNull));
                let mut r = match (how, kind) {
                    (IterArg::BufOrNull(ro), _) => Reg { rdonly: ro, mem_size: u32::MAX, ..Reg::ptr(RegType::Buf) },
                    (_, ValueKind::BtfPtr(name)) => {
                        let btf_id = self.p.kernel_btf.as_ref().map_or(0, |k| k.struct_id(name));
                        let trust = if how == IterArg::TrustedOrNull { crate::domain::state::TRUSTED } else { 0 };
                        Reg { btf_id, trust, ..Reg::ptr(RegType::BtfId) }
                    }
                    _ => return Ok(Reg::unknown()),
                };
                r.maybe_null = true;
                r.id = self.new_id();
                Ok(r)
            }
            ValueKind::ScalarPtr => Ok(Reg::unknown()),
            // tracing programs' arguments are trusted (kernel/bpf/btf.c, prog_args_trusted())
            ValueKind::BtfPtr(name) => {
                let btf_id = self.p.kernel_btf.as_ref().map_or(0, |k| k.struct_id(name));
                Ok(Reg { btf_id, trust: crate::domain::state::TRUSTED, ..Reg::ptr(RegType::BtfId) })
            }
        }
    }

    /// A load-acquire or store-release (Linux 6.15+): not through the context, packet data,
    /// flow keys or sockets (kernel/bpf/verifier.c check_atomic_load(), check_atomic_store(),
    /// atomic_ptr_type_ok()); the access itself is a plain one with strict alignment.
    pub(super) fn acquire_release(&mut self, st: &State, regno: u8, base: &Reg, what: &str) -> R<()> {
        if !self.p.profile.load_acquire {
            let imm = if what == "loads from" { 0x100 } else { 0x110 };
            return Err(self.err(Some(st), Code::BadInsn, format!("BPF_ATOMIC uses invalid atomic opcode {imm:02x}")));
        }
        if matches!(base.ty, RegType::Ctx | RegType::Packet | RegType::PacketMeta | RegType::FlowKeys)
            || base.ty.is_sock()
        {
            return Err(self.err(
                Some(st),
                Code::InvalidMem,
                format!("BPF_ATOMIC {what} R{regno} {} is not allowed", base.ty.name()),
            ));
        }
        Ok(())
    }

    pub(super) fn atomic(&mut self, st: &mut State, insn: Insn) -> R<()> {
        use Op::*;
        let fetch = !matches!(
            insn.op,
            AtomicAdd32 | AtomicOr32 | AtomicAnd32 | AtomicXor32 | AtomicAdd64 | AtomicOr64 | AtomicAnd64 | AtomicXor64
        );
        if fetch && insn.src == 10 && !matches!(insn.op, AtomicCmpxchg32 | AtomicCmpxchg64) {
            return Err(self.err(Some(st), Code::FramePointerWrite, "frame pointer is read only".into()));
        }
        let size = if insn.form().code == 0xdb { 8 } else { 4 };
        let _src = self.read_reg(st, insn.src)?;
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
        // the fetched value is what the read gives: a spilled register or constant comes back
        // (check_atomic_rmw(): check_mem_access(BPF_READ, load_reg))
        let fetched = match old {
            Some(r) if base.ty == RegType::Stack && (size == 8 || r.is_scalar()) => r,
            _ => {
                if size == 4 {
                    Reg::scalar(Scalar::urange(0, u32::MAX as u64))
                } else {
                    Reg::unknown()
                }
            }
        };
        // the fetch is loaded before the write is checked: when it lands in the address
        // register, the write goes through the loaded value (check_atomic_rmw(): the second
        // check_mem_access() reads insn->dst_reg again)
        let load_reg = match insn.op {
            AtomicCmpxchg32 | AtomicCmpxchg64 => Some(0),
            AtomicAdd32 | AtomicOr32 | AtomicAnd32 | AtomicXor32 | AtomicAdd64 | AtomicOr64 | AtomicAnd64
            | AtomicXor64 => None,
            _ => Some(insn.src),
        };
        let base = if load_reg == Some(insn.dst) { fetched } else { base };
        // the write has no value register: memory (and a stack slot) holds an unknown value
        // afterwards, also for xchg/cmpxchg (check_atomic_rmw(): check_mem_access(BPF_WRITE,
        // value_regno -1) -> STACK_MISC)
        self.mem_access(st, insn.dst, base, insn.off as i32, size, true, Some(Reg::unknown()), true)?;
        match insn.op {
            AtomicCmpxchg32 | AtomicCmpxchg64 => *st.reg_mut(0) = fetched,
            AtomicAdd32 | AtomicOr32 | AtomicAnd32 | AtomicXor32 | AtomicAdd64 | AtomicOr64 | AtomicAnd64
            | AtomicXor64 => {}
            _ => *st.reg_mut(insn.src) = fetched,
        }
        Ok(())
    }
}
