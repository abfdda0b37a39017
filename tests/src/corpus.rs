//! The differential corpus: the kernel's BPF selftests programs, compiled at test time.
//!
//! Kernel sources are GPL, so nothing derived from them is committed: [`get`] generates the
//! corpus from the installed `linux-source-6.1` package into a cache directory and reuses it
//! while its stamp (tool versions, tarball, running kernel's BTF, flags) is unchanged.
//!
//! Generation (one time, a few minutes on 2 cores):
//! 1. extract from `/usr/src/linux-source-6.1.tar.xz` only `tools/testing/selftests/bpf`,
//!    `tools/lib/bpf`, `tools/include`, `include/uapi` and `scripts/bpf_doc.py` into `src/`;
//! 2. `gen/vmlinux.h` from `bpftool btf dump file /sys/kernel/btf/vmlinux format c`;
//! 3. `gen/bpf/`: the headers of `tools/lib/bpf` and `bpf_helper_defs.h` from
//!    `python3 scripts/bpf_doc.py --header --file include/uapi/linux/bpf.h`;
//! 4. for every `tools/testing/selftests/bpf/progs/*.c` ([`clang_args`] gives the flags):
//!    `clang-19 ... -S` to `out/NAME.s`, `clang-19 ... -c` to `out/NAME.clang.o`, and
//!    `llvm-mc-19 -triple bpfel -filetype=obj NAME.s -o NAME.mc.o` (run in `out/`), keeping
//!    llvm-mc's diagnostics in `out/NAME.mc.err` when it rejects the file; for a rejected file,
//!    also `NAME.zext.s` (see [`rewrite_zext_moves`]) and `NAME.zext.mc.o` from it. Two jobs in
//!    parallel (`CORPUS_JOBS` to change).
//!
//! Besides the flags of the issue, the compiles get `-idirafter <dir>` for each directory of the
//! host clang's system include search list (`/usr/include/x86_64-linux-gnu`, `/usr/include`,
//! ...), exactly as the selftests Makefile does (`CLANG_SYS_INCLUDES`): without them about 230
//! programs fail on `<bits/...>`/`<asm/...>` includes.
//!
//! The cache is `<workspace>/target/corpus` (override: `TOOLCHAIN_CORPUS_DIR`), guarded by a
//! file lock (`corpus.lock` beside it) so concurrent test processes generate it once. Missing
//! tools make [`get`] print `skipped: <tool> not installed` and return `None`, or panic when
//! `CI=true`.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use crate::tools;

/// The kernel source package.
pub const TARBALL: &str = "/usr/src/linux-source-6.1.tar.xz";
/// The top directory inside [`TARBALL`].
const PREFIX: &str = "linux-source-6.1";
/// BTF of the running kernel, for `vmlinux.h`.
pub const VMLINUX_BTF: &str = "/sys/kernel/btf/vmlinux";
pub const CLANG: &str = "clang-19";
pub const LLVM_MC: &str = "llvm-mc-19";
/// Bump to invalidate existing caches when generation changes.
const FORMAT: &str = "toolchain-tests corpus v2";
const SELFTESTS: &str = "src/tools/testing/selftests/bpf";

/// The generated corpus.
#[derive(Debug)]
pub struct Corpus {
    /// The cache directory.
    pub dir: PathBuf,
    /// `dir/out`: where the `.s`, `.clang.o`, `.mc.o` files are; the `.s` files are meant to be
    /// assembled with this as the working directory (as llvm-mc was).
    pub out_dir: PathBuf,
    /// Programs clang-19 compiles, sorted by name.
    pub entries: Vec<Entry>,
    /// Programs clang-19 does not compile (its diagnostics are in `out/NAME.clang.err`).
    pub compile_failed: Vec<String>,
    /// Whether this process generated the corpus (false: reused the cache).
    pub generated: bool,
    /// Time spent in [`get`] (generation or loading), in seconds.
    pub seconds: f64,
}

/// One selftests program.
#[derive(Debug, Clone)]
pub struct Entry {
    /// File stem, e.g. `test_xdp`.
    pub name: String,
    /// `clang-19 -S` output.
    pub asm: PathBuf,
    /// `clang-19 -c` output.
    pub clang_obj: PathBuf,
    /// `llvm-mc-19` output; `None` when llvm-mc rejects the `.s`.
    pub mc_obj: Option<PathBuf>,
    /// For a file llvm-mc rejects only because of the zero-extending move `rA = wB` (which
    /// clang-19 prints and llvm-mc-19 does not parse): llvm-mc's object for the `.s` with those
    /// lines rewritten to `wA = wB`, which has the same encoding (checked against `clang -c` by
    /// the self-check). A full reference beyond what the acceptance asks for these files.
    pub mc_zext_obj: Option<PathBuf>,
}

impl Entry {
    /// The first lines of llvm-mc's diagnostics for a rejected file (empty if it was accepted).
    pub fn mc_error(&self) -> String {
        let log = self.asm.with_extension("mc.err");
        let text = fs::read_to_string(log).unwrap_or_default();
        text.lines().take(3).collect::<Vec<_>>().join("\n")
    }
}

impl Corpus {
    pub fn accepted_by_mc(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.mc_obj.is_some())
    }
    pub fn rejected_by_mc(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.mc_obj.is_none())
    }
    /// The clang-19 objects that exist, sorted.
    pub fn clang_objects(&self) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = self.entries.iter().map(|e| e.clang_obj.clone()).filter(|p| p.is_file()).collect();
        v.sort();
        v
    }
    /// One line: how many programs compile, how many llvm-mc accepts.
    pub fn summary(&self) -> String {
        format!(
            "corpus {}: {} programs compile with {CLANG} ({} do not), llvm-mc accepts {}, rejects {}; {} in {:.1}s",
            self.dir.display(),
            self.entries.len(),
            self.compile_failed.len(),
            self.accepted_by_mc().count(),
            self.rejected_by_mc().count(),
            if self.generated { "generated" } else { "loaded from cache" },
            self.seconds
        )
    }
}

/// The corpus, generated on first use and cached. `None` (after printing `skipped: ...`) when a
/// prerequisite is missing; panics on a missing prerequisite under `CI=true`, and on any
/// generation failure.
pub fn get() -> Option<&'static Corpus> {
    static CORPUS: OnceLock<Option<Corpus>> = OnceLock::new();
    CORPUS.get_or_init(load_or_generate).as_ref()
}

/// The cache directory.
pub fn cache_dir() -> PathBuf {
    match std::env::var_os("TOOLCHAIN_CORPUS_DIR") {
        Some(d) => PathBuf::from(d),
        None => tools::workspace_root().join("target").join("corpus"),
    }
}

fn prerequisites_present() -> bool {
    if !Path::new(TARBALL).is_file() {
        tools::skip(&format!("linux-source-6.1 not installed ({TARBALL} missing)"));
        return false;
    }
    for tool in ["tar", "xz", "bpftool", "python3", CLANG, LLVM_MC] {
        if !tools::installed(tool) {
            tools::skip(&format!("{tool} not installed"));
            return false;
        }
    }
    if !Path::new(VMLINUX_BTF).is_file() {
        tools::skip(&format!("{VMLINUX_BTF} not available (kernel without BTF)"));
        return false;
    }
    true
}

/// The clang flags (paths relative to the cache directory, where clang runs).
pub fn clang_args() -> Vec<String> {
    let mut args: Vec<String> = [
        "-O2",
        "-g",
        "-target",
        "bpf",
        "-mcpu=v3",
        "-D__TARGET_ARCH_x86",
        "-Wno-everything",
        // vmlinux.h and bpf/*.h (libbpf headers and the generated helper definitions).
        "-Igen",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.push(format!("-I{SELFTESTS}"));
    args.push(format!("-I{SELFTESTS}/progs"));
    args.push("-Isrc/tools/include/uapi".into());
    for dir in system_include_dirs() {
        args.push("-idirafter".into());
        args.push(dir);
    }
    args
}

/// Like the selftests Makefile's `CLANG_SYS_INCLUDES`: the host compiler's `#include <...>`
/// search list (from `clang-19 -v -E -`), searched after everything else.
fn system_include_dirs() -> Vec<String> {
    let out = Command::new(CLANG).args(["-v", "-E", "-x", "c", "-"]).stdin(Stdio::null()).output();
    let text = out.map(|o| String::from_utf8_lossy(&o.stderr).into_owned()).unwrap_or_default();
    text.lines()
        .skip_while(|l| !l.starts_with("#include <...> search starts here:"))
        .skip(1)
        .take_while(|l| !l.starts_with("End of search list."))
        .map(|l| l.trim().to_string())
        .filter(|d| Path::new(d).is_dir())
        .collect()
}

/// FNV-1a of a file's content (for the stamp; sysfs timestamps change at every boot).
fn content_hash(path: &str) -> String {
    match fs::read(path) {
        Ok(data) => {
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for b in data {
                h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
            format!("size {} fnv1a {h:016x}", fs::metadata(path).map_or(0, |m| m.len()))
        }
        Err(e) => e.to_string(),
    }
}

fn stamp_text() -> String {
    let meta = |p: &str| {
        fs::metadata(p)
            .map(|m| {
                let mtime = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_secs());
                format!("size {} mtime {mtime}", m.len())
            })
            .unwrap_or_else(|e| e.to_string())
    };
    let osrelease = fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    format!(
        "{FORMAT}\ntarball {TARBALL} {}\nbtf {VMLINUX_BTF} {} kernel {}\nclang {}\nllvm-mc {}\n\
         bpftool {}\npython3 {}\nclang args {}\nllvm-mc args -triple bpfel -filetype=obj\n",
        meta(TARBALL),
        content_hash(VMLINUX_BTF),
        osrelease.trim(),
        tools::version_line(CLANG),
        llvm_mc_version(),
        tools::version_line("bpftool"),
        tools::version_line("python3"),
        clang_args().join(" ")
    )
}

fn llvm_mc_version() -> String {
    // `llvm-mc --version` starts with a vendor line; the version is on a later line.
    Command::new(LLVM_MC)
        .arg("--version")
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .take(2)
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default()
}

fn load_or_generate() -> Option<Corpus> {
    if !prerequisites_present() {
        return None;
    }
    let start = Instant::now();
    let dir = cache_dir();
    let parent = dir.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent).unwrap_or_else(|e| panic!("create {}: {e}", parent.display()));
    let lock_path = dir.with_extension("lock");
    let lock = File::create(&lock_path).unwrap_or_else(|e| panic!("create {}: {e}", lock_path.display()));
    lock.lock().unwrap_or_else(|e| panic!("lock {}: {e}", lock_path.display()));

    let stamp = stamp_text();
    let stamp_path = dir.join("stamp");
    let mut generated = false;
    if fs::read_to_string(&stamp_path).ok().as_deref() != Some(stamp.as_str()) {
        eprintln!("corpus: generating {} (one time; cached until tools or inputs change)", dir.display());
        generate(&dir);
        fs::write(&stamp_path, &stamp).unwrap_or_else(|e| panic!("write {}: {e}", stamp_path.display()));
        generated = true;
    }
    let mut corpus = load(&dir);
    corpus.generated = generated;
    corpus.seconds = start.elapsed().as_secs_f64();
    drop(lock);
    Some(corpus)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    McOk,
    McRejected,
    McRejectedZextOk,
    CompileFailed,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Status::McOk => "mc-ok",
            Status::McRejected => "mc-rejected",
            Status::McRejectedZextOk => "mc-rejected-zext-ok",
            Status::CompileFailed => "compile-failed",
        }
    }
}

fn load(dir: &Path) -> Corpus {
    let out_dir = dir.join("out");
    let manifest = dir.join("manifest.tsv");
    let text = fs::read_to_string(&manifest).unwrap_or_else(|e| panic!("read {}: {e}", manifest.display()));
    let mut entries = Vec::new();
    let mut compile_failed = Vec::new();
    for line in text.lines() {
        let (name, status) =
            line.split_once('\t').unwrap_or_else(|| panic!("bad line in {}: {line:?}", manifest.display()));
        let entry = Entry {
            name: name.to_string(),
            asm: out_dir.join(format!("{name}.s")),
            clang_obj: out_dir.join(format!("{name}.clang.o")),
            mc_obj: Some(out_dir.join(format!("{name}.mc.o"))),
            mc_zext_obj: None,
        };
        match status {
            "mc-ok" => entries.push(entry),
            "mc-rejected" => entries.push(Entry { mc_obj: None, ..entry }),
            "mc-rejected-zext-ok" => entries.push(Entry {
                mc_obj: None,
                mc_zext_obj: Some(out_dir.join(format!("{name}.zext.mc.o"))),
                ..entry
            }),
            "compile-failed" => compile_failed.push(name.to_string()),
            other => panic!("bad status {other:?} in {}", manifest.display()),
        }
    }
    Corpus { dir: dir.to_path_buf(), out_dir, entries, compile_failed, generated: false, seconds: 0.0 }
}

/// Runs a command; panics if it cannot start or fails.
fn run(cmd: &mut Command, what: &str) {
    let out = cmd.stdin(Stdio::null()).output().unwrap_or_else(|e| panic!("{what}: cannot run: {e}"));
    if !out.status.success() {
        panic!("{what} failed ({}):\n{}", out.status, String::from_utf8_lossy(&out.stderr));
    }
}

/// Runs a command with stdout to a file; panics on failure.
fn run_to_file(cmd: &mut Command, path: &Path, what: &str) {
    let file = File::create(path).unwrap_or_else(|e| panic!("create {}: {e}", path.display()));
    run(cmd.stdout(file), what);
}

fn generate(dir: &Path) {
    if dir.exists() {
        fs::remove_dir_all(dir).unwrap_or_else(|e| panic!("remove {}: {e}", dir.display()));
    }
    let (src, gen, out) = (dir.join("src"), dir.join("gen"), dir.join("out"));
    for d in [&src, &gen.join("bpf"), &out] {
        fs::create_dir_all(d).unwrap_or_else(|e| panic!("create {}: {e}", d.display()));
    }

    let t = Instant::now();
    let members =
        ["tools/testing/selftests/bpf", "tools/lib/bpf", "tools/include", "include/uapi", "scripts/bpf_doc.py"];
    run(
        Command::new("tar")
            .args(["-xJf", TARBALL, "--strip-components=1", "-C"])
            .arg(&src)
            .args(members.iter().map(|m| format!("{PREFIX}/{m}"))),
        "extracting the kernel sources",
    );
    eprintln!("corpus: extracted sources in {:.1}s", t.elapsed().as_secs_f64());

    run_to_file(
        Command::new("bpftool").args(["btf", "dump", "file", VMLINUX_BTF, "format", "c"]),
        &gen.join("vmlinux.h"),
        "bpftool btf dump (vmlinux.h)",
    );
    run_to_file(
        Command::new("python3").current_dir(&src).args([
            "scripts/bpf_doc.py",
            "--header",
            "--file",
            "include/uapi/linux/bpf.h",
        ]),
        &gen.join("bpf/bpf_helper_defs.h"),
        "scripts/bpf_doc.py (bpf_helper_defs.h)",
    );
    let libbpf = src.join("tools/lib/bpf");
    for f in read_dir_sorted(&libbpf) {
        if f.extension().is_some_and(|e| e == "h") {
            let to = gen.join("bpf").join(f.file_name().unwrap_or_default());
            fs::copy(&f, &to).unwrap_or_else(|e| panic!("copy {}: {e}", f.display()));
        }
    }

    let names: Vec<String> = read_dir_sorted(&dir.join(SELFTESTS).join("progs"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "c"))
        .filter_map(|p| Some(p.file_stem()?.to_str()?.to_string()))
        .collect();
    assert!(!names.is_empty(), "no selftests programs found in {SELFTESTS}/progs");

    let t = Instant::now();
    let args = clang_args();
    let jobs = std::env::var("CORPUS_JOBS").ok().and_then(|j| j.parse().ok()).unwrap_or(2usize).max(1);
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results = Mutex::new(vec![Status::CompileFailed; names.len()]);
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(name) = names.get(i) else { break };
                let status = build_one(dir, &args, name);
                results.lock().unwrap_or_else(|e| e.into_inner())[i] = status;
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                if n.is_multiple_of(50) || n == names.len() {
                    eprintln!("corpus: {n}/{} programs in {:.0}s", names.len(), t.elapsed().as_secs_f64());
                }
            });
        }
    });
    let results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    let manifest: String = names.iter().zip(&results).map(|(n, s)| format!("{n}\t{}\n", s.as_str())).collect();
    let path = dir.join("manifest.tsv");
    fs::write(&path, manifest).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

fn read_dir_sorted(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    v.sort();
    v
}

/// Compiles one program (`-S` and `-c`) and assembles its `.s` with llvm-mc.
fn build_one(dir: &Path, args: &[String], name: &str) -> Status {
    let source = format!("{SELFTESTS}/progs/{name}.c");
    let out = dir.join("out");
    let clang = |mode: &str, output: String| -> bool {
        let err = out.join(format!("{name}.clang.err"));
        let Ok(err) = File::create(&err) else {
            return false;
        };
        Command::new(CLANG)
            .current_dir(dir)
            .args(args)
            .args([mode, &source, "-o", &output])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(err)
            .status()
            .is_ok_and(|s| s.success())
    };
    let asm = format!("out/{name}.s");
    let obj = format!("out/{name}.clang.o");
    if !clang("-S", asm.clone()) || !clang("-c", obj.clone()) {
        let _ = fs::remove_file(dir.join(&asm));
        let _ = fs::remove_file(dir.join(&obj));
        return Status::CompileFailed;
    }
    let _ = fs::remove_file(out.join(format!("{name}.clang.err")));

    let mc = |asm: &str, obj: &str, log: &str| -> bool {
        let ok = File::create(out.join(log)).is_ok_and(|log| {
            Command::new(LLVM_MC)
                .current_dir(&out)
                .args(["-triple", "bpfel", "-filetype=obj", asm, "-o", obj])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(log)
                .status()
                .is_ok_and(|s| s.success())
        });
        if !ok {
            let _ = fs::remove_file(out.join(obj));
        }
        ok
    };
    if mc(&format!("{name}.s"), &format!("{name}.mc.o"), &format!("{name}.mc.err")) {
        let _ = fs::remove_file(out.join(format!("{name}.mc.err")));
        return Status::McOk;
    }
    let Ok(text) = fs::read_to_string(dir.join(&asm)) else {
        return Status::McRejected;
    };
    let zext = format!("{name}.zext.s");
    if fs::write(out.join(&zext), rewrite_zext_moves(&text)).is_err() {
        return Status::McRejected;
    }
    let zext_log = format!("{name}.zext.mc.err");
    if mc(&zext, &format!("{name}.zext.mc.o"), &zext_log) {
        let _ = fs::remove_file(out.join(zext_log));
        Status::McRejectedZextOk
    } else {
        Status::McRejected
    }
}

/// Rewrites each line `rA = wB` (clang-19's zero-extending move, which llvm-mc-19 rejects) to
/// `wA = wB`, which LLVM encodes identically; other lines are kept byte for byte.
pub fn rewrite_zext_moves(text: &str) -> String {
    let reg = |s: &str, prefix: char| -> Option<u8> {
        let n = s.strip_prefix(prefix)?;
        (!n.is_empty() && n.len() <= 2 && n.bytes().all(|b| b.is_ascii_digit())).then(|| n.parse().ok())?
    };
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let body = line.trim_end();
        let indent = &body[..body.len() - body.trim_start().len()];
        let parts: Vec<&str> = body.split_whitespace().collect();
        match parts.as_slice() {
            [dst, "=", src] if reg(dst, 'r').is_some() && reg(src, 'w').is_some() => {
                out.push_str(indent);
                out.push('w');
                out.push_str(&dst[1..]);
                out.push_str(" = ");
                out.push_str(src);
                out.push_str(&line[body.len()..]);
            }
            _ => out.push_str(line),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn rewrite_zext_moves() {
        let text = "\tr1 = w2\n\tr1 = r2\n\tw3 = w4\n\tr10 = w0 \n# r1 = w2 x\nr1 = w2";
        assert_eq!(
            super::rewrite_zext_moves(text),
            "\tw1 = w2\n\tr1 = r2\n\tw3 = w4\n\tw10 = w0 \n# r1 = w2 x\nw1 = w2"
        );
    }
}
