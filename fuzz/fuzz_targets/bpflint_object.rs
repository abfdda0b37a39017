//! Arbitrary bytes (and objects the assembler makes from fuzz text) -> bpflint: never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = bpflint::analyze_object_bytes(data);
    // Text that assembles gives a well-formed object whose programs are arbitrary.
    if data.len() < 4096 {
        if let Ok(text) = std::str::from_utf8(data) {
            if !text.contains("include") {
                let mut a = bpfasm::Assembler::new(bpfasm::Options::default());
                a.assemble_file("fuzz.s", text.to_string());
                if let Some(obj) = a.finish() {
                    let _ = bpflint::analyze_object_bytes(&obj);
                }
            }
        }
    }
});
