//! The lints over every kernel selftests program object (linux-source 6.1, compiled by clang-19:
//! `target/corpus/out/*.clang.o`, built by `cargo test --release -p toolchain-tests --test corpus`):
//! tracepoint-abi against the running kernel's tracefs, and the stack budget of every program.
//! Prints the findings and budgets (`cargo test --release -p bpflint --test lints_corpus -- --nocapture`);
//! skipped when the corpus has not been built.

use std::path::PathBuf;

use bpflint::lints::{self, stack_instrumentation as si, tracepoint_abi as tp, Level, Options, Unit};
use bpflint::object::{load, LoadOptions};
use bpflint::{verify, Profile};

/// The clang-19 objects of the selftests corpus, built (once, cached under target/corpus) from
/// the installed linux-source package when missing. Empty when the tools are missing (outside CI).
fn corpus() -> Vec<PathBuf> {
    toolchain_tests::corpus::get().map(|c| c.clang_objects()).unwrap_or_default()
}

#[test]
fn selftests_tracepoint_abi_and_stack_budgets() {
    let objs = corpus();
    if objs.is_empty() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "the selftests corpus could not be built (CI=true)");
        eprintln!("skipped: the selftests corpus could not be built");
        return;
    }
    let profile = Profile::native();
    let mut opts = Options { profile, ..Default::default() };
    opts.levels.insert("context-cast".into(), Level::Off);
    opts.levels.insert("stack-instrumentation".into(), Level::Off);
    let lo = LoadOptions { profile, ..LoadOptions::default() };
    let (mut nprogs, mut ntp, mut nraw) = (0, 0, 0);
    let mut findings = Vec::new();
    let mut budgets = Vec::new();
    let mut traced_over = Vec::new();
    let traced = Options { instrument: lints::Instrument { map_trace: true }, ..opts.clone() };
    for o in &objs {
        let Ok(data) = std::fs::read(o) else { continue };
        let Ok(progs) = load(&data, &lo) else { continue };
        let file = o.file_name().unwrap_or_default().to_string_lossy().to_string();
        let verdicts: Vec<_> = progs.iter().map(verify).collect();
        let units: Vec<Unit> =
            progs.iter().zip(&verdicts).map(|(p, v)| Unit { file: &file, program: p, verdict: v }).collect();
        for u in &units {
            nprogs += 1;
            if tp::tracepoint_of(&u.program.section).is_some() {
                ntp += 1;
            }
            if tp::raw_tracepoint_of(&u.program.section).is_some() {
                nraw += 1;
            }
            if let Some(c) = si::budget(u, &traced).deepest().filter(|c| c.runtime > 512) {
                traced_over.push(format!("{file}: {}: {} bytes", u.program.name, c.runtime));
            }
            let b = si::budget(u, &opts);
            if let Some(c) = b.deepest() {
                budgets.push((
                    file.clone(),
                    u.program.name.clone(),
                    c.checked,
                    c.runtime,
                    c.frames.len(),
                    u.verdict.accepted(),
                ));
            }
        }
        for f in lints::run(&units, &opts) {
            findings.push(format!("{}: {}: {}", f.file, f.program, f.message));
        }
    }
    println!(
        "tracepoint-abi: {} objects, {nprogs} programs ({ntp} tracepoint, {nraw} raw_tp/tp_btf), {} findings:",
        objs.len(),
        findings.len()
    );
    for f in &findings {
        println!("  {f}");
    }
    budgets.sort_by_key(|b| std::cmp::Reverse((b.3, b.2)));
    let over = budgets.iter().filter(|b| b.3 > 512).count();
    let tight = budgets.iter().filter(|b| b.3 <= 512 && 512 - b.3 < 64).count();
    println!(
        "stack budgets ({}): {} programs, {} over 512 bytes after the rewrites, {} with less than 64 bytes headroom; deepest 25:",
        profile.name,
        budgets.len(),
        over,
        tight
    );
    for (f, p, checked, runtime, frames, acc) in budgets.iter().take(25) {
        println!(
            "  {f}: {p}: {frames} frame(s), {checked} checked, {runtime} at run time, headroom {}{}",
            512 - runtime.max(checked),
            if *acc { "" } else { " (bpflint rejects the program)" }
        );
    }
    println!("with --instrument map-trace, {} programs go over 512 bytes:", traced_over.len());
    for t in &traced_over {
        println!("  {t}");
    }
    assert!(nprogs > 500, "only {nprogs} programs");
}
