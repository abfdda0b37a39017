//! `bpfobj/src/uapi.rs` is what `scripts/gen-uapi.py` makes of Linux 6.12's `linux/bpf.h`
//! (extracted from the installed `linux-source-6.12` package at test time) plus
//! `scripts/uapi-extra.txt`, byte for byte; and it knows every program, map, attach, link
//! type and helper id of the running kernel's BTF.
//!
//! Without the package (or `python3`, or `/sys/kernel/btf/vmlinux`) a test prints
//! "skipped: why", unless `CI=true`, where that is a failure.

use bpfobj::uapi;
use std::path::{Path, PathBuf};
use std::process::Command;

const SOURCE: &str = "/usr/src/linux-source-6.12.tar.xz";
const HEADER: &str = "linux-source-6.12/include/uapi/linux/bpf.h";

fn skip(why: &str) {
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{why} (CI=true: not skipping)");
    }
    eprintln!("skipped: {why}");
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

#[test]
fn regenerating_reproduces_the_committed_table() {
    if !Path::new(SOURCE).exists() {
        return skip(&format!("{SOURCE} not installed (apt-get install linux-source-6.12)"));
    }
    let dir = std::env::temp_dir().join(format!("bpfobj-uapi-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let tar = Command::new("tar").args(["xJf", SOURCE, "-C"]).arg(&dir).arg(HEADER).status();
    assert!(tar.is_ok_and(|s| s.success()), "tar xJf {SOURCE} {HEADER} failed");
    let root = repo();
    let out = Command::new("python3")
        .arg(root.join("scripts/gen-uapi.py"))
        .arg(dir.join(HEADER))
        .arg("--extra")
        .arg(root.join("scripts/uapi-extra.txt"))
        .output();
    std::fs::remove_dir_all(&dir).ok();
    let out = match out {
        Ok(o) => o,
        Err(e) => return skip(&format!("python3: {e}")),
    };
    assert!(out.status.success(), "gen-uapi.py failed: {}", String::from_utf8_lossy(&out.stderr));
    let committed = std::fs::read_to_string(root.join("bpfobj/src/uapi.rs")).unwrap();
    let generated = String::from_utf8(out.stdout).unwrap();
    if generated != committed {
        let first = generated.lines().zip(committed.lines()).position(|(a, b)| a != b);
        panic!(
            "bpfobj/src/uapi.rs differs from the generator's output (first differing line {:?}; {} vs {} lines); \
             regenerate it as scripts/gen-uapi.py says",
            first.map(|i| i + 1),
            generated.lines().count(),
            committed.lines().count()
        );
    }
    // The 6.12 header's helpers and types, and the 6.18 extra, are there.
    assert_eq!(uapi::helper_name(211), Some("cgrp_storage_delete"));
    assert_eq!(uapi::constant("BPF_FUNC_map_lookup_elem"), Some(1));
    assert_eq!(uapi::ProgType::NETFILTER, uapi::ProgType(32));
    assert_eq!(uapi::MapType::ARENA, uapi::MapType(33));
    assert_eq!(uapi::AttachType::TRACE_UPROBE_SESSION, uapi::AttachType(57));
    assert_eq!(uapi::LinkType::SOCKMAP.to_string(), "BPF_LINK_TYPE_SOCKMAP");
    assert_eq!(uapi::MapType(19).to_string(), "BPF_MAP_TYPE_CGROUP_STORAGE");
}

#[test]
fn the_running_kernels_enums_are_all_known() {
    let Ok(data) = std::fs::read("/sys/kernel/btf/vmlinux") else {
        return skip("/sys/kernel/btf/vmlinux not readable");
    };
    let btf = btf::Btf::parse(&data).expect("kernel BTF parses");
    let mut checked = 0;
    for t in btf.types() {
        let tag = btf.name_of(&t);
        let known: Vec<(String, u64)> = match tag {
            "bpf_func_id" => uapi::HELPERS.iter().map(|h| (format!("BPF_FUNC_{}", h.0), h.1 as u64)).collect(),
            "bpf_map_type" => uapi::MapType::ALL.iter().map(|e| (e.0.to_string(), e.1 .0 as u64)).collect(),
            "bpf_prog_type" => uapi::ProgType::ALL.iter().map(|e| (e.0.to_string(), e.1 .0 as u64)).collect(),
            "bpf_attach_type" => uapi::AttachType::ALL.iter().map(|e| (e.0.to_string(), e.1 .0 as u64)).collect(),
            "bpf_link_type" => uapi::LinkType::ALL.iter().map(|e| (e.0.to_string(), e.1 .0 as u64)).collect(),
            _ => continue,
        };
        if t.enum_values().len() == 0 {
            continue;
        }
        for v in t.enum_values() {
            let name = btf.str_at(v.name_off).unwrap_or_default();
            if name.starts_with("__") {
                continue;
            }
            assert!(
                known.iter().any(|k| k.0 == name && k.1 == v.val),
                "the running kernel has {tag} {name} = {}, bpfobj/src/uapi.rs does not: \
                 add it to scripts/uapi-extra.txt (scripts/gen-uapi.py --btf-extra) and regenerate",
                v.val
            );
            checked += 1;
        }
    }
    assert!(checked > 300, "only {checked} enumerators of the five enums found in the kernel's BTF");
}
