//! JSON dump with the fields of `bpftool -j btf dump file X` (one object, `types` array).

use crate::{Btf, Kind, Type};
use std::io::{self, Write};

fn jstr<W: Write>(w: &mut W, s: &[u8]) -> io::Result<()> {
    w.write_all(b"\"")?;
    let mut start = 0;
    for (i, &c) in s.iter().enumerate() {
        let esc: Option<&[u8]> = match c {
            b'"' => Some(b"\\\""),
            b'\\' => Some(b"\\\\"),
            b'\n' => Some(b"\\n"),
            b'\t' => Some(b"\\t"),
            b'\r' => Some(b"\\r"),
            0x08 => Some(b"\\b"),
            0x0c => Some(b"\\f"),
            _ => None,
        };
        if esc.is_some() || c < 0x20 {
            w.write_all(&s[start..i])?;
            match esc {
                Some(e) => w.write_all(e)?,
                None => write!(w, "\\u{:04x}", c)?,
            }
            start = i + 1;
        }
    }
    w.write_all(&s[start..])?;
    w.write_all(b"\"")
}

fn name<'a>(btf: &Btf<'a>, off: u32) -> &'a [u8] {
    if off == 0 {
        return b"(anon)";
    }
    btf.str_bytes(off).unwrap_or(b"(invalid)")
}

fn kind_str(k: Kind) -> &'static str {
    if k.is_known() {
        k.name().unwrap_or("UNKN")
    } else {
        "UNKN"
    }
}

/// Write one type as a JSON object.
pub fn dump_type<W: Write>(btf: &Btf<'_>, t: &Type<'_>, w: &mut W) -> io::Result<()> {
    write!(w, "{{\"id\":{},\"kind\":\"{}\",\"name\":", t.id(), kind_str(t.kind()))?;
    jstr(w, name(btf, t.name_off()))?;
    match t.kind() {
        Kind::INT => {
            let i = t.int();
            write!(
                w,
                ",\"size\":{},\"bits_offset\":{},\"nr_bits\":{},\"encoding\":\"{}\"",
                t.size(),
                i.offset,
                i.bits,
                i.encoding.name()
            )?;
        }
        Kind::PTR | Kind::CONST | Kind::VOLATILE | Kind::RESTRICT | Kind::TYPEDEF | Kind::TYPE_TAG => {
            write!(w, ",\"type_id\":{}", t.type_id())?
        }
        Kind::ARRAY => {
            let a = t.array();
            write!(w, ",\"type_id\":{},\"index_type_id\":{},\"nr_elems\":{}", a.elem_type, a.index_type, a.nelems)?;
        }
        Kind::STRUCT | Kind::UNION => {
            write!(w, ",\"size\":{},\"vlen\":{},\"members\":[", t.size(), t.vlen())?;
            for (i, m) in t.members().enumerate() {
                w.write_all(if i == 0 { b"{\"name\":" } else { b",{\"name\":" })?;
                jstr(w, name(btf, m.name_off))?;
                write!(w, ",\"type_id\":{},\"bits_offset\":{}", m.type_id, m.bit_offset)?;
                if m.bitfield_size != 0 {
                    write!(w, ",\"bitfield_size\":{}", m.bitfield_size)?;
                }
                w.write_all(b"}")?;
            }
            w.write_all(b"]")?;
        }
        Kind::ENUM | Kind::ENUM64 => {
            let signed = t.kind_flag();
            let enc = if signed { "SIGNED" } else { "UNSIGNED" };
            write!(w, ",\"encoding\":\"{}\",\"size\":{},\"vlen\":{},\"values\":[", enc, t.size(), t.vlen())?;
            let e64 = t.kind() == Kind::ENUM64;
            for (i, v) in t.enum_values().enumerate() {
                w.write_all(if i == 0 { b"{\"name\":" } else { b",{\"name\":" })?;
                jstr(w, name(btf, v.name_off))?;
                match (e64, signed) {
                    (false, true) => write!(w, ",\"val\":{}}}", v.val as u32 as i32)?,
                    (false, false) => write!(w, ",\"val\":{}}}", v.val as u32)?,
                    (true, true) => write!(w, ",\"val\":{}}}", v.val as i64)?,
                    (true, false) => write!(w, ",\"val\":{}}}", v.val)?,
                }
            }
            w.write_all(b"]")?;
        }
        Kind::FWD => write!(w, ",\"fwd_kind\":\"{}\"", if t.kind_flag() { "union" } else { "struct" })?,
        Kind::FUNC => write!(w, ",\"type_id\":{},\"linkage\":\"{}\"", t.type_id(), t.func_linkage().name())?,
        Kind::FUNC_PROTO => {
            write!(w, ",\"ret_type_id\":{},\"vlen\":{},\"params\":[", t.type_id(), t.vlen())?;
            for (i, p) in t.params().enumerate() {
                w.write_all(if i == 0 { b"{\"name\":" } else { b",{\"name\":" })?;
                jstr(w, name(btf, p.name_off))?;
                write!(w, ",\"type_id\":{}}}", p.type_id)?;
            }
            w.write_all(b"]")?;
        }
        Kind::VAR => write!(w, ",\"type_id\":{},\"linkage\":\"{}\"", t.type_id(), t.var_linkage().name())?,
        Kind::DATASEC => {
            write!(w, ",\"size\":{},\"vlen\":{},\"vars\":[", t.size(), t.vlen())?;
            for (i, v) in t.datasec_vars().enumerate() {
                if i > 0 {
                    w.write_all(b",")?;
                }
                write!(w, "{{\"type_id\":{},\"offset\":{},\"size\":{}}}", v.type_id, v.offset, v.size)?;
            }
            w.write_all(b"]")?;
        }
        Kind::FLOAT => write!(w, ",\"size\":{}", t.size())?,
        Kind::DECL_TAG => write!(w, ",\"type_id\":{},\"component_idx\":{}", t.type_id(), t.decl_tag_component())?,
        _ => {}
    }
    w.write_all(b"}")
}

/// `{"types":[...]}` for this blob's own types, then a newline.
pub fn dump_json<W: Write>(btf: &Btf<'_>, w: &mut W) -> io::Result<()> {
    w.write_all(b"{\"types\":[")?;
    for (i, t) in btf.types().enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        dump_type(btf, &t, w)?;
    }
    w.write_all(b"]}\n")
}
