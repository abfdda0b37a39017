//! The workspace's `rust-version` is true: every member crate inherits it
//! (`rust-version.workspace = true`), and no dependency in the lock file declares a newer one.
//! (Our own code's use of newer std APIs is caught by clippy's `incompatible_msrv`, which
//! `cargo clippy -- -D warnings` runs against this same `rust-version`.)

use std::path::Path;
use std::process::Command;

fn parse(v: &str) -> (u64, u64, u64) {
    let mut it = v.split('.').map(|p| p.parse::<u64>().unwrap_or_else(|_| panic!("bad rust-version {v:?}")));
    (it.next().unwrap_or(0), it.next().unwrap_or(0), it.next().unwrap_or(0))
}

#[test]
fn rust_version_is_inherited_and_covers_dependencies() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let workspace_toml = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let declared = workspace_toml
        .lines()
        .find_map(|l| l.trim().strip_prefix("rust-version = "))
        .map(|v| v.trim_matches('"').to_string())
        .expect("[workspace.package] declares rust-version");
    let ours = parse(&declared);

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--offline", "--locked"])
        .current_dir(root)
        .output()
        .expect("cargo metadata runs");
    assert!(out.status.success(), "cargo metadata: {}", String::from_utf8_lossy(&out.stderr));
    let m: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let members: Vec<&str> = m["workspace_members"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    let resolved: Vec<&str> =
        m["resolve"]["nodes"].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap()).collect();
    assert!(members.len() >= 9, "members: {members:?}");

    let mut problems = Vec::new();
    for p in m["packages"].as_array().unwrap() {
        let id = p["id"].as_str().unwrap();
        let name = p["name"].as_str().unwrap();
        let rv = p["rust_version"].as_str();
        if members.contains(&id) {
            // Inheriting gives the same value; check the manifest says `workspace = true` so a
            // later bump of the workspace value reaches every crate.
            let manifest = std::fs::read_to_string(p["manifest_path"].as_str().unwrap()).unwrap();
            if !manifest.lines().any(|l| l.trim().replace(' ', "") == "rust-version.workspace=true") {
                problems.push(format!("{name}: does not inherit rust-version (add `rust-version.workspace = true`)"));
            }
            if rv != Some(declared.as_str()) {
                problems.push(format!("{name}: rust-version {rv:?}, workspace {declared}"));
            }
        } else if resolved.contains(&id) {
            if let Some(rv) = rv {
                if parse(rv) > ours {
                    problems.push(format!("dependency {name} {}: rust-version {rv} > ours {declared}", p["version"]));
                }
            }
        }
    }
    assert!(problems.is_empty(), "rust-version problems:\n{}", problems.join("\n"));
}

#[test]
fn version_parse() {
    assert!(parse("1.88") > parse("1.87.9"));
    assert!(parse("1.85.0") < parse("1.88"));
    assert_eq!(parse("1.88"), parse("1.88.0"));
}
