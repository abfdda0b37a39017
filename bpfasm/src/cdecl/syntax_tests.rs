//! Tests of the grammar alone: it knows typedef names from earlier declarations, reports
//! located syntax errors with the expected tokens, several per block, and bounds the depth
//! of the tree.

use super::lex::lex;
use super::syntax::{self, Declaration, Spec};
use super::{CError, Context};
use bpf_isa::Endian;

/// Parse `text` with the grammar; typedef names are those of `cx` plus the block's own.
fn grammar(cx: &Context, text: &str) -> (Vec<Declaration>, Vec<CError>) {
    let mut errors = Vec::new();
    let toks = lex(text, &mut errors);
    errors.clear();
    let local = std::cell::RefCell::new(Vec::<String>::new());
    let is_type = |s: &str| cx.is_type_name(s) || local.borrow().iter().any(|n| n == s);
    let decls = syntax::parse_block(
        &toks,
        text.len(),
        &is_type,
        |d| local.borrow_mut().extend(syntax::typedef_names(d)),
        &mut errors,
    );
    (decls, errors)
}

#[test]
fn typedef_names_count_after_their_declaration() {
    let cx = Context::new(Endian::Little, None);
    let (d, e) = grammar(&cx, "typedef int T; T * x; typedef T (*fp)(T, __u32 *); fp f[2];");
    assert!(e.is_empty(), "{e:?}");
    assert_eq!(d.len(), 4);
    assert!(matches!(&d[1].specs[0], Spec::TypeName((n, _)) if n == "T"));
    assert_eq!(syntax::declarator_name(&d[1].decls[0].d).map(|n| n.0.as_str()), Some("x"));
    // Without the typedef, `T * x` is not a declaration.
    let (_, e) = grammar(&cx, "T * x;");
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].message, "unknown type name `T`");
    assert_eq!(e[0].span, 0..1);
}

#[test]
fn syntax_errors_are_located_with_expected_tokens() {
    let cx = Context::new(Endian::Little, None);
    let text = "int a b; struct s { int x } ; struct t { int y z; char c; int w }; int ok; int f(void) { }";
    let (d, e) = grammar(&cx, text);
    let msgs: Vec<(&str, &str)> = e.iter().map(|e| (&text[e.span.clone()], e.message.as_str())).collect();
    assert_eq!(
        msgs,
        [
            ("b", "expected `;`, `,`, `=`, `(`, `[` or an attribute, found `b`"),
            ("}", "expected `;`, `,`, `:`, `(`, `[` or an attribute, found `}`"),
            ("z", "expected `;`, `,`, `:`, `(`, `[` or an attribute, found `z`"),
            ("}", "expected `;`, `,`, `:`, `(`, `[` or an attribute, found `}`"),
            ("{", "function bodies are not supported in C declarations"),
        ],
        "{e:#?}"
    );
    // The declarations around the errors are still there.
    assert_eq!(d.len(), 3, "{d:#?}");
    let (_, e) = grammar(&cx, "struct");
    assert_eq!(e[0].message, "expected a name, `{` or an attribute, found the end of the input");
    let (_, e) = grammar(&cx, "int x = 1 +;");
    assert_eq!(e[0].message, "expected an expression, found `;`");
    // `_Atomic` and friends are specifiers the semantics refuse by name.
    let (d, e) = grammar(&cx, "_Atomic int x;");
    assert!(e.is_empty() && matches!(&d[0].specs[0], Spec::Unsupported((n, _)) if n == "_Atomic"), "{e:?}");
}

#[test]
fn deep_nesting_is_an_error() {
    let cx = Context::new(Endian::Little, None);
    let deep = "(".repeat(100_000);
    let (_, e) = grammar(&cx, &format!("int x[{deep}1];"));
    assert_eq!(e[0].message, "nesting too deep");
    let deep = "*".repeat(50_000) + "(".repeat(50_000).as_str();
    let (_, e) = grammar(&cx, &format!("int {deep}x;"));
    assert_eq!(e[0].message, "nesting too deep");
    // A run of pointer declarators is a list, not nesting.
    let (d, e) = grammar(&cx, &format!("int {}x;", "*".repeat(100_000)));
    assert!(e.is_empty() && d[0].decls[0].d.ptrs.len() == 100_000, "{e:?}");
    let (_, e) = grammar(&cx, &format!("int x = 1{};", " * 1".repeat(5000)));
    assert_eq!(e[0].message, "nesting too deep");
    let (_, e) = grammar(&cx, &format!("int x = {}1;", "- ".repeat(5000)));
    assert_eq!(e[0].message, "nesting too deep");
    let (_, e) = grammar(&cx, &format!("int x = 1{};", " + 1".repeat(5000)));
    assert_eq!(e[0].message, "nesting too deep");
    // Below the limits, long chains evaluate.
    let mut c = Context::new(Endian::Little, None);
    assert_eq!(c.eval(&format!("1{}", " + 1".repeat(999))).unwrap(), 1000);
    assert_eq!(c.eval(&format!("{}7{}", "(".repeat(200), ")".repeat(200))).unwrap(), 7);
    assert_eq!(c.eval(&format!("{}7", "- ".repeat(1000))).unwrap(), 7);
    // A long flat list is fine.
    let (d, e) = grammar(&cx, &format!("int a[] = {{ {} }};", "1, ".repeat(20_000)));
    assert!(e.is_empty() && d.len() == 1, "{e:?}");
}

#[test]
fn a_missing_semicolon_after_a_struct_has_a_hint() {
    let mut c = Context::new(Endian::Little, None);
    let text = "struct s { int a; }\nint x;";
    let e = c.parse(text).unwrap_err();
    assert_eq!(&text[e[0].span.clone()], "int");
    assert_eq!(e[0].message, "two or more data types in declaration specifiers");
    assert_eq!(e[0].help.as_deref(), Some("is a `;` missing after the `}` before it?"));
    let e = c.parse("int long x; char int y;").unwrap_err();
    assert!(e.iter().all(|e| e.help.is_none()), "{e:?}");
}

#[test]
fn a_typedef_name_after_a_type_is_a_declarator_name() {
    let mut c = Context::new(Endian::Little, None);
    let d = c
        .parse(
            "typedef int T; struct s { __u32 u32; T T; } v; int f(T T, __u8 (*u8)[2]); \
             enum { u16 = 2 }; int a[sizeof(T) + u16]; typeof(v) T2; int b[2] = { u16, [1] = u16 * 2 };",
        )
        .unwrap();
    let names: Vec<&str> = d.iter().map(|d| d.name()).collect();
    assert_eq!(names, ["v", "f", "a", "T2", "b"]);
    // `unsigned T`: `T` is the declarator's name, as in C.
    let e = c.parse("unsigned T w;").unwrap_err();
    assert_eq!(e[0].message, "expected `;`, `,`, `=`, `(`, `[` or an attribute, found `w`");
    let s = c.type_id("struct s").unwrap();
    assert_eq!(c.type_size(s).unwrap(), 8);
    assert_eq!(c.field_access(s, "T").unwrap().byte_offset, 4);
    let a = c.type_id("typeof(a)").unwrap();
    assert_eq!(c.type_size(a).unwrap(), 24);
    // Casts and sizeof still see the typedef: `(T)` is a type in an expression.
    assert_eq!(c.eval("(T)-1 + sizeof(T) * (__u8)257").unwrap(), 3);
}
