//! Inputs the fuzzer found (fuzz/regressions/bpfld_link/*.o): linking each (alone with
//! --gc-sections, and with itself) must not panic, and an output must parse and link again to
//! the same bytes.

fn check(inputs: &[(String, Vec<u8>)], gc_sections: bool) {
    let opts = bpfld::Options { gc_sections, allow_undefined: true };
    if let Ok(l) = bpfld::link(inputs, &opts) {
        bpfld::input::parse("out.o", &l.bytes).expect("a linked object parses");
        let again = bpfld::link(&[("out.o".to_string(), l.bytes.clone())], &bpfld::Options::default());
        if let Ok(a) = again {
            assert!(a.bytes == l.bytes, "linking the output again changes it");
        }
    }
}

#[test]
fn fuzz_regressions() {
    for (_, data) in toolchain_tests::fuzz_regressions("bpfld_link", "o") {
        let one = [("a.o".to_string(), data.clone())];
        check(&one, true);
        check(&one, false);
        check(&[("a.o".to_string(), data.clone()), ("b.o".to_string(), data)], false);
    }
}
