//! ELF objects from clang-19: .BTF parses, validates and dumps like bpftool; .BTF.ext
//! (func_info, line_info, CO-RE relocations) parses and writes back byte-identically.

mod common;

use btf::ext::BtfExt;
use btf::{Btf, BtfBuilder};
use std::process::Command;

#[test]
fn clang_object_btf_and_ext() {
    if !common::have_tool("clang-19", "--version") {
        return;
    }
    let dir = std::env::temp_dir().join(format!("btf-elf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let obj = dir.join("prog.o");
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/prog.bpf.c");
    let o = Command::new("clang-19").args(["-g", "-O2", "-target", "bpf", "-c", src, "-o"]).arg(&obj).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let data = std::fs::read(&obj).unwrap();
    assert!(btf::elf::is_elf(&data));
    let raw = btf::elf::btf_bytes(&data).unwrap();
    let btf = Btf::parse(raw).unwrap();
    // Object files carry DATASEC sizes of 0 (the loader fills them in): the kernel would
    // reject this BTF as is.
    let e = btf::validate::validate(&btf).unwrap_err();
    assert_eq!(e.kind, btf::validate::Invalid::DatasecSizeZero);
    assert_eq!(BtfBuilder::from_btf(&btf).to_bytes(btf.endian()), raw);
    assert!(btf.find_by_name_kind("task_struct", btf::Kind::STRUCT).is_some());

    let ext_raw = btf::elf::section(&data, ".BTF.ext").unwrap().expect(".BTF.ext");
    let ext = BtfExt::parse(ext_raw).unwrap();
    assert_eq!(ext.to_bytes(btf.endian()), ext_raw, ".BTF.ext round trip");
    let sec = |off| btf.str_at(off).unwrap_or("?");
    let fi: Vec<_> = ext.func_info.iter().map(|s| (sec(s.sec_name_off), s.records.len())).collect();
    assert!(fi.contains(&("tp/sched/sched_switch", 1)), "{fi:?}");
    assert!(fi.contains(&(".text", 1)), "{fi:?}");
    for s in &ext.func_info {
        for r in &s.records {
            assert_eq!(btf.type_by_id(r.type_id).unwrap().kind(), btf::Kind::FUNC);
        }
    }
    assert!(ext.line_info.iter().map(|s| s.records.len()).sum::<usize>() > 3);
    for s in &ext.line_info {
        for r in &s.records {
            assert!(sec(r.file_name_off).ends_with("prog.bpf.c"));
            assert!(r.line() > 0);
        }
    }
    let relos: Vec<_> = ext.core_relos.iter().flat_map(|s| s.records.iter()).collect();
    assert!(!relos.is_empty());
    for r in &relos {
        assert_eq!(btf.name_of(&btf.type_by_id(r.type_id).unwrap()), "task_struct");
        assert!(sec(r.access_str_off).starts_with("0:"));
    }

    if common::have_tool("bpftool", "version") {
        let o = Command::new("bpftool").args(["btf", "dump", "file"]).arg(&obj).output().unwrap();
        assert!(o.status.success());
        let mut ours = Vec::new();
        btf::dump_raw::dump_raw(&btf, &mut ours).unwrap();
        assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(&o.stdout));
    }
    let _ = std::fs::remove_dir_all(&dir);
}
