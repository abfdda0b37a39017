//! `bpflint`: predict the kernel verifier's verdict for every program of BPF ELF objects.

use std::process::ExitCode;

use bpflint::object::{load, LoadOptions};
use bpflint::render::{self, Report};
use bpflint::{lints, verify, Profile};

include!("cli.rs");

fn main() -> ExitCode {
    let cli = match <Cli as clap::Parser>::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    if let Some(Cmd::Explain { id }) = &cli.cmd {
        return explain(id.as_deref());
    }
    let mut lint_opts = lints::Options::default();
    let no_lints = cli.no_lints;
    let report = cli.report;
    let files: Vec<String> = cli.files.iter().map(|f| f.display().to_string()).collect();
    let program = cli.program.clone();
    let format = cli.message_format;
    let Some(profile) = Profile::by_name(&cli.kernel) else {
        return usage("--kernel takes a version 6.1 to 6.18, or native");
    };
    let permissive = !cli.strict;
    for v in &cli.lint {
        let Some((id, lv)) = v.split_once('=') else { return usage("--lint takes ID=off|warn|error") };
        let Some(lv) = lints::Level::parse(lv) else { return usage("--lint takes ID=off|warn|error") };
        if id == "all" {
            for l in lints::LINTS {
                lint_opts.levels.insert(l.id.to_string(), lv);
            }
        } else if lints::by_id(id).is_some() {
            lint_opts.levels.insert(id.to_string(), lv);
        } else {
            return usage(&format!("unknown lint {id} (see `bpflint explain`)"));
        }
    }
    if let Some(d) = &cli.tracefs {
        lint_opts.tracefs = Some(d.clone());
    }
    for v in &cli.prog_array {
        let parsed = v.split_once('=').map(|(m, p)| {
            (m.to_string(), p.split(',').filter(|x| !x.is_empty()).map(str::to_string).collect::<Vec<_>>())
        });
        match parsed {
            Some((m, p)) if !m.is_empty() && !p.is_empty() => lint_opts.prog_arrays.push((m, p)),
            _ => return usage("--prog-array takes MAP=PROG[,PROG...]"),
        }
    }
    for m in &cli.instrument {
        match m.as_str() {
            "map-trace" => lint_opts.instrument.map_trace = true,
            _ => return usage("--instrument takes map-trace"),
        }
    }
    match cli.stack_headroom {
        Some(n) if (0..=512).contains(&n) => lint_opts.stack_headroom = Some(n),
        Some(_) => return usage("--stack-headroom takes a number of bytes (0-512)"),
        None => {}
    }
    if files.is_empty() {
        return usage("no input files");
    }
    let kconfig = match &cli.kconfig {
        Some(path) => {
            let version = if cli.kernel == "native" {
                bpflint::kconfig::version_code(&bpflint::kconfig::running_release().unwrap_or_default())
            } else {
                bpflint::kconfig::version_code(profile.name)
            };
            match bpflint::kconfig::Kconfig::from_file(&path.display().to_string(), version) {
                Ok(k) => Some(std::sync::Arc::new(k)),
                Err(e) => return usage(&format!("--kconfig: {e}")),
            }
        }
        None if cli.kernel == "native" => bpflint::object::native_kconfig(),
        None => None,
    };
    let kernel_btf = match &cli.btf {
        Some(path) => match bpflint::kernel_btf::KernelBtf::load(&path.display().to_string()) {
            Ok(k) => Some(k),
            Err(e) => return usage(&format!("--btf: {e}")),
        },
        None => bpflint::kernel_btf::KernelBtf::native(),
    };
    let mut prog_types = Vec::new();
    for spec in &cli.prog_type {
        match bpflint::object::ProgTypeOverride::parse(spec) {
            Ok(o) => prog_types.push(o),
            Err(e) => return usage(&format!("--prog-type {spec}: {e}")),
        }
    }
    let opts = LoadOptions { profile, permissive, kconfig, kernel_btf, prog_types };
    let mut any_reject = false;
    let mut found_program = program.is_none();
    let mut loaded = Vec::new();
    for f in &files {
        let data = match std::fs::read(f) {
            Ok(d) => d,
            Err(e) => {
                input_error(format, f, &e.to_string());
                any_reject = true;
                continue;
            }
        };
        match load(&data, &opts) {
            Ok(progs) => loaded.push((f.clone(), progs)),
            Err(e) => {
                input_error(format, f, &e.to_string());
                any_reject = true;
            }
        }
    }
    let mut results = Vec::new();
    for (f, progs) in &loaded {
        for p in progs {
            if program.as_deref().is_some_and(|n| n != p.name) {
                continue;
            }
            found_program = true;
            results.push((f.as_str(), p, verify(p)));
        }
    }
    if !found_program {
        eprintln!("bpflint: no program named {}", program.unwrap_or_default());
        return ExitCode::from(2);
    }
    lint_opts.profile = profile;
    let units: Vec<lints::Unit> =
        results.iter().map(|(f, p, v)| lints::Unit { file: f, program: p, verdict: v }).collect();
    if let Some(kind) = report {
        for u in &units {
            match (kind, format) {
                (ReportKind::Interfaces, Format::Json) => {
                    println!("{}", lints::tracepoint_abi::interfaces_json(u, &lint_opts))
                }
                (ReportKind::Interfaces, _) => print!("{}", lints::tracepoint_abi::interfaces_text(u, &lint_opts)),
                (ReportKind::Stack, Format::Json) => {
                    println!("{}", lints::stack_instrumentation::budget_json(u, &lint_opts))
                }
                (ReportKind::Stack, _) => print!("{}", lints::stack_instrumentation::budget_text(u, &lint_opts)),
            }
        }
        return if any_reject { ExitCode::from(1) } else { ExitCode::SUCCESS };
    }
    let findings = if no_lints { Vec::new() } else { lints::run(&units, &lint_opts) };
    let reports: Vec<Report> = results
        .iter()
        .map(|(f, p, v)| Report {
            file: f,
            program: p,
            verdict: v,
            findings: findings.iter().filter(|x| x.file == *f && x.program == p.name).collect(),
        })
        .collect();
    any_reject |= findings.iter().any(|f| f.level == lints::Level::Error);
    for r in &reports {
        any_reject |= !r.verdict.accepted();
    }
    match format {
        Format::Json => {
            for r in &reports {
                print!("{}", render::json_lines(r));
            }
        }
        Format::Sarif => println!("{}", serde_json::to_string_pretty(&render::sarif(&reports)).unwrap_or_default()),
        Format::Short => {
            for r in &reports {
                print!("{}", render::short(r));
            }
        }
        Format::Human => {
            let when = cli.color;
            let color = bpfcli::color::enabled(when, bpfcli::color::Stream::Stdout);
            for r in &reports {
                let text = render::human(r);
                print!("{}", if color { render::colorize_human(&text) } else { text });
            }
        }
    }
    if any_reject {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn explain(id: Option<&str>) -> ExitCode {
    match id {
        None => {
            for l in lints::LINTS {
                println!("{:<22} {:<8} {}", l.id, l.level.name(), l.summary);
            }
            ExitCode::SUCCESS
        }
        Some(id) => match lints::by_id(id) {
            Some(l) => {
                println!("{} ({} by default): {}\n\n{}", l.id, l.level.name(), l.summary, l.explain);
                ExitCode::SUCCESS
            }
            None => usage(&format!("unknown lint {id}")),
        },
    }
}

/// An input that cannot be read or is not a BPF object: a line on stderr, a diagnostic in the
/// JSON format.
fn input_error(format: Format, file: &str, msg: &str) {
    if format == Format::Json {
        use bpfobj::diagnostic::{Diagnostic, Label, Severity};
        let d = Diagnostic::new("bpflint", Severity::Error, "BL900-bad-input", msg)
            .label(Label::primary(file, "this input"));
        eprint!("{}", d.to_json_line());
    } else {
        eprintln!("bpflint: {file}: {msg}");
    }
}

fn usage(msg: &str) -> ExitCode {
    eprintln!("bpflint: error: {msg}\n(see `bpflint --help`)");
    ExitCode::from(2)
}
