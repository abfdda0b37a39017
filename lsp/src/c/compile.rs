//! Compiling a C buffer to a BPF object with clang: the flags (from `compile_commands.json` or
//! `compile_flags.txt`, found the way clangd finds them, else defaults with the running
//! kernel's `vmlinux.h`), a timeout, cancellation, and clang's own errors.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Where clang is and how long it may take.
#[derive(Clone, Debug)]
pub struct Config {
    pub clang: String,
    pub timeout: Duration,
    pub debounce: Duration,
}

impl Config {
    /// From the environment (`BPF_LSP_CLANG`, `BPF_LSP_TIMEOUT_MS`, `BPF_LSP_DEBOUNCE_MS`),
    /// overridden by the client's `initializationOptions` (`clang`, `timeoutMs`, `debounceMs`).
    pub fn new(init: Option<&serde_json::Value>) -> Config {
        let env_ms = |k: &str, d: u64| std::env::var(k).ok().and_then(|v| v.parse().ok()).unwrap_or(d);
        let mut c = Config {
            clang: std::env::var("BPF_LSP_CLANG").unwrap_or_else(|_| "clang-19".into()),
            timeout: Duration::from_millis(env_ms("BPF_LSP_TIMEOUT_MS", 30_000)),
            debounce: Duration::from_millis(env_ms("BPF_LSP_DEBOUNCE_MS", 250)),
        };
        if let Some(o) = init {
            if let Some(s) = o.get("clang").and_then(|v| v.as_str()) {
                c.clang = s.to_string();
            }
            if let Some(n) = o.get("timeoutMs").and_then(|v| v.as_u64()) {
                c.timeout = Duration::from_millis(n);
            }
            if let Some(n) = o.get("debounceMs").and_then(|v| v.as_u64()) {
                c.debounce = Duration::from_millis(n);
            }
        }
        c
    }
}

/// Compile flags for one source file and the directory to run clang in.
#[derive(Clone, Debug, Default)]
pub struct Flags {
    pub args: Vec<String>,
    pub dir: Option<PathBuf>,
    /// Whether the project's flags target BPF (`-target bpf`, `--target=bpfel`, ...).
    pub targets_bpf: bool,
    /// Whether the flags came from the project (else defaults).
    pub from_project: bool,
}

fn split_command(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => {
                quote = Some(c);
                any = true
            }
            (_, '\\') => {
                if let Some(n) = chars.next() {
                    cur.push(n)
                }
            }
            (None, c) if c.is_whitespace() => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                any = false;
            }
            (_, c) => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Keep the flags that shape the compile (defines, includes, target, standard), not the
/// compiler, inputs, outputs or dependency files.
fn keep(args: &[String], file: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if matches!(a.as_str(), "-o" | "-MF" | "-MT" | "-MQ") {
            i += 1;
            continue;
        }
        if matches!(a.as_str(), "-c" | "-MD" | "-MMD" | "-M" | "-MM" | "-MP") || a.starts_with("-o") && a.len() > 2 {
            continue;
        }
        if !a.starts_with('-') && (Path::new(a) == file || a.ends_with(".c")) {
            continue;
        }
        out.push(a.clone());
    }
    out
}

fn targets_bpf(args: &[String]) -> bool {
    args.windows(2).any(|w| w[0] == "-target" && w[1].starts_with("bpf"))
        || args.iter().any(|a| a.starts_with("--target=bpf") || a == "-target=bpf")
}

/// The project's flags for `file`, looked up like clangd: the nearest `compile_commands.json`
/// (also in a `build/` subdirectory) with an entry for the file, else the nearest
/// `compile_flags.txt`.
pub fn flags_for(file: &Path) -> Flags {
    let mut dir = file.parent();
    while let Some(d) = dir {
        for db in [d.join("compile_commands.json"), d.join("build/compile_commands.json")] {
            let Ok(text) = std::fs::read_to_string(&db) else { continue };
            let Ok(serde_json::Value::Array(entries)) = serde_json::from_str::<serde_json::Value>(&text) else {
                continue;
            };
            for e in entries {
                let edir = PathBuf::from(e["directory"].as_str().unwrap_or("."));
                let Some(f) = e["file"].as_str() else { continue };
                let f = edir.join(f);
                let same = f == file || std::fs::canonicalize(&f).ok() == std::fs::canonicalize(file).ok();
                if !same {
                    continue;
                }
                let argv: Vec<String> = match (&e["arguments"], e["command"].as_str()) {
                    (serde_json::Value::Array(a), _) => a.iter().filter_map(|x| x.as_str().map(String::from)).collect(),
                    (_, Some(c)) => split_command(c),
                    _ => continue,
                };
                let args = keep(argv.get(1..).unwrap_or(&[]), &f);
                return Flags { targets_bpf: targets_bpf(&args), args, dir: Some(edir), from_project: true };
            }
        }
        if let Ok(text) = std::fs::read_to_string(d.join("compile_flags.txt")) {
            let args: Vec<String> = text.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect();
            return Flags { targets_bpf: targets_bpf(&args), args, dir: Some(d.to_path_buf()), from_project: true };
        }
        dir = d.parent();
    }
    Flags::default()
}

/// A directory holding the running kernel's `vmlinux.h` (made once with bpftool), used after
/// the project's own include paths.
pub fn vmlinux_dir() -> Option<PathBuf> {
    static DIR: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        // shared by every server of this kernel: one file per kernel build
        let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
        let btf = std::fs::metadata("/sys/kernel/btf/vmlinux").ok()?;
        let key = format!("{}-{}", release.trim(), btf.len());
        let dir = std::env::temp_dir().join(format!("bpf-lsp-vmlinux-{key}"));
        let h = dir.join("vmlinux.h");
        if h.exists() {
            return Some(dir);
        }
        std::fs::create_dir_all(&dir).ok()?;
        let out = Command::new("bpftool")
            .args(["btf", "dump", "file", "/sys/kernel/btf/vmlinux", "format", "c"])
            .stderr(Stdio::null())
            .output()
            .ok()?;
        if !out.status.success() {
            return None;
        }
        // written whole, then renamed: another server never sees half a header
        let tmp = dir.join(format!("vmlinux.h.{}", std::process::id()));
        std::fs::write(&tmp, out.stdout).ok()?;
        std::fs::rename(&tmp, &h).ok()?;
        Some(dir)
    })
    .clone()
}

/// One error clang printed for the buffer (1-based line and column; line 0: not in the buffer).
#[derive(Clone, Debug)]
pub struct ClangError {
    pub line: u32,
    pub col: u32,
    pub message: String,
}

pub enum Outcome {
    Object(Vec<u8>),
    Errors(Vec<ClangError>),
    /// clang could not be started.
    Missing(String),
    TimedOut,
    Cancelled,
}

/// Parse clang's `file:line:col: error: message` lines; errors in other files (headers) are
/// reported at line 0 with their location in the message.
pub fn parse_errors(stderr: &str, src: &Path) -> Vec<ClangError> {
    let src = src.display().to_string();
    let mut out = Vec::new();
    for l in stderr.lines() {
        let (loc, msg) = match l.split_once(": error: ").or_else(|| l.split_once(": fatal error: ")) {
            Some(x) => x,
            None => continue,
        };
        let mut parts = loc.rsplitn(3, ':');
        let col = parts.next().and_then(|c| c.parse::<u32>().ok());
        let line = parts.next().and_then(|c| c.parse::<u32>().ok());
        let file = parts.next();
        match (file, line, col) {
            (Some(f), Some(line), Some(col)) if f == src => {
                out.push(ClangError { line, col, message: msg.to_string() })
            }
            (Some(f), Some(line), Some(col)) => {
                out.push(ClangError { line: 0, col: 0, message: format!("{f}:{line}:{col}: {msg}") })
            }
            _ => out.push(ClangError { line: 0, col: 0, message: msg.to_string() }),
        }
    }
    if out.is_empty() {
        let text = stderr.trim();
        out.push(ClangError {
            line: 0,
            col: 0,
            message: if text.is_empty() { "clang failed".into() } else { text.to_string() },
        });
    }
    out
}

/// Compile `text` (the buffer of `file`) with clang into an object. `cancelled` is polled
/// while clang runs: when it says so, clang is killed.
pub fn compile(cfg: &Config, file: &Path, text: &str, work: &Path, cancelled: &dyn Fn() -> bool) -> Outcome {
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "buffer.bpf.c".into());
    let _ = std::fs::create_dir_all(work);
    let src = work.join(&name);
    let obj = work.join(format!("{name}.o"));
    let _ = std::fs::remove_file(&obj);
    if let Err(e) = std::fs::write(&src, text) {
        return Outcome::Missing(format!("cannot write {}: {e}", src.display()));
    }
    let flags = flags_for(file);
    let srcdir = file.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
    let mut cmd = Command::new(&cfg.clang);
    cmd.args(&flags.args);
    if !flags.from_project {
        cmd.arg("-D__TARGET_ARCH_x86");
    }
    cmd.arg("-I").arg(&srcdir);
    if let Some(d) = vmlinux_dir() {
        cmd.arg("-idirafter").arg(d);
    }
    cmd.args(["-target", "bpf", "-O2", "-g", "-c", "-fno-color-diagnostics"]).arg(&src).arg("-o").arg(&obj);
    cmd.current_dir(flags.dir.as_deref().unwrap_or(&srcdir));
    cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => return Outcome::Missing(format!("cannot run `{}`: {e}", cfg.clang)),
    };
    // Read stderr on a thread so a chatty clang cannot block on a full pipe.
    let mut err = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(e) = err.as_mut() {
            let _ = std::io::Read::read_to_string(e, &mut s);
        }
        s
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(st)) => break Some(st),
            Ok(None) => {}
            Err(_) => break None,
        }
        if cancelled() || start.elapsed() > cfg.timeout {
            let _ = child.kill();
            let _ = child.wait();
            let _ = std::fs::remove_file(&obj);
            let _ = std::fs::remove_file(&src);
            // the reader ends when every holder of the pipe is gone
            return if cancelled() { Outcome::Cancelled } else { Outcome::TimedOut };
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stderr = reader.join().unwrap_or_default();
    let out = match status {
        Some(st) if st.success() => match std::fs::read(&obj) {
            Ok(b) => Outcome::Object(b),
            Err(e) => Outcome::Errors(vec![ClangError { line: 0, col: 0, message: format!("no object: {e}") }]),
        },
        _ => Outcome::Errors(parse_errors(&stderr, &src)),
    };
    let _ = std::fs::remove_file(&obj);
    let _ = std::fs::remove_file(&src);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_lines_split_and_filter() {
        let a = split_command(r#"clang -target bpf -DX="a b" -I inc -c x.bpf.c -o x.o -MD -MF x.d"#);
        assert_eq!(a[3], "-DX=a b");
        let k = keep(&a[1..], Path::new("x.bpf.c"));
        assert_eq!(k, ["-target", "bpf", "-DX=a b", "-I", "inc"]);
        assert!(targets_bpf(&k));
        assert!(!targets_bpf(&["-O2".to_string()]));
    }

    #[test]
    fn clang_errors_located() {
        let e = parse_errors(
            "/t/x.bpf.c:7:3: error: use of undeclared identifier 'y'\n/usr/include/a.h:1:2: error: bad\n",
            Path::new("/t/x.bpf.c"),
        );
        assert_eq!((e[0].line, e[0].col), (7, 3));
        assert_eq!(e[1].line, 0);
        assert!(e[1].message.starts_with("/usr/include/a.h:1:2"));
    }
}
