//! `bpfasm`: an assembler for LLVM's BPF assembly syntax that writes BPF ELF objects.
//!
//! Pipeline: [`lexer`] (tokens with spans) -> [`insn`] (instruction statements: an LR grammar
//! written from the `bpf-isa` table; operands by [`expr`]'s grammar) and [`directives`] -> [`asm`] (sections, symbols, fixups) -> [`finish`]
//! (layout, relocations, DWARF line/frame tables, ELF). [`macros`] expands `.macro`, `.rept`,
//! `.irp` and conditional assembly between the lexer and the statements; [`limits`] holds every
//! resource limit.
//!
//! The state of an assembly is held by owners that do not know the [`Assembler`]:
//! [`symbols`], [`sections`], [`lines`] (line table and CFI), [`decls`] (`.cdecl`), [`ide`]
//! (editor records) and [`macros::state`]; [`asm`]'s `Assembler` drives them.

// Diagnostics travel in `Result`s only on the error path; their size does not matter there.
#![allow(clippy::result_large_err)]

/// The list side of an owner that keeps its items in `list: Vec<Item>` and their ids by name
/// in `by_name` (sections, symbols): `owner[i]`, `for x in &owner`, `len`, `iter`, `lookup`.
macro_rules! indexed_list {
    ($owner:ty, $item:ty, $id:ty) => {
        impl $owner {
            pub fn lookup(&self, name: &str) -> Option<$id> {
                self.by_name.get(name).copied()
            }

            pub fn contains(&self, name: &str) -> bool {
                self.by_name.contains_key(name)
            }

            pub fn len(&self) -> usize {
                self.list.len()
            }

            pub fn is_empty(&self) -> bool {
                self.list.is_empty()
            }

            pub fn iter(&self) -> std::slice::Iter<'_, $item> {
                self.list.iter()
            }

            pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, $item> {
                self.list.iter_mut()
            }
        }

        impl std::ops::Index<usize> for $owner {
            type Output = $item;
            fn index(&self, i: usize) -> &$item {
                &self.list[i]
            }
        }

        impl std::ops::IndexMut<usize> for $owner {
            fn index_mut(&mut self, i: usize) -> &mut $item {
                &mut self.list[i]
            }
        }

        impl<'a> IntoIterator for &'a $owner {
            type Item = &'a $item;
            type IntoIter = std::slice::Iter<'a, $item>;
            fn into_iter(self) -> Self::IntoIter {
                self.list.iter()
            }
        }
    };
}

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
pub mod insn;
pub mod lexer;
mod limits;
pub mod lines;
pub mod macros;
#[cfg(test)]
mod roundtrip_tests;
pub mod sections;
pub mod symbols;

pub use asm::{Assembler, Options};
