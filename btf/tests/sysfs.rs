//! Round trip and raw dump of the running kernel's BTF (vmlinux and every module).

mod common;

use btf::{Btf, BtfBuilder, Endian};
use std::process::Command;

#[test]
fn roundtrip_sysfs_byte_identical() {
    let Some((vmlinux, mods)) = common::sysfs_btf() else { return };
    let base_bytes = std::fs::read(&vmlinux).unwrap();
    let base = Btf::parse(&base_bytes).unwrap();
    let out = BtfBuilder::from_btf(&base).to_bytes(base.endian());
    assert!(out == base_bytes, "vmlinux round trip differs");
    btf::validate::validate(&base).unwrap();
    // Through big endian and back.
    let other = match base.endian() {
        Endian::Little => Endian::Big,
        Endian::Big => Endian::Little,
    };
    let swapped = BtfBuilder::from_btf(&base).to_bytes(other);
    let sw = Btf::parse(&swapped).unwrap();
    assert_eq!(sw.endian(), other);
    assert!(BtfBuilder::from_btf(&sw).to_bytes(base.endian()) == base_bytes);
    for m in &mods {
        let bytes = std::fs::read(m).unwrap();
        let btf = Btf::parse_split(&bytes, &base).unwrap_or_else(|e| panic!("{}: {e}", m.display()));
        assert!(BtfBuilder::from_btf(&btf).to_bytes(btf.endian()) == bytes, "{} differs", m.display());
        btf::validate::validate(&btf).unwrap_or_else(|e| panic!("{}: {e}", m.display()));
    }
    eprintln!("round-tripped vmlinux and {} modules", mods.len());
}

fn bpftool_dump(file: &str, base: Option<&str>) -> Vec<u8> {
    let mut cmd = Command::new("bpftool");
    if let Some(b) = base {
        cmd.args(["-B", b]);
    }
    let o = cmd.args(["btf", "dump", "file", file]).output().unwrap();
    assert!(o.status.success(), "bpftool failed: {}", String::from_utf8_lossy(&o.stderr));
    o.stdout
}

fn first_diff(a: &[u8], b: &[u8]) -> String {
    let la: Vec<&[u8]> = a.split(|&c| c == b'\n').collect();
    let lb: Vec<&[u8]> = b.split(|&c| c == b'\n').collect();
    for (i, (x, y)) in la.iter().zip(lb.iter()).enumerate() {
        if x != y {
            return format!(
                "line {}:\n ours:    {}\n bpftool: {}",
                i + 1,
                String::from_utf8_lossy(x),
                String::from_utf8_lossy(y)
            );
        }
    }
    format!("line counts differ: {} vs {}", la.len(), lb.len())
}

#[test]
fn raw_dump_matches_bpftool_sysfs() {
    let Some((vmlinux, mods)) = common::sysfs_btf() else { return };
    if !common::have_tool("bpftool", "version") {
        return;
    }
    let base_bytes = std::fs::read(&vmlinux).unwrap();
    let base = Btf::parse(&base_bytes).unwrap();
    let mut ours = Vec::new();
    btf::dump_raw::dump_raw(&base, &mut ours).unwrap();
    let theirs = bpftool_dump(vmlinux.to_str().unwrap(), None);
    assert!(ours == theirs, "vmlinux: {}", first_diff(&ours, &theirs));
    for m in &mods {
        let bytes = std::fs::read(m).unwrap();
        let btf = Btf::parse_split(&bytes, &base).unwrap();
        let mut ours = Vec::new();
        btf::dump_raw::dump_raw(&btf, &mut ours).unwrap();
        let theirs = bpftool_dump(m.to_str().unwrap(), vmlinux.to_str());
        assert!(ours == theirs, "{}: {}", m.display(), first_diff(&ours, &theirs));
    }
    eprintln!("raw dump equal to bpftool for vmlinux and {} modules", mods.len());
}
