//! Generates the man page (`bpfld.1`) and bash/zsh/fish completions into `$OUT_DIR/`.

#[allow(dead_code)]
mod cli {
    include!("src/cli.rs");
}

use clap::CommandFactory;

fn main() -> std::io::Result<()> {
    println!("cargo:rerun-if-changed=src/cli.rs");
    let dir = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    let cmd = cli::Cli::command();
    let mut man = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut man)?;
    std::fs::write(dir.join("bpfld.1"), man)?;
    for shell in [clap_complete::Shell::Bash, clap_complete::Shell::Zsh, clap_complete::Shell::Fish] {
        clap_complete::generate_to(shell, &mut cmd.clone(), "bpfld", &dir)?;
    }
    Ok(())
}
