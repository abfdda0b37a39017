//! The hand-written examples in `examples/*.s` (issue 4, acceptance points 1-5).
//!
//! For every example: assemble it with `-g` (and `--btf /sys/kernel/btf/vmlinux` when the
//! Makefile lists it in `VMLINUX_EXAMPLES`), check that `bpftool btf dump file` shows the
//! declared types, functions and maps, that `bpftool gen skeleton` accepts it and names its
//! programs and maps, and that `bpftool prog loadall ... pinmaps ...` loads it into the running
//! kernel. Programs of types BPF_PROG_TEST_RUN supports (socket, XDP, tc, cgroup_skb, raw_tp) are
//! run on test packets or arguments and their return values and map contents checked.
//! Besides: the verifier log (log_level 1|2|4, through `bpftool -d`) and `llvm-objdump-19 -S`
//! show the assembly source lines (acceptance 3), and `core_reloc` proves libbpf relocated a
//! CO-RE field offset (acceptance 4).
//!
//! Pins go to a fresh `/sys/fs/bpf/examples-<pid>-<ns>/<example>` directory, removed at the end
//! of each test. Objects stay in `target/examples-test/` for inspection. Without permission to
//! use bpf(2) (EPERM) the kernel parts print `skipped: ...`; a missing tool is a skip, or a
//! failure under `CI=true`.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;
use toolchain_tests::kernel::{self, packet, BpffsDir, TestRun};
use toolchain_tests::tools;

const VMLINUX: &str = "/sys/kernel/btf/vmlinux";

/// Every example with a test below; `every_example_is_tested` keeps this in step with the
/// directory.
const EXAMPLES: &[&str] = &[
    "calls",
    "cgroup_skb",
    "core_reloc",
    "kprobe_task",
    "raw_tp",
    "ringbuf",
    "socket_filter",
    "tailcall",
    "tc_classify",
    "tracepoint",
    "xdp_stats",
];

fn examples_dir() -> PathBuf {
    tools::workspace_root().join("examples")
}

fn out_dir() -> PathBuf {
    let d = tools::workspace_root().join("target").join("examples-test");
    std::fs::create_dir_all(&d).unwrap_or_else(|e| panic!("create {}: {e}", d.display()));
    d
}

/// `VMLINUX_EXAMPLES := a b c` from examples/Makefile.
fn vmlinux_examples() -> Vec<String> {
    let mk = examples_dir().join("Makefile");
    let text = std::fs::read_to_string(&mk).unwrap_or_else(|e| panic!("{}: {e}", mk.display()));
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("VMLINUX_EXAMPLES"))
        .unwrap_or_else(|| panic!("{}: no VMLINUX_EXAMPLES line", mk.display()));
    let list = line.trim_start().trim_start_matches([':', '?', '+']).trim_start_matches('=');
    list.split_whitespace().map(str::to_string).collect()
}

/// What the environment offers; `None` for a tool means it is missing (already reported).
struct Env {
    bpftool: bool,
    /// bpf(2) usable (not EPERM).
    kernel: bool,
}

fn env() -> &'static Env {
    static ENV: OnceLock<Env> = OnceLock::new();
    ENV.get_or_init(|| {
        let bpftool = Command::new("bpftool").arg("version").output().is_ok_and(|o| o.status.success());
        if !bpftool {
            tools::skip("bpftool is not installed: the examples are only assembled");
        }
        let kernel = match kernel::bpf_unavailable() {
            None => true,
            Some(why) => {
                // Not a CI failure: the kernel refusing us is not a missing tool.
                println!("skipped: loading and running the examples: {why}");
                false
            }
        };
        Env { bpftool, kernel }
    })
}

/// An assembled (and, when possible, loaded) example.
struct Example {
    name: &'static str,
    /// `bpftool btf dump file` of the object (empty without bpftool).
    btf: String,
    /// Pins, when the kernel is usable: `progs/<prog>` and `maps/<map>`.
    pins: Option<BpffsDir>,
}

impl Example {
    fn prog(&self, name: &str) -> PathBuf {
        self.pins.as_ref().expect("loaded").join("progs").join(name)
    }
    fn map(&self, name: &str) -> PathBuf {
        self.pins.as_ref().expect("loaded").join("maps").join(name)
    }
    /// The variables of the internal map for `section_suffix` (`bss`, `data`, `rodata`).
    fn globals(&self, section_suffix: &str) -> serde_json::Map<String, Value> {
        let dir = self.pins.as_ref().expect("loaded").join("maps");
        let pin = kernel::find_pin(&dir, &format!("_{section_suffix}")).unwrap_or_else(|e| panic!("{e}"));
        kernel::global_vars(&pin).unwrap_or_else(|e| panic!("{}: {e}", self.name))
    }
    fn run(&self, prog: &str, run: &TestRun<'_>) -> kernel::TestRunResult {
        kernel::test_run(&self.prog(prog), run).unwrap_or_else(|e| panic!("{}: {e}", self.name))
    }
    fn dump(&self, map: &str) -> Value {
        kernel::map_dump(&self.map(map)).unwrap_or_else(|e| panic!("{}: {e}", self.name))
    }
}

fn assemble(name: &str) -> PathBuf {
    let src = examples_dir().join(format!("{name}.s"));
    assert!(src.is_file(), "{} is missing", src.display());
    let obj = out_dir().join(format!("{name}.o"));
    let mut cmd = Command::new(tools::bpfasm());
    // Relative source name, as `make` passes it: the line tables name `NAME.s` in examples/.
    cmd.current_dir(examples_dir()).arg("-g").arg(format!("{name}.s")).arg("-o").arg(&obj);
    if vmlinux_examples().iter().any(|e| e == name) {
        cmd.args(["--btf", VMLINUX]);
    }
    let out = cmd.output().unwrap_or_else(|e| panic!("cannot run bpfasm: {e}"));
    assert!(
        out.status.success(),
        "bpfasm -g {name}.s failed ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    obj
}

/// Assembles `name`, checks its BTF (`btf` substrings plus a FUNC per program and a VAR per
/// map), its skeleton, and loads it with pinned maps.
fn build(name: &'static str, progs: &[&str], maps: &[&str], btf: &[&str]) -> Example {
    let env = env();
    let obj = assemble(name);
    if !env.bpftool {
        return Example { name, btf: String::new(), pins: None };
    }

    // Acceptance 2: the declared types are in the object's BTF.
    let dump = kernel::bpftool(&["btf".as_ref(), "dump".as_ref(), "file".as_ref(), obj.as_os_str()])
        .unwrap_or_else(|e| panic!("{e}"));
    let mut want: Vec<String> = btf.iter().map(|s| s.to_string()).collect();
    want.extend(progs.iter().map(|p| format!("FUNC '{p}'")));
    want.extend(maps.iter().map(|m| format!("VAR '{m}'")));
    want.push("DATASEC 'license'".into());
    for w in &want {
        assert!(dump.contains(w.as_str()), "{name}: `bpftool btf dump file` lacks `{w}`:\n{dump}");
    }

    // Acceptance 5: a skeleton that names the programs and maps.
    let skel =
        kernel::bpftool(&["gen".as_ref(), "skeleton".as_ref(), obj.as_os_str()]).unwrap_or_else(|e| panic!("{e}"));
    for p in progs {
        let w = format!("struct bpf_program *{p};");
        assert!(skel.contains(&w), "{name}: skeleton lacks `{w}`");
    }
    for m in maps {
        let w = format!("struct bpf_map *{m};");
        assert!(skel.contains(&w), "{name}: skeleton lacks `{w}`");
    }

    if !env.kernel {
        return Example { name, btf: dump, pins: None };
    }
    // Acceptance 2: it loads, every program and map pinned.
    let pins = BpffsDir::new(&format!("examples-{name}"));
    let (p, m) = (pins.join("progs"), pins.join("maps"));
    kernel::bpftool(&[
        "prog".as_ref(),
        "loadall".as_ref(),
        obj.as_os_str(),
        p.as_os_str(),
        "pinmaps".as_ref(),
        m.as_os_str(),
    ])
    .unwrap_or_else(|e| panic!("{name} does not load: {e}"));
    for prog in progs {
        assert!(p.join(prog).exists(), "{name}: program {prog} not pinned");
    }
    for map in maps {
        assert!(m.join(map).exists(), "{name}: map {map} not pinned");
    }
    Example { name, btf: dump, pins: Some(pins) }
}

/// The line of a BTF dump that starts the given type or member (`FUNC 'f'`, `'tgid' type_id`).
fn btf_line<'a>(ex: &'a Example, start: &str) -> &'a str {
    let body = |l: &'a str| {
        let l = l.trim_start();
        if l.starts_with('[') {
            l.split_once("] ").map_or(l, |(_, rest)| rest)
        } else {
            l
        }
    };
    ex.btf
        .lines()
        .find(|&l| body(l).starts_with(start))
        .unwrap_or_else(|| panic!("{}: no `{start}` in\n{}", ex.name, ex.btf))
}

fn loaded(ex: &Example) -> bool {
    ex.pins.is_some()
}

fn u64_of(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not an unsigned number: {v}"))
}

/// `formatted.value` of the entry whose `formatted.key` is `key`.
fn entry(dump: &Value, key: u64) -> Option<&Value> {
    dump.as_array()?.iter().find(|e| e["formatted"]["key"].as_u64() == Some(key)).map(|e| &e["formatted"]["value"])
}

fn raw_tp_ctx(args: &[u64]) -> Vec<u8> {
    args.iter().flat_map(|a| a.to_le_bytes()).collect()
}

#[test]
fn every_example_is_tested() {
    let mut found: Vec<String> = std::fs::read_dir(examples_dir())
        .expect("examples/")
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".s")).map(str::to_string))
        .collect();
    found.sort();
    assert_eq!(found, EXAMPLES, "examples/*.s and the EXAMPLES list of this test differ");
    for e in vmlinux_examples() {
        assert!(EXAMPLES.contains(&e.as_str()), "VMLINUX_EXAMPLES names `{e}`, which is not an example");
    }
    for name in EXAMPLES {
        let src = std::fs::read_to_string(examples_dir().join(format!("{name}.s"))).expect("read");
        assert!(
            src.starts_with(&format!("# {name}.s — ")),
            "{name}.s must start with a `# {name}.s — what it shows` comment header"
        );
        assert!(src.contains(".cdecl"), "{name}.s declares nothing in `.cdecl`");
    }
}

#[test]
fn socket_filter() {
    let ex = build("socket_filter", &["tcp_only"], &[], &["FUNC_PROTO", "FWD '__sk_buff'"]);
    if !loaded(&ex) {
        return;
    }
    let run = |p: &[u8]| ex.run("tcp_only", &TestRun { data_in: p, repeat: 1, ..Default::default() }).retval;
    assert_eq!(run(&packet::ipv4(packet::IPPROTO_TCP, 80, 10)), u32::MAX, "IPv4 TCP is kept whole (-1)");
    assert_eq!(run(&packet::ipv4(packet::IPPROTO_UDP, 53, 10)), 0, "UDP is dropped");
    assert_eq!(run(&packet::ipv6_frame()), 0, "IPv6 is dropped");
}

#[test]
fn xdp_stats() {
    let ex = build(
        "xdp_stats",
        &["xdp_stats"],
        &["by_proto", "total"],
        &["STRUCT 'pkt_stats' size=16 vlen=2", "'bytes' type_id=", "STRUCT 'xdp_md' size=24", "DATASEC '.maps'"],
    );
    if !loaded(&ex) {
        return;
    }
    let tcp = packet::ipv4(packet::IPPROTO_TCP, 80, 6);
    let udp = packet::ipv4(packet::IPPROTO_UDP, 53, 30);
    let r = ex.run("xdp_stats", &TestRun { data_in: &tcp, repeat: 1, ..Default::default() });
    assert_eq!(r.retval, 2, "XDP_PASS");
    let r = ex.run("xdp_stats", &TestRun { data_in: &udp, repeat: 2, ..Default::default() });
    assert_eq!(r.retval, 2, "XDP_PASS");
    ex.run("xdp_stats", &TestRun { data_in: &packet::ipv6_frame(), repeat: 1, ..Default::default() });

    let by_proto = ex.dump("by_proto");
    assert_eq!(by_proto.as_array().map(Vec::len), Some(2), "by_proto: {by_proto}");
    let t = entry(&by_proto, 6).unwrap_or_else(|| panic!("no TCP entry: {by_proto}"));
    assert_eq!((u64_of(&t["packets"]), u64_of(&t["bytes"])), (1, tcp.len() as u64), "by_proto[TCP]");
    let u = entry(&by_proto, 17).unwrap_or_else(|| panic!("no UDP entry: {by_proto}"));
    assert_eq!((u64_of(&u["packets"]), u64_of(&u["bytes"])), (2, 2 * udp.len() as u64), "by_proto[UDP]");

    let total = ex.dump("total");
    let per_cpu = total[0]["formatted"]["values"].as_array().unwrap_or_else(|| panic!("total: {total}"));
    let sum: u64 = per_cpu.iter().map(|c| u64_of(&c["value"])).sum();
    assert_eq!(sum, 4, "total[0] summed over CPUs counts every packet: {total}");
}

#[test]
fn tc_classify() {
    let ex = build(
        "tc_classify",
        &["tc_classify"],
        &[],
        &["STRUCT '__sk_buff'", "VAR 'dropped'", "VAR 'tcp_mark'", "DATASEC '.rodata'", "DATASEC '.bss'"],
    );
    if !loaded(&ex) {
        return;
    }
    let run =
        |p: &[u8]| ex.run("tc_classify", &TestRun { data_in: p, ctx_out_size: 512, repeat: 1, ..Default::default() });
    let r = run(&packet::ipv4(packet::IPPROTO_UDP, 9, 4));
    assert_eq!(r.retval, 2, "UDP to port 9: TC_ACT_SHOT");
    let r = run(&packet::ipv4(packet::IPPROTO_UDP, 53, 4));
    assert_eq!(r.retval, 0, "UDP to port 53: TC_ACT_OK");
    let r = run(&packet::ipv4(packet::IPPROTO_TCP, 443, 0));
    assert_eq!(r.retval, 0, "TCP: TC_ACT_OK");
    assert!(r.ctx_out.len() >= 12, "no __sk_buff back from the kernel");
    let mark = u32::from_le_bytes(r.ctx_out[8..12].try_into().expect("4 bytes"));
    assert_eq!(mark, 0x42, "skb->mark = tcp_mark for TCP");
    assert_eq!(u64_of(&ex.globals("bss")["dropped"]), 1);
    assert_eq!(u64_of(&ex.globals("rodata")["tcp_mark"]), 0x42);
}

#[test]
fn ringbuf() {
    let ex = build(
        "ringbuf",
        &["on_exec"],
        &["events"],
        &["STRUCT 'event' size=24 vlen=3", "'comm' type_id=", "VAR 'events_sent'"],
    );
    if !loaded(&ex) {
        return;
    }
    for _ in 0..2 {
        assert_eq!(ex.run("on_exec", &TestRun::default()).retval, 0);
    }
    let g = ex.globals("bss");
    assert_eq!(u64_of(&g["events_sent"]), 2, "{g:?}");
    assert_eq!(u64_of(&g["events_lost"]), 0, "{g:?}");
    // Two records of 8-byte header + 24-byte event, nobody consuming them.
    assert_eq!(u64_of(&g["pending"]), 64, "bytes waiting in the ring buffer: {g:?}");
}

#[test]
fn kprobe_task() {
    // Loads only: kprobes cannot be test-run (nor attached on this kernel).
    let ex = build(
        "kprobe_task",
        &["on_nanosleep"],
        &["procs"],
        &["STRUCT 'proc_info' size=32 vlen=4", "STRUCT 'task_struct'", "'real_parent' type_id="],
    );
    if loaded(&ex) {
        let info = kernel::bpftool(&[
            "prog".as_ref(),
            "show".as_ref(),
            "pinned".as_ref(),
            ex.prog("on_nanosleep").as_os_str(),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(info.contains("kprobe"), "{info}");
    }
}

#[test]
fn core_reloc() {
    // A local task_struct whose layout is not the kernel's (acceptance 4), no --btf.
    assert!(!vmlinux_examples().iter().any(|e| e == "core_reloc"), "core_reloc must not use the kernel's BTF");
    let ex = build("core_reloc", &["read_tgid"], &[], &["STRUCT 'task_struct' size=28 vlen=3", "'pad' type_id="]);
    if !ex.btf.is_empty() {
        assert!(btf_line(&ex, "'tgid' type_id").ends_with("bits_offset=192"), "local tgid at byte 24");
    }
    if !loaded(&ex) {
        return;
    }
    let r = ex.run("read_tgid", &TestRun::default());
    assert_eq!(r.retval, 0);
    let g = ex.globals("bss");
    let me = u64::from(std::process::id());
    assert_eq!(u64_of(&g["helper_tgid"]), me, "bpf_get_current_pid_tgid() >> 32 in the calling task: {g:?}");
    assert_eq!(u64_of(&g["core_tgid"]), me, "current->tgid read at the CO-RE-relocated offset: {g:?}");
    let off = u64_of(&g["tgid_offset"]);
    assert!(off != 24 && off > 24, "offsetof(struct task_struct, tgid) was relocated from 24, got {off}");
    assert_eq!(u64_of(&g["tgid_size"]), 4);
    assert_eq!(u64_of(&g["has_tgid"]), 1);
    assert_eq!(u64_of(&g["has_pad"]), 0, "the kernel's task_struct has no `pad`");
    assert_eq!(u64_of(&g["has_no_such_type"]), 0);
    assert_eq!(u64_of(&g["pidtype_max"]), 4, "enum pid_type's PIDTYPE_MAX in the kernel");
    println!("core_reloc: tgid {me} read at relocated offset {off} (local offset 24)");
}

#[test]
fn tracepoint() {
    let ex =
        build("tracepoint", &["count_openat"], &["opens"], &["STRUCT 'trace_event_raw_sys_enter'", "VAR 'creates'"]);
    if loaded(&ex) {
        let info = kernel::bpftool(&[
            "prog".as_ref(),
            "show".as_ref(),
            "pinned".as_ref(),
            ex.prog("count_openat").as_os_str(),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(info.contains("tracepoint"), "{info}");
    }
}

#[test]
fn raw_tp() {
    let ex = build("raw_tp", &["count_syscalls"], &["syscalls"], &["DATASEC '.data'", "VAR 'format_version'"]);
    if !loaded(&ex) {
        return;
    }
    for args in [[0, 42], [0, 42], [0, 600], [0, u64::MAX]] {
        let ctx = raw_tp_ctx(&args);
        assert_eq!(ex.run("count_syscalls", &TestRun { ctx_in: &ctx, ..Default::default() }).retval, 0);
    }
    let syscalls = ex.dump("syscalls");
    let counted: Vec<(u64, u64)> = syscalls
        .as_array()
        .expect("array dump")
        .iter()
        .map(|e| (u64_of(&e["formatted"]["key"]), u64_of(&e["formatted"]["value"])))
        .filter(|&(_, v)| v != 0)
        .collect();
    assert_eq!(counted, [(42, 2)], "syscalls[] after two calls of 42");
    let g = ex.globals("bss");
    assert_eq!(u64_of(&g["out_of_range"]), 2, "{g:?}");
    assert_eq!(u64_of(&g["runs_seen"]), 4, "{g:?}");
    assert_eq!(u64_of(&ex.globals("data")["format_version"]), 1);
}

#[test]
fn cgroup_skb() {
    let ex = build(
        "cgroup_skb",
        &["egress_filter"],
        &[],
        &["STRUCT '__sk_buff' size=20 vlen=5", "VAR 'blocked_port'", "VAR 'allowed_bytes'"],
    );
    if !loaded(&ex) {
        return;
    }
    let run = |p: &[u8]| ex.run("egress_filter", &TestRun { data_in: p, repeat: 1, ..Default::default() }).retval;
    assert_eq!(run(&packet::ipv4(packet::IPPROTO_UDP, 9, 8)), 0, "UDP to the blocked port is dropped");
    let tcp = packet::ipv4(packet::IPPROTO_TCP, 9, 8);
    assert_eq!(run(&tcp), 1, "TCP to port 9 is allowed");
    let g = ex.globals("bss");
    assert_eq!(u64_of(&g["blocked_packets"]), 1, "{g:?}");
    // cgroup programs see the packet from the IP header: skb->len excludes Ethernet.
    assert_eq!(u64_of(&g["allowed_bytes"]), (tcp.len() - packet::ETH_HLEN) as u64, "{g:?}");
}

#[test]
fn tailcall() {
    let ex = build("tailcall", &["dispatch", "handle_tcp", "handle_udp"], &["jump_table"], &["FWD 'xdp_md'"]);
    if !loaded(&ex) {
        return;
    }
    let table = ex.dump("jump_table");
    assert_eq!(table.as_array().map(Vec::len), Some(2), "both slots filled by libbpf: {table}");
    let run = |p: &[u8]| ex.run("dispatch", &TestRun { data_in: p, repeat: 1, ..Default::default() }).retval;
    assert_eq!(run(&packet::ipv4(packet::IPPROTO_TCP, 80, 0)), 3, "TCP: tail call to handle_tcp (XDP_TX)");
    assert_eq!(run(&packet::ipv4(packet::IPPROTO_UDP, 53, 0)), 1, "UDP: tail call to handle_udp (XDP_DROP)");
    assert_eq!(run(&packet::ipv4(packet::IPPROTO_ICMP, 0, 8)), 2, "ICMP: no tail call (XDP_PASS)");
}

/// `hash32(add_scale(a, b))` as calls.s computes it.
fn calls_expected(a: u64, b: u64) -> u32 {
    let x = a.wrapping_add(b).wrapping_mul(3);
    ((x ^ (x >> 32)) as u32).wrapping_mul(2_654_435_761)
}

#[test]
fn calls() {
    let ex = build("calls", &["compute"], &[], &["FUNC_PROTO"]);
    if !ex.btf.is_empty() {
        for (f, linkage) in [("compute", "global"), ("hash32", "global"), ("add_scale", "static"), ("mix", "static")] {
            assert!(btf_line(&ex, &format!("FUNC '{f}'")).ends_with(&format!("linkage={linkage}")), "{f} is {linkage}");
        }
    }
    if !loaded(&ex) {
        return;
    }
    for (a, b) in [(1u64, 2u64), (0xdead_beef_0000, 0x1234), (u64::MAX, 7)] {
        let ctx = raw_tp_ctx(&[a, b]);
        assert_eq!(ex.run("compute", &TestRun { ctx_in: &ctx, ..Default::default() }).retval, 0);
        let got = u64_of(&ex.globals("bss")["result"]);
        assert_eq!(got, u64::from(calls_expected(a, b)), "result for ({a}, {b})");
    }
}

/// Acceptance 3: the verifier's log and `llvm-objdump -S` show the `.s` lines.
#[test]
fn source_lines_in_verifier_log_and_objdump() {
    let obj = assemble("calls");
    let src = std::fs::read_to_string(examples_dir().join("calls.s")).expect("read calls.s");
    let line_of = |text: &str| src.lines().position(|l| l.trim() == text).map(|i| i + 1).expect("line in calls.s");
    let (mul, mix) = (line_of("r0 *= 3"), line_of("w1 = w1\t\t\t\t\t# zero-extend: mix takes a __u32"));

    if tools::installed("llvm-objdump-19") {
        let out = Command::new("llvm-objdump-19").arg("-S").arg(&obj).output().expect("llvm-objdump-19");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "llvm-objdump-19 -S failed: {}", String::from_utf8_lossy(&out.stderr));
        for want in ["; \tr0 *= 3", "; \tcall add_scale", "; \tw0 *= -1640531535"] {
            assert!(text.contains(want), "llvm-objdump-19 -S does not show `{want}`:\n{text}");
        }
    } else {
        tools::skip("llvm-objdump-19 is not installed");
    }

    let env = env();
    if !env.bpftool || !env.kernel {
        return;
    }
    let pins = BpffsDir::new("examples-log");
    let pin = pins.join("compute");
    // `bpftool -d`: libbpf debug output, and the kernel's log at level 1|2|4 even on success.
    let out = Command::new("bpftool").args(["-d", "prog", "load"]).arg(&obj).arg(&pin).output().expect("bpftool");
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "bpftool -d prog load calls.o failed:\n{log}");
    assert!(log.contains("Live regs before insn"), "not a log_level 2 log:\n{log}");
    for want in [
        format!("; r0 *= 3 @ calls.s:{mul}"),
        format!("; w1 = w1\t\t\t\t\t# zero-extend: mix takes a __u32 @ calls.s:{mix}"),
    ] {
        assert!(log.contains(&want), "the verifier log does not show `{want}`:\n{log}");
    }
    let n = log.lines().filter(|l| l.starts_with("; ") && l.contains(" @ calls.s:")).count();
    println!("verifier log: {n} source lines of calls.s");
}
