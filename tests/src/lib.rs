//! Harness for the workspace end-to-end tests.
//!
//! - [`corpus`]: generates, at test time, the differential corpus from the kernel's BPF selftests
//!   (`linux-source-6.1`): `.s` from `clang-19 -S`, `.clang.o` from `clang-19 -c` and `.mc.o`
//!   from `llvm-mc-19`. Nothing derived from kernel sources is ever committed.
//! - [`objcmp`]: semantic comparison of two BPF ELF relocatable objects, with readable reports.
//! - [`kernel`]: asking the running kernel: bpffs pins, bpftool, `BPF_PROG_TEST_RUN`, map dumps.
//! - [`tools`]: locating the workspace binaries under test (`bpfasm`) and external tools.

pub mod corpus;
pub mod golden;
pub mod kernel;
pub mod objcmp;
pub mod tools;

/// The reproducers the fuzzer found for `target` (`fuzz/regressions/<target>/*.<ext>`):
/// (path, bytes), sorted; panics when there are none (a replay test must replay something).
pub fn fuzz_regressions(target: &str, ext: &str) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions").join(target);
    let mut v: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .map(|p| {
            let data = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p, data)
        })
        .collect();
    v.sort();
    assert!(!v.is_empty(), "no regression inputs (*.{ext}) in {}", dir.display());
    v
}
