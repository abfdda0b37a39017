//! The program's own BTF seen as the kernel's graph API sees it: where a map value or an
//! allocated object (`bpf_obj_new()`) has its `bpf_list_head`/`bpf_rb_root` roots, which type
//! and node each root holds (the `contains:TYPE:NODE` decl tag of bpf_experimental.h's
//! `__contains()`), and where a type has its `bpf_list_node`/`bpf_rb_node` nodes
//! (kernel/bpf/btf.c: btf_find_struct_field(), btf_find_datasec_var(), btf_find_graph_root(),
//! btf_parse_graph_root(), btf_find_nested_struct(), btf_repeat_fields()).

use std::collections::HashMap;

use btf::{Btf, Kind};

/// A list or a red-black tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GraphKind {
    List,
    Rb,
}

impl GraphKind {
    pub fn root_name(self) -> &'static str {
        match self {
            GraphKind::List => "bpf_list_head",
            GraphKind::Rb => "bpf_rb_root",
        }
    }
    pub fn node_name(self) -> &'static str {
        match self {
            GraphKind::List => "bpf_list_node",
            GraphKind::Rb => "bpf_rb_node",
        }
    }
}

/// A `bpf_list_head`/`bpf_rb_root` field and what it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraphRoot {
    /// Offset of the root in its container.
    pub off: u32,
    pub kind: GraphKind,
    /// The program's BTF id of the type the root holds.
    pub value: u32,
    pub value_name: String,
    /// Offset of the node in that type.
    pub node_off: u32,
}

/// A struct of the program's BTF an allocated object may have.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LocalType {
    pub name: String,
    /// Graph nodes: (offset, kind).
    pub nodes: Vec<(u32, GraphKind)>,
    pub roots: Vec<GraphRoot>,
    /// Integer (or enum, or array of them) members: (offset, size). A load inside one gives a
    /// scalar (btf_struct_access() on the program's BTF).
    pub scalars: Vec<(u32, u32)>,
}

impl LocalType {
    /// Whether `size` bytes at `off` lie inside one integer member.
    pub fn scalar_at(&self, off: i64, size: u32) -> bool {
        self.scalars.iter().any(|&(o, n)| off >= o as i64 && off + size as i64 <= (o + n) as i64)
    }
}

/// The structs of the program's BTF by type id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LocalTypes {
    pub types: HashMap<u32, LocalType>,
}

impl LocalTypes {
    /// Every struct of the program's BTF with its graph fields.
    pub fn from_btf(btf: &Btf) -> LocalTypes {
        let mut types = HashMap::new();
        for t in btf.types() {
            if t.kind() != Kind::STRUCT {
                continue;
            }
            let mut lt = LocalType { name: btf.name_of(&t).to_string(), ..Default::default() };
            let mut budget = FIELD_BUDGET;
            struct_fields(btf, t.id(), 0, 0, &mut lt.roots, &mut lt.nodes, &mut budget);
            for m in t.members() {
                let (elem, n) = flatten_array(btf, m.type_id);
                let scalar =
                    btf.type_by_id(elem).is_some_and(|e| matches!(e.kind(), Kind::INT | Kind::ENUM | Kind::ENUM64));
                let size = btf.resolve_size(elem).unwrap_or(0) as u32;
                if scalar && m.bit_offset % 8 == 0 && size > 0 {
                    lt.scalars.push((m.bit_offset / 8, size.saturating_mul(n)));
                }
            }
            types.insert(t.id(), lt);
        }
        LocalTypes { types }
    }
}

/// How many members one type's walk may visit (nested structs and their arrays multiply).
const FIELD_BUDGET: u32 = 4096;

/// Whether struct `name` is a graph root or node, and of which kind.
fn graph_field(name: &str) -> Option<(GraphKind, bool)> {
    match name {
        "bpf_list_head" => Some((GraphKind::List, true)),
        "bpf_rb_root" => Some((GraphKind::Rb, true)),
        "bpf_list_node" => Some((GraphKind::List, false)),
        "bpf_rb_node" => Some((GraphKind::Rb, false)),
        _ => None,
    }
}

/// The `contains:TYPE:NODE` decl tag on component `comp` of type `target` (-1: the type or
/// variable itself) (btf_find_decl_tag_value()).
fn contains_tag(btf: &Btf, target: u32, comp: i32) -> Option<(String, String)> {
    btf.types().find_map(|t| {
        if t.kind() != Kind::DECL_TAG || t.type_id() != target || t.decl_tag_component() != comp {
            return None;
        }
        let v = btf.name_of(&t).strip_prefix("contains:")?;
        let (ty, node) = v.split_once(':')?;
        Some((ty.to_string(), node.to_string()))
    })
}

/// The root a `contains:TYPE:NODE` tag describes: the held type's id and the offset of its
/// node of the right kind (btf_parse_graph_root()).
fn resolve_root(btf: &Btf, kind: GraphKind, off: u32, ty: &str, node: &str) -> Option<GraphRoot> {
    let vt = btf.find_by_name_kind(ty, Kind::STRUCT)?;
    let m = vt.members().find(|m| btf.str_at(m.name_off) == Some(node))?;
    let nt = btf.type_by_id(btf.skip_mods_and_typedefs(m.type_id))?;
    if btf.name_of(&nt) != kind.node_name() || m.bit_offset % 8 != 0 {
        return None;
    }
    Some(GraphRoot { off, kind, value: vt.id(), value_name: ty.to_string(), node_off: m.bit_offset / 8 })
}

/// A type with its array dimensions flattened: (element type id, element count).
fn flatten_array(btf: &Btf, id: u32) -> (u32, u32) {
    let mut id = btf.skip_mods_and_typedefs(id);
    let mut n = 1u32;
    while let Some(t) = btf.type_by_id(id).filter(|t| t.kind() == Kind::ARRAY) {
        let a = t.array();
        n = n.saturating_mul(a.nelems);
        id = btf.skip_mods_and_typedefs(a.elem_type);
    }
    (id, n)
}

/// One field of type `ty` at `off`, tagged as component (`tag_target`, `comp`): a root, a
/// node, or a nested struct whose fields count at their offsets (arrays repeat them).
#[allow(clippy::too_many_arguments)]
fn field(
    btf: &Btf,
    ty: u32,
    off: u32,
    tag_target: u32,
    comp: i32,
    depth: u32,
    roots: &mut Vec<GraphRoot>,
    nodes: &mut Vec<(u32, GraphKind)>,
    budget: &mut u32,
) {
    if *budget == 0 {
        return;
    }
    *budget -= 1;
    let (elem, n) = flatten_array(btf, ty);
    let Some(t) = btf.type_by_id(elem).filter(|t| t.kind() == Kind::STRUCT) else { return };
    let size = t.size();
    match graph_field(btf.name_of(&t)) {
        Some((kind, true)) => {
            // a root without a tag, or whose tag names no such type and node, makes the kernel
            // refuse the BTF: recorded unresolved (value 0)
            let tag = contains_tag(btf, tag_target, comp);
            for i in 0..n.min(64) {
                let at = off + i * size;
                let r = tag.as_ref().and_then(|(vty, vnode)| resolve_root(btf, kind, at, vty, vnode));
                roots.push(r.unwrap_or(GraphRoot { off: at, kind, value: 0, value_name: String::new(), node_off: 0 }));
            }
        }
        Some((kind, false)) => {
            for i in 0..n.min(64) {
                nodes.push((off + i * size, kind));
            }
        }
        None if depth < 8 => {
            for i in 0..n.min(64) {
                struct_fields(btf, elem, off + i * size, depth + 1, roots, nodes, budget);
            }
        }
        None => {}
    }
}

/// The graph fields of struct `id` placed at `base`.
fn struct_fields(
    btf: &Btf,
    id: u32,
    base: u32,
    depth: u32,
    roots: &mut Vec<GraphRoot>,
    nodes: &mut Vec<(u32, GraphKind)>,
    budget: &mut u32,
) {
    let Some(t) = btf.type_by_id(btf.skip_mods_and_typedefs(id)).filter(|t| t.kind() == Kind::STRUCT) else {
        return;
    };
    for (i, m) in t.members().enumerate() {
        if m.bit_offset % 8 != 0 {
            continue;
        }
        field(btf, m.type_id, base + m.bit_offset / 8, t.id(), i as i32, depth, roots, nodes, budget);
    }
}

/// The graph roots of a map value of struct type `id`.
pub fn value_roots(btf: &Btf, id: u32) -> Vec<GraphRoot> {
    let (mut roots, mut budget) = (Vec::new(), FIELD_BUDGET);
    struct_fields(btf, id, 0, 0, &mut roots, &mut Vec::new(), &mut budget);
    roots
}

/// Whether the kernel refuses a map value with these fields (kernel/bpf/btf.c:
/// btf_parse_fields(): a root whose `contains` tag does not resolve, a root without a
/// bpf_spin_lock); libbpf then creates the map without BTF, and so without special fields
/// (libbpf's bpf_object__create_map(): "Retrying without BTF").
pub fn value_btf_refused(roots: &[GraphRoot], has_lock: bool) -> bool {
    roots.iter().any(|r| r.value == 0) || (!roots.is_empty() && !has_lock)
}

/// The graph roots of a global-data section's variables (btf_find_datasec_var()).
pub fn datasec_roots(btf: &Btf, section: &str, offset_of: &dyn Fn(&str) -> Option<u32>) -> Vec<GraphRoot> {
    let mut roots = Vec::new();
    let mut nodes = Vec::new();
    let Some(ds) = btf.find_by_name_kind(section, Kind::DATASEC) else { return roots };
    let mut budget = FIELD_BUDGET;
    for v in ds.datasec_vars() {
        let Some(var) = btf.type_by_id(v.type_id) else { continue };
        let off = offset_of(btf.name_of(&var)).unwrap_or(v.offset);
        field(btf, var.type_id(), off, var.id(), -1, 0, &mut roots, &mut nodes, &mut budget);
    }
    roots
}
