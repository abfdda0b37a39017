//! `--gc-sections`: the collected output loads into the running kernel, is smaller, lost
//! exactly the unreachable static functions (symbols, .text bytes, func_info/line_info), links
//! again unchanged, and leaves objects with nothing to collect byte-identical.

mod common;

use bpfld::input;
use common::*;
use std::path::PathBuf;

const A: &str = r#"
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
static __noinline int unused_a(int x) { return x * 3 + 1; }
static __attribute__((used)) __noinline int unused_b(int x) { return unused_a(x) + 7; }
static __noinline int helper(int x) { return x * 5 + 2; }
static __noinline int deep(int x) { return helper(x) ^ 3; }
static int loop_cb(__u32 i, void *ctx) { long *v = ctx; *v += deep(i); return 0; }
static __attribute__((used)) int unused_cb2(__u32 i, void *ctx) { return bpf_loop(1, unused_cb2, ctx, 0) + unused_b(i); }
static int unused_cb(__u32 i, void *ctx) { long *v = ctx; *v += unused_b(i); return 0; }
__noinline int global_fn(int x) { return helper(x) + 1; }
SEC("xdp") int prog(struct xdp_md *ctx)
{
	long v = 0;
	bpf_loop(4, loop_cb, &v, 0);
	return v + deep(ctx->ingress_ifindex) > 10 ? XDP_PASS : XDP_DROP;
}
SEC("xdp") int prog2(struct xdp_md *ctx) { long v = 0; if (ctx->rx_queue_index == 77) bpf_loop(1, unused_cb, &v, 0); return v ? XDP_DROP : XDP_PASS; }
char LICENSE[] SEC("license") = "GPL";"#;

const B: &str = r#"
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
static __attribute__((used)) __noinline int dead1(int x) { return x * 11; }
static __attribute__((used)) __noinline int dead2(int x) { return dead1(x) - 4; }
static __noinline int live(int x) { return x + 9; }
static int cb(__u32 i, void *ctx) { *(long *)ctx += live(i); return 0; }
SEC("tc") int cls(struct __sk_buff *skb) { long v = 0; bpf_loop(2, cb, &v, 0); return v > 100; }
char LICENSE[] SEC("license") = "GPL";"#;

fn link(paths: &[PathBuf], gc: bool) -> bpfld::Linked {
    let inputs: Vec<(String, Vec<u8>)> = paths
        .iter()
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(p).unwrap()))
        .collect();
    let opts = bpfld::Options { gc_sections: gc, allow_undefined: true };
    bpfld::link(&inputs, &opts).unwrap_or_else(|ds| {
        panic!("{}", ds.iter().map(|d| bpfld::diag::render(d, bpfld::Format::Human)).collect::<String>())
    })
}

fn funcs(o: &input::Object) -> Vec<String> {
    let mut v: Vec<String> = o.symbols.iter().filter(|s| s.typ == 2).map(|s| o.sym_name(s).to_string()).collect();
    v.sort();
    v
}

fn ext_counts(o: &input::Object) -> (usize, usize) {
    let e = o.btf_ext.as_ref().unwrap();
    (e.func_info.iter().map(|s| s.records.len()).sum(), e.line_info.iter().map(|s| s.records.len()).sum())
}

#[test]
fn gc_sections_loads_and_shrinks() {
    if !installed("clang-19") {
        return skip("clang-19 not installed");
    }
    let dir = scratch("gc");
    let a = clang(&dir, "a", A);
    let b = clang(&dir, "b", B);
    let inputs = [a, b];
    let full = link(&inputs, false);
    let gc = link(&inputs, true);
    assert!(full.gc_removed.is_empty());
    let mut removed: Vec<&str> = gc.gc_removed.iter().map(|(_, r)| r.name.as_str()).collect();
    removed.sort();
    assert_eq!(removed, ["dead1", "dead2", "unused_cb2"]);
    let (fo, go) = (input::parse("full", &full.bytes).unwrap(), input::parse("gc", &gc.bytes).unwrap());
    let text = |o: &input::Object| o.sections[o.section_by_name(".text").unwrap()].size;
    let cut: u64 = gc.gc_removed.iter().map(|(_, r)| r.size).sum();
    assert_eq!(text(&go) + cut, text(&fo), ".text shrinks by the removed functions");
    assert!(gc.bytes.len() < full.bytes.len(), "output is smaller");
    let mut want = funcs(&fo);
    want.retain(|f| !removed.contains(&f.as_str()));
    assert_eq!(funcs(&go), want, "exactly the removed function symbols are gone");
    let ((ff, fl), (gf, gl)) = (ext_counts(&fo), ext_counts(&go));
    assert_eq!(gf + 3, ff, "one func_info per removed function");
    assert!(gl < fl, "line_info of removed functions dropped ({gl} vs {fl})");
    // Linking the collected output again (with or without gc) changes nothing.
    let gc_path = dir.join("gc.o");
    std::fs::write(&gc_path, &gc.bytes).unwrap();
    let again = link(std::slice::from_ref(&gc_path), true);
    assert!(again.gc_removed.is_empty());
    assert_eq!(again.bytes, gc.bytes, "relinking the collected output changed it");
    assert_eq!(link(std::slice::from_ref(&gc_path), false).bytes, gc.bytes);
    // Nothing to collect: identical bytes.
    let full_path = dir.join("full.o");
    std::fs::write(&full_path, &full.bytes).unwrap();
    if !is_root() || !installed("bpftool") {
        return skip("not root or no bpftool: kernel loads not checked");
    }
    kernel_load_all(&full_path).unwrap_or_else(|e| panic!("uncollected output does not load:\n{e}"));
    kernel_load_all(&gc_path).unwrap_or_else(|e| panic!("collected output does not load:\n{e}"));
    println!(
        "gc: removed {removed:?}, {cut} bytes of .text; {} -> {} bytes; both load",
        full.bytes.len(),
        gc.bytes.len()
    );
}

#[test]
fn gc_sections_without_garbage_is_identity() {
    let Some(c) = toolchain_tests::corpus::get() else { return skip("selftests corpus not available") };
    let mut n = 0;
    for name in ["linked_funcs1", "linked_funcs2", "linked_vars1", "linked_maps1", "bpf_loop", "test_subprogs"] {
        let p = c.out_dir.join(format!("{name}.clang.o"));
        if !p.is_file() {
            continue;
        }
        let (full, gc) = (link(std::slice::from_ref(&p), false), link(std::slice::from_ref(&p), true));
        assert!(gc.gc_removed.is_empty(), "{name}: {:?}", gc.gc_removed);
        assert_eq!(full.bytes, gc.bytes, "{name}: --gc-sections changed an object with nothing to collect");
        n += 1;
    }
    assert!(n >= 3, "too few corpus objects found");
}
