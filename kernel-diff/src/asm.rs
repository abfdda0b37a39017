//! A tiny program builder with forward labels: jumps, bpf-to-bpf calls and callback
//! references (`ld_imm64` with `BPF_PSEUDO_FUNC`) are patched when the program is finished.

use bpf_isa::RawInsn;

// Instruction classes and fields (uapi/linux/bpf.h, bpf_common.h).
pub const ALU64: u8 = 0x07;
pub const ALU: u8 = 0x04;
pub const JMP: u8 = 0x05;
pub const JMP32: u8 = 0x06;
pub const K: u8 = 0x00;
pub const X: u8 = 0x08;
pub const ADD: u8 = 0x00;
pub const SUB: u8 = 0x10;
pub const MUL: u8 = 0x20;
pub const DIV: u8 = 0x30;
pub const OR: u8 = 0x40;
pub const AND: u8 = 0x50;
pub const LSH: u8 = 0x60;
pub const RSH: u8 = 0x70;
pub const NEG: u8 = 0x80;
pub const MOD: u8 = 0x90;
pub const XOR: u8 = 0xa0;
pub const MOV: u8 = 0xb0;
pub const ARSH: u8 = 0xc0;
pub const JA: u8 = 0x00;
pub const JEQ: u8 = 0x10;
pub const JGT: u8 = 0x20;
pub const JGE: u8 = 0x30;
pub const JSET: u8 = 0x40;
pub const JNE: u8 = 0x50;
pub const JSGT: u8 = 0x60;
pub const JSGE: u8 = 0x70;
pub const CALL: u8 = 0x80;
pub const EXIT: u8 = 0x90;
pub const JLT: u8 = 0xa0;
pub const JLE: u8 = 0xb0;
pub const JSLT: u8 = 0xc0;
pub const JSLE: u8 = 0xd0;
/// Conditional jump operations.
pub const CONDS: [u8; 11] = [JEQ, JGT, JGE, JSET, JNE, JSGT, JSGE, JLT, JLE, JSLT, JSLE];
/// Memory access sizes (`BPF_W`, `BPF_H`, `BPF_B`, `BPF_DW`) and their byte counts.
pub const SIZES: [(u8, i16); 4] = [(0x00, 4), (0x08, 2), (0x10, 1), (0x18, 8)];
pub const LDX: u8 = 0x61;
pub const ST: u8 = 0x62;
pub const STX: u8 = 0x63;

pub fn size_bits(bytes: i16) -> u8 {
    SIZES.iter().find(|s| s.1 == bytes).map_or(0x18, |s| s.0)
}

pub fn size_bytes(code: u8) -> i16 {
    SIZES.iter().find(|s| s.0 == code & 0x18).map_or(8, |s| s.1)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Label(usize);

enum Fix {
    Off,
    Imm,
}

#[derive(Default)]
pub struct Asm {
    pub insns: Vec<RawInsn>,
    labels: Vec<Option<usize>>,
    fixups: Vec<(usize, Label, Fix)>,
    pub map_refs: Vec<(usize, u32)>,
}

impl Asm {
    pub fn label(&mut self) -> Label {
        self.labels.push(None);
        Label(self.labels.len() - 1)
    }

    pub fn bind(&mut self, l: Label) {
        self.labels[l.0] = Some(self.insns.len());
    }

    pub fn here(&self) -> usize {
        self.insns.len()
    }

    pub fn raw(&mut self, code: u8, dst: u8, src: u8, off: i16, imm: i32) {
        self.insns.push(RawInsn { code, dst, src, off, imm });
    }

    pub fn alu64k(&mut self, op: u8, dst: u8, imm: i32) {
        self.raw(ALU64 | op | K, dst, 0, 0, imm);
    }
    pub fn alu64x(&mut self, op: u8, dst: u8, src: u8) {
        self.raw(ALU64 | op | X, dst, src, 0, 0);
    }
    pub fn alu32k(&mut self, op: u8, dst: u8, imm: i32) {
        self.raw(ALU | op | K, dst, 0, 0, imm);
    }
    pub fn mov(&mut self, dst: u8, src: u8) {
        self.alu64x(MOV, dst, src);
    }
    pub fn movk(&mut self, dst: u8, imm: i32) {
        self.alu64k(MOV, dst, imm);
    }
    pub fn ldx(&mut self, size: i16, dst: u8, src: u8, off: i16) {
        self.raw(LDX | size_bits(size), dst, src, off, 0);
    }
    pub fn stx(&mut self, size: i16, dst: u8, off: i16, src: u8) {
        self.raw(STX | size_bits(size), dst, src, off, 0);
    }
    pub fn st(&mut self, size: i16, dst: u8, off: i16, imm: i32) {
        self.raw(ST | size_bits(size), dst, 0, off, imm);
    }
    pub fn call(&mut self, helper: i32) {
        self.raw(JMP | CALL, 0, 0, 0, helper);
    }
    pub fn exit(&mut self) {
        self.raw(JMP | EXIT, 0, 0, 0, 0);
    }
    /// `if dst <op> imm goto l` (`class` JMP or JMP32).
    pub fn jk(&mut self, class: u8, op: u8, dst: u8, imm: i32, l: Label) {
        self.fixups.push((self.here(), l, Fix::Off));
        self.raw(class | op | K, dst, 0, 0, imm);
    }
    /// `if dst <op> src goto l`.
    pub fn jx(&mut self, class: u8, op: u8, dst: u8, src: u8, l: Label) {
        self.fixups.push((self.here(), l, Fix::Off));
        self.raw(class | op | X, dst, src, 0, 0);
    }
    pub fn ja(&mut self, l: Label) {
        self.fixups.push((self.here(), l, Fix::Off));
        self.raw(JMP | JA, 0, 0, 0, 0);
    }
    /// bpf-to-bpf call.
    pub fn call_local(&mut self, l: Label) {
        self.fixups.push((self.here(), l, Fix::Imm));
        self.raw(JMP | CALL, 0, 1, 0, 0);
    }
    /// `dst = <callback l>` (`ld_imm64` with `BPF_PSEUDO_FUNC`).
    pub fn ld_func(&mut self, dst: u8, l: Label) {
        self.fixups.push((self.here(), l, Fix::Imm));
        self.raw(0x18, dst, 4, 0, 0);
        self.raw(0, 0, 0, 0, 0);
    }
    /// `dst = map` (`ld_imm64` with `BPF_PSEUDO_MAP_FD`).
    pub fn ld_map(&mut self, dst: u8, map: u32) {
        self.map_refs.push((self.here(), map));
        self.raw(0x18, dst, 1, 0, 0);
        self.raw(0, 0, 0, 0, 0);
    }
    /// `dst = imm64`.
    pub fn ld64(&mut self, dst: u8, v: u64) {
        self.raw(0x18, dst, 0, 0, v as u32 as i32);
        self.raw(0, 0, 0, 0, (v >> 32) as u32 as i32);
    }

    pub fn finish(mut self) -> (Vec<RawInsn>, Vec<(usize, u32)>) {
        for (at, l, fix) in std::mem::take(&mut self.fixups) {
            let target = self.labels[l.0].expect("label bound") as i64;
            let rel = target - at as i64 - 1;
            match fix {
                Fix::Off => self.insns[at].off = rel as i16,
                Fix::Imm => self.insns[at].imm = rel as i32,
            }
        }
        (self.insns, self.map_refs)
    }
}
