//! The disassembler on arbitrary bytes must not panic. Inputs that are not ELF are treated as
//! assembly text: when it assembles, disassembling the object and assembling that text again
//! must give the same code bytes in every executable section.
#![no_main]

use bpf_isa::Endian;
use bpf_toolchain_fuzz::{assemble, code_sections, touches_files};
use bpfasm::disasm::disassemble;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = disassemble(data);
    if data.starts_with(b"\x7fELF") {
        return;
    }
    let Ok(text) = std::str::from_utf8(data) else { return };
    if touches_files(text) {
        return;
    }
    let e = if data.len() % 2 == 0 { Endian::Little } else { Endian::Big };
    let Ok(obj) = assemble(text, e) else { return };
    let dis = disassemble(&obj).unwrap_or_else(|err| panic!("cannot disassemble our own object: {err}\n{text}"));
    let obj2 = match assemble(&dis, e) {
        Ok(o) => o,
        Err(d) => panic!("disassembly does not assemble ({e:?}):\n--- input\n{text}\n--- disassembly\n{dis}\n{d}"),
    };
    let a = code_sections(&obj);
    let b = code_sections(&obj2);
    assert!(
        a == b,
        "code differs after disassembly ({e:?}):\n--- input\n{text}\n--- disassembly\n{dis}\n{a:02x?}\n{b:02x?}"
    );
});
