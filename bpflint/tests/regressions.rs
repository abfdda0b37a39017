//! Inputs the fuzzer found (fuzz/regressions/bpflint_object/*.bin): analysing them must finish
//! without a panic.

#[test]
fn fuzz_regressions_do_not_panic() {
    for (_, data) in toolchain_tests::fuzz_regressions("bpflint_object", "bin") {
        let _ = bpflint::analyze_object_bytes(&data);
    }
}
