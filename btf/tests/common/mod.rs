#![allow(dead_code)]
use std::path::PathBuf;
use std::process::Command;

/// Whether an external tool can run. Missing tools skip the test with a message, except in
/// CI (`CI=true`), where they fail it.
pub fn have_tool(name: &str, arg: &str) -> bool {
    let ok = Command::new(name).arg(arg).output().map(|o| o.status.success()).unwrap_or(false);
    if !ok {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("{name} is required in CI but could not run");
        }
        eprintln!("SKIP: {name} not found");
    }
    ok
}

/// `/sys/kernel/btf/vmlinux` and the module BTF files (sorted), or none with a message.
pub fn sysfs_btf() -> Option<(PathBuf, Vec<PathBuf>)> {
    let dir = std::path::Path::new("/sys/kernel/btf");
    let vmlinux = dir.join("vmlinux");
    if !vmlinux.exists() {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("/sys/kernel/btf/vmlinux is required in CI");
        }
        eprintln!("SKIP: no /sys/kernel/btf/vmlinux");
        return None;
    }
    let mut mods: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().is_some_and(|n| n != "vmlinux"))
        .collect();
    mods.sort();
    Some((vmlinux, mods))
}
