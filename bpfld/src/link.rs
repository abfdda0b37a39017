//! The link: section layout, symbol resolution, relocations, BTF dedup, .BTF.ext merge,
//! output. Each step is a pass over all inputs (not libbpf's incremental append), so the final
//! DATASEC of every section is built from the *resolved* symbols: a variable's offset is where
//! its winning definition ended up, whatever the input order (libbpf keeps the offset of the
//! first extern or weak definition it saw). The inputs' types were merged as they were read
//! ([`crate::objbtf`]); what is asked of an object's types is asked of the merged types.

use crate::btfutil::{glob_matches, map_def_str, map_defs_match, parse_map_def, type_str};
use crate::diag::{side_by_side, Diagnostic};
use crate::input::{self, Object};
use crate::objbtf::{ExtStrings, ObjBtf};
use bpfobj::elf::*;
use bpfobj::write::{ObjectWriter, OutReloc, OutSection, OutSymbol, SymSection};
use btf::ext::{BtfExt, SecRecords};
use btf::hash::FxHashMap as HashMap;
use btf::merge::Merger;
use btf::{Btf, Kind, Linkage, RawBtf};

#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Drop static subprograms no program reaches.
    pub gc_sections: bool,
    /// Unresolved externs are warnings, not errors (linking a library).
    pub allow_undefined: bool,
}

pub struct Linked {
    /// The output object (empty when it was taken as an [`Output`] to write:
    /// [`crate::Inputs::link_output`]).
    pub bytes: Vec<u8>,
    pub warnings: Vec<Diagnostic>,
    /// With `gc_sections`: the static functions removed, with the input they came from.
    pub gc_removed: Vec<(String, crate::gc::Removed)>,
    /// Whether `.maps` has relocations (static initialisers such as program-array `.values`):
    /// without them, and without `--prog-array`, the program-array check has nothing to do.
    pub map_initialisers: bool,
    /// The parsed inputs, kept so that dropping them is the caller's choice (the CLI exits
    /// without freeing them: thousands of small allocations), and for [`Linked::origins`].
    pub(crate) inputs: Vec<Object>,
    /// The merged BTF and what was kept of each input's (dropped with the rest, or not).
    pub(crate) merged: Option<Box<dyn std::any::Any>>,
}

impl Linked {
    /// Function name -> the input that defines it (for globals the winning definition: the
    /// first strong one, else the first weak one; then static functions, first input first),
    /// so checks on the output can name the input a program came from. Computed on demand:
    /// most links never need it.
    pub fn origins(&self) -> HashMap<String, String> {
        let mut m: HashMap<&str, (&str, bool)> = HashMap::default();
        for o in &self.inputs {
            for s in o.symbols.iter().skip(1) {
                if s.is_local() || s.is_undef() || s.typ == STT_FILE || s.typ == STT_SECTION {
                    continue;
                }
                let weak = s.bind == STB_WEAK;
                match m.get(o.sym_name(s)) {
                    Some(&(_, was_weak)) if !was_weak || weak => {}
                    _ => {
                        m.insert(o.sym_name(s), (&o.name, weak));
                    }
                }
            }
        }
        for o in &self.inputs {
            for s in o.symbols.iter().filter(|s| s.typ == STT_FUNC && !s.is_undef()) {
                m.entry(o.sym_name(s)).or_insert((&o.name, false));
            }
        }
        m.into_iter().map(|(k, (v, _))| (k.to_string(), v.to_string())).collect()
    }
}

/// Where an input section went: output section index and offset.
#[derive(Clone, Copy, Debug)]
struct Place {
    out: usize,
    off: u64,
    /// A deduplicated `license`/`version` section: nothing was appended.
    skipped: bool,
}

struct OutSec {
    name: String,
    sh_type: u32,
    flags: u64,
    align: u64,
    entsize: u64,
    size: u64,
    data: Vec<u8>,
    relocs: Vec<OutReloc>,
    has_sec_sym: bool,
    /// (object, section index) that created it, for messages.
    first: (usize, usize),
}

/// One appearance of a global symbol in an input (20 bytes: a link of many objects has
/// thousands).
#[derive(Clone, Copy, Debug)]
struct Occ {
    obj: u32,
    sym: u32,
    /// BTF VAR/FUNC id in the object, and the DATASEC holding it (if any: index into the
    /// object's [`ObjBtf::datasecs`], plus one).
    btf_id: u32,
    datasec: u32,
    is_extern: bool,
    weak: bool,
}

impl Occ {
    fn obj(&self) -> usize {
        self.obj as usize
    }
    fn sym(&self) -> usize {
        self.sym as usize
    }
}

struct Glob<'a> {
    name: &'a str,
    occs: Vec<Occ>,
    /// Index into `occs` of the winning definition.
    def: Option<usize>,
    bind: u8,
    vis: u8,
    out_sym: usize,
}

/// The merged type a map definition is parsed from: a VAR's is its type's, every object's
/// copy of which is one merged type.
fn map_def_key(b: &Btf<'_>, id: u32) -> u32 {
    b.type_by_id(id).filter(|t| t.kind() == Kind::VAR).map_or(id, |t| t.type_id())
}

fn sec_flags_str(f: u64) -> String {
    let mut s = String::new();
    for (bit, c) in [(SHF_WRITE, 'W'), (SHF_ALLOC, 'A'), (SHF_EXECINSTR, 'X'), (SHF_MERGE, 'M'), (SHF_STRINGS, 'S')] {
        if f & bit != 0 {
            s.push(c);
        }
    }
    if s.is_empty() {
        s.push('-');
    }
    s
}

fn sec_type_str(t: u32) -> &'static str {
    match t {
        SHT_PROGBITS => "PROGBITS",
        SHT_NOBITS => "NOBITS",
        _ => "other",
    }
}

fn bind_word(o: &Occ) -> &'static str {
    match (o.is_extern, o.weak) {
        (true, true) => "weak extern declaration",
        (true, false) => "extern declaration",
        (false, true) => "weak definition",
        (false, false) => "definition",
    }
}

pub(crate) struct Linker<'a> {
    objs: &'a [Object],
    /// Per object: its BTF as merged (None: it has none).
    obtf: &'a [Option<ObjBtf>],
    merger: &'a Merger,
    /// The merged types: every object's types through [`Merger::ids`].
    view: Option<&'a Btf<'a>>,
    /// The strings of every object's `.BTF.ext` records.
    ext_strings: &'a ExtStrings,
    /// Per object, per output section: the object's section placed there (after layout).
    by_out: Vec<Vec<Option<usize>>>,
    outs: Vec<OutSec>,
    place: Vec<Vec<Option<Place>>>,
    globs: Vec<Glob<'a>>,
    glob_by_name: HashMap<&'a str, usize>,
    /// Parsed map definitions by merged BTF type id: every object declaring an extern map is
    /// compared with the same definition, parsed once.
    map_defs: std::cell::RefCell<HashMap<u32, Result<crate::btfutil::MapDef, String>>>,
    /// Outcomes of comparing two map definitions, by the ids of their types (as for
    /// `map_defs`): a map declared extern in every object compares the same pair each time.
    compared: HashMap<(u32, u32), Result<(), String>>,
    /// Outcomes of comparing the types under two globals' VARs/FUNCs ([`glob_matches`]).
    matched: HashMap<(u32, u32), Result<(), String>>,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

impl<'a> Linker<'a> {
    pub(crate) fn new(
        objs: &'a [Object],
        obtf: &'a [Option<ObjBtf>],
        merger: &'a Merger,
        view: Option<&'a Btf<'a>>,
        ext_strings: &'a ExtStrings,
    ) -> Self {
        Linker {
            objs,
            obtf,
            merger,
            view,
            ext_strings,
            by_out: Vec::new(),
            outs: Vec::new(),
            place: Vec::new(),
            globs: Vec::new(),
            glob_by_name: HashMap::default(),
            map_defs: Default::default(),
            compared: HashMap::default(),
            matched: HashMap::default(),
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }

    pub(crate) fn run(mut self, opts: &Options) -> Result<(Linked, Output), Vec<Diagnostic>> {
        self.layout();
        if !self.errors.is_empty() {
            return Err(self.errors);
        }
        self.resolve();
        self.check_unresolved(opts);
        if !self.errors.is_empty() {
            return Err(self.errors);
        }
        let syms = self.symbols();
        self.relocate(&syms.1);
        if !self.errors.is_empty() {
            return Err(self.errors);
        }
        let map_initialisers = self.outs.iter().any(|s| s.name == ".maps" && !s.relocs.is_empty());
        let out = self.emit(syms.0);
        if !self.errors.is_empty() {
            return Err(self.errors);
        }
        let linked = Linked {
            bytes: Vec::new(),
            warnings: self.warnings,
            gc_removed: Vec::new(),
            map_initialisers,
            inputs: Vec::new(),
            merged: None,
        };
        Ok((linked, out))
    }

    /// Object `oi`'s type `id` as merged, if the object has BTF.
    fn ty(&self, oi: usize, id: u32) -> Option<btf::Type<'a>> {
        let ob = self.obtf[oi].as_ref()?;
        let v = *self.merger.ids(ob.blob).get(id as usize)?;
        if v == 0 {
            return None;
        }
        self.view?.type_by_id(v)
    }

    /// Object `oi`'s type `id` in [`Linker::view`] (0 if none).
    fn vid(&self, oi: usize, id: u32) -> u32 {
        self.obtf[oi].as_ref().and_then(|ob| self.merger.ids(ob.blob).get(id as usize).copied()).unwrap_or(0)
    }

    // ---- sections ----

    fn layout(&mut self) {
        let mut by_name: HashMap<String, usize> = HashMap::default();
        for (oi, o) in self.objs.iter().enumerate() {
            let mut place = vec![None; o.sections.len()];
            for (si, s) in o.sections.iter().enumerate() {
                if input::is_ignored(s) {
                    continue;
                }
                let Some(&out) = by_name.get(&s.name) else {
                    by_name.insert(s.name.clone(), self.outs.len());
                    place[si] = Some(Place { out: self.outs.len(), off: 0, skipped: false });
                    self.outs.push(OutSec {
                        name: s.name.clone(),
                        sh_type: s.sh_type,
                        flags: s.flags,
                        align: s.align,
                        entsize: s.entsize,
                        size: s.size,
                        data: s.data.clone(),
                        relocs: Vec::new(),
                        has_sec_sym: false,
                        first: (oi, si),
                    });
                    continue;
                };
                let d = &mut self.outs[out];
                if d.sh_type != s.sh_type || d.flags != s.flags || d.entsize != s.entsize {
                    let (fo, _) = d.first;
                    let what = if d.sh_type != s.sh_type {
                        "types"
                    } else if d.flags != s.flags {
                        "flags"
                    } else {
                        "entry sizes"
                    };
                    let desc = |t: u32, f: u64, e: u64| {
                        format!("{}, flags {} ({f:#x}), entsize {e}", sec_type_str(t), sec_flags_str(f))
                    };
                    let e =
                        Diagnostic::error("L0004", format!("section `{}` has different {what} in two objects", s.name))
                            .label(&self.objs[fo].name, desc(d.sh_type, d.flags, d.entsize))
                            .label(&o.name, desc(s.sh_type, s.flags, s.entsize))
                            .help(
                                "same-name sections are merged; give them the same type and flags or different names",
                            );
                    self.errors.push(e);
                    continue;
                }
                if s.name == "license" || s.name == "version" {
                    let a = &d.data;
                    if a.as_slice() != s.data.as_slice() {
                        let (fo, _) = d.first;
                        let txt = |b: &[u8]| {
                            let n = b.iter().position(|&c| c == 0).unwrap_or(b.len());
                            if s.name == "license" {
                                format!("\"{}\"", String::from_utf8_lossy(&b[..n]))
                            } else {
                                format!("{b:02x?}")
                            }
                        };
                        let e = Diagnostic::error(
                            "L0003",
                            format!("objects declare different {}s: {} and {}", s.name, txt(a), txt(&s.data)),
                        )
                        .label(&self.objs[fo].name, format!("{} {}", s.name, txt(a)))
                        .label(&o.name, format!("{} {}", s.name, txt(&s.data)))
                        .help("a linked object has one license; use the same string in every input");
                        self.errors.push(e);
                    }
                    place[si] = Some(Place { out, off: 0, skipped: true });
                    continue;
                }
                d.align = d.align.max(s.align);
                let off = d.size.div_ceil(s.align) * s.align;
                if d.sh_type != SHT_NOBITS {
                    d.data.resize(off as usize, 0);
                    d.data.extend_from_slice(&s.data);
                }
                d.size = off + s.size;
                place[si] = Some(Place { out, off, skipped: false });
            }
            self.place.push(place);
        }
        self.by_out = self
            .place
            .iter()
            .map(|place| {
                let mut v = vec![None; self.outs.len()];
                for (si, p) in place.iter().enumerate() {
                    if let Some(p) = p {
                        v[p.out].get_or_insert(si);
                    }
                }
                v
            })
            .collect();
    }

    fn sym_place(&self, oi: usize, sym: &input::Symbol) -> Option<Place> {
        if sym.is_undef() || sym.is_reserved() {
            return None;
        }
        self.place[oi].get(sym.shndx as usize).copied().flatten()
    }

    // ---- symbols ----

    fn resolve(&mut self) {
        for (oi, o) in self.objs.iter().enumerate() {
            for (si, s) in o.symbols.iter().enumerate().skip(1) {
                if s.is_local() || s.typ == STT_FILE || s.typ == STT_SECTION {
                    continue;
                }
                let p = self.sym_place(oi, s);
                if !s.is_undef() && (p.is_none() || p.is_some_and(|p| p.skipped)) {
                    continue; // in a deduplicated license/version section, or an ignored one
                }
                let ob = self.obtf[oi].as_ref();
                let (btf_id, datasec) = match ob.and_then(|ob| ob.globs.get(si)) {
                    Some(Ok((id, ds))) => (id, ds.map_or(0, |d| d as u32 + 1)),
                    Some(Err(e)) => {
                        let e = Diagnostic::error("L0005", e.to_string()).label(&o.name, "in this object's BTF");
                        self.errors.push(e);
                        (0, 0)
                    }
                    None => (0, 0),
                };
                let (obj, sym) = (oi as u32, si as u32);
                let occ = Occ { obj, sym, is_extern: s.is_undef(), weak: s.bind == STB_WEAK, btf_id, datasec };
                let gi = match self.glob_by_name.get(o.sym_name(s)) {
                    Some(&g) => g,
                    None => {
                        self.glob_by_name.insert(o.sym_name(s), self.globs.len());
                        self.globs.push(Glob {
                            name: o.sym_name(s),
                            // (most globals appear once: no room for four)
                            occs: Vec::with_capacity(1),
                            def: None,
                            bind: STB_WEAK,
                            vis: STV_DEFAULT,
                            out_sym: 0,
                        });
                        self.globs.len() - 1
                    }
                };
                self.add_occ(gi, occ);
            }
        }
    }

    /// The DATASEC an occurrence's VAR/FUNC is in (by the object's BTF).
    fn datasec(&self, o: &Occ) -> Option<&'a str> {
        let i = (o.datasec as usize).checked_sub(1)?;
        Some(self.obtf[o.obj()].as_ref()?.datasec(i)?.0)
    }

    fn occ_where(&self, o: &Occ) -> String {
        let obj = &self.objs[o.obj()];
        let s = &obj.symbols[o.sym()];
        if o.is_extern {
            match self.datasec(o) {
                Some(d) => format!("{} in {d}", bind_word(o)),
                None => bind_word(o).to_string(),
            }
        } else {
            format!("{} in section {} at offset {:#x}", bind_word(o), obj.sections[s.shndx as usize].name, s.value)
        }
    }

    fn add_occ(&mut self, gi: usize, occ: Occ) {
        let sym = &self.objs[occ.obj()].symbols[occ.sym()];
        let g = &self.globs[gi];
        // The occurrence to compare with: the current definition, else the first extern.
        let reference = g.def.or(if g.occs.is_empty() { None } else { Some(0) });
        if let Some(r) = reference {
            let prev = g.occs[r];
            if !occ.is_extern && !prev.is_extern && !occ.weak && !prev.weak {
                let e = Diagnostic::error("L0002", format!("symbol `{}` is defined in two objects", g.name))
                    .label(&self.objs[prev.obj()].name, format!("first {}", self.occ_where(&prev)))
                    .label(&self.objs[occ.obj()].name, format!("second {}", self.occ_where(&occ)))
                    .help("mark one definition __weak, or make them static if each object needs its own");
                self.errors.push(e);
            } else {
                self.check_compatible(g.name, &prev, &occ);
            }
        }
        let g = &mut self.globs[gi];
        if sym.bind == STB_GLOBAL {
            g.bind = STB_GLOBAL;
        }
        g.vis = g.vis.max(sym.vis);
        let idx = g.occs.len();
        if !occ.is_extern {
            match g.def {
                None => g.def = Some(idx),
                Some(d) if g.occs[d].weak && !occ.weak => g.def = Some(idx),
                _ => {}
            }
        }
        g.occs.push(occ);
    }

    fn check_compatible(&mut self, name: &str, a: &Occ, b: &Occ) {
        let (oa, ob) = (&self.objs[a.obj()], &self.objs[b.obj()]);
        let both = self.obtf[a.obj()].is_some() && self.obtf[b.obj()].is_some();
        let (Some(ba), true) = (self.view, both) else {
            if a.btf_id == 0 || b.btf_id == 0 {
                let missing = if a.btf_id == 0 { oa } else { ob };
                self.errors.push(
                    Diagnostic::error("L0005", format!("global `{name}` has no BTF in `{}`", missing.name))
                        .label(&missing.name, "compile with -g so the linker can check the types agree"),
                );
            }
            return;
        };
        if a.btf_id == 0 || b.btf_id == 0 {
            let missing = if a.btf_id == 0 { oa } else { ob };
            self.errors.push(
                Diagnostic::error("L0005", format!("global `{name}` has no BTF in `{}`", missing.name))
                    .label(&missing.name, "compile with -g so the linker can check the types agree"),
            );
            return;
        }
        // Both objects' types, as merged (a copy of a type is its original: same answers).
        let bb = ba;
        let (a_id, b_id) = (self.vid(a.obj(), a.btf_id), self.vid(b.obj(), b.btf_id));
        // Section agreement: an extern declared in a section must be defined in it.
        let objs = self.objs;
        let sec_of = |o: &Occ| -> Option<&'a str> {
            if o.is_extern {
                self.datasec(o).filter(|&d| d != ".extern")
            } else {
                let s = &objs[o.obj()].symbols[o.sym()];
                Some(objs[o.obj()].sections[s.shndx as usize].name.as_str())
            }
        };
        let (sa, sb) = (sec_of(a), sec_of(b));
        if let (Some(x), Some(y)) = (&sa, &sb) {
            let special = |s: &str| s == ".kconfig" || s == ".ksyms";
            if x != y && !(special(x) && special(y)) {
                self.errors.push(
                    Diagnostic::error(
                        "L0008",
                        format!("global `{name}` is in section {x} in one object and {y} in another"),
                    )
                    .label(&oa.name, self.occ_where(a))
                    .label(&ob.name, self.occ_where(b)),
                );
                return;
            }
        }
        if sa == Some(".maps") || sb == Some(".maps") {
            let da = self.map_def(ba, a_id);
            let db = self.map_def(bb, b_id);
            match (da, db) {
                (Ok(da), Ok(db)) => {
                    let key = (map_def_key(ba, a_id), map_def_key(bb, b_id));
                    let r = self.compared.entry(key).or_insert_with(|| map_defs_match(ba, &da, bb, &db));
                    if let Err(why) = r.clone() {
                        let e = Diagnostic::error("L0006", format!("map `{name}` is defined differently: {why}"))
                            .label(&oa.name, self.occ_where(a))
                            .label(&ob.name, self.occ_where(b))
                            .note(side_by_side(&oa.name, &map_def_str(ba, &da), &ob.name, &map_def_str(bb, &db)));
                        self.errors.push(e);
                    }
                }
                (Err(e), _) | (_, Err(e)) => {
                    let ta = type_str(ba, a_id);
                    self.errors.push(Diagnostic::error("L0006", format!("map `{name}`: {e}")).label(&oa.name, ta))
                }
            }
            return;
        }
        // (`ba` and `bb` are the one merged view.)
        if let Err(why) = glob_matches(ba, a_id, b_id, &mut self.matched) {
            let ta = type_str(ba, a_id);
            let tb = type_str(bb, b_id);
            let kind = match ba.type_by_id(a_id).map(|t| t.kind()) {
                Some(Kind::FUNC) => "function",
                _ => "variable",
            };
            let e = Diagnostic::error("L0005", format!("{kind} `{name}` has incompatible types: {why}"))
                .label(&oa.name, format!("{}: `{ta}`", self.occ_where(a)))
                .label(&ob.name, format!("{}: `{tb}`", self.occ_where(b)));
            self.errors.push(e);
        }
    }

    /// The map definition of merged type `id` (parsed once however many objects declare it:
    /// see [`map_def_key`]).
    fn map_def(&self, b: &Btf<'_>, id: u32) -> Result<crate::btfutil::MapDef, String> {
        self.map_defs.borrow_mut().entry(map_def_key(b, id)).or_insert_with(|| parse_map_def(b, id)).clone()
    }

    fn check_unresolved(&mut self, opts: &Options) {
        for g in &self.globs {
            if g.def.is_some() {
                continue;
            }
            let special = g.occs.iter().any(|o| matches!(self.datasec(o), Some(".kconfig") | Some(".ksyms")));
            if special {
                continue;
            }
            let mut d = if opts.allow_undefined {
                Diagnostic::warning("L0007", format!("extern `{}` is not defined by any input", g.name))
            } else {
                Diagnostic::error("L0007", format!("undefined symbol `{}`", g.name))
            };
            for o in &g.occs {
                let obj = &self.objs[o.obj()];
                let mut uses = 0;
                for (si, s) in obj.sections.iter().enumerate() {
                    for r in &s.relocs {
                        if r.sym as usize == o.sym() {
                            uses += 1;
                            if uses > 3 {
                                continue;
                            }
                            let f = obj
                                .func_at(si, r.offset)
                                .map(|f| format!(" (in {}())", obj.sym_name(f)))
                                .unwrap_or_default();
                            let insn = if s.is_exec() { format!(", insn {}", r.offset / 8) } else { String::new() };
                            d = d.label(
                                &obj.name,
                                format!("used in section {} at offset {:#x}{insn}{f}", s.name, r.offset),
                            );
                        }
                    }
                }
                if uses > 3 {
                    d = d.label(&obj.name, format!("... and {} more uses", uses - 3));
                }
                if uses == 0 {
                    d = d.label(&obj.name, "declared here (not used)");
                }
            }
            d = d.help("add the object that defines it, or pass --allow-undefined to link a library");
            if opts.allow_undefined {
                self.warnings.push(d);
            } else {
                self.errors.push(d);
            }
        }
    }

    /// Output symbols (locals first) and, per object, input symbol index -> output index.
    fn symbols(&mut self) -> (Vec<OutSymbol>, Vec<Vec<Option<u32>>>) {
        let mut map: Vec<Vec<Option<u32>>> = self.objs.iter().map(|o| vec![None; o.symbols.len()]).collect();
        // One section symbol per output section that had one.
        let mut locals = 0;
        for (oi, o) in self.objs.iter().enumerate() {
            for s in o.symbols.iter().skip(1) {
                if s.typ == STT_SECTION {
                    if let Some(p) = self.sym_place(oi, s) {
                        self.outs[p.out].has_sec_sym = true;
                    }
                } else if s.is_local() {
                    locals += 1;
                }
            }
        }
        // (Sized once: at most this many.)
        let mut out: Vec<OutSymbol> = Vec::with_capacity(self.outs.len() + locals + self.globs.len());
        let mut sec_sym = vec![None; self.outs.len()];
        for (i, s) in self.outs.iter().enumerate() {
            if s.has_sec_sym {
                sec_sym[i] = Some(out.len() as u32);
                out.push(OutSymbol {
                    name: String::new(),
                    value: 0,
                    size: 0,
                    bind: STB_LOCAL,
                    typ: STT_SECTION,
                    vis: 0,
                    section: SymSection::Section(i),
                });
            }
        }
        for (oi, o) in self.objs.iter().enumerate() {
            for (si, s) in o.symbols.iter().enumerate().skip(1) {
                if !s.is_local() {
                    continue;
                }
                let p = self.sym_place(oi, s);
                if s.typ == STT_SECTION {
                    map[oi][si] = p.and_then(|p| sec_sym[p.out]);
                    continue;
                }
                if p.is_some_and(|p| p.skipped) {
                    continue;
                }
                let section = match (s.shndx, p) {
                    (crate::input::ABS, _) => SymSection::Abs,
                    (crate::input::UNDEF, _) => SymSection::Undef,
                    (_, Some(p)) => SymSection::Section(p.out),
                    (_, None) => continue, // in an ignored section (DWARF, ...)
                };
                map[oi][si] = Some(out.len() as u32);
                out.push(OutSymbol {
                    name: o.sym_name(s).to_string(),
                    value: s.value.wrapping_add(p.map_or(0, |p| p.off)),
                    size: s.size,
                    bind: STB_LOCAL,
                    typ: s.typ,
                    vis: s.vis,
                    section,
                });
            }
        }
        for g in &mut self.globs {
            g.out_sym = out.len();
            let winner = &g.occs[g.def.unwrap_or(0)];
            let s = &self.objs[winner.obj()].symbols[winner.sym()];
            let (section, value) = match g.def {
                Some(_) => {
                    let p = self.place[winner.obj()][s.shndx as usize].expect("definition placed");
                    (SymSection::Section(p.out), s.value.wrapping_add(p.off))
                }
                None => (SymSection::Undef, 0),
            };
            // An extern keeps the type it was declared with (NOTYPE for most).
            let bind = if g.occs.iter().any(|o| self.objs[o.obj()].symbols[o.sym()].bind == STB_GLOBAL) {
                STB_GLOBAL
            } else {
                STB_WEAK
            };
            g.bind = bind;
            out.push(OutSymbol {
                name: g.name.to_string(),
                value,
                size: if g.def.is_some() { s.size } else { 0 },
                bind,
                typ: s.typ,
                vis: g.vis,
                section,
            });
            for o in &g.occs {
                map[o.obj()][o.sym()] = Some(g.out_sym as u32);
            }
        }
        (out, map)
    }

    // ---- relocations ----

    fn relocate(&mut self, map: &[Vec<Option<u32>>]) {
        let big = self.objs[0].big_endian;
        for (oi, o) in self.objs.iter().enumerate() {
            for (si, s) in o.sections.iter().enumerate() {
                let Some(p) = self.place[oi][si] else { continue };
                if p.skipped || s.relocs.is_empty() {
                    continue;
                }
                for r in &s.relocs {
                    let sym = &o.symbols[r.sym as usize];
                    let Some(osym) = map[oi][r.sym as usize] else {
                        self.errors.push(
                            Diagnostic::error(
                                "L0009",
                                format!(
                                    "relocation in {} at {:#x} refers to symbol `{}` that is not linked",
                                    s.name,
                                    r.offset,
                                    o.sym_name(sym)
                                ),
                            )
                            .label(&o.name, "here"),
                        );
                        continue;
                    };
                    let off = r.offset.wrapping_add(p.off);
                    if sym.typ == STT_SECTION {
                        let tp = self.sym_place(oi, sym).map_or(0, |tp| tp.off);
                        if tp != 0 {
                            let data = &mut self.outs[p.out].data;
                            let o = off as usize;
                            let rd32 = |d: &[u8], at: usize| {
                                let b = [d[at], d[at + 1], d[at + 2], d[at + 3]];
                                if big {
                                    i32::from_be_bytes(b)
                                } else {
                                    i32::from_le_bytes(b)
                                }
                            };
                            let wr32 = |d: &mut [u8], at: usize, v: i32| {
                                let b = if big { v.to_be_bytes() } else { v.to_le_bytes() };
                                d[at..at + 4].copy_from_slice(&b);
                            };
                            if s.is_exec() {
                                if o + 8 > data.len() {
                                    continue;
                                }
                                let is_call = data[o] == 0x85;
                                let add = if is_call { tp / 8 } else { tp } as i32;
                                let v = rd32(data, o + 4).wrapping_add(add);
                                wr32(data, o + 4, v);
                            } else if r.r_type == RelocType::ABS64.0 && o + 8 <= data.len() {
                                let mut b = [0u8; 8];
                                b.copy_from_slice(&data[o..o + 8]);
                                let v = if big { u64::from_be_bytes(b) } else { u64::from_le_bytes(b) };
                                let v = v.wrapping_add(tp);
                                data[o..o + 8].copy_from_slice(&if big { v.to_be_bytes() } else { v.to_le_bytes() });
                            } else if o + 4 <= data.len() {
                                let v = rd32(data, o).wrapping_add(tp as i32);
                                wr32(data, o, v);
                            }
                        }
                    }
                    self.outs[p.out].relocs.push(OutReloc { offset: off, sym: osym, r_type: r.r_type });
                }
            }
        }
    }

    // ---- BTF ----

    /// Merge BTF: returns the deduplicated builder and, per object, old id -> final id.
    ///
    /// The merged types hold each copy of a type once ([`btf::merge`]). Deduplicating them
    /// gives what deduplicating every object's full types would, whenever the result is
    /// [`btf::merge::unambiguous`]; otherwise (and when deduplication fails, for the same
    /// message) every object's full types are rebuilt ([`Merger::expand`]) and deduplicated.
    /// `BPFLD_FULL_BTF=1` in the environment always takes the full way (for tests).
    fn merge_btf(&mut self, syms: &[OutSymbol]) -> Option<(RawBtf, Vec<Vec<u32>>)> {
        if self.obtf.iter().all(Option::is_none) {
            return None;
        }
        let ids_of = |ids: &dyn Fn(usize) -> &'a [u32]| -> Vec<&'a [u32]> {
            self.obtf.iter().map(|ob| ob.as_ref().map_or(&[][..], |ob| ids(ob.blob))).collect()
        };
        if std::env::var_os("BPFLD_FULL_BTF").is_none_or(|v| v != "1") {
            let merger = self.merger;
            let ids = ids_of(&|blob| merger.ids(blob));
            if let Ok(r) = self.finish_btf(syms, merger.raw().clone(), &ids) {
                if btf::merge::unambiguous(&r.0) {
                    return Some(r);
                }
            }
        }
        let (full, full_ids) = self.merger.expand();
        let ids: Vec<&[u32]> =
            self.obtf.iter().map(|ob| ob.as_ref().map_or(&[][..], |ob| &full_ids[ob.blob][..])).collect();
        match self.finish_btf(syms, full, &ids) {
            Ok(r) => Some(r),
            Err(e) => {
                self.errors.push(Diagnostic::error("L0010", format!("BTF deduplication failed: {e}")));
                None
            }
        }
    }

    /// [`Linker::merge_btf`] from types `b` holding every object's types, object `oi`'s type
    /// `x` at `id_map[oi][x]`.
    fn finish_btf(
        &self,
        syms: &[OutSymbol],
        mut b: RawBtf,
        id_map: &[&[u32]],
    ) -> Result<(RawBtf, Vec<Vec<u32>>), btf::dedup::DedupError> {
        // One VAR/FUNC per global: every other appearance points at the winner's. By type id
        // (0: kept): every reference of every type is looked up here.
        let mut redirect: Vec<u32> = vec![0; b.next_id() as usize];
        let set = |r: &mut Vec<u32>, id: u32, to: u32| {
            if let Some(x) = r.get_mut(id as usize) {
                *x = to;
            }
        };
        let redirected = |r: &[u32], id: u32| r.get(id as usize).is_some_and(|&t| t != 0);
        let mut glob_type: Vec<u32> = vec![0; self.globs.len()];
        for (gi, g) in self.globs.iter().enumerate() {
            let w = g.def.unwrap_or(0);
            let wo = &g.occs[w];
            let mut wid = if wo.btf_id != 0 { id_map[wo.obj()][wo.btf_id as usize] } else { 0 };
            if wid == 0 {
                wid = g.occs.iter().find(|o| o.btf_id != 0).map_or(0, |o| id_map[o.obj()][o.btf_id as usize]);
            }
            glob_type[gi] = wid;
            if wid == 0 {
                continue;
            }
            for o in &g.occs {
                if o.btf_id != 0 {
                    let id = id_map[o.obj()][o.btf_id as usize];
                    if id != wid {
                        set(&mut redirect, id, wid);
                    }
                }
            }
        }
        // Non-static VAR/FUNCs of skipped sections (the second `LICENSE`).
        let view = self.view.expect("objects with BTF have a merged view");
        for (oi, ob) in self.obtf.iter().enumerate() {
            let Some(ob) = ob else { continue };
            for &x in &ob.non_static {
                let new = id_map[oi][x as usize];
                if redirected(&redirect, new) {
                    continue;
                }
                let Some(t) = self.ty(oi, x) else { continue };
                if let Some(&gi) = self.glob_by_name.get(view.name_of(&t)) {
                    if glob_type[gi] != 0 && glob_type[gi] != new {
                        set(&mut redirect, new, glob_type[gi]);
                    }
                }
            }
        }
        // Extern -> global linkage for resolved FUNCs/VARs.
        for (gi, g) in self.globs.iter().enumerate() {
            if g.def.is_none() || glob_type[gi] == 0 {
                continue;
            }
            if b.linkage(glob_type[gi]) == Some(Linkage::EXTERN) {
                b.set_linkage(glob_type[gi], Linkage::GLOBAL);
            }
        }
        // Compact.
        let total = b.next_id();
        let mut compact = vec![0u32; total as usize];
        let mut next = 1u32;
        for id in 1..total {
            if !redirected(&redirect, id) {
                compact[id as usize] = next;
                next += 1;
            }
        }
        let fin = |id: u32| -> u32 {
            let to = redirect.get(id as usize).copied().filter(|&t| t != 0).unwrap_or(id);
            compact[to as usize]
        };
        b.retain(|id| !redirected(&redirect, id), fin);
        // DATASECs, built from resolved symbols.
        let mut ds_names: Vec<&str> = self.outs.iter().map(|s| s.name.as_str()).collect();
        // DATASEC name -> (object, its variables) in object order, then type order.
        let mut datasecs: HashMap<&str, Vec<(usize, &[btf::VarSecInfo])>> = HashMap::default();
        let mut ds_seen: btf::hash::FxHashSet<&str> = ds_names.iter().copied().collect();
        for (oi, ob) in self.obtf.iter().enumerate() {
            let Some(ob) = ob else { continue };
            for (n, vars) in ob.datasecs() {
                if n != ".extern" && ds_seen.insert(n) {
                    ds_names.push(n);
                }
                datasecs.entry(n).or_default().push((oi, vars));
            }
        }
        let no_datasecs = Vec::new();
        for name in ds_names {
            let out_idx = self.outs.iter().position(|s| s.name == name);
            let mut vars: Vec<(u32, u32, u32)> = Vec::new();
            let mut seen_glob: Vec<bool> = vec![false; self.globs.len()];
            let mut any = false;
            for &(oi, dvars) in datasecs.get(name).unwrap_or(&no_datasecs) {
                let sec_place = out_idx.and_then(|i| self.by_out[oi][i]).and_then(|si| self.place[oi][si]);
                if sec_place.is_some_and(|p| p.skipped) {
                    continue;
                }
                {
                    any = true;
                    for vi in dvars {
                        let Some(v) = self.ty(oi, vi.type_id) else { continue };
                        let ns = match v.kind() {
                            Kind::VAR => v.var_linkage() != Linkage::STATIC,
                            Kind::FUNC => v.func_linkage() != Linkage::STATIC,
                            _ => false,
                        };
                        let gi = if ns { self.glob_by_name.get(view.name_of(&v)).copied() } else { None };
                        match gi {
                            Some(gi) => {
                                if seen_glob[gi] {
                                    continue;
                                }
                                seen_glob[gi] = true;
                                let g = &self.globs[gi];
                                let (off, size) = match g.def {
                                    Some(d) => {
                                        let sym = &syms[g.out_sym];
                                        let wo = &g.occs[d];
                                        let size = self
                                            .ty(wo.obj(), wo.btf_id)
                                            .and_then(|wt| {
                                                if wt.kind() == Kind::VAR {
                                                    view.resolve_size(wt.type_id())
                                                } else {
                                                    None
                                                }
                                            })
                                            .map_or(vi.size, |s| s as u32);
                                        (sym.value as u32, size)
                                    }
                                    None => (vi.offset, vi.size),
                                };
                                vars.push((fin(glob_type[gi]), off, size));
                            }
                            None => {
                                // a variable whose type is not copied (a DATASEC named as a
                                // variable) is left out, as a link of the output would
                                let id = id_map[oi].get(vi.type_id as usize).copied().unwrap_or(0);
                                if id != 0 {
                                    let off = sec_place.map_or(0, |p| p.off) as u32;
                                    vars.push((fin(id), vi.offset + off, vi.size));
                                }
                            }
                        }
                    }
                }
            }
            if !any {
                continue;
            }
            let size = out_idx.map_or(0, |i| self.outs[i].size as u32);
            if out_idx.is_some() {
                vars.sort_by_key(|v| v.1);
            }
            b.push_datasec(name, size, &vars);
        }
        let (_, dd) = b.dedup()?;
        let per_obj = id_map
            .iter()
            .map(|m| m.iter().map(|&id| if id == 0 { 0 } else { dd[fin(id) as usize] }).collect())
            .collect();
        Ok((b, per_obj))
    }

    fn merge_ext(&self, b: &mut RawBtf, ids: &[Vec<u32>]) -> Option<BtfExt> {
        if self.objs.iter().all(|o| o.btf_ext.is_none()) {
            return None;
        }
        let mut out = BtfExt {
            has_core_relo_header: self.objs.iter().any(|o| o.btf_ext.as_ref().is_some_and(|e| e.has_core_relo_header)),
            ..Default::default()
        };
        /// The records of output section `name_off`, for `n` more (none: not made).
        fn records<T>(v: &mut Vec<SecRecords<T>>, name_off: u32, n: usize) -> Option<&mut Vec<T>> {
            if n == 0 {
                return None;
            }
            let i = match v.iter().position(|s| s.sec_name_off == name_off) {
                Some(i) => i,
                None => {
                    v.push(SecRecords { sec_name_off: name_off, records: Vec::new() });
                    v.len() - 1
                }
            };
            let r = &mut v[i].records;
            r.reserve(n);
            Some(r)
        }
        // Section order: output section order. One kind of record at a time, so strings are
        // added in the same order whether the records come from one object or several
        // (linking the output again gives the same bytes).
        let names: Vec<u32> = self.outs.iter().map(|os| b.add_str_bytes(os.name.as_bytes())).collect();
        let out_by_name: HashMap<&str, usize> =
            self.outs.iter().enumerate().map(|(i, os)| (os.name.as_str(), i)).collect();
        // Per object and record kind: the output section of each of its record sections
        // (resolved once, not once per output section).
        let out_of = |oi: usize, off: u32| {
            let name = self.obtf[oi].as_ref().map(|_| self.ext_strings.get(off));
            name.and_then(|n| std::str::from_utf8(n).ok()).and_then(|n| out_by_name.get(n).copied())
        };
        let per_obj = |recs: &dyn Fn(&BtfExt) -> Vec<u32>| -> Vec<Vec<Option<usize>>> {
            let objs = self.objs.iter().enumerate();
            objs.map(|(oi, o)| {
                o.btf_ext.as_ref().map_or(Vec::new(), |x| recs(x).into_iter().map(|off| out_of(oi, off)).collect())
            })
            .collect()
        };
        let sec_outs: [Vec<Vec<Option<usize>>>; 3] = [
            per_obj(&|x| x.func_info.iter().map(|s| s.sec_name_off).collect()),
            per_obj(&|x| x.line_info.iter().map(|s| s.sec_name_off).collect()),
            per_obj(&|x| x.core_relos.iter().map(|s| s.sec_name_off).collect()),
        ];
        let mut memo: HashMap<u32, u32> = HashMap::default();
        for (kind, outs_of) in sec_outs.iter().enumerate() {
            for (out_i, &name_off) in names.iter().enumerate() {
                for (oi, o) in self.objs.iter().enumerate() {
                    // (string offsets of `.BTF.ext` are in `ext_strings`: see `Inputs`)
                    let (Some(ext), true) = (&o.btf_ext, self.obtf[oi].is_some()) else {
                        continue;
                    };
                    let strs = self.ext_strings;
                    let Some(si) = self.by_out[oi][out_i] else { continue };
                    let Some(p) = self.place[oi][si].filter(|p| p.out == out_i && !p.skipped) else { continue };
                    let here = &outs_of[oi];
                    let in_here = |i: &usize| here[*i] == Some(out_i);
                    // Offsets are the merged view's: each string is added once, however many
                    // records (of however many objects) use it.
                    let mut s = |off: u32| *memo.entry(off).or_insert_with(|| b.add_str_bytes(strs.get(off)));
                    let idm = |id: u32| ids[oi].get(id as usize).copied().unwrap_or(0);
                    let add = p.off as u32;
                    if kind == 0 {
                        for sec in (0..ext.func_info.len()).filter(in_here).map(|i| &ext.func_info[i]) {
                            let Some(to) = records(&mut out.func_info, name_off, sec.records.len()) else { continue };
                            to.extend(sec.records.iter().map(|r| btf::ext::FuncInfo {
                                insn_off: r.insn_off.wrapping_add(add),
                                type_id: idm(r.type_id),
                            }));
                        }
                    } else if kind == 1 {
                        for sec in (0..ext.line_info.len()).filter(in_here).map(|i| &ext.line_info[i]) {
                            // Consecutive records mostly share their file name.
                            let mut file = (u32::MAX, 0);
                            let Some(to) = records(&mut out.line_info, name_off, sec.records.len()) else { continue };
                            to.extend(sec.records.iter().map(|r| btf::ext::LineInfo {
                                insn_off: r.insn_off.wrapping_add(add),
                                file_name_off: if file.0 == r.file_name_off {
                                    file.1
                                } else {
                                    file = (r.file_name_off, s(r.file_name_off));
                                    file.1
                                },
                                line_off: s(r.line_off),
                                line_col: r.line_col,
                            }));
                        }
                    } else {
                        for sec in (0..ext.core_relos.len()).filter(in_here).map(|i| &ext.core_relos[i]) {
                            let Some(to) = records(&mut out.core_relos, name_off, sec.records.len()) else { continue };
                            to.extend(sec.records.iter().map(|r| btf::ext::CoreRelo {
                                insn_off: r.insn_off.wrapping_add(add),
                                type_id: idm(r.type_id),
                                access_str_off: s(r.access_str_off),
                                kind: r.kind,
                            }));
                        }
                    }
                }
            }
        }
        Some(out)
    }

    // ---- output ----

    fn emit(&mut self, syms: Vec<OutSymbol>) -> Output {
        let big = self.objs[0].big_endian;
        let e = if big { btf::Endian::Big } else { btf::Endian::Little };
        let merged = self.merge_btf(&syms);
        let mut w = ObjectWriter::new(big);
        for s in &mut self.outs {
            let mut o = OutSection::new(&s.name, s.sh_type, s.flags);
            o.align = s.align;
            o.entsize = s.entsize;
            if s.sh_type == SHT_NOBITS {
                o.nobits_size = s.size;
            } else {
                o.data = std::mem::take(&mut s.data);
            }
            let mut relocs = std::mem::take(&mut s.relocs);
            relocs.sort_by_key(|r| r.offset);
            o.relocs = relocs;
            w.sections.push(o);
        }
        // `.BTF` and `.BTF.ext` are written from the merged types and records as the output is
        // (not serialised into memory first).
        let mut btf = None;
        if let Some((mut b, ids)) = merged {
            let ext = self.merge_ext(&mut b, &ids);
            let mut o = OutSection::new(".BTF", SHT_PROGBITS, 0);
            o.align = 4;
            o.external_size = Some(b.byte_len() as u64);
            w.sections.push(o);
            if let Some(ext) = &ext {
                let mut o = OutSection::new(".BTF.ext", SHT_PROGBITS, 0);
                o.align = 4;
                o.external_size = Some(ext.byte_len() as u64);
                w.sections.push(o);
            }
            btf = Some((b, ext));
        }
        w.symbols = syms;
        Output { w, btf, endian: e }
    }
}

/// A linked object laid out but not yet serialised: written straight into a file
/// ([`Output::write_to`]) or into memory ([`Output::to_bytes`]), the same bytes either way.
pub struct Output {
    w: ObjectWriter,
    /// The merged `.BTF` and `.BTF.ext` (the last one or two sections of `w`).
    btf: Option<(RawBtf, Option<BtfExt>)>,
    endian: btf::Endian,
}

impl Output {
    /// Write the object into `w`.
    pub fn write_to(&self, w: &mut impl std::io::Write) -> std::io::Result<()> {
        self.w.write_to_with(w, &mut |i, w| match (&self.btf, self.w.sections[i].name.as_str()) {
            (Some((b, _)), ".BTF") => b.write_to(w, self.endian),
            (Some((_, Some(x))), ".BTF.ext") => x.write_to(w, self.endian),
            _ => Err(std::io::Error::other("no contents for an output section")),
        })
    }

    /// The object's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::new();
        self.write_to(&mut v).expect("writing to memory does not fail");
        v
    }
}
