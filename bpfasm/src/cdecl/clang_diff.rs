//! Differential test: the same declarations compiled as C by clang-19 (`-g -target bpf`)
//! must give the same BTF (compared structurally from named types and variables, since ids
//! differ) and, for initialized variables, the same bytes and relocations.

use super::*;
use btf::{Btf, TypeDef};
use object::{Object, ObjectSection, ObjectSymbol, RelocationTarget};
use std::collections::HashSet;
use std::process::Command;

/// Macros and typedefs from libbpf's and the kernel's headers that the front end knows
/// without declarations.
const PRELUDE: &str = r#"
#include <linux/bpf.h>
#define SEC(n) __attribute__((section(n), used))
#define __uint(name, val) int (*name)[val]
#define __type(name, val) typeof(val) *name
#define __array(name, val) typeof(val) *name[]
#define __ksym __attribute__((section(".ksyms")))
#define __kconfig __attribute__((section(".kconfig")))
#define __weak __attribute__((weak))
#define __hidden __attribute__((visibility("hidden")))
typedef __u8 u8; typedef __s8 s8; typedef __u16 u16; typedef __s16 s16;
typedef __u32 u32; typedef __s32 s32; typedef __u64 u64; typedef __s64 s64;
typedef _Bool bool; typedef unsigned long size_t;
enum libbpf_pin_type { LIBBPF_PIN_NONE, LIBBPF_PIN_BY_NAME };
"#;

/// `(declarations, C only for clang)`.
const CASES: &[(&str, &str)] = &[
    (
        "struct a { char c; int i; short s; long l; char t; };
         struct __attribute__((packed)) pk { char a; int b; };
         struct al { char a; int b __attribute__((aligned(16))); };
         union u { int a; char b[7]; };
         struct nest { struct a x; union { int p; long q; }; struct { char r; } named; char flex[]; } __attribute__((preserve_access_index));
         struct al8 { char c; } __attribute__((aligned(8)));
         struct list { struct list *next, *prev; struct nest *n; };",
        "",
    ),
    (
        "struct bf { char a:1; long long b: 63; unsigned c: 31; unsigned d:2; int :0; char e; int f:4; };
         struct s2 { char a; int b:1; }; struct s3 { short a:9, b:9; unsigned char c:2; };
         union ub { int a:3; char c; };
         struct __attribute__((packed)) pb { char a:3; int b:30; long c:7; };
         struct eb { enum ee { E0, E1 } k:2; _Bool z:1; };",
        "",
    ),
    (
        "enum a { A1 = -1, A2 = 5, A3 };
         enum b { B1 = 1, B2 = 0x100000000 };
         enum c { C1 = -5, C2 = 0x100000000 };
         enum d { D1 = 0xffffffff };
         enum e { E1 = 0x7fffffff, E2 = E1 - 1 };
         enum __attribute__((packed)) f { F1 = 3 };
         enum __attribute__((packed)) g { G1 = -3, G2 = 300 };
         enum a va; enum b vb; enum c vc; enum d vd; enum e ve; enum f vf; enum g vg;",
        "",
    ),
    (
        "const volatile int cv; int * restrict rp; int (*fp)(int, char); int arr[2][3];
         struct fw *pf; union fu *pu; char *(*cb)(const char *, ...);
         unsigned char t1; signed char t2; unsigned short t3; unsigned t4; unsigned long t5;
         long long t6; unsigned long long t7; _Bool t8; float t9; double t10; long double t11;
         short int t12; long int t13; long unsigned int t14; void *vp; const char *const cp;
         int (*(*fpp)(int))[4]; volatile unsigned long long *const volatile qq;",
        "",
    ),
    (
        "typedef struct { __u8 a; __u64 b; } td_t; td_t tdv; u32 x32; __be16 be; bool flag; size_t sz; s64 ss;
         typedef int (*handler_t)(void *ctx, __u32 len); handler_t h;
         typedef unsigned int uint_arr[4]; uint_arr ua; __wsum csum; __le64 le;",
        "",
    ),
    (
        r#"struct val { __u64 packets; __u64 bytes; };
        struct {
            __uint(type, BPF_MAP_TYPE_HASH);
            __uint(max_entries, 1024);
            __type(key, __u32);
            __type(value, struct val);
            __uint(map_flags, BPF_F_NO_PREALLOC);
            __uint(pinning, LIBBPF_PIN_BY_NAME);
        } hmap SEC(".maps");
        struct { __uint(type, BPF_MAP_TYPE_RINGBUF); __uint(max_entries, 256 * 1024); } rb SEC(".maps");
        struct inner { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, int); __type(value, int); } in1 SEC(".maps"), in2 SEC(".maps");
        struct { __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS); __uint(max_entries, 3); __type(key, int); __array(values, struct inner); }
            outer SEC(".maps") = { .values = { [1] = &in1, &in2 } };
        struct {
            __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
            __uint(max_entries, 4);
            __uint(key_size, 4);
            __array(values, int (void *));
        } jmp SEC(".maps") = { .values = { [0] = &tail_a, [2] = &tail_b } };"#,
        r#"SEC("tc") int tail_a(void *ctx) { return 0; }
           SEC("tc") int tail_b(void *ctx) { return 1; }"#,
    ),
    (
        r#"struct s { int __attribute__((btf_type_tag("t1"))) __attribute__((btf_type_tag("t2"))) *p;
                      int x __attribute__((btf_decl_tag("dx"))); } __attribute__((btf_decl_tag("ds")));
           typedef int myint __attribute__((btf_decl_tag("td")));
           int __attribute__((btf_type_tag("user"))) *up;
           struct s sv; myint mi;"#,
        "",
    ),
    (
        r#"char LICENSE[] SEC("license") = "GPL";
           const volatile int cfg = 3;
           const volatile struct { int a; char b[3]; } cfg2 = { 5, "hi" };
           int arr[] = { 1, 2, [5] = 9 };
           struct pt { int x; short y; long z; };
           struct pt p = { .z = -1, .x = 2 };
           struct pt ps[2] = { [1] = { 7, 8 }, [0].z = 5 };
           struct bits { unsigned a:3, b:5; int c; signed char d:4; } bb = { .b = 31, .a = 5, .c = -2, .d = -3 };
           unsigned long long big = ~0ULL >> 4;
           __u16 sh[3] = { 0x1234, 0xfffe };
           enum { N = sizeof(struct pt) } en_dummy;
           char buf[N] SEC(".data.buf") = "abc";
           double dd = -2.5; float ff = 1.25;
           union un { int i; char c[8]; } uv = { .c = "abcdefg" };"#,
        "",
    ),
];

fn clang(src: &str, big: bool) -> Option<Vec<u8>> {
    let dir = std::env::temp_dir().join(format!("bpfasm-cdecl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    let n = src.len() ^ (big as usize) << 40;
    let c = dir.join(format!("t{n:x}.c"));
    let o = dir.join(format!("t{n:x}.o"));
    std::fs::write(&c, src).ok()?;
    let target = if big { "bpfeb" } else { "bpfel" };
    // <linux/bpf.h> needs <asm/types.h> from the host's multiarch include directory.
    let mut cmd = Command::new("clang-19");
    cmd.args(["-g", "-O2", "-target", target, "-c"]);
    if let Ok(dirs) = std::fs::read_dir("/usr/include") {
        for d in dirs.flatten() {
            if d.path().join("asm/types.h").exists() {
                cmd.arg("-idirafter").arg(d.path());
            }
        }
    }
    let out = cmd.arg(&c).arg("-o").arg(&o).output().ok()?;
    if !out.status.success() {
        panic!("clang-19 failed on\n{src}\n{}", String::from_utf8_lossy(&out.stderr));
    }
    let data = std::fs::read(&o).ok();
    let _ = std::fs::remove_file(&c);
    let _ = std::fs::remove_file(&o);
    data
}

struct Cmp<'a> {
    ours: &'a btf::BtfBuilder,
    theirs: &'a Btf<'a>,
    seen: HashSet<(u32, u32)>,
}

impl Cmp<'_> {
    fn name_ours(&self, off: u32) -> &str {
        self.ours.str_at(off).unwrap_or("?")
    }
    fn name_theirs(&self, off: u32) -> &str {
        self.theirs.str_at(off).unwrap_or("?")
    }

    fn same(&mut self, a: u32, b: u32, path: &str) -> Result<(), String> {
        if a == 0 || b == 0 {
            return if a == b { Ok(()) } else { Err(format!("{path}: void vs non-void ({a} vs {b})")) };
        }
        if !self.seen.insert((a, b)) {
            return Ok(());
        }
        let ta = self.ours.get(a).ok_or(format!("{path}: no local type {a}"))?.clone();
        let tb = TypeDef::from_type(&self.theirs.type_by_id(b).ok_or(format!("{path}: no clang type {b}"))?)
            .ok_or(format!("{path}: bad clang type"))?;
        let (na, nb) = (self.name_ours(ta.name_off).to_string(), self.name_theirs(tb.name_off).to_string());
        let here = format!("{path}/{}'{na}'", ta.kind());
        if ta.kind() != tb.kind() || na != nb || ta.kind_flag != tb.kind_flag {
            return Err(format!(
                "{here}: ours {} '{na}' kflag={} vs clang {} '{nb}' kflag={}",
                ta.kind(),
                ta.kind_flag,
                tb.kind(),
                tb.kind_flag
            ));
        }
        use TypeData as D;
        match (&ta.data, &tb.data) {
            (D::Int { size: s1, info: i1 }, D::Int { size: s2, info: i2 }) => {
                if s1 != s2 || i1.raw != i2.raw {
                    return Err(format!("{here}: int {s1}/{:x} vs {s2}/{:x}", i1.raw, i2.raw));
                }
            }
            (D::Float { size: s1 }, D::Float { size: s2 }) if s1 == s2 => {}
            (D::Ptr { type_id: x }, D::Ptr { type_id: y })
            | (D::Typedef { type_id: x }, D::Typedef { type_id: y })
            | (D::Const { type_id: x }, D::Const { type_id: y })
            | (D::Volatile { type_id: x }, D::Volatile { type_id: y })
            | (D::Restrict { type_id: x }, D::Restrict { type_id: y })
            | (D::TypeTag { type_id: x }, D::TypeTag { type_id: y })
            | (D::Var { type_id: x, .. }, D::Var { type_id: y, .. }) => self.same(*x, *y, &here)?,
            (D::Array(x), D::Array(y)) => {
                if x.nelems != y.nelems {
                    return Err(format!("{here}: nelems {} vs {}", x.nelems, y.nelems));
                }
                self.same(x.elem_type, y.elem_type, &here)?;
                self.same(x.index_type, y.index_type, &here)?;
            }
            (D::Struct { size: s1, members: m1 }, D::Struct { size: s2, members: m2 })
            | (D::Union { size: s1, members: m1 }, D::Union { size: s2, members: m2 }) => {
                if s1 != s2 || m1.len() != m2.len() {
                    return Err(format!("{here}: size/vlen {s1}/{} vs {s2}/{}", m1.len(), m2.len()));
                }
                for (x, y) in m1.iter().zip(m2) {
                    let (n1, n2) = (self.name_ours(x.name_off).to_string(), self.name_theirs(y.name_off).to_string());
                    if n1 != n2 || x.bit_offset != y.bit_offset || x.bitfield_size != y.bitfield_size {
                        return Err(format!(
                            "{here}: member '{n1}' @{}:{} vs '{n2}' @{}:{}",
                            x.bit_offset, x.bitfield_size, y.bit_offset, y.bitfield_size
                        ));
                    }
                    self.same(x.type_id, y.type_id, &format!("{here}.{n1}"))?;
                }
            }
            (D::Enum { size: s1, values: v1 }, D::Enum { size: s2, values: v2 })
            | (D::Enum64 { size: s1, values: v1 }, D::Enum64 { size: s2, values: v2 }) => {
                let a: Vec<_> = v1.iter().map(|v| (self.name_ours(v.name_off).to_string(), v.val)).collect();
                let b: Vec<_> = v2.iter().map(|v| (self.name_theirs(v.name_off).to_string(), v.val)).collect();
                if s1 != s2 || a != b {
                    return Err(format!("{here}: {s1} {a:?} vs {s2} {b:?}"));
                }
            }
            (D::Fwd, D::Fwd) => {}
            (D::FuncProto { ret: r1, params: p1 }, D::FuncProto { ret: r2, params: p2 }) => {
                self.same(*r1, *r2, &format!("{here}(ret)"))?;
                if p1.len() != p2.len() {
                    return Err(format!("{here}: {} vs {} params", p1.len(), p2.len()));
                }
                for (x, y) in p1.iter().zip(p2) {
                    let (n1, n2) = (self.name_ours(x.name_off).to_string(), self.name_theirs(y.name_off).to_string());
                    if n1 != n2 {
                        return Err(format!("{here}: param '{n1}' vs '{n2}'"));
                    }
                    self.same(x.type_id, y.type_id, &format!("{here}({n1})"))?;
                }
            }
            (x, y) => return Err(format!("{here}: {x:?} vs {y:?}")),
        }
        Ok(())
    }
}

/// `(tag, target kind, target name, component)` of every DECL_TAG on a named target.
fn decl_tags_ours(b: &btf::BtfBuilder) -> HashSet<(String, String, String, i32)> {
    let mut out = HashSet::new();
    for t in b.types() {
        if let TypeData::DeclTag { type_id, component_idx } = t.data {
            let target = b.get(type_id).unwrap();
            out.insert((
                b.str_at(t.name_off).unwrap().to_string(),
                target.kind().to_string(),
                b.str_at(target.name_off).unwrap().to_string(),
                component_idx,
            ));
        }
    }
    out
}

fn decl_tags_theirs(b: &Btf<'_>) -> HashSet<(String, String, String, i32)> {
    let mut out = HashSet::new();
    for t in b.types() {
        if t.kind() == Kind::DECL_TAG {
            let target = b.type_by_id(t.type_id()).unwrap();
            if target.kind() == Kind::FUNC {
                continue;
            }
            out.insert((
                b.name_of(&t).to_string(),
                target.kind().to_string(),
                b.name_of(&target).to_string(),
                t.decl_tag_component(),
            ));
        }
    }
    out
}

fn c_name(b: &btf::BtfBuilder, id: u32) -> Option<String> {
    let t = b.get(id)?;
    let n = b.str_at(t.name_off)?;
    if n.is_empty() {
        return None;
    }
    Some(match t.kind() {
        Kind::STRUCT => format!("struct {n}"),
        Kind::UNION => format!("union {n}"),
        Kind::ENUM | Kind::ENUM64 => format!("enum {n}"),
        Kind::TYPEDEF => n.to_string(),
        _ => return None,
    })
}

fn run_case(decls: &str, extra: &str, big: bool) -> Result<(), String> {
    let endian = if big { bpf_isa::Endian::Big } else { bpf_isa::Endian::Little };
    let mut cx = Context::new(endian, None);
    let parsed = cx.parse(decls).map_err(|e| format!("our parse failed: {e:?}"))?;
    let mut vars = Vec::new();
    for d in &parsed {
        if let Some(id) = cx.add_var(d) {
            vars.push((d.clone(), id));
        }
    }
    let roots: Vec<(u32, String)> =
        (1..cx.builder().next_id()).filter_map(|id| c_name(cx.builder(), id).map(|n| (id, n))).collect();
    let keep: Vec<String> = roots.iter().enumerate().map(|(i, (_, n))| format!("{n} *__keep{i};")).collect();
    let src = format!("{PRELUDE}\n{extra}\n{decls}\n{}\n", keep.join("\n"));
    let Some(obj) = clang(&src, big) else { return Err("clang-19 could not run".into()) };
    let raw = btf::elf::btf_bytes(&obj)?;
    let theirs = Btf::parse(raw).map_err(|e| format!("{e:?}"))?;
    let mut cmp = Cmp { ours: cx.builder(), theirs: &theirs, seen: HashSet::new() };
    for (id, name) in &roots {
        let t = cx.builder().get(*id).unwrap();
        let bare = cx.builder().str_at(t.name_off).unwrap();
        let tid = theirs.find_by_name_kind(bare, t.kind()).ok_or(format!("clang has no {name}"))?.id();
        cmp.same(*id, tid, name)?;
    }
    let file = object::File::parse(&*obj).map_err(|e| e.to_string())?;
    for (d, id) in &vars {
        let Decl::Var { name, init, size, .. } = d else { continue };
        let tv = theirs.find_by_name_kind(name, Kind::VAR).ok_or(format!("clang has no VAR {name}"))?;
        cmp.same(*id, tv.id(), name)?;
        let sym = file.symbols().find(|s| s.name() == Ok(name)).ok_or(format!("no symbol {name}"))?;
        if sym.size() != *size as u64 {
            return Err(format!("{name}: size {size} vs clang {}", sym.size()));
        }
        let Some(init) = init else { continue };
        let sec = file.section_by_index(sym.section_index().unwrap()).unwrap();
        let data = sec.data().unwrap();
        let bytes = &data[sym.address() as usize..(sym.address() + sym.size()) as usize];
        if bytes != init.bytes.as_slice() {
            return Err(format!("{name}: bytes {:?} vs clang {bytes:?}", init.bytes));
        }
        let mut relocs = Vec::new();
        for (off, r) in sec.relocations() {
            if off >= sym.address() && off < sym.address() + sym.size() {
                if let RelocationTarget::Symbol(si) = r.target() {
                    let s = file.symbol_by_index(si).unwrap();
                    relocs.push(((off - sym.address()) as u32, s.name().unwrap().to_string()));
                }
            }
        }
        relocs.sort();
        if relocs != init.relocs {
            return Err(format!("{name}: relocs {:?} vs clang {relocs:?}", init.relocs));
        }
    }
    let (a, b) = (decl_tags_ours(cx.builder()), decl_tags_theirs(&theirs));
    if a != b {
        return Err(format!("decl tags: ours {a:?} vs clang {b:?}"));
    }
    Ok(())
}

#[test]
fn clang_differential() {
    if Command::new("clang-19").arg("--version").output().is_err() {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("clang-19 is required when CI=true");
        }
        eprintln!("skipping clang_differential: clang-19 not found");
        return;
    }
    let mut failures = Vec::new();
    for (i, (decls, extra)) in CASES.iter().enumerate() {
        for big in [false, true] {
            if let Err(e) = run_case(decls, extra, big) {
                failures.push(format!("case {i} ({}): {e}", if big { "bpfeb" } else { "bpfel" }));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
