//! Helpers shared by the integration tests: tools, clang, semantic object summaries.
#![allow(dead_code)]

use bpfld::input::{self, Object};
use btf::{Btf, Kind};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn installed(tool: &str) -> bool {
    Command::new(tool).arg("--version").output().is_ok_and(|o| o.status.success())
}

pub fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("Uid:")).map(|l| l.split_whitespace().nth(1) == Some("0")))
        .unwrap_or(false)
}

/// Print a skip notice; under CI=true a missing prerequisite is a failure.
pub fn skip(what: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("prerequisite missing under CI: {what}");
    }
    eprintln!("skipped: {what}");
}

pub fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("bpfld-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// `clang-19 -O2 -g -target bpf -c` a C source (libbpf headers from /usr/include).
pub fn clang(dir: &Path, name: &str, src: &str) -> PathBuf {
    let c = dir.join(format!("{name}.c"));
    let o = dir.join(format!("{name}.o"));
    std::fs::write(&c, src).unwrap();
    let out = Command::new("clang-19")
        .args(["-O2", "-g", "-target", "bpf", "-mcpu=v3", "-c", "-idirafter", "/usr/include/x86_64-linux-gnu"])
        .arg(&c)
        .arg("-o")
        .arg(&o)
        .output()
        .expect("clang-19");
    assert!(out.status.success(), "clang {name}: {}", String::from_utf8_lossy(&out.stderr));
    o
}

/// Canonical text of a type, ids replaced by what they point to (structs/unions by name).
fn canon(b: &Btf<'_>, id: u32, memo: &mut HashMap<u32, String>, depth: u32) -> String {
    if id == 0 {
        return "void".into();
    }
    if let Some(s) = memo.get(&id) {
        return s.clone();
    }
    let t = b.type_by_id(id).unwrap();
    let name = b.name_of(&t);
    let k = t.kind();
    if depth > 0 && matches!(k, Kind::STRUCT | Kind::UNION) && !name.is_empty() {
        return format!("{k} {name}");
    }
    if depth > 20 {
        return format!("{k} {name} ...");
    }
    let mut s = format!("{k} '{name}' kf={} ", t.kind_flag() as u8);
    match k {
        Kind::INT => s += &format!("size={} enc={:?} bits={}", t.size(), t.int().encoding, t.int().bits),
        Kind::STRUCT | Kind::UNION => {
            s += &format!("size={} {{", t.size());
            for m in t.members() {
                s += &format!(
                    "{}@{}:{}; ",
                    b.str_at(m.name_off).unwrap_or(""),
                    m.bit_offset,
                    canon(b, m.type_id, memo, depth + 1)
                );
            }
            s += "}";
        }
        Kind::ENUM | Kind::ENUM64 => {
            s += &format!("size={} ", t.size());
            for v in t.enum_values() {
                s += &format!("{}={} ", b.str_at(v.name_off).unwrap_or(""), v.val);
            }
        }
        Kind::ARRAY => {
            let a = t.array();
            s += &format!("[{}] of {}", a.nelems, canon(b, a.elem_type, memo, depth + 1));
        }
        Kind::FUNC_PROTO => {
            s += &format!("ret {} (", canon(b, t.type_id(), memo, depth + 1));
            for p in t.params() {
                s += &format!("{} {}, ", canon(b, p.type_id, memo, depth + 1), b.str_at(p.name_off).unwrap_or(""));
            }
            s += ")";
        }
        Kind::FUNC => s += &format!("{:?} {}", t.func_linkage(), canon(b, t.type_id(), memo, depth + 1)),
        Kind::VAR => s += &format!("{:?} {}", t.var_linkage(), canon(b, t.type_id(), memo, depth + 1)),
        Kind::DATASEC => {
            s += &format!("size={} ", t.size());
            let mut vs: Vec<String> = t
                .datasec_vars()
                .map(|v| {
                    let vt = b.type_by_id(v.type_id).unwrap();
                    format!("{}@{}+{}", b.name_of(&vt), v.offset, v.size)
                })
                .collect();
            vs.sort();
            s += &vs.join(" ");
        }
        Kind::FWD | Kind::FLOAT => s += &format!("size={}", t.size_or_type()),
        Kind::DECL_TAG => s += &format!("{} on {}", t.decl_tag_component(), canon(b, t.type_id(), memo, depth + 1)),
        _ => s += &format!("-> {}", canon(b, t.type_id(), memo, depth + 1)),
    }
    memo.insert(id, s.clone());
    s
}

/// What an object means: sections, relocations, global symbols, BTF types (canonical
/// multiset), .BTF.ext records (with names instead of ids).
#[derive(Debug, PartialEq, Eq)]
pub struct Summary {
    pub sections: BTreeMap<String, (u32, u64, Vec<u8>)>,
    pub relocs: BTreeMap<String, Vec<(u64, u32, String)>>,
    pub globals: BTreeMap<String, (String, u64, u64, u8, u8, u8)>,
    pub btf: BTreeMap<String, usize>,
    pub func_info: BTreeMap<String, BTreeSet<(u32, String)>>,
    pub line_info: BTreeMap<String, BTreeSet<(u32, String, String, u32)>>,
    pub core: BTreeMap<String, BTreeSet<(u32, String, String, u32)>>,
}

pub fn summarize(data: &[u8]) -> Summary {
    let o: Object = input::parse("x", data).unwrap();
    let sec_name = |i: u32| -> String {
        match i {
            input::UNDEF => "UND".into(),
            input::ABS => "ABS".into(),
            i => o.sections[i as usize].name.clone(),
        }
    };
    let mut sections = BTreeMap::new();
    let mut relocs = BTreeMap::new();
    for s in &o.sections {
        if input::is_ignored(s) {
            continue;
        }
        sections.insert(s.name.clone(), (s.sh_type, s.flags, s.data.clone()));
        let mut v: Vec<(u64, u32, String)> = s
            .relocs
            .iter()
            .map(|r| {
                let y = &o.symbols[r.sym as usize];
                let n = if y.typ == 3 { sec_name(y.shndx) } else { o.sym_name(y).to_string() };
                (r.offset, r.r_type, n)
            })
            .collect();
        v.sort();
        if !v.is_empty() {
            relocs.insert(s.name.clone(), v);
        }
    }
    let mut globals = BTreeMap::new();
    for y in &o.symbols {
        if y.bind != 0 {
            globals.insert(o.sym_name(y).to_string(), (sec_name(y.shndx), y.value, y.size, y.typ, y.bind, y.vis));
        }
    }
    let mut btfm = BTreeMap::new();
    let mut func_info = BTreeMap::new();
    let mut line_info = BTreeMap::new();
    let mut core = BTreeMap::new();
    if let Some(bd) = &o.btf {
        let b = Btf::parse(bd).unwrap();
        let mut memo = HashMap::new();
        for t in b.types() {
            *btfm.entry(canon(&b, t.id(), &mut memo, 0)).or_insert(0) += 1;
        }
        if let Some(e) = &o.btf_ext {
            let s = |off: u32| b.str_at(off).unwrap_or("").to_string();
            for sec in &e.func_info {
                let set: &mut BTreeSet<_> = func_info.entry(s(sec.sec_name_off)).or_default();
                for r in &sec.records {
                    set.insert((r.insn_off, canon(&b, r.type_id, &mut memo, 0)));
                }
            }
            for sec in &e.line_info {
                let set: &mut BTreeSet<_> = line_info.entry(s(sec.sec_name_off)).or_default();
                for r in &sec.records {
                    set.insert((r.insn_off, s(r.file_name_off), s(r.line_off), r.line_col));
                }
            }
            for sec in &e.core_relos {
                let set: &mut BTreeSet<_> = core.entry(s(sec.sec_name_off)).or_default();
                for r in &sec.records {
                    set.insert((r.insn_off, canon(&b, r.type_id, &mut memo, 0), s(r.access_str_off), r.kind.0));
                }
            }
        }
    }
    Summary { sections, relocs, globals, btf: btfm, func_info, line_info, core }
}

/// Human-readable differences between two summaries (empty if none).
pub fn diff(a: &Summary, b: &Summary) -> Vec<String> {
    let mut out = Vec::new();
    fn cmp_map<K: Ord + std::fmt::Debug, V: PartialEq + std::fmt::Debug>(
        what: &str,
        a: &BTreeMap<K, V>,
        b: &BTreeMap<K, V>,
        out: &mut Vec<String>,
    ) {
        for (k, v) in a {
            match b.get(k) {
                None => out.push(format!("{what} {k:?}: only in left")),
                Some(w) if w != v => out.push(format!("{what} {k:?}: differs\n  left  {v:?}\n  right {w:?}")),
                _ => {}
            }
        }
        for k in b.keys() {
            if !a.contains_key(k) {
                out.push(format!("{what} {k:?}: only in right"));
            }
        }
    }
    cmp_map("section", &a.sections, &b.sections, &mut out);
    cmp_map("relocations of", &a.relocs, &b.relocs, &mut out);
    cmp_map("symbol", &a.globals, &b.globals, &mut out);
    cmp_map("BTF type", &a.btf, &b.btf, &mut out);
    cmp_map("func_info of", &a.func_info, &b.func_info, &mut out);
    cmp_map("line_info of", &a.line_info, &b.line_info, &mut out);
    cmp_map("CO-RE relocations of", &a.core, &b.core, &mut out);
    out
}

/// `bpftool prog loadall` (as root), with `?sec` programs made auto-loaded so every program is
/// loaded. Ok(()) or the tail of bpftool's output.
pub fn kernel_load_all(obj: &Path) -> Result<(), String> {
    let mut d = std::fs::read(obj).unwrap();
    for (from, to) in [(&b"?raw_tp/sys_enter\0"[..], &b"raw_tp/sys_enter\0\0"[..])] {
        let mut i = 0;
        while let Some(p) = d[i..].windows(from.len()).position(|w| w == from) {
            let at = i + p;
            d[at..at + from.len()].copy_from_slice(to);
            i = at + from.len();
        }
    }
    let patched = obj.with_extension("load.o");
    std::fs::write(&patched, &d).unwrap();
    let stem: String = obj
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let pin = PathBuf::from(format!("/sys/fs/bpf/bpfld_test_{}_{stem}", std::process::id()));
    let _ = std::fs::remove_dir_all(&pin);
    let out = Command::new("bpftool").args(["prog", "loadall"]).arg(&patched).arg(&pin).output().unwrap();
    let _ = std::fs::remove_dir_all(&pin);
    if out.status.success() {
        Ok(())
    } else {
        let e = String::from_utf8_lossy(&out.stderr);
        Err(e.lines().filter(|l| !l.contains("strict mode") && !l.contains("--legacy")).collect::<Vec<_>>().join("\n"))
    }
}
