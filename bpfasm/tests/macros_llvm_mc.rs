//! Macros against llvm-mc-19: every source in `tests/macros/` assembles to the same object as
//! llvm-mc makes of it (every section's bytes, the symbols and the relocations; the string
//! tables may order their names differently), little and big endian. And with `-g`, the line
//! rows of expanded code carry the same line numbers (that of the outermost macro use).

use object::{Object, ObjectSection, ObjectSymbol, RelocationTarget};
use std::path::{Path, PathBuf};
use std::process::Command;

fn have(tool: &str) -> bool {
    match Command::new(tool).arg("--version").output() {
        Ok(o) if o.status.success() => true,
        _ => {
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!("{tool} is not installed (CI=true: a missing tool is a failure)");
            }
            eprintln!("skipped: {tool} not installed");
            false
        }
    }
}

fn sources() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/macros");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "s"))
        .collect();
    v.sort();
    assert!(v.len() >= 4, "macro sources missing in {}", dir.display());
    v
}

fn scratch(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("bpfasm-macros-{}-{tag}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn assemble(cmd: &mut Command, what: &str) {
    let o = cmd.output().unwrap_or_else(|e| panic!("run {what}: {e}"));
    assert!(o.status.success(), "{what} failed:\n{}", String::from_utf8_lossy(&o.stderr));
}

/// Everything in an object but the order of names in its string tables.
fn summary(path: &Path) -> Vec<String> {
    let data = std::fs::read(path).unwrap();
    let f = object::File::parse(&*data).unwrap();
    let mut out = Vec::new();
    for s in f.sections() {
        let name = s.name().unwrap_or("?").to_string();
        if name == ".strtab" || name == ".symtab" || name == ".shstrtab" {
            continue;
        }
        out.push(format!("section {name} size {} align {} data {:02x?}", s.size(), s.align(), s.data().unwrap()));
        for (off, r) in s.relocations() {
            let target = match r.target() {
                RelocationTarget::Symbol(i) => {
                    f.symbol_by_index(i).map(|s| s.name().unwrap_or("?").to_string()).unwrap()
                }
                t => format!("{t:?}"),
            };
            out.push(format!("  reloc {off:#x} {:?} {target} {}", r.flags(), r.addend()));
        }
    }
    for s in f.symbols() {
        let sec =
            s.section_index().and_then(|i| f.section_by_index(i).ok()).map(|s| s.name().unwrap_or("?").to_string());
        out.push(format!(
            "symbol {} value {:#x} size {} kind {:?} scope {:?} weak {} section {sec:?}",
            s.name().unwrap_or("?"),
            s.address(),
            s.size(),
            s.kind(),
            s.scope(),
            s.is_weak()
        ));
    }
    out
}

#[test]
fn macro_sources_assemble_like_llvm_mc() {
    if !have("llvm-mc-19") {
        return;
    }
    let dir = scratch("obj");
    let mut checked = 0;
    for src in sources() {
        for (triple, flag) in [("bpfel", "--EL"), ("bpfeb", "--EB")] {
            let stem = src.file_stem().unwrap().to_string_lossy().to_string();
            let ours = dir.join(format!("{stem}.{triple}.ours.o"));
            let theirs = dir.join(format!("{stem}.{triple}.mc.o"));
            assemble(Command::new(env!("CARGO_BIN_EXE_bpfasm")).arg(flag).arg(&src).arg("-o").arg(&ours), "bpfasm");
            assemble(
                Command::new("llvm-mc-19")
                    .args(["-triple", triple, "-filetype=obj", "-I"])
                    .arg(src.parent().unwrap())
                    .arg("-o")
                    .arg(&theirs)
                    .arg(&src),
                "llvm-mc-19",
            );
            let (a, b) = (summary(&ours), summary(&theirs));
            assert!(
                a.iter().any(|l| l.contains(" data [") && !l.contains(" data []")),
                "{}: an empty object proves nothing",
                src.display()
            );
            for (x, y) in a.iter().zip(&b) {
                assert_eq!(x, y, "{} ({triple}): bpfasm (left) and llvm-mc-19 (right) differ", src.display());
            }
            assert_eq!(a.len(), b.len(), "{} ({triple}): different numbers of sections/symbols", src.display());
            checked += 1;
        }
    }
    eprintln!("macros: {checked} objects equal to llvm-mc-19's");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `(address, line)` of every row of `.debug_line`, from llvm-dwarfdump.
fn line_rows(obj: &Path) -> Vec<(u64, u64)> {
    let o = Command::new("llvm-dwarfdump-19").arg("--debug-line").arg(obj).output().expect("run llvm-dwarfdump-19");
    assert!(o.status.success());
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter(|l| l.starts_with("0x"))
        .map(|l| {
            let mut w = l.split_whitespace();
            let addr = u64::from_str_radix(w.next().unwrap().trim_start_matches("0x"), 16).unwrap();
            (addr, w.next().unwrap().parse().unwrap())
        })
        .collect()
}

#[test]
fn debug_lines_of_expansions_match_llvm_mc() {
    if !have("llvm-mc-19") || !have("llvm-dwarfdump-19") {
        return;
    }
    let dir = scratch("g");
    let src = dir.join("g.s");
    std::fs::write(
        &src,
        ".macro m a\n  r1 = \\a\n  r2 = 2\n.endm\n\nm 1\n.rept 2\n r3 = 3\n.endr\n.irp x,4\n r\\x = 0\n.endr\n\
         .macro outer\n m 5\n r6 = 6\n.endm\n outer\n exit\n",
    )
    .unwrap();
    let (ours, theirs) = (dir.join("ours.o"), dir.join("mc.o"));
    assemble(
        Command::new(env!("CARGO_BIN_EXE_bpfasm")).current_dir(&dir).args(["-g", "g.s", "-o"]).arg(&ours),
        "bpfasm",
    );
    assemble(
        Command::new("llvm-mc-19")
            .current_dir(&dir)
            .args(["-triple", "bpfel", "-filetype=obj", "-g", "g.s", "-o"])
            .arg(&theirs),
        "llvm-mc-19",
    );
    let (a, b) = (line_rows(&ours), line_rows(&theirs));
    assert_eq!(a.len(), 10, "a row per instruction and the end: {a:?}");
    assert_eq!(a, b, "line rows (address, line): bpfasm (left), llvm-mc-19 (right)");
    let _ = std::fs::remove_dir_all(&dir);
}
