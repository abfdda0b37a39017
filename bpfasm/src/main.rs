//! `bpfasm`: assemble LLVM BPF assembly into a BPF ELF object, or disassemble one (`-d`).

use bpf_isa::{Endian, Isa};
use bpfasm::diag::{emit, MessageFormat};
use bpfasm::{Assembler, Options};
use clap::Parser;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

include!("cli.rs");

/// Accept the gcc/llvm-mc single-dash spellings.
fn normalize_args() -> Vec<String> {
    let mut out = Vec::new();
    for a in std::env::args() {
        let mapped = if let Some(v) = a.strip_prefix("-mcpu=") {
            format!("--mcpu={v}")
        } else if let Some(v) = a.strip_prefix("-fdebug-prefix-map=") {
            format!("--debug-prefix-map={v}")
        } else {
            match a.as_str() {
                "-mcpu" => "--mcpu".into(),
                "-MD" | "-MMD" => "--MD".into(),
                "-MF" => "--MF".into(),
                "-MP" => "--MP".into(),
                "-MT" => "--MT".into(),
                "-EB" => "--EB".into(),
                "-EL" => "--EL".into(),
                "-Werror" => "--Werror".into(),
                _ => a,
            }
        };
        out.push(mapped);
    }
    out
}

/// The input's text: read into the heap, or mapped.
enum Text {
    Owned(String),
    Mapped(bpfsys::MappedText),
}

fn usage_error(msg: &str) -> ExitCode {
    eprintln!("bpfasm: error: {msg}");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse_from(normalize_args()) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let fmt = match cli.message_format {
        Format::Human => MessageFormat::Human,
        Format::Short => MessageFormat::Short,
        Format::Json => MessageFormat::Json,
    };
    let input_name = cli.input.display().to_string();
    let color = cli.color;
    let color = fmt == MessageFormat::Human && bpfcli::color::enabled(color, bpfcli::color::Stream::Stderr);
    // The outputs are never an input: checked before anything is written or removed.
    let stdin = input_name == "-";
    let sources: Vec<&std::path::Path> = if stdin { vec![] } else { vec![cli.input.as_path()] };
    if let Some(o) = &cli.output {
        if let Err(e) = bpfcli::output::refuse_inputs(o, &sources, "output") {
            return usage_error(&e);
        }
    }
    // The input file is mapped, not read (its pages are given back as it is assembled); what
    // cannot be mapped (stdin, a pipe, an empty file) is read.
    let mapped = if stdin || cli.disassemble {
        None
    } else {
        match bpfsys::MappedText::open(&cli.input) {
            Ok(m) => Some(Ok(m)),
            Err(bpfsys::MapTextError::NotUtf8(at)) => Some(Err(at)),
            Err(bpfsys::MapTextError::NotMappable) => None,
        }
    };
    let read = if mapped.is_some() {
        Ok(Vec::new())
    } else if input_name == "-" {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut v).map(|_| v)
    } else {
        std::fs::read(&cli.input)
    };
    let bytes = match read {
        Ok(b) => b,
        Err(e) => {
            eprintln!("bpfasm: error: cannot read {input_name}: {e}");
            return ExitCode::from(1);
        }
    };
    if cli.disassemble {
        return match bpfasm::disasm::disassemble(&bytes) {
            Ok(text) => {
                let r = match &cli.output {
                    Some(p) => bpfcli::output::write_atomic(p, text.as_bytes()),
                    None => std::io::stdout().write_all(text.as_bytes()),
                };
                match r {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(e) => {
                        eprintln!("bpfasm: error: {e}");
                        ExitCode::from(1)
                    }
                }
            }
            Err(e) => {
                eprintln!("bpfasm: error: {input_name}: {e}");
                ExitCode::from(1)
            }
        };
    }
    let isa = match &cli.mcpu {
        None => None,
        Some(s) => match Isa::from_name(s) {
            Some(i) => Some(i),
            None => return usage_error(&format!("unknown -mcpu `{s}` (use v1, v2, v3 or v4)")),
        },
    };
    if cli.eb && cli.el {
        return usage_error("-EB and -EL conflict");
    }
    let endian = if cli.eb || matches!(cli.target, Target::Bpfeb) && !cli.el { Endian::Big } else { Endian::Little };
    let text = match mapped {
        Some(Ok(m)) => Ok(Text::Mapped(m)),
        Some(Err(at)) => Err(at),
        None => String::from_utf8(bytes).map(Text::Owned).map_err(|e| e.utf8_error().valid_up_to()),
    };
    let text = match text {
        Ok(t) => t,
        Err(at) => {
            eprintln!("bpfasm: error: {input_name}: not UTF-8 text (byte {at})");
            return ExitCode::from(1);
        }
    };
    let output = cli.output.clone().unwrap_or_else(|| {
        if input_name == "-" {
            PathBuf::from("a.out.o")
        } else {
            cli.input.with_extension("o")
        }
    });
    let dep = (cli.md || cli.mf.is_some()).then(|| cli.mf.clone().unwrap_or_else(|| output.with_extension("d")));
    for (path, what) in [(Some(&output), "output"), (dep.as_ref(), "dependency file")] {
        if let Some(p) = path {
            if let Err(e) = bpfcli::output::refuse_inputs(p, &sources, what) {
                return usage_error(&e);
            }
        }
    }
    if dep.as_ref().is_some_and(|d| bpfcli::output::same_file(d, &output)) {
        return usage_error("the dependency file and the output are the same file");
    }
    let mut asm = Assembler::new(Options {
        endian,
        isa,
        include_dirs: cli.include.clone(),
        debug: cli.debug,
        no_btf: cli.no_btf,
        ide: false,
        debug_prefix_map: cli.debug_prefix_map.clone(),
    });
    if let Some(p) = &cli.btf {
        if let Err(e) = asm.set_base_btf(p) {
            eprintln!("bpfasm: error: {e}");
            return ExitCode::from(1);
        }
    }
    match text {
        Text::Owned(t) => asm.assemble_file(&input_name, t),
        Text::Mapped(m) => asm.assemble_mapped(&input_name, m),
    }
    let obj = asm.finish();
    let warnings = asm.diags.iter().filter(|d| d.level == bpfasm::diag::Level::Warning).count();
    emit(&asm.files, &asm.diags, fmt, color);
    // Nor is an output a file that was `.include`d.
    for (path, what) in [(Some(&output), "output"), (dep.as_ref(), "dependency file")] {
        if let Some(p) = path {
            if let Err(e) = bpfcli::output::refuse_inputs(p, &asm.included, what) {
                eprintln!("bpfasm: error: {e}");
                return ExitCode::from(1);
            }
        }
    }
    let failed = obj.is_none() || (cli.werror && warnings > 0);
    if failed {
        // Leave no (stale) output behind: make must not see an up-to-date object. (The
        // output is not an input: checked above.)
        let _ = std::fs::remove_file(&output);
        // (The JSON format's stream stays one diagnostic per line: no summary.)
        let json = fmt == MessageFormat::Json;
        if asm.errors > 0 && !json {
            eprintln!("bpfasm: {} error(s) in {input_name}", asm.errors);
        } else if !json {
            eprintln!("bpfasm: warnings treated as errors (--Werror)");
        }
        return ExitCode::from(1);
    }
    let obj = obj.unwrap_or_default();
    if let Err(e) = bpfcli::output::write_atomic(&output, &obj) {
        eprintln!("bpfasm: error: cannot write {}: {e}", output.display());
        return ExitCode::from(1);
    }
    if let Some(dep) = dep {
        let target = cli.mt.clone().unwrap_or_else(|| output.display().to_string());
        let esc = |p: &str| p.replace(' ', "\\ ").replace('$', "$$");
        let mut deps = vec![input_name.clone()];
        deps.extend(asm.included.iter().map(|p| p.display().to_string()));
        let mut s = format!("{}:", esc(&target));
        for d in &deps {
            s.push_str(" \\\n  ");
            s.push_str(&esc(d));
        }
        s.push('\n');
        if cli.mp {
            for d in deps.iter().skip(1) {
                s.push_str(&format!("\n{}:\n", esc(d)));
            }
        }
        if let Some(parent) = dep.parent().filter(|p| !p.as_os_str().is_empty()) {
            let _ = std::fs::create_dir_all(parent);
        }
        if let Err(e) = bpfcli::output::write_atomic(&dep, s.as_bytes()) {
            eprintln!("bpfasm: error: cannot write {}: {e}", dep.display());
            let _ = std::fs::remove_file(&output);
            return ExitCode::from(1);
        }
    }
    // The process ends here: freeing the assembler's hundreds of thousands of blocks one by
    // one would be wasted time (3% of a large input's).
    std::mem::forget(asm);
    ExitCode::SUCCESS
}
