//! Tracepoint event formats from tracefs (`events/<category>/<name>/format`), for checking
//! `tracepoint/...` programs' context accesses against the fields of a kernel's events.
//!
//! A format file lists each field's C declaration, byte offset, size and signedness. The record
//! a tracepoint program receives starts with the common fields (`common_type`, ...); its size is
//! the end of the last field. Syscall events (`syscalls/sys_enter_*`, `sys_exit_*`) are the only
//! ones whose layout is a stable ABI.

use std::path::{Path, PathBuf};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceField {
    /// The C declaration as written in the format file, e.g. `char prev_comm[16]`.
    pub decl: String,
    /// The field name (without array brackets), e.g. `prev_comm`.
    pub name: String,
    pub offset: u32,
    pub size: u32,
    pub signed: bool,
    /// One of the `common_*` fields every record starts with.
    pub common: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceEvent {
    pub category: String,
    pub name: String,
    pub id: u32,
    pub fields: Vec<TraceField>,
}

impl TraceEvent {
    /// Size of the record in bytes (end of the last field).
    pub fn record_size(&self) -> u32 {
        self.fields.iter().map(|f| f.offset + f.size).max().unwrap_or(0)
    }

    /// The field containing byte `offset`.
    pub fn field_at(&self, offset: u32) -> Option<&TraceField> {
        self.fields.iter().find(|f| f.offset <= offset && offset < f.offset + f.size)
    }

    /// The field starting closest to `offset` (for "did you mean").
    pub fn nearest_field(&self, offset: u32) -> Option<&TraceField> {
        self.fields.iter().min_by_key(|f| (f.offset as i64 - offset as i64).unsigned_abs())
    }

    /// Whether this event's layout is a stable ABI (the syscall events).
    pub fn is_abi(&self) -> bool {
        self.category == "syscalls"
    }
}

/// Why a format could not be read.
#[derive(Debug)]
pub enum FormatError {
    Io(PathBuf, std::io::Error),
    Parse { line: usize, msg: String },
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormatError::Io(p, e) => write!(f, "{}: {e}", p.display()),
            FormatError::Parse { line, msg } => write!(f, "line {line}: {msg}"),
        }
    }
}

impl std::error::Error for FormatError {}

/// Parse the text of a format file.
pub fn parse_format(category: &str, text: &str) -> Result<TraceEvent, FormatError> {
    let mut name = String::new();
    let mut id = 0;
    let mut fields = Vec::new();
    let mut common = true;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if let Some(n) = t.strip_prefix("name:") {
            name = n.trim().to_string();
        } else if let Some(v) = t.strip_prefix("ID:") {
            id = v.trim().parse().map_err(|_| FormatError::Parse { line: i + 1, msg: "bad ID".into() })?;
        } else if t.is_empty() && !fields.is_empty() {
            common = false;
        } else if let Some(rest) = t.strip_prefix("field:") {
            let mut decl = None;
            let mut offset = None;
            let mut size = None;
            let mut signed = false;
            for (k, part) in rest.split(';').enumerate() {
                let part = part.trim();
                if k == 0 {
                    decl = Some(part.to_string());
                } else if let Some(v) = part.strip_prefix("offset:") {
                    offset = v.parse().ok();
                } else if let Some(v) = part.strip_prefix("size:") {
                    size = v.parse().ok();
                } else if let Some(v) = part.strip_prefix("signed:") {
                    signed = v == "1";
                }
            }
            let (Some(decl), Some(offset), Some(size)) = (decl, offset, size) else {
                return Err(FormatError::Parse { line: i + 1, msg: format!("bad field line: {t}") });
            };
            let fname = field_name(&decl);
            let is_common = common && fname.starts_with("common_");
            fields.push(TraceField { decl, name: fname, offset, size, signed, common: is_common });
        }
    }
    if name.is_empty() {
        return Err(FormatError::Parse { line: 1, msg: "no `name:` line".into() });
    }
    Ok(TraceEvent { category: category.to_string(), name, id, fields })
}

/// The name in a C declaration: `char prev_comm[16]` -> `prev_comm`, `__data_loc char[] name` -> `name`.
fn field_name(decl: &str) -> String {
    // Drop array brackets (`[16]`, `[]`), then take the last identifier.
    let mut d = String::with_capacity(decl.len());
    let mut depth = 0;
    for c in decl.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => d.push(c),
            _ => {}
        }
    }
    d.rsplit(|c: char| c.is_whitespace() || c == '*').find(|w| !w.is_empty()).unwrap_or("").to_string()
}

/// The tracefs mount point: `/sys/kernel/tracing`, else `/sys/kernel/debug/tracing`.
pub fn default_root() -> Option<PathBuf> {
    ["/sys/kernel/tracing", "/sys/kernel/debug/tracing"].iter().map(PathBuf::from).find(|p| p.join("events").is_dir())
}

/// Read `events/<category>/<name>/format` under `root` (a tracefs mount, or a directory of
/// saved format files with the same layout).
pub fn read_event(root: &Path, category: &str, name: &str) -> Result<TraceEvent, FormatError> {
    let p = root.join("events").join(category).join(name).join("format");
    let text = std::fs::read_to_string(&p).map_err(|e| FormatError::Io(p.clone(), e))?;
    parse_format(category, &text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "name: sample_event
ID: 42
format:
\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;

\tfield:char comm[16];\toffset:8;\tsize:16;\tsigned:0;
\tfield:pid_t pid;\toffset:24;\tsize:4;\tsigned:1;
\tfield:__data_loc char[] name;\toffset:28;\tsize:4;\tsigned:0;
\tfield:const char * filename;\toffset:32;\tsize:8;\tsigned:0;

print fmt: \"pid=%d\", REC->pid
";

    #[test]
    fn parses_fields() {
        let e = parse_format("sched", SAMPLE).unwrap();
        assert_eq!(e.name, "sample_event");
        assert_eq!(e.id, 42);
        let names: Vec<&str> = e.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["common_type", "common_pid", "comm", "pid", "name", "filename"]);
        assert!(e.fields[0].common && !e.fields[2].common);
        assert_eq!(e.record_size(), 40);
        assert_eq!(e.field_at(26).unwrap().name, "pid");
        assert_eq!(e.nearest_field(23).unwrap().name, "pid");
        assert!(!e.is_abi());
        assert!(e.fields[3].signed);
    }

    #[test]
    fn running_kernel_formats_parse() {
        let Some(root) = default_root() else {
            eprintln!("skipped: tracefs is not mounted");
            return;
        };
        let e = read_event(&root, "sched", "sched_switch").unwrap();
        assert!(e.fields.iter().any(|f| f.name == "next_pid"));
        let s = read_event(&root, "syscalls", "sys_enter_openat");
        if let Ok(s) = s {
            assert!(s.is_abi());
        }
    }
}
