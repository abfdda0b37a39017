//! What the language server asks of an assembly (with [`crate::asm::Options::ide`]): every
//! symbol reference and every instruction statement. Recorded by the assembler, read by the
//! editor.

use crate::expr::{SecId, Span, SymId};

/// An assembled instruction statement (recorded with [`Options::ide`]).
#[derive(Clone, Debug)]
pub struct StmtInfo {
    pub span: Span,
    pub insn: bpf_isa::Insn,
    pub sec: SecId,
    pub frag: u32,
    pub offset: u32,
}

/// The editor's records of one assembly.
#[derive(Debug, Default)]
pub struct EditorRecords {
    refs: Vec<(SymId, Span)>,
    stmts: Vec<StmtInfo>,
}

impl EditorRecords {
    pub(crate) fn add_ref(&mut self, id: SymId, span: Span) {
        self.refs.push((id, span));
    }

    pub(crate) fn add_stmt(&mut self, s: StmtInfo) {
        self.stmts.push(s);
    }

    /// Every symbol reference, in source order.
    pub fn refs(&self) -> &[(SymId, Span)] {
        &self.refs
    }

    /// Every instruction statement, in source order.
    pub fn stmts(&self) -> &[StmtInfo] {
        &self.stmts
    }
}
