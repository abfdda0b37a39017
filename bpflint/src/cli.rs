// The command line, shared by main.rs and build.rs (which generates the man page and shell
// completions from it). Included with `include!`, so it names its imports fully.

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    Human,
    /// `file:line:col: error[code]: message`, one line each (vim quickfix, emacs compile-mode)
    Short,
    /// One JSON object per program and line
    Json,
    /// SARIF 2.1.0, for code-scanning tools
    Sarif,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ReportKind {
    /// Which kernel interfaces each program depends on, and whether each is ABI
    Interfaces,
    /// Stack frames, deepest call chain and headroom per program
    Stack,
}

#[derive(clap::Subcommand, Debug)]
pub(crate) enum Cmd {
    /// Describe the lints, or one lint
    Explain {
        /// Lint id (omit to list them all)
        id: Option<String>,
    },
}

#[derive(clap::Parser, Debug)]
#[command(
    name = "bpflint",
    version,
    about = "Predict the kernel verifier's verdict for every program of BPF ELF objects, and lint what the kernel finds only at attach time or never",
    args_conflicts_with_subcommands = true,
    after_help = "Lints (on by default): tracepoint-abi (warning), context-cast (error), stack-instrumentation (error);\n`bpflint explain ID` describes one.\n\nExit status: 0 every program accepted and no lint error, 1 some program rejected, a lint error, or a\nfile could not be read, 2 usage error."
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub cmd: Option<Cmd>,
    /// Objects to check
    #[arg(value_name = "FILE.o")]
    pub files: Vec<std::path::PathBuf>,
    /// Only this program (its subprograms included)
    #[arg(short = 'p', long, value_name = "NAME")]
    pub program: Option<String>,
    /// Diagnostics format
    #[arg(long = "message-format", value_enum, default_value = "human")]
    pub message_format: Format,
    /// Kernel profile: a version from 6.1 to 6.18, or native (limits, rules, stack rounding)
    #[arg(long, default_value = "native", value_name = "VERSION")]
    pub kernel: String,
    /// The kernel configuration libbpf fills `.kconfig` externs from (a `.config`, plain or
    /// gzip-compressed). Default with `--kernel native`: /boot/config-$(uname -r), else
    /// /proc/config.gz; with another `--kernel`, the externs' values are unknown.
    #[arg(long, value_name = "FILE")]
    pub kconfig: Option<std::path::PathBuf>,
    /// The kernel's BTF (traced functions' argument types, kfunc prototypes). Default: the
    /// running kernel's /sys/kernel/btf/vmlinux
    #[arg(long, value_name = "FILE")]
    pub btf: Option<std::path::PathBuf>,
    /// Program type for sections libbpf cannot classify (iproute2/Cilium style `2/7`,
    /// `from-netdev`): TYPE for all of them, or PROG=TYPE for one program (its function or
    /// section name); TYPE is a libbpf section name (`tc`, `xdp`, `socket`...) or a program type
    /// (`sched_cls`); repeatable
    #[arg(long = "prog-type", value_name = "[PROG=]TYPE")]
    pub prog_type: Vec<String>,
    /// Reject what the model does not know (kfuncs, BTF-typed pointers) instead of trusting it
    #[arg(long)]
    pub strict: bool,
    /// Set a lint's level: ID=off|warn|error (ID `all` for every lint); repeatable
    #[arg(long = "lint", value_name = "ID=LEVEL")]
    pub lint: Vec<String>,
    /// Verdicts only, no lints
    #[arg(long = "no-lints")]
    pub no_lints: bool,
    /// A tracefs mount or a saved copy of one (events/CAT/NAME/format) to check tracepoint accesses against
    #[arg(long, value_name = "DIR")]
    pub tracefs: Option<std::path::PathBuf>,
    /// Program-array members to check: MAP=PROG[,PROG...]; repeatable
    #[arg(long = "prog-array", value_name = "MAP=PROG,...")]
    pub prog_array: Vec<String>,
    /// Instrumentation to account for in stack budgets (map-trace)
    #[arg(long, value_name = "MODEL")]
    pub instrument: Vec<String>,
    /// Flag call chains with less stack headroom than N bytes after instrumentation
    #[arg(long = "stack-headroom", value_name = "N")]
    pub stack_headroom: Option<i32>,
    /// Print a report instead of diagnostics
    #[arg(long, value_enum)]
    pub report: Option<ReportKind>,
    /// Colour the human output: auto (only on a terminal; NO_COLOR and CLICOLOR_FORCE are
    /// honoured), always, never
    #[arg(long = "color", value_enum, default_value = "auto", value_name = "WHEN")]
    pub color: bpfcli::color::When,
}

