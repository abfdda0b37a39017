//! Macro parameters (`.macro m a, b=1, c:req, d:vararg`) and the arguments of a macro use,
//! split the way GNU as and llvm-mc split them: by commas, or by spaces unless an operator
//! follows the space; parentheses group.

use crate::lexer::{Tok, Token};

/// A parameter of a macro.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    pub name: String,
    pub default: Option<String>,
    pub required: bool,
    pub vararg: bool,
    /// Byte range of the name in the definition.
    pub span: (u32, u32),
}

/// One argument of a macro use (or one item of `.irp`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arg {
    /// `name=value`: the name and its byte range.
    pub name: Option<(String, (u32, u32))>,
    pub value: String,
    /// Byte range of the whole argument (an empty argument: where it would be).
    pub span: (u32, u32),
}

/// An error at a byte range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArgError {
    pub span: (u32, u32),
    pub msg: String,
}

fn text<'s>(src: &'s str, t: &Token<'_>) -> &'s str {
    src.get(t.start as usize..t.end as usize).unwrap_or("")
}

fn is_operator(t: &Tok<'_>) -> bool {
    match t {
        Tok::Punct(p) => p.starts_with(['+', '-', '~', '/', '*', '.', '=', '|', '^', '&', '!', '<', '>']),
        _ => false,
    }
}

fn is_word(t: &Tok<'_>) -> bool {
    matches!(t, Tok::Ident(_) | Tok::Reg(..))
}

/// Append one token of an argument: a string literal contributes its contents (as llvm-mc
/// substitutes them), anything else its text.
fn push_tok(out: &mut String, src: &str, t: &Token<'_>) {
    match t.tok {
        Tok::Str(s) => out.push_str(s),
        _ => out.push_str(text(src, t)),
    }
}

/// Read one value starting at `toks[*i]`: up to a comma or a separating space at paren depth 0.
fn value(src: &str, toks: &[Token<'_>], i: &mut usize) -> Result<String, ArgError> {
    let mut out = String::new();
    let mut depth = 0u32;
    let first = *i;
    let mut join_next = false;
    while let Some(t) = toks.get(*i) {
        let spaced = *i > first && toks[*i - 1].end < t.start;
        if t.tok == Tok::Punct("=") {
            return Err(ArgError { span: (t.start, t.end), msg: "unexpected `=` in macro argument".into() });
        }
        if depth == 0 {
            if t.tok == Tok::Punct(",") {
                break;
            }
            if spaced && is_operator(&t.tok) {
                // `1 + 2` is one argument: an operator after a space joins, and so does the
                // token after it.
                push_tok(&mut out, src, t);
                *i += 1;
                join_next = true;
                continue;
            }
            if spaced && !join_next {
                break;
            }
        } else if spaced {
            out.push(' ');
        }
        join_next = false;
        match t.tok {
            Tok::Punct("(") => depth += 1,
            Tok::Punct(")") => depth = depth.saturating_sub(1),
            _ => {}
        }
        push_tok(&mut out, src, t);
        *i += 1;
    }
    if depth != 0 {
        let t = &toks[first];
        return Err(ArgError { span: (t.start, t.end), msg: "unbalanced parentheses in macro argument".into() });
    }
    Ok(out)
}

/// Split the arguments of a macro use. `vararg`: the index of a `:vararg` parameter, whose
/// positional value is the rest of the statement as written. `eol`: where the statement ends.
pub fn split_args(src: &str, toks: &[Token<'_>], vararg: Option<usize>, eol: u32) -> Result<Vec<Arg>, ArgError> {
    let mut args = Vec::new();
    let mut i = 0;
    loop {
        let start = toks.get(i).map_or(eol, |t| t.start);
        let mut name = None;
        if i + 1 < toks.len() && is_word(&toks[i].tok) && toks[i + 1].tok == Tok::Punct("=") {
            name = Some((text(src, &toks[i]).to_string(), (toks[i].start, toks[i].end)));
            i += 2;
        }
        let v = if name.is_none() && vararg == Some(args.len()) && i < toks.len() {
            let from = toks[i].start as usize;
            let to = toks.last().map_or(from, |t| t.end as usize);
            i = toks.len();
            src.get(from..to).unwrap_or("").to_string()
        } else {
            value(src, toks, &mut i)?
        };
        let end = if i > 0 { toks[i - 1].end.max(start) } else { start };
        args.push(Arg { name, value: v, span: (start, end) });
        match toks.get(i) {
            None => return Ok(args),
            Some(t) if t.tok == Tok::Punct(",") => i += 1,
            Some(_) => {}
        }
    }
}

/// Parse the parameters of `.macro NAME params` (`toks` after the name).
pub fn parse_params(src: &str, toks: &[Token<'_>]) -> Result<Vec<Param>, ArgError> {
    let mut params: Vec<Param> = Vec::new();
    let mut i = 0;
    if toks.first().is_some_and(|t| t.tok == Tok::Punct(",")) {
        i += 1;
    }
    while let Some(t) = toks.get(i) {
        if !is_word(&t.tok) {
            return Err(ArgError { span: (t.start, t.end), msg: "expected a parameter name".into() });
        }
        let name = text(src, t).to_string();
        if let Some(p) = params.iter().find(|p| p.name == name) {
            let _ = p;
            return Err(ArgError { span: (t.start, t.end), msg: format!("parameter `{name}` is already named") });
        }
        let mut p = Param { name, default: None, required: false, vararg: false, span: (t.start, t.end) };
        i += 1;
        if toks.get(i).is_some_and(|t| t.tok == Tok::Punct(":")) {
            match toks.get(i + 1).map(|t| t.tok) {
                Some(Tok::Ident("req")) => p.required = true,
                Some(Tok::Ident("vararg")) => p.vararg = true,
                _ => {
                    let t = toks.get(i + 1).unwrap_or(&toks[i]);
                    return Err(ArgError {
                        span: (t.start, t.end),
                        msg: format!("unknown qualifier for parameter `{}` (`:req` or `:vararg`)", p.name),
                    });
                }
            }
            i += 2;
        }
        if toks.get(i).is_some_and(|t| t.tok == Tok::Punct("=")) {
            i += 1;
            p.default = Some(value(src, toks, &mut i)?);
        }
        if let Some(last) = params.last() {
            if last.vararg {
                return Err(ArgError {
                    span: last.span,
                    msg: format!("vararg parameter `{}` must be the last parameter", last.name),
                });
            }
        }
        params.push(p);
        if toks.get(i).is_some_and(|t| t.tok == Tok::Punct(",")) {
            i += 1;
        }
    }
    Ok(params)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexer::Lexer;

    fn toks(src: &str) -> Vec<Token<'_>> {
        let mut lx = Lexer::new(src);
        let mut v = Vec::new();
        lx.next_statement(&mut v);
        v
    }

    fn values(src: &str) -> Vec<String> {
        split_args(src, &toks(src), None, src.len() as u32).unwrap().into_iter().map(|a| a.value).collect()
    }

    #[test]
    fn arguments_split_like_gnu_as() {
        assert_eq!(values("1, 2"), ["1", "2"]);
        assert_eq!(values("1 2"), ["1", "2"]);
        assert_eq!(values("1 + 2, 5"), ["1+2", "5"]);
        assert_eq!(values("1 +2 6"), ["1+2", "6"]);
        assert_eq!(values("(1 + 2) 4"), ["(1 + 2)", "4"]);
        assert_eq!(values("\"7\", r1"), ["7", "r1"]);
        assert_eq!(values(""), [""]);
        assert_eq!(values("1,"), ["1", ""]);
        assert_eq!(values("1,,3"), ["1", "", "3"]);
    }

    #[test]
    fn named_and_vararg_arguments() {
        let src = "b=3, a=r1";
        let a = split_args(src, &toks(src), None, src.len() as u32).unwrap();
        assert_eq!(a[0].name.as_ref().unwrap().0, "b");
        assert_eq!(a[1].name.as_ref().unwrap().0, "a");
        assert_eq!(a[1].value, "r1");
        let src = "1, 2, 3";
        let a = split_args(src, &toks(src), Some(1), src.len() as u32).unwrap();
        assert_eq!(a.iter().map(|a| a.value.as_str()).collect::<Vec<_>>(), ["1", "2, 3"]);
        let src = "(1";
        assert!(split_args(src, &toks(src), None, 2).is_err());
    }

    #[test]
    fn parameters() {
        let src = "a, b=3 c:req, d:vararg";
        let p = parse_params(src, &toks(src)).unwrap();
        assert_eq!(p.len(), 4);
        assert_eq!(p[1].default.as_deref(), Some("3"));
        assert!(p[2].required && p[3].vararg);
        let src = "a, a";
        assert!(parse_params(src, &toks(src)).is_err());
        let src = "a:vararg, b";
        assert!(parse_params(src, &toks(src)).is_err());
        let src = "a:maybe";
        assert!(parse_params(src, &toks(src)).is_err());
    }
}
