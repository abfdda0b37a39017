//! Kernel functions (kfuncs) as data: each one's flags and the program types that may call it,
//! with the kernel source that registers them. Prototypes (argument and return types) are not
//! here: they come from the kernel's BTF (`--btf`, see [`crate::kernel_btf`]).
//!
//! The flags are the kernel's `KF_*` (include/linux/btf.h); a kfunc set is callable from the
//! program types it was registered for with `register_btf_kfunc_id_set()` (`UNSPEC`: every
//! program type). A kfunc the kernel's BTF has but this table lacks is "unknown to bpflint": its
//! prototype is still checked, its flags are not (a warning, or a rejection with `--strict`).

use bpfobj::uapi::ProgType;

/// `KF_*` flags.
pub mod flags {
    pub const ACQUIRE: u32 = 1 << 0;
    pub const RELEASE: u32 = 1 << 1;
    pub const RET_NULL: u32 = 1 << 2;
    pub const TRUSTED_ARGS: u32 = 1 << 4;
    pub const SLEEPABLE: u32 = 1 << 5;
    pub const DESTRUCTIVE: u32 = 1 << 6;
    pub const RCU: u32 = 1 << 7;
    pub const ITER_NEW: u32 = 1 << 8;
    pub const ITER_NEXT: u32 = 1 << 9;
    pub const ITER_DESTROY: u32 = 1 << 10;
    pub const RCU_PROTECTED: u32 = 1 << 11;
}

use flags::*;

/// A set of kfuncs registered together for some program types.
pub struct KfuncSet {
    pub name: &'static str,
    /// Empty: every program type (registered for `BPF_PROG_TYPE_UNSPEC`).
    pub prog_types: &'static [ProgType],
    pub source: &'static str,
    pub kfuncs: &'static [(&'static str, u32)],
}

pub const SETS: &[KfuncSet] = &[
    KfuncSet {
        name: "generic",
        prog_types: &[
            ProgType::TRACING,
            ProgType::SCHED_CLS,
            ProgType::XDP,
            ProgType::STRUCT_OPS,
            ProgType::SYSCALL,
            ProgType::CGROUP_SKB,
        ],
        source: "kernel/bpf/helpers.c: generic_btf_ids, kfunc_init()",
        kfuncs: &[
            ("crash_kexec", DESTRUCTIVE),
            ("bpf_obj_new_impl", ACQUIRE | RET_NULL),
            ("bpf_percpu_obj_new_impl", ACQUIRE | RET_NULL),
            ("bpf_obj_drop_impl", RELEASE),
            ("bpf_percpu_obj_drop_impl", RELEASE),
            ("bpf_refcount_acquire_impl", ACQUIRE | RET_NULL | RCU),
            ("bpf_list_push_front_impl", 0),
            ("bpf_list_push_back_impl", 0),
            ("bpf_list_pop_front", ACQUIRE | RET_NULL),
            ("bpf_list_pop_back", ACQUIRE | RET_NULL),
            ("bpf_task_acquire", ACQUIRE | RCU | RET_NULL),
            ("bpf_task_release", RELEASE),
            ("bpf_rbtree_remove", ACQUIRE | RET_NULL),
            ("bpf_rbtree_add_impl", 0),
            ("bpf_rbtree_first", RET_NULL),
            ("bpf_cgroup_acquire", ACQUIRE | RCU | RET_NULL),
            ("bpf_cgroup_release", RELEASE),
            ("bpf_cgroup_ancestor", ACQUIRE | RCU | RET_NULL),
            ("bpf_cgroup_from_id", ACQUIRE | RET_NULL),
            ("bpf_task_under_cgroup", RCU),
            ("bpf_task_get_cgroup1", ACQUIRE | RCU | RET_NULL),
            ("bpf_task_from_pid", ACQUIRE | RET_NULL),
            ("bpf_throw", 0),
        ],
    },
    KfuncSet {
        name: "common",
        prog_types: &[],
        source: "kernel/bpf/helpers.c: common_btf_ids, kfunc_init()",
        kfuncs: &[
            ("bpf_cast_to_kern_ctx", 0),
            ("bpf_rdonly_cast", 0),
            ("bpf_rcu_read_lock", 0),
            ("bpf_rcu_read_unlock", 0),
            ("bpf_dynptr_slice", RET_NULL),
            ("bpf_dynptr_slice_rdwr", RET_NULL),
            ("bpf_iter_num_new", ITER_NEW),
            ("bpf_iter_num_next", ITER_NEXT | RET_NULL),
            ("bpf_iter_num_destroy", ITER_DESTROY),
            ("bpf_iter_task_vma_new", ITER_NEW | RCU),
            ("bpf_iter_task_vma_next", ITER_NEXT | RET_NULL),
            ("bpf_iter_task_vma_destroy", ITER_DESTROY),
            ("bpf_iter_css_task_new", ITER_NEW | TRUSTED_ARGS),
            ("bpf_iter_css_task_next", ITER_NEXT | RET_NULL),
            ("bpf_iter_css_task_destroy", ITER_DESTROY),
            ("bpf_iter_css_new", ITER_NEW | TRUSTED_ARGS | RCU_PROTECTED),
            ("bpf_iter_css_next", ITER_NEXT | RET_NULL),
            ("bpf_iter_css_destroy", ITER_DESTROY),
            ("bpf_iter_task_new", ITER_NEW | TRUSTED_ARGS | RCU_PROTECTED),
            ("bpf_iter_task_next", ITER_NEXT | RET_NULL),
            ("bpf_iter_task_destroy", ITER_DESTROY),
            ("bpf_dynptr_adjust", 0),
            ("bpf_dynptr_is_null", 0),
            ("bpf_dynptr_is_rdonly", 0),
            ("bpf_dynptr_size", 0),
            ("bpf_dynptr_clone", 0),
            ("bpf_wq_init", 0),
            ("bpf_wq_set_callback_impl", 0),
            ("bpf_wq_start", 0),
            ("bpf_preempt_disable", 0),
            ("bpf_preempt_enable", 0),
            ("bpf_iter_bits_new", ITER_NEW),
            ("bpf_iter_bits_next", ITER_NEXT | RET_NULL),
            ("bpf_iter_bits_destroy", ITER_DESTROY),
            ("bpf_copy_from_user_str", SLEEPABLE),
            ("bpf_arena_alloc_pages", TRUSTED_ARGS | SLEEPABLE),
            ("bpf_arena_free_pages", TRUSTED_ARGS | SLEEPABLE),
            ("bpf_map_sum_elem_count", TRUSTED_ARGS),
        ],
    },
    KfuncSet {
        name: "cpumask",
        prog_types: &[ProgType::TRACING, ProgType::STRUCT_OPS, ProgType::SYSCALL],
        source: "kernel/bpf/cpumask.c: cpumask_kfunc_btf_ids, cpumask_kfunc_init()",
        kfuncs: &[
            ("bpf_cpumask_create", ACQUIRE | RET_NULL),
            ("bpf_cpumask_release", RELEASE),
            ("bpf_cpumask_acquire", ACQUIRE | TRUSTED_ARGS),
            ("bpf_cpumask_first", RCU),
            ("bpf_cpumask_first_zero", RCU),
            ("bpf_cpumask_first_and", RCU),
            ("bpf_cpumask_set_cpu", RCU),
            ("bpf_cpumask_clear_cpu", RCU),
            ("bpf_cpumask_test_cpu", RCU),
            ("bpf_cpumask_test_and_set_cpu", RCU),
            ("bpf_cpumask_test_and_clear_cpu", RCU),
            ("bpf_cpumask_setall", RCU),
            ("bpf_cpumask_clear", RCU),
            ("bpf_cpumask_and", RCU),
            ("bpf_cpumask_or", RCU),
            ("bpf_cpumask_xor", RCU),
            ("bpf_cpumask_equal", RCU),
            ("bpf_cpumask_intersects", RCU),
            ("bpf_cpumask_subset", RCU),
            ("bpf_cpumask_empty", RCU),
            ("bpf_cpumask_full", RCU),
            ("bpf_cpumask_copy", RCU),
            ("bpf_cpumask_any_distribute", RCU),
            ("bpf_cpumask_any_and_distribute", RCU),
            ("bpf_cpumask_weight", RCU),
        ],
    },
    KfuncSet {
        name: "keys",
        prog_types: &[ProgType::TRACING, ProgType::LSM],
        source: "kernel/trace/bpf_trace.c: key_sig_kfunc_set, bpf_key_sig_kfuncs_init()",
        kfuncs: &[
            ("bpf_lookup_user_key", ACQUIRE | RET_NULL | SLEEPABLE),
            ("bpf_lookup_system_key", ACQUIRE | RET_NULL),
            ("bpf_key_put", RELEASE),
            ("bpf_verify_pkcs7_signature", SLEEPABLE),
        ],
    },
    KfuncSet {
        name: "kprobe_multi",
        prog_types: &[ProgType::KPROBE],
        source: "kernel/trace/bpf_trace.c: kprobe_multi_kfunc_set_ids, bpf_kprobe_multi_kfuncs_init()",
        kfuncs: &[("bpf_session_is_return", 0), ("bpf_session_cookie", 0)],
    },
    KfuncSet {
        name: "skb",
        prog_types: &[
            ProgType::SCHED_CLS,
            ProgType::SCHED_ACT,
            ProgType::SK_SKB,
            ProgType::SOCKET_FILTER,
            ProgType::CGROUP_SKB,
            ProgType::LWT_OUT,
            ProgType::LWT_IN,
            ProgType::LWT_XMIT,
            ProgType::LWT_SEG6LOCAL,
            ProgType::NETFILTER,
            ProgType::TRACING,
        ],
        source: "net/core/filter.c: bpf_kfunc_check_set_skb, bpf_kfunc_init()",
        kfuncs: &[("bpf_dynptr_from_skb", TRUSTED_ARGS)],
    },
    KfuncSet {
        name: "xdp",
        prog_types: &[ProgType::XDP],
        source: "net/core/filter.c: bpf_kfunc_check_set_xdp; net/core/xdp.c: xdp_metadata_kfunc_ids",
        kfuncs: &[
            ("bpf_dynptr_from_xdp", 0),
            ("bpf_xdp_metadata_rx_timestamp", TRUSTED_ARGS),
            ("bpf_xdp_metadata_rx_hash", TRUSTED_ARGS),
            ("bpf_xdp_metadata_rx_vlan_tag", TRUSTED_ARGS),
        ],
    },
    KfuncSet {
        name: "sock_addr",
        prog_types: &[ProgType::CGROUP_SOCK_ADDR],
        source: "net/core/filter.c: bpf_kfunc_check_set_sock_addr",
        kfuncs: &[("bpf_sock_addr_set_sun_path", 0)],
    },
    KfuncSet {
        name: "tcp_reqsk",
        prog_types: &[ProgType::SCHED_CLS],
        source: "net/core/filter.c: bpf_kfunc_check_set_tcp_reqsk",
        kfuncs: &[("bpf_sk_assign_tcp_reqsk", TRUSTED_ARGS)],
    },
    KfuncSet {
        name: "sk_iter",
        prog_types: &[ProgType::TRACING],
        source: "net/core/filter.c: bpf_sk_iter_kfunc_ids",
        kfuncs: &[("bpf_sock_destroy", TRUSTED_ARGS)],
    },
    KfuncSet {
        name: "conntrack",
        prog_types: &[ProgType::XDP, ProgType::SCHED_CLS],
        source: "net/netfilter/nf_conntrack_bpf.c: nf_ct_kfunc_set, register_nf_conntrack_bpf()",
        kfuncs: &[
            ("bpf_xdp_ct_alloc", ACQUIRE | RET_NULL),
            ("bpf_xdp_ct_lookup", ACQUIRE | RET_NULL),
            ("bpf_skb_ct_alloc", ACQUIRE | RET_NULL),
            ("bpf_skb_ct_lookup", ACQUIRE | RET_NULL),
            ("bpf_ct_insert_entry", ACQUIRE | RET_NULL | RELEASE),
            ("bpf_ct_release", RELEASE),
            ("bpf_ct_set_timeout", TRUSTED_ARGS),
            ("bpf_ct_change_timeout", TRUSTED_ARGS),
            ("bpf_ct_set_status", TRUSTED_ARGS),
            ("bpf_ct_change_status", TRUSTED_ARGS),
        ],
    },
    KfuncSet {
        name: "fs",
        prog_types: &[ProgType::LSM],
        source: "fs/bpf_fs_kfuncs.c: bpf_fs_kfunc_set_ids",
        kfuncs: &[
            ("bpf_get_task_exe_file", ACQUIRE | TRUSTED_ARGS | RET_NULL),
            ("bpf_put_file", RELEASE),
            ("bpf_path_d_path", TRUSTED_ARGS),
            ("bpf_get_dentry_xattr", SLEEPABLE | TRUSTED_ARGS),
            ("bpf_get_file_xattr", SLEEPABLE | TRUSTED_ARGS),
        ],
    },
    KfuncSet {
        name: "crypto",
        prog_types: &[ProgType::SCHED_CLS, ProgType::SCHED_ACT, ProgType::XDP, ProgType::SYSCALL],
        source: "kernel/bpf/crypto.c: crypt_kfunc_btf_ids, crypt_init_kfunc_btf_ids",
        kfuncs: &[
            ("bpf_crypto_ctx_create", ACQUIRE | RET_NULL | SLEEPABLE),
            ("bpf_crypto_ctx_release", RELEASE),
            ("bpf_crypto_ctx_acquire", ACQUIRE | RCU | RET_NULL),
            ("bpf_crypto_decrypt", RCU),
            ("bpf_crypto_encrypt", RCU),
        ],
    },
    KfuncSet {
        name: "test_run",
        prog_types: &[ProgType::SCHED_CLS, ProgType::TRACING, ProgType::SYSCALL],
        source: "net/bpf/test_run.c: test_sk_check_kfunc_ids, bpf_prog_test_run_init()",
        kfuncs: &[("bpf_kfunc_call_test_release", RELEASE), ("bpf_kfunc_call_memb_release", RELEASE)],
    },
];

/// A kfunc bpflint knows: its flags and the set (program types) it belongs to.
#[derive(Clone, Copy)]
pub struct Kfunc {
    pub name: &'static str,
    pub flags: u32,
    pub set: &'static KfuncSet,
}

impl Kfunc {
    pub fn has(&self, f: u32) -> bool {
        self.flags & f != 0
    }
    /// Whether a program of type `t` may call it: a set registered for one program type is
    /// registered for that type's hook, which several types share (kernel/bpf/btf.c,
    /// bpf_prog_type_to_kfunc_hook()).
    pub fn allowed_for(&self, t: ProgType) -> bool {
        self.set.prog_types.is_empty() || self.set.prog_types.iter().any(|&r| hook(r).is_some() && hook(r) == hook(t))
    }
    /// A set's filter on the expected attach type (the `btf_kfunc_id_set.filter` callbacks):
    /// socket iterator kfuncs only for iterator programs (net/core/filter.c
    /// tracing_iter_filter()).
    pub fn allowed_attach(&self, attach: bpfobj::uapi::AttachType) -> bool {
        match self.set.name {
            "sk_iter" => attach == bpfobj::uapi::AttachType::TRACE_ITER,
            _ => true,
        }
    }
}

/// Kfuncs only a device-bound program may call (kernel/bpf/offload.c bpf_dev_bound_kfunc_check(),
/// from add_kfunc_call() when the program is loaded): the XDP RX metadata kfuncs.
pub fn needs_dev_bound(name: &str) -> bool {
    name.starts_with("bpf_xdp_metadata_")
}

/// The kfunc hook of a program type (kernel/bpf/btf.c, bpf_prog_type_to_kfunc_hook()).
pub fn hook(t: ProgType) -> Option<&'static str> {
    Some(match t {
        ProgType::XDP => "xdp",
        ProgType::SCHED_CLS => "tc",
        ProgType::STRUCT_OPS => "struct_ops",
        ProgType::TRACING | ProgType::TRACEPOINT | ProgType::PERF_EVENT | ProgType::LSM => "tracing",
        ProgType::SYSCALL => "syscall",
        ProgType::CGROUP_SKB
        | ProgType::CGROUP_SOCK
        | ProgType::CGROUP_DEVICE
        | ProgType::CGROUP_SOCK_ADDR
        | ProgType::CGROUP_SOCKOPT
        | ProgType::CGROUP_SYSCTL => "cgroup",
        ProgType::SCHED_ACT => "sched_act",
        ProgType::SK_SKB => "sk_skb",
        ProgType::SOCKET_FILTER => "socket_filter",
        ProgType::LWT_OUT | ProgType::LWT_IN | ProgType::LWT_XMIT | ProgType::LWT_SEG6LOCAL => "lwt",
        ProgType::NETFILTER => "netfilter",
        ProgType::KPROBE => "kprobe",
        _ => return None,
    })
}

/// The kfunc named `name`, if bpflint knows it.
pub fn find(name: &str) -> Option<Kfunc> {
    SETS.iter()
        .find_map(|s| s.kfuncs.iter().find(|(n, _)| *n == name).map(|&(name, flags)| Kfunc { name, flags, set: s }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_kfuncs_are_for_tracing_not_kprobes() {
        let k = find("bpf_task_acquire").expect("known");
        assert!(k.has(flags::ACQUIRE) && k.has(flags::RET_NULL) && k.has(flags::RCU));
        assert!(k.allowed_for(ProgType::TRACING));
        assert!(!k.allowed_for(ProgType::KPROBE));
        // registered for TRACING, hence for the whole tracing hook
        assert!(k.allowed_for(ProgType::TRACEPOINT) && k.allowed_for(ProgType::LSM));
        assert!(k.allowed_for(ProgType::CGROUP_SOCK_ADDR));
        assert!(find("bpf_iter_num_new").expect("known").allowed_for(ProgType::KPROBE));
        assert!(find("no_such_kfunc").is_none());
    }

    #[test]
    fn every_name_is_listed_once() {
        let mut names: Vec<&str> = SETS.iter().flat_map(|s| s.kfuncs.iter().map(|k| k.0)).collect();
        names.sort();
        let n = names.len();
        names.dedup();
        assert_eq!(n, names.len());
    }
}
