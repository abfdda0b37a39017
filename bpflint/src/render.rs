//! Rendering verdicts: human text, JSON (one object per program per line) and SARIF 2.1.0.

use serde_json::{json, Value};

use crate::lints::{self, Finding};
use crate::program::{Program, Slot};
use crate::verifier::Verdict;

/// One program's result, ready to print.
pub struct Report<'a> {
    pub file: &'a str,
    pub program: &'a Program,
    pub verdict: &'a Verdict,
    /// Lint findings for this program.
    pub findings: Vec<&'a Finding>,
}

pub fn insn_text(p: &Program, idx: usize) -> String {
    match p.slots.get(idx) {
        Some(Slot::Insn(i, _)) => bpf_isa::print(i),
        Some(Slot::Bad(r)) => format!(".8byte {:#04x} (undecodable)", r.code),
        _ => String::new(),
    }
}

fn type_name(p: &Program) -> String {
    p.prog_type
        .name()
        .map(|n| n.trim_start_matches("BPF_PROG_TYPE_").to_ascii_lowercase())
        .unwrap_or_else(|| format!("type {}", p.prog_type.0))
}

/// [`human`] text with the verdicts (`ACCEPT`, `REJECT`) and the `error[..]`/`warning[..]`
/// heads coloured, for a terminal (`--color`; the caller decides with `bpfcli::color`).
pub fn colorize_human(text: &str) -> String {
    use bpfcli::color::{paint, Style};
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.split_inclusive('\n') {
        let (body, nl) = line.strip_suffix('\n').map_or((line, ""), |b| (b, "\n"));
        let head_end = body.find("]: ").map(|i| i + 1);
        if let (Some(end), true) = (head_end, body.starts_with("error[") || body.starts_with("warning[")) {
            let style = if body.starts_with('e') { Style::Error } else { Style::Warning };
            out.push_str(&paint(&body[..end], style, true));
            out.push_str(&body[end..]);
        } else if let Some(i) = body.rfind("): REJECT").filter(|i| i + 9 == body.len()) {
            out.push_str(&body[..i + 3]);
            out.push_str(&paint("REJECT", Style::Error, true));
        } else if let Some(i) = body.find("): ACCEPT (") {
            out.push_str(&body[..i + 3]);
            out.push_str(&paint("ACCEPT", Style::Ok, true));
            out.push_str(&body[i + 9..]);
        } else {
            out.push_str(body);
        }
        out.push_str(nl);
    }
    out
}

pub fn human(r: &Report) -> String {
    let p = r.program;
    let v = r.verdict;
    let mut s = String::new();
    match &v.error {
        None => {
            s.push_str(&format!(
                "{}: {} ({}): ACCEPT ({} insns, {} processed)\n",
                r.file,
                p.name,
                type_name(p),
                p.len(),
                v.insns_processed
            ));
        }
        Some(e) => {
            let (why, help) = e.code.explain();
            let mut lines = e.kernel.lines();
            let first = lines.next().unwrap_or("");
            s.push_str(&format!("{}: {} ({}): REJECT\n", r.file, p.name, type_name(p)));
            s.push_str(&format!("error[{}]: {}\n", e.code.id(), first));
            match p.line_of(e.insn) {
                Some((f, l, c)) => s.push_str(&format!("  --> {}:{}:{} (insn {})\n", f, l, c, e.insn)),
                None => s.push_str(&format!("  --> insn {}\n", e.insn)),
            }
            let t = insn_text(p, e.insn);
            if !t.is_empty() {
                s.push_str(&format!("   | {}\n", t));
            }
            let kernel_last = e.kernel.lines().last().unwrap_or("");
            s.push_str(&format!("   = kernel: {}\n", kernel_last));
            for l in lines {
                if l != kernel_last {
                    s.push_str(&format!("   = kernel: {}\n", l));
                }
            }
            if !e.regs.is_empty() {
                s.push_str(&format!("   = state: {}\n", e.regs));
            }
            s.push_str(&format!("   = why: {}\n", why));
            s.push_str(&format!("   = help: {}\n", help));
        }
    }
    for f in &r.findings {
        s.push_str(&lints::human(f, p));
    }
    s
}

/// One line per rejection or lint finding: `file:line:col: level[code]: message`, for editors'
/// quickfix lists (the object when no source line is known).
pub fn short(r: &Report) -> String {
    let p = r.program;
    let mut s = String::new();
    let at = |insn: Option<usize>| -> String {
        match insn.and_then(|i| p.line_of(i)) {
            Some((f, l, c)) => format!("{f}:{l}:{c}"),
            None => match insn {
                Some(i) => format!("{}:{}:insn {i}", r.file, p.name),
                None => format!("{}:{}", r.file, p.name),
            },
        }
    };
    if let Some(e) = &r.verdict.error {
        let first = e.kernel.lines().next().unwrap_or("");
        s.push_str(&format!("{}: error[{}]: {} (program {})\n", at(Some(e.insn)), e.code.id(), first, p.name));
    }
    for f in &r.findings {
        s.push_str(&format!("{}: {}[{}]: {}\n", at(f.insn), f.level.name(), f.lint, f.message));
    }
    s
}

pub fn json(r: &Report) -> Value {
    let p = r.program;
    let v = r.verdict;
    let mut o = json!({
        "file": r.file,
        "program": p.name,
        "prog_type": type_name(p),
        "verdict": if v.accepted() { "ACCEPT" } else { "REJECT" },
        "insns": p.len(),
        "insns_processed": v.insns_processed,
    });
    if let Some(e) = &v.error {
        let (why, help) = e.code.explain();
        let loc = p.line_of(e.insn).map(|(f, l, c)| json!({"file": f, "line": l, "column": c}));
        o["error"] = json!({
            "code": e.code.id(),
            "insn": e.insn,
            "instruction": insn_text(p, e.insn),
            "source": loc,
            "kernel_message": e.kernel,
            "registers": e.regs,
            "explanation": why,
            "help": help,
        });
    }
    if !r.findings.is_empty() {
        o["lints"] = Value::Array(r.findings.iter().map(|f| lints::json(f, p)).collect());
    }
    o
}

pub fn sarif(reports: &[Report]) -> Value {
    let mut results = Vec::new();
    let mut rules: Vec<Value> = Vec::new();
    let mut seen = Vec::new();
    for r in reports {
        for f in &r.findings {
            if !seen.contains(&f.lint) {
                seen.push(f.lint);
                if let Some(l) = lints::by_id(f.lint) {
                    rules.push(lints::sarif_rule(l));
                }
            }
            results.push(lints::sarif_result(f, r.program, r.file));
        }
        let Some(e) = &r.verdict.error else { continue };
        let (why, help) = e.code.explain();
        if !seen.contains(&e.code.id()) {
            seen.push(e.code.id());
            rules.push(json!({
                "id": e.code.id(),
                "shortDescription": {"text": why},
                "help": {"text": help},
            }));
        }
        let (uri, line, col) = match r.program.line_of(e.insn) {
            Some((f, l, c)) => (f.to_string(), l.max(1), c.max(1)),
            None => (r.file.to_string(), 1, 1),
        };
        results.push(json!({
            "ruleId": e.code.id(),
            "level": "error",
            "message": {"text": format!("{}: {} (program {}, insn {})", e.code.id(), e.kernel.lines().last().unwrap_or(""), r.program.name, e.insn)},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": uri},
                "region": {"startLine": line, "startColumn": col}
            }}],
        }));
    }
    json!({
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{
            "tool": {"driver": {"name": "bpflint", "informationUri": "https://github.com/", "rules": rules}},
            "results": results,
        }]
    })
}

#[cfg(test)]
mod color_tests {
    #[test]
    fn colours_only_the_heads() {
        let t = "a.o: p (xdp): REJECT\nerror[E1]: R0 !read_ok\n   = why: x\nb.o: q (xdp): ACCEPT (3 insns, 3 processed)\nwarning[tp]: m\n";
        let c = super::colorize_human(t);
        assert_eq!(
            c,
            "a.o: p (xdp): \x1b[1;31mREJECT\x1b[0m\n\x1b[1;31merror[E1]\x1b[0m: R0 !read_ok\n   = why: x\n\
             b.o: q (xdp): \x1b[1;32mACCEPT\x1b[0m (3 insns, 3 processed)\n\x1b[1;33mwarning[tp]\x1b[0m: m\n"
        );
        let plain: String =
            c.replace("\x1b[1;31m", "").replace("\x1b[1;32m", "").replace("\x1b[1;33m", "").replace("\x1b[0m", "");
        assert_eq!(plain, t);
    }
}
