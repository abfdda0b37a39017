//! Arbitrary bytes as a static library -> bpfld's archive reader and member selection: reading
//! never panics; a library that reads is selected from (its first member as the object that
//! needs the rest, and whole) and linked; what is selected comes from the library, whole
//! selection takes every member in order, and a linked output parses again.
#![no_main]

use bpfld::archive::{self, Item};
use libfuzzer_sys::fuzz_target;

fn check(data: &[u8]) {
    let Ok(a) = archive::read("fuzz.a", data) else { return };
    let names: Vec<String> = a.members.iter().map(|m| m.name.clone()).collect();
    assert!(names.iter().all(|n| n.starts_with("fuzz.a(") && n.ends_with(')')));
    // Whole: every member, in archive order.
    let again = archive::read("fuzz.a", data).expect("an archive reads the same way twice");
    let whole = archive::select(vec![Item::Archive { archive: again, whole: true }]);
    let got: Vec<&str> = whole.objects.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(got, names.iter().map(String::as_str).collect::<Vec<_>>());
    // The first member needs the others: a subset, in archive order, each at most once.
    let mut members = a.members;
    if members.is_empty() {
        return;
    }
    let first = members.remove(0);
    let rest = archive::Archive { name: "fuzz.a".into(), members };
    let sel = archive::select(vec![Item::Object(first), Item::Archive { archive: rest, whole: false }]);
    let mut at = 0;
    for o in &sel.objects[1..] {
        let pos = names[at..]
            .iter()
            .position(|n| *n == o.name)
            .expect("selected a member not in the archive, or out of order");
        at += pos + 1;
    }
    let inputs = sel.objects.into_iter().map(|o| (o.name.clone(), Ok(o))).collect();
    let opts = bpfld::Options { gc_sections: false, allow_undefined: true };
    if let Ok(l) = bpfld::link_parsed(inputs, &opts) {
        bpfld::input::parse("out.o", &l.bytes).expect("a linked object parses");
    }
}

fuzz_target!(|data: &[u8]| {
    check(data);
    // Most mutations of the magic are uninteresting: also read the bytes behind a good one.
    if !archive::is_archive(data) {
        let mut v = b"!<arch>\n".to_vec();
        v.extend_from_slice(data);
        check(&v);
    }
});
