//! Golden CLI tests: `tests/cli/bpfld/*.test` (see `tests/cli/README.md`).
//!
//! A case holds its inputs, split like LLVM's `split-file`: a line `#--- a.c` starts file
//! `a.c`, which runs to the next `#---` line. Lines before the first `#---` are directives:
//!   `# RUN: clang a.c -o %t/a.o`  a command that must exit 0
//!   `# FAIL: bpfld %t/a.o -o %t/out.o`  a command that must exit 1 (input error)
//!   `# USAGE: bpfld %t/a.o`  a command that must exit 2 (usage error)
//! Programs: `bpfld` (this crate), `ar` (binutils), `sh` (a script among the split files),
//! `bpfasm` (`$BPFASM`, else built by
//! `toolchain_tests::tools::bpfasm`), `clang` (`clang-19 -O2 -g -target bpf -mcpu=v3 -c`, libbpf
//! headers from the system). `%t` is a scratch directory holding the split files; commands run
//! there. The stdout and stderr of the `bpfld` commands, concatenated, with the scratch path
//! printed as `%t`, must equal `<name>.stdout` / `<name>.stderr`. A failing command must leave
//! no `-o` output behind. `BLESS=1 cargo test -p bpfld --test cli` rewrites the golden files.

use std::path::{Path, PathBuf};
use std::process::Command;

fn cli_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/cli/bpfld")
}

fn run_case(path: &Path, bless: bool) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let stem = path.file_stem().unwrap().to_string_lossy().to_string();
    let dir = std::env::temp_dir().join(format!("bpfld-cli-{}-{stem}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let t = dir.display().to_string();
    // Split files.
    let mut directives = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("#--- ") {
            if let Some((n, body)) = current.take() {
                std::fs::write(dir.join(n), body).map_err(|e| e.to_string())?;
            }
            current = Some((name.trim().to_string(), String::new()));
        } else if let Some((_, body)) = &mut current {
            body.push_str(line);
            body.push('\n');
        } else {
            directives.push(line.to_string());
        }
    }
    if let Some((n, body)) = current.take() {
        std::fs::write(dir.join(n), body).map_err(|e| e.to_string())?;
    }
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let mut ran = 0;
    for line in &directives {
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
        let words: Vec<String> = cmd.split_whitespace().map(|w| w.replace("%t", &t)).collect();
        let (prog, args) = words.split_first().ok_or("empty command")?;
        let mut c = match prog.as_str() {
            "bpfld" => Command::new(env!("CARGO_BIN_EXE_bpfld")),
            "bpfasm" => Command::new(toolchain_tests::tools::bpfasm()),
            "clang" => {
                let mut c = Command::new("clang-19");
                c.args(["-O2", "-g", "-target", "bpf", "-mcpu=v3", "-c"]);
                // <linux/bpf.h> wants <asm/types.h> from the host's multiarch include dir.
                for d in ["/usr/include/x86_64-linux-gnu", "/usr/include/aarch64-linux-gnu"] {
                    if Path::new(d).is_dir() {
                        c.args(["-idirafter", d]);
                    }
                }
                c
            }
            // Archives: binutils `ar`, and `sh` for scripts among the split files (cutting or
            // patching bytes of an archive).
            "ar" => Command::new("ar"),
            "sh" => Command::new("sh"),
            other => return Err(format!("unknown program {other}")),
        };
        let out = c.args(args).current_dir(&dir).env("NO_COLOR", "1").output().map_err(|e| e.to_string())?;
        let code = out.status.code().unwrap_or(-1);
        if code != want {
            return Err(format!(
                "`{}` exited {code}, expected {want}\nstdout:\n{}\nstderr:\n{}",
                cmd.trim(),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        if code != 0 {
            if let Some(i) = args.iter().position(|a| a == "-o") {
                if let Some(o) = args.get(i + 1) {
                    if Path::new(o).exists() {
                        return Err(format!("`{}` failed but left {o} behind", cmd.trim()));
                    }
                }
            }
        }
        if prog == "bpfld" {
            stdout.extend_from_slice(String::from_utf8_lossy(&out.stdout).replace(&t, "%t").as_bytes());
            stderr.extend_from_slice(String::from_utf8_lossy(&out.stderr).replace(&t, "%t").as_bytes());
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    if ran == 0 {
        return Err("no `# RUN:`/`# FAIL:`/`# USAGE:` line".into());
    }
    toolchain_tests::golden::check(path.parent().unwrap_or(Path::new(".")), &stem, &stdout, &stderr, bless)
}

#[test]
fn golden() {
    if Command::new("clang-19").arg("--version").output().is_err() {
        eprintln!("skipped: clang-19 not installed");
        return;
    }
    let bless = std::env::var_os("BLESS").is_some();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(cli_dir())
        .expect("tests/cli/bpfld")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "test"))
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
    assert!(cases.len() >= 15, "expected at least 15 golden cases, found {}", cases.len());
}

/// A failed link removes its output only when that is a regular file: `-o /dev/null` run as
/// root once deleted the device node. A FIFO stands in for the device here.
#[test]
fn failed_link_keeps_an_output_that_is_not_a_file() {
    let dir = std::env::temp_dir().join(format!("bpfld-cli-{}-fifo", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("bad.o"), b"not an object").unwrap();
    let fifo = dir.join("out");
    let made = Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success());
    assert!(made, "mkfifo");
    let out = Command::new(env!("CARGO_BIN_EXE_bpfld")).arg(dir.join("bad.o")).arg("-o").arg(&fifo).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let kept = std::fs::symlink_metadata(&fifo).map(|m| m.file_type());
    use std::os::unix::fs::FileTypeExt;
    assert!(kept.is_ok_and(|t| t.is_fifo()), "the FIFO given as output was removed");
    let _ = std::fs::remove_dir_all(&dir);
}
