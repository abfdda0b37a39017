// The `btf` command line, shared by src/bin/btf.rs and build.rs (man page and completions). Included with
// `include!`, so it names its imports fully.

#[derive(clap::Parser)]
#[command(name = "btf", version, about = "Inspect, validate and deduplicate BTF (BPF Type Format)")]
pub(crate) struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
    /// How errors are printed: human, short (`btf: error: ...`), or json (one object per line)
    #[arg(long = "message-format", global = true, value_enum, default_value = "human")]
    message_format: MessageFormat,
    /// Colour the errors: auto (only on a terminal; NO_COLOR and CLICOLOR_FORCE are
    /// honoured), always, never
    #[arg(long = "color", global = true, value_enum, default_value = "auto", value_name = "WHEN")]
    color: bpfcli::color::When,
}


#[derive(Clone, Copy, clap::ValueEnum)]
enum MessageFormat {
    Human,
    Short,
    Json,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    /// bpftool's raw layout
    Raw,
    /// C header, like `bpftool btf dump file X format c`
    C,
    /// bpftool's JSON fields
    Json,
}

#[derive(clap::Subcommand)]
enum Cmd {
    /// Print the types of a raw BTF file or of an ELF object's .BTF section
    Dump {
        file: std::path::PathBuf,
        /// Base BTF for split BTF (e.g. /sys/kernel/btf/vmlinux for a module)
        #[arg(long, short = 'B')]
        base: Option<std::path::PathBuf>,
        #[arg(long, short, value_enum, default_value = "raw")]
        format: Format,
    },
    /// Check BTF by the kernel's rules; prints "ok" or the first broken rule
    Validate {
        file: std::path::PathBuf,
        #[arg(long, short = 'B')]
        base: Option<std::path::PathBuf>,
    },
    /// Deduplicate types and strings (libbpf's algorithm) and write raw BTF
    Dedup {
        input: std::path::PathBuf,
        #[arg(short, long)]
        output: std::path::PathBuf,
    },
    /// Generate BTF from the DWARF of an ELF object or library (like pahole -J), write raw BTF
    FromDwarf {
        object: std::path::PathBuf,
        #[arg(short, long)]
        output: std::path::PathBuf,
    },
}

