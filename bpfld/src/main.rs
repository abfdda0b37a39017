//! `bpfld a.o b.o ... -o out.o`: link BPF objects. Exit status 0 ok, 1 input errors (no output
//! left behind), 2 usage.

use bpfld::{diag, progarray::Decl, Diagnostic, Format, Options};
use clap::Parser;
use std::io::{Read, Write};
use std::process::ExitCode;

include!("cli.rs");

fn main() -> ExitCode {
    let cli = Cli::parse();
    let fmt = match cli.message_format {
        MessageFormat::Human => Format::Human,
        MessageFormat::Short => Format::Short,
        MessageFormat::Json => Format::Json,
    };
    let when = match cli.color {
        ColorWhen::Auto => bpfcli::color::When::Auto,
        ColorWhen::Always => bpfcli::color::When::Always,
        ColorWhen::Never => bpfcli::color::When::Never,
    };
    let color = fmt == Format::Human && bpfcli::color::enabled(when, bpfcli::color::Stream::Stderr);
    let emit = |ds: &[Diagnostic]| {
        let mut err = std::io::stderr().lock();
        for d in ds {
            let _ = err.write_all(diag::render_color(d, fmt, color).as_bytes());
        }
    };
    // The output is never an input (nor a target object): checked before anything is
    // written or removed.
    let output = std::path::Path::new(&cli.output);
    let sources: Vec<&str> = cli.inputs.iter().chain(&cli.target_objects).map(String::as_str).collect();
    if let Err(e) = bpfcli::output::refuse_inputs(output, &sources, "output") {
        eprintln!("bpfld: error: {e}");
        return ExitCode::from(2);
    }
    let fail = |ds: Vec<Diagnostic>| {
        emit(&ds);
        let _ = std::fs::remove_file(&cli.output);
        ExitCode::from(1)
    };
    let mut inputs = Vec::new();
    let mut decls: Vec<Decl> = Vec::with_capacity(cli.prog_arrays.len());
    for d in &cli.prog_arrays {
        match d.parse::<Decl>() {
            Ok(d) => decls.push(d),
            Err(e) => {
                eprintln!("bpfld: error: invalid --prog-array {d}: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let mut errors = Vec::new();
    // Each input is parsed as soon as it is read, into one reused buffer.
    let mut buf = Vec::new();
    for p in &cli.inputs {
        match read_into(p, &mut buf) {
            Ok(n) => inputs.push((p.clone(), bpfld::input::parse(p, &buf[..n]))),
            Err(e) => errors.push(Diagnostic::error("L0001", format!("cannot read `{p}`: {e}"))),
        }
    }
    let mut targets = Vec::new();
    for p in &cli.target_objects {
        match std::fs::read(p).map_err(|e| e.to_string()).and_then(|d| bpfld::input::parse(p, &d)) {
            Ok(o) => targets.push(o),
            Err(e) => errors.push(Diagnostic::error("L0001", format!("cannot read target object `{p}`: {e}"))),
        }
    }
    if !errors.is_empty() {
        return fail(errors);
    }
    let opts = Options { gc_sections: cli.gc_sections, allow_undefined: cli.allow_undefined };
    let linked = match bpfld::link_parsed(inputs, &opts) {
        Ok(l) => l,
        Err(ds) => return fail(ds),
    };
    emit(&linked.warnings);
    if cli.print_gc_sections {
        let mut err = std::io::stderr().lock();
        for (obj, r) in &linked.gc_removed {
            let _ =
                writeln!(err, "bpfld: removing unused function `{}` ({} bytes) from .text of `{obj}`", r.name, r.size);
        }
    }
    // The checks read the output back; an output with nothing to check is not parsed again.
    let mut checks = Vec::new();
    if !decls.is_empty() || !targets.is_empty() || linked.map_initialisers {
        let out = match bpfld::input::parse(&cli.output, &linked.bytes) {
            Ok(o) => o,
            Err(e) => {
                return fail(vec![Diagnostic::error("L0099", format!("internal error: output does not parse: {e}"))])
            }
        };
        let origins = linked.origins();
        checks = bpfld::progarray::check(&out, &decls, &origins);
        for t in &targets {
            checks.extend(bpfld::targets::check(&out, t, &origins));
        }
    }
    if !checks.is_empty() {
        return fail(checks);
    }
    // A new file renamed over the old one (never the old one truncated: a link killed
    // mid-write leaves the old output or none, and ext4 does not flush on close).
    if let Err(e) = bpfcli::output::write_atomic(output, &linked.bytes) {
        return fail(vec![Diagnostic::error("L0001", format!("cannot write `{}`: {e}", cli.output))]);
    }
    // Exit without dropping the link's data structures: freeing them is wasted work.
    std::process::exit(0)
}

/// Read the file at `path` into the start of `buf` and return its length: open, read until
/// end, close. Unlike `read_to_end` it asks for no size first (no `statx`/`lseek`), and `buf`
/// stays initialised across inputs (it grows to the largest and is never zeroed again), so
/// a link of many objects saves two system calls and a buffer fill per input.
fn read_into(path: &str, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    let mut f = std::fs::File::open(path)?;
    let mut len = 0;
    loop {
        if buf.len() - len < 16 * 1024 {
            buf.resize((buf.len() * 2).max(64 * 1024), 0);
        }
        match f.read(&mut buf[len..]) {
            Ok(0) => return Ok(len),
            Ok(n) => len += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}
