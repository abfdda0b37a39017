//! The assembler: statements -> sections, symbols, fixups -> relocations.
//!
//! One pass over the source emits bytes as it goes (every instruction has a fixed size); operands
//! that reference symbols become fixups resolved after the whole input has been read. Only a
//! `.uleb128`/`.sleb128` of a value unknown at that point splits a section into fragments, which
//! are laid out at the end until their sizes are stable.
//!
//! The `Assembler` is the driver: its state lives in owners (`symbols`, `sections`, `lines`,
//! `decls`, `ide`, `macros::state`) that do not know it.

use crate::decls::CDecls;
pub use crate::decls::{CoreRecord, Declared};
use crate::diag::{closest, Code, Diag, Source, SourceFiles};
pub use crate::expr::SecId;
use crate::expr::{apply, BinOp, Cursor, Expr, ExprKind, Ident, Span, SymId, SymbolResolver, UnOp};
pub use crate::ide::{EditorRecords, StmtInfo};
use crate::insn::{self, MatchError};
use crate::lexer::{unescape, Lexer, Tok, Token};
pub use crate::lines::{CfiFrame, CfiState, LineRow, LineState, Loc};
use crate::macros::state::MacroState;
pub use crate::sections::{FixKind, Fixup, Frag, Reloc, RelocTarget, Section, Sections, Tail};
use crate::symbols::local_name;
pub use crate::symbols::{Binding, SymDef, Symbol, Symbols};
use bpf_isa::{Endian, Insn, Isa, Op};
pub use bpfobj::elf::RelocType;
use bpfobj::elf::*;
use std::path::PathBuf;

/// Assembler options.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub endian: Endian,
    /// `-mcpu`: instructions newer than this are rejected. `None` accepts all.
    pub isa: Option<Isa>,
    pub include_dirs: Vec<PathBuf>,
    /// `-g`: line tables and BTF line_info generated from the assembly source itself (when it
    /// has no `.loc` of its own), and BTF/.BTF.ext for its functions.
    pub debug: bool,
    /// `--no-btf`: never generate `.BTF`/`.BTF.ext`.
    pub no_btf: bool,
    /// Record symbol references and instruction statements (for the language server).
    pub ide: bool,
    /// `--debug-prefix-map OLD=NEW`: directory and file names written into debug information
    /// that start with OLD start with NEW instead (the last matching pair wins), so objects
    /// built in different directories are byte-identical.
    pub debug_prefix_map: Vec<(String, String)>,
}

impl Options {
    /// `path` with the last matching `--debug-prefix-map` applied.
    pub fn map_debug_path(&self, path: &str) -> String {
        match self.debug_prefix_map.iter().rev().find(|(old, _)| path.starts_with(old.as_str())) {
            Some((old, new)) => format!("{new}{}", &path[old.len()..]),
            None => path.to_string(),
        }
    }

    /// The compilation directory recorded in debug information: the working directory,
    /// mapped.
    pub fn comp_dir(&self) -> String {
        self.map_debug_path(&std::env::current_dir().map(|d| d.display().to_string()).unwrap_or_default())
    }
}

/// The driver of one assembly: it reads statements and hands their parts to the owners of
/// the state (symbols, sections, line/CFI tables, C declarations, macros, editor records).
pub struct Assembler {
    pub opts: Options,
    pub files: SourceFiles,
    pub diags: Vec<Diag>,
    pub errors: usize,
    pub syms: Symbols,
    pub secs: Sections,
    /// `.file`/`.loc` (and `-g`) line table state.
    pub lines: LineState,
    pub cfi: CfiState,
    /// `.cdecl` state: the C front end, the declarations, CO-RE records, base BTF.
    pub decls: CDecls,
    /// With [`Options::ide`]: every symbol reference, and every instruction statement.
    pub ide: EditorRecords,
    /// Macros, expansions and conditional assembly.
    pub mac: MacroState,
    /// Current file for diagnostics.
    pub(crate) cur_file: u32,
    pub addrsig: bool,
    pub ident: Vec<String>,
    /// Every file read through `.include` (for `-MD`).
    pub included: Vec<PathBuf>,
    /// Code locations that are targets of local calls (subprograms).
    pub call_targets: Vec<(SecId, u64)>,
    pub(crate) include_depth: u32,
}

pub(crate) use crate::limits::{MAX_ALIGN, MAX_EVAL_DEPTH, MAX_INCLUDE_DEPTH, MAX_SECTION_BYTES};

/// What an expression evaluates to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    Abs(i64),
    /// Symbol plus constant.
    Rel(SymId, i64),
}

#[derive(Clone, Debug)]
pub enum EvalError {
    /// Depends on something not yet known (forward reference).
    NotYet,
    Error(Span, String),
}

pub(crate) fn s_flags(flags: &str) -> Option<(u64, bool)> {
    let mut f = 0;
    let mut group = false;
    for c in flags.chars() {
        f |= match c {
            'a' => SHF_ALLOC,
            'w' => SHF_WRITE,
            'x' => SHF_EXECINSTR,
            'M' => SHF_MERGE,
            'S' => SHF_STRINGS,
            'T' => SHF_TLS,
            'o' => SHF_LINK_ORDER,
            'R' => SHF_GNU_RETAIN,
            'e' => SHF_EXCLUDE,
            'G' => {
                group = true;
                SHF_GROUP
            }
            _ => return None,
        };
    }
    Some((f, group))
}

pub(crate) fn default_section_kind(name: &str) -> (u32, u64) {
    let starts = |p: &str| name == p || name.starts_with(&format!("{p}."));
    if starts(".text") {
        (SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR)
    } else if starts(".bss") || starts(".sbss") {
        (SHT_NOBITS, SHF_ALLOC | SHF_WRITE)
    } else if starts(".tbss") {
        (SHT_NOBITS, SHF_ALLOC | SHF_WRITE | SHF_TLS)
    } else if starts(".data") || starts(".data1") || starts(".sdata") {
        (SHT_PROGBITS, SHF_ALLOC | SHF_WRITE)
    } else if starts(".tdata") {
        (SHT_PROGBITS, SHF_ALLOC | SHF_WRITE | SHF_TLS)
    } else if starts(".rodata") || starts(".rodata1") {
        (SHT_PROGBITS, SHF_ALLOC)
    } else if starts(".init_array") {
        (SHT_INIT_ARRAY, SHF_ALLOC | SHF_WRITE)
    } else if starts(".fini_array") {
        (SHT_FINI_ARRAY, SHF_ALLOC | SHF_WRITE)
    } else if starts(".preinit_array") {
        (SHT_PREINIT_ARRAY, SHF_ALLOC | SHF_WRITE)
    } else if name.starts_with(".note") {
        (SHT_NOTE, 0)
    } else {
        (SHT_PROGBITS, 0)
    }
}

pub(crate) fn leb_size(v: i64, signed: bool) -> u64 {
    bpfobj::leb::leb_size(v, signed)
}

/// Append a LEB128 value padded to `pad_to` bytes.
pub fn write_leb(out: &mut Vec<u8>, v: i64, signed: bool, pad_to: u64) {
    bpfobj::leb::write_leb_padded(out, v, signed, pad_to)
}

pub(crate) struct Resolver<'x> {
    pub(crate) a: &'x mut Assembler,
    pub(crate) file: u32,
}

impl Resolver<'_> {
    /// Record a use of symbol `id` at `span`.
    fn used(&mut self, id: SymId, span: Span) -> SymId {
        let s = &mut self.a.syms[id as usize];
        if s.first_use.is_none() {
            s.first_use = Some(span);
        }
        if self.a.opts.ide {
            self.a.ide.add_ref(id, span);
        }
        id
    }
}

impl SymbolResolver for Resolver<'_> {
    fn symbol(&mut self, name: &str, span: Span) -> SymId {
        let id = self.a.intern(name);
        self.used(id, span)
    }

    fn ident(&mut self, name: &str, span: Span) -> Ident {
        // A known symbol (most names: labels of debug info) in one look-up, not two.
        if let Some(id) = self.a.syms.lookup(name) {
            return Ident::Sym(self.used(id, span));
        }
        match self.constant(name) {
            Some(v) => Ident::Const(v),
            None => Ident::Sym(self.symbol(name, span)),
        }
    }

    fn dot(&mut self, _span: Span) -> SymId {
        self.a.temp_label_here()
    }

    fn constant(&mut self, name: &str) -> Option<i64> {
        // A name the assembly already knows stays a symbol; otherwise C constants from `.cdecl`
        // (enumerators) and the kernel UAPI (`XDP_PASS`, `BPF_ANY`, ...) are numbers.
        insn::Lookup::constant(&*self.a, name)
    }

    fn builtin(&mut self, name: &str, args: &[(u32, u32)], span: Span) -> Option<Result<i64, String>> {
        Some(self.a.core_builtin(self.file, name, args, span))
    }

    fn local_ref(&mut self, n: u32, backward: bool, span: Span) -> Result<SymId, String> {
        let count = self.a.syms.local_count(n);
        if backward {
            if count == 0 {
                return Err(format!("no previous definition of local label `{n}`"));
            }
            Ok(self.a.intern(&local_name(n, count)))
        } else {
            let id = self.a.intern(&local_name(n, count + 1));
            let s = &mut self.a.syms[id as usize];
            if s.first_use.is_none() {
                s.first_use = Some(span);
            }
            let _ = self.file;
            Ok(id)
        }
    }
}

impl insn::Lookup for Assembler {
    fn constant(&self, name: &str) -> Option<i64> {
        // As `Resolver::constant`, which it must agree with.
        if self.syms.contains(name) {
            return None;
        }
        match self.decls.context() {
            Some(c) => c.constant(name),
            None => bpfobj::uapi::constant(name),
        }
    }

    fn local_defined(&self, n: u32) -> bool {
        self.syms.local_count(n) > 0
    }
}

pub(crate) fn value_fits(v: i64, bytes: u8) -> bool {
    match bytes {
        8 => true,
        n => {
            let bits = n as u32 * 8;
            let min = -(1i64 << (bits - 1));
            let max = (1i64 << bits) - 1;
            v >= min && v <= max
        }
    }
}

impl Assembler {
    pub fn new(opts: Options) -> Self {
        let comp_dir = opts.comp_dir();
        let mut a = Assembler {
            opts,
            files: SourceFiles::new(),
            diags: Vec::new(),
            errors: 0,
            syms: Symbols::default(),
            secs: Sections::default(),
            lines: LineState::new(comp_dir),
            cfi: CfiState::default(),
            decls: CDecls::default(),
            ide: EditorRecords::default(),
            mac: Default::default(),
            cur_file: 0,
            addrsig: false,
            ident: Vec::new(),
            included: Vec::new(),
            call_targets: Vec::new(),
            include_depth: 0,
        };
        let text = a.get_section(".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, 0, Span::default());
        a.secs[text as usize].align = 4;
        a.secs[text as usize].implicit = true;
        a.secs.start_in(text);
        a
    }

    pub fn report(&mut self, d: Diag) {
        if d.code == Code::Silent {
            return;
        }
        if self.mac.stopped {
            return;
        }
        let d = if self.mac.expansions.is_empty() { d } else { self.relocate(d) };
        if d.level == crate::diag::Level::Error {
            self.errors += 1;
        }
        self.diags.push(d);
        if self.errors >= crate::limits::MAX_ERRORS {
            self.diags.push(Diag::global(
                Code::TooManyErrors,
                format!("too many errors ({}): stopping here", crate::limits::MAX_ERRORS),
            ));
            self.errors += 1;
            self.mac.stopped = true;
            self.mac.attention = true;
        }
    }

    pub(crate) fn intern(&mut self, name: &str) -> SymId {
        self.syms.intern(name)
    }

    fn temp_label_here(&mut self) -> SymId {
        let name = self.syms.next_temp_name();
        let id = self.syms.intern(&name);
        self.syms[id as usize].def = self.here();
        id
    }

    /// A label definition at the current location.
    pub(crate) fn here(&self) -> SymDef {
        let sec = self.secs.current();
        SymDef::Label { sec: self.secs.cur(), frag: sec.cur_frag(), off: sec.cur_offset() }
    }

    pub fn get_section(&mut self, name: &str, sh_type: u32, flags: u64, entsize: u64, decl: Span) -> SecId {
        self.secs.get_or_create(name, sh_type, flags, entsize, decl)
    }

    pub(crate) fn switch_to(&mut self, id: SecId) {
        // llvm-mc drops a pending `.loc` when the section changes.
        self.lines.drop_pending();
        self.secs.switch_to(id);
    }

    // ---------------------------------------------------------------- input

    /// Assemble a source file (the top-level input).
    pub fn assemble_file(&mut self, name: &str, text: String) {
        self.assemble_source(name, Source::owned(text));
    }

    /// Assemble a source file mapped read-only (the command line's input): the pages already
    /// assembled are given back to the kernel as the assembly goes, so a large input is never
    /// resident all at once.
    pub fn assemble_mapped(&mut self, name: &str, text: bpfsys::MappedText) {
        // clang's output has a label (`.Ltmp`, `.LBB`, debug info's) every 200 bytes or so:
        // a name map of that size from the start is not rehashed 17 times as it grows.
        self.syms.reserve((text.as_str().len() / 200).min(1 << 20));
        let text = Source::mapped(text);
        self.assemble_source(name, text.clone());
        text.release_before(usize::MAX);
    }

    fn assemble_source(&mut self, name: &str, text: Source) {
        let id = self.files.add(name.to_string(), text.clone());
        if self.opts.debug && !text.as_ref().contains(".loc") && !self.lines.is_used() {
            let comp_dir = self.opts.comp_dir();
            self.lines.start_auto_lines(&comp_dir, &self.opts.map_debug_path(name), id as u32);
        }
        self.run(id as u32, text);
        self.unterminated_conditionals();
    }

    pub(crate) fn run(&mut self, file: u32, text: Source) {
        let len = text.as_ref().len();
        self.run_range(file, text, 0, len);
    }

    /// Assemble `text[start..end]` of `file` (a whole file, or a body being expanded).
    pub(crate) fn run_range(&mut self, file: u32, text: Source, start: usize, end: usize) {
        let saved = self.cur_file;
        self.cur_file = file;
        let full: &str = text.as_ref();
        let src: &str = &full[..end];
        let mut lx = Lexer::new(src);
        if start > 0 {
            lx.set_pos(start);
        }
        let mut toks: Vec<Token<'_>> = Vec::with_capacity(32);
        // A mapped file's pages are given back a megabyte at a time, some way behind the lexer.
        const RELEASE_STEP: usize = 1 << 20;
        let mut release_at = if text.is_mapped() { start + 2 * RELEASE_STEP } else { usize::MAX };
        loop {
            if lx.pos() >= release_at {
                text.release_before(release_at - RELEASE_STEP);
                release_at += RELEASE_STEP;
            }
            let before = lx.at_end();
            if before || !lx.next_statement(&mut toks) {
                break;
            }
            for e in lx.errors.drain(..) {
                self.report(Diag::error(Code::Syntax, Span { file, start: e.start, end: e.end }, e.msg));
            }
            if toks.is_empty() {
                continue;
            }
            let eol = toks.last().map_or(0, |t| t.end);
            if self.mac.skipping {
                self.skipped_statement(&toks, file, eol);
                continue;
            }
            if toks[0].tok == Tok::Ident(".cdecl") {
                // C text: raw to the end of the line, or a block up to `.endcdecl`.
                let after = toks[0].end as usize;
                let line_end = src[after..].find('\n').map_or(src.len(), |n| after + n);
                let rest = &src[after..line_end];
                if rest.trim().is_empty() || rest.trim_start().starts_with('#') {
                    let body_start = (line_end + 1).min(src.len());
                    let mut p = body_start;
                    let mut end = None;
                    while p < src.len() {
                        let le = src[p..].find('\n').map_or(src.len(), |n| p + n);
                        if src[p..le].trim() == ".endcdecl" {
                            end = Some((p, (le + 1).min(src.len())));
                            break;
                        }
                        p = le + 1;
                    }
                    match end {
                        Some((body_end, next)) => {
                            self.cdecl_block(file, body_start as u32, &src[body_start..body_end]);
                            lx.set_pos(next);
                        }
                        None => {
                            let span = Span { file, start: toks[0].start, end: toks[0].end };
                            self.report(
                                Diag::error(Code::UnterminatedCdecl, span, "`.cdecl` block without `.endcdecl`")
                                    .help("end the block with a line holding `.endcdecl`, or put one declaration on the `.cdecl` line"),
                            );
                            lx.set_pos(src.len());
                        }
                    }
                } else {
                    self.cdecl_block(file, after as u32, rest);
                    lx.set_pos(line_end);
                }
                continue;
            }
            self.statement(&toks, file, eol);
            if self.mac.attention {
                // `.macro`, `.rept`, `.irp`, `.irpc` read their body from the lexer here.
                if let Some((kind, at)) = self.mac.body_pending.take() {
                    let k = toks.iter().position(|t| t.start == at).unwrap_or(0);
                    self.body_directive(kind, &toks[k..], file, eol, &text, &mut lx);
                }
                self.mac.attention = self.mac.exit_pending || self.mac.stopped;
                if self.mac.attention {
                    break;
                }
            }
        }
        for e in lx.errors.drain(..) {
            self.report(Diag::error(Code::Syntax, Span { file, start: e.start, end: e.end }, e.msg));
        }
        self.cur_file = saved;
    }

    /// Source text of a byte range (for tools built on the assembler).
    pub fn source_text_pub(&self, file: u32, start: u32, end: u32) -> String {
        self.source_text(file, start, end)
    }

    /// Names of the C types declared so far (`struct foo`, typedefs), for completion.
    pub fn declared_type_names(&self) -> Vec<String> {
        self.decls.context().map(|c| c.type_names()).unwrap_or_default()
    }

    /// Source text of a byte range.
    pub(crate) fn source_text(&self, file: u32, start: u32, end: u32) -> String {
        codespan_reporting::files::Files::source(&self.files, file as usize)
            .ok()
            .and_then(|s| s.get(start as usize..end as usize).map(str::to_string))
            .unwrap_or_default()
    }

    fn sp(&self, file: u32, t: &Token<'_>) -> Span {
        Span { file, start: t.start, end: t.end }
    }

    fn statement(&mut self, toks: &[Token<'_>], file: u32, eol: u32) {
        let mut i = 0;
        // Labels.
        while i + 1 < toks.len() && toks[i + 1].tok == Tok::Punct(":") {
            let span = self.sp(file, &toks[i]);
            match toks[i].tok {
                Tok::Ident(name) | Tok::Str(name) => self.define_label(name, span),
                // `r1:` is a label named r1, as llvm-mc reads it
                Tok::Reg(..) => {
                    let name = self.source_text(file, toks[i].start, toks[i].end);
                    self.define_label(&name, span);
                }
                Tok::Num { value, .. } if value <= u32::MAX as u64 => {
                    let name = self.syms.next_local(value as u32);
                    self.define_label(&name, span);
                }
                _ => break,
            }
            i += 2;
        }
        let rest = &toks[i..];
        let Some(first) = rest.first() else { return };
        if !self.mac.macros.is_empty() {
            if let Tok::Ident(name) = first.tok {
                if let Some(m) = self.mac.macros.get(name).cloned() {
                    return self.invoke_macro(m, rest, file, eol);
                }
            }
        }
        match first.tok {
            Tok::Ident(d) if d.starts_with('.') && d.len() > 1 => {
                self.decls.clear_pending_core();
                self.directive(d, rest, file, eol);
                if let Some(span) = self.decls.first_pending_core() {
                    self.report(
                        Diag::error(Code::Core, span, "CO-RE relocations apply to instructions, not to data")
                            .help("use `sizeof(...)` for a plain constant size"),
                    );
                }
                self.decls.clear_pending_core();
            }
            _ => self.instruction(rest, file, eol),
        }
    }

    pub(crate) fn define_label(&mut self, name: &str, span: Span) {
        let id = self.intern(name);
        let def = self.here();
        let s = &mut self.syms[id as usize];
        if s.def != SymDef::Undefined {
            let first = s.def_span;
            let shown = if name.contains('\u{2}') { name.split('\u{2}').next().unwrap_or(name) } else { name };
            let mut d = Diag::error(Code::DuplicateSymbol, span, format!("symbol `{shown}` is already defined"))
                .label("redefined here");
            if let Some(f) = first {
                d = d.with_secondary(f, "first defined here");
            }
            self.report(d);
            return;
        }
        s.def = def;
        s.def_span = Some(span);
    }

    pub(crate) fn assign(&mut self, name: &str, span: Span, toks: &[Token<'_>], file: u32, eol: u32, equiv: bool) {
        let mut c = Cursor::new(toks, file, eol);
        let e = {
            let mut r = Resolver { a: self, file };
            c.expr(&mut r)
        };
        let e = match e {
            Ok(e) => e,
            Err(e) => return self.report(Diag::error(Code::BadExpression, e.span, e.msg)),
        };
        if !c.at_end() {
            let sp = c.span_here();
            return self.report(Diag::error(Code::Syntax, sp, "unexpected text after expression"));
        }
        let id = self.intern(name);
        // `.set x, .` style: a value that depends on the location must be captured now.
        let e = if e.has_symbol() {
            match self.eval(&e, false, 0) {
                Ok(Value::Abs(v)) => Expr::num(v, e.span),
                _ => e,
            }
        } else {
            e
        };
        let s = &mut self.syms[id as usize];
        match &s.def {
            SymDef::Undefined | SymDef::Equ(_) if !(equiv && s.def != SymDef::Undefined) => {
                if let ExprKind::Sym(t) = e.kind {
                    if t == id {
                        return self.report(Diag::error(
                            Code::CircularSymbol,
                            span,
                            "symbol defined in terms of itself",
                        ));
                    }
                }
                s.def = SymDef::Equ(Box::new(e));
                s.def_span = Some(span);
            }
            _ => {
                let first = s.def_span;
                let mut d = Diag::error(Code::DuplicateSymbol, span, format!("symbol `{name}` is already defined"));
                if let Some(f) = first {
                    d = d.with_secondary(f, "first defined here");
                }
                self.report(d);
            }
        }
    }

    // ---------------------------------------------------------------- emission helpers

    /// With `-g`: the next row is this statement's line and column in its source file.
    fn auto_loc(&mut self, file: u32, at: u32) {
        // Inside an expansion: the line of the outermost macro use (as llvm-mc does).
        let (file, at) = self.mac.outermost_use().map_or((file, at), |u| (u.file, u.start));
        let Some(dwarf_file) = self.lines.dwarf_file(file) else { return };
        if let Ok(l) = codespan_reporting::files::Files::location(&self.files, file as usize, at as usize) {
            self.lines.set_loc(Loc {
                file: dwarf_file,
                line: l.line_number as u64,
                column: l.column_number as u64,
                is_stmt: true,
                ..Loc::default()
            });
        }
    }

    pub(crate) fn take_loc(&mut self) {
        if let Some((seq, loc)) = self.lines.take_row() {
            let sec = self.secs.current_mut();
            let (frag, offset) = (sec.cur_frag(), sec.cur_offset());
            sec.lines.push(LineRow { seq, frag, offset, loc });
        }
    }

    pub(crate) fn emit_bytes(&mut self, b: &[u8]) {
        self.take_loc();
        self.secs.current_mut().data_mut().extend_from_slice(b);
    }

    pub(crate) fn put_uint(&self, v: u64, size: u8) -> ([u8; 8], usize) {
        let mut b = [0u8; 8];
        let n = size as usize;
        match self.opts.endian {
            Endian::Little => b[..n].copy_from_slice(&v.to_le_bytes()[..n]),
            Endian::Big => b[..n].copy_from_slice(&v.to_be_bytes()[8 - n..]),
        }
        (b, n)
    }

    /// Emit a data value of `size` bytes.
    pub(crate) fn emit_value(&mut self, e: Expr, size: u8) {
        if let Some(v) = e.as_num() {
            if !value_fits(v, size) {
                self.report(
                    Diag::error(Code::OutOfRange, e.span, format!("value {v} does not fit in {size} byte(s)"))
                        .label("out of range"),
                );
            }
            let (b, n) = self.put_uint(v as u64, size);
            self.emit_bytes(&b[..n]);
            return;
        }
        self.take_loc();
        let sec = self.secs.current_mut();
        let (frag, offset) = (sec.cur_frag(), sec.cur_offset());
        sec.data_mut().extend(std::iter::repeat_n(0, size as usize));
        sec.fixups.push(frag, offset, FixKind::Data(size), e, false);
    }

    /// An error when `n` more bytes would take the current section past [`MAX_SECTION_BYTES`].
    pub(crate) fn room_for(&self, n: u64, span: Span) -> Result<(), Diag> {
        let sec = self.secs.current();
        let have: u64 = sec.frags.iter().map(|f| f.data.len() as u64).sum();
        if have.saturating_add(n) > MAX_SECTION_BYTES {
            return Err(Diag::error(
                Code::SectionTooLarge,
                span,
                format!("section `{}` would grow past {} bytes", sec.name, MAX_SECTION_BYTES),
            ));
        }
        Ok(())
    }

    pub(crate) fn emit_align(&mut self, align: u64, fill: Option<u8>, max: u64, span: Span) {
        if align == 0 || !align.is_power_of_two() {
            return self.report(Diag::error(Code::BadAlignment, span, "alignment must be a power of two"));
        }
        if align > MAX_ALIGN {
            return self.report(Diag::error(
                Code::BadAlignment,
                span,
                format!("alignment {align} is too large (at most {MAX_ALIGN})"),
            ));
        }
        if let Err(d) = self.room_for(align - 1, span) {
            return self.report(d);
        }
        let sec = self.secs.current_mut();
        sec.align = sec.align.max(align);
        let fill = fill.unwrap_or(0);
        if sec.frags.len() == 1 {
            let len = sec.frags[0].data.len() as u64;
            let pad = (align - len % align) % align;
            if max == 0 || pad <= max {
                let d = sec.data_mut();
                d.extend(std::iter::repeat_n(fill, pad as usize));
            }
        } else {
            let last = sec.frags.last_mut().expect("fragment");
            last.tail = Tail::Align { align, fill, max };
            sec.frags.push(Frag { data: Vec::new(), tail: Tail::None, start: 0, tail_size: 0 });
        }
    }

    // ---------------------------------------------------------------- evaluation

    /// Offset of a label within its section, if known (`final_layout`: after layout).
    fn label_offset(&self, sec: SecId, frag: u32, off: u32, final_layout: bool) -> Option<u64> {
        let s = &self.secs[sec as usize];
        if frag == 0 {
            return Some(off as u64);
        }
        if final_layout {
            Some(s.frags[frag as usize].start + off as u64)
        } else {
            None
        }
    }

    /// Section and offset of a defined symbol (following `.set` aliases).
    pub fn sym_location(&self, id: SymId, final_layout: bool) -> Option<(SecId, u64)> {
        match self.eval_sym(id, final_layout, 0) {
            Ok(Value::Rel(s, c)) => match self.syms[s as usize].def {
                SymDef::Label { sec, frag, off } => {
                    self.label_offset(sec, frag, off, final_layout).map(|o| (sec, (o as i64 + c) as u64))
                }
                _ => None,
            },
            _ => None,
        }
    }

    fn eval_sym(&self, id: SymId, final_layout: bool, depth: u32) -> Result<Value, EvalError> {
        let s = &self.syms[id as usize];
        match &s.def {
            SymDef::Equ(e) => {
                if depth > MAX_EVAL_DEPTH {
                    return Err(EvalError::Error(e.span, "symbol definitions nest too deeply (cycle?)".into()));
                }
                self.eval(e, final_layout, depth + 1)
            }
            SymDef::Undefined if !final_layout => Err(EvalError::NotYet),
            _ => Ok(Value::Rel(id, 0)),
        }
    }

    /// Evaluate an expression.
    pub fn eval(&self, e: &Expr, final_layout: bool, depth: u32) -> Result<Value, EvalError> {
        if depth > MAX_EVAL_DEPTH {
            return Err(EvalError::Error(e.span, "expression nests too deeply".into()));
        }
        match &e.kind {
            ExprKind::Num(v) => Ok(Value::Abs(*v)),
            ExprKind::Sym(id) => self.eval_sym(*id, final_layout, depth + 1),
            ExprKind::Un(op, x) => match self.eval(x, final_layout, depth + 1)? {
                Value::Abs(v) => Ok(Value::Abs(match op {
                    UnOp::Neg => v.wrapping_neg(),
                    UnOp::Not => !v,
                    UnOp::LNot => (v == 0) as i64,
                })),
                Value::Rel(..) => {
                    Err(EvalError::Error(e.span, "this operator needs an absolute value, not a symbol".into()))
                }
            },
            ExprKind::Bin(op, a, b) => {
                let va = self.eval(a, final_layout, depth + 1)?;
                let vb = self.eval(b, final_layout, depth + 1)?;
                match (op, va, vb) {
                    (_, Value::Abs(x), Value::Abs(y)) => apply(*op, x, y)
                        .map(Value::Abs)
                        .ok_or_else(|| EvalError::Error(e.span, "division by zero".into())),
                    (BinOp::Add, Value::Rel(s, c), Value::Abs(y)) | (BinOp::Add, Value::Abs(y), Value::Rel(s, c)) => {
                        Ok(Value::Rel(s, c.wrapping_add(y)))
                    }
                    (BinOp::Sub, Value::Rel(s, c), Value::Abs(y)) => Ok(Value::Rel(s, c.wrapping_sub(y))),
                    (BinOp::Sub, Value::Rel(s1, c1), Value::Rel(s2, c2)) => {
                        let l1 = self.sym_loc_raw(s1, final_layout);
                        let l2 = self.sym_loc_raw(s2, final_layout);
                        match (l1, l2) {
                            (Some((sec1, o1)), Some((sec2, o2))) if sec1 == sec2 => {
                                Ok(Value::Abs((o1 as i64 - o2 as i64).wrapping_add(c1).wrapping_sub(c2)))
                            }
                            (Some((sec1, _)), Some((sec2, _))) => Err(EvalError::Error(
                                e.span,
                                format!(
                                    "cannot subtract symbols in different sections (`{}` and `{}`)",
                                    self.secs[sec1 as usize].name, self.secs[sec2 as usize].name
                                ),
                            )),
                            _ if !final_layout => Err(EvalError::NotYet),
                            _ => Err(EvalError::Error(
                                e.span,
                                "cannot subtract an undefined symbol; a difference needs both symbols defined in one section"
                                    .into(),
                            )),
                        }
                    }
                    _ => Err(EvalError::Error(e.span, "this operator needs absolute values, not symbols".into())),
                }
            }
        }
    }

    fn sym_loc_raw(&self, id: SymId, final_layout: bool) -> Option<(SecId, u64)> {
        match self.syms[id as usize].def {
            SymDef::Label { sec, frag, off } => self.label_offset(sec, frag, off, final_layout).map(|o| (sec, o)),
            _ => None,
        }
    }

    /// Evaluate to an absolute value now, reporting errors. `what` names the operand.
    pub fn eval_abs_now(&mut self, e: &Expr, what: &str) -> Option<i64> {
        match self.eval(e, false, 0) {
            Ok(Value::Abs(v)) => Some(v),
            Ok(Value::Rel(..)) | Err(EvalError::NotYet) => {
                self.report(
                    Diag::error(Code::NotAbsolute, e.span, format!("{what} must be an absolute expression"))
                        .label("not a constant known at this point"),
                );
                None
            }
            Err(EvalError::Error(span, msg)) => {
                self.report(Diag::error(Code::BadExpression, span, msg));
                None
            }
        }
    }

    pub(crate) fn emit_leb(&mut self, e: Expr, signed: bool) {
        match self.eval(&e, false, 0) {
            Ok(Value::Abs(v)) => {
                let mut b = Vec::with_capacity(10);
                write_leb(&mut b, v, signed, 0);
                self.emit_bytes(&b);
            }
            Ok(Value::Rel(..)) => self.report(Diag::error(
                Code::NotAbsolute,
                e.span,
                "a LEB128 value must be absolute or a difference of labels in one section",
            )),
            Err(EvalError::Error(span, msg)) => self.report(Diag::error(Code::BadExpression, span, msg)),
            Err(EvalError::NotYet) => {
                self.take_loc();
                let sec = self.secs.current_mut();
                let last = sec.frags.last_mut().expect("fragment");
                last.tail = Tail::Leb { expr: e, signed };
                sec.frags.push(Frag { data: Vec::new(), tail: Tail::None, start: 0, tail_size: 0 });
            }
        }
    }

    pub(crate) fn unescape_str(&mut self, s: &str, span: Span, out: &mut Vec<u8>) {
        if let Err(at) = unescape(s, out) {
            let start = span.start + 1 + at as u32;
            self.report(Diag::error(
                Code::BadEscape,
                Span { file: span.file, start, end: start + 2 },
                "invalid escape sequence",
            ));
        }
    }

    // ---------------------------------------------------------------- CO-RE builtins

    /// Evaluate `offsetof(...)`, `sizeof(...)` and the `bpf_core_*` builtins. The CO-RE ones
    /// also queue a relocation record for the instruction being assembled.
    fn core_builtin(&mut self, file: u32, name: &str, args: &[(u32, u32)], span: Span) -> Result<i64, String> {
        let texts: Vec<String> = args.iter().map(|&(a, b)| self.source_text(file, a, b)).collect();
        let want = match name {
            "sizeof"
            | "bpf_core_type_id_local"
            | "bpf_core_type_id_kernel"
            | "bpf_core_type_exists"
            | "bpf_core_type_matches"
            | "bpf_core_type_size" => 1,
            _ => 2,
        };
        if texts.len() != want {
            return Err(format!("`{name}` takes {want} argument(s)"));
        }
        if !self.decls.has_context() && !self.decls.has_base_btf() {
            return Err(format!(
                "`{name}` needs type declarations: declare the types in a `.cdecl` block or give --btf FILE"
            ));
        }
        let endian = self.opts.endian;
        let have_base = self.decls.has_base_btf();
        let ctx = self.cdecl_ctx_pub();
        let ty = ctx
            .type_id(texts[0].trim())
            .map_err(|e| format!("{}{}", e.message, e.help.map(|h| format!(" ({h})")).unwrap_or_default()))?;
        if ctx.kind_of(ty) == Some(btf::Kind::FWD) {
            return Err(format!(
                "`{}` is not defined here (only declared){}",
                texts[0].trim(),
                if have_base { "" } else { "; declare it in a `.cdecl` block, or give --btf /sys/kernel/btf/vmlinux" }
            ));
        }
        let field = |ctx: &mut crate::cdecl::Context| {
            ctx.field_access(ty, texts[1].trim())
                .map_err(|e| format!("{}{}", e.message, e.help.map(|h| format!(" (help: {h})")).unwrap_or_default()))
        };
        let (value, kind, type_id, access) = match name {
            "sizeof" => {
                return ctx.type_size(ty).map(|v| v as i64).map_err(|e| e.message);
            }
            "offsetof" | "bpf_core_field_offset" => {
                let f = field(ctx)?;
                // As in C: `offsetof` is a plain constant unless the struct is relocatable
                // (`preserve_access_index`, or a kernel type from --btf); the bpf_core_* builtin
                // always relocates.
                if name == "offsetof" && !ctx.is_relocatable(f.root_type) {
                    return Ok(f.byte_offset as i64);
                }
                (f.byte_offset as i64, 0, f.root_type, f.spec())
            }
            "bpf_core_field_size" => {
                let f = field(ctx)?;
                (f.byte_size as i64, 1, f.root_type, f.spec())
            }
            "bpf_core_field_exists" => {
                let f = field(ctx)?;
                (1, 2, f.root_type, f.spec())
            }
            "bpf_core_field_signed" => {
                let f = field(ctx)?;
                (f.signed as i64, 3, f.root_type, f.spec())
            }
            "bpf_core_field_lshift" => {
                let f = field(ctx)?;
                (f.lshift_u64(endian) as i64, 4, f.root_type, f.spec())
            }
            "bpf_core_field_rshift" => {
                let f = field(ctx)?;
                (f.rshift_u64() as i64, 5, f.root_type, f.spec())
            }
            "bpf_core_type_id_local" => (ty as i64, 6, ty, "0".to_string()),
            "bpf_core_type_id_kernel" => (ty as i64, 7, ty, "0".to_string()),
            "bpf_core_type_exists" => (1, 8, ty, "0".to_string()),
            "bpf_core_type_size" => (ctx.type_size(ty).map_err(|e| e.message)? as i64, 9, ty, "0".to_string()),
            "bpf_core_type_matches" => (1, 12, ty, "0".to_string()),
            "bpf_core_enum_value_exists" | "bpf_core_enum_value" => {
                let (idx, v) = ctx.enum_value(ty, texts[1].trim()).map_err(|e| {
                    format!("{}{}", e.message, e.help.map(|h| format!(" (help: {h})")).unwrap_or_default())
                })?;
                if name == "bpf_core_enum_value" {
                    (v, 11, ty, idx.to_string())
                } else {
                    (1, 10, ty, idx.to_string())
                }
            }
            _ => return Err(format!("unknown builtin `{name}`")),
        };
        self.decls.queue_core((kind, access, type_id, span));
        Ok(value)
    }

    // ---------------------------------------------------------------- instructions

    fn instruction(&mut self, toks: &[Token<'_>], file: u32, eol: u32) {
        self.decls.clear_pending_core();
        let mut scratch = insn::Scratch::default();
        let sel = insn::select(toks, file, eol, &mut insn::Pure::new(&*self), &mut scratch);
        let m = sel.and_then(|sel| {
            let mut r = Resolver { a: self, file };
            insn::bind(sel, &mut scratch, toks, file, eol, &mut r)
        });
        let m = match m {
            Ok(m) => m,
            Err(e) => return self.match_error(e, toks, file),
        };
        let stmt_span = Span { file, start: toks[0].start, end: eol };
        let form = m.op.form();
        if let Some(isa) = self.opts.isa {
            if form.isa > isa {
                self.report(
                    Diag::error(
                        Code::Isa,
                        stmt_span,
                        format!("this instruction requires -mcpu={} (selected -mcpu={})", form.isa.name(), isa.name()),
                    )
                    .label(format!("{} needs ISA {}", form.name, form.isa.name())),
                );
                return;
            }
        }
        let mut insn = Insn::new(m.op);
        let ops = m.ops;
        if let Some((d, _)) = ops.dst {
            insn.dst = d;
        }
        if let Some((s, _)) = ops.src {
            insn.src = s;
        }
        let mut fixups: Vec<(FixKind, Expr)> = Vec::new();
        if let Some(e) = ops.off {
            match e.as_num() {
                Some(v) => {
                    if !(-32768..=32767).contains(&v) {
                        return self.report(
                            Diag::error(Code::OutOfRange, e.span, format!("offset {v} is not a 16-bit signed integer"))
                                .label("must be in -32768..=32767"),
                        );
                    }
                    insn.off = v as i16;
                }
                None => fixups.push((FixKind::Off16, e)),
            }
        }
        if let Some(e) = ops.asd {
            fixups.push((FixKind::AsDst, e));
        }
        if let Some(e) = ops.ass {
            fixups.push((FixKind::AsSrc, e));
        }
        if let Some(e) = ops.imm {
            if m.op == Op::Call {
                match e.as_num() {
                    Some(v) => {
                        if !self.check_imm32(v, e.span) {
                            return;
                        }
                        insn.imm = v as i32 as i64;
                    }
                    None => fixups.push((FixKind::Call, e)),
                }
            } else if m.op == Op::LdImm64 {
                match e.as_num() {
                    Some(v) => insn.imm = v,
                    None => fixups.push((FixKind::Imm64, e)),
                }
            } else {
                match e.as_num() {
                    Some(v) => {
                        if !self.check_imm32(v, e.span) {
                            return;
                        }
                        insn.imm = v as i32 as i64;
                    }
                    None => fixups.push((FixKind::Imm32, e)),
                }
            }
        }
        if let Some(e) = ops.target {
            let in_imm = matches!(m.op, Op::Gotol | Op::CallLocal);
            match e.as_num() {
                Some(v) => {
                    if in_imm {
                        if !self.check_imm32(v, e.span) {
                            return;
                        }
                        insn.imm = v as i32 as i64;
                    } else {
                        if !(-32768..=32767).contains(&v) {
                            return self.report(
                                Diag::error(
                                    Code::JumpOutOfRange,
                                    e.span,
                                    format!("jump offset {v} does not fit in 16 bits"),
                                )
                                .help("use `gotol` for unconditional jumps farther than 32767 instructions"),
                            );
                        }
                        insn.off = v as i16;
                    }
                }
                None => fixups.push((if in_imm { FixKind::PcImm } else { FixKind::PcOff }, e)),
            }
        }
        if self.lines.auto_lines() {
            self.auto_loc(file, toks[0].start);
        }
        self.take_loc();
        let endian = self.opts.endian;
        let sec = self.secs.current_mut();
        let (frag, offset) = (sec.cur_frag(), sec.cur_offset());
        insn.encode_into(endian, sec.data_mut());
        for (kind, expr) in fixups {
            sec.fixups.push(frag, offset, kind, expr, insn.op == Op::Ja);
        }
        if self.opts.ide {
            let span = Span { file, start: toks[0].start, end: eol };
            let cur = self.secs.cur();
            self.ide.add_stmt(StmtInfo { span, insn, sec: cur, frag, offset });
        }
        let pending = self.decls.take_pending_core();
        if pending.len() > 1 {
            self.report(
                Diag::error(Code::Core, pending[1].3, "one instruction can carry only one CO-RE relocation")
                    .with_secondary(pending[0].3, "the first one"),
            );
        } else if let Some((kind, access, type_id, span)) = pending.into_iter().next() {
            let cur = self.secs.cur();
            self.decls.add_core(CoreRecord { sec: cur, frag, offset, type_id, access, kind, span });
        }
    }

    fn check_imm32(&mut self, v: i64, span: Span) -> bool {
        if v < i32::MIN as i64 || v > u32::MAX as i64 {
            self.report(
                Diag::error(Code::OutOfRange, span, format!("immediate {v} does not fit in 32 bits"))
                    .label("must be in -2147483648..=4294967295")
                    .help("use `rX = <value> ll` to load a 64-bit constant"),
            );
            return false;
        }
        true
    }

    fn match_error(&mut self, e: MatchError, toks: &[Token<'_>], file: u32) {
        match e {
            MatchError::Unknown { span } => {
                let word = match toks[0].tok {
                    Tok::Ident(s) => s.to_string(),
                    _ => String::new(),
                };
                // BPF has no `sym = expr` assignment (as in llvm-mc); `r11 = 1` is a bad register.
                let b = word.as_bytes();
                if b.len() > 1 && (b[0] == b'r' || b[0] == b'w') && b[1..].iter().all(u8::is_ascii_digit) {
                    return self.report(
                        Diag::error(Code::UnknownRegister, span, format!("`{word}` is not a register"))
                            .label("BPF has registers r0-r10 (w0-w10 for their low 32 bits)"),
                    );
                }
                let mut d =
                    Diag::error(Code::UnknownInstruction, span, "unknown instruction").label("not an instruction");
                let words = insn::known_words();
                if let Some(s) = closest(&word, words.iter().copied()) {
                    d = d.help(format!("did you mean `{s}`?"));
                } else if let Some(&Tok::Ident(w)) = toks.first().map(|t| &t.tok) {
                    if let Some(s) = closest(w.trim_start_matches('.'), all_directives().map(|d| &d[1..])) {
                        d = d.help(format!("did you mean the directive `.{s}`?"));
                    }
                }
                let _ = file;
                self.report(d);
            }
            MatchError::Mismatch { span, expected, found } => {
                let exp = match expected.len() {
                    0 => "something else".to_string(),
                    1 => expected[0].clone(),
                    _ => {
                        let (last, rest) = expected.split_last().expect("non-empty");
                        format!("{} or {}", rest.join(", "), last)
                    }
                };
                let mut d = Diag::error(
                    Code::InvalidOperand,
                    span,
                    format!("invalid operand for instruction: expected {exp}, found {found}"),
                )
                .label(format!("expected {exp}"));
                if found.starts_with("`w") && exp.contains("64-bit register") {
                    d = d.help("this form takes 64-bit registers (r0-r10)");
                } else if found.starts_with("`r") && exp.contains("32-bit register") {
                    d = d.help("this form takes 32-bit registers (w0-w10); do not mix r and w registers");
                } else if found == "`ll`" {
                    d = d.help("`ll` loads a 64-bit immediate: `rX = <value or symbol> ll`");
                }
                self.report(d);
            }
            MatchError::Tied { span, want } => {
                self.report(
                    Diag::error(
                        Code::InvalidOperand,
                        span,
                        format!("this operand must be the same register as before (`{want}`)"),
                    )
                    .label(format!("expected `{want}`")),
                );
            }
            MatchError::Expr(e) => self.report(Diag::error(Code::BadExpression, e.span, e.msg)),
        }
    }
}

/// Every directive the assembler knows (for suggestions and completion).
pub fn all_directives() -> impl Iterator<Item = &'static str> {
    DIRECTIVES.iter().copied().chain(crate::macros::state::directives())
}

/// Directives (for `did you mean`; those of macros and conditionals: [`crate::macros::state::directives`]).
pub const DIRECTIVES: &[&str] = &[
    ".text",
    ".data",
    ".bss",
    ".rodata",
    ".section",
    ".pushsection",
    ".popsection",
    ".previous",
    ".globl",
    ".global",
    ".weak",
    ".local",
    ".hidden",
    ".internal",
    ".protected",
    ".type",
    ".size",
    ".p2align",
    ".p2alignw",
    ".p2alignl",
    ".align",
    ".balign",
    ".byte",
    ".short",
    ".hword",
    ".2byte",
    ".value",
    ".long",
    ".int",
    ".4byte",
    ".quad",
    ".8byte",
    ".ascii",
    ".asciz",
    ".string",
    ".uleb128",
    ".sleb128",
    ".zero",
    ".space",
    ".skip",
    ".fill",
    ".set",
    ".equ",
    ".equiv",
    ".file",
    ".loc",
    ".cfi_sections",
    ".cfi_startproc",
    ".cfi_endproc",
    ".addrsig",
    ".addrsig_sym",
    ".include",
    ".ident",
    ".comm",
    ".lcomm",
    ".loc_mark_labels",
];

pub fn is_cfi(d: &str) -> bool {
    d.starts_with(".cfi_")
}
