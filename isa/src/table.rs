//! THE instruction table. Every BPF instruction the toolchain knows is one row here.
//!
//! A row gives the opcode byte, how each of the other encoding fields is used (an operand,
//! zero, or a fixed discriminator such as `off = 1` for `sdiv`), the printed form in LLVM's
//! pseudo-C syntax, the minimum ISA version (`-mcpu`) and the RFC 9669 conformance group.
//! The `Op` enum, the encoder, decoder, printer, the assembler's matcher and the linter's
//! transfer function all come from these rows.
//!
//! Template language (shared by the printer and the assembler's matcher):
//! - `$d` / `$dw`: the dst register, printed `rN` / `wN`; `$s` / `$sw`: the src register.
//!   A placeholder that appears twice (`$d = -$d`) must name the same register both times.
//! - `$imm`: the 32-bit immediate; `$imm64`: the 64-bit immediate of `ld_imm64`.
//! - `$moff`: the memory offset (off field), printed `+ 8` / `- 8`.
//! - `$joff`: a pc-relative jump target in the off field, printed `+3` / `-2` or a label.
//! - `$jimm`: a pc-relative target in the imm field (`gotol`, local calls).
//! - `$asd` / `$ass`: destination / source address space of `addr_space_cast` (imm = asd << 16 | ass).
//! - `$ind`: the optional immediate of a legacy indirect packet load, printed ` + N` when non-zero.
//! - Everything else is literal text; `r0`/`w0` in a template is a fixed register.

/// ISA version, as selected by `-mcpu=vN`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Isa {
    V1 = 1,
    V2 = 2,
    V3 = 3,
    V4 = 4,
}

impl Isa {
    pub const ALL: [Isa; 4] = [Isa::V1, Isa::V2, Isa::V3, Isa::V4];

    pub fn name(self) -> &'static str {
        match self {
            Isa::V1 => "v1",
            Isa::V2 => "v2",
            Isa::V3 => "v3",
            Isa::V4 => "v4",
        }
    }

    pub fn from_name(s: &str) -> Option<Isa> {
        match s {
            "v1" | "generic" => Some(Isa::V1),
            "v2" => Some(Isa::V2),
            "v3" => Some(Isa::V3),
            "v4" | "probe" => Some(Isa::V4),
            _ => None,
        }
    }
}

/// RFC 9669 conformance groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Group {
    Base32,
    Base64,
    Atomic32,
    Atomic64,
    Divmul32,
    Divmul64,
    Packet,
}

/// How a row uses one encoding field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// Must be zero.
    Zero,
    /// Fixed discriminating value.
    Fixed(i32),
    /// Carries an operand.
    Operand,
}

/// One row of the table.
#[derive(Clone, Copy, Debug)]
pub struct Form {
    pub op: Op,
    /// The variant name, e.g. `AddX64`.
    pub name: &'static str,
    pub code: u8,
    pub dst: Field,
    pub src: Field,
    pub off: Field,
    pub imm: Field,
    /// Printed form (see the module docs for the template language).
    pub asm: &'static str,
    pub isa: Isa,
    pub group: Group,
}

impl Form {
    /// `ld_imm64` occupies two 8-byte slots.
    pub fn is_wide(&self) -> bool {
        self.code == 0x18
    }

    /// Instruction class (low 3 bits of the opcode).
    pub fn class(&self) -> u8 {
        self.code & 7
    }
}

macro_rules! field {
    (O) => {
        Field::Operand
    };
    (Z) => {
        Field::Zero
    };
    ($n:literal) => {
        Field::Fixed($n)
    };
}

macro_rules! define_table {
    ($( $op:ident = $code:literal, $dst:tt, $src:tt, $off:tt, $imm:tt, $asm:literal, $isa:ident, $group:ident; )*) => {
        /// One variant per row of the instruction table.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Op { $($op,)* }

        /// The table, indexed by `Op as usize`.
        pub const FORMS: &[Form] = &[ $(
            Form {
                op: Op::$op,
                name: stringify!($op),
                code: $code,
                dst: field!($dst),
                src: field!($src),
                off: field!($off),
                imm: field!($imm),
                asm: $asm,
                isa: Isa::$isa,
                group: Group::$group,
            },
        )* ];
    };
}

// Columns: Op = opcode, dst, src, off, imm, template, min ISA, conformance group.
// O = operand, Z = must be zero, a number = fixed discriminator.
define_table! {
    // ---- ALU64 (class 0x07) ----
    AddK64   = 0x07, O, Z, Z, O, "$d += $imm", V1, Base64;
    AddX64   = 0x0f, O, O, Z, Z, "$d += $s", V1, Base64;
    SubK64   = 0x17, O, Z, Z, O, "$d -= $imm", V1, Base64;
    SubX64   = 0x1f, O, O, Z, Z, "$d -= $s", V1, Base64;
    MulK64   = 0x27, O, Z, Z, O, "$d *= $imm", V1, Divmul64;
    MulX64   = 0x2f, O, O, Z, Z, "$d *= $s", V1, Divmul64;
    DivK64   = 0x37, O, Z, Z, O, "$d /= $imm", V1, Divmul64;
    DivX64   = 0x3f, O, O, Z, Z, "$d /= $s", V1, Divmul64;
    SdivK64  = 0x37, O, Z, 1, O, "$d s/= $imm", V4, Divmul64;
    SdivX64  = 0x3f, O, O, 1, Z, "$d s/= $s", V4, Divmul64;
    OrK64    = 0x47, O, Z, Z, O, "$d |= $imm", V1, Base64;
    OrX64    = 0x4f, O, O, Z, Z, "$d |= $s", V1, Base64;
    AndK64   = 0x57, O, Z, Z, O, "$d &= $imm", V1, Base64;
    AndX64   = 0x5f, O, O, Z, Z, "$d &= $s", V1, Base64;
    LshK64   = 0x67, O, Z, Z, O, "$d <<= $imm", V1, Base64;
    LshX64   = 0x6f, O, O, Z, Z, "$d <<= $s", V1, Base64;
    RshK64   = 0x77, O, Z, Z, O, "$d >>= $imm", V1, Base64;
    RshX64   = 0x7f, O, O, Z, Z, "$d >>= $s", V1, Base64;
    Neg64    = 0x87, O, Z, Z, Z, "$d = -$d", V1, Base64;
    ModK64   = 0x97, O, Z, Z, O, "$d %= $imm", V1, Divmul64;
    ModX64   = 0x9f, O, O, Z, Z, "$d %= $s", V1, Divmul64;
    SmodK64  = 0x97, O, Z, 1, O, "$d s%= $imm", V4, Divmul64;
    SmodX64  = 0x9f, O, O, 1, Z, "$d s%= $s", V4, Divmul64;
    XorK64   = 0xa7, O, Z, Z, O, "$d ^= $imm", V1, Base64;
    XorX64   = 0xaf, O, O, Z, Z, "$d ^= $s", V1, Base64;
    MovK64   = 0xb7, O, Z, Z, O, "$d = $imm", V1, Base64;
    MovX64   = 0xbf, O, O, Z, Z, "$d = $s", V1, Base64;
    MovsxB64 = 0xbf, O, O, 8, Z, "$d = (s8)$s", V4, Base64;
    MovsxH64 = 0xbf, O, O, 16, Z, "$d = (s16)$s", V4, Base64;
    MovsxW64 = 0xbf, O, O, 32, Z, "$d = (s32)$s", V4, Base64;
    AddrSpaceCast = 0xbf, O, O, 1, O, "$d = addr_space_cast($s, $asd, $ass)", V4, Base64;
    ArshK64  = 0xc7, O, Z, Z, O, "$d s>>= $imm", V1, Base64;
    ArshX64  = 0xcf, O, O, Z, Z, "$d s>>= $s", V1, Base64;
    Bswap16  = 0xd7, O, Z, Z, 16, "$d = bswap16 $d", V4, Base64;
    Bswap32  = 0xd7, O, Z, Z, 32, "$d = bswap32 $d", V4, Base64;
    Bswap64  = 0xd7, O, Z, Z, 64, "$d = bswap64 $d", V4, Base64;

    // ---- ALU (32-bit, class 0x04) ----
    AddK32   = 0x04, O, Z, Z, O, "$dw += $imm", V1, Base32;
    AddX32   = 0x0c, O, O, Z, Z, "$dw += $sw", V1, Base32;
    SubK32   = 0x14, O, Z, Z, O, "$dw -= $imm", V1, Base32;
    SubX32   = 0x1c, O, O, Z, Z, "$dw -= $sw", V1, Base32;
    MulK32   = 0x24, O, Z, Z, O, "$dw *= $imm", V1, Divmul32;
    MulX32   = 0x2c, O, O, Z, Z, "$dw *= $sw", V1, Divmul32;
    DivK32   = 0x34, O, Z, Z, O, "$dw /= $imm", V1, Divmul32;
    DivX32   = 0x3c, O, O, Z, Z, "$dw /= $sw", V1, Divmul32;
    SdivK32  = 0x34, O, Z, 1, O, "$dw s/= $imm", V4, Divmul32;
    SdivX32  = 0x3c, O, O, 1, Z, "$dw s/= $sw", V4, Divmul32;
    OrK32    = 0x44, O, Z, Z, O, "$dw |= $imm", V1, Base32;
    OrX32    = 0x4c, O, O, Z, Z, "$dw |= $sw", V1, Base32;
    AndK32   = 0x54, O, Z, Z, O, "$dw &= $imm", V1, Base32;
    AndX32   = 0x5c, O, O, Z, Z, "$dw &= $sw", V1, Base32;
    LshK32   = 0x64, O, Z, Z, O, "$dw <<= $imm", V1, Base32;
    LshX32   = 0x6c, O, O, Z, Z, "$dw <<= $sw", V1, Base32;
    RshK32   = 0x74, O, Z, Z, O, "$dw >>= $imm", V1, Base32;
    RshX32   = 0x7c, O, O, Z, Z, "$dw >>= $sw", V1, Base32;
    Neg32    = 0x84, O, Z, Z, Z, "$dw = -$dw", V1, Base32;
    ModK32   = 0x94, O, Z, Z, O, "$dw %= $imm", V1, Divmul32;
    ModX32   = 0x9c, O, O, Z, Z, "$dw %= $sw", V1, Divmul32;
    SmodK32  = 0x94, O, Z, 1, O, "$dw s%= $imm", V4, Divmul32;
    SmodX32  = 0x9c, O, O, 1, Z, "$dw s%= $sw", V4, Divmul32;
    XorK32   = 0xa4, O, Z, Z, O, "$dw ^= $imm", V1, Base32;
    XorX32   = 0xac, O, O, Z, Z, "$dw ^= $sw", V1, Base32;
    MovK32   = 0xb4, O, Z, Z, O, "$dw = $imm", V1, Base32;
    MovX32   = 0xbc, O, O, Z, Z, "$dw = $sw", V1, Base32;
    MovsxB32 = 0xbc, O, O, 8, Z, "$dw = (s8)$sw", V4, Base32;
    MovsxH32 = 0xbc, O, O, 16, Z, "$dw = (s16)$sw", V4, Base32;
    ArshK32  = 0xc4, O, Z, Z, O, "$dw s>>= $imm", V1, Base32;
    ArshX32  = 0xcc, O, O, Z, Z, "$dw s>>= $sw", V1, Base32;
    Le16     = 0xd4, O, Z, Z, 16, "$d = le16 $d", V1, Base32;
    Le32     = 0xd4, O, Z, Z, 32, "$d = le32 $d", V1, Base32;
    Le64     = 0xd4, O, Z, Z, 64, "$d = le64 $d", V1, Base64;
    Be16     = 0xdc, O, Z, Z, 16, "$d = be16 $d", V1, Base32;
    Be32     = 0xdc, O, Z, Z, 32, "$d = be32 $d", V1, Base32;
    Be64     = 0xdc, O, Z, Z, 64, "$d = be64 $d", V1, Base64;

    // ---- loads and stores ----
    LdImm64  = 0x18, O, Z, Z, O, "$d = $imm64 ll", V1, Base64;
    LdAbsW   = 0x20, Z, Z, Z, O, "r0 = *(u32 *)skb[$imm]", V1, Packet;
    LdAbsH   = 0x28, Z, Z, Z, O, "r0 = *(u16 *)skb[$imm]", V1, Packet;
    LdAbsB   = 0x30, Z, Z, Z, O, "r0 = *(u8 *)skb[$imm]", V1, Packet;
    LdIndW   = 0x40, Z, O, Z, O, "r0 = *(u32 *)skb[$s$ind]", V1, Packet;
    LdIndH   = 0x48, Z, O, Z, O, "r0 = *(u16 *)skb[$s$ind]", V1, Packet;
    LdIndB   = 0x50, Z, O, Z, O, "r0 = *(u8 *)skb[$s$ind]", V1, Packet;
    LdxW     = 0x61, O, O, O, Z, "$d = *(u32 *)($s $moff)", V1, Base32;
    LdxH     = 0x69, O, O, O, Z, "$d = *(u16 *)($s $moff)", V1, Base32;
    LdxB     = 0x71, O, O, O, Z, "$d = *(u8 *)($s $moff)", V1, Base32;
    LdxDW    = 0x79, O, O, O, Z, "$d = *(u64 *)($s $moff)", V1, Base64;
    LdxsxW   = 0x81, O, O, O, Z, "$d = *(s32 *)($s $moff)", V4, Base64;
    LdxsxH   = 0x89, O, O, O, Z, "$d = *(s16 *)($s $moff)", V4, Base64;
    LdxsxB   = 0x91, O, O, O, Z, "$d = *(s8 *)($s $moff)", V4, Base64;
    StW      = 0x62, O, Z, O, O, "*(u32 *)($d $moff) = $imm", V1, Base32;
    StH      = 0x6a, O, Z, O, O, "*(u16 *)($d $moff) = $imm", V1, Base32;
    StB      = 0x72, O, Z, O, O, "*(u8 *)($d $moff) = $imm", V1, Base32;
    StDW     = 0x7a, O, Z, O, O, "*(u64 *)($d $moff) = $imm", V1, Base64;
    StxW     = 0x63, O, O, O, Z, "*(u32 *)($d $moff) = $s", V1, Base32;
    StxH     = 0x6b, O, O, O, Z, "*(u16 *)($d $moff) = $s", V1, Base32;
    StxB     = 0x73, O, O, O, Z, "*(u8 *)($d $moff) = $s", V1, Base32;
    StxDW    = 0x7b, O, O, O, Z, "*(u64 *)($d $moff) = $s", V1, Base64;

    // ---- atomics (class STX, mode ATOMIC) ----
    AtomicAdd32      = 0xc3, O, O, O, 0x00, "lock *(u32 *)($d $moff) += $sw", V1, Atomic32;
    AtomicOr32       = 0xc3, O, O, O, 0x40, "lock *(u32 *)($d $moff) |= $sw", V3, Atomic32;
    AtomicAnd32      = 0xc3, O, O, O, 0x50, "lock *(u32 *)($d $moff) &= $sw", V3, Atomic32;
    AtomicXor32      = 0xc3, O, O, O, 0xa0, "lock *(u32 *)($d $moff) ^= $sw", V3, Atomic32;
    AtomicFetchAdd32 = 0xc3, O, O, O, 0x01, "$sw = atomic_fetch_add((u32 *)($d $moff), $sw)", V3, Atomic32;
    AtomicFetchOr32  = 0xc3, O, O, O, 0x41, "$sw = atomic_fetch_or((u32 *)($d $moff), $sw)", V3, Atomic32;
    AtomicFetchAnd32 = 0xc3, O, O, O, 0x51, "$sw = atomic_fetch_and((u32 *)($d $moff), $sw)", V3, Atomic32;
    AtomicFetchXor32 = 0xc3, O, O, O, 0xa1, "$sw = atomic_fetch_xor((u32 *)($d $moff), $sw)", V3, Atomic32;
    AtomicXchg32     = 0xc3, O, O, O, 0xe1, "$sw = xchg32_32($d $moff, $sw)", V3, Atomic32;
    AtomicCmpxchg32  = 0xc3, O, O, O, 0xf1, "w0 = cmpxchg32_32($d $moff, w0, $sw)", V3, Atomic32;
    AtomicAdd64      = 0xdb, O, O, O, 0x00, "lock *(u64 *)($d $moff) += $s", V1, Atomic64;
    AtomicOr64       = 0xdb, O, O, O, 0x40, "lock *(u64 *)($d $moff) |= $s", V3, Atomic64;
    AtomicAnd64      = 0xdb, O, O, O, 0x50, "lock *(u64 *)($d $moff) &= $s", V3, Atomic64;
    AtomicXor64      = 0xdb, O, O, O, 0xa0, "lock *(u64 *)($d $moff) ^= $s", V3, Atomic64;
    AtomicFetchAdd64 = 0xdb, O, O, O, 0x01, "$s = atomic_fetch_add((u64 *)($d $moff), $s)", V3, Atomic64;
    AtomicFetchOr64  = 0xdb, O, O, O, 0x41, "$s = atomic_fetch_or((u64 *)($d $moff), $s)", V3, Atomic64;
    AtomicFetchAnd64 = 0xdb, O, O, O, 0x51, "$s = atomic_fetch_and((u64 *)($d $moff), $s)", V3, Atomic64;
    AtomicFetchXor64 = 0xdb, O, O, O, 0xa1, "$s = atomic_fetch_xor((u64 *)($d $moff), $s)", V3, Atomic64;
    AtomicXchg64     = 0xdb, O, O, O, 0xe1, "$s = xchg_64($d $moff, $s)", V3, Atomic64;
    AtomicCmpxchg64  = 0xdb, O, O, O, 0xf1, "r0 = cmpxchg_64($d $moff, r0, $s)", V3, Atomic64;
    // Load-acquire and store-release (BPF_LOAD_ACQ = 0x100, BPF_STORE_REL = 0x110; Linux 6.15,
    // LLVM 21 at -mcpu=v4): the loaded register is dst and the address src; the stored-to
    // address is dst and the value src (kernel/bpf/verifier.c check_atomic_load(),
    // check_atomic_store()). Not in RFC 9669: grouped with the atomics of their width.
    LoadAcquireB     = 0xd3, O, O, O, 0x100, "$dw = load_acquire((u8 *)($s $moff))", V4, Atomic32;
    LoadAcquireH     = 0xcb, O, O, O, 0x100, "$dw = load_acquire((u16 *)($s $moff))", V4, Atomic32;
    LoadAcquireW     = 0xc3, O, O, O, 0x100, "$dw = load_acquire((u32 *)($s $moff))", V4, Atomic32;
    LoadAcquireDW    = 0xdb, O, O, O, 0x100, "$d = load_acquire((u64 *)($s $moff))", V4, Atomic64;
    StoreReleaseB    = 0xd3, O, O, O, 0x110, "store_release((u8 *)($d $moff), $sw)", V4, Atomic32;
    StoreReleaseH    = 0xcb, O, O, O, 0x110, "store_release((u16 *)($d $moff), $sw)", V4, Atomic32;
    StoreReleaseW    = 0xc3, O, O, O, 0x110, "store_release((u32 *)($d $moff), $sw)", V4, Atomic32;
    StoreReleaseDW   = 0xdb, O, O, O, 0x110, "store_release((u64 *)($d $moff), $s)", V4, Atomic64;

    // ---- JMP (class 0x05) ----
    Ja       = 0x05, Z, Z, O, Z, "goto $joff", V1, Base32;
    JeqK     = 0x15, O, Z, O, O, "if $d == $imm goto $joff", V1, Base64;
    JeqX     = 0x1d, O, O, O, Z, "if $d == $s goto $joff", V1, Base64;
    JgtK     = 0x25, O, Z, O, O, "if $d > $imm goto $joff", V1, Base64;
    JgtX     = 0x2d, O, O, O, Z, "if $d > $s goto $joff", V1, Base64;
    JgeK     = 0x35, O, Z, O, O, "if $d >= $imm goto $joff", V1, Base64;
    JgeX     = 0x3d, O, O, O, Z, "if $d >= $s goto $joff", V1, Base64;
    JsetK    = 0x45, O, Z, O, O, "if $d & $imm goto $joff", V1, Base64;
    JsetX    = 0x4d, O, O, O, Z, "if $d & $s goto $joff", V1, Base64;
    JneK     = 0x55, O, Z, O, O, "if $d != $imm goto $joff", V1, Base64;
    JneX     = 0x5d, O, O, O, Z, "if $d != $s goto $joff", V1, Base64;
    JsgtK    = 0x65, O, Z, O, O, "if $d s> $imm goto $joff", V1, Base64;
    JsgtX    = 0x6d, O, O, O, Z, "if $d s> $s goto $joff", V1, Base64;
    JsgeK    = 0x75, O, Z, O, O, "if $d s>= $imm goto $joff", V1, Base64;
    JsgeX    = 0x7d, O, O, O, Z, "if $d s>= $s goto $joff", V1, Base64;
    Call     = 0x85, Z, Z, Z, O, "call $imm", V1, Base32;
    CallLocal = 0x85, Z, 1, Z, O, "call pc$jimm", V1, Base32;
    CallKfunc = 0x85, Z, 2, Z, O, "call kfunc $imm", V1, Base32;
    Callx    = 0x8d, O, Z, Z, Z, "callx $d", V4, Base32;
    Exit     = 0x95, Z, Z, Z, Z, "exit", V1, Base32;
    JltK     = 0xa5, O, Z, O, O, "if $d < $imm goto $joff", V2, Base64;
    JltX     = 0xad, O, O, O, Z, "if $d < $s goto $joff", V2, Base64;
    JleK     = 0xb5, O, Z, O, O, "if $d <= $imm goto $joff", V2, Base64;
    JleX     = 0xbd, O, O, O, Z, "if $d <= $s goto $joff", V2, Base64;
    JsltK    = 0xc5, O, Z, O, O, "if $d s< $imm goto $joff", V2, Base64;
    JsltX    = 0xcd, O, O, O, Z, "if $d s< $s goto $joff", V2, Base64;
    JsleK    = 0xd5, O, Z, O, O, "if $d s<= $imm goto $joff", V2, Base64;
    JsleX    = 0xdd, O, O, O, Z, "if $d s<= $s goto $joff", V2, Base64;
    MayGoto  = 0xe5, Z, Z, O, Z, "may_goto $joff", V4, Base32;

    // ---- JMP32 (class 0x06) ----
    Gotol    = 0x06, Z, Z, Z, O, "gotol $jimm", V4, Base32;
    JeqK32   = 0x16, O, Z, O, O, "if $dw == $imm goto $joff", V3, Base32;
    JeqX32   = 0x1e, O, O, O, Z, "if $dw == $sw goto $joff", V3, Base32;
    JgtK32   = 0x26, O, Z, O, O, "if $dw > $imm goto $joff", V3, Base32;
    JgtX32   = 0x2e, O, O, O, Z, "if $dw > $sw goto $joff", V3, Base32;
    JgeK32   = 0x36, O, Z, O, O, "if $dw >= $imm goto $joff", V3, Base32;
    JgeX32   = 0x3e, O, O, O, Z, "if $dw >= $sw goto $joff", V3, Base32;
    JsetK32  = 0x46, O, Z, O, O, "if $dw & $imm goto $joff", V3, Base32;
    JsetX32  = 0x4e, O, O, O, Z, "if $dw & $sw goto $joff", V3, Base32;
    JneK32   = 0x56, O, Z, O, O, "if $dw != $imm goto $joff", V3, Base32;
    JneX32   = 0x5e, O, O, O, Z, "if $dw != $sw goto $joff", V3, Base32;
    JsgtK32  = 0x66, O, Z, O, O, "if $dw s> $imm goto $joff", V3, Base32;
    JsgtX32  = 0x6e, O, O, O, Z, "if $dw s> $sw goto $joff", V3, Base32;
    JsgeK32  = 0x76, O, Z, O, O, "if $dw s>= $imm goto $joff", V3, Base32;
    JsgeX32  = 0x7e, O, O, O, Z, "if $dw s>= $sw goto $joff", V3, Base32;
    JltK32   = 0xa6, O, Z, O, O, "if $dw < $imm goto $joff", V3, Base32;
    JltX32   = 0xae, O, O, O, Z, "if $dw < $sw goto $joff", V3, Base32;
    JleK32   = 0xb6, O, Z, O, O, "if $dw <= $imm goto $joff", V3, Base32;
    JleX32   = 0xbe, O, O, O, Z, "if $dw <= $sw goto $joff", V3, Base32;
    JsltK32  = 0xc6, O, Z, O, O, "if $dw s< $imm goto $joff", V3, Base32;
    JsltX32  = 0xce, O, O, O, Z, "if $dw s< $sw goto $joff", V3, Base32;
    JsleK32  = 0xd6, O, Z, O, O, "if $dw s<= $imm goto $joff", V3, Base32;
    JsleX32  = 0xde, O, O, O, Z, "if $dw s<= $sw goto $joff", V3, Base32;
}

/// Parse-only alternative spellings that encode exactly like a row (LLVM accepts or prints them).
pub const ALIASES: &[(Op, &str)] = &[
    // The zero-extending move clang-19 prints (`MOV_32_64`): encodes as `w2 = w0`.
    (Op::MovX32, "$d = $sw"),
    // alu32 spellings of narrow loads and stores.
    (Op::LdxW, "$dw = *(u32 *)($s $moff)"),
    (Op::LdxH, "$dw = *(u16 *)($s $moff)"),
    (Op::LdxB, "$dw = *(u8 *)($s $moff)"),
    (Op::StxW, "*(u32 *)($d $moff) = $sw"),
    (Op::StxH, "*(u16 *)($d $moff) = $sw"),
    (Op::StxB, "*(u8 *)($d $moff) = $sw"),
    // pre-alu32 spelling of the 32-bit atomic add.
    (Op::AtomicAdd32, "lock *(u32 *)($d $moff) += $s"),
    (Op::AtomicOr32, "lock *(u32 *)($d $moff) |= $s"),
    (Op::AtomicAnd32, "lock *(u32 *)($d $moff) &= $s"),
    (Op::AtomicXor32, "lock *(u32 *)($d $moff) ^= $s"),
];

impl Op {
    /// The row of this instruction.
    #[inline]
    pub fn form(self) -> &'static Form {
        &FORMS[self as usize]
    }

    pub fn name(self) -> &'static str {
        self.form().name
    }

    /// Every op, in table order.
    pub fn all() -> impl Iterator<Item = Op> {
        FORMS.iter().map(|f| f.op)
    }

    pub fn is_jump(self) -> bool {
        let f = self.form();
        matches!(f.class(), 5 | 6) && !matches!(self, Op::Call | Op::CallLocal | Op::CallKfunc | Op::Callx | Op::Exit)
    }

    pub fn is_wide(self) -> bool {
        self.form().is_wide()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_indexed_by_op() {
        for (i, f) in FORMS.iter().enumerate() {
            assert_eq!(f.op as usize, i, "row {} out of place", f.name);
        }
    }
}
