//! ELF constants used by BPF objects.

pub const ET_REL: u16 = 1;
pub const EM_BPF: u16 = 247;

pub const SHT_NULL: u32 = 0;
pub const SHT_PROGBITS: u32 = 1;
pub const SHT_SYMTAB: u32 = 2;
pub const SHT_STRTAB: u32 = 3;
pub const SHT_NOTE: u32 = 7;
pub const SHT_NOBITS: u32 = 8;
pub const SHT_RELA: u32 = 4;
pub const SHT_REL: u32 = 9;
pub const SHT_INIT_ARRAY: u32 = 14;
pub const SHT_GROUP: u32 = 17;
pub const SHT_FINI_ARRAY: u32 = 15;
pub const SHT_PREINIT_ARRAY: u32 = 16;
pub const SHT_SYMTAB_SHNDX: u32 = 18;
pub const SHT_LLVM_ADDRSIG: u32 = 0x6fff4c03;

pub const SHF_WRITE: u64 = 0x1;
pub const SHF_ALLOC: u64 = 0x2;
pub const SHF_EXECINSTR: u64 = 0x4;
pub const SHF_MERGE: u64 = 0x10;
pub const SHF_STRINGS: u64 = 0x20;
pub const SHF_INFO_LINK: u64 = 0x40;
pub const SHF_LINK_ORDER: u64 = 0x80;
pub const SHF_GROUP: u64 = 0x200;
pub const SHF_TLS: u64 = 0x400;
pub const SHF_GNU_RETAIN: u64 = 0x200000;
pub const SHF_EXCLUDE: u64 = 0x8000_0000;

pub const SHN_UNDEF: u16 = 0;
pub const SHN_ABS: u16 = 0xfff1;
pub const SHN_COMMON: u16 = 0xfff2;

pub const STB_LOCAL: u8 = 0;
pub const STB_GLOBAL: u8 = 1;
pub const STB_WEAK: u8 = 2;

pub const STT_NOTYPE: u8 = 0;
pub const STT_OBJECT: u8 = 1;
pub const STT_FUNC: u8 = 2;
pub const STT_SECTION: u8 = 3;
pub const STT_FILE: u8 = 4;
pub const STT_COMMON: u8 = 5;
pub const STT_TLS: u8 = 6;

pub const STV_DEFAULT: u8 = 0;
pub const STV_INTERNAL: u8 = 1;
pub const STV_HIDDEN: u8 = 2;
pub const STV_PROTECTED: u8 = 3;

/// BPF relocation types (`R_BPF_*`), as a newtype so unknown values print as numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RelocType(pub u32);

impl RelocType {
    pub const NONE: RelocType = RelocType(0);
    /// `ld_imm64` of a symbol's address.
    pub const R64_64: RelocType = RelocType(1);
    pub const ABS64: RelocType = RelocType(2);
    pub const ABS32: RelocType = RelocType(3);
    /// ABS32 that runtime loaders must not apply (BTF/.BTF.ext offsets).
    pub const NODYLD32: RelocType = RelocType(4);
    /// pc-relative call (`call sym`).
    pub const R64_32: RelocType = RelocType(10);

    pub fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            0 => "R_BPF_NONE",
            1 => "R_BPF_64_64",
            2 => "R_BPF_64_ABS64",
            3 => "R_BPF_64_ABS32",
            4 => "R_BPF_64_NODYLD32",
            10 => "R_BPF_64_32",
            _ => return None,
        })
    }
}

impl std::fmt::Display for RelocType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.name() {
            Some(n) => f.write_str(n),
            None => write!(f, "unknown relocation type {}", self.0),
        }
    }
}
