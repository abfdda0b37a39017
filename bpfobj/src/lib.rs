//! BPF ELF conventions: ELF constants, the one reader of BPF objects ([`read`]), a
//! relocatable-object writer, DWARF sections the assembler generates, and the one diagnostic
//! type of the tools ([`diagnostic`]).

pub mod diagnostic;
pub mod dwarf;
pub mod elf;
pub mod leb;
pub mod progarray;
pub mod progsec;
pub mod read;
pub mod suggest;
pub mod tracefs;
pub mod uapi;
pub mod write;
