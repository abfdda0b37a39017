//! Rendering a run's results: `human.rs` (the human and short formats) and `diagnostics.rs`
//! (verdicts and lint findings as the toolchain's one diagnostic type, `bpfobj::diagnostic`,
//! for `--message-format=json` and `sarif`). Lints produce [`Finding`]s and never render;
//! rendering reads findings and never calls a lint.

mod diagnostics;
mod human;

pub use diagnostics::{diagnostics, json_lines, sarif};
pub use human::{colorize_human, human, short};

use crate::lints::Finding;
use crate::program::{Program, Slot};
use crate::verifier::Verdict;

/// One program's result, ready to print.
pub struct Report<'a> {
    pub file: &'a str,
    pub program: &'a Program,
    pub verdict: &'a Verdict,
    /// Lint findings for this program.
    pub findings: Vec<&'a Finding>,
}

/// The instruction at `idx` as the disassembler prints it.
pub fn insn_text(p: &Program, idx: usize) -> String {
    match p.slots.get(idx) {
        Some(Slot::Insn(i, _)) => bpf_isa::print(i),
        Some(Slot::Bad(r)) => format!(".8byte {:#04x} (undecodable)", r.code),
        _ => String::new(),
    }
}
