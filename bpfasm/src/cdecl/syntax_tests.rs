//! Tests of the grammar alone: it accepts every block the front end accepts (the unit-test,
//! clang-differential and golden corpora), knows typedef names from earlier declarations,
//! and reports located syntax errors with the expected tokens, several per block.

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

/// Rust string literals of a source file (plain and `r#"..."#`), roughly unescaped.
fn literals(src: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = src;
    while let Some(i) = rest.find('"') {
        if rest[..i].ends_with("r#") {
            let body = &rest[i + 1..];
            let Some(end) = body.find("\"#") else { break };
            out.push(body[..end].to_string());
            rest = &body[end + 2..];
            continue;
        }
        if rest[..i].ends_with('\'') {
            rest = &rest[i + 1..];
            continue;
        }
        let body = &rest[i + 1..];
        let mut s = String::new();
        let mut chars = body.char_indices();
        let mut end = body.len();
        while let Some((j, c)) = chars.next() {
            match c {
                '"' => {
                    end = j;
                    break;
                }
                '\\' => match chars.next() {
                    Some((_, 'n')) => s.push('\n'),
                    Some((_, 't')) => s.push('\t'),
                    Some((_, '\n')) => {
                        for (_, c) in chars.by_ref() {
                            if !c.is_whitespace() {
                                s.push(c);
                                break;
                            }
                        }
                    }
                    Some((_, c)) => {
                        if c != '"' && c != '\\' {
                            s.push('\\');
                        }
                        s.push(c);
                    }
                    None => {}
                },
                c => s.push(c),
            }
        }
        out.push(s);
        rest = body.get(end + 1..).unwrap_or("");
    }
    out
}

/// `.cdecl` ... `.endcdecl` blocks of the assembly files under `dir` (recursively).
fn cdecl_blocks(dir: &std::path::Path, out: &mut Vec<String>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            cdecl_blocks(&p, out);
        } else if p.extension().is_some_and(|x| x == "s") {
            let Ok(text) = std::fs::read_to_string(&p) else { continue };
            let mut cur: Option<String> = None;
            for line in text.lines() {
                let t = line.trim();
                if t.starts_with(".endcdecl") {
                    out.extend(cur.take());
                } else if t.starts_with(".cdecl") {
                    cur = Some(String::new());
                } else if let Some(c) = &mut cur {
                    c.push_str(line);
                    c.push('\n');
                }
            }
        }
    }
}

#[test]
fn grammar_accepts_what_the_front_end_accepts() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut corpus = literals(include_str!("tests.rs"));
    corpus.extend(literals(include_str!("clang_diff.rs")));
    let before = corpus.len();
    cdecl_blocks(&root.join("tests"), &mut corpus);
    cdecl_blocks(&root.join("examples"), &mut corpus);
    assert!(corpus.len() > before + 10, "no .cdecl blocks found under tests/ and examples/");
    let mut accepted = 0;
    for text in &corpus {
        let mut cx = Context::new(Endian::Little, None);
        if cx.parse(text).is_err() {
            continue;
        }
        accepted += 1;
        let fresh = Context::new(Endian::Little, None);
        let (_, errors) = grammar(&fresh, text);
        assert!(errors.is_empty(), "the grammar rejects {text:?}: {errors:?}");
    }
    assert!(accepted > 100, "only {accepted} accepted blocks in the corpus");
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
    // A long flat list is fine.
    let (d, e) = grammar(&cx, &format!("int a[] = {{ {} }};", "1, ".repeat(20_000)));
    assert!(e.is_empty() && d.len() == 1, "{e:?}");
}
