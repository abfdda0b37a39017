//! Golden CLI tests: `tests/cli/bpfasm/*.s` (see `tests/cli/README.md`).
//!
//! Each input starts with directive lines:
//!   `# RUN: bpfasm %s -o %t`        a command that must exit 0
//!   `# FAIL: bpfasm %s -o %t`       a command that must exit 1 (input error)
//!   `# USAGE: bpfasm --mcpu=v9 %s`  a command that must exit 2 (usage error)
//! `%s` is the input file name, `%t` a scratch file. Commands run in the input's folder with
//! NO_COLOR set; their stdout and stderr, concatenated, must equal `<name>.stdout` / `<name>.stderr`.
//! `BLESS=1 cargo test -p bpfasm --test cli` rewrites the golden files.

use std::path::{Path, PathBuf};
use std::process::Command;

fn cli_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/cli/bpfasm")
}

fn run_case(path: &Path, bless: bool) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let stem = path.file_stem().unwrap().to_string_lossy().to_string();
    let dir = path.parent().unwrap();
    let scratch = std::env::temp_dir().join(format!("bpfasm-cli-{}-{stem}.o", std::process::id()));
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
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
        let words: Vec<String> = cmd
            .split_whitespace()
            .map(|w| w.replace("%s", &name).replace("%t", &scratch.display().to_string()))
            .collect();
        let (prog, args) = words.split_first().ok_or("empty command")?;
        let exe = match prog.as_str() {
            "bpfasm" => env!("CARGO_BIN_EXE_bpfasm").to_string(),
            other => return Err(format!("unknown program {other}")),
        };
        let out =
            Command::new(exe).args(args).current_dir(dir).env("NO_COLOR", "1").output().map_err(|e| e.to_string())?;
        let code = out.status.code().unwrap_or(-1);
        if code != want {
            return Err(format!(
                "`{}` exited {code}, expected {want}\nstderr:\n{}",
                cmd.trim(),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        stdout.extend_from_slice(&out.stdout);
        stderr.extend_from_slice(
            &String::from_utf8_lossy(&out.stderr).replace(&scratch.display().to_string(), "%t").into_bytes(),
        );
    }
    let _ = std::fs::remove_file(&scratch);
    if ran == 0 {
        return Err("no `# RUN:`/`# FAIL:`/`# USAGE:` line".into());
    }
    toolchain_tests::golden::check(dir, &stem, &stdout, &stderr, bless)
}

#[test]
fn golden() {
    let bless = std::env::var_os("BLESS").is_some();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(cli_dir())
        .expect("tests/cli/bpfasm")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "s"))
        .collect();
    cases.sort();
    let mut failures = Vec::new();
    for c in &cases {
        if let Err(e) = run_case(c, bless) {
            failures.push(format!("{}: {e}", c.display()));
        }
    }
    println!("cli golden: {} cases, {} failed", cases.len(), failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(cases.len() >= 30, "expected at least 30 golden cases, found {}", cases.len());
}
