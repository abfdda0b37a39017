//! The BTF merge of inputs as they are read (`btf::merge`), against appending every input's
//! full types: on the kernel selftests corpus (clang-19 objects, in windows of 8 and of 40),
//! the deduplicated result of the merged types is the full one whenever `unambiguous` says
//! so, and the full types rebuilt by `expand` always give it; and through the CLI, the output is
//! the same with the merged types as with the full ones (`BPFLD_FULL_BTF=1`), for inputs
//! that take either way.

mod common;

use btf::merge::{unambiguous, Merger};
use btf::{Btf, Endian, Kind, RawBtf, StrMap};
use common::*;
use std::process::Command;

/// Every blob's types (DATASECs aside) appended as they are, and where each went.
fn concat(blobs: &[Btf<'_>]) -> (RawBtf, Vec<Vec<u32>>) {
    let mut r = RawBtf::new();
    let mut maps = Vec::new();
    for b in blobs {
        let mut m = vec![0u32; b.type_count() as usize];
        for (next, t) in (r.next_id()..).zip(b.types().filter(|t| t.kind() != Kind::DATASEC)) {
            m[t.id() as usize] = next;
        }
        let mut strs = StrMap::for_btf(b);
        for t in b.types().filter(|t| t.kind() != Kind::DATASEC) {
            r.push_copy(b, &mut strs, &t, |i| m.get(i as usize).copied().unwrap_or(0));
        }
        maps.push(m);
    }
    (r, maps)
}

/// Deduplicated bytes, and every blob's id -> final id.
fn dedup(mut r: RawBtf, maps: &[Vec<u32>]) -> (Vec<u8>, Vec<Vec<u32>>) {
    let (_, d) = r.dedup().expect("dedup");
    let finals = maps.iter().map(|m| m.iter().map(|&i| d[i as usize]).collect()).collect();
    (r.to_bytes(Endian::Little), finals)
}

#[test]
fn merged_types_dedup_like_full_types_on_the_corpus() {
    let Some(corpus) = toolchain_tests::corpus::get() else { return };
    let files: Vec<Vec<u8>> = corpus
        .entries
        .iter()
        .filter_map(|e| std::fs::read(corpus.out_dir.join(format!("{}.clang.o", e.name))).ok())
        .filter_map(|d| btf::elf::btf_bytes(&d).ok().map(<[u8]>::to_vec))
        .collect();
    assert!(files.len() > 100, "corpus objects with BTF: {}", files.len());
    let (mut windows, mut fast) = (0, 0);
    for chunk in files.chunks(8).chain(files.chunks(40)) {
        let blobs: Vec<Btf<'_>> = chunk.iter().filter_map(|d| Btf::parse(d).ok()).collect();
        let mut m = Merger::new();
        for b in &blobs {
            m.add(b);
        }
        let (full, full_maps) = concat(&blobs);
        let want = dedup(full, &full_maps);
        let (ex, ex_maps) = m.expand();
        assert_eq!(ex_maps, full_maps, "window {windows}: expanded ids");
        assert!(dedup(ex, &ex_maps) == want, "window {windows}: expanded types deduplicate differently");
        let ids: Vec<Vec<u32>> = (0..blobs.len()).map(|i| m.ids(i).to_vec()).collect();
        let got = dedup(m.raw().clone(), &ids);
        let mut deduped = m.raw().clone();
        deduped.dedup().unwrap();
        if unambiguous(&deduped) {
            fast += 1;
            assert!(got.0 == want.0, "window {windows}: merged types deduplicate to other bytes");
            assert!(got.1 == want.1, "window {windows}: merged types deduplicate to other ids");
        }
        assert!(m.stats().types_kept < m.stats().types_in, "window {windows}: no copy left out");
        windows += 1;
    }
    eprintln!("{windows} windows, {fast} with the merged types unambiguous");
    assert!(fast > 0, "no window took the merged types");
}

const SRC: &str = r#"
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
X_DECL
struct S { struct X *p; int v; };
struct S s_ID;
SEC("xdp") int prog_ID(struct xdp_md *ctx) { return s_ID.v + (s_ID.p != 0); }
char LICENSE[] SEC("license") = "GPL";
"#;

#[test]
fn cli_output_is_the_same_with_merged_and_full_types() {
    if !installed("clang-19") {
        return skip("clang-19 not installed");
    }
    let dir = scratch("btf-merge");
    // `struct X` declared only, defined one way, or another way
    let decls = ["struct X;", "struct X { int a; };", "struct X { long b; };"];
    let objs: Vec<_> = (0..5)
        .map(|i| {
            let x = [0, 1, 2, 0, 1][i];
            let src = SRC.replace("X_DECL", decls[x]).replace("ID", &i.to_string());
            clang(&dir, &format!("o{i}"), &src)
        })
        .collect();
    // without the second definition the merged types are used, with it the full ones
    for (tag, set) in [("one definition", vec![0, 1, 3, 4]), ("two definitions", vec![0, 1, 2, 3, 4])] {
        let mut outs = Vec::new();
        for full in [false, true] {
            let out = dir.join(format!("out-{}-{full}.o", set.len()));
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_bpfld"));
            cmd.args(set.iter().map(|&i| &objs[i])).arg("-o").arg(&out);
            if full {
                cmd.env("BPFLD_FULL_BTF", "1");
            } else {
                cmd.env_remove("BPFLD_FULL_BTF");
            }
            let r = cmd.output().unwrap();
            assert!(r.status.success(), "{tag}: {}", String::from_utf8_lossy(&r.stderr));
            outs.push(std::fs::read(&out).unwrap());
        }
        assert!(outs[0] == outs[1], "{tag}: output differs with the full types");
        bpfld::input::parse("out.o", &outs[0]).expect("output parses");
    }
}
