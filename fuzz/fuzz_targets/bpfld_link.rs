//! Arbitrary bytes (and objects the assembler makes from fuzz text) -> bpfld: linking never
//! panics, and what links parses as an object again and links again to the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fn check(inputs: &[(String, Vec<u8>)]) {
    let opts = bpfld::Options { gc_sections: inputs.len() == 1, allow_undefined: true };
    if let Ok(l) = bpfld::link(inputs, &opts) {
        let out = bpfld::input::parse("out.o", &l.bytes).expect("a linked object parses");
        let _ = bpfld::progarray::check(&out, &[], &l.origins());
        let again = bpfld::link(&[("out.o".to_string(), l.bytes.clone())], &bpfld::Options::default());
        if let Ok(a) = again {
            assert_eq!(a.bytes, l.bytes, "linking the output again changes it");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    // Raw bytes: one object, or two halves as two objects.
    check(&[("a.o".to_string(), data.to_vec())]);
    let mid = data.len() / 2;
    check(&[("a.o".to_string(), data[..mid].to_vec()), ("b.o".to_string(), data[mid..].to_vec())]);
    // Text that assembles: the object with itself (duplicate symbols, merged sections).
    if data.len() < 4096 {
        if let Ok(text) = std::str::from_utf8(data) {
            if !text.contains("include") && !text.contains("incbin") {
                let mut a = bpfasm::Assembler::new(bpfasm::Options::default());
                a.assemble_file("fuzz.s", text.to_string());
                if let Some(obj) = a.finish() {
                    check(&[("a.o".to_string(), obj.clone())]);
                    check(&[("a.o".to_string(), obj.clone()), ("b.o".to_string(), obj)]);
                }
            }
        }
    }
});
