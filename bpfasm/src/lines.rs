//! Debug-line and call-frame state of one assembly: the `.file` table, the `.loc` waiting for
//! the next instruction (or, with `-g` on a source without `.loc`, the statement's own line),
//! and the `.cfi_startproc` ... `.cfi_endproc` frames.

use crate::expr::{SecId, Span};
use bpfobj::dwarf::{FileError, FileTable};
use std::collections::HashMap;

/// What a `.loc` says (bpfobj's, which writes the line table).
pub use bpfobj::dwarf::Loc;

/// One `.loc` row, recorded at the instruction it applies to.
#[derive(Clone, Debug)]
pub struct LineRow {
    /// Global order of rows (sequences are sorted by their section's first row).
    pub seq: usize,
    pub frag: u32,
    pub offset: u32,
    pub loc: Loc,
}

/// A `.cfi_startproc` .. `.cfi_endproc` range.
#[derive(Clone, Debug)]
pub struct CfiFrame {
    pub sec: SecId,
    pub start: (u32, u32),
    pub end: (u32, u32),
    pub simple: bool,
    pub span: Span,
    pub return_column: Option<u64>,
    /// Directives inside the frame with the (fragment, offset) where they appeared.
    pub insns: Vec<((u32, u32), bpfobj::dwarf::CfiOp)>,
}

/// The line-table owner.
#[derive(Debug)]
pub struct LineState {
    /// `.file N` table, with llvm-mc's normalisation rules.
    files: FileTable,
    /// `.file "name"`: names for STT_FILE symbols.
    file_syms: Vec<String>,
    loc: Loc,
    /// `loc` applies to the next instruction or data.
    loc_pending: bool,
    /// Rows made so far (their global order).
    rows: usize,
    /// DWARF 5 line table (`.file 0` seen): also selects the `.debug_frame` CIE version.
    version5: bool,
    /// `-g` on a source without `.loc`: a line row for every instruction.
    auto_lines: bool,
    /// DWARF file number of each source file (codespan id) when `auto_lines`.
    dwarf_file_of: HashMap<u32, u64>,
}

impl LineState {
    pub fn new(comp_dir: String) -> Self {
        LineState {
            files: FileTable::new(comp_dir),
            file_syms: Vec::new(),
            loc: Loc { is_stmt: true, ..Loc::default() },
            loc_pending: false,
            rows: 0,
            version5: false,
            auto_lines: false,
            dwarf_file_of: HashMap::new(),
        }
    }

    /// Some `.file N` (or `-g`'s own file) was given.
    pub fn is_used(&self) -> bool {
        self.files.is_used()
    }

    pub fn is_assigned(&self, n: u64) -> bool {
        self.files.is_assigned(n)
    }

    /// `.file 0`: the root file (a DWARF 5 table).
    pub(crate) fn set_root_file(&mut self, dir: &str, name: &str, md5: Option<[u8; 16]>, source: Option<String>) {
        self.version5 = true;
        self.files.set_root_file(dir, name, md5, source);
    }

    /// `.file N`.
    pub(crate) fn add_file(
        &mut self,
        n: u64,
        dir: &str,
        name: &str,
        md5: Option<[u8; 16]>,
        source: Option<String>,
    ) -> Result<(), FileError> {
        self.files.add_file(n, dir, name, md5, source).map(|_| ())
    }

    pub fn version5(&self) -> bool {
        self.version5
    }

    /// The file table, for writing `.debug_line` (once, at the end).
    pub(crate) fn take_files(&mut self) -> FileTable {
        std::mem::replace(&mut self.files, FileTable::new(""))
    }

    /// `.file "name"`.
    pub(crate) fn add_file_sym(&mut self, name: String) {
        self.file_syms.push(name);
    }

    pub fn file_syms(&self) -> &[String] {
        &self.file_syms
    }

    /// `-g` on a source without `.loc`: rows from the source itself, whose file (codespan id
    /// `file`, named `name` in `dir`) is DWARF file 0.
    pub(crate) fn start_auto_lines(&mut self, dir: &str, name: &str, file: u32) {
        self.auto_lines = true;
        self.set_root_file(dir, name, None, None);
        self.dwarf_file_of.insert(file, 0);
    }

    pub fn auto_lines(&self) -> bool {
        self.auto_lines
    }

    /// With `auto_lines`: an `.include`d file (codespan id `file`) gets the next DWARF number.
    pub(crate) fn add_auto_file(&mut self, file: u32, name: &str) {
        let n = self.dwarf_file_of.len() as u64;
        if self.files.add_file(n, "", name, None, None).is_ok() {
            self.dwarf_file_of.insert(file, n);
        }
    }

    /// The DWARF file number of a source file (with `auto_lines`).
    pub fn dwarf_file(&self, file: u32) -> Option<u64> {
        self.dwarf_file_of.get(&file).copied()
    }

    /// (DWARF file number, source file) pairs, in no order.
    pub fn dwarf_files(&self) -> impl Iterator<Item = (u64, u32)> + '_ {
        self.dwarf_file_of.iter().map(|(&f, &n)| (n, f))
    }

    /// The last `.loc` (its `is_stmt` carries over to the next).
    pub fn loc(&self) -> Loc {
        self.loc
    }

    /// A `.loc`, or `-g`'s line of a statement: the next instruction gets this row.
    pub(crate) fn set_loc(&mut self, loc: Loc) {
        self.loc = loc;
        self.loc_pending = true;
    }

    /// llvm-mc drops a pending `.loc` when the section changes.
    pub(crate) fn drop_pending(&mut self) {
        self.loc_pending = false;
    }

    /// The pending row with its order number, if there is one (it is taken).
    pub(crate) fn take_row(&mut self) -> Option<(usize, Loc)> {
        if !self.loc_pending {
            return None;
        }
        self.loc_pending = false;
        self.rows += 1;
        Some((self.rows, self.loc))
    }
}

/// The call-frame owner: finished frames, the open one, and `.cfi_sections .debug_frame`.
#[derive(Debug, Default)]
pub struct CfiState {
    frames: Vec<CfiFrame>,
    open: Option<CfiFrame>,
    debug_frame: bool,
}

impl CfiState {
    pub(crate) fn set_debug_frame(&mut self) {
        self.debug_frame = true;
    }

    /// `.cfi_sections .debug_frame` was given.
    pub fn debug_frame(&self) -> bool {
        self.debug_frame
    }

    pub fn is_open(&self) -> bool {
        self.open.is_some()
    }

    pub(crate) fn open(&mut self, f: CfiFrame) {
        self.open = Some(f);
    }

    /// The open frame, for the directives inside it.
    pub(crate) fn open_mut(&mut self) -> Option<&mut CfiFrame> {
        self.open.as_mut()
    }

    /// The open frame, closed (without adding it to the finished ones).
    pub(crate) fn take_open(&mut self) -> Option<CfiFrame> {
        self.open.take()
    }

    pub(crate) fn finish(&mut self, f: CfiFrame) {
        self.frames.push(f);
    }

    pub fn frames(&self) -> &[CfiFrame] {
        &self.frames
    }

    pub(crate) fn take_frames(&mut self) -> Vec<CfiFrame> {
        std::mem::take(&mut self.frames)
    }
}
