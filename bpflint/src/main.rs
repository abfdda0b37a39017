//! `bpflint`: predict the kernel verifier's verdict for every program of BPF ELF objects.

use std::process::ExitCode;

use bpflint::object::{load, LoadOptions};
use bpflint::render::{self, Report};
use bpflint::{verify, Profile};

const USAGE: &str = "usage: bpflint [--program NAME] [--message-format human|json|sarif] [--kernel 6.1|6.18|native] [--strict] FILE.o...

Exit status: 0 every program accepted, 1 some program rejected (or a file could not be read), 2 usage error.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
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
    let reports: Vec<Report> = results.iter().map(|(f, p, v)| Report { file: f, program: p, verdict: v }).collect();
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

fn usage(msg: &str) -> ExitCode {
    eprintln!("bpflint: {msg}\n{USAGE}");
    ExitCode::from(2)
}
