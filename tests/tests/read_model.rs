//! `bpfobj::read`, the one reader of BPF objects, against llvm-readobj-19: every clang-19
//! object of the selftests corpus and every example, section by section, symbol by symbol and
//! relocation by relocation; and a generated object with a legacy `maps` section
//! (`struct bpf_map_def` entries) read as maps and judged by bpflint.

use std::path::{Path, PathBuf};
use std::process::Command;

use bpfobj::read::Object;
use serde_json::Value;
use toolchain_tests::{corpus, tools};

const READOBJ: &str = "llvm-readobj-19";

/// (index, name, type, size) of every section; (name, value, size, section) of every symbol;
/// (rel section, offset, type, symbol name) of every relocation: from llvm-readobj's JSON.
type Facts = (Vec<(u64, String, u64, u64)>, Vec<(String, u64, u64, u64)>, Vec<(u64, u64, u64, String)>);

fn readobj(path: &Path) -> Facts {
    let out = Command::new(READOBJ)
        .args(["--elf-output-style=JSON", "--sections", "--symbols", "--relocations"])
        .arg(path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{READOBJ} {}: {}", path.display(), String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &v[0];
    let secs = d["Sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let s = &s["Section"];
            (
                s["Index"].as_u64().unwrap(),
                s["Name"]["Name"].as_str().unwrap().to_string(),
                s["Type"]["Value"].as_u64().unwrap(),
                s["Size"].as_u64().unwrap(),
            )
        })
        .collect();
    let syms = d["Symbols"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let s = &s["Symbol"];
            (
                s["Name"]["Name"].as_str().unwrap().to_string(),
                s["Value"].as_u64().unwrap(),
                s["Size"].as_u64().unwrap(),
                s["Section"]["Value"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut rels = Vec::new();
    for r in d["Relocations"].as_array().unwrap() {
        let sec = r["SectionIndex"].as_u64().unwrap();
        for x in r["Relocs"].as_array().unwrap() {
            let x = &x["Relocation"];
            rels.push((
                sec,
                x["Offset"].as_u64().unwrap(),
                x["Type"]["Value"].as_u64().unwrap(),
                x["Symbol"]["Name"].as_str().unwrap().to_string(),
            ));
        }
    }
    (secs, syms, rels)
}

fn ours(path: &Path) -> Facts {
    let data = std::fs::read(path).unwrap();
    let o = Object::parse(&data).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let secs = o.sections().iter().map(|s| (s.index as u64, s.name().to_string(), s.sh_type as u64, s.size)).collect();
    // (llvm-readobj names a section symbol by its section.)
    let name_of = |s: &bpfobj::read::Symbol| match s.section() {
        Some(i) if s.typ == bpfobj::elf::STT_SECTION => o.section(i).unwrap().name().to_string(),
        _ => s.name().to_string(),
    };
    let syms = o.symbols().map(|s| (name_of(&s), s.value, s.size, u64::from(s.shndx.min(0xffff)))).collect();
    let mut rels = Vec::new();
    for &(ri, target) in o.rel_sections() {
        for r in o.relocations(target).unwrap() {
            rels.push((ri as u64, r.offset, u64::from(r.r_type), name_of(&o.symbol(r.sym as usize).unwrap())));
        }
    }
    // (Every program section's functions and the maps are read without error.)
    let _ = (o.programs(), o.btf_maps(), o.legacy_maps().unwrap(), o.externs(), o.license());
    (secs, syms, rels)
}

fn compare(path: &Path) -> Result<(), String> {
    let (a, b) = (readobj(path), ours(path));
    for (what, x, y) in [
        ("sections", format!("{:?}", a.0), format!("{:?}", b.0)),
        ("symbols", format!("{:?}", a.1), format!("{:?}", b.1)),
        ("relocations", format!("{:?}", a.2), format!("{:?}", b.2)),
    ] {
        if x != y {
            return Err(format!("{}: {what} differ\n{READOBJ}: {}\nbpfobj:  {}", path.display(), &x, &y));
        }
    }
    Ok(())
}

fn have_readobj() -> bool {
    if tools::installed(READOBJ) {
        return true;
    }
    assert!(!tools::in_ci(), "{READOBJ} is missing (CI=true)");
    tools::skip(&format!("{READOBJ} not installed"));
    false
}

#[test]
fn corpus_objects_read_as_llvm_readobj_reads_them() {
    if !have_readobj() {
        return;
    }
    let Some(c) = corpus::get() else { return };
    let objs = c.clang_objects();
    assert!(objs.len() > 400, "only {} corpus objects", objs.len());
    let failures: Vec<String> = objs.iter().filter_map(|p| compare(p).err()).collect();
    println!("bpfobj::read: {} corpus objects compared with {READOBJ}, {} differ", objs.len(), failures.len());
    assert!(failures.is_empty(), "{}", failures[..failures.len().min(3)].join("\n\n"));
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("read-model-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn examples_read_as_llvm_readobj_reads_them() {
    if !have_readobj() {
        return;
    }
    let dir = scratch("examples");
    let mut n = 0;
    let mut paths: Vec<PathBuf> = std::fs::read_dir(tools::workspace_root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "s"))
        .collect();
    paths.sort();
    // The examples that name kernel types get the kernel's BTF (the Makefile's list).
    let makefile = std::fs::read_to_string(tools::workspace_root().join("examples/Makefile")).unwrap();
    let vmlinux: Vec<&str> = makefile
        .lines()
        .find_map(|l| l.strip_prefix("VMLINUX_EXAMPLES :="))
        .map(|l| l.split_whitespace().collect())
        .unwrap_or_default();
    for s in paths {
        let o = dir.join(s.file_name().unwrap()).with_extension("o");
        let mut cmd = Command::new(tools::bpfasm());
        cmd.current_dir(tools::workspace_root().join("examples")).arg("-g").arg(&s).arg("-o").arg(&o);
        if vmlinux.iter().any(|v| s.file_stem().is_some_and(|x| x == *v)) {
            cmd.args(["--btf", "/sys/kernel/btf/vmlinux"]);
        }
        let st = cmd.status().unwrap();
        assert!(st.success(), "{}", s.display());
        compare(&o).unwrap_or_else(|e| panic!("{e}"));
        n += 1;
    }
    assert!(n >= 5, "only {n} examples");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Two programs (in section `section`) after the map definitions `maps`: `good` looks up `arr`
/// with a constant key in range (not NULL for an array map on 6.18), `bad` looks up `hash`
/// and dereferences the result unchecked (rejected).
fn source(maps: &str, section: &str) -> String {
    let mut s = maps.to_string();
    for (name, map, deref) in [("good", "arr", "r0 = 0"), ("bad", "hash", "r0 = *(u64 *)(r0 + 0)")] {
        s += &format!(
            "\t.section\t{section},\"ax\",@progbits\n\t.globl\t{name}\n\t.type\t{name},@function\n{name}:\n\
             \tr1 = 0\n\t*(u32 *)(r10 - 4) = r1\n\tr2 = r10\n\tr2 += -4\n\tr1 = {map} ll\n\tcall 1\n\t{deref}\n\texit\n"
        );
    }
    s + "\t.section\tlicense,\"aw\",@progbits\n\t.asciz\t\"GPL\"\n"
}

/// A map definition in `section` as `.long` words.
fn map_def(section: &str, name: &str, words: &[u32]) -> String {
    let mut s = format!("\t.section\t{section},\"aw\",@progbits\n\t.globl\t{name}\n\t.p2align\t2\n{name}:\n");
    for w in words {
        s += &format!("\t.long\t{w}\n");
    }
    s
}

/// Assembles `src` as `name.s` in a scratch directory: the object's bytes and bpflint's
/// short report, after checking that bpflint rejects `bad` and only it.
fn assemble_and_judge(name: &str, src: &str) -> Vec<u8> {
    let dir = scratch(name);
    std::fs::write(dir.join(format!("{name}.s")), src).unwrap();
    let obj = format!("{name}.o");
    let st = Command::new(tools::bpfasm()).current_dir(&dir).args([&format!("{name}.s"), "-o", &obj]).status().unwrap();
    assert!(st.success());
    let data = std::fs::read(dir.join(&obj)).unwrap();
    let out = Command::new(tools::bpflint())
        .current_dir(&dir)
        .args(["--kernel", "6.18", "--message-format=short", &obj])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    // The map is known (its lookup may return NULL): the unchecked dereference is reported,
    // not an unknown relocation or a bad helper argument.
    assert!(text.contains("BL020-invalid-deref") && text.contains("program bad"), "{text}");
    assert!(!text.contains("program good"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
    data
}

/// A legacy `maps` section of `struct bpf_map_def` entries.
#[test]
fn legacy_maps_are_read_and_judged() {
    let maps = map_def("maps", "arr", &[2, 4, 8, 4, 0]) + &map_def("maps", "hash", &[1, 4, 8, 16, 0]);
    let data = assemble_and_judge("legacy", &source(&maps, "socket"));
    let o = Object::parse(&data).unwrap();
    let maps: Vec<(String, u32, u32)> =
        o.legacy_maps().unwrap().into_iter().map(|m| (m.name, m.map_type, m.max_entries)).collect();
    assert_eq!(maps, [("arr".to_string(), 2, 4), ("hash".to_string(), 1, 16)]);
    let progs: Vec<String> = o
        .programs()
        .iter()
        .flat_map(|p| p.functions.iter().map(|&f| o.symbol(f).unwrap().name().to_string()))
        .collect();
    assert_eq!(progs, ["good", "bad"]);
}

/// iproute2's `struct bpf_elf_map` (36 bytes) in a `maps/NAME` section next to a `maps`
/// section of `struct bpf_map_def`: both are maps to bpflint, each keyed by its own section.
#[test]
fn iproute2_map_sections_are_read_and_judged() {
    let maps = map_def("maps", "arr", &[2, 4, 8, 4, 0]) + &map_def("maps/hash", "hash", &[1, 4, 8, 16, 0, 7, 2, 0, 0]);
    let data = assemble_and_judge("mixed", &source(&maps, "classifier"));
    let o = Object::parse(&data).unwrap();
    let maps: Vec<(String, String, u32, Option<[u32; 4]>)> = o
        .legacy_maps()
        .unwrap()
        .into_iter()
        .map(|m| (m.name, o.section(m.section).unwrap().name().to_string(), m.max_entries, m.elf_map))
        .collect();
    assert_eq!(
        maps,
        [
            ("arr".to_string(), "maps".to_string(), 4, None),
            ("hash".to_string(), "maps/hash".to_string(), 16, Some([7, 2, 0, 0])),
        ]
    );
}
