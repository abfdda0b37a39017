//! Code actions on C lines: the help of a finding where it is a concrete edit. Today: a NULL
//! check after the `bpf_map_lookup_elem` (or other `*_lookup_*` helper) whose result the
//! kernel would see dereferenced while it may still be NULL.

use super::{lint::Finding, Shared};
use lsp_types::*;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The variable assigned from a lookup on `line` (`v = bpf_map_lookup_elem(...)`), if any.
fn lookup_var(line: &str) -> Option<String> {
    let (lhs, rhs) = line.split_once('=')?;
    if !rhs.trim_start().starts_with("bpf_map_lookup_elem") && !rhs.contains("_lookup_elem(") {
        return None;
    }
    let var = lhs.trim().rsplit(|c: char| !(c.is_alphanumeric() || c == '_')).next()?;
    (!var.is_empty()).then(|| var.to_string())
}

/// The edit that adds `if (!v) return 0;` after the lookup feeding the finding's line.
pub fn null_check(text: &str, f: &Finding) -> Option<(String, TextEdit)> {
    if !f.maybe_null || f.line == 0 {
        return None;
    }
    let lines: Vec<&str> = text.lines().collect();
    let at = (f.line as usize).checked_sub(1)?;
    let used = lines.get(at)?;
    for i in (0..at.min(lines.len())).rev() {
        let Some(var) = lookup_var(lines[i]) else { continue };
        if !used.contains(&var) {
            continue;
        }
        // after the statement's end (the line with its `;`)
        let end = (i..at).find(|&j| lines[j].trim_end().ends_with(';'))?;
        let indent: String = lines[i].chars().take_while(|c| c.is_whitespace()).collect();
        let pos = Position { line: end as u32 + 1, character: 0 };
        let edit = TextEdit {
            range: Range { start: pos, end: pos },
            new_text: format!("{indent}if (!{var})\n{indent}\treturn 0;\n"),
        };
        return Some((format!("bpflint: return early when `{var}` is NULL"), edit));
    }
    None
}

/// Code actions for the C lines in `range`.
pub fn actions(shared: &Arc<Mutex<Shared>>, uri: &Url, range: Range) -> Vec<CodeActionOrCommand> {
    let s = shared.lock().unwrap();
    let Some(k) = s.known.get(uri) else { return Vec::new() };
    let mut out = Vec::new();
    for f in &k.report.findings {
        let l = f.line.saturating_sub(1);
        if f.line == 0 || l < range.start.line || l > range.end.line {
            continue;
        }
        let Some((title, edit)) = null_check(&k.text, f) else { continue };
        out.push(CodeActionOrCommand::CodeAction(CodeAction {
            title,
            kind: Some(CodeActionKind::QUICKFIX),
            edit: Some(WorkspaceEdit {
                changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                ..Default::default()
            }),
            is_preferred: Some(true),
            ..Default::default()
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_check_after_lookup() {
        let text = "int f(void)\n{\n\tstruct v *v = bpf_map_lookup_elem(&m,\n\t\t&k);\n\treturn v->x;\n}\n";
        let f = Finding {
            line: 5,
            col: 2,
            error: true,
            code: "x".into(),
            message: String::new(),
            related: None,
            maybe_null: true,
        };
        let (title, e) = null_check(text, &f).unwrap();
        assert!(title.contains("`v`"), "{title}");
        assert_eq!(e.range.start.line, 4);
        assert_eq!(e.new_text, "\tif (!v)\n\t\treturn 0;\n");
        assert!(null_check(text, &Finding { maybe_null: false, ..f }).is_none());
    }
}
