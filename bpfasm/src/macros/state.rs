//! The macro state of one assembly (definitions, expansions, open conditionals): data only,
//! so the assembler can hold it without depending on the expansion code.

use super::args::Param;
use super::subst::Seg;
use crate::diag::Source;
use crate::expr::Span;
use std::collections::HashMap;
use std::rc::Rc;

/// A macro definition.
#[derive(Debug)]
pub struct Macro {
    pub name: Rc<str>,
    pub params: Vec<Param>,
    /// The file holding the body, its text, and the body's byte range.
    pub file: u32,
    pub text: Source,
    pub body: (u32, u32),
    /// The name in the `.macro` line.
    pub def_span: Span,
}

/// One expansion whose text was materialised (a macro use, or a `.rept`/`.irp`/`.irpc`
/// iteration with substitutions).
#[derive(Debug)]
pub struct Expansion {
    /// `macro `m`` or `` `.rept` `` (for messages).
    pub what: String,
    /// The macro's name (`None` for `.rept`/`.irp`/`.irpc`).
    pub macro_name: Option<Rc<str>>,
    /// The statement that asked for it: the macro name or the directive.
    pub use_span: Span,
    /// The file id of the expanded text.
    pub file: u32,
    /// Where its text came from: `segs` map into `origin_file`.
    pub origin_file: u32,
    pub segs: Vec<Seg>,
    /// The expanded text.
    pub text: Source,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Active {
    pub use_span: Span,
    pub cond_depth: usize,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Cond {
    /// This branch is assembled.
    pub active: bool,
    /// The enclosing code is assembled.
    pub parent_active: bool,
    /// A branch of this conditional has been taken (no later `.else`/`.elseif` is).
    pub taken: bool,
    pub seen_else: bool,
    pub span: Span,
}

/// Macro state of one assembly.
#[derive(Debug, Default)]
pub struct MacroState {
    pub macros: HashMap<Rc<str>, Rc<Macro>>,
    pub expansions: Vec<Expansion>,
    /// Expansion index of each expanded text's file id.
    pub(crate) by_file: HashMap<u32, usize>,
    pub(crate) active: Vec<Active>,
    pub(crate) conds: Vec<Cond>,
    /// Inside a conditional branch that is not assembled.
    pub(crate) skipping: bool,
    /// `.exitm` seen: leave the innermost expansion.
    pub(crate) exit_pending: bool,
    /// A body-taking directive was met (its kind, and where its token starts): the statement
    /// loop reads the body from its lexer.
    pub(crate) body_pending: Option<(BodyDirective, u32)>,
    /// Too many errors: stop reading.
    pub(crate) stopped: bool,
    /// `exit_pending`, `body_pending` or `stopped`: the one flag the statement loop tests.
    pub(crate) attention: bool,
    /// `\@`: how many macro uses have been expanded so far.
    pub(crate) instantiations: u64,
    pub(crate) expanded_bytes: u64,
    /// The size limit was reached (reported once; every expansion stops).
    pub(crate) size_limit_hit: bool,
    /// Every macro use: the name's span, the macro and the expansion (for the language server).
    pub uses: Vec<(Span, Rc<str>, usize)>,
}

impl MacroState {
    pub(crate) fn update_skipping(&mut self) {
        self.skipping = self.conds.last().is_some_and(|c| !c.active);
    }

    /// The use of the outermost expansion being read (for `-g` line rows, which llvm-mc also
    /// attributes to the line of the outermost macro use).
    pub(crate) fn outermost_use(&self) -> Option<Span> {
        self.active.first().map(|a| a.use_span)
    }
}

/// The directives of macros (for `did you mean` and completion), the conditionals
/// ([`IF_DIRECTIVES`]) aside: [`directives`] gives them all.
const OWN_DIRECTIVES: &[&str] = &[
    ".macro",
    ".endm",
    ".endmacro",
    ".exitm",
    ".purgem",
    ".rept",
    ".irp",
    ".irpc",
    ".endr",
    ".elseif",
    ".else",
    ".endif",
    ".error",
    ".warning",
];

/// The directives that open a conditional block (`.else`, `.elseif`, `.endif` continue one).
pub(crate) const IF_DIRECTIVES: &[&str] = &[
    ".if",
    ".ifdef",
    ".ifndef",
    ".ifnotdef",
    ".ifeq",
    ".ifne",
    ".ifgt",
    ".ifge",
    ".iflt",
    ".ifle",
    ".ifb",
    ".ifnb",
    ".ifc",
    ".ifnc",
];

/// Every directive of macros and conditional assembly.
pub fn directives() -> impl Iterator<Item = &'static str> {
    OWN_DIRECTIVES.iter().chain(IF_DIRECTIVES).copied()
}

/// Which body-taking directive a statement starts with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BodyDirective {
    Macro,
    Rept,
    Irp,
    Irpc,
}

pub(crate) fn body_directive(name: &str) -> Option<BodyDirective> {
    match name {
        ".macro" => Some(BodyDirective::Macro),
        ".rept" => Some(BodyDirective::Rept),
        ".irp" => Some(BodyDirective::Irp),
        ".irpc" => Some(BodyDirective::Irpc),
        _ => None,
    }
}
