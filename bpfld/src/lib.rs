//! `bpfld`: a static linker for BPF relocatable objects with libbpf's semantics (same-name
//! sections merged, globals resolved strong over weak over extern, BTF merged and deduplicated,
//! .BTF.ext records rebased), plus offline checks the kernel would otherwise make at load or
//! attach time: attach targets of fentry/fexit/freplace programs ([`targets`]) and members
//! of program arrays ([`progarray`]).
//!
//! ```no_run
//! let a = std::fs::read("a.o").unwrap();
//! let b = std::fs::read("b.o").unwrap();
//! let out = bpfld::link(&[("a.o".into(), a), ("b.o".into(), b)], &bpfld::Options::default()).unwrap();
//! std::fs::write("out.o", out.bytes).unwrap();
//! ```

pub mod archive;
pub mod btfutil;
pub mod diag;
pub mod gc;
pub mod input;
pub mod inputs;
mod link;
pub mod objbtf;
pub mod progarray;
pub mod programs;
pub mod targets;

pub use diag::{Diagnostic, Format, Severity};
pub use inputs::{link, link_parsed, Inputs};
pub use link::{Linked, Options, Output};
