//! Acceptance 3: freplace/fentry programs against functions of a target object, checked offline
//! by the kernel's rules (bpf_check_attach_target + btf_check_func_type_match). Each case is
//! its own object with one program; the expected verdict is the kernel's (its log message for
//! rejections). freplace/fentry loads need privileges this machine's kernel refuses (EPERM),
//! so the kernel is not asked here.

mod common;

use common::*;

const HDR: &str = "#include <linux/bpf.h>\n#include <bpf/bpf_helpers.h>\n";

const TARGET: &str = r#"
__noinline int f_int(struct __sk_buff *skb, int x) { return skb->len + x; }
__noinline int f_two(int a, int b) { return a * b + 1; }
__noinline int f_ptr(struct __sk_buff *skb, int *p) { return p ? *p + skb->len : 0; }
static __noinline int f_static(struct __sk_buff *skb) { return skb->mark; }
__hidden __noinline int f_hidden(struct __sk_buff *skb) { return skb->priority; }
SEC("tc") int cls(struct __sk_buff *skb)
{
	int v = 3;
	return f_int(skb, 1) + f_two(skb->len, 2) + f_ptr(skb, &v) + f_static(skb) + f_hidden(skb);
}
char LICENSE[] SEC("license") = "GPL";
"#;

const TRACING_TARGET: &str = r#"
SEC("fentry/do_nanosleep") int traced(void *ctx) { return 0; }
char LICENSE[] SEC("license") = "GPL";
"#;

/// (name, target object, program source, expected: None = accepted, Some(kernel message part)).
const CASES: &[(&str, u8, &str, Option<&str>)] = &[
    ("same prototype", 0, r#"SEC("freplace/f_int") int r(struct __sk_buff *skb, int x) { return 0; }"#, None),
    ("long return for int", 0, r#"SEC("freplace/f_int") long r(struct __sk_buff *skb, int x) { return 0; }"#, None),
    ("unsigned for int", 0, r#"SEC("freplace/f_two") int r(unsigned int a, int b) { return a; }"#, None),
    (
        "same context struct (main program)",
        0,
        r#"SEC("freplace/cls") int r(struct __sk_buff *skb) { return 0; }"#,
        None,
    ),
    (
        "argument count",
        0,
        r#"SEC("freplace/f_two") int r(int a) { return a; }"#,
        Some("r() has 1 args while f_two() has 2 args"),
    ),
    (
        "argument size",
        0,
        r#"SEC("freplace/f_two") int r(long a, int b) { return b; }"#,
        Some("arg0 in r() has size 8 while f_two() has 4"),
    ),
    (
        "other context struct",
        0,
        r#"SEC("freplace/f_int") int r(struct xdp_md *ctx, int x) { return 0; }"#,
        Some("arg0 r(struct xdp_md *) doesn't match f_int(struct __sk_buff *)"),
    ),
    (
        "int * argument",
        0,
        r#"SEC("freplace/f_ptr") int r(struct __sk_buff *skb, int *p) { return 0; }"#,
        Some("arg1 in r() is not a pointer to context"),
    ),
    (
        "static target",
        0,
        r#"SEC("freplace/f_static") int r(struct __sk_buff *skb) { return 0; }"#,
        Some("Cannot replace static functions"),
    ),
    (
        "hidden target",
        0,
        r#"SEC("freplace/f_hidden") int r(struct __sk_buff *skb) { return 0; }"#,
        Some("Cannot replace static functions"),
    ),
    (
        "missing target",
        0,
        r#"SEC("freplace/nope") int r(struct __sk_buff *skb) { return 0; }"#,
        Some("no such function"),
    ),
    ("fentry on a global function", 0, r#"SEC("fentry/f_int") int r(void *ctx) { return 0; }"#, None),
    ("fentry on a static function", 0, r#"SEC("fentry/f_static") int r(void *ctx) { return 0; }"#, None),
    (
        "fentry on an fentry program",
        1,
        r#"SEC("fentry/traced") int r(void *ctx) { return 0; }"#,
        Some("Cannot recursively attach"),
    ),
    (
        "freplace of an fentry program",
        1,
        r#"SEC("freplace/traced") int r(void *ctx) { return 0; }"#,
        Some("Cannot extend fentry/fexit"),
    ),
];

#[test]
fn freplace_fentry_matrix() {
    if !installed("clang-19") {
        return skip("clang-19 not installed");
    }
    let dir = scratch("targets");
    let tgts =
        [clang(&dir, "tgt", &format!("{HDR}{TARGET}")), clang(&dir, "tgt_tracing", &format!("{HDR}{TRACING_TARGET}"))];
    let tgts: Vec<_> = tgts.iter().map(|p| bpfld::input::parse("tgt.o", &std::fs::read(p).unwrap()).unwrap()).collect();
    let mut failures = Vec::new();
    let (mut accepted, mut rejected) = (0, 0);
    for (i, (name, t, src, want)) in CASES.iter().enumerate() {
        let obj =
            clang(&dir, &format!("case{i}"), &format!("{HDR}{src}\nchar LICENSE[] SEC(\"license\") = \"GPL\";\n"));
        let linked = bpfld::link(&[("ext.o".into(), std::fs::read(&obj).unwrap())], &bpfld::Options::default())
            .unwrap_or_else(|e| panic!("{name}: link failed: {e:?}"));
        let out = bpfld::input::parse("ext.o", &linked.bytes).unwrap();
        let errs = bpfld::targets::check(&out, &tgts[*t as usize], &Default::default());
        let msgs: Vec<String> = errs.iter().map(|d| d.message.clone()).collect();
        match want {
            None if errs.is_empty() => accepted += 1,
            None => failures.push(format!("{name}: expected accepted, got {msgs:?}")),
            Some(w) if errs.len() == 1 && msgs[0].contains(w) => rejected += 1,
            Some(w) => failures.push(format!("{name}: expected one error containing {w:?}, got {msgs:?}")),
        }
    }
    println!(
        "attach-target matrix: {} cases, {accepted} accepted, {rejected} rejected as the kernel would",
        CASES.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
