// The command line, shared by main.rs and build.rs (man page and completions). Included with
// `include!`, so it names its imports fully.

#[derive(clap::Parser)]
#[command(name = "bpfld", version, about = "Link BPF relocatable objects (libbpf semantics), with offline checks")]
pub(crate) struct Cli {
    /// Input objects and static libraries (`ar rcs libx.a a.o b.o`), in link order. A library
    /// member is linked when it defines a symbol still undefined at the library's place.
    #[arg(required = true)]
    inputs: Vec<String>,
    /// Link every member of the libraries that follow (libraries of programs).
    #[arg(long, action = clap::ArgAction::Count)]
    whole_archive: u8,
    /// Back to linking only the library members that are needed.
    #[arg(long, action = clap::ArgAction::Count)]
    no_whole_archive: u8,
    /// Output object.
    #[arg(short = 'o', required = true)]
    output: String,
    /// Drop static subprograms that no program or global function reaches.
    #[arg(long)]
    gc_sections: bool,
    /// With --gc-sections: list the functions removed (on stderr).
    #[arg(long, requires = "gc_sections")]
    print_gc_sections: bool,
    /// Leave undefined externs as warnings (for linking a library).
    #[arg(long)]
    allow_undefined: bool,
    /// Object whose functions fentry/fexit/freplace programs attach to (attach_prog_fd).
    #[arg(long = "target-object", value_name = "OBJ")]
    target_objects: Vec<String>,
    /// Program-array members to check: MAP=PROG[,PROG...] (repeatable).
    #[arg(long = "prog-array", value_name = "MAP=PROG,...", value_parser = prog_array_arg)]
    prog_arrays: Vec<String>,
    /// Diagnostics format.
    #[arg(long, value_enum, default_value = "human")]
    message_format: MessageFormat,
    /// Colour the diagnostics: auto (only on a terminal; NO_COLOR and CLICOLOR_FORCE are
    /// honoured), always, never.
    #[arg(long = "color", value_enum, default_value = "auto", value_name = "WHEN")]
    color: bpfcli::color::When,
}


#[derive(Clone, Copy, clap::ValueEnum)]
enum MessageFormat {
    Human,
    Short,
    Json,
}


/// `MAP=PROG[,PROG...]`, checked when the command line is parsed.
fn prog_array_arg(s: &str) -> Result<String, String> {
    match s.split_once('=') {
        Some((m, p)) if !m.is_empty() && p.split(',').any(|x| !x.is_empty()) => Ok(s.to_string()),
        _ => Err("expected MAP=PROG[,PROG...]".into()),
    }
}
