//! Context access rules per program type, as data: which offsets of the context struct are
//! readable/writable at which sizes, and what a load yields (the kernel's `is_valid_access`).
//! Offsets are those of the UAPI structs (`__sk_buff`, `xdp_md`, `bpf_sock_ops`, ...).

use bpfobj::uapi::{AttachType, ProgType};

/// What a context load yields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Yields {
    Scalar,
    Packet,
    PacketEnd,
    PacketMeta,
    FlowKeys,
    SockCommonOrNull,
    SockOrNull,
    Sock,
    /// A kernel pointer of BTF type (tracing argument).
    BtfId,
}

/// One field (or array of fields) of a context struct.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub name: &'static str,
    pub off: u32,
    pub size: u32,
    /// Bit per flavour (see `flavour`): readable.
    pub read: u32,
    /// Bit per flavour: writable.
    pub write: u32,
    /// 1/2-byte (and 4-byte for u64) reads inside the field allowed.
    pub narrow: bool,
    /// Narrow reads only at the field's first byte (an exact `case offsetof()` in the kernel's
    /// is_valid_access(), not a `bpf_ctx_range()`).
    pub narrow_start: bool,
    /// Narrow reads only inside the field's first `narrow_span` bytes (0: anywhere in an
    /// element): a sub-u32 member followed by padding inside a u32 slot.
    pub narrow_span: u32,
    /// The smallest narrow read allowed (0: any).
    pub narrow_min: u32,
    /// Any size (1, 2, 4, 8) aligned access inside the field (cb[]).
    pub any_size: bool,
    pub yields: Yields,
}

/// A rule for flat, read-only contexts (pt_regs, tracepoint records, raw tracepoint args).
#[derive(Clone, Copy, Debug)]
pub struct Flat {
    pub min: u32,
    pub end: u32,
    /// Every access must be exactly 8 bytes.
    pub only_u64: bool,
    pub writable: bool,
    /// `min` is compared unsigned: negative offsets pass (tp_prog_is_valid_access() tests
    /// `off < sizeof(void *)`, an unsigned comparison of the int offset).
    pub unsigned_min: bool,
}

/// Access rules of one program type.
#[derive(Clone, Copy, Debug)]
pub enum Layout {
    Fields {
        name: &'static str,
        size: u32,
        fields: &'static [Field],
        flavour: u32,
    },
    Flat {
        name: &'static str,
        rule: Flat,
    },
    /// Rules not modelled: any aligned access is accepted.
    Any,
}

const ALLF: u32 = u32::MAX;
// __sk_buff flavours.
const SF: u32 = 1; // socket filter
const TC: u32 = 2;
const CGS: u32 = 4; // cgroup skb
const LWTR: u32 = 8; // lwt in/out
const LWTX: u32 = 16; // lwt xmit / seg6local
const SKSKB: u32 = 32;
const FD: u32 = 64; // flow dissector
const NOFD: u32 = ALLF & !FD;
// xdp_md flavours.
const XDP_DEVMAP: u32 = 1; // expected_attach_type BPF_XDP_DEVMAP
                           // bpf_sock_addr flavours, by expected attach type (net/core/filter.c
                           // sock_addr_is_valid_access()): IPv4/IPv6 user addresses, sendmsg source addresses.
const SA4: u32 = 1; // inet4 bind/connect/getpeername/getsockname, udp4 sendmsg/recvmsg
const SA6: u32 = 2; // the same for IPv6
const SA_MSG4: u32 = 4; // udp4 sendmsg
const SA_MSG6: u32 = 8; // udp6 sendmsg

// bpf_sock flavours (cgroup/sock programs), by expected attach type (net/core/filter.c
// __sock_filter_check_attach_type()).
const SK_CREATE: u32 = 1; // inet_sock_create, inet_sock_release
const SK_POST_BIND4: u32 = 2;
const SK_POST_BIND6: u32 = 4;

/// The bpf_sock flavour of a cgroup/sock program's expected attach type. The kernel loads
/// attach type 0 as inet_sock_create (kernel/bpf/syscall.c bpf_prog_load_fixup_attach_type())
/// and refuses other attach types for this program type.
fn sock_flavour(attach: AttachType) -> u32 {
    match attach.0 {
        12 => SK_POST_BIND4,
        13 => SK_POST_BIND6,
        _ => SK_CREATE,
    }
}

// bpf_sockopt flavours, by expected attach type (kernel/bpf/cgroup.c
// cg_sockopt_is_valid_access()).
const SO_GET: u32 = 1; // BPF_CGROUP_GETSOCKOPT
const SO_SET: u32 = 2; // BPF_CGROUP_SETSOCKOPT

/// The bpf_sockopt flavour of a cgroup/sockopt program's expected attach type (the kernel
/// loads only these two: bpf_prog_load_check_attach()).
fn sockopt_flavour(attach: AttachType) -> u32 {
    match attach.0 {
        21 => SO_GET,
        22 => SO_SET,
        _ => SO_GET | SO_SET,
    }
}

/// The bpf_sock_addr flavour of an attach type (every flavour when it is not a sock_addr one).
fn sock_addr_flavour(attach: AttachType) -> u32 {
    match attach.0 {
        8 | 10 | 29 | 31 | 19 => SA4,
        14 => SA4 | SA_MSG4,
        9 | 11 | 30 | 32 | 20 => SA6,
        15 => SA6 | SA_MSG6,
        // unix sockets: neither IP address
        49..=53 => 0,
        _ => ALLF,
    }
}

macro_rules! f {
    ($name:literal, $off:expr, $size:expr, $r:expr, $w:expr, $narrow:expr) => {
        Field {
            name: $name,
            off: $off,
            size: $size,
            read: $r,
            write: $w,
            narrow: $narrow,
            narrow_start: false,
            narrow_span: 0,
            narrow_min: 0,
            any_size: false,
            yields: Yields::Scalar,
        }
    };
    ($name:literal, $off:expr, $size:expr, $r:expr, $w:expr, $narrow:expr, $y:ident) => {
        Field {
            name: $name,
            off: $off,
            size: $size,
            read: $r,
            write: $w,
            narrow: $narrow,
            narrow_start: false,
            narrow_span: 0,
            narrow_min: 0,
            any_size: false,
            yields: Yields::$y,
        }
    };
}

pub const SK_BUFF: &[Field] = &[
    f!("len", 0, 4, NOFD, 0, true),
    f!("pkt_type", 4, 4, NOFD, 0, true),
    f!("mark", 8, 4, NOFD & !SKSKB, TC | CGS | LWTR | LWTX, true),
    f!("queue_mapping", 12, 4, NOFD, TC, true),
    f!("protocol", 16, 4, NOFD, 0, true),
    f!("vlan_present", 20, 4, NOFD, 0, true),
    f!("vlan_tci", 24, 4, NOFD, 0, true),
    f!("vlan_proto", 28, 4, NOFD, 0, true),
    f!("priority", 32, 4, NOFD, TC | CGS | LWTR | LWTX | SKSKB, true),
    f!("ingress_ifindex", 36, 4, NOFD, 0, true),
    f!("ifindex", 40, 4, NOFD, 0, true),
    f!("tc_index", 44, 4, NOFD, TC | SKSKB, true),
    Field {
        name: "cb",
        off: 48,
        size: 20,
        read: NOFD,
        write: NOFD & !SKSKB,
        narrow: true,
        narrow_start: false,
        narrow_span: 0,
        narrow_min: 0,
        any_size: true,
        yields: Yields::Scalar,
    },
    f!("hash", 68, 4, NOFD, 0, true),
    f!("tc_classid", 72, 4, TC, TC, true),
    f!("data", 76, 4, TC | CGS | LWTR | LWTX | SKSKB | FD, 0, false, Packet),
    f!("data_end", 80, 4, TC | CGS | LWTR | LWTX | SKSKB | FD, 0, false, PacketEnd),
    f!("napi_id", 84, 4, NOFD, 0, true),
    f!("family", 88, 4, CGS | SKSKB, 0, true),
    // whole u32 reads only (bpf_skb_is_valid_access(): remote_ip4/local_ip4 like the ip6 arrays)
    f!("remote_ip4", 92, 4, CGS | SKSKB, 0, false),
    f!("local_ip4", 96, 4, CGS | SKSKB, 0, false),
    f!("remote_ip6", 100, 16, CGS | SKSKB, 0, false),
    f!("local_ip6", 116, 16, CGS | SKSKB, 0, false),
    f!("remote_port", 132, 4, CGS | SKSKB, 0, true),
    f!("local_port", 136, 4, CGS | SKSKB, 0, true),
    f!("data_meta", 140, 4, TC, 0, false, PacketMeta),
    f!("flow_keys", 144, 8, FD, 0, false, FlowKeys),
    f!("tstamp", 152, 8, TC | CGS, TC | CGS, false),
    f!("wire_len", 160, 4, TC, 0, true),
    f!("gso_segs", 164, 4, NOFD, 0, true),
    f!("sk", 168, 8, NOFD, 0, false, SockCommonOrNull),
    f!("gso_size", 176, 4, NOFD, 0, true),
    f!("tstamp_type", 180, 1, TC, TC, false),
    f!("hwtstamp", 184, 8, TC | CGS, 0, false),
];

/// `struct xdp_md`: only whole u32 reads (net/core/filter.c, __is_valid_xdp_access()), and
/// `egress_ifindex` only for devmap programs (xdp_is_valid_access()).
pub const XDP_MD: &[Field] = &[
    f!("data", 0, 4, ALLF, 0, false, Packet),
    f!("data_end", 4, 4, ALLF, 0, false, PacketEnd),
    f!("data_meta", 8, 4, ALLF, 0, false, PacketMeta),
    f!("ingress_ifindex", 12, 4, ALLF, 0, false),
    f!("rx_queue_index", 16, 4, ALLF, 0, false),
    f!("egress_ifindex", 20, 4, XDP_DEVMAP, 0, false),
];

/// `struct bpf_sock_ops` (net/core/filter.c sock_ops_is_valid_access()): reads are whole
/// fields (u32, or u64 for bytes_received/bytes_acked/skb_hwtstamp and the pointers), except
/// narrow reads at the start of skb_tcp_flags (an exact `case offsetof()`); writes only to
/// reply and sk_txhash, as u32s.
pub const SOCK_OPS: &[Field] = &[
    f!("op", 0, 4, ALLF, 0, false),
    f!("args", 4, 16, ALLF, 0, false),
    f!("reply", 4, 4, ALLF, ALLF, false),
    f!("family", 20, 4, ALLF, 0, false),
    f!("remote_ip4", 24, 4, ALLF, 0, false),
    f!("local_ip4", 28, 4, ALLF, 0, false),
    f!("remote_ip6", 32, 16, ALLF, 0, false),
    f!("local_ip6", 48, 16, ALLF, 0, false),
    f!("remote_port", 64, 4, ALLF, 0, false),
    f!("local_port", 68, 4, ALLF, 0, false),
    f!("tcp_fields", 72, 92, ALLF, 0, false),
    f!("sk_txhash", 164, 4, ALLF, ALLF, false),
    f!("bytes_received", 168, 8, ALLF, 0, false),
    f!("bytes_acked", 176, 8, ALLF, 0, false),
    f!("sk", 184, 8, ALLF, 0, false, SockOrNull),
    f!("skb_data", 192, 8, ALLF, 0, false, Packet),
    f!("skb_data_end", 200, 8, ALLF, 0, false, PacketEnd),
    f!("skb_len", 208, 4, ALLF, 0, false),
    start_only(f!("skb_tcp_flags", 212, 4, ALLF, 0, true)),
    f!("skb_hwtstamp", 216, 8, ALLF, 0, false),
];

/// `struct bpf_sock` (net/core/filter.c, bpf_sock_is_valid_access()): narrow reads of the
/// ranged fields anywhere, of state/family/type/protocol/src_port/rx_queue_mapping only at
/// their start, of the rest (bound_dev_if, mark, priority) never. Which fields an attach type
/// may touch at all is __sock_filter_check_attach_type(): bound_dev_if/mark/priority (read and
/// write) only from sock_create/sock_release, src_ip4 only from post_bind4, src_ip6 only from
/// post_bind6, src_port only from post_bind4/6; every other field is read-only.
pub const BPF_SOCK: &[Field] = &[
    f!("bound_dev_if", 0, 4, SK_CREATE, SK_CREATE, false),
    start_only(f!("family", 4, 4, ALLF, 0, true)),
    start_only(f!("type", 8, 4, ALLF, 0, true)),
    start_only(f!("protocol", 12, 4, ALLF, 0, true)),
    f!("mark", 16, 4, SK_CREATE, SK_CREATE, false),
    f!("priority", 20, 4, SK_CREATE, SK_CREATE, false),
    f!("src_ip4", 24, 4, SK_POST_BIND4, 0, true),
    f!("src_ip6", 28, 16, SK_POST_BIND6, 0, true),
    start_only(f!("src_port", 44, 4, SK_POST_BIND4 | SK_POST_BIND6, 0, true)),
    // a __be16 and 2 bytes of padding: the whole u32 at 48, or narrow reads of the port only
    // (bpf_sock_is_valid_access(): bpf_ctx_range(dst_port) with field size 2 unless the read is
    // 4 bytes; offsetofend(dst_port)..dst_ip4 - 1 is refused)
    Field { narrow_span: 2, ..f!("dst_port", 48, 4, ALLF, 0, true) },
    f!("dst_ip4", 52, 4, ALLF, 0, true),
    f!("dst_ip6", 56, 16, ALLF, 0, true),
    start_only(f!("state", 72, 4, ALLF, 0, true)),
    start_only(f!("rx_queue_mapping", 76, 4, ALLF, 0, true)),
];

const fn start_only(f: Field) -> Field {
    Field { narrow_start: true, ..f }
}

/// `struct bpf_sock_addr` (net/core/filter.c, sock_addr_is_valid_access(): the addresses and
/// the port may be read in part, user_family/family/type/protocol only as whole u32s).
pub const SOCK_ADDR: &[Field] = &[
    f!("user_family", 0, 4, ALLF, 0, false),
    f!("user_ip4", 4, 4, SA4, SA4, true),
    f!("user_ip6", 8, 16, SA6, SA6, true),
    f!("user_port", 24, 4, ALLF, ALLF, true),
    f!("family", 28, 4, ALLF, 0, false),
    f!("type", 32, 4, ALLF, 0, false),
    f!("protocol", 36, 4, ALLF, 0, false),
    f!("msg_src_ip4", 40, 4, SA_MSG4, SA_MSG4, true),
    f!("msg_src_ip6", 44, 16, SA_MSG6, SA_MSG6, true),
    f!("sk", 64, 8, ALLF, 0, false, Sock),
];

/// `struct bpf_cgroup_dev_ctx` (kernel/bpf/cgroup.c cgroup_dev_is_valid_access()): narrow reads
/// of access_type only; major and minor are read as whole u32s.
pub const CGROUP_DEV: &[Field] =
    &[f!("access_type", 0, 4, ALLF, 0, true), f!("major", 4, 4, ALLF, 0, false), f!("minor", 8, 4, ALLF, 0, false)];

/// `struct sk_msg_md`: scalar fields are read as whole u32s only (net/core/filter.c,
/// sk_msg_is_valid_access()).
pub const SK_MSG_MD: &[Field] = &[
    f!("data", 0, 8, ALLF, 0, false, Packet),
    f!("data_end", 8, 8, ALLF, 0, false, PacketEnd),
    f!("family", 16, 4, ALLF, 0, false),
    f!("remote_ip4", 20, 4, ALLF, 0, false),
    f!("local_ip4", 24, 4, ALLF, 0, false),
    f!("remote_ip6", 28, 16, ALLF, 0, false),
    f!("local_ip6", 44, 16, ALLF, 0, false),
    f!("remote_port", 60, 4, ALLF, 0, false),
    f!("local_port", 64, 4, ALLF, 0, false),
    f!("size", 68, 4, ALLF, 0, false),
    f!("sk", 72, 8, ALLF, 0, false, Sock),
];

/// `struct bpf_nf_ctx` (net/netfilter/nf_bpf_link.c, nf_is_valid_access()): two read-only
/// pointers to kernel objects, read whole.
pub const NF_CTX: &[Field] = &[f!("state", 0, 8, ALLF, 0, false, BtfId), f!("skb", 8, 8, ALLF, 0, false, BtfId)];

pub const SK_LOOKUP: &[Field] = &[
    f!("sk", 0, 8, ALLF, 0, false, SockOrNull),
    f!("family", 8, 4, ALLF, 0, true),
    f!("protocol", 12, 4, ALLF, 0, true),
    f!("remote_ip4", 16, 4, ALLF, 0, true),
    f!("remote_ip6", 20, 16, ALLF, 0, true),
    f!("remote_port", 36, 4, ALLF, 0, true),
    f!("local_ip4", 40, 4, ALLF, 0, true),
    f!("local_ip6", 44, 16, ALLF, 0, true),
    f!("local_port", 60, 4, ALLF, 0, true),
    f!("ingress_ifindex", 64, 4, ALLF, 0, true),
];

pub const SYSCTL: &[Field] = &[f!("write", 0, 4, ALLF, 0, true), f!("file_pos", 4, 4, ALLF, ALLF, true)];

pub const SOCKOPT: &[Field] = &[
    f!("sk", 0, 8, ALLF, 0, false, Sock),
    f!("optval", 8, 8, ALLF, 0, false, Packet),
    f!("optval_end", 16, 8, ALLF, 0, false, PacketEnd),
    // level and optname are written only by setsockopt programs, retval is read and written
    // only by getsockopt programs (kernel/bpf/cgroup.c cg_sockopt_is_valid_access())
    f!("level", 24, 4, ALLF, SO_SET, false),
    f!("optname", 28, 4, ALLF, SO_SET, false),
    f!("optlen", 32, 4, ALLF, ALLF, false),
    f!("retval", 36, 4, SO_GET, SO_GET, false),
];

pub const SK_REUSEPORT_MD: &[Field] = &[
    f!("data", 0, 8, ALLF, 0, false, Packet),
    f!("data_end", 8, 8, ALLF, 0, false, PacketEnd),
    f!("len", 16, 4, ALLF, 0, true),
    // net/core/filter.c sk_reuseport_is_valid_access(): eth_protocol is read at least 2 bytes
    // at a time (sizeof(skb->protocol)), hash only as a whole u32
    Field { narrow_min: 2, ..f!("eth_protocol", 20, 4, ALLF, 0, true) },
    f!("ip_protocol", 24, 4, ALLF, 0, true),
    f!("bind_inany", 28, 4, ALLF, 0, true),
    f!("hash", 32, 4, ALLF, 0, false),
    f!("sk", 40, 8, ALLF, 0, false, Sock),
    f!("migrating_sk", 48, 8, ALLF, 0, false, SockOrNull),
];

/// `struct bpf_perf_event_data` (kernel/trace/bpf_trace.c, pe_prog_is_valid_access()): the
/// registers are read as whole longs only.
pub const PERF_EVENT_DATA: &[Field] = &[
    f!("regs", 0, 8, ALLF, 0, false),
    f!("regs", 8, 8, ALLF, 0, false),
    f!("regs", 16, 8, ALLF, 0, false),
    f!("regs", 24, 8, ALLF, 0, false),
    f!("regs", 32, 8, ALLF, 0, false),
    f!("regs", 40, 8, ALLF, 0, false),
    f!("regs", 48, 8, ALLF, 0, false),
    f!("regs", 56, 8, ALLF, 0, false),
    f!("regs", 64, 8, ALLF, 0, false),
    f!("regs", 72, 8, ALLF, 0, false),
    f!("regs", 80, 8, ALLF, 0, false),
    f!("regs", 88, 8, ALLF, 0, false),
    f!("regs", 96, 8, ALLF, 0, false),
    f!("regs", 104, 8, ALLF, 0, false),
    f!("regs", 112, 8, ALLF, 0, false),
    f!("regs", 120, 8, ALLF, 0, false),
    f!("regs", 128, 8, ALLF, 0, false),
    f!("regs", 136, 8, ALLF, 0, false),
    f!("regs", 144, 8, ALLF, 0, false),
    f!("regs", 152, 8, ALLF, 0, false),
    f!("regs", 160, 8, ALLF, 0, false),
    f!("sample_period", 168, 8, ALLF, 0, true),
    f!("addr", 176, 8, ALLF, 0, true),
];

/// The access rules for a program type.
/// Where the kernel states each program type's context rules: the `is_valid_access` of its
/// `bpf_verifier_ops` (include/linux/bpf_types.h names the ops; Linux 6.12). [`layout`] models
/// these functions; a program type missing here has no context rules of its own.
pub const VALID_ACCESS: &[(ProgType, &str)] = &[
    (ProgType::SOCKET_FILTER, "net/core/filter.c sk_filter_is_valid_access"),
    (ProgType::SCHED_CLS, "net/core/filter.c tc_cls_act_is_valid_access"),
    (ProgType::SCHED_ACT, "net/core/filter.c tc_cls_act_is_valid_access"),
    (ProgType::XDP, "net/core/filter.c xdp_is_valid_access"),
    (ProgType::CGROUP_SKB, "net/core/filter.c cg_skb_is_valid_access"),
    (ProgType::CGROUP_SOCK, "net/core/filter.c sock_filter_is_valid_access"),
    (ProgType::CGROUP_SOCK_ADDR, "net/core/filter.c sock_addr_is_valid_access"),
    (ProgType::LWT_IN, "net/core/filter.c lwt_is_valid_access"),
    (ProgType::LWT_OUT, "net/core/filter.c lwt_is_valid_access"),
    (ProgType::LWT_XMIT, "net/core/filter.c lwt_is_valid_access"),
    (ProgType::LWT_SEG6LOCAL, "net/core/filter.c lwt_is_valid_access"),
    (ProgType::SOCK_OPS, "net/core/filter.c sock_ops_is_valid_access"),
    (ProgType::SK_SKB, "net/core/filter.c sk_skb_is_valid_access"),
    (ProgType::SK_MSG, "net/core/filter.c sk_msg_is_valid_access"),
    (ProgType::FLOW_DISSECTOR, "net/core/filter.c flow_dissector_is_valid_access"),
    (ProgType::KPROBE, "kernel/trace/bpf_trace.c kprobe_prog_is_valid_access"),
    (ProgType::TRACEPOINT, "kernel/trace/bpf_trace.c tp_prog_is_valid_access"),
    (ProgType::PERF_EVENT, "kernel/trace/bpf_trace.c pe_prog_is_valid_access"),
    (ProgType::RAW_TRACEPOINT, "kernel/trace/bpf_trace.c raw_tp_prog_is_valid_access"),
    (ProgType::RAW_TRACEPOINT_WRITABLE, "kernel/trace/bpf_trace.c raw_tp_writable_prog_is_valid_access"),
    (ProgType::TRACING, "kernel/trace/bpf_trace.c tracing_prog_is_valid_access"),
    (ProgType::CGROUP_DEVICE, "kernel/bpf/cgroup.c cgroup_dev_is_valid_access"),
    (ProgType::CGROUP_SYSCTL, "kernel/bpf/cgroup.c sysctl_is_valid_access"),
    (ProgType::CGROUP_SOCKOPT, "kernel/bpf/cgroup.c cg_sockopt_is_valid_access"),
    (ProgType::LIRC_MODE2, "drivers/media/rc/bpf-lirc.c lirc_mode2_is_valid_access"),
    (ProgType::SK_REUSEPORT, "net/core/filter.c sk_reuseport_is_valid_access"),
    (ProgType::SK_LOOKUP, "net/core/filter.c sk_lookup_is_valid_access"),
    (ProgType::STRUCT_OPS, "kernel/bpf/bpf_struct_ops.c bpf_struct_ops_is_valid_access (btf_ctx_access())"),
    (ProgType::EXT, "kernel/bpf/verifier.c check_attach_btf_id() (the replaced program's context)"),
    (
        ProgType::LSM,
        "kernel/bpf/bpf_lsm.c lsm_verifier_ops.is_valid_access = btf_ctx_access (kernel/trace/bpf_trace.c)",
    ),
    (ProgType::SYSCALL, "kernel/bpf/syscall.c syscall_prog_is_valid_access"),
    (ProgType::NETFILTER, "net/netfilter/nf_bpf_link.c nf_is_valid_access"),
];

pub fn layout(t: ProgType, attach: AttachType) -> Layout {
    let skb = |flavour| Layout::Fields { name: "__sk_buff", size: 192, fields: SK_BUFF, flavour };
    let fields = |name, size, fields| Layout::Fields { name, size, fields, flavour: ALLF };
    match t {
        ProgType::SOCKET_FILTER => skb(SF),
        ProgType::SCHED_CLS | ProgType::SCHED_ACT => skb(TC),
        ProgType::CGROUP_SKB => skb(CGS),
        ProgType::LWT_IN | ProgType::LWT_OUT => skb(LWTR),
        ProgType::LWT_XMIT | ProgType::LWT_SEG6LOCAL => skb(LWTX),
        ProgType::SK_SKB => skb(SKSKB),
        ProgType::FLOW_DISSECTOR => skb(FD),
        ProgType::XDP => Layout::Fields {
            name: "xdp_md",
            size: 24,
            fields: XDP_MD,
            flavour: if attach == AttachType::XDP_DEVMAP { ALLF } else { ALLF & !XDP_DEVMAP },
        },
        ProgType::SOCK_OPS => fields("bpf_sock_ops", 224, SOCK_OPS),
        ProgType::CGROUP_SOCK => {
            Layout::Fields { name: "bpf_sock", size: 80, fields: BPF_SOCK, flavour: sock_flavour(attach) }
        }
        ProgType::CGROUP_SOCK_ADDR => {
            Layout::Fields { name: "bpf_sock_addr", size: 72, fields: SOCK_ADDR, flavour: sock_addr_flavour(attach) }
        }
        ProgType::CGROUP_DEVICE => fields("bpf_cgroup_dev_ctx", 12, CGROUP_DEV),
        ProgType::SK_MSG => fields("sk_msg_md", 80, SK_MSG_MD),
        ProgType::SK_LOOKUP => fields("bpf_sk_lookup", 72, SK_LOOKUP),
        ProgType::NETFILTER => fields("bpf_nf_ctx", 16, NF_CTX),
        ProgType::CGROUP_SYSCTL => fields("bpf_sysctl", 8, SYSCTL),
        ProgType::CGROUP_SOCKOPT => {
            Layout::Fields { name: "bpf_sockopt", size: 40, fields: SOCKOPT, flavour: sockopt_flavour(attach) }
        }
        ProgType::SK_REUSEPORT => fields("sk_reuseport_md", 56, SK_REUSEPORT_MD),
        ProgType::PERF_EVENT => fields("bpf_perf_event_data", 184, PERF_EVENT_DATA),
        ProgType::KPROBE => Layout::Flat {
            name: "pt_regs",
            rule: Flat { min: 0, end: 168, only_u64: false, writable: false, unsigned_min: false },
        },
        ProgType::TRACEPOINT => Layout::Flat {
            name: "tracepoint",
            rule: Flat { min: 8, end: 2048, only_u64: false, writable: false, unsigned_min: true },
        },
        ProgType::RAW_TRACEPOINT | ProgType::RAW_TRACEPOINT_WRITABLE => Layout::Flat {
            name: "bpf_raw_tracepoint_args",
            rule: Flat { min: 0, end: 96, only_u64: false, writable: false, unsigned_min: false },
        },
        ProgType::TRACING | ProgType::LSM | ProgType::STRUCT_OPS | ProgType::EXT => Layout::Flat {
            name: "tracing args",
            rule: Flat { min: 0, end: 96, only_u64: false, writable: false, unsigned_min: false },
        },
        _ => Layout::Any,
    }
}

/// Result of checking one context access.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Ok(Yields),
    Denied,
}

/// Check an access of `size` bytes at `off` (write when `write`).
pub fn check(layout: &Layout, off: i64, size: u32, write: bool) -> Access {
    if let Layout::Flat { rule, .. } = layout {
        if rule.unsigned_min && off < 0 {
            return if write || off % size as i64 != 0 { Access::Denied } else { Access::Ok(Yields::Scalar) };
        }
    }
    if off < 0 || off % size as i64 != 0 {
        return Access::Denied;
    }
    let off = off as u32;
    match layout {
        Layout::Any => Access::Ok(Yields::Scalar),
        Layout::Flat { rule, .. } => {
            if off < rule.min || off + size > rule.end || (write && !rule.writable) || (rule.only_u64 && size != 8) {
                Access::Denied
            } else {
                Access::Ok(Yields::Scalar)
            }
        }
        Layout::Fields { size: total, fields, flavour, .. } => {
            if off + size > *total {
                return Access::Denied;
            }
            let mut found = false;
            for f in fields.iter() {
                if off < f.off || off >= f.off + f.size {
                    continue;
                }
                found = true;
                let allowed = if write { f.write & flavour != 0 } else { f.read & flavour != 0 };
                if !allowed {
                    continue;
                }
                if off + size > f.off + f.size {
                    continue;
                }
                if f.any_size {
                    return Access::Ok(f.yields);
                }
                let elem = if f.size > 8 { 4 } else { f.size };
                if f.size == 16 && size == 8 && off.is_multiple_of(8) && off + 8 <= f.off + f.size && f.write != 0 {
                    return Access::Ok(f.yields);
                }
                if size == elem
                    || (f.narrow
                        && !write
                        && size < elem
                        && (!f.narrow_start || off == f.off)
                        && (f.narrow_span == 0 || off + size <= f.off + f.narrow_span)
                        && size >= f.narrow_min)
                {
                    return Access::Ok(f.yields);
                }
            }
            let _ = found;
            Access::Denied
        }
    }
}

/// Whether programs of this type may write packet data directly.
pub fn may_write_packet(t: ProgType) -> bool {
    matches!(
        t,
        ProgType::SCHED_CLS
            | ProgType::SCHED_ACT
            | ProgType::XDP
            | ProgType::LWT_XMIT
            | ProgType::SK_SKB
            | ProgType::SK_MSG
            | ProgType::CGROUP_SOCKOPT
    )
}

/// The range R0 must be in at program exit, if checked.
pub fn return_range(t: ProgType, attach: AttachType) -> Option<(i64, i64)> {
    // kernel/bpf/verifier.c, check_return_code(): (0, 1) unless the type or attach type says
    // otherwise
    match t {
        ProgType::CGROUP_SKB => {
            if attach == AttachType::CGROUP_INET_EGRESS {
                Some((0, 3))
            } else {
                Some((0, 1))
            }
        }
        ProgType::CGROUP_SOCK
        | ProgType::SOCK_OPS
        | ProgType::CGROUP_DEVICE
        | ProgType::CGROUP_SYSCTL
        | ProgType::CGROUP_SOCKOPT => Some((0, 1)),
        ProgType::CGROUP_SOCK_ADDR => match attach.0 {
            // recvmsg and getpeername/getsockname (udp4/6, inet4/6, unix) must return 1
            19 | 20 | 29 | 30 | 31 | 32 | 51 | 52 | 53 => Some((1, 1)),
            // bind4/6 may also ask to skip the port check
            8 | 9 => Some((0, 3)),
            _ => Some((0, 1)),
        },
        ProgType::SK_LOOKUP => Some((0, 1)),
        // NF_DROP / NF_ACCEPT
        ProgType::NETFILTER => Some((0, 1)),
        ProgType::TRACING => match attach {
            AttachType::TRACE_FENTRY | AttachType::TRACE_FEXIT => Some((0, 0)),
            AttachType::TRACE_ITER => Some((0, 1)),
            _ => None,
        },
        // kprobe.session: 0 to run the return probe, 1 to skip it
        ProgType::KPROBE if attach == AttachType::TRACE_KPROBE_SESSION => Some((0, 1)),
        _ => None,
    }
}

/// `struct bpf_sock` reads through socket pointers (`sock` / `sock_common`).
pub fn sock_access(full: bool, off: i64, size: u32) -> bool {
    if off < 0 || off % size as i64 != 0 {
        return false;
    }
    let off = off as u32;
    if !full && (8..24).contains(&off) {
        return false;
    }
    let narrow_ok = |fo: u32, fs: u32| off >= fo && off + size <= fo + fs;
    match off {
        48..=51 => {
            // dst_port: a u16 followed by padding
            (off == 48 && (size == 4 || size == 2)) || (size == 1 && off <= 49)
        }
        _ => {
            // narrow reads: 0 never, 1 only at the field's start (an exact `case offsetof()`),
            // 2 anywhere (a `bpf_ctx_range()`), as bpf_sock_is_valid_access()
            for (fo, fs, narrow) in [
                (0u32, 4u32, 0u8),
                (4, 4, 1),
                (8, 4, 1),
                (12, 4, 1),
                (16, 4, 0),
                (20, 4, 0),
                (24, 4, 2),
                (28, 16, 2),
                (44, 4, 1),
                (52, 4, 2),
                (56, 16, 2),
                (72, 4, 1),
                (76, 4, 1),
            ] {
                if off >= fo && off < fo + fs {
                    let elem = 4;
                    let rel = (off - fo) % elem;
                    return match narrow {
                        2 => rel + size <= elem,
                        1 => size == elem || (rel == 0 && size < elem),
                        _ => size == elem && narrow_ok(fo, fs),
                    };
                }
            }
            false
        }
    }
}

/// `struct bpf_tcp_sock` reads (net/core/filter.c bpf_tcp_sock_is_valid_access()): u32
/// fields whole, bytes_received and bytes_acked as u64s. A u32 read of their upper halves
/// (84, 92) passes the validity check but has no conversion
/// (bpf_tcp_sock_convert_ctx_access()), so the load fails ("error during ctx access
/// conversion").
pub fn tcp_sock_access(off: i64, size: u32) -> bool {
    if !(0..112).contains(&off) || off % size as i64 != 0 {
        return false;
    }
    match off {
        80..=95 => size == 8,
        _ => size == 4,
    }
}

/// Program types whose context members are BTF-typed (pointers to kernel objects).
pub fn btf_ctx(t: ProgType) -> bool {
    matches!(t, ProgType::TRACING | ProgType::LSM | ProgType::STRUCT_OPS | ProgType::EXT)
}

#[cfg(test)]
mod source_tests {
    use super::*;

    /// Every program type whose context is modelled cites the kernel function it models.
    #[test]
    fn every_layout_cites_its_kernel_function() {
        for t in 0..64u32 {
            let t = ProgType(t);
            if matches!(layout(t, AttachType(0)), Layout::Any) {
                continue;
            }
            let src = VALID_ACCESS.iter().find(|(p, _)| *p == t).map(|(_, s)| *s);
            let src = src.unwrap_or_else(|| panic!("{t:?} has a layout but no VALID_ACCESS row"));
            let (file, func) = src.split_once(' ').unwrap_or_default();
            assert!(file.ends_with(".c") && !func.is_empty(), "{t:?}: {src}");
        }
    }
}
