//! `bpf_rdonly_cast()`: a read-only, untrusted view of any pointer as a kernel type
//! (kernel/bpf/verifier.c check_kfunc_call(), KF_bpf_rdonly_cast): its type id argument is a
//! constant naming a struct of the kernel's BTF (usually `bpf_core_type_id_kernel()`, which
//! bpflint resolves like libbpf), or 0 (`void`) for untrusted memory.

use super::*;
use crate::domain::state::UNTRUSTED;

impl<'p> Verifier<'p> {
    pub(super) fn rdonly_cast(&mut self, st: &mut State, k: &crate::kernel_btf::KernelBtf) -> R<Next> {
        let _obj = self.read_reg(st, 1)?;
        let id = self.read_reg(st, 2)?;
        let Some(id) = id.val.const_value().filter(|_| id.is_scalar()) else {
            return Err(self.err(Some(st), Code::ArgType, "R2 must be a known constant".into()));
        };
        self.want_precise(st, 2);
        let r0 = match u32::try_from(id).ok().and_then(|i| k.btf().type_by_id(i).map(|t| (i, t))) {
            // read-only untrusted memory (`rdonly_untrusted_mem`): loads go through probe
            // instructions, offsets are not tracked (alu.rs)
            _ if id == 0 => Reg { rdonly: true, mem_size: u32::MAX, trust: UNTRUSTED, ..Reg::ptr(RegType::Mem) },
            Some((i, t)) if t.is_composite() => Reg { btf_id: i, trust: UNTRUSTED, ..Reg::ptr(RegType::BtfId) },
            _ => {
                return Err(self.err(
                    Some(st),
                    Code::Kfunc,
                    "kfunc bpf_rdonly_cast type ID argument must be of a struct or void".into(),
                ))
            }
        };
        st.clobber_args();
        *st.reg_mut(0) = r0;
        Ok(Next::Goto(self.pc + 1))
    }
}
