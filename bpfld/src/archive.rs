//! Static libraries: `ar` archives of BPF objects (GNU and BSD formats, with or without a
//! symbol index), read with `object`'s archive reader, and ld's member selection: a member
//! is linked only when it defines a symbol that is still undefined at the archive's place on
//! the command line, repeating over the archive until nothing changes; `--whole-archive`
//! links every member.
//!
//! Members are named `libnet.a(parse.o)` in every message. An archive is checked whole when
//! it is read, whatever is later linked from it: every member must be a BPF object, no two
//! members may define the same strong symbol (which one a link got would depend on member
//! order), and every symbol-index entry must point at a member.

use crate::diag::Diagnostic;
use crate::input::{self, Object};
use bpfobj::elf::*;
use btf::hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use object::read::archive::{ArchiveFile, ArchiveOffset};

/// `!<arch>\n` (or a thin archive's `!<thin>\n`, which is rejected with a message).
pub fn is_archive(data: &[u8]) -> bool {
    data.starts_with(b"!<arch>\n") || data.starts_with(b"!<thin>\n")
}

/// An archive's members, parsed, in archive order.
#[derive(Debug)]
pub struct Archive {
    pub name: String,
    /// Each named `archive(member)`.
    pub members: Vec<Object>,
}

/// Size of the common member header (`ar_hdr`).
const HDR: u64 = 60;

fn err(archive: &str, msg: impl Into<String>, at: impl Into<String>) -> Diagnostic {
    Diagnostic::error("L0011", format!("cannot read archive `{archive}`: {}", msg.into())).label(archive, at)
}

/// Read and check an archive: all of its members are parsed (see the module notes).
pub fn read(name: &str, data: &[u8]) -> Result<Archive, Vec<Diagnostic>> {
    if data.starts_with(b"!<thin>\n") {
        return Err(vec![err(name, "a thin archive", "its members are not stored in it; build it with `ar rcs`")]);
    }
    let ar = ArchiveFile::parse(data)
        .map_err(|e| vec![err(name, "bad archive header", format!("at its start: {}", lower(e.to_string())))])?;
    let len = data.len() as u64;
    let mut errors = Vec::new();
    let mut members = Vec::new();
    // Member header offsets (for the symbol index), and where the last member ended.
    let mut by_header: HashSet<u64> = HashSet::default();
    let mut aligned: Vec<u8> = Vec::new();
    let mut first_header = None;
    let mut last: Option<(String, u64)> = None;
    for m in ar.members() {
        let m = match m {
            Ok(m) => m,
            Err(e) => {
                let after = match &last {
                    Some((n, end)) => format!("after member `{n}` (offset {end:#x})"),
                    None => "at its first member".to_string(),
                };
                errors.push(err(name, "truncated or corrupt", format!("{after}: {}", lower(e.to_string()))));
                break;
            }
        };
        let mname = String::from_utf8_lossy(m.name()).into_owned();
        let (off, size) = m.file_range();
        if off.checked_add(size).is_none_or(|end| end > len) {
            errors.push(err(
                name,
                "truncated",
                format!(
                    "member `{mname}` at offset {off:#x} should hold {size} bytes; {} are left",
                    len.saturating_sub(off)
                ),
            ));
            break;
        }
        // The header sits right before the data, or before a BSD `#1/N` name that does.
        let name_len = m.header().map_or(0, |h| bsd_name_len(&h.name));
        let header = off.saturating_sub(HDR + name_len);
        first_header.get_or_insert(header);
        let full = format!("{name}({mname})");
        let bytes = &data[off as usize..(off + size) as usize];
        last = Some((mname.clone(), off + size));
        if is_archive(bytes) {
            errors.push(
                Diagnostic::error("L0001", format!("cannot link `{full}`: an archive inside an archive"))
                    .label(&full, "nested archives are not linked; list the inner archive on the command line"),
            );
            continue;
        }
        by_header.insert(header);
        // The ELF reader wants its headers aligned; a member's data is only 2-aligned.
        let parsed = if bytes.as_ptr().align_offset(8) == 0 {
            input::parse(&full, bytes)
        } else {
            aligned.clear();
            aligned.extend_from_slice(bytes);
            input::parse(&full, &aligned)
        };
        match parsed {
            Ok(o) => members.push(o),
            Err(e) => errors.push(Diagnostic::error("L0001", format!("cannot link `{full}`: {e}")).label(&full, e)),
        }
    }
    if errors.is_empty() {
        if let Err(e) = check_index(name, &ar, &by_header, first_header.unwrap_or(len)) {
            errors.push(e);
        }
    }
    if errors.is_empty() {
        errors.extend(duplicates(name, &members));
    }
    if errors.is_empty() {
        Ok(Archive { name: name.to_string(), members })
    } else {
        Err(errors)
    }
}

/// The length of a BSD extended name (`#1/N`: the name is the first N bytes of the data).
fn bsd_name_len(h: &[u8; 16]) -> u64 {
    if !h.starts_with(b"#1/") {
        return 0;
    }
    h[3..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .fold(0u64, |n, &c| n.saturating_mul(10).saturating_add((c - b'0') as u64))
}

fn lower(s: String) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => s,
    }
}

/// Every symbol-index entry must point at the header of a member. An entry pointing before
/// the first member points into the index itself (or the names table): an archive that
/// refers to itself.
fn check_index(
    name: &str,
    ar: &ArchiveFile<'_>,
    by_header: &HashSet<u64>,
    first_header: u64,
) -> Result<(), Diagnostic> {
    let bad = |e: object::read::Error| err(name, "bad symbol index", lower(e.to_string()));
    let Some(syms) = ar.symbols().map_err(bad)? else { return Ok(()) };
    for s in syms {
        let s = s.map_err(bad)?;
        let ArchiveOffset(off) = s.offset();
        if by_header.contains(&off) {
            continue;
        }
        let sym = String::from_utf8_lossy(s.name());
        let at = format!("symbol index entry `{sym}` points at offset {off:#x}");
        return Err(if off < first_header {
            err(name, "its symbol index refers to the archive itself", format!("{at}, inside the index"))
                .help("rebuild the index with `ar s` (or the archive with `ar rcs`)")
        } else {
            err(name, "its symbol index points between members", format!("{at}, where no member starts"))
                .help("rebuild the index with `ar s` (or the archive with `ar rcs`)")
        });
    }
    Ok(())
}

/// Whether a symbol is a definition that a link would use (not a local, not in a section
/// the link skips), and whether it is weak. `license`/`version` are merged as one, so the
/// `LICENSE` every object defines is no clash.
fn definition(o: &Object, s: &input::Symbol) -> Option<bool> {
    if s.is_local() || s.is_undef() || s.typ == STT_FILE || s.typ == STT_SECTION || o.sym_name(s).is_empty() {
        return None;
    }
    if s.shndx != crate::input::ABS {
        let sec = o.sections.get(s.shndx as usize)?;
        if sec.ignored || sec.name == "license" || sec.name == "version" {
            return None;
        }
    }
    Some(s.bind == STB_WEAK)
}

/// Two members defining the same strong symbol.
fn duplicates(name: &str, members: &[Object]) -> Vec<Diagnostic> {
    let mut first: HashMap<&str, usize> = HashMap::default();
    let mut out = Vec::new();
    for (mi, m) in members.iter().enumerate() {
        for s in &m.symbols {
            if definition(m, s) != Some(false) {
                continue;
            }
            match first.get(m.sym_name(s)) {
                Some(&f) if f != mi => out.push(
                    Diagnostic::error(
                        "L0002",
                        format!("symbol `{}` is defined in two members of archive `{name}`", m.sym_name(s)),
                    )
                    .label(&members[f].name, "first definition")
                    .label(&m.name, "second definition")
                    .help("a library defines each symbol once; mark one __weak or make them static"),
                ),
                Some(_) => {}
                None => {
                    first.insert(m.sym_name(s), mi);
                }
            }
        }
    }
    out
}

/// One command-line input: an object, or an archive and whether `--whole-archive` applies.
#[derive(Debug)]
pub enum Item {
    Object(Object),
    Archive { archive: Archive, whole: bool },
}

/// What [`select`] linked, and for each symbol left undefined that a member of an earlier
/// archive defines: that member (the archive came before the object needing it).
#[derive(Debug, Default)]
pub struct Selection {
    pub objects: Vec<Object>,
    pub defined_earlier: HashMap<String, String>,
}

impl Selection {
    /// Add a note to each undefined-symbol error that an earlier archive could have resolved.
    pub fn annotate(&self, ds: &mut [Diagnostic]) {
        for d in ds.iter_mut().filter(|d| d.code == "L0007") {
            let name = d.message.split('`').nth(1).unwrap_or("");
            if let Some(m) = self.defined_earlier.get(name) {
                let note = format!(
                    "`{m}` defines it, but its library comes before the objects that need it: \
                     a library is searched where it appears, so list it after them"
                );
                d.notes.push(note);
            }
        }
    }
}

/// ld's selection: inputs in order; at an archive, link each member that defines a symbol
/// still undefined (strong references only: a weak extern pulls nothing in), again and again
/// until a pass adds nothing. Linked members take the archive's place, in archive order.
pub fn select(items: Vec<Item>) -> Selection {
    let mut sel = Selector::default();
    let mut objects = Vec::new();
    for item in items {
        match item {
            Item::Object(o) => objects.push(o),
            Item::Archive { archive, whole } => {
                let members = sel.archive(archive, whole, &objects);
                objects.extend(members);
            }
        }
    }
    let defined_earlier = sel.finish(&objects);
    Selection { objects, defined_earlier }
}

/// [`select`] one input at a time: objects go straight to the link (the caller keeps them,
/// in order), an archive gives the members it adds. The symbols of the objects are read
/// only once an archive comes (a link of objects alone never builds the symbol sets).
#[derive(Debug, Default)]
pub struct Selector {
    defined: HashSet<String>,
    undefined: HashSet<String>,
    /// Definitions in members left out: symbol -> member.
    left_out: HashMap<String, String>,
    /// How many of the objects linked so far `defined`/`undefined` account for.
    seen: usize,
    any_archive: bool,
}

impl Selector {
    fn add(&mut self, o: &Object) {
        for s in &o.symbols {
            if definition(o, s).is_some() {
                self.undefined.remove(o.sym_name(s));
                self.defined.insert(o.sym_name(s).to_string());
            }
        }
        for s in &o.symbols {
            let strong_ref = s.is_undef() && s.bind == STB_GLOBAL && !o.sym_name(s).is_empty();
            if strong_ref && s.typ != STT_FILE && s.typ != STT_SECTION && !self.defined.contains(o.sym_name(s)) {
                self.undefined.insert(o.sym_name(s).to_string());
            }
        }
    }

    /// Account for the objects linked since the last archive (`linked`: every object linked
    /// so far, in order).
    fn catch_up(&mut self, linked: &[Object]) {
        for o in linked.get(self.seen..).unwrap_or(&[]) {
            self.add(o);
        }
        self.seen = self.seen.max(linked.len());
    }

    /// The members of `archive` to link after `linked` (every object linked so far), in
    /// archive order.
    pub fn archive(&mut self, archive: Archive, whole: bool, linked: &[Object]) -> Vec<Object> {
        self.any_archive = true;
        self.catch_up(linked);
        let n = archive.members.len();
        let mut taken = vec![whole; n];
        if whole {
            for m in &archive.members {
                self.add(m);
            }
        }
        loop {
            let mut changed = false;
            for (i, m) in archive.members.iter().enumerate() {
                if taken[i] || self.undefined.is_empty() {
                    continue;
                }
                let needed =
                    m.symbols.iter().any(|s| definition(m, s).is_some() && self.undefined.contains(m.sym_name(s)));
                if needed {
                    taken[i] = true;
                    changed = true;
                    self.add(m);
                }
            }
            if !changed {
                break;
            }
        }
        let mut out = Vec::new();
        for (m, t) in archive.members.into_iter().zip(taken) {
            if t {
                out.push(m);
                continue;
            }
            for s in m.symbols.iter().filter(|s| definition(&m, s).is_some()) {
                self.left_out.entry(m.sym_name(s).to_string()).or_insert_with(|| m.name.clone());
            }
        }
        self.seen = linked.len() + out.len();
        out
    }

    /// [`Selection::defined_earlier`], once every input is in (`linked`: every object linked).
    pub fn finish(mut self, linked: &[Object]) -> HashMap<String, String> {
        if !self.any_archive {
            return HashMap::default();
        }
        self.catch_up(linked);
        let undefined = &self.undefined;
        self.left_out.retain(|k, _| undefined.contains(k));
        self.left_out
    }
}
