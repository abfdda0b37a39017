//! `bpflint-score`: the kernel's test_verifier cases (linux-source 6.1), with the running
//! kernel's verdict as ground truth, against bpflint's verdict.
//!
//! The corpus is generated at run time (nothing GPL-derived is committed): the tarball's
//! selftests are extracted under `target/bpflint-tv/`, our extractor `tools/tv_extract.c`
//! (which `#include`s test_verifier.c) is compiled with gcc against libbpf, and run as root: it
//! prints every case's instructions, program type, map fix-ups and the kernel's verdict of
//! BPF_PROG_LOAD as JSON lines (`tv.jsonl`, cached).
//!
//! Usage: bpflint-score [--regen] [--list false-accepts|false-rejects|all] [--json] [--kernel V]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use bpf_isa::RawInsn;
use bpflint::{analyze_raw, MapDesc, Profile, RawOptions};
use bpfobj::uapi::{AttachType, ProgType};
use serde_json::Value;

const TARBALL: &str = "/usr/src/linux-source-6.1.tar.xz";
const TOP: &str = "linux-source-6.1";

fn cache_dir() -> PathBuf {
    if let Ok(d) = std::env::var("BPFLINT_TV_DIR") {
        return PathBuf::from(d);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bpflint-tv")
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
    if !out.status.success() {
        return Err(format!("{cmd:?} failed:\n{}", String::from_utf8_lossy(&out.stderr)));
    }
    Ok(())
}

/// Build (if needed) and return the path of `tv.jsonl`.
pub fn corpus(regen: bool) -> Result<PathBuf, String> {
    let dir = cache_dir();
    let jsonl = dir.join("tv.jsonl");
    if jsonl.exists() && !regen {
        return Ok(jsonl);
    }
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let sel = format!("{TOP}/tools/testing/selftests/bpf");
    if !dir.join(&sel).join("test_verifier.c").exists() {
        eprintln!("extracting test_verifier sources from {TARBALL} ...");
        run(Command::new("tar").arg("xJf").arg(TARBALL).arg("-C").arg(&dir).args([
            format!("{TOP}/tools/testing/selftests/bpf"),
            format!("{TOP}/tools/include"),
            format!("{TOP}/tools/lib/bpf"),
            format!("{TOP}/tools/arch/x86/include"),
            format!("{TOP}/include/uapi"),
        ]))?;
    }
    // verifier/tests.h as the selftests Makefile generates it
    let vdir = dir.join(&sel).join("verifier");
    let mut names: Vec<String> = std::fs::read_dir(&vdir)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".c"))
        .collect();
    names.sort();
    let mut h = String::from("/* Generated header, do not edit */\n#ifdef FILL_ARRAY\n");
    for n in &names {
        h.push_str(&format!("#include \"{n}\"\n"));
    }
    h.push_str("#endif\n");
    std::fs::write(vdir.join("tests.h"), h).map_err(|e| e.to_string())?;
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/tv_extract.c");
    let exe = dir.join("tv_extract");
    let s = dir.join(&sel);
    eprintln!("compiling the extractor ...");
    run(Command::new("gcc")
        .args(["-O0", "-w", "-o"])
        .arg(&exe)
        .arg(&src)
        .arg(s.join("cap_helpers.c"))
        .arg(format!("-I{}", s.display()))
        .arg(format!("-I{}", dir.join(TOP).join("tools/include").display()))
        .arg(format!("-I{}", dir.join(TOP).join("tools/include/uapi").display()))
        .arg(format!("-I{}", dir.join(TOP).join("tools/lib").display()))
        .args(["-lbpf", "-lelf", "-lz"]))?;
    eprintln!("asking the running kernel for its verdicts ...");
    let out = Command::new(&exe).output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!("extractor failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    std::fs::write(&jsonl, &out.stdout).map_err(|e| e.to_string())?;
    Ok(jsonl)
}

/// Map descriptions for test_verifier's fix-up kinds (sizes as test_verifier creates them).
fn map_for(kind: &str) -> MapDesc {
    let mut m = match kind {
        "map_hash_8b" => MapDesc::new(1, 8, 8, 1),
        "map_hash_48b" => MapDesc::new(1, 8, 48, 1),
        "map_hash_16b" => MapDesc::new(1, 8, 16, 1),
        "map_array_48b" | "map_array_ro" | "map_array_wo" => MapDesc::new(2, 4, 48, 1),
        "map_sockmap" => MapDesc::new(15, 4, 4, 1),
        "map_sockhash" => MapDesc::new(18, 4, 4, 1),
        "map_xskmap" => MapDesc::new(17, 4, 4, 1),
        "map_stacktrace" => MapDesc::new(7, 4, 8, 1),
        "prog1" => MapDesc::new(3, 4, 4, 4),
        "prog2" => MapDesc::new(3, 4, 4, 8),
        "map_in_map" => {
            let mut m = MapDesc::new(12, 4, 4, 1);
            m.inner = Some(Box::new(MapDesc::new(2, 4, 4, 1)));
            m
        }
        "cgroup_storage" => MapDesc::new(19, 16, 64, 0),
        "percpu_cgroup_storage" => MapDesc::new(21, 16, 64, 0),
        "map_spin_lock" => {
            let mut m = MapDesc::new(2, 4, 8, 1);
            m.spin_lock_off = Some(4);
            m
        }
        "map_array_small" => MapDesc::new(2, 4, 1, 1),
        "sk_storage_map" => {
            let mut m = MapDesc::new(24, 4, 8, 0);
            m.spin_lock_off = Some(4);
            m
        }
        "map_event_output" => MapDesc::new(4, 4, 4, 1),
        "map_reuseport_array" => MapDesc::new(20, 4, 8, 1),
        "map_ringbuf" => MapDesc::new(27, 0, 0, 4096),
        "map_timer" => {
            let mut m = MapDesc::new(2, 4, 16, 1);
            m.timer_off = Some(0);
            m
        }
        "map_kptr" => {
            let mut m = MapDesc::new(2, 4, 24, 1);
            m.kptr_offs = vec![0, 8, 16];
            m
        }
        _ => MapDesc::new(1, 8, 8, 1),
    };
    if kind == "map_array_ro" {
        m.flags |= bpflint::program::BPF_F_RDONLY_PROG;
    }
    if kind == "map_array_wo" {
        m.flags |= bpflint::program::BPF_F_WRONLY_PROG;
    }
    m.name = kind.to_string();
    m
}

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

pub fn raw_opts(d: &Value, profile: &'static Profile) -> (Vec<RawInsn>, RawOptions) {
    let insns: Vec<RawInsn> = d["insns"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|i| RawInsn {
                    code: i[0].as_u64().unwrap_or(0) as u8,
                    dst: i[1].as_u64().unwrap_or(0) as u8,
                    src: i[2].as_u64().unwrap_or(0) as u8,
                    off: i[3].as_i64().unwrap_or(0) as i16,
                    imm: i[4].as_i64().unwrap_or(0) as i32,
                })
                .collect()
        })
        .unwrap_or_default();
    let mut opts = RawOptions {
        prog_type: ProgType(d["prog_type"].as_u64().unwrap_or(1) as u32),
        attach_type: AttachType(d["expected_attach_type"].as_u64().unwrap_or(0) as u32),
        strict_alignment: d["flags"].as_u64().unwrap_or(0) & 2 != 0,
        profile,
        ..Default::default()
    };
    let mut kinds: Vec<String> = Vec::new();
    for m in d["maps"].as_array().into_iter().flatten() {
        let kind = m["kind"].as_str().unwrap_or("").to_string();
        let idx = match kinds.iter().position(|k| *k == kind) {
            Some(i) => i,
            None => {
                kinds.push(kind.clone());
                opts.maps.push(map_for(&kind));
                kinds.len() - 1
            }
        };
        opts.map_refs.push((m["insn"].as_u64().unwrap_or(0) as usize, idx as u32));
    }
    (insns, opts)
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
