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

/// The codes: the enum, [`Code::ALL`] and [`Code::as_str`] come from this one list, so a
/// code cannot miss its string or its place in `ALL`.
macro_rules! codes {
    ($($(#[$doc:meta])* $v:ident => $s:literal,)*) => {
        /// Kind of diagnostic: one stable kebab-case code each ([`Code::as_str`]), shown as
        /// `error[code]` and as `code` in JSON (`docs/diagnostics.md`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Code {
            $($(#[$doc])* $v,)*
        }

        impl Code {
            /// Every code, for documentation and tests.
            pub const ALL: &'static [Code] = &[$(Code::$v,)*];

            /// The stable code.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$v => $s,)*
                }
            }
        }
    };
}

codes! {
    /// A token or statement shape that is not valid assembly.
    Syntax => "syntax",
    /// An escape sequence in a string that is not valid.
    BadEscape => "bad-escape",
    /// A word that is neither an instruction nor a directive.
    UnknownInstruction => "unknown-instruction",
    /// A register name outside r0-r10 / w0-w10.
    UnknownRegister => "unknown-register",
    /// An operand the instruction does not take here.
    InvalidOperand => "invalid-operand",
    /// An instruction the selected `-mcpu` does not have.
    Isa => "isa",
    /// A directive the assembler does not know.
    UnknownDirective => "unknown-directive",
    /// A closing or continuing directive without its opening one (`.endif`, `.popsection`, `.endcdecl` ...).
    StrayDirective => "stray-directive",
    /// A directive given operands of the wrong number or kind.
    DirectiveOperand => "directive-operand",
    /// An unknown keyword option of `.file` or `.loc`.
    UnknownOption => "unknown-option",
    /// An alignment that is not a power of two, negative, or too large.
    BadAlignment => "bad-alignment",
    /// A `.section` flag letter the assembler does not know.
    UnknownSectionFlag => "unknown-section-flag",
    /// A `.section` type other than @progbits, @nobits or @note.
    UnknownSectionType => "unknown-section-type",
    /// A mergeable section without a type and an entry size.
    SectionEntrySize => "section-entry-size",
    /// A section declared again with other flags or type.
    SectionChanged => "section-changed",
    /// A section that would grow past the size limit.
    SectionTooLarge => "section-too-large",
    /// A program section name libbpf does not know (warning).
    SectionName => "section-name",
    /// A `.type` other than @function, @object or @notype.
    UnknownSymbolType => "unknown-symbol-type",
    /// A `.loc` naming a file number no `.file` assigned.
    UnknownFileNumber => "unknown-file-number",
    /// A `.file` number already given to another file.
    FileNumberReused => "file-number-reused",
    /// An expression that does not parse or cannot be evaluated.
    BadExpression => "bad-expression",
    /// An expression that must be a constant but is not.
    NotAbsolute => "not-absolute",
    /// A symbol defined in terms of itself.
    CircularSymbol => "circular-symbol",
    /// A value that does not fit its field.
    OutOfRange => "out-of-range",
    /// A jump whose offset does not fit the instruction.
    JumpOutOfRange => "jump-out-of-range",
    /// A jump or call target that is not at an instruction boundary.
    MisalignedTarget => "misaligned-target",
    /// A jump to a label in another section.
    BadJump => "bad-jump",
    /// A symbol address in a place BPF has no relocation for.
    UnsupportedRelocation => "unsupported-relocation",
    /// A symbol defined twice.
    DuplicateSymbol => "duplicate-symbol",
    /// A reference to a label that is never defined.
    UndefinedSymbol => "undefined-symbol",
    /// An `.include` file not found in the search path.
    IncludeNotFound => "include-not-found",
    /// An `.include` file that cannot be read.
    IncludeRead => "include-read",
    /// `.include`s nested too deeply (usually a recursive include).
    IncludeTooDeep => "include-too-deep",
    /// A conditional without `.endif`.
    UnterminatedIf => "unterminated-if",
    /// A `.macro`, `.rept`, `.irp` or `.irpc` body without its end.
    UnterminatedMacro => "unterminated-macro",
    /// `.purgem` of a macro that is not defined.
    UnknownMacro => "unknown-macro",
    /// A macro defined twice.
    DuplicateMacro => "duplicate-macro",
    /// A macro parameter list that does not parse.
    MacroParameter => "macro-parameter",
    /// A default value for a required macro parameter (warning).
    PointlessDefault => "pointless-default",
    /// Macro arguments that do not match the parameters.
    MacroArgument => "macro-argument",
    /// Macro expansion past the nesting or size limit.
    MacroLimit => "macro-limit",
    /// `.error` in the source.
    UserError => "user-error",
    /// `.warning` in the source.
    UserWarning => "user-warning",
    /// A C declaration that does not parse or does not make sense.
    Cdecl => "cdecl",
    /// A `.cdecl` block without `.endcdecl`.
    UnterminatedCdecl => "unterminated-cdecl",
    /// A C name declared twice.
    DuplicateDeclaration => "duplicate-declaration",
    /// An `extern` C declaration of a symbol the assembly defines.
    ExternDefined => "extern-defined",
    /// A non-zero initializer for a variable in a zero-only section.
    NonzeroBss => "nonzero-bss",
    /// A BTF map definition libbpf would not accept.
    BadMapDefinition => "bad-map-definition",
    /// A `.btf` file that cannot be read or parsed.
    BaseBtf => "base-btf",
    /// A CO-RE relocation where none can go (data, or a second one on one instruction).
    Core => "core",
    /// Generated BTF that does not validate (a bug in the assembler).
    InvalidBtf => "invalid-btf",
    /// Code outside any function: no BTF func_info for it (warning).
    NoFuncInfo => "no-func-info",
    /// A CFI directive outside a frame, or a frame started inside another.
    CfiFrame => "cfi-frame",
    /// A `.cfi_startproc` without `.cfi_endproc`.
    UnterminatedFrame => "unterminated-frame",
    /// CFI without `.cfi_sections .debug_frame`: not emitted (warning).
    CfiNotEmitted => "cfi-not-emitted",
    /// DWARF line or frame tables that cannot be written.
    Dwarf => "dwarf",
    /// The error limit was reached; assembly stops.
    TooManyErrors => "too-many-errors",
    /// An error already reported: never shown, never counted.
    Silent => "silent",
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Debug)]
pub struct Diag {
    pub level: Level,
    pub code: Code,
    pub message: String,
    pub span: Option<Span>,
    pub label: String,
    pub secondary: Vec<(Span, String)>,
    pub notes: Vec<String>,
}

impl Diag {
    pub fn error(code: Code, span: Span, message: impl Into<String>) -> Diag {
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

    pub fn warning(code: Code, span: Span, message: impl Into<String>) -> Diag {
        Diag { level: Level::Warning, ..Diag::error(code, span, message) }
    }

    /// An error not tied to a source location.
    pub fn global(code: Code, message: impl Into<String>) -> Diag {
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

/// Source text shared between the file table and the lexer without copying it: text in the
/// heap, or a file mapped read-only (the command line's input).
#[derive(Clone, Debug)]
pub struct Source(SourceText);

#[derive(Clone, Debug)]
enum SourceText {
    Owned(Rc<String>),
    Mapped(bpfsys::MappedText),
}

impl Source {
    pub fn owned(text: String) -> Source {
        Source(SourceText::Owned(Rc::new(text)))
    }

    pub fn mapped(text: bpfsys::MappedText) -> Source {
        Source(SourceText::Mapped(text))
    }

    pub fn is_mapped(&self) -> bool {
        matches!(self.0, SourceText::Mapped(_))
    }

    /// Let the kernel drop the memory of the text before byte `end` (a mapped file: the text
    /// is read again from the page cache if a diagnostic or a macro needs it). Owned text
    /// stays.
    pub fn release_before(&self, end: usize) {
        if let SourceText::Mapped(m) = &self.0 {
            m.release_before(end);
        }
    }
}

impl AsRef<str> for Source {
    fn as_ref(&self) -> &str {
        match &self.0 {
            SourceText::Owned(s) => s.as_str(),
            SourceText::Mapped(m) => m.as_str(),
        }
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
    let mut out = D::new("bpfasm", sev, d.code.as_str(), d.message.clone());
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
                .with_code(d.code.as_str())
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

#[cfg(test)]
mod tests {
    use super::Code;
    use std::collections::BTreeSet;

    #[test]
    fn codes_are_distinct_kebab_case() {
        let mut seen = BTreeSet::new();
        for c in Code::ALL {
            let s = c.as_str();
            assert!(seen.insert(s), "{s} used twice");
            assert!(!s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'), "{s}");
            assert!(!s.starts_with('-') && !s.ends_with('-') && !s.contains("--"), "{s}");
        }
    }

    /// docs/diagnostics.md lists every code a user can see, and no other.
    #[test]
    fn docs_list_every_code() {
        let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/diagnostics.md")).unwrap();
        let table = doc.split("## bpfasm's codes").nth(1).expect("a section listing bpfasm's codes");
        let listed: BTreeSet<&str> = table.lines().filter_map(|l| l.strip_prefix("| `")?.split('`').next()).collect();
        let shown: BTreeSet<&str> = Code::ALL.iter().filter(|&&c| c != Code::Silent).map(|c| c.as_str()).collect();
        assert_eq!(listed, shown);
    }
}
