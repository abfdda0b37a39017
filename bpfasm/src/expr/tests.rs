//! The expression grammar: values, precedence, where an embedded expression ends, errors.

use super::*;
use crate::lexer::Lexer;

/// Names are symbols numbered in order of use; `K` is the constant 7; `1b` has no definition.
/// (Also the resolver of the instruction statements' tests.)
#[derive(Default)]
pub(crate) struct Names(pub(crate) Vec<String>);

impl SymbolResolver for Names {
    fn symbol(&mut self, name: &str, _span: Span) -> SymId {
        self.0.push(name.to_string());
        self.0.len() as SymId - 1
    }
    fn dot(&mut self, _span: Span) -> SymId {
        self.symbol(".", _span)
    }
    fn local_ref(&mut self, n: u32, backward: bool, _span: Span) -> Result<SymId, String> {
        if backward {
            return Err(format!("no previous definition of local label `{n}`"));
        }
        Ok(self.symbol(&format!("{n}f"), _span))
    }
    fn constant(&mut self, name: &str) -> Option<i64> {
        (name == "K").then_some(7)
    }
}

/// Parse an expression at the start of `src`: the tree, the index of the first token after it
/// and the names it used.
fn parse(src: &str) -> (Result<Expr, ExprError>, usize, Vec<String>) {
    let mut lx = Lexer::new(src);
    let mut toks = Vec::new();
    assert!(lx.next_statement(&mut toks));
    let eol = src.len() as u32;
    let mut c = Cursor::new(&toks, 0, eol);
    let mut names = Names::default();
    let e = c.expr(&mut names);
    (e, c.pos, names.0)
}

fn eval(e: &Expr) -> i64 {
    match &e.kind {
        ExprKind::Num(v) => *v,
        ExprKind::Sym(_) => panic!("a symbol"),
        ExprKind::Un(op, a) => {
            let a = eval(a);
            match op {
                UnOp::Neg => a.wrapping_neg(),
                UnOp::Not => !a,
                UnOp::LNot => (a == 0) as i64,
            }
        }
        ExprKind::Bin(op, a, b) => apply(*op, eval(a), eval(b)).expect("no division by zero"),
    }
}

fn value(src: &str) -> i64 {
    let (e, _, _) = parse(src);
    eval(&e.unwrap_or_else(|e| panic!("{src}: {}", e.msg)))
}

fn error(src: &str) -> (String, u32, u32) {
    let (e, _, _) = parse(src);
    let e = e.err().unwrap_or_else(|| panic!("{src}: parsed"));
    (e.msg, e.span.start, e.span.end)
}

#[test]
fn c_precedence_and_associativity() {
    assert_eq!(value("1 + 2 * 3"), 7);
    assert_eq!(value("(1 + 2) * 3"), 9);
    assert_eq!(value("10 - 3 - 2"), 5);
    assert_eq!(value("1 << 2 + 1"), 8);
    assert_eq!(value("1 | 6 ^ 3 & 5"), 7); // 1 | (6 ^ (3 & 5))
    assert_eq!(value("1 < 2 == 1"), 1);
    assert_eq!(value("0 || 2 && 3"), 1);
    assert_eq!(value("-K * 2"), -14);
    assert_eq!(value("~0"), -1);
    assert_eq!(value("!5 + +3"), 3);
    assert_eq!(value("- - 4"), 4);
}

#[test]
fn an_embedded_expression_ends_where_it_cannot_go_on() {
    // (token index after the expression)
    assert_eq!(parse("- 8) = r1").1, 2);
    assert_eq!(parse("sym ll").1, 1);
    assert_eq!(parse("1 2 3").1, 1);
    assert_eq!(parse("(a + 1) * 2 goto").1, 7);
    assert_eq!(parse("a - b, c").1, 3);
    let (e, _, names) = parse("b + a - b");
    assert!(e.unwrap().has_symbol());
    assert_eq!(names, ["b", "a", "b"]);
}

#[test]
fn errors_are_located() {
    assert_eq!(error("5 +"), ("expected an expression at end of line".into(), 3, 3));
    assert_eq!(error("(5 + 3 goto"), ("expected `)`".into(), 7, 11));
    assert_eq!(error("(5 + 3"), ("expected `)`".into(), 6, 6));
    assert_eq!(error("5 + r1"), ("a register is not allowed in an expression".into(), 4, 6));
    assert_eq!(error("5 * )"), ("expected an expression".into(), 4, 5));
    assert_eq!(error("99999999999999999999 + 1"), ("integer literal does not fit in 64 bits".into(), 0, 20));
    assert_eq!(error("1b + 1"), ("no previous definition of local label `1`".into(), 0, 2));
    assert_eq!(error("2 + offsetof(struct s, f"), ("`offsetof(` is not closed".into(), 4, 12));
    assert_eq!(error("sizeof(int)"), ("`sizeof` needs C declarations (`.cdecl`)".into(), 0, 11));
}

#[test]
fn nesting_is_bounded() {
    let n = MAX_EXPR_DEPTH as usize;
    // Brackets and unary operators: the operand inside counts as a level too.
    assert_eq!(value(&format!("{}1{}", "(".repeat(n - 1), ")".repeat(n - 1))), 1);
    let (msg, start, _) = error(&format!("{}1{}", "(".repeat(n), ")".repeat(n)));
    assert!(msg.starts_with("expression nested too deeply"), "{msg}");
    assert_eq!(start as usize, n);
    assert_eq!(value(&format!("{}1", "-".repeat(n - 1))), -1);
    assert!(error(&format!("{}1", "-".repeat(n))).0.starts_with("expression nested too deeply"));
    let k = n / 2;
    assert_eq!(value(&format!("{}x{}", "-(".repeat(k - 1), ")".repeat(k - 1)).replace('x', "1")), -1);
    assert!(error(&format!("{}1{}", "-(".repeat(k), ")".repeat(k))).0.starts_with("expression nested too deeply"));
    // The height of a chain of binary operators.
    let ok = vec!["a"; n + 1].join("+");
    assert!(parse(&ok).0.is_ok());
    let deep = vec!["a"; n + 2].join("+");
    let (msg, start, _) = error(&deep);
    assert!(msg.starts_with("expression nested too deeply"), "{msg}");
    assert_eq!(start as usize, 2 * n + 1);
}

/// The short cut for one- and two-token operands gives what the grammar gives.
#[test]
fn short_operands_read_as_the_grammar_reads_them() {
    for src in [
        "8",
        "- 8",
        "+ 16",
        "-9223372036854775808",
        "sym",
        "K",
        "- K",
        "sym ll",
        "8 goto +3",
        "- 8)",
        "-8 * 2",
        "sym + 1",
        ".",
        "\"quoted\"",
        "1f",
        "offsetof",
        "- sym",
        "+ +1",
        "~1",
        "0x7fffffffffffffff",
    ] {
        let mut lx = Lexer::new(src);
        let mut toks = Vec::new();
        lx.next_statement(&mut toks);
        let eol = src.len() as u32;
        let (mut a, mut b) = (Cursor::new(&toks, 0, eol), Cursor::new(&toks, 0, eol));
        let (mut na, mut nb) = (Names::default(), Names::default());
        let ea = a.expr(&mut na).map_err(|e| e.msg);
        let eb = b.parse(&mut nb).map_err(|e| e.msg);
        assert_eq!((ea, a.pos, na.0), (eb, b.pos, nb.0), "{src}");
    }
}
