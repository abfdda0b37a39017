//! `cargo bench -p btf`: the btf crate against bpftool and libbpf, in one run, on
//! /sys/kernel/btf/vmlinux (issue 3, acceptance 6).
//!
//! In-process: parse + index, raw dump, C dump, and dedup of vmlinux concatenated with itself,
//! against libbpf's `btf__new` and `btf__dedup` (btf/benches/libbpf_bench.c, compiled here with
//! `gcc -O2 ... -lbpf`). As processes: `btf dump` against `bpftool btf dump file` (raw and C),
//! output to /dev/null. Every figure is the median of several runs; the ratio is
//! reference / ours, so above 1 means we are faster.
//!
//! Without `--bench` (e.g. `cargo test --benches`) it only checks that its inputs exist: no
//! timings in tests.

use btf::{Btf, BtfBuilder, Endian, TypeDef};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const VMLINUX: &str = "/sys/kernel/btf/vmlinux";
const OUR_CLI: &str = env!("CARGO_BIN_EXE_btf");
const TMP: &str = env!("CARGO_TARGET_TMPDIR");

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2
    }
}

/// Median time of `runs` calls of `f`, after one untimed warm-up call.
fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    std::hint::black_box(f());
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed()
            })
            .collect(),
    )
}

/// Median wall time of a process with its output sent to /dev/null; `None` if it cannot run.
fn time_process(runs: usize, prog: &str, args: &[&str]) -> Option<Duration> {
    let run = || -> Option<Duration> {
        let t = Instant::now();
        let st = Command::new(prog).args(args).stdout(Stdio::null()).stderr(Stdio::null()).status().ok()?;
        let d = t.elapsed();
        st.success().then_some(d)
    };
    run()?; // warm-up (page cache, dynamic loader)
    let v: Option<Vec<Duration>> = (0..runs).map(|_| run()).collect();
    Some(median(v?))
}

/// All types of `btf` twice: the second copy's ids shifted past the first.
fn doubled(btf: &Btf<'_>) -> BtfBuilder {
    let mut b = BtfBuilder::from_btf(btf);
    let shift = btf.type_count() - 1;
    for t in btf.types() {
        let mut d = TypeDef::from_type(&t).expect("vmlinux type");
        d.data.for_each_ref_mut(|r| {
            if *r != 0 {
                *r += shift
            }
        });
        b.add_type(d);
    }
    b
}

struct Libbpf {
    parse: Duration,
    dedup: Duration,
    dedup_types: u32,
}

/// Build and run btf/benches/libbpf_bench.c; `None` (with a note) when gcc or libbpf is missing.
fn libbpf(raw: &Path, doubled: &Path, parse_runs: usize, dedup_runs: usize) -> Option<Libbpf> {
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/libbpf_bench.c");
    let exe = PathBuf::from(TMP).join("libbpf_bench");
    let built = Command::new("gcc").args(["-O2", "-o"]).arg(&exe).arg(src).arg("-lbpf").output();
    match built {
        Ok(o) if o.status.success() => {}
        Ok(o) => {
            eprintln!("note: cannot build the libbpf program: {}", String::from_utf8_lossy(&o.stderr).trim());
            return None;
        }
        Err(e) => {
            eprintln!("note: cannot run gcc: {e}");
            return None;
        }
    }
    let o = Command::new(&exe)
        .arg(raw)
        .arg(doubled)
        .arg(parse_runs.to_string())
        .arg(dedup_runs.to_string())
        .output()
        .ok()?;
    if !o.status.success() {
        eprintln!("note: libbpf_bench failed: {}", String::from_utf8_lossy(&o.stderr).trim());
        return None;
    }
    let out = String::from_utf8_lossy(&o.stdout);
    let field = |key: &str| -> Option<f64> { out.lines().find_map(|l| l.strip_prefix(key)?.trim().parse().ok()) };
    Some(Libbpf {
        parse: Duration::from_secs_f64(field("parse_ms ")? / 1e3),
        dedup: Duration::from_secs_f64(field("dedup_ms ")? / 1e3),
        dedup_types: field("dedup_types ")? as u32,
    })
}

fn have(prog: &str) -> bool {
    Command::new(prog).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok()
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

struct Table(Vec<[String; 5]>);

impl Table {
    fn row(&mut self, op: &str, ours: Duration, reference: Option<(&str, Duration)>, aim: &str) {
        let (r, ratio) = match reference {
            Some((name, d)) => (format!("{} ({name})", ms(d)), format!("{:.2}x", d.as_secs_f64() / ours.as_secs_f64())),
            None => ("n/a".to_string(), "-".to_string()),
        };
        self.0.push([op.to_string(), ms(ours), r, ratio, aim.to_string()]);
    }

    fn print(&self) {
        let head = ["operation", "ours", "reference", "ratio", "aim"];
        let mut w = head.map(str::len);
        for r in &self.0 {
            for (i, c) in r.iter().enumerate() {
                w[i] = w[i].max(c.len());
            }
        }
        let line = |cells: [&str; 5]| {
            println!(
                "| {:<w0$} | {:>w1$} | {:>w2$} | {:>w3$} | {:<w4$} |",
                cells[0],
                cells[1],
                cells[2],
                cells[3],
                cells[4],
                w0 = w[0],
                w1 = w[1],
                w2 = w[2],
                w3 = w[3],
                w4 = w[4]
            )
        };
        line(head);
        println!("|{}|", w.iter().map(|n| "-".repeat(n + 2)).collect::<Vec<_>>().join("|"));
        for r in &self.0 {
            line([&r[0], &r[1], &r[2], &r[3], &r[4]]);
        }
    }
}

fn main() {
    let data = match std::fs::read(VMLINUX) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("skipped: cannot read {VMLINUX}: {e}");
            return;
        }
    };
    if !std::env::args().any(|a| a == "--bench") {
        // Built and run as a test: check the inputs only.
        Btf::parse(&data).expect("vmlinux parses");
        println!("btf bench: run `cargo bench -p btf` for timings");
        return;
    }
    let total = Instant::now();
    let btf = Btf::parse(&data).expect("vmlinux parses");
    println!(
        "input: {VMLINUX}, {} bytes, {} types; ratio = reference / ours (above 1: we are faster)",
        data.len(),
        btf.type_count() - 1
    );

    // In-process.
    let parse = time(41, || Btf::parse(&data).unwrap());
    let parse_index = time(41, || {
        let b = Btf::parse(&data).unwrap();
        b.build_name_index();
        b
    });
    let mut buf = Vec::with_capacity(16 << 20);
    let raw_dump = time(5, || {
        buf.clear();
        btf::dump_raw::dump_raw(&btf, &mut buf).unwrap();
        buf.len()
    });
    let raw_bytes = buf.len();
    let c_dump = time(5, || {
        buf.clear();
        btf::dump_c::dump_c(&btf, &mut buf).unwrap();
        buf.len()
    });
    let c_bytes = buf.len();

    let twice = doubled(&btf);
    let twice_bytes = twice.to_bytes(Endian::native());
    let mut dedup_types = 0;
    let dedup = median(
        (0..3)
            .map(|_| {
                let mut b = twice.clone();
                let t = Instant::now();
                let stats = btf::dedup::dedup(&mut b).expect("dedup");
                let d = t.elapsed();
                dedup_types = stats.types_after;
                d
            })
            .collect(),
    );

    // References.
    std::fs::create_dir_all(TMP).unwrap();
    let raw_path = PathBuf::from(TMP).join("vmlinux.btf");
    let twice_path = PathBuf::from(TMP).join("vmlinux-twice.btf");
    std::fs::write(&raw_path, &data).unwrap();
    std::fs::write(&twice_path, &twice_bytes).unwrap();
    let lb = libbpf(&raw_path, &twice_path, 41, 3);
    let bpftool = have("bpftool");
    if !bpftool {
        eprintln!("note: bpftool not found; process rows have no reference");
    }
    let runs = 7;
    let ours_raw_p = time_process(runs, OUR_CLI, &["dump", VMLINUX]).expect("btf dump runs");
    let ours_c_p = time_process(runs, OUR_CLI, &["dump", VMLINUX, "--format", "c"]).expect("btf dump -f c runs");
    let tool_raw_p = bpftool.then(|| time_process(runs, "bpftool", &["btf", "dump", "file", VMLINUX])).flatten();
    let tool_c_p =
        bpftool.then(|| time_process(runs, "bpftool", &["btf", "dump", "file", VMLINUX, "format", "c"])).flatten();

    let mut t = Table(Vec::new());
    t.row("parse (id index), in process", parse, lb.as_ref().map(|l| ("libbpf btf__new", l.parse)), "");
    let met = |ok: bool| if ok { "yes" } else { "NO" };
    let ratio_met = |r: Option<Duration>, ours: Duration, want: f64| match r {
        Some(r) => met(r.as_secs_f64() / ours.as_secs_f64() >= want),
        None => "?",
    };
    // libbpf has no name index (btf__find_by_name scans): no reference for this row.
    t.row(
        "parse + name index, in process",
        parse_index,
        None,
        &format!("< 5 ms: {}", met(parse_index < Duration::from_millis(5))),
    );
    t.row(&format!("raw dump to memory ({} MB)", raw_bytes >> 20), raw_dump, None, "");
    t.row(&format!("C dump to memory ({} MB)", c_bytes >> 20), c_dump, None, "");
    let aim_raw = format!(">= 2x: {}", ratio_met(tool_raw_p, ours_raw_p, 2.0));
    t.row("raw dump, process > /dev/null", ours_raw_p, tool_raw_p.map(|d| ("bpftool", d)), &aim_raw);
    let aim_c = format!(">= 2x: {}", ratio_met(tool_c_p, ours_c_p, 2.0));
    t.row("C dump, process > /dev/null", ours_c_p, tool_c_p.map(|d| ("bpftool", d)), &aim_c);
    let lb_dedup = lb.as_ref().map(|l| l.dedup);
    let aim_dedup = format!(">= 1x: {}", ratio_met(lb_dedup, dedup, 1.0));
    t.row("dedup vmlinux x2, in process", dedup, lb_dedup.map(|d| ("libbpf btf__dedup", d)), &aim_dedup);
    t.print();
    match &lb {
        Some(l) => println!(
            "dedup of {} types: ours {dedup_types}, libbpf {} types{}",
            2 * (btf.type_count() - 1),
            l.dedup_types,
            if l.dedup_types == dedup_types { "" } else { "  <-- DIFFERENT" }
        ),
        None => println!("dedup of {} types: ours {dedup_types}", 2 * (btf.type_count() - 1)),
    }
    println!("total bench time {:.1} s", total.elapsed().as_secs_f64());
}
