//! Compares two BPF objects the way the corpus test does and prints the report.
//!
//! `cargo run -p toolchain-tests --example objcmp -- [--mode full|code-data|code] LEFT.o RIGHT.o`
//!
//! Exit status: 0 equal, 1 different, 2 usage error.

use std::path::Path;
use std::process::ExitCode;

use toolchain_tests::objcmp::{compare_files, Mode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mode, files) = match args.as_slice() {
        [flag, mode, rest @ ..] if flag == "--mode" => {
            let mode = match mode.as_str() {
                "full" => Mode::Full,
                "code-data" => Mode::CodeAndData,
                "code" => Mode::CodeBytes,
                _ => return usage(),
            };
            (mode, rest)
        }
        rest => (Mode::Full, rest),
    };
    let [left, right] = files else {
        return usage();
    };
    match compare_files(Path::new(left), Path::new(right), mode) {
        Ok(()) => {
            println!("equal ({mode})");
            ExitCode::SUCCESS
        }
        Err(d) => {
            print!("{d}");
            ExitCode::from(1)
        }
    }
}

fn usage() -> ExitCode {
    eprintln!("usage: objcmp [--mode full|code-data|code] LEFT.o RIGHT.o");
    ExitCode::from(2)
}
