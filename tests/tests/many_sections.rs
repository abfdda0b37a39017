//! An object with more sections than a 16-bit section index holds (issue 16): 66,000 code
//! sections, each with a global function, assembled by bpfasm. ELF's extended numbering must be
//! used (`e_shnum` 0 with the count in section 0's `sh_size`, symbols with `SHN_XINDEX` and
//! their indices in `.symtab_shndx`), not indices cut to 16 bits. Checked with llvm-readelf-19
//! (section count, each symbol's section), with `bpfobj::read`, and against llvm-mc-19's object
//! for the same source (semantic comparison, `objcmp`). bpfld links the object (libbpf's
//! linker refuses it: it does not know `.symtab_shndx`) and its output is checked the same way.

use std::collections::HashMap;
use std::process::Command;

use toolchain_tests::objcmp::{self, Mode};
use toolchain_tests::{corpus, tools};

const READELF: &str = "llvm-readelf-19";
const N: usize = 66_000;
/// The last sections also call a function of a low section (a `.rel` section each), jump to a
/// local label (a section symbol in the reserved range) and hold data naming both ends.
const WITH_RELOCS: usize = 3;

/// The source: `.text.sK` sections with `fK`; the last ones with relocations; a data section
/// last of all, with a local symbol and addresses of the first and last functions.
fn source() -> String {
    let mut s = String::with_capacity(N * 48);
    for k in 0..N {
        s.push_str(&format!("\t.section .text.s{k},\"ax\"\n\t.globl f{k}\n\t.type f{k},@function\nf{k}:\n"));
        if k >= N - WITH_RELOCS {
            s.push_str(&format!("\tcall f0\n\tr1 = .Ll{k} ll\n.Ll{k}:\n"));
        }
        s.push_str(&format!("\texit\n\t.size f{k}, .-f{k}\n"));
    }
    s.push_str(&format!("\t.section .data.last,\"aw\"\nlast:\n\t.quad f0\n\t.quad f{}\n", N - 1));
    s
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(out.status.success(), "{cmd:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// `[ K] name` lines of `llvm-readelf -S`: section index by name.
fn section_indices(sections: &str) -> HashMap<String, u64> {
    let mut m = HashMap::new();
    for line in sections.lines() {
        let Some(rest) = line.trim_start().strip_prefix('[') else { continue };
        let Some((k, rest)) = rest.split_once(']') else { continue };
        let (Ok(k), Some(name)) = (k.trim().parse::<u64>(), rest.split_whitespace().next()) else { continue };
        if k != 0 {
            m.insert(name.to_string(), k);
        }
    }
    m
}

/// (name, Ndx) of the named symbols of `llvm-readelf -s`.
fn symbol_sections(symbols: &str) -> HashMap<String, String> {
    let mut m = HashMap::new();
    for line in symbols.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() == 8 && f[0].ends_with(':') {
            m.insert(f[7].to_string(), f[6].to_string());
        }
    }
    m
}

#[test]
fn more_sections_than_16_bits_hold() {
    if !tools::installed(READELF) {
        tools::skip(&format!("{READELF} not installed"));
        return;
    }
    let dir = std::env::temp_dir().join(format!("many-sections-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let src = dir.join("many.s");
    std::fs::write(&src, source()).unwrap();
    let ours = dir.join("many.o");
    run(Command::new(tools::bpfasm()).arg(&src).arg("-o").arg(&ours));

    // Null, .strtab, .text, the N sections, a .rel section for each of the last ones,
    // .data.last with its .rel, .symtab, .symtab_shndx.
    let count = 2 + 1 + N + WITH_RELOCS + 2 + 2;
    let header = run(Command::new(READELF).arg("-h").arg(&ours));
    let shnum = header.lines().find(|l| l.contains("Number of section headers:")).expect("e_shnum line");
    assert!(shnum.ends_with(&format!(" 0 ({count})")), "{shnum}");
    assert!(header.contains("Section header string table index: 1"), "{header}");
    let sections = run(Command::new(READELF).arg("-S").arg(&ours));
    assert!(sections.contains(&format!("There are {count} section headers")), "{}", &sections[..200]);
    let index = section_indices(&sections);
    assert_eq!(index.len(), count - 1, "named sections");
    assert_eq!(index[".symtab_shndx"] as usize, count - 1);
    let syms = symbol_sections(&run(Command::new(READELF).arg("-s").arg(&ours)));
    for k in 0..N {
        let want = index[&format!(".text.s{k}")];
        assert_eq!(syms.get(&format!("f{k}")), Some(&want.to_string()), "section of f{k}");
    }
    assert_eq!(syms["last"], index[".data.last"].to_string());
    // (the section symbol of a high section, for the local label, and `last` itself)
    assert!(index[".data.last"] >= 0xff00);

    // bpfobj::read: the same sections, the symbols in them, the relocations of the last ones.
    let data = std::fs::read(&ours).unwrap();
    let obj = bpfobj::read::Object::parse(&data).unwrap();
    assert_eq!(obj.sections().len(), count);
    let mut seen = 0;
    for s in obj.symbols() {
        if let Some(k) = s.name().strip_prefix('f').and_then(|k| k.parse::<usize>().ok()) {
            let sec = s.section().expect("defined");
            assert_eq!(obj.sections()[sec].name(), format!(".text.s{k}"), "bpfobj::read: section of f{k}");
            seen += 1;
        }
    }
    assert_eq!(seen, N);
    let last = index[".data.last"] as usize;
    let relocs = obj.relocations(last).unwrap();
    assert_eq!(relocs.len(), 2);

    // bpfld reads and writes it: the same sections, each function in its own, the data's
    // relocations against the first and last functions.
    let linked = dir.join("many.linked.o");
    run(Command::new(tools::bpfld()).arg(&ours).arg("-o").arg(&linked));
    let header = run(Command::new(READELF).arg("-h").arg(&linked));
    let shnum = header.lines().find(|l| l.contains("Number of section headers:")).expect("e_shnum line");
    let linked_count: usize = shnum
        .rsplit_once('(')
        .and_then(|(_, n)| n.trim_end_matches(')').parse().ok())
        .unwrap_or_else(|| panic!("extended numbering: {shnum}"));
    assert!(linked_count > N, "{shnum}");
    let linked_index = section_indices(&run(Command::new(READELF).arg("-S").arg(&linked)));
    let linked_syms = symbol_sections(&run(Command::new(READELF).arg("-s").arg(&linked)));
    for k in 0..N {
        let want = linked_index[&format!(".text.s{k}")];
        assert_eq!(linked_syms.get(&format!("f{k}")), Some(&want.to_string()), "bpfld: section of f{k}");
    }
    assert_eq!(linked_syms["last"], linked_index[".data.last"].to_string());
    let rel = run(Command::new(READELF).arg("-r").arg(&linked));
    let data_rel = rel.split("Relocation section '.rel.data.last'").nth(1).expect(".rel.data.last");
    let names: Vec<&str> = data_rel
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|f| f.len() == 5 && f[0].len() == 16 && f[0].bytes().all(|b| b.is_ascii_hexdigit()))
        .map(|f| f[4])
        .take(3)
        .collect();
    assert_eq!(names, ["f0", &format!("f{}", N - 1)]);

    // llvm-mc-19: the same object, compared by meaning.
    if tools::installed(corpus::LLVM_MC) {
        let mc = dir.join("many.mc.o");
        run(Command::new(corpus::LLVM_MC).args(["-triple", "bpfel", "-filetype=obj"]).arg(&src).arg("-o").arg(&mc));
        let mc_sections = run(Command::new(READELF).arg("-S").arg(&mc));
        assert_eq!(section_indices(&mc_sections), index, "section indices against llvm-mc");
        if let Err(d) = objcmp::compare_files(&ours, &mc, Mode::Full) {
            panic!("against llvm-mc-19:\n{d}");
        }
    } else {
        tools::skip(&format!("{} not installed: no comparison with its object", corpus::LLVM_MC));
    }
    let _ = std::fs::remove_dir_all(&dir);
}
