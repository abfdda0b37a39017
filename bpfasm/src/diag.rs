//! Diagnostics: values with spans, rendered by codespan-reporting or as JSON lines.

use crate::expr::Span;
use codespan_reporting::diagnostic::{Diagnostic, Label, Severity};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term;
use std::cell::OnceCell;
use std::rc::Rc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
}

#[derive(Clone, Debug)]
pub struct Diag {
    pub level: Level,
    /// Stable code, e.g. `unknown-instruction`.
    pub code: &'static str,
    pub message: String,
    pub span: Option<Span>,
    pub label: String,
    pub secondary: Vec<(Span, String)>,
    pub notes: Vec<String>,
}

impl Diag {
    pub fn error(code: &'static str, span: Span, message: impl Into<String>) -> Diag {
        Diag {
            level: Level::Error,
            code,
            message: message.into(),
            span: Some(span),
            label: String::new(),
            secondary: Vec::new(),
            notes: Vec::new(),
        }
    }

    pub fn warning(code: &'static str, span: Span, message: impl Into<String>) -> Diag {
        Diag { level: Level::Warning, ..Diag::error(code, span, message) }
    }

    /// An error not tied to a source location.
    pub fn global(code: &'static str, message: impl Into<String>) -> Diag {
        Diag { span: None, ..Diag::error(code, Span::default(), message) }
    }

    pub fn label(mut self, l: impl Into<String>) -> Diag {
        self.label = l.into();
        self
    }

    pub fn with_secondary(mut self, span: Span, l: impl Into<String>) -> Diag {
        self.secondary.push((span, l.into()));
        self
    }

    pub fn help(mut self, n: impl Into<String>) -> Diag {
        self.notes.push(format!("help: {}", n.into()));
        self
    }

    pub fn note(mut self, n: impl Into<String>) -> Diag {
        self.notes.push(format!("note: {}", n.into()));
        self
    }
}

/// Source text shared between the file table and the lexer without copying it.
#[derive(Clone, Debug)]
pub struct Source(pub Rc<String>);

impl AsRef<str> for Source {
    fn as_ref(&self) -> &str {
        self.0.as_str()
    }
}

/// One source file: its name, its text, and where its lines start, computed on first use (only
/// a diagnostic or `-g` asks for a line: an assembly that succeeds without `-g` never does).
struct SourceFile {
    name: String,
    source: Source,
    line_starts: OnceCell<Vec<u32>>,
}

impl SourceFile {
    fn line_starts(&self) -> &[u32] {
        self.line_starts.get_or_init(|| {
            let src = self.source.as_ref();
            std::iter::once(0)
                .chain(src.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i as u32 + 1))
                .collect()
        })
    }

    fn line_start(&self, line: usize) -> Result<usize, FilesError> {
        let starts = self.line_starts();
        match line.cmp(&starts.len()) {
            std::cmp::Ordering::Less => Ok(starts[line] as usize),
            std::cmp::Ordering::Equal => Ok(self.source.as_ref().len()),
            std::cmp::Ordering::Greater => Err(FilesError::LineTooLarge { given: line, max: starts.len() - 1 }),
        }
    }
}

/// The files of one assembly (inputs, `.include`d files, macro expansions), by id.
#[derive(Default)]
pub struct SourceFiles {
    files: Vec<SourceFile>,
}

impl SourceFiles {
    pub fn new() -> Self {
        SourceFiles::default()
    }

    /// Add a file; returns its id.
    pub fn add(&mut self, name: String, source: Source) -> usize {
        self.files.push(SourceFile { name, source, line_starts: OnceCell::new() });
        self.files.len() - 1
    }

    fn get(&self, id: usize) -> Result<&SourceFile, FilesError> {
        self.files.get(id).ok_or(FilesError::FileMissing)
    }
}

impl<'a> Files<'a> for SourceFiles {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, FilesError> {
        Ok(self.get(id)?.name.as_str())
    }

    fn source(&'a self, id: usize) -> Result<&'a str, FilesError> {
        Ok(self.get(id)?.source.as_ref())
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, FilesError> {
        let starts = self.get(id)?.line_starts();
        Ok(match starts.binary_search(&(byte_index.min(u32::MAX as usize) as u32)) {
            Ok(line) => line,
            Err(next) => next - 1,
        })
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<std::ops::Range<usize>, FilesError> {
        let f = self.get(id)?;
        Ok(f.line_start(line_index)?..f.line_start(line_index + 1)?)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageFormat {
    Human,
    Short,
    Json,
}

fn line_col(files: &SourceFiles, span: Span) -> (String, usize, usize, usize, usize) {
    let name = files.name(span.file as usize).map(|n| n.to_string()).unwrap_or_default();
    let loc = files.location(span.file as usize, span.start as usize).ok();
    let end = files.location(span.file as usize, span.end as usize).ok();
    let (l, c) = loc.map_or((0, 0), |l| (l.line_number, l.column_number));
    let (el, ec) = end.map_or((l, c), |l| (l.line_number, l.column_number));
    (name, l, c, el, ec)
}

/// Lines longer than this are not shown as snippets.
const MAX_SNIPPET_LINE: usize = 1000;

/// Length in bytes of the line where `span` starts.
fn line_len(files: &SourceFiles, span: Span) -> usize {
    let f = span.file as usize;
    files.line_index(f, span.start as usize).and_then(|l| files.line_range(f, l)).map_or(0, |r| r.len())
}

/// The toolchain's one diagnostic (`bpfobj::diagnostic`, the JSON shape of
/// `docs/diagnostics.md`): the span is the primary label, with line, column and bytes.
pub fn to_shared(files: &SourceFiles, d: &Diag) -> bpfobj::diagnostic::Diagnostic {
    use bpfobj::diagnostic::{Diagnostic as D, Label as L, Severity as S};
    let sev = match d.level {
        Level::Error => S::Error,
        Level::Warning => S::Warning,
    };
    let place = |span: Span, primary: bool, msg: &str| {
        let (name, l, c, el, ec) = line_col(files, span);
        let label = if primary { L::primary(name, msg) } else { L::secondary(name, msg) };
        label.at(l as u32, c as u32).to(el as u32, ec as u32).bytes(span.start, span.end)
    };
    let mut out = D::new("bpfasm", sev, d.code, d.message.clone());
    if let Some(span) = d.span {
        out = out.label(place(span, true, &d.label));
    }
    for (span, msg) in &d.secondary {
        out = out.label(place(*span, false, msg));
    }
    for n in &d.notes {
        match n.strip_prefix("help: ") {
            Some(h) => out = out.help(h),
            None => out = out.note(n.strip_prefix("note: ").unwrap_or(n)),
        }
    }
    out
}

/// Render diagnostics to stderr in the chosen format. `color`: the caller's decision
/// (`bpfcli::color`); only the human format is ever coloured.
pub fn emit(files: &SourceFiles, diags: &[Diag], fmt: MessageFormat, color: bool) {
    use std::io::Write;
    let stderr = std::io::stderr();
    match fmt {
        MessageFormat::Json => {
            let mut out = stderr.lock();
            for d in diags {
                let _ = out.write_all(to_shared(files, d).to_json_line().as_bytes());
            }
        }
        MessageFormat::Short => {
            let mut out = stderr.lock();
            for d in diags {
                let sev = match d.level {
                    Level::Error => "error",
                    Level::Warning => "warning",
                };
                match d.span {
                    Some(span) => {
                        let (name, l, c, _, _) = line_col(files, span);
                        let _ = writeln!(out, "{name}:{l}:{c}: {sev}[{}]: {}", d.code, d.message);
                    }
                    None => {
                        let _ = writeln!(out, "{sev}[{}]: {}", d.code, d.message);
                    }
                }
            }
        }
        MessageFormat::Human => {
            let choice = if color { term::termcolor::ColorChoice::Always } else { term::termcolor::ColorChoice::Never };
            let writer = term::termcolor::StandardStream::stderr(choice);
            let config = term::Config::default();
            for d in diags {
                let mut cd = match d.level {
                    Level::Error => Diagnostic::new(Severity::Error),
                    Level::Warning => Diagnostic::new(Severity::Warning),
                }
                .with_code(d.code)
                .with_message(&d.message);
                let mut labels = Vec::new();
                let mut notes = Vec::new();
                // A snippet of a very long line costs time in proportion to the line for every
                // diagnostic (and says little): give the location as a note instead.
                if let Some(span) = d.span.filter(|s| line_len(files, *s) > MAX_SNIPPET_LINE) {
                    let (name, l, c, _, _) = line_col(files, span);
                    notes.push(format!("at {name}:{l}:{c} (a line of more than {MAX_SNIPPET_LINE} bytes)"));
                } else if let Some(span) = d.span {
                    labels.push(
                        Label::primary(span.file as usize, span.start as usize..span.end as usize)
                            .with_message(&d.label),
                    );
                }
                for (s, l) in &d.secondary {
                    labels.push(Label::secondary(s.file as usize, s.start as usize..s.end as usize).with_message(l));
                }
                if !notes.is_empty() {
                    labels.clear();
                }
                notes.extend(d.notes.iter().cloned());
                cd = cd.with_labels(labels).with_notes(notes);
                let _ = term::emit_to_write_style(&mut writer.lock(), &config, files, &cd);
            }
        }
    }
}

pub use bpfobj::suggest::{closest, edit_distance};
