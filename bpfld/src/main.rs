//! `bpfld a.o b.o ... -o out.o`: link BPF objects. Exit status 0 ok, 1 input errors (no output
//! left behind), 2 usage.

use bpfld::archive;
use bpfld::{diag, progarray::Decl, Diagnostic, Format, Options};
use clap::{CommandFactory, FromArgMatches};
use std::io::Write;
use std::process::ExitCode;

include!("cli.rs");

fn main() -> ExitCode {
    // Links allocate a few megabytes quickly; 2 MiB pages spare hundreds of page faults.
    bpfsys::prefer_huge_page_heap(8 << 20);
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    // --whole-archive applies to the inputs after it, up to --no-whole-archive.
    let at = |id: &str| matches.indices_of(id).map(|i| i.collect::<Vec<_>>()).unwrap_or_default();
    let (input_at, whole_on, whole_off) = (at("inputs"), at("whole_archive"), at("no_whole_archive"));
    let whole_at = |i: usize| {
        let pos = input_at.get(i).copied().unwrap_or(0);
        let on = whole_on.iter().filter(|&&p| p < pos).max();
        let off = whole_off.iter().filter(|&&p| p < pos).max();
        match (on, off) {
            (Some(a), Some(b)) => a > b,
            (a, _) => a.is_some(),
        }
    };
    let fmt = match cli.message_format {
        MessageFormat::Human => Format::Human,
        MessageFormat::Short => Format::Short,
        MessageFormat::Json => Format::Json,
    };
    let when = cli.color;
    let color = fmt == Format::Human && bpfcli::color::enabled(when, bpfcli::color::Stream::Stderr);
    let emit = |ds: &[Diagnostic]| {
        let mut err = std::io::stderr().lock();
        for d in ds {
            let _ = err.write_all(diag::render_color(d, fmt, color).as_bytes());
        }
    };
    // The output is never an input (nor a target object): checked before anything is
    // written or removed (the inputs as they are opened, by the device and inode of the open
    // file: no second look-up of 200 names).
    let output = std::path::Path::new(&cli.output);
    if let Err(e) = bpfcli::output::refuse_inputs(output, &cli.target_objects, "output") {
        eprintln!("bpfld: error: {e}");
        return ExitCode::from(2);
    }
    let output_id = bpfcli::output::file_id(output);
    let fail = |ds: Vec<Diagnostic>| {
        emit(&ds);
        // No output left behind, but only a regular file is removed: `-o /dev/null` as root
        // must not delete the device.
        if std::fs::symlink_metadata(&cli.output).is_ok_and(|m| m.file_type().is_file()) {
            let _ = std::fs::remove_file(&cli.output);
        }
        ExitCode::from(1)
    };
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
    let opts = Options { gc_sections: cli.gc_sections, allow_undefined: cli.allow_undefined };
    // Each input is parsed as soon as it is read, into one reused buffer, and handed to the
    // link right away (which merges its BTF and keeps only what it needs). Archives are read
    // whole (every member checked) and their members selected where they appear.
    let mut buf = Vec::new();
    let mut inputs = bpfld::Inputs::new(&opts);
    inputs.reserve(cli.inputs.len());
    let mut selector = archive::Selector::default();
    for (i, p) in cli.inputs.iter().enumerate() {
        let read = bpfld::input::read_file(p, &mut buf);
        if let Ok((_, id)) = read {
            if let Err(e) = bpfcli::output::refuse_input(output, output_id, p.as_ref(), id, "output") {
                eprintln!("bpfld: error: {e}");
                return ExitCode::from(2);
            }
        }
        match read.map(|(n, _)| n) {
            Ok(n) if archive::is_archive(&buf[..n]) => match archive::read(p, &buf[..n]) {
                Ok(a) => {
                    for m in selector.archive(a, whole_at(i), inputs.objects()) {
                        inputs.push(m.name.clone(), Ok(m));
                    }
                }
                Err(ds) => errors.extend(ds),
            },
            // The link reports objects that do not parse, in command-line order.
            Ok(n) => inputs.push_file(p, &buf[..n]),
            Err(e) => errors.push(Diagnostic::error("L0001", format!("cannot read `{p}`: {e}"))),
        }
    }
    drop(buf);
    let selection = archive::Selection { objects: Vec::new(), defined_earlier: selector.finish(inputs.objects()) };
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
    let (linked, out) = match inputs.link_output() {
        Ok(l) => l,
        Err(mut ds) => {
            selection.annotate(&mut ds);
            return fail(ds);
        }
    };
    emit(&linked.warnings);
    if cli.print_gc_sections {
        let mut err = std::io::stderr().lock();
        for (obj, r) in &linked.gc_removed {
            let _ =
                writeln!(err, "bpfld: removing unused function `{}` ({} bytes) from .text of `{obj}`", r.name, r.size);
        }
    }
    // The checks read the output back; an output with nothing to check is not parsed again
    // (nor held in memory: it is written straight into the file).
    let mut checks = Vec::new();
    let mut bytes = None;
    if !decls.is_empty() || !targets.is_empty() || linked.map_initialisers {
        let parsed = match bpfld::input::parse(&cli.output, bytes.insert(out.to_bytes())) {
            Ok(o) => o,
            Err(e) => {
                return fail(vec![Diagnostic::error("L0099", format!("internal error: output does not parse: {e}"))])
            }
        };
        let origins = linked.origins();
        checks = bpfld::progarray::check(&parsed, &decls, &origins);
        for t in &targets {
            checks.extend(bpfld::targets::check(&parsed, t, &origins));
        }
    }
    if !checks.is_empty() {
        return fail(checks);
    }
    // A new file renamed over the old one (never the old one truncated: a link killed
    // mid-write leaves the old output or none, and ext4 does not flush on close).
    let written = match &bytes {
        Some(b) => bpfcli::output::write_atomic(output, b),
        None => bpfcli::output::write_atomic_with(output, |w| out.write_to(w)),
    };
    if let Err(e) = written {
        return fail(vec![Diagnostic::error("L0001", format!("cannot write `{}`: {e}", cli.output))]);
    }
    // Exit without dropping the link's data structures: freeing them is wasted work.
    std::process::exit(0)
}
