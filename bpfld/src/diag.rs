//! Diagnostics: a stable code, a message, labels naming objects, notes; rendered as text
//! (human or one line) or JSON (one object per line).

use std::fmt::Write as _;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A place in an input: the object (file name) and what is there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub file: String,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub labels: Vec<Label>,
    /// Free-form lines shown under the labels (prototypes side by side, ...).
    pub notes: Vec<String>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            labels: vec![],
            notes: vec![],
            help: None,
        }
    }
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Self::error(code, message) }
    }
    pub fn label(mut self, file: &str, text: impl Into<String>) -> Self {
        self.labels.push(Label { file: file.to_string(), text: text.into() });
        self
    }
    pub fn note(mut self, n: impl Into<String>) -> Self {
        self.notes.push(n.into());
        self
    }
    pub fn help(mut self, h: impl Into<String>) -> Self {
        self.help = Some(h.into());
        self
    }

    /// The toolchain's one diagnostic (`bpfobj::diagnostic`, the JSON shape of
    /// `docs/diagnostics.md`): the first label is the primary place, the others secondary.
    pub fn to_shared(&self) -> bpfobj::diagnostic::Diagnostic {
        use bpfobj::diagnostic::{Diagnostic as D, Label, Severity as S};
        let sev = match self.severity {
            Severity::Error => S::Error,
            Severity::Warning => S::Warning,
        };
        let mut d = D::new("bpfld", sev, self.code, self.message.clone());
        for (i, l) in self.labels.iter().enumerate() {
            d = d.label(if i == 0 { Label::primary(&l.file, &l.text) } else { Label::secondary(&l.file, &l.text) });
        }
        d.notes = self.notes.clone();
        d.help = self.help.iter().cloned().collect();
        d
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Human,
    Short,
    Json,
}

pub fn render(d: &Diagnostic, f: Format) -> String {
    render_color(d, f, false)
}

/// [`render`], the human format's `error[code]`/`warning[code]` coloured when `color` (the
/// caller's `bpfcli::color` decision; the other formats are never coloured).
pub fn render_color(d: &Diagnostic, f: Format, color: bool) -> String {
    let mut s = String::new();
    match f {
        Format::Human => {
            let style = match d.severity {
                Severity::Error => bpfcli::color::Style::Error,
                Severity::Warning => bpfcli::color::Style::Warning,
            };
            let head = bpfcli::color::paint(&format!("{}[{}]", d.severity.as_str(), d.code), style, color);
            let _ = writeln!(s, "{head}: {}", d.message);
            for l in &d.labels {
                let _ = writeln!(s, "  --> {}: {}", l.file, l.text);
            }
            for n in &d.notes {
                for line in n.lines() {
                    let _ = writeln!(s, "   | {line}");
                }
            }
            if let Some(h) = &d.help {
                let _ = writeln!(s, "   = help: {h}");
            }
        }
        Format::Short => {
            let file = d.labels.first().map(|l| l.file.as_str()).unwrap_or("bpfld");
            let _ = writeln!(s, "{file}: {}[{}]: {}", d.severity.as_str(), d.code, d.message);
        }
        Format::Json => s.push_str(&d.to_shared().to_json_line()),
    }
    s
}

/// Two texts side by side under headings, for prototypes and map definitions.
pub fn side_by_side(h1: &str, a: &str, h2: &str, b: &str) -> String {
    let w = h1.len().max(a.lines().map(str::len).max().unwrap_or(0)).max(8);
    let mut s = format!("{h1:<w$} | {h2}\n");
    let al: Vec<&str> = a.lines().collect();
    let bl: Vec<&str> = b.lines().collect();
    for i in 0..al.len().max(bl.len()) {
        let x = al.get(i).copied().unwrap_or("");
        let y = bl.get(i).copied().unwrap_or("");
        let _ = writeln!(s, "{x:<w$} | {y}");
    }
    s.trim_end().to_string()
}
