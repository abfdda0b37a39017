//! Locating the binaries under test and the external tools the differential tests need.
//!
//! # How the tests find `bpfasm`
//!
//! 1. If the environment variable `BPFASM` is set, it is the path of the binary to test (for
//!    testing an installed or release build: `BPFASM=target/release/bpfasm cargo test ...`).
//! 2. Otherwise the harness runs `cargo build -p bpfasm --bin bpfasm --message-format=json` once
//!    per test process, with the target directory and profile of the running test executable
//!    (found from `std::env::current_exe()`, so `CARGO_TARGET_DIR`, `--target-dir` and
//!    `--release` all work), and takes the path from Cargo's `executable` message. This is never
//!    stale, needs no extra build step, and costs nothing when bpfasm is up to date. It works
//!    because Cargo releases its build lock before it runs the tests.
//!    (`env!("CARGO_BIN_EXE_bpfasm")` only exists inside the bpfasm package, and artifact
//!    dependencies are unstable.)

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The workspace root (the parent of this crate).
pub fn workspace_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

/// True when running in CI (`CI=true`), where a missing tool is an error, not a skip.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Reports a missing prerequisite: prints `skipped: <what>`, or panics under `CI=true`.
pub fn skip(what: &str) {
    if in_ci() {
        panic!("{what} (CI=true, so this is an error rather than a skip)");
    }
    println!("skipped: {what}");
}

/// Whether `tool` can be run (`tool --version` starts). Does not print anything.
pub fn installed(tool: &str) -> bool {
    Command::new(tool).arg("--version").output().is_ok_and(|o| o.status.success())
}

/// Whether python3 can import `module`.
pub fn python_has(module: &str) -> bool {
    Command::new("python3").args(["-c", &format!("import {module}")]).status().is_ok_and(|s| s.success())
}

/// The first line of `tool --version`, for cache keys.
pub fn version_line(tool: &str) -> String {
    Command::new(tool)
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout).lines().find(|l| !l.trim().is_empty()).map(|l| l.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

/// The `bpfasm` binary to test (see the module documentation). Panics with Cargo's output if
/// it cannot be built.
pub fn bpfasm() -> &'static Path {
    static PATH: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match PATH.get_or_init(|| locate("bpfasm", "BPFASM")) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    }
}

/// The `bpfld` binary to test (`BPFLD=path` overrides), built like [`bpfasm`].
pub fn bpfld() -> &'static Path {
    static PATH: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match PATH.get_or_init(|| locate("bpfld", "BPFLD")) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    }
}

/// The `bpflint` binary to test (`BPFLINT=path` overrides), built like [`bpfasm`].
pub fn bpflint() -> &'static Path {
    static PATH: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match PATH.get_or_init(|| locate("bpflint", "BPFLINT")) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    }
}

/// The `btf` binary to test (`BTF=path` overrides), built like [`bpfasm`].
pub fn btf() -> &'static Path {
    static PATH: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match PATH.get_or_init(|| locate("btf", "BTF")) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    }
}

/// Build `package`'s binary of the same name with the running test's profile and target dir
/// (a no-op when it is up to date), unless `env_var` names a prebuilt binary.
fn locate(package: &str, env_var: &str) -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os(env_var) {
        let p = PathBuf::from(p);
        return if p.is_file() { Ok(p) } else { Err(format!("{env_var}={} is not a file", p.display())) };
    }
    // <target>/<profile>/deps/<test>-<hash>
    let exe = std::env::current_exe().map_err(|e| format!("current_exe: {e}"))?;
    let profile_dir =
        exe.parent().and_then(Path::parent).ok_or("cannot find the profile directory of the test executable")?;
    let target_dir = profile_dir.parent().ok_or("cannot find the target directory of the test executable")?;
    let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
        Some("debug") | None => "dev".to_string(),
        Some(p) => p.to_string(),
    };
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(&cargo)
        .current_dir(workspace_root())
        .args(["build", "-p", package, "--bin", package])
        .args(["--message-format=json-render-diagnostics", "--profile", &profile])
        .arg("--target-dir")
        .arg(target_dir)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", Path::new(&cargo).display()))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let head: Vec<&str> = stderr.lines().take(60).collect();
        return Err(format!(
            "`cargo build -p {package}` failed ({}); set {env_var}=<path> to test a prebuilt binary\n{}",
            out.status,
            head.join("\n")
        ));
    }
    for line in stdout.lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if msg["reason"] == "compiler-artifact" && msg["target"]["name"] == package {
            if let Some(exe) = msg["executable"].as_str() {
                return Ok(PathBuf::from(exe));
            }
        }
    }
    Err(format!("`cargo build -p {package}` did not report an executable\n{}", String::from_utf8_lossy(&out.stderr)))
}
