//! The front end against the instruction table: for every row and every alias, the text the
//! printer (or the alias template) gives parses and lowers back to the same instruction; and
//! parsing is pure: trying templates creates no symbol and records no reference.

use crate::asm::{Assembler, Options};
use bpf_isa::{decode, print, Endian, Field, Insn, Op, ALIASES, FORMS};
use object::{Object, ObjectSection};

fn assemble(text: &str, ide: bool) -> Assembler {
    let mut a = Assembler::new(Options { ide, ..Default::default() });
    a.assemble_file("t.s", text.to_string());
    assert_eq!(a.errors, 0, "{text:?}: {:?}", a.diags);
    a
}

/// `lower(parse(text))`: the one instruction `text` assembles to.
fn lower_parse(text: &str) -> Insn {
    let mut a = assemble(&format!("\t{text}\n"), false);
    // Through `finish`: some operands (`addr_space_cast`'s) are fixups resolved at layout.
    let obj = a.finish().expect("object");
    let f = object::File::parse(&obj[..]).expect("ELF");
    let bytes = f.section_by_name(".text").expect(".text").data().expect("data").to_vec();
    let (insn, n) = decode(&bytes, Endian::Little).unwrap_or_else(|e| panic!("{text}: {e:?}"));
    assert_eq!(n, bytes.len(), "{text}: one instruction");
    insn
}

/// An instruction of `op` with distinct values in its operand fields.
fn sample(op: Op) -> Insn {
    let f = op.form();
    let mut i = Insn::new(op);
    if f.dst == Field::Operand {
        i.dst = 3;
    }
    if f.src == Field::Operand {
        i.src = 4;
    }
    if f.off == Field::Operand {
        i.off = -16;
    }
    if f.imm == Field::Operand {
        i.imm = match op {
            _ if f.is_wide() => 0x1234_5678_9abc,
            Op::AddrSpaceCast => 0x0001_0000,
            Op::LdIndB | Op::LdIndH | Op::LdIndW => 0,
            _ => -42,
        };
    }
    i
}

#[test]
fn every_row_lowers_back_from_its_printed_form() {
    for f in FORMS {
        let insn = sample(f.op);
        let text = print(&insn);
        assert_eq!(lower_parse(&text), insn, "{} `{text}`", f.name);
    }
}

#[test]
fn every_alias_lowers_to_its_row() {
    for &(op, template) in ALIASES {
        let insn = sample(op);
        // The alias template with the sample's operands (aliases use registers and `$moff`).
        let text = template
            .replace("$dw", &format!("w{}", insn.dst))
            .replace("$sw", &format!("w{}", insn.src))
            .replace("$d", &format!("r{}", insn.dst))
            .replace("$s", &format!("r{}", insn.src))
            .replace("$moff", &format!("- {}", -(insn.off as i32)));
        assert!(!text.contains('$'), "alias placeholder not filled: {template}");
        assert_eq!(lower_parse(&text), insn, "alias `{text}`");
    }
}

#[test]
fn matching_creates_and_records_each_name_once() {
    // Statements tried against several templates that parse the name before failing
    // (`r2 = qux` is first tried as `r2 = qux ll`).
    let src = "\tr2 = qux\n\tr1 = foo ll\n\tcall bar\n\tif r1 > r2 goto baz\n\tgoto baz\n\tr1 = *(u64 *)(r10 - 8)\nbaz:\n\texit\n";
    let a = assemble(src, true);
    let name = |id: u32| a.syms[id as usize].name.to_string();
    let mut refs: Vec<(String, u32)> = a.ide.refs().iter().map(|&(id, sp)| (name(id), sp.start)).collect();
    refs.sort();
    let at = |s: &str| src.find(s).unwrap() as u32;
    let want = vec![
        ("bar".to_string(), at("bar")),
        ("baz".to_string(), at("baz")),
        ("baz".to_string(), at("goto baz\n\tr1") + 5),
        ("foo".to_string(), at("foo")),
        ("qux".to_string(), at("qux")),
    ];
    assert_eq!(refs, want);
    // No symbol beyond the four names and the section's own.
    let names: Vec<String> = a.syms.iter().map(|s| s.name.to_string()).filter(|n| !n.starts_with(".text")).collect();
    assert_eq!(names.len(), 4, "{names:?}");
}
