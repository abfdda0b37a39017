//! C dump of vmlinux: compiles with clang-19 -target bpf, and declares the same named
//! types with the same sizes as `bpftool btf dump file X format c`.

mod common;

use btf::Btf;
use object::{Object, ObjectSymbol};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

/// Top-level definitions of a header: (kind, name) for struct/union/enum/typedef.
fn definitions(h: &str) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    let mut stmt = String::new();
    let mut in_typedef = false;
    for line in h.lines() {
        if !in_typedef {
            for kw in ["struct", "union", "enum"] {
                if let Some(rest) = line.strip_prefix(kw).and_then(|r| r.strip_prefix(' ')) {
                    if let Some(name) = rest.strip_suffix(" {").or_else(|| rest.strip_suffix(" {};")) {
                        out.insert((kw.to_string(), name.to_string()));
                    }
                }
            }
            if line.starts_with("typedef ") {
                in_typedef = true;
                stmt.clear();
            }
        }
        if in_typedef {
            stmt.push_str(line);
            stmt.push('\n');
            if !line.starts_with('\t') && line.ends_with(';') {
                in_typedef = false;
                if let Some(n) = typedef_name(&stmt) {
                    out.insert(("typedef".into(), n));
                }
            }
        }
    }
    out
}

fn typedef_name(stmt: &str) -> Option<String> {
    // Drop braces' contents and attributes.
    let mut s = String::new();
    let mut depth = 0;
    for c in stmt.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ if depth == 0 => s.push(c),
            _ => {}
        }
    }
    while let Some(i) = s.find("__attribute__((") {
        let j = s[i..].find("))").map(|j| i + j + 2)?;
        s.replace_range(i..j, "");
    }
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    if let Some(p) = s.find('(') {
        let after = s[p + 1..].trim_start_matches(['*', ' ']);
        if s[p + 1..].trim_start().starts_with('*') {
            return Some(after.chars().take_while(|&c| is_ident(c)).collect());
        }
        let before = s[..p].trim_end();
        let n: String = before.chars().rev().take_while(|&c| is_ident(c)).collect();
        return Some(n.chars().rev().collect());
    }
    let mut t = s.trim_end().trim_end_matches(';').trim_end().to_string();
    while t.ends_with(']') {
        t.truncate(t.rfind('[')?);
        t = t.trim_end().to_string();
    }
    let n: String = t.chars().rev().take_while(|&c| is_ident(c)).collect();
    Some(n.chars().rev().collect())
}

/// Sizes of each struct/union/enum in `header`, measured by clang-19 -target bpf.
fn sizes(header: &Path, defs: &BTreeSet<(String, String)>, tag: &str) -> BTreeMap<(String, String), u64> {
    let dir = header.parent().unwrap();
    let probe = dir.join(format!("probe-{tag}.c"));
    let obj = dir.join(format!("probe-{tag}.o"));
    let mut src = format!("#include \"{}\"\n", header.display());
    for (k, n) in defs {
        if k != "typedef" {
            src.push_str(&format!("char __sz_{k}__{n}[sizeof({k} {n})];\n"));
        }
    }
    std::fs::write(&probe, src).unwrap();
    let o = Command::new("clang-19").args(["-target", "bpf", "-c", "-w", "-o"]).arg(&obj).arg(&probe).output().unwrap();
    assert!(o.status.success(), "{tag}: clang failed:\n{}", String::from_utf8_lossy(&o.stderr));
    let data = std::fs::read(&obj).unwrap();
    let file = object::File::parse(&*data).unwrap();
    let mut out = BTreeMap::new();
    for sym in file.symbols() {
        if let Some(rest) = sym.name().ok().and_then(|n| n.strip_prefix("__sz_")) {
            if let Some((k, n)) = rest.split_once("__") {
                out.insert((k.to_string(), n.to_string()), sym.size());
            }
        }
    }
    out
}

#[test]
fn c_dump_of_vmlinux_matches_bpftool() {
    let Some((vmlinux, _)) = common::sysfs_btf() else { return };
    if !common::have_tool("bpftool", "version") || !common::have_tool("clang-19", "--version") {
        return;
    }
    let dir = std::env::temp_dir().join(format!("btf-cdump-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let data = std::fs::read(&vmlinux).unwrap();
    let btf = Btf::parse(&data).unwrap();
    let mut ours = Vec::new();
    let t0 = std::time::Instant::now();
    btf::dump_c::dump_c(&btf, &mut ours).unwrap();
    eprintln!("C dump of vmlinux: {:?}", t0.elapsed());
    let ours = String::from_utf8(ours).unwrap();
    let o = Command::new("bpftool").args(["btf", "dump", "file"]).arg(&vmlinux).args(["format", "c"]).output().unwrap();
    assert!(o.status.success());
    let theirs = String::from_utf8(o.stdout).unwrap();
    let oh = dir.join("ours.h");
    let th = dir.join("bpftool.h");
    std::fs::write(&oh, &ours).unwrap();
    std::fs::write(&th, &theirs).unwrap();

    let od = definitions(&ours);
    let td = definitions(&theirs);
    let only_ours: Vec<_> = od.difference(&td).collect();
    let only_theirs: Vec<_> = td.difference(&od).collect();
    assert!(
        only_ours.is_empty() && only_theirs.is_empty(),
        "named types differ: {} only ours {:?}\n{} only bpftool {:?}",
        only_ours.len(),
        &only_ours[..only_ours.len().min(20)],
        only_theirs.len(),
        &only_theirs[..only_theirs.len().min(20)]
    );
    let os = sizes(&oh, &od, "ours");
    let ts = sizes(&th, &td, "bpftool");
    assert_eq!(os.len(), ts.len());
    let diff: Vec<_> = os.iter().filter(|(k, v)| ts.get(*k) != Some(v)).map(|(k, v)| (k, v, ts.get(k))).collect();
    assert!(diff.is_empty(), "{} sizes differ: {:?}", diff.len(), &diff[..diff.len().min(20)]);
    eprintln!("{} named types ({} sized) equal to bpftool's", od.len(), os.len());
    let _ = std::fs::remove_dir_all(&dir);
}
