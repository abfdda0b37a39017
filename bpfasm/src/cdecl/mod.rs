//! C declarations -> BTF: the front end behind the assembler's `.cdecl` blocks.
//!
//! A [`Context`] (one per assembled file) parses blocks of C declarations — the subset BPF
//! programs written for libbpf use: types, function prototypes, variables, BTF-defined maps
//! with libbpf's `__uint`/`__type`/`__array` macros, externs with `__ksym`/`__kconfig` — and
//! builds their BTF in a [`btf::BtfBuilder`] with clang's layout rules for the BPF target
//! (LP64, natural alignment, SysV bitfield packing) and clang's BTF shapes (type names such as
//! `long`/`unsigned int`, `__ARRAY_SIZE_TYPE__` array indexes, `kind_flag` bitfield encoding,
//! CONST -> VOLATILE order, TYPE_TAGs between a pointer and its pointee).
//!
//! Types may also come from a base BTF (for example `/sys/kernel/btf/vmlinux`): a name that is
//! not declared locally (`struct task_struct`, `pid_t`) is looked up there and copied into the
//! builder together with everything it references (memoised, so each base type is copied once).
//!
//! The context only creates *types* (and DECL_TAG/TYPE_TAG). Declared functions and variables
//! come back as [`Decl`]s; the assembler decides which become FUNC/VAR (with
//! [`Context::add_func`]/[`Context::add_var`]) and lays out DATASECs.
//!
//! Supported syntax (see the module tests for examples):
//! - base types (`char`, `short`, `int`, `long`, `long long`, `signed`/`unsigned`, `_Bool`,
//!   `float`, `double`, `long double`, `__int128`, `void`) and builtin typedefs usable without a
//!   declaration (`__u8`..`__u64`, `__s8`..`__s64`, `u8`..`u64`, `s8`..`s64`,
//!   `__be16/32/64`, `__le16/32/64`, `__wsum`, `__sum16`, `bool`, `size_t`), added to BTF on use;
//! - `typedef`, `struct`/`union` (named, anonymous, nested, bitfields, flexible array members,
//!   forward declarations), `enum` (explicit values; values beyond 32 bits give ENUM64),
//!   pointers, arrays (multi-dimensional, constant-expression sizes), function pointers and
//!   prototypes (`...` allowed), `const`/`volatile`/`restrict`, `typeof(type)`;
//! - attributes: `packed`, `aligned(N)`, `preserve_access_index` (no effect), `btf_decl_tag`,
//!   `btf_type_tag`, `section`, `weak`, `visibility("hidden")`, and harmless ones (`used`,
//!   `unused`, `noinline`, `always_inline`, ...); libbpf macros `SEC("name")`, `__ksym`,
//!   `__kconfig`, `__weak`, `__hidden`, `__uint(name, val)`, `__type(name, T)`,
//!   `__array(name, T)`;
//! - constant expressions: integer arithmetic with C operators, casts, `sizeof`, `_Alignof`,
//!   `offsetof`/`__builtin_offsetof`, enum constants, and the kernel's UAPI constants
//!   ([`bpfobj::uapi::CONSTANTS`]: `BPF_MAP_TYPE_*`, `BPF_F_*`, `BPF_ANY`, `LIBBPF_PIN_BY_NAME`,
//!   `XDP_PASS`, ...);
//! - initializers: integers, floats, strings for char arrays (`char LICENSE[] = "GPL";` sizes
//!   the array), braced arrays and structs with positional and designated (`.a.b = `, `[3] =`)
//!   elements, addresses of symbols (`&prog`, giving an 8-byte relocation), flexible arrays
//!   extended by their initializer (libbpf's prog-array/map-in-map `.values = { [0] = &a }`).
//!
//! Errors are [`CError`]s with byte spans in the parsed text; a block reports as many as it
//! can. No input makes the parser panic.

#[cfg(test)]
mod clang_diff;
mod constexpr;
mod declarator;
mod eval;
mod field;
mod import;
mod init;
mod lex;
mod parse;
mod syntax;
#[cfg(test)]
mod syntax_tests;
mod tags;
#[cfg(test)]
mod tests;
mod types;

use btf::{BtfBuilder, Kind, Linkage, TypeData};
use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;

pub use import::BaseBtf;

/// A diagnostic from the C front end: a byte range in the text given to the call that
/// produced it, a message, and an optional hint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CError {
    pub span: Range<usize>,
    pub message: String,
    pub help: Option<String>,
}

impl CError {
    pub(crate) fn new(span: Range<usize>, message: impl Into<String>) -> CError {
        CError { span, message: message.into(), help: None }
    }
    pub(crate) fn help(mut self, h: impl Into<String>) -> CError {
        self.help = Some(h.into());
        self
    }
}

impl std::fmt::Display for CError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}..{}: {}", self.span.start, self.span.end, self.message)?;
        if let Some(h) = &self.help {
            write!(f, " (help: {h})")?;
        }
        Ok(())
    }
}

impl std::error::Error for CError {}

/// Storage class of a declared function or variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Storage {
    /// `static`: local symbol, BTF linkage `static`.
    Static,
    /// No storage class: global symbol, BTF linkage `global`.
    Global,
    /// `extern`: defined elsewhere (kernel, kconfig, another object), BTF linkage `extern`.
    Extern,
}

impl Storage {
    /// The BTF linkage of a FUNC/VAR with this storage class.
    pub fn linkage(self) -> Linkage {
        match self {
            Storage::Static => Linkage::STATIC,
            Storage::Global => Linkage::GLOBAL,
            Storage::Extern => Linkage::EXTERN,
        }
    }
}

/// What an `extern` variable refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExternKind {
    /// `__ksym` (section `.ksyms`): a kernel symbol resolved by libbpf.
    Ksym,
    /// `__kconfig` (section `.kconfig`): a kernel config value filled in by libbpf.
    Kconfig,
    /// Any other `extern` (resolved by the static linker).
    Plain,
}

/// The bytes of an initialized variable, in the target's byte order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Init {
    /// Exactly the variable's `size` bytes (a flexible array member extends them).
    pub bytes: Vec<u8>,
    /// `(offset, symbol)`: an 8-byte pointer at `offset` holds the address of `symbol`
    /// (a program, a map, a variable); the addend is in `bytes`. For `.maps` these become
    /// `.rel.maps` entries.
    pub relocs: Vec<(u32, String)>,
}

/// A declaration of a function or variable from a C block.
#[derive(Clone, Debug, PartialEq)]
pub enum Decl {
    /// A function prototype `int f(struct xdp_md *ctx);`.
    Func {
        name: String,
        /// The FUNC_PROTO type id.
        proto: u32,
        storage: Storage,
        /// `SEC("name")` / `__attribute__((section("name")))` (`.ksyms` for `__ksym`).
        section: Option<String>,
        /// `__ksym`: a kfunc.
        ksym: bool,
        /// `__weak`.
        weak: bool,
        /// `__hidden` / `visibility("hidden")`.
        hidden: bool,
        /// `btf_decl_tag`s: `(tag, component)`, component -1 for the function, else the
        /// parameter index. [`Context::add_func`] emits them.
        decl_tags: Vec<(String, i32)>,
        span: Range<usize>,
    },
    /// A variable: `int x;`, `const volatile int y = 3;`, a map `struct {...} m SEC(".maps");`,
    /// `char LICENSE[] SEC("license") = "GPL";`, `extern int CONFIG_HZ __kconfig;`.
    Var {
        name: String,
        /// The variable's type id (for `T x[] = {..}` the array sized by the initializer).
        ty: u32,
        storage: Storage,
        section: Option<String>,
        /// Set for `extern` variables.
        extern_kind: Option<ExternKind>,
        weak: bool,
        hidden: bool,
        /// The type is const-qualified (directly or as an array of const): `.rodata` material.
        readonly: bool,
        init: Option<Init>,
        /// Size in bytes (the type's size, or more when a flexible array is initialized).
        size: u32,
        /// Alignment in bytes (the type's, raised by `aligned(N)`).
        align: u32,
        /// `btf_decl_tag`s; [`Context::add_var`] emits them.
        decl_tags: Vec<String>,
        span: Range<usize>,
    },
}

impl Decl {
    /// The declared name.
    pub fn name(&self) -> &str {
        match self {
            Decl::Func { name, .. } | Decl::Var { name, .. } => name,
        }
    }
    /// The byte range of the declaration in the parsed text.
    pub fn span(&self) -> Range<usize> {
        match self {
            Decl::Func { span, .. } | Decl::Var { span, .. } => span.clone(),
        }
    }
}

/// A CO-RE field access resolved against local BTF, as clang's
/// `__builtin_preserve_access_index` records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldAccess {
    /// The access spec: a leading array index on the root (usually 0), then member indexes
    /// (in BTF member order, anonymous members included) and array indexes.
    /// [`FieldAccess::spec`] formats it as libbpf's `"0:1:2"`.
    pub access: Vec<u32>,
    /// Byte offset of the field from the root. For bitfields, the offset of the naturally
    /// aligned load that covers the field (libbpf's FIELD_BYTE_OFFSET).
    pub byte_offset: u32,
    /// Byte size of the field (for bitfields, of the covering load: FIELD_BYTE_SIZE).
    pub byte_size: u32,
    /// Bit offset of the field from the root.
    pub bit_offset: u32,
    /// Size in bits (the bitfield width, or `byte_size * 8`).
    pub bit_size: u32,
    /// Whether the field is a bitfield.
    pub bitfield: bool,
    /// Whether the field's integer (or enum) type is signed (FIELD_SIGNED).
    pub signed: bool,
    /// The root type (typedefs and modifiers skipped): the relocation's type id.
    pub root_type: u32,
    /// The field's type id.
    pub field_type: u32,
}

impl FieldAccess {
    /// libbpf's access string, e.g. `"0:1:2"`.
    pub fn spec(&self) -> String {
        self.access.iter().map(|a| a.to_string()).collect::<Vec<_>>().join(":")
    }
    /// FIELD_LSHIFT_U64 for a load of `byte_size` bytes into a u64 (libbpf semantics).
    pub fn lshift_u64(&self, endian: bpf_isa::Endian) -> u32 {
        let in_load = self.bit_offset - self.byte_offset * 8;
        match endian {
            bpf_isa::Endian::Little => 64 - (in_load + self.bit_size),
            bpf_isa::Endian::Big => (8 - self.byte_size) * 8 + in_load,
        }
    }
    /// FIELD_RSHIFT_U64.
    pub fn rshift_u64(&self) -> u32 {
        64 - self.bit_size
    }
}

/// What a tag (`struct X`, `union X`, `enum X`) names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum TagKind {
    Struct,
    Union,
    Enum,
}

impl TagKind {
    pub(crate) fn word(self) -> &'static str {
        match self {
            TagKind::Struct => "struct",
            TagKind::Union => "union",
            TagKind::Enum => "enum",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct TagInfo {
    pub kind: TagKind,
    pub id: u32,
    /// Defined (not just forward-declared).
    pub complete: bool,
    /// Copied from the base BTF.
    pub imported: bool,
}

/// A declared function or variable, for redeclaration checks and `typeof`/`sizeof`.
#[derive(Clone, Debug)]
pub(crate) struct SymInfo {
    pub ty: u32,
    pub func: bool,
}

/// One parsing context per assembled file: the BTF being built and every name declared so far
/// (types, enum constants, functions, variables). It persists across `.cdecl` blocks.
pub struct Context {
    pub(crate) endian: bpf_isa::Endian,
    pub(crate) b: BtfBuilder,
    pub(crate) base: Option<Rc<BaseBtf>>,
    pub(crate) tags: HashMap<String, TagInfo>,
    pub(crate) typedefs: HashMap<String, u32>,
    /// Enum constant -> (enum type id, index, value).
    pub(crate) enumerators: HashMap<String, (u32, u32, i64)>,
    pub(crate) syms: HashMap<String, SymInfo>,
    /// Memo of anonymous derived types (pointers, qualifiers, arrays, prototypes, tags).
    pub(crate) derived: HashMap<btf::TypeDef, u32>,
    /// Base id -> local id of types copied from the base.
    pub(crate) imported: HashMap<u32, u32>,
    /// Alignment overrides (packed / aligned(N) structs, aligned typedefs).
    pub(crate) aligns: HashMap<u32, u32>,
    /// Base integer/float types by C name.
    pub(crate) ints: HashMap<&'static str, u32>,
    /// Builtin typedefs created so far.
    pub(crate) builtin_typedefs: HashMap<&'static str, u32>,
    pub(crate) array_index: Option<u32>,
    /// Structs/unions declared with `preserve_access_index`.
    pub(crate) relocatable: std::collections::HashSet<u32>,
}

impl Context {
    /// A new context for a target byte order, with an optional base BTF whose types can be
    /// used by name without being declared.
    pub fn new(endian: bpf_isa::Endian, base: Option<Rc<BaseBtf>>) -> Self {
        Context {
            endian,
            b: BtfBuilder::new(),
            base,
            tags: HashMap::new(),
            typedefs: HashMap::new(),
            enumerators: HashMap::new(),
            syms: HashMap::new(),
            derived: HashMap::new(),
            imported: HashMap::new(),
            aligns: HashMap::new(),
            ints: HashMap::new(),
            builtin_typedefs: HashMap::new(),
            array_index: None,
            relocatable: std::collections::HashSet::new(),
        }
    }

    /// Parse one block of C declarations. Types and constants it defines persist for later
    /// blocks (also when it has errors: what parsed cleanly stays defined). Spans in errors
    /// are byte ranges within `text`.
    pub fn parse(&mut self, text: &str) -> Result<Vec<Decl>, Vec<CError>> {
        parse::parse_block(self, text)
    }

    /// The BTF built so far (types only: FUNC/VAR/DATASEC are the caller's).
    pub fn builder(&self) -> &BtfBuilder {
        &self.b
    }
    pub fn builder_mut(&mut self) -> &mut BtfBuilder {
        &mut self.b
    }
    /// The target byte order.
    pub fn endian(&self) -> bpf_isa::Endian {
        self.endian
    }

    /// The BTF id of a C type name: `struct task_struct`, `__u32`, `int *`, `char[16]`,
    /// `int (*)(void *)`. Imports from the base BTF when needed. `void` is id 0.
    pub fn type_id(&mut self, type_name: &str) -> Result<u32, CError> {
        parse::parse_type_name(self, type_name)
    }

    /// Evaluate a C integer constant expression: `sizeof(struct foo) * 2`,
    /// `BPF_F_NO_PREALLOC | BPF_F_MMAPABLE`, `offsetof(struct s, a.b)`.
    pub fn eval(&mut self, expr: &str) -> Result<i64, CError> {
        parse::parse_const_expr(self, expr)
    }

    /// Resolve a CO-RE member access path in C syntax (`tgid`, `se.vruntime`, `arr[3].x`,
    /// `u.a` through anonymous members; a leading `[N]` indexes the root pointer) on type
    /// `ty` (a struct/union, possibly behind typedefs/modifiers).
    pub fn field_access(&mut self, ty: u32, path: &str) -> Result<FieldAccess, CError> {
        parse::parse_field_access(self, ty, path)
    }

    /// Size in bytes of a type (error for void, functions and incomplete types).
    pub fn type_size(&self, ty: u32) -> Result<u32, CError> {
        self.size_of(ty)
            .map_err(|e| CError::new(0..0, e))
            .and_then(|s| u32::try_from(s).map_err(|_| CError::new(0..0, "type too large")))
    }

    /// Alignment in bytes of a type.
    pub fn type_align(&self, ty: u32) -> Result<u32, CError> {
        self.align_of(ty).map_err(|e| CError::new(0..0, e))
    }

    /// A C spelling of a type, for messages (`struct foo *`, `unsigned int[4]`).
    pub fn type_display(&self, ty: u32) -> String {
        self.describe(ty)
    }

    /// An enumerator of enum type `enum_ty` (typedefs skipped): its index in the enum and its
    /// value (for CO-RE ENUMVAL relocations).
    pub fn enum_value(&mut self, enum_ty: u32, name: &str) -> Result<(u32, i64), CError> {
        let id = self.strip(enum_ty);
        let span = 0..name.len();
        let Some(t) = self.b.get(id) else {
            return Err(CError::new(span, format!("`{}` is not an enum", self.describe(enum_ty))));
        };
        let (values, signed, is64) = match &t.data {
            TypeData::Enum { values, .. } => (values, t.kind_flag, false),
            TypeData::Enum64 { values, .. } => (values, t.kind_flag, true),
            _ => return Err(CError::new(span, format!("`{}` is not an enum", self.describe(enum_ty)))),
        };
        for (i, v) in values.iter().enumerate() {
            if self.b.str_at(v.name_off) == Some(name) {
                let val = match (is64, signed) {
                    (false, true) => v.val as u32 as i32 as i64,
                    _ => v.val as i64,
                };
                return Ok((i as u32, val));
            }
        }
        let names: Vec<&str> = values.iter().filter_map(|v| self.b.str_at(v.name_off)).collect();
        let mut e = CError::new(span, format!("`{}` has no enumerator `{name}`", self.describe(enum_ty)));
        if let Some(c) = crate::diag::closest(name, names.iter().copied()) {
            e = e.help(format!("did you mean `{c}`?"));
        }
        Err(e)
    }

    /// The value of a named constant: enum constants declared so far, then the kernel UAPI
    /// constants (`BPF_MAP_TYPE_*`, `BPF_F_*`, `BPF_ANY`, `LIBBPF_PIN_BY_NAME`, `XDP_PASS`...),
    /// then enumerators of the base BTF.
    pub fn constant(&self, name: &str) -> Option<i64> {
        if let Some(&(_, _, v)) = self.enumerators.get(name) {
            return Some(v);
        }
        if let Some(v) = bpfobj::uapi::constant(name) {
            return Some(v);
        }
        self.base.as_ref().and_then(|b| b.enumerator(name))
    }

    /// Whether an identifier names a type (a typedef declared so far, a builtin typedef, or a
    /// typedef of the base BTF): the grammar's typedef-name feedback.
    pub(crate) fn is_type_name(&self, s: &str) -> bool {
        self.typedefs.contains_key(s) || types::BUILTIN_TYPEDEFS.iter().any(|e| e.0 == s) || self.base_has_typedef(s)
    }

    /// Whether a function or variable of this name was declared.
    pub fn is_declared(&self, name: &str) -> bool {
        self.syms.contains_key(name)
    }

    /// Add the FUNC for a [`Decl::Func`] (linkage from its storage class) and its DECL_TAGs;
    /// returns the FUNC id. `None` for a variable.
    pub fn add_func(&mut self, decl: &Decl) -> Option<u32> {
        let Decl::Func { name, proto, storage, decl_tags, .. } = decl else { return None };
        let id = self.b.add_func(name, *proto, storage.linkage());
        for (tag, comp) in decl_tags {
            self.b.add_decl_tag(tag, id, *comp);
        }
        Some(id)
    }

    /// Add the VAR for a [`Decl::Var`] and its DECL_TAGs; returns the VAR id. `None` for a
    /// function.
    pub fn add_var(&mut self, decl: &Decl) -> Option<u32> {
        let Decl::Var { name, ty, storage, decl_tags, .. } = decl else { return None };
        let id = self.b.add_var(name, *ty, storage.linkage());
        for tag in decl_tags {
            self.b.add_decl_tag(tag, id, -1);
        }
        Some(id)
    }

    /// Whether field accesses to `ty` are CO-RE relocated the way clang does it: the struct was
    /// declared with `preserve_access_index`, or copied from the base BTF (kernel types).
    pub fn is_relocatable(&self, ty: u32) -> bool {
        let id = self.strip(ty);
        self.relocatable.contains(&id) || self.imported.values().any(|&v| v == id)
    }

    /// Names of the declared types: `struct foo`, `union u`, `enum e` and typedef names.
    pub fn type_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .tags
            .iter()
            .filter(|(_, t)| !t.imported)
            .map(|(n, t)| format!("{} {n}", t.kind.word()))
            .chain(self.typedefs.keys().cloned())
            .collect();
        v.sort();
        v
    }

    /// Kind of a type in the builder (None for void/unknown ids).
    pub fn kind_of(&self, ty: u32) -> Option<Kind> {
        self.b.get(ty).map(|t| t.kind())
    }
}
