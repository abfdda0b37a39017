//! A campaign: program `i` of seed `S` is a pure function of `(S, i)` (generated, or a mutant
//! of a generated program, or a mutant of a test_verifier program); the kernel and bpflint
//! judge it; each new kind of disagreement is minimised and written as a regression case.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::case::{self, Case};
use crate::kernel::Kernel;
use crate::prog::{Map, Outcome, Prog};
use crate::rng::Rng;
use crate::{gen, minimize, mutate};
use bpflint::Profile;
use serde_json::Value;

/// A program of the test_verifier corpus the mutator starts from.
#[derive(Clone, Debug)]
pub struct Seed {
    pub index: u64,
    pub prog: Prog,
}

/// The test_verifier programs (linux-source 6.1, built by [`bpflint::tv::corpus`]) that load
/// without BTF, kfuncs or special maps: the mutator's real programs.
pub fn tv_seeds() -> Result<Vec<Seed>, String> {
    let path = bpflint::tv::corpus(false)?;
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = Vec::new();
    for line in text.lines() {
        let Ok(d) = serde_json::from_str::<Value>(line) else { continue };
        let flag = |k: &str| d[k].as_bool().unwrap_or(false);
        if flag("setup_failed")
            || flag("has_btf")
            || d["func_info_cnt"].as_u64().unwrap_or(0) != 0
            || d["kfuncs"].as_array().is_some_and(|a| !a.is_empty())
            || d["flags"].as_u64().unwrap_or(0) & 1 != 0
        {
            continue;
        }
        let (insns, opts) = bpflint::tv::raw_opts(&d, Profile::native());
        if matches!(opts.prog_type.0, 26..=29) {
            continue; // tracing, struct_ops, ext, lsm: need an attach BTF id
        }
        let mut maps = Vec::new();
        let mut plain = true;
        for m in &opts.maps {
            plain &= m.inner.is_none() && m.spin_lock_off.is_none() && m.timer_off.is_none() && m.kptrs.is_empty();
            maps.push(Map {
                map_type: m.map_type,
                key_size: m.key_size,
                value_size: m.value_size,
                max_entries: m.max_entries,
                flags: m.flags,
            });
        }
        // huge programs (the 1M-instruction scale tests) make slow mutants on both sides
        if !plain || insns.is_empty() || insns.len() > 4096 {
            continue;
        }
        let prog = Prog {
            prog_type: opts.prog_type.0,
            attach_type: opts.attach_type.0,
            insns,
            maps,
            map_refs: opts.map_refs,
            func_info: false,
        };
        out.push(Seed { index: d["index"].as_u64().unwrap_or(0), prog });
    }
    Ok(out)
}

/// Program `i` of seed `seed` and where it came from.
pub fn program(seed: u64, i: u64, tv: &[Seed]) -> (Prog, String) {
    let mut r = Rng::new(seed.wrapping_mul(0x0000_0100_0000_01b3) ^ i.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let roll = r.below(100);
    if roll >= 80 && !tv.is_empty() {
        let s = r.pick(tv).clone();
        if let Some((p, how)) = mutate::mutate(&s.prog, &mut r) {
            return (p, format!("mutated test_verifier #{} ({how})", s.index));
        }
    }
    let p = gen::generate(&mut r);
    if roll >= 55 {
        if let Some((q, how)) = mutate::mutate(&p, &mut r) {
            return (q, format!("mutated generated ({how})"));
        }
    }
    (p, "generated".into())
}

/// How to run.
#[derive(Clone, Debug, Default)]
pub struct Config {
    pub seed: u64,
    pub start: u64,
    pub count: u64,
    /// Write new disagreements here as case files.
    pub save: Option<PathBuf>,
    pub minimize: bool,
    /// Collect the kernel's rejection messages (a second load with a log for each rejection).
    pub reject_stats: bool,
}

/// One disagreement (minimised when the campaign minimises).
#[derive(Clone, Debug)]
pub struct Found {
    pub index: u64,
    pub origin: String,
    pub prog: Prog,
    pub kernel: Outcome,
    pub lint: Outcome,
}

#[derive(Clone, Debug, Default)]
pub struct Stats {
    pub programs: u64,
    pub generated: u64,
    pub mutated_generated: u64,
    pub mutated_tv: u64,
    /// The kernel could not judge (a map could not be created).
    pub skipped: u64,
    pub kernel_accept: u64,
    pub kernel_reject: u64,
    /// Kernel accepts of generated programs, of mutants of generated ones, of test_verifier mutants.
    pub accept_by_origin: [u64; 3],
    pub false_accepts: u64,
    pub false_rejects: u64,
    /// Distinct disagreements (by signature): how many programs showed each, and the first.
    pub kinds: BTreeMap<String, (u64, Found)>,
    pub saved: Vec<PathBuf>,
    /// Time in the kernel's BPF_PROG_LOAD and in bpflint (nanoseconds).
    pub kernel_ns: u64,
    pub lint_ns: u64,
    /// The kernel's rejection messages (shapes) and how often.
    pub rejects: BTreeMap<String, u64>,
}

/// Digits out: a message's shape.
fn shape(msg: &str) -> String {
    let mut s = String::new();
    let mut prev_digit = false;
    for c in msg.chars() {
        if c.is_ascii_digit() {
            if !prev_digit {
                s.push('N');
            }
            prev_digit = true;
        } else {
            s.push(c);
            prev_digit = false;
        }
    }
    s
}

/// bpflint's message without its instruction index.
fn lint_text(o: &Outcome) -> &str {
    o.msg.split_once(": ").map_or(&o.msg, |(_, m)| m)
}

/// What kind of disagreement this is (the key under which one case is kept).
pub fn signature(kernel: &Outcome, lint: &Outcome) -> String {
    if lint.accept {
        format!("false accept | kernel: {}", shape(&kernel.msg))
    } else {
        format!("false reject | bpflint: {}", shape(lint_text(lint)))
    }
}

fn lint_guarded(p: &Prog) -> Outcome {
    match std::panic::catch_unwind(|| p.lint()) {
        Ok(o) => o,
        Err(_) => Outcome { accept: false, msg: "0: bpflint panicked".into() },
    }
}

pub fn run(cfg: &Config, k: &mut Kernel, tv: &[Seed], mut progress: impl FnMut(&Stats)) -> Stats {
    let mut st = Stats::default();
    for i in cfg.start..cfg.start + cfg.count {
        let (p, origin) = program(cfg.seed, i, tv);
        let t = std::time::Instant::now();
        let Ok(kaccept) = k.verdict_quick(&p) else {
            st.skipped += 1;
            continue;
        };
        let t2 = std::time::Instant::now();
        let lv = lint_guarded(&p);
        let t3 = std::time::Instant::now();
        // the kernel's message: for a false accept, or for the statistics of rejections
        let kv = if !kaccept && (lv.accept || cfg.reject_stats) {
            match k.verdict(&p) {
                Ok(v) => v,
                Err(_) => {
                    st.skipped += 1;
                    continue;
                }
            }
        } else {
            Outcome { accept: kaccept, msg: String::new() }
        };
        st.kernel_ns += ((t2 - t) + t3.elapsed()).as_nanos() as u64;
        st.lint_ns += (t3 - t2).as_nanos() as u64;
        st.programs += 1;
        let o = if origin.starts_with("generated") {
            st.generated += 1;
            0
        } else if origin.starts_with("mutated generated") {
            st.mutated_generated += 1;
            1
        } else {
            st.mutated_tv += 1;
            2
        };
        if kv.accept {
            st.accept_by_origin[o] += 1;
            st.kernel_accept += 1;
        } else {
            st.kernel_reject += 1;
            if cfg.reject_stats {
                *st.rejects.entry(shape(&kv.msg)).or_default() += 1;
            }
        }
        if kv.accept != lv.accept {
            if lv.accept {
                st.false_accepts += 1;
            } else {
                st.false_rejects += 1;
            }
            let sig = signature(&kv, &lv);
            if let Some(e) = st.kinds.get_mut(&sig) {
                e.0 += 1;
            } else {
                let mut f = Found { index: i, origin, prog: p, kernel: kv, lint: lv };
                if cfg.minimize {
                    f = minimize_found(k, f);
                }
                if let Some(dir) = &cfg.save {
                    if let Some(path) = save(dir, cfg.seed, &sig, &f) {
                        st.saved.push(path);
                    }
                }
                st.kinds.insert(sig, (1, f));
            }
        }
        if (i + 1) % 1000 == 0 {
            progress(&st);
        }
    }
    st
}

/// Minimise while the kernel and bpflint still disagree the same way.
pub fn minimize_found(k: &mut Kernel, f: Found) -> Found {
    let sig = signature(&f.kernel, &f.lint);
    let small = minimize::minimize(&f.prog, 3000, std::time::Duration::from_secs(20), |q| {
        let Ok(kv) = k.verdict(q) else { return false };
        let lv = lint_guarded(q);
        kv.accept != lv.accept && signature(&kv, &lv) == sig
    });
    let kernel = k.verdict(&small).unwrap_or(f.kernel);
    let lint = lint_guarded(&small);
    Found { prog: small, kernel, lint, ..f }
}

/// A case file for a disagreement; `None` when one with that name already exists.
pub fn save(dir: &std::path::Path, seed: u64, sig: &str, f: &Found) -> Option<PathBuf> {
    let kind = if f.lint.accept { "fa" } else { "fr" };
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in sig.bytes() {
        h = (h ^ b as u64).wrapping_mul(0x100_0000_01b3);
    }
    let path = dir.join(format!("{kind}-{:08x}.s", h as u32));
    if path.exists() {
        return None;
    }
    let c = Case {
        prog: f.prog.clone(),
        kernel_accept: f.kernel.accept,
        message: f.kernel.msg.clone(),
        bpflint_accept: (!f.lint.accept).then_some(false),
        notes: vec![
            format!("FOUND: bpflint-diff --seed {seed} --start {} --count 1 ({}), then minimised", f.index, f.origin),
            format!("SIGNATURE: {sig}"),
            if f.lint.accept { "BPFLINT-SAID: accept".into() } else { format!("BPFLINT-SAID: {}", f.lint.msg) },
        ],
    };
    std::fs::create_dir_all(dir).ok()?;
    std::fs::write(&path, case::write(&c)).ok()?;
    Some(path)
}

impl Stats {
    pub fn summary(&self) -> String {
        let n = self.programs.max(1) as f64;
        let mut s = format!(
            "programs: {} (generated {}, mutated {}: {} of generated programs, {} of test_verifier programs; {} skipped)\n\
             kernel: {} accepted ({:.1}%; generated {:.1}%, mutants of generated {:.1}%, of test_verifier {:.1}%), {} rejected\n\
             false accepts: {} ({} kinds)\n\
             false rejects: {} ({} kinds, {:.2}% of the kernel's accepts)\n",
            self.programs,
            self.generated,
            self.mutated_generated + self.mutated_tv,
            self.mutated_generated,
            self.mutated_tv,
            self.skipped,
            self.kernel_accept,
            100.0 * self.kernel_accept as f64 / n,
            100.0 * self.accept_by_origin[0] as f64 / self.generated.max(1) as f64,
            100.0 * self.accept_by_origin[1] as f64 / self.mutated_generated.max(1) as f64,
            100.0 * self.accept_by_origin[2] as f64 / self.mutated_tv.max(1) as f64,
            self.kernel_reject,
            self.false_accepts,
            self.kinds.keys().filter(|k| k.starts_with("false accept")).count(),
            self.false_rejects,
            self.kinds.keys().filter(|k| k.starts_with("false reject")).count(),
            100.0 * self.false_rejects as f64 / self.kernel_accept.max(1) as f64,
        );
        s.push_str(&format!(
            "time: kernel BPF_PROG_LOAD {:.1} s, bpflint {:.1} s\n",
            self.kernel_ns as f64 / 1e9,
            self.lint_ns as f64 / 1e9
        ));
        if !self.rejects.is_empty() {
            let mut v: Vec<_> = self.rejects.iter().collect();
            v.sort_by_key(|(_, n)| std::cmp::Reverse(**n));
            for (m, n) in v.iter().take(40) {
                s.push_str(&format!("  reject {n:>6} x {m}\n"));
            }
        }
        for (sig, (count, f)) in &self.kinds {
            s.push_str(&format!("  {count:>6} x {sig}  [first: program {}, {}]\n", f.index, f.origin));
        }
        s
    }
}
