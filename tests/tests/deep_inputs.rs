//! 100,000-deep nesting in every input language never overflows the stack (exit 134): it
//! gives an error with its location (file:line:col, or the BTF type id), or, where the input
//! is valid at that depth, a result.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use toolchain_tests::tools;

const N: usize = 100_000;

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("deep-inputs-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run(tool: &Path, dir: &Path, args: &[&str]) -> Output {
    Command::new(tool).args(args).current_dir(dir).env("NO_COLOR", "1").output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Assemble `text`: exit 1, and the first error starts with `name:at` (line:col, or a prefix of
/// it) and says what is wrong.
fn asm_error(d: &Path, name: &str, text: &str, at: &str, what: &str) {
    std::fs::write(d.join(name), text).unwrap();
    let o = run(tools::bpfasm(), d, &["--message-format=short", name, "-o", "out.o"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{name}: {}", &e[..e.len().min(400)]);
    let first = e.lines().next().unwrap_or("");
    assert!(first.starts_with(&format!("{name}:{at}")) && first.contains(": error"), "{name}: {first}");
    assert!(first.contains(what), "{name}: {first}");
}

#[test]
fn assembly_expressions() {
    let d = scratch("expr");
    let p = |o: &str, c: &str| o.repeat(N) + "1" + &c.repeat(N);
    asm_error(&d, "parens.s", &format!("r0 = {}\nexit\n", p("(", ")")), "1:262", "nested too deeply");
    asm_error(&d, "unary.s", &format!("r0 = {}1\nexit\n", "-".repeat(N)), "1:262", "nested too deeply");
    asm_error(&d, "notneg.s", &format!("r0 = {}1\nexit\n", "~-".repeat(N / 2)), "1:262", "nested too deeply");
    asm_error(&d, "chain.s", &format!("r0 = {}1\nexit\n", "1+".repeat(N)), "1:519", "nested too deeply");
    asm_error(&d, "memoff.s", &format!("r0 = *(u32 *)(r1 + {})\nexit\n", p("(", ")")), "1:275", "nested too deeply");
    asm_error(&d, "data.s", &format!(".long {}\n", p("(", ")")), "1:263", "nested too deeply");
    // Up to the limit, nesting works.
    std::fs::write(d.join("ok.s"), format!("r0 = {}\nexit\n", "(".repeat(200) + "7" + &")".repeat(200))).unwrap();
    let o = run(tools::bpfasm(), &d, &["ok.s", "-o", "ok.o"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn cdecl_declarators_and_types() {
    let d = scratch("cdecl");
    let c = |body: String| format!(".cdecl\n{body}\n.endcdecl\n");
    asm_error(&d, "decl.s", &c(format!("int {}x{};", "(".repeat(N), ")".repeat(N))), "2:", "nesting too deep");
    asm_error(&d, "structs.s", &c("struct a { ".repeat(N) + "int x;" + &"} y;".repeat(N)), "2:", "nesting too deep");
    asm_error(&d, "expr.s", &c(format!("int a[{}1{}];", "(".repeat(N), ")".repeat(N))), "2:", "nesting too deep");
    asm_error(
        &d,
        "fnptr.s",
        &c(format!("void f({});", "int (*)(".repeat(N) + &")".repeat(N))),
        "2:",
        "nesting too deep",
    );
    asm_error(&d, "arrays.s", &c(format!("int x{};", "[1]".repeat(N))), "2:", "nesting too deep");
    let typedefs: String = (0..N).map(|i| format!("typedef t{i} t{};\n", i + 1)).collect();
    asm_error(&d, "typedefs.s", &c(format!("typedef int t0;\n{typedefs}t{N} v;")), "", "nesting too deep");
    // A pointer chain is a loop, not recursion: 100,000 levels of `*` assemble.
    std::fs::write(d.join("ptrs.s"), c(format!("int {}x;", "*".repeat(N)))).unwrap();
    let o = run(tools::bpfasm(), &d, &["ptrs.s", "-o", "ptrs.o"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&d);
}

fn btf_blob(types: Vec<Vec<u32>>) -> Vec<u8> {
    let strs = b"\0int\0s\0m\0t\0";
    let tb: Vec<u8> = types.iter().flatten().flat_map(|w| w.to_le_bytes()).collect();
    let mut v = Vec::new();
    for w in [0x0001_eb9fu32, 24, 0, tb.len() as u32, tb.len() as u32, strs.len() as u32] {
        v.extend_from_slice(&w.to_le_bytes());
    }
    v.extend_from_slice(&tb);
    v.extend_from_slice(strs);
    v
}

/// Types 1..=n, each referring to the next one (`down`: to the previous one), and an int.
fn chain(kind: &str, n: u32, down: bool) -> Vec<u8> {
    let int = vec![1, 1 << 24, 4, 32];
    let mut t = Vec::new();
    if down {
        t.push(int.clone());
    }
    let last = n + 1;
    for i in 1..=n {
        let (id, r) = if down { (i + 1, i) } else { (i, i + 1) };
        let _ = id;
        t.push(match kind {
            "ptr" => vec![0, 2 << 24, r],
            "typedef" => vec![9, 8 << 24, r],
            "const" => vec![0, 10 << 24, r],
            "array" => vec![0, 3 << 24, 0, r, if down { 1 } else { last }, 1],
            "struct" => vec![5, (4 << 24) | 1, 4, 7, r, 0],
            _ => unreachable!(),
        });
    }
    if !down {
        t.push(int);
    }
    btf_blob(t)
}

#[test]
fn btf_type_graphs() {
    let d = scratch("btf");
    let btf = |args: &[&str]| run(tools::btf(), &d, args);
    for kind in ["ptr", "typedef", "const", "array", "struct"] {
        // Each type refers to a later one: the kernel's resolver gives up at depth 32, and so
        // does validate, naming the type.
        let up = format!("{kind}_up.btf");
        std::fs::write(d.join(&up), chain(kind, N as u32, false)).unwrap();
        let o = btf(&["validate", &up]);
        assert_eq!(o.status.code(), Some(1), "{up}: {}", stderr(&o));
        assert!(stderr(&o).contains("[1] ") && stderr(&o).contains("ResolveTooDeep"), "{up}: {}", stderr(&o));
        // Each type refers to an earlier one: valid at any depth.
        let down = format!("{kind}_down.btf");
        std::fs::write(d.join(&down), chain(kind, N as u32, true)).unwrap();
        let o = btf(&["validate", &down]);
        assert!(o.status.success(), "{down}: {}", stderr(&o));
        for f in [&up, &down] {
            for fmt in ["raw", "c", "json"] {
                let o = btf(&["dump", "-f", fmt, f]);
                assert!(o.status.success(), "dump -f {fmt} {f}: {}", stderr(&o));
            }
        }
        // Dedup compares nested structs pairwise (libbpf's algorithm): a struct nest is kept
        // shallow here, the other kinds are 100,000 deep.
        if kind != "struct" {
            let o = btf(&["dedup", &up, "-o", "out.btf"]);
            assert_eq!(o.status.code(), Some(1), "dedup {up}: {}", stderr(&o));
            assert!(stderr(&o).contains("too deep at type"), "dedup {up}: {}", stderr(&o));
            let o = btf(&["dedup", &down, "-o", "out.btf"]);
            assert!(o.status.success(), "dedup {down}: {}", stderr(&o));
        }
    }
    std::fs::write(d.join("structs.btf"), chain("struct", 200, true)).unwrap();
    let o = btf(&["dedup", "structs.btf", "-o", "out.btf"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&d);
}

/// Sizes from the input are checked before memory is allocated for them: a few bytes of
/// assembly cannot ask for gigabytes (each of these used to allocate 1-6 GB, or time out).
#[test]
fn sizes_from_the_input_are_bounded() {
    let d = scratch("sizes");
    let cases = [
        ("zero2.s", ".section .data\n.zero 1073741824\n.zero 1073741824\n", "3:1", "would grow past"),
        ("fill.s", ".section .data\n.fill 1073741824, 8, 1\n", "2:1", "would grow past"),
        ("align.s", ".section .data\n.balign 1073741824\n", "2:1", "alignment 1073741824 is too large"),
        ("p2align.s", ".section .data\n.p2align 32\n", "2:1", "too large"),
        ("var.s", ".cdecl\nchar big[4000000000] = {1};\n.endcdecl\n", "2:6", "larger than"),
        ("desig.s", ".cdecl\nchar big[] = { [4000000000] = 1 };\n.endcdecl\n", "2:16", "larger than"),
    ];
    for (name, text, at, what) in cases {
        asm_error(&d, name, text, at, what);
    }
    let _ = std::fs::remove_dir_all(&d);
}
