//! Expansion through the whole assembler: what comes out, and where diagnostics point.

use crate::asm::{Assembler, Options};

fn asm(src: &str) -> Assembler {
    let mut a = Assembler::new(Options::default());
    a.assemble_file("t.s", src.to_string());
    a
}

/// `(dst register, imm)` of each instruction of `.text` (after layout: `rN = expr` fixed up).
fn imms(a: &mut Assembler) -> Vec<(u8, i32)> {
    use object::{Object, ObjectSection};
    let obj = a.finish().expect("an object");
    let f = object::File::parse(&*obj).unwrap();
    let text = f.section_by_name(".text").map(|s| s.data().unwrap().to_vec()).unwrap_or_default();
    text.chunks(8).map(|c| (c[1] & 0xf, i32::from_le_bytes([c[4], c[5], c[6], c[7]]))).collect()
}

fn messages(a: &Assembler) -> Vec<String> {
    a.diags.iter().map(|d| d.message.clone()).collect()
}

#[test]
fn arguments_defaults_and_counter() {
    let mut a = asm(".macro m a, b=7\nr\\a = \\b\nr0 = \\@\n.endm\nm 1\nm 2, 3\nm b=4, a=5\n");
    assert_eq!(messages(&a), Vec::<String>::new());
    assert_eq!(imms(&mut a), [(1, 7), (0, 0), (2, 3), (0, 1), (5, 4), (0, 2)]);
}

#[test]
fn conditionals_choose_one_branch() {
    let mut a =
        asm(".set N, 2\n.if N == 1\nr1 = 1\n.elseif N == 2\nr1 = 2\n.elseif 1\nr1 = 3\n.else\nr1 = 4\n.endif\n\
         .if 0\n.if 1\nr2 = 1\n.else\nr2 = 2\n.endif\n.else\nr2 = 3\n.endif\n.ifdef N\nr3 = 1\n.endif\n\
         .ifndef N\nr3 = 2\n.endif\n");
    assert_eq!(messages(&a), Vec::<String>::new());
    assert_eq!(imms(&mut a), [(1, 2), (2, 3), (3, 1)]);
    assert!(a.mac.conds.is_empty() && !a.mac.skipping);
}

#[test]
fn recursion_with_a_base_case_and_exitm() {
    let mut a = asm(".macro down n\n.if \\n\nr1 = \\n\ndown \\n-1\n.endif\n.endm\ndown 3\n");
    assert_eq!(messages(&a), Vec::<String>::new());
    assert_eq!(imms(&mut a), [(1, 3), (1, 2), (1, 1)]);
    let mut a = asm(".macro m a\nr1 = \\a\n.if \\a\n.exitm\n.endif\nr2 = \\a\n.endm\nm 0\nm 1\nr3 = 3\n");
    assert_eq!(imms(&mut a), [(1, 0), (2, 0), (1, 1), (3, 3)]);
    assert!(!a.mac.exit_pending);
}

#[test]
fn plain_rept_bodies_are_not_copied() {
    let mut a = asm(".rept 4\nr1 = 1\n.endr\n");
    assert_eq!(imms(&mut a).len(), 4);
    assert!(a.mac.expansions.is_empty(), "a body without `\\` is read where it stands");
    let mut a = asm(".irp x, 1, 2\nr\\x = \\x\n.endr\n");
    assert_eq!(imms(&mut a), [(1, 1), (2, 2)]);
    assert_eq!(a.mac.expansions.len(), 2);
}

#[test]
fn diagnostics_point_at_the_body_and_the_uses() {
    let src = ".macro set n\nr\\n = 0\n.endm\n.macro outer\nset 11\n.endm\nouter\n";
    let a = asm(src);
    assert_eq!(a.diags.len(), 1, "{:?}", a.diags);
    let d = &a.diags[0];
    let sp = d.span.unwrap();
    assert!(!a.is_expansion(sp.file));
    assert_eq!(&src[sp.start as usize..sp.end as usize], "r\\n");
    let labels: Vec<&str> = d.secondary.iter().map(|(s, _)| &src[s.start as usize..s.end as usize]).collect();
    assert_eq!(labels, ["set", "outer"]);
    assert!(d.notes.iter().any(|n| n.contains("r11 = 0")), "{:?}", d.notes);
}

#[test]
fn limits_stop_runaway_expansion() {
    let a = asm(".macro m\nm\n.endm\nm\n");
    assert_eq!(a.errors, 1);
    assert!(a.diags[0].message.contains("20 levels"), "{:?}", a.diags);
    let a = asm(".rept 1000000000\n.rept 1000000000\n.endr\n.endr\n");
    assert_eq!(a.errors, 1);
    assert!(a.diags[0].message.contains("bytes of source"), "{:?}", a.diags);
}

#[test]
fn unterminated_and_stray() {
    let a = asm(".if 1\nr0 = 0\n");
    assert_eq!(messages(&a), ["conditional without `.endif`"]);
    let a = asm(".macro m\n.if 1\n.endm\nm\n");
    assert_eq!(messages(&a), ["conditional without `.endif` at the end of the expansion"]);
    let a = asm(".endif\n.else\n.endm\n.endr\n.exitm\n");
    assert_eq!(a.errors, 5);
    let a = asm(".rept 2\n");
    assert_eq!(messages(&a), ["`.rept` without `.endr`"]);
}

#[test]
fn error_amplification_stops() {
    // A few bytes that would report a million errors stop at the error limit.
    let a = asm(".rept 1000\n.rept 1000\nfoo\n.endr\n.endr\n");
    assert_eq!(a.errors, crate::limits::MAX_ERRORS + 1);
    assert_eq!(a.diags.last().unwrap().code, crate::diag::Code::TooManyErrors);
    assert!(a.mac.stopped);
}
