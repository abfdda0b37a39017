//! Random instructions -> the offline verifier, under several program types: it must return a
//! verdict (never panic, never hang: the 1M processed-instruction limit bounds the work).
#![no_main]

use bpf_isa::{Endian, RawInsn};
use bpfobj::uapi::ProgType;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else { return };
    let insns: Vec<RawInsn> =
        rest.chunks_exact(8).map(|c| RawInsn::from_bytes(c.try_into().expect("8 bytes"), Endian::Little)).collect();
    if insns.is_empty() {
        return;
    }
    let types = [
        ProgType::SOCKET_FILTER,
        ProgType::XDP,
        ProgType::SCHED_CLS,
        ProgType::KPROBE,
        ProgType::TRACEPOINT,
        ProgType::RAW_TRACEPOINT,
        ProgType::CGROUP_SKB,
        ProgType::SOCK_OPS,
    ];
    let opts = bpflint::RawOptions { prog_type: types[sel as usize % types.len()], ..Default::default() };
    let _ = bpflint::analyze_raw(&insns, &opts);
});
