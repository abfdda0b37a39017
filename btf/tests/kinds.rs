//! Every kind, both byte orders, split BTF and long headers: parse, round trip, and raw dump
//! compared with bpftool.

mod common;

use btf::{Btf, BtfBuilder, Endian, IntEncoding, Kind, Linkage};
use std::process::Command;

/// A blob using every kind (and kind_flag variants).
pub fn every_kind() -> BtfBuilder {
    let mut b = BtfBuilder::new();
    let int = b.add_int("int", 4, IntEncoding::SIGNED); // 1
    let uchar = b.add_int("unsigned char", 1, IntEncoding::CHAR); // 2
    let bool_ = b.add_int("_Bool", 1, IntEncoding::BOOL); // 3
    let ptr = b.add_ptr(int); // 4
    let arr = b.add_array(int, int, 4); // 5
    let s = b.add_struct("s", 32, &[("a", int, 0), ("p", ptr, 64), ("arr", arr, 128)]); // 6
    let m1 = b.member("x", int, 0, 3);
    let m2 = b.member("y", uchar, 3, 5);
    let bf = b.add_composite(false, "bits", 4, vec![m1, m2]); // 7
    b.add_union("u", 8, &[("i", int, 0), ("p", ptr, 0)]); // 8
    b.add_enum("e", 4, false, &[("A", 0), ("B", 0xffff_fff0)]); // 9
    b.add_enum("se", 4, true, &[("N", -5)]); // 10
    b.add_fwd("fs", false); // 11
    b.add_fwd("fu", true); // 12
    let td = b.add_typedef("td", s); // 13
    let v = b.add_volatile(int); // 14
    let c = b.add_const(v); // 15
    let r = b.add_restrict(ptr); // 16
    let proto = b.add_func_proto(int, &[("a", int), ("b", r)]); // 17
    let f = b.add_func("f", proto, Linkage::GLOBAL); // 18
    let var = b.add_var("v", c, Linkage::GLOBAL); // 19
    b.add_datasec(".data", 4, &[(var, 0, 4)]); // 20
    b.add_float("double", 8); // 21
    b.add_decl_tag("dt", f, 1); // 22
    b.add_decl_tag("dt2", s, -1); // 23
    let tt = b.add_type_tag("tt", int); // 24
    b.add_ptr(tt); // 25
    b.add_enum64("e64", 8, false, &[("BIG", -2)]); // 26
    b.add_enum64("se64", 8, true, &[("NEG", -2)]); // 27
    b.add_func("ext", proto, Linkage::EXTERN); // 28
    b.add_var("sv", td, Linkage::STATIC); // 29
    b.add_typedef("b", bool_); // 30
    let _ = bf;
    b
}

fn tmp(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = std::env::temp_dir().join(format!("btf-test-{}-{name}", std::process::id()));
    std::fs::write(&p, bytes).unwrap();
    p
}

fn bpftool(args: &[&std::path::Path]) -> Option<Vec<u8>> {
    if !common::have_tool("bpftool", "version") {
        return None;
    }
    let mut cmd = Command::new("bpftool");
    if args.len() > 1 {
        cmd.arg("-B").arg(args[1]);
    }
    cmd.args(["btf", "dump", "file"]).arg(args[0]);
    let o = cmd.output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    Some(o.stdout)
}

fn dump(b: &Btf<'_>) -> Vec<u8> {
    let mut v = Vec::new();
    btf::dump_raw::dump_raw(b, &mut v).unwrap();
    v
}

#[test]
fn every_kind_both_endians() {
    let b = every_kind();
    for e in [Endian::Little, Endian::Big] {
        let bytes = b.to_bytes(e);
        let btf = Btf::parse(&bytes).unwrap();
        assert_eq!(btf.endian(), e);
        assert_eq!(btf.type_count(), 31);
        assert_eq!(BtfBuilder::from_btf(&btf).to_bytes(e), bytes);
        // lookups
        assert_eq!(btf.ids_by_name("int").collect::<Vec<_>>(), vec![1]);
        assert_eq!(btf.find_by_name_kind("s", Kind::STRUCT).unwrap().id(), 6);
        assert_eq!(btf.ids_by_name("nope").count(), 0);
        let bits = btf.type_by_id(7).unwrap();
        let ms: Vec<_> = bits.members().map(|m| (m.bit_offset, m.bitfield_size)).collect();
        assert_eq!(ms, vec![(0, 3), (3, 5)]);
        assert_eq!(btf.resolve_size(13), Some(32));
        let e64 = btf.type_by_id(26).unwrap();
        assert_eq!(e64.enum_values().next().unwrap().val, u64::MAX - 1);
        let p = tmp(&format!("kinds-{e:?}"), &bytes);
        if let Some(theirs) = bpftool(&[&p]) {
            assert_eq!(String::from_utf8_lossy(&dump(&btf)), String::from_utf8_lossy(&theirs));
        }
        let _ = std::fs::remove_file(p);
    }
}

#[test]
fn split_btf_and_long_header() {
    let mut base_b = every_kind();
    // The kernel rejects extern FUNCs; make the base valid so the split part can be validated.
    if let btf::TypeData::Func { linkage, .. } = &mut base_b.types_mut()[27].data {
        *linkage = Linkage::GLOBAL;
    }
    let base_bytes = base_b.to_bytes(Endian::Little);
    let base = Btf::parse(&base_bytes).unwrap();
    let mut s = BtfBuilder::new_split(&base);
    let int = base.find_by_name_kind("int", Kind::INT).unwrap().id();
    let p = s.add_ptr(int);
    let st = s.add_struct("modstruct", 16, &[("a", int, 0), ("p", p, 64)]);
    let v = s.add_var("modvar", st, Linkage::GLOBAL);
    s.add_datasec(".bss", 16, &[(v, 0, 16)]);
    s.add_typedef("s_alias", 6);
    let split_bytes = s.to_bytes(Endian::Little);
    let split = Btf::parse_split(&split_bytes, &base).unwrap();
    assert_eq!(split.start_id(), 31);
    assert_eq!(split.type_by_id(32).unwrap().kind(), Kind::STRUCT);
    assert_eq!(split.str_at(split.type_by_id(32).unwrap().name_off()), Some("modstruct"));
    assert_eq!(split.ids_by_name("modstruct").collect::<Vec<_>>(), vec![32]);
    assert_eq!(split.ids_by_name("int").collect::<Vec<_>>(), vec![1]);
    assert_eq!(BtfBuilder::from_btf(&split).to_bytes(Endian::Little), split_bytes);
    btf::validate::validate(&split).unwrap();
    let mut bad = BtfBuilder::new_split(&base);
    bad.add_ptr(999);
    let bad_bytes = bad.to_bytes(Endian::Little);
    let e = btf::validate::validate(&Btf::parse_split(&bad_bytes, &base).unwrap()).unwrap_err();
    assert_eq!((e.id, e.kind), (31, btf::validate::Invalid::InvalidRefType));
    let bp = tmp("base", &base_bytes);
    let sp = tmp("split", &split_bytes);
    if let Some(theirs) = bpftool(&[&sp, &bp]) {
        assert_eq!(String::from_utf8_lossy(&dump(&split)), String::from_utf8_lossy(&theirs));
    }
    // Header of 32 bytes with a zero tail.
    let mut long = base_bytes[..4].to_vec();
    long.extend_from_slice(&32u32.to_le_bytes());
    long.extend_from_slice(&base_bytes[8..24]);
    long.extend_from_slice(&[0; 8]);
    long.extend_from_slice(&base_bytes[24..]);
    let lb = Btf::parse(&long).unwrap();
    assert_eq!(lb.header().hdr_len, 32);
    assert_eq!(dump(&lb), dump(&base));
    let _ = std::fs::remove_file(bp);
    let _ = std::fs::remove_file(sp);
}

#[test]
fn hostile_inputs_do_not_panic() {
    let bytes = every_kind().to_bytes(Endian::Little);
    // Every truncation and many single-byte corruptions: parse must return, never panic.
    for n in 0..bytes.len() {
        let _ = Btf::parse(&bytes[..n]);
    }
    for i in 0..bytes.len() {
        for v in [0u8, 0xff, 0x13, 0x80] {
            let mut b = bytes.clone();
            b[i] = v;
            if let Ok(btf) = Btf::parse(&b) {
                let _ = dump(&btf);
                let _ = btf::validate::validate(&btf);
                let mut sink = Vec::new();
                let _ = btf::dump_json::dump_json(&btf, &mut sink);
                if i % 2 == 0 {
                    let _ = btf::dump_c::dump_c(&btf, &mut sink);
                    let _ = btf::dedup::dedup(&mut BtfBuilder::from_btf(&btf));
                }
                for t in btf.types() {
                    let _ = btf.resolve_size(t.id());
                }
            }
        }
    }
}

#[test]
fn btf_ext_roundtrip() {
    use btf::ext::*;
    let ext = BtfExt {
        func_info: vec![SecRecords { sec_name_off: 5, records: vec![FuncInfo { insn_off: 0, type_id: 18 }] }],
        line_info: vec![SecRecords {
            sec_name_off: 5,
            records: vec![LineInfo { insn_off: 8, file_name_off: 1, line_off: 2, line_col: 7 << 10 | 3 }],
        }],
        core_relos: vec![SecRecords {
            sec_name_off: 5,
            records: vec![CoreRelo { insn_off: 16, type_id: 6, access_str_off: 3, kind: CoreReloKind::FIELD_EXISTS }],
        }],
        has_core_relo_header: true,
    };
    for e in [Endian::Little, Endian::Big] {
        let bytes = ext.to_bytes(e);
        let back = BtfExt::parse(&bytes).unwrap();
        assert_eq!(back, ext);
        assert_eq!(back.line_info[0].records[0].line(), 7);
        assert_eq!(back.to_bytes(e), bytes);
        for n in 0..bytes.len() {
            let _ = BtfExt::parse(&bytes[..n]);
        }
    }
}

#[test]
fn c_dump_of_every_kind_compiles() {
    if !common::have_tool("clang-19", "--version") {
        return;
    }
    let bytes = every_kind().to_bytes(Endian::Little);
    let btf = Btf::parse(&bytes).unwrap();
    let mut h = Vec::new();
    btf::dump_c::dump_c(&btf, &mut h).unwrap();
    let mut src = String::from_utf8(h).unwrap();
    src.push_str(
        "_Static_assert(sizeof(struct s) == 32, \"s\");\n_Static_assert(sizeof(struct bits) == 4, \"bits\");\n\
         _Static_assert(sizeof(union u) == 8, \"u\");\n_Static_assert(sizeof(td) == 32, \"td\");\n",
    );
    let p = tmp("every.c", src.as_bytes());
    let o = Command::new("clang-19").args(["-target", "bpf", "-c", "-o", "/dev/null"]).arg(&p).output().unwrap();
    assert!(o.status.success(), "{}\n{src}", String::from_utf8_lossy(&o.stderr));
    let _ = std::fs::remove_file(p);
}
