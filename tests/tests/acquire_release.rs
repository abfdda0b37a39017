//! Load-acquire and store-release (`BPF_STX | BPF_ATOMIC`, imm `BPF_LOAD_ACQ` = 0x100 and
//! `BPF_STORE_REL` = 0x110, Linux 6.15): llvm-mc-19 does not know them (LLVM 21 does), so the
//! running kernel is the judge. bpfasm assembles LLVM 21's syntax for every size, the
//! disassembler prints it back, bpflint accepts the program, and the kernel loads and runs it
//! with the values the program computes.

use std::process::Command;

use toolchain_tests::kernel::{self, BpffsDir, TestRun};
use toolchain_tests::tools;

/// Stores with release and loads with acquire at every width on the stack, then returns the
/// sum of what it read back.
const SRC: &str = "\t.section\tsocket,\"ax\",@progbits
\t.globl\tacq_rel
\t.type\tacq_rel,@function
acq_rel:
\tr1 = 0x1122334455667788 ll
\tstore_release((u64 *)(r10 - 8), r1)
\tw2 = 85
\tstore_release((u8 *)(r10 - 9), w2)
\tw2 = 26231
\tstore_release((u16 *)(r10 - 12), w2)
\tw2 = 270544960
\tstore_release((u32 *)(r10 - 16), w2)
\tr0 = load_acquire((u64 *)(r10 - 8))
\tw3 = load_acquire((u8 *)(r10 - 9))
\tr0 += r3
\tw3 = load_acquire((u16 *)(r10 - 12))
\tr0 += r3
\tw3 = load_acquire((u32 *)(r10 - 16))
\tr0 += r3
\texit
\t.section\tlicense,\"aw\",@progbits
\t.asciz\t\"GPL\"
";

/// The instruction lines of [`SRC`], as the disassembler must print them back.
fn insn_lines() -> Vec<String> {
    SRC.lines()
        .filter(|l| l.starts_with('\t') && !l.starts_with("\t.") && !l.contains("ll"))
        .map(|l| l.trim().to_string())
        .collect()
}

#[test]
fn acquire_release_assemble_print_lint_and_run() {
    let dir = std::env::temp_dir().join(format!("bpf-acqrel-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("acqrel.s"), SRC).unwrap();
    let out = Command::new(tools::bpfasm()).current_dir(&dir).args(["acqrel.s", "-o", "acqrel.o"]).output().unwrap();
    assert!(out.status.success(), "bpfasm: {}", String::from_utf8_lossy(&out.stderr));

    // The encoding is the kernel's: code = STX | ATOMIC | size, imm 0x100 / 0x110; a load's
    // address register is src, a store's is dst.
    let data = std::fs::read(dir.join("acqrel.o")).unwrap();
    let obj = bpfobj::read::Object::parse(&data).unwrap();
    let text = obj.sections().iter().find(|s| s.name() == "socket").unwrap().data;
    let insn = |i: usize| &text[i * 8..i * 8 + 8];
    assert_eq!(insn(2), [0xdb, 0x1a, 0xf8, 0xff, 0x10, 0x01, 0, 0], "store_release u64");
    assert_eq!(insn(4), [0xd3, 0x2a, 0xf7, 0xff, 0x10, 0x01, 0, 0], "store_release u8");
    assert_eq!(insn(9), [0xdb, 0xa0, 0xf8, 0xff, 0x00, 0x01, 0, 0], "load_acquire u64");
    assert_eq!(insn(10), [0xd3, 0xa3, 0xf7, 0xff, 0x00, 0x01, 0, 0], "load_acquire u8");

    // The disassembler prints what was assembled.
    let out = Command::new(tools::bpfasm()).current_dir(&dir).args(["-d", "acqrel.o"]).output().unwrap();
    let listing = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "bpfasm -d: {}", String::from_utf8_lossy(&out.stderr));
    for l in insn_lines() {
        assert!(listing.contains(&l), "bpfasm -d does not print `{l}`:\n{listing}");
    }

    // bpflint: accepted on 6.18, refused where the kernel did not have them yet.
    let lint = |kernel: &str| {
        Command::new(tools::bpflint()).current_dir(&dir).args(["--kernel", kernel, "acqrel.o"]).output().unwrap()
    };
    let out = lint("6.18");
    assert_eq!(out.status.code(), Some(0), "bpflint 6.18:\n{}", String::from_utf8_lossy(&out.stdout));
    let out = lint("6.12");
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "bpflint 6.12:\n{said}");
    assert!(said.contains("invalid atomic opcode"), "{said}");

    // The running kernel loads it and computes the same sum.
    if !tools::installed("bpftool") {
        tools::skip("bpftool is not installed");
        return;
    }
    if let Some(why) = kernel::bpf_unavailable() {
        println!("skipped: loading acqrel.o: {why}");
        return;
    }
    let pins = BpffsDir::new("acqrel");
    let pin = pins.join("acq_rel");
    kernel::bpftool(&[
        std::ffi::OsStr::new("prog"),
        "load".as_ref(),
        dir.join("acqrel.o").as_os_str(),
        pin.as_os_str(),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let packet = [0u8; 64];
    let run = TestRun { data_in: &packet, data_out_size: 0, ctx_in: &[], ctx_out_size: 0, repeat: 1, flags: 0 };
    let res = kernel::test_run(&pin, &run).unwrap_or_else(|e| panic!("{e}"));
    let want = 0x1122_3344_5566_7788u64.wrapping_add(0x55).wrapping_add(0x6677).wrapping_add(0x1020_3040);
    assert_eq!(res.retval, want as u32, "the kernel's result");
    let _ = std::fs::remove_dir_all(&dir);
}
