//! The sections of one assembly: their bytes (in fragments), fixups and relocations, by id and
//! by name, and which one is current (`.section`, `.pushsection`/`.popsection`, `.previous`).

use crate::expr::{Expr, ExprKind, SecId, Span, SymId};
use crate::lines::LineRow;
pub use bpfobj::elf::RelocType;
use bpfobj::elf::SHF_EXECINSTR;
use std::collections::HashMap;

#[derive(Clone, Debug)]
pub enum Tail {
    None,
    Leb { expr: Expr, signed: bool },
    Align { align: u64, fill: u8, max: u64 },
}

#[derive(Clone, Debug)]
pub struct Frag {
    pub data: Vec<u8>,
    pub tail: Tail,
    /// Start offset after layout.
    pub start: u64,
    /// Size of the tail after layout.
    pub tail_size: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixKind {
    Data(u8),
    /// Memory offset of an instruction: absolute only.
    Off16,
    /// 32-bit immediate: absolute only.
    Imm32,
    /// `addr_space_cast` address spaces.
    AsDst,
    AsSrc,
    /// `ld_imm64`: absolute or R_BPF_64_64.
    Imm64,
    /// `call sym` or `call N`.
    Call,
    /// pc-relative target in off (jumps).
    PcOff,
    /// pc-relative target in imm (gotol, `call pc+N`).
    PcImm,
}

/// A value to patch in once every symbol is known. 28 bytes (a large input has hundreds of
/// thousands): a lone symbol (a jump's or a call's target) is kept inline, any other
/// expression in the section's [`Fixups::exprs`].
#[derive(Clone, Copy, Debug)]
pub struct Fixup {
    pub frag: u32,
    pub offset: u32,
    /// The expression's span.
    pub span: Span,
    /// The symbol of a lone-symbol expression, or the index of the expression in `exprs`.
    target: u32,
    pub kind: FixKind,
    flags: u8,
}

const FIX_IS_JA: u8 = 1;
const FIX_IN_EXPRS: u8 = 2;

impl Fixup {
    /// The instruction is `goto` (for the "use gotol" hint).
    pub fn is_ja(&self) -> bool {
        self.flags & FIX_IS_JA != 0
    }
}

/// A section's fixups, in the order they were made.
#[derive(Clone, Debug, Default)]
pub struct Fixups {
    pub list: Vec<Fixup>,
    /// The expressions that are not a lone symbol.
    pub exprs: Vec<Expr>,
}

impl Fixups {
    pub fn push(&mut self, frag: u32, offset: u32, kind: FixKind, expr: Expr, is_ja: bool) {
        let span = expr.span;
        let mut flags = if is_ja { FIX_IS_JA } else { 0 };
        let target = match expr.kind {
            ExprKind::Sym(id) => id,
            _ => {
                flags |= FIX_IN_EXPRS;
                self.exprs.push(expr);
                (self.exprs.len() - 1) as u32
            }
        };
        self.list.push(Fixup { frag, offset, span, target, kind, flags });
    }

    /// The expression of `fx`, one of these fixups.
    pub fn expr(&self, fx: &Fixup) -> std::borrow::Cow<'_, Expr> {
        if fx.flags & FIX_IN_EXPRS != 0 {
            std::borrow::Cow::Borrowed(&self.exprs[fx.target as usize])
        } else {
            std::borrow::Cow::Owned(Expr { kind: ExprKind::Sym(fx.target), span: fx.span })
        }
    }
}

/// A resolved relocation (before symbol-table indices exist).
#[derive(Clone, Copy, Debug)]
pub struct Reloc {
    pub offset: u64,
    pub r_type: RelocType,
    pub target: RelocTarget,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelocTarget {
    Symbol(SymId),
    Section(SecId),
}

#[derive(Clone, Debug)]
pub struct Section {
    pub name: String,
    pub sh_type: u32,
    pub flags: u64,
    pub entsize: u64,
    pub align: u64,
    pub frags: Vec<Frag>,
    pub fixups: Fixups,
    pub relocs: Vec<Reloc>,
    pub lines: Vec<LineRow>,
    pub decl: Span,
    /// Created implicitly (e.g. `.text` at start) rather than by a directive.
    pub implicit: bool,
}

impl Section {
    pub fn is_code(&self) -> bool {
        self.flags & SHF_EXECINSTR != 0
    }

    pub fn cur_frag(&self) -> u32 {
        self.frags.len() as u32 - 1
    }

    pub fn cur_offset(&self) -> u32 {
        self.frags.last().map_or(0, |f| f.data.len() as u32)
    }

    pub fn data_mut(&mut self) -> &mut Vec<u8> {
        &mut self.frags.last_mut().expect("a section has a fragment").data
    }

    /// Size after layout.
    pub fn size(&self) -> u64 {
        self.frags.last().map_or(0, |f| f.start + f.data.len() as u64 + f.tail_size)
    }

    /// Contents after layout (only valid for single-fragment sections before `finish`).
    pub fn bytes(&self) -> Vec<u8> {
        if self.frags.len() == 1 {
            return self.frags[0].data.clone();
        }
        let mut v = Vec::with_capacity(self.size() as usize);
        for f in &self.frags {
            v.extend_from_slice(&f.data);
            v.resize((f.start + f.data.len() as u64 + f.tail_size) as usize, 0);
        }
        v
    }
}

/// The section owner: every section by id (index it as `secs[id as usize]`) and by name, the
/// current and previous section and the `.pushsection` stack.
#[derive(Debug, Default)]
pub struct Sections {
    list: Vec<Section>,
    by_name: HashMap<String, SecId>,
    cur: SecId,
    prev: SecId,
    stack: Vec<(SecId, SecId)>,
}

impl Sections {
    /// The section named `name`, created with these attributes if it does not exist.
    pub fn get_or_create(&mut self, name: &str, sh_type: u32, flags: u64, entsize: u64, decl: Span) -> SecId {
        if let Some(&id) = self.by_name.get(name) {
            return id;
        }
        let id = self.list.len() as SecId;
        self.list.push(Section {
            name: name.to_string(),
            sh_type,
            flags,
            entsize,
            align: 1,
            frags: vec![Frag { data: Vec::new(), tail: Tail::None, start: 0, tail_size: 0 }],
            fixups: Fixups::default(),
            relocs: Vec::new(),
            lines: Vec::new(),
            decl,
            implicit: false,
        });
        self.by_name.insert(name.to_string(), id);
        id
    }

    /// The current section's id.
    pub fn cur(&self) -> SecId {
        self.cur
    }

    /// The section `.previous` returns to.
    pub fn prev(&self) -> SecId {
        self.prev
    }

    pub fn current(&self) -> &Section {
        &self.list[self.cur as usize]
    }

    pub fn current_mut(&mut self) -> &mut Section {
        &mut self.list[self.cur as usize]
    }

    /// Make `id` current; the section it leaves becomes the previous one.
    pub(crate) fn switch_to(&mut self, id: SecId) {
        if id != self.cur {
            self.prev = self.cur;
            self.cur = id;
        }
    }

    /// Make `id` current without touching the previous section (the first section, and
    /// emitting into another section for a moment: restore with the returned id).
    pub(crate) fn enter(&mut self, id: SecId) -> SecId {
        std::mem::replace(&mut self.cur, id)
    }

    /// Start with `id` current and previous.
    pub(crate) fn start_in(&mut self, id: SecId) {
        self.cur = id;
        self.prev = id;
    }

    /// `.pushsection`: remember the current and previous sections.
    pub(crate) fn push(&mut self) {
        self.stack.push((self.cur, self.prev));
    }

    /// `.popsection`: back to the sections of the matching `.pushsection`; false without one.
    pub(crate) fn pop(&mut self) -> bool {
        match self.stack.pop() {
            Some((cur, prev)) => {
                self.cur = cur;
                self.prev = prev;
                true
            }
            None => false,
        }
    }
}

indexed_list!(Sections, Section, SecId);
