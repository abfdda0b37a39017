//! The BPF instruction set as data: one table ([`table::FORMS`]) from which the encoder,
//! decoder, printer and the assembler's matcher are derived.

pub mod insn;
pub mod print;
pub mod syntax;
pub mod table;
pub mod template;

pub use insn::{decode, lookup, DecodeError, Endian, Insn, RawInsn};
pub use print::{print, print_into, Overrides};
pub use table::{Field, Form, Group, Isa, Op, ALIASES, FORMS};
pub use template::{parse_reg, punct_at, templates, Piece, RegField, Template, PUNCTUATORS};
