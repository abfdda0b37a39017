//! Static libraries: a library of 20 objects from which only the members a program needs are
//! linked (the output's functions, maps and BTF show which), the fixpoint (a member needing
//! an earlier member), `--whole-archive`, the same output from GNU and BSD archives with and
//! without a symbol index, and the outputs loading in the running kernel.

mod common;

use common::{clang, installed, is_root, kernel_load_all, scratch, skip};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

const MEMBERS: usize = 20;

/// Member `k`: a map `map_k` with value `struct val_k`, a global function `helper_k`; member 7
/// calls helper_3 (earlier in the archive: only a second pass finds it); members 15.. also
/// hold a program each (a library of programs, for --whole-archive).
fn member_src(k: usize) -> String {
    let call = if k == 7 { "helper_3(x) + " } else { "" };
    let decl = if k == 7 { "extern int helper_3(int x);\n" } else { "" };
    let prog = if k >= 15 {
        format!("SEC(\"xdp\") int lib_prog_{k}(struct xdp_md *ctx) {{ return helper_{k}(ctx->rx_queue_index) & 2; }}\n")
    } else {
        String::new()
    };
    format!(
        r#"#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
{decl}struct val_{k} {{ __u64 count_{k}; }};
struct {{
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct val_{k});
}} map_{k} SEC(".maps");
__noinline int helper_{k}(int x)
{{
    __u32 key = 0;
    struct val_{k} *v = bpf_map_lookup_elem(&map_{k}, &key);
    if (v)
        v->count_{k} += x;
    return {call}x + {k};
}}
{prog}char LICENSE[] SEC("license") = "GPL";
"#
    )
}

const MAIN: &str = r#"#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
extern int helper_7(int x);
extern int helper_12(int x);
SEC("xdp") int main_prog(struct xdp_md *ctx)
{
    return (helper_7(ctx->ingress_ifindex) + helper_12(1)) & 2;
}
char LICENSE[] SEC("license") = "GPL";
"#;

struct Setup {
    dir: PathBuf,
    main: PathBuf,
    members: Vec<PathBuf>,
}

fn setup(name: &str) -> Option<Setup> {
    if !installed("clang-19") || !Command::new("ar").arg("--version").output().is_ok_and(|o| o.status.success()) {
        skip("clang-19 or binutils ar not installed");
        return None;
    }
    let dir = scratch(name);
    let main = clang(&dir, "main", MAIN);
    let members = (0..MEMBERS).map(|k| clang(&dir, &format!("m{k:02}"), &member_src(k))).collect();
    Some(Setup { dir, main, members })
}

fn run(tool: &str, args: &[&str], dir: &Path) {
    let out = Command::new(tool).args(args).current_dir(dir).output().unwrap();
    assert!(out.status.success(), "{tool} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// `ar`-like tool, flags, archive name: the archive of all members, in member order.
fn archive(s: &Setup, tool: &str, flags: &[&str], name: &str) -> PathBuf {
    let mut args: Vec<&str> = flags.to_vec();
    args.push(name);
    let names: Vec<String> = s.members.iter().map(|m| m.file_name().unwrap().to_string_lossy().into()).collect();
    args.extend(names.iter().map(String::as_str));
    let _ = std::fs::remove_file(s.dir.join(name));
    run(tool, &args, &s.dir);
    s.dir.join(name)
}

fn bpfld(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out_path = dir.join("out.o");
    let _ = std::fs::remove_file(&out_path);
    let out = Command::new(env!("CARGO_BIN_EXE_bpfld")).args(args).arg("-o").arg(&out_path).output().unwrap();
    if out.status.success() {
        Ok(std::fs::read(&out_path).unwrap())
    } else {
        assert!(!out_path.exists(), "a failed link left its output behind");
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// Function symbols, map names and struct names of an object.
fn contents(data: &[u8]) -> (BTreeSet<String>, BTreeSet<String>, BTreeSet<String>) {
    let o = bpfld::input::parse("out.o", data).unwrap();
    let maps_sec = o.section_by_name(".maps");
    let mut funcs = BTreeSet::new();
    let mut maps = BTreeSet::new();
    for s in &o.symbols {
        if s.typ == bpfobj::elf::STT_FUNC {
            funcs.insert(o.sym_name(s).to_string());
        } else if maps_sec.is_some_and(|m| s.shndx as usize == m) && !o.sym_name(s).is_empty() {
            maps.insert(o.sym_name(s).to_string());
        }
    }
    let b = btf::Btf::parse(o.btf.as_deref().unwrap()).unwrap();
    let structs = b
        .types()
        .filter(|t| t.kind() == btf::Kind::STRUCT)
        .map(|t| b.name_of(&t).to_string())
        .filter(|n| n.starts_with("val_"))
        .collect();
    (funcs, maps, structs)
}

fn set(items: impl IntoIterator<Item = String>) -> BTreeSet<String> {
    items.into_iter().collect()
}

fn load(out: &[u8], dir: &Path, name: &str) {
    if !is_root() {
        skip("not root: cannot load BPF programs");
        return;
    }
    let p = dir.join(format!("{name}.o"));
    std::fs::write(&p, out).unwrap();
    kernel_load_all(&p).unwrap_or_else(|e| panic!("{name} does not load: {e}"));
}

#[test]
fn only_needed_members_are_linked() {
    let Some(s) = setup("needed") else { return };
    let lib = archive(&s, "ar", &["rcs"], "libhelpers.a");
    let main = s.main.to_str().unwrap();
    let out = bpfld(&s.dir, &[main, lib.to_str().unwrap()]).unwrap();
    let (funcs, maps, structs) = contents(&out);
    // helper_7 and helper_12 for main_prog; helper_3 for helper_7 (found on the second pass).
    let want = |pre: &str| set([3, 7, 12].iter().map(|k| format!("{pre}{k}")));
    let mut want_funcs = want("helper_");
    want_funcs.insert("main_prog".into());
    assert_eq!(funcs, want_funcs);
    assert_eq!(maps, want("map_"));
    assert_eq!(structs, want("val_"));
    // The same bytes as naming the three members by hand, in archive order.
    let m = |k: usize| s.members[k].to_str().unwrap();
    let by_hand = bpfld(&s.dir, &[main, m(3), m(7), m(12)]).unwrap();
    assert!(out == by_hand, "archive link differs from the link of the same members");
    load(&out, &s.dir, "needed");
}

#[test]
fn whole_archive_links_every_member() {
    let Some(s) = setup("whole") else { return };
    let lib = archive(&s, "ar", &["rcs"], "libprogs.a");
    let lib = lib.to_str().unwrap();
    let main = s.main.to_str().unwrap();
    let out = bpfld(&s.dir, &[main, "--whole-archive", lib, "--no-whole-archive"]).unwrap();
    let (funcs, maps, structs) = contents(&out);
    let all = |pre: &str| set((0..MEMBERS).map(|k| format!("{pre}{k}")));
    let mut want_funcs = all("helper_");
    want_funcs.extend((15..MEMBERS).map(|k| format!("lib_prog_{k}")));
    want_funcs.insert("main_prog".into());
    assert_eq!(funcs, want_funcs);
    assert_eq!(maps, all("map_"));
    assert_eq!(structs, all("val_"));
    // Only the library: every member, no main; --no-whole-archive before it turns it off.
    let alone = bpfld(&s.dir, &["--whole-archive", lib]).unwrap();
    assert!(!contents(&alone).0.contains("main_prog"));
    assert_eq!(contents(&alone).1, all("map_"));
    let off = bpfld(&s.dir, &["--whole-archive", "--no-whole-archive", main, lib]).unwrap();
    assert_eq!(contents(&off).1, set([3, 7, 12].iter().map(|k| format!("map_{k}"))));
    load(&out, &s.dir, "whole");
}

#[test]
fn gnu_and_bsd_archives_with_and_without_index_link_alike() {
    let Some(s) = setup("formats") else { return };
    let main = s.main.to_str().unwrap();
    let gnu = archive(&s, "ar", &["rcs"], "gnu.a");
    let reference = bpfld(&s.dir, &[main, gnu.to_str().unwrap()]).unwrap();
    let mut kinds = vec![("gnu-noindex.a", "ar", vec!["rcS"])];
    if installed("llvm-ar-19") {
        kinds.push(("bsd.a", "llvm-ar-19", vec!["--format=bsd", "rcs"]));
        kinds.push(("bsd-noindex.a", "llvm-ar-19", vec!["--format=bsd", "rcS"]));
        kinds.push(("llvm-gnu.a", "llvm-ar-19", vec!["--format=gnu", "rcs"]));
    } else {
        skip("llvm-ar-19 not installed: BSD archives not tested");
    }
    for (name, tool, flags) in kinds {
        let a = archive(&s, tool, &flags, name);
        let head = std::fs::read(&a).unwrap();
        if name.starts_with("bsd") {
            // BSD member names are `#1/N` extended names.
            assert!(head.windows(3).any(|w| w == b"#1/"), "{name} is not in BSD format");
        }
        let out = bpfld(&s.dir, &[main, a.to_str().unwrap()]).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(out == reference, "{name}: output differs from the GNU archive's");
    }
}

#[test]
fn weak_extern_pulls_nothing_and_archive_order_matters() {
    let Some(s) = setup("weak") else { return };
    let lib = archive(&s, "ar", &["rcs"], "lib.a");
    let lib = lib.to_str().unwrap();
    let weak = clang(
        &s.dir,
        "weak",
        r#"#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
extern int helper_5(int x) __weak;
SEC("xdp") int weak_prog(struct xdp_md *ctx) { return helper_5 ? 1 : 2; }
char LICENSE[] SEC("license") = "GPL";
"#,
    );
    let out = bpfld(&s.dir, &["--allow-undefined", weak.to_str().unwrap(), lib]).unwrap();
    assert!(contents(&out).1.is_empty(), "a weak extern pulled a member in");
    // The library before the object that needs it: nothing is pulled, and the error says why.
    let e = bpfld(&s.dir, &[lib, s.main.to_str().unwrap()]).unwrap_err();
    assert!(e.contains("undefined symbol `helper_7`"), "{e}");
    assert!(e.contains("lib.a(m07.o)` defines it, but its library comes before"), "{e}");
}

#[test]
fn libbpf_links_the_selected_members_alike() {
    let Some(s) = setup("libbpf") else { return };
    if !installed("bpftool") && Command::new("bpftool").arg("version").output().is_err() {
        skip("bpftool not installed");
        return;
    }
    let lib = archive(&s, "ar", &["rcs"], "lib.a");
    let main = s.main.to_str().unwrap();
    let ours = bpfld(&s.dir, &[main, lib.to_str().unwrap()]).unwrap();
    let theirs = s.dir.join("bpftool.o");
    let m = |k: usize| s.members[k].to_str().unwrap().to_string();
    let mut args = vec!["gen".to_string(), "object".into(), theirs.to_str().unwrap().into(), main.into()];
    args.extend([m(3), m(7), m(12)]);
    run("bpftool", &args.iter().map(String::as_str).collect::<Vec<_>>(), &s.dir);
    let d = common::diff(&common::summarize(&ours), &common::summarize(&std::fs::read(&theirs).unwrap()));
    assert!(d.is_empty(), "bpfld (archive) and bpftool (members) differ:\n{}", d.join("\n"));
}
