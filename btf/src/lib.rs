//! BTF (BPF Type Format): read, validate, build, write and dump.
//!
//! - [`Btf`]: zero-copy reader over raw BTF bytes (base or split), with an index by id
//!   built at parse time and a hashed name index built on first use.
//! - [`BtfBuilder`]: add strings and types, write bytes in either byte order.
//! - [`ext`]: `.BTF.ext` (func_info, line_info, CO-RE relocations) reader and writer.
//! - [`validate`]: the kernel's rules (kernel/bpf/btf.c), one error variant per rule.
//! - [`dump_raw`], [`dump_json`], [`dump_c`]: `bpftool btf dump` raw, JSON and C layouts.
//! - [`dedup`]: libbpf's `btf__dedup` algorithm.
//! - [`dwarf`]: DWARF -> BTF (like `pahole -J`), with gimli.
//! - [`elf`]: `.BTF`/`.BTF.ext` sections of ELF objects.
//! - [`limits`]: every limit on input, the kernel's and our own.
//!
//! Errors are small values: [`Error`] (kind + byte offset) from the reader,
//! [`validate::ValidationError`] (rule + type id + name) from validation.

mod build;
pub mod dedup;
pub mod dump_c;
pub mod dump_json;
pub mod dump_raw;
pub mod dwarf;
pub mod elf;
mod error;
pub mod ext;
pub mod hash;
mod kind;
pub mod limits;
pub mod merge;
pub mod raw;
mod read;
pub mod validate;
mod words;

pub use build::{BtfBuilder, MemberDef, TypeData, TypeDef};
pub use error::{Error, ErrorKind};
pub use kind::{IntEncoding, Kind, Linkage};
pub use raw::{RawBtf, StrMap};
pub use read::{
    ArrayInfo, Btf, EnumValue, EnumValues, Header, IdsByName, IntInfo, Member, Param, Record, Records, Type,
    VarSecInfo, HEADER_LEN, MAGIC, MAX_RESOLVE_DEPTH,
};

/// Byte order of a BTF blob.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Endian {
    #[default]
    Little,
    Big,
}

impl Endian {
    /// The byte order of the machine running this code.
    pub fn native() -> Endian {
        if cfg!(target_endian = "big") {
            Endian::Big
        } else {
            Endian::Little
        }
    }
}
