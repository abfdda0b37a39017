//! Instruction statements through the generated grammar: keywords against names, brackets
//! against expressions, and what an operand binds to.

use super::*;
use crate::expr::tests::Names;
use crate::expr::ExprKind;
use crate::lexer::Lexer;

fn parse(src: &str) -> Result<(Matched, Vec<String>), MatchError> {
    let mut lx = Lexer::new(src);
    let mut toks = Vec::new();
    assert!(lx.next_statement(&mut toks));
    let mut names = Names::default();
    let m = match_insn(&toks, 0, src.len() as u32, &mut names)?;
    Ok((m, names.0))
}

fn op(src: &str) -> Op {
    parse(src).unwrap_or_else(|e| panic!("{src}: {e:?}")).0.op
}

fn names(src: &str) -> Vec<String> {
    parse(src).unwrap_or_else(|e| panic!("{src}: {e:?}")).1
}

#[test]
fn keywords_past_the_start_are_names_where_no_template_reads_them() {
    // A keyword where the next token cannot follow it in any template is a symbol's name.
    assert_eq!((op("call exit"), names("call exit")), (Op::Call, vec!["exit".to_string()]));
    assert_eq!((op("r0 = lock ll"), names("r0 = lock ll")), (Op::LdImm64, vec!["lock".to_string()]));
    assert_eq!((op("goto exit"), names("goto exit")), (Op::Ja, vec!["exit".to_string()]));
    assert_eq!(names("call pc"), ["pc"]);
    assert_eq!(names("r1 = u32 ll"), ["u32"]);
    // Where it can, it is the keyword.
    assert_eq!(op("call pc+2"), Op::CallLocal);
    assert_eq!(op("if r1 s> r2 goto +1"), Op::JsgtX);
    assert_eq!(op("r1 s>>= 3"), Op::ArshK64);
}

#[test]
fn brackets_of_the_template_and_of_expressions() {
    assert_eq!(op("r1 = (s8)r2"), Op::MovsxB64);
    let (m, _) = parse("r1 = (5 + 3) * 2").expect("an expression in brackets");
    assert_eq!(m.op, Op::MovK64);
    assert!(matches!(m.ops.imm.map(|e| e.kind), Some(ExprKind::Bin(..))));
    assert_eq!(op("r0 = atomic_fetch_add((u64 *)(r1 + 0), r0)"), Op::AtomicFetchAdd64);
    let (m, _) = parse("*(u64 *)(r10 - 8) = r1").expect("a store");
    assert_eq!((m.op, m.ops.off.and_then(|e| e.as_num())), (Op::StxDW, Some(-8)));
    assert_eq!(op("r1 = -r1"), Op::Neg64);
    assert_eq!(parse("r1 = -5").expect("a negative immediate").0.ops.imm.and_then(|e| e.as_num()), Some(-5));
}

#[test]
fn operands_bind_in_source_order() {
    assert_eq!(names("if r1 == a goto b"), ["a", "b"]);
    assert_eq!(names("r1 = a - b ll"), ["a", "b"]);
}

#[test]
fn errors_say_what_the_table_expects() {
    let mismatch = |src: &str| match parse(src) {
        Err(MatchError::Mismatch { expected, found, .. }) => (expected, found),
        other => panic!("{src}: {other:?}"),
    };
    assert_eq!(mismatch("goto"), (vec!["a jump target".to_string()], "end of statement".to_string()));
    assert_eq!(mismatch("r1 = 5 6"), (vec!["`ll`".into(), "end of statement".into()], "`6`".into()));
    assert_eq!(mismatch("r0 = *(u32 *)(r1 4)").0, ["`+` or `-` and an offset"]);
    assert_eq!(mismatch("w1 = r2").0, ["a 32-bit register (w0-w10)"]);
    // A word read as a name where the keyword cannot go on is read both ways: the error is
    // where the statement really goes wrong.
    assert_eq!(mismatch("if r1 s> 5 goto w1"), (vec!["a jump target".to_string()], "`w1`".to_string()));
    assert_eq!(mismatch("r1 = be16 goto").0, ["`ll`", "a 64-bit register (r0-r10)", "end of statement"]);
    assert_eq!(mismatch("may_goto ll"), (vec!["a jump target".to_string()], "`ll`".to_string()));
    // What the actions check bounds the explanation too: an offset's sign, a fixed register.
    assert_eq!(mismatch("lock *(u64 *)(r1 skb 0) += r2").1, "`skb`");
    assert_eq!(mismatch("r0 = cmpxchg_64(r1 + 0, r2)"), (vec!["`r0`".to_string()], "`r2`".to_string()));
    assert_eq!(mismatch("*(u64 *)(r10 u32 - 8) = r1").0, ["`+` or `-` and an offset"]);
    assert!(matches!(parse("frob r1"), Err(MatchError::Unknown { .. })));
    assert!(matches!(parse("r1 = -r2"), Err(MatchError::Tied { .. })));
    assert!(matches!(parse("r1 = 5 +"), Err(MatchError::Expr(e)) if e.msg == "expected an expression at end of line"));
}
