//! Calls of kernel functions (kfuncs) resolved against the kernel's BTF: program-type
//! availability, argument checks by prototype and `KF_*` flags, references (`KF_ACQUIRE` /
//! `KF_RELEASE`), `KF_RET_NULL` results (kernel/bpf/verifier.c: check_kfunc_call(),
//! check_kfunc_args(), get_kfunc_ptr_arg_type(), is_trusted_reg()).

use super::graph::OWNERSHIP_TAKERS;
use super::*;
use crate::domain::state::{RCU, TRUSTED, UNTRUSTED};
use crate::kernel_btf::ValueKind;
use crate::kfuncs::{self, flags};

/// Structs the kernel gives their own argument kinds (dynptrs, graph nodes, iterators, ...):
/// bpflint does not model them yet.
fn special_struct(name: &str) -> bool {
    name.starts_with("bpf_iter_")
        || matches!(
            name,
            "bpf_dynptr"
                | "bpf_list_head"
                | "bpf_list_node"
                | "bpf_rb_root"
                | "bpf_rb_node"
                | "bpf_refcount"
                | "bpf_wq"
                | "bpf_task_work"
                | "bpf_timer"
                | "bpf_spin_lock"
                | "bpf_map"
                | "btf_ptr"
                | "__sk_buff"
                | "xdp_md"
                | "bpf_sock_addr"
                | "bpf_sock_addr_kern"
                | "sk_buff"
                | "xdp_buff"
        )
}

/// The kfuncs callable while holding a bpf_spin_lock (kernel/bpf/verifier.c,
/// is_bpf_graph_api_kfunc()).
const GRAPH_API: &[&str] = &[
    "bpf_list_push_front_impl",
    "bpf_list_push_back_impl",
    "bpf_list_pop_front",
    "bpf_list_pop_back",
    "bpf_rbtree_add_impl",
    "bpf_rbtree_remove",
    "bpf_rbtree_first",
    "bpf_refcount_acquire_impl",
];

impl Verifier<'_> {
    /// A memory argument followed by its size (`void *mem, u32 mem__sz`; `__szk`: a size the
    /// verifier must know; `mem__opt`: NULL allowed): both ways the memory is accessed, with the
    /// size register's bounds (kernel/bpf/verifier.c: get_kfunc_ptr_arg_type(),
    /// is_kfunc_arg_mem_size(), check_kfunc_args() KF_ARG_PTR_TO_MEM_SIZE,
    /// check_kfunc_mem_size_reg()). Returns whether argument `i` is such a pair.
    #[allow(clippy::too_many_arguments)]
    fn kfunc_mem_size_pair(
        &mut self,
        st: &mut State,
        k: &crate::kernel_btf::KernelBtf,
        name: &str,
        params: &[u32],
        i: usize,
        mem: &Reg,
        kind: &ValueKind,
    ) -> R<bool> {
        let Some(&size_pid) = params.get(i + 1) else { return Ok(false) };
        if i + 1 >= 5 || !matches!(k.value_kind(size_pid), ValueKind::Scalar(_)) {
            return Ok(false);
        }
        let size_name = k.param_name(name, i + 1).unwrap_or("");
        let constant = size_name.ends_with("__szk");
        if !constant && !size_name.ends_with("__sz") {
            return Ok(false);
        }
        // a kernel object is its own argument kind, checked before memory
        let obj = matches!(kind, ValueKind::BtfPtr(_)) && mem.ty == RegType::BtfId;
        let (regno, size_regno) = (i as u8 + 1, i as u8 + 2);
        let size = *st.reg(size_regno);
        if obj || !size.is_scalar() {
            return Ok(false);
        }
        let optional = k.param_name(name, i).is_some_and(|n| n.ends_with("__opt"));
        if !(mem.is_null_const() && optional) {
            let v = size.val;
            let inner = if v.smin < 0 {
                Some(format!("R{size_regno} min value is negative, either use unsigned or 'var &= const'"))
            } else if v.umax >= BPF_MAX_VAR_SIZ {
                Some(format!("R{size_regno} unbounded memory access, use 'var &= const' or 'if (var < const)'"))
            } else {
                None
            };
            let checked = match inner {
                Some(m) => Err(self.err(Some(st), Code::ArgType, m)),
                None if v.umax == 0 && mem.is_null_const() => Ok(()),
                None => {
                    // a maybe-NULL pointer is checked as if it were not NULL
                    let m = Reg { maybe_null: false, ..*mem };
                    self.check_helper_mem(st, regno, m, v.umin, v.umax, false, true, "mem")
                        .and_then(|_| self.check_helper_mem(st, regno, m, v.umin, v.umax, true, true, "mem"))
                }
            };
            if let Err(e) = checked {
                let msg = format!("arg#{i} arg#{} memory, len pair leads to invalid memory access", i + 1);
                return Err(self.err(Some(st), e.code, msg));
            }
        }
        if constant {
            self.want_precise(st, size_regno);
            if size.val.const_value().is_none() {
                return Err(self.err(Some(st), Code::ArgType, format!("R{size_regno} must be a known constant")));
            }
        }
        Ok(true)
    }

    /// `bpf_throw()`: the program ends here, unwinding every frame; not from a callback, not
    /// inside an RCU read-side section, not with references held (kernel/bpf/verifier.c:
    /// check_kfunc_call(), process_bpf_exit_full() with exception_exit).
    fn throw(&mut self, st: &mut State) -> R<Next> {
        if let Some(f) = st.frames.iter().rev().find(|f| f.callback_ret.is_some()) {
            return Err(self.err(
                Some(st),
                Code::BadCall,
                format!("bpf_throw kfunc (insn {}) cannot be called from callback subprog {}", self.pc, f.subprog),
            ));
        }
        if st.rcu {
            return Err(self.err(
                Some(st),
                Code::SpinLock,
                "bpf_throw cannot be used inside bpf_rcu_read_lock-ed region".into(),
            ));
        }
        if st.preempt > 0 {
            return Err(self.err(
                Some(st),
                Code::SpinLock,
                "bpf_throw cannot be used inside bpf_preempt_disable-ed region".into(),
            ));
        }
        if !st.refs.is_empty() {
            return Err(self.err(Some(st), Code::RefLeak, "bpf_throw would lead to reference leak".into()));
        }
        Ok(Next::Exit)
    }

    /// A kfunc call the kernel's BTF describes. `None`: the kfunc is not in the kernel's BTF
    /// (the caller falls back to the permissive model).
    pub(super) fn kfunc_call(&mut self, st: &mut State, name: &str) -> Option<R<Next>> {
        let k = self.p.kernel_btf.clone()?;
        let (ret, params) = k.func_proto(name)?;
        Some(self.kfunc_call_typed(st, name, &k, ret, &params))
    }

    fn kfunc_call_typed(
        &mut self,
        st: &mut State,
        name: &str,
        k: &crate::kernel_btf::KernelBtf,
        ret: u32,
        params: &[u32],
    ) -> R<Next> {
        let def = kfuncs::find(name);
        if let Some(d) = def {
            if !d.allowed_for(self.p.prog_type) || !d.allowed_attach(self.p.attach_type) {
                return Err(self.err(Some(st), Code::Kfunc, format!("calling kernel function {name} is not allowed")));
            }
        }
        let fl = def.map_or(0, |d| d.flags);
        // under a bpf_spin_lock only the graph kfuncs may be called (do_check():
        // is_bpf_graph_api_kfunc())
        // (kfunc_spin_allowed(): also the resilient lock kfuncs, under either kind of lock)
        if st.holds_lock() && !GRAPH_API.contains(&name) && super::res_locks::res_lock_kfunc(name).is_none() {
            return Err(self.err(
                Some(st),
                Code::SpinLock,
                "function calls are not allowed while holding a lock".into(),
            ));
        }
        if name == "bpf_throw" {
            return self.throw(st);
        }
        if name == "bpf_rdonly_cast" {
            return self.rdonly_cast(st, k);
        }
        // dynptr arguments (dynptrs.rs); a clone takes its source's type and reference
        let mut dynptr = None;
        for &(r, u) in super::dynptrs::kfunc_dynptr_args(name) {
            dynptr = self.dynptr_arg(st, r, u)?.or(dynptr);
        }
        // any other kfunc's `struct bpf_dynptr *` argument needs an initialised dynptr, unless
        // named `__uninit` (the kfunc creates it) or `__nullable` and NULL (bpf_dynptr_copy(),
        // bpf_dynptr_memset(), ...: check_kfunc_args() KF_ARG_PTR_TO_DYNPTR,
        // process_dynptr_func())
        if super::dynptrs::kfunc_dynptr_args(name).is_empty() {
            for (i, &pid) in params.iter().enumerate().take(5) {
                let pname = k.param_name(name, i).unwrap_or("");
                let is_dynptr = matches!(k.value_kind(pid), ValueKind::BtfPtr(s) if s == "bpf_dynptr");
                let null_ok = pname.ends_with("__nullable") && st.reg(i as u8 + 1).is_null_const();
                if is_dynptr && !pname.ends_with("__uninit") && !null_ok {
                    self.dynptr_arg(st, i as u8 + 1, super::dynptrs::DynptrUse::Read(0))?;
                }
            }
        }
        if let ("bpf_dynptr_clone", Some(d)) = (name, dynptr) {
            self.dynptr_clone(st, d)?;
        }
        // RCU read-side sections and preemption (kernel/bpf/verifier.c check_kfunc_call())
        let lock_err = match name {
            "bpf_rcu_read_lock" if st.rcu => Some("nested rcu read lock (kernel function bpf_rcu_read_lock)"),
            "bpf_rcu_read_unlock" if !st.rcu => Some("unmatched rcu read unlock (kernel function bpf_rcu_read_unlock)"),
            "bpf_preempt_enable" if st.preempt == 0 => {
                Some("unmatched attempt to enable preemption (kernel function bpf_preempt_enable)")
            }
            _ => None,
        };
        if let Some(m) = lock_err {
            return Err(self.err(Some(st), Code::SpinLock, m.into()));
        }
        match name {
            "bpf_rcu_read_lock" => st.rcu = true,
            "bpf_rcu_read_unlock" => {
                // what was RCU-protected is untrusted past the section (check_kfunc_call())
                st.rcu = false;
                st.for_each_reg(|r| {
                    if r.ty == RegType::BtfId && r.trust == RCU {
                        (r.trust, r.maybe_null) = (UNTRUSTED, false);
                    }
                });
            }
            "bpf_preempt_disable" => st.preempt = st.preempt.saturating_add(1),
            "bpf_preempt_enable" => st.preempt -= 1,
            _ => {}
        }
        // a sleepable kfunc in an RCU read-side section, with preemption or interrupts disabled
        // (check_kfunc_call(): active_rcu_lock, active_preempt_locks, active_irq_id)
        if fl & flags::SLEEPABLE != 0 {
            if let Some(r) = st.non_sleepable_region() {
                return Err(self.err(Some(st), Code::SpinLock, format!("kernel func {name} is sleepable within {r}")));
            }
        }
        // bpf_local_irq_save/restore(): the irq flag argument is the whole call (irq.rs)
        if let Some((save, class @ crate::domain::state::IRQ_NATIVE)) = super::irq::irq_kfunc(name) {
            self.irq_flag_arg(st, 0, save, class)?;
            st.clobber_args();
            *st.reg_mut(0) = Reg::NOT_INIT;
            return Ok(Next::Goto(self.pc + 1));
        }
        // bpf_res_spin_lock() and friends (res_locks.rs)
        if let Some((lock, irq)) = super::res_locks::res_lock_kfunc(name) {
            return self.res_lock_call(st, lock, irq);
        }
        self.drop_type(st, name)?;
        let trusted_args =
            fl & (flags::TRUSTED_ARGS | flags::RELEASE) != 0 || self.p.profile.kfunc_trusted_args_default;
        let rcu = fl & flags::RCU != 0;
        let mut release: Option<u32> = None;
        let mut size_arg = false;
        // the map of a `struct bpf_wq *` argument, which a `__map` argument must name
        let mut wq_map: Option<u32> = None;
        // the map of a `struct bpf_task_work *` argument, which the `__map` argument must be
        let mut task_work_map: Option<u32> = None;
        for (i, &pid) in params.iter().enumerate().take(5) {
            let regno = i as u8 + 1;
            let reg = self.read_reg(st, regno)?;
            let kind = k.value_kind(pid);
            if std::mem::take(&mut size_arg) {
                continue;
            }
            // a NULL pointer where the kfunc trusts its arguments (check_kfunc_args(): before
            // any other check of the argument)
            let pname = k.param_name(name, i).unwrap_or("");
            let may_be_null = ["__nullable", "__opt", "__ign", "__prog"].iter().any(|s| pname.ends_with(s));
            let is_ptr = !matches!(kind, ValueKind::Scalar(_));
            let special = matches!(&kind, ValueKind::BtfPtr(s) if special_struct(s));
            if (trusted_args || rcu) && is_ptr && !special && !may_be_null && (reg.is_null_const() || reg.maybe_null) {
                return Err(self.err(
                    Some(st),
                    Code::ArgType,
                    format!("Possibly NULL pointer passed to trusted arg{i}"),
                ));
            }
            if matches!(&kind, ValueKind::BtfPtr(s) if s == "bpf_wq") {
                wq_map = Some(self.kfunc_wq_arg(st, i, &reg)?);
            }
            if matches!(&kind, ValueKind::BtfPtr(s) if s == "bpf_task_work") {
                task_work_map = Some(self.kfunc_task_work_arg(st, i, &reg)?);
            }
            if pname.ends_with("__map") {
                // a task_work's map must be the map argument (process_task_work(): meta->map)
                if task_work_map.is_some_and(|m| reg.ty == RegType::MapPtr && reg.map != m) {
                    return Err(self.err(
                        Some(st),
                        Code::ArgType,
                        format!(
                            "bpf_task_work pointer in R{} map_uid=0 doesn't match map pointer in R{regno} map_uid=0",
                            regno - 1
                        ),
                    ));
                }
                self.kfunc_map_arg(st, regno, &reg, wq_map)?;
            }
            if self.kfunc_mem_size_pair(st, k, name, params, i, &reg, &kind)? {
                size_arg = true;
                continue;
            }
            if is_ptr {
                self.kfunc_arg_reg_off(st, regno, &reg, fl & flags::RELEASE != 0)?;
            }
            if reg.ref_id != 0 && release.is_none() && matches!(kind, ValueKind::BtfPtr(_) | ValueKind::ScalarPtr) {
                if fl & flags::RELEASE != 0 {
                    release = Some(reg.ref_id);
                } else if OWNERSHIP_TAKERS.contains(&name) && i == 1 {
                    // bpf_list_push_*/bpf_rbtree_add take the owning reference of the node
                    // (kernel/bpf/verifier.c, ref_convert_owning_non_owning())
                    release = Some(reg.ref_id);
                }
            }
            let ValueKind::BtfPtr(sname) = kind else { continue };
            if let Some(g) = super::graph::graph_arg(&sname) {
                self.graph_kfunc_arg(st, name, i, &reg, g)?;
            }
            if special_struct(&sname) {
                continue;
            }
            let want = k.pointee_struct(pid);
            let nullable = k.param_name(name, i).is_some_and(|n| n.ends_with("__nullable"));
            let is_null = reg.is_null_const();
            if (trusted_args || rcu) && (is_null || reg.maybe_null) && !nullable {
                return Err(self.err(
                    Some(st),
                    Code::ArgType,
                    format!("Possibly NULL pointer passed to trusted arg{i}"),
                ));
            }
            match reg.ty {
                RegType::BtfId => {
                    if trusted_args || rcu {
                        let trusted = reg.ref_id != 0 || reg.trust == TRUSTED;
                        if !trusted && !rcu && reg.trust != 0 {
                            return Err(self.err(
                                Some(st),
                                Code::ArgType,
                                format!("R{regno} must be referenced or trusted"),
                            ));
                        }
                        if !trusted && rcu && reg.trust == UNTRUSTED {
                            return Err(self.err(Some(st), Code::ArgType, format!("R{regno} must be a rcu pointer")));
                        }
                    }
                    let (off, strict) = (reg.off.max(0) as u32, fl & flags::RELEASE != 0);
                    if reg.btf_id != 0 && want != 0 && !k.struct_matches_at(reg.btf_id, off, want, strict) {
                        return Err(self.err(
                            Some(st),
                            Code::ArgType,
                            format!(
                                "kernel function {name} args#{i} expected pointer to STRUCT {} but R{regno} has a pointer to STRUCT {}",
                                k.type_name(want),
                                k.type_name(reg.btf_id)
                            ),
                        ));
                    }
                }
                RegType::Stack | RegType::MapValue if !k.struct_is_scalar(want) => {
                    return Err(self.err(
                        Some(st),
                        Code::ArgType,
                        format!("arg#{i} pointer type STRUCT {sname} must point to scalar, or struct with scalar"),
                    ));
                }
                RegType::Scalar if is_null && !nullable && !k.struct_is_scalar(want) => {
                    return Err(self.err(
                        Some(st),
                        Code::ArgType,
                        format!("arg#{i} pointer type STRUCT {sname} must point to scalar, or struct with scalar"),
                    ));
                }
                _ => {}
            }
        }
        if fl & flags::RELEASE != 0 || release.is_some() {
            let Some(rid) = release else {
                return Err(self.err(
                    Some(st),
                    Code::RefLeak,
                    format!("release kernel function {name} expects refcounted PTR_TO_BTF_ID"),
                ));
            };
            if OWNERSHIP_TAKERS.contains(&name) {
                Self::convert_owning_non_owning(st, rid);
            } else {
                st.release_ref(rid);
            }
        }
        // Measured on the running Linux 6.18: a workqueue callback is verified as sleepable and
        // refused in a program that is not (the 6.12 source verifies it as a non-sleepable
        // async callback: check_kfunc_call(), push_callback_call()).
        // (so is a task_work callback: Linux 6.18 is_task_work_add_kfunc())
        let sleepable_cb = matches!(
            name,
            "bpf_wq_set_callback_impl" | "bpf_task_work_schedule_resume_impl" | "bpf_task_work_schedule_signal_impl"
        );
        if sleepable_cb && self.p.profile.wq_callback_sleepable && !self.sleepable {
            return Err(self.err(
                Some(st),
                Code::Kfunc,
                "sleepable callback in a program that is not sleepable".into(),
            ));
        }
        // Measured on the running Linux 6.18: every bpf_dynptr_slice_rdwr() call that passes
        // the argument checks is refused with EPERM (the 6.12 source refuses it only for
        // programs that may not write packet data: check_kfunc_call(),
        // may_access_direct_pkt_data()); tests/cli/bpflint-modern asserts the kernel's verdict.
        if name == "bpf_dynptr_slice_rdwr" {
            if self.p.profile.dynptr_slice_rdwr_refused {
                return Err(self.err(Some(st), Code::Kfunc, "bpf_dynptr_slice_rdwr() is not allowed".into()));
            }
            if !ctx::may_write_packet(self.p.prog_type) {
                return Err(self.err(
                    Some(st),
                    Code::PacketWrite,
                    "the prog does not allow writes to packet data".into(),
                ));
            }
        }
        let slice_size = st.reg(4).val.const_value().filter(|_| st.reg(4).is_scalar());
        // bpf_refcount_acquire() of an owning reference cannot fail (is_kfunc_ret_null())
        let owning_acquire = name == "bpf_refcount_acquire_impl" && st.reg(1).ref_id != 0;
        let less = Some(*st.reg(3)).filter(|r| name == "bpf_rbtree_add_impl" && r.ty == RegType::Func);
        let less_root = self.root_at(st.reg(1));
        let graph_ret = self.graph_result(st, name);
        st.clobber_args();
        // the result: by its BTF type, then referenced (KF_ACQUIRE: an object of the kernel's
        // type, or of the program's own for bpf_obj_new / bpf_list_pop_*) and maybe NULL
        // (KF_RET_NULL) where it is a pointer the verifier tracks
        let acquire = fl & flags::ACQUIRE != 0;
        let kind = k.value_kind(ret);
        let mem = if matches!(kind, ValueKind::ScalarPtr) { k.pointee_size(ret) } else { None };
        let (mut r0, tracked) = match kind {
            _ if ret == 0 => (Reg::NOT_INIT, false),
            ValueKind::BtfPtr(_) => {
                let mut r = Reg { btf_id: k.pointee_struct(ret), ..Reg::ptr(RegType::BtfId) };
                if def.is_some() && !acquire {
                    r.trust = if fl & flags::RET_NULL != 0 { RCU } else { TRUSTED };
                }
                (r, true)
            }
            _ if acquire => (Reg::ptr(RegType::BtfId), true),
            ValueKind::Scalar(_) => (Reg::unknown(), false),
            // a pointer to an integer: that many bytes of memory (check_kfunc_call():
            // PTR_TO_MEM of the pointee's size)
            ValueKind::ScalarPtr if mem.is_some() => {
                (Reg { mem_size: mem.unwrap_or(0), ..Reg::ptr(RegType::Mem) }, true)
            }
            // void * results and the rest stay permissive
            _ => (Reg::ptr(RegType::BtfId), false),
        };
        if acquire && ret != 0 {
            r0.ref_id = self.new_id();
            r0.trust = TRUSTED;
            st.refs.push(RefEntry::ptr(r0.ref_id, self.pc));
        }
        if let Some(g) = graph_ret {
            g.apply(&mut r0);
        }
        if tracked && fl & flags::RET_NULL != 0 && !owning_acquire {
            r0.maybe_null = true;
            // an acquired pointer's id is its reference (acquire_reference())
            r0.id = if r0.ref_id != 0 && acquire { r0.ref_id } else { self.new_id() };
        }
        // bpf_dynptr_slice(_rdwr)(): memory of the constant size, gone with its dynptr
        if let (Some(d), true) = (dynptr, name.starts_with("bpf_dynptr_slice")) {
            r0 = Reg {
                maybe_null: true,
                id: self.new_id(),
                rdonly: name == "bpf_dynptr_slice",
                mem_size: slice_size.unwrap_or(0) as u32,
                parent: d.id,
                ref_id: d.ref_id,
                ..Reg::ptr(RegType::Mem)
            };
        }
        *st.reg_mut(0) = r0;
        // a kfunc that may move packet data invalidates every packet pointer
        // (kernel/bpf/verifier.c check_kfunc_call(): is_kfunc_pkt_changing(), clear_all_pkt_pointers())
        if super::kfunc_changes_pkt_data(name) {
            st.clear_pkt_pointers();
            Self::clear_pkt_slices(st);
        }
        if let Some(f) = less {
            return self.rbtree_add_callback(st, f.subprog as usize, less_root);
        }
        Ok(Next::Goto(self.pc + 1))
    }
}

impl Verifier<'_> {
    /// A `struct bpf_wq *` argument: the workqueue field of a map value, at its offset
    /// (kernel/bpf/verifier.c check_kfunc_args() KF_ARG_PTR_TO_WORKQUEUE, process_wq_func()).
    /// Returns the map.
    fn kfunc_wq_arg(&self, st: &State, i: usize, reg: &Reg) -> R<u32> {
        if reg.ty != RegType::MapValue {
            return Err(self.err(Some(st), Code::ArgType, format!("arg#{i} doesn't point to a map value")));
        }
        let at = self.p.maps.get(reg.map as usize).and_then(|m| m.wq_off).map_or(-1, |o| o as i64);
        // the offset the kernel compares is var_off's known value plus the fixed offset
        let off = reg.val.var.value as i64 + reg.off as i64;
        if off != at {
            return Err(self.err(
                Some(st),
                Code::ArgType,
                format!("off {off} doesn't point to 'struct bpf_wq' that is at {at}"),
            ));
        }
        Ok(reg.map)
    }

    /// A `struct bpf_task_work *` argument (Linux 6.18+): the task_work field of a map value, at
    /// its offset (check_kfunc_args() KF_ARG_PTR_TO_TASK_WORK, process_task_work()).
    fn kfunc_task_work_arg(&self, st: &State, i: usize, reg: &Reg) -> R<u32> {
        if reg.ty != RegType::MapValue {
            return Err(self.err(Some(st), Code::ArgType, format!("arg#{i} doesn't point to a map value")));
        }
        let at = self.p.maps.get(reg.map as usize).and_then(|m| m.task_work_off).map_or(-1, |o| o as i64);
        let off = reg.val.var.value as i64 + reg.off as i64;
        if off != at {
            return Err(self.err(
                Some(st),
                Code::ArgType,
                format!("off {off} doesn't point to 'struct bpf_task_work' that is at {at}"),
            ));
        }
        Ok(reg.map)
    }

    /// A `__map` argument: a map pointer; with a workqueue argument before it, the workqueue's
    /// own map (check_kfunc_args() KF_ARG_PTR_TO_MAP: map_ptr and map_uid must match). A
    /// pointer into a map's value or key names a map too but is then checked as a kernel object
    /// and refused (measured on 6.18: "R2 must be referenced or trusted").
    fn kfunc_map_arg(&self, st: &State, regno: u8, reg: &Reg, wq_map: Option<u32>) -> R<()> {
        if !matches!(reg.ty, RegType::MapPtr | RegType::MapValue | RegType::MapKey) {
            return Err(self.err(Some(st), Code::ArgType, format!("pointer in R{regno} isn't map pointer")));
        }
        let has_wq = self.p.maps.get(reg.map as usize).is_some_and(|m| m.wq_off.is_some());
        if let (Some(w), true) = (wq_map, has_wq) {
            if w != reg.map {
                return Err(self.err(
                    Some(st),
                    Code::ArgType,
                    format!("workqueue pointer in R1 map_uid=0 doesn't match map pointer in R{regno} map_uid=0"),
                ));
            }
        }
        if reg.ty != RegType::MapPtr {
            return Err(self.err(Some(st), Code::ArgType, format!("R{regno} must be referenced or trusted")));
        }
        Ok(())
    }
}
