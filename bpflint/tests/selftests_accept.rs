//! Every kernel selftests program object (linux-source 6.1, compiled by clang-19:
//! `target/corpus/out/*.clang.o`) whose programs the running kernel loads must be accepted by
//! bpflint. The kernel's verdict comes from `bpftool prog loadall` (libbpf: maps created,
//! `.kconfig` filled, programs loaded with their BTF), bpflint's from the library with the
//! running kernel's profile and configuration (what `bpflint prog.o` does by default).
//! `cargo test --release -p bpflint --test selftests_accept -- --nocapture` prints the counts.
//! Skipped (printed) without root, bpftool or bpffs; those are failures under `CI=true`.

use std::path::Path;
use std::process::Command;

use bpflint::object::{load, LoadOptions};
use bpflint::verify;

fn skip(why: &str) {
    assert!(std::env::var("CI").as_deref() != Ok("true"), "{why} (CI=true)");
    eprintln!("skipped: {why}");
}

/// Whether the kernel loads every program of `obj` (pinned under a scratch bpffs folder,
/// removed again).
fn kernel_loads(obj: &Path, pin: &Path) -> bool {
    let _ = std::fs::remove_dir_all(pin);
    let ok =
        Command::new("bpftool").arg("prog").arg("loadall").arg(obj).arg(pin).output().is_ok_and(|o| o.status.success());
    let _ = std::fs::remove_dir_all(pin);
    ok
}

#[test]
fn objects_the_kernel_loads_are_accepted() {
    let Some(corpus) = toolchain_tests::corpus::get() else {
        return skip("the selftests corpus could not be built");
    };
    let objs = corpus.clang_objects();
    if Command::new("bpftool").arg("version").output().is_err() {
        return skip("bpftool is not installed");
    }
    let bpffs = Path::new("/sys/fs/bpf");
    let mounted =
        std::fs::read_to_string("/proc/mounts").unwrap_or_default().lines().any(|l| l.contains(" /sys/fs/bpf bpf "));
    if !mounted {
        return skip("bpffs is not mounted at /sys/fs/bpf");
    }
    let pin = bpffs.join(format!("bpflint_selftests_accept_{}", std::process::id()));
    let opts = LoadOptions::default();
    let (mut loaded, mut accepted) = (0, 0);
    let mut rejected = Vec::new();
    for o in &objs {
        if !kernel_loads(o, &pin) {
            continue;
        }
        loaded += 1;
        let name = o.file_name().unwrap_or_default().to_string_lossy().to_string();
        let data = std::fs::read(o).expect("corpus object");
        let progs = match load(&data, &opts) {
            Ok(p) => p,
            Err(e) => {
                rejected.push(format!("{name}: not loaded: {}", e.0));
                continue;
            }
        };
        let bad: Vec<String> = progs
            .iter()
            .filter_map(|p| {
                let v = verify(p);
                v.error.map(|e| format!("{name}/{}: insn {}: {}", p.name, e.insn, e.kernel))
            })
            .collect();
        if bad.is_empty() {
            accepted += 1;
        } else {
            rejected.extend(bad);
        }
    }
    if loaded == 0 {
        // bpf() refused everything: not root, or no BPF in this kernel
        return skip("the kernel loaded none of the corpus objects (bpf() not permitted?)");
    }
    println!("selftests objects: {} compiled; the kernel loads {loaded}; bpflint accepts {accepted}", objs.len());
    assert!(rejected.is_empty(), "bpflint rejects objects the kernel loads:\n{}", rejected.join("\n"));
}
