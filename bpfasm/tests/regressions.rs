//! Inputs the `disasm` fuzz target found (fuzz/regressions/disasm/*.s): each assembles (in the
//! byte order the fuzz target used: big endian for an odd length), and its disassembly must
//! assemble again to the same code in every executable section.

use bpf_isa::Endian;
use bpfasm::{disasm::disassemble, Assembler, Options};

fn assemble(text: &str, endian: Endian) -> Result<Vec<u8>, String> {
    let mut a = Assembler::new(Options { endian, ..Default::default() });
    a.assemble_file("regression.s", text.to_string());
    match a.finish() {
        Some(o) if a.errors == 0 => Ok(o),
        _ => Err(format!("{:?}", a.diags)),
    }
}

fn code_sections(obj: &[u8]) -> Vec<(String, Vec<u8>)> {
    use object::{Object, ObjectSection, SectionFlags};
    let f = object::File::parse(obj).expect("our object parses");
    f.sections()
        .filter(|s| match s.flags() {
            SectionFlags::Elf { sh_flags, .. } => sh_flags.0 & object::elf::SHF_EXECINSTR.0 != 0,
            _ => false,
        })
        .map(|s| (s.name().unwrap_or("").to_string(), s.data().unwrap().to_vec()))
        .collect()
}

#[test]
fn disassembly_assembles_to_the_same_code() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions/disasm");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).expect("fuzz/regressions/disasm") {
        let p = e.unwrap().path();
        if p.extension().is_none_or(|x| x != "s") {
            continue;
        }
        n += 1;
        let data = std::fs::read(&p).unwrap();
        let text = String::from_utf8(data.clone()).unwrap();
        let endian = if data.len() % 2 == 0 { Endian::Little } else { Endian::Big };
        let obj = assemble(&text, endian).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        let dis = disassemble(&obj).unwrap();
        let again = assemble(&dis, endian).unwrap_or_else(|e| panic!("{}: disassembly:\n{dis}\n{e}", p.display()));
        assert_eq!(code_sections(&obj), code_sections(&again), "{}", p.display());
    }
    assert!(n >= 1, "no regression inputs in {}", dir.display());
}

/// A `.cdecl` header may declare many kfuncs; like clang, the object lists only those the code
/// calls (libbpf refuses an undefined symbol without BTF: "failed to find BTF for extern").
#[test]
fn declared_but_unused_externs_are_not_in_the_symbol_table() {
    use object::{Object, ObjectSymbol};
    let src = "\t.cdecl\nstruct task_struct { int pid; };\n\
        extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;\n\
        extern void bpf_task_release(struct task_struct *p) __ksym;\n\
        char LICENSE[] SEC(\"license\") = \"GPL\";\n\t.endcdecl\n\
        \t.section tp_btf/sched_switch,\"ax\",@progbits\n\t.globl prog\nprog:\n\
        \tr1 = 0\n\tcall bpf_task_release\n\tr0 = 0\n\texit\n";
    let obj = assemble(src, Endian::Little).unwrap();
    let f = object::File::parse(&*obj).unwrap();
    let names: Vec<String> = f.symbols().map(|s| s.name().unwrap_or("").to_string()).collect();
    assert!(names.iter().any(|n| n == "bpf_task_release"), "{names:?}");
    assert!(!names.iter().any(|n| n == "bpf_task_acquire"), "{names:?}");
}
