//! `bpfasm`: an assembler for LLVM's BPF assembly syntax that writes BPF ELF objects.
//!
//! Pipeline: [`lexer`] (tokens with spans) -> [`matcher`] (instruction templates from the
//! `bpf-isa` table) and [`directives`] -> [`asm`] (sections, symbols, fixups) -> [`finish`]
//! (layout, relocations, DWARF line/frame tables, ELF). [`macros`] expands `.macro`, `.rept`,
//! `.irp` and conditional assembly between the lexer and the statements; [`limits`] holds every
//! resource limit.
//!
//! The state of an assembly is held by owners that do not know the [`Assembler`]:
//! [`symbols`], [`sections`], [`lines`] (line table and CFI), [`decls`] (`.cdecl`), [`ide`]
//! (editor records) and [`macros::state`]; [`asm`]'s `Assembler` drives them.

// Diagnostics travel in `Result`s only on the error path; their size does not matter there.
#![allow(clippy::result_large_err)]

pub mod asm;
mod btfgen;
pub mod cdecl;
mod debuginfo;
pub mod declare;
pub mod decls;
pub mod diag;
mod directives;
pub mod disasm;
pub mod expr;
mod finish;
pub mod ide;
pub mod lexer;
mod limits;
pub mod lines;
pub mod macros;
pub mod matcher;
#[cfg(test)]
mod roundtrip_tests;
pub mod sections;
pub mod symbols;

pub use asm::{Assembler, Options};
