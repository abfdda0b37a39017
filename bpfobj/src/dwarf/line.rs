//! `.debug_line` / `.debug_line_str` generation, matching llvm-mc-19 for BPF.
//!
//! Two parts:
//! * [`FileTable`] applies llvm-mc's rules to `.file` directives (directory splitting,
//!   directory de-duplication, the root file `.file 0`, DWARF version selection);
//! * [`build_line_table`] encodes the header and one sequence per code section.
//!
//! Facts fixed by the BPF target: address size 8, `minimum_instruction_length` 8,
//! `maximum_operations_per_instruction` 1, `default_is_stmt` 1, `line_base` -5,
//! `line_range` 14, `opcode_base` 13.

use super::{uleb_len, DwarfError, DwarfReloc, RelocTarget, SectionRef, Writer, ADDRESS_SIZE, MIN_INST_LENGTH};
use gimli::constants::{
    DW_FORM_data16, DW_FORM_line_strp, DW_FORM_udata, DW_LNCT_LLVM_source, DW_LNCT_directory_index, DW_LNCT_path,
    DW_LNE_end_sequence, DW_LNE_set_address, DW_LNE_set_discriminator, DW_LNS_advance_line, DW_LNS_advance_pc,
    DW_LNS_const_add_pc, DW_LNS_copy, DW_LNS_negate_stmt, DW_LNS_set_basic_block, DW_LNS_set_column,
    DW_LNS_set_epilogue_begin, DW_LNS_set_file, DW_LNS_set_isa, DW_LNS_set_prologue_end, DW_LNCT_MD5,
};
use std::collections::HashMap;

const LINE_BASE: i64 = -5;
const LINE_RANGE: u64 = 14;
const OPCODE_BASE: u8 = 13;
const STANDARD_OPCODE_LENGTHS: [u8; 12] = [0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1];
/// Largest address advance (in instructions) a special opcode can encode: (255 - 13) / 14.
const MAX_SPECIAL_ADDR_DELTA: u64 = (255 - OPCODE_BASE as u64) / LINE_RANGE;

/// One entry of the file table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileEntry {
    /// DWARF directory index: 0 = the compilation directory (DWARF 5) / "current
    /// directory" (DWARF 4); `i >= 1` = `LineTableInput::dirs[i - 1]`.
    pub dir: u64,
    pub name: String,
    pub md5: Option<[u8; 16]>,
    /// Embedded source (`source "..."`, DW_LNCT_LLVM_source).
    pub source: Option<String>,
}

/// Everything needed to emit one line table (llvm-mc emits exactly one, CU 0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineTableInput {
    /// 5 once `.file 0` was seen, else 4 (llvm-mc-19's default). 2..=5 supported.
    pub version: u16,
    /// Directory entry 0 in DWARF 5 (the directory of `.file 0`, or llvm-mc's
    /// compilation directory = cwd when that was empty). Unused for version < 5.
    pub comp_dir: String,
    /// Include directories 1..: `dirs[i - 1]` is directory `i`.
    pub dirs: Vec<String>,
    /// The root file (`.file 0`). DWARF 5 only; if `None` in DWARF 5, file 1 is
    /// replicated as file 0 (llvm-mc's behaviour for v4-style input).
    pub root_file: Option<FileEntry>,
    /// `files[i]` is file number `i + 1`.
    pub files: Vec<FileEntry>,
    /// One per code section that got line rows, in order of each section's first row.
    pub sequences: Vec<Sequence>,
}

/// The rows of one code section.
///
/// llvm-mc's rules for which `.loc` becomes a row (for the assembler to follow):
/// * a `.loc` is *pending* until the next instruction or data emission in the current
///   section (`.byte`/`.short`/`.long`/`.quad`, `.ascii`/`.asciz`, `.fill`; but *not*
///   `.zero`/`.space`/`.skip` nor `.p2align` padding); the row's offset is that
///   emission's offset (after any alignment padding);
/// * a second `.loc` while one is pending first turns the pending one into a row at the
///   current offset (so two `.loc`s in a row give two rows at the same offset);
/// * switching section (`.section`, `.text`, ...) discards a pending `.loc`;
/// * other directives (`.cfi_*`, labels) don't consume it;
/// * `is_stmt` is sticky from one `.loc` to the next (inherited unless given);
///   `basic_block`, `prologue_end`, `epilogue_begin`, `isa` and `discriminator`
///   apply to one `.loc` only (isa resets to 0);
/// * all rows of one section form one sequence even if the section is entered many
///   times; sequences are ordered by each section's first row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sequence {
    pub section: SectionRef,
    pub rows: Vec<Row>,
    /// Section size when the object is written (end of the sequence).
    pub end_offset: u64,
}

/// What a `.loc` says: the source position and the row's flags.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Loc {
    pub file: u64,
    pub line: u64,
    pub column: u64,
    pub is_stmt: bool,
    pub basic_block: bool,
    pub prologue_end: bool,
    pub epilogue_begin: bool,
    pub isa: u64,
    pub discriminator: u64,
}

/// One `.loc` row: a [`Loc`] at an offset of the code section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub offset: u64,
    pub loc: Loc,
}

impl Row {
    /// A row with llvm-mc's defaults (`is_stmt` set, no flags).
    pub fn new(offset: u64, file: u64, line: u64, column: u64) -> Self {
        Row { offset, loc: Loc { file, line, column, is_stmt: true, ..Loc::default() } }
    }
}

/// Result of [`build_line_table`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineTableOutput {
    /// Bytes to append to `.debug_line` (at the current end of that section).
    pub debug_line: Vec<u8>,
    /// Relocations, offsets relative to the start of `debug_line`.
    pub relocs: Vec<DwarfReloc>,
    /// Bytes to append to `.debug_line_str` (DWARF 5 only; empty otherwise). Create
    /// the section (`SHF_MERGE | SHF_STRINGS`, entsize 1, align 1) when non-empty.
    pub line_str: Vec<u8>,
}

/// `.debug_line_str` as llvm-mc builds it: exact-duplicate strings share one entry,
/// entries in order of first use, no tail merging.
#[derive(Default)]
struct LineStr {
    data: Vec<u8>,
    map: HashMap<String, u32>,
}

impl LineStr {
    fn add(&mut self, s: &str) -> u32 {
        if let Some(&off) = self.map.get(s) {
            return off;
        }
        let off = self.data.len() as u32;
        self.data.extend_from_slice(s.as_bytes());
        self.data.push(0);
        self.map.insert(s.to_owned(), off);
        off
    }
}

/// Build `.debug_line` (and the `.debug_line_str` strings it references).
///
/// `DW_FORM_line_strp` offsets (stored addends) are relative to the start of the
/// returned `line_str`. llvm-mc-19 does the same even when `.debug_line_str` already
/// had contents from the source (its references are then off by that size), so the
/// caller appends `line_str` and does not adjust anything, to stay identical.
pub fn build_line_table(input: &LineTableInput, big_endian: bool) -> Result<LineTableOutput, DwarfError> {
    let version = input.version;
    if !(2..=5).contains(&version) {
        return Err(DwarfError::UnsupportedVersion(version));
    }
    let mut w = Writer::new(big_endian);
    let mut relocs = Vec::new();
    let mut line_str = LineStr::default();

    w.u32(0); // unit_length, patched
    w.u16(version);
    if version >= 5 {
        w.u8(ADDRESS_SIZE);
        w.u8(0); // segment_selector_size
    }
    let header_length_at = w.buf.len();
    w.u32(0); // header_length, patched
    w.u8(MIN_INST_LENGTH as u8);
    if version >= 4 {
        w.u8(1); // maximum_operations_per_instruction
    }
    w.u8(1); // default_is_stmt
    w.u8(LINE_BASE as i8 as u8);
    w.u8(LINE_RANGE as u8);
    w.u8(OPCODE_BASE);
    w.bytes(&STANDARD_OPCODE_LENGTHS);

    if version >= 5 {
        write_v5_tables(input, &mut w, &mut relocs, &mut line_str);
    } else {
        for d in &input.dirs {
            w.cstr(d);
        }
        w.u8(0);
        for f in &input.files {
            w.cstr(&f.name);
            w.uleb(f.dir);
            w.uleb(0); // modification time
            w.uleb(0); // length
        }
        w.u8(0);
    }
    let header_len = w.buf.len() - (header_length_at + 4);
    w.patch_u32(header_length_at, header_len as u32);

    for (i, seq) in input.sequences.iter().enumerate() {
        write_sequence(i, seq, version, &mut w, &mut relocs)?;
    }

    let unit_len = w.buf.len() - 4;
    w.patch_u32(0, unit_len as u32);
    Ok(LineTableOutput { debug_line: w.buf, relocs, line_str: line_str.data })
}

fn write_v5_tables(input: &LineTableInput, w: &mut Writer, relocs: &mut Vec<DwarfReloc>, line_str: &mut LineStr) {
    let mut strp = |w: &mut Writer, s: &str| {
        let off = line_str.add(s);
        relocs.push(DwarfReloc { offset: w.len(), size: 4, target: RelocTarget::DebugLineStr, addend: off as i64 });
        w.u32(off);
    };

    // Directories: one column (path, line_strp); entry 0 is the compilation dir.
    w.u8(1);
    w.uleb(u64::from(DW_LNCT_path.0));
    w.uleb(u64::from(DW_FORM_line_strp.0));
    w.uleb(input.dirs.len() as u64 + 1);
    strp(w, &input.comp_dir);
    for d in &input.dirs {
        strp(w, d);
    }

    // Files: entry 0 is the root file (or a copy of file 1).
    let root = input.root_file.as_ref().or(input.files.first());
    let entries: Vec<&FileEntry> = root.into_iter().chain(input.files.iter()).collect();
    let has_md5 = !entries.is_empty() && entries.iter().all(|f| f.md5.is_some());
    let has_source = entries.iter().any(|f| f.source.is_some());
    w.u8(2 + has_md5 as u8 + has_source as u8);
    w.uleb(u64::from(DW_LNCT_path.0));
    w.uleb(u64::from(DW_FORM_line_strp.0));
    w.uleb(u64::from(DW_LNCT_directory_index.0));
    w.uleb(u64::from(DW_FORM_udata.0));
    if has_md5 {
        w.uleb(u64::from(DW_LNCT_MD5.0));
        w.uleb(u64::from(DW_FORM_data16.0));
    }
    if has_source {
        w.uleb(u64::from(DW_LNCT_LLVM_source.0));
        w.uleb(u64::from(DW_FORM_line_strp.0));
    }
    w.uleb(entries.len().max(1) as u64);
    for (i, f) in entries.iter().enumerate() {
        strp(w, &f.name);
        w.uleb(if i == 0 && input.root_file.is_some() { 0 } else { f.dir });
        if has_md5 {
            // MD5 bytes are written in the order they appear in the directive,
            // independent of endianness.
            w.bytes(&f.md5.unwrap_or_default());
        }
        if has_source {
            strp(w, f.source.as_deref().unwrap_or(""));
        }
    }
}

/// The state machine registers that llvm-mc tracks while encoding a sequence.
struct State {
    file: u64,
    line: u64,
    column: u64,
    is_stmt: bool,
    isa: u64,
}

fn write_sequence(
    index: usize,
    seq: &Sequence,
    version: u16,
    w: &mut Writer,
    relocs: &mut Vec<DwarfReloc>,
) -> Result<(), DwarfError> {
    let mut st = State { file: 1, line: 1, column: 0, is_stmt: true, isa: 0 };
    let mut prev_offset: Option<u64> = None;
    for (ri, row) in seq.rows.iter().enumerate() {
        if row.loc.file != st.file {
            st.file = row.loc.file;
            w.u8(DW_LNS_set_file.0);
            w.uleb(row.loc.file);
        }
        if row.loc.column != st.column {
            st.column = row.loc.column;
            w.u8(DW_LNS_set_column.0);
            w.uleb(row.loc.column);
        }
        if row.loc.discriminator != 0 && version >= 4 {
            w.u8(0);
            w.uleb(1 + uleb_len(row.loc.discriminator) as u64);
            w.u8(DW_LNE_set_discriminator.0);
            w.uleb(row.loc.discriminator);
        }
        if row.loc.isa != st.isa {
            st.isa = row.loc.isa;
            w.u8(DW_LNS_set_isa.0);
            w.uleb(row.loc.isa);
        }
        if row.loc.is_stmt != st.is_stmt {
            st.is_stmt = row.loc.is_stmt;
            w.u8(DW_LNS_negate_stmt.0);
        }
        if row.loc.basic_block {
            w.u8(DW_LNS_set_basic_block.0);
        }
        if row.loc.prologue_end {
            w.u8(DW_LNS_set_prologue_end.0);
        }
        if row.loc.epilogue_begin {
            w.u8(DW_LNS_set_epilogue_begin.0);
        }
        let line_delta = row.loc.line.wrapping_sub(st.line) as i64;
        st.line = row.loc.line;
        match prev_offset {
            None => {
                // DW_LNE_set_address with a relocation against the section symbol.
                w.u8(0);
                w.uleb(1 + ADDRESS_SIZE as u64);
                w.u8(DW_LNE_set_address.0);
                relocs.push(DwarfReloc {
                    offset: w.len(),
                    size: 8,
                    target: RelocTarget::Section(seq.section),
                    addend: row.offset as i64,
                });
                w.u64(row.offset);
                encode_row_advance(&mut w.buf, line_delta, 0);
            }
            Some(prev) => {
                if row.offset < prev {
                    return Err(DwarfError::OffsetGoesBackwards { unit: index, index: ri });
                }
                encode_row_advance(&mut w.buf, line_delta, (row.offset - prev) / MIN_INST_LENGTH);
            }
        }
        prev_offset = Some(row.offset);
    }
    if let Some(prev) = prev_offset {
        if seq.end_offset < prev {
            return Err(DwarfError::EndBeforeStart { unit: index });
        }
        encode_end_sequence(&mut w.buf, (seq.end_offset - prev) / MIN_INST_LENGTH);
    }
    Ok(())
}

/// Append a new row that is `line_delta` lines and `addr_delta` instructions (already
/// divided by the minimum instruction length, rounding down like llvm-mc) after the
/// previous one, choosing the opcodes llvm-mc chooses:
/// 1. a line delta outside `[line_base, line_base + line_range)` goes into
///    `DW_LNS_advance_line` first (the row then has line delta 0);
/// 2. no line and no address change: `DW_LNS_copy`;
/// 3. a special opcode if it fits in a byte, else `DW_LNS_const_add_pc` + special opcode
///    if that fits (only tried for address deltas below 256 + 17);
/// 4. else `DW_LNS_advance_pc` + (`DW_LNS_copy` after an advance_line, else the special
///    opcode for address delta 0).
pub(crate) fn encode_row_advance(out: &mut Vec<u8>, line_delta: i64, addr_delta: u64) {
    let mut line_delta = line_delta;
    let mut after_advance_line = false;
    let in_range = line_delta >= LINE_BASE && line_delta < LINE_BASE + LINE_RANGE as i64;
    if !in_range {
        out.push(DW_LNS_advance_line.0);
        super::write_sleb(out, line_delta);
        line_delta = 0;
        after_advance_line = true;
    }
    if line_delta == 0 && addr_delta == 0 {
        out.push(DW_LNS_copy.0);
        return;
    }
    // Special opcode for address delta 0 and this line delta.
    let base = (line_delta - LINE_BASE) as u64 + OPCODE_BASE as u64;
    if addr_delta < 256 + MAX_SPECIAL_ADDR_DELTA {
        let op = base + addr_delta * LINE_RANGE;
        if op <= 255 {
            out.push(op as u8);
            return;
        }
        if addr_delta >= MAX_SPECIAL_ADDR_DELTA {
            let op = base + (addr_delta - MAX_SPECIAL_ADDR_DELTA) * LINE_RANGE;
            if op <= 255 {
                out.push(DW_LNS_const_add_pc.0);
                out.push(op as u8);
                return;
            }
        }
    }
    out.push(DW_LNS_advance_pc.0);
    super::write_uleb(out, addr_delta);
    if after_advance_line {
        out.push(DW_LNS_copy.0);
    } else {
        out.push(base as u8);
    }
}

/// Advance to the end of the section and end the sequence: `DW_LNS_const_add_pc` when
/// the delta is exactly 17 instructions, `DW_LNS_advance_pc` for any other non-zero
/// delta, then `DW_LNE_end_sequence`.
pub(crate) fn encode_end_sequence(out: &mut Vec<u8>, addr_delta: u64) {
    if addr_delta == MAX_SPECIAL_ADDR_DELTA {
        out.push(DW_LNS_const_add_pc.0);
    } else if addr_delta != 0 {
        out.push(DW_LNS_advance_pc.0);
        super::write_uleb(out, addr_delta);
    }
    out.extend_from_slice(&[0, 1, DW_LNE_end_sequence.0]);
}

/// Errors of [`FileTable`], with llvm-mc's wording in the docs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileError {
    /// "file number already allocated" (a `.file N` given twice).
    NumberAlreadyAllocated(u64),
    /// "unassigned file number: N for .file directives" (a gap in 1..=max; reported
    /// at the end of assembly).
    Unassigned(u64),
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileError::NumberAlreadyAllocated(_) => write!(f, "file number already allocated"),
            FileError::Unassigned(n) => {
                write!(f, "unassigned file number: {n} for .file directives")
            }
        }
    }
}

impl std::error::Error for FileError {}

/// What [`FileTable::add_file`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileAdded {
    /// File number assigned.
    Assigned,
    /// DWARF 5: the file has the root file's name and MD5 (directory is *not*
    /// compared), so llvm-mc does not assign the number at all: a later `.loc N` is an
    /// error ("unassigned file number in '.loc' directive").
    SameAsRoot,
}

/// The file and directory tables, built from `.file` directives with llvm-mc's rules:
///
/// * `.file 0 "dir" "name" [md5 ..] [source ..]` sets the root file (kept verbatim,
///   directory index 0) and upgrades the table to DWARF 5; its directory becomes the
///   compilation directory (directory 0). If that directory is empty, llvm-mc's own
///   compilation directory (its cwd) is emitted instead; pass it to [`FileTable::new`].
/// * `.file N "dir" "name"` / `.file N "name"` (N ≥ 1): in DWARF 5, if a root file exists
///   with the same name and the same MD5 (or both none), nothing is assigned.
///   Otherwise: if dir equals the *root file's directory as written* (both "" counts),
///   it is treated as empty; an empty dir is then taken from the name's parent path
///   (`"sub/h.h"` → dir `"sub"`, name `"h.h"`; `"a/"` → `"a"`, `"."`; `"/x.h"` → `"/"`,
///   `"x.h"`; no '/' → dir index 0). A non-empty dir gets the index of an identical
///   string in the include directories (compilation dir excluded), appended if new.
/// * the unnumbered `.file "x.c"` only makes an `STT_FILE` symbol: don't call this.
/// * MD5 is emitted only when every file (root included) has one (llvm-mc warns
///   "inconsistent use of MD5 checksums" otherwise); the source column is emitted when any
///   file has source, missing ones as "".
/// * a line table (with header only, if no `.loc`) is emitted iff any numbered `.file`
///   directive was seen.
#[derive(Clone, Debug, Default)]
pub struct FileTable {
    default_comp_dir: String,
    root_dir: Option<String>,
    root: Option<FileEntry>,
    dirs: Vec<String>,
    files: Vec<Option<FileEntry>>,
    used: bool,
}

impl FileTable {
    /// `default_comp_dir`: what llvm-mc would use as compilation dir (its cwd); only
    /// used when `.file 0` gives an empty directory.
    pub fn new(default_comp_dir: impl Into<String>) -> Self {
        FileTable { default_comp_dir: default_comp_dir.into(), ..Default::default() }
    }

    /// `.file 0 "dir" "name" ...` — replaces any previous root file.
    pub fn set_root_file(&mut self, dir: &str, name: &str, md5: Option<[u8; 16]>, source: Option<String>) {
        self.used = true;
        self.root_dir = Some(dir.to_owned());
        self.root = Some(FileEntry { dir: 0, name: name.to_owned(), md5, source });
    }

    /// `.file N "dir" "name" ...` (`dir` is "" for the one-string form `.file N "name"`).
    /// N = 0 is the same as [`FileTable::set_root_file`].
    pub fn add_file(
        &mut self,
        number: u64,
        dir: &str,
        name: &str,
        md5: Option<[u8; 16]>,
        source: Option<String>,
    ) -> Result<FileAdded, FileError> {
        if number == 0 {
            self.set_root_file(dir, name, md5, source);
            return Ok(FileAdded::Assigned);
        }
        self.used = true;
        if let Some(root) = &self.root {
            if root.name == name && root.md5 == md5 {
                return Ok(FileAdded::SameAsRoot);
            }
        }
        let idx = (number - 1) as usize;
        if self.files.get(idx).is_some_and(|f| f.is_some()) {
            return Err(FileError::NumberAlreadyAllocated(number));
        }
        let mut dir = dir;
        let mut name = name;
        if dir == self.root_dir.as_deref().unwrap_or("") {
            dir = "";
        }
        if dir.is_empty() {
            if let Some((d, n)) = split_path(name) {
                dir = d;
                name = n;
            }
        }
        let dir_index = if dir.is_empty() {
            0
        } else if let Some(i) = self.dirs.iter().position(|d| d == dir) {
            i as u64 + 1
        } else {
            self.dirs.push(dir.to_owned());
            self.dirs.len() as u64
        };
        if self.files.len() <= idx {
            self.files.resize(idx + 1, None);
        }
        self.files[idx] = Some(FileEntry { dir: dir_index, name: name.to_owned(), md5, source });
        Ok(FileAdded::Assigned)
    }

    /// Whether `.loc N` may refer to file N (file 0 needs `.file 0`).
    pub fn is_assigned(&self, number: u64) -> bool {
        if number == 0 {
            return self.root.is_some();
        }
        matches!(self.files.get((number - 1) as usize), Some(Some(_)))
    }

    /// Whether llvm-mc would emit a line table at all (any numbered `.file` seen).
    pub fn is_used(&self) -> bool {
        self.used
    }

    /// DWARF version llvm-mc-19 uses: 5 after `.file 0`, else its default 4.
    /// (The same context version picks the `.debug_frame` CIE version.)
    pub fn version(&self) -> u16 {
        if self.root.is_some() {
            5
        } else {
            4
        }
    }

    /// Finish: checks for gaps in the file numbers and builds the input.
    pub fn into_input(self, sequences: Vec<Sequence>) -> Result<LineTableInput, FileError> {
        let version = self.version();
        let mut files = Vec::with_capacity(self.files.len());
        for (i, f) in self.files.into_iter().enumerate() {
            match f {
                Some(f) => files.push(f),
                None => return Err(FileError::Unassigned(i as u64 + 1)),
            }
        }
        let comp_dir = match self.root_dir {
            Some(d) if !d.is_empty() => d,
            _ => self.default_comp_dir,
        };
        Ok(LineTableInput { version, comp_dir, dirs: self.dirs, root_file: self.root, files, sequences })
    }
}

/// LLVM's POSIX `parent_path` / `filename` split, for names given without a directory.
/// Returns `None` when the parent path is empty (no split).
fn split_path(path: &str) -> Option<(&str, &str)> {
    if path.is_empty() || path.bytes().all(|b| b == b'/') {
        return None; // "" or the root directory itself
    }
    let (parent_end, file) = if let Some(stripped) = path.strip_suffix('/') {
        // Trailing separator: the last component is ".".
        (stripped.len(), ".")
    } else {
        let slash = path.rfind('/')?;
        (slash, &path[slash + 1..])
    };
    let mut parent = &path[..parent_end];
    // Drop separators between the parent and the last component, keeping a root "/".
    let trimmed = parent.trim_end_matches('/');
    parent = if trimmed.is_empty() && path.starts_with('/') { &path[..1] } else { trimmed };
    if parent.is_empty() {
        return None;
    }
    Some((parent, file))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn split_like_llvm() {
        assert_eq!(split_path("a/"), Some(("a", ".")));
        assert_eq!(split_path("/x.h"), Some(("/", "x.h")));
        assert_eq!(split_path("a//b.h"), Some(("a", "b.h")));
        assert_eq!(split_path("./x.h"), Some((".", "x.h")));
        assert_eq!(split_path("/"), None);
        assert_eq!(split_path("a/b/c.h"), Some(("a/b", "c.h")));
        assert_eq!(split_path("x.h"), None);
    }

    fn adv(line: i64, addr: u64) -> Vec<u8> {
        let mut v = Vec::new();
        encode_row_advance(&mut v, line, addr);
        v
    }

    #[test]
    fn opcode_choice() {
        // All observed in llvm-mc-19 output (address deltas in instructions).
        assert_eq!(adv(9, 0), [0x03, 0x09, 0x01]);
        assert_eq!(adv(1, 0), [0x13]);
        assert_eq!(adv(0, 5), [0x58]);
        assert_eq!(adv(-1, 1), [0x1f]);
        assert_eq!(adv(299, 1), [0x03, 0xab, 0x02, 0x20]);
        assert_eq!(adv(0, 18), [0x08, 0x20]);
        assert_eq!(adv(19, 41), [0x03, 0x13, 0x02, 0x29, 0x01]);
        assert_eq!(adv(0, 0), [0x01]);
        assert_eq!(adv(0, 1000), [0x02, 0xe8, 0x07, 0x12]);
        let mut v = Vec::new();
        encode_end_sequence(&mut v, 17);
        encode_end_sequence(&mut v, 2);
        encode_end_sequence(&mut v, 0);
        assert_eq!(v, [0x08, 0, 1, 1, 0x02, 0x02, 0, 1, 1, 0, 1, 1]);
    }

    fn md5(b: u8) -> Option<[u8; 16]> {
        let mut m = [0u8; 16];
        m[15] = b;
        Some(m)
    }

    #[test]
    fn file_table_rules_v5() {
        // Mirrors an llvm-mc-19 experiment (see module docs).
        let mut t = FileTable::new("/cwd");
        t.set_root_file("/work/d", "e.c", md5(1), None);
        let add = |t: &mut FileTable, n, d, f, m| t.add_file(n, d, f, m, None).unwrap();
        assert_eq!(add(&mut t, 1, "/work/d", "sub/h.h", md5(2)), FileAdded::Assigned);
        add(&mut t, 2, "", "rel/r.h", md5(3));
        add(&mut t, 3, "", "/abs/q.h", md5(4));
        add(&mut t, 4, "/work/d", "/abs2/q2.h", md5(5));
        add(&mut t, 5, "sub", "sub", md5(6));
        add(&mut t, 6, "/work/d", "plain.h", md5(7));
        add(&mut t, 7, "/work/d/", "p2.h", md5(8));
        add(&mut t, 8, "/abs", "e.c", md5(9));
        add(&mut t, 9, "", "/work/d/z.h", md5(10));
        assert_eq!(add(&mut t, 10, "/elsewhere", "e.c", md5(1)), FileAdded::SameAsRoot);
        assert_eq!(t.add_file(9, "", "x", None, None), Err(FileError::NumberAlreadyAllocated(9)));
        assert!(t.is_assigned(9) && !t.is_assigned(10) && t.is_assigned(0));
        let input = t.into_input(vec![]).unwrap();
        assert_eq!(input.version, 5);
        assert_eq!(input.comp_dir, "/work/d");
        assert_eq!(input.dirs, ["sub", "rel", "/abs", "/abs2", "/work/d/", "/work/d"]);
        let got: Vec<(u64, &str)> = input.files.iter().map(|f| (f.dir, f.name.as_str())).collect();
        assert_eq!(
            got,
            [
                (1, "h.h"),
                (2, "r.h"),
                (3, "q.h"),
                (4, "q2.h"),
                (1, "sub"),
                (0, "plain.h"),
                (5, "p2.h"),
                (3, "e.c"),
                (6, "z.h")
            ]
        );
        let out = build_line_table(&input, false).unwrap();
        assert_eq!(
            out.line_str,
            b"/work/d\0sub\0rel\0/abs\0/abs2\0/work/d/\0e.c\0h.h\0r.h\0q.h\0q2.h\0plain.h\0p2.h\0z.h\0"
        );
    }

    pub(crate) fn unhex(s: &str) -> Vec<u8> {
        let s: String = s.split_whitespace().collect();
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    /// `.file 1 "b.c"` / `.loc 1 3 4 prologue_end` / `r0 = 0` / `exit` in section 1,
    /// as llvm-mc-19 -triple bpfel assembles it (DWARF 4, no .debug_line_str).
    #[test]
    fn golden_v4_le() {
        let mut row = Row::new(0, 1, 3, 4);
        row.loc.prologue_end = true;
        let input = LineTableInput {
            version: 4,
            comp_dir: String::new(),
            dirs: vec![],
            root_file: None,
            files: vec![FileEntry { dir: 0, name: "b.c".into(), md5: None, source: None }],
            sequences: vec![Sequence { section: SectionRef(1), rows: vec![row], end_offset: 16 }],
        };
        let out = build_line_table(&input, false).unwrap();
        assert_eq!(
            out.debug_line,
            unhex(
                "3500000004001b000000080101fb0e0d00010101010000000100000100622e63
                 000000000005040a0009020000000000000000140202000101"
            )
        );
        assert!(out.line_str.is_empty());
        assert_eq!(
            out.relocs,
            [DwarfReloc { offset: 0x2b, size: 8, target: RelocTarget::Section(SectionRef(1)), addend: 0 }]
        );
    }

    /// DWARF 5 with MD5, two sections, big endian (llvm-mc-19 -triple bpfeb):
    /// `.file 0 "/p" "m.c" md5 0x0001..0f`, `.file 1 "/q" "h.h" md5 0x1011..1f`;
    /// t1: `.loc 0 2 3 prologue_end`, `r0 = 0`, `.loc 1 7 1 is_stmt 0`, `exit`;
    /// t2: `.loc 0 9 0`, `r1 = 5 ll`, `exit`.
    #[test]
    fn golden_v5_md5_be() {
        let mut t = FileTable::new("/cwd");
        let md5a: [u8; 16] = std::array::from_fn(|i| i as u8);
        let md5b: [u8; 16] = std::array::from_fn(|i| 0x10 + i as u8);
        t.set_root_file("/p", "m.c", Some(md5a), None);
        t.add_file(1, "/q", "h.h", Some(md5b), None).unwrap();
        let mut r0 = Row::new(0, 0, 2, 3);
        r0.loc.prologue_end = true;
        let mut r1 = Row::new(8, 1, 7, 1);
        r1.loc.is_stmt = false;
        let mut r2 = Row::new(0, 0, 9, 0);
        r2.loc.is_stmt = false; // sticky from the previous `.loc`
        let input = t
            .into_input(vec![
                Sequence { section: SectionRef(3), rows: vec![r0, r1], end_offset: 16 },
                Sequence { section: SectionRef(4), rows: vec![r2], end_offset: 24 },
            ])
            .unwrap();
        let out = build_line_table(&input, true).unwrap();
        assert_eq!(
            out.debug_line,
            unhex(
                "000000880005080000000050080101fb0e0d0001010101000000010000010101
                 1f02000000000000000303011f020f051e020000000600000102030405060708
                 090a0b0c0d0e0f0000000a01101112131415161718191a1b1c1d1e1f04000503
                 0a00090200000000000000001304010501062502010001010400060009020000
                 0000000000001a0203000101"
            )
        );
        assert_eq!(out.line_str, b"/p\0/q\0m.c\0h.h\0");
        let offsets: Vec<(u64, u8, RelocTarget, i64)> =
            out.relocs.iter().map(|r| (r.offset, r.size, r.target, r.addend)).collect();
        use RelocTarget::*;
        assert_eq!(
            offsets,
            [
                (0x22, 4, DebugLineStr, 0),
                (0x26, 4, DebugLineStr, 3),
                (0x32, 4, DebugLineStr, 6),
                (0x47, 4, DebugLineStr, 10),
                (0x64, 8, Section(SectionRef(3)), 0),
                (0x7e, 8, Section(SectionRef(4)), 0),
            ]
        );
    }

    #[test]
    fn file_table_gaps_and_empty_root_dir() {
        let mut t = FileTable::new("/cwd");
        t.set_root_file("", "x.c", None, None);
        t.add_file(1, "/cwd", "sub/y.c", None, None).unwrap();
        t.add_file(2, "", "sub/y.c", None, None).unwrap();
        let input = t.clone().into_input(vec![]).unwrap();
        assert_eq!(input.comp_dir, "/cwd");
        assert_eq!(input.dirs, ["/cwd", "sub"]);
        assert_eq!((input.files[0].dir, input.files[0].name.as_str()), (1, "sub/y.c"));
        assert_eq!((input.files[1].dir, input.files[1].name.as_str()), (2, "y.c"));
        t.add_file(4, "", "z.c", None, None).unwrap();
        assert_eq!(t.into_input(vec![]), Err(FileError::Unassigned(3)));
    }
}
