//! Kernel profiles: version-dependent limits and rules, as data.
//!
//! A profile is a kernel version; each rule switch is a feature with the release that brought
//! it ([`FEATURES`]), so a 6.6 kernel gets the rules of 6.6 (not those of the newest or oldest
//! kernel bpflint knows). `--kernel 6.N` picks one; `native` is the running kernel's release.

/// Limits and rule switches of one kernel version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    /// `6.1`, `6.18`.
    pub name: &'static str,
    pub version: (u32, u32),
    /// Processed-instruction budget (`BPF_COMPLEXITY_LIMIT_INSNS`).
    pub complexity_limit: u64,
    /// Pending branch states (`BPF_COMPLEXITY_LIMIT_JMP_SEQ`).
    pub jmp_seq_limit: usize,
    /// Maximum program length (`BPF_MAXINSNS` for privileged loads is 1M).
    pub max_insns: usize,
    pub max_call_frames: usize,
    pub max_stack: i32,
    /// Each frame of a call chain is rounded up to this many bytes when the combined stack is
    /// checked (32 before 6.8; 16 with JIT since).
    pub stack_round: i32,
    /// Frames of 0 bytes count as 1 byte before rounding (before 6.8).
    pub stack_min_one: bool,
    /// ISA v4 instructions (sign extension, sdiv/smod, bswap, gotol, ldsx) accepted.
    pub isa_v4: bool,
    /// `may_goto` accepted.
    pub may_goto: bool,
    /// `bpf_loop` helper present.
    pub bpf_loop: bool,
    /// Static (not global) subprograms may be called while holding a bpf_spin_lock.
    pub lock_static_calls: bool,
    /// A leaked reference at exit is reported as "BPF_EXIT instruction in main prog would lead to
    /// reference leak" (before: "Unreleased reference id=N alloc_insn=M").
    pub resource_leak_msg: bool,
    /// `bpf_tail_call` counts as changing packet data: packet pointers are invalid after it.
    pub tail_call_changes_pkt: bool,
    /// Maximum helper id the kernel knows.
    pub max_helper_id: u32,
    /// Privileged (CAP_PERFMON) loads may read uninitialised stack.
    pub allow_uninit_stack: bool,
    /// `bpf_dynptr_slice_rdwr()` is refused (EPERM) once its arguments check out.
    pub dynptr_slice_rdwr_refused: bool,
    /// `BPF_ST` (store of an immediate) may write the context.
    pub st_ctx: bool,
    /// An array map lookup with a constant in-range key returns a non-NULL value pointer.
    pub array_lookup_nonnull: bool,
    /// Every kfunc's pointer arguments are checked as `KF_TRUSTED_ARGS` ones (no NULL unless
    /// `__nullable`/`__opt`, no untrusted pointers), not only those of kfuncs flagged so.
    pub kfunc_trusted_args_default: bool,
    /// The not-taken side of `if r & K` keeps only the register's known bits, not its bounds.
    pub jset_false_drops_bounds: bool,
    /// `r &= K` / `r |= K` on a sign mask ([-1, 0]) explores r = 0 and r = -1 apart.
    pub fork_sign_mask: bool,
    /// A `bpf_wq` callback is verified as sleepable: only sleepable programs may set one.
    pub wq_callback_sleepable: bool,
    /// bpf_fastcall spill/fill pairs are removed with the stack they use.
    pub fastcall: bool,
    /// Load-acquire and store-release instructions (`BPF_LOAD_ACQ`, `BPF_STORE_REL`).
    pub load_acquire: bool,
    /// Linked scalars keep their link through `-= K`, negative deltas and 32-bit `+=`/`-=` on a
    /// value whose upper half is zero.
    pub linked_delta_sub_alu32: bool,
    /// Untrusted memory (`bpf_rdonly_cast(p, 0)`) is read through probe instructions: its
    /// offsets are not tracked, and a load may see it on one path and a kernel object on another.
    pub untrusted_mem_access: bool,
    /// bpf_get_smp_processor_id() returns a value below `nr_cpu_ids`.
    pub smp_id_range: bool,
}

/// One rule switch and the first release that has it, with the kernel change that brought it.
pub struct Feature {
    pub name: &'static str,
    pub since: (u32, u32),
    pub source: &'static str,
}

/// Every version-dependent rule bpflint models.
pub const FEATURES: &[Feature] = &[
    Feature { name: "bpf_loop", since: (5, 17), source: "kernel/bpf/bpf_iter.c: bpf_loop() helper" },
    Feature {
        name: "isa_v4",
        since: (6, 6),
        source: "kernel/bpf/verifier.c: BPF_MEMSX loads, BPF_MOVSX, sdiv/smod, bswap, gotol (cpu v4)",
    },
    Feature {
        name: "stack_round_16",
        since: (6, 8),
        source: "kernel/bpf/verifier.c: round_up_stack_depth() rounds to 16 with JIT, 0-byte frames stay 0",
    },
    Feature {
        name: "may_goto",
        since: (6, 9),
        source: "kernel/bpf/verifier.c: BPF_JCOND may_goto with its hidden stack counter",
    },
    Feature {
        name: "lock_static_calls",
        since: (6, 9),
        source: "kernel/bpf/verifier.c do_check(): only global subprogs and non-graph kfuncs are refused under bpf_spin_lock",
    },
    Feature {
        name: "tail_call_changes_pkt",
        since: (6, 12),
        source: "net/core/filter.c bpf_helper_changes_pkt_data(): \"tail-called program could call any of the above\" (6.12 stable)",
    },
    Feature {
        name: "dynptr_slice_rdwr_refused",
        since: (6, 18),
        source: "measured on the running Linux 6.18.44: every bpf_dynptr_slice_rdwr() call that passes the argument checks fails with EPERM \"bpf_dynptr_slice_rdwr() is not allowed\" (tests/cli/bpflint-modern/dynptr_slice_rdwr_refused.s)",
    },
    Feature {
        name: "st_ctx",
        since: (6, 3),
        source: "kernel/bpf/verifier.c do_check(): \"BPF_ST stores into R%d %s is not allowed\" removed (ctx writes by BPF_ST_MEM, convert_ctx_accesses())",
    },
    Feature {
        name: "kfunc_trusted_args_default",
        since: (6, 18),
        source: "measured on the running Linux 6.18.44: kfuncs registered without KF_TRUSTED_ARGS in 6.12 (bpf_sock_addr_set_sun_path, net/core/filter.c; bpf_skb_ct_lookup, net/netfilter/nf_conntrack_bpf.c) refuse a NULL argument with \"Possibly NULL pointer passed to trusted arg1\"; a NULL `__opt` buffer is still accepted (tests/cli/bpflint-modern/kfunc-trusted-default*.s)",
    },
    Feature {
        name: "jset_false_drops_bounds",
        since: (6, 18),
        source: "measured on the running Linux 6.18.44: after `if r7 < 52 goto out; if w7 & 0x37 goto t` the fall-through state is `R7=scalar(smin=0,smax=umax=0xffffffc8,var_off=(0x0; 0xffffffc8))` (umin 52 dropped; kernel-diff fa-896e4eaa, tests/cli/bpflint-modern/jset-false-bounds.s)",
    },
    Feature {
        name: "fork_sign_mask",
        since: (6, 18),
        source: "measured on the running Linux 6.18.44: after `w7 s>>= 31` (or `r7 s>>= 63`), `r7 &= 77` gives `R7=77` and `r7 |= 77` gives `R7=0xffffffff` on the path the log follows (the other path has r7 = 0): the kernel forks the sign mask (kernel-diff fa-5000c06f-or, tests/cli/bpflint-modern/alu-sign-mask-fork.s)",
    },
    Feature {
        name: "smp_id_range",
        since: (6, 10),
        source: "kernel/bpf/verifier.c do_refine_retval_range(): BPF_FUNC_get_smp_processor_id is in [0, nr_cpu_ids - 1] (in the 6.12 source, not in 6.1; kernel-diff fa-7a32eeb8 measured it on 6.18)",
    },
    Feature {
        name: "fastcall",
        since: (6, 12),
        source: "kernel/bpf/verifier.c: mark_fastcall_patterns(), remove_fastcall_spills_fills() before check_max_stack_depth()",
    },
    Feature {
        name: "wq_callback_sleepable",
        since: (6, 18),
        source: "measured on the running Linux 6.18.44: bpf_wq_set_callback_impl() in a tc program fails with EPERM \"sleepable callback in a program that is not sleepable\" / \"kfunc bpf_wq_set_callback_impl#N failed callback verification\", in a syscall program it loads (tests/cli/bpflint-modern/wq-callback-*.s)",
    },
    Feature {
        name: "array_lookup_nonnull",
        since: (6, 14),
        source: "kernel/bpf/verifier.c check_helper_call(): can_elide_value_nullness() with get_constant_map_key()",
    },
    Feature {
        name: "load_acquire",
        since: (6, 15),
        source: "kernel/bpf/verifier.c check_atomic(): BPF_LOAD_ACQ / BPF_STORE_REL go to check_atomic_load() / check_atomic_store()",
    },
    Feature {
        name: "linked_delta_sub_alu32",
        since: (6, 18),
        source: "kernel/bpf/verifier.c adjust_reg_min_max_vals(): BPF_ADD or BPF_SUB of a constant, negative deltas, alu32 with BPF_ADD_CONST32, and sync_linked_regs() zero-extending (upstream 7a433e519364, in 7.0; backported to 6.18 stable and measured on the running 6.18.44: tests/cli/bpflint-modern/linked-*.s)",
    },
    Feature {
        name: "untrusted_mem_access",
        since: (6, 16),
        source: "kernel/bpf/verifier.c adjust_ptr_min_max_vals(): PTR_TO_MEM | PTR_UNTRUSTED keeps no offset; save_aux_ptr_type(): allow_trust_mismatch merges PTR_TO_MEM and PTR_TO_BTF_ID (is_ptr_to_mem_or_btf_id())",
    },
    Feature {
        name: "resource_leak_msg",
        since: (6, 14),
        source: "kernel/bpf/verifier.c check_resource_leak(): \"%s would lead to reference leak\"",
    },
];

const fn has(name: &str, v: (u32, u32)) -> bool {
    let mut i = 0;
    while i < FEATURES.len() {
        let f = &FEATURES[i];
        if eq(f.name, name) {
            return v.0 > f.since.0 || (v.0 == f.since.0 && v.1 >= f.since.1);
        }
        i += 1;
    }
    false
}

const fn eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The profile of Linux `6.minor`.
const fn linux6(name: &'static str, minor: u32) -> Profile {
    let v = (6, minor);
    let round16 = has("stack_round_16", v);
    Profile {
        name,
        version: v,
        complexity_limit: 1_000_000,
        jmp_seq_limit: 8192,
        max_insns: 1_000_000,
        max_call_frames: 8,
        max_stack: 512,
        stack_round: if round16 { 16 } else { 32 },
        stack_min_one: !round16,
        isa_v4: has("isa_v4", v),
        may_goto: has("may_goto", v),
        bpf_loop: has("bpf_loop", v),
        lock_static_calls: has("lock_static_calls", v),
        resource_leak_msg: has("resource_leak_msg", v),
        tail_call_changes_pkt: has("tail_call_changes_pkt", v),
        max_helper_id: 211,
        allow_uninit_stack: true,
        dynptr_slice_rdwr_refused: has("dynptr_slice_rdwr_refused", v),
        st_ctx: has("st_ctx", v),
        array_lookup_nonnull: has("array_lookup_nonnull", v),
        kfunc_trusted_args_default: has("kfunc_trusted_args_default", v),
        jset_false_drops_bounds: has("jset_false_drops_bounds", v),
        fork_sign_mask: has("fork_sign_mask", v),
        wq_callback_sleepable: has("wq_callback_sleepable", v),
        fastcall: has("fastcall", v),
        smp_id_range: has("smp_id_range", v),
        untrusted_mem_access: has("untrusted_mem_access", v),
        linked_delta_sub_alu32: has("linked_delta_sub_alu32", v),
        load_acquire: has("load_acquire", v),
    }
}

pub const LINUX_6_1: Profile = linux6("6.1", 1);
pub const LINUX_6_18: Profile = linux6("6.18", 18);

/// Every kernel bpflint has a profile for: 6.1 to 6.18.
pub const PROFILES: &[&Profile] = &[
    &LINUX_6_1,
    &linux6("6.2", 2),
    &linux6("6.3", 3),
    &linux6("6.4", 4),
    &linux6("6.5", 5),
    &linux6("6.6", 6),
    &linux6("6.7", 7),
    &linux6("6.8", 8),
    &linux6("6.9", 9),
    &linux6("6.10", 10),
    &linux6("6.11", 11),
    &linux6("6.12", 12),
    &linux6("6.13", 13),
    &linux6("6.14", 14),
    &linux6("6.15", 15),
    &linux6("6.16", 16),
    &linux6("6.17", 17),
    &LINUX_6_18,
];

impl Profile {
    /// `6.1` ... `6.18`, or `native` (the running kernel, from `uname -r`).
    pub fn by_name(name: &str) -> Option<&'static Profile> {
        if name == "native" {
            return Some(Profile::native());
        }
        PROFILES.iter().copied().find(|p| p.name == name)
    }

    /// The profile of a version: the newest at or below it (6.1 for anything older).
    pub fn for_version(maj: u32, min: u32) -> &'static Profile {
        PROFILES.iter().copied().rfind(|p| p.version <= (maj, min)).unwrap_or(&LINUX_6_1)
    }

    /// The profile of the running kernel.
    pub fn native() -> &'static Profile {
        let rel = crate::kconfig::running_release().unwrap_or_default();
        let mut it = rel.split(|c: char| !c.is_ascii_digit()).filter_map(|s| s.parse::<u32>().ok());
        let (maj, min) = (it.next().unwrap_or(6), it.next().unwrap_or(18));
        Profile::for_version(maj, min)
    }
}

impl Default for &'static Profile {
    fn default() -> Self {
        &LINUX_6_18
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_switch_on_at_their_release() {
        assert!(!Profile::by_name("6.5").unwrap().isa_v4);
        assert!(Profile::by_name("6.6").unwrap().isa_v4);
        assert!(!Profile::by_name("6.8").unwrap().may_goto);
        assert!(Profile::by_name("6.9").unwrap().may_goto);
        assert_eq!(Profile::by_name("6.7").unwrap().stack_round, 32);
        assert_eq!(Profile::by_name("6.8").unwrap().stack_round, 16);
        assert_eq!(Profile::for_version(6, 7).name, "6.7");
        assert_eq!(Profile::for_version(7, 0).name, "6.18");
        assert_eq!(Profile::for_version(5, 15).name, "6.1");
        assert!(FEATURES.iter().all(|f| has(f.name, (6, 18))));
    }
}
