//! Textual substitution of macro bodies (`\arg`, `\@`, `\()`), recording where each piece of
//! the expanded text came from.

/// A run of expanded text and the source text it came from: a copy of body text (`subst`
/// false, same length) or the value of a `\arg`/`\@` (`subst` true, `origin..origin+origin_len`
/// is the `\arg` reference in the body).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seg {
    pub virt: u32,
    pub len: u32,
    pub origin: u32,
    pub origin_len: u32,
    pub subst: bool,
}

impl Seg {
    /// Map a byte range of the expanded text (that starts inside this segment) to the source.
    pub fn map(&self, start: u32, end: u32) -> (u32, u32) {
        if self.subst {
            return (self.origin, self.origin + self.origin_len);
        }
        let s = self.origin + (start - self.virt);
        let e = if end <= self.virt + self.len { self.origin + (end - self.virt) } else { self.origin + self.len };
        (s, e.max(s))
    }
}

/// The segment that holds byte `at` of the expanded text (segments are sorted, non-empty).
pub fn find(segs: &[Seg], at: u32) -> Option<&Seg> {
    let i = segs.partition_point(|s| s.virt <= at);
    let s = segs.get(i.checked_sub(1)?)?;
    // The end of the last segment (an end-of-text span) belongs to it.
    (at < s.virt + s.len || i == segs.len()).then_some(s)
}

fn is_ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c == b'.'
}

/// Append `body` to `out` with every `\name` of a parameter replaced by its value, `\()`
/// removed and, when `counter` is given, `\@` replaced by it; any other `\` stays as written.
/// `body_off` is the offset of `body` in its file (for the segments).
pub fn substitute(
    body: &str,
    body_off: u32,
    params: &[&str],
    values: &[&str],
    counter: Option<u64>,
    out: &mut String,
    segs: &mut Vec<Seg>,
) {
    let b = body.as_bytes();
    let mut lit = 0;
    let mut i = 0;
    let literal = |out: &mut String, segs: &mut Vec<Seg>, from: usize, to: usize| {
        if to > from {
            segs.push(Seg {
                virt: out.len() as u32,
                len: (to - from) as u32,
                origin: body_off + from as u32,
                origin_len: (to - from) as u32,
                subst: false,
            });
            out.push_str(&body[from..to]);
        }
    };
    let mut num = String::new();
    while i < b.len() {
        if b[i] != b'\\' || i + 1 >= b.len() {
            i += 1;
            continue;
        }
        let j = i + 1;
        let name_end = if counter.is_some() && b[j] == b'@' {
            j + 1
        } else {
            let mut k = j;
            while k < b.len() && is_ident_char(b[k]) {
                k += 1;
            }
            k
        };
        let name = &body[j..name_end];
        let (value, consumed): (&str, usize) = if name == "@" {
            num.clear();
            num.push_str(&counter.unwrap_or(0).to_string());
            (num.as_str(), 2)
        } else if let Some(p) = params.iter().position(|p| !name.is_empty() && *p == name) {
            (values.get(p).copied().unwrap_or(""), 1 + name.len())
        } else if name.is_empty() && body[j..].starts_with("()") {
            ("", 3)
        } else {
            // Not ours: stays as written (an inner macro's parameter, or a mistake).
            i = name_end.max(j);
            continue;
        };
        literal(out, segs, lit, i);
        if !value.is_empty() {
            segs.push(Seg {
                virt: out.len() as u32,
                len: value.len() as u32,
                origin: body_off + i as u32,
                origin_len: consumed as u32,
                subst: true,
            });
            out.push_str(value);
        }
        i += consumed;
        lit = i;
    }
    literal(out, segs, lit, b.len());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(body: &str, params: &[&str], values: &[&str], counter: Option<u64>) -> (String, Vec<Seg>) {
        let mut out = String::new();
        let mut segs = Vec::new();
        substitute(body, 100, params, values, counter, &mut out, &mut segs);
        (out, segs)
    }

    #[test]
    fn parameters_counter_and_separator() {
        let (out, _) = sub("r\\a = \\b\\()0 + \\@\n", &["a", "b"], &["1", "7"], Some(3));
        assert_eq!(out, "r1 = 70 + 3\n");
        // `\@` outside a macro (`.rept`) and unknown names stay as written.
        let (out, _) = sub("r1 = \\@ \\zz \\\n", &[], &[], None);
        assert_eq!(out, "r1 = \\@ \\zz \\\n");
        // The longest name wins: `\ab` is not `\a` followed by `b`.
        let (out, _) = sub("\\ab \\a\n", &["a", "ab"], &["X", "Y"], None);
        assert_eq!(out, "Y X\n");
    }

    #[test]
    fn segments_map_back_to_the_body() {
        let (out, segs) = sub("r\\a = 5\n", &["a"], &["10"], None);
        assert_eq!(out, "r10 = 5\n");
        // `r` is body byte 0, the value `10` comes from `\a` (bytes 1..3), ` = 5` from 3..
        assert_eq!(find(&segs, 0).unwrap().map(0, 1), (100, 101));
        assert_eq!(find(&segs, 1).unwrap().map(1, 3), (101, 103));
        assert_eq!(find(&segs, 4).unwrap().map(4, 7), (104, 107));
        // A span running past its segment ends at the segment's end.
        assert_eq!(find(&segs, 0).unwrap().map(0, 6), (100, 101));
        assert_eq!(find(&segs, out.len() as u32).unwrap().map(8, 8), (108, 108));
        // Segments tile the output.
        let mut at = 0;
        for s in &segs {
            assert_eq!(s.virt, at);
            at += s.len;
        }
        assert_eq!(at as usize, out.len());
    }

    #[test]
    fn empty_values_leave_no_segment() {
        let (out, segs) = sub("a\\x()b\\()c", &["x"], &[""], None);
        assert_eq!(out, "a()bc");
        assert!(segs.iter().all(|s| s.len > 0));
    }
}
