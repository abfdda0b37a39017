//! What a new user runs into first: every tool that writes a file refuses to write over one of
//! its inputs (same device and inode, whatever the spelling), an output is never left
//! half-written, diagnostics carry no escape codes unless asked, a byte-order mark is skipped.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use toolchain_tests::tools;

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("user-files-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run(tool: &Path, dir: &Path, args: &[&str]) -> Output {
    // No colour variables from the environment of whoever runs the tests.
    Command::new(tool).args(args).current_dir(dir).env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE").output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const OK_S: &str = ".section socket, \"ax\"\nr0 = 0\nexit\n.section license, \"aw\"\n.asciz \"GPL\"\n";
const BAD_S: &str = "r0 = 0\nbogus r1\nexit\n";

/// Assemble `OK_S` into `dir/name`, returning its bytes.
fn object(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::write(dir.join("src.s"), OK_S).unwrap();
    let o = run(tools::bpfasm(), dir, &["src.s", "-o", name]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::read(dir.join(name)).unwrap()
}

#[test]
fn bpfasm_never_writes_over_its_source() {
    let d = scratch("bpfasm-src");
    std::fs::write(d.join("bad.s"), BAD_S).unwrap();
    std::fs::write(d.join("ok.s"), OK_S).unwrap();
    std::fs::hard_link(d.join("ok.s"), d.join("link.s")).unwrap();
    std::os::unix::fs::symlink("ok.s", d.join("sym.s")).unwrap();
    // An input with an error: the source used to be removed as "the stale output".
    for (input, output) in
        [("bad.s", "bad.s"), ("ok.s", "ok.s"), ("ok.s", "./ok.s"), ("ok.s", "link.s"), ("ok.s", "sym.s")]
    {
        let o = run(tools::bpfasm(), &d, &[input, "-o", output]);
        assert_eq!(o.status.code(), Some(2), "{input} -o {output}: {}", stderr(&o));
        assert!(stderr(&o).contains("refusing to overwrite"), "{}", stderr(&o));
    }
    assert_eq!(std::fs::read_to_string(d.join("bad.s")).unwrap(), BAD_S);
    assert_eq!(std::fs::read_to_string(d.join("ok.s")).unwrap(), OK_S);
    // The dependency file is an output too.
    let o = run(tools::bpfasm(), &d, &["ok.s", "-o", "ok.o", "-MD", "-MF", "link.s"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(d.join("ok.s")).unwrap(), OK_S);
    // Disassembly output over its object.
    object(&d, "x.o");
    let before = std::fs::read(d.join("x.o")).unwrap();
    let o = run(tools::bpfasm(), &d, &["-d", "x.o", "-o", "x.o"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(std::fs::read(d.join("x.o")).unwrap(), before);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn bpfasm_never_writes_over_an_included_file() {
    let d = scratch("bpfasm-inc");
    std::fs::create_dir_all(d.join("inc")).unwrap();
    let inc = "r1 = 1\n";
    std::fs::write(d.join("inc/defs.inc"), inc).unwrap();
    std::fs::write(d.join("main.s"), ".include \"defs.inc\"\nr0 = 0\nexit\n").unwrap();
    std::fs::write(d.join("bad.s"), ".include \"defs.inc\"\nbogus\n").unwrap();
    for args in [
        &["-I", "inc", "main.s", "-o", "inc/defs.inc"][..],
        &["-I", "inc", "bad.s", "-o", "inc/../inc/defs.inc"],
        &["-I", "inc", "main.s", "-o", "main.o", "-MD", "-MF", "inc/defs.inc"],
    ] {
        let o = run(tools::bpfasm(), &d, args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("refusing to overwrite"), "{}", stderr(&o));
        assert_eq!(std::fs::read_to_string(d.join("inc/defs.inc")).unwrap(), inc, "{args:?}");
    }
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn bpfld_never_writes_over_an_input() {
    let d = scratch("bpfld");
    let a = object(&d, "a.o");
    std::fs::hard_link(d.join("a.o"), d.join("alias.o")).unwrap();
    for out in ["a.o", "./a.o", "alias.o"] {
        let o = run(tools::bpfld(), &d, &["a.o", "-o", out]);
        assert_eq!(o.status.code(), Some(2), "{out}: {}", stderr(&o));
        assert!(stderr(&o).contains("refusing to overwrite"), "{}", stderr(&o));
        assert_eq!(std::fs::read(d.join("a.o")).unwrap(), a);
    }
    let o = run(tools::bpfld(), &d, &["a.o", "-o", "out.o"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(tools::bpfld(), &d, &["a.o", "-o", "out.o", "--target-object", "out.o"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(d.join("out.o").is_file());
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn btf_never_writes_over_its_input() {
    let d = scratch("btf");
    // Raw BTF: a header and one INT type.
    let mut raw = vec![0x9f, 0xeb, 1, 0, 24, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0, 0, 16, 0, 0, 0, 5, 0, 0, 0];
    raw.extend_from_slice(&[1, 0, 0, 0, 0, 0, 0, 1, 4, 0, 0, 0, 32, 0, 0, 0]);
    raw.extend_from_slice(b"\0int\0");
    std::fs::write(d.join("in.btf"), &raw).unwrap();
    let o = run(tools::btf(), &d, &["validate", "in.btf"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for args in [
        &["dedup", "in.btf", "-o", "in.btf"][..],
        &["dedup", "in.btf", "-o", "./in.btf"],
        &["from-dwarf", "in.btf", "-o", "in.btf"],
    ] {
        let o = run(tools::btf(), &d, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("refusing to overwrite"), "{}", stderr(&o));
        assert_eq!(std::fs::read(d.join("in.btf")).unwrap(), raw);
    }
    let o = run(tools::btf(), &d, &["dedup", "in.btf", "-o", "out.btf"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&d);
}

/// A writer killed mid-write (SIGKILL, as by the OOM killer or an interrupted `make -j`)
/// leaves the old output intact: the new one is written beside it and renamed into place.
#[test]
fn a_writer_killed_mid_write_leaves_the_old_output() {
    use std::os::unix::process::ExitStatusExt;
    let d = scratch("kill");
    let old = object(&d, "big.o");
    let mut killed_mid_write = false;
    // A large output (the section is zero-filled), written while the test watches for the
    // temporary file; bigger each round until one kill lands mid-write.
    for mb in [64u64, 256, 512] {
        std::fs::write(d.join("big.s"), format!(".section .data\n.zero {}\n", mb << 20)).unwrap();
        let mut child = Command::new(tools::bpfasm()).args(["big.s", "-o", "big.o"]).current_dir(&d).spawn().unwrap();
        let temp = loop {
            let t = std::fs::read_dir(&d).unwrap().filter_map(|e| e.ok()).find(|e| {
                let n = e.file_name().to_string_lossy().into_owned();
                n.starts_with(".big.o.") && e.metadata().is_ok_and(|m| m.len() > 0)
            });
            if t.is_some() || child.try_wait().unwrap().is_some() {
                break t;
            }
            std::thread::yield_now();
        };
        if temp.is_some() {
            let _ = child.kill();
        }
        let status = child.wait().unwrap();
        let now = std::fs::read(d.join("big.o")).unwrap();
        if status.signal() == Some(9) {
            // Killed while writing: the old object is there, whole.
            assert_eq!(now, old, "a killed write replaced the output");
            killed_mid_write = true;
            break;
        }
        // It finished first: the new object is complete.
        assert!(status.success());
        assert!(now.len() as u64 > mb << 20);
        std::fs::write(d.join("big.o"), &old).unwrap();
    }
    assert!(killed_mid_write, "no kill landed while the output was being written");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn no_escape_codes_unless_on_a_terminal_or_asked() {
    let d = scratch("color");
    std::fs::write(d.join("bad.s"), BAD_S).unwrap();
    let esc = |o: &Output| o.stderr.contains(&0x1b) || o.stdout.contains(&0x1b);
    // stderr is a pipe here.
    let o = run(tools::bpfasm(), &d, &["bad.s", "-o", "bad.o"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!esc(&o), "{}", stderr(&o));
    let o = run(tools::bpfasm(), &d, &["--color=always", "bad.s", "-o", "bad.o"]);
    assert!(esc(&o));
    let o = Command::new(tools::bpfasm())
        .args(["bad.s", "-o", "bad.o"])
        .current_dir(&d)
        .env("CLICOLOR_FORCE", "1")
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert!(esc(&o), "CLICOLOR_FORCE");
    let o = Command::new(tools::bpfasm())
        .args(["--color=auto", "bad.s", "-o", "bad.o"])
        .current_dir(&d)
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!esc(&o), "NO_COLOR wins");
    for fmt in ["json", "short"] {
        let o = run(tools::bpfasm(), &d, &["--color=always", &format!("--message-format={fmt}"), "bad.s"]);
        assert!(!esc(&o), "{fmt} is never coloured");
    }

    // Every tool takes --color, and colours only when asked.
    object(&d, "a.o");
    let cases: [(&Path, Vec<&str>); 3] = [
        (tools::bpfld(), vec!["missing.o", "-o", "out.o"]),
        (tools::btf(), vec!["dump", "missing.btf"]),
        (tools::bpflint(), vec!["--kernel", "6.18", "a.o"]),
    ];
    for (tool, args) in cases {
        let with = |c: &str| {
            let mut a = vec![c];
            a.extend(args.iter().copied());
            run(tool, &d, &a)
        };
        let (auto, never, always) = (with("--color=auto"), with("--color=never"), with("--color=always"));
        assert!(!esc(&auto) && !esc(&never), "{}: {}", tool.display(), stderr(&auto));
        assert!(esc(&always), "{}: --color=always: {}", tool.display(), stderr(&always));
        assert_eq!(with("--color=sometimes").status.code(), Some(2));
    }
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn a_byte_order_mark_is_skipped() {
    let d = scratch("bom");
    std::fs::write(d.join("plain.s"), "r0 = 0\r\nexit\r\n").unwrap();
    std::fs::write(d.join("bom.s"), "\u{feff}r0 = 0\r\nexit\r\n").unwrap();
    std::fs::write(d.join("inc.s"), "\u{feff}.include \"body.inc\"\n").unwrap();
    std::fs::write(d.join("body.inc"), "\u{feff}r0 = 0\nexit\n").unwrap();
    for s in ["plain.s", "bom.s", "inc.s"] {
        let o = run(tools::bpfasm(), &d, &[s, "-o", &format!("{s}.o")]);
        assert!(o.status.success(), "{s}: {}", stderr(&o));
    }
    let text = |n: &str| {
        let o = run(tools::bpfasm(), &d, &["-d", n]);
        String::from_utf8_lossy(&o.stdout).replace(n.trim_end_matches(".o"), "X")
    };
    assert_eq!(text("bom.s.o"), text("plain.s.o"));
    assert!(text("inc.s.o").contains("exit"));
    // A mark anywhere else is still an error.
    std::fs::write(d.join("mid.s"), "r0 = 0\n\u{feff}exit\n").unwrap();
    let o = run(tools::bpfasm(), &d, &["mid.s", "-o", "mid.o"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("mid.s:2:1"), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&d);
}

/// The same input gives the same bytes on every run (no hash order in the output): with `-g`
/// and an `.include`, whose file names go into the BTF string section.
#[test]
fn the_same_input_gives_the_same_bytes_every_run() {
    let d = scratch("determinism");
    let ex = tools::workspace_root().join("examples");
    std::fs::create_dir_all(d.join("include")).unwrap();
    std::fs::copy(ex.join("include/net.inc"), d.join("include/net.inc")).unwrap();
    std::fs::copy(ex.join("socket_filter.s"), d.join("socket_filter.s")).unwrap();
    let mut first: Option<Vec<u8>> = None;
    for i in 0..8 {
        let out = format!("s{i}.o");
        let o = run(tools::bpfasm(), &d, &["-g", "-I", "include", "socket_filter.s", "-o", &out]);
        assert!(o.status.success(), "{}", stderr(&o));
        let bytes = std::fs::read(d.join(&out)).unwrap();
        match &first {
            None => first = Some(bytes),
            Some(f) => assert!(*f == bytes, "run {i} gave different bytes"),
        }
    }
    let _ = std::fs::remove_dir_all(&d);
}
