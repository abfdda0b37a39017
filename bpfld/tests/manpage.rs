//! The build generates a man page and shell completions from the command-line definition.

#[test]
fn man_page_and_completions_are_generated() {
    let man = include_str!(concat!(env!("OUT_DIR"), "/bpfld.1"));
    assert!(man.contains(".TH bpfld 1") && man.contains("gc\\-sections"), "{man}");
    assert!(include_str!(concat!(env!("OUT_DIR"), "/bpfld.bash")).contains("--target-object"));
    assert!(include_str!(concat!(env!("OUT_DIR"), "/_bpfld")).contains("#compdef bpfld"));
}
