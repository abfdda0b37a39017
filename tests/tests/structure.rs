//! The shape of the code a newcomer relies on: no module cycles, no file too long to hold.
//!
//! No module cycles: within each crate of the workspace, the modules named by `crate::` paths
//! (and, inside a directory module, its submodules named by `super::` and `crate::dir::`
//! paths) form a graph without cycles. A cycle means two files that cannot be understood
//! (or moved) one without the other: break it by moving the shared piece down.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use toolchain_tests::tools;

/// Module graph: node -> the nodes it names. Nodes are `a` (a top-level module) and `a/b`
/// (submodule `b` of directory module `a`).
type Graph = BTreeMap<String, BTreeSet<String>>;

fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = rd.map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rs_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// Source without comments (doc links are not dependencies) and without string literals.
fn code_of(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut in_str = false;
        let mut prev = ' ';
        let mut cut = line.len();
        for (i, c) in line.char_indices() {
            if c == '"' && prev != '\\' {
                in_str = !in_str;
            } else if !in_str && c == '/' && prev == '/' {
                cut = i - 1;
                break;
            }
            prev = c;
        }
        out.push_str(&line[..cut]);
        out.push('\n');
    }
    out
}

/// The identifiers a `crate::` or `super::` path names, with `{a, b::c}` groups expanded to
/// their first segments.
fn path_heads(code: &str, prefix: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find(prefix) {
        let before = rest[..i].chars().last();
        rest = &rest[i + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for part in group[..end].split(',') {
                let segs: Vec<String> = part.trim().split("::").map(|s| s.trim().to_string()).collect();
                if !segs[0].is_empty() {
                    out.push(segs);
                }
            }
        } else {
            let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')).unwrap_or(rest.len());
            let segs: Vec<String> = rest[..end].split("::").filter(|s| !s.is_empty()).map(str::to_string).collect();
            if !segs.is_empty() {
                out.push(segs);
            }
        }
    }
    out
}

fn graph_of(src: &Path) -> Graph {
    let mut files = Vec::new();
    rs_files(src, &mut files);
    let is_dir_module = |m: &str| src.join(m).is_dir();
    let mut g = Graph::new();
    for f in &files {
        let rel = f.strip_prefix(src).unwrap();
        let parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string()).collect();
        if parts[0] == "bin" || parts.len() == 1 && (parts[0] == "main" || parts[0] == "lib") {
            continue;
        }
        let top = parts[0].clone();
        // The node of this file: `a` for a.rs and a/mod.rs; `a/b` for a/b.rs and a/b/*.
        let node = if parts.len() >= 2 && parts[1] != "mod" { format!("{top}/{}", parts[1]) } else { top.clone() };
        let code = code_of(&std::fs::read_to_string(f).unwrap());
        let mut add = |to: String| {
            if to != node && !node.starts_with(&format!("{to}/")) && !to.starts_with(&format!("{node}/")) {
                g.entry(node.clone()).or_default().insert(to);
            }
        };
        for segs in path_heads(&code, "crate::") {
            let t = &segs[0];
            if segs.len() >= 2 && is_dir_module(t) && src.join(t).join(format!("{}.rs", segs[1])).exists() {
                add(format!("{t}/{}", segs[1]));
            } else {
                add(t.clone());
            }
        }
        // `super::x` from a/b.rs names a/x (a sibling) when a/x.rs exists.
        if parts.len() == 2 && parts[1] != "mod" {
            for segs in path_heads(&code, "super::") {
                if src.join(&top).join(format!("{}.rs", segs[0])).exists() {
                    add(format!("{top}/{}", segs[0]));
                }
            }
        }
        g.entry(node).or_default();
    }
    g
}

/// Strongly connected components with more than one node (Tarjan).
fn cycles(g: &Graph) -> Vec<Vec<String>> {
    struct S<'a> {
        g: &'a Graph,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut S<'a>, v: &'a str) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        s.on.insert(v);
        for w in s.g.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.g.contains_key(w) {
                continue;
            }
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if s.on.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on.remove(w);
                comp.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                s.out.push(comp);
            }
        }
    }
    let mut s =
        S { g, index: BTreeMap::new(), low: BTreeMap::new(), stack: Vec::new(), on: BTreeSet::new(), out: Vec::new() };
    for v in g.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out
}

/// Cycles known and scheduled for removal. The test fails on any other cycle, and on a known one
/// that is gone (remove it here then). None today.
const KNOWN: &[(&str, &[&str])] = &[];

#[test]
fn no_module_cycles() {
    let root = tools::workspace_root();
    let toml = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let members: Vec<String> = toml
        .split("members = [")
        .nth(1)
        .and_then(|r| r.split(']').next())
        .unwrap()
        .split(',')
        .map(|m| m.trim().trim_matches('"').to_string())
        .filter(|m| !m.is_empty())
        .collect();
    assert!(members.len() >= 8, "{members:?}");
    let mut found = Vec::new();
    let mut modules = 0;
    for m in &members {
        let g = graph_of(&root.join(m).join("src"));
        modules += g.len();
        let found_here = cycles(&g);
        for (crate_name, known) in KNOWN.iter().filter(|(c, _)| c == m) {
            assert!(
                found_here.iter().any(|c| c.iter().map(String::as_str).eq(known.iter().copied())),
                "the known cycle {known:?} of {crate_name} is gone: remove it from KNOWN"
            );
        }
        for c in found_here {
            if KNOWN.iter().any(|(k, cyc)| k == m && c.iter().map(String::as_str).eq(cyc.iter().copied())) {
                continue;
            }
            let edges: Vec<String> = c
                .iter()
                .map(|a| {
                    let to: Vec<&str> = g[a].iter().filter(|b| c.contains(b)).map(String::as_str).collect();
                    format!("{a} -> {}", to.join(", "))
                })
                .collect();
            found.push(format!("{m}: {}", edges.join("; ")));
        }
    }
    assert!(modules > 100, "only {modules} modules found: is the walk broken?");
    assert!(found.is_empty(), "module cycles:\n{}", found.join("\n"));
}

#[test]
fn a_cycle_is_found() {
    let dir = std::env::temp_dir().join(format!("module-cycles-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("d")).unwrap();
    std::fs::write(dir.join("a.rs"), "use crate::b::X; // crate::c is a comment\n").unwrap();
    std::fs::write(dir.join("b.rs"), "pub fn f() { crate::a::g() }\n").unwrap();
    std::fs::write(dir.join("c.rs"), "use crate::{a, b};\n").unwrap();
    std::fs::write(dir.join("d/mod.rs"), "mod x; mod y;\n").unwrap();
    std::fs::write(dir.join("d/x.rs"), "use super::y::Y;\n").unwrap();
    std::fs::write(dir.join("d/y.rs"), "fn f() { crate::d::x::g() }\n").unwrap();
    let g = graph_of(&dir);
    let c = cycles(&g);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(c, vec![vec!["a".to_string(), "b".to_string()], vec!["d/x".to_string(), "d/y".to_string()]], "{g:?}");
}

/// No hand-written source file over 1,500 lines: a newcomer holds a file in their head.
/// Generated files (a first line saying "Generated by") are exempt.
#[test]
fn no_file_over_1500_lines() {
    let root = tools::workspace_root();
    let mut files = Vec::new();
    for top in [
        "isa",
        "btf",
        "bpfcli",
        "bpfobj",
        "bpfasm",
        "bpfld",
        "bpflint",
        "lsp",
        "bpfsys",
        "kernel-diff",
        "tests",
        "fuzz",
    ] {
        rs_files(&root.join(top), &mut files);
    }
    let mut long = Vec::new();
    for f in &files {
        if f.components().any(|c| c.as_os_str() == "target") {
            continue;
        }
        let text = std::fs::read_to_string(f).unwrap();
        if text.lines().next().is_some_and(|l| l.contains("Generated by")) {
            continue;
        }
        let n = text.lines().count();
        if n > 1500 {
            long.push(format!("{} ({n} lines)", f.strip_prefix(&root).unwrap().display()));
        }
    }
    assert!(files.len() > 200, "only {} files found", files.len());
    assert!(long.is_empty(), "files over 1,500 lines:\n{}", long.join("\n"));
}
