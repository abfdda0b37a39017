//! `btf`: dump, validate and deduplicate BTF.

use btf::{Btf, BtfBuilder};
use clap::Parser;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

include!("../btf_cli.rs");

fn json_str(s: &str) -> String {
    let mut o = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn run(cli: Cli) -> Result<(), String> {
    match cli.cmd {
        Cmd::Dump { file, base, format } => {
            let base_data = base.as_deref().map(read).transpose()?;
            let base_btf = match &base_data {
                Some(d) => {
                    let raw =
                        btf::elf::btf_bytes(d).map_err(|e| format!("{}: {e}", base.as_ref().unwrap().display()))?;
                    Some(Btf::parse(raw).map_err(|e| format!("{}: {e}", base.as_ref().unwrap().display()))?)
                }
                None => None,
            };
            let data = read(&file)?;
            let raw = btf::elf::btf_bytes(&data).map_err(|e| format!("{}: {e}", file.display()))?;
            let btf = match &base_btf {
                Some(b) => Btf::parse_split(raw, b),
                None => Btf::parse(raw),
            }
            .map_err(|e| format!("{}: {e}", file.display()))?;
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
            let r = match format {
                Format::Raw => btf::dump_raw::dump_raw(&btf, &mut out),
                Format::Json => btf::dump_json::dump_json(&btf, &mut out),
                Format::C => btf::dump_c::dump_c(&btf, &mut out),
            };
            r.and_then(|_| out.flush()).or_else(ignore_broken_pipe)
        }
        Cmd::Validate { file, base } => {
            let base_data = base.as_deref().map(read).transpose()?;
            let base_btf = match &base_data {
                Some(d) => Some(Btf::parse(btf::elf::btf_bytes(d)?).map_err(|e| format!("base: {e}"))?),
                None => None,
            };
            let data = read(&file)?;
            let raw = btf::elf::btf_bytes(&data).map_err(|e| format!("{}: {e}", file.display()))?;
            let res = match &base_btf {
                Some(b) => {
                    let btf = Btf::parse_split(raw, b).map_err(|e| format!("{}: {e}", file.display()))?;
                    btf::validate::validate(&btf)
                }
                None => btf::validate::validate_bytes(raw),
            };
            res.map_err(|e| format!("{}: invalid BTF: {e}", file.display()))?;
            println!("ok");
            Ok(())
        }
        Cmd::Dedup { input, output } => {
            let data = read(&input)?;
            let raw = btf::elf::btf_bytes(&data).map_err(|e| format!("{}: {e}", input.display()))?;
            let btf = Btf::parse(raw).map_err(|e| format!("{}: {e}", input.display()))?;
            let mut b = BtfBuilder::from_btf(&btf);
            btf::dedup::dedup(&mut b).map_err(|e| format!("{}: {e}", input.display()))?;
            bpfcli::output::write_atomic(&output, &b.to_bytes(btf.endian()))
                .map_err(|e| format!("{}: {e}", output.display()))
        }
        Cmd::FromDwarf { object, output } => from_dwarf(&object, &output),
    }
}

fn from_dwarf(object: &Path, output: &Path) -> Result<(), String> {
    let data = read(object)?;
    let b = btf::dwarf::btf_from_dwarf(&data).map_err(|e| format!("{}: {e}", object.display()))?;
    let endian = if data.get(5) == Some(&2) { btf::Endian::Big } else { btf::Endian::Little };
    bpfcli::output::write_atomic(output, &b.to_bytes(endian)).map_err(|e| format!("{}: {e}", output.display()))
}

fn ignore_broken_pipe(e: std::io::Error) -> Result<(), String> {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(format!("write error: {e}"))
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse(); // usage errors exit with status 2
    let fmt = cli.message_format;
    let when = cli.color;
    let color = matches!(fmt, MessageFormat::Human) && bpfcli::color::enabled(when, bpfcli::color::Stream::Stderr);
    // An output is never the input (a usage error, before anything is read or written).
    if let Cmd::Dedup { input: i, output: o } | Cmd::FromDwarf { object: i, output: o } = &cli.cmd {
        if let Err(e) = bpfcli::output::refuse_inputs(o, &[i], "output") {
            eprintln!("btf: error: {e}");
            return ExitCode::from(2);
        }
    }
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            match fmt {
                MessageFormat::Human if color => {
                    eprintln!("btf: {}: {e}", bpfcli::color::paint("error", bpfcli::color::Style::Error, true))
                }
                MessageFormat::Human => eprintln!("btf: {e}"),
                MessageFormat::Short => eprintln!("btf: error: {e}"),
                MessageFormat::Json => {
                    eprintln!("{{\"severity\":\"error\",\"code\":\"btf\",\"message\":{}}}", json_str(&e))
                }
            }
            ExitCode::from(1)
        }
    }
}
