//! Tokenizer for the C declaration subset: identifiers, integer/float/char/string literals,
//! punctuators; `//` and `/* */` comments are skipped. The token rules are a logos
//! ([`Raw`]); [`lex`] turns them into [`Tok`]s with values and reports bad input.

use super::CError;
use logos::Logos;
use std::ops::Range;

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum T {
    Ident(String),
    /// An integer literal: value, `u`/`U` suffix, `l`/`ll` suffix.
    Int(u128, bool, bool),
    Float(f64),
    /// A string literal (adjacent literals are concatenated by the parser), escapes decoded.
    Str(Vec<u8>),
    Punct(&'static str),
    Eof,
}

#[derive(Clone, Debug)]
pub(crate) struct Tok {
    pub t: T,
    pub span: Range<usize>,
}

const PUNCTS: &[&str] = &[
    "...", "<<=", ">>=", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+=", "-=", "*=", "/=",
    "%=", "&=", "|=", "^=", "##", "(", ")", "[", "]", "{", "}", ",", ";", ":", "=", "*", "&", "+", "-", "~", "!", "/",
    "%", "<", ">", "^", "|", "?", ".", "#",
];

fn err(span: Range<usize>, msg: impl Into<String>) -> CError {
    CError { span, message: msg.into(), help: None }
}

/// The token rules. Literal values are decoded by callbacks that record their errors in the
/// lexer's extras.
#[derive(Logos, Clone, Debug, PartialEq)]
#[logos(extras = Vec<CError>)]
#[logos(skip r"[ \t\n\r\x0C]+")]
#[logos(skip(r"//[^\n]*", allow_greedy = true))]
enum Raw {
    #[token("/*", block_comment)]
    Comment,
    #[regex(r"[A-Za-z_$][A-Za-z0-9_$]*")]
    Ident,
    /// Decimal, octal and binary integers and decimal floats (`1e+5`: a sign after an exponent
    /// letter belongs to the number) ...
    #[regex(r"([1-9]|\.[0-9]|0[0-9a-wyzA-WYZ.]|0[eEpP][+-])([0-9a-zA-Z.]|[eEpP][+-])*|0")]
    /// ... and hex numbers (`0x1e+2` is a sum).
    #[regex(r"0[xX][0-9a-zA-Z.]*")]
    Number,
    #[token("\"", |lex| string(lex, b'"'))]
    #[token("L\"", |lex| string(lex, b'"'))]
    #[token("u\"", |lex| string(lex, b'"'))]
    Str(Vec<u8>),
    #[token("'", |lex| string(lex, b'\''))]
    Char(Vec<u8>),
    #[token("...")]
    #[token("<<=")]
    #[token(">>=")]
    #[token("->")]
    #[token("++")]
    #[token("--")]
    #[token("<<")]
    #[token(">>")]
    #[token("<=")]
    #[token(">=")]
    #[token("==")]
    #[token("!=")]
    #[token("&&")]
    #[token("||")]
    #[token("+=")]
    #[token("-=")]
    #[token("*=")]
    #[token("/=")]
    #[token("%=")]
    #[token("&=")]
    #[token("|=")]
    #[token("^=")]
    #[token("##")]
    #[token("(")]
    #[token(")")]
    #[token("[")]
    #[token("]")]
    #[token("{")]
    #[token("}")]
    #[token(",")]
    #[token(";")]
    #[token(":")]
    #[token("=")]
    #[token("*")]
    #[token("&")]
    #[token("+")]
    #[token("-")]
    #[token("~")]
    #[token("!")]
    #[token("/")]
    #[token("%")]
    #[token("<")]
    #[token(">")]
    #[token("^")]
    #[token("|")]
    #[token("?")]
    #[token(".")]
    #[token("#")]
    Punct,
}

/// After `/*`: skip to the closing `*/` (or the end, with an error).
fn block_comment(lex: &mut logos::Lexer<Raw>) -> logos::Skip {
    match lex.remainder().find("*/") {
        Some(n) => lex.bump(n + 2),
        None => {
            let start = lex.span().start;
            lex.extras.push(err(start..start + 2, "unterminated comment"));
            let n = lex.remainder().len();
            lex.bump(n);
        }
    }
    logos::Skip
}

/// After the opening quote: the bytes of a string or character literal up to the closing
/// `quote` (or the end of the line, with an error), escapes decoded.
fn string(lex: &mut logos::Lexer<Raw>, quote: u8) -> Vec<u8> {
    let base = lex.span().end;
    let rest = lex.remainder();
    let b = rest.as_bytes();
    let mut i = 0;
    let mut s = Vec::new();
    let mut closed = false;
    while i < b.len() {
        match b[i] {
            q if q == quote => {
                i += 1;
                closed = true;
                break;
            }
            b'\n' => break,
            b'\\' => {
                let (v, n) = escape(&b[i..]);
                match v {
                    Some(v) => s.push(v),
                    None => lex.extras.push(err(base + i..base + i + n, "invalid escape sequence")),
                }
                i += n;
            }
            ch => {
                s.push(ch);
                i += 1;
            }
        }
    }
    // Keep the end on a char boundary for the next slice.
    while i < b.len() && !rest.is_char_boundary(i) {
        i += 1;
    }
    lex.bump(i);
    if !closed {
        let span = lex.span();
        lex.extras.push(err(span, "unterminated literal"));
    }
    s
}

/// Tokenize `text`. Bad characters and malformed literals become errors; lexing goes on.
pub(crate) fn lex(text: &str, errors: &mut Vec<CError>) -> Vec<Tok> {
    let mut out: Vec<Tok> = Vec::new();
    let mut lx = Raw::lexer(text);
    while let Some(r) = lx.next() {
        let span = lx.span();
        let t = match r {
            Ok(Raw::Comment) => {
                errors.append(&mut lx.extras);
                continue;
            }
            Ok(Raw::Ident) => T::Ident(lx.slice().to_string()),
            Ok(Raw::Number) => match number(lx.slice()) {
                Some(t) => t,
                None => {
                    errors.push(err(span.clone(), format!("invalid number `{}`", lx.slice())));
                    T::Int(0, false, false)
                }
            },
            Ok(Raw::Str(s)) => T::Str(s),
            Ok(Raw::Char(s)) => {
                if s.len() != 1 {
                    errors.push(err(span.clone(), "a character literal must hold exactly one character"));
                }
                T::Int(s.first().map(|&v| v as i8 as i128 as u128).unwrap_or(0), false, false)
            }
            Ok(Raw::Punct) => {
                let p = PUNCTS.iter().find(|p| **p == lx.slice()).copied().unwrap_or("#");
                if p == "#" && out.last().is_none_or(|t| text[t.span.end..span.start].contains('\n')) {
                    // A preprocessor line: not supported, skip it with one error.
                    let n = lx.remainder().find('\n').unwrap_or(lx.remainder().len());
                    lx.bump(n);
                    let mut e =
                        err(span.start..lx.span().end, "preprocessor directives are not supported in C declarations");
                    e.help = Some("declare constants with `enum { NAME = value };`".into());
                    errors.push(e);
                    continue;
                }
                T::Punct(p)
            }
            Err(()) => {
                // Any other character (including non-ASCII): the whole UTF-8 sequence.
                let mut end = span.end.max(span.start + 1);
                while end < text.len() && !text.is_char_boundary(end) {
                    end += 1;
                }
                if end > span.end {
                    lx.bump(end - span.end);
                }
                errors.push(err(span.start..end, format!("unexpected character `{}`", &text[span.start..end])));
                continue;
            }
        };
        errors.append(&mut lx.extras);
        out.push(Tok { t, span });
    }
    errors.append(&mut lx.extras);
    out.push(Tok { t: T::Eof, span: text.len()..text.len() });
    out
}

/// Decode one escape sequence at the start of `s` (which begins with `\`).
fn escape(s: &[u8]) -> (Option<u8>, usize) {
    let Some(&c) = s.get(1) else { return (None, 1) };
    let simple = match c {
        b'n' => Some(b'\n'),
        b't' => Some(b'\t'),
        b'r' => Some(b'\r'),
        b'0'..=b'7' => None,
        b'a' => Some(7),
        b'b' => Some(8),
        b'f' => Some(12),
        b'v' => Some(11),
        b'e' => Some(27),
        b'\\' | b'\'' | b'"' | b'?' => Some(c),
        b'x' => {
            let n = s[2..].iter().take_while(|d| d.is_ascii_hexdigit()).count();
            if n == 0 {
                return (None, 2);
            }
            let v = s[2..2 + n].iter().fold(0u32, |a, &d| a.wrapping_mul(16) + (d as char).to_digit(16).unwrap_or(0));
            return (u8::try_from(v).ok(), 2 + n);
        }
        _ => return (None, 2),
    };
    if let Some(v) = simple {
        return (Some(v), 2);
    }
    let n = s[1..].iter().take(3).take_while(|d| (b'0'..=b'7').contains(d)).count();
    let v = s[1..1 + n].iter().fold(0u32, |a, &d| a * 8 + (d - b'0') as u32);
    (u8::try_from(v).ok(), 1 + n)
}

fn number(s: &str) -> Option<T> {
    let lower = s.to_ascii_lowercase();
    let is_hex = lower.starts_with("0x");
    let is_float = if is_hex { lower.contains('.') || lower.contains('p') } else { lower.contains(['.', 'e']) };
    if is_float {
        let t = lower.trim_end_matches(['f', 'l']);
        return t.parse::<f64>().ok().map(T::Float);
    }
    let body = lower.trim_end_matches(['u', 'l']);
    let suffix = &lower[body.len()..];
    if !matches!(suffix, "" | "u" | "l" | "ul" | "lu" | "ll" | "ull" | "llu") {
        return None;
    }
    let unsigned = suffix.contains('u');
    let v = if let Some(h) = body.strip_prefix("0x") {
        u128::from_str_radix(h, 16).ok()?
    } else if let Some(bin) = body.strip_prefix("0b") {
        u128::from_str_radix(bin, 2).ok()?
    } else if body.len() > 1 && body.starts_with('0') {
        u128::from_str_radix(&body[1..], 8).ok()?
    } else {
        body.parse::<u128>().ok()?
    };
    if v > u64::MAX as u128 {
        return None;
    }
    Some(T::Int(v, unsigned, suffix.contains('l')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        let mut e = Vec::new();
        let t = lex("int x = 0x10u; /* c */ char s[] = \"a\\n\\x41\"; // end\n'c' 1.5 ...", &mut e);
        assert!(e.is_empty(), "{e:?}");
        let kinds: Vec<_> = t.iter().map(|t| t.t.clone()).collect();
        assert_eq!(kinds[3], T::Int(16, true, false));
        assert_eq!(kinds[10], T::Str(b"a\nA".to_vec()));
        assert_eq!(kinds[12], T::Int(99, false, false));
        assert_eq!(kinds[13], T::Float(1.5));
        assert_eq!(kinds[14], T::Punct("..."));
    }

    #[test]
    fn bad_input() {
        let mut e = Vec::new();
        lex("#include <x>\nint é; \"open\n/* open", &mut e);
        assert_eq!(e.len(), 4, "{e:?}");
    }

    #[test]
    fn number_forms_and_prefixed_strings() {
        let mut e = Vec::new();
        let t = lex("0x1e+2 1e+5 .5 0 017 0b101 L\"w\" u\"v\" 0x 1.5f $a", &mut e);
        let kinds: Vec<_> = t.iter().map(|t| t.t.clone()).collect();
        assert_eq!(kinds[0], T::Int(0x1e, false, false));
        assert_eq!(kinds[1], T::Punct("+"));
        assert_eq!(kinds[3], T::Float(1e5));
        assert_eq!(kinds[4], T::Float(0.5));
        assert_eq!(kinds[5], T::Int(0, false, false));
        assert_eq!(kinds[6], T::Int(0o17, false, false));
        assert_eq!(kinds[7], T::Int(5, false, false));
        assert_eq!(kinds[8], T::Str(b"w".to_vec()));
        assert_eq!(kinds[9], T::Str(b"v".to_vec()));
        assert_eq!(kinds[11], T::Float(1.5));
        assert_eq!(kinds[12], T::Ident("$a".into()));
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].message, "invalid number `0x`");
    }
}
