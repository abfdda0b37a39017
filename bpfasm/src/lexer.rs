//! Tokens of LLVM's BPF assembly, with byte spans.
//!
//! The lexer works one statement at a time: [`Lexer::next_statement`] fills a token buffer up to
//! the end of the line or a `;`. Comments (`#`, `//`, `/* */`) are skipped; a `/* */` comment may
//! span lines.

use bpf_isa::{parse_reg, punct_at};

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
    pos: usize,
    pub errors: Vec<LexError>,
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c == b'.' || c == b'$' || c == b'@'
}

fn is_ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || c == b'$' || c == b'@'
}

impl<'a> Lexer<'a> {
    /// A UTF-8 byte-order mark at the start (some Windows editors write one) is skipped.
    pub fn new(src: &'a str) -> Self {
        let pos = if src.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
        Lexer { src, pos, errors: Vec::new() }
    }

    /// Byte position of the next character to lex.
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// Continue lexing at `pos` (after a directive that took raw text, like `.cdecl`).
    pub fn set_pos(&mut self, pos: usize) {
        self.pos = pos.min(self.src.len());
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.src.len()
    }

    /// Lex the next statement into `out` (cleared first). Returns false at end of input.
    pub fn next_statement(&mut self, out: &mut Vec<Token<'a>>) -> bool {
        out.clear();
        let b = self.src.as_bytes();
        if self.pos >= b.len() {
            return false;
        }
        loop {
            let Some(&c) = b.get(self.pos) else { return true };
            match c {
                b'\n' => {
                    self.pos += 1;
                    return true;
                }
                b';' => {
                    self.pos += 1;
                    return true;
                }
                b' ' | b'\t' | b'\r' | 0x0b | 0x0c => self.pos += 1,
                b'#' => self.skip_line_comment(),
                b'/' if b.get(self.pos + 1) == Some(&b'/') => self.skip_line_comment(),
                b'/' if b.get(self.pos + 1) == Some(&b'*') => {
                    let start = self.pos;
                    match self.src[self.pos + 2..].find("*/") {
                        Some(n) => self.pos += 2 + n + 2,
                        None => {
                            self.errors.push(LexError {
                                start: start as u32,
                                end: (start + 2) as u32,
                                msg: "unterminated /* comment",
                            });
                            self.pos = b.len();
                        }
                    }
                }
                b'"' => {
                    let start = self.pos;
                    let mut i = self.pos + 1;
                    loop {
                        match b.get(i) {
                            None | Some(b'\n') => {
                                self.errors.push(LexError {
                                    start: start as u32,
                                    end: i as u32,
                                    msg: "unterminated string",
                                });
                                break;
                            }
                            Some(b'\\') => i += 2,
                            Some(b'"') => {
                                i += 1;
                                break;
                            }
                            Some(_) => i += 1,
                        }
                    }
                    let i = i.min(b.len());
                    let inner_end = if i > start + 1 && b[i - 1] == b'"' { i - 1 } else { i };
                    out.push(Token {
                        tok: Tok::Str(&self.src[start + 1..inner_end.max(start + 1)]),
                        start: start as u32,
                        end: i as u32,
                    });
                    self.pos = i;
                }
                b'0'..=b'9' => out.push(self.number()),
                _ if is_ident_start(c) => {
                    let start = self.pos;
                    let mut i = self.pos + 1;
                    while i < b.len() && is_ident_char(b[i]) {
                        i += 1;
                    }
                    let text = &self.src[start..i];
                    let tok = match parse_reg(text) {
                        Some((n, w)) => Tok::Reg(n, w),
                        None => Tok::Ident(text),
                    };
                    out.push(Token { tok, start: start as u32, end: i as u32 });
                    self.pos = i;
                }
                _ => {
                    let start = self.pos;
                    let rest = &self.src[self.pos..];
                    match punct_at(rest.as_bytes()) {
                        Some(p) => {
                            self.pos += p.len();
                            out.push(Token { tok: Tok::Punct(p), start: start as u32, end: self.pos as u32 });
                        }
                        None => {
                            let ch = rest.chars().next().unwrap_or('?');
                            self.pos += ch.len_utf8();
                            out.push(Token { tok: Tok::Bad(ch), start: start as u32, end: self.pos as u32 });
                        }
                    }
                }
            }
        }
    }

    fn skip_line_comment(&mut self) {
        match self.src[self.pos..].find('\n') {
            Some(n) => self.pos += n,
            None => self.pos = self.src.len(),
        }
    }

    fn number(&mut self) -> Token<'a> {
        let b = self.src.as_bytes();
        let start = self.pos;
        let mut i = start;
        while i < b.len() && b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        let text = &self.src[start..i];
        self.pos = i;
        let span = |tok| Token { tok, start: start as u32, end: i as u32 };
        // Numeric local label references: `1b`, `12f` (but `0b101` is binary).
        let last = text.as_bytes()[text.len() - 1];
        if text.len() >= 2
            && (last == b'b' || last == b'f')
            && text[..text.len() - 1].bytes().all(|c| c.is_ascii_digit())
        {
            if let Ok(n) = text[..text.len() - 1].parse::<u32>() {
                return span(Tok::LocalRef(n, last == b'b'));
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
            return span(Tok::Bad(text.chars().next().unwrap_or('0')));
        }
        let mut value: u64 = 0;
        let mut overflow = false;
        for c in digits.bytes() {
            let d = match (c as char).to_digit(radix) {
                Some(d) => d as u64,
                None => return span(Tok::Bad(c as char)),
            };
            let (v, o1) = value.overflowing_mul(radix as u64);
            let (v, o2) = v.overflowing_add(d);
            overflow |= o1 || o2;
            value = v;
        }
        span(Tok::Num { value, overflow })
    }
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

    #[test]
    fn escapes() {
        let mut v = Vec::new();
        unescape(r#"a\n\x41\101\""#, &mut v).unwrap();
        assert_eq!(v, b"a\nAA\"");
    }
}
