//! What the running kernel does with the lints' positive examples (`tests/cli/bpflint-lints`):
//! each is assembled, loaded with `bpftool prog loadall` (libbpf), and attached or inserted into
//! its program array, to show the kernel really fails where bpflint says it does - at attach
//! time, at map update time, at load time - or silently accepts.
//!
//! Needs root, bpffs at /sys/fs/bpf, tracefs, bpftool and bpfasm (see `tests/cli.rs`); skipped
//! otherwise (failed when `CI=true`). Attaching uses perf_event_open + PERF_EVENT_IOC_SET_BPF
//! (tracepoints) and BPF_RAW_TRACEPOINT_OPEN (raw tracepoints), through the small helpers below.
#![allow(unsafe_code)]

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn bpfasm() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("BPFASM") {
        return Some(PathBuf::from(p));
    }
    let mut dirs = vec![workspace().join("target")];
    if let Some(t) = std::env::var_os("CARGO_TARGET_DIR") {
        dirs.insert(0, PathBuf::from(t));
    }
    dirs.into_iter().flat_map(|d| ["release", "debug"].map(|p| d.join(p).join("bpfasm"))).find(|p| p.exists())
}

fn tracefs() -> Option<PathBuf> {
    bpfobj::tracefs::default_root()
}

/// Whether the test can run here; prints why not.
fn ready() -> Option<PathBuf> {
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    let bpftool = Command::new("bpftool").arg("version").output().is_ok_and(|o| o.status.success());
    let asm = bpfasm();
    let ok = root && bpftool && asm.is_some() && Path::new("/sys/fs/bpf").is_dir() && tracefs().is_some();
    if !ok {
        let msg = format!(
            "kernel lint checks need root ({root}), bpftool ({bpftool}), bpfasm ({}), bpffs and tracefs",
            asm.is_some()
        );
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("{msg}");
        }
        eprintln!("skipped: {msg}");
        return None;
    }
    asm
}

/// One example loaded into the kernel; pins removed on drop.
struct Loaded {
    progs: PathBuf,
    maps: PathBuf,
    ok: bool,
    log: String,
}

impl Drop for Loaded {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.progs);
        let _ = std::fs::remove_dir_all(&self.maps);
    }
}

impl Loaded {
    fn prog(&self, name: &str) -> OwnedFd {
        bpfsys::obj_get(&self.progs.join(name)).unwrap_or_else(|e| panic!("open pinned {name}: {e}"))
    }
}

fn load(asm: &Path, name: &str) -> Loaded {
    let src = workspace().join("tests/cli/bpflint-lints").join(format!("{name}.s"));
    let obj = std::env::temp_dir().join(format!("bpflint-kernel-{}-{name}.o", std::process::id()));
    let st = Command::new(asm).arg("-g").arg(&src).arg("-o").arg(&obj).status().expect("bpfasm");
    assert!(st.success(), "bpfasm {name}");
    let tag = format!("bpflint-lints-{}-{name}", std::process::id());
    let progs = PathBuf::from("/sys/fs/bpf").join(&tag);
    let maps = PathBuf::from("/sys/fs/bpf").join(format!("{tag}-maps"));
    let out = Command::new("bpftool")
        .args(["prog", "loadall"])
        .arg(&obj)
        .arg(&progs)
        .arg("pinmaps")
        .arg(&maps)
        .output()
        .expect("bpftool");
    let _ = std::fs::remove_file(&obj);
    let log = String::from_utf8_lossy(&out.stderr).into_owned();
    Loaded { progs, maps, ok: out.status.success(), log }
}

fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

/// perf_event_open(PERF_TYPE_TRACEPOINT, id) + PERF_EVENT_IOC_SET_BPF: Ok or the errno.
fn attach_tracepoint(prog: &OwnedFd, cat: &str, event: &str) -> Result<(), i32> {
    let root = tracefs().expect("tracefs");
    let id: u64 = std::fs::read_to_string(root.join("events").join(cat).join(event).join("id"))
        .map_err(|e| e.raw_os_error().unwrap_or(libc::ENOENT))?
        .trim()
        .parse()
        .map_err(|_| libc::EINVAL)?;
    // struct perf_event_attr: type u32, size u32, config u64, sample_period u64, ... (128 bytes
    // is PERF_ATTR_SIZE_VER7 and larger than needed; zeroes are defaults).
    let mut attr = [0u8; 128];
    attr[0..4].copy_from_slice(&2u32.to_ne_bytes()); // PERF_TYPE_TRACEPOINT
    attr[4..8].copy_from_slice(&128u32.to_ne_bytes());
    attr[8..16].copy_from_slice(&id.to_ne_bytes());
    attr[16..24].copy_from_slice(&1u64.to_ne_bytes()); // sample_period
                                                       // SAFETY: attr is a valid, zero-initialised perf_event_attr of the size it declares.
    let fd = unsafe { libc::syscall(libc::SYS_perf_event_open, attr.as_ptr(), -1i32, 0i32, -1i32, 0u64) };
    if fd < 0 {
        return Err(errno());
    }
    // SAFETY: a new descriptor we own.
    let ev = unsafe { OwnedFd::from_raw_fd(fd as i32) };
    const PERF_EVENT_IOC_SET_BPF: libc::c_ulong = 0x4004_2408;
    // SAFETY: the ioctl takes a program fd by value.
    let r = unsafe { libc::ioctl(ev.as_raw_fd(), PERF_EVENT_IOC_SET_BPF, prog.as_raw_fd()) };
    if r < 0 {
        Err(errno())
    } else {
        Ok(())
    }
}

/// BPF_RAW_TRACEPOINT_OPEN: Ok or the errno.
fn attach_raw_tp(prog: &OwnedFd, name: &str) -> Result<(), i32> {
    let cname = std::ffi::CString::new(name).expect("name");
    #[repr(C, align(8))]
    struct Attr {
        name: u64,
        prog_fd: u32,
        _pad: u32,
        cookie: u64,
    }
    let mut attr = Attr { name: cname.as_ptr() as u64, prog_fd: prog.as_raw_fd() as u32, _pad: 0, cookie: 0 };
    // SAFETY: attr is a live repr(C) struct; the kernel reads the name through a valid C string.
    let r = unsafe {
        libc::syscall(libc::SYS_bpf, 17 as libc::c_long, &mut attr as *mut Attr, std::mem::size_of::<Attr>() as u32)
    };
    if r < 0 {
        return Err(errno());
    }
    // SAFETY: a new descriptor we own (closing it detaches).
    drop(unsafe { OwnedFd::from_raw_fd(r as i32) });
    Ok(())
}

/// `bpftool map update` of slot 0 of the pinned program array with a pinned program.
fn prog_array_insert(l: &Loaded, map: &str, prog: &str) -> Result<(), String> {
    let out = Command::new("bpftool")
        .args(["map", "update", "pinned"])
        .arg(l.maps.join(map))
        .args(["key", "0", "0", "0", "0", "value", "pinned"])
        .arg(l.progs.join(prog))
        .output()
        .expect("bpftool");
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

fn lint(name: &str, extra: &[&str]) -> String {
    let asm = bpfasm().expect("bpfasm");
    let dir = workspace().join("tests/cli/bpflint-lints");
    let obj = std::env::temp_dir().join(format!("bpflint-kernel-lint-{}-{name}.o", std::process::id()));
    assert!(Command::new(asm)
        .arg("-g")
        .arg(dir.join(format!("{name}.s")))
        .arg("-o")
        .arg(&obj)
        .status()
        .unwrap()
        .success());
    let out = Command::new(env!("CARGO_BIN_EXE_bpflint")).args(extra).arg(&obj).current_dir(&dir).output().unwrap();
    let _ = std::fs::remove_file(&obj);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn tracepoint_abi_on_the_kernel() {
    let Some(asm) = ready() else { return };
    // past the record: loads, attach refused with EACCES
    let l = load(&asm, "tp-past-record");
    assert!(l.ok, "{}", l.log);
    assert_eq!(attach_tracepoint(&l.prog("tp_past_record"), "sched", "sched_switch"), Err(libc::EACCES));
    assert!(lint("tp-past-record", &[]).contains("EACCES"));
    // wrong offsets and sizes inside the record: loaded and attached silently
    for (name, prog, cat, ev) in [
        ("tp-inside-field", "tp_inside_field", "sched", "sched_switch"),
        ("tp-size-mismatch", "tp_size_mismatch", "sched", "sched_switch"),
        ("tp-padding", "tp_padding", "syscalls", "sys_enter_openat"),
    ] {
        let l = load(&asm, name);
        assert!(l.ok, "{name}: {}", l.log);
        assert_eq!(attach_tracepoint(&l.prog(prog), cat, ev), Ok(()), "{name}: the kernel accepts silently");
        assert!(lint(name, &[]).contains("warning[tracepoint-abi]"), "{name}");
    }
    // a missing event: loads, nothing to attach to
    let l = load(&asm, "tp-missing-event");
    assert!(l.ok, "{}", l.log);
    assert_eq!(attach_tracepoint(&l.prog("tp_missing"), "sched", "sched_no_such_event"), Err(libc::ENOENT));
    // raw_tp argument past the tracepoint's: loads, attach refused with EINVAL
    let l = load(&asm, "rawtp-args");
    assert!(l.ok, "{}", l.log);
    assert_eq!(attach_raw_tp(&l.prog("rawtp_args"), "sched_switch"), Err(libc::EINVAL));
    let ok = load(&asm, "rawtp-ok");
    assert!(ok.ok, "{}", ok.log);
    assert_eq!(attach_raw_tp(&ok.prog("rawtp_ok"), "sched_switch"), Ok(()));
    // hard-coded struct offset: loads (nothing checks it)
    let l = load(&asm, "probe-read-offset");
    assert!(l.ok, "{}", l.log);
}

#[test]
fn context_cast_on_the_kernel() {
    let Some(asm) = ready() else { return };
    // statically initialised member of another type: libbpf's map update fails, so the load does
    let l = load(&asm, "tail-static-xdp");
    assert!(!l.ok && l.log.contains("failed to initialize slot [0]") && l.log.contains("-22"), "{}", l.log);
    // members named with --prog-array: the map update fails with EINVAL
    for (name, member) in [("tail-prog-array-flag", "sf_member"), ("tail-attach-type", "egress")] {
        let l = load(&asm, name);
        assert!(l.ok, "{name}: {}", l.log);
        let e = prog_array_insert(&l, "jmp", member).expect_err("the kernel refuses the insertion");
        assert!(e.contains("Invalid argument"), "{name}: {e}");
    }
    // ... and accepts a member of the same type and attach type
    let l = load(&asm, "tail-prog-array-ok");
    assert!(l.ok, "{}", l.log);
    assert_eq!(prog_array_insert(&l, "jmp", "ingress2"), Ok(()));
    // global function typed for another context: the load fails; static: accepted silently
    let l = load(&asm, "ctx-global-func");
    assert!(!l.ok, "ctx-global-func loaded");
    let l = load(&asm, "ctx-static-func");
    assert!(l.ok, "{}", l.log);
    // read-only field, past the context: the load fails
    for name in ["ctx-write-ro", "ctx-past-end"] {
        let l = load(&asm, name);
        assert!(!l.ok && l.log.contains("invalid bpf_context access"), "{name}: {}", l.log);
    }
}

#[test]
fn stack_instrumentation_on_the_kernel() {
    let Some(asm) = ready() else { return };
    // accepted by the kernel, over 512 bytes once rewritten (or instrumented)
    for name in ["stack-bpf-loop-496", "stack-may-goto", "stack-map-trace", "stack-headroom"] {
        let l = load(&asm, name);
        assert!(l.ok, "{name}: the kernel accepts: {}", l.log);
    }
    // the 6.1 chain (544 with 32-byte rounding) is exactly 512 with 6.18's JIT rounding
    let l = load(&asm, "stack-chain-61");
    let native_618 = bpflint::Profile::native().name == "6.18";
    assert_eq!(l.ok, native_618, "{}", l.log);
    // tail call below 272 bytes of callers' frames: the load fails
    let l = load(&asm, "stack-tail-256");
    assert!(!l.ok && l.log.contains("tail_calls are not allowed"), "{}", l.log);
    assert!(lint("stack-bpf-loop-496", &[]).contains("520 bytes"));
}
