//! Calls of helper functions: availability, argument checking against the prototypes of
//! crate::helpers, memory arguments and the return value (kernel/bpf/verifier.c: check_helper_call(),
//! check_func_arg(), check_helper_mem_access()).

use super::*;
use crate::domain::state::{RCU, UNTRUSTED};

/// Helpers whose callback the kernel verifies as a loop body: bpf_for_each_map_elem (164),
/// bpf_find_vma (180), bpf_loop (181), bpf_user_ringbuf_drain (209).
pub(super) const LOOP_CALLBACK_HELPERS: [u32; 4] = [164, 180, 181, 209];

impl Verifier<'_> {
    pub(super) fn helper_call(&mut self, st: &mut State, insn: Insn) -> R<Next> {
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
        let struct_ops = self.p.struct_ops.as_ref().map(|(s, m)| (s.as_str(), m.as_str()));
        let at = helpers::Attach { prog_type: self.p.prog_type, attach_type: self.p.attach_type, struct_ops };
        let available = h.available_on(&at, self.p.profile);
        if available && !helpers::built_in(id, self.p.kconfig.as_deref()) {
            return Err(self.err(
                Some(st),
                Code::HelperNotBuilt,
                format!("program of this type cannot use helper {}#{}", h.name, h.id),
            ));
        }
        if !available {
            return Err(self.err(
                Some(st),
                Code::HelperNotAllowed,
                format!("program of this type cannot use helper {}#{}", h.name, h.id),
            ));
        }
        // sleepable programs: libbpf's `.s` sections (BPF_F_SLEEPABLE) and syscall programs
        // (looked up only for the few helpers that may sleep: this is every helper call's path)
        // kernel/bpf/verifier.c check_helper_call(): before any argument check
        if h.gpl_only() && !self.p.gpl_compatible {
            return Err(self.err(
                Some(st),
                Code::HelperNotAllowed,
                "cannot call GPL-restricted function from non-GPL compatible program".into(),
            ));
        }
        if h.might_sleep() && !self.sleepable {
            return Err(self.err(
                Some(st),
                Code::HelperNotAllowed,
                "helper call might sleep in a non-sleepable prog".into(),
            ));
        }
        // a helper that may sleep in an RCU read-side section, with preemption or interrupts
        // disabled (check_helper_call(): active_rcu_lock, active_preempt_locks, active_irq_id)
        if h.might_sleep() {
            if let Some(r) = st.non_sleepable_region() {
                return Err(self.err(Some(st), Code::SpinLock, format!("sleepable helper {}#{} in {r}", h.name, h.id)));
            }
        }
        // under a resilient lock only bpf_spin_unlock() (do_check(): active_locks)
        if (st.spin_lock.is_some() && !matches!(id, 94 | 93)) || (!st.res_locks.is_empty() && id != 94) {
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
        // bpf_loop: the kernel marks R1 (the iteration count) precise; backtracking from a
        // pointer there is refused as its own bug (check_helper_call(): BPF_FUNC_loop,
        // mark_chain_precision(env, BPF_REG_1) -> __mark_chain_precision(): "backtracking misuse")
        if id == 181 && !st.reg(1).is_scalar() {
            return Err(self.err(Some(st), Code::ArgType, "verifier bug: backtracking misuse".into()));
        }
        // a callback that may run many times is entered from the state after the argument
        // checks, before the call's results (kernel/bpf/verifier.c check_helper_call():
        // push_callback_call() before the caller-saved registers are reset)
        let before_call = (meta.callback.is_some() && LOOP_CALLBACK_HELPERS.contains(&id)).then(|| st.clone());
        let mut dynptr = None;
        let slice_len = if id == 203 { st.reg(3).val.const_value() } else { None };
        for &(r, u) in dynptrs::helper_dynptr_args(id) {
            if matches!(st.reg(r).ty, RegType::Stack | RegType::Dynptr) || !self.p.permissive {
                dynptr = self.dynptr_arg(st, r, u)?.or(dynptr);
            }
        }
        // bpf_kptr_xchg(): the map takes the reference passed in (OBJ_RELEASE), the old value
        // comes back referenced (kernel/bpf/helpers.c bpf_kptr_xchg_proto; verifier.c
        // is_acquire_function())
        let mut xchg_kptr = None;
        let xchg_released = if id == 194 {
            xchg_kptr = self.kptr_xchg_dst(st)?;
            self.kptr_xchg_type(st)?;
            let r = *st.reg(2);
            // the new value is released into the map (OBJ_RELEASE): not maybe-NULL, and
            // referenced unless it is NULL itself (check_reg_type(), check_func_arg())
            if r.is_ptr() && r.maybe_null && self.p.permissive {
                return Err(self.err(Some(st), Code::ArgType, "Possibly NULL pointer passed to helper arg2".into()));
            }
            if r.is_ptr() && r.ref_id == 0 && r.ty == RegType::BtfId && r.btf_id != 0 && self.p.permissive {
                return Err(self.err(
                    Some(st),
                    Code::RefLeak,
                    "R2 must be referenced when passed to release function".into(),
                ));
            }
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
        let changes_pkt = changes_pkt_data(id, self.p.profile) || self.dynptr_helper_checks(st, id, dynptr)?;
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
                st.spin_lock = Some(Self::lock_identity(st.reg(1), meta.map));
            }
            94 => {
                let Some(held) = st.spin_lock else {
                    return Err(self.err(Some(st), Code::SpinLock, "bpf_spin_unlock without taking a lock".into()));
                };
                if held != Self::lock_identity(st.reg(1), meta.map) {
                    return Err(self.err(Some(st), Code::SpinLock, "bpf_spin_unlock of different lock".into()));
                }
                st.spin_lock = None;
                Self::invalidate_non_owning_refs(st);
            }
            _ => {}
        }
        st.clobber_args();
        let map = meta.map.map(|m| &self.p.maps[m as usize]);
        let mut r0 = match h.ret {
            // the CPU number is below nr_cpu_ids (kernel/bpf/verifier.c do_refine_retval_range())
            Ret::Int if id == 8 && self.p.profile.smp_id_range => {
                match self.p.kconfig.as_ref().and_then(|k| k.nr_cpu_ids).filter(|&n| n > 0) {
                    Some(n) => Reg::scalar(Scalar::urange(0, n as u64 - 1)),
                    None => Reg::unknown(),
                }
            }
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
                // an array lookup with a constant key below max_entries cannot fail
                // (kernel/bpf/verifier.c, check_helper_call(): can_elide_value_nullness())
                let in_range = id == 1
                    && meta.const_key.is_some_and(|k| (k as i64) >= 0 && k < map.map_or(0, |m| m.max_entries) as u64);
                if h.ret == Ret::MapValueOrNull && !in_range {
                    r.maybe_null = true;
                    r.id = self.new_id();
                } else if in_range && map.is_some_and(|m| m.spin_lock_off.is_some() || m.res_spin_lock_off.is_some()) {
                    // a value that cannot be NULL still gets an id when it holds a lock: the
                    // lock's identity (check_helper_call(), RET_PTR_TO_MAP_VALUE)
                    r.id = self.new_id();
                }
                if matches!(mt, 15 | 18) && id == 1 {
                    // an acquired pointer's id is its reference (acquire_reference())
                    r.ref_id = if r.id != 0 { r.id } else { self.new_id() };
                    st.refs.push(RefEntry::ptr(r.ref_id, pc));
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
                if ty == RegType::BtfId {
                    r.btf_id = self.ret_btf_id(id);
                }
                if ty == RegType::Mem {
                    r.mem_size = u32::MAX;
                    r.rdonly = true;
                }
                // the pointer casts (sk_fullsock, tcp_sock, skc_to_*) keep the reference of
                // their argument; bpf_get_listener_sock()'s listener is not tied to it
                // (kernel/bpf/verifier.c is_ptr_cast_function())
                if id != 98 {
                    r.ref_id = meta.ref_id;
                }
                if let Some(kp) = &xchg_kptr {
                    r.btf_id = self.p.kernel_btf.as_deref().map_or(0, |k| k.struct_id(&kp.target));
                }
                if xchg_released {
                    r.ref_id = r.id;
                    r.trust = crate::domain::state::TRUSTED;
                    st.refs.push(RefEntry::ptr(r.ref_id, pc));
                }
                r
            }
            Ret::AllocMemOrNull => {
                Reg { maybe_null: true, id: self.new_id(), mem_size: meta.alloc_size, ..Reg::ptr(RegType::Mem) }
            }
            // bpf_get_current_task_btf(): a trusted task_struct (kernel/trace/bpf_trace.c,
            // bpf_get_current_task_btf_proto: RET_PTR_TO_BTF_ID_TRUSTED)
            Ret::BtfId if id == 158 => {
                Reg { btf_id: self.ret_btf_id(id), trust: crate::domain::state::TRUSTED, ..Reg::ptr(RegType::BtfId) }
            }
            Ret::BtfId => Reg { btf_id: self.ret_btf_id(id), ..Reg::ptr(RegType::BtfId) },
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
            r0.ref_id = if r0.id != 0 { r0.id } else { self.new_id() };
            st.refs.push(RefEntry::ptr(r0.ref_id, pc));
        }
        if changes_pkt {
            st.clear_pkt_pointers();
            Self::clear_pkt_slices(st);
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
            if let Some(pre) = before_call {
                return self.loop_callback(st, pre, sub, id, &meta, ret_range);
            }
            return self.callback(st, sub, id, &meta, ret_range);
        }
        Ok(Next::Goto(pc + 1))
    }

    /// bpf_kptr_xchg()'s first argument: a map value pointer at a referenced kptr field
    /// (kernel/bpf/verifier.c process_kptr_func()); the field, or None when R1 is no map
    /// value (the loose model of other pointers keeps it unchecked).
    fn kptr_xchg_dst(&mut self, st: &State) -> R<Option<crate::program::Kptr>> {
        let r = *st.reg(1);
        if r.ty != RegType::MapValue || !self.p.permissive {
            return Ok(None);
        }
        let Some(map) = self.p.maps.get(r.map as usize) else { return Ok(None) };
        if !r.val.is_const() {
            return Err(self.err(
                Some(st),
                Code::ArgType,
                "R1 doesn't have constant offset. kptr has to be at the constant offset".to_string(),
            ));
        }
        if map.kptrs.is_empty() {
            return Err(self.err(Some(st), Code::ArgType, "R1 has no valid kptr".into()));
        }
        let off = r.off as i64 + r.val.smin;
        let Some(kp) = map.kptrs.iter().find(|k| k.off as i64 == off) else {
            return Err(self.err(Some(st), Code::ArgType, format!("off={off} doesn't point to kptr")));
        };
        if kp.kind == crate::program::KptrKind::Unref {
            return Err(self.err(Some(st), Code::ArgType, format!("off={off} kptr isn't referenced kptr")));
        }
        Ok(Some(kp.clone()))
    }

    /// The kernel BTF id of the struct helper `id` returns a pointer to (0: unknown).
    fn ret_btf_id(&self, id: u32) -> u32 {
        match (crate::helpers::ret_btf_struct(id), self.p.kernel_btf.as_deref()) {
            (Some(name), Some(k)) => k.struct_id(name),
            _ => 0,
        }
    }

    pub(super) fn check_helper_args(&mut self, st: &mut State, h: &Helper) -> R<Meta> {
        let mut meta = Meta::default();
        self.cur_pkt_access = matches!(h.id, 1 | 2 | 3 | 87 | 195 | 28 | 84 | 85 | 99 | 100 | 110);
        self.cur_helper = h.name;
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
                    if *arg == Arg::MapKey && self.p.profile.array_lookup_nonnull && matches!(map.map_type, 2 | 6) {
                        meta.const_key = self.const_map_key(st, &reg, size);
                    }
                }
                Arg::Mem | Arg::MemOrNull | Arg::UninitMem => {
                    if *arg == Arg::MemOrNull && reg.is_null_const() {
                        last_mem = Some((regno, reg, true));
                        continue;
                    }
                    // the context is not memory, and a maybe-NULL pointer only fits
                    // ARG_PTR_TO_MEM_OR_NULL (kernel/bpf/verifier.c, check_reg_type() with
                    // mem_types), also when the size is zero
                    let maybe_null = reg.maybe_null && *arg != Arg::MemOrNull;
                    if !is_mem_ptr(&reg) || reg.ty == RegType::Ctx || maybe_null {
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
                    // a zero size still needs a stack pointer below fp (check_mem_size_reg()
                    // always calls check_helper_mem_access(): check_stack_access_within_bounds())
                    if v.umax > 0 || mreg.ty == RegType::Stack {
                        self.check_helper_mem(st, mreg_no, mreg, v.umin, v.umax, write, true, "mem")?;
                    } else if matches!(mreg.ty, RegType::Packet | RegType::PacketMeta)
                        && (mreg.off < 0 || mreg.off > mreg.range)
                    {
                        // a zero-sized packet access still checks its fixed offset against the
                        // range (check_packet_access() -> __check_mem_access())
                        return Err(self.err(
                            Some(st),
                            Code::PacketBounds,
                            format!("R{mreg_no} offset is outside of the packet"),
                        ));
                    } else if mreg.ty == RegType::MapValue {
                        // a zero-sized access to a map value still checks its variable offset
                        // (check_map_access() -> check_mem_region_access())
                        let v = mreg.val;
                        let vs = self.p.maps.get(mreg.map as usize).map_or(0, |m| m.value_size) as i64;
                        let msg = if v.smin < 0 {
                            Some(format!(
                                "R{mreg_no} min value is negative, either use unsigned index or do a if (index >=0) check."
                            ))
                        } else if v.umax >= BPF_MAX_VAR_OFF as u64 {
                            Some(format!(
                                "R{mreg_no} unbounded memory access, make sure to bounds check any such access"
                            ))
                        } else if mreg.off as i64 + v.umax as i64 > vs || (mreg.off as i64) < 0 {
                            Some(format!(
                                "invalid access to map value, value_size={vs} off={} size=0",
                                mreg.off as i64 + v.umax as i64
                            ))
                        } else {
                            None
                        };
                        if let Some(msg) = msg {
                            return Err(self.err(Some(st), Code::OutOfBounds, msg));
                        }
                    } else if mreg.ty == RegType::Stack {
                        // a zero-sized access is still a stack access: its offset must be inside
                        // the stack (check_stack_access_within_bounds() ->
                        // check_stack_slot_within_bounds())
                        if let Some(var) = mreg.val.const_value() {
                            let off = mreg.off as i64 + var as i64;
                            if !(-(self.p.profile.max_stack as i64)..=-1).contains(&off) {
                                let what = if write { "write to" } else { "read from" };
                                return Err(self.err(
                                    Some(st),
                                    Code::StackOutOfBounds,
                                    format!("invalid {what} stack R{mreg_no} off={off} size=0"),
                                ));
                            }
                        }
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
                // tracing programs get bpf_sk_storage_{get,delete} taking any BTF pointer to a
                // socket, NULL included (net/core/bpf_sk_storage.c, the _tracing_proto's
                // ARG_PTR_TO_BTF_ID_OR_NULL)
                Arg::SockAny if matches!(h.id, 107 | 108) && self.p.prog_type == ProgType::TRACING => {
                    if reg.ty == RegType::BtfId && reg.trust == UNTRUSTED {
                        return Err(expect(self, "ptr_, trusted_ptr_, rcu_ptr_"));
                    }
                }
                // the socket types and a plain or trusted BTF pointer (compatible_btf_id_sock_common)
                Arg::Sock | Arg::SockCommon | Arg::SockAny | Arg::SockAnyOrNull => {
                    let ok = reg.ty.is_sock()
                        || (reg.ty == RegType::BtfId && reg.trust != UNTRUSTED && reg.trust != RCU)
                        || (reg.ty == RegType::Ctx && self.p.prog_type == ProgType::CGROUP_SOCK);
                    if !ok || reg.maybe_null {
                        return Err(expect(self, "sock_common, sock, tcp_sock, xdp_sock, ptr_, trusted_ptr_"));
                    }
                    meta.ref_id = reg.ref_id;
                }
                Arg::RingbufMem => {
                    // a dynptr's slice is plain memory, not MEM_RINGBUF (bpf_dynptr_data())
                    if reg.ty != RegType::Mem || reg.maybe_null || reg.ref_id == 0 || reg.parent != 0 {
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
                Arg::SpinLock if self.in_rbtree_cb(st) => {
                    // the less callback of bpf_rbtree_add() runs under its caller's lock
                    // (check_func_arg(), in_rbtree_lock_required_cb())
                    return Err(self.err(Some(st), Code::SpinLock, "can't spin_{lock,unlock} in rbtree cb".into()));
                }
                Arg::SpinLock if reg.ty == RegType::BtfId && reg.ref_id != 0 && !reg.maybe_null => {
                    // the lock of an object the program allocated and owns
                    // (check_func_arg(): spin_lock_types has PTR_TO_BTF_ID | MEM_ALLOC)
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
                // kernel/bpf/verifier.c check_reg_const_str(): a frozen read-only map value at a
                // constant offset, holding a NUL before the value's end
                Arg::ConstStr => {
                    let loose = self.p.permissive && reg.ty == RegType::BtfId;
                    if reg.ty != RegType::MapValue && self.p.permissive && !loose {
                        return Err(expect(self, "map_value"));
                    }
                    if reg.ty == RegType::MapValue || !self.p.permissive {
                        let map = self.p.maps.get(reg.map as usize).filter(|_| reg.ty == RegType::MapValue);
                        if !map.is_some_and(|m| m.prog_rdonly()) {
                            return Err(self.err(
                                Some(st),
                                Code::ArgType,
                                format!("R{regno} does not point to a readonly map'"),
                            ));
                        }
                        if !reg.val.is_const() {
                            return Err(self.err(
                                Some(st),
                                Code::ArgType,
                                format!("R{regno} is not a constant address'"),
                            ));
                        }
                        let off = reg.off as i64 + reg.val.smin;
                        let bytes = map.and_then(|m| m.frozen.as_deref());
                        if let (Some(b), Ok(o)) = (bytes, usize::try_from(off)) {
                            if !b.get(o..).is_some_and(|s| s.contains(&0)) {
                                return Err(self.err(Some(st), Code::ArgType, "string is not zero-terminated".into()));
                            }
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
                    let ok = matches!(reg.ty, RegType::Stack | RegType::Dynptr)
                        || self.p.permissive && reg.ty == RegType::BtfId;
                    if !ok {
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
                // kernel/bpf/verifier.c check_reg_type(): btf_ptr_types (a plain, trusted or
                // RCU pointer, never an untrusted one), of the struct the helper names
                Arg::BtfId => {
                    let want = crate::helpers::btf_arg_struct(h.id);
                    if want.is_some_and(|w| w.1) && reg.is_null_const() {
                        continue;
                    }
                    if reg.ty == RegType::BtfId && (reg.trust == UNTRUSTED || reg.maybe_null) {
                        return Err(expect(self, "ptr_, trusted_ptr_, rcu_ptr_"));
                    }
                    if !reg.is_ptr() && !self.p.permissive {
                        return Err(expect(self, "ptr_"));
                    }
                    if let (Some((w, _)), Some(k), RegType::BtfId) = (want, self.p.kernel_btf.as_deref(), reg.ty) {
                        let want_id = k.struct_id(w);
                        if reg.btf_id != 0
                            && reg.off == 0
                            && want_id != 0
                            && !k.struct_matches_at(reg.btf_id, 0, want_id, false)
                        {
                            return Err(self.err(
                                Some(st),
                                Code::ArgType,
                                format!("R{regno} is of type {} but {w} is expected", k.type_name(reg.btf_id)),
                            ));
                        }
                    }
                }
                // kernel/bpf/verifier.c check_reg_type(): percpu_btf_ptr_types
                Arg::PercpuBtfId => {
                    if reg.ty != RegType::BtfId || reg.maybe_null || reg.trust == UNTRUSTED {
                        return Err(expect(self, "percpu_ptr_, percpu_rcu_ptr_, percpu_trusted_ptr_"));
                    }
                }
            }
        }
        Ok(meta)
    }

    /// A helper reads (or, with `write`, fills) `[0, max)` bytes at `reg`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn check_helper_mem(
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
                // check_stack_access_within_bounds(): BPF_MAX_VAR_OFF
                if !reg.val.is_const() && (reg.val.smax >= 1 << 29 || reg.val.smin <= -(1 << 29)) {
                    return Err(self.err(
                        Some(st),
                        Code::StackOutOfBounds,
                        format!("invalid unbounded variable-offset indirect access to stack R{regno}"),
                    ));
                }
                let lo = reg.off as i64 + reg.val.smin;
                let hi = reg.off as i64 + reg.val.smax + max as i64;
                if reg.val.smin == i64::MIN || lo < -(self.p.profile.max_stack as i64) || hi > 0 || lo >= 0 {
                    return Err(self.err(
                        Some(st),
                        Code::StackOutOfBounds,
                        format!("invalid indirect access to stack R{regno} off={} size={}", lo, max),
                    ));
                }
                // dynptr, iterator and irq flag slots are opaque to helpers (kernel/bpf/verifier.c,
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
                    if matches!(b, SlotByte::Dynptr | SlotByte::Iter | SlotByte::IrqFlag) {
                        return Err(self.err(
                            Some(st),
                            Code::UninitStack,
                            format!("invalid read from stack R{regno} off {}+{} size {}", lo, o - lo, max),
                        ));
                    }
                }
                // every access grows the frame, reads too (check_stack_access_within_bounds():
                // grow_stack_state())
                self.note_depth(st, frame, lo as i32);
                if write {
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
                    // helpers writing memory neither read it nor hide an older value
                    // (check_stack_range_initialized(): raw mode marks nothing)
                    self.note_stack_read(frame, lo, hi);
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
                // helpers never touch a kptr field (check_map_access(): ACCESS_HELPER)
                let lo = reg.off as i64 + reg.val.smin;
                let hi = reg.off as i64 + reg.val.umax.min(1 << 30) as i64 + max as i64;
                if map.kptrs.iter().any(|k| lo < k.off as i64 + 8 && (k.off as i64) < hi) {
                    return Err(self.err(
                        Some(st),
                        Code::InvalidMem,
                        "kptr cannot be accessed indirectly by helper".into(),
                    ));
                }
                if write && map.prog_rdonly() {
                    return Err(self.err(Some(st), Code::ReadOnly, "write into map forbidden".into()));
                }
                if !write && map.prog_wronly() {
                    return Err(self.err(Some(st), Code::ReadOnly, "read from map forbidden".into()));
                }
                self.check_region(st, regno, &reg, 0, max as u32, map.value_size, "map")
            }
            RegType::MapKey => {
                // a callback's key is read-only (check_helper_mem_access(): PTR_TO_MAP_KEY)
                if write {
                    return Err(self.err(Some(st), Code::ReadOnly, format!("R{regno} cannot write into map_key")));
                }
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
            // memory of a kernel object: only a trusted pointer, only to read, and only
            // within the field it starts in (kernel/bpf/verifier.c check_reg_type(): mem_types
            // and "may write into memory"; check_helper_mem_access() -> check_ptr_to_btf_access())
            RegType::BtfId if self.p.permissive && reg.btf_id != 0 && self.p.kernel_btf.is_some() => {
                if reg.trust != crate::domain::state::TRUSTED && reg.ref_id == 0 {
                    return Err(self.err(
                        Some(st),
                        Code::ArgType,
                        format!(
                            "R{regno} type={} expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_",
                            reg.type_name()
                        ),
                    ));
                }
                if write {
                    return Err(self.err(
                        Some(st),
                        Code::ArgType,
                        format!(
                            "{}() may write into memory pointed by R{regno} type={}",
                            self.cur_helper,
                            reg.type_name()
                        ),
                    ));
                }
                let k = self.p.kernel_btf.clone().expect("checked above");
                let o = reg.off as i64;
                if o < 0 || !reg.val.is_const() || reg.val.smin != 0 || max > u32::MAX as u64 {
                    return Err(self.err(
                        Some(st),
                        Code::InvalidMem,
                        format!("R{regno} is ptr_{} invalid offset: off={o}", k.type_name(reg.btf_id)),
                    ));
                }
                match k.struct_walk(reg.btf_id, o as u32, max as u32) {
                    Ok(_) => Ok(()),
                    Err(m) => Err(self.err(Some(st), Code::InvalidMem, m)),
                }
            }
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
}

pub(super) fn is_mem_ptr(r: &Reg) -> bool {
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

/// A pointer that cannot be NULL, so `ptr == 0` never holds (kernel/bpf/verifier.c,
/// reg_not_null(): a trusted kernel object, or one the program allocated, among them).
pub(super) fn non_null(r: &Reg) -> bool {
    use crate::domain::state::{NON_OWN, TRUSTED};
    !r.maybe_null
        && (matches!(
            r.ty,
            RegType::MapValue
                | RegType::MapKey
                | RegType::Sock
                | RegType::SockCommon
                | RegType::TcpSock
                | RegType::XdpSock
                | RegType::Mem
        ) || (r.ty == RegType::BtfId
            && (r.ref_id != 0 || r.trust == TRUSTED || r.trust == NON_OWN)
            && r.val.smin > -BPF_MAX_VAR_OFF
            && r.val.smax < BPF_MAX_VAR_OFF))
}

/// Beyond this variable offset a pointer may wrap to NULL (kernel/bpf/verifier.c,
/// reg_not_null()).
const BPF_MAX_VAR_OFF: i64 = 1 << 29;

/// The kernel struct behind a map of this type (what `CONST_PTR_TO_MAP` points to).
pub(super) fn map_struct_name(map_type: u32) -> &'static str {
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
pub(super) fn changes_pkt_data(id: u32, profile: &crate::profile::Profile) -> bool {
    matches!(
        id,
        9 | 10 | 11 | 13 | 18 | 19 | 31 | 38 | 39 | 43 | 44 | 50 | 54 | 63 | 65 | 73 | 74 | 75 | 76 | 90 | 91 | 143
    ) || (id == 12 && profile.tail_call_changes_pkt)
}

/// Kfuncs after which packet pointers are invalid (kernel/bpf/verifier.c
/// is_kfunc_pkt_changing(): bpf_xdp_pull_data).
pub(super) fn kfunc_changes_pkt_data(name: &str) -> bool {
    name == "bpf_xdp_pull_data"
}

impl Verifier<'_> {
    /// The constant a map key on the stack holds, as kernel/bpf/verifier.c
    /// get_constant_map_key() finds it: zero bytes (STACK_ZERO) covering the key, or a scalar
    /// spilled at the key's address with exactly the key's size and a known value. The slot
    /// becomes precise (a pruned path must hold the same key).
    fn const_map_key(&mut self, st: &State, key: &Reg, key_size: u32) -> Option<u64> {
        if key.ty != RegType::Stack {
            return None;
        }
        let off = key.off as i64 + key.val.const_value()? as i64;
        if !(-512..0).contains(&off) {
            return None;
        }
        let f = &st.frames[key.frame as usize];
        let slot_i = ((-off - 1) / 8) as usize;
        let slot = f.stack.get(slot_i)?;
        // bytes[0] is the slot's lowest address; the key runs upwards from `b`
        let b = 7 - ((-off - 1) % 8) as usize;
        let zeros = slot.bytes[b..].iter().take_while(|&&x| x == SlotByte::Zero).count();
        if zeros as u32 >= key_size {
            return Some(0);
        }
        if slot.bytes[0] != SlotByte::Spill || !slot.spilled.is_scalar() {
            return None;
        }
        let spilled = slot.bytes[b..].iter().take_while(|&&x| x == SlotByte::Spill).count();
        // the spill keeps the whole register, so a narrow spill of a wider value gives that
        // wider value, as the kernel's key (reg->var_off.value) is
        if spilled as u32 != key_size {
            return None;
        }
        let v = slot.spilled.val.const_value()?;
        self.want_slots.push((key.frame as usize, slot_i));
        Some(v)
    }
}
