//! The symbols of one assembly: by id and by name, numbered local labels (`1:` ... `1b`) and
//! the assembler's own temporary labels.

use crate::expr::{Expr, SecId, Span, SymId};
use bpfobj::elf::{STT_NOTYPE, STV_DEFAULT};
use btf::hash::FxHashMap as HashMap;
use std::rc::Rc;

#[derive(Clone, Debug, PartialEq)]
pub enum SymDef {
    Undefined,
    Label { sec: SecId, frag: u32, off: u32 },
    Equ(Box<Expr>),
    Common { size: u64, align: u64 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Binding {
    Default,
    Local,
    Global,
    Weak,
}

#[derive(Clone, Debug)]
pub struct Symbol {
    pub name: Rc<str>,
    pub def: SymDef,
    pub binding: Binding,
    pub vis: u8,
    pub typ: u8,
    pub size: Option<Box<Expr>>,
    pub def_span: Option<Span>,
    pub first_use: Option<Span>,
    /// `.L` names and assembler-made labels: not in the symbol table.
    pub temp: bool,
    pub used_in_reloc: bool,
    pub addrsig: bool,
    /// Declared by a `.cdecl` `extern` function (a kfunc or a function of another object):
    /// like a C compiler, the object lists it only when the code refers to it.
    pub declared_extern: bool,
}

impl Symbol {
    pub fn is_global(&self) -> bool {
        matches!(self.binding, Binding::Global | Binding::Weak)
    }
}

/// The symbol owner: every symbol by id (index it as `syms[id as usize]`) and by name.
#[derive(Debug, Default)]
pub struct Symbols {
    list: Vec<Symbol>,
    by_name: HashMap<Rc<str>, SymId>,
    /// How many times each numbered local label (`1:`) has been defined.
    local_counts: HashMap<u32, u32>,
    tmp_counter: u32,
}

impl Symbols {
    /// The symbol named `name`, created undefined if it does not exist.
    pub fn intern(&mut self, name: &str) -> SymId {
        if let Some(&id) = self.by_name.get(name) {
            return id;
        }
        let id = self.list.len() as SymId;
        let name: Rc<str> = Rc::from(name);
        self.list.push(Symbol {
            name: name.clone(),
            def: SymDef::Undefined,
            binding: Binding::Default,
            vis: STV_DEFAULT,
            typ: STT_NOTYPE,
            size: None,
            def_span: None,
            first_use: None,
            temp: name.starts_with(".L"),
            used_in_reloc: false,
            addrsig: false,
            declared_extern: false,
        });
        self.by_name.insert(name, id);
        id
    }

    /// Make room for `n` more symbols (no rehashing of the name map while they come).
    pub fn reserve(&mut self, n: usize) {
        self.list.reserve(n);
        self.by_name.reserve(n);
    }

    /// How many times the numbered local label `n:` has been defined so far.
    pub fn local_count(&self, n: u32) -> u32 {
        self.local_counts.get(&n).copied().unwrap_or(0)
    }

    /// The name of the next definition of the numbered local label `n:` (counting it).
    pub(crate) fn next_local(&mut self, n: u32) -> String {
        let c = self.local_counts.entry(n).or_insert(0);
        *c += 1;
        local_name(n, *c)
    }

    /// A fresh name for an assembler-made label (`.` in an expression).
    pub(crate) fn next_temp_name(&mut self) -> String {
        self.tmp_counter += 1;
        format!(".Ltmp\u{1}{}", self.tmp_counter)
    }
}

/// The symbol name of the `count`th definition of the numbered local label `n:`.
pub(crate) fn local_name(n: u32, count: u32) -> String {
    format!(".L{n}\u{2}{count}")
}

indexed_list!(Symbols, Symbol, SymId);
