//! `cargo bench -p bpfobj`: reading many small BPF objects, `bpfobj::read` (on object's raw ELF
//! layer) against goblin, for the decision recorded in docs/architecture.md (issue 16: adopt
//! goblin only where it measurably wins).
//!
//! Inputs: bench/link.py's 200 generated objects (`target/bench-link/200/`) and the clang-19
//! selftests corpus (`target/corpus/out/*.clang.o`), whichever exist. Each side does what
//! bpfld and bpflint need of an object: the section headers with their names and contents,
//! every symbol with its name, and the relocations of every executable section. Median of
//! several runs over all objects; the ratio is goblin / ours (above 1: ours is faster).
//!
//! Without `--bench` (e.g. `cargo test --benches`) it reads every input once with both and
//! checks they agree on the counts: no timings in tests.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use bpfobj::read::Object;

fn inputs() -> Vec<Vec<u8>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut paths = Vec::new();
    for (dir, suffix) in [("target/bench-link/200", ".o"), ("target/corpus/out", ".clang.o")] {
        let Ok(rd) = std::fs::read_dir(root.join(dir)) else { continue };
        let mut v: Vec<PathBuf> =
            rd.map(|e| e.unwrap().path()).filter(|p| p.to_string_lossy().ends_with(suffix)).collect();
        v.sort();
        paths.extend(v);
    }
    paths.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

/// (sections, symbols, relocations of executable sections, bytes of names touched)
type Counts = (usize, usize, usize, usize);

fn ours(data: &[u8]) -> Counts {
    let Ok(o) = Object::parse(data) else { return (0, 0, 0, 0) };
    let mut names = 0;
    for s in o.sections() {
        names += s.raw_name.len() + s.data.len().min(1);
    }
    let mut nsym = 0;
    for y in o.symbols() {
        names += y.raw_name.len();
        nsym += 1;
    }
    let mut rels = 0;
    for s in o.sections().iter().filter(|s| s.is_exec()) {
        rels += o.relocations(s.index).map_or(0, |r| r.len());
    }
    (o.sections().len(), nsym, rels, names)
}

fn goblin_side(data: &[u8]) -> Counts {
    let Ok(e) = goblin::elf::Elf::parse(data) else { return (0, 0, 0, 0) };
    let mut names = 0;
    for s in &e.section_headers {
        names += e.shdr_strtab.get_at(s.sh_name).map_or(0, str::len);
        let r = s.file_range();
        names += r.and_then(|r| data.get(r)).map_or(0, |d| d.len().min(1));
    }
    let mut nsym = 0;
    for y in e.syms.iter() {
        names += e.strtab.get_at(y.st_name).map_or(0, str::len);
        nsym += 1;
    }
    let mut rels = 0;
    for (idx, rs) in &e.shdr_relocs {
        let target = e.section_headers.get(*idx).map_or(0, |s| s.sh_info as usize);
        if e.section_headers.get(target).is_some_and(|s| s.is_executable()) {
            rels += rs.len();
        }
    }
    (e.section_headers.len(), nsym, rels, names)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let objs = inputs();
    if objs.is_empty() {
        println!(
            "skipped: no inputs (run bench/link.py or ./test.sh first to build target/bench-link or target/corpus)"
        );
        return;
    }
    // Both read the same things.
    let mut differ = 0;
    for d in &objs {
        let (a, b) = (ours(d), goblin_side(d));
        if (a.0, a.1, a.2) != (b.0, b.1, b.2) {
            differ += 1;
        }
    }
    assert_eq!(differ, 0, "bpfobj::read and goblin disagree on {differ} objects");
    if !bench {
        println!("read bench: {} objects read alike by both (run with --bench for timings)", objs.len());
        return;
    }
    let total: usize = objs.iter().map(Vec::len).sum();
    let runs = 21;
    let time = |f: &dyn Fn(&[u8]) -> Counts| {
        median(
            (0..runs)
                .map(|_| {
                    let t = Instant::now();
                    for d in &objs {
                        std::hint::black_box(f(d));
                    }
                    t.elapsed()
                })
                .collect(),
        )
    };
    let (o, g) = (time(&ours), time(&goblin_side));
    println!("read {} objects ({} KiB), median of {runs} runs:", objs.len(), total / 1024);
    println!("  bpfobj::read (object)  {:>8.2} ms", o.as_secs_f64() * 1e3);
    println!("  goblin                 {:>8.2} ms", g.as_secs_f64() * 1e3);
    println!("  ratio goblin / ours: {:.2}x", g.as_secs_f64() / o.as_secs_f64());
}
