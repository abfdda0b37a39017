//! Global (non-static) subprograms: the kernel verifies each one once, on its own, against its
//! BTF prototype, and a call of one only checks the arguments against that prototype and
//! returns an unknown scalar (kernel/bpf/verifier.c check_func_call(),
//! btf_check_subprog_call(), do_check_subprogs(); kernel/bpf/btf.c btf_prepare_func_args()).

use super::*;
use crate::program::{FuncSig, GlobalArg};

impl Verifier<'_> {
    /// The prototype of the global function starting at `start`, when bpflint verifies it on its
    /// own (an object with BTF; raw programs keep the inlined model).
    pub(super) fn global_sig(&self, start: usize) -> Option<&FuncSig> {
        if !self.p.permissive {
            return None;
        }
        self.p.func_sigs.iter().find(|s| s.start == start && s.global && start != 0)
    }

    /// A call of global subprogram `sub`: arguments checked by prototype, `r0` unknown.
    pub(super) fn global_call(&mut self, st: &mut State, sub: usize, sig: FuncSig) -> R<Next> {
        let bad = |v: &Self, st: &State, why: String| {
            let mut d =
                v.err(Some(st), Code::ArgType, format!("Caller passes invalid args into func#{sub} ('{}')", sig.name));
            d.kernel = format!("{why}\nCaller passes invalid args into func#{sub} ('{}')", sig.name);
            Err(d)
        };
        self.record_call(st, sub);
        for (i, a) in sig.params.iter().enumerate().take(5) {
            let regno = i as u8 + 1;
            let reg = *st.reg(regno);
            if !reg.is_init() {
                return bad(self, st, format!("R{regno} !read_ok"));
            }
            match a {
                GlobalArg::Scalar if !reg.is_scalar() => return bad(self, st, format!("R{regno} is not a scalar")),
                GlobalArg::Ctx if reg.ty != RegType::Ctx || reg.off != 0 => {
                    return bad(self, st, format!("arg#{i} expects pointer to ctx"));
                }
                GlobalArg::Mem { size, nullable } => {
                    if reg.is_null_const() && *nullable {
                        continue;
                    }
                    let memory = matches!(
                        reg.ty,
                        RegType::Stack
                            | RegType::MapValue
                            | RegType::MapKey
                            | RegType::Packet
                            | RegType::PacketMeta
                            | RegType::Mem
                            | RegType::Buf
                    );
                    if !memory || (reg.maybe_null && !nullable) {
                        return bad(
                            self,
                            st,
                            format!("R{regno} type={} expected=fp, pkt, map_value, mem", reg.type_name()),
                        );
                    }
                    // a maybe-NULL pointer is checked as if it were not NULL, for reading and
                    // for writing: read-only memory does not do (check_mem_reg())
                    let r = Reg { maybe_null: false, ..reg };
                    let n = *size as u64;
                    self.check_helper_mem(st, regno, r, n, n, false, true, "mem")?;
                    if let Err(e) = self.check_helper_mem(st, regno, r, n, n, true, true, "mem") {
                        return bad(self, st, e.kernel);
                    }
                }
                // btf_check_func_arg_match(): check_func_arg_reg_off(), process_dynptr_func()
                GlobalArg::Dynptr => {
                    if let Err(e) = self.dynptr_arg(st, regno, super::dynptrs::DynptrUse::Read(0)) {
                        return bad(self, st, e.kernel);
                    }
                }
                // check_reg_type(): a pointer to a kernel object, NULL only when nullable
                GlobalArg::Refused(m) => return bad(self, st, m.clone()),
                // anything goes; the kernel's BTF must have the struct (btf_prepare_func_args(),
                // btf_get_ptr_to_btf_id())
                GlobalArg::Untrusted { target }
                    if !target.is_empty() && self.p.kernel_btf.as_deref().is_some_and(|k| k.struct_id(target) == 0) =>
                {
                    return bad(self, st, format!("arg#{i} reference type('STRUCT {target}') has no matches"));
                }
                GlobalArg::Trusted { nullable } => {
                    if reg.is_null_const() && *nullable {
                        continue;
                    }
                    // an untrusted kernel object is no trusted one (check_reg_type())
                    let untrusted = reg.ty == RegType::BtfId && reg.trust == crate::domain::state::UNTRUSTED;
                    if reg.is_scalar()
                        || reg.maybe_null && !nullable
                        || untrusted && self.p.profile.untrusted_mem_access
                    {
                        let ty = if reg.maybe_null && reg.ty == RegType::BtfId {
                            "ptr_or_null_".to_string()
                        } else {
                            reg.type_name()
                        };
                        return bad(self, st, format!("R{regno} type={ty} expected=ptr_, trusted_ptr_, rcu_ptr_"));
                    }
                }
                _ => {}
            }
        }
        if !self.globals.contains(&sub) {
            self.globals.push(sub);
        }
        st.clobber_args();
        *st.reg_mut(0) = Reg::unknown();
        // a global function that may change packet data invalidates the caller's packet
        // pointers (kernel/bpf/verifier.c: subprog changes_pkt_data, clear_all_pkt_pointers())
        if self.subprog_changes_pkt(sub, &mut Vec::new()) {
            st.clear_pkt_pointers();
            Self::clear_pkt_slices(st);
        }
        Ok(Next::Goto(self.pc + 1))
    }

    /// Whether subprogram `sub` or one it calls calls a helper that changes packet data.
    fn subprog_changes_pkt(&self, sub: usize, seen: &mut Vec<usize>) -> bool {
        if seen.contains(&sub) {
            return false;
        }
        seen.push(sub);
        let Some(sp) = self.cfg.subprogs.get(sub) else { return false };
        (sp.start..sp.end.min(self.p.slots.len())).any(|pc| match self.p.slots[pc] {
            // a helper or kfunc that changes packet data (visit_insn(): mark_subprog_changes_pkt_data()
            // for bpf_helper_changes_pkt_data() and is_kfunc_pkt_changing())
            Slot::Insn(i, _) if i.op == Op::Call => {
                !self.p.kfuncs.contains_key(&pc) && super::changes_pkt_data(i.imm as u32, self.p.profile)
            }
            Slot::Insn(i, _) if i.op == Op::CallKfunc => {
                self.p.kfuncs.get(&pc).is_some_and(|name| super::kfunc_changes_pkt_data(name))
            }
            Slot::Insn(i, _) if i.op == Op::CallLocal => {
                let target = (pc as i64 + i.imm + 1) as usize;
                self.cfg.subprog_of_start(target).is_some_and(|s| self.subprog_changes_pkt(s, seen))
            }
            _ => false,
        })
    }

    /// The state a global function starts in: its arguments typed by its prototype.
    pub(super) fn global_entry_state(&mut self, sub: usize) -> State {
        let start = self.cfg.subprogs[sub].start;
        let params = self.global_sig(start).map(|s| s.params.clone()).unwrap_or_default();
        let mut f = Frame::new(usize::MAX, sub);
        for (i, a) in params.iter().enumerate().take(5) {
            f.regs[i + 1] = match a {
                GlobalArg::Scalar => Reg::unknown(),
                GlobalArg::Ctx => Reg::ptr(RegType::Ctx),
                GlobalArg::Mem { size, nullable } => Reg {
                    mem_size: *size,
                    maybe_null: *nullable,
                    id: if *nullable { self.new_id() } else { 0 },
                    ..Reg::ptr(RegType::Mem)
                },
                GlobalArg::Untrusted { target } if target.is_empty() => Reg {
                    rdonly: true,
                    mem_size: u32::MAX,
                    trust: crate::domain::state::UNTRUSTED,
                    ..Reg::ptr(RegType::Mem)
                },
                GlobalArg::Untrusted { target } => Reg {
                    btf_id: self.p.kernel_btf.as_deref().map_or(0, |k| k.struct_id(target)),
                    trust: crate::domain::state::UNTRUSTED,
                    ..Reg::ptr(RegType::BtfId)
                },
                // a const dynptr pointer is not modelled inside the function: it passes on
                GlobalArg::Refused(_) | GlobalArg::Other | GlobalArg::Dynptr | GlobalArg::Trusted { .. } => {
                    Reg::ptr(RegType::BtfId)
                }
            };
        }
        f.regs[10] = Reg::ptr(RegType::Stack);
        State::new(f)
    }
}
