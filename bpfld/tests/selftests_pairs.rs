//! Acceptance 1: the kernel selftests pairs linked_funcs1+2, linked_vars1+2, linked_maps1+2
//! (linux-source 6.1 compiled by clang-19, from the workspace corpus cache), in both orders:
//! link, compare with `bpftool gen object` by meaning, load into the running kernel, relink
//! (no change) and relink again (deterministic).

mod common;

use common::*;
use std::path::PathBuf;
use std::process::Command;

fn corpus_obj(name: &str) -> Option<PathBuf> {
    let c = toolchain_tests::corpus::get()?;
    let p = c.out_dir.join(format!("{name}.clang.o"));
    p.is_file().then_some(p)
}

fn link_files(paths: &[PathBuf]) -> Vec<u8> {
    let inputs: Vec<(String, Vec<u8>)> = paths
        .iter()
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(p).unwrap()))
        .collect();
    match bpfld::link(&inputs, &bpfld::Options::default()) {
        Ok(l) => l.bytes,
        Err(ds) => panic!("{}", ds.iter().map(|d| bpfld::diag::render(d, bpfld::Format::Human)).collect::<String>()),
    }
}

#[test]
fn selftests_pairs() {
    if !installed("bpftool") {
        return skip("bpftool not installed");
    }
    let dir = scratch("pairs");
    let can_load = is_root();
    if !can_load {
        skip("not root: kernel loads not checked");
    }
    let mut report = Vec::new();
    for pair in ["funcs", "vars", "maps"] {
        let (Some(a), Some(b)) = (corpus_obj(&format!("linked_{pair}1")), corpus_obj(&format!("linked_{pair}2")))
        else {
            return skip("selftests corpus not available");
        };
        for (order, inputs) in [("12", vec![a.clone(), b.clone()]), ("21", vec![b.clone(), a.clone()])] {
            let tag = format!("linked_{pair} order {order}");
            let ours = link_files(&inputs);
            let ours_path = dir.join(format!("{pair}{order}.bpfld.o"));
            std::fs::write(&ours_path, &ours).unwrap();
            // Deterministic, and linking the output again changes nothing.
            assert_eq!(ours, link_files(&inputs), "{tag}: output not deterministic");
            assert_eq!(ours, link_files(std::slice::from_ref(&ours_path)), "{tag}: relinking the output changed it");

            let lib_path = dir.join(format!("{pair}{order}.libbpf.o"));
            let st = Command::new("bpftool").args(["gen", "object"]).arg(&lib_path).args(&inputs).status().unwrap();
            assert!(st.success(), "{tag}: bpftool gen object failed");
            let lib = std::fs::read(&lib_path).unwrap();
            let (sa, sb) = (summarize(&ours), summarize(&lib));
            let d = diff(&sa, &sb);
            if pair == "maps" {
                // libbpf keeps the DATASEC offset of the first (extern) map it saw (0), not where
                // the definition that won sits. Everything else agrees.
                let all = d.join("\n");
                assert_eq!(d.len(), 2, "{tag}: expected exactly the .maps DATASEC to differ:\n{all}");
                assert!(d[0].contains("DATASEC '.maps'") && d[0].contains("only in left"), "{all}");
                assert!(d[1].contains("DATASEC '.maps'") && d[1].contains("only in right"), "{all}");
                // Ours: every map's DATASEC offset is its symbol's value.
                let ds = sa.btf.keys().find(|k| k.starts_with("DATASEC '.maps'")).unwrap();
                for v in ds.split_whitespace().filter(|w| w.contains('@')) {
                    let (name, rest) = v.split_once('@').unwrap();
                    let off: u64 = rest.split('+').next().unwrap().parse().unwrap();
                    assert_eq!(sa.globals[name].1, off, "{tag}: {name} DATASEC offset vs symbol");
                }
            } else {
                assert!(d.is_empty(), "{tag}: differs from bpftool gen object:\n{}", d.join("\n"));
            }
            let mut line = format!(
                "{tag}: {} sections, {} relocations, {} globals, {} BTF types, {} func_info, {} line_info, {} CO-RE: {} difference(s) from libbpf",
                sa.sections.len(),
                sa.relocs.values().map(Vec::len).sum::<usize>(),
                sa.globals.len(),
                sa.btf.values().sum::<usize>(),
                sa.func_info.values().map(|s| s.len()).sum::<usize>(),
                sa.line_info.values().map(|s| s.len()).sum::<usize>(),
                sa.core.values().map(|s| s.len()).sum::<usize>(),
                d.len()
            );
            if can_load && installed("bpftool") {
                kernel_load_all(&ours_path).unwrap_or_else(|e| panic!("{tag}: bpfld output does not load:\n{e}"));
                let lib_loads = kernel_load_all(&lib_path);
                if pair == "maps" {
                    let e = lib_loads.expect_err("libbpf's linked_maps output was expected not to load");
                    assert!(e.contains("failed to find map"), "{tag}: {e}");
                    line += "; loads (libbpf's output does not)";
                } else {
                    lib_loads.unwrap_or_else(|e| panic!("{tag}: libbpf output does not load:\n{e}"));
                    line += "; loads (so does libbpf's)";
                }
            }
            report.push(line);
        }
    }
    println!("{}", report.join("\n"));
}
