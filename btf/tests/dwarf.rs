//! DWARF -> BTF on objects built with clang-19 -g and gcc -g (DWARF 4 and 5): the kernel
//! accepts our BTF, and each named struct/union/enum/typedef/func equals pahole -J's.

mod common;

use btf::{Btf, Kind};
use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

/// A structural description of type `id`: named types by name (a FWD and its struct are
/// the same name), anonymous types spelled out.
fn desc(b: &Btf<'_>, id: u32, depth: usize) -> String {
    if id == 0 {
        return "void".into();
    }
    if depth > 20 {
        return "...".into();
    }
    let Some(t) = b.type_by_id(id) else { return format!("<bad {id}>") };
    let name = b.name_of(&t);
    match t.kind() {
        Kind::INT => format!("int({name},{},{:?},{})", t.size(), t.int().encoding, t.int().bits),
        Kind::FLOAT => format!("float({name},{})", t.size()),
        Kind::PTR => format!("*{}", desc(b, t.type_id(), depth + 1)),
        Kind::CONST => format!("const {}", desc(b, t.type_id(), depth + 1)),
        Kind::VOLATILE => format!("volatile {}", desc(b, t.type_id(), depth + 1)),
        Kind::RESTRICT => format!("restrict {}", desc(b, t.type_id(), depth + 1)),
        Kind::TYPEDEF => format!("typedef {name}"),
        Kind::FWD => format!("{} {name}", if t.kind_flag() { "union" } else { "struct" }),
        Kind::STRUCT | Kind::UNION if !name.is_empty() => {
            format!("{} {name}", if t.kind() == Kind::UNION { "union" } else { "struct" })
        }
        Kind::ENUM | Kind::ENUM64 if !name.is_empty() => format!("enum {name}"),
        Kind::STRUCT | Kind::UNION | Kind::ENUM | Kind::ENUM64 => body(b, id, depth + 1),
        Kind::ARRAY => {
            // pahole flattens int m[3][4] to m[12]: compare the flattened form.
            let mut n = t.array().nelems as u64;
            let mut e = t.array().elem_type;
            while let Some(x) = b.type_by_id(e).filter(|x| x.kind() == Kind::ARRAY) {
                n *= x.array().nelems as u64;
                e = x.array().elem_type;
            }
            format!("[{n}]{}", desc(b, e, depth + 1))
        }
        Kind::FUNC_PROTO => {
            let ps: Vec<_> = t.params().map(|p| desc(b, p.type_id, depth + 1)).collect();
            format!("fn({}) -> {}", ps.join(", "), desc(b, t.type_id(), depth + 1))
        }
        k => format!("{k}"),
    }
}

fn body(b: &Btf<'_>, id: u32, depth: usize) -> String {
    let t = b.type_by_id(id).unwrap();
    match t.kind() {
        Kind::STRUCT | Kind::UNION => {
            let ms: Vec<_> = t
                .members()
                .map(|m| {
                    format!(
                        "{}:{}@{}:{}",
                        b.str_at(m.name_off).unwrap_or(""),
                        desc(b, m.type_id, depth + 1),
                        m.bit_offset,
                        m.bitfield_size
                    )
                })
                .collect();
            format!("{}{{{};{}}}", t.kind(), t.size(), ms.join(", "))
        }
        _ => {
            let vs: Vec<_> =
                t.enum_values().map(|v| format!("{}={}", b.str_at(v.name_off).unwrap_or(""), v.val)).collect();
            format!("enum{{{};{};{}}}", t.size(), t.kind_flag(), vs.join(","))
        }
    }
}

/// name -> descriptions of every named struct/union/enum/typedef/func.
fn named(b: &Btf<'_>) -> BTreeMap<String, BTreeSet<String>> {
    let mut m: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for t in b.types() {
        let name = b.name_of(&t).to_string();
        if name.is_empty() {
            continue;
        }
        let d = match t.kind() {
            Kind::STRUCT | Kind::UNION | Kind::ENUM | Kind::ENUM64 => body(b, t.id(), 0),
            Kind::TYPEDEF => desc(b, t.type_id(), 0),
            Kind::FUNC => {
                let p = b.type_by_id(t.type_id()).unwrap();
                let ps: Vec<_> = p
                    .params()
                    .map(|x| format!("{}:{}", b.str_at(x.name_off).unwrap_or(""), desc(b, x.type_id, 0)))
                    .collect();
                // pahole 1.24 marks every function static; linkage is checked separately.
                format!("fn({}) -> {}", ps.join(", "), desc(b, p.type_id(), 0))
            }
            _ => continue,
        };
        m.entry(format!("{} {name}", t.kind())).or_default().insert(d);
    }
    m
}

#[test]
fn dwarf_to_btf_matches_pahole() {
    if !common::have_tool("pahole", "--version") {
        return;
    }
    let dir = std::env::temp_dir().join(format!("btf-dwarf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/dwarf_types.c");
    let mut builds: Vec<(&str, &str, Vec<&str>)> = vec![
        ("clang-dwarf5", "clang-19", vec!["-g", "-gdwarf-5", "-O1"]),
        ("clang-dwarf4", "clang-19", vec!["-g", "-gdwarf-4", "-O1"]),
        ("gcc-dwarf5", "gcc", vec!["-g", "-gdwarf-5", "-O1"]),
        ("gcc-dwarf4", "gcc", vec!["-g", "-gdwarf-4", "-O1"]),
    ];
    builds.retain(|(_, cc, _)| common::have_tool(cc, "--version"));
    let mut report = Vec::new();
    for (tag, cc, flags) in builds {
        let obj = dir.join(format!("{tag}.o"));
        let o = Command::new(cc).args(&flags).args(["-c", src, "-o"]).arg(&obj).output().unwrap();
        assert!(o.status.success(), "{tag}: {}", String::from_utf8_lossy(&o.stderr));
        let data = std::fs::read(&obj).unwrap();
        let ours = btf::dwarf::btf_from_dwarf(&data).unwrap().to_bytes(btf::Endian::Little);
        btf::validate::validate_bytes(&ours).unwrap_or_else(|e| panic!("{tag}: {e}"));
        match bpfsys::btf_load(&ours, true) {
            Ok(_) => {}
            Err(e) if e.errno == 1 || e.errno == 38 => eprintln!("SKIP kernel load ({})", e.errno),
            Err(e) => panic!("{tag}: kernel rejects our BTF: {e}"),
        }
        // pahole -J writes .BTF into the object.
        let pobj = dir.join(format!("{tag}-pahole.o"));
        std::fs::copy(&obj, &pobj).unwrap();
        let o = Command::new("pahole").args(["-J", "--btf_gen_all"]).arg(&pobj).output().unwrap();
        assert!(o.status.success(), "pahole: {}", String::from_utf8_lossy(&o.stderr));
        let pdata = std::fs::read(&pobj).unwrap();
        let praw = btf::elf::btf_bytes(&pdata).unwrap().to_vec();
        let ob = Btf::parse(&ours).unwrap();
        let pb = Btf::parse(&praw).unwrap();
        let (om, pm) = (named(&ob), named(&pb));
        for (f, l) in
            [("helper", btf::Linkage::STATIC), ("sum", btf::Linkage::GLOBAL), ("use_all", btf::Linkage::GLOBAL)]
        {
            if let Some(t) = ob.find_by_name_kind(f, Kind::FUNC) {
                assert_eq!(t.func_linkage(), l, "{tag}: linkage of {f}");
            }
        }
        for (k, pv) in &pm {
            // pahole 1.24 drops the type of `_Atomic` members (see module docs): skip.
            if pv.iter().any(|d| d.contains("refs:void")) {
                continue;
            }
            match om.get(k) {
                Some(ov) if ov == pv => {}
                other => report.push(format!("{tag}: {k}\n  ours:   {other:?}\n  pahole: {pv:?}")),
            }
        }
        for k in om.keys() {
            if !pm.contains_key(k) {
                report.push(format!("{tag}: {k} only in ours"));
            }
        }
    }
    assert!(report.is_empty(), "{} differences:\n{}", report.len(), report.join("\n"));
    let _ = std::fs::remove_dir_all(&dir);
}
