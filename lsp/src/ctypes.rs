//! C type names in `.cdecl` ... `.endcdecl` blocks, for go-to-definition, references and
//! document symbols: where each `struct`/`union`/`enum` tag and typedef of the document is
//! defined, and where it is used. A token scan of the blocks (comments and strings skipped):
//! the assembler's C front end checks the declarations; this only locates names.

/// A type defined in the document: its display name (`struct foo`, `u32_t`), the byte range of
/// the name, and the definition's first line (for hover).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeDef {
    pub name: String,
    pub start: usize,
    pub end: usize,
    pub detail: String,
}

/// Definitions, and uses as (index into the definitions, start, end).
pub fn index(text: &str) -> (Vec<TypeDef>, Vec<(usize, usize, usize)>) {
    let toks = tokens(text);
    let mut defs: Vec<TypeDef> = Vec::new();
    let mut uses: Vec<(String, usize, usize)> = Vec::new();
    let line_at = |pos: usize| {
        let s = text[..pos].rfind('\n').map_or(0, |i| i + 1);
        let e = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        text[s..e].trim().to_string()
    };
    let mut i = 0;
    // typedef statement in progress: (depth of parentheses, last identifier at depth 0)
    let mut typedef: Option<(i32, Option<(usize, usize)>)> = None;
    let mut brace = 0i32;
    while i < toks.len() {
        let (s, e) = toks[i];
        let t = &text[s..e];
        match t {
            "struct" | "union" | "enum" => {
                if let Some(&(ns, ne)) = toks.get(i + 1).filter(|&&(ns, ne)| is_ident(&text[ns..ne])) {
                    let name = format!("{t} {}", &text[ns..ne]);
                    let defining = toks.get(i + 2).is_some_and(|&(a, b)| &text[a..b] == "{");
                    if defining && !defs.iter().any(|d| d.name == name) {
                        defs.push(TypeDef { name, start: ns, end: ne, detail: line_at(s) });
                    } else {
                        uses.push((name, ns, ne));
                    }
                    i += 2;
                    continue;
                }
            }
            "typedef" if brace == 0 => typedef = Some((0, None)),
            "{" => brace += 1,
            "}" => brace -= 1,
            "(" => {
                if let Some((d, _)) = &mut typedef {
                    *d += 1;
                }
            }
            ")" => {
                if let Some((d, _)) = &mut typedef {
                    *d -= 1;
                }
            }
            ";" if brace == 0 => {
                if let Some((_, Some((ns, ne)))) = typedef.take() {
                    let name = text[ns..ne].to_string();
                    if !defs.iter().any(|d| d.name == name) {
                        defs.push(TypeDef { name, start: ns, end: ne, detail: line_at(ns) });
                    }
                }
                typedef = None;
            }
            _ if is_ident(t) => {
                match &mut typedef {
                    // the declarator's name: the last identifier outside parameter lists
                    // (`typedef int (*fn_t)(int x);` names fn_t: depth 1, before the params)
                    Some((d, last)) if *d <= 1 && brace == 0 && !is_keyword(t) => {
                        if *d == 0
                            || last.is_none()
                            || toks.get(i.wrapping_sub(1)).is_some_and(|&(a, b)| &text[a..b] == "*")
                        {
                            *last = Some((s, e));
                        }
                    }
                    _ => uses.push((t.to_string(), s, e)),
                }
            }
            _ => {}
        }
        i += 1;
    }
    let refs = uses
        .into_iter()
        .filter_map(|(n, s, e)| defs.iter().position(|d| d.name == n).map(|d| (d, s, e)))
        .filter(|&(d, s, _)| defs[d].start != s)
        .collect();
    (defs, refs)
}

fn is_ident(t: &str) -> bool {
    t.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn is_keyword(t: &str) -> bool {
    matches!(
        t,
        "typedef"
            | "const"
            | "volatile"
            | "restrict"
            | "unsigned"
            | "signed"
            | "char"
            | "short"
            | "int"
            | "long"
            | "void"
            | "_Bool"
            | "float"
            | "double"
            | "extern"
            | "static"
    )
}

/// Byte ranges of the tokens inside `.cdecl` blocks (identifiers, numbers, punctuation).
fn tokens(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut in_block = false;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let trimmed = line.trim();
        if trimmed.starts_with(".cdecl") {
            in_block = true;
            continue;
        }
        if trimmed.starts_with(".endcdecl") {
            in_block = false;
            continue;
        }
        if in_block {
            lex_line(line, start, &mut out);
        }
    }
    out
}

fn lex_line(line: &str, base: usize, out: &mut Vec<(usize, usize)>) {
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'/' && b.get(i + 1) == Some(&b'/') {
            return;
        }
        if c == b'/' && b.get(i + 1) == Some(&b'*') {
            // a comment on one line (block comments spanning lines are rare in declarations)
            match line[i + 2..].find("*/") {
                Some(k) => i += k + 4,
                None => return,
            }
            continue;
        }
        if c == b'"' || c == b'\'' {
            let mut j = i + 1;
            while j < b.len() && b[j] != c {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            i = j + 1;
            continue;
        }
        if c.is_ascii_alphanumeric() || c == b'_' {
            let s = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            out.push((base + s, base + i));
            continue;
        }
        // one-byte punctuation; other bytes (whitespace, the bytes of non-ASCII characters)
        // are no token, so every token boundary is a character boundary
        if c.is_ascii_punctuation() {
            out.push((base + i, base + i + 1));
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_typedefs_and_uses() {
        let text = "\tr0 = 0\n\t.cdecl\nstruct pair { int a; }; // struct fake {\ntypedef struct pair pair_t;\ntypedef int (*cb_t)(int x);\nstruct user { struct pair p; pair_t q; cb_t f; };\n\t.endcdecl\nstruct pair {\n";
        let (defs, refs) = index(text);
        let names: Vec<&str> = defs.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["struct pair", "pair_t", "cb_t", "struct user"]);
        assert_eq!(&text[defs[0].start..defs[0].end], "pair");
        assert_eq!(defs[1].detail, "typedef struct pair pair_t;");
        // uses: `struct pair` in the typedef and in `user`, pair_t and cb_t in `user`;
        // nothing after .endcdecl
        let used: Vec<(&str, &str)> = refs.iter().map(|&(d, s, e)| (defs[d].name.as_str(), &text[s..e])).collect();
        assert_eq!(used, [("struct pair", "pair"), ("struct pair", "pair"), ("pair_t", "pair_t"), ("cb_t", "cb_t")]);
    }

    #[test]
    fn non_ascii_text_is_skipped_not_split() {
        let text = "\t.cdecl\nstruct café { int a; }; /* é */ struct b { char x[2]; } — ;\n\t.endcdecl\n";
        let (defs, _) = index(text);
        let names: Vec<&str> = defs.iter().map(|d| d.name.as_str()).collect();
        // (identifiers are ASCII: `café` reads as `caf`; what matters is no split character)
        assert_eq!(names, ["struct caf", "struct b"]);
    }
}
