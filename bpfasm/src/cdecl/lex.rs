//! Tokenizer for the C declaration subset: identifiers, integer/float/char/string literals,
//! punctuators; `//` and `/* */` comments are skipped.

use super::CError;
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

/// Tokenize `text`. Bad characters and malformed literals become errors; lexing goes on.
pub(crate) fn lex(text: &str, errors: &mut Vec<CError>) -> Vec<Tok> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if c == b'/' && b.get(i + 1) == Some(&b'*') {
            let start = i;
            i += 2;
            loop {
                if i + 1 >= b.len() {
                    errors.push(err(start..start + 2, "unterminated comment"));
                    i = b.len();
                    break;
                }
                if b[i] == b'*' && b[i + 1] == b'/' {
                    i += 2;
                    break;
                }
                i += 1;
            }
            continue;
        }
        let start = i;
        if c == b'#' && out.last().is_none_or(|t: &Tok| text[t.span.end..start].contains('\n')) {
            // A preprocessor line: not supported, skip it with one error.
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            let mut e = err(start..i, "preprocessor directives are not supported in C declarations");
            e.help = Some("declare constants with `enum { NAME = value };`".into());
            errors.push(e);
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' || c == b'$' {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'$') {
                i += 1;
            }
            out.push(Tok { t: T::Ident(text[start..i].to_string()), span: start..i });
            continue;
        }
        if c.is_ascii_digit() || (c == b'.' && b.get(i + 1).is_some_and(|d| d.is_ascii_digit())) {
            while i < b.len()
                && (b[i].is_ascii_alphanumeric()
                    || b[i] == b'.'
                    || ((b[i] == b'+' || b[i] == b'-')
                        && matches!(b[i - 1], b'e' | b'E' | b'p' | b'P')
                        && !text[start..i].starts_with("0x")
                        && !text[start..i].starts_with("0X")))
            {
                i += 1;
            }
            match number(&text[start..i]) {
                Some(t) => out.push(Tok { t, span: start..i }),
                None => {
                    errors.push(err(start..i, format!("invalid number `{}`", &text[start..i])));
                    out.push(Tok { t: T::Int(0, false, false), span: start..i });
                }
            }
            continue;
        }
        if c == b'"' || c == b'\'' || ((c == b'L' || c == b'u') && b.get(i + 1) == Some(&b'"')) {
            let quote = c;
            i += 1;
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
                            None => errors.push(err(i..i + n, "invalid escape sequence")),
                        }
                        i += n;
                    }
                    ch => {
                        s.push(ch);
                        i += 1;
                    }
                }
            }
            // Keep `i` on a char boundary for the next slice.
            while i < b.len() && !text.is_char_boundary(i) {
                i += 1;
            }
            if !closed {
                errors.push(err(start..i, "unterminated literal"));
            }
            if quote == b'\'' {
                if s.len() != 1 {
                    errors.push(err(start..i, "a character literal must hold exactly one character"));
                }
                let v = s.first().map(|&v| v as i8 as i128 as u128).unwrap_or(0);
                out.push(Tok { t: T::Int(v, false, false), span: start..i });
            } else {
                out.push(Tok { t: T::Str(s), span: start..i });
            }
            continue;
        }
        if let Some(p) = PUNCTS.iter().find(|p| b[i..].starts_with(p.as_bytes())) {
            i += p.len();
            out.push(Tok { t: T::Punct(p), span: start..i });
            continue;
        }
        // Any other character (including non-ASCII): skip the whole UTF-8 sequence.
        i += 1;
        while i < b.len() && !text.is_char_boundary(i) {
            i += 1;
        }
        errors.push(err(start..i, format!("unexpected character `{}`", &text[start..i])));
    }
    out.push(Tok { t: T::Eof, span: b.len()..b.len() });
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
}
