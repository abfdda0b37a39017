//! Arbitrary text through the assembler: errors are fine, panics are not.
#![no_main]

use bpfasm::{Assembler, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if bpf_toolchain_fuzz::touches_files(text) {
        return;
    }
    for endian in [bpf_isa::Endian::Little, bpf_isa::Endian::Big] {
        let mut a = Assembler::new(Options { endian, ..Default::default() });
        a.assemble_file("fuzz.s", text.to_string());
        let obj = a.finish();
        if obj.is_some() && a.errors == 0 {
            // What we write must be an ELF object that `object` reads.
            let o = obj.unwrap();
            object::File::parse(&*o).expect("bpfasm output does not parse as ELF");
        }
        if endian == bpf_isa::Endian::Little && data.len() > 64 {
            break; // big endian only for short inputs: keeps the target fast
        }
    }
});
