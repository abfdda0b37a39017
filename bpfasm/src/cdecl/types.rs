//! Type helpers over the builder: base types, derived-type memo, size/alignment (clang's
//! rules for BPF), and C spellings for messages.

use super::Context;
use btf::{ArrayInfo, IntEncoding, Param, TypeData, TypeDef};

/// C base types: canonical name (as clang names them in BTF), size, encoding (`None`: FLOAT).
pub(crate) const BASE_TYPES: &[(&str, u32, Option<IntEncoding>)] = &[
    ("char", 1, Some(IntEncoding::SIGNED)),
    ("signed char", 1, Some(IntEncoding::SIGNED)),
    ("unsigned char", 1, Some(IntEncoding::NONE)),
    ("short", 2, Some(IntEncoding::SIGNED)),
    ("unsigned short", 2, Some(IntEncoding::NONE)),
    ("int", 4, Some(IntEncoding::SIGNED)),
    ("unsigned int", 4, Some(IntEncoding::NONE)),
    ("long", 8, Some(IntEncoding::SIGNED)),
    ("unsigned long", 8, Some(IntEncoding::NONE)),
    ("long long", 8, Some(IntEncoding::SIGNED)),
    ("unsigned long long", 8, Some(IntEncoding::NONE)),
    ("__int128", 16, Some(IntEncoding::SIGNED)),
    ("unsigned __int128", 16, Some(IntEncoding::NONE)),
    ("_Bool", 1, Some(IntEncoding::BOOL)),
    ("float", 4, None),
    ("double", 8, None),
    ("long double", 8, None),
];

/// Typedefs every block may use without declaring them: `(name, definition)`, the
/// definitions as in the kernel's UAPI and vmlinux.
pub(crate) const BUILTIN_TYPEDEFS: &[(&str, &str)] = &[
    ("__u8", "unsigned char"),
    ("__s8", "signed char"),
    ("__u16", "unsigned short"),
    ("__s16", "short"),
    ("__u32", "unsigned int"),
    ("__s32", "int"),
    ("__u64", "unsigned long long"),
    ("__s64", "long long"),
    ("u8", "__u8"),
    ("s8", "__s8"),
    ("u16", "__u16"),
    ("s16", "__s16"),
    ("u32", "__u32"),
    ("s32", "__s32"),
    ("u64", "__u64"),
    ("s64", "__s64"),
    ("__be16", "__u16"),
    ("__be32", "__u32"),
    ("__be64", "__u64"),
    ("__le16", "__u16"),
    ("__le32", "__u32"),
    ("__le64", "__u64"),
    ("__wsum", "__u32"),
    ("__sum16", "__u16"),
    ("bool", "_Bool"),
    ("size_t", "unsigned long"),
];

/// Nesting limit for recursive walks over possibly cyclic or very deep types.
const MAX_DEPTH: u32 = 64;

impl Context {
    /// The INT/FLOAT for a canonical base type name (created on first use).
    pub(crate) fn base_type(&mut self, name: &str) -> u32 {
        let Some(&(n, size, enc)) = BASE_TYPES.iter().find(|e| e.0 == name) else { return 0 };
        if let Some(&id) = self.ints.get(n) {
            return id;
        }
        let id = match enc {
            Some(e) => self.b.add_int(n, size, e),
            None => self.b.add_float(n, size),
        };
        self.ints.insert(n, id);
        id
    }

    /// A builtin typedef (created with its chain on first use), if `name` is one.
    pub(crate) fn builtin_typedef(&mut self, name: &str) -> Option<u32> {
        let &(n, def) = BUILTIN_TYPEDEFS.iter().find(|e| e.0 == name)?;
        if let Some(&id) = self.builtin_typedefs.get(n) {
            return Some(id);
        }
        let target = match self.builtin_typedef(def) {
            Some(t) => t,
            None => self.base_type(def),
        };
        let id = self.b.add_typedef(n, target);
        self.builtin_typedefs.insert(n, id);
        Some(id)
    }

    /// The `__ARRAY_SIZE_TYPE__` index type clang gives every array.
    pub(crate) fn array_index_type(&mut self) -> u32 {
        if let Some(id) = self.array_index {
            return id;
        }
        let id = self.b.add_int("__ARRAY_SIZE_TYPE__", 4, IntEncoding::NONE);
        self.array_index = Some(id);
        id
    }

    /// An anonymous derived type, shared when structurally equal.
    pub(crate) fn derived(&mut self, name: &str, data: TypeData) -> u32 {
        let name_off = self.b.add_str(name);
        let t = TypeDef { name_off, kind_flag: false, data };
        if let Some(&id) = self.derived.get(&t) {
            return id;
        }
        let id = self.b.add_type(t.clone());
        self.derived.insert(t, id);
        id
    }

    pub(crate) fn ptr(&mut self, to: u32) -> u32 {
        self.derived("", TypeData::Ptr { type_id: to })
    }
    pub(crate) fn array(&mut self, elem: u32, n: u32) -> u32 {
        let index_type = self.array_index_type();
        self.derived("", TypeData::Array(ArrayInfo { elem_type: elem, index_type, nelems: n }))
    }
    /// Apply qualifiers in clang's order: CONST(VOLATILE(RESTRICT(t))).
    pub(crate) fn qualify(&mut self, mut t: u32, c: bool, v: bool, r: bool) -> u32 {
        if r {
            t = self.derived("", TypeData::Restrict { type_id: t });
        }
        if v {
            t = self.derived("", TypeData::Volatile { type_id: t });
        }
        if c {
            t = self.derived("", TypeData::Const { type_id: t });
        }
        t
    }
    pub(crate) fn type_tag(&mut self, tag: &str, t: u32) -> u32 {
        self.derived(tag, TypeData::TypeTag { type_id: t })
    }
    pub(crate) fn func_proto(&mut self, ret: u32, params: &[(String, u32)], variadic: bool) -> u32 {
        let mut ps: Vec<Param> =
            params.iter().map(|(n, t)| Param { name_off: self.b.add_str(n), type_id: *t }).collect();
        if variadic {
            ps.push(Param { name_off: 0, type_id: 0 });
        }
        self.derived("", TypeData::FuncProto { ret, params: ps })
    }

    /// Skip typedefs, qualifiers and type tags.
    pub(crate) fn strip(&self, mut id: u32) -> u32 {
        for _ in 0..MAX_DEPTH {
            match self.b.get(id).map(|t| &t.data) {
                Some(
                    TypeData::Typedef { type_id }
                    | TypeData::Const { type_id }
                    | TypeData::Volatile { type_id }
                    | TypeData::Restrict { type_id }
                    | TypeData::TypeTag { type_id },
                ) => id = *type_id,
                _ => return id,
            }
        }
        id
    }

    /// Whether the type is const-qualified at its top (through typedefs and arrays).
    pub(crate) fn is_const(&self, mut id: u32) -> bool {
        for _ in 0..MAX_DEPTH {
            match self.b.get(id).map(|t| &t.data) {
                Some(TypeData::Const { .. }) => return true,
                Some(
                    TypeData::Typedef { type_id }
                    | TypeData::Volatile { type_id }
                    | TypeData::Restrict { type_id }
                    | TypeData::TypeTag { type_id },
                ) => id = *type_id,
                Some(TypeData::Array(a)) => id = a.elem_type,
                _ => return false,
            }
        }
        false
    }

    /// Size in bytes, or why there is none.
    pub(crate) fn size_of(&self, id: u32) -> Result<u64, String> {
        self.size_at(id, 0)
    }

    fn size_at(&self, id: u32, depth: u32) -> Result<u64, String> {
        if depth > MAX_DEPTH {
            return Err("type nesting too deep".into());
        }
        let Some(t) = self.b.get(id) else { return Err("`void` has no size".into()) };
        Ok(match &t.data {
            TypeData::Int { size, .. }
            | TypeData::Float { size }
            | TypeData::Struct { size, .. }
            | TypeData::Union { size, .. }
            | TypeData::Enum { size, .. }
            | TypeData::Enum64 { size, .. } => *size as u64,
            TypeData::Ptr { .. } => 8,
            TypeData::Typedef { type_id }
            | TypeData::Const { type_id }
            | TypeData::Volatile { type_id }
            | TypeData::Restrict { type_id }
            | TypeData::TypeTag { type_id }
            | TypeData::Var { type_id, .. } => self.size_at(*type_id, depth + 1)?,
            TypeData::Array(a) => {
                let e = self.size_at(a.elem_type, depth + 1)?;
                e.checked_mul(a.nelems as u64).ok_or("array too large")?
            }
            TypeData::Fwd => return Err(format!("`{}` is an incomplete type", self.describe(id))),
            TypeData::FuncProto { .. } | TypeData::Func { .. } => return Err("a function type has no size".into()),
            TypeData::Datasec { size, .. } => *size as u64,
            TypeData::DeclTag { .. } => return Err("a declaration tag has no size".into()),
        })
    }

    /// Alignment in bytes (clang's BPF rules; for types from a base BTF, packing is inferred
    /// from member offsets as libbpf does).
    pub(crate) fn align_of(&self, id: u32) -> Result<u32, String> {
        self.align_at(id, 0)
    }

    fn align_at(&self, id: u32, depth: u32) -> Result<u32, String> {
        if depth > MAX_DEPTH {
            return Err("type nesting too deep".into());
        }
        if let Some(&a) = self.aligns.get(&id) {
            return Ok(a);
        }
        let Some(t) = self.b.get(id) else { return Err("`void` has no alignment".into()) };
        Ok(match &t.data {
            TypeData::Int { size, .. }
            | TypeData::Float { size }
            | TypeData::Enum { size, .. }
            | TypeData::Enum64 { size, .. } => (*size).clamp(1, 16),
            TypeData::Ptr { .. } => 8,
            TypeData::Typedef { type_id }
            | TypeData::Const { type_id }
            | TypeData::Volatile { type_id }
            | TypeData::Restrict { type_id }
            | TypeData::TypeTag { type_id }
            | TypeData::Var { type_id, .. } => self.align_at(*type_id, depth + 1)?,
            TypeData::Array(a) => self.align_at(a.elem_type, depth + 1)?,
            TypeData::Struct { size, members } | TypeData::Union { size, members } => {
                // Natural alignment, unless the layout shows packing.
                let mut max = 1;
                for m in members {
                    let a = self.align_at(m.type_id, depth + 1)?;
                    if m.bitfield_size == 0 && m.bit_offset % (a * 8) != 0 {
                        return Ok(1);
                    }
                    max = max.max(a);
                }
                if size % max != 0 {
                    1
                } else {
                    max
                }
            }
            TypeData::Fwd => return Err(format!("`{}` is an incomplete type", self.describe(id))),
            _ => return Err("a function type has no alignment".into()),
        })
    }

    /// Whether an INT/ENUM type (after typedefs) is signed.
    pub(crate) fn is_signed(&self, id: u32) -> bool {
        match self.b.get(self.strip(id)) {
            Some(t) => match &t.data {
                TypeData::Int { info, .. } => info.encoding.0 & 1 != 0,
                TypeData::Enum { .. } | TypeData::Enum64 { .. } => t.kind_flag,
                _ => false,
            },
            None => false,
        }
    }

    /// A C spelling of a type, for messages.
    pub(crate) fn describe(&self, id: u32) -> String {
        self.describe_at(id, 0)
    }

    fn describe_at(&self, id: u32, depth: u32) -> String {
        if depth > 8 {
            return "...".into();
        }
        let Some(t) = self.b.get(id) else { return "void".into() };
        let name = self.b.str_at(t.name_off).unwrap_or("");
        let named = |w: &str| if name.is_empty() { format!("{w} (anonymous)") } else { format!("{w} {name}") };
        match &t.data {
            TypeData::Int { .. } | TypeData::Float { .. } | TypeData::Typedef { .. } => name.to_string(),
            TypeData::Struct { .. } => named("struct"),
            TypeData::Union { .. } => named("union"),
            TypeData::Enum { .. } | TypeData::Enum64 { .. } => named("enum"),
            TypeData::Fwd => named(if t.kind_flag { "union" } else { "struct" }),
            TypeData::Ptr { type_id } => format!("{} *", self.describe_at(*type_id, depth + 1)),
            TypeData::Const { type_id } => format!("const {}", self.describe_at(*type_id, depth + 1)),
            TypeData::Volatile { type_id } => format!("volatile {}", self.describe_at(*type_id, depth + 1)),
            TypeData::Restrict { type_id } => format!("{} restrict", self.describe_at(*type_id, depth + 1)),
            TypeData::TypeTag { type_id } => self.describe_at(*type_id, depth + 1),
            TypeData::Array(a) => format!("{}[{}]", self.describe_at(a.elem_type, depth + 1), a.nelems),
            TypeData::FuncProto { ret, params } => {
                let ps: Vec<String> = params
                    .iter()
                    .map(|p| if p.type_id == 0 { "...".to_string() } else { self.describe_at(p.type_id, depth + 1) })
                    .collect();
                format!("{} ({})", self.describe_at(*ret, depth + 1), ps.join(", "))
            }
            _ => format!("{} {}", t.kind(), name),
        }
    }

    /// Look up a member by name in a struct/union, descending into anonymous members.
    /// Returns the path of `(member index, bit offset, type, bitfield size)` steps.
    pub(crate) fn find_member(&self, id: u32, name: &str) -> Option<Vec<(u32, u32, u32, u32)>> {
        self.find_member_at(id, name, 0)
    }

    fn find_member_at(&self, id: u32, name: &str, depth: u32) -> Option<Vec<(u32, u32, u32, u32)>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let t = self.b.get(self.strip(id))?;
        let (TypeData::Struct { members, .. } | TypeData::Union { members, .. }) = &t.data else { return None };
        for (i, m) in members.iter().enumerate() {
            let mname = self.b.str_at(m.name_off).unwrap_or("");
            if mname == name {
                return Some(vec![(i as u32, m.bit_offset, m.type_id, m.bitfield_size)]);
            }
            if mname.is_empty() {
                if let Some(mut rest) = self.find_member_at(m.type_id, name, depth + 1) {
                    rest.insert(0, (i as u32, m.bit_offset, m.type_id, 0));
                    return Some(rest);
                }
            }
        }
        None
    }

    /// Member names of a struct/union (anonymous members' names included), for hints.
    pub(crate) fn member_names(&self, id: u32) -> Vec<String> {
        let mut out = Vec::new();
        self.member_names_at(id, &mut out, 0);
        out
    }

    fn member_names_at(&self, id: u32, out: &mut Vec<String>, depth: u32) {
        if depth > MAX_DEPTH {
            return;
        }
        let Some(t) = self.b.get(self.strip(id)) else { return };
        let (TypeData::Struct { members, .. } | TypeData::Union { members, .. }) = &t.data else { return };
        for m in members {
            match self.b.str_at(m.name_off).unwrap_or("") {
                "" => self.member_names_at(m.type_id, out, depth + 1),
                n => out.push(n.to_string()),
            }
        }
    }
}
