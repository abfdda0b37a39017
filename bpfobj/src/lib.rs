//! BPF ELF conventions: ELF constants, a relocatable-object writer, and DWARF sections the
//! assembler generates.

pub mod diagnostic;
pub mod dwarf;
pub mod elf;
pub mod leb;
pub mod progarray;
pub mod progsec;
pub mod suggest;
pub mod tracefs;
pub mod uapi;
pub mod write;
