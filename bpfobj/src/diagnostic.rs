//! The one diagnostic of the three tools: a stable code, a severity, a message, labels (places
//! in the inputs), notes and help; written as ONE JSON shape (`--message-format=json`,
//! documented in `docs/diagnostics.md`, schema `docs/diagnostics.schema.json`) and as SARIF
//! 2.1.0 (`--message-format=sarif`).
//!
//! Each tool keeps its own code enum and its own human rendering (bpfasm's and the LSP's
//! come from codespan-reporting over source spans; bpfld's labels name objects, not lines;
//! bpflint's name instructions) and converts into this type to write JSON or SARIF.

use serde_json::{json, Map, Value};

/// Where a reader of a SARIF report learns about the tool (`informationUri`): the
/// workspace's `homepage` (Cargo.toml). Without one the property is left out (it is optional
/// in SARIF) rather than filled with a placeholder.
pub fn information_uri() -> Option<&'static str> {
    Some(env!("CARGO_PKG_HOMEPAGE")).filter(|h| !h.is_empty())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
    /// Information that is not a problem (bpflint: a program the kernel accepts).
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// A place in an input. `file` is always known; the rest as far as the tool knows it
/// (bpfld's places are objects and sections, without lines).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Label {
    pub primary: bool,
    pub message: String,
    pub file: String,
    /// 1-based line and column (columns count characters, as the editors' do).
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub end_line: Option<u32>,
    pub end_column: Option<u32>,
    /// Byte offsets in the file, end exclusive.
    pub bytes: Option<(u32, u32)>,
    /// The instruction index in a program (bpflint).
    pub insn: Option<usize>,
}

impl Label {
    pub fn primary(file: impl Into<String>, message: impl Into<String>) -> Label {
        Label { primary: true, message: message.into(), file: file.into(), ..Label::default() }
    }
    pub fn secondary(file: impl Into<String>, message: impl Into<String>) -> Label {
        Label { primary: false, ..Label::primary(file, message) }
    }
    pub fn at(mut self, line: u32, column: u32) -> Label {
        self.line = Some(line);
        self.column = Some(column);
        self
    }
    pub fn to(mut self, end_line: u32, end_column: u32) -> Label {
        self.end_line = Some(end_line);
        self.end_column = Some(end_column);
        self
    }
    pub fn bytes(mut self, start: u32, end: u32) -> Label {
        self.bytes = Some((start, end));
        self
    }
    pub fn insn(mut self, i: usize) -> Label {
        self.insn = Some(i);
        self
    }

    fn to_json(&self) -> Value {
        let mut o = Map::new();
        o.insert("primary".into(), self.primary.into());
        o.insert("message".into(), self.message.clone().into());
        o.insert("file".into(), self.file.clone().into());
        let mut put = |k: &str, v: Option<u64>| {
            if let Some(v) = v {
                o.insert(k.into(), v.into());
            }
        };
        put("line", self.line.map(u64::from));
        put("column", self.column.map(u64::from));
        put("end_line", self.end_line.map(u64::from));
        put("end_column", self.end_column.map(u64::from));
        put("byte_start", self.bytes.map(|b| u64::from(b.0)));
        put("byte_end", self.bytes.map(|b| u64::from(b.1)));
        put("insn", self.insn.map(|i| i as u64));
        Value::Object(o)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// `bpfasm`, `bpfld` or `bpflint`.
    pub tool: &'static str,
    pub severity: Severity,
    /// Stable code (`invalid-operand`, `L0002`, `BL020-invalid-deref`, a lint's id).
    pub code: String,
    pub message: String,
    /// The first primary label is the place the diagnostic is about.
    pub labels: Vec<Label>,
    pub notes: Vec<String>,
    pub help: Vec<String>,
    /// What only this tool has to say, as an object (bpflint: the program and its verdict).
    pub data: Option<Value>,
}

impl Diagnostic {
    pub fn new(tool: &'static str, severity: Severity, code: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            tool,
            severity,
            code: code.into(),
            message: message.into(),
            labels: Vec::new(),
            notes: Vec::new(),
            help: Vec::new(),
            data: None,
        }
    }
    pub fn label(mut self, l: Label) -> Self {
        self.labels.push(l);
        self
    }
    pub fn note(mut self, n: impl Into<String>) -> Self {
        self.notes.push(n.into());
        self
    }
    pub fn help(mut self, h: impl Into<String>) -> Self {
        self.help.push(h.into());
        self
    }
    pub fn data(mut self, d: Value) -> Self {
        self.data = Some(d);
        self
    }

    /// The place the diagnostic is about: the first primary label, else the first label.
    pub fn primary(&self) -> Option<&Label> {
        self.labels.iter().find(|l| l.primary).or(self.labels.first())
    }

    /// The JSON object of `--message-format=json` (one per line).
    pub fn to_json(&self) -> Value {
        let mut o = Map::new();
        o.insert("tool".into(), self.tool.into());
        o.insert("severity".into(), self.severity.as_str().into());
        o.insert("code".into(), self.code.clone().into());
        o.insert("message".into(), self.message.clone().into());
        o.insert("labels".into(), Value::Array(self.labels.iter().map(Label::to_json).collect()));
        o.insert("notes".into(), self.notes.clone().into());
        o.insert("help".into(), self.help.clone().into());
        if let Some(d) = &self.data {
            o.insert("data".into(), d.clone());
        }
        Value::Object(o)
    }

    /// [`Diagnostic::to_json`] as one line of text, with its newline.
    pub fn to_json_line(&self) -> String {
        let mut s = self.to_json().to_string();
        s.push('\n');
        s
    }
}

/// What a SARIF report says about one code (`tool.driver.rules[]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    pub id: String,
    pub summary: String,
    pub explanation: Option<String>,
    pub help: Option<String>,
    pub default_level: Severity,
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// One SARIF 2.1.0 log of one tool's run. `rules` describe the codes (a code used by a
/// diagnostic without a rule gets one from the diagnostic's message).
pub fn sarif(tool: &str, rules: &[Rule], diags: &[Diagnostic]) -> Value {
    let mut rule_list: Vec<Rule> = Vec::new();
    for d in diags {
        if rule_list.iter().any(|r| r.id == d.code) {
            continue;
        }
        let r = rules.iter().find(|r| r.id == d.code).cloned().unwrap_or_else(|| Rule {
            id: d.code.clone(),
            summary: d.code.clone(),
            explanation: None,
            help: None,
            default_level: d.severity,
        });
        rule_list.push(r);
    }
    let rules_json: Vec<Value> = rule_list
        .iter()
        .map(|r| {
            let mut o = json!({
                "id": r.id,
                "shortDescription": {"text": r.summary},
                "defaultConfiguration": {"level": sarif_level(r.default_level)},
            });
            if let Some(e) = &r.explanation {
                o["fullDescription"] = json!({"text": e});
            }
            if let Some(h) = &r.help {
                o["help"] = json!({"text": h});
            }
            o
        })
        .collect();
    let results: Vec<Value> = diags
        .iter()
        .map(|d| {
            let mut text = d.message.clone();
            for h in &d.help {
                text.push_str("\nhelp: ");
                text.push_str(h);
            }
            let mut r = json!({
                "ruleId": d.code,
                "ruleIndex": rule_list.iter().position(|r| r.id == d.code).unwrap_or(0),
                "level": sarif_level(d.severity),
                "message": {"text": text},
            });
            if let Some(l) = d.primary() {
                let mut region = Map::new();
                region.insert("startLine".into(), l.line.unwrap_or(1).max(1).into());
                region.insert("startColumn".into(), l.column.unwrap_or(1).max(1).into());
                if let (Some(el), Some(ec)) = (l.end_line, l.end_column) {
                    region.insert("endLine".into(), el.max(1).into());
                    region.insert("endColumn".into(), ec.max(1).into());
                }
                r["locations"] = json!([{"physicalLocation": {
                    "artifactLocation": {"uri": l.file},
                    "region": Value::Object(region),
                }}]);
            }
            let primary = d.labels.iter().position(|l| l.primary).unwrap_or(0);
            let related: Vec<Value> = d
                .labels
                .iter()
                .enumerate()
                .filter(|(i, l)| *i != primary && l.line.is_some())
                .map(|(_, l)| l)
                .map(|l| {
                    json!({"physicalLocation": {
                        "artifactLocation": {"uri": l.file},
                        "region": {"startLine": l.line.unwrap_or(1).max(1), "startColumn": l.column.unwrap_or(1).max(1)},
                    }, "message": {"text": l.message}})
                })
                .collect();
            if !related.is_empty() {
                r["relatedLocations"] = Value::Array(related);
            }
            r
        })
        .collect();
    let mut driver = json!({"name": tool, "version": env!("CARGO_PKG_VERSION"), "rules": rules_json});
    if let Some(uri) = information_uri() {
        driver["informationUri"] = uri.into();
    }
    json!({
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{"tool": {"driver": driver}, "results": results}]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_shape() {
        let d = Diagnostic::new("bpfasm", Severity::Error, "invalid-operand", "bad")
            .label(Label::primary("a.s", "here").at(2, 8).to(2, 10).bytes(53, 55))
            .label(Label::secondary("b.o", "there"))
            .help("use r1");
        let v = d.to_json();
        assert_eq!(
            v.to_string(),
            r#"{"code":"invalid-operand","help":["use r1"],"labels":[{"byte_end":55,"byte_start":53,"column":8,"end_column":10,"end_line":2,"file":"a.s","line":2,"message":"here","primary":true},{"file":"b.o","message":"there","primary":false}],"message":"bad","notes":[],"severity":"error","tool":"bpfasm"}"#
        );
    }

    #[test]
    fn sarif_rules_and_locations() {
        let d = Diagnostic::new("bpfld", Severity::Warning, "L1", "m").label(Label::primary("x.o", "p"));
        let s = sarif("bpfld", &[], &[d.clone(), d]);
        let run = &s["runs"][0];
        assert_eq!(run["tool"]["driver"]["rules"].as_array().unwrap().len(), 1);
        assert_eq!(run["results"][1]["ruleIndex"], 0);
        assert_eq!(run["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"], 1);
        match information_uri() {
            Some(u) => assert_eq!(run["tool"]["driver"]["informationUri"], u),
            None => assert!(run["tool"]["driver"].get("informationUri").is_none()),
        }
    }
}
