//! Generates the `btf` CLI's man page and bash/zsh/fish completions into `$OUT_DIR/` (with
//! the `cli` feature; the library alone needs nothing generated).

#[cfg(feature = "cli")]
#[allow(dead_code)]
mod cli {
    include!("src/btf_cli.rs");
}

#[cfg(not(feature = "cli"))]
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
}

#[cfg(feature = "cli")]
fn main() -> std::io::Result<()> {
    use clap::CommandFactory;
    println!("cargo:rerun-if-changed=src/btf_cli.rs");
    let dir = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    let cmd = cli::Cli::command();
    let mut man = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut man)?;
    std::fs::write(dir.join("btf.1"), man)?;
    for shell in [clap_complete::Shell::Bash, clap_complete::Shell::Zsh, clap_complete::Shell::Fish] {
        clap_complete::generate_to(shell, &mut cmd.clone(), "btf", &dir)?;
    }
    Ok(())
}
