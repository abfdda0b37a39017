//! Validation corpus: hand-built blobs, valid and malformed, one or more per kernel rule.
//! Each blob's expected verdict (our error variant) is checked, and the blob is loaded into
//! the running kernel with BPF_BTF_LOAD: our accept/reject must equal the kernel's.

use btf::validate::{validate_bytes, Invalid};
use btf::{Btf, BtfBuilder, Endian, IntEncoding, Linkage, MemberDef};

const S: IntEncoding = IntEncoding::SIGNED;

fn le(b: &BtfBuilder) -> Vec<u8> {
    b.to_bytes(Endian::Little)
}

/// Overwrite 32-bit word `word` (0 = name_off, 1 = info, 2 = size/type, 3.. = extra) of type `id`.
fn patch(mut bytes: Vec<u8>, id: u32, word: usize, v: u32) -> Vec<u8> {
    let off = Btf::parse(&bytes).unwrap().type_offset(id).unwrap() + word * 4;
    bytes[off..off + 4].copy_from_slice(&v.to_le_bytes());
    bytes
}

fn hdr_patch(mut bytes: Vec<u8>, off: usize, v: u32) -> Vec<u8> {
    bytes[off..off + 4].copy_from_slice(&v.to_le_bytes());
    bytes
}

fn int_only() -> BtfBuilder {
    let mut b = BtfBuilder::new();
    b.add_int("int", 4, S);
    b
}

fn with(f: impl FnOnce(&mut BtfBuilder, u32)) -> Vec<u8> {
    let mut b = int_only();
    f(&mut b, 1);
    le(&b)
}

type Case = (&'static str, Vec<u8>, Option<Invalid>);

fn corpus() -> Vec<Case> {
    use Invalid::*;
    let mut c: Vec<Case> = Vec::new();
    let mut add = |n: &'static str, b: Vec<u8>, e: Option<Invalid>| c.push((n, b, e));

    // ---------------- valid blobs
    add("valid: int", le(&int_only()), None);
    add(
        "valid: struct, union, ptr, array, typedef",
        with(|b, int| {
            let p = b.add_ptr(int);
            let a = b.add_array(int, int, 4);
            let s = b.add_struct("s", 32, &[("a", int, 0), ("p", p, 64), ("arr", a, 128)]);
            b.add_union("u", 8, &[("i", int, 0), ("p", p, 0)]);
            b.add_typedef("s_t", s);
        }),
        None,
    );
    add(
        "valid: bitfields with kind_flag",
        with(|b, int| {
            let m = vec![b.member("x", int, 0, 3), b.member("y", int, 3, 29), b.member("z", int, 32, 0)];
            b.add_composite(false, "bits", 8, m);
        }),
        None,
    );
    add(
        "valid: old-style bitfield int (bits 3)",
        with(|b, _| {
            let i3 = b.add_int_bits("int", 4, S, 0, 3);
            b.add_struct("s", 4, &[("a", i3, 0), ("b", i3, 3)]);
        }),
        None,
    );
    add(
        "valid: const void, ptr to void, typedef void",
        with(|b, _| {
            let c = b.add_const(0);
            b.add_ptr(c);
            b.add_ptr(0);
            b.add_typedef("v_t", 0);
        }),
        None,
    );
    add(
        "valid: self-referential struct via ptr",
        with(|b, int| {
            // 2: ptr -> 3, 3: struct node { int v; struct node *next; }
            b.add_ptr(3);
            b.add_struct("node", 16, &[("v", int, 0), ("next", 2, 64)]);
        }),
        None,
    );
    add(
        "valid: ptr to fwd, fwd union",
        with(|b, _| {
            let f = b.add_fwd("opaque", false);
            b.add_ptr(f);
            b.add_fwd("ou", true);
        }),
        None,
    );
    add(
        "valid: function pointer member",
        with(|b, int| {
            let fp = b.add_func_proto(int, &[("a", int)]);
            let p = b.add_ptr(fp);
            b.add_struct("ops", 8, &[("cb", p, 0)]);
        }),
        None,
    );
    add(
        "valid: flexible array member",
        with(|b, int| {
            let a = b.add_array(int, int, 0);
            b.add_struct("flex", 4, &[("n", int, 0), ("data", a, 32)]);
        }),
        None,
    );
    add(
        "valid: func global/static and vararg proto",
        with(|b, int| {
            let p = b.add_func_proto(int, &[("fmt", int), ("", 0)]);
            b.add_func("printk_like", p, Linkage::GLOBAL);
            let p2 = b.add_func_proto(0, &[]);
            b.add_func("f_static", p2, Linkage::STATIC);
        }),
        None,
    );
    add(
        "valid: enums and enum64, signed",
        with(|b, _| {
            b.add_enum("e", 4, false, &[("A", 0), ("B", 1)]);
            b.add_enum("", 1, true, &[("SMALL", -1)]);
            b.add_enum64("e64", 8, true, &[("BIG", i64::MIN)]);
            b.add_enum("empty", 4, false, &[]);
        }),
        None,
    );
    add(
        "valid: floats",
        with(|b, _| {
            for (n, s) in [("h", 2), ("float", 4), ("double", 8), ("ld12", 12), ("long double", 16)] {
                b.add_float(n, s);
            }
        }),
        None,
    );
    add(
        "valid: float member aligned",
        with(|b, int| {
            let d = b.add_float("double", 8);
            b.add_struct("s", 16, &[("i", int, 0), ("d", d, 64)]);
        }),
        None,
    );
    add(
        "valid: var and datasec",
        with(|b, int| {
            let v1 = b.add_var("a", int, Linkage::GLOBAL);
            let v2 = b.add_var("b", int, Linkage::STATIC);
            b.add_datasec(".data", 8, &[(v1, 0, 4), (v2, 4, 4)]);
        }),
        None,
    );
    add(
        "valid: datasec name with any printable characters",
        with(|b, int| {
            let v = b.add_var("x", int, Linkage::GLOBAL);
            b.add_datasec(".data.my-sec$1", 4, &[(v, 0, 4)]);
        }),
        None,
    );
    add(
        "valid: decl tags on struct, member, func param, var, typedef",
        with(|b, int| {
            let s = b.add_struct("s", 4, &[("a", int, 0)]);
            let p = b.add_func_proto(int, &[("x", int)]);
            let f = b.add_func("f", p, Linkage::GLOBAL);
            let v = b.add_var("v", int, Linkage::GLOBAL);
            let t = b.add_typedef("t", int);
            b.add_decl_tag("tag1", s, -1);
            b.add_decl_tag("tag2", s, 0);
            b.add_decl_tag("tag3", f, 0);
            b.add_decl_tag("tag4", v, -1);
            b.add_decl_tag("tag5", t, -1);
        }),
        None,
    );
    add(
        "valid: type tag then const",
        with(|b, int| {
            let c = b.add_const(int);
            let t = b.add_type_tag("user", c);
            b.add_ptr(t);
        }),
        None,
    );
    add(
        "valid: int128 and bool",
        with(|b, _| {
            b.add_int("__int128", 16, S);
            b.add_int_bits("_Bool", 1, IntEncoding::BOOL, 0, 1);
            b.add_int("char", 1, IntEncoding::CHAR);
        }),
        None,
    );
    add(
        "valid: 32-byte header with zero tail",
        {
            let bytes = le(&int_only());
            let mut long = bytes[..4].to_vec();
            long.extend_from_slice(&32u32.to_le_bytes());
            long.extend_from_slice(&bytes[8..24]);
            long.extend_from_slice(&[0; 8]);
            long.extend_from_slice(&bytes[24..]);
            long
        },
        None,
    );
    add(
        "valid: nested anonymous struct and multi-dim array",
        with(|b, int| {
            let inner = b.add_struct("", 8, &[("x", int, 0), ("y", int, 32)]);
            let a1 = b.add_array(int, int, 3);
            let a2 = b.add_array(a1, int, 2);
            b.add_struct("outer", 32, &[("in", inner, 0), ("m", a2, 64)]);
        }),
        None,
    );
    add(
        "valid: enum bitfield member",
        with(|b, _| {
            let e = b.add_enum("e", 4, false, &[("A", 0)]);
            let m = vec![b.member("f", e, 0, 4), b.member("g", e, 4, 4)];
            b.add_composite(false, "s", 4, m);
        }),
        None,
    );
    add(
        "valid: type tag with kind_flag (attribute)",
        with(|b, int| {
            let t = b.add_type_tag("attr", int);
            b.types_mut()[(t - 1) as usize].kind_flag = true;
            b.add_ptr(t);
        }),
        None,
    );
    add(
        "valid: decl tag with kind_flag",
        with(|b, int| {
            let v = b.add_var("v", int, Linkage::GLOBAL);
            let t = b.add_decl_tag("attr", v, -1);
            b.types_mut()[(t - 1) as usize].kind_flag = true;
        }),
        None,
    );
    add(
        "valid: const volatile restrict chain",
        with(|b, int| {
            let p = b.add_ptr(int);
            let r = b.add_restrict(p);
            let v = b.add_volatile(r);
            b.add_const(v);
        }),
        None,
    );

    // ---------------- header and sections
    let good = le(&int_only());
    add("bad magic", hdr_patch(good.clone(), 0, 0x0000_eb9e), Some(BadMagic));
    add(
        "bad version",
        {
            let mut g = good.clone();
            g[2] = 2;
            g
        },
        Some(BadVersion(2)),
    );
    add(
        "bad flags",
        {
            let mut g = good.clone();
            g[3] = 1;
            g
        },
        Some(BadFlags(1)),
    );
    add("hdr_len past end", hdr_patch(good.clone(), 4, 1000), Some(HeaderTooShort));
    add("truncated to 6 bytes", good[..6].to_vec(), Some(HeaderTooShort));
    add(
        "header tail not zero",
        {
            let mut long = good[..4].to_vec();
            long.extend_from_slice(&28u32.to_le_bytes());
            long.extend_from_slice(&good[8..24]);
            long.extend_from_slice(&[1, 0, 0, 0]);
            long.extend_from_slice(&good[24..]);
            long
        },
        Some(HeaderTailNotZero),
    );
    add(
        "header only",
        {
            let g = hdr_patch(good[..24].to_vec(), 12, 0);
            hdr_patch(g, 20, 0)
        },
        Some(NoData),
    );
    add("string section too long", hdr_patch(good.clone(), 20, 100), Some(SectionTooLong));
    add(
        "section gap",
        {
            let mut g = hdr_patch(good.clone(), 16, 20);
            g.splice(24 + 16..24 + 16, [0u8; 4]);
            g
        },
        Some(SectionGap),
    );
    add("sections overlap", hdr_patch(good.clone(), 16, 12), Some(SectionOverlap));
    add(
        "trailing bytes",
        {
            let mut g = good.clone();
            g.extend_from_slice(&[0; 4]);
            g
        },
        Some(SectionGap),
    );
    add(
        "strings not at end",
        {
            // strings first (len 8, "\0int\0\0\0\0"), then types.
            let b = good.clone();
            let types = &b[24..24 + 16];
            let strs = b"\0int\0\0\0\0";
            let mut o = b[..24].to_vec();
            o = hdr_patch(o, 8, 8);
            o = hdr_patch(o, 16, 0);
            o = hdr_patch(o, 20, 8);
            o.extend_from_slice(strs);
            o.extend_from_slice(types);
            o
        },
        Some(StringsNotAtEnd),
    );
    add(
        "strings not NUL terminated",
        {
            let mut g = good.clone();
            *g.last_mut().unwrap() = b'x';
            g
        },
        Some(BadStringSection),
    );
    add(
        "first string not empty",
        {
            let mut g = good.clone();
            g[24 + 16] = b'a';
            g
        },
        Some(BadStringSection),
    );
    add(
        "no types",
        {
            let mut g = hdr_patch(good[..24].to_vec(), 12, 0);
            g = hdr_patch(g, 16, 0);
            g = hdr_patch(g, 20, 1);
            g.push(0);
            g
        },
        Some(NoTypes),
    );
    add(
        "type record truncated",
        {
            let mut g = hdr_patch(good[..24].to_vec(), 12, 12);
            g = hdr_patch(g, 16, 12);
            g = hdr_patch(g, 20, 5);
            g.extend_from_slice(&good[24..36]);
            g.extend_from_slice(b"\0int\0");
            g
        },
        Some(TypeTruncated),
    );

    // ---------------- metadata
    add("info reserved bits", patch(good.clone(), 1, 1, 0x0100_0000 | 1 << 20), Some(InfoReservedBits));
    add("unknown kind 20", patch(good.clone(), 1, 1, 20 << 24), Some(UnknownKind(btf::Kind(20))));
    add("kind 0", patch(good.clone(), 1, 1, 0), Some(UnknownKind(btf::Kind(0))));
    add("name offset out of range", patch(good.clone(), 1, 0, 1000), Some(NameOffsetOutOfRange));
    add(
        "invalid struct name",
        with(|b, int| {
            b.add_struct("1abc", 4, &[("a", int, 0)]);
        }),
        Some(InvalidName),
    );
    add(
        "valid: dotted struct name",
        with(|b, int| {
            b.add_struct("a.b", 4, &[("a", int, 0)]);
        }),
        None,
    );
    add(
        "valid: dotted member, typedef, func, var, enum value names",
        with(|b, int| {
            b.add_struct("s", 4, &[("m.x", int, 0)]);
            b.add_typedef("t.d", int);
            let p = b.add_func_proto(int, &[("a.b", int)]);
            b.add_func("f.isra.0", p, Linkage::STATIC);
            b.add_var("v.1", int, Linkage::STATIC);
            b.add_enum("e", 4, false, &[("A.B", 0)]);
            b.add_fwd(".dotfirst", false);
        }),
        None,
    );
    add(
        "name with dash",
        with(|b, int| {
            b.add_typedef("a-b", int);
        }),
        Some(InvalidName),
    );
    add(
        "name starting with digit",
        with(|b, int| {
            b.add_var("9v", int, Linkage::GLOBAL);
        }),
        Some(InvalidName),
    );
    add(
        "datasec name with space",
        with(|b, int| {
            let v = b.add_var("v", int, Linkage::GLOBAL);
            b.add_datasec(".data x", 4, &[(v, 0, 4)]);
        }),
        None,
    );
    add(
        "datasec name with control char",
        with(|b, int| {
            let v = b.add_var("v", int, Linkage::GLOBAL);
            b.add_datasec(".data\tx", 4, &[(v, 0, 4)]);
        }),
        Some(InvalidName),
    );
    add(
        "identifier of 511 chars",
        with(|b, int| {
            b.add_typedef(&"a".repeat(511), int);
        }),
        None,
    );
    add(
        "identifier of 512 chars",
        with(|b, int| {
            b.add_typedef(&"a".repeat(512), int);
        }),
        None,
    );
    add(
        "identifier of 513 chars",
        with(|b, int| {
            b.add_typedef(&"a".repeat(513), int);
        }),
        Some(InvalidName),
    );
    add(
        "named ptr",
        with(|b, int| {
            let p = b.add_ptr(int);
            let n = b.add_str("p");
            b.types_mut()[(p - 1) as usize].name_off = n;
        }),
        Some(NameNotAllowed),
    );
    add(
        "named const",
        with(|b, int| {
            let p = b.add_const(int);
            let n = b.add_str("c");
            b.types_mut()[(p - 1) as usize].name_off = n;
        }),
        Some(NameNotAllowed),
    );
    add(
        "unnamed typedef",
        with(|b, int| {
            b.add_typedef("", int);
        }),
        Some(InvalidName),
    );
    add(
        "unnamed type tag",
        with(|b, int| {
            b.add_type_tag("", int);
        }),
        Some(TagWithoutValue),
    );
    add("int kind_flag", patch(good.clone(), 1, 1, 1 << 31 | 1 << 24), Some(KindFlagNotAllowed));
    add("int vlen", patch(good.clone(), 1, 1, 1 << 24 | 1), Some(VlenNotZero));
    add("int reserved bits", patch(good.clone(), 1, 3, 0x1000_0020), Some(IntReservedBits));
    add(
        "int 129 bits",
        with(|b, _| {
            b.add_int_bits("big", 16, S, 1, 128);
        }),
        Some(IntTooManyBits),
    );
    add(
        "int bits exceed size",
        with(|b, _| {
            b.add_int_bits("i", 2, S, 0, 17);
        }),
        Some(IntBitsExceedSize),
    );
    add("int encoding 3", patch(good.clone(), 1, 3, 3 << 24 | 32), Some(IntBadEncoding));
    add(
        "fwd with type",
        with(|b, _| {
            let f = b.add_fwd("f", false);
            b.types_mut()[(f - 1) as usize].data = btf::TypeData::Int { size: 0, info: Default::default() };
        }),
        None,
    );
    add(
        "unnamed fwd",
        with(|b, _| {
            b.add_fwd("", false);
        }),
        Some(InvalidName),
    );
    add(
        "named array",
        with(|b, int| {
            let a = b.add_array(int, int, 1);
            let n = b.add_str("arr");
            b.types_mut()[(a - 1) as usize].name_off = n;
        }),
        Some(NameNotAllowed),
    );
    add(
        "array size word not zero",
        patch(
            with(|b, int| {
                b.add_array(int, int, 1);
            }),
            2,
            2,
            4,
        ),
        Some(ArraySizeNotZero),
    );
    add(
        "array elem void",
        with(|b, int| {
            b.add_array(0, int, 1);
        }),
        Some(ArrayElemVoid),
    );
    add(
        "array index void",
        with(|b, int| {
            b.add_array(int, 0, 1);
        }),
        Some(ArrayIndexVoid),
    );
    add(
        "member name offset out of range",
        patch(
            with(|b, int| {
                b.add_struct("s", 4, &[("a", int, 0)]);
            }),
            2,
            3,
            5000,
        ),
        Some(MemberNameOffset(0)),
    );
    add(
        "member invalid name",
        with(|b, int| {
            b.add_struct("s", 4, &[("a-b", int, 0)]);
        }),
        Some(MemberInvalidName(0)),
    );
    add(
        "member of void",
        with(|b, _| {
            b.add_struct("s", 4, &[("a", 0, 0)]);
        }),
        Some(MemberVoid(0)),
    );
    add(
        "union member offset",
        with(|b, int| {
            b.add_union("u", 8, &[("a", int, 0), ("b", int, 32)]);
        }),
        Some(UnionMemberOffset(1)),
    );
    add(
        "member offsets decrease",
        with(|b, int| {
            b.add_struct("s", 8, &[("a", int, 32), ("b", int, 0)]);
        }),
        Some(MemberOffsetDecreasing(1)),
    );
    add(
        "member offset past size",
        with(|b, int| {
            b.add_struct("s", 4, &[("a", int, 0), ("b", int, 64)]);
        }),
        Some(MemberOffsetPastSize(1)),
    );
    add(
        "enum size 3",
        with(|b, _| {
            b.add_enum("e", 3, false, &[("A", 0)]);
        }),
        Some(EnumSize),
    );
    add(
        "enum size 16",
        with(|b, _| {
            b.add_enum64("e", 16, false, &[("A", 0)]);
        }),
        Some(EnumSize),
    );
    add(
        "enum value unnamed",
        with(|b, _| {
            b.add_enum("e", 4, false, &[("", 0)]);
        }),
        Some(EnumValueInvalidName(0)),
    );
    add(
        "func extern linkage",
        with(|b, int| {
            let p = b.add_func_proto(int, &[]);
            b.add_func("f", p, Linkage::EXTERN);
        }),
        Some(FuncLinkage(2)),
    );
    add(
        "unnamed func",
        with(|b, int| {
            let p = b.add_func_proto(int, &[]);
            b.add_func("", p, Linkage::GLOBAL);
        }),
        Some(InvalidName),
    );
    add(
        "func_proto named",
        with(|b, int| {
            let p = b.add_func_proto(int, &[]);
            let n = b.add_str("fp");
            b.types_mut()[(p - 1) as usize].name_off = n;
        }),
        Some(NameNotAllowed),
    );
    add(
        "var extern linkage",
        with(|b, int| {
            b.add_var("v", int, Linkage::EXTERN);
        }),
        Some(VarLinkage(2)),
    );
    add(
        "var of void",
        with(|b, _| {
            b.add_var("v", 0, Linkage::GLOBAL);
        }),
        Some(VarVoid),
    );
    add(
        "unnamed var",
        with(|b, int| {
            b.add_var("", int, Linkage::GLOBAL);
        }),
        Some(InvalidName),
    );
    add(
        "datasec size 0",
        with(|b, int| {
            let v = b.add_var("v", int, Linkage::GLOBAL);
            b.add_datasec(".data", 0, &[(v, 0, 4)]);
        }),
        Some(DatasecSizeZero),
    );
    add(
        "datasec unsorted",
        with(|b, int| {
            let v1 = b.add_var("a", int, Linkage::GLOBAL);
            let v2 = b.add_var("b", int, Linkage::GLOBAL);
            b.add_datasec(".data", 8, &[(v1, 4, 4), (v2, 0, 4)]);
        }),
        Some(DatasecVarOffset(1)),
    );
    add(
        "datasec overlapping",
        with(|b, int| {
            let v1 = b.add_var("a", int, Linkage::GLOBAL);
            let v2 = b.add_var("b", int, Linkage::GLOBAL);
            b.add_datasec(".data", 8, &[(v1, 0, 4), (v2, 2, 4)]);
        }),
        Some(DatasecVarOffset(1)),
    );
    add(
        "datasec var size 0",
        with(|b, int| {
            let v = b.add_var("v", int, Linkage::GLOBAL);
            b.add_datasec(".data", 8, &[(v, 0, 0)]);
        }),
        Some(DatasecVarSize(0)),
    );
    add(
        "datasec var past end",
        with(|b, int| {
            let v = b.add_var("v", int, Linkage::GLOBAL);
            b.add_datasec(".data", 6, &[(v, 4, 4)]);
        }),
        Some(DatasecVarEnd(0)),
    );
    add(
        "datasec unnamed",
        with(|b, int| {
            let v = b.add_var("v", int, Linkage::GLOBAL);
            b.add_datasec("", 4, &[(v, 0, 4)]);
        }),
        Some(InvalidName),
    );
    add(
        "float size 3",
        with(|b, _| {
            b.add_float("f", 3);
        }),
        Some(FloatSize),
    );
    add(
        "decl tag without value",
        with(|b, int| {
            let v = b.add_var("v", int, Linkage::GLOBAL);
            b.add_decl_tag("", v, -1);
        }),
        Some(TagWithoutValue),
    );
    add(
        "decl tag component -2",
        with(|b, int| {
            let v = b.add_var("v", int, Linkage::GLOBAL);
            b.add_decl_tag("t", v, -2);
        }),
        Some(DeclTagComponentBelowMinusOne),
    );

    // ---------------- resolution
    add(
        "ptr to missing type",
        with(|b, _| {
            b.add_ptr(99);
        }),
        Some(InvalidRefType),
    );
    add(
        "typedef loop",
        with(|b, _| {
            b.add_typedef("t", 2);
        }),
        Some(Loop),
    );
    add(
        "ptr to itself",
        with(|b, _| {
            b.add_ptr(2);
        }),
        Some(Loop),
    );
    add(
        "const/volatile loop",
        with(|b, _| {
            b.add_const(3);
            b.add_volatile(2);
        }),
        Some(Loop),
    );
    add(
        "struct containing itself",
        with(|b, int| {
            b.add_struct("s", 8, &[("a", int, 0), ("me", 2, 32)]);
        }),
        Some(Loop),
    );
    add(
        "array of itself",
        with(|b, int| {
            b.add_array(2, int, 2);
        }),
        Some(Loop),
    );
    add(
        "typedef chain deeper than 32",
        with(|b, int| {
            let mut t = int;
            for i in 0..40 {
                t = b.add_typedef(&format!("t{i}"), t);
            }
            // Resolving starts from the deepest typedef, added last: make it first by referencing forward.
            let _ = t;
        }),
        None,
    );
    add(
        "forward typedef chain deeper than 32",
        with(|b, int| {
            // 2 -> 3 -> ... -> 41 -> int
            for i in 0..40u32 {
                let next = if i == 39 { int } else { 3 + i };
                b.add_typedef(&format!("t{i}"), next);
            }
        }),
        Some(ResolveTooDeep),
    );
    add(
        "const to var",
        with(|b, int| {
            let v = b.add_var("v", int, Linkage::GLOBAL);
            b.add_const(v);
        }),
        Some(InvalidRefType),
    );
    add(
        "ptr to datasec",
        with(|b, int| {
            let v = b.add_var("v", int, Linkage::GLOBAL);
            let d = b.add_datasec(".d", 4, &[(v, 0, 4)]);
            b.add_ptr(d);
        }),
        Some(InvalidRefType),
    );
    add(
        "typedef to func (kernel follows it to the proto)",
        with(|b, int| {
            let p = b.add_func_proto(int, &[]);
            let f = b.add_func("f", p, Linkage::GLOBAL);
            b.add_typedef("t", f);
        }),
        None,
    );
    add(
        "member of fwd type",
        with(|b, _| {
            let f = b.add_fwd("f", false);
            b.add_struct("s", 8, &[("a", f, 0)]);
        }),
        Some(MemberInvalidType(0)),
    );
    add(
        "member of const fwd",
        with(|b, _| {
            let f = b.add_fwd("f", false);
            let c = b.add_const(f);
            b.add_struct("s", 8, &[("a", c, 0)]);
        }),
        Some(MemberInvalidType(0)),
    );
    add(
        "member of func_proto",
        with(|b, int| {
            let p = b.add_func_proto(int, &[]);
            b.add_struct("s", 8, &[("a", p, 0)]);
        }),
        Some(MemberInvalidType(0)),
    );
    add(
        "member of var",
        with(|b, int| {
            let v = b.add_var("v", int, Linkage::GLOBAL);
            b.add_struct("s", 8, &[("a", v, 0)]);
        }),
        Some(MemberInvalidType(0)),
    );
    add(
        "ptr member not byte aligned",
        with(|b, int| {
            let p = b.add_ptr(int);
            b.add_struct("s", 16, &[("p", p, 4)]);
        }),
        Some(MemberNotAligned(0)),
    );
    add(
        "int member exceeds size",
        with(|b, int| {
            b.add_struct("s", 6, &[("a", int, 0), ("b", int, 32)]);
        }),
        Some(MemberExceedsSize(1)),
    );
    add(
        "struct member exceeds size",
        with(|b, int| {
            let i = b.add_struct("in", 8, &[("a", int, 0)]);
            b.add_struct("s", 4, &[("x", i, 0)]);
        }),
        Some(MemberExceedsSize(0)),
    );
    add(
        "bitfield wider than int",
        with(|b, int| {
            let m = vec![b.member("x", int, 0, 33)];
            b.add_composite(false, "s", 8, m);
        }),
        Some(BitfieldTooWide(0)),
    );
    add(
        "bitfield on ptr",
        with(|b, int| {
            let p = b.add_ptr(int);
            let m = vec![b.member("x", p, 0, 3)];
            b.add_composite(false, "s", 8, m);
        }),
        Some(BitfieldTooWide(0)),
    );
    add(
        "bitfield on irregular int",
        with(|b, _| {
            let i3 = b.add_int_bits("i3", 4, S, 0, 3);
            let m = vec![b.member("x", i3, 0, 2)];
            b.add_composite(false, "s", 4, m);
        }),
        Some(BitfieldBaseType(0)),
    );
    add(
        "enum bitfield wider than 32",
        with(|b, _| {
            let e = b.add_enum64("e", 8, false, &[("A", 0)]);
            let m = vec![b.member("x", e, 0, 40)];
            b.add_composite(false, "s", 8, m);
        }),
        Some(BitfieldTooWide(0)),
    );
    add(
        "float member misaligned",
        with(|b, int| {
            let d = b.add_float("double", 8);
            b.add_struct("s", 16, &[("i", int, 0), ("d", d, 32)]);
        }),
        Some(MemberNotAligned(1)),
    );
    add(
        "array index is struct",
        with(|b, int| {
            let s = b.add_struct("s", 4, &[("a", int, 0)]);
            b.add_array(int, s, 2);
        }),
        Some(ArrayIndexType),
    );
    add(
        "array index irregular int",
        with(|b, int| {
            let i3 = b.add_int_bits("i3", 4, S, 0, 3);
            b.add_array(int, i3, 2);
        }),
        Some(ArrayIndexType),
    );
    add(
        "array of fwd",
        with(|b, int| {
            let f = b.add_fwd("f", false);
            b.add_array(f, int, 2);
        }),
        Some(ArrayElemType),
    );
    add(
        "array of irregular int",
        with(|b, int| {
            let i3 = b.add_int_bits("i3", 4, S, 0, 3);
            b.add_array(i3, int, 2);
        }),
        Some(ArrayOfIrregularInt),
    );
    add(
        "array size overflow",
        with(|b, int| {
            b.add_array(int, int, 0x4000_0001);
        }),
        Some(ArraySizeOverflow),
    );
    add(
        "datasec entry not a var",
        with(|b, int| {
            b.add_datasec(".data", 4, &[(int, 0, 4)]);
        }),
        Some(DatasecNotVar(0)),
    );
    add(
        "datasec var too small",
        with(|b, int| {
            let v = b.add_var("v", int, Linkage::GLOBAL);
            b.add_datasec(".data", 4, &[(v, 0, 2)]);
        }),
        Some(DatasecVarTooSmall(0)),
    );
    add(
        "func to int",
        with(|b, int| {
            b.add_func("f", int, Linkage::GLOBAL);
        }),
        Some(FuncNotProto),
    );
    add(
        "func param unnamed",
        with(|b, int| {
            let p = b.add_func_proto(int, &[("", int)]);
            b.add_func("f", p, Linkage::GLOBAL);
        }),
        None.or(Some(FuncParamUnnamed(0))),
    );
    add(
        "func proto returns var",
        with(|b, int| {
            let v = b.add_var("v", int, Linkage::GLOBAL);
            b.add_func_proto(v, &[]);
        }),
        Some(FuncProtoReturn),
    );
    add(
        "func proto returns func_proto",
        with(|b, int| {
            let p = b.add_func_proto(int, &[]);
            b.add_func_proto(p, &[]);
        }),
        Some(FuncProtoReturn),
    );
    add(
        "void param not last",
        with(|b, int| {
            b.add_func_proto(int, &[("", 0), ("b", int)]);
        }),
        Some(VoidParamNotLast(0)),
    );
    add(
        "named vararg",
        with(|b, int| {
            b.add_func_proto(int, &[("a", int), ("rest", 0)]);
        }),
        Some(VoidParamNotLast(1)),
    );
    add(
        "param of fwd",
        with(|b, int| {
            let f = b.add_fwd("f", false);
            b.add_func_proto(int, &[("a", f)]);
        }),
        Some(FuncProtoParam(0)),
    );
    add(
        "param missing type",
        with(|b, int| {
            b.add_func_proto(int, &[("a", 77)]);
        }),
        Some(FuncProtoParam(0)),
    );
    add(
        "decl tag on int",
        with(|b, int| {
            b.add_decl_tag("t", int, -1);
        }),
        Some(DeclTagTarget),
    );
    add(
        "decl tag component out of range",
        with(|b, int| {
            let s = b.add_struct("s", 4, &[("a", int, 0)]);
            b.add_decl_tag("t", s, 1);
        }),
        Some(DeclTagComponent),
    );
    add(
        "decl tag component on var",
        with(|b, int| {
            let v = b.add_var("v", int, Linkage::GLOBAL);
            b.add_decl_tag("t", v, 0);
        }),
        Some(DeclTagComponent),
    );
    add(
        "valid: decl tag kind_flag with component",
        with(|b, int| {
            let s = b.add_struct("s", 4, &[("a", int, 0)]);
            let t = b.add_decl_tag("t", s, 0);
            b.types_mut()[(t - 1) as usize].kind_flag = true;
        }),
        None,
    );
    add(
        "type tag after const",
        with(|b, int| {
            let t = b.add_type_tag("user", int);
            let c = b.add_const(t);
            b.add_ptr(c);
        }),
        Some(TypeTagPlacement),
    );
    add(
        "type tag after typedef",
        with(|b, int| {
            let t = b.add_type_tag("user", int);
            b.add_typedef("td", t);
        }),
        Some(TypeTagPlacement),
    );
    add(
        "ptr kind_flag",
        with(|b, int| {
            let p = b.add_ptr(int);
            b.types_mut()[(p - 1) as usize].kind_flag = true;
        }),
        Some(KindFlagNotAllowed),
    );
    add(
        "typedef of struct with bad member resolved through typedef",
        with(|b, _| {
            let f = b.add_fwd("f", false);
            let t = b.add_typedef("ft", f);
            b.add_struct("s", 8, &[("a", t, 0)]);
        }),
        Some(MemberInvalidType(0)),
    );
    add(
        "member via typedef ok",
        with(|b, int| {
            let t = b.add_typedef("it", int);
            b.add_struct("s", 4, &[("a", t, 0)]);
        }),
        None,
    );
    add(
        "struct holding struct by value (declared later)",
        with(|b, int| {
            b.add_struct("outer", 8, &[("in", 3, 0)]);
            b.add_struct("inner", 8, &[("a", int, 0), ("b", int, 32)]);
        }),
        None,
    );
    let _ = MemberDef { name_off: 0, type_id: 0, bit_offset: 0, bitfield_size: 0 };
    c
}

#[test]
fn corpus_expected_verdicts() {
    let mut bad = Vec::new();
    for (name, bytes, want) in corpus() {
        let got = validate_bytes(&bytes).err().map(|e| e.kind);
        if got != want {
            bad.push(format!("{name}: want {want:?}, got {got:?}"));
        }
    }
    assert!(bad.is_empty(), "{} mismatches:\n{}", bad.len(), bad.join("\n"));
}

#[test]
fn corpus_agrees_with_kernel() {
    let cases = corpus();
    assert!(cases.len() >= 60, "corpus has {} blobs", cases.len());
    let (mut valid, mut invalid) = (0, 0);
    let mut disagree = Vec::new();
    for (name, bytes, _) in &cases {
        let ours = validate_bytes(bytes);
        let kernel = bpfsys::btf_load(bytes, true);
        if let Err(e) = &kernel {
            if e.errno == libc_eperm() || e.errno == 38 {
                eprintln!("SKIP: BPF_BTF_LOAD not permitted here (errno {})", e.errno);
                return;
            }
        }
        if ours.is_ok() {
            valid += 1
        } else {
            invalid += 1
        }
        if ours.is_ok() != kernel.is_ok() {
            let klog = kernel.err().map(|e| e.log.lines().last().unwrap_or("").to_string()).unwrap_or_default();
            disagree.push(format!(
                "{name}: ours {:?}, kernel {}",
                ours.err().map(|e| e.kind),
                if klog.is_empty() { "accepts".into() } else { format!("rejects: {klog}") }
            ));
        }
    }
    eprintln!("{} blobs: {valid} valid, {invalid} invalid", cases.len());
    assert!(disagree.is_empty(), "{} disagreements:\n{}", disagree.len(), disagree.join("\n"));
}

fn libc_eperm() -> i32 {
    1
}

/// Byte mutations of a valid blob with many kinds (4 values at every byte): our verdict must
/// equal the kernel's for each.
#[test]
fn mutations_agree_with_kernel() {
    let mut b = BtfBuilder::new();
    let int = b.add_int("int", 4, S);
    let p = b.add_ptr(int);
    let a = b.add_array(int, int, 2);
    let m = vec![b.member("x", int, 0, 3), b.member("p", p, 64, 0), b.member("a", a, 128, 0)];
    let s = b.add_composite(false, "s", 24, m);
    b.add_enum("e", 4, true, &[("A", -1)]);
    let fp = b.add_func_proto(int, &[("a", int), ("b", p)]);
    let f = b.add_func("f", fp, Linkage::GLOBAL);
    let c = b.add_const(s);
    let v = b.add_var("v", c, Linkage::GLOBAL);
    b.add_datasec(".data", 24, &[(v, 0, 24)]);
    b.add_decl_tag("t", f, 1);
    let tt = b.add_type_tag("tt", int);
    b.add_ptr(tt);
    b.add_float("double", 8);
    b.add_enum64("e64", 8, false, &[("B", 1)]);
    b.add_typedef("td", s);
    b.add_fwd("fw", true);
    let good = le(&b);
    assert!(validate_bytes(&good).is_ok());
    let mut disagree = Vec::new();
    let mut n = 0;
    let mut variants: Vec<Vec<u8>> = Vec::new();
    for i in 0..good.len() {
        for val in [0u8, 1, 0x20, 0xff] {
            if good[i] != val {
                let mut bytes = good.clone();
                bytes[i] = val;
                variants.push(bytes);
            }
        }
    }
    // Whole-word mutations of the type section: neighbouring ids, sizes, flags and kinds.
    for w in (24..good.len() - 3).step_by(4) {
        let old = u32::from_le_bytes(good[w..w + 4].try_into().unwrap());
        for val in
            [old.wrapping_add(1), old.wrapping_sub(1), old ^ 0x8000_0000, old ^ 0x0100_0000, 2, 8, 64, 0x00ff_ffff]
        {
            if val != old {
                let mut bytes = good.clone();
                bytes[w..w + 4].copy_from_slice(&val.to_le_bytes());
                variants.push(bytes);
            }
        }
    }
    for bytes in variants {
        {
            let ours = validate_bytes(&bytes);
            let kernel = bpfsys::btf_load(&bytes, true);
            if let Err(e) = &kernel {
                if e.errno == 1 || e.errno == 38 {
                    eprintln!("SKIP: BPF_BTF_LOAD not permitted here (errno {})", e.errno);
                    return;
                }
            }
            n += 1;
            if ours.is_ok() != kernel.is_ok() {
                let klog = kernel.err().map(|e| e.log.lines().last().unwrap_or("").to_string()).unwrap_or_default();
                disagree.push(format!("{:02x?}: ours {:?}, kernel {klog}", diff(&good, &bytes), ours.err()));
            }
        }
    }
    eprintln!("{n} mutated blobs compared");
    assert!(disagree.is_empty(), "{} disagreements:\n{}", disagree.len(), disagree.join("\n"));
}

fn diff(a: &[u8], b: &[u8]) -> Vec<(usize, u8)> {
    a.iter().zip(b).enumerate().filter(|(_, (x, y))| x != y).map(|(i, (_, y))| (i, *y)).collect()
}
