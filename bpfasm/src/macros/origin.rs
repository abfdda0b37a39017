//! Mapping spans in expanded text back to the source the user wrote.

use super::subst;
use crate::asm::Assembler;
use crate::diag::Diag;
use crate::expr::Span;
use crate::limits::MAX_MACRO_DEPTH;

impl Assembler {
    /// Is `file` the text of an expansion?
    pub fn is_expansion(&self, file: u32) -> bool {
        self.mac.by_file.contains_key(&file)
    }

    /// Where `span` comes from in the source as written, and every macro use (mapped the same
    /// way) whose expansion it went through, innermost first, with what was expanded.
    pub fn origin(&self, span: Span) -> (Span, Vec<(Span, String)>) {
        let mut uses = Vec::new();
        let s = self.origin_into(span, &mut uses, &mut (4 * MAX_MACRO_DEPTH as u32 + 8));
        (s, uses)
    }

    fn origin_into(&self, span: Span, uses: &mut Vec<(Span, String)>, budget: &mut u32) -> Span {
        let mut s = span;
        while let Some(&i) = self.mac.by_file.get(&s.file) {
            if *budget == 0 {
                break;
            }
            *budget -= 1;
            let e = &self.mac.expansions[i];
            let (start, mut end) = match subst::find(&e.segs, s.start) {
                Some(seg) => seg.map(s.start, s.end),
                None => (0, 0),
            };
            // A span over several segments (`r\x`) ends where its last byte came from.
            if s.end > s.start + 1 {
                if let Some(last) = subst::find(&e.segs, s.end - 1) {
                    let e2 = last.map(s.end - 1, s.end).1;
                    if e2 > end {
                        end = e2;
                    }
                }
            }
            let u = self.origin_into(e.use_span, uses, budget);
            uses.insert(0, (u, e.what.clone()));
            s = Span { file: e.origin_file, start, end };
        }
        s
    }

    /// The source file (not an expansion) that `file`'s text comes from.
    pub(crate) fn real_file(&self, file: u32) -> u32 {
        if self.mac.by_file.is_empty() {
            return file;
        }
        self.origin(Span { file, start: 0, end: 0 }).0.file
    }

    /// A diagnostic located in expanded text, relocated to the macro body, with a label at
    /// each macro use that led there and the expanded line when it differs from the body's.
    #[cold]
    #[inline(never)]
    pub(crate) fn relocate(&self, mut d: Diag) -> Diag {
        if let Some(span) = d.span.filter(|s| self.is_expansion(s.file)) {
            let (o, uses) = self.origin(span);
            let expanded = self.line_at(span);
            let written = self.line_at(o);
            d.span = Some(o);
            let mut seen: Vec<Span> = vec![o];
            for (u, what) in uses {
                if !seen.contains(&u) {
                    seen.push(u);
                    d.secondary.push((u, format!("in expansion of {what}")));
                }
            }
            if let (Some(x), Some(w)) = (expanded, written) {
                if x.trim() != w.trim() {
                    d.notes.push(format!("note: the line expands to `{}`", x.trim()));
                }
            }
        }
        for s in &mut d.secondary {
            if self.is_expansion(s.0.file) {
                s.0 = self.origin(s.0).0;
            }
        }
        d
    }

    fn line_at(&self, span: Span) -> Option<String> {
        use codespan_reporting::files::Files;
        let f = span.file as usize;
        let l = self.files.line_index(f, span.start as usize).ok()?;
        let r = self.files.line_range(f, l).ok()?;
        self.files.source(f).ok()?.get(r).map(|s| s.trim_end_matches(['\n', '\r']).to_string())
    }
}
