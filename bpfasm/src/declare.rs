//! `.cdecl` blocks: C declarations in assembly (see `docs/asm-btf.md`).
//!
//! Types become BTF; function prototypes give FUNCs their FUNC_PROTO; variables declared with an
//! initializer or a `SEC(...)` (maps, `LICENSE`, globals) are defined here, in their section;
//! variables declared without one type a symbol the assembly defines (or land in `.bss`);
//! `extern ... __ksym` / `__kconfig` become libbpf externs.

use crate::asm::{Assembler, Binding, FixKind, SymDef};
use crate::cdecl::{BaseBtf, CError, Context, Decl, Init, Storage};
pub use crate::decls::{extern_section, CoreRecord, Declared};
use crate::diag::{Code, Diag};
use crate::expr::{BinOp, Expr, ExprKind, Span, SymId};
use bpf_isa::Endian;
use bpfobj::elf::*;

/// Section type and flags for a data section a declaration names.
pub fn data_section_kind(name: &str) -> (u32, u64) {
    if name == ".bss" || name.starts_with(".bss.") {
        (SHT_NOBITS, SHF_ALLOC | SHF_WRITE)
    } else if name == ".rodata" || name.starts_with(".rodata.") {
        (SHT_PROGBITS, SHF_ALLOC)
    } else {
        (SHT_PROGBITS, SHF_ALLOC | SHF_WRITE)
    }
}

impl Assembler {
    fn cdecl_ctx(&mut self) -> &mut Context {
        self.decls.context_mut(self.opts.endian)
    }

    pub(crate) fn cdecl_ctx_pub(&mut self) -> &mut Context {
        self.cdecl_ctx()
    }

    /// Load the base BTF (`--btf FILE` or `.btf "FILE"`).
    pub fn set_base_btf(&mut self, path: &std::path::Path) -> Result<(), String> {
        if self.decls.has_context() {
            return Err("the base BTF must be given before the first `.cdecl`".into());
        }
        let b = BaseBtf::from_file(path).map_err(|e| format!("cannot read BTF from {}: {e}", path.display()))?;
        self.decls.set_base_btf(b)
    }

    pub(crate) fn cerror(&mut self, file: u32, start: u32, e: CError) {
        let span = Span { file, start: start + e.span.start as u32, end: start + e.span.end.max(e.span.start) as u32 };
        let mut d = Diag::error(Code::Cdecl, span, e.message);
        if let Some(h) = e.help {
            d = d.help(h);
        }
        self.report(d);
    }

    /// Parse a `.cdecl` block at byte `start` of `file`.
    pub(crate) fn cdecl_block(&mut self, file: u32, start: u32, text: &str) {
        let parsed = self.cdecl_ctx().parse(text);
        let decls = match parsed {
            Ok(d) => d,
            Err(errors) => {
                for e in errors {
                    self.cerror(file, start, e);
                }
                return;
            }
        };
        for d in decls {
            let r = d.span();
            let span = Span { file, start: start + r.start as u32, end: start + r.end as u32 };
            let name = d.name().to_string();
            if let Some(prev) = self.decls.get(&name) {
                let prev_span = prev.span;
                self.report(
                    Diag::error(Code::DuplicateDeclaration, span, format!("`{name}` is already declared"))
                        .with_secondary(prev_span, "first declared here"),
                );
                continue;
            }
            let mut defines = false;
            match &d {
                Decl::Func { storage, weak, hidden, .. } => {
                    let id = self.intern(&name);
                    let s = &mut self.syms[id as usize];
                    match storage {
                        Storage::Extern | Storage::Global => {
                            if s.binding == Binding::Default {
                                s.binding = if *weak { Binding::Weak } else { Binding::Global };
                            }
                        }
                        Storage::Static => {}
                    }
                    if *hidden {
                        s.vis = STV_HIDDEN;
                    }
                    // libbpf knows externs as NOTYPE undefined globals.
                    if *storage != Storage::Extern {
                        s.typ = STT_FUNC;
                    } else {
                        s.declared_extern = true;
                    }
                }
                Decl::Var { storage, section, extern_kind, weak, hidden, readonly, init, size, align, .. } => {
                    let id = self.intern(&name);
                    {
                        let s = &mut self.syms[id as usize];
                        if *hidden {
                            s.vis = STV_HIDDEN;
                        }
                        if s.binding == Binding::Default {
                            s.binding = match storage {
                                Storage::Static => Binding::Local,
                                _ if *weak => Binding::Weak,
                                _ => Binding::Global,
                            };
                        }
                        if extern_kind.is_none() {
                            s.typ = STT_OBJECT;
                        }
                    }
                    if section.as_deref() == Some(".maps") {
                        self.check_map(&d, span);
                    }
                    if extern_kind.is_none() && (init.is_some() || section.is_some()) {
                        let sec_name =
                            section.clone().unwrap_or_else(|| default_data_section(*readonly, init.as_ref()));
                        self.define_var(id, &sec_name, init.as_ref(), *size, *align, span);
                        defines = true;
                    }
                }
            }
            self.decls.insert(name, Declared { decl: d, span, defines });
        }
    }

    /// A BTF-defined map must look like libbpf expects: a struct of `__uint`/`__type`/`__array`
    /// members with a known map `type`.
    fn check_map(&mut self, d: &Decl, span: Span) {
        let Decl::Var { name, ty, .. } = d else { return };
        let Some(ctx) = self.decls.context() else { return };
        let b = ctx.builder();
        let mut id = *ty;
        // Skip typedefs and modifiers.
        for _ in 0..32 {
            match b.get(id).map(|t| &t.data) {
                Some(btf::TypeData::Typedef { type_id })
                | Some(btf::TypeData::Const { type_id })
                | Some(btf::TypeData::Volatile { type_id }) => id = *type_id,
                _ => break,
            }
        }
        let members: Vec<String> = match b.get(id).map(|t| &t.data) {
            Some(btf::TypeData::Struct { members, .. }) => {
                members.iter().map(|m| b.str_at(m.name_off).unwrap_or("").to_string()).collect()
            }
            _ => {
                return self.report(
                    Diag::error(Code::BadMapDefinition, span, format!("map `{name}` must be a struct of `__uint`/`__type` members"))
                        .help("struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, N); __type(key, K); __type(value, V); } name SEC(\".maps\");"),
                )
            }
        };
        let known = [
            "type",
            "max_entries",
            "key",
            "value",
            "key_size",
            "value_size",
            "map_flags",
            "pinning",
            "numa_node",
            "map_extra",
            "values",
            "inner_map_idx",
        ];
        for m in &members {
            if !known.contains(&m.as_str()) {
                let mut dd = Diag::error(
                    Code::BadMapDefinition,
                    span,
                    format!("map `{name}` has a member `{m}` libbpf does not know"),
                );
                if let Some(c) = crate::diag::closest(m, known.iter().copied()) {
                    dd = dd.help(format!("did you mean `{c}`?"));
                }
                self.report(dd);
            }
        }
        if !members.iter().any(|m| m == "type") {
            self.report(
                Diag::error(Code::BadMapDefinition, span, format!("map `{name}` has no `type`"))
                    .label("libbpf cannot create a map without a type")
                    .help("add `__uint(type, BPF_MAP_TYPE_...);`"),
            );
        }
        let has = |n: &str| members.iter().any(|m| m == n);
        if has("key") && has("key_size") || has("value") && has("value_size") {
            self.report(Diag::error(
                Code::BadMapDefinition,
                span,
                format!("map `{name}` gives both a type and a size for its key or value"),
            ));
        }
    }

    /// Define storage for a declared variable in `sec_name`.
    fn define_var(&mut self, id: SymId, sec_name: &str, init: Option<&Init>, size: u32, align: u32, span: Span) {
        if !matches!(self.syms[id as usize].def, SymDef::Undefined) {
            let prev = self.syms[id as usize].def_span;
            let mut d = Diag::error(
                Code::DuplicateSymbol,
                span,
                format!("`{}` is defined by this declaration and by the assembly", self.syms[id as usize].name),
            );
            if let Some(p) = prev {
                d = d.with_secondary(p, "defined here");
            }
            return self.report(d);
        }
        let (sh_type, flags) = data_section_kind(sec_name);
        if sh_type == SHT_NOBITS && init.is_some_and(|i| i.bytes.iter().any(|&b| b != 0)) {
            return self.report(Diag::error(
                Code::NonzeroBss,
                span,
                format!("`{sec_name}` holds zeros only; this initializer is not zero"),
            ));
        }
        let sec = self.get_section(sec_name, sh_type, flags, 0, span);
        let saved = self.secs.enter(sec);
        self.emit_align(align.max(1) as u64, None, 0, span);
        let name = self.syms[id as usize].name.to_string();
        self.define_label(&name, span);
        let (frag, base) = {
            let s = &self.secs[sec as usize];
            (s.cur_frag(), s.cur_offset())
        };
        let mut bytes = init.map(|i| i.bytes.clone()).unwrap_or_default();
        bytes.resize(size as usize, 0);
        self.secs[sec as usize].data_mut().extend_from_slice(&bytes);
        if let Some(init) = init {
            for (off, target) in &init.relocs {
                let t = self.intern(target);
                let addend = read_u64(&bytes, *off as usize, self.opts.endian) as i64;
                let mut expr = Expr { kind: ExprKind::Sym(t), span };
                if addend != 0 {
                    expr = Expr {
                        kind: ExprKind::Bin(BinOp::Add, Box::new(expr), Box::new(Expr::num(addend, span))),
                        span,
                    };
                }
                self.secs[sec as usize].fixups.push(frag, base + off, FixKind::Data(8), expr, false);
            }
        }
        self.syms[id as usize].size = Some(Box::new(Expr::num(size as i64, span)));
        self.secs.enter(saved);
    }

    /// Before layout: declared variables that nothing defined get zeroed storage (C's tentative
    /// definitions); externs must stay undefined.
    pub(crate) fn define_tentative(&mut self) {
        let names = self.decls.names().to_vec();
        for name in names {
            let dd = self.decls.get(&name).expect("a declared name").clone();
            let Decl::Var { extern_kind, readonly, size, align, .. } = &dd.decl else { continue };
            let id = self.intern(&name);
            let defined = !matches!(self.syms[id as usize].def, SymDef::Undefined);
            match extern_kind {
                Some(_) if defined => {
                    let d = Diag::error(
                        Code::ExternDefined,
                        dd.span,
                        format!("`{name}` is declared `extern` but the assembly defines it"),
                    );
                    self.report(d);
                }
                Some(_) => {}
                None if defined || dd.defines => {}
                None => {
                    let sec = if *readonly { ".rodata" } else { ".bss" };
                    self.define_var(id, sec, None, *size, *align, dd.span);
                }
            }
        }
    }
}

fn default_data_section(readonly: bool, init: Option<&Init>) -> String {
    let zero = init.is_none_or(|i| i.bytes.iter().all(|&b| b == 0) && i.relocs.is_empty());
    if readonly {
        ".rodata".into()
    } else if zero {
        ".bss".into()
    } else {
        ".data".into()
    }
}

fn read_u64(b: &[u8], off: usize, e: Endian) -> u64 {
    let Some(s) = b.get(off..off + 8) else { return 0 };
    let a: [u8; 8] = s.try_into().unwrap_or([0; 8]);
    match e {
        Endian::Little => u64::from_le_bytes(a),
        Endian::Big => u64::from_be_bytes(a),
    }
}
