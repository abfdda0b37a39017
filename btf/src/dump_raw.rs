//! Raw dump in `bpftool btf dump file X` layout.

use crate::{Btf, Kind, Type};
use std::io::{self, Write};

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

/// Write one type as bpftool prints it (with trailing newline).
pub fn dump_type<W: Write>(btf: &Btf<'_>, t: &Type<'_>, w: &mut W) -> io::Result<()> {
    write!(w, "[{}] {} '", t.id(), kind_str(t.kind()))?;
    w.write_all(name(btf, t.name_off()))?;
    w.write_all(b"'")?;
    match t.kind() {
        Kind::INT => {
            let i = t.int();
            write!(w, " size={} bits_offset={} nr_bits={} encoding={}", t.size(), i.offset, i.bits, i.encoding.name())?;
        }
        Kind::PTR | Kind::CONST | Kind::VOLATILE | Kind::RESTRICT | Kind::TYPEDEF | Kind::TYPE_TAG => {
            write!(w, " type_id={}", t.type_id())?
        }
        Kind::ARRAY => {
            let a = t.array();
            write!(w, " type_id={} index_type_id={} nr_elems={}", a.elem_type, a.index_type, a.nelems)?;
        }
        Kind::STRUCT | Kind::UNION => {
            write!(w, " size={} vlen={}", t.size(), t.vlen())?;
            for m in t.members() {
                w.write_all(b"\n\t'")?;
                w.write_all(name(btf, m.name_off))?;
                write!(w, "' type_id={} bits_offset={}", m.type_id, m.bit_offset)?;
                if m.bitfield_size != 0 {
                    write!(w, " bitfield_size={}", m.bitfield_size)?;
                }
            }
        }
        Kind::ENUM | Kind::ENUM64 => {
            let signed = t.kind_flag();
            let enc = if signed { "SIGNED" } else { "UNSIGNED" };
            write!(w, " encoding={} size={} vlen={}", enc, t.size(), t.vlen())?;
            let e64 = t.kind() == Kind::ENUM64;
            for v in t.enum_values() {
                w.write_all(b"\n\t'")?;
                w.write_all(name(btf, v.name_off))?;
                match (e64, signed) {
                    (false, true) => write!(w, "' val={}", v.val as u32 as i32)?,
                    (false, false) => write!(w, "' val={}", v.val as u32)?,
                    (true, true) => write!(w, "' val={}LL", v.val as i64)?,
                    (true, false) => write!(w, "' val={}ULL", v.val)?,
                }
            }
        }
        Kind::FWD => write!(w, " fwd_kind={}", if t.kind_flag() { "union" } else { "struct" })?,
        Kind::FUNC => write!(w, " type_id={} linkage={}", t.type_id(), t.func_linkage().name())?,
        Kind::FUNC_PROTO => {
            write!(w, " ret_type_id={} vlen={}", t.type_id(), t.vlen())?;
            for p in t.params() {
                w.write_all(b"\n\t'")?;
                w.write_all(name(btf, p.name_off))?;
                write!(w, "' type_id={}", p.type_id)?;
            }
        }
        Kind::VAR => write!(w, " type_id={}, linkage={}", t.type_id(), t.var_linkage().name())?,
        Kind::DATASEC => {
            write!(w, " size={} vlen={}", t.size(), t.vlen())?;
            for v in t.datasec_vars() {
                write!(w, "\n\ttype_id={} offset={} size={}", v.type_id, v.offset, v.size)?;
                if v.type_id < btf.type_count() {
                    match btf.type_by_id(v.type_id) {
                        Some(vt) => {
                            write!(w, " ({} '", kind_str(vt.kind()))?;
                            w.write_all(name(btf, vt.name_off()))?;
                            w.write_all(b"')")?;
                        }
                        None => w.write_all(b" (UNKN '(anon)')")?,
                    }
                }
            }
        }
        Kind::FLOAT => write!(w, " size={}", t.size())?,
        Kind::DECL_TAG => write!(w, " type_id={} component_idx={}", t.type_id(), t.decl_tag_component())?,
        _ => {}
    }
    w.write_all(b"\n")
}

/// Dump this blob's own types (for split BTF: only the split part, like bpftool).
pub fn dump_raw<W: Write>(btf: &Btf<'_>, w: &mut W) -> io::Result<()> {
    for t in btf.types() {
        dump_type(btf, &t, w)?;
    }
    Ok(())
}
