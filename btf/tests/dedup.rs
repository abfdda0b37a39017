//! Dedup: vmlinux concatenated with itself must shrink to the same number of types as
//! libbpf's btf__dedup gives, and the kernel must accept the result.

mod common;

use btf::{Btf, BtfBuilder, Endian, IntEncoding, Linkage, TypeDef};
use std::process::Command;

/// All types of `btf` twice: the second copy's ids shifted past the first.
fn doubled(btf: &Btf<'_>) -> BtfBuilder {
    let mut b = BtfBuilder::from_btf(btf);
    let shift = btf.type_count() - 1;
    for t in btf.types() {
        let mut d = TypeDef::from_type(&t).unwrap();
        d.data.for_each_ref_mut(|r| {
            if *r != 0 {
                *r += shift
            }
        });
        b.add_type(d);
    }
    b
}

fn libbpf_dedup(input: &std::path::Path, output: &std::path::Path) -> Option<(u32, f64)> {
    if !common::have_tool("gcc", "--version") {
        return None;
    }
    let dir = input.parent().unwrap();
    let exe = dir.join("libbpf_dedup");
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/helpers/libbpf_dedup.c");
    let o = Command::new("gcc").args(["-O2", "-o"]).arg(&exe).arg(src).arg("-lbpf").output().unwrap();
    if !o.status.success() {
        let msg = format!("cannot build the libbpf helper: {}", String::from_utf8_lossy(&o.stderr));
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("{msg}");
        }
        eprintln!("SKIP: {msg}");
        return None;
    }
    let o = Command::new(&exe).arg(input).arg(output).output().unwrap();
    assert!(o.status.success(), "libbpf dedup failed");
    let s = String::from_utf8(o.stdout).unwrap();
    let mut it = s.split_whitespace();
    Some((it.next()?.parse().ok()?, it.next()?.parse().ok()?))
}

/// Small graphs exercising FWD resolution, self references, duplicate primitives,
/// enum forward declarations, arrays and function prototypes.
fn small_graphs() -> Vec<(&'static str, BtfBuilder)> {
    let mut v = Vec::new();
    let mut b = BtfBuilder::new();
    let int = b.add_int("int", 4, IntEncoding::SIGNED); // 1
    let p = b.add_ptr(3); // 2
    b.add_struct("node", 16, &[("v", int, 0), ("next", p, 64)]); // 3
    let int2 = b.add_int("int", 4, IntEncoding::SIGNED); // 4
    let fwd = b.add_fwd("node", false); // 5
    let p2 = b.add_ptr(fwd); // 6
    let s2 = b.add_struct("node", 16, &[("v", int2, 0), ("next", p2, 64)]); // 7
    let p3 = b.add_ptr(s2); // 8
    let fp = b.add_func_proto(int2, &[("n", p3)]); // 9
    b.add_func("f", fp, Linkage::GLOBAL); // 10
    let v1 = b.add_var("x", int2, Linkage::GLOBAL); // 11
    b.add_datasec(".data", 4, &[(v1, 0, 4)]); // 12
    v.push(("node via fwd", b));

    let mut b = BtfBuilder::new();
    for _ in 0..2 {
        let base = b.next_id();
        let int = b.add_int("int", 4, IntEncoding::SIGNED);
        let p = b.add_ptr(base + 2);
        let s = b.add_struct("list", 16, &[("v", int, 0), ("next", p, 64)]);
        let a = b.add_array(s, int, 4);
        let c = b.add_const(a);
        b.add_typedef("lists_t", c);
        let e = b.add_enum("color", 4, false, &[("RED", 0), ("GREEN", 1)]);
        b.add_enum("color", 4, false, &[]);
        let fp = b.add_func_proto(e, &[("l", p), ("", 0)]);
        b.add_func("g", fp, Linkage::STATIC);
        let fw = b.add_fwd("opaque", false);
        let pf = b.add_ptr(fw);
        b.add_struct("holder", 8, &[("o", pf, 0)]);
        let tt = b.add_type_tag("user", int);
        let ptt = b.add_ptr(tt);
        b.add_decl_tag("dt", s, 0);
        b.add_union("u", 8, &[("p", ptt, 0), ("i", int, 0)]);
        b.add_float("double", 8);
    }
    // A full definition of opaque, later.
    let int = b.add_int("int", 4, IntEncoding::SIGNED);
    b.add_struct("opaque", 4, &[("x", int, 0)]);
    v.push(("two copies", b));
    v
}

#[test]
fn dedup_small_graphs_match_libbpf() {
    let dir = std::env::temp_dir().join(format!("btf-dedup-small-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, mut b) in small_graphs() {
        let input = b.to_bytes(Endian::native());
        let inp = dir.join(format!("in-{}.btf", name.replace(' ', "_")));
        std::fs::write(&inp, &input).unwrap();
        let stats = btf::dedup::dedup(&mut b).unwrap();
        let out = b.to_bytes(Endian::Little);
        btf::validate::validate_bytes(&out).unwrap_or_else(|e| panic!("{name}: {e}"));
        std::fs::write(dir.join("ours.btf"), &out).unwrap();
        if let Some((count, _)) = libbpf_dedup(&inp, &dir.join("out.btf")) {
            assert_eq!(stats.types_after, count, "{name}: ours {} types, libbpf {count}", stats.types_after);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn dedup_vmlinux_twice_matches_libbpf() {
    let Some((vmlinux, _)) = common::sysfs_btf() else { return };
    let data = std::fs::read(&vmlinux).unwrap();
    let btf = Btf::parse(&data).unwrap();
    let mut b = doubled(&btf);
    let input = b.to_bytes(Endian::native());
    let dir = std::env::temp_dir().join(format!("btf-dedup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let inp = dir.join("doubled.btf");
    std::fs::write(&inp, &input).unwrap();
    let t0 = std::time::Instant::now();
    let stats = btf::dedup::dedup(&mut b).unwrap();
    let ours_ms = t0.elapsed().as_secs_f64() * 1e3;
    eprintln!("ours: {} -> {} types in {ours_ms:.1} ms", stats.types_before, stats.types_after);
    let out = b.to_bytes(Endian::native());
    btf::validate::validate_bytes(&out).unwrap();
    match bpfsys::btf_load(&out, true) {
        Ok(_) => {}
        Err(e) if e.errno == 1 || e.errno == 38 => eprintln!("SKIP kernel load: errno {}", e.errno),
        Err(e) => panic!("kernel rejects deduplicated BTF: {e}"),
    }
    if let Some((count, ms)) = libbpf_dedup(&inp, &dir.join("libbpf.btf")) {
        eprintln!("libbpf: {count} types in {ms:.1} ms");
        assert_eq!(stats.types_after, count);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Append every type of `btf` to `b`, shifting its ids past what `b` has (strings are copied).
fn append(b: &mut BtfBuilder, btf: &Btf<'_>) {
    let shift = b.next_id() - 1;
    for t in btf.types() {
        let mut d = TypeDef::from_type(&t).unwrap();
        d.data.for_each_ref_mut(|r| {
            if *r != 0 {
                *r += shift
            }
        });
        // Names live in `btf`'s string table: copy them into `b`'s.
        let name = btf.str_at(t.name_off()).unwrap_or("");
        d.name_off = b.add_str(name);
        d.data.for_each_str_mut(|off| *off = b.add_str(btf.str_at(*off).unwrap_or("")));
        b.add_type(d);
    }
}

/// C sources for many small objects: shared headers (included by each), per-object types, and a
/// same-named struct with two different layouts (which dedup must keep apart).
fn sources() -> Vec<String> {
    let common = "typedef unsigned int u32; typedef unsigned long long u64;
struct list { struct list *next, *prev; };
struct item { u32 id; u64 value; struct list link; union { int i; char c[4]; } u; };
enum state { IDLE, BUSY, DONE };
struct owner;
typedef int (*cb_t)(struct item *, void *);";
    (0..24)
        .map(|i| {
            let variant = if i % 3 == 0 {
                "struct conf { int a; int b; };"
            } else {
                "struct conf { long a; };"
            };
            format!(
                "{common}\n{variant}\nstruct local{i} {{ struct item *items[{n}]; enum state st; struct owner *o; struct conf c; cb_t cb; }};\n\
                 int f{i}(struct local{i} *l, struct item *it, cb_t cb) {{ return l->st + it->id + (cb ? 1 : 0) + l->c.a; }}\n",
                n = i + 1
            )
        })
        .collect()
}

#[test]
fn dedup_many_objects_matches_libbpf() {
    if !common::have_tool("clang-19", "--version") {
        return;
    }
    let dir = std::env::temp_dir().join(format!("btf-dedup-objs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut b = BtfBuilder::new();
    let mut objects = 0;
    for (i, src) in sources().iter().enumerate() {
        let c = dir.join(format!("o{i}.c"));
        let o = dir.join(format!("o{i}.o"));
        std::fs::write(&c, src).unwrap();
        let st = Command::new("clang-19")
            .args(["-O2", "-g", "-target", "bpf", "-c"])
            .arg(&c)
            .arg("-o")
            .arg(&o)
            .output()
            .unwrap();
        assert!(st.status.success(), "{}", String::from_utf8_lossy(&st.stderr));
        let data = std::fs::read(&o).unwrap();
        let raw = btf::elf::btf_bytes(&data).unwrap();
        let obj = Btf::parse(raw).unwrap();
        append(&mut b, &obj);
        objects += 1;
    }
    let input = b.to_bytes(Endian::native());
    let inp = dir.join("many.btf");
    std::fs::write(&inp, &input).unwrap();
    let stats = btf::dedup::dedup(&mut b).unwrap();
    eprintln!("{objects} objects: {} -> {} types", stats.types_before, stats.types_after);
    let out = b.to_bytes(Endian::native());
    btf::validate::validate_bytes(&out).unwrap();
    match bpfsys::btf_load(&out, true) {
        Ok(_) => {}
        Err(e) if e.errno == 1 || e.errno == 38 => eprintln!("SKIP kernel load: errno {}", e.errno),
        Err(e) => panic!("kernel rejects deduplicated BTF: {e}"),
    }
    if let Some((count, _)) = libbpf_dedup(&inp, &dir.join("libbpf.btf")) {
        assert_eq!(stats.types_after, count, "ours {} types, libbpf {count}", stats.types_after);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
