//! Generates the man page (`bpflint.1`) and bash/zsh/fish completions from the command line,
//! into `$OUT_DIR/` (and `BPFLINT_GEN_DIR` when set).

#[allow(dead_code)]
mod cli {
    include!("src/cli.rs");
}

use clap::CommandFactory;

fn main() -> std::io::Result<()> {
    println!("cargo:rerun-if-changed=src/cli.rs");
    println!("cargo:rerun-if-env-changed=BPFLINT_GEN_DIR");
    let mut dirs = vec![std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"))];
    if let Ok(d) = std::env::var("BPFLINT_GEN_DIR") {
        dirs.push(d.into());
    }
    for dir in dirs {
        std::fs::create_dir_all(&dir)?;
        let cmd = cli::Cli::command();
        let mut man = Vec::new();
        clap_mangen::Man::new(cmd.clone()).render(&mut man)?;
        std::fs::write(dir.join("bpflint.1"), man)?;
        for shell in [clap_complete::Shell::Bash, clap_complete::Shell::Zsh, clap_complete::Shell::Fish] {
            clap_complete::generate_to(shell, &mut cmd.clone(), "bpflint", &dir)?;
        }
    }
    Ok(())
}
