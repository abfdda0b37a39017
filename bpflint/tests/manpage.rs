//! The build generates a man page and shell completions from the command-line definition.

#[test]
fn man_page_and_completions_are_generated() {
    let man = include_str!(concat!(env!("OUT_DIR"), "/bpflint.1"));
    assert!(man.contains(".TH bpflint 1") && man.contains("\\-\\-message\\-format"), "{man}");
    assert!(include_str!(concat!(env!("OUT_DIR"), "/bpflint.bash")).contains("--stack-headroom"));
    assert!(include_str!(concat!(env!("OUT_DIR"), "/_bpflint")).contains("#compdef bpflint"));
    assert!(include_str!(concat!(env!("OUT_DIR"), "/bpflint.fish")).contains("complete -c bpflint"));
}
