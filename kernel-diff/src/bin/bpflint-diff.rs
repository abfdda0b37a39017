//! `bpflint-diff`: the kernel-differential campaign.
//!
//! Usage: bpflint-diff [--seed S] [--start I] [--count N] [--jobs J] [--save DIR] [--no-minimize]
//!                     [--no-tv] [--reject-stats] [--show I] [--check [--reduce] FILE...]
//!
//! Programs `I..I+N` of seed `S` are loaded into the running kernel (as root) and checked by
//! bpflint; new kinds of disagreement are minimised and, with `--save`, written as regression
//! cases. `--check FILE...` replays case files (both verdicts), `--show I` prints program I as a case file with both verdicts. Exit status 1 when
//! there was a false accept, 2 on usage errors or when the kernel cannot be asked.

use std::path::PathBuf;

use kernel_diff::campaign::{self, Config, Stats};
use kernel_diff::case::{self, Case};
use kernel_diff::kernel::Kernel;

fn usage(msg: &str) -> ! {
    eprintln!("bpflint-diff: {msg}");
    eprintln!(
        "usage: bpflint-diff [--seed S] [--start I] [--count N] [--jobs J] [--save DIR] [--no-minimize] [--no-tv] [--reject-stats] [--show I] [--check FILE...]"
    );
    std::process::exit(2);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut cfg = Config { seed: 1, start: 0, count: 1000, save: None, minimize: true, reject_stats: false };
    let mut jobs = 1u64;
    let mut tv = true;
    let mut show = None;
    let mut check: Option<Vec<String>> = None;
    let mut i = 0;
    while i < args.len() {
        let val = |i: usize| args.get(i + 1).cloned().unwrap_or_else(|| usage(&format!("{} needs a value", args[i])));
        let num = |i: usize| val(i).parse::<u64>().unwrap_or_else(|_| usage(&format!("{}: not a number", args[i])));
        match args[i].as_str() {
            "--seed" => cfg.seed = num(i),
            "--start" => cfg.start = num(i),
            "--count" => cfg.count = num(i),
            "--jobs" => jobs = num(i).max(1),
            "--save" => cfg.save = Some(PathBuf::from(val(i))),
            "--show" => show = Some(num(i)),
            "--no-minimize" => {
                cfg.minimize = false;
                i += 1;
                continue;
            }
            "--reject-stats" => {
                cfg.reject_stats = true;
                i += 1;
                continue;
            }
            "--no-tv" => {
                tv = false;
                i += 1;
                continue;
            }
            "--check" => {
                check = Some(args[i + 1..].to_vec());
                break;
            }
            "-h" | "--help" => usage("the kernel-differential campaign"),
            other => usage(&format!("unknown argument `{other}`")),
        }
        i += 2;
    }
    let seeds = if tv {
        campaign::tv_seeds().unwrap_or_else(|e| {
            eprintln!("bpflint-diff: no test_verifier programs to mutate ({e}); generating only");
            Vec::new()
        })
    } else {
        Vec::new()
    };
    let mut k = Kernel::open().unwrap_or_else(|e| {
        eprintln!("bpflint-diff: cannot ask the kernel: {}", e.0);
        std::process::exit(2);
    });
    if let Some(files) = check {
        std::process::exit(check_files(&mut k, &files));
    }
    if let Some(idx) = show {
        let (p, origin) = campaign::program(cfg.seed, idx, &seeds);
        let kv = k.verdict(&p).unwrap_or_else(|e| usage(&e.0));
        let lv = p.lint();
        let c = Case {
            prog: p,
            kernel_accept: kv.accept,
            message: kv.msg,
            bpflint_accept: Some(lv.accept),
            notes: vec![format!("ORIGIN: {origin}"), format!("BPFLINT-SAID: {}", lv.msg)],
        };
        print!("{}", case::write(&c));
        return;
    }
    eprintln!(
        "bpflint-diff: seed {}, programs {}..{}, {} test_verifier programs to mutate, {jobs} job(s)",
        cfg.seed,
        cfg.start,
        cfg.start + cfg.count,
        seeds.len()
    );
    let t = std::time::Instant::now();
    let st = if jobs == 1 {
        campaign::run(&cfg, &mut k, &seeds, |s| {
            eprintln!("  {} programs, {} FA, {} FR", s.programs, s.false_accepts, s.false_rejects)
        })
    } else {
        run_parallel(&cfg, jobs, &seeds)
    };
    print!("{}", st.summary());
    for p in &st.saved {
        println!("saved {}", p.display());
    }
    println!("time: {:.1} s", t.elapsed().as_secs_f64());
    if st.false_accepts > 0 {
        std::process::exit(1);
    }
}

/// Contiguous slices of the range on `jobs` threads, each with its own kernel handle.
fn run_parallel(cfg: &Config, jobs: u64, seeds: &[campaign::Seed]) -> Stats {
    let per = cfg.count.div_ceil(jobs);
    let parts: Vec<Stats> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..jobs)
            .map(|j| {
                let mut c = cfg.clone();
                c.start = cfg.start + j * per;
                c.count = per.min((cfg.start + cfg.count).saturating_sub(c.start));
                s.spawn(move || {
                    let mut k = Kernel::open().unwrap_or_else(|e| usage(&e.0));
                    campaign::run(&c, &mut k, seeds, |s| {
                        eprintln!("  job {j}: {} programs, {} FA, {} FR", s.programs, s.false_accepts, s.false_rejects)
                    })
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().expect("a campaign thread panicked")).collect()
    });
    let mut all = Stats::default();
    for p in parts {
        all.programs += p.programs;
        all.generated += p.generated;
        all.mutated_generated += p.mutated_generated;
        all.mutated_tv += p.mutated_tv;
        all.skipped += p.skipped;
        all.kernel_accept += p.kernel_accept;
        all.kernel_reject += p.kernel_reject;
        all.kernel_ns += p.kernel_ns;
        all.lint_ns += p.lint_ns;
        for (m, n) in p.rejects {
            *all.rejects.entry(m).or_default() += n;
        }
        for o in 0..3 {
            all.accept_by_origin[o] += p.accept_by_origin[o];
        }
        all.false_accepts += p.false_accepts;
        all.false_rejects += p.false_rejects;
        all.saved.extend(p.saved);
        for (sig, (n, f)) in p.kinds {
            all.kinds.entry(sig).and_modify(|e| e.0 += n).or_insert((n, f));
        }
    }
    all
}

/// Replay case files: the kernel's and bpflint's verdicts now, against the recorded ones;
/// `--check --reduce FILE...` also minimises each disagreement again (printed, not written).
fn check_files(k: &mut Kernel, files: &[String]) -> i32 {
    let reduce = files.first().is_some_and(|f| f == "--reduce");
    let mut status = 0;
    for f in files.iter().filter(|f| *f != "--reduce") {
        let c = match std::fs::read_to_string(f).map_err(|e| e.to_string()).and_then(|t| case::parse(&t)) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("{f}: {e}");
                status = 2;
                continue;
            }
        };
        let kv = k.verdict(&c.prog);
        let lv = c.prog.lint();
        let kt = match &kv {
            Ok(o) if o.accept => "accept".to_string(),
            Ok(o) => format!("reject: {}", o.msg),
            Err(e) => format!("unavailable: {}", e.0),
        };
        let lt = if lv.accept { "accept".to_string() } else { format!("reject: {}", lv.msg) };
        println!("{f}\n  kernel:  {kt}\n  bpflint: {lt}");
        if let (true, Ok(kv)) = (reduce, kv) {
            if kv.accept != lv.accept {
                let found = campaign::Found { index: 0, origin: f.clone(), prog: c.prog, kernel: kv, lint: lv };
                let small = campaign::minimize_found(k, found);
                let c = Case {
                    prog: small.prog,
                    kernel_accept: small.kernel.accept,
                    message: small.kernel.msg,
                    bpflint_accept: (!small.lint.accept).then_some(false),
                    notes: c.notes,
                };
                print!("{}", case::write(&c));
            }
        }
    }
    status
}
