//! C header dump, like `bpftool btf dump file X format c`.
//!
//! Layout is reproduced exactly: member gaps become unnamed bitfields (`long: 64;`), and a
//! struct whose members cannot be placed by the natural C rules is emitted `packed`.
//! Named structs and unions are forward-declared first, so only by-value uses impose an
//! order; typedefs and definitions follow in dependency order, then id order.

use crate::hash::FxHashMap as HashMap;
use crate::{Btf, Kind, Type};
use std::borrow::Cow;
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

use crate::limits::DUMP_C_MAX_DEPTH as MAX_DEPTH;

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    New,
    Busy,
    Done,
}

struct CDump<'b, 'a> {
    btf: &'b Btf<'a>,
    /// C name of each named struct/union/enum/typedef/fwd: index + 1 into `name_list`
    /// (0: no name).
    names: Vec<u32>,
    name_list: Vec<Cow<'a, str>>,
    /// Enumerators renamed to avoid a clash (the others keep their BTF name).
    enumerators: HashMap<(u32, u32), String>,
    state: Vec<State>,
    referenced: Vec<bool>,
    /// (uses, first id) of each tag name, shared by structs, unions and enums (a FWD of a
    /// name whose first is a full struct/union definition gets no forward declaration).
    tags: HashMap<&'a str, (u32, u32)>,
    align: Vec<u32>,
    packed: Vec<Option<bool>>,
    /// Anonymous types being printed inline right now: hostile BTF can make one contain itself,
    /// which would otherwise print (and branch) exponentially.
    inline: Vec<u32>,
    /// Anonymous types already walked by the current dependency search (each is walked once,
    /// which keeps the search linear even when hostile BTF nests them wide and deep): marked
    /// with the search's number, `anon_gen`.
    anon_seen: Vec<u32>,
    anon_gen: u32,
    /// Dependencies of the definitions being emitted, each emit's above its callers'.
    deps: Vec<u32>,
    /// Spare strings for declarators being built (no allocation per member).
    pool: Vec<String>,
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
        let mut names = vec![0u32; n];
        let mut name_list: Vec<Cow<'a, str>> = Vec::with_capacity(n / 2);
        let mut enumerators = HashMap::default();
        // Size the name maps up front (too large a map costs cache misses, too small rehashes).
        let (mut ntags, mut nidents) = (0, 0);
        for t in btf.types() {
            match t.kind() {
                Kind::STRUCT | Kind::UNION => ntags += 1,
                Kind::ENUM | Kind::ENUM64 => {
                    ntags += 1;
                    nidents += t.vlen() as usize;
                }
                Kind::TYPEDEF => nidents += 1,
                _ => {}
            }
        }
        let mut tags: HashMap<&str, (u32, u32)> = HashMap::with_capacity_and_hasher(ntags, Default::default());
        let mut idents: HashMap<&str, u32> = HashMap::with_capacity_and_hasher(nidents, Default::default());
        let mut referenced = vec![false; n];
        let mut set_name = |names: &mut Vec<u32>, id: u32, name: Cow<'a, str>| {
            name_list.push(name);
            names[id as usize] = name_list.len() as u32;
        };
        for id in 1..btf.type_count() {
            let Some(t) = btf.type_by_id(id) else { continue };
            for_each_ref(&t, |r| {
                if let Some(x) = referenced.get_mut(r as usize) {
                    *x = true;
                }
            });
            let k = t.kind();
            match k {
                Kind::STRUCT | Kind::UNION | Kind::ENUM | Kind::ENUM64 | Kind::TYPEDEF => {}
                _ => continue,
            }
            let name = btf.name_of(&t);
            match k {
                Kind::STRUCT | Kind::UNION | Kind::ENUM | Kind::ENUM64 if !name.is_empty() => {
                    let e = tags.entry(name).or_insert((0, id));
                    e.0 += 1;
                    let c = if e.0 == 1 { Cow::Borrowed(name) } else { Cow::Owned(format!("{name}___{}", e.0)) };
                    set_name(&mut names, id, c);
                }
                Kind::TYPEDEF if !name.is_empty() => set_name(&mut names, id, uniq(&mut idents, name)),
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
                set_name(&mut names, id, Cow::Borrowed(name));
            }
        }
        CDump {
            btf,
            names,
            name_list,
            tags,
            enumerators,
            state: vec![State::New; n],
            referenced,
            align: vec![0; n],
            packed: vec![None; n],
            inline: Vec::new(),
            anon_seen: vec![0; n],
            anon_gen: 0,
            deps: Vec::new(),
            pool: Vec::new(),
            budget: 1 << 22,
            // About 2 MB for vmlinux's 5.5 MB: no regrowth (and copy) on the way.
            out: String::with_capacity(btf.data().len() / 2 + 4096),
        }
    }

    /// Whether a struct or union of C name `name` has a full definition.
    fn defined_tag(&self, name: &str) -> bool {
        self.tags.get(name).is_some_and(|&(_, id)| self.ty(id).is_some_and(|t| t.is_composite()))
    }

    /// A scratch string from the pool (empty).
    fn buf(&mut self) -> String {
        let mut b = self.pool.pop().unwrap_or_default();
        b.clear();
        b
    }

    fn ty(&self, id: u32) -> Option<Type<'a>> {
        self.btf.type_by_id(id)
    }

    fn name(&self, id: u32) -> &str {
        match self.names.get(id as usize) {
            Some(&i) if i != 0 => &self.name_list[i as usize - 1],
            _ => "",
        }
    }

    fn emit_all(&mut self) {
        // Forward declarations of every named struct/union (first of each C name).
        let mut any = false;
        for id in 1..self.btf.type_count() {
            let Some(t) = self.ty(id) else { continue };
            let fwd_union = t.kind() == Kind::FWD && t.kind_flag();
            if (t.is_composite() || t.kind() == Kind::FWD) && !self.name(id).is_empty() {
                let kw = if t.kind() == Kind::UNION || fwd_union { "union" } else { "struct" };
                if t.kind() == Kind::FWD && self.defined_tag(self.name(id)) {
                    continue;
                }
                let name = self.name_cow(id);
                for p in [kw, " ", &name, ";\n\n"] {
                    self.out.push_str(p);
                }
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
        let start = self.deps.len();
        let mut deps = std::mem::take(&mut self.deps);
        self.anon_gen = self.anon_gen.wrapping_add(1);
        if self.anon_gen == 0 {
            self.anon_seen.iter_mut().for_each(|x| *x = 0);
            self.anon_gen = 1;
        }
        match t.kind() {
            Kind::STRUCT | Kind::UNION | Kind::ENUM | Kind::ENUM64 => self.needs_body(id, &mut deps, 0),
            Kind::TYPEDEF => self.needs(t.type_id(), false, &mut deps, 0),
            _ => {}
        }
        let end = deps.len();
        self.deps = deps;
        for k in start..end {
            let d = self.deps[k];
            self.emit(d, depth + 1);
        }
        self.deps.truncate(start);
        let mut s = std::mem::take(&mut self.out);
        match t.kind() {
            Kind::TYPEDEF => {
                s.push_str("typedef ");
                let name = self.name_cow(id);
                self.decl(&mut s, t.type_id(), &name, 0, 0);
                s.push_str(";\n\n");
            }
            Kind::STRUCT | Kind::UNION | Kind::ENUM | Kind::ENUM64 => {
                self.body(&mut s, id, 0, 0);
                s.push_str(";\n\n");
            }
            _ => {}
        }
        self.out = s;
        self.state[id as usize] = State::Done;
    }

    /// Types that must be emitted before a definition of `id`'s body (members by value).
    fn needs_body(&mut self, id: u32, deps: &mut Vec<u32>, depth: usize) {
        let Some(t) = self.ty(id) else { return };
        if depth > MAX_DEPTH {
            return;
        }
        for m in t.members() {
            self.needs(m.type_id, true, deps, depth + 1);
        }
    }

    /// Types that must be emitted before a use of `id` (complete or not).
    fn needs(&mut self, id: u32, complete: bool, deps: &mut Vec<u32>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let Some(t) = self.ty(id) else { return };
        match t.kind() {
            Kind::STRUCT | Kind::UNION => {
                if self.name(id).is_empty() {
                    if self.anon_seen[id as usize] != self.anon_gen {
                        self.anon_seen[id as usize] = self.anon_gen;
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
                        if !off.is_multiple_of(a) || off < cur {
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

    /// The C name of `id`, detached from `self` (a copy only for renamed types).
    fn name_cow(&self, id: u32) -> Cow<'a, str> {
        match self.names.get(id as usize) {
            Some(&i) if i != 0 => self.name_list[i as usize - 1].clone(),
            _ => Cow::Borrowed(""),
        }
    }

    /// Definition of a struct/union/enum (`struct name { ... } attrs`), no semicolon.
    fn body(&mut self, s: &mut String, id: u32, indent: usize, depth: usize) {
        let Some(t) = self.ty(id) else { return };
        let name = self.name_cow(id);
        let sp = if name.is_empty() { "" } else { " " };
        match t.kind() {
            Kind::ENUM | Kind::ENUM64 => {
                push_all(s, &["enum", sp, &name, " {\n"]);
                let signed = t.kind_flag();
                let e64 = t.kind() == Kind::ENUM64;
                let renamed = !self.enumerators.is_empty();
                for (i, v) in t.enum_values().enumerate() {
                    let vn = match renamed.then(|| self.enumerators.get(&(id, i as u32))).flatten() {
                        Some(n) => n.as_str(),
                        None => self.btf.str_at(v.name_off).unwrap_or(""),
                    };
                    tabs(s, indent + 1);
                    push_all(s, &[vn, " = "]);
                    match (e64, signed) {
                        (false, true) => push_i64(s, v.val as u32 as i32 as i64),
                        (false, false) => push_u64(s, v.val as u32 as u64),
                        (true, true) => {
                            push_i64(s, v.val as i64);
                            s.push_str("LL");
                        }
                        (true, false) => {
                            push_u64(s, v.val);
                            s.push_str("ULL");
                        }
                    }
                    s.push_str(",\n");
                }
                tabs(s, indent);
                s.push('}');
            }
            Kind::STRUCT | Kind::UNION => {
                let kw = if t.kind() == Kind::UNION { "union" } else { "struct" };
                let packed = self.is_packed(id, depth);
                if t.vlen() == 0 && t.size() == 0 {
                    push_all(s, &[kw, sp, &name, " {}"]);
                    return;
                }
                push_all(s, &[kw, sp, &name, " {\n"]);
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
                    let mname = self.btf.str_at(m.name_off).unwrap_or("");
                    self.decl(s, m.type_id, mname, indent + 1, depth + 1);
                    let end = match bits {
                        Some(b) => {
                            s.push_str(": ");
                            push_u64(s, b as u64);
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
                        s.push_str("char __pad[");
                        push_u64(s, t.size() as u64);
                        s.push_str("];\n");
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
        let sep = if inner.is_empty() || inner.starts_with('[') { "" } else { " " };
        let Some(t) = (id != 0).then(|| self.ty(id)).flatten() else {
            push_all(s, &["void", sep, inner]);
            return;
        };
        // `inner`, parenthesized if it starts with a pointer.
        let paren = |b: &mut String| {
            if inner.starts_with('*') {
                push_all(b, &["(", inner, ")"]);
            } else {
                b.push_str(inner);
            }
        };
        match t.kind() {
            Kind::INT | Kind::FLOAT => push_all(s, &[self.btf.name_of(&t), sep, inner]),
            Kind::STRUCT | Kind::UNION | Kind::ENUM | Kind::ENUM64 => {
                if self.name(id).is_empty() {
                    if self.inline.contains(&id) {
                        s.push_str("void /* anonymous type [");
                        push_u64(s, id as u64);
                        push_all(s, &["] contains itself */", sep, inner]);
                        return;
                    }
                    if self.budget == 0 {
                        s.push_str("void /* anonymous type [");
                        push_u64(s, id as u64);
                        push_all(s, &["]: nesting too large */", sep, inner]);
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
                    push_all(s, &[kw, " ", self.name(id)]);
                }
                push_all(s, &[sep, inner]);
            }
            Kind::FWD => {
                let kw = if t.kind_flag() { "union" } else { "struct" };
                push_all(s, &[kw, " ", self.name(id), sep, inner]);
            }
            Kind::TYPEDEF => push_all(s, &[self.name(id), sep, inner]),
            Kind::PTR => {
                let mut b = self.buf();
                push_all(&mut b, &["*", inner]);
                self.decl(s, t.type_id(), &b, indent, depth + 1);
                self.pool.push(b);
            }
            Kind::CONST | Kind::VOLATILE | Kind::RESTRICT => {
                let kw = match t.kind() {
                    Kind::CONST => "const",
                    Kind::VOLATILE => "volatile",
                    _ => "restrict",
                };
                let is_ptr = self.ty(t.type_id()).is_some_and(|x| x.kind() == Kind::PTR);
                let dup = inner.strip_prefix(kw).is_some_and(|r| r.is_empty() || r.starts_with(' '));
                if (t.kind() == Kind::RESTRICT && !is_ptr) || dup {
                    self.decl(s, t.type_id(), inner, indent, depth + 1);
                } else if inner.is_empty() {
                    self.decl(s, t.type_id(), kw, indent, depth + 1);
                } else {
                    let mut b = self.buf();
                    push_all(&mut b, &[kw, " ", inner]);
                    self.decl(s, t.type_id(), &b, indent, depth + 1);
                    self.pool.push(b);
                }
            }
            Kind::TYPE_TAG => self.decl(s, t.type_id(), inner, indent, depth + 1),
            Kind::ARRAY => {
                let a = t.array();
                let mut b = self.buf();
                paren(&mut b);
                b.push('[');
                push_u64(&mut b, a.nelems as u64);
                b.push(']');
                self.decl(s, a.elem_type, &b, indent, depth + 1);
                self.pool.push(b);
            }
            Kind::FUNC_PROTO => {
                let mut b = self.buf();
                paren(&mut b);
                b.push('(');
                let n = t.params().len();
                if n == 0 {
                    b.push_str("void");
                }
                for (i, p) in t.params().enumerate() {
                    if i > 0 {
                        b.push_str(", ");
                    }
                    if p.type_id == 0 && i == n - 1 {
                        b.push_str("...");
                        continue;
                    }
                    let pname = self.btf.str_at(p.name_off).unwrap_or("");
                    self.decl(&mut b, p.type_id, pname, indent, depth + 1);
                }
                b.push(')');
                self.decl(s, t.type_id(), &b, indent, depth + 1);
                self.pool.push(b);
            }
            _ => push_all(s, &["void", sep, inner]),
        }
    }
}

fn push_all(s: &mut String, parts: &[&str]) {
    for p in parts {
        s.push_str(p);
    }
}

fn push_u64(s: &mut String, mut v: u64) {
    let mut b = [0u8; 20];
    let mut i = b.len();
    loop {
        i -= 1;
        b[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    s.extend(b[i..].iter().map(|&c| c as char));
}

fn push_i64(s: &mut String, v: i64) {
    if v < 0 {
        s.push('-');
    }
    push_u64(s, v.unsigned_abs());
}

fn tabs(s: &mut String, n: usize) {
    const TABS: &str = "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";
    let mut n = n;
    while n > TABS.len() {
        s.push_str(TABS);
        n -= TABS.len();
    }
    s.push_str(&TABS[..n]);
}

/// Unnamed bitfields covering bits `from..to` (a byte array for very large gaps).
fn pad(s: &mut String, mut from: u64, to: u64, indent: usize) {
    if to - from > 64 * 64 {
        // Large gaps: reach a byte boundary, then one byte array (never a line per word).
        if !from.is_multiple_of(8) {
            let n = 8 - from % 8;
            tabs(s, indent);
            s.push_str("char: ");
            push_u64(s, n);
            s.push_str(";\n");
            from += n;
        }
        tabs(s, indent);
        s.push_str("char __pad_");
        push_u64(s, from / 8);
        s.push('[');
        push_u64(s, (to - from) / 8);
        s.push_str("];\n");
        from += (to - from) / 8 * 8;
    }
    while from < to {
        let (ty, n) = [(64u64, "long"), (32, "int"), (16, "short"), (8, "char")]
            .iter()
            .find(|(u, _)| from.is_multiple_of(*u) && from + u <= to)
            .map(|&(u, t)| (t, u))
            .unwrap_or_else(|| {
                let in_byte = 8 - from % 8;
                ("char", in_byte.min(to - from))
            });
        tabs(s, indent);
        push_all(s, &[ty, ": "]);
        push_u64(s, n);
        s.push_str(";\n");
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
