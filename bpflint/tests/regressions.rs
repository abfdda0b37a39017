//! Inputs the fuzzer found (fuzz/regressions/bpflint_object/*.bin): analysing them must finish
//! without a panic.

#[test]
fn fuzz_regressions_do_not_panic() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions/bpflint_object");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).expect("fuzz/regressions/bpflint_object") {
        let p = e.unwrap().path();
        if p.extension().is_none_or(|x| x != "bin") {
            continue;
        }
        n += 1;
        let data = std::fs::read(&p).unwrap();
        let _ = bpflint::analyze_object_bytes(&data);
    }
    assert!(n >= 1, "no regression inputs in {}", dir.display());
}
