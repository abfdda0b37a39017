//! The btf library pulls no command-line crates: clap (and bpfcli, clap_complete,
//! clap_mangen) come only with the `cli` feature, the `btf` command's. Asked of cargo itself
//! (`cargo tree`, offline: the workspace's dependencies are already fetched to build it).

use std::process::Command;

/// The packages (names) btf depends on, normal and build dependencies, transitively.
fn tree(features: &[&str]) -> Vec<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    let o = Command::new(cargo)
        .args(["tree", "--offline", "--manifest-path", manifest, "-p", "btf", "-e", "normal,build"])
        .args(["--prefix", "none", "--format", "{p}"])
        .args(features)
        .output()
        .expect("cargo runs");
    assert!(o.status.success(), "cargo tree failed: {}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8(o.stdout).expect("utf-8");
    out.lines().filter_map(|l| l.split_whitespace().next()).map(str::to_string).collect()
}

#[test]
fn library_pulls_no_clap() {
    let lib = tree(&["--no-default-features"]);
    assert!(lib.iter().any(|p| p == "object"), "the tree was read: {lib:?}");
    let cli_crates = ["clap", "clap_builder", "clap_derive", "clap_complete", "clap_mangen", "bpfcli"];
    let found: Vec<_> = lib.iter().filter(|p| cli_crates.contains(&p.as_str())).collect();
    assert!(found.is_empty(), "btf without its `cli` feature depends on {found:?}");
    // The same question finds clap where it is (the command's feature), so the check above
    // would see it come back.
    let cli = tree(&["--features", "cli"]);
    assert!(cli.iter().any(|p| p == "clap"), "the `cli` feature brings clap: {cli:?}");
}
