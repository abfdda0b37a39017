//! "Did you mean" suggestions, shared by every tool (mnemonics, directives, section names, C
//! names).

/// Edit distance with adjacent transpositions (optimal string alignment), for "did you mean".
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, x) in d.iter_mut().enumerate().take(w) {
        *x = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1).min(d[i * w + j - 1] + 1).min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

/// [`edit_distance`] when it is at most `limit`: ASCII words up to 63 bytes on the stack, with
/// rows abandoned as soon as every entry exceeds the limit (the distance can only grow).
fn distance_within(a: &str, b: &str, limit: usize) -> Option<usize> {
    const N: usize = 64;
    if !(a.is_ascii() && b.is_ascii() && a.len() < N && b.len() < N) {
        return Some(edit_distance(a, b)).filter(|&d| d <= limit);
    }
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    // Rows i-2, i-1 and i of the optimal-string-alignment table.
    let (mut r2, mut r1, mut r0) = ([0usize; N], [0usize; N], [0usize; N]);
    for (j, x) in r1.iter_mut().enumerate().take(b.len() + 1) {
        *x = j;
    }
    for i in 1..=a.len() {
        r0[0] = i;
        let mut row_min = r0[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (r1[j] + 1).min(r0[j - 1] + 1).min(r1[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(r2[j - 2] + 1);
            }
            r0[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > limit {
            return None;
        }
        (r2, r1, r0) = (r1, r0, r2);
    }
    Some(r1[b.len()]).filter(|&d| d <= limit)
}

/// The closest candidate within a distance that scales with the word's length.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.len() / 3).max(1);
    candidates
        .into_iter()
        // (A run of 10,000 unknown directives spent 94% of its time here with the plain
        // distance of every candidate.)
        .filter_map(|c| distance_within(word, c, limit).map(|d| (d, c)))
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_distance_agrees_with_the_plain_one() {
        let words =
            ["", "a", "ab", "ba", ".text", ".txet", ".01rt", ".byte", ".section", ".sectoin", "lock", "lcok", "é.ü"];
        for a in words {
            for b in words {
                let d = edit_distance(a, b);
                for limit in 0..6 {
                    assert_eq!(distance_within(a, b, limit), (d <= limit).then_some(d), "{a:?} {b:?} {limit}");
                }
            }
        }
        assert_eq!(closest(".sectoin", [".section", ".text"]), Some(".section"));
        assert_eq!(closest(".01rt", [".rept", ".irp"]), None);
    }
}
