//! Asking the running kernel: whether `bpf(2)` is usable, a private bpffs directory for pins,
//! `bpftool`, `BPF_PROG_TEST_RUN` on pinned programs, map dumps, and test packets.
//!
//! Loading goes through `bpftool` (libbpf does the relocations, map creation and CO-RE that
//! the tests want to see done); running goes through [`bpfsys::prog_test_run`] so that every
//! program type (raw_tp takes no packet, only a context) is run the same way.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

pub use bpfsys::{TestRun, TestRunResult};

/// Why `bpf(2)` cannot be used here (`EPERM`: not root, or unprivileged BPF disabled), or
/// `None` when it can. Any other failure of the probe is not a reason to skip: it panics.
pub fn bpf_unavailable() -> Option<String> {
    match bpfsys::btf_load(&tiny_btf(), false) {
        Ok(_) => None,
        Err(e) if e.errno == EPERM => Some(format!("bpf(2) is not permitted here ({e})")),
        Err(e) => panic!("bpf(BPF_BTF_LOAD) of a minimal BTF failed: {e}"),
    }
}

/// `EPERM` (the same number on every Linux architecture).
const EPERM: i32 = 1;

/// The smallest valid BTF: one `int`.
fn tiny_btf() -> Vec<u8> {
    let strings = b"\0int\0";
    let mut b = Vec::new();
    b.extend_from_slice(&0xeb9fu16.to_le_bytes()); // magic
    b.extend_from_slice(&[1, 0]); // version, flags
    for v in [24u32, 0, 16, 16, strings.len() as u32] {
        b.extend_from_slice(&v.to_le_bytes()); // hdr_len, type_off, type_len, str_off, str_len
    }
    for v in [1u32, 1 << 24, 4, (1 << 24) | 32] {
        b.extend_from_slice(&v.to_le_bytes()); // name "int", kind INT, size 4, signed 32 bits
    }
    b.extend_from_slice(strings);
    b
}

/// A directory of its own under `/sys/fs/bpf`, removed with everything pinned in it on drop.
pub struct BpffsDir {
    path: PathBuf,
}

impl BpffsDir {
    /// `/sys/fs/bpf/<prefix>-<pid>-<nanoseconds>`.
    pub fn new(prefix: &str) -> BpffsDir {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let path = PathBuf::from(format!("/sys/fs/bpf/{prefix}-{}-{nanos}", std::process::id()));
        if let Err(e) = std::fs::create_dir_all(&path) {
            panic!("cannot create {}: {e} (is bpffs mounted on /sys/fs/bpf?)", path.display());
        }
        BpffsDir { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A path inside the directory.
    pub fn join(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }
}

impl Drop for BpffsDir {
    fn drop(&mut self) {
        // bpffs: unlinking a pin drops its reference; rmdir works once the directory is empty.
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// Runs `bpftool ARGS`; `Ok(stdout)` on success, else a message with the command and stderr.
pub fn bpftool<S: AsRef<OsStr>>(args: &[S]) -> Result<String, String> {
    let out = Command::new("bpftool").args(args).output().map_err(|e| format!("cannot run bpftool: {e}"))?;
    let shown: Vec<String> = args.iter().map(|a| a.as_ref().to_string_lossy().into_owned()).collect();
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        let err = String::from_utf8_lossy(&out.stderr);
        let tail: Vec<&str> = err.lines().rev().take(40).collect::<Vec<_>>().into_iter().rev().collect();
        Err(format!("`bpftool {}` failed ({}):\n{}", shown.join(" "), out.status, tail.join("\n")))
    }
}

/// `BPF_PROG_TEST_RUN` on the program pinned at `pinned`.
pub fn test_run(pinned: &Path, run: &TestRun<'_>) -> Result<TestRunResult, String> {
    let fd = bpfsys::obj_get(pinned).map_err(|e| format!("BPF_OBJ_GET {}: {e}", pinned.display()))?;
    bpfsys::prog_test_run(&fd, run).map_err(|e| format!("BPF_PROG_TEST_RUN {}: {e}", pinned.display()))
}

/// `bpftool map dump pinned PATH -j`, parsed: one object per entry, with `formatted` (the
/// entry decoded with the map's BTF) beside the raw bytes.
pub fn map_dump(pinned: &Path) -> Result<serde_json::Value, String> {
    let out = bpftool(&[OsStr::new("map"), "dump".as_ref(), "pinned".as_ref(), pinned.as_os_str(), "-j".as_ref()])?;
    serde_json::from_str(&out).map_err(|e| format!("bpftool map dump {}: bad JSON ({e}): {out}", pinned.display()))
}

/// The one entry in `dir` whose name ends with `suffix` (libbpf pins the internal map of
/// `.bss` of object `obj` as `obj_bss`, its name truncated to fit 15 characters).
pub fn find_pin(dir: &Path, suffix: &str) -> Result<PathBuf, String> {
    let mut found = Vec::new();
    for e in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let e = e.map_err(|e| format!("{}: {e}", dir.display()))?;
        if e.file_name().to_string_lossy().ends_with(suffix) {
            found.push(e.path());
        }
    }
    match found.len() {
        1 => Ok(found.remove(0)),
        _ => Err(format!("expected one pin ending in `{suffix}` in {}, found {found:?}", dir.display())),
    }
}

/// The variables of an internal map (`.bss`, `.data`, `.rodata`) from its BTF-formatted dump:
/// `name -> value`.
pub fn global_vars(pinned_map: &Path) -> Result<serde_json::Map<String, serde_json::Value>, String> {
    let dump = map_dump(pinned_map)?;
    let entry = dump.get(0).ok_or_else(|| format!("{}: empty dump", pinned_map.display()))?;
    let value = &entry["formatted"]["value"];
    let vars = value
        .as_object()
        .and_then(|o| o.values().next())
        .and_then(|v| v.as_array())
        .ok_or_else(|| format!("{}: no BTF-formatted DATASEC in {entry}", pinned_map.display()))?;
    let mut out = serde_json::Map::new();
    for v in vars {
        if let Some(o) = v.as_object() {
            out.extend(o.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
    }
    Ok(out)
}

/// Test packets: Ethernet + IPv4 (no options) + a transport header and payload.
pub mod packet {
    pub const ETH_HLEN: usize = 14;
    pub const IPPROTO_ICMP: u8 = 1;
    pub const IPPROTO_TCP: u8 = 6;
    pub const IPPROTO_UDP: u8 = 17;

    /// An Ethernet frame carrying IPv4 with protocol `proto`, destination port `dport` (for
    /// TCP and UDP) and `payload` bytes of payload.
    pub fn ipv4(proto: u8, dport: u16, payload: usize) -> Vec<u8> {
        let l4 = match proto {
            IPPROTO_TCP => 20,
            IPPROTO_UDP => 8,
            _ => 8,
        };
        let ip_len = 20 + l4 + payload;
        let mut p = Vec::with_capacity(ETH_HLEN + ip_len);
        p.extend_from_slice(&[0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00]);
        let mut ip = vec![0x45, 0, (ip_len >> 8) as u8, ip_len as u8, 0, 0, 0x40, 0, 64, proto, 0, 0];
        ip.extend_from_slice(&[10, 0, 0, 1, 10, 0, 0, 2]);
        let sum = checksum(&ip);
        ip[10..12].copy_from_slice(&sum.to_be_bytes());
        p.extend_from_slice(&ip);
        let mut l4h = vec![0u8; l4];
        if proto == IPPROTO_TCP || proto == IPPROTO_UDP {
            l4h[0..2].copy_from_slice(&40000u16.to_be_bytes());
            l4h[2..4].copy_from_slice(&dport.to_be_bytes());
        }
        if proto == IPPROTO_TCP {
            l4h[12] = 5 << 4; // data offset
            l4h[13] = 0x02; // SYN
        }
        if proto == IPPROTO_UDP {
            l4h[4..6].copy_from_slice(&((8 + payload) as u16).to_be_bytes());
        }
        p.extend_from_slice(&l4h);
        p.extend(std::iter::repeat_n(0xab, payload));
        p
    }

    /// An Ethernet frame that is not IPv4 (an IPv6 ethertype with a zeroed header).
    pub fn ipv6_frame() -> Vec<u8> {
        let mut p = vec![0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x86, 0xdd];
        p.extend_from_slice(&[0x60; 1]);
        p.extend(std::iter::repeat_n(0, 47));
        p
    }

    fn checksum(b: &[u8]) -> u16 {
        let mut s: u32 = b.chunks(2).map(|c| u32::from(c[0]) << 8 | u32::from(*c.get(1).unwrap_or(&0))).sum();
        while s > 0xffff {
            s = (s & 0xffff) + (s >> 16);
        }
        !(s as u16)
    }
}
