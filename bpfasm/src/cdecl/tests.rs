//! Unit tests of the C declaration front end; `clang_differential` compares with clang-19.

use super::*;
use bpf_isa::Endian as E;
use btf::{Btf, TypeDef};

fn cx() -> Context {
    Context::new(E::Little, None)
}

fn ok(cx: &mut Context, text: &str) -> Vec<Decl> {
    match cx.parse(text) {
        Ok(d) => {
            validate(cx);
            d
        }
        Err(e) => panic!("errors in {text:?}: {e:#?}"),
    }
}

fn errs(text: &str) -> Vec<CError> {
    let mut c = cx();
    match c.parse(text) {
        Ok(_) => panic!("no error for {text:?}"),
        Err(e) => e,
    }
}

/// The produced BTF (types only) passes the kernel rules of the btf crate.
fn validate(cx: &Context) {
    if cx.builder().types().is_empty() {
        return;
    }
    for e in [btf::Endian::Little, btf::Endian::Big] {
        let bytes = cx.builder().to_bytes(e);
        if let Err(err) = btf::validate::validate_bytes(&bytes) {
            panic!("invalid BTF: {err}\n{}", dump(cx));
        }
    }
}

fn dump(cx: &Context) -> String {
    let bytes = cx.builder().to_bytes(btf::Endian::Little);
    let btf = Btf::parse(&bytes).unwrap();
    let mut out = Vec::new();
    btf::dump_raw::dump_raw(&btf, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn ty(cx: &Context, id: u32) -> &TypeDef {
    cx.builder().get(id).unwrap()
}

/// `(name, bit offset, bitfield size)` of each member.
fn members(cx: &Context, id: u32) -> Vec<(String, u32, u32)> {
    match &ty(cx, cx.strip(id)).data {
        TypeData::Struct { members, .. } | TypeData::Union { members, .. } => members
            .iter()
            .map(|m| (cx.builder().str_at(m.name_off).unwrap().to_string(), m.bit_offset, m.bitfield_size))
            .collect(),
        t => panic!("not a composite: {t:?}"),
    }
}

fn size(c: &mut Context, name: &str) -> u32 {
    let id = c.type_id(name).unwrap();
    c.type_size(id).unwrap()
}

fn fty(c: &mut Context, ty: u32, path: &str) -> String {
    let f = c.field_access(ty, path).unwrap().field_type;
    c.type_display(f)
}

fn m(v: &[(&str, u32, u32)]) -> Vec<(String, u32, u32)> {
    v.iter().map(|&(n, o, b)| (n.to_string(), o, b)).collect()
}

#[test]
fn layouts() {
    let mut c = cx();
    ok(
        &mut c,
        "struct a { char c; int i; short s; long l; char t; };
         struct __attribute__((packed)) pk { char a; int b; };
         struct al { char a; int b __attribute__((aligned(16))); };
         union u { int a; char b[7]; };
         struct nest { struct a x; union { int p; long q; }; struct { char r; } named; char flex[]; };
         struct al8 { char c; } __attribute__((aligned(8)));
         typedef struct { __u8 a; __u64 b; } td_t;",
    );
    let id = c.type_id("struct a").unwrap();
    assert_eq!(c.type_size(id).unwrap(), 32);
    assert_eq!(members(&c, id), m(&[("c", 0, 0), ("i", 32, 0), ("s", 64, 0), ("l", 128, 0), ("t", 192, 0)]));
    let pk = c.type_id("struct pk").unwrap();
    assert_eq!((c.type_size(pk).unwrap(), c.type_align(pk).unwrap()), (5, 1));
    assert_eq!(members(&c, pk), m(&[("a", 0, 0), ("b", 8, 0)]));
    let al = c.type_id("struct al").unwrap();
    assert_eq!((c.type_size(al).unwrap(), c.type_align(al).unwrap()), (32, 16));
    let u = c.type_id("union u").unwrap();
    assert_eq!(c.type_size(u).unwrap(), 8);
    let n = c.type_id("struct nest").unwrap();
    assert_eq!(members(&c, n), m(&[("x", 0, 0), ("", 256, 0), ("named", 320, 0), ("flex", 328, 0)]));
    assert_eq!(c.type_size(n).unwrap(), 48);
    assert_eq!(size(&mut c, "struct al8"), 8);
    assert_eq!(size(&mut c, "td_t"), 16);
    assert_eq!(size(&mut c, "char[16]"), 16);
    assert_eq!(size(&mut c, "int *[3]"), 24);
    assert_eq!(size(&mut c, "int (*)[3]"), 8);
    assert_eq!(c.eval("sizeof(struct nest) + _Alignof(struct al) * 2").unwrap(), 80);
    assert_eq!(c.eval("offsetof(struct nest, q)").unwrap(), 32);
    assert_eq!(c.eval("__builtin_offsetof(struct nest, named.r)").unwrap(), 40);
}

#[test]
fn bitfields() {
    let mut c = cx();
    ok(
        &mut c,
        "struct bf { char a:1; long long b: 63; unsigned c: 31; unsigned d:2; int :0; char e; int f:4; };
         struct s2 { char a; int b:1; }; struct s3 { short a:9, b:9; };
         union ub { int a:3; char c; };
         struct __attribute__((packed)) pb { char a:3; int b:30; };",
    );
    let bf = c.type_id("struct bf").unwrap();
    assert_eq!(
        members(&c, bf),
        m(&[("a", 0, 1), ("b", 1, 63), ("c", 64, 31), ("d", 96, 2), ("e", 128, 0), ("f", 136, 4)])
    );
    assert_eq!(c.type_size(bf).unwrap(), 24);
    assert!(ty(&c, bf).kind_flag);
    assert_eq!(size(&mut c, "struct s2"), 4);
    let s3 = c.type_id("struct s3").unwrap();
    assert_eq!(members(&c, s3), m(&[("a", 0, 9), ("b", 16, 9)]));
    assert_eq!(size(&mut c, "union ub"), 4);
    let pb = c.type_id("struct pb").unwrap();
    assert_eq!(members(&c, pb), m(&[("a", 0, 3), ("b", 3, 30)]));
    assert_eq!(c.type_size(pb).unwrap(), 5);
    // CO-RE bitfield access: the covering load as libbpf computes it.
    let fa = c.field_access(bf, "d").unwrap();
    assert_eq!((fa.byte_offset, fa.byte_size, fa.bit_offset, fa.bit_size, fa.signed), (12, 4, 96, 2, false));
    assert_eq!((fa.lshift_u64(E::Little), fa.rshift_u64()), (62, 62));
    let fa = c.field_access(bf, "f").unwrap();
    assert_eq!((fa.byte_offset, fa.byte_size, fa.signed, fa.spec()), (16, 4, true, "0:5".to_string()));
}

#[test]
fn enums() {
    let mut c = cx();
    ok(
        &mut c,
        "enum a { A1 = -1, A2 = 5, A3 };
         enum b { B1 = 1, B2 = 0x100000000 };
         enum d { D1 = 0xffffffff };
         enum __attribute__((packed)) f { F1 = 3 };
         enum { ANON = A3 * 2 + sizeof(enum b) };
         enum flags { FL = BPF_F_NO_PREALLOC | BPF_F_MMAPABLE };",
    );
    let a = c.type_id("enum a").unwrap();
    assert!(matches!(ty(&c, a).data, TypeData::Enum { size: 4, .. }) && ty(&c, a).kind_flag);
    assert_eq!(c.enum_value(a, "A3").unwrap(), (2, 6));
    assert_eq!(c.enum_value(a, "A1").unwrap(), (0, -1));
    assert!(c.enum_value(a, "A4").unwrap_err().help.unwrap().contains("A1"));
    let b = c.type_id("enum b").unwrap();
    assert!(matches!(ty(&c, b).data, TypeData::Enum64 { size: 8, .. }) && !ty(&c, b).kind_flag);
    assert_eq!(c.enum_value(b, "B2").unwrap(), (1, 1 << 32));
    let d = c.type_id("enum d").unwrap();
    assert!(matches!(ty(&c, d).data, TypeData::Enum { size: 4, .. }) && !ty(&c, d).kind_flag);
    let f = c.type_id("enum f").unwrap();
    assert!(matches!(ty(&c, f).data, TypeData::Enum { size: 1, .. }));
    assert_eq!(c.constant("ANON"), Some(20));
    assert_eq!(c.constant("FL"), Some(1 | 1024));
    assert_eq!(c.constant("BPF_MAP_TYPE_ARRAY"), Some(2));
    assert_eq!(c.constant("LIBBPF_PIN_BY_NAME"), Some(1));
    assert_eq!(c.constant("NOPE"), None);
    assert_eq!(c.eval("~0U").unwrap(), 0xffff_ffff);
    assert_eq!(c.eval("-1 < 0u").unwrap(), 0);
    assert_eq!(c.eval("1ULL << 63 >> 62").unwrap(), 2);
    assert_eq!(c.eval("(char)300").unwrap(), 44);
    assert_eq!(c.eval("3 > 2 ? 10 : 20").unwrap(), 10);
}

#[test]
fn functions() {
    let mut c = cx();
    let d = ok(
        &mut c,
        "SEC(\"xdp\") int prog(struct xdp_md *ctx);
         static int helper(int a, char *b, ...);
         extern int bpf_kfunc(struct task_struct *p, int flags __attribute__((btf_decl_tag(\"arg\")))) __ksym __weak;
         int (*fp)(void *, long);
         void nothing(void);
         int takes_array(int a[4], int f(int));",
    );
    let Decl::Func { name, proto, storage, section, .. } = &d[0] else { panic!() };
    assert_eq!((name.as_str(), *storage, section.as_deref()), ("prog", Storage::Global, Some("xdp")));
    let TypeData::FuncProto { ret, params } = &ty(&c, *proto).data else { panic!() };
    assert_eq!(c.type_display(*ret), "int");
    assert_eq!(c.builder().str_at(params[0].name_off), Some("ctx"));
    assert_eq!(c.type_display(params[0].type_id), "struct xdp_md *");
    let Decl::Func { storage, proto, .. } = &d[1] else { panic!() };
    assert_eq!(*storage, Storage::Static);
    assert_eq!(c.type_display(*proto), "int (int, char *, ...)");
    let Decl::Func { storage, ksym, weak, section, decl_tags, .. } = &d[2] else { panic!() };
    assert_eq!((*storage, *ksym, *weak, section.as_deref()), (Storage::Extern, true, true, Some(".ksyms")));
    assert_eq!(decl_tags, &vec![("arg".to_string(), 1)]);
    let Decl::Var { ty: fty, size, .. } = &d[3] else { panic!() };
    assert_eq!((c.type_display(*fty).as_str(), *size), ("int (void *, long) *", 8));
    let Decl::Func { proto, .. } = &d[4] else { panic!() };
    assert!(matches!(&ty(&c, *proto).data, TypeData::FuncProto { ret: 0, params } if params.is_empty()));
    let Decl::Func { proto, .. } = &d[5] else { panic!() };
    assert_eq!(c.type_display(*proto), "int (int *, int (int) *)");
    let f = c.add_func(&d[0]).unwrap();
    assert_eq!(ty(&c, f).kind(), Kind::FUNC);
    validate(&c);
    // Extern FUNCs carry linkage `extern` as clang emits them (libbpf rewrites it on load).
    let f = c.add_func(&d[2]).unwrap();
    assert!(matches!(ty(&c, f).data, TypeData::Func { linkage: btf::Linkage::EXTERN, .. }));
    assert!(dump(&c).contains(&format!("DECL_TAG 'arg' type_id={f} component_idx=1")));
}

#[test]
fn variables_and_initializers() {
    let mut c = cx();
    let d = ok(
        &mut c,
        "char LICENSE[] SEC(\"license\") = \"GPL\";
         const volatile int cfg = 3;
         int arr[] = { 1, 2, [5] = 9 };
         struct pt { int x; short y; long z; };
         struct pt p = { .z = -1, .x = 2 };
         struct pt ps[2] = { [1] = { 7, 8 }, [0].z = 5 };
         struct bits { unsigned a:3, b:5; int c; } bb = { .b = 31, .a = 5, .c = -2 };
         static __u64 counter __attribute__((aligned(16)));
         extern int CONFIG_HZ __kconfig;
         extern const void bpf_prog_active __ksym;
         void *ptrs[2] = { &counter, 0 };
         bool flag = 1;
         double dd = -2.5;",
    );
    let by_name = |n: &str| d.iter().find(|x| x.name() == n).unwrap().clone();
    let Decl::Var { size, init: Some(init), section, ty: lt, .. } = by_name("LICENSE") else { panic!() };
    assert_eq!((size, init.bytes.as_slice(), section.as_deref()), (4, &b"GPL\0"[..], Some("license")));
    assert_eq!(c.type_display(lt), "char[4]");
    let Decl::Var { readonly, init: Some(init), .. } = by_name("cfg") else { panic!() };
    assert!(readonly);
    assert_eq!(init.bytes, 3i32.to_le_bytes());
    let Decl::Var { size, init: Some(init), .. } = by_name("arr") else { panic!() };
    assert_eq!(size, 24);
    assert_eq!(&init.bytes[..8], &[1, 0, 0, 0, 2, 0, 0, 0]);
    assert_eq!(&init.bytes[20..], &[9, 0, 0, 0]);
    let Decl::Var { init: Some(init), .. } = by_name("p") else { panic!() };
    let mut want = vec![2, 0, 0, 0, 0, 0, 0, 0];
    want.extend((-1i64).to_le_bytes());
    assert_eq!(init.bytes, want);
    let Decl::Var { init: Some(init), size, .. } = by_name("ps") else { panic!() };
    assert_eq!(size, 32);
    assert_eq!(init.bytes[8], 5);
    assert_eq!((init.bytes[16], init.bytes[20]), (7, 8));
    let Decl::Var { init: Some(init), .. } = by_name("bb") else { panic!() };
    assert_eq!(init.bytes, vec![5 | 31 << 3, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff]);
    let Decl::Var { align, storage, init: None, .. } = by_name("counter") else { panic!() };
    assert_eq!((align, storage), (16, Storage::Static));
    let Decl::Var { extern_kind, section, .. } = by_name("CONFIG_HZ") else { panic!() };
    assert_eq!((extern_kind, section.as_deref()), (Some(ExternKind::Kconfig), Some(".kconfig")));
    let Decl::Var { extern_kind, size, .. } = by_name("bpf_prog_active") else { panic!() };
    assert_eq!((extern_kind, size), (Some(ExternKind::Ksym), 0));
    let Decl::Var { init: Some(init), .. } = by_name("ptrs") else { panic!() };
    assert_eq!(init.relocs, vec![(0, "counter".to_string())]);
    let Decl::Var { init: Some(init), .. } = by_name("dd") else { panic!() };
    assert_eq!(init.bytes, (-2.5f64).to_le_bytes());
    // Big endian stores.
    let mut c = Context::new(E::Big, None);
    let d = ok(&mut c, "int x = 0x01020304; struct { unsigned a:3, b:5; } y = { 5, 1 };");
    let Decl::Var { init: Some(i), .. } = &d[0] else { panic!() };
    assert_eq!(i.bytes, vec![1, 2, 3, 4]);
    let Decl::Var { init: Some(i), .. } = &d[1] else { panic!() };
    assert_eq!(i.bytes, vec![0b1010_0001, 0, 0, 0]);
}

const MAPS: &str = r#"
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, __u32);
    __type(value, struct val);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __uint(pinning, LIBBPF_PIN_BY_NAME);
} hmap SEC(".maps");
struct val { __u64 packets; __u64 bytes; };
"#;

#[test]
fn maps_with_every_macro() {
    let mut c = cx();
    let d = ok(&mut c, MAPS);
    let Decl::Var { name, ty: mt, section, size, storage, .. } = &d[0] else { panic!() };
    assert_eq!((name.as_str(), section.as_deref(), *size, *storage), ("hmap", Some(".maps"), 48, Storage::Global));
    let ms = members(&c, *mt);
    assert_eq!(
        ms.iter().map(|m| m.0.as_str()).collect::<Vec<_>>(),
        ["type", "max_entries", "key", "value", "map_flags", "pinning"]
    );
    let fa = c.field_access(*mt, "type").unwrap();
    assert_eq!(c.type_display(fa.field_type), "int[1] *");
    assert_eq!(fty(&mut c, *mt, "max_entries"), "int[1024] *");
    assert_eq!(fty(&mut c, *mt, "value"), "struct val *");
    assert_eq!(fty(&mut c, *mt, "pinning"), "int[1] *");
    assert_eq!(fty(&mut c, *mt, "map_flags"), "int[1] *");
    // Map in map.
    let d = ok(
        &mut c,
        r#"struct inner { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, int); __type(value, int); } in1 SEC(".maps"), in2 SEC(".maps");
           struct { __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS); __uint(max_entries, 3); __type(key, int); __array(values, struct inner); }
               outer SEC(".maps") = { .values = { [1] = &in1, &in2 } };"#,
    );
    let Decl::Var { init: Some(init), size, ty: ot, .. } = &d[2] else { panic!() };
    assert_eq!(*size, 24 + 3 * 8);
    assert_eq!(c.type_size(*ot).unwrap(), 24);
    assert_eq!(init.relocs, vec![(32, "in1".to_string()), (40, "in2".to_string())]);
}

#[test]
fn prog_array_init() {
    let mut c = cx();
    let d = ok(
        &mut c,
        r#"struct {
            __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
            __uint(max_entries, 4);
            __uint(key_size, 4);
            __array(values, int (void *));
        } jmp SEC(".maps") = { .values = { [0] = &tail_a, [2] = &tail_b } };"#,
    );
    let Decl::Var { init: Some(init), size, ty: jt, .. } = &d[0] else { panic!() };
    assert_eq!(*size, 48);
    assert_eq!(init.bytes, vec![0; 48]);
    assert_eq!(init.relocs, vec![(24, "tail_a".to_string()), (40, "tail_b".to_string())]);
    let fa = c.field_access(*jt, "values").unwrap();
    assert_eq!(c.type_display(fa.field_type), "int (void *) *[0]");
    assert_eq!(fa.byte_offset, 24);
}

#[test]
fn type_tags_and_decl_tags() {
    let mut c = cx();
    let d = ok(
        &mut c,
        r#"struct s { int __attribute__((btf_type_tag("t1"))) __attribute__((btf_type_tag("t2"))) *p;
                      int x __attribute__((btf_decl_tag("dx"))); } __attribute__((btf_decl_tag("ds")));
           typedef int myint __attribute__((btf_decl_tag("td")));
           int __attribute__((btf_decl_tag("v"))) gv;"#,
    );
    let dumped = dump(&c);
    assert!(dumped.contains("TYPE_TAG 't1'") && dumped.contains("TYPE_TAG 't2'"), "{dumped}");
    assert!(dumped.contains("DECL_TAG 'dx' type_id=") && dumped.contains("component_idx=1"), "{dumped}");
    assert!(dumped.contains("DECL_TAG 'td'") && dumped.contains("DECL_TAG 'ds'"), "{dumped}");
    // PTR -> t2 -> t1 -> int.
    let s = c.type_id("struct s").unwrap();
    let fa = c.field_access(s, "p").unwrap();
    let TypeData::Ptr { type_id } = ty(&c, fa.field_type).data else { panic!() };
    assert_eq!(c.builder().str_at(ty(&c, type_id).name_off), Some("t2"));
    let v = c.add_var(&d[0]).unwrap();
    assert!(dump(&c).contains(&format!("DECL_TAG 'v' type_id={v} component_idx=-1")));
    validate(&c);
}

#[test]
fn builtin_typedefs_only_when_used() {
    let mut c = cx();
    ok(&mut c, "struct a { int x; };");
    assert!(!dump(&c).contains("__u32"));
    ok(&mut c, "struct b { u32 x; __be16 y; bool z; size_t n; };");
    let d = dump(&c);
    assert!(d.contains("TYPEDEF 'u32'") && d.contains("TYPEDEF '__u32'") && d.contains("TYPEDEF '__be16'"), "{d}");
    assert_eq!(size(&mut c, "struct b"), 16);
    // Types persist across blocks; redefinitions are errors.
    let e = c.parse("struct a { long y; };").unwrap_err();
    assert!(e[0].message.contains("redefinition of `struct a`"), "{e:?}");
    assert_eq!(e[0].span, 7..8);
}

#[test]
fn forward_declarations_complete_in_place() {
    let mut c = cx();
    ok(&mut c, "struct node; struct list { struct node *head; };");
    let fwd = c.type_id("struct node").unwrap();
    assert_eq!(ty(&c, fwd).kind(), Kind::FWD);
    ok(&mut c, "struct node { struct node *next; int v; };");
    assert_eq!(c.type_id("struct node").unwrap(), fwd);
    assert_eq!(ty(&c, fwd).kind(), Kind::STRUCT);
    assert_eq!(c.type_size(fwd).unwrap(), 16);
}

#[test]
fn errors_have_precise_spans() {
    let cases: &[(&str, &str, &str)] = &[
        ("__u3 x;", "unknown type name `__u3`", "__u3"),
        ("struct s { int a; }; struct s { int b; };", "redefinition of `struct s`", "s"),
        ("struct f; struct g { struct f x; };", "incomplete", "struct f x"),
        ("int x = \"str\";", "not an integer constant", "\"str\""),
        ("char c[2] = \"abc\";", "does not fit", "\"abc\""),
        ("int y __attribute__((frobnicate));", "unsupported attribute", "frobnicate"),
        ("int a[-1];", "invalid array size", "-1"),
        ("int z = UNKNOWN_CONST;", "unknown constant", "UNKNOWN_CONST"),
        ("struct t { int a:33; };", "exceeds", "int a:33"),
        ("struct u { int a; int a; };", "duplicate member", "int a"),
        ("int f(void) { return 0; }", "function bodies", "{"),
        ("unsigned float q;", "invalid combination", "unsigned float"),
        ("int v = 1 / 0;", "division by zero", "/"),
        ("struct w { int a; } wv = { .b = 1 };", "no member named `b`", "b"),
        ("int i; long i;", "redefinition of `i`", "i"),
        ("enum e { X, X };", "redefinition of enumerator", "X"),
        ("extern int ex = 3;", "cannot have an initializer", "="),
        ("#define X 1\nint q;", "preprocessor", "#define X 1"),
        ("int arr[2] = { 1, 2, 3 };", "beyond the end", "3"),
        ("char big = 300;", "does not fit", "300"),
    ];
    for (text, msg, at) in cases {
        let e = errs(text);
        let first = &e[0];
        assert!(first.message.contains(msg), "{text}: {e:?}");
        let pos = text.rfind(at).unwrap();
        let want = if *at == "X" || *at == "i" || *at == "s" || *at == "a" { text.rfind(at).unwrap() } else { pos };
        assert_eq!(&text[first.span.clone()], &text[want..want + at.len()], "{text}: {e:?}");
    }
    let e = errs("__u3 x;");
    assert_eq!(e[0].help.as_deref(), Some("did you mean `__u32`?"));
    // Several errors in one block.
    let e = errs("foo_t a; int b = ; struct s { int x } ; int ok;");
    assert!(e.len() >= 3, "{e:?}");
}

#[test]
fn no_panic_on_random_or_truncated_input() {
    let corpus = [
        MAPS,
        "struct a { int x:3; union { long y; char z[4]; }; } v = { 1, { 2 } };",
        "int (*(*f)(int, ...))[3]; typedef struct s { struct s *n; } S; S arr[] = { {0}, {&arr} };",
        "enum e { A = sizeof(int) << 2, B = A ? -1 : 1 }; char s[] = \"x\\x41\\101\";",
        "struct { __array(values, int (void *)); } m SEC(\".maps\") = { .values = { [3] = &p } };",
        "extern int k __ksym __weak; static const volatile __u64 cfg __attribute__((aligned(8))) = ~0ULL;",
    ];
    let mut seed: u64 = 0x9e3779b97f4a7c15;
    let mut rnd = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let alphabet: Vec<&str> = vec![
        "struct",
        "union",
        "enum",
        "{",
        "}",
        "(",
        ")",
        "[",
        "]",
        ";",
        ",",
        "*",
        "=",
        ":",
        "int",
        "x",
        "y",
        "0",
        "1",
        "-1",
        "sizeof",
        "typedef",
        "__attribute__",
        "((",
        "))",
        "packed",
        "aligned",
        ".",
        "\"s\"",
        "&",
        "...",
        "__u32",
        "char",
        "long",
        "SEC",
        "__uint",
        "__type",
        "__array",
        "?",
        "<<",
        "'",
        "/*",
        "\\",
        "é",
        "0x",
        "~",
        "const",
    ];
    for text in corpus {
        for cut in 0..=text.len() {
            if text.is_char_boundary(cut) {
                let _ = cx().parse(&text[..cut]);
            }
        }
    }
    for _ in 0..3000 {
        let n = (rnd() % 40) as usize;
        let mut s = String::new();
        for _ in 0..n {
            s.push_str(alphabet[(rnd() % alphabet.len() as u64) as usize]);
            s.push(' ');
        }
        let mut c = cx();
        let _ = c.parse(&s);
        let _ = c.type_id(&s);
        let _ = c.eval(&s);
        let _ = c.field_access(1, &s);
        // Whatever was built must still be valid BTF.
        validate(&c);
    }
    // Deep nesting is an error, not a stack overflow.
    let deep = "(".repeat(100_000);
    assert!(cx().parse(&format!("int x[{deep}1];")).is_err());
    let deep = "*".repeat(50_000) + "(".repeat(50_000).as_str();
    assert!(cx().parse(&format!("int {deep}x;")).is_err());
}

#[test]
fn type_names() {
    let mut c = cx();
    let p = c.type_id("int *").unwrap();
    assert_eq!(c.type_display(p), "int *");
    assert_eq!(c.type_id("void").unwrap(), 0);
    let a = c.type_id("unsigned long long[2][3]").unwrap();
    assert_eq!(c.type_display(a), "unsigned long long[3][2]");
    assert_eq!(c.type_size(a).unwrap(), 48);
    assert_eq!(c.type_id("int *").unwrap(), p, "derived types are shared");
    let e = c.type_id("struct").unwrap_err();
    assert!(e.message.contains("expected a name"), "{e:?}");
    let e = c.type_id("int x").unwrap_err();
    assert!(e.message.contains("unexpected name"), "{e:?}");
    assert_eq!(e.span, 4..5);
    let f = c.type_id("const volatile int").unwrap();
    assert_eq!(c.type_display(f), "const volatile int");
}

#[test]
fn field_access_paths() {
    let mut c = cx();
    ok(
        &mut c,
        "struct in { int a; long b[4]; struct { char c; short d; } e; };
         struct out { int pad; union { int u1; struct in u2; }; struct in arr[3]; };",
    );
    let o = c.type_id("struct out").unwrap();
    let fa = c.field_access(o, "u2.e.d").unwrap();
    assert_eq!(fa.spec(), "0:1:1:2:1");
    assert_eq!((fa.byte_offset, fa.byte_size, fa.signed), (8 + 40 + 2, 2, true));
    let fa = c.field_access(o, "arr[2].b[1]").unwrap();
    assert_eq!(fa.spec(), "0:2:2:1:1");
    assert_eq!(fa.byte_offset, 56 + 2 * 48 + 8 + 8);
    let fa = c.field_access(o, "[1].pad").unwrap();
    assert_eq!((fa.spec().as_str(), fa.byte_offset), ("1:0", 200));
    let fa = c.field_access(o, "u1").unwrap();
    assert_eq!(fa.spec(), "0:1:0");
    let e = c.field_access(o, "arr[3]").unwrap_err();
    assert!(e.message.contains("out of bounds"), "{e:?}");
    let e = c.field_access(o, "u2.ee").unwrap_err();
    assert_eq!((e.span.clone(), e.help.as_deref()), (3..5, Some("did you mean `e`?")));
}

fn vmlinux() -> Option<Rc<BaseBtf>> {
    match BaseBtf::from_file("/sys/kernel/btf/vmlinux") {
        Ok(b) => Some(Rc::new(b)),
        Err(e) => {
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!("/sys/kernel/btf/vmlinux: {e}");
            }
            eprintln!("skipping: /sys/kernel/btf/vmlinux: {e}");
            None
        }
    }
}

/// Offset in bits of `path` (dot-separated member names, anonymous members searched) in a
/// vmlinux struct, computed on the vmlinux BTF with the reader.
fn vmlinux_offset(btf: &Btf<'_>, mut id: u32, path: &str) -> (u64, u32) {
    fn find(btf: &Btf<'_>, id: u32, name: &str) -> Option<(u64, u32)> {
        let t = btf.type_by_id(btf.skip_mods_and_typedefs(id))?;
        for m in t.members() {
            let n = btf.str_at(m.name_off).unwrap_or("");
            if n == name {
                return Some((m.bit_offset as u64, m.type_id));
            }
            if n.is_empty() {
                if let Some((o, t)) = find(btf, m.type_id, name) {
                    return Some((o + m.bit_offset as u64, t));
                }
            }
        }
        None
    }
    let mut off = 0;
    for part in path.split('.') {
        let (o, t) = find(btf, id, part).unwrap();
        off += o;
        id = t;
    }
    (off, id)
}

#[test]
fn import_from_vmlinux() {
    let Some(base) = vmlinux() else { return };
    let data = std::fs::read("/sys/kernel/btf/vmlinux").unwrap();
    let vm = Btf::parse(&data).unwrap();
    let mut c = Context::new(E::Little, Some(base));
    let d =
        ok(&mut c, "SEC(\"kprobe/do_exit\") int prog(struct pt_regs *ctx); struct task_struct *cur; pid_t p; u32 x;");
    assert_eq!(d.len(), 4);
    let ts = c.type_id("struct task_struct").unwrap();
    let vts = vm.find_by_name_kind("task_struct", Kind::STRUCT).unwrap();
    assert_eq!(c.type_size(ts).unwrap(), vts.size());
    for path in ["pid", "tgid", "se.vruntime", "comm", "real_parent"] {
        let fa = c.field_access(ts, path).unwrap();
        let (bits, vty) = vmlinux_offset(&vm, vts.id(), path);
        assert_eq!(fa.bit_offset as u64, bits, "{path}");
        assert_eq!(fa.byte_offset as u64, bits / 8, "{path}");
        assert_eq!(fa.byte_size as u64, vm.resolve_size(vty).unwrap(), "{path}");
    }
    assert_eq!(c.field_access(ts, "pid").unwrap().access.len(), 2);
    assert_eq!(c.field_access(ts, "se.vruntime").unwrap().access.len(), 3);
    assert!(c.field_access(ts, "pid").unwrap().signed);
    // Imported once: asking again gives the same id; the base's `int` is the local one.
    assert_eq!(c.type_id("struct task_struct").unwrap(), ts);
    assert_eq!(c.type_id("int").unwrap(), c.type_id("pid_t").map(|p| c.strip(p)).unwrap());
    let n = c.builder().types().len();
    ok(&mut c, "struct mm_struct *mm; struct task_struct *t2;");
    assert!(c.builder().types().len() <= n + 2, "already imported with task_struct");
    // A local declaration wins over the base; redefining an imported type is an error.
    let mut c2 = Context::new(E::Little, vmlinux());
    ok(&mut c2, "struct sk_buff { int len; }; struct task_struct *t;");
    assert_eq!(size(&mut c2, "struct sk_buff"), 4);
    validate(&c2);
    let e = c.parse("struct task_struct { int pid; };").unwrap_err();
    assert!(e[0].help.as_deref().unwrap_or("").contains("___"), "{e:?}");
    // Base enumerators are constants; unknown tags get hints from the base.
    assert_eq!(c.constant("BPF_MAP_TYPE_HASH"), Some(1));
    let e = c.parse("struct task_strct x;").unwrap_err();
    assert_eq!(e[0].help.as_deref(), Some("did you mean `struct task_struct`?"));
    validate(&c);
}
