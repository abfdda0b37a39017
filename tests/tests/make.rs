//! Build integration: `make -j2` builds the examples (assemble, link, skeleton); touching an
//! `.include`d file rebuilds exactly the objects that include it (and what depends on them);
//! a failing step fails the build with make's exit status.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use toolchain_tests::tools;

/// Copy the example sources only (`.s`, `.c`, `.inc`, `Makefile`): never what a build in the
/// work tree left there (objects, dependency files, skeletons, lint stamps, `build/`), which
/// `./demo.sh` creates and which would make the copy look half built.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        let name = e.file_name();
        let n = name.to_string_lossy();
        if p.is_dir() {
            if n != "build" {
                copy_dir(&p, &to.join(&name));
            }
        } else if is_source(&n) {
            std::fs::copy(&p, to.join(&name)).unwrap();
        }
    }
}

fn is_source(name: &str) -> bool {
    name == "Makefile" || [".s", ".c", ".inc"].iter().any(|x| name.ends_with(x))
}

#[test]
fn the_copy_takes_sources_only_whatever_a_build_left_behind() {
    for built in ["a.o", "a.d", "a.skel.h", "a.lint", "a.lint.tmp", "a.o.tmp", ".a.o.1.0.tmp"] {
        assert!(!is_source(built), "{built}");
    }
    for src in ["Makefile", "a.s", "a.c", "net.inc"] {
        assert!(is_source(src), "{src}");
    }
    // A work tree with the leftovers of a build: the copy has none of them.
    let dir = std::env::temp_dir().join(format!("make-copy-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (from, to) = (dir.join("from"), dir.join("to"));
    std::fs::create_dir_all(from.join("build")).unwrap();
    std::fs::create_dir_all(from.join("link")).unwrap();
    for f in ["Makefile", "x.s", "x.o", "x.lint", "build/y.s", "link/z.s", "link/z.o", "link/z.lint"] {
        std::fs::write(from.join(f), "").unwrap();
    }
    copy_dir(&from, &to);
    let mut got = Vec::new();
    let mut stack = vec![to.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                got.push(p.strip_prefix(&to).unwrap().display().to_string());
            }
        }
    }
    got.sort();
    assert_eq!(got, ["Makefile", "link/z.s", "x.s"]);
    let _ = std::fs::remove_dir_all(&dir);
}

fn make(dir: &Path, extra: &[&str]) -> (i32, String) {
    let out = Command::new("make")
        .current_dir(dir)
        .arg("-j2")
        .arg(format!("BPFASM={}", tools::bpfasm().display()))
        .arg(format!("BPFLD={}", tools::bpfld().display()))
        .arg(format!("BPFLINT={}", tools::bpflint().display()))
        .args(extra)
        .output()
        .expect("run make");
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

/// The targets make rebuilt, from its echoed commands (`... -o X` / `> X.tmp`).
/// (The lint rule writes `X.lint.tmp` and renames it.)
fn rebuilt(log: &str) -> BTreeSet<String> {
    let mut set = BTreeSet::new();
    for line in log.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if let Some(i) = words.iter().position(|w| *w == "-o") {
            if let Some(t) = words.get(i + 1) {
                set.insert(t.to_string());
            }
        }
        if let Some(i) = words.iter().position(|w| *w == ">") {
            if let Some(t) = words.get(i + 1) {
                set.insert(t.trim_end_matches(".tmp").to_string());
            }
        }
    }
    set
}

#[test]
fn make_rebuilds_exactly_what_depends_on_an_include() {
    for t in ["make", "clang-19", "bpftool"] {
        if !tools::installed(t) {
            tools::skip(t);
            return;
        }
    }
    let dir: PathBuf = std::env::temp_dir().join(format!("toolchain-make-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&tools::workspace_root().join("examples"), &dir);

    let (code, log) = make(&dir, &[]);
    assert_eq!(code, 0, "first build failed:\n{log}");
    assert!(dir.join("link/xdp_linked.o").is_file() && dir.join("link/xdp_linked.skel.h").is_file());
    let (code, log) = make(&dir, &[]);
    assert_eq!(code, 0);
    assert!(rebuilt(&log).is_empty(), "a second make must do nothing:\n{log}");

    // Touch the shared include: only its includers (and their skeletons) are rebuilt.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let inc = dir.join("include/net.inc");
    let text = std::fs::read_to_string(&inc).unwrap();
    std::fs::write(&inc, text).unwrap();
    let (code, log) = make(&dir, &[]);
    assert_eq!(code, 0, "{log}");
    let want: BTreeSet<String> = ["socket_filter", "cgroup_skb", "tailcall", "tc_classify"]
        .iter()
        .flat_map(|n| [format!("{n}.o"), format!("{n}.skel.h"), format!("{n}.lint")])
        .collect();
    assert_eq!(rebuilt(&log), want, "make log:\n{log}");

    // A program the verifier would reject fails the build at the lint step.
    std::fs::write(
        dir.join("rejected.s"),
        "\t.section\tsocket,\"ax\",@progbits\n\t.globl\tf\n\t.type\tf,@function\nf:\n\tr0 = r2\n\texit\n",
    )
    .unwrap();
    let (code, log) = make(&dir, &[]);
    assert_eq!(code, 2, "{log}");
    assert!(log.contains("R2 !read_ok"), "{log}");
    assert!(dir.join("rejected.o").exists() && !dir.join("rejected.lint").exists());
    std::fs::remove_file(dir.join("rejected.s")).unwrap();
    std::fs::remove_file(dir.join("rejected.o")).unwrap();
    let _ = std::fs::remove_file(dir.join("rejected.d"));

    // A broken source fails the build with make's status 2 and leaves no object behind.
    std::fs::write(dir.join("broken.s"), "\tr0 = \n").unwrap();
    let (code, log) = make(&dir, &[]);
    assert_eq!(code, 2, "{log}");
    assert!(log.contains("broken.s:1:6"), "{log}");
    assert!(!dir.join("broken.o").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// The examples built in two different directories are byte-identical when the build
/// directory is mapped away (`bpfasm --debug-prefix-map`, clang's `-fdebug-prefix-map`), so
/// remote build caches hit; without the map the `-g` objects differ (the test can fail).
#[test]
fn examples_built_in_two_directories_are_byte_identical() {
    for t in ["make", "clang-19", "bpftool"] {
        if !tools::installed(t) {
            tools::skip(t);
            return;
        }
    }
    let arch = Command::new("uname").arg("-m").output().unwrap();
    let arch_inc = format!("/usr/include/{}-linux-gnu", String::from_utf8_lossy(&arch.stdout).trim());
    let base = std::env::temp_dir().join(format!("toolchain-repro-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let build = |dir: &Path, map: bool| -> Vec<(String, Vec<u8>)> {
        copy_dir(&tools::workspace_root().join("examples"), dir);
        let d = dir.display();
        let (asflags, cflags) = if map {
            (
                format!("ASFLAGS=-g --debug-prefix-map={d}=/src"),
                format!("CFLAGS=-O2 -g -target bpf -mcpu=v3 -I{arch_inc} -fdebug-prefix-map={d}=/src"),
            )
        } else {
            ("ASFLAGS=-g".to_string(), format!("CFLAGS=-O2 -g -target bpf -mcpu=v3 -I{arch_inc}"))
        };
        let (code, log) = make(dir, &[&asflags, &cflags]);
        assert_eq!(code, 0, "build in {d} failed:\n{log}");
        let mut objs = Vec::new();
        for sub in ["", "link"] {
            for e in std::fs::read_dir(dir.join(sub)).unwrap() {
                let p = e.unwrap().path();
                if p.extension().is_some_and(|x| x == "o") {
                    let name = p.strip_prefix(dir).unwrap().display().to_string();
                    objs.push((name, std::fs::read(&p).unwrap()));
                }
            }
        }
        objs.sort();
        objs
    };
    let a = build(&base.join("one/examples"), true);
    let b = build(&base.join("second-checkout/x/examples"), true);
    assert!(a.len() >= 14, "{} objects", a.len());
    let names = |v: &[(String, Vec<u8>)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b));
    for ((n, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{n} differs between the two build directories");
    }
    // Without the map, the build directory is in the objects.
    let c = build(&base.join("third/examples"), false);
    let differ = a.iter().zip(&c).filter(|((_, x), (_, y))| x != y).count();
    assert!(differ > 0, "without --debug-prefix-map no object differs: the test proves nothing");
    let _ = std::fs::remove_dir_all(&base);
}
