//! `bpflint`: predict the kernel verifier's verdict for every program of BPF ELF objects.

use std::process::ExitCode;

use bpflint::object::{load, LoadOptions};
use bpflint::render::{self, Report};
use bpflint::{lints, verify, Profile};

const USAGE: &str =
    "usage: bpflint [--program NAME] [--message-format human|json|sarif] [--kernel 6.1|6.18|native] [--strict]
               [--lint ID=off|warn|error]... [--no-lints] [--tracefs DIR] [--prog-array MAP=PROG,...]...
               [--instrument map-trace] [--stack-headroom N] [--report interfaces|stack] FILE.o...
       bpflint explain [ID]

Lints (on by default): tracepoint-abi (warning), context-cast (error), stack-instrumentation (error);
`bpflint explain ID` describes one.

Exit status: 0 every program accepted and no lint error, 1 some program rejected, a lint error, or a
file could not be read, 2 usage error.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("explain") {
        return explain(args.get(1).map(String::as_str));
    }
    let mut lint_opts = lints::Options::default();
    let mut no_lints = false;
    let mut report: Option<String> = None;
    let mut files = Vec::new();
    let mut program: Option<String> = None;
    let mut format = "human".to_string();
    let mut profile = Profile::native();
    let mut permissive = true;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        let (key, inline) = match a.split_once('=') {
            Some((k, v)) if k.starts_with("--") => (k.to_string(), Some(v.to_string())),
            _ => (a.clone(), None),
        };
        let value = |i: &mut usize| -> Option<String> {
            if let Some(v) = &inline {
                return Some(v.clone());
            }
            *i += 1;
            args.get(*i).cloned()
        };
        match key.as_str() {
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            "--program" | "-p" => match value(&mut i) {
                Some(v) => program = Some(v),
                None => return usage("--program needs a name"),
            },
            "--message-format" => match value(&mut i).as_deref() {
                Some(v @ ("human" | "json" | "sarif")) => format = v.to_string(),
                _ => return usage("--message-format takes human, json or sarif"),
            },
            "--kernel" => match value(&mut i).as_deref().and_then(Profile::by_name) {
                Some(p) => profile = p,
                None => return usage("--kernel takes 6.1, 6.18 or native"),
            },
            "--strict" => permissive = false,
            "--no-lints" => no_lints = true,
            "--lint" => {
                let v = value(&mut i).unwrap_or_default();
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
            "--tracefs" => match value(&mut i) {
                Some(v) => lint_opts.tracefs = Some(v.into()),
                None => return usage("--tracefs needs a directory"),
            },
            "--prog-array" => {
                let v = value(&mut i).unwrap_or_default();
                let parsed = v.split_once('=').map(|(m, p)| {
                    (m.to_string(), p.split(',').filter(|x| !x.is_empty()).map(str::to_string).collect::<Vec<_>>())
                });
                match parsed {
                    Some((m, p)) if !m.is_empty() && !p.is_empty() => lint_opts.prog_arrays.push((m, p)),
                    _ => return usage("--prog-array takes MAP=PROG[,PROG...]"),
                }
            }
            "--instrument" => match value(&mut i).as_deref() {
                Some("map-trace") => lint_opts.instrument.map_trace = true,
                _ => return usage("--instrument takes map-trace"),
            },
            "--stack-headroom" => match value(&mut i).and_then(|v| v.parse::<i32>().ok()) {
                Some(n) if (0..=512).contains(&n) => lint_opts.stack_headroom = Some(n),
                _ => return usage("--stack-headroom takes a number of bytes (0-512)"),
            },
            "--report" => match value(&mut i).as_deref() {
                Some(v @ ("interfaces" | "stack")) => report = Some(v.to_string()),
                _ => return usage("--report takes interfaces or stack"),
            },
            s if s.starts_with('-') && s.len() > 1 => return usage(&format!("unknown option {s}")),
            _ => files.push(a.clone()),
        }
        i += 1;
    }
    if files.is_empty() {
        return usage("no input files");
    }
    let opts = LoadOptions { profile, permissive };
    let mut any_reject = false;
    let mut found_program = program.is_none();
    let mut loaded = Vec::new();
    for f in &files {
        let data = match std::fs::read(f) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("bpflint: {f}: {e}");
                any_reject = true;
                continue;
            }
        };
        match load(&data, &opts) {
            Ok(progs) => loaded.push((f.clone(), progs)),
            Err(e) => {
                eprintln!("bpflint: {f}: {e}");
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
            match (kind.as_str(), format.as_str()) {
                ("interfaces", "json") => println!("{}", lints::tracepoint_abi::interfaces_json(u, &lint_opts)),
                ("interfaces", _) => print!("{}", lints::tracepoint_abi::interfaces_text(u, &lint_opts)),
                (_, "json") => println!("{}", lints::stack_instrumentation::budget_json(u, &lint_opts)),
                _ => print!("{}", lints::stack_instrumentation::budget_text(u, &lint_opts)),
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
    match format.as_str() {
        "json" => {
            for r in &reports {
                println!("{}", render::json(r));
            }
        }
        "sarif" => println!("{}", serde_json::to_string_pretty(&render::sarif(&reports)).unwrap_or_default()),
        _ => {
            for r in &reports {
                print!("{}", render::human(r));
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

fn usage(msg: &str) -> ExitCode {
    eprintln!("bpflint: {msg}\n{USAGE}");
    ExitCode::from(2)
}
