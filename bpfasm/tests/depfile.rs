//! `.include` with `-I`, and make dependency files (`-MD`, `-MF`, `-MP`, `-MT`).

use std::process::Command;

fn tmpdir(tag: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("bpfasm-dep-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(d.join("inc")).unwrap();
    d
}

#[test]
fn includes_and_dependency_file() {
    let d = tmpdir("md");
    std::fs::write(d.join("inc/frame.inc"), "\t.set FRAME, 16\n\t.include \"nested.inc\"\n").unwrap();
    std::fs::write(d.join("inc/nested.inc"), "\t.set VALUE, 7\n").unwrap();
    std::fs::write(d.join("prog.s"), "\t.include \"frame.inc\"\n\t*(u64 *)(r10 - FRAME) = r1\n\tr0 = VALUE\n\texit\n")
        .unwrap();
    let st = Command::new(env!("CARGO_BIN_EXE_bpfasm"))
        .current_dir(&d)
        .args(["-I", "inc", "-MD", "-MP", "prog.s", "-o", "prog.o"])
        .status()
        .unwrap();
    assert!(st.success());
    let dep = std::fs::read_to_string(d.join("prog.d")).unwrap();
    assert_eq!(
        dep,
        "prog.o: \\\n  prog.s \\\n  inc/frame.inc \\\n  inc/nested.inc\n\ninc/frame.inc:\n\ninc/nested.inc:\n"
    );
    // -MF (its folder is created) and -MT.
    let st = Command::new(env!("CARGO_BIN_EXE_bpfasm"))
        .current_dir(&d)
        .args(["-I", "inc", "-MF", "deps/x.d", "-MT", "build/prog.o", "prog.s", "-o", "prog.o"])
        .status()
        .unwrap();
    assert!(st.success());
    let dep = std::fs::read_to_string(d.join("deps/x.d")).unwrap();
    assert!(dep.starts_with("build/prog.o: \\\n  prog.s"), "{dep}");
    // The included constants were used.
    let out = Command::new(env!("CARGO_BIN_EXE_bpfasm")).current_dir(&d).args(["-d", "prog.o"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("*(u64 *)(r10 - 16) = r1") && text.contains("r0 = 7"), "{text}");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn failed_assembly_leaves_no_output() {
    let d = tmpdir("fail");
    std::fs::write(d.join("bad.s"), "\tr0 = \n").unwrap();
    std::fs::write(d.join("bad.o"), "stale").unwrap();
    let st =
        Command::new(env!("CARGO_BIN_EXE_bpfasm")).current_dir(&d).args(["bad.s", "-o", "bad.o"]).status().unwrap();
    assert_eq!(st.code(), Some(1));
    assert!(!d.join("bad.o").exists(), "a stale object must not survive a failed build");
    let _ = std::fs::remove_dir_all(&d);
}
