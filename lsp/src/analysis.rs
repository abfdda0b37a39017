//! One analysis of a document: the assembler's diagnostics, symbols and instructions, with
//! byte offsets mapped to LSP positions (UTF-16 columns).

use bpfasm::asm::SymDef;
use bpfasm::diag::Diag;
use bpfasm::{Assembler, Options};
use lsp_types::{Position, Range};
use std::path::{Path, PathBuf};

/// Maps byte offsets of a text to LSP positions and back.
pub struct LineIndex {
    starts: Vec<usize>,
    text: String,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts, text: text.to_string() }
    }

    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let col: usize = self.text.get(start..offset).map_or(0, |s| s.encode_utf16().count());
        Position { line: line as u32, character: col as u32 }
    }

    pub fn range(&self, start: usize, end: usize) -> Range {
        Range { start: self.position(start), end: self.position(end) }
    }

    pub fn offset(&self, p: Position) -> usize {
        let Some(&start) = self.starts.get(p.line as usize) else { return self.text.len() };
        let end = self.starts.get(p.line as usize + 1).copied().unwrap_or(self.text.len());
        let line = &self.text[start..end];
        let mut units = 0u32;
        for (i, c) in line.char_indices() {
            if units >= p.character {
                return start + i;
            }
            units += c.len_utf16() as u32;
        }
        end
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DefKind {
    Function,
    Object,
    Label,
    Constant,
    Section,
    /// A C type declared in a `.cdecl` block (struct/union/enum tag or typedef).
    Type,
    /// An assembler macro (`.macro`).
    Macro,
}

#[derive(Clone, Debug)]
pub struct Def {
    pub name: String,
    pub kind: DefKind,
    /// Byte range in this document, or `None` when defined elsewhere (an included file).
    pub span: Option<(usize, usize)>,
    /// Defined in another file: its path and byte range.
    pub elsewhere: Option<(PathBuf, usize, usize)>,
    pub global: bool,
    pub detail: String,
}

pub struct Stmt {
    pub start: usize,
    pub end: usize,
    pub insn: bpf_isa::Insn,
    pub section: String,
    pub offset: u64,
}

pub struct Analysis {
    pub index: LineIndex,
    pub diags: Vec<Diag>,
    pub defs: Vec<Def>,
    /// (def index, start, end) of every reference in this document.
    pub refs: Vec<(usize, usize, usize)>,
    pub stmts: Vec<Stmt>,
    /// Declared C types (for completion).
    pub types: Vec<String>,
    /// What the offline verifier says about each rejected program.
    pub lints: Vec<LintFinding>,
    /// Every macro use in this document: its name's byte range and the text it expands to.
    pub expansions: Vec<(usize, usize, String)>,
    /// Per 1-based line of this document: the registers before its first instruction as the
    /// offline verifier first reached it, and how many paths reached it.
    pub states: std::collections::HashMap<u32, (String, u32)>,
}

/// A program the offline verifier (bpflint) rejects, located by line_info.
#[derive(Clone, Debug)]
pub struct LintFinding {
    /// 1-based source line, when line_info names one.
    pub line: Option<u32>,
    pub code: &'static str,
    pub message: String,
    pub regs: String,
}

/// What bpflint says about an assembled object: findings of rejected programs, and the
/// register state before each instruction of `file` (by line).
type States = std::collections::HashMap<u32, (String, u32)>;

/// Run bpflint on an assembled object whose main source file is `file`.
fn lint(obj: &[u8], file: &str) -> (Vec<LintFinding>, States) {
    let opts = bpflint::object::LoadOptions::default();
    let Ok(progs) = bpflint::object::load(obj, &opts) else { return Default::default() };
    let mut out = Vec::new();
    let mut states = States::new();
    for p in &progs {
        let (v, insn_states) = bpflint::verifier::verify_with_states(p);
        for st in insn_states {
            // the line_info record starting exactly at this instruction, in this file
            if let Some(l) = p.lines.iter().find(|l| l.0 == st.insn && l.1 == file) {
                states.entry(l.2).or_insert((st.regs, st.visits));
            }
        }
        let Some(d) = v.error else { continue };
        let line = p.lines.iter().rev().find(|l| l.0 <= d.insn).map(|l| l.2);
        let (what, hint) = d.code.explain();
        out.push(LintFinding {
            line,
            code: d.code.id(),
            message: format!(
                "program `{}` would be rejected by the verifier: {}\nkernel: {}\nhelp: {hint}",
                p.name, what, d.kernel
            ),
            regs: d.regs.clone(),
        });
    }
    (out, states)
}

fn display_name(n: &str) -> String {
    match n.split_once('\u{2}') {
        Some((head, _)) => head.trim_start_matches(".L").to_string(),
        None => n.to_string(),
    }
}

/// Assemble `text` (the document at `path`) and collect what the editor features need.
pub fn analyze(path: &Path, text: &str) -> Analysis {
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    // `debug`: line_info in the object, so the verifier's findings map back to `.s` lines.
    let mut asm = Assembler::new(Options { ide: true, debug: true, include_dirs: vec![dir], ..Options::default() });
    asm.assemble_file(&path.display().to_string(), text.to_string());
    let obj = asm.finish();
    // A long-running server must survive a bug in the analysis: a panic there costs only the
    // lint findings of this refresh.
    let file = path.display().to_string();
    let (lints, states) = obj
        .map(|o| std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| lint(&o, &file))).unwrap_or_default())
        .unwrap_or_default();
    let index = LineIndex::new(text);
    let file_name = |asm: &Assembler, f: u32| {
        codespan_reporting::files::Files::name(&asm.files, f as usize).map(|n| n.to_string()).unwrap_or_default()
    };
    let mut defs = Vec::new();
    let mut def_of_sym = vec![usize::MAX; asm.syms.len()];
    for (i, s) in asm.syms.iter().enumerate() {
        if s.name.starts_with(".Ltmp\u{1}") {
            continue;
        }
        let Some(span) = s.def_span else { continue };
        // A symbol defined by a macro use: where its name is written in the macro body.
        let span = asm.origin(span).0;
        let kind = match &s.def {
            SymDef::Label { .. } if s.typ == bpfobj::elf::STT_FUNC => DefKind::Function,
            SymDef::Label { .. } if s.typ == bpfobj::elf::STT_OBJECT => DefKind::Object,
            SymDef::Label { sec, .. } if !asm.secs[*sec as usize].is_code() => DefKind::Object,
            SymDef::Label { .. } => DefKind::Label,
            SymDef::Equ(_) => DefKind::Constant,
            _ => DefKind::Object,
        };
        let detail = match (&s.def, asm.decls.get(&s.name)) {
            (_, Some(d)) => {
                let span = d.span;
                asm.source_text_pub(span.file, span.start, span.end)
            }
            (SymDef::Label { sec, .. }, None) => format!("label in section `{}`", asm.secs[*sec as usize].name),
            (SymDef::Equ(e), None) => {
                let t = asm.source_text_pub(e.span.file, e.span.start, e.span.end);
                format!(".set {} = {t}", display_name(&s.name))
            }
            _ => String::new(),
        };
        let (span_here, elsewhere) = if span.file == 0 {
            (Some((span.start as usize, span.end as usize)), None)
        } else {
            (None, Some((PathBuf::from(file_name(&asm, span.file)), span.start as usize, span.end as usize)))
        };
        def_of_sym[i] = defs.len();
        defs.push(Def { name: display_name(&s.name), kind, span: span_here, elsewhere, global: s.is_global(), detail });
    }
    for s in &asm.secs {
        if s.decl.file == 0 && s.decl.end > 0 {
            defs.push(Def {
                name: s.name.clone(),
                kind: DefKind::Section,
                span: Some((s.decl.start as usize, s.decl.end as usize)),
                elsewhere: None,
                global: false,
                detail: format!("section `{}`", s.name),
            });
        }
    }
    let mut refs: Vec<(usize, usize, usize)> = asm
        .ide
        .refs()
        .iter()
        .map(|&(id, sp)| (id, asm.origin(sp).0))
        .filter(|(_, sp)| sp.file == 0)
        .filter_map(|(id, sp)| {
            let d = def_of_sym[id as usize];
            (d != usize::MAX).then_some((d, sp.start as usize, sp.end as usize))
        })
        .collect();
    refs.sort_unstable();
    refs.dedup();
    // Macros: definitions, uses (also uses inside other macros' bodies), and what each use in
    // this document expands to.
    let mut def_of_macro = std::collections::HashMap::new();
    for (name, m) in &asm.mac.macros {
        let span = asm.origin(m.def_span).0;
        let (span_here, elsewhere) = if span.file == 0 {
            (Some((span.start as usize, span.end as usize)), None)
        } else {
            (None, Some((PathBuf::from(file_name(&asm, span.file)), span.start as usize, span.end as usize)))
        };
        let params: Vec<String> = m
            .params
            .iter()
            .map(|p| {
                let q = if p.required {
                    ":req"
                } else if p.vararg {
                    ":vararg"
                } else {
                    ""
                };
                match &p.default {
                    Some(d) => format!("{}{q}={d}", p.name),
                    None => format!("{}{q}", p.name),
                }
            })
            .collect();
        def_of_macro.insert(name.clone(), defs.len());
        defs.push(Def {
            name: name.to_string(),
            kind: DefKind::Macro,
            span: span_here,
            elsewhere,
            global: false,
            detail: format!(".macro {name} {}", params.join(", ")).trim_end().to_string(),
        });
    }
    let mut expansions = Vec::new();
    for (use_span, name, idx) in &asm.mac.uses {
        if use_span.file == 0 {
            if let Some(e) = asm.mac.expansions.get(*idx) {
                expansions.push((use_span.start as usize, use_span.end as usize, e.text.as_ref().to_string()));
            }
        }
        let sp = asm.origin(*use_span).0;
        if let (0, Some(&d)) = (sp.file, def_of_macro.get(name)) {
            refs.push((d, sp.start as usize, sp.end as usize));
        }
    }
    // C types of the document's `.cdecl` blocks.
    let (ctypes, cuses) = crate::ctypes::index(text);
    let first = defs.len();
    for t in ctypes {
        defs.push(Def {
            name: t.name,
            kind: DefKind::Type,
            span: Some((t.start, t.end)),
            elsewhere: None,
            global: false,
            detail: t.detail,
        });
    }
    refs.extend(cuses.into_iter().map(|(d, s, e)| (first + d, s, e)));
    let stmts = asm
        .ide
        .stmts()
        .iter()
        .filter(|s| s.span.file == 0)
        .map(|s| Stmt {
            start: s.span.start as usize,
            end: s.span.end as usize,
            insn: s.insn,
            section: asm.secs[s.sec as usize].name.clone(),
            offset: asm.secs[s.sec as usize].frags[s.frag as usize].start + s.offset as u64,
        })
        .collect();
    let types = asm.declared_type_names();
    let diags = asm.diags.clone();
    Analysis { index, diags, defs, refs, stmts, types, lints, expansions, states }
}

impl Analysis {
    /// The definition whose name is at `offset` (a reference or the definition itself).
    pub fn def_at(&self, offset: usize) -> Option<usize> {
        self.refs
            .iter()
            .find(|&&(_, s, e)| s <= offset && offset <= e)
            .map(|&(d, _, _)| d)
            .or_else(|| self.defs.iter().position(|d| d.span.is_some_and(|(s, e)| s <= offset && offset <= e)))
    }

    /// The text the macro use at `offset` expands to.
    pub fn expansion_at(&self, offset: usize) -> Option<&str> {
        self.expansions.iter().find(|&&(s, e, _)| s <= offset && offset <= e).map(|(_, _, t)| t.as_str())
    }

    pub fn stmt_at(&self, offset: usize) -> Option<&Stmt> {
        self.stmts.iter().find(|s| s.start <= offset && offset <= s.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macros_definition_uses_and_expansion() {
        let text = ".macro zero reg\n\\reg = 0\nl\\reg:\n.endm\n.macro two\nzero r1\n.endm\nzero r2\ntwo\nexit\n";
        let a = analyze(Path::new("/nonexistent/m.s"), text);
        assert!(a.diags.is_empty(), "{:?}", a.diags);
        let def_at = text.find("zero reg").unwrap();
        let use2 = text.find("zero r2").unwrap();
        let use1 = text.find("zero r1").unwrap();
        // go to definition from both uses (the one inside `two` too), and from the definition
        for off in [use2 + 1, use1 + 2, def_at] {
            let d = a.def_at(off).expect("a definition");
            assert_eq!(a.defs[d].kind, DefKind::Macro);
            assert_eq!(a.defs[d].span, Some((def_at, def_at + 4)));
            assert_eq!(a.defs[d].detail, ".macro zero reg");
        }
        // hover on a use shows its expansion; the label it makes is defined in the body
        assert_eq!(a.expansion_at(use2), Some("r2 = 0\nlr2:\n"));
        assert_eq!(a.expansion_at(text.find("two\nexit").unwrap()), Some("zero r1\n"));
        assert!(a.expansion_at(text.find("exit").unwrap()).is_none());
        let label = a.defs.iter().find(|d| d.name == "lr2").expect("label made by the macro");
        let l = text.find("l\\reg").unwrap();
        assert_eq!(label.span.map(|s| s.0), Some(l));
    }
}
