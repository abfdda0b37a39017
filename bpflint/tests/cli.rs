//! Golden CLI tests: `tests/cli/bpflint/*.s` (see `tests/cli/README.md`).
//!
//! Each input starts with directive lines:
//!   `# RUN: bpfasm %s -o %t`   assemble (must exit 0)
//!   `# FAIL: bpflint %t`        lint (must exit 1: some program rejected)
//!   `# RUN: bpflint %t`         lint (must exit 0)
//!   `# USAGE: bpflint ...`      must exit 2
//! `%s` is the input file name, `%t` a scratch object. Commands run in the input's folder; their
//! stdout and stderr (scratch path replaced by `%t`) must equal `<name>.stdout` / `<name>.stderr`.
//! `BLESS=1 cargo test -p bpflint --test cli` rewrites the golden files.
//!
//! bpfasm is found through `BPFASM`, else built by `toolchain_tests::tools::bpfasm`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn run_case(path: &Path, asm: &Path, bless: bool) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let stem = path.file_stem().unwrap().to_string_lossy().to_string();
    let dir = path.parent().unwrap();
    let folder = dir.file_name().unwrap_or_default().to_string_lossy().to_string();
    let scratch = std::env::temp_dir().join(format!("bpflint-cli-{}-{folder}-{stem}.o", std::process::id()));
    let scratch_s = scratch.display().to_string();
    let (mut stdout, mut stderr) = (String::new(), String::new());
    let mut ran = 0;
    for line in text.lines() {
        let (want, cmd) = if let Some(c) = line.strip_prefix("# RUN:") {
            (0, c)
        } else if let Some(c) = line.strip_prefix("# FAIL:") {
            (1, c)
        } else if let Some(c) = line.strip_prefix("# USAGE:") {
            (2, c)
        } else {
            continue;
        };
        ran += 1;
        let words: Vec<String> =
            cmd.split_whitespace().map(|w| w.replace("%s", &name).replace("%t", &scratch_s)).collect();
        let (prog, args) = words.split_first().ok_or("empty command")?;
        let exe = match prog.as_str() {
            "bpfasm" => asm.to_path_buf(),
            "bpflint" => PathBuf::from(env!("CARGO_BIN_EXE_bpflint")),
            other => return Err(format!("unknown program {other}")),
        };
        let out =
            Command::new(exe).args(args).current_dir(dir).env("NO_COLOR", "1").output().map_err(|e| e.to_string())?;
        let code = out.status.code().unwrap_or(-1);
        if code != want {
            return Err(format!(
                "`{}` exited {code}, expected {want}\nstdout:\n{}\nstderr:\n{}",
                cmd.trim(),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        stdout.push_str(&String::from_utf8_lossy(&out.stdout).replace(&scratch_s, "%t"));
        stderr.push_str(&String::from_utf8_lossy(&out.stderr).replace(&scratch_s, "%t"));
    }
    let _ = std::fs::remove_file(&scratch);
    if ran == 0 {
        return Err("no `# RUN:`/`# FAIL:`/`# USAGE:` line".into());
    }
    toolchain_tests::golden::check(dir, &stem, stdout.as_bytes(), stderr.as_bytes(), bless)
}

#[test]
fn golden() {
    run_dir("tests/cli/bpflint", 20);
}

/// The lints' examples: `tests/cli/bpflint-lints/*.s`.
#[test]
fn lints_golden() {
    run_dir("tests/cli/bpflint-lints", 30);
}

/// The verifier of today's kernels: `tests/cli/bpflint-modern/*.s` (kernel verdicts asserted by
/// `tests/modern_kernel.rs`).
#[test]
fn modern_golden() {
    run_dir("tests/cli/bpflint-modern", 2);
}

fn run_dir(folder: &str, min: usize) {
    let asm = toolchain_tests::tools::bpfasm();
    let bless = toolchain_tests::golden::bless();
    let dir = workspace().join(folder);
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect(folder)
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "s"))
        .collect();
    inputs.sort();
    assert!(inputs.len() >= min, "expected at least {min} golden inputs in {folder}");
    let mut failures = Vec::new();
    for p in &inputs {
        if let Err(e) = run_case(p, asm, bless) {
            failures.push(format!("{}: {e}", p.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} golden tests failed:\n{}",
        failures.len(),
        inputs.len(),
        failures.join("\n\n")
    );
}
