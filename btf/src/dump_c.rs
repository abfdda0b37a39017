//! C header dump, like `bpftool btf dump file X format c`.
//!
//! Layout is reproduced exactly: member gaps become unnamed bitfields (`long: 64;`), and a
//! struct whose members cannot be placed by the natural C rules is emitted `packed`.
//! Named structs and unions are forward-declared first, so only by-value uses impose an
//! order; typedefs and definitions follow in dependency order, then id order.

use crate::hash::FxHashMap as HashMap;
use crate::{Btf, Kind, Type};
use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

/// Write a C header declaring every struct, union, enum and typedef.
pub fn dump_c<W: Write>(btf: &Btf<'_>, w: &mut W) -> io::Result<()> {
    let mut d = CDump::new(btf);
    d.out.push_str(
        "#ifndef __VMLINUX_H__\n#define __VMLINUX_H__\n\n#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n\
         #pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n#endif\n\n",
    );
    d.emit_all();
    d.out.push_str(
        "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n#endif\n\n#endif /* __VMLINUX_H__ */\n",
    );
    w.write_all(d.out.as_bytes())
}

const MAX_DEPTH: usize = 64;

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    New,
    Busy,
    Done,
}

struct CDump<'b, 'a> {
    btf: &'b Btf<'a>,
    /// C name of each named struct/union/enum/typedef/fwd, and of each enumerator
    /// (keyed by (id, index)).
    names: Vec<Option<Cow<'a, str>>>,
    /// Enumerators renamed to avoid a clash (the others keep their BTF name).
    enumerators: HashMap<(u32, u32), String>,
    state: Vec<State>,
    referenced: Vec<bool>,
    /// Tag names that have a full struct/union definition.
    defined_tags: std::collections::HashSet<String, crate::hash::FxBuild>,
    align: Vec<u32>,
    packed: Vec<Option<bool>>,
    /// Anonymous types being printed inline right now: hostile BTF can make one contain itself,
    /// which would otherwise print (and branch) exponentially.
    inline: Vec<u32>,
    /// Anonymous types already walked by the current dependency search (each is walked once,
    /// which keeps the search linear even when hostile BTF nests them wide and deep).
    anon_seen: std::cell::RefCell<std::collections::HashSet<u32, crate::hash::FxBuild>>,
    /// Inline expansions left before the dump stops expanding (bounds the work on hostile BTF
    /// whose anonymous types nest wide and deep).
    budget: u64,
    out: String,
}

/// `name` if unused so far in `map`'s namespace, else `name___N`.
fn uniq<'s>(map: &mut HashMap<&'s str, u32>, name: &'s str) -> Cow<'s, str> {
    let n = map.entry(name).or_insert(0);
    *n += 1;
    if *n == 1 {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(format!("{name}___{n}"))
    }
}

impl<'b, 'a> CDump<'b, 'a> {
    fn new(btf: &'b Btf<'a>) -> Self {
        let n = btf.type_count() as usize;
        let mut names: Vec<Option<Cow<'a, str>>> = vec![None; n];
        let mut enumerators = HashMap::default();
        let mut tags: HashMap<&str, u32> = HashMap::default();
        let mut idents: HashMap<&str, u32> = HashMap::default();
        let mut referenced = vec![false; n];
        let mut first_tag: HashMap<&str, u32> = HashMap::default();
        for id in 1..btf.type_count() {
            let Some(t) = btf.type_by_id(id) else { continue };
            for_each_ref(&t, |r| {
                if let Some(x) = referenced.get_mut(r as usize) {
                    *x = true;
                }
            });
            let name = btf.name_of(&t);
            match t.kind() {
                Kind::STRUCT | Kind::UNION | Kind::ENUM | Kind::ENUM64 if !name.is_empty() => {
                    first_tag.entry(name).or_insert(id);
                    names[id as usize] = Some(uniq(&mut tags, name));
                }
                Kind::TYPEDEF if !name.is_empty() => names[id as usize] = Some(uniq(&mut idents, name)),
                _ => {}
            }
            if t.is_enum() {
                for (i, v) in t.enum_values().enumerate() {
                    let vn = btf.str_at(v.name_off).unwrap_or("");
                    if let Cow::Owned(renamed) = uniq(&mut idents, vn) {
                        enumerators.insert((id, i as u32), renamed);
                    }
                }
            }
        }
        // A FWD names the first full definition with its name, or itself.
        for id in 1..btf.type_count() {
            let Some(t) = btf.type_by_id(id) else { continue };
            if t.kind() == Kind::FWD {
                let name = btf.name_of(&t);
                names[id as usize] = Some(Cow::Borrowed(name));
                if !first_tag.contains_key(name) {
                    tags.entry(name).or_insert(1);
                }
            }
        }
        let defined_tags = first_tag
            .iter()
            .filter(|(_, &id)| btf.type_by_id(id).is_some_and(|t| t.is_composite()))
            .map(|(n, _)| n.to_string())
            .collect();
        CDump {
            btf,
            names,
            defined_tags,
            enumerators,
            state: vec![State::New; n],
            referenced,
            align: vec![0; n],
            packed: vec![None; n],
            inline: Vec::new(),
            anon_seen: Default::default(),
            budget: 1 << 22,
            out: String::with_capacity(1 << 20),
        }
    }

    fn ty(&self, id: u32) -> Option<Type<'a>> {
        self.btf.type_by_id(id)
    }

    fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).and_then(|n| n.as_deref()).unwrap_or("")
    }

    fn emit_all(&mut self) {
        // Forward declarations of every named struct/union (first of each C name).
        let mut any = false;
        for id in 1..self.btf.type_count() {
            let Some(t) = self.ty(id) else { continue };
            let fwd_union = t.kind() == Kind::FWD && t.kind_flag();
            if (t.is_composite() || t.kind() == Kind::FWD) && !self.name(id).is_empty() {
                let kw = if t.kind() == Kind::UNION || fwd_union { "union" } else { "struct" };
                let line = format!("{kw} {};\n\n", self.name(id));
                if t.kind() == Kind::FWD && self.defined_tags.contains(self.name(id)) {
                    continue;
                }
                self.out.push_str(&line);
                any = true;
            }
        }
        let _ = any;
        for id in 1..self.btf.type_count() {
            let Some(t) = self.ty(id) else { continue };
            let top = match t.kind() {
                Kind::TYPEDEF => !self.name(id).is_empty() && self.name(id) != "__builtin_va_list",
                Kind::STRUCT | Kind::UNION => !self.name(id).is_empty(),
                Kind::ENUM | Kind::ENUM64 => !self.name(id).is_empty() || !self.referenced[id as usize],
                _ => false,
            };
            if top {
                self.emit(id, 0);
            }
        }
    }

    /// Emit the types `id` needs (complete or just declared), then `id` itself if it is a
    /// top-level definition.
    fn emit(&mut self, id: u32, depth: usize) {
        if depth > MAX_DEPTH || self.state.get(id as usize) != Some(&State::New) {
            return;
        }
        let Some(t) = self.ty(id) else { return };
        if t.kind() == Kind::TYPEDEF && self.name(id) == "__builtin_va_list" {
            // A compiler builtin: redefining it is an error.
            self.state[id as usize] = State::Done;
            return;
        }
        self.state[id as usize] = State::Busy;
        let mut deps = Vec::new();
        self.anon_seen.borrow_mut().clear();
        match t.kind() {
            Kind::STRUCT | Kind::UNION | Kind::ENUM | Kind::ENUM64 => self.needs_body(id, &mut deps, 0),
            Kind::TYPEDEF => self.needs(t.type_id(), false, &mut deps, 0),
            _ => {}
        }
        for d in deps {
            self.emit(d, depth + 1);
        }
        let mut s = String::new();
        match t.kind() {
            Kind::TYPEDEF => {
                s.push_str("typedef ");
                let name = self.name(id).to_string();
                self.decl(&mut s, t.type_id(), &name, 0, 0);
                s.push_str(";\n\n");
            }
            Kind::STRUCT | Kind::UNION | Kind::ENUM | Kind::ENUM64 => {
                self.body(&mut s, id, 0, 0);
                s.push_str(";\n\n");
            }
            _ => {}
        }
        self.out.push_str(&s);
        self.state[id as usize] = State::Done;
    }

    /// Types that must be emitted before a definition of `id`'s body (members by value).
    fn needs_body(&self, id: u32, deps: &mut Vec<u32>, depth: usize) {
        let Some(t) = self.ty(id) else { return };
        if depth > MAX_DEPTH {
            return;
        }
        for m in t.members() {
            self.needs(m.type_id, true, deps, depth + 1);
        }
    }

    /// Types that must be emitted before a use of `id` (complete or not).
    fn needs(&self, id: u32, complete: bool, deps: &mut Vec<u32>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let Some(t) = self.ty(id) else { return };
        match t.kind() {
            Kind::STRUCT | Kind::UNION => {
                if self.name(id).is_empty() {
                    if self.anon_seen.borrow_mut().insert(id) {
                        self.needs_body(id, deps, depth + 1);
                    }
                } else if complete {
                    deps.push(id);
                }
            }
            Kind::ENUM | Kind::ENUM64 if !self.name(id).is_empty() => deps.push(id),
            Kind::TYPEDEF => {
                deps.push(id);
                if complete {
                    self.needs(t.type_id(), true, deps, depth + 1);
                }
            }
            Kind::PTR => self.needs(t.type_id(), false, deps, depth + 1),
            Kind::ARRAY => self.needs(t.array().elem_type, true, deps, depth + 1),
            Kind::CONST | Kind::VOLATILE | Kind::RESTRICT | Kind::TYPE_TAG => {
                self.needs(t.type_id(), complete, deps, depth + 1)
            }
            Kind::FUNC_PROTO => {
                self.needs(t.type_id(), false, deps, depth + 1);
                for p in t.params() {
                    self.needs(p.type_id, false, deps, depth + 1);
                }
            }
            _ => {}
        }
    }

    fn align_of(&mut self, id: u32, depth: usize) -> u32 {
        if depth > MAX_DEPTH {
            return 1;
        }
        let Some(t) = self.ty(id) else { return 1 };
        if self.align[id as usize] != 0 {
            return self.align[id as usize];
        }
        let a = match t.kind() {
            Kind::INT | Kind::ENUM | Kind::ENUM64 | Kind::FLOAT => match t.size() {
                0 => 1,
                s if s >= 16 => 16,
                s => s.min(8).next_power_of_two(),
            },
            Kind::PTR => 8,
            Kind::ARRAY => self.align_of(t.array().elem_type, depth + 1),
            Kind::STRUCT | Kind::UNION => {
                if self.is_packed(id, depth + 1) {
                    1
                } else {
                    self.natural_align(id, depth + 1)
                }
            }
            Kind::TYPEDEF | Kind::CONST | Kind::VOLATILE | Kind::RESTRICT | Kind::TYPE_TAG => {
                self.align_of(t.type_id(), depth + 1)
            }
            _ => 1,
        };
        self.align[id as usize] = a;
        a
    }

    fn natural_align(&mut self, id: u32, depth: usize) -> u32 {
        let Some(t) = self.ty(id) else { return 1 };
        let mut a = 1;
        for m in t.members() {
            a = a.max(self.align_of(m.type_id, depth + 1));
        }
        a
    }

    /// Bit width of a member if it is a bitfield.
    fn bitfield_bits(&self, m: &crate::Member) -> Option<u32> {
        if m.bitfield_size != 0 {
            return Some(m.bitfield_size);
        }
        let id = self.btf.skip_mods_and_typedefs(m.type_id);
        let t = self.ty(id)?;
        if t.kind() == Kind::INT {
            let i = t.int();
            if i.bits as u64 != t.size() as u64 * 8 || i.offset != 0 {
                return Some(i.bits as u32);
            }
        }
        None
    }

    fn member_size(&self, id: u32) -> u32 {
        self.btf.resolve_size(id).unwrap_or(0) as u32
    }

    /// Whether `id` must be emitted `packed`: its members cannot be placed by the natural
    /// rules (with explicit padding), or its size is not a multiple of its alignment.
    fn is_packed(&mut self, id: u32, depth: usize) -> bool {
        if let Some(p) = self.packed[id as usize] {
            return p;
        }
        self.packed[id as usize] = Some(false);
        let Some(t) = self.ty(id) else { return false };
        let align = self.natural_align(id, depth);
        let mut packed = t.size() % align != 0;
        if !packed && t.kind() == Kind::STRUCT {
            let mut cur = 0u64;
            for m in t.members() {
                let off = m.bit_offset as u64;
                match self.bitfield_bits(&m) {
                    Some(bits) => {
                        let unit = self.member_size(m.type_id).max(1) as u64 * 8;
                        if off % unit + bits as u64 > unit {
                            packed = true;
                            break;
                        }
                        cur = off + bits as u64;
                    }
                    None => {
                        let a = self.align_of(m.type_id, depth + 1) as u64 * 8;
                        if off % a != 0 || off < cur {
                            packed = true;
                            break;
                        }
                        cur = off + self.member_size(m.type_id) as u64 * 8;
                    }
                }
            }
        }
        self.packed[id as usize] = Some(packed);
        packed
    }

    /// Definition of a struct/union/enum (`struct name { ... } attrs`), no semicolon.
    fn body(&mut self, s: &mut String, id: u32, indent: usize, depth: usize) {
        let Some(t) = self.ty(id) else { return };
        let name = self.name(id).to_string();
        let sp = if name.is_empty() { "" } else { " " };
        match t.kind() {
            Kind::ENUM | Kind::ENUM64 => {
                let _ = writeln!(s, "enum{sp}{name} {{");
                let signed = t.kind_flag();
                let e64 = t.kind() == Kind::ENUM64;
                for (i, v) in t.enum_values().enumerate() {
                    let vn = match self.enumerators.get(&(id, i as u32)) {
                        Some(n) => n.as_str(),
                        None => self.btf.str_at(v.name_off).unwrap_or(""),
                    };
                    tabs(s, indent + 1);
                    let _ = match (e64, signed) {
                        (false, true) => writeln!(s, "{vn} = {},", v.val as u32 as i32),
                        (false, false) => writeln!(s, "{vn} = {},", v.val as u32),
                        (true, true) => writeln!(s, "{vn} = {}LL,", v.val as i64),
                        (true, false) => writeln!(s, "{vn} = {}ULL,", v.val),
                    };
                }
                tabs(s, indent);
                s.push('}');
            }
            Kind::STRUCT | Kind::UNION => {
                let kw = if t.kind() == Kind::UNION { "union" } else { "struct" };
                let packed = self.is_packed(id, depth);
                if t.vlen() == 0 && t.size() == 0 {
                    let _ = write!(s, "{kw}{sp}{name} {{}}");
                    return;
                }
                let _ = writeln!(s, "{kw}{sp}{name} {{");
                let is_union = t.kind() == Kind::UNION;
                let mut cur = 0u64;
                let mut max_end = 0u64;
                for m in t.members() {
                    let off = m.bit_offset as u64;
                    let bits = self.bitfield_bits(&m);
                    if !is_union && off > cur {
                        // Where would C put it? Pad only if that is before `off`.
                        let natural = match bits {
                            Some(_) => cur,
                            None if packed => cur.div_ceil(8) * 8,
                            None => {
                                let a = self.align_of(m.type_id, depth + 1) as u64 * 8;
                                cur.div_ceil(a) * a
                            }
                        };
                        if natural < off {
                            pad(s, cur, off, indent + 1);
                        }
                    }
                    tabs(s, indent + 1);
                    let mname = self.btf.str_at(m.name_off).unwrap_or("").to_string();
                    self.decl(s, m.type_id, &mname, indent + 1, depth + 1);
                    let end = match bits {
                        Some(b) => {
                            let _ = write!(s, ": {b}");
                            off + b as u64
                        }
                        None => off + self.member_size(m.type_id) as u64 * 8,
                    };
                    s.push_str(";\n");
                    cur = if is_union { 0 } else { end };
                    max_end = max_end.max(end);
                }
                let size_bits = t.size() as u64 * 8;
                let end = if is_union { max_end } else { cur };
                let align = if packed { 1 } else { self.natural_align(id, depth) as u64 } * 8;
                if end.div_ceil(align) * align < size_bits {
                    if is_union {
                        tabs(s, indent + 1);
                        let _ = writeln!(s, "char __pad[{}];", t.size());
                    } else {
                        pad(s, end, size_bits, indent + 1);
                    }
                }
                tabs(s, indent);
                s.push('}');
                if packed {
                    s.push_str(" __attribute__((packed))");
                }
            }
            _ => {}
        }
    }

    /// Declaration of `inner` (a name, or a partial declarator) with type `id`.
    fn decl(&mut self, s: &mut String, id: u32, inner: &str, indent: usize, depth: usize) {
        if depth > MAX_DEPTH {
            s.push_str("void ");
            s.push_str(inner);
            return;
        }
        let sep = |inner: &str| if inner.is_empty() || inner.starts_with('[') { String::new() } else { " ".into() };
        if id == 0 {
            let _ = write!(s, "void{}{inner}", sep(inner));
            return;
        }
        let Some(t) = self.ty(id) else {
            let _ = write!(s, "void{}{inner}", sep(inner));
            return;
        };
        let paren = |inner: &str| if inner.starts_with('*') { format!("({inner})") } else { inner.to_string() };
        match t.kind() {
            Kind::INT | Kind::FLOAT => {
                let _ = write!(s, "{}{}{inner}", self.btf.name_of(&t), sep(inner));
            }
            Kind::STRUCT | Kind::UNION | Kind::ENUM | Kind::ENUM64 => {
                if self.name(id).is_empty() {
                    if self.inline.contains(&id) {
                        let _ = write!(s, "void /* anonymous type [{id}] contains itself */{}{inner}", sep(inner));
                        return;
                    }
                    if self.budget == 0 {
                        let _ = write!(s, "void /* anonymous type [{id}]: nesting too large */{}{inner}", sep(inner));
                        return;
                    }
                    self.budget -= 1;
                    self.inline.push(id);
                    self.body(s, id, indent, depth + 1);
                    self.inline.pop();
                } else {
                    let kw = match t.kind() {
                        Kind::STRUCT => "struct",
                        Kind::UNION => "union",
                        _ => "enum",
                    };
                    let _ = write!(s, "{kw} {}", self.name(id));
                }
                let _ = write!(s, "{}{inner}", sep(inner));
            }
            Kind::FWD => {
                let kw = if t.kind_flag() { "union" } else { "struct" };
                let _ = write!(s, "{kw} {}{}{inner}", self.name(id), sep(inner));
            }
            Kind::TYPEDEF => {
                let _ = write!(s, "{}{}{inner}", self.name(id), sep(inner));
            }
            Kind::PTR => self.decl(s, t.type_id(), &format!("*{inner}"), indent, depth + 1),
            Kind::CONST | Kind::VOLATILE | Kind::RESTRICT => {
                let kw = match t.kind() {
                    Kind::CONST => "const",
                    Kind::VOLATILE => "volatile",
                    _ => "restrict",
                };
                let target = self.btf.skip_mods_and_typedefs(t.type_id());
                let is_ptr = self.ty(t.type_id()).is_some_and(|x| x.kind() == Kind::PTR);
                let _ = target;
                let dup = inner == kw || inner.starts_with(&format!("{kw} "));
                if (t.kind() == Kind::RESTRICT && !is_ptr) || dup {
                    self.decl(s, t.type_id(), inner, indent, depth + 1);
                } else if inner.is_empty() {
                    self.decl(s, t.type_id(), kw, indent, depth + 1);
                } else {
                    self.decl(s, t.type_id(), &format!("{kw} {inner}"), indent, depth + 1);
                }
            }
            Kind::TYPE_TAG => self.decl(s, t.type_id(), inner, indent, depth + 1),
            Kind::ARRAY => {
                let a = t.array();
                self.decl(s, a.elem_type, &format!("{}[{}]", paren(inner), a.nelems), indent, depth + 1);
            }
            Kind::FUNC_PROTO => {
                let mut args = String::new();
                let n = t.params().len();
                if n == 0 {
                    args.push_str("void");
                }
                for (i, p) in t.params().enumerate() {
                    if i > 0 {
                        args.push_str(", ");
                    }
                    if p.type_id == 0 && i == n - 1 {
                        args.push_str("...");
                        continue;
                    }
                    let pname = self.btf.str_at(p.name_off).unwrap_or("").to_string();
                    self.decl(&mut args, p.type_id, &pname, indent, depth + 1);
                }
                self.decl(s, t.type_id(), &format!("{}({args})", paren(inner)), indent, depth + 1);
            }
            _ => {
                let _ = write!(s, "void{}{inner}", sep(inner));
            }
        }
    }
}

fn tabs(s: &mut String, n: usize) {
    for _ in 0..n {
        s.push('\t');
    }
}

/// Unnamed bitfields covering bits `from..to` (a byte array for very large gaps).
fn pad(s: &mut String, mut from: u64, to: u64, indent: usize) {
    if to - from > 64 * 64 {
        // Large gaps: reach a byte boundary, then one byte array (never a line per word).
        if from % 8 != 0 {
            let n = 8 - from % 8;
            tabs(s, indent);
            let _ = writeln!(s, "char: {n};");
            from += n;
        }
        tabs(s, indent);
        let _ = writeln!(s, "char __pad_{}[{}];", from / 8, (to - from) / 8);
        from += (to - from) / 8 * 8;
    }
    while from < to {
        let (ty, n) = [(64u64, "long"), (32, "int"), (16, "short"), (8, "char")]
            .iter()
            .find(|(u, _)| from % u == 0 && from + u <= to)
            .map(|&(u, t)| (t, u))
            .unwrap_or_else(|| {
                let in_byte = 8 - from % 8;
                ("char", in_byte.min(to - from))
            });
        tabs(s, indent);
        let _ = writeln!(s, "{ty}: {n};");
        from += n;
    }
}

fn for_each_ref(t: &Type<'_>, mut f: impl FnMut(u32)) {
    match t.kind() {
        Kind::PTR | Kind::TYPEDEF | Kind::VOLATILE | Kind::CONST | Kind::RESTRICT | Kind::TYPE_TAG => f(t.type_id()),
        Kind::ARRAY => f(t.array().elem_type),
        Kind::STRUCT | Kind::UNION => t.members().for_each(|m| f(m.type_id)),
        Kind::FUNC_PROTO => {
            f(t.type_id());
            t.params().for_each(|p| f(p.type_id));
        }
        _ => {}
    }
}
