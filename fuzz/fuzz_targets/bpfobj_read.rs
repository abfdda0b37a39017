//! `bpfobj::read`, the one reader of BPF objects, on arbitrary bytes and on objects assembled
//! from fuzz text: parsing never panics, and whatever parses answers every question (programs,
//! maps, relocations, externs) without panicking, with every relocation's symbol in range.
#![no_main]

use bpf_isa::Endian;
use bpf_toolchain_fuzz::{assemble, touches_files};
use bpfobj::read::Object;
use libfuzzer_sys::fuzz_target;

fn exercise(data: &[u8]) {
    let Ok(o) = Object::parse(data) else { return };
    for p in o.programs() {
        for &f in &p.functions {
            assert!(f < o.symbol_count());
        }
    }
    for &(_, target) in o.rel_sections() {
        for r in o.relocations(target).into_iter().flatten() {
            assert!((r.sym as usize) < o.symbol_count().max(1));
        }
    }
    let _ = (o.btf_maps(), o.legacy_maps(), o.externs(), o.license(), o.kernel_version(), o.btf(), o.btf_ext());
}

fuzz_target!(|data: &[u8]| {
    exercise(data);
    if data.starts_with(b"\x7fELF") {
        return;
    }
    let Ok(text) = std::str::from_utf8(data) else { return };
    if touches_files(text) {
        return;
    }
    let e = if data.len() % 2 == 0 { Endian::Little } else { Endian::Big };
    if let Ok(obj) = assemble(text, e) {
        assert!(Object::parse(&obj).is_ok(), "our own object does not read:\n{text}");
        exercise(&obj);
    }
});
