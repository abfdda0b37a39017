//! `bpflint-score`: the kernel's test_verifier cases (linux-source 6.1), with the running
//! kernel's verdict as ground truth, against bpflint's verdict.
//!
//! The corpus is built by [`bpflint::tv::corpus`].
//!
//! Usage: bpflint-score [--regen] [--list false-accepts|false-rejects|all] [--json] [--kernel V]

use std::time::Instant;

use bpflint::tv::{corpus, raw_opts};
use bpflint::{analyze_raw, Profile};
use serde_json::Value;

/// One scored case.
pub struct Case {
    pub index: u64,
    pub descr: String,
    pub kernel_accepts: bool,
    pub lint_accepts: bool,
    pub kernel_msg: String,
    pub lint_msg: String,
    pub insns: usize,
    pub kernel_ns: u64,
    pub lint_ns: u64,
    pub processed: u64,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let regen = args.iter().any(|a| a == "--regen");
    let json = args.iter().any(|a| a == "--json");
    let list = args.iter().position(|a| a == "--list").and_then(|i| args.get(i + 1)).cloned();
    let only =
        args.iter().position(|a| a == "--case").and_then(|i| args.get(i + 1)).and_then(|s| s.parse::<u64>().ok());
    let profile = args
        .iter()
        .position(|a| a == "--kernel")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| Profile::by_name(s))
        .unwrap_or_else(Profile::native);
    let path = match corpus(regen) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("bpflint-score: cannot build the corpus: {e}");
            std::process::exit(2);
        }
    };
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let mut cases = Vec::new();
    let mut skipped = 0;
    for line in text.lines() {
        let Ok(d) = serde_json::from_str::<Value>(line) else { continue };
        if d["setup_failed"].as_bool().unwrap_or(false) {
            skipped += 1;
            continue;
        }
        let index = d["index"].as_u64().unwrap_or(0);
        if only.is_some_and(|o| o != index) {
            continue;
        }
        let (insns, opts) = raw_opts(&d, profile);
        if std::env::var_os("BPFLINT_SCORE_TRACE").is_some() {
            eprintln!("case {index}");
        }
        let t = Instant::now();
        let v = analyze_raw(&insns, &opts);
        let lint_ns = t.elapsed().as_nanos() as u64;
        let tail = d["log_tail"].as_str().unwrap_or("").trim().to_string();
        let kmsg =
            tail.lines().rfind(|l| !l.starts_with("processed") && !l.trim().is_empty()).unwrap_or("").to_string();
        cases.push(Case {
            index,
            descr: d["descr"].as_str().unwrap_or("").to_string(),
            kernel_accepts: d["kernel"] == "ACCEPT",
            lint_accepts: v.accepted(),
            kernel_msg: kmsg,
            lint_msg: v
                .error
                .as_ref()
                .map(|e| format!("{}: {}", e.insn, e.kernel.lines().last().unwrap_or("")))
                .unwrap_or_default(),
            insns: insns.len(),
            kernel_ns: d["load_ns"].as_u64().unwrap_or(0),
            lint_ns,
            processed: v.insns_processed,
        });
        if only.is_some() {
            if let Some(e) = &v.error {
                println!("{}: {} [{}]\n  regs: {}", e.insn, e.kernel, e.code.id(), e.regs);
            }
            println!("processed {} insns", v.insns_processed);
        }
    }
    let ta = cases.iter().filter(|c| c.kernel_accepts && c.lint_accepts).count();
    let tr = cases.iter().filter(|c| !c.kernel_accepts && !c.lint_accepts).count();
    let fa = cases.iter().filter(|c| !c.kernel_accepts && c.lint_accepts).count();
    let fr = cases.iter().filter(|c| c.kernel_accepts && !c.lint_accepts).count();
    let n = cases.len().max(1);
    let krej = (tr + fa).max(1);
    let kernel_ns: u64 = cases.iter().map(|c| c.kernel_ns).sum();
    let lint_ns: u64 = cases.iter().map(|c| c.lint_ns).sum();
    if let Some(which) = list {
        for c in &cases {
            let show = match which.as_str() {
                "false-accepts" => !c.kernel_accepts && c.lint_accepts,
                "false-rejects" => c.kernel_accepts && !c.lint_accepts,
                _ => c.kernel_accepts != c.lint_accepts,
            };
            if show {
                println!(
                    "#{} {} | kernel: {} | bpflint: {}",
                    c.index,
                    c.descr,
                    if c.kernel_accepts { "ACCEPT".into() } else { c.kernel_msg.clone() },
                    if c.lint_accepts { "ACCEPT".into() } else { c.lint_msg.clone() }
                );
            }
        }
    }
    if json {
        let largest: Vec<Value> = {
            let mut v: Vec<&Case> = cases.iter().collect();
            v.sort_by_key(|c| std::cmp::Reverse(c.insns));
            v.iter()
                .take(10)
                .map(|c| {
                    serde_json::json!({"index": c.index, "descr": c.descr, "insns": c.insns,
                        "processed": c.processed, "kernel_ns": c.kernel_ns, "bpflint_ns": c.lint_ns})
                })
                .collect()
        };
        println!(
            "{}",
            serde_json::json!({
                "cases": cases.len(), "skipped_setup_failed": skipped,
                "true_accept": ta, "true_reject": tr, "false_accept": fa, "false_reject": fr,
                "agreement": (ta + tr) as f64 / n as f64,
                "false_accept_rate_of_kernel_rejects": fa as f64 / krej as f64,
                "kernel_ns": kernel_ns, "bpflint_ns": lint_ns,
                "insns": cases.iter().map(|c| c.insns).sum::<usize>(),
                "largest": largest,
            })
        );
        return;
    }
    println!("test_verifier cases: {} scored ({} skipped: map setup failed on this kernel)", cases.len(), skipped);
    println!("                     kernel ACCEPT   kernel REJECT");
    println!("  bpflint ACCEPT     {ta:>13}   {fa:>13}");
    println!("  bpflint REJECT     {fr:>13}   {tr:>13}");
    println!("agreement: {:.2}% ({}/{})", 100.0 * (ta + tr) as f64 / n as f64, ta + tr, n);
    println!("false accepts: {fa} = {:.2}% of the kernel's {} rejects", 100.0 * fa as f64 / krej as f64, tr + fa);
    println!("time: kernel BPF_PROG_LOAD {:.1} ms, bpflint {:.1} ms", kernel_ns as f64 / 1e6, lint_ns as f64 / 1e6);
}
