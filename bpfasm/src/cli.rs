// The command line, shared by main.rs and build.rs (which generates the man page and shell
// completions from it). Included with `include!`, so it names its imports fully.

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum Target {
    Bpfel,
    Bpfeb,
    Bpf,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum Format {
    Human,
    Short,
    Json,
}


#[derive(clap::Parser, Debug)]
#[command(
    name = "bpfasm",
    version,
    about = "Assemble LLVM BPF assembly (the `r0 = *(u32 *)(r1 + 4)` dialect) into BPF ELF objects",
    after_help = "gcc/llvm-mc style spellings are accepted too: -mcpu=v3, -EB, -EL, -MD, -MF file, -MP, -MT target,\n\
                  -fdebug-prefix-map=OLD=NEW.\n\
                  Colour: only on a terminal unless --color says otherwise; NO_COLOR and CLICOLOR_FORCE are honoured.\n\
                  Exit status: 0 success, 1 errors in the input, 2 usage errors."
)]
pub(crate) struct Cli {
    /// Input: assembly source (or an object with -d). `-` reads standard input.
    input: std::path::PathBuf,
    /// Output object file (default: input with .o).
    #[arg(short = 'o', value_name = "FILE")]
    output: Option<std::path::PathBuf>,
    /// Disassemble the input object to standard output (or -o FILE).
    #[arg(short = 'd', long = "disassemble")]
    disassemble: bool,
    /// Target byte order.
    #[arg(long, value_enum, default_value = "bpfel")]
    target: Target,
    /// Big endian (same as --target bpfeb).
    #[arg(long = "EB")]
    eb: bool,
    /// Little endian (same as --target bpfel).
    #[arg(long = "EL")]
    el: bool,
    /// ISA version: v1, v2, v3, v4 (instructions newer than this are errors). Default: accept all.
    #[arg(long = "mcpu", value_name = "CPU")]
    mcpu: Option<String>,
    /// Add a directory to the `.include` search path.
    #[arg(short = 'I', value_name = "DIR")]
    include: Vec<std::path::PathBuf>,
    /// Write a make dependency file beside the output (OUTPUT with .d).
    #[arg(long = "MD")]
    md: bool,
    /// Dependency file name (implies -MD).
    #[arg(long = "MF", value_name = "FILE")]
    mf: Option<std::path::PathBuf>,
    /// Add a phony target for each dependency (as gcc -MP).
    #[arg(long = "MP")]
    mp: bool,
    /// Target name in the dependency file (default: the output file).
    #[arg(long = "MT", value_name = "TARGET")]
    mt: Option<String>,
    /// Diagnostics format.
    #[arg(long = "message-format", value_enum, default_value = "human")]
    message_format: Format,
    /// Debug information for hand-written assembly: a line table for the `.s` file, BTF with a
    /// FUNC per function, and `.BTF.ext` func_info/line_info (what `clang -g` gives C).
    #[arg(short = 'g')]
    debug: bool,
    /// Types usable by name in `.cdecl` blocks and CO-RE builtins without declaring them
    /// (e.g. /sys/kernel/btf/vmlinux).
    #[arg(long = "btf", value_name = "FILE")]
    btf: Option<std::path::PathBuf>,
    /// Never generate `.BTF`/`.BTF.ext`.
    #[arg(long = "no-btf")]
    no_btf: bool,
    /// Treat warnings as errors.
    #[arg(long = "Werror")]
    werror: bool,
    /// Colour the diagnostics: auto (only on a terminal), always, never.
    #[arg(long = "color", value_enum, default_value = "auto", value_name = "WHEN")]
    color: bpfcli::color::When,
    /// Write NEW instead of the leading OLD of directory and file names in debug information
    /// (the build directory, `.file` names), for byte-identical objects from any checkout.
    /// Repeatable; the last matching pair wins. Also spelled -fdebug-prefix-map=OLD=NEW.
    #[arg(long = "debug-prefix-map", value_name = "OLD=NEW", value_parser = prefix_map_arg)]
    debug_prefix_map: Vec<(String, String)>,
}

/// `OLD=NEW` (NEW may be empty).
fn prefix_map_arg(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((old, new)) if !old.is_empty() => Ok((old.to_string(), new.to_string())),
        _ => Err("expected OLD=NEW".into()),
    }
}

