//! The human format (`file: program (type): ACCEPT|REJECT` and `error[code]`/`warning[lint]`
//! blocks) and the short one (one `file:line:col: level[code]: message` line each).

use super::{insn_text, Report};
use crate::lints::Finding;
use crate::program::Program;

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
                p.type_name(),
                p.len(),
                v.insns_processed
            ));
        }
        Some(e) => {
            let (why, help) = e.code.explain();
            let mut lines = e.kernel.lines();
            let first = lines.next().unwrap_or("");
            s.push_str(&format!("{}: {} ({}): REJECT\n", r.file, p.name, p.type_name()));
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
        s.push_str(&finding(f, p));
    }
    s
}

/// One lint finding.
fn finding(f: &Finding, p: &Program) -> String {
    let mut s = format!("{}[{}]: {}\n", f.level.name(), f.lint, f.message);
    match (f.insn.and_then(|i| p.line_of(i)), f.insn) {
        (Some((file, l, c)), Some(i)) => s.push_str(&format!("  --> {file}:{l}:{c} (insn {i})\n")),
        (None, Some(i)) => s.push_str(&format!("  --> insn {i}\n")),
        _ => s.push_str(&format!("  --> program {}\n", f.program)),
    }
    let text = f.insn.map(|i| insn_text(p, i)).unwrap_or_default();
    if !text.is_empty() {
        s.push_str(&format!("   | {text}\n"));
    }
    for n in &f.notes {
        s.push_str(&format!("   = note: {n}\n"));
    }
    if let Some(k) = &f.kernel {
        s.push_str(&format!("   = kernel: {k}\n"));
    }
    if let Some(h) = &f.help {
        s.push_str(&format!("   = help: {h}\n"));
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
