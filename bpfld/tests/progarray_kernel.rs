//! Acceptance 4: program-array members checked by bpfld (`--prog-array`) and by the running
//! kernel (BPF_MAP_UPDATE_ELEM into a real BPF_MAP_TYPE_PROG_ARRAY after the owner was
//! inserted): for every case both must agree.
//!
//! The bpf(2) calls are small helpers local to this test (bpfsys has only BTF_LOAD today).
#![allow(unsafe_code)]

mod common;

use bpfobj::progsec::{self, flags};
use common::*;

mod sys {
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

    const BPF_MAP_CREATE: libc::c_long = 0;
    const BPF_MAP_UPDATE_ELEM: libc::c_long = 2;
    const BPF_PROG_LOAD: libc::c_long = 5;
    pub const BPF_F_XDP_HAS_FRAGS: u32 = 1 << 5;
    pub const BPF_F_SLEEPABLE: u32 = 1 << 4;

    /// A zeroed `union bpf_attr` (larger than any field we set), 8-byte aligned.
    #[repr(C, align(8))]
    struct Attr([u8; 160]);

    impl Attr {
        fn new() -> Self {
            Attr([0; 160])
        }
        fn u32(&mut self, off: usize, v: u32) {
            self.0[off..off + 4].copy_from_slice(&v.to_ne_bytes());
        }
        fn u64(&mut self, off: usize, v: u64) {
            self.0[off..off + 8].copy_from_slice(&v.to_ne_bytes());
        }
    }

    fn bpf(cmd: libc::c_long, attr: &mut Attr) -> Result<i32, i32> {
        // SAFETY: `attr` is a live, aligned buffer of the size passed; the kernel reads at most
        // that many bytes and writes only inside it. Pointers stored in it outlive the call.
        let r = unsafe { libc::syscall(libc::SYS_bpf, cmd, attr as *mut Attr, std::mem::size_of::<Attr>() as u32) };
        if r < 0 {
            Err(std::io::Error::last_os_error().raw_os_error().unwrap_or(libc::EINVAL))
        } else {
            Ok(r as i32)
        }
    }

    fn own(fd: i32) -> OwnedFd {
        // SAFETY: the kernel just returned this new descriptor; nobody else owns it.
        unsafe { OwnedFd::from_raw_fd(fd) }
    }

    pub fn prog_array(max_entries: u32) -> Result<OwnedFd, i32> {
        let mut a = Attr::new();
        a.u32(0, 3); // BPF_MAP_TYPE_PROG_ARRAY
        a.u32(4, 4);
        a.u32(8, 4);
        a.u32(12, max_entries);
        bpf(BPF_MAP_CREATE, &mut a).map(own)
    }

    /// Load `r0 = 0; exit` as the given type.
    pub fn prog_load(prog_type: u32, attach_type: u32, prog_flags: u32) -> Result<OwnedFd, i32> {
        let insns: [u8; 16] = [0xb7, 0, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0];
        let license = b"GPL\0";
        let mut a = Attr::new();
        a.u32(0, prog_type);
        a.u32(4, 2);
        a.u64(8, insns.as_ptr() as u64);
        a.u64(16, license.as_ptr() as u64);
        a.u32(44, prog_flags);
        a.u32(68, attach_type);
        bpf(BPF_PROG_LOAD, &mut a).map(own)
    }

    pub fn update(map: &OwnedFd, key: u32, prog: &OwnedFd) -> Result<(), i32> {
        let k = key;
        let v: u32 = prog.as_raw_fd() as u32;
        let mut a = Attr::new();
        a.u32(0, map.as_raw_fd() as u32);
        a.u64(8, &k as *const u32 as u64);
        a.u64(16, &v as *const u32 as u64);
        bpf(BPF_MAP_UPDATE_ELEM, &mut a).map(|_| ())
    }
}

/// (owner section, member section, expected verdict: true = compatible).
const CASES: &[(&str, &str, bool)] = &[
    ("xdp", "xdp", true),
    ("xdp", "tc", false),
    ("xdp", "xdp.frags", false),
    ("xdp.frags", "xdp.frags", true),
    ("xdp", "xdp/devmap", false),
    ("xdp/devmap", "xdp/devmap", true),
    ("cgroup_skb/ingress", "cgroup_skb/egress", false),
    ("cgroup_skb/ingress", "cgroup_skb/ingress", true),
    ("tc", "tc", true),
    ("tc", "socket", false),
    ("socket", "socket", true),
    ("uprobe.s/x", "uprobe.s/x", true),
    ("uprobe/x", "uprobe.s/x", true),
    ("tcx/ingress", "tcx/ingress", true),
    ("tcx/ingress", "tc", false),
];

fn kernel_verdict(owner: &str, member: &str) -> Result<bool, String> {
    let load = |sec: &str| {
        let d = progsec::find(sec).unwrap();
        let mut fl = 0;
        if d.flags & flags::XDP_FRAGS != 0 {
            fl |= sys::BPF_F_XDP_HAS_FRAGS;
        }
        if d.flags & flags::SLEEPABLE != 0 {
            fl |= sys::BPF_F_SLEEPABLE;
        }
        sys::prog_load(d.prog_type.0, d.attach_type.map_or(0, |a| a.0), fl)
            .map_err(|e| format!("load {sec}: errno {e}"))
    };
    let (o, m) = (load(owner)?, load(member)?);
    let arr = sys::prog_array(2).map_err(|e| format!("map create: errno {e}"))?;
    sys::update(&arr, 0, &o).map_err(|e| format!("insert owner {owner}: errno {e}"))?;
    match sys::update(&arr, 1, &m) {
        Ok(()) => Ok(true),
        Err(libc::EINVAL) => Ok(false),
        Err(e) => Err(format!("insert member {member}: errno {e}")),
    }
}

fn bpfld_verdict(dir: &std::path::Path, i: usize, owner: &str, member: &str) -> Vec<String> {
    let src = format!(
        r#"#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct {{
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__type(key, int);
	__type(value, int);
}} jumps SEC(".maps");
SEC("{owner}") int owner_prog(void *ctx) {{ bpf_tail_call(ctx, &jumps, 1); return 0; }}
SEC("{member}") int member_prog(void *ctx) {{ return 0; }}
char LICENSE[] SEC("license") = "GPL";
"#
    );
    let obj = clang(dir, &format!("pa{i}"), &src);
    let linked = bpfld::link(&[("pa.o".into(), std::fs::read(obj).unwrap())], &bpfld::Options::default()).unwrap();
    let out = bpfld::input::parse("pa.o", &linked.bytes).unwrap();
    let decl: bpfld::progarray::Decl = "jumps=member_prog".parse().unwrap();
    bpfld::progarray::check(&out, &[decl], &Default::default()).into_iter().map(|d| d.message).collect()
}

#[test]
fn prog_array_matrix_agrees_with_kernel() {
    if !installed("clang-19") {
        return skip("clang-19 not installed");
    }
    let dir = scratch("progarray");
    let kernel = is_root();
    if !kernel {
        skip("not root: kernel verdicts not checked");
    }
    let mut failures = Vec::new();
    let mut agreed = 0;
    for (i, &(owner, member, want)) in CASES.iter().enumerate() {
        let msgs = bpfld_verdict(&dir, i, owner, member);
        let ours = msgs.is_empty();
        if ours != want {
            failures.push(format!("{owner} <- {member}: bpfld says {ours} ({msgs:?}), expected {want}"));
        }
        if !ours && !msgs.iter().any(|m| m.contains("member_prog") && m.contains("owner_prog")) {
            failures.push(format!("{owner} <- {member}: message should name both programs: {msgs:?}"));
        }
        if kernel {
            match kernel_verdict(owner, member) {
                Ok(k) if k == ours => agreed += 1,
                Ok(k) => failures.push(format!("{owner} <- {member}: kernel says {k}, bpfld says {ours}")),
                Err(e) => failures.push(format!("{owner} <- {member}: {e}")),
            }
        }
    }
    println!("prog-array matrix: {} cases, kernel agreed on {agreed}", CASES.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
