//! The "modern verifier" corpus: the linux-source 6.12 BPF selftests programs (kfuncs,
//! iterators, callbacks, global subprograms, ...), each loaded alone into the running kernel,
//! scored per program against bpflint by `bpflint-modern` (generated on first use into
//! `target/bpflint-modern/`, a few minutes; reused while its stamp holds).
//!
//! The floors are today's numbers with a small margin (measured 2026-12-04 on 6.18.44: 2726
//! programs scored, 100.00% agreement, 0 false accepts, 0 false rejects; 83.05%, 325 and 137
//! when the corpus was first built), so a regression fails; tighten them as bpflint improves.
//! Skipped (printed) without root, clang-19, bpftool, linux-source-6.12 or kernel BTF; those are
//! failures under `CI=true`.

use std::process::Command;

use serde_json::Value;

/// Programs the kernel judges (ok or reject) on this corpus today: fewer means the corpus or
/// the loader broke.
const MIN_SCORED: u64 = 2650;
/// bpflint agrees with the kernel on at least this share of the scored programs.
const MIN_AGREEMENT: f64 = 0.999;
/// At most this many programs the kernel rejects are accepted by bpflint.
const MAX_FALSE_ACCEPTS: u64 = 1;
/// At most this many programs the kernel accepts are rejected by bpflint.
const MAX_FALSE_REJECTS: u64 = 1;

#[test]
fn modern_corpus_floors() {
    let out = Command::new(env!("CARGO_BIN_EXE_bpflint-modern"))
        .arg("--json")
        // The floors are for the full corpus.
        .env_remove("MODERN_SUBSET")
        .output()
        .expect("run bpflint-modern");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    if let Some(why) = stdout.lines().find(|l| l.starts_with("skipped:")) {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "{why} (CI=true)");
        eprintln!("{why}");
        return;
    }
    assert!(out.status.success(), "bpflint-modern failed:\n{stderr}\n{stdout}");
    let summary: Value = stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|v| v["summary"] == true)
        .unwrap_or_else(|| panic!("no summary line from bpflint-modern:\n{stderr}"));
    println!("{summary}");
    let n = |k: &str| summary[k].as_u64().unwrap_or_else(|| panic!("summary has no {k}: {summary}"));
    let agreement = summary["agreement"].as_f64().unwrap_or_else(|| panic!("summary has no agreement: {summary}"));
    assert!(n("scored") >= MIN_SCORED, "only {} programs scored (floor {MIN_SCORED})", n("scored"));
    assert!(n("kernel_reject") > 0 && n("kernel_ok") > 0, "the kernel's verdicts are one-sided: {summary}");
    assert_eq!(n("bpflint_panic"), 0, "bpflint panicked (see `bpflint-modern --list refused`)");
    assert!(
        agreement >= MIN_AGREEMENT,
        "agreement {:.2}% is below the floor {:.2}% (see `bpflint-modern --list all`)",
        agreement * 100.0,
        MIN_AGREEMENT * 100.0
    );
    assert!(
        n("false_accept") <= MAX_FALSE_ACCEPTS,
        "{} false accepts exceed the ceiling {MAX_FALSE_ACCEPTS} (see `bpflint-modern --list false-accepts`)",
        n("false_accept")
    );
    assert!(
        n("false_reject") <= MAX_FALSE_REJECTS,
        "{} false rejects exceed the ceiling {MAX_FALSE_REJECTS} (see `bpflint-modern --list false-rejects`)",
        n("false_reject")
    );
}
