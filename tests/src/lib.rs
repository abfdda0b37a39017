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
