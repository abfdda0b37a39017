//! A program of the campaign: raw instructions, program type, the maps it references, and
//! the same program as bpflint sees it.

use bpf_isa::RawInsn;
use bpflint::{analyze_raw, MapDesc, RawOptions};
use bpfobj::uapi::{AttachType, ProgType};

/// A map a program references (created in the kernel; described to bpflint).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Map {
    pub map_type: u32,
    pub key_size: u32,
    pub value_size: u32,
    pub max_entries: u32,
    pub flags: u32,
}

pub const MAP_HASH: u32 = 1;
pub const MAP_ARRAY: u32 = 2;

impl Map {
    pub fn array(value_size: u32, max_entries: u32) -> Map {
        Map { map_type: MAP_ARRAY, key_size: 4, value_size, max_entries, flags: 0 }
    }
    pub fn hash(key_size: u32, value_size: u32) -> Map {
        Map { map_type: MAP_HASH, key_size, value_size, max_entries: 16, flags: 0 }
    }
    pub fn desc(&self) -> MapDesc {
        let mut m = MapDesc::new(self.map_type, self.key_size, self.value_size, self.max_entries);
        m.flags = self.flags;
        m
    }
}

/// One program: `ld_imm64` map references are listed in `map_refs` (instruction index, map
/// index); their `imm` is patched with the map's fd when loaded into the kernel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prog {
    pub prog_type: u32,
    pub attach_type: u32,
    pub insns: Vec<RawInsn>,
    pub maps: Vec<Map>,
    pub map_refs: Vec<(usize, u32)>,
    /// Loaded with BTF and one func_info record per function (what callbacks need).
    pub func_info: bool,
}

/// A verdict and the verifier's (or bpflint's) last message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub accept: bool,
    /// Empty when accepted.
    pub msg: String,
}

impl Prog {
    pub fn opts(&self) -> RawOptions {
        RawOptions {
            prog_type: ProgType(self.prog_type),
            attach_type: AttachType(self.attach_type),
            maps: self.maps.iter().map(Map::desc).collect(),
            map_refs: self.map_refs.clone(),
            func_info: self.func_info,
            ..Default::default()
        }
    }

    /// bpflint's verdict.
    pub fn lint(&self) -> Outcome {
        let v = analyze_raw(&self.insns, &self.opts());
        match v.error {
            None => Outcome { accept: true, msg: String::new() },
            Some(e) => Outcome { accept: false, msg: format!("{}: {}", e.insn, e.kernel.lines().last().unwrap_or("")) },
        }
    }

    /// First instructions of the functions: 0, bpf-to-bpf call targets and callbacks.
    pub fn func_starts(&self) -> Vec<usize> {
        let mut v = vec![0];
        for i in starts(&self.insns) {
            let x = self.insns[i];
            let pseudo_call = x.code == 0x85 && x.src == 1;
            let pseudo_func = x.code == 0x18 && x.src == 4;
            if pseudo_call || pseudo_func {
                let t = i as i64 + 1 + x.imm as i64;
                if (0..self.insns.len() as i64).contains(&t) {
                    v.push(t as usize);
                }
            }
        }
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Program type name as the case files spell it.
    pub fn type_name(&self) -> String {
        prog_type_name(self.prog_type).map(str::to_string).unwrap_or_else(|| self.prog_type.to_string())
    }
}

const TYPES: &[(&str, u32)] = &[
    ("socket_filter", 1),
    ("kprobe", 2),
    ("sched_cls", 3),
    ("sched_act", 4),
    ("tracepoint", 5),
    ("xdp", 6),
    ("perf_event", 7),
    ("cgroup_skb", 8),
    ("cgroup_sock", 9),
    ("lwt_in", 10),
    ("lwt_out", 11),
    ("lwt_xmit", 12),
    ("sock_ops", 13),
    ("sk_skb", 14),
    ("cgroup_device", 15),
    ("sk_msg", 16),
    ("raw_tracepoint", 17),
    ("cgroup_sock_addr", 18),
    ("lwt_seg6local", 19),
    ("lirc_mode2", 20),
    ("sk_reuseport", 21),
    ("flow_dissector", 22),
    ("cgroup_sysctl", 23),
    ("raw_tracepoint_writable", 24),
    ("cgroup_sockopt", 25),
    ("tracing", 26),
    ("struct_ops", 27),
    ("ext", 28),
    ("lsm", 29),
    ("sk_lookup", 30),
    ("syscall", 31),
    ("netfilter", 32),
];

pub fn prog_type_name(t: u32) -> Option<&'static str> {
    TYPES.iter().find(|(_, v)| *v == t).map(|(n, _)| *n)
}

pub fn prog_type_by_name(s: &str) -> Option<u32> {
    TYPES.iter().find(|(n, _)| *n == s).map(|(_, v)| *v).or_else(|| s.parse().ok())
}

/// The slots that start an instruction (the second half of `ld_imm64` does not).
pub fn starts(insns: &[RawInsn]) -> Vec<usize> {
    let mut v = Vec::new();
    let mut i = 0;
    while i < insns.len() {
        v.push(i);
        i += if insns[i].code == 0x18 { 2 } else { 1 };
    }
    v
}

/// Number of slots of the instruction at `i`.
pub fn width(insns: &[RawInsn], i: usize) -> usize {
    if insns[i].code == 0x18 {
        2
    } else {
        1
    }
}
