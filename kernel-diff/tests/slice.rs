//! The bounded slice of the campaign that CI runs: a fixed seed, 3000 generated and mutated
//! programs, loaded into the running kernel and checked by bpflint. Any false accept fails;
//! false rejects are counted and must stay under a floor.
//!
//! The long run is one command (README.md): `bpflint-diff --seed S --count 200000 --jobs 2`.

use kernel_diff::campaign::{self, Config};
use kernel_diff::kernel::Kernel;

const SEED: u64 = 20261204;
const COUNT: u64 = 3000;
/// False rejects allowed, in percent of the kernel's accepts.
const FALSE_REJECT_FLOOR_PCT: f64 = 5.0;

#[test]
fn campaign_slice_has_no_false_accepts() {
    let ci = std::env::var("CI").as_deref() == Ok("true");
    let mut k = match Kernel::open() {
        Ok(k) => k,
        Err(e) => {
            assert!(!ci, "CI=true: bpf() is needed: {}", e.0);
            println!("skipped: bpf() unavailable: {}", e.0);
            return;
        }
    };
    let seeds = match campaign::tv_seeds() {
        Ok(s) => s,
        Err(e) => {
            assert!(!ci, "CI=true: the test_verifier corpus is needed: {e}");
            println!("skipped: mutating test_verifier programs (no corpus: {e})");
            Vec::new()
        }
    };
    let cfg = Config { seed: SEED, start: 0, count: COUNT, save: None, minimize: true, reject_stats: false };
    let st = campaign::run(&cfg, &mut k, &seeds, |_| {});
    println!("{}", st.summary());
    assert_eq!(st.skipped, 0, "programs the kernel could not judge");
    assert!(st.programs == COUNT);
    // near the edge: neither almost all accepted nor almost all rejected
    let acc = st.kernel_accept as f64 / st.programs as f64;
    assert!((0.25..=0.75).contains(&acc), "kernel accepts {:.1}%: the generator drifted off the edge", 100.0 * acc);
    let mut fa = String::new();
    for (sig, (n, f)) in &st.kinds {
        if sig.starts_with("false accept") {
            fa.push_str(&format!(
                "{n} x {sig}\nminimised (program {} of seed {SEED}, {}):\n{}\n",
                f.index,
                f.origin,
                kernel_diff::case::write(&kernel_diff::case::Case {
                    prog: f.prog.clone(),
                    kernel_accept: f.kernel.accept,
                    message: f.kernel.msg.clone(),
                    bpflint_accept: None,
                    notes: vec![],
                })
            ));
        }
    }
    assert_eq!(st.false_accepts, 0, "false accepts:\n{fa}");
    let fr = 100.0 * st.false_rejects as f64 / st.kernel_accept.max(1) as f64;
    assert!(
        fr <= FALSE_REJECT_FLOOR_PCT,
        "false rejects {fr:.2}% of the kernel's accepts exceed {FALSE_REJECT_FLOOR_PCT}%"
    );
}
