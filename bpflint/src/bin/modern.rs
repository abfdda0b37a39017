//! `bpflint-modern`: bpflint against the running kernel on programs written for modern
//! verifiers (kfuncs, iterators, callbacks, global subprograms, typed tracing arguments, ...),
//! per program.
//!
//! The corpus is generated at run time by `tools/modern_gen.sh` (nothing GPL-derived is
//! committed): the linux-source-6.12 BPF selftests programs compiled by clang-19, then each
//! program loaded alone into the running kernel by our loader `tools/modern_load.c` (libbpf
//! built from the same tarball), which records the kernel's verdict (`ok` / `reject` / `skip`)
//! and its error line in `kernel.jsonl`. The cache is `target/bpflint-modern/`
//! (`BPFLINT_MODERN_DIR` to change), rebuilt when its stamp changes or with `--regen`.
//!
//! Every program the kernel judged (ok or reject; skips are counted, not scored) is then run
//! through bpflint as `bpflint FILE.o` runs it by default (`object::load` with the default
//! `LoadOptions`, i.e. the running kernel's profile and configuration, then `verify`), matched by
//! program name. An object bpflint's loader refuses, or a program it does not produce, is a
//! disagreement of its own kind.
//!
//! Usage: bpflint-modern [--regen] [--list false-accepts|false-rejects|refused|all] [--file NAME]
//! [--json]. Environment: `BPFLINT_MODERN_DIR` (the cache), `BPFLINT_MODERN_REUSE=1` (score the
//! cache as it is, without checking its stamp: for a corpus another worktree generated),
//! `MODERN_JOBS` (parallel compiles/loads, default 2), `BPFLINT_MODERN_JOBS` (parallel bpflint
//! runs, default 2).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use bpflint::object::{load, LoadOptions};
use bpflint::verify;
use serde_json::Value;

fn cache_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("BPFLINT_MODERN_DIR") {
        return PathBuf::from(d);
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).join("target/bpflint-modern")
}

/// The selftests files about the modern verifier (kfuncs, iterators, callbacks, global
/// subprograms, typed tracing arguments, ...), reported as a subset of their own.
const MODERN_FILES: &[&str] = &[
    "verifier_*",
    "iters*",
    "dynptr_fail",
    "dynptr_success",
    "*kfunc*",
    "cpumask_*",
    "cb_refs",
    "bpf_loop*",
    "loop*",
    "timer*",
    "test_global_func*",
    "exceptions*",
    "rbtree*",
    "linked_list*",
    "refcounted_kptr*",
    "arena*",
    "user_ringbuf*",
    "find_vma*",
    "for_each*",
    "map_kptr*",
    "test_spin_lock*",
    "irq*",
    "preempt*",
    "rcu_read_lock",
    "task_kfunc*",
    "cgrp_kfunc*",
    "test_tp_btf*",
];

/// `*`-only glob matching.
fn glob(pattern: &str, name: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == name,
        Some((head, rest)) => {
            let Some(tail) = name.strip_prefix(head) else { return false };
            (0..=tail.len()).any(|i| tail.is_char_boundary(i) && glob(rest, &tail[i..]))
        }
    }
}

fn is_modern(file: &str) -> bool {
    let stem = file.trim_end_matches(".o");
    MODERN_FILES.iter().any(|p| glob(p, stem))
}

/// How bpflint's verdict on one program relates to the kernel's.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Class {
    /// Both accept.
    Accept,
    /// Both reject.
    Reject,
    /// The kernel rejects, bpflint accepts.
    FalseAccept,
    /// The kernel accepts, bpflint rejects.
    FalseReject,
    /// bpflint's object loader refuses the file.
    Refused,
    /// bpflint loads the file but produces no program of this name.
    Missing,
    /// bpflint panicked.
    Panic,
}

impl Class {
    fn name(self) -> &'static str {
        match self {
            Class::Accept => "agree-accept",
            Class::Reject => "agree-reject",
            Class::FalseAccept => "false-accept",
            Class::FalseReject => "false-reject",
            Class::Refused => "object-refused",
            Class::Missing => "program-missing",
            Class::Panic => "bpflint-panic",
        }
    }
    fn agrees(self) -> bool {
        matches!(self, Class::Accept | Class::Reject)
    }
}

struct Scored {
    file: String,
    prog: String,
    section: String,
    kernel_ok: bool,
    kernel_msg: String,
    class: Class,
    bpflint_msg: String,
}

struct Kernel {
    file: String,
    prog: String,
    section: String,
    verdict: String,
    msg: String,
}

fn read_kernel(path: &Path) -> Result<Vec<Kernel>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let v: Value = serde_json::from_str(line).map_err(|e| format!("{}:{}: {e}", path.display(), i + 1))?;
        let s = |k: &str| v[k].as_str().unwrap_or("").to_string();
        out.push(Kernel {
            file: s("file"),
            prog: s("prog"),
            section: s("section"),
            verdict: s("verdict"),
            msg: s("msg"),
        });
    }
    Ok(out)
}

/// Runs bpflint on one object and classifies each program the kernel judged.
fn score_file(obj: &Path, file: &str, judged: &[&Kernel]) -> Vec<Scored> {
    let mk = |k: &Kernel, class: Class, msg: String| Scored {
        file: file.to_string(),
        prog: k.prog.clone(),
        section: k.section.clone(),
        kernel_ok: k.verdict == "ok",
        kernel_msg: k.msg.clone(),
        class,
        bpflint_msg: msg,
    };
    let data = match std::fs::read(obj) {
        Ok(d) => d,
        Err(e) => return judged.iter().map(|k| mk(k, Class::Refused, format!("read: {e}"))).collect(),
    };
    let loaded = std::panic::catch_unwind(|| load(&data, &LoadOptions::default()));
    let progs = match loaded {
        Ok(Ok(p)) => p,
        Ok(Err(e)) => return judged.iter().map(|k| mk(k, Class::Refused, format!("object refused: {e}"))).collect(),
        Err(_) => return judged.iter().map(|k| mk(k, Class::Panic, "panic in object::load".into())).collect(),
    };
    let mut out = Vec::new();
    for k in judged {
        let Some(p) = progs.iter().find(|p| p.name == k.prog) else {
            out.push(mk(k, Class::Missing, "no program of this name".into()));
            continue;
        };
        let kernel_ok = k.verdict == "ok";
        match std::panic::catch_unwind(|| verify(p)) {
            Err(_) => out.push(mk(k, Class::Panic, "panic in verify".into())),
            Ok(v) => {
                let msg = v.error.as_ref().map(|e| format!("{}: {}", e.insn, e.kernel.lines().last().unwrap_or("")));
                let class = match (kernel_ok, v.accepted()) {
                    (true, true) => Class::Accept,
                    (false, false) => Class::Reject,
                    (false, true) => Class::FalseAccept,
                    (true, false) => Class::FalseReject,
                };
                out.push(mk(k, class, msg.unwrap_or_else(|| "ACCEPT".into())));
            }
        }
    }
    out
}

fn pct(n: usize, d: usize) -> f64 {
    100.0 * n as f64 / d.max(1) as f64
}

fn usage(msg: &str) -> ExitCode {
    eprintln!("bpflint-modern: error: {msg}\nusage: bpflint-modern [--regen] [--list false-accepts|false-rejects|refused|all] [--file NAME] [--json]");
    ExitCode::from(2)
}

/// Runs `tools/modern_gen.sh` (a no-op when the cache's stamp is current). `Some(code)`: stop
/// with that exit code (a prerequisite is missing, or generation failed).
fn generate(script: &Path, dir: &Path, regen: bool) -> Option<ExitCode> {
    let mut cmd = Command::new("bash");
    cmd.arg(script).arg(dir);
    if regen {
        cmd.arg("--force");
    }
    // Progress goes straight to stderr; stdout carries "skipped: why".
    let status = match cmd.stderr(std::process::Stdio::inherit()).output() {
        Ok(o) => {
            if o.status.code() == Some(3) {
                // Prerequisite missing: the script said why.
                print!("{}", String::from_utf8_lossy(&o.stdout));
                return Some(ExitCode::SUCCESS);
            }
            o.status
        }
        Err(e) => {
            println!("skipped: cannot run bash {}: {e}", script.display());
            return Some(ExitCode::SUCCESS);
        }
    };
    if !status.success() {
        eprintln!("bpflint-modern: corpus generation failed ({status})");
        return Some(ExitCode::from(1));
    }
    None
}

fn main() -> ExitCode {
    let mut regen = false;
    let mut list: Option<String> = None;
    let mut only: Option<String> = None;
    let mut json = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--regen" => regen = true,
            "--json" => json = true,
            "--list" => match args.next() {
                Some(k) if ["false-accepts", "false-rejects", "refused", "all"].contains(&k.as_str()) => list = Some(k),
                _ => return usage("--list takes false-accepts, false-rejects, refused or all"),
            },
            "--file" => match args.next() {
                Some(f) => only = Some(f.trim_end_matches(".o").to_string()),
                None => return usage("--file takes an object name (e.g. iters or iters.o)"),
            },
            "-h" | "--help" => {
                println!("usage: bpflint-modern [--regen] [--list false-accepts|false-rejects|refused|all] [--file NAME] [--json]");
                return ExitCode::SUCCESS;
            }
            other => return usage(&format!("unknown argument {other}")),
        }
    }

    let dir = cache_dir();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/modern_gen.sh");
    let t = Instant::now();
    if std::env::var_os("BPFLINT_MODERN_REUSE").is_none() {
        if let Some(code) = generate(&script, &dir, regen) {
            return code;
        }
    }
    let gen_secs = t.elapsed().as_secs_f64();

    let kernel = match read_kernel(&dir.join("kernel.jsonl")) {
        Ok(k) => k,
        Err(e) => {
            eprintln!("bpflint-modern: {e}");
            return ExitCode::from(1);
        }
    };
    let release = std::fs::read_to_string(dir.join("kernel-release")).unwrap_or_default();
    let compile_failed = std::fs::read_to_string(dir.join("compile-failed.txt")).unwrap_or_default();
    let compiled = std::fs::read_dir(dir.join("obj"))
        .map(|d| d.filter_map(Result::ok).filter(|e| e.path().extension().is_some_and(|x| x == "o")).count())
        .unwrap_or(0);
    let mut by_file: BTreeMap<&str, Vec<&Kernel>> = BTreeMap::new();
    for k in &kernel {
        if only.as_deref().is_some_and(|o| k.file.trim_end_matches(".o") != o) {
            continue;
        }
        by_file.entry(k.file.as_str()).or_default().push(k);
    }
    if only.is_some() && by_file.is_empty() {
        return usage(&format!("no object {} in {}", only.unwrap_or_default(), dir.display()));
    }
    let files: Vec<(&str, Vec<&Kernel>)> = by_file.into_iter().collect();
    let n_objects = files.len();
    let (mut ok, mut rej, mut skip) = (0, 0, 0);
    for (_, ks) in &files {
        for k in ks {
            match k.verdict.as_str() {
                "ok" => ok += 1,
                "reject" => rej += 1,
                _ => skip += 1,
            }
        }
    }

    // bpflint, two files at a time.
    let t = Instant::now();
    std::panic::set_hook(Box::new(|_| {}));
    let jobs = std::env::var("BPFLINT_MODERN_JOBS").ok().and_then(|j| j.parse().ok()).unwrap_or(2usize).max(1);
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Scored>> = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((file, ks)) = files.get(i) else { break };
                let judged: Vec<&Kernel> = ks.iter().copied().filter(|k| k.verdict != "skip").collect();
                if judged.is_empty() {
                    continue;
                }
                let r = score_file(&dir.join("obj").join(file), file, &judged);
                results.lock().unwrap_or_else(|e| e.into_inner()).extend(r);
            });
        }
    });
    let _ = std::panic::take_hook();
    let lint_secs = t.elapsed().as_secs_f64();
    let mut scored = results.into_inner().unwrap_or_else(|e| e.into_inner());
    scored.sort_by(|a, b| (&a.file, &a.prog).cmp(&(&b.file, &b.prog)));

    let count = |c: Class| scored.iter().filter(|s| s.class == c).count();
    let n = scored.len();
    let agree = scored.iter().filter(|s| s.class.agrees()).count();
    let (fa, fr) = (count(Class::FalseAccept), count(Class::FalseReject));
    let (refused, missing, panics) = (count(Class::Refused), count(Class::Missing), count(Class::Panic));
    let k_rej = scored.iter().filter(|s| !s.kernel_ok).count();
    let k_ok = n - k_rej;

    if json {
        for s in &scored {
            println!(
                "{}",
                serde_json::json!({"file": s.file, "prog": s.prog, "section": s.section,
                    "kernel": if s.kernel_ok { "ok" } else { "reject" }, "kernel_msg": s.kernel_msg,
                    "modern": is_modern(&s.file),
                    "class": s.class.name(), "bpflint_msg": s.bpflint_msg})
            );
        }
        println!(
            "{}",
            serde_json::json!({"summary": true, "kernel_release": release.trim(), "objects_compiled": compiled,
                "objects_with_programs": n_objects,
                "compile_failed": compile_failed.lines().count(),
                "kernel_ok": ok, "kernel_reject": rej, "kernel_skip": skip, "scored": n,
                "agree": agree, "agreement": agree as f64 / n.max(1) as f64,
                "false_accept": fa, "false_reject": fr, "object_refused": refused,
                "program_missing": missing, "bpflint_panic": panics,
                "modern_scored": scored.iter().filter(|s| is_modern(&s.file)).count(),
                "modern_agree": scored.iter().filter(|s| is_modern(&s.file) && s.class.agrees()).count(),
                "modern_false_accept": scored.iter().filter(|s| is_modern(&s.file) && s.class == Class::FalseAccept).count()})
        );
        return ExitCode::SUCCESS;
    }

    if let Some(which) = &list {
        for s in &scored {
            let show = match which.as_str() {
                "false-accepts" => s.class == Class::FalseAccept,
                "false-rejects" => s.class == Class::FalseReject,
                "refused" => matches!(s.class, Class::Refused | Class::Missing | Class::Panic),
                _ => !s.class.agrees(),
            };
            if show {
                println!(
                    "{}/{}: [{}] kernel: {} | bpflint: {}",
                    s.file.trim_end_matches(".o"),
                    s.prog,
                    s.class.name(),
                    if s.kernel_ok { "ACCEPT" } else { s.kernel_msg.as_str() },
                    s.bpflint_msg
                );
            }
        }
        println!();
    }

    println!(
        "corpus: {} (kernel {}): {} objects compiled ({} files do not compile), {} with programs{}; \
         generation/check {:.1}s, bpflint {:.1}s",
        dir.display(),
        release.trim(),
        compiled,
        compile_failed.lines().count(),
        n_objects,
        if only.is_some() { " selected" } else { "" },
        gen_secs,
        lint_secs
    );
    println!("kernel: {} programs: ok {ok}, reject {rej}, skip {skip} (skips are not scored)", ok + rej + skip);
    println!("scored: {n} programs (kernel ok {k_ok}, reject {k_rej})");
    println!("agreement: {:.2}% ({agree}/{n})", pct(agree, n));
    println!("false accepts: {fa} = {:.2}% of the kernel's {k_rej} rejects", pct(fa, k_rej));
    println!("false rejects: {fr} = {:.2}% of the kernel's {k_ok} accepts", pct(fr, k_ok));
    println!("object refused by bpflint: {refused}; program missing in bpflint: {missing}; bpflint panics: {panics}");
    let modern: Vec<&Scored> = scored.iter().filter(|s| is_modern(&s.file)).collect();
    let m_agree = modern.iter().filter(|s| s.class.agrees()).count();
    let m_rej = modern.iter().filter(|s| !s.kernel_ok).count();
    let m_fa = modern.iter().filter(|s| s.class == Class::FalseAccept).count();
    let m_fr = modern.iter().filter(|s| s.class == Class::FalseReject).count();
    println!(
        "modern subset (verifier_*, iters*, *kfunc*, dynptr, exceptions, rbtree, ...): {} scored, agreement {:.2}%, \
         false accepts {m_fa} ({:.2}% of {m_rej} rejects), false rejects {m_fr}",
        modern.len(),
        pct(m_agree, modern.len()),
        pct(m_fa, m_rej)
    );
    if only.is_some() || list.is_none() {
        println!("per file (scored agree false-accept false-reject refused/missing/panic):");
        let mut per: BTreeMap<&str, [usize; 5]> = BTreeMap::new();
        for s in &scored {
            let e = per.entry(s.file.as_str()).or_default();
            e[0] += 1;
            match s.class {
                Class::Accept | Class::Reject => e[1] += 1,
                Class::FalseAccept => e[2] += 1,
                Class::FalseReject => e[3] += 1,
                _ => e[4] += 1,
            }
        }
        for (f, c) in per {
            println!("  {:<44} {:>4} {:>4} {:>4} {:>4} {:>4}", f.trim_end_matches(".o"), c[0], c[1], c[2], c[3], c[4]);
        }
    }
    ExitCode::SUCCESS
}
