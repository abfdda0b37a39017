//! BTF queries the linker needs: C rendering of types, libbpf's global-symbol type
//! compatibility (with the reason spelled out), and BTF map definitions.

use btf::{Btf, Kind, Linkage, Type};

fn skip_mods_typedefs<'a>(b: &Btf<'a>, mut id: u32) -> (u32, Option<Type<'a>>) {
    for _ in 0..64 {
        match b.type_by_id(id) {
            Some(t) if is_modifier_or_typedef(t.kind()) => id = t.type_id(),
            Some(t) => return (id, Some(t)),
            None => return (id, None),
        }
    }
    (id, None)
}

fn is_modifier_or_typedef(k: Kind) -> bool {
    matches!(k, Kind::TYPEDEF | Kind::VOLATILE | Kind::CONST | Kind::RESTRICT | Kind::TYPE_TAG)
}

/// The type as C would spell it (`struct foo *`, `unsigned int`, `int (*)(void *)`).
pub fn type_str(b: &Btf<'_>, id: u32) -> String {
    decl(b, id, "", 0)
}

fn decl(b: &Btf<'_>, id: u32, inner: &str, depth: u32) -> String {
    let join = |base: String, inner: &str| if inner.is_empty() { base } else { format!("{base} {inner}") };
    if depth > 32 {
        return join("...".into(), inner);
    }
    if id == 0 {
        return join("void".into(), inner);
    }
    let Some(t) = b.type_by_id(id) else { return join(format!("<bad type {id}>"), inner) };
    let name = b.name_of(&t);
    match t.kind() {
        Kind::INT | Kind::FLOAT | Kind::TYPEDEF => join(name.to_string(), inner),
        Kind::STRUCT => join(format!("struct {}", or_anon(name)), inner),
        Kind::UNION => join(format!("union {}", or_anon(name)), inner),
        Kind::ENUM | Kind::ENUM64 => join(format!("enum {}", or_anon(name)), inner),
        Kind::FWD => join(format!("{} {name}", if t.kind_flag() { "union" } else { "struct" }), inner),
        Kind::PTR => {
            let pointee = b.type_by_id(t.type_id()).map(|p| p.kind());
            let i = if matches!(pointee, Some(Kind::ARRAY) | Some(Kind::FUNC_PROTO)) {
                format!("(*{inner})")
            } else {
                format!("*{inner}")
            };
            decl(b, t.type_id(), &i, depth + 1)
        }
        Kind::CONST => decl(b, t.type_id(), &prefix("const", inner), depth + 1),
        Kind::VOLATILE => decl(b, t.type_id(), &prefix("volatile", inner), depth + 1),
        Kind::RESTRICT => decl(b, t.type_id(), &prefix("restrict", inner), depth + 1),
        Kind::TYPE_TAG => decl(b, t.type_id(), inner, depth + 1),
        Kind::ARRAY => {
            let a = t.array();
            decl(b, a.elem_type, &format!("{inner}[{}]", a.nelems), depth + 1)
        }
        Kind::FUNC_PROTO => {
            let params: Vec<String> = t
                .params()
                .map(|p| {
                    if p.type_id == 0 {
                        "...".to_string()
                    } else {
                        decl(b, p.type_id, b.str_at(p.name_off).unwrap_or(""), depth + 1)
                    }
                })
                .collect();
            let ps = if params.is_empty() { "void".to_string() } else { params.join(", ") };
            decl(b, t.type_id(), &format!("{inner}({ps})"), depth + 1)
        }
        Kind::FUNC => {
            let link = t.func_linkage();
            let s = decl(b, t.type_id(), name, depth + 1);
            if link == Linkage::STATIC {
                format!("static {s}")
            } else if link == Linkage::EXTERN {
                format!("extern {s}")
            } else {
                s
            }
        }
        Kind::VAR => {
            let s = decl(b, t.type_id(), name, depth + 1);
            match t.var_linkage() {
                Linkage::STATIC => format!("static {s}"),
                Linkage::EXTERN => format!("extern {s}"),
                _ => s,
            }
        }
        k => join(format!("<{k}>"), inner),
    }
}

fn prefix(q: &str, inner: &str) -> String {
    if inner.is_empty() {
        q.to_string()
    } else {
        format!("{q} {inner}")
    }
}

fn or_anon(n: &str) -> &str {
    if n.is_empty() {
        "<anon>"
    } else {
        n
    }
}

/// A struct/union with its members, for messages (`struct my_value { long x; }`).
pub fn type_body(b: &Btf<'_>, id: u32) -> String {
    let (rid, t) = skip_mods_typedefs(b, id);
    match t {
        Some(t) if t.is_composite() => {
            let ms: Vec<String> = t
                .members()
                .map(|m| format!("{};", decl(b, m.type_id, b.str_at(m.name_off).unwrap_or(""), 1)))
                .collect();
            format!("{} {{ {} }}", type_str(b, rid), ms.join(" "))
        }
        _ => type_str(b, id),
    }
}

/// libbpf's `glob_sym_btf_matches`: `Err(reason)` names the first difference.
pub fn btf_matches(b1: &Btf<'_>, id1: u32, b2: &Btf<'_>, id2: u32, exact: bool) -> Result<(), String> {
    matches_rec(b1, id1, b2, id2, exact, 0)
}

/// [`btf_matches`] (exact) of two globals' VARs or FUNCs in one BTF, remembering the outcome
/// for the types under them: every object declaring the same global compares the same
/// types (the merged view holds one copy), so each pair is walked once.
pub fn glob_matches(
    b: &Btf<'_>,
    id1: u32,
    id2: u32,
    memo: &mut btf::hash::FxHashMap<(u32, u32), Result<(), String>>,
) -> Result<(), String> {
    let linkage = |t: &Type<'_>| match t.kind() {
        Kind::FUNC => Some(t.func_linkage() == Linkage::STATIC),
        Kind::VAR => Some(t.var_linkage() == Linkage::STATIC),
        _ => None,
    };
    if let (Some(t1), Some(t2)) = (b.type_by_id(id1), b.type_by_id(id2)) {
        if t1.kind() == t2.kind() && linkage(&t1).is_some() && linkage(&t1) == linkage(&t2) {
            // What `matches_rec` goes on with after this first step (same kind, same
            // linkage), at the depth it would be at.
            let (a, b2) = (t1.type_id(), t2.type_id());
            return memo.entry((a, b2)).or_insert_with(|| matches_rec(b, a, b, b2, true, 1)).clone();
        }
    }
    btf_matches(b, id1, b, id2, true)
}

fn matches_rec(b1: &Btf<'_>, id1: u32, b2: &Btf<'_>, id2: u32, exact: bool, depth: u32) -> Result<(), String> {
    let (mut id1, mut id2) = (id1, id2);
    let mut depth = depth;
    loop {
        depth += 1;
        if depth > 64 {
            return Err("type graph too deep".into());
        }
        let (i1, t1) = skip_mods_typedefs(b1, id1);
        let (i2, t2) = skip_mods_typedefs(b2, id2);
        let k1 = t1.as_ref().map_or(Kind::UNKN, |t| t.kind());
        let k2 = t2.as_ref().map_or(Kind::UNKN, |t| t.kind());
        let n1 = t1.as_ref().map_or("", |t| b1.name_of(t));
        let n2 = t2.as_ref().map_or("", |t| b2.name_of(t));
        // Rendered only for messages (formatting every step would dominate a successful match).
        let s1 = || type_str(b1, i1);
        let s2 = || type_str(b2, i2);
        if !exact && (k1 == Kind::FWD) != (k2 == Kind::FWD) {
            if n1 != n2 {
                return Err(format!("`{s1}` vs `{s2}`: different names", s1 = s1(), s2 = s2()));
            }
            let (fwd, other) = if k1 == Kind::FWD { (&t1, k2) } else { (&t2, k1) };
            let union = fwd.as_ref().is_some_and(|t| t.kind_flag());
            if (union && other == Kind::UNION) || (!union && other == Kind::STRUCT) {
                return Ok(());
            }
            return Err(format!("`{s1}` vs `{s2}`: forward declaration of another kind", s1 = s1(), s2 = s2()));
        }
        if k1 != k2 {
            return Err(format!("`{s1}` vs `{s2}`: {} vs {}", kind_word(k1), kind_word(k2), s1 = s1(), s2 = s2()));
        }
        let (Some(t1), Some(t2)) = (t1, t2) else { return Ok(()) };
        if matches!(k1, Kind::STRUCT | Kind::UNION | Kind::ENUM | Kind::ENUM64 | Kind::FWD) && n1 != n2 {
            return Err(format!("`{s1}` vs `{s2}`: different names", s1 = s1(), s2 = s2()));
        }
        match k1 {
            Kind::FWD => return Ok(()),
            Kind::INT | Kind::FLOAT | Kind::ENUM | Kind::ENUM64 => {
                if t1.size() != t2.size() {
                    return Err(format!(
                        "`{s1}` ({} bytes) vs `{s2}` ({} bytes): sizes differ",
                        t1.size(),
                        t2.size(),
                        s1 = s1(),
                        s2 = s2()
                    ));
                }
                return Ok(());
            }
            Kind::PTR => {
                // Only the shape of what is pointed to: a FWD matches its struct.
                return matches_rec(b1, t1.type_id(), b2, t2.type_id(), false, depth)
                    .map_err(|e| format!("`{s1}` vs `{s2}`: {e}", s1 = s1(), s2 = s2()));
            }
            Kind::ARRAY => {
                id1 = t1.array().elem_type;
                id2 = t2.array().elem_type;
            }
            Kind::FUNC => {
                if (t1.func_linkage() == Linkage::STATIC) != (t2.func_linkage() == Linkage::STATIC) {
                    return Err("static vs non-static function".into());
                }
                id1 = t1.type_id();
                id2 = t2.type_id();
            }
            Kind::VAR => {
                if (t1.var_linkage() == Linkage::STATIC) != (t2.var_linkage() == Linkage::STATIC) {
                    return Err("static vs non-static variable".into());
                }
                id1 = t1.type_id();
                id2 = t2.type_id();
            }
            Kind::STRUCT | Kind::UNION => {
                if !exact {
                    return Ok(());
                }
                if t1.vlen() != t2.vlen() {
                    return Err(format!(
                        "`{s1}` has {} fields, `{s2}` has {}",
                        t1.vlen(),
                        t2.vlen(),
                        s1 = s1(),
                        s2 = s2()
                    ));
                }
                for (i, (m1, m2)) in t1.members().zip(t2.members()).enumerate() {
                    let (f1, f2) = (b1.str_at(m1.name_off).unwrap_or(""), b2.str_at(m2.name_off).unwrap_or(""));
                    if f1 != f2 {
                        return Err(format!(
                            "`{s1}` field #{i} is named `{f1}` in one and `{f2}` in the other",
                            s1 = s1()
                        ));
                    }
                    if m1.bit_offset != m2.bit_offset || m1.bitfield_size != m2.bitfield_size {
                        return Err(format!("`{s1}` field `{f1}` is at different offsets", s1 = s1()));
                    }
                    matches_rec(b1, m1.type_id, b2, m2.type_id, exact, depth)
                        .map_err(|e| format!("`{s1}` field `{f1}`: {e}", s1 = s1()))?;
                }
                return Ok(());
            }
            Kind::FUNC_PROTO => {
                if t1.vlen() != t2.vlen() {
                    return Err(format!("{} vs {} arguments", t1.vlen(), t2.vlen()));
                }
                for (i, (p1, p2)) in t1.params().zip(t2.params()).enumerate() {
                    matches_rec(b1, p1.type_id, b2, p2.type_id, exact, depth)
                        .map_err(|e| format!("argument {}: {e}", i + 1))?;
                }
                matches_rec(b1, t1.type_id(), b2, t2.type_id(), exact, depth)
                    .map_err(|e| format!("return type: {e}"))?;
                return Ok(());
            }
            k => return Err(format!("unsupported BTF kind {k}")),
        }
    }
}

fn kind_word(k: Kind) -> &'static str {
    match k {
        Kind::UNKN => "void",
        Kind::INT => "integer",
        Kind::PTR => "pointer",
        Kind::ARRAY => "array",
        Kind::STRUCT => "struct",
        Kind::UNION => "union",
        Kind::ENUM | Kind::ENUM64 => "enum",
        Kind::FWD => "forward declaration",
        Kind::FUNC => "function",
        Kind::FUNC_PROTO => "function prototype",
        Kind::VAR => "variable",
        Kind::FLOAT => "float",
        _ => "other kind",
    }
}

/// A BTF-defined map (`struct { __uint(type, ...); ... } name SEC(".maps")`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MapDef {
    pub map_type: Option<u32>,
    pub key_size: Option<u32>,
    pub key_type: u32,
    pub value_size: Option<u32>,
    pub value_type: u32,
    pub max_entries: Option<u32>,
    pub map_flags: Option<u32>,
    pub numa_node: Option<u32>,
    pub pinning: Option<u32>,
    pub map_extra: Option<u32>,
    /// Byte offset of the `values` member (initial values), if any.
    pub values_off: Option<u32>,
    pub inner: Option<Box<MapDef>>,
}

fn uint_member(b: &Btf<'_>, id: u32) -> Option<u32> {
    let (_, t) = skip_mods_typedefs(b, id);
    let t = t?;
    if t.kind() != Kind::PTR {
        return None;
    }
    let (_, a) = skip_mods_typedefs(b, t.type_id());
    let a = a?;
    (a.kind() == Kind::ARRAY).then(|| a.array().nelems)
}

/// Parse the map definition a `.maps` VAR (or its type) describes.
pub fn parse_map_def(b: &Btf<'_>, var_or_type: u32) -> Result<MapDef, String> {
    let mut id = var_or_type;
    if let Some(t) = b.type_by_id(id) {
        if t.kind() == Kind::VAR {
            id = t.type_id();
        }
    }
    let (_, t) = skip_mods_typedefs(b, id);
    let t = t.ok_or("map definition has no type")?;
    if t.kind() != Kind::STRUCT {
        return Err(format!("map definition is a {} not a struct", kind_word(t.kind())));
    }
    let mut d = MapDef::default();
    for m in t.members() {
        let name = b.str_at(m.name_off).unwrap_or("");
        let u = || uint_member(b, m.type_id).ok_or(format!("map field `{name}` is not __uint()"));
        match name {
            "type" => d.map_type = Some(u()?),
            "max_entries" => d.max_entries = Some(u()?),
            "map_flags" => d.map_flags = Some(u()?),
            "numa_node" => d.numa_node = Some(u()?),
            "pinning" => d.pinning = Some(u()?),
            "map_extra" => d.map_extra = Some(u()?),
            "key_size" => d.key_size = Some(u()?),
            "value_size" => d.value_size = Some(u()?),
            "key" | "value" => {
                let (_, p) = skip_mods_typedefs(b, m.type_id);
                let p = p.filter(|p| p.kind() == Kind::PTR).ok_or(format!("map field `{name}` is not __type()"))?;
                let sz = b.resolve_size(p.type_id()).unwrap_or(0) as u32;
                if name == "key" {
                    d.key_type = p.type_id();
                    d.key_size = Some(sz);
                } else {
                    d.value_type = p.type_id();
                    d.value_size = Some(sz);
                }
            }
            "values" => {
                d.values_off = Some(m.bit_offset / 8);
                let (_, a) = skip_mods_typedefs(b, m.type_id);
                if let Some(a) = a.filter(|a| a.kind() == Kind::ARRAY) {
                    let (_, p) = skip_mods_typedefs(b, a.array().elem_type);
                    if let Some(p) = p.filter(|p| p.kind() == Kind::PTR) {
                        let (_, inner) = skip_mods_typedefs(b, p.type_id());
                        if inner.is_some_and(|i| i.kind() == Kind::STRUCT) {
                            d.inner = Some(Box::new(parse_map_def(b, p.type_id())?));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(d)
}

/// libbpf's `map_defs_match`, with the differing field and both values.
pub fn map_defs_match(b1: &Btf<'_>, d1: &MapDef, b2: &Btf<'_>, d2: &MapDef) -> Result<(), String> {
    let num = |what: &str, a: Option<u32>, b: Option<u32>| -> Result<(), String> {
        if a.unwrap_or(0) != b.unwrap_or(0) {
            Err(format!("{what} {} vs {}", a.unwrap_or(0), b.unwrap_or(0)))
        } else {
            Ok(())
        }
    };
    if d1.map_type.unwrap_or(0) != d2.map_type.unwrap_or(0) {
        let n = |t: Option<u32>| bpfobj::uapi::MapType(t.unwrap_or(0)).to_string();
        return Err(format!("map type {} vs {}", n(d1.map_type), n(d2.map_type)));
    }
    num("key size", d1.key_size, d2.key_size)?;
    if (d1.key_type != 0) != (d2.key_type != 0) {
        return Err("key type given in one definition only".into());
    }
    if d1.key_type != 0 {
        btf_matches(b1, d1.key_type, b2, d2.key_type, true).map_err(|e| {
            format!("key type `{}` vs `{}`: {e}", type_body(b1, d1.key_type), type_body(b2, d2.key_type))
        })?;
    }
    num("value size", d1.value_size, d2.value_size)?;
    if (d1.value_type != 0) != (d2.value_type != 0) {
        return Err("value type given in one definition only".into());
    }
    if d1.value_type != 0 {
        btf_matches(b1, d1.value_type, b2, d2.value_type, true).map_err(|e| {
            format!("value type `{}` vs `{}`: {e}", type_body(b1, d1.value_type), type_body(b2, d2.value_type))
        })?;
    }
    num("max_entries", d1.max_entries, d2.max_entries)?;
    num("map_flags", d1.map_flags, d2.map_flags)?;
    num("numa_node", d1.numa_node, d2.numa_node)?;
    num("pinning", d1.pinning, d2.pinning)?;
    match (&d1.inner, &d2.inner) {
        (None, None) => Ok(()),
        (Some(a), Some(b)) => map_defs_match(b1, a, b2, b).map_err(|e| format!("inner map: {e}")),
        _ => Err("inner map given in one definition only".into()),
    }
}

/// Render a map definition for messages.
pub fn map_def_str(b: &Btf<'_>, d: &MapDef) -> String {
    let mut s = String::new();
    if let Some(t) = d.map_type {
        s += &format!("type        {}\n", bpfobj::uapi::MapType(t));
    }
    if d.key_type != 0 {
        s += &format!("key         {}\n", type_body(b, d.key_type));
    } else if let Some(k) = d.key_size {
        s += &format!("key_size    {k}\n");
    }
    if d.value_type != 0 {
        s += &format!("value       {}\n", type_body(b, d.value_type));
    } else if let Some(k) = d.value_size {
        s += &format!("value_size  {k}\n");
    }
    for (n, v) in [("max_entries", d.max_entries), ("map_flags", d.map_flags), ("pinning", d.pinning)] {
        if let Some(v) = v {
            s += &format!("{n:<11} {v}\n");
        }
    }
    s
}
