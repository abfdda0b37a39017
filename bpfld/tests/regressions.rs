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

/// The alignment the fuzzer found is refused with a message naming the section.
#[test]
fn huge_section_alignment_is_refused_by_name() {
    let (_, data) = toolchain_tests::fuzz_regressions("bpfld_link", "o")
        .into_iter()
        .find(|(p, _)| p.ends_with("license_align_2pow33.o"))
        .expect("license_align_2pow33.o");
    let e = bpfld::input::parse("a.o", &data).expect_err("refused");
    assert_eq!(e, "section license: alignment 8589934593 is not a power of two up to 4096 (libbpf rejects it too)");
}

/// Libraries the archive fuzzer found (fuzz/regressions/bpfld_archive/*.a): reading each, and
/// linking its first member with what it needs and with the whole library, must not panic.
#[test]
fn archive_fuzz_regressions() {
    use bpfld::archive::{self, Item};
    for (p, data) in toolchain_tests::fuzz_regressions("bpfld_archive", "a") {
        let Ok(a) = archive::read("fuzz.a", &data) else { continue };
        let mut members = a.members;
        assert!(!members.is_empty(), "{}: no members", p.display());
        let first = members.remove(0);
        let rest = archive::Archive { name: "fuzz.a".into(), members };
        for whole in [false, true] {
            let rest = archive::Archive { name: rest.name.clone(), members: rest.members.clone() };
            let sel = archive::select(vec![Item::Object(first.clone()), Item::Archive { archive: rest, whole }]);
            let inputs = sel.objects.into_iter().map(|o| (o.name.clone(), Ok(o))).collect();
            let opts = bpfld::Options { gc_sections: false, allow_undefined: true };
            if let Ok(l) = bpfld::link_parsed(inputs, &opts) {
                bpfld::input::parse("out.o", &l.bytes).expect("a linked object parses");
            }
        }
    }
}
