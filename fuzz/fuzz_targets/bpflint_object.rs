//! Arbitrary bytes (and objects the assembler makes from fuzz text) -> bpflint: never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = bpflint::analyze_object_bytes(data);
    // The same bytes as a kernel configuration (`--kconfig`): every value as every type.
    use bpflint::kconfig::{ExternType, Kconfig};
    let k = Kconfig::parse(&String::from_utf8_lossy(data), 0x06_12_00, "fuzz");
    for name in k.values.keys().take(16) {
        for ty in [ExternType::Bool, ExternType::Tristate, ExternType::Char, ExternType::Str(8), ExternType::Int(4)] {
            let _ = k.value(name, ty, true, false);
            let _ = k.value(name, ty, false, true);
        }
    }
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
