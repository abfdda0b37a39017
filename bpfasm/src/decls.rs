//! The C declarations of one assembly (`.cdecl`): the C front end, the declarations by name
//! and in order, the base BTF, and the CO-RE relocations the builtins asked for.

use crate::cdecl::{BaseBtf, Context, Decl, ExternKind};
use crate::expr::{SecId, Span};
use bpf_isa::Endian;
use std::collections::HashMap;
use std::rc::Rc;

/// A declaration with where it came from.
#[derive(Clone, Debug)]
pub struct Declared {
    pub decl: Decl,
    pub span: Span,
    /// Defined by the declaration itself (initializer or `SEC`).
    pub defines: bool,
}

/// A CO-RE relocation recorded for an instruction.
#[derive(Clone, Debug)]
pub struct CoreRecord {
    pub sec: SecId,
    pub frag: u32,
    pub offset: u32,
    pub type_id: u32,
    pub access: String,
    pub kind: u32,
    pub span: Span,
}

/// Whether an extern variable belongs to `.kconfig` or `.ksyms`.
pub fn extern_section(k: ExternKind) -> Option<&'static str> {
    match k {
        ExternKind::Kconfig => Some(".kconfig"),
        ExternKind::Ksym => Some(".ksyms"),
        ExternKind::Plain => None,
    }
}

/// A CO-RE builtin's relocation waiting for its instruction: kind, access string, type id, span.
pub type PendingCore = (u32, String, u32, Span);

/// The declarations owner.
#[derive(Default)]
pub struct CDecls {
    ctx: Option<Context>,
    by_name: HashMap<String, Declared>,
    /// Declared names in declaration order (layouts and BTF follow it, as clang's do).
    order: Vec<String>,
    core: Vec<CoreRecord>,
    pending_core: Vec<PendingCore>,
    base_btf: Option<Rc<BaseBtf>>,
}

impl CDecls {
    /// A `.cdecl` was seen (or a CO-RE builtin needed the front end).
    pub fn has_context(&self) -> bool {
        self.ctx.is_some()
    }

    pub fn context(&self) -> Option<&Context> {
        self.ctx.as_ref()
    }

    /// The C front end, made on first use (over the base BTF, if given).
    pub(crate) fn context_mut(&mut self, endian: Endian) -> &mut Context {
        let base = &self.base_btf;
        self.ctx.get_or_insert_with(|| Context::new(endian, base.clone()))
    }

    /// The front end, taken out to build the final BTF.
    pub(crate) fn take_context(&mut self) -> Option<Context> {
        self.ctx.take()
    }

    pub fn has_base_btf(&self) -> bool {
        self.base_btf.is_some()
    }

    /// The base BTF; an error once a `.cdecl` has been read (its types would not see it).
    pub(crate) fn set_base_btf(&mut self, b: BaseBtf) -> Result<(), String> {
        if self.ctx.is_some() {
            return Err("the base BTF must be given before the first `.cdecl`".into());
        }
        self.base_btf = Some(Rc::new(b));
        Ok(())
    }

    pub fn get(&self, name: &str) -> Option<&Declared> {
        self.by_name.get(name)
    }

    /// Record a declaration (its name must not be declared yet).
    pub(crate) fn insert(&mut self, name: String, d: Declared) {
        self.order.push(name.clone());
        self.by_name.insert(name, d);
    }

    /// Declared names in declaration order.
    pub fn names(&self) -> &[String] {
        &self.order
    }

    /// Queue a CO-RE relocation for the instruction being assembled (once per record).
    pub(crate) fn queue_core(&mut self, rec: PendingCore) {
        if !self.pending_core.contains(&rec) {
            self.pending_core.push(rec);
        }
    }

    pub(crate) fn clear_pending_core(&mut self) {
        self.pending_core.clear();
    }

    /// The first queued relocation's span, if any.
    pub(crate) fn first_pending_core(&self) -> Option<Span> {
        self.pending_core.first().map(|p| p.3)
    }

    pub(crate) fn take_pending_core(&mut self) -> Vec<PendingCore> {
        std::mem::take(&mut self.pending_core)
    }

    pub(crate) fn add_core(&mut self, r: CoreRecord) {
        self.core.push(r);
    }

    /// CO-RE relocations, in instruction order.
    pub fn core(&self) -> &[CoreRecord] {
        &self.core
    }
}
