//! The build generates a man page and shell completions from the command-line definition.

#[test]
fn man_page_and_completions_are_generated() {
    let man = include_str!(concat!(env!("OUT_DIR"), "/bpfasm.1"));
    assert!(man.contains(".TH bpfasm 1") && man.contains("\\-\\-message\\-format"), "{man}");
    let bash = include_str!(concat!(env!("OUT_DIR"), "/bpfasm.bash"));
    assert!(bash.contains("--mcpu") && bash.contains("--disassemble"));
    let zsh = include_str!(concat!(env!("OUT_DIR"), "/_bpfasm"));
    assert!(zsh.contains("#compdef bpfasm"));
    let fish = include_str!(concat!(env!("OUT_DIR"), "/bpfasm.fish"));
    assert!(fish.contains("complete -c bpfasm"));
}
