//! Generates the man page (`bpfasm.1`) and shell completions for bash, zsh and fish from the
//! command-line definition, into `$OUT_DIR/` and, when `BPFASM_GEN_DIR` is set, there too; and
//! the parsers of the lalrpop grammars under `src/` and of the instruction statements' grammar,
//! written from the instruction table (`build/insn_grammar.rs`).

#[allow(dead_code)]
mod cli {
    include!("src/cli.rs");
}

#[path = "build/insn_grammar.rs"]
mod insn_grammar;

use clap::CommandFactory;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The LR grammars (`src/**/*.lalrpop`) become parsers in `$OUT_DIR`.
    // (`src` as a whole, so that a new grammar file reruns this script)
    println!("cargo:rerun-if-changed=src");
    lalrpop::Configuration::new().use_cargo_dir_conventions().emit_rerun_directives(true).process()?;
    // The grammar of instruction statements, from the instruction table.
    println!("cargo:rerun-if-changed=build");
    println!("cargo:rerun-if-changed=../isa/src");
    insn_grammar::generate(&std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")))?;
    println!("cargo:rerun-if-changed=src/cli.rs");
    println!("cargo:rerun-if-env-changed=BPFASM_GEN_DIR");
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    let mut dirs = vec![out];
    if let Ok(d) = std::env::var("BPFASM_GEN_DIR") {
        dirs.push(d.into());
    }
    for dir in dirs {
        std::fs::create_dir_all(&dir)?;
        let cmd = cli::Cli::command();
        let mut man = Vec::new();
        clap_mangen::Man::new(cmd.clone()).render(&mut man)?;
        std::fs::write(dir.join("bpfasm.1"), man)?;
        for shell in [clap_complete::Shell::Bash, clap_complete::Shell::Zsh, clap_complete::Shell::Fish] {
            clap_complete::generate_to(shell, &mut cmd.clone(), "bpfasm", &dir)?;
        }
    }
    Ok(())
}
