//! The running kernel's verdict on every golden case of `tests/cli/bpflint-modern`: each `.s` says
//! what the kernel does with it (`# KERNEL: accept|reject`) and what bpflint says (`# RUN:` or
//! `# FAIL:` on its `bpflint` line). This test assembles each case, loads it with
//! `bpftool prog loadall` (libbpf: maps created, BTF loaded, programs loaded) and asserts the
//! kernel's verdict (`# LOAD-AS: TYPE` adds `type TYPE`, the program type a loader such as
//! iproute2 gives an unclassifiable section), so a golden file can never claim a kernel verdict that is not true; the
//! golden output itself is checked by `tests/cli.rs`. Cases marked `# KERNEL: offline` are
//! program types this kernel refuses to load (fentry/fexit/lsm: EPERM); they are listed as
//! skipped. Needs root, bpftool and bpffs: skipped otherwise (a failure under `CI=true`).

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[derive(Debug, PartialEq)]
enum Kernel {
    Accept,
    Reject,
    Offline(String),
}

/// The `# KERNEL:` line and whether bpflint is expected to reject (`# FAIL: bpflint`).
fn expectations(text: &str) -> Result<(Kernel, bool), String> {
    let kernel = text.lines().find_map(|l| l.strip_prefix("# KERNEL:")).map(str::trim).ok_or("no `# KERNEL:` line")?;
    let kernel = match kernel.split_once(' ').map_or(kernel, |(w, _)| w) {
        "accept" => Kernel::Accept,
        "reject" => Kernel::Reject,
        "offline" => Kernel::Offline(kernel.trim_start_matches("offline").trim().to_string()),
        other => return Err(format!("unknown kernel verdict `{other}`")),
    };
    let rejects = if text.lines().any(|l| l.starts_with("# FAIL: bpflint")) {
        true
    } else if text.lines().any(|l| l.starts_with("# RUN: bpflint")) {
        false
    } else {
        return Err("no `# RUN: bpflint` or `# FAIL: bpflint` line".into());
    };
    Ok((kernel, rejects))
}

fn cases() -> Vec<PathBuf> {
    let dir = workspace().join("tests/cli/bpflint-modern");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/cli/bpflint-modern")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "s"))
        .collect();
    v.sort();
    v
}

/// Every case states both verdicts, and bpflint's expected verdict is the kernel's.
#[test]
fn every_case_states_the_kernel_verdict_and_agrees_with_it() {
    let cases = cases();
    assert!(cases.len() >= 2, "golden cases missing");
    for p in &cases {
        let text = std::fs::read_to_string(p).expect("case");
        let (kernel, rejects) = expectations(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        match kernel {
            Kernel::Accept => assert!(!rejects, "{}: the kernel accepts it, bpflint must too", p.display()),
            Kernel::Reject => assert!(rejects, "{}: the kernel rejects it, bpflint must too", p.display()),
            Kernel::Offline(why) => assert!(!why.is_empty(), "{}: say why the kernel cannot judge it", p.display()),
        }
    }
}

#[test]
fn the_running_kernel_gives_the_stated_verdicts() {
    // SAFETY-free check for root: /proc/self/status Uid line.
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let root = status.lines().any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"));
    let bpftool = Command::new("bpftool").arg("version").output().is_ok_and(|o| o.status.success());
    let mounted =
        std::fs::read_to_string("/proc/mounts").unwrap_or_default().lines().any(|l| l.contains(" /sys/fs/bpf bpf "));
    if !(root && bpftool && mounted) {
        return toolchain_tests::tools::skip(&format!(
            "kernel verdicts need root ({root}), bpftool ({bpftool}) and bpffs at /sys/fs/bpf ({mounted})"
        ));
    }
    let asm = toolchain_tests::tools::bpfasm();
    let mut failures = Vec::new();
    let (mut checked, mut offline) = (0, 0);
    for p in cases() {
        let text = std::fs::read_to_string(&p).expect("case");
        let name = p.file_stem().unwrap_or_default().to_string_lossy().to_string();
        let Ok((kernel, _)) = expectations(&text) else { continue };
        if let Kernel::Offline(why) = &kernel {
            println!("skipped (kernel): {name}: {why}");
            offline += 1;
            continue;
        }
        let obj = std::env::temp_dir().join(format!("bpflint-modern-{}-{name}.o", std::process::id()));
        let st = Command::new(asm).arg("-g").arg(&p).arg("-o").arg(&obj).status().expect("bpfasm");
        assert!(st.success(), "bpfasm {name}");
        let pin = PathBuf::from("/sys/fs/bpf").join(format!("bpflint-modern-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&pin);
        // `# LOAD-AS: TYPE`: the loader's program type for an unclassifiable section
        // (`bpftool prog loadall OBJ PIN type TYPE`, as iproute2 would load it).
        let load_as: Vec<&str> =
            text.lines().find_map(|l| l.strip_prefix("# LOAD-AS:")).map_or(Vec::new(), |t| vec!["type", t.trim()]);
        let out = Command::new("bpftool")
            .args(["prog", "loadall"])
            .arg(&obj)
            .arg(&pin)
            .args(&load_as)
            .output()
            .expect("bpftool");
        let _ = std::fs::remove_dir_all(&pin);
        let _ = std::fs::remove_file(&obj);
        let loaded = out.status.success();
        checked += 1;
        if loaded != (kernel == Kernel::Accept) {
            let log = String::from_utf8_lossy(&out.stderr);
            let tail: Vec<&str> = log.lines().rev().take(12).collect::<Vec<_>>().into_iter().rev().collect();
            failures.push(format!(
                "{name}: stated {kernel:?}, the kernel {}:\n{}",
                if loaded { "accepts" } else { "rejects" },
                tail.join("\n")
            ));
        }
    }
    println!("modern goldens: {checked} checked against the kernel, {offline} offline");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
