//! Verdicts and lint findings as `bpfobj::diagnostic::Diagnostic`s: the JSON lines of
//! `--message-format=json` (the shape of `docs/diagnostics.md`) and SARIF.
//!
//! A program the kernel rejects is an `error` whose code is the rejection's (`BL020-...`); one
//! it accepts is a `note` with code [`ACCEPT`]; each lint finding is a diagnostic of its own
//! with the lint's id as code. `data` carries the program and the verdict.

use bpfobj::diagnostic::{self, Diagnostic, Label, Rule, Severity};
use serde_json::{json, Value};

use super::{insn_text, Report};
use crate::lints::{self, Finding, Level};

/// The code of the note that says a program is accepted.
pub const ACCEPT: &str = "BL000-accept";

const TOOL: &str = "bpflint";

/// The place of instruction `insn`: its source line when the object has line info, else the
/// object itself.
fn place(r: &Report, insn: usize) -> Label {
    let text = insn_text(r.program, insn);
    match r.program.line_of(insn) {
        Some((f, l, c)) => Label::primary(f, text).at(l, c.max(1)).insn(insn),
        None => Label::primary(r.file, text).insn(insn),
    }
}

fn data(r: &Report) -> Value {
    json!({
        "object": r.file,
        "program": r.program.name,
        "prog_type": r.program.type_name(),
        "verdict": if r.verdict.accepted() { "ACCEPT" } else { "REJECT" },
        "insns": r.program.len(),
        "insns_processed": r.verdict.insns_processed,
    })
}

/// The verdict on one program.
fn verdict(r: &Report) -> Diagnostic {
    let p = r.program;
    let v = r.verdict;
    let Some(e) = &v.error else {
        let msg = format!("program {} accepted ({} insns, {} processed)", p.name, p.len(), v.insns_processed);
        return Diagnostic::new(TOOL, Severity::Note, ACCEPT, msg)
            .label(Label::primary(r.file, format!("program {}", p.name)))
            .data(data(r));
    };
    let (why, help) = e.code.explain();
    let mut lines = e.kernel.lines();
    let first = lines.next().unwrap_or("");
    let mut d = Diagnostic::new(TOOL, Severity::Error, e.code.id(), first).label(place(r, e.insn));
    for l in lines {
        d = d.note(format!("kernel: {l}"));
    }
    if !e.regs.is_empty() {
        d = d.note(format!("state: {}", e.regs));
    }
    let mut extra = data(r);
    extra["insn"] = e.insn.into();
    extra["instruction"] = insn_text(p, e.insn).into();
    extra["kernel_message"] = e.kernel.clone().into();
    extra["registers"] = e.regs.clone().into();
    extra["explanation"] = why.into();
    d.note(format!("why: {why}")).help(help).data(extra)
}

fn finding(r: &Report, f: &Finding) -> Diagnostic {
    let severity = if f.level == Level::Error { Severity::Error } else { Severity::Warning };
    let label = match f.insn {
        Some(i) => place(r, i),
        None => Label::primary(r.file, format!("program {}", f.program)),
    };
    let mut d = Diagnostic::new(TOOL, severity, f.lint, f.message.clone()).label(label);
    for n in &f.notes {
        d = d.note(n.clone());
    }
    if let Some(k) = &f.kernel {
        d = d.note(format!("kernel: {k}"));
    }
    if let Some(h) = &f.help {
        d = d.help(h.clone());
    }
    d.data(json!({"object": r.file, "program": r.program.name, "prog_type": r.program.type_name()}))
}

/// The verdict on the report's program, then its lint findings.
pub fn diagnostics(r: &Report) -> Vec<Diagnostic> {
    let mut out = vec![verdict(r)];
    out.extend(r.findings.iter().map(|f| finding(r, f)));
    out
}

/// `--message-format=json`: one line per diagnostic.
pub fn json_lines(r: &Report) -> String {
    diagnostics(r).iter().map(Diagnostic::to_json_line).collect()
}

/// `--message-format=sarif`: the rejections and lint findings of every report (accepted
/// programs are not results).
pub fn sarif(reports: &[Report]) -> Value {
    let diags: Vec<Diagnostic> =
        reports.iter().flat_map(diagnostics).filter(|d| d.severity != Severity::Note).collect();
    let mut rules: Vec<Rule> = lints::LINTS
        .iter()
        .map(|l| Rule {
            id: l.id.to_string(),
            summary: l.summary.to_string(),
            explanation: Some(l.explain.to_string()),
            help: None,
            default_level: if l.level == Level::Error { Severity::Error } else { Severity::Warning },
        })
        .collect();
    for r in reports {
        if let Some(e) = &r.verdict.error {
            let (why, help) = e.code.explain();
            rules.push(Rule {
                id: e.code.id().to_string(),
                summary: why.to_string(),
                explanation: None,
                help: Some(help.to_string()),
                default_level: Severity::Error,
            });
        }
    }
    diagnostic::sarif(TOOL, &rules, &diags)
}
