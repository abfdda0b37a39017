//! The `btf` command line: output, exit codes (1 bad input, 2 usage), JSON vs bpftool.

mod common;

use btf::{BtfBuilder, Endian, IntEncoding, Linkage};
use std::process::{Command, Output};

fn btf_cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_btf")).args(args).output().unwrap()
}

fn tmpfile(name: &str, bytes: &[u8]) -> String {
    let p = std::env::temp_dir().join(format!("btf-cli-{}-{name}", std::process::id()));
    std::fs::write(&p, bytes).unwrap();
    p.to_str().unwrap().to_string()
}

fn sample() -> BtfBuilder {
    let mut b = BtfBuilder::new();
    let int = b.add_int("int", 4, IntEncoding::SIGNED);
    let p = b.add_ptr(int);
    b.add_struct("s", 16, &[("a", int, 0), ("p", p, 64)]);
    let fp = b.add_func_proto(int, &[("x", int)]);
    b.add_func("f", fp, Linkage::GLOBAL);
    b
}

#[test]
fn exit_codes_and_messages() {
    let good = tmpfile("good.btf", &sample().to_bytes(Endian::Little));
    let o = btf_cli(&["validate", &good]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&o.stdout), "ok\n");

    let o = btf_cli(&["dump", &good]);
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("[1] INT 'int' size=4"));
    let o = btf_cli(&["dump", &good, "--format", "c"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("struct s {\n\tint a;\n\tint *p;\n};"));

    let mut bad = sample();
    bad.add_ptr(99);
    let badp = tmpfile("bad.btf", &bad.to_bytes(Endian::Little));
    let o = btf_cli(&["validate", &badp]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("[6] '': InvalidRefType"), "{o:?}");

    let junk = tmpfile("junk", b"not btf at all");
    assert_eq!(btf_cli(&["dump", &junk]).status.code(), Some(1));
    assert_eq!(btf_cli(&["dump", "/nonexistent/file"]).status.code(), Some(1));
    assert_eq!(btf_cli(&["dump"]).status.code(), Some(2));
    assert_eq!(btf_cli(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(btf_cli(&["dump", &good, "--format", "xml"]).status.code(), Some(2));

    // dedup: two copies of the sample shrink to one.
    let mut two = sample();
    let n = two.next_id() - 1;
    for t in sample().types() {
        let mut t = t.clone();
        t.data.for_each_ref_mut(|r| {
            if *r != 0 {
                *r += n
            }
        });
        two.add_type(t);
    }
    let inp = tmpfile("two.btf", &two.to_bytes(Endian::Little));
    let out = format!("{inp}.out");
    let o = btf_cli(&["dedup", &inp, "-o", &out]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(btf::Btf::parse(&bytes).unwrap().type_count(), 6);
    for p in [good, badp, junk, inp, out] {
        let _ = std::fs::remove_file(p);
    }
}

/// bpftool prints unsigned 32-bit enum values sign-extended to 64 bits and backslashes as
/// "\n"; we print the real values and valid JSON. Normalize bpftool's output for those.
fn normalize_bpftool(v: &mut serde_json::Value) {
    let types = v["types"].as_array_mut().unwrap();
    for t in types {
        if t["kind"] == "ENUM" && t["encoding"] == "UNSIGNED" {
            for val in t["values"].as_array_mut().unwrap() {
                if let Some(n) = val["val"].as_u64() {
                    val["val"] = serde_json::json!(n as u32);
                }
            }
        }
    }
}

#[test]
fn json_matches_bpftool_on_vmlinux() {
    let Some((vmlinux, _)) = common::sysfs_btf() else { return };
    if !common::have_tool("bpftool", "version") {
        return;
    }
    let v = vmlinux.to_str().unwrap();
    let ours = btf_cli(&["dump", v, "-f", "json"]);
    assert!(ours.status.success());
    let theirs = Command::new("bpftool").args(["-j", "btf", "dump", "file", v]).output().unwrap();
    let ours: serde_json::Value = serde_json::from_slice(&ours.stdout).unwrap();
    let mut theirs: serde_json::Value = serde_json::from_slice(&theirs.stdout).unwrap();
    normalize_bpftool(&mut theirs);
    let (a, b) = (ours["types"].as_array().unwrap(), theirs["types"].as_array().unwrap());
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(b) {
        assert_eq!(x, y);
    }
}

#[test]
fn machine_readable_errors() {
    let bad = tmpfile("bad-format.btf", b"garbage!");
    let out = btf_cli(&["validate", &bad, "--message-format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let line = String::from_utf8_lossy(&out.stderr);
    let v: serde_json::Value = serde_json::from_str(line.trim()).expect("one JSON object");
    assert_eq!(v["severity"], "error");
    assert!(v["message"].as_str().unwrap().contains("bad-format.btf"), "{v}");
    let out = btf_cli(&["--message-format", "short", "validate", &bad]);
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("btf: error: "));
}

#[test]
fn man_page_and_completions_are_generated() {
    let man = include_str!(concat!(env!("OUT_DIR"), "/btf.1"));
    assert!(man.contains(".TH btf 1"), "{man}");
    assert!(include_str!(concat!(env!("OUT_DIR"), "/btf.bash")).contains("from-dwarf"));
    assert!(include_str!(concat!(env!("OUT_DIR"), "/_btf")).contains("#compdef btf"));
}
