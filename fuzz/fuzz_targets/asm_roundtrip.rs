//! Random instructions from the table: encode, print, assemble the text, compare `.text` with
//! the encoding, in both byte orders.
#![no_main]

use bpf_isa::{print, Endian, Field, Insn, FORMS};
use bpf_toolchain_fuzz::{assemble, text_section, Bytes};
use libfuzzer_sys::fuzz_target;

fn gen(data: &[u8]) -> Vec<Insn> {
    let mut b = Bytes::new(data);
    let mut v = Vec::new();
    while !b.is_empty() && v.len() < 64 {
        let f = &FORMS[b.u8() as usize % FORMS.len()];
        let mut i = Insn::new(f.op);
        if f.dst == Field::Operand {
            i.dst = b.u8() % 11;
        }
        if f.src == Field::Operand {
            i.src = b.u8() % 11;
        }
        if f.off == Field::Operand {
            i.off = b.i16();
        }
        if f.imm == Field::Operand {
            i.imm = if f.is_wide() { b.i64() } else { b.i32() as i64 };
        }
        v.push(i);
    }
    v
}

fuzz_target!(|data: &[u8]| {
    let insns = gen(data);
    let mut text = String::new();
    for i in &insns {
        text.push('\t');
        text.push_str(&print(i));
        text.push('\n');
    }
    for e in [Endian::Little, Endian::Big] {
        let mut want = Vec::new();
        for i in &insns {
            i.encode_into(e, &mut want);
        }
        let obj = match assemble(&text, e) {
            Ok(o) => o,
            Err(d) => panic!("bpfasm rejects printed instructions ({e:?}):\n{text}\n{d}"),
        };
        let got = text_section(&obj);
        assert!(got == want, "bytes differ ({e:?}) for\n{text}\nwant {want:02x?}\ngot  {got:02x?}");
    }
});
