//! Tokens of LLVM's BPF assembly, with byte spans.
//!
//! The token rules are a logos state machine ([`Raw`]); [`Lexer`] drives it one statement at a
//! time: [`Lexer::next_statement`] fills a token buffer up to the end of the line or a `;`.
//! Comments (`#`, `//`, `/* */`) are skipped; a `/* */` comment may span lines. Registers are
//! recognised by the instruction table's own rule (`bpf_isa::parse_reg`) and punctuators are
//! the table's (`bpf_isa::PUNCTUATORS`; a test checks that the two sets are the same), so a
//! template and a source line that spell the same instruction give the same tokens.

use bpf_isa::{parse_reg, punct_at};
use logos::Logos;

/// The raw token classes of the state machine; [`Lexer`] turns them into [`Tok`]s.
#[derive(Logos, Clone, Copy, Debug, PartialEq, Eq)]
#[logos(skip r"[ \t\r\x0b\x0c]+")]
#[logos(skip(r"(#|//)[^\n]*", allow_greedy = true))]
enum Raw {
    #[token("\n")]
    #[token(";")]
    End,
    /// `/*`: the callback skips to the closing `*/` (true) or to the end of input (false).
    #[token("/*", block_comment)]
    BlockComment(bool),
    /// `"`: the callback takes the literal, to its closing quote (true) or the end of the line.
    #[token("\"", string)]
    Str(bool),
    #[regex("[0-9][0-9A-Za-z]*")]
    Number,
    #[regex(r"[A-Za-z_.$@][A-Za-z0-9_.$@]*")]
    Word,
    #[token("<<=")]
    #[token(">>=")]
    #[token("+=")]
    #[token("-=")]
    #[token("*=")]
    #[token("/=")]
    #[token("%=")]
    #[token("|=")]
    #[token("&=")]
    #[token("^=")]
    #[token("==")]
    #[token("!=")]
    #[token(">=")]
    #[token("<=")]
    #[token("<<")]
    #[token(">>")]
    #[token("&&")]
    #[token("||")]
    #[token("=")]
    #[token("+")]
    #[token("-")]
    #[token("*")]
    #[token("/")]
    #[token("%")]
    #[token("|")]
    #[token("&")]
    #[token("^")]
    #[token("~")]
    #[token("!")]
    #[token("<")]
    #[token(">")]
    #[token("(")]
    #[token(")")]
    #[token("[")]
    #[token("]")]
    #[token(",")]
    #[token(":")]
    Punct,
}

fn block_comment(lex: &mut logos::Lexer<'_, Raw>) -> bool {
    match lex.remainder().find("*/") {
        Some(n) => {
            lex.bump(n + 2);
            true
        }
        None => {
            lex.bump(lex.remainder().len());
            false
        }
    }
}

/// A string literal: a backslash takes the next byte with it (also a newline); an unescaped
/// newline or the end of input ends an unterminated literal.
fn string(lex: &mut logos::Lexer<'_, Raw>) -> bool {
    let b = lex.remainder().as_bytes();
    let mut i = 0;
    let closed = loop {
        match b.get(i) {
            None | Some(b'\n') => break false,
            Some(b'\\') => i += 2,
            Some(b'"') => {
                i += 1;
                break true;
            }
            Some(_) => i += 1,
        }
    };
    // Every stop is on an ASCII byte or at the end, so on a character boundary.
    lex.bump(i.min(b.len()));
    closed
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tok<'a> {
    /// Identifier, directive name (`.long`), label or symbol, `@progbits`.
    Ident(&'a str),
    /// A register `rN` / `wN`.
    Reg(u8, bool),
    /// An integer literal (the value wraps to 64 bits; `overflow` tells if it did not fit).
    Num {
        value: u64,
        overflow: bool,
    },
    /// A string literal, raw text between the quotes (escapes not yet processed).
    Str(&'a str),
    /// A reference to a numeric local label: `1b` (backward) / `1f` (forward).
    LocalRef(u32, bool),
    Punct(&'static str),
    /// A character the lexer does not know.
    Bad(char),
}

#[derive(Clone, Copy, Debug)]
pub struct Token<'a> {
    pub tok: Tok<'a>,
    pub start: u32,
    pub end: u32,
}

impl Token<'_> {
    pub fn span(&self) -> (u32, u32) {
        (self.start, self.end)
    }
}

/// A lexer error not tied to one token (unterminated comment or string).
#[derive(Clone, Debug)]
pub struct LexError {
    pub start: u32,
    pub end: u32,
    pub msg: &'static str,
}

pub struct Lexer<'a> {
    src: &'a str,
    raw: logos::Lexer<'a, Raw>,
    pub errors: Vec<LexError>,
}

impl<'a> Lexer<'a> {
    /// A UTF-8 byte-order mark at the start (some Windows editors write one) is skipped.
    pub fn new(src: &'a str) -> Self {
        let mut l = Lexer { src, raw: Raw::lexer(src), errors: Vec::new() };
        if src.starts_with('\u{feff}') {
            l.raw.bump('\u{feff}'.len_utf8());
        }
        l
    }

    /// Byte position of the next character to lex.
    pub fn pos(&self) -> usize {
        self.raw.span().end
    }

    /// Continue lexing at `pos` (after a directive that took raw text, like `.cdecl`).
    pub fn set_pos(&mut self, pos: usize) {
        let mut pos = pos.min(self.src.len());
        while !self.src.is_char_boundary(pos) {
            pos += 1;
        }
        self.raw = Raw::lexer(self.src);
        self.raw.bump(pos);
    }

    pub fn at_end(&self) -> bool {
        self.pos() >= self.src.len()
    }

    /// Lex the next statement into `out` (cleared first). Returns false at end of input.
    pub fn next_statement(&mut self, out: &mut Vec<Token<'a>>) -> bool {
        out.clear();
        if self.at_end() {
            return false;
        }
        while let Some(r) = self.raw.next() {
            let span = self.raw.span();
            let (start, end) = (span.start as u32, span.end as u32);
            let tok = match r {
                Ok(Raw::End) => return true,
                Ok(Raw::BlockComment(true)) => continue,
                Ok(Raw::BlockComment(false)) => {
                    self.errors.push(LexError { start, end: start + 2, msg: "unterminated /* comment" });
                    continue;
                }
                Ok(Raw::Str(closed)) => {
                    if !closed {
                        self.errors.push(LexError { start, end, msg: "unterminated string" });
                    }
                    let s = self.raw.slice();
                    let inner = if closed { &s[1..s.len() - 1] } else { &s[1..] };
                    Tok::Str(inner)
                }
                Ok(Raw::Number) => number(self.raw.slice()),
                Ok(Raw::Word) => {
                    let text = self.raw.slice();
                    match parse_reg(text) {
                        Some((n, w)) => Tok::Reg(n, w),
                        None => Tok::Ident(text),
                    }
                }
                Ok(Raw::Punct) => match punct_at(self.raw.slice().as_bytes()) {
                    Some(p) => Tok::Punct(p),
                    None => Tok::Bad(self.raw.slice().chars().next().unwrap_or('?')),
                },
                Err(()) => {
                    // One unknown character at a time.
                    let ch = self.src[span.start..].chars().next().unwrap_or('?');
                    let next = span.start + ch.len_utf8();
                    if next != span.end {
                        self.set_pos(next);
                    }
                    out.push(Token { tok: Tok::Bad(ch), start, end: next as u32 });
                    continue;
                }
            };
            out.push(Token { tok, start, end });
        }
        true
    }
}

/// An integer literal or a numeric local label reference (`[0-9][0-9A-Za-z]*`).
fn number(text: &str) -> Tok<'_> {
    // Numeric local label references: `1b`, `12f` (but `0b101` is binary).
    let last = text.as_bytes()[text.len() - 1];
    if text.len() >= 2 && (last == b'b' || last == b'f') && text[..text.len() - 1].bytes().all(|c| c.is_ascii_digit()) {
        if let Ok(n) = text[..text.len() - 1].parse::<u32>() {
            return Tok::LocalRef(n, last == b'b');
        }
    }
    let (digits, radix) = if let Some(h) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        (h, 16)
    } else if let Some(h) = text.strip_prefix("0b").or_else(|| text.strip_prefix("0B")) {
        (h, 2)
    } else if text.len() > 1 && text.starts_with('0') {
        (&text[1..], 8)
    } else {
        (text, 10)
    };
    if digits.is_empty() {
        return Tok::Bad(text.chars().next().unwrap_or('0'));
    }
    let mut value: u64 = 0;
    let mut overflow = false;
    for c in digits.bytes() {
        let d = match (c as char).to_digit(radix) {
            Some(d) => d as u64,
            None => return Tok::Bad(c as char),
        };
        let (v, o1) = value.overflowing_mul(radix as u64);
        let (v, o2) = v.overflowing_add(d);
        overflow |= o1 || o2;
        value = v;
    }
    Tok::Num { value, overflow }
}

/// Decode the escapes of a string literal body. Returns `Err(byte offset in body)` on a bad escape.
pub fn unescape(s: &str, out: &mut Vec<u8>) -> Result<(), usize> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            out.push(b[i]);
            i += 1;
            continue;
        }
        let at = i;
        i += 1;
        let Some(&c) = b.get(i) else { return Err(at) };
        i += 1;
        match c {
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'r' => out.push(b'\r'),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'v' => out.push(11),
            b'a' => out.push(7),
            b'\\' => out.push(b'\\'),
            b'"' => out.push(b'"'),
            b'\'' => out.push(b'\''),
            b'x' | b'X' => {
                let mut v: u32 = 0;
                let mut n = 0;
                while i < b.len() && b[i].is_ascii_hexdigit() {
                    v = (v << 4) | (b[i] as char).to_digit(16).unwrap_or(0);
                    i += 1;
                    n += 1;
                }
                if n == 0 {
                    return Err(at);
                }
                out.push(v as u8);
            }
            b'0'..=b'7' => {
                let mut v: u32 = (c - b'0') as u32;
                let mut n = 1;
                while n < 3 && i < b.len() && (b'0'..=b'7').contains(&b[i]) {
                    v = v * 8 + (b[i] - b'0') as u32;
                    i += 1;
                    n += 1;
                }
                out.push(v as u8);
            }
            _ => return Err(at),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex(s: &str) -> Vec<Tok<'_>> {
        let mut l = Lexer::new(s);
        let mut v = Vec::new();
        l.next_statement(&mut v);
        v.into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn tokens() {
        assert_eq!(
            lex("r1 = *(u8 *)(r10 - 8) # c"),
            vec![
                Tok::Reg(1, false),
                Tok::Punct("="),
                Tok::Punct("*"),
                Tok::Punct("("),
                Tok::Ident("u8"),
                Tok::Punct("*"),
                Tok::Punct(")"),
                Tok::Punct("("),
                Tok::Reg(10, false),
                Tok::Punct("-"),
                Tok::Num { value: 8, overflow: false },
                Tok::Punct(")"),
            ]
        );
        assert_eq!(
            lex("1b 2f 0b101"),
            vec![Tok::LocalRef(1, true), Tok::LocalRef(2, false), Tok::Num { value: 5, overflow: false }]
        );
        assert_eq!(
            lex("w1 s>>= 0x10"),
            vec![Tok::Reg(1, true), Tok::Ident("s"), Tok::Punct(">>="), Tok::Num { value: 16, overflow: false }]
        );
    }

    /// The state machine's punctuators are exactly the instruction table's, each one token.
    #[test]
    fn punctuators_are_the_tables() {
        for p in bpf_isa::PUNCTUATORS {
            assert_eq!(lex(p), vec![Tok::Punct(p)], "{p}");
        }
        // Every single ASCII character the machine takes as a punctuator is one of the table's.
        for c in 0x21u8..0x7f {
            let s = (c as char).to_string();
            if let [Tok::Punct(p)] = lex(&s)[..] {
                assert!(bpf_isa::PUNCTUATORS.contains(&p), "{p}");
            }
        }
    }

    #[test]
    fn comments_statements_and_errors() {
        let src = "\u{feff}r1 = 1 ; exit // c\n/* a\n b */ call 1 # x\n\"s\\\"t\" é /* open";
        let mut l = Lexer::new(src);
        let mut v = Vec::new();
        let mut stmts = Vec::new();
        while l.next_statement(&mut v) {
            stmts.push(v.iter().map(|t| t.tok).collect::<Vec<_>>());
        }
        assert_eq!(
            stmts,
            vec![
                vec![Tok::Reg(1, false), Tok::Punct("="), Tok::Num { value: 1, overflow: false }],
                vec![Tok::Ident("exit")],
                vec![Tok::Ident("call"), Tok::Num { value: 1, overflow: false }],
                vec![Tok::Str("s\\\"t"), Tok::Bad('é')],
            ]
        );
        assert_eq!(l.errors.len(), 1);
        assert_eq!(l.errors[0].msg, "unterminated /* comment");
        let mut l = Lexer::new("\"abc\nr1");
        l.next_statement(&mut v);
        assert_eq!(v[0].tok, Tok::Str("abc"));
        assert_eq!(l.errors[0].msg, "unterminated string");
        l.next_statement(&mut v);
        assert_eq!(v[0].tok, Tok::Reg(1, false));
        assert_eq!((v[0].start, v[0].end), (5, 7));
        let mut l = Lexer::new("a b c");
        l.set_pos(2);
        l.next_statement(&mut v);
        assert_eq!(v.iter().map(|t| t.tok).collect::<Vec<_>>(), vec![Tok::Ident("b"), Tok::Ident("c")]);
        assert_eq!(lex("0x r01 \\x"), vec![Tok::Bad('0'), Tok::Ident("r01"), Tok::Bad('\\'), Tok::Ident("x")]);
    }

    #[test]
    fn escapes() {
        let mut v = Vec::new();
        unescape(r#"a\n\x41\101\""#, &mut v).unwrap();
        assert_eq!(v, b"a\nAA\"");
    }
}
