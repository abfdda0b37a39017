//! kernel-diff: bpflint against the running kernel. A generator of well-formed programs near
//! the edge of what the verifier accepts ([`gen`]) and a mutator of real programs
//! ([`mutate`]) feed programs to the kernel (`BPF_PROG_LOAD`, [`kernel`]) and to bpflint
//! ([`prog::Prog::lint`]); every disagreement is minimised ([`minimize`]) and written as a
//! regression case ([`case`]) that `cargo test` replays.

pub mod asm;
pub mod campaign;
pub mod case;
pub mod edit;
pub mod gen;
pub mod kernel;
pub mod minimize;
pub mod mutate;
pub mod prog;
pub mod rng;
