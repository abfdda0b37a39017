//! `-g` on hand-written assembly: llvm-objdump-19 -S shows the `.s` lines, bpftool sees a FUNC per
//! function, and the kernel's xlated dump carries line_info pointing at the `.s` file.

use std::path::{Path, PathBuf};
use std::process::Command;

fn tool(name: &str, arg: &str) -> bool {
    match Command::new(name).arg(arg).output() {
        Ok(o) if o.status.success() => true,
        _ => {
            assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "{name} is not installed (CI=true)");
            eprintln!("skipped: {name} not installed");
            false
        }
    }
}

/// `bpfasm -g --target TARGET NAME.s` in `dir`: the object, `NAME-TARGET.o`.
fn assemble_g(dir: &Path, name: &str, target: &str) -> PathBuf {
    let obj = dir.join(format!("{name}-{target}.o"));
    let st = Command::new(env!("CARGO_BIN_EXE_bpfasm"))
        .current_dir(dir)
        .args(["-g", "--target", target, &format!("{name}.s"), "-o"])
        .arg(&obj)
        .status()
        .unwrap();
    assert!(st.success(), "bpfasm -g --target {target} {name}.s");
    obj
}

/// A socket filter (its own copy: the examples may change).
const SOURCE: &str = "\t.set\tETH_P_IP, 0x0800
\t.set\tIPPROTO_TCP, 6
\t.section\tsocket,\"ax\",@progbits
\t.globl\ttcp_only
\t.type\ttcp_only,@function
tcp_only:
\tr6 = r1
\tr0 = *(u16 *)skb[12]
\tif r0 != ETH_P_IP goto drop
\tr0 = *(u8 *)skb[23]
\tif r0 != IPPROTO_TCP goto drop
\tr0 = -1
\texit
drop:
\tr0 = 0
\texit
\t.section\tlicense,\"aw\",@progbits
\t.asciz\t\"GPL\"
";

fn assemble_example(name: &str, out: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bpfasm-dbg-{}-{out}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), SOURCE).unwrap();
    let obj = dir.join("out.o");
    let st = Command::new(env!("CARGO_BIN_EXE_bpfasm"))
        .current_dir(&dir)
        .args(["-g", name, "-o"])
        .arg(&obj)
        .status()
        .unwrap();
    assert!(st.success());
    obj
}

#[test]
fn objdump_shows_assembly_source() {
    if !tool("llvm-objdump-19", "--version") {
        return;
    }
    let obj = assemble_example("socket_filter.s", "objdump.o");
    let out = Command::new("llvm-objdump-19").arg("-S").arg(&obj).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("; \tr0 = *(u16 *)skb[12]"), "{text}");
    assert!(text.contains("; \tif r0 != IPPROTO_TCP goto drop"), "{text}");
    let v = Command::new("llvm-dwarfdump-19").arg("--verify").arg(&obj).output().unwrap();
    assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stdout));
    let _ = std::fs::remove_file(obj);
}

#[test]
fn btf_has_funcs_and_kernel_sees_line_info() {
    if !tool("bpftool", "version") {
        return;
    }
    let obj = assemble_example("socket_filter.s", "btf.o");
    let out = Command::new("bpftool").args(["btf", "dump", "file"]).arg(&obj).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("FUNC 'tcp_only' type_id="), "{text}");
    assert!(text.contains("FWD '__sk_buff'"), "{text}");
    let pin = format!("/sys/fs/bpf/bpfasm-dbg-{}", std::process::id());
    let _ = Command::new("mount").args(["-t", "bpf", "bpf", "/sys/fs/bpf"]).output();
    let load =
        Command::new("bpftool").args(["prog", "load"]).arg(&obj).arg(&pin).args(["type", "socket"]).output().unwrap();
    if !load.status.success() {
        let err = String::from_utf8_lossy(&load.stderr);
        if err.contains("Operation not permitted") {
            eprintln!("skipped: bpf() not permitted here");
            return;
        }
        panic!("load failed: {err}");
    }
    let dump = Command::new("bpftool").args(["prog", "dump", "xlated", "pinned", &pin, "linum"]).output().unwrap();
    let _ = std::fs::remove_file(&pin);
    let text = String::from_utf8_lossy(&dump.stdout);
    assert!(text.contains("[file:socket_filter.s line_num:8"), "{text}");
    assert!(text.contains("int tcp_only(struct __sk_buff * ctx)"), "{text}");
    let _ = std::fs::remove_file(obj);
}

/// Two code sections and an included file: the unit's range list names both sections, the
/// line program both files, and llvm-dwarfdump-19 verifies it in both byte orders.
#[test]
fn unit_over_two_sections_and_an_include_verifies() {
    if !tool("llvm-dwarfdump-19", "--version") {
        return;
    }
    let dir = std::env::temp_dir().join(format!("bpfasm-dbg-{}-two", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("inc.s"), "\tr3 = 3\n").unwrap();
    std::fs::write(
        dir.join("two.s"),
        "\t.section\tsocket,\"ax\",@progbits\n\t.globl\ta\n\t.type\ta,@function\na:\n\tr0 = 1\n\t.include \"inc.s\"\n\texit\n\
         \t.section\txdp,\"ax\",@progbits\n\t.globl\tb\n\t.type\tb,@function\nb:\n\tr0 = 2\n\texit\n",
    )
    .unwrap();
    for target in ["bpfel", "bpfeb"] {
        let obj = assemble_g(&dir, "two", target);
        let v = Command::new("llvm-dwarfdump-19").arg("--verify").arg(&obj).output().unwrap();
        assert!(v.status.success(), "{target}: {}", String::from_utf8_lossy(&v.stdout));
        let out = Command::new("llvm-dwarfdump-19")
            .args(["--debug-info", "--debug-line", "--debug-rnglists"])
            .arg(&obj)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("DW_AT_ranges"), "{target}: {text}");
        assert!(text.contains("[0x0000000000000000, 0x0000000000000018)"), "socket: 3 insns\n{text}");
        assert!(text.contains("[0x0000000000000000, 0x0000000000000010)"), "xdp: 2 insns\n{text}");
        assert!(text.contains("name: \"two.s\"") && text.contains("name: \"inc.s\""), "{text}");
        // The included line is line 1 of file 1.
        assert!(text.lines().any(|l| l.starts_with("0x0000000000000008      1 ")), "{text}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A source that already put bytes in `.debug_abbrev` and `.debug_line`: the unit's
/// offsets into them (the abbreviation table, the line program) move past those bytes.
#[test]
fn unit_offsets_move_past_bytes_already_in_debug_sections() {
    if !tool("llvm-dwarfdump-19", "--version") {
        return;
    }
    let dir = std::env::temp_dir().join(format!("bpfasm-dbg-{}-pre", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("pre.s"),
        "\t.section\t.debug_abbrev,\"\",@progbits\n\t.byte\t0\n\t.section\t.debug_line,\"\",@progbits\n\
         \t.byte\t0,0,0\n\t.text\n\t.globl\tf\n\t.type\tf,@function\nf:\n\tr0 = 0\n\texit\n",
    )
    .unwrap();
    for target in ["bpfel", "bpfeb"] {
        let obj = assemble_g(&dir, "pre", target);
        let out = Command::new("llvm-dwarfdump-19").arg("--debug-info").arg(&obj).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("abbr_offset = 0x0001"), "{target}: {text}");
        assert!(text.contains("DW_AT_stmt_list\t(0x00000003)"), "{target}: {text}");
        let v = Command::new("llvm-dwarfdump-19").arg("--verify").arg(&obj).output().unwrap();
        assert!(v.status.success(), "{target}: {}", String::from_utf8_lossy(&v.stdout));
    }
    let _ = std::fs::remove_dir_all(&dir);
}
