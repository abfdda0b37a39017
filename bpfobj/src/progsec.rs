//! libbpf's program section names: which program type and expected attach type a section name
//! selects (`SEC("xdp")`, `SEC("kprobe/do_sys_open")`, ...), as data. Used by the assembler
//! (warnings for unknown names, context types for BTF), the linker and the linter.
//!
//! Matching follows libbpf: a definition ending in `+` matches the bare name or `name/extra`;
//! one ending in `/` needs the extra part; any other must match exactly. A leading `?`
//! (optional program, not loaded by default) is ignored for matching.

use crate::suggest::edit_distance;
use crate::uapi::{AttachType, ProgType};

/// Flags of a section definition (libbpf's `SEC_*`).
pub mod flags {
    pub const NONE: u32 = 0;
    /// Needs an expected attach type at load time.
    pub const EXP_ATTACH_OPT: u32 = 1;
    /// Attachable with BPF_PROG_ATTACH; expected attach type mandatory.
    pub const ATTACHABLE: u32 = 2;
    /// Attach target found through BTF (fentry, fexit, lsm, freplace, iter, tp_btf).
    pub const ATTACH_BTF: u32 = 4;
    pub const SLEEPABLE: u32 = 8;
    pub const XDP_FRAGS: u32 = 16;
    /// USDT probe: libbpf loads it with expected attach type `BPF_TRACE_UPROBE_MULTI` when
    /// the kernel has uprobe-multi links (6.6+), 0 otherwise.
    pub const USDT: u32 = 32;
    /// ATTACHABLE | EXP_ATTACH_OPT: expected attach type optional.
    pub const ATTACHABLE_OPT: u32 = ATTACHABLE | EXP_ATTACH_OPT;
}

/// One libbpf section definition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SecDef {
    /// The pattern: `socket`, `kprobe+`, `sk_reuseport/migrate`.
    pub pattern: &'static str,
    pub prog_type: ProgType,
    /// Expected attach type; `None` when libbpf passes 0.
    pub attach_type: Option<AttachType>,
    pub flags: u32,
}

macro_rules! sec {
    ($pat:literal, $pt:ident, 0, $fl:expr) => {
        SecDef { pattern: $pat, prog_type: ProgType::$pt, attach_type: None, flags: $fl }
    };
    ($pat:literal, $pt:ident, $at:ident, $fl:expr) => {
        SecDef { pattern: $pat, prog_type: ProgType::$pt, attach_type: Some(AttachType::$at), flags: $fl }
    };
}

use flags::*;

/// libbpf's table (Linux 6.12's `tools/lib/bpf/libbpf.c`, `section_defs[]`), in libbpf's order
/// (first match wins).
pub const SECTION_DEFS: &[SecDef] = &[
    sec!("socket", SOCKET_FILTER, 0, NONE),
    sec!("sk_reuseport/migrate", SK_REUSEPORT, SK_REUSEPORT_SELECT_OR_MIGRATE, ATTACHABLE),
    sec!("sk_reuseport", SK_REUSEPORT, SK_REUSEPORT_SELECT, ATTACHABLE),
    sec!("kprobe+", KPROBE, 0, NONE),
    sec!("uprobe+", KPROBE, 0, NONE),
    sec!("uprobe.s+", KPROBE, 0, SLEEPABLE),
    sec!("kretprobe+", KPROBE, 0, NONE),
    sec!("uretprobe+", KPROBE, 0, NONE),
    sec!("uretprobe.s+", KPROBE, 0, SLEEPABLE),
    sec!("kprobe.multi+", KPROBE, TRACE_KPROBE_MULTI, NONE),
    sec!("kretprobe.multi+", KPROBE, TRACE_KPROBE_MULTI, NONE),
    sec!("kprobe.session+", KPROBE, TRACE_KPROBE_SESSION, NONE),
    sec!("uprobe.multi+", KPROBE, TRACE_UPROBE_MULTI, NONE),
    sec!("uretprobe.multi+", KPROBE, TRACE_UPROBE_MULTI, NONE),
    sec!("uprobe.multi.s+", KPROBE, TRACE_UPROBE_MULTI, SLEEPABLE),
    sec!("uretprobe.multi.s+", KPROBE, TRACE_UPROBE_MULTI, SLEEPABLE),
    sec!("ksyscall+", KPROBE, 0, NONE),
    sec!("kretsyscall+", KPROBE, 0, NONE),
    sec!("usdt+", KPROBE, 0, USDT),
    sec!("usdt.s+", KPROBE, 0, USDT | SLEEPABLE),
    // `tc/ingress` and `tc/egress` are libbpf's aliases of the tcx ones.
    sec!("tc/ingress", SCHED_CLS, TCX_INGRESS, NONE),
    sec!("tc/egress", SCHED_CLS, TCX_EGRESS, NONE),
    sec!("tcx/ingress", SCHED_CLS, TCX_INGRESS, NONE),
    sec!("tcx/egress", SCHED_CLS, TCX_EGRESS, NONE),
    sec!("tc", SCHED_CLS, 0, NONE),
    sec!("classifier", SCHED_CLS, 0, NONE),
    sec!("action", SCHED_ACT, 0, NONE),
    sec!("netkit/primary", SCHED_CLS, NETKIT_PRIMARY, NONE),
    sec!("netkit/peer", SCHED_CLS, NETKIT_PEER, NONE),
    sec!("tracepoint+", TRACEPOINT, 0, NONE),
    sec!("tp+", TRACEPOINT, 0, NONE),
    sec!("raw_tracepoint+", RAW_TRACEPOINT, 0, NONE),
    sec!("raw_tp+", RAW_TRACEPOINT, 0, NONE),
    sec!("raw_tracepoint.w+", RAW_TRACEPOINT_WRITABLE, 0, NONE),
    sec!("raw_tp.w+", RAW_TRACEPOINT_WRITABLE, 0, NONE),
    sec!("tp_btf+", TRACING, TRACE_RAW_TP, ATTACH_BTF),
    sec!("fentry+", TRACING, TRACE_FENTRY, ATTACH_BTF),
    sec!("fmod_ret+", TRACING, MODIFY_RETURN, ATTACH_BTF),
    sec!("fexit+", TRACING, TRACE_FEXIT, ATTACH_BTF),
    sec!("fentry.s+", TRACING, TRACE_FENTRY, ATTACH_BTF | SLEEPABLE),
    sec!("fmod_ret.s+", TRACING, MODIFY_RETURN, ATTACH_BTF | SLEEPABLE),
    sec!("fexit.s+", TRACING, TRACE_FEXIT, ATTACH_BTF | SLEEPABLE),
    sec!("freplace+", EXT, 0, ATTACH_BTF),
    sec!("lsm+", LSM, LSM_MAC, ATTACH_BTF),
    sec!("lsm.s+", LSM, LSM_MAC, ATTACH_BTF | SLEEPABLE),
    sec!("lsm_cgroup+", LSM, LSM_CGROUP, ATTACH_BTF),
    sec!("iter+", TRACING, TRACE_ITER, ATTACH_BTF),
    sec!("iter.s+", TRACING, TRACE_ITER, ATTACH_BTF | SLEEPABLE),
    sec!("syscall", SYSCALL, 0, SLEEPABLE),
    sec!("xdp.frags/devmap", XDP, XDP_DEVMAP, XDP_FRAGS),
    sec!("xdp/devmap", XDP, XDP_DEVMAP, ATTACHABLE),
    sec!("xdp.frags/cpumap", XDP, XDP_CPUMAP, XDP_FRAGS),
    sec!("xdp/cpumap", XDP, XDP_CPUMAP, ATTACHABLE),
    sec!("xdp.frags", XDP, XDP, XDP_FRAGS),
    sec!("xdp", XDP, XDP, ATTACHABLE_OPT),
    sec!("perf_event", PERF_EVENT, 0, NONE),
    sec!("lwt_in", LWT_IN, 0, NONE),
    sec!("lwt_out", LWT_OUT, 0, NONE),
    sec!("lwt_xmit", LWT_XMIT, 0, NONE),
    sec!("lwt_seg6local", LWT_SEG6LOCAL, 0, NONE),
    sec!("sockops", SOCK_OPS, CGROUP_SOCK_OPS, ATTACHABLE_OPT),
    sec!("sk_skb/stream_parser", SK_SKB, SK_SKB_STREAM_PARSER, ATTACHABLE_OPT),
    sec!("sk_skb/stream_verdict", SK_SKB, SK_SKB_STREAM_VERDICT, ATTACHABLE_OPT),
    sec!("sk_skb/verdict", SK_SKB, SK_SKB_VERDICT, ATTACHABLE_OPT),
    sec!("sk_skb", SK_SKB, 0, NONE),
    sec!("sk_msg", SK_MSG, SK_MSG_VERDICT, ATTACHABLE_OPT),
    sec!("lirc_mode2", LIRC_MODE2, LIRC_MODE2, ATTACHABLE_OPT),
    sec!("flow_dissector", FLOW_DISSECTOR, FLOW_DISSECTOR, ATTACHABLE_OPT),
    sec!("cgroup_skb/ingress", CGROUP_SKB, CGROUP_INET_INGRESS, ATTACHABLE_OPT),
    sec!("cgroup_skb/egress", CGROUP_SKB, CGROUP_INET_EGRESS, ATTACHABLE_OPT),
    sec!("cgroup/skb", CGROUP_SKB, 0, NONE),
    sec!("cgroup/sock_create", CGROUP_SOCK, CGROUP_INET_SOCK_CREATE, ATTACHABLE),
    sec!("cgroup/sock_release", CGROUP_SOCK, CGROUP_INET_SOCK_RELEASE, ATTACHABLE),
    sec!("cgroup/sock", CGROUP_SOCK, CGROUP_INET_SOCK_CREATE, ATTACHABLE_OPT),
    sec!("cgroup/post_bind4", CGROUP_SOCK, CGROUP_INET4_POST_BIND, ATTACHABLE),
    sec!("cgroup/post_bind6", CGROUP_SOCK, CGROUP_INET6_POST_BIND, ATTACHABLE),
    sec!("cgroup/bind4", CGROUP_SOCK_ADDR, CGROUP_INET4_BIND, ATTACHABLE),
    sec!("cgroup/bind6", CGROUP_SOCK_ADDR, CGROUP_INET6_BIND, ATTACHABLE),
    sec!("cgroup/connect4", CGROUP_SOCK_ADDR, CGROUP_INET4_CONNECT, ATTACHABLE),
    sec!("cgroup/connect6", CGROUP_SOCK_ADDR, CGROUP_INET6_CONNECT, ATTACHABLE),
    sec!("cgroup/connect_unix", CGROUP_SOCK_ADDR, CGROUP_UNIX_CONNECT, ATTACHABLE),
    sec!("cgroup/sendmsg4", CGROUP_SOCK_ADDR, CGROUP_UDP4_SENDMSG, ATTACHABLE),
    sec!("cgroup/sendmsg6", CGROUP_SOCK_ADDR, CGROUP_UDP6_SENDMSG, ATTACHABLE),
    sec!("cgroup/sendmsg_unix", CGROUP_SOCK_ADDR, CGROUP_UNIX_SENDMSG, ATTACHABLE),
    sec!("cgroup/recvmsg4", CGROUP_SOCK_ADDR, CGROUP_UDP4_RECVMSG, ATTACHABLE),
    sec!("cgroup/recvmsg6", CGROUP_SOCK_ADDR, CGROUP_UDP6_RECVMSG, ATTACHABLE),
    sec!("cgroup/recvmsg_unix", CGROUP_SOCK_ADDR, CGROUP_UNIX_RECVMSG, ATTACHABLE),
    sec!("cgroup/getpeername4", CGROUP_SOCK_ADDR, CGROUP_INET4_GETPEERNAME, ATTACHABLE),
    sec!("cgroup/getpeername6", CGROUP_SOCK_ADDR, CGROUP_INET6_GETPEERNAME, ATTACHABLE),
    sec!("cgroup/getpeername_unix", CGROUP_SOCK_ADDR, CGROUP_UNIX_GETPEERNAME, ATTACHABLE),
    sec!("cgroup/getsockname4", CGROUP_SOCK_ADDR, CGROUP_INET4_GETSOCKNAME, ATTACHABLE),
    sec!("cgroup/getsockname6", CGROUP_SOCK_ADDR, CGROUP_INET6_GETSOCKNAME, ATTACHABLE),
    sec!("cgroup/getsockname_unix", CGROUP_SOCK_ADDR, CGROUP_UNIX_GETSOCKNAME, ATTACHABLE),
    sec!("cgroup/sysctl", CGROUP_SYSCTL, CGROUP_SYSCTL, ATTACHABLE),
    sec!("cgroup/getsockopt", CGROUP_SOCKOPT, CGROUP_GETSOCKOPT, ATTACHABLE),
    sec!("cgroup/setsockopt", CGROUP_SOCKOPT, CGROUP_SETSOCKOPT, ATTACHABLE),
    sec!("cgroup/dev", CGROUP_DEVICE, CGROUP_DEVICE, ATTACHABLE_OPT),
    sec!("struct_ops+", STRUCT_OPS, 0, NONE),
    sec!("struct_ops.s+", STRUCT_OPS, 0, SLEEPABLE),
    sec!("sk_lookup", SK_LOOKUP, SK_LOOKUP, ATTACHABLE),
    sec!("netfilter", NETFILTER, NETFILTER, NONE),
];

impl SecDef {
    fn matches(&self, name: &str) -> bool {
        let p = self.pattern;
        if let Some(pfx) = p.strip_suffix('+') {
            name == pfx || name.strip_prefix(pfx).is_some_and(|r| r.starts_with('/'))
        } else if p.ends_with('/') {
            name.starts_with(p)
        } else {
            name == p
        }
    }

    /// The part of the pattern a user writes (without `+`).
    pub fn example(&self) -> &'static str {
        self.pattern.trim_end_matches('+')
    }
}

/// The definition a program section name selects (a leading `?` is ignored).
pub fn find(section: &str) -> Option<&'static SecDef> {
    let name = section.strip_prefix('?').unwrap_or(section);
    SECTION_DEFS.iter().find(|d| d.matches(name))
}

/// The closest known section name, for "did you mean" on an unknown one.
pub fn closest(section: &str) -> Option<&'static str> {
    let name = section.strip_prefix('?').unwrap_or(section);
    let head = name.split('/').next().unwrap_or(name);
    SECTION_DEFS
        .iter()
        .map(|d| d.example())
        .map(|e| (edit_distance(head, e.split('/').next().unwrap_or(e)).min(edit_distance(name, e)), e))
        .filter(|(d, e)| *d <= (e.len() / 3).max(2))
        .min_by_key(|(d, e)| (*d, e.len()))
        .map(|(_, e)| e)
}

/// The context struct programs of this type receive, if it is a named struct.
pub fn ctx_struct(t: ProgType) -> Option<&'static str> {
    Some(match t {
        ProgType::SOCKET_FILTER
        | ProgType::SCHED_CLS
        | ProgType::SCHED_ACT
        | ProgType::CGROUP_SKB
        | ProgType::LWT_IN
        | ProgType::LWT_OUT
        | ProgType::LWT_XMIT
        | ProgType::LWT_SEG6LOCAL
        | ProgType::SK_SKB
        | ProgType::FLOW_DISSECTOR => "__sk_buff",
        ProgType::XDP => "xdp_md",
        ProgType::SOCK_OPS => "bpf_sock_ops",
        ProgType::SK_MSG => "sk_msg_md",
        ProgType::CGROUP_SOCK => "bpf_sock",
        ProgType::CGROUP_SOCK_ADDR => "bpf_sock_addr",
        ProgType::CGROUP_DEVICE => "bpf_cgroup_dev_ctx",
        ProgType::CGROUP_SYSCTL => "bpf_sysctl",
        ProgType::CGROUP_SOCKOPT => "bpf_sockopt",
        ProgType::PERF_EVENT => "bpf_perf_event_data",
        ProgType::SK_LOOKUP => "bpf_sk_lookup",
        ProgType::SK_REUSEPORT => "sk_reuseport_md",
        ProgType::KPROBE => "pt_regs",
        ProgType::NETFILTER => "bpf_nf_ctx",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_follows_libbpf() {
        assert_eq!(find("xdp").unwrap().prog_type, ProgType::XDP);
        assert_eq!(find("?xdp").unwrap().prog_type, ProgType::XDP);
        assert_eq!(find("kprobe/do_sys_open").unwrap().prog_type, ProgType::KPROBE);
        assert_eq!(find("kprobe").unwrap().prog_type, ProgType::KPROBE);
        assert!(find("kprobeX").is_none());
        assert_eq!(find("tracepoint/syscalls/sys_enter_write").unwrap().prog_type, ProgType::TRACEPOINT);
        assert_eq!(find("cgroup/sock").unwrap().attach_type, Some(AttachType::CGROUP_INET_SOCK_CREATE));
        assert_eq!(find("cgroup/sock_release").unwrap().attach_type, Some(AttachType::CGROUP_INET_SOCK_RELEASE));
        assert!(find("xdp/foo").is_none(), "xdp is exact");
        assert_eq!(find("raw_tp.w/x").unwrap().prog_type, ProgType::RAW_TRACEPOINT_WRITABLE);
        assert_eq!(find("fentry.s/f").unwrap().flags & flags::SLEEPABLE, flags::SLEEPABLE);
    }

    /// (section, program type, expected attach type, flags) of the entries libbpf gained
    /// after 6.1.
    #[test]
    fn entries_of_6_12() {
        use ProgType as P;
        let at = |a: AttachType| Some(a);
        let cases: &[(&str, ProgType, Option<AttachType>, u32)] = &[
            ("tcx/ingress", P::SCHED_CLS, at(AttachType::TCX_INGRESS), flags::NONE),
            ("tcx/egress", P::SCHED_CLS, at(AttachType::TCX_EGRESS), flags::NONE),
            ("tc/ingress", P::SCHED_CLS, at(AttachType::TCX_INGRESS), flags::NONE),
            ("tc/egress", P::SCHED_CLS, at(AttachType::TCX_EGRESS), flags::NONE),
            ("tc", P::SCHED_CLS, None, flags::NONE),
            ("netkit/primary", P::SCHED_CLS, at(AttachType::NETKIT_PRIMARY), flags::NONE),
            ("netkit/peer", P::SCHED_CLS, at(AttachType::NETKIT_PEER), flags::NONE),
            ("netfilter", P::NETFILTER, at(AttachType::NETFILTER), flags::NONE),
            ("kprobe.session/f", P::KPROBE, at(AttachType::TRACE_KPROBE_SESSION), flags::NONE),
            ("kprobe.multi/f*", P::KPROBE, at(AttachType::TRACE_KPROBE_MULTI), flags::NONE),
            ("uprobe.multi/bin:f", P::KPROBE, at(AttachType::TRACE_UPROBE_MULTI), flags::NONE),
            ("uprobe.multi.s/bin:f", P::KPROBE, at(AttachType::TRACE_UPROBE_MULTI), flags::SLEEPABLE),
            ("uretprobe.multi", P::KPROBE, at(AttachType::TRACE_UPROBE_MULTI), flags::NONE),
            ("uretprobe.multi.s/x", P::KPROBE, at(AttachType::TRACE_UPROBE_MULTI), flags::SLEEPABLE),
            ("ksyscall/openat", P::KPROBE, None, flags::NONE),
            ("usdt/lib:prov:name", P::KPROBE, None, flags::USDT),
            ("usdt.s", P::KPROBE, None, flags::USDT | flags::SLEEPABLE),
            ("struct_ops.s/dump", P::STRUCT_OPS, None, flags::SLEEPABLE),
            ("struct_ops/init", P::STRUCT_OPS, None, flags::NONE),
            ("cgroup/connect_unix", P::CGROUP_SOCK_ADDR, at(AttachType::CGROUP_UNIX_CONNECT), flags::ATTACHABLE),
            ("cgroup/sendmsg_unix", P::CGROUP_SOCK_ADDR, at(AttachType::CGROUP_UNIX_SENDMSG), flags::ATTACHABLE),
            ("cgroup/recvmsg_unix", P::CGROUP_SOCK_ADDR, at(AttachType::CGROUP_UNIX_RECVMSG), flags::ATTACHABLE),
            (
                "cgroup/getpeername_unix",
                P::CGROUP_SOCK_ADDR,
                at(AttachType::CGROUP_UNIX_GETPEERNAME),
                flags::ATTACHABLE,
            ),
            (
                "cgroup/getsockname_unix",
                P::CGROUP_SOCK_ADDR,
                at(AttachType::CGROUP_UNIX_GETSOCKNAME),
                flags::ATTACHABLE,
            ),
            ("sk_skb/verdict", P::SK_SKB, at(AttachType::SK_SKB_VERDICT), flags::ATTACHABLE_OPT),
            ("sk_skb/stream_verdict", P::SK_SKB, at(AttachType::SK_SKB_STREAM_VERDICT), flags::ATTACHABLE_OPT),
            ("iter.s/task", P::TRACING, at(AttachType::TRACE_ITER), flags::ATTACH_BTF | flags::SLEEPABLE),
            ("lsm_cgroup/socket_bind", P::LSM, at(AttachType::LSM_CGROUP), flags::ATTACH_BTF),
            ("sockops", P::SOCK_OPS, at(AttachType::CGROUP_SOCK_OPS), flags::ATTACHABLE_OPT),
            ("xdp.frags/devmap", P::XDP, at(AttachType::XDP_DEVMAP), flags::XDP_FRAGS),
            ("xdp.frags/cpumap", P::XDP, at(AttachType::XDP_CPUMAP), flags::XDP_FRAGS),
            ("xdp.frags", P::XDP, at(AttachType::XDP), flags::XDP_FRAGS),
        ];
        for &(name, pt, at, fl) in cases {
            let d = find(name).unwrap_or_else(|| panic!("{name} not found"));
            assert_eq!((d.prog_type, d.attach_type, d.flags), (pt, at, fl), "{name}");
        }
        // Exact names stay exact; `tc/other` is not a tcx section.
        assert!(find("tcx").is_none());
        assert!(find("tc/other").is_none());
        assert!(find("netfilter/x").is_none());
        assert!(find("sk_skb/verdictx").is_none());
        assert_eq!(ctx_struct(ProgType::NETFILTER), Some("bpf_nf_ctx"));
    }

    #[test]
    fn suggestions() {
        assert_eq!(closest("kprob/do_sys_open"), Some("kprobe"));
        assert_eq!(closest("tracepoin/sched/x"), Some("tracepoint"));
        assert_eq!(closest("sockets"), Some("socket"));
        assert_eq!(closest("zzzzzzzz"), None);
    }
}
