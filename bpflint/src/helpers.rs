//! Helper prototypes as data: one row per helper (id, name, argument kinds, return kind, which
//! program types may call it). Rows are facts of the UAPI (`bpf.h` helper documentation);
//! adding a helper is adding a row.
//!
//! Availability is two-level, as in the kernel (each program type's `get_func_proto`): the
//! row's program-type mask, refined by [`ATTACH_RULES`] where the kernel also looks at the
//! expected attach type or the struct_ops member. Rows and rules changed since 6.1 cite the
//! Linux 6.12 source (file, function or `*_proto`) that states them.

use bpfobj::uapi::{AttachType, ProgType};

/// Kind of one helper argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arg {
    /// No argument here.
    No,
    /// Any initialised value.
    Any,
    /// `CONST_PTR_TO_MAP`.
    MapPtr,
    /// Pointer to `key_size` readable bytes.
    MapKey,
    /// Pointer to `value_size` readable bytes.
    MapValue,
    /// Pointer to `value_size` bytes the helper writes.
    UninitMapValue,
    /// Pointer to memory the helper reads; the size is the next argument.
    Mem,
    /// The context or NULL.
    CtxOrNull,
    /// Like `Mem` but NULL (with size 0) is allowed.
    MemOrNull,
    /// Pointer to memory the helper writes; the size is the next argument.
    UninitMem,
    /// Size of the previous memory argument, must be > 0.
    Size,
    /// Size of the previous memory argument, may be 0.
    SizeOrZero,
    /// Size of the memory to allocate (constant).
    AllocSize,
    Ctx,
    Sock,
    SockCommon,
    /// A socket of any flavour, incl. BTF-typed ones.
    SockAny,
    /// A socket or NULL.
    SockAnyOrNull,
    /// Memory from `bpf_ringbuf_reserve`, released by this call.
    RingbufMem,
    /// A subprogram (callback).
    Func,
    /// Pointer to stack, or NULL.
    StackOrNull,
    SpinLock,
    Timer,
    /// Read-only, NUL-terminated string in a map value.
    ConstStr,
    /// Pointer to 8 bytes the helper writes.
    Long,
    /// Pointer to 4 bytes the helper writes.
    Int,
    /// The context or a socket (sockopt helpers on BTF sockets).
    CtxOrSock,
    /// A `struct bpf_dynptr` on the stack (16 bytes).
    Dynptr,
    /// Any pointer to kernel memory (BTF-typed); checked loosely.
    BtfId,
    /// A per-CPU kernel object (`ARG_PTR_TO_PERCPU_BTF_ID`): a BTF-typed pointer, not NULL,
    /// never program memory such as a map value.
    PercpuBtfId,
    /// A map value pointer or NULL.
    MapValueOrNull,
}

/// What a helper returns in R0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ret {
    Int,
    Void,
    MapValueOrNull,
    MapValue,
    SockOrNull,
    TcpSockOrNull,
    SockCommonOrNull,
    /// Ringbuf record (`PTR_TO_MEM | MEM_ALLOC`, maybe NULL), size from the size argument.
    AllocMemOrNull,
    BtfIdOrNull,
    BtfId,
    /// Per-cpu pointer / memory of BTF type; modelled as a read-only memory or null.
    MemOrBtfIdOrNull,
}

/// One helper's prototype.
#[derive(Clone, Copy, Debug)]
pub struct Helper {
    pub id: u32,
    pub name: &'static str,
    pub ret: Ret,
    pub args: [Arg; 5],
    /// Bit `n` set: programs of type `n` may call it.
    pub progs: u64,
    /// Returns an acquired reference that must be released.
    pub acquire: bool,
    /// Index of the argument whose reference this call releases.
    pub release: Option<u8>,
    pub gpl_only: bool,
    /// Where the kernel states the prototype: file and `bpf_func_proto` (Linux 6.12; several
    /// when program types get different prototypes of one helper).
    pub source: &'static str,
}

const fn bits(list: &[u32]) -> u64 {
    let mut m = 0u64;
    let mut i = 0;
    while i < list.len() {
        m |= 1 << list[i];
        i += 1;
    }
    m
}

/// Every program type (1..=31, plus netfilter 32).
pub const ALL: u64 = ((1u64 << 33) - 1) & !1;
/// Tracing flavours: kprobe, tracepoint, perf_event, raw_tp, raw_tp_w, tracing, lsm, syscall, struct_ops.
pub const TRACE: u64 = bits(&[2, 5, 7, 17, 24, 26, 27, 29, 31]);
/// tc.
pub const TC: u64 = bits(&[3, 4]);
pub const XDP: u64 = bits(&[6]);
pub const LWT: u64 = bits(&[10, 11, 12, 19]);
/// Programs with an `__sk_buff` context.
pub const SKB: u64 = bits(&[1, 3, 4, 8, 10, 11, 12, 14, 19, 22]);
/// Network programs that may emit perf events / use csum helpers.
pub const NET: u64 = SKB | XDP | bits(&[13, 16, 18, 9, 21, 30, 25]);
pub const CGROUP: u64 = bits(&[8, 9, 15, 18, 23, 25, 13]);

use Arg::*;

macro_rules! h {
    ($id:literal, $name:literal, $ret:ident, [$($a:ident),*], $progs:expr; $src:literal) => {
        h!($id, $name, $ret, [$($a),*], $progs, false, None; $src)
    };
    ($id:literal, $name:literal, $ret:ident, [$($a:ident),*], $progs:expr, $acq:expr, $rel:expr; $src:literal) => {
        Helper {
            id: $id,
            name: $name,
            ret: Ret::$ret,
            args: pad([$($a),*]),
            progs: $progs,
            acquire: $acq,
            release: $rel,
            gpl_only: false,
            source: $src,
        }
    };
}

const fn pad<const N: usize>(a: [Arg; N]) -> [Arg; 5] {
    let mut out = [No; 5];
    let mut i = 0;
    while i < N {
        out[i] = a[i];
        i += 1;
    }
    out
}

/// The helper table, by id.
pub const HELPERS: &[Helper] = &[
    h!(1, "bpf_map_lookup_elem", MapValueOrNull, [MapPtr, MapKey], ALL; "kernel/bpf/helpers.c bpf_map_lookup_elem_proto"),
    h!(2, "bpf_map_update_elem", Int, [MapPtr, MapKey, MapValue, Any], ALL; "kernel/bpf/helpers.c bpf_map_update_elem_proto"),
    h!(3, "bpf_map_delete_elem", Int, [MapPtr, MapKey], ALL; "kernel/bpf/helpers.c bpf_map_delete_elem_proto"),
    h!(4, "bpf_probe_read", Int, [UninitMem, SizeOrZero, Any], TRACE; "kernel/trace/bpf_trace.c bpf_probe_read_compat_proto"),
    h!(5, "bpf_ktime_get_ns", Int, [], ALL; "kernel/bpf/helpers.c bpf_ktime_get_ns_proto"),
    h!(6, "bpf_trace_printk", Int, [Mem, Size], ALL; "kernel/trace/bpf_trace.c bpf_trace_printk_proto"),
    h!(7, "bpf_get_prandom_u32", Int, [], ALL; "kernel/bpf/helpers.c bpf_get_prandom_u32_proto"),
    h!(8, "bpf_get_smp_processor_id", Int, [], ALL; "kernel/bpf/helpers.c bpf_get_smp_processor_id_proto, bpf_get_raw_smp_processor_id_proto"),
    h!(9, "bpf_skb_store_bytes", Int, [Ctx, Any, Mem, Size, Any], TC | bits(&[12, 14, 19]); "net/core/filter.c bpf_skb_store_bytes_proto"),
    h!(10, "bpf_l3_csum_replace", Int, [Ctx, Any, Any, Any, Any], TC | bits(&[12, 19]); "net/core/filter.c bpf_l3_csum_replace_proto"),
    h!(11, "bpf_l4_csum_replace", Int, [Ctx, Any, Any, Any, Any], TC | bits(&[12, 19]); "net/core/filter.c bpf_l4_csum_replace_proto"),
    h!(12, "bpf_tail_call", Void, [Ctx, MapPtr, Any], ALL; "kernel/bpf/core.c bpf_tail_call_proto"),
    h!(13, "bpf_clone_redirect", Int, [Ctx, Any, Any], TC | bits(&[12]); "net/core/filter.c bpf_clone_redirect_proto"),
    h!(14, "bpf_get_current_pid_tgid", Int, [], ALL; "kernel/bpf/helpers.c bpf_get_current_pid_tgid_proto"),
    h!(15, "bpf_get_current_uid_gid", Int, [], TRACE | CGROUP; "kernel/bpf/helpers.c bpf_get_current_uid_gid_proto"),
    h!(16, "bpf_get_current_comm", Int, [UninitMem, Size], TRACE | CGROUP; "kernel/bpf/helpers.c bpf_get_current_comm_proto"),
    h!(17, "bpf_get_cgroup_classid", Int, [Ctx], TC | LWT; "net/core/filter.c bpf_get_cgroup_classid_proto, bpf_get_cgroup_classid_curr_proto"),
    h!(18, "bpf_skb_vlan_push", Int, [Ctx, Any, Any], TC; "net/core/filter.c bpf_skb_vlan_push_proto"),
    h!(19, "bpf_skb_vlan_pop", Int, [Ctx], TC; "net/core/filter.c bpf_skb_vlan_pop_proto"),
    h!(20, "bpf_skb_get_tunnel_key", Int, [Ctx, UninitMem, Size, Any], TC | bits(&[12]); "net/core/filter.c bpf_skb_get_tunnel_key_proto"),
    h!(21, "bpf_skb_set_tunnel_key", Int, [Ctx, Mem, Size, Any], TC | bits(&[12]); "net/core/filter.c bpf_skb_set_tunnel_key_proto"),
    h!(22, "bpf_perf_event_read", Int, [MapPtr, Any], TRACE; "kernel/trace/bpf_trace.c bpf_perf_event_read_proto"),
    h!(23, "bpf_redirect", Int, [Any, Any], TC | XDP | bits(&[12]); "net/core/filter.c bpf_redirect_proto, bpf_xdp_redirect_proto"),
    h!(24, "bpf_get_route_realm", Int, [Ctx], TC | LWT; "net/core/filter.c bpf_get_route_realm_proto"),
    h!(25, "bpf_perf_event_output", Int, [Ctx, MapPtr, Any, Mem, SizeOrZero], TRACE | NET | CGROUP | bits(&[23]); "kernel/trace/bpf_trace.c bpf_perf_event_output_proto; kernel/bpf/helpers.c bpf_event_output_data_proto; net/core/filter.c bpf_skb_event_output_proto, bpf_xdp_event_output_proto"),
    h!(26, "bpf_skb_load_bytes", Int, [Ctx, Any, UninitMem, Size], SKB; "net/core/filter.c bpf_skb_load_bytes_proto, bpf_flow_dissector_load_bytes_proto, sk_reuseport_load_bytes_proto"),
    h!(27, "bpf_get_stackid", Int, [Ctx, MapPtr, Any], TRACE; "kernel/bpf/stackmap.c bpf_get_stackid_proto"),
    h!(28, "bpf_csum_diff", Int, [MemOrNull, SizeOrZero, MemOrNull, SizeOrZero, Any], TC | XDP | LWT; "net/core/filter.c bpf_csum_diff_proto"),
    h!(29, "bpf_skb_get_tunnel_opt", Int, [Ctx, UninitMem, Size], TC | bits(&[12]); "net/core/filter.c bpf_skb_get_tunnel_opt_proto"),
    h!(30, "bpf_skb_set_tunnel_opt", Int, [Ctx, Mem, Size], TC | bits(&[12]); "net/core/filter.c bpf_skb_set_tunnel_opt_proto"),
    h!(31, "bpf_skb_change_proto", Int, [Ctx, Any, Any], TC; "net/core/filter.c bpf_skb_change_proto_proto"),
    h!(32, "bpf_skb_change_type", Int, [Ctx, Any], TC; "net/core/filter.c bpf_skb_change_type_proto"),
    h!(33, "bpf_skb_under_cgroup", Int, [Ctx, MapPtr, Any], TC | LWT; "net/core/filter.c bpf_skb_under_cgroup_proto"),
    h!(34, "bpf_get_hash_recalc", Int, [Ctx], TC | LWT; "net/core/filter.c bpf_get_hash_recalc_proto"),
    h!(35, "bpf_get_current_task", Int, [], ALL; "kernel/trace/bpf_trace.c bpf_get_current_task_proto"),
    h!(36, "bpf_probe_write_user", Int, [Any, Mem, Size], TRACE; "kernel/trace/bpf_trace.c bpf_probe_write_user_proto"),
    h!(37, "bpf_current_task_under_cgroup", Int, [MapPtr, Any], TRACE; "kernel/bpf/helpers.c bpf_current_task_under_cgroup_proto"),
    h!(38, "bpf_skb_change_tail", Int, [Ctx, Any, Any], TC | bits(&[14]); "net/core/filter.c bpf_skb_change_tail_proto, sk_skb_change_tail_proto"),
    h!(39, "bpf_skb_pull_data", Int, [Ctx, Any], TC | bits(&[12, 14]); "net/core/filter.c bpf_skb_pull_data_proto, sk_skb_pull_data_proto"),
    h!(40, "bpf_csum_update", Int, [Ctx, Any], TC; "net/core/filter.c bpf_csum_update_proto"),
    h!(41, "bpf_set_hash_invalid", Int, [Ctx], TC; "net/core/filter.c bpf_set_hash_invalid_proto"),
    h!(42, "bpf_get_numa_node_id", Int, [], ALL; "kernel/bpf/helpers.c bpf_get_numa_node_id_proto"),
    h!(43, "bpf_skb_change_head", Int, [Ctx, Any, Any], TC | bits(&[14, 12]); "net/core/filter.c bpf_skb_change_head_proto, sk_skb_change_head_proto"),
    h!(44, "bpf_xdp_adjust_head", Int, [Ctx, Any], XDP; "net/core/filter.c bpf_xdp_adjust_head_proto"),
    h!(45, "bpf_probe_read_str", Int, [UninitMem, SizeOrZero, Any], TRACE; "kernel/trace/bpf_trace.c bpf_probe_read_compat_str_proto"),
    h!(46, "bpf_get_socket_cookie", Int, [CtxOrSock], SKB | bits(&[9, 13, 18, 25, 21, 16]) | TRACE; "net/core/filter.c bpf_get_socket_cookie_proto, bpf_get_socket_cookie_sock_proto, bpf_get_socket_cookie_sock_addr_proto, bpf_get_socket_cookie_sock_ops_proto"),
    h!(47, "bpf_get_socket_uid", Int, [Ctx], SKB; "net/core/filter.c bpf_get_socket_uid_proto"),
    h!(48, "bpf_set_hash", Int, [Ctx, Any], TC; "net/core/filter.c bpf_set_hash_proto"),
    h!(49, "bpf_setsockopt", Int, [CtxOrSock, Any, Any, Mem, Size], bits(&[13, 18, 25, 9]) | bits(&[26, 27, 29]); "net/core/filter.c bpf_sk_setsockopt_proto, bpf_sock_ops_setsockopt_proto"),
    h!(50, "bpf_skb_adjust_room", Int, [Ctx, Any, Any, Any], TC | bits(&[14]); "net/core/filter.c bpf_skb_adjust_room_proto, sk_skb_adjust_room_proto"),
    h!(51, "bpf_redirect_map", Int, [MapPtr, Any, Any], XDP; "net/core/filter.c bpf_xdp_redirect_map_proto"),
    h!(52, "bpf_sk_redirect_map", Int, [Ctx, MapPtr, Any, Any], bits(&[14]); "net/core/sock_map.c bpf_sk_redirect_map_proto"),
    h!(53, "bpf_sock_map_update", Int, [Ctx, MapPtr, MapKey, Any], bits(&[13]); "net/core/sock_map.c bpf_sock_map_update_proto"),
    h!(54, "bpf_xdp_adjust_meta", Int, [Ctx, Any], XDP; "net/core/filter.c bpf_xdp_adjust_meta_proto"),
    h!(55, "bpf_perf_event_read_value", Int, [MapPtr, Any, UninitMem, Size], TRACE; "kernel/trace/bpf_trace.c bpf_perf_event_read_value_proto"),
    h!(56, "bpf_perf_prog_read_value", Int, [Ctx, UninitMem, Size], bits(&[7]); "kernel/trace/bpf_trace.c bpf_perf_prog_read_value_proto"),
    h!(57, "bpf_getsockopt", Int, [CtxOrSock, Any, Any, UninitMem, Size], bits(&[13, 18, 25, 9]) | bits(&[26, 27, 29]); "net/core/filter.c bpf_sk_getsockopt_proto, bpf_sock_ops_getsockopt_proto"),
    h!(58, "bpf_override_return", Int, [Ctx, Any], bits(&[2]); "kernel/trace/bpf_trace.c bpf_override_return_proto"),
    h!(59, "bpf_sock_ops_cb_flags_set", Int, [Ctx, Any], bits(&[13]); "net/core/filter.c bpf_sock_ops_cb_flags_set_proto"),
    h!(60, "bpf_msg_redirect_map", Int, [Ctx, MapPtr, Any, Any], bits(&[16]); "net/core/sock_map.c bpf_msg_redirect_map_proto"),
    h!(61, "bpf_msg_apply_bytes", Int, [Ctx, Any], bits(&[16]); "net/core/filter.c bpf_msg_apply_bytes_proto"),
    h!(62, "bpf_msg_cork_bytes", Int, [Ctx, Any], bits(&[16]); "net/core/filter.c bpf_msg_cork_bytes_proto"),
    h!(63, "bpf_msg_pull_data", Int, [Ctx, Any, Any, Any], bits(&[16]); "net/core/filter.c bpf_msg_pull_data_proto"),
    h!(64, "bpf_bind", Int, [Ctx, Mem, Size], bits(&[18]); "net/core/filter.c bpf_bind_proto"),
    h!(65, "bpf_xdp_adjust_tail", Int, [Ctx, Any], XDP; "net/core/filter.c bpf_xdp_adjust_tail_proto"),
    h!(66, "bpf_skb_get_xfrm_state", Int, [Ctx, Any, UninitMem, Size, Any], TC; "net/core/filter.c bpf_skb_get_xfrm_state_proto"),
    h!(67, "bpf_get_stack", Int, [Ctx, UninitMem, SizeOrZero, Any], TRACE; "kernel/bpf/stackmap.c bpf_get_stack_proto"),
    h!(68, "bpf_skb_load_bytes_relative", Int, [Ctx, Any, UninitMem, Size, Any], SKB; "net/core/filter.c bpf_skb_load_bytes_relative_proto, sk_reuseport_load_bytes_relative_proto"),
    h!(69, "bpf_fib_lookup", Int, [Ctx, Mem, Size, Any], TC | XDP; "net/core/filter.c bpf_skb_fib_lookup_proto, bpf_xdp_fib_lookup_proto"),
    h!(70, "bpf_sock_hash_update", Int, [Ctx, MapPtr, MapKey, Any], bits(&[13]); "net/core/sock_map.c bpf_sock_hash_update_proto"),
    h!(71, "bpf_msg_redirect_hash", Int, [Ctx, MapPtr, MapKey, Any], bits(&[16]); "net/core/sock_map.c bpf_msg_redirect_hash_proto"),
    h!(72, "bpf_sk_redirect_hash", Int, [Ctx, MapPtr, MapKey, Any], bits(&[14]); "net/core/sock_map.c bpf_sk_redirect_hash_proto"),
    h!(73, "bpf_lwt_push_encap", Int, [Ctx, Any, Mem, Size], bits(&[10]); "net/core/filter.c bpf_lwt_in_push_encap_proto, bpf_lwt_xmit_push_encap_proto"),
    h!(74, "bpf_lwt_seg6_store_bytes", Int, [Ctx, Any, Mem, Size], bits(&[19]); "net/core/filter.c bpf_lwt_seg6_store_bytes_proto"),
    h!(75, "bpf_lwt_seg6_adjust_srh", Int, [Ctx, Any, Any], bits(&[19]); "net/core/filter.c bpf_lwt_seg6_adjust_srh_proto"),
    h!(76, "bpf_lwt_seg6_action", Int, [Ctx, Any, Mem, Size], bits(&[19]); "net/core/filter.c bpf_lwt_seg6_action_proto"),
    h!(77, "bpf_rc_repeat", Int, [Ctx], bits(&[20]); "drivers/media/rc/bpf-lirc.c rc_repeat_proto"),
    h!(78, "bpf_rc_keydown", Int, [Ctx, Any, Any, Any], bits(&[20]); "drivers/media/rc/bpf-lirc.c rc_keydown_proto"),
    h!(79, "bpf_skb_cgroup_id", Int, [Ctx], TC | bits(&[8]); "net/core/filter.c bpf_skb_cgroup_id_proto"),
    // kernel/bpf/helpers.c bpf_base_func_proto (6.12): every program type.
    h!(80, "bpf_get_current_cgroup_id", Int, [], ALL; "kernel/bpf/helpers.c bpf_get_current_cgroup_id_proto"),
    h!(81, "bpf_get_local_storage", MapValue, [MapPtr, Any], CGROUP; "kernel/bpf/cgroup.c bpf_get_local_storage_proto"),
    h!(82, "bpf_sk_select_reuseport", Int, [Ctx, MapPtr, MapKey, Any], bits(&[21]); "net/core/filter.c sk_select_reuseport_proto"),
    h!(83, "bpf_skb_ancestor_cgroup_id", Int, [Ctx, Any], TC | bits(&[8]); "net/core/filter.c bpf_skb_ancestor_cgroup_id_proto"),
    h!(84, "bpf_sk_lookup_tcp", SockOrNull, [Ctx, Mem, Size, Any, Any], TC | XDP | bits(&[14, 18, 8]), true, None; "net/core/filter.c bpf_sk_lookup_tcp_proto, bpf_sock_addr_sk_lookup_tcp_proto, bpf_tc_sk_lookup_tcp_proto, bpf_xdp_sk_lookup_tcp_proto"),
    h!(85, "bpf_sk_lookup_udp", SockOrNull, [Ctx, Mem, Size, Any, Any], TC | XDP | bits(&[14, 18, 8]), true, None; "net/core/filter.c bpf_sk_lookup_udp_proto, bpf_sock_addr_sk_lookup_udp_proto, bpf_tc_sk_lookup_udp_proto, bpf_xdp_sk_lookup_udp_proto"),
    h!(86, "bpf_sk_release", Int, [SockAny], TC | XDP | bits(&[14, 18, 8, 13, 30]), false, Some(0); "net/core/filter.c bpf_sk_release_proto"),
    h!(87, "bpf_map_push_elem", Int, [MapPtr, MapValue, Any], ALL; "kernel/bpf/helpers.c bpf_map_push_elem_proto"),
    h!(88, "bpf_map_pop_elem", Int, [MapPtr, UninitMapValue], ALL; "kernel/bpf/helpers.c bpf_map_pop_elem_proto"),
    h!(89, "bpf_map_peek_elem", Int, [MapPtr, UninitMapValue], ALL; "kernel/bpf/helpers.c bpf_map_peek_elem_proto"),
    h!(90, "bpf_msg_push_data", Int, [Ctx, Any, Any, Any], bits(&[16]); "net/core/filter.c bpf_msg_push_data_proto"),
    h!(91, "bpf_msg_pop_data", Int, [Ctx, Any, Any, Any], bits(&[16]); "net/core/filter.c bpf_msg_pop_data_proto"),
    h!(92, "bpf_rc_pointer_rel", Int, [Ctx, Any, Any], bits(&[20]); "drivers/media/rc/bpf-lirc.c rc_pointer_rel_proto"),
    h!(93, "bpf_spin_lock", Void, [SpinLock], NET | CGROUP | bits(&[26, 27, 29, 31]); "kernel/bpf/helpers.c bpf_spin_lock_proto"),
    h!(94, "bpf_spin_unlock", Void, [SpinLock], NET | CGROUP | bits(&[26, 27, 29, 31]); "kernel/bpf/helpers.c bpf_spin_unlock_proto"),
    h!(95, "bpf_sk_fullsock", SockOrNull, [SockCommon], TC | bits(&[8, 13, 25]); "net/core/filter.c bpf_sk_fullsock_proto"),
    h!(96, "bpf_tcp_sock", TcpSockOrNull, [SockCommon], TC | bits(&[8, 13, 25]); "net/core/filter.c bpf_tcp_sock_proto"),
    h!(97, "bpf_skb_ecn_set_ce", Int, [Ctx], TC | bits(&[8]); "net/core/filter.c bpf_skb_ecn_set_ce_proto"),
    h!(98, "bpf_get_listener_sock", SockOrNull, [SockCommon], TC | bits(&[8]); "net/core/filter.c bpf_get_listener_sock_proto"),
    h!(
        99,
        "bpf_skc_lookup_tcp",
        SockCommonOrNull,
        [Ctx, Mem, Size, Any, Any],
        TC | XDP | bits(&[14, 18, 8]),
        true,
        None; "net/core/filter.c bpf_skc_lookup_tcp_proto, bpf_sock_addr_skc_lookup_tcp_proto, bpf_tc_skc_lookup_tcp_proto, bpf_xdp_skc_lookup_tcp_proto"),
    h!(100, "bpf_tcp_check_syncookie", Int, [SockCommon, Mem, Size, Mem, Size], TC | XDP; "net/core/filter.c bpf_tcp_check_syncookie_proto"),
    h!(101, "bpf_sysctl_get_name", Int, [Ctx, UninitMem, Size, Any], bits(&[23]); "kernel/bpf/cgroup.c bpf_sysctl_get_name_proto"),
    h!(102, "bpf_sysctl_get_current_value", Int, [Ctx, UninitMem, Size], bits(&[23]); "kernel/bpf/cgroup.c bpf_sysctl_get_current_value_proto"),
    h!(103, "bpf_sysctl_get_new_value", Int, [Ctx, UninitMem, Size], bits(&[23]); "kernel/bpf/cgroup.c bpf_sysctl_get_new_value_proto"),
    h!(104, "bpf_sysctl_set_new_value", Int, [Ctx, Mem, Size], bits(&[23]); "kernel/bpf/cgroup.c bpf_sysctl_set_new_value_proto"),
    h!(105, "bpf_strtol", Int, [Mem, Size, Any, Long], ALL; "kernel/bpf/helpers.c bpf_strtol_proto"),
    h!(106, "bpf_strtoul", Int, [Mem, Size, Any, Long], ALL; "kernel/bpf/helpers.c bpf_strtoul_proto"),
    h!(
        107,
        "bpf_sk_storage_get",
        MapValueOrNull,
        [MapPtr, SockAny, MapValueOrNull, Any],
        NET | CGROUP | bits(&[26, 27, 29]); "net/core/bpf_sk_storage.c bpf_sk_storage_get_proto, bpf_sk_storage_get_cg_sock_proto, bpf_sk_storage_get_tracing_proto"),
    h!(108, "bpf_sk_storage_delete", Int, [MapPtr, SockAny], NET | CGROUP | bits(&[26, 27, 29]); "net/core/bpf_sk_storage.c bpf_sk_storage_delete_proto, bpf_sk_storage_delete_tracing_proto"),
    h!(109, "bpf_send_signal", Int, [Any], TRACE; "kernel/trace/bpf_trace.c bpf_send_signal_proto"),
    h!(110, "bpf_tcp_gen_syncookie", Int, [SockCommon, Mem, Size, Mem, Size], TC | XDP; "net/core/filter.c bpf_tcp_gen_syncookie_proto"),
    h!(111, "bpf_skb_output", Int, [BtfId, MapPtr, Any, Mem, SizeOrZero], bits(&[26]); "net/core/filter.c bpf_skb_output_proto"),
    h!(112, "bpf_probe_read_user", Int, [UninitMem, SizeOrZero, Any], TRACE; "kernel/trace/bpf_trace.c bpf_probe_read_user_proto"),
    h!(113, "bpf_probe_read_kernel", Int, [UninitMem, SizeOrZero, Any], ALL; "kernel/trace/bpf_trace.c bpf_probe_read_kernel_proto"),
    h!(114, "bpf_probe_read_user_str", Int, [UninitMem, SizeOrZero, Any], TRACE; "kernel/trace/bpf_trace.c bpf_probe_read_user_str_proto"),
    h!(115, "bpf_probe_read_kernel_str", Int, [UninitMem, SizeOrZero, Any], ALL; "kernel/trace/bpf_trace.c bpf_probe_read_kernel_str_proto"),
    h!(116, "bpf_tcp_send_ack", Int, [BtfId, Any], bits(&[27]); "net/ipv4/bpf_tcp_ca.c bpf_tcp_send_ack_proto"),
    h!(117, "bpf_send_signal_thread", Int, [Any], TRACE; "kernel/trace/bpf_trace.c bpf_send_signal_thread_proto"),
    h!(118, "bpf_jiffies64", Int, [], ALL; "kernel/bpf/helpers.c bpf_jiffies64_proto"),
    h!(119, "bpf_read_branch_records", Int, [Ctx, MemOrNull, SizeOrZero, Any], bits(&[7]); "kernel/trace/bpf_trace.c bpf_read_branch_records_proto"),
    // kernel/bpf/helpers.c bpf_base_func_proto (6.12): every program type.
    h!(120, "bpf_get_ns_current_pid_tgid", Int, [Any, Any, UninitMem, Size], ALL; "kernel/bpf/helpers.c bpf_get_ns_current_pid_tgid_proto"),
    h!(121, "bpf_xdp_output", Int, [BtfId, MapPtr, Any, Mem, SizeOrZero], bits(&[26]); "net/core/filter.c bpf_xdp_output_proto"),
    h!(122, "bpf_get_netns_cookie", Int, [CtxOrNull], bits(&[9, 18, 25, 13, 16, 3, 4, 8]); "net/core/filter.c bpf_get_netns_cookie_sk_msg_proto, bpf_get_netns_cookie_sock_proto, bpf_get_netns_cookie_sock_addr_proto, bpf_get_netns_cookie_sock_ops_proto"),
    // kernel/bpf/helpers.c bpf_base_func_proto (6.12): every program type.
    h!(123, "bpf_get_current_ancestor_cgroup_id", Int, [Any], ALL; "kernel/bpf/helpers.c bpf_get_current_ancestor_cgroup_id_proto"),
    h!(124, "bpf_sk_assign", Int, [Ctx, SockAnyOrNull, Any], TC | bits(&[30]); "net/core/filter.c bpf_sk_assign_proto, bpf_sk_lookup_assign_proto"),
    h!(125, "bpf_ktime_get_boot_ns", Int, [], ALL; "kernel/bpf/helpers.c bpf_ktime_get_boot_ns_proto"),
    h!(126, "bpf_seq_printf", Int, [BtfId, Mem, Size, MemOrNull, SizeOrZero], bits(&[26]); "kernel/trace/bpf_trace.c bpf_seq_printf_proto"),
    h!(127, "bpf_seq_write", Int, [BtfId, Mem, SizeOrZero], bits(&[26]); "kernel/trace/bpf_trace.c bpf_seq_write_proto"),
    h!(128, "bpf_sk_cgroup_id", Int, [SockAny], TC | bits(&[8]); "net/core/filter.c bpf_sk_cgroup_id_proto"),
    h!(129, "bpf_sk_ancestor_cgroup_id", Int, [SockAny, Any], TC | bits(&[8]); "net/core/filter.c bpf_sk_ancestor_cgroup_id_proto"),
    h!(130, "bpf_ringbuf_output", Int, [MapPtr, Mem, SizeOrZero, Any], ALL; "kernel/bpf/ringbuf.c bpf_ringbuf_output_proto"),
    h!(131, "bpf_ringbuf_reserve", AllocMemOrNull, [MapPtr, AllocSize, Any], ALL, true, None; "kernel/bpf/ringbuf.c bpf_ringbuf_reserve_proto"),
    h!(132, "bpf_ringbuf_submit", Void, [RingbufMem, Any], ALL, false, Some(0); "kernel/bpf/ringbuf.c bpf_ringbuf_submit_proto"),
    h!(133, "bpf_ringbuf_discard", Void, [RingbufMem, Any], ALL, false, Some(0); "kernel/bpf/ringbuf.c bpf_ringbuf_discard_proto"),
    h!(134, "bpf_ringbuf_query", Int, [MapPtr, Any], ALL; "kernel/bpf/ringbuf.c bpf_ringbuf_query_proto"),
    h!(135, "bpf_csum_level", Int, [Ctx, Any], TC | LWT; "net/core/filter.c bpf_csum_level_proto"),
    h!(136, "bpf_skc_to_tcp6_sock", BtfIdOrNull, [SockAny], ALL; "net/core/filter.c bpf_skc_to_tcp6_sock_proto"),
    h!(137, "bpf_skc_to_tcp_sock", BtfIdOrNull, [SockAny], ALL; "net/core/filter.c bpf_skc_to_tcp_sock_proto"),
    h!(138, "bpf_skc_to_tcp_timewait_sock", BtfIdOrNull, [SockAny], ALL; "net/core/filter.c bpf_skc_to_tcp_timewait_sock_proto"),
    h!(139, "bpf_skc_to_tcp_request_sock", BtfIdOrNull, [SockAny], ALL; "net/core/filter.c bpf_skc_to_tcp_request_sock_proto"),
    h!(140, "bpf_skc_to_udp6_sock", BtfIdOrNull, [SockAny], ALL; "net/core/filter.c bpf_skc_to_udp6_sock_proto"),
    h!(141, "bpf_get_task_stack", Int, [BtfId, UninitMem, SizeOrZero, Any], TRACE; "kernel/bpf/stackmap.c bpf_get_task_stack_proto"),
    h!(142, "bpf_load_hdr_opt", Int, [Ctx, Mem, Size, Any], bits(&[13]); "net/core/filter.c bpf_sock_ops_load_hdr_opt_proto"),
    h!(143, "bpf_store_hdr_opt", Int, [Ctx, Mem, Size, Any], bits(&[13]); "net/core/filter.c bpf_sock_ops_store_hdr_opt_proto"),
    h!(144, "bpf_reserve_hdr_opt", Int, [Ctx, Any, Any], bits(&[13]); "net/core/filter.c bpf_sock_ops_reserve_hdr_opt_proto"),
    h!(145, "bpf_inode_storage_get", MapValueOrNull, [MapPtr, BtfId, MapValueOrNull, Any], bits(&[29]); "kernel/bpf/bpf_inode_storage.c bpf_inode_storage_get_proto"),
    h!(146, "bpf_inode_storage_delete", Int, [MapPtr, BtfId], bits(&[29]); "kernel/bpf/bpf_inode_storage.c bpf_inode_storage_delete_proto"),
    h!(147, "bpf_d_path", Int, [BtfId, UninitMem, Size], bits(&[26, 29]); "kernel/trace/bpf_trace.c bpf_d_path_proto"),
    h!(148, "bpf_copy_from_user", Int, [UninitMem, SizeOrZero, Any], TRACE; "kernel/bpf/helpers.c bpf_copy_from_user_proto"),
    h!(149, "bpf_snprintf_btf", Int, [UninitMem, Size, Mem, Size, Any], TRACE; "kernel/trace/bpf_trace.c bpf_snprintf_btf_proto"),
    h!(150, "bpf_seq_printf_btf", Int, [BtfId, Mem, Size, Any], bits(&[26]); "kernel/trace/bpf_trace.c bpf_seq_printf_btf_proto"),
    h!(151, "bpf_skb_cgroup_classid", Int, [Ctx], TC; "net/core/filter.c bpf_skb_cgroup_classid_proto"),
    h!(152, "bpf_redirect_neigh", Int, [Any, MemOrNull, SizeOrZero, Any], TC; "net/core/filter.c bpf_redirect_neigh_proto"),
    h!(153, "bpf_per_cpu_ptr", MemOrBtfIdOrNull, [PercpuBtfId, Any], ALL; "kernel/bpf/helpers.c bpf_per_cpu_ptr_proto"),
    h!(154, "bpf_this_cpu_ptr", MemOrBtfIdOrNull, [PercpuBtfId], ALL; "kernel/bpf/helpers.c bpf_this_cpu_ptr_proto"),
    h!(155, "bpf_redirect_peer", Int, [Any, Any], TC; "net/core/filter.c bpf_redirect_peer_proto"),
    h!(156, "bpf_task_storage_get", MapValueOrNull, [MapPtr, BtfId, MapValueOrNull, Any], TRACE; "kernel/bpf/bpf_task_storage.c bpf_task_storage_get_proto, bpf_task_storage_get_recur_proto"),
    h!(157, "bpf_task_storage_delete", Int, [MapPtr, BtfId], TRACE; "kernel/bpf/bpf_task_storage.c bpf_task_storage_delete_proto, bpf_task_storage_delete_recur_proto"),
    h!(158, "bpf_get_current_task_btf", BtfId, [], ALL; "kernel/trace/bpf_trace.c bpf_get_current_task_btf_proto"),
    h!(159, "bpf_bprm_opts_set", Int, [BtfId, Any], bits(&[29]); "kernel/bpf/bpf_lsm.c bpf_bprm_opts_set_proto"),
    h!(160, "bpf_ktime_get_coarse_ns", Int, [], ALL & !TRACE | bits(&[26, 29, 27, 31]); "kernel/bpf/helpers.c bpf_ktime_get_coarse_ns_proto"),
    h!(161, "bpf_ima_inode_hash", Int, [BtfId, UninitMem, Size], bits(&[29]); "kernel/bpf/bpf_lsm.c bpf_ima_inode_hash_proto"),
    h!(162, "bpf_sock_from_file", BtfIdOrNull, [BtfId], TRACE; "net/core/filter.c bpf_sock_from_file_proto"),
    h!(163, "bpf_check_mtu", Int, [Ctx, Any, Int, Any, Any], TC | XDP; "net/core/filter.c bpf_skb_check_mtu_proto, bpf_xdp_check_mtu_proto"),
    h!(164, "bpf_for_each_map_elem", Int, [MapPtr, Func, StackOrNull, Any], ALL; "kernel/bpf/bpf_iter.c bpf_for_each_map_elem_proto"),
    h!(165, "bpf_snprintf", Int, [MemOrNull, SizeOrZero, ConstStr, MemOrNull, SizeOrZero], ALL; "kernel/bpf/helpers.c bpf_snprintf_proto"),
    h!(166, "bpf_sys_bpf", Int, [Any, Mem, Size], bits(&[31]); "kernel/bpf/syscall.c bpf_sys_bpf_proto"),
    h!(167, "bpf_btf_find_by_name_kind", Int, [Mem, Size, Any, Any], bits(&[31]); "kernel/bpf/btf.c bpf_btf_find_by_name_kind_proto"),
    h!(168, "bpf_sys_close", Int, [Any], bits(&[31]); "kernel/bpf/syscall.c bpf_sys_close_proto"),
    h!(169, "bpf_timer_init", Int, [Timer, MapPtr, Any], NET | CGROUP | bits(&[26, 27, 29, 31]); "kernel/bpf/helpers.c bpf_timer_init_proto"),
    h!(170, "bpf_timer_set_callback", Int, [Timer, Func], NET | CGROUP | bits(&[26, 27, 29, 31]); "kernel/bpf/helpers.c bpf_timer_set_callback_proto"),
    h!(171, "bpf_timer_start", Int, [Timer, Any, Any], NET | CGROUP | bits(&[26, 27, 29, 31]); "kernel/bpf/helpers.c bpf_timer_start_proto"),
    h!(172, "bpf_timer_cancel", Int, [Timer], NET | CGROUP | bits(&[26, 27, 29, 31]); "kernel/bpf/helpers.c bpf_timer_cancel_proto"),
    h!(173, "bpf_get_func_ip", Int, [Ctx], TRACE; "kernel/trace/bpf_trace.c bpf_get_func_ip_proto_tracing, bpf_get_func_ip_proto_kprobe"),
    h!(174, "bpf_get_attach_cookie", Int, [Ctx], TRACE | CGROUP; "kernel/bpf/bpf_lsm.c bpf_get_attach_cookie_proto"),
    h!(175, "bpf_task_pt_regs", BtfId, [BtfId], TRACE; "kernel/trace/bpf_trace.c bpf_task_pt_regs_proto"),
    h!(176, "bpf_get_branch_snapshot", Int, [UninitMem, SizeOrZero, Any], TRACE; "kernel/trace/bpf_trace.c bpf_get_branch_snapshot_proto"),
    h!(177, "bpf_trace_vprintk", Int, [Mem, Size, MemOrNull, SizeOrZero], ALL; "kernel/trace/bpf_trace.c bpf_trace_vprintk_proto"),
    h!(178, "bpf_skc_to_unix_sock", BtfIdOrNull, [SockAny], ALL; "net/core/filter.c bpf_skc_to_unix_sock_proto"),
    h!(179, "bpf_kallsyms_lookup_name", Int, [Mem, Size, Any, Long], bits(&[31]); "kernel/bpf/syscall.c bpf_kallsyms_lookup_name_proto"),
    h!(180, "bpf_find_vma", Int, [BtfId, Any, Func, StackOrNull, Any], TRACE; "kernel/bpf/task_iter.c bpf_find_vma_proto"),
    h!(181, "bpf_loop", Int, [Any, Func, StackOrNull, Any], ALL; "kernel/bpf/bpf_iter.c bpf_loop_proto"),
    h!(182, "bpf_strncmp", Int, [Mem, Size, ConstStr], ALL; "kernel/bpf/helpers.c bpf_strncmp_proto"),
    h!(183, "bpf_get_func_arg", Int, [Ctx, Any, Long], bits(&[26]); "kernel/trace/bpf_trace.c bpf_get_func_arg_proto"),
    h!(184, "bpf_get_func_ret", Int, [Ctx, Long], bits(&[26]); "kernel/trace/bpf_trace.c bpf_get_func_ret_proto"),
    h!(185, "bpf_get_func_arg_cnt", Int, [Ctx], bits(&[26]); "kernel/trace/bpf_trace.c bpf_get_func_arg_cnt_proto"),
    // kernel/bpf/cgroup.c bpf_get_retval_proto; by attach type: ATTACH_RULES.
    h!(186, "bpf_get_retval", Int, [], CGROUP | bits(&[29]); "kernel/bpf/cgroup.c bpf_get_retval_proto"),
    // kernel/bpf/cgroup.c bpf_set_retval_proto; by attach type: ATTACH_RULES.
    h!(187, "bpf_set_retval", Int, [Any], CGROUP | bits(&[29]); "kernel/bpf/cgroup.c bpf_set_retval_proto"),
    h!(188, "bpf_xdp_get_buff_len", Int, [Ctx], XDP; "net/core/filter.c bpf_xdp_get_buff_len_proto, bpf_xdp_get_buff_len_trace_proto"),
    h!(189, "bpf_xdp_load_bytes", Int, [Ctx, Any, UninitMem, Size], XDP; "net/core/filter.c bpf_xdp_load_bytes_proto"),
    h!(190, "bpf_xdp_store_bytes", Int, [Ctx, Any, Mem, Size], XDP; "net/core/filter.c bpf_xdp_store_bytes_proto"),
    h!(191, "bpf_copy_from_user_task", Int, [UninitMem, SizeOrZero, Any, BtfId, Any], TRACE; "kernel/bpf/helpers.c bpf_copy_from_user_task_proto"),
    h!(192, "bpf_skb_set_tstamp", Int, [Ctx, Any, Any], TC; "net/core/filter.c bpf_skb_set_tstamp_proto"),
    h!(193, "bpf_ima_file_hash", Int, [BtfId, UninitMem, Size], bits(&[29]); "kernel/bpf/bpf_lsm.c bpf_ima_file_hash_proto"),
    h!(194, "bpf_kptr_xchg", BtfIdOrNull, [Any, Any], ALL; "kernel/bpf/helpers.c bpf_kptr_xchg_proto"),
    h!(195, "bpf_map_lookup_percpu_elem", MapValueOrNull, [MapPtr, MapKey, Any], ALL; "kernel/bpf/helpers.c bpf_map_lookup_percpu_elem_proto"),
    h!(196, "bpf_skc_to_mptcp_sock", BtfIdOrNull, [SockAny], ALL; "net/core/filter.c bpf_skc_to_mptcp_sock_proto"),
    h!(197, "bpf_dynptr_from_mem", Int, [Mem, Size, Any, Dynptr], ALL; "kernel/bpf/helpers.c bpf_dynptr_from_mem_proto"),
    h!(198, "bpf_ringbuf_reserve_dynptr", Int, [MapPtr, Any, Any, Dynptr], ALL; "kernel/bpf/ringbuf.c bpf_ringbuf_reserve_dynptr_proto"),
    h!(199, "bpf_ringbuf_submit_dynptr", Void, [Dynptr, Any], ALL; "kernel/bpf/ringbuf.c bpf_ringbuf_submit_dynptr_proto"),
    h!(200, "bpf_ringbuf_discard_dynptr", Void, [Dynptr, Any], ALL; "kernel/bpf/ringbuf.c bpf_ringbuf_discard_dynptr_proto"),
    h!(201, "bpf_dynptr_read", Int, [UninitMem, SizeOrZero, Dynptr, Any, Any], ALL; "kernel/bpf/helpers.c bpf_dynptr_read_proto"),
    h!(202, "bpf_dynptr_write", Int, [Dynptr, Any, Mem, SizeOrZero, Any], ALL; "kernel/bpf/helpers.c bpf_dynptr_write_proto"),
    h!(203, "bpf_dynptr_data", MemOrBtfIdOrNull, [Dynptr, Any, Any], ALL; "kernel/bpf/helpers.c bpf_dynptr_data_proto"),
    h!(204, "bpf_tcp_raw_gen_syncookie_ipv4", Int, [Mem, Mem, Size], TC | XDP; "net/core/filter.c bpf_tcp_raw_gen_syncookie_ipv4_proto"),
    h!(205, "bpf_tcp_raw_gen_syncookie_ipv6", Int, [Mem, Mem, Size], TC | XDP; "net/core/filter.c bpf_tcp_raw_gen_syncookie_ipv6_proto"),
    h!(206, "bpf_tcp_raw_check_syncookie_ipv4", Int, [Mem, Mem], TC | XDP; "net/core/filter.c bpf_tcp_raw_check_syncookie_ipv4_proto"),
    h!(207, "bpf_tcp_raw_check_syncookie_ipv6", Int, [Mem, Mem], TC | XDP; "net/core/filter.c bpf_tcp_raw_check_syncookie_ipv6_proto"),
    h!(208, "bpf_ktime_get_tai_ns", Int, [], ALL; "kernel/bpf/helpers.c bpf_ktime_get_tai_ns_proto"),
    // kernel/bpf/ringbuf.c bpf_user_ringbuf_drain_proto; helpers.c bpf_base_func_proto.
    h!(209, "bpf_user_ringbuf_drain", Int, [MapPtr, Func, StackOrNull, Any], ALL; "kernel/bpf/ringbuf.c bpf_user_ringbuf_drain_proto"),
    // kernel/bpf/bpf_cgrp_storage.c bpf_cgrp_storage_get_proto; helpers.c bpf_base_func_proto.
    h!(210, "bpf_cgrp_storage_get", MapValueOrNull, [MapPtr, BtfId, MapValueOrNull, Any], ALL; "kernel/bpf/bpf_cgrp_storage.c bpf_cgrp_storage_get_proto"),
    // kernel/bpf/bpf_cgrp_storage.c bpf_cgrp_storage_delete_proto; helpers.c bpf_base_func_proto.
    h!(211, "bpf_cgrp_storage_delete", Int, [MapPtr, BtfId], ALL; "kernel/bpf/bpf_cgrp_storage.c bpf_cgrp_storage_delete_proto"),
];

/// The row for helper `id`.
pub fn by_id(id: u32) -> Option<&'static Helper> {
    HELPERS.iter().find(|h| h.id == id)
}

/// Where a program is attached, as far as helper availability depends on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attach<'a> {
    pub prog_type: ProgType,
    /// The expected attach type (0 when the loader passes none).
    pub attach_type: AttachType,
    /// For a struct_ops program: the struct and member it implements
    /// (`("tcp_congestion_ops", "release")`), when known.
    pub struct_ops: Option<(&'a str, &'a str)>,
}

/// A refinement of the program-type masks: for `helpers` called from a program `at`,
/// `verdict(at)` is `Some(available)` where the kernel decides by more than the program type,
/// `None` where the mask stands.
pub struct AttachRule {
    pub helpers: &'static [u32],
    pub verdict: fn(&Attach<'_>) -> Option<bool>,
    /// The kernel source (Linux 6.12) stating the rule.
    pub source: &'static str,
}

const CGROUP_TYPES: &[ProgType] = &[
    ProgType::CGROUP_SKB,
    ProgType::CGROUP_SOCK,
    ProgType::SOCK_OPS,
    ProgType::CGROUP_SOCK_ADDR,
    ProgType::CGROUP_SYSCTL,
    ProgType::CGROUP_SOCKOPT,
    ProgType::CGROUP_DEVICE,
];

/// Attach types without a syscall return value to read or set (the hook's result is not an
/// errno the program could change).
const NO_RETVAL: &[AttachType] = &[
    AttachType::CGROUP_INET_INGRESS,
    AttachType::CGROUP_INET_EGRESS,
    AttachType::CGROUP_SOCK_OPS,
    AttachType::CGROUP_UDP4_RECVMSG,
    AttachType::CGROUP_UDP6_RECVMSG,
    AttachType::CGROUP_UNIX_RECVMSG,
    AttachType::CGROUP_INET4_GETPEERNAME,
    AttachType::CGROUP_INET6_GETPEERNAME,
    AttachType::CGROUP_UNIX_GETPEERNAME,
    AttachType::CGROUP_INET4_GETSOCKNAME,
    AttachType::CGROUP_INET6_GETSOCKNAME,
    AttachType::CGROUP_UNIX_GETSOCKNAME,
];

/// sock_addr attach types whose programs may call bpf_setsockopt / bpf_getsockopt.
const SOCK_ADDR_SOCKOPT: &[AttachType] = &[
    AttachType::CGROUP_INET4_BIND,
    AttachType::CGROUP_INET6_BIND,
    AttachType::CGROUP_INET4_CONNECT,
    AttachType::CGROUP_INET6_CONNECT,
    AttachType::CGROUP_UNIX_CONNECT,
    AttachType::CGROUP_UDP4_RECVMSG,
    AttachType::CGROUP_UDP6_RECVMSG,
    AttachType::CGROUP_UNIX_RECVMSG,
    AttachType::CGROUP_UDP4_SENDMSG,
    AttachType::CGROUP_UDP6_SENDMSG,
    AttachType::CGROUP_UNIX_SENDMSG,
    AttachType::CGROUP_INET4_GETPEERNAME,
    AttachType::CGROUP_INET6_GETPEERNAME,
    AttachType::CGROUP_INET4_GETSOCKNAME,
    AttachType::CGROUP_INET6_GETSOCKNAME,
];

/// The attach-type dependent availability rules, in kernel terms.
pub const ATTACH_RULES: &[AttachRule] = &[
    AttachRule {
        helpers: &[186, 187],
        verdict: |at| {
            if CGROUP_TYPES.contains(&at.prog_type) {
                Some(!NO_RETVAL.contains(&at.attach_type))
            } else if at.prog_type == ProgType::LSM {
                Some(at.attach_type == AttachType::LSM_CGROUP)
            } else {
                None
            }
        },
        source: "kernel/bpf/cgroup.c cgroup_common_func_proto (get_retval/set_retval by expected attach type); \
                 kernel/bpf/bpf_lsm.c bpf_lsm_func_proto (only BPF_LSM_CGROUP)",
    },
    AttachRule {
        helpers: &[49, 57],
        verdict: |at| match at.prog_type {
            ProgType::STRUCT_OPS => Some(at.struct_ops != Some(("tcp_congestion_ops", "release"))),
            ProgType::CGROUP_SOCKOPT => Some(at.attach_type == AttachType::CGROUP_SETSOCKOPT),
            ProgType::CGROUP_SOCK_ADDR => Some(SOCK_ADDR_SOCKOPT.contains(&at.attach_type)),
            ProgType::LSM => Some(at.attach_type == AttachType::LSM_CGROUP),
            _ => None,
        },
        source: "net/ipv4/bpf_tcp_ca.c bpf_tcp_ca_get_func_proto (not from tcp_congestion_ops.release); \
                 kernel/bpf/cgroup.c cg_sockopt_func_proto (BPF_CGROUP_SETSOCKOPT only); \
                 net/core/filter.c sock_addr_func_proto (by attach type); \
                 kernel/bpf/bpf_lsm.c bpf_lsm_func_proto (BPF_LSM_CGROUP only)",
    },
    AttachRule {
        helpers: &[64],
        verdict: |at| {
            (at.prog_type == ProgType::CGROUP_SOCK_ADDR).then_some(matches!(
                at.attach_type,
                AttachType::CGROUP_INET4_CONNECT | AttachType::CGROUP_INET6_CONNECT
            ))
        },
        source: "net/core/filter.c sock_addr_func_proto (bpf_bind from connect4/connect6 only)",
    },
];

impl Helper {
    /// Whether a program of `prog_type` with expected attach type `attach_type` may call this
    /// helper (struct_ops member unknown).
    pub fn allowed_for(&self, prog_type: ProgType, attach_type: AttachType) -> bool {
        self.available(&Attach { prog_type, attach_type, struct_ops: None })
    }

    /// Whether a program attached as `at` may call this helper.
    pub fn available(&self, at: &Attach<'_>) -> bool {
        self.attach_rule(at).unwrap_or_else(|| at.prog_type.0 < 64 && self.progs & (1 << at.prog_type.0) != 0)
    }

    /// The verdict of an attach-type rule naming this helper, if one applies to `at`.
    fn attach_rule(&self, at: &Attach<'_>) -> Option<bool> {
        ATTACH_RULES.iter().filter(|r| r.helpers.contains(&self.id)).find_map(|r| (r.verdict)(at))
    }

    /// [`Helper::available`] on a kernel of `profile`: from 6.18 on, the program types the
    /// running 6.18 kernel was asked about take their helper list from that measurement
    /// (crate::helpers_measured: many tracing helpers moved into bpf_base_func_proto, socket
    /// casts left kprobe programs), attach-type rules still applying first.
    pub fn available_on(&self, at: &Attach<'_>, profile: &crate::Profile) -> bool {
        if profile.version >= (6, 18) {
            if let Some(v) = self.attach_rule(at) {
                return v;
            }
            let measured = crate::helpers_measured::AVAILABLE.iter().find(|(t, _, _)| *t == at.prog_type.0);
            if let Some((_, _, ids)) = measured {
                // a helper that may sleep was measured from a non-sleepable program, and one a
                // kernel build can leave out (CONFIG_RULES) may be missing from this kernel
                // only: their availability by program type stays the table's
                let unmeasurable = self.might_sleep() || CONFIG_RULES.iter().any(|r| r.helpers.contains(&self.id));
                return ids.contains(&self.id) || (unmeasurable && self.available(at));
            }
        }
        self.available(at)
    }

    /// Only sleepable programs may call it (measured: "helper call might sleep in a
    /// non-sleepable prog").
    pub fn might_sleep(&self) -> bool {
        crate::helpers_measured::MIGHT_SLEEP.contains(&self.id)
    }
    /// Only GPL-compatible programs may call it (the proto's `gpl_only`): measured on the
    /// running kernel (`helpers_measured::GPL_ONLY`), plus the helpers of program types the
    /// probe cannot load here (iterators' bpf_seq_*: kernel/trace/bpf_trace.c; lirc's bpf_rc_*:
    /// drivers/media/rc/bpf-lirc.c; bpf_override_return and bpf_probe_write_user, which this
    /// kernel's configuration leaves out).
    pub fn gpl_only(&self) -> bool {
        const UNMEASURED: &[u32] = &[36, 58, 77, 78, 92, 126, 127, 150];
        crate::helpers_measured::GPL_ONLY.contains(&self.id) || UNMEASURED.contains(&self.id)
    }
    pub fn nargs(&self) -> usize {
        self.args.iter().take_while(|a| **a != Arg::No).count()
    }
}

/// Helpers a kernel offers only when it is built with an option, or not locked down
/// (lockdown forced at build time): a helper id, whether the configuration has it, and the
/// kernel source of the rule.
pub struct ConfigRule {
    pub helpers: &'static [u32],
    pub built: fn(&crate::kconfig::Kconfig) -> bool,
    pub source: &'static str,
}

pub const CONFIG_RULES: &[ConfigRule] = &[
    ConfigRule {
        helpers: &[58], // bpf_override_return
        built: |k| k.values.contains_key("CONFIG_BPF_KPROBE_OVERRIDE"),
        source: "kernel/trace/bpf_trace.c kprobe_prog_func_proto(): #ifdef CONFIG_BPF_KPROBE_OVERRIDE",
    },
    ConfigRule {
        helpers: &[36], // bpf_probe_write_user
        built: |k| {
            !k.values.contains_key("CONFIG_LOCK_DOWN_KERNEL_FORCE_INTEGRITY")
                && !k.values.contains_key("CONFIG_LOCK_DOWN_KERNEL_FORCE_CONFIDENTIALITY")
        },
        source: "kernel/trace/bpf_trace.c bpf_tracing_func_proto(): security_locked_down(LOCKDOWN_BPF_WRITE_USER)",
    },
    ConfigRule {
        helpers: &[74, 75, 76], // bpf_lwt_seg6_{store_bytes,adjust_srh,action}
        built: |k| k.values.contains_key("CONFIG_IPV6_SEG6_BPF"),
        source: "net/core/filter.c lwt_seg6local_func_proto(): #if IS_ENABLED(CONFIG_IPV6_SEG6_BPF)",
    },
];

/// Whether a kernel built with `k` offers helper `id` at all (`None`: unknown configuration).
pub fn built_in(id: u32, k: Option<&crate::kconfig::Kconfig>) -> bool {
    let Some(k) = k else { return true };
    CONFIG_RULES.iter().filter(|r| r.helpers.contains(&id)).all(|r| (r.built)(k))
}

/// The kernel struct a helper's `ARG_PTR_TO_BTF_ID` argument must point to (the proto's
/// `argN_btf_id`), and whether NULL is allowed there (`ARG_PTR_TO_BTF_ID_OR_NULL`).
/// Sources: kernel/trace/bpf_trace.c (seq_file, bpf_d_path, bpf_task_pt_regs),
/// kernel/bpf/stackmap.c, kernel/bpf/bpf_{task,inode,cgrp}_storage.c, kernel/bpf/task_iter.c
/// (bpf_find_vma), kernel/bpf/bpf_lsm.c, net/core/filter.c (bpf_skb_output, bpf_xdp_output,
/// bpf_sock_from_file).
pub fn btf_arg_struct(id: u32) -> Option<(&'static str, bool)> {
    Some(match id {
        126 | 127 | 150 => ("seq_file", false),
        111 => ("sk_buff", false),
        121 => ("xdp_buff", false),
        141 | 175 | 180 => ("task_struct", false),
        156 | 157 => ("task_struct", true),
        145 | 146 => ("inode", true),
        147 => ("path", false),
        159 => ("linux_binprm", false),
        161 => ("inode", false),
        162 | 193 => ("file", false),
        210 | 211 => ("cgroup", true),
        _ => return None,
    })
}

/// The kernel struct a helper's `RET_PTR_TO_BTF_ID*` result points to (the proto's
/// `ret_btf_id`: net/core/filter.c for the socket casts and bpf_sock_from_file,
/// kernel/trace/bpf_trace.c for bpf_get_current_task_btf and bpf_task_pt_regs).
pub fn ret_btf_struct(id: u32) -> Option<&'static str> {
    Some(match id {
        136 => "tcp6_sock",
        137 => "tcp_sock",
        138 => "tcp_timewait_sock",
        139 => "tcp_request_sock",
        140 => "udp6_sock",
        158 => "task_struct",
        162 => "socket",
        175 => "pt_regs",
        178 => "unix_sock",
        196 => "mptcp_sock",
        _ => return None,
    })
}

/// Map types a helper needs (`None`: any map type not otherwise restricted).
pub fn map_types_for(id: u32) -> Option<&'static [u32]> {
    Some(match id {
        12 => &[3],                     // tail_call: prog_array
        22 | 55 | 25 => &[4],           // perf_event_read(_value) / output: perf_event_array
        27 => &[7],                     // get_stackid: stack_trace
        33 | 37 => &[8],                // cgroup_array
        51 => &[14, 25, 16, 17],        // redirect_map: devmap(_hash), cpumap, xskmap
        52 | 60 | 53 => &[15],          // sockmap
        70..=72 => &[18],               // sockhash
        81 => &[19, 21],                // cgroup storage
        82 => &[20, 15, 18],            // reuseport array / sockmap / sockhash
        87..=89 => &[22, 23, 30],       // queue / stack / bloom
        107 | 108 => &[24],             // sk_storage
        130 | 131 | 134 | 198 => &[27], // ringbuf
        145 | 146 => &[28],
        156 | 157 => &[29],
        209 => &[31],
        210 | 211 => &[32],
        195 => &[5, 6, 10],
        _ => return None,
    })
}

/// Helpers a map type may be passed to, when the map type is restricted (`None`: the generic
/// map helpers plus whatever `map_types_for` allows).
pub fn funcs_for_map(map_type: u32) -> Option<&'static [u32]> {
    Some(match map_type {
        3 => &[12],                       // prog_array
        4 => &[22, 25, 55, 111, 121],     // perf_event_array
        27 => &[130, 131, 134, 198],      // ringbuf
        31 => &[209],                     // user ringbuf
        7 => &[27],                       // stack_trace
        8 => &[33, 37],                   // cgroup_array
        19 | 21 => &[81],                 // cgroup storage
        14 | 25 => &[51, 1],              // devmap
        16 => &[51],                      // cpumap
        17 => &[51, 1],                   // xskmap
        15 => &[52, 60, 53, 82, 1, 3, 2], // sockmap
        18 => &[70, 71, 72, 82, 1, 3, 2], // sockhash
        20 => &[82],                      // reuseport sockarray
        22 | 23 => &[87, 88, 89],         // queue/stack
        30 => &[87, 89],                  // bloom filter
        24 => &[107, 108],                // sk_storage
        28 => &[145, 146],
        29 => &[156, 157],
        12 | 13 => &[1, 2, 3], // map in map
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(id: u32, pt: ProgType, at: AttachType) -> bool {
        by_id(id).unwrap().allowed_for(pt, at)
    }

    #[test]
    fn every_helper_of_the_uapi_has_a_row_in_id_order() {
        for (name, id) in bpfobj::uapi::HELPERS.iter().filter(|h| h.1 != 0) {
            let h = by_id(*id).unwrap_or_else(|| panic!("helper {name}#{id} has no row"));
            assert_eq!(h.name, format!("bpf_{name}"), "#{id}");
        }
        assert!(HELPERS.windows(2).all(|w| w[0].id < w[1].id));
    }

    /// Verdicts of the running 6.18 kernel (see tests/cli/bpflint-modern/helper-*.s).
    #[test]
    fn availability_of_modern_attach_points() {
        let (p, a) = (ProgType::KPROBE, AttachType::TRACE_KPROBE_MULTI);
        assert!(allowed(14, p, a) && allowed(8, p, a) && allowed(67, p, AttachType(0)));
        for at in [AttachType::TCX_INGRESS, AttachType::TCX_EGRESS, AttachType(0)] {
            for id in [26, 105, 163] {
                assert!(allowed(id, ProgType::SCHED_CLS, at), "#{id} from tc {at}");
            }
        }
        assert!(allowed(120, ProgType::CGROUP_SOCK_ADDR, AttachType::CGROUP_INET4_CONNECT));
        assert!(allowed(120, ProgType::SK_MSG, AttachType::SK_MSG_VERDICT));
        assert!(allowed(210, ProgType::TRACING, AttachType::TRACE_FENTRY));
        assert!(allowed(211, ProgType::XDP, AttachType::XDP));
    }

    #[test]
    fn retval_helpers_follow_the_attach_type() {
        for at in [
            AttachType::CGROUP_INET_INGRESS,
            AttachType::CGROUP_INET_EGRESS,
            AttachType::CGROUP_INET4_GETPEERNAME,
            AttachType::CGROUP_INET6_GETSOCKNAME,
            AttachType::CGROUP_UDP4_RECVMSG,
            AttachType::CGROUP_UNIX_GETSOCKNAME,
        ] {
            let pt = if at.0 <= 1 { ProgType::CGROUP_SKB } else { ProgType::CGROUP_SOCK_ADDR };
            assert!(!allowed(186, pt, at), "get_retval from {at}");
            assert!(!allowed(187, pt, at), "set_retval from {at}");
        }
        assert!(!allowed(186, ProgType::SOCK_OPS, AttachType::CGROUP_SOCK_OPS));
        assert!(allowed(186, ProgType::CGROUP_SOCK_ADDR, AttachType::CGROUP_INET4_CONNECT));
        assert!(allowed(186, ProgType::CGROUP_SOCKOPT, AttachType::CGROUP_GETSOCKOPT));
        assert!(allowed(187, ProgType::CGROUP_SOCK, AttachType::CGROUP_INET_SOCK_CREATE));
        assert!(allowed(186, ProgType::LSM, AttachType::LSM_CGROUP));
        assert!(!allowed(186, ProgType::LSM, AttachType::LSM_MAC));
        assert!(!allowed(186, ProgType::KPROBE, AttachType(0)));
    }

    #[test]
    fn sockopt_helpers_follow_the_attach_point() {
        let h = by_id(49).unwrap();
        let ca = |member| Attach {
            prog_type: ProgType::STRUCT_OPS,
            attach_type: AttachType(0),
            struct_ops: Some(("tcp_congestion_ops", member)),
        };
        assert!(!h.available(&ca("release")));
        assert!(!by_id(57).unwrap().available(&ca("release")));
        assert!(h.available(&ca("init")));
        assert!(h.allowed_for(ProgType::STRUCT_OPS, AttachType(0)));
        assert!(h.allowed_for(ProgType::CGROUP_SOCKOPT, AttachType::CGROUP_SETSOCKOPT));
        assert!(!h.allowed_for(ProgType::CGROUP_SOCKOPT, AttachType::CGROUP_GETSOCKOPT));
        assert!(h.allowed_for(ProgType::CGROUP_SOCK_ADDR, AttachType::CGROUP_INET4_CONNECT));
        assert!(!h.allowed_for(ProgType::CGROUP_SOCK_ADDR, AttachType::CGROUP_UNIX_GETPEERNAME));
        assert!(h.allowed_for(ProgType::SOCK_OPS, AttachType::CGROUP_SOCK_OPS));
        assert!(!allowed(64, ProgType::CGROUP_SOCK_ADDR, AttachType::CGROUP_INET4_BIND));
        assert!(allowed(64, ProgType::CGROUP_SOCK_ADDR, AttachType::CGROUP_INET6_CONNECT));
    }
}

#[cfg(test)]
mod source_tests {
    /// Every helper row names the kernel file and `bpf_func_proto` that state its prototype.
    #[test]
    fn every_row_cites_its_prototype() {
        for h in super::HELPERS {
            let (file, protos) = h.source.split_once(' ').unwrap_or_else(|| panic!("{}: {}", h.name, h.source));
            assert!(file.ends_with(".c") && file.contains('/'), "{}: {}", h.name, h.source);
            assert!(protos.contains("_proto"), "{}: {}", h.name, h.source);
        }
    }
}
