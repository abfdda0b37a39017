//! Inputs as they are read. Each object's BTF is merged into one growing blob
//! ([`btf::merge::Merger`]: header types shared by many objects are kept about once) as soon
//! as the object is added, and the object's own BTF bytes are dropped: the link keeps of it
//! only the id map into the merged blob, its global symbols' types, its DATASECs, and its
//! `.BTF.ext` with strings moved to one table of `.BTF.ext` strings. Linking 200 objects
//! built against `vmlinux.h` then holds one copy of the kernel types, not 200.

use crate::diag::Diagnostic;
use crate::gc::Removed;
use crate::input::Object;
use crate::link::{Linked, Linker, Options, Output};
use btf::ext::BtfExt;
use btf::hash::FxHashMap as HashMap;
use btf::merge::Merger;
use btf::{Btf, Kind, Linkage, VarSecInfo};
use std::sync::Arc;

/// The BTF of each global symbol of one object: its VAR/FUNC id in the object and the
/// DATASEC holding it (index into [`ObjBtf::datasecs`]), as libbpf's `find_glob_sym_btf`
/// would answer, or why the object's BTF is ambiguous about it. Eight bytes a symbol.
#[derive(Default)]
pub(crate) struct GlobIndex {
    /// Per symbol index: (type id, DATASEC index + 1 or 0); type id 0: none, u32::MAX: see
    /// `ambiguous`.
    at: Vec<(u32, u32)>,
    ambiguous: Vec<(usize, String)>,
}

impl GlobIndex {
    /// Symbol `si`'s BTF: `None` for a local symbol or one the BTF does not name.
    pub fn get(&self, si: usize) -> Option<Result<(u32, Option<usize>), &str>> {
        match *self.at.get(si)? {
            (0, _) => None,
            (u32::MAX, _) => {
                let e = self.ambiguous.iter().find(|(i, _)| *i == si).map_or("", |(_, e)| e.as_str());
                Some(Err(e))
            }
            (id, ds) => Some(Ok((id, (ds as usize).checked_sub(1)))),
        }
    }
}

/// What the link needs of one object's BTF once it is merged.
pub(crate) struct ObjBtf {
    /// The object's blob in the merger ([`Merger::ids`]).
    pub blob: usize,
    /// Per symbol index: the BTF of a global symbol of that name (None for others).
    pub globs: GlobIndex,
    /// Its non-static VARs and FUNCs, in type order.
    pub non_static: Vec<u32>,
    /// Its DATASECs in type order: name (shared by every object naming it) and the range of
    /// its variables in `datasec_vars`.
    datasecs: Vec<(Arc<str>, u32, u32)>,
    /// The variables (object ids) of every DATASEC, one after the other.
    datasec_vars: Vec<VarSecInfo>,
}

impl ObjBtf {
    /// DATASEC `i` (in type order): name and variables.
    pub fn datasec(&self, i: usize) -> Option<(&str, &[VarSecInfo])> {
        let (n, a, b) = self.datasecs.get(i)?;
        Some((n, &self.datasec_vars[*a as usize..*b as usize]))
    }

    /// The DATASECs in type order.
    pub fn datasecs(&self) -> impl Iterator<Item = (&str, &[VarSecInfo])> {
        (0..self.datasecs.len()).filter_map(|i| self.datasec(i))
    }
}

/// The strings `.BTF.ext` records of every input refer to (file names, source lines, CO-RE
/// access strings, section names), each once. Kept apart from the merged types' strings, so
/// that deduplicating types never walks the source lines of every input.
pub(crate) struct ExtStrings {
    pub bytes: Vec<u8>,
    index: btf::hash::StrIndex,
}

impl ExtStrings {
    fn new() -> ExtStrings {
        ExtStrings { bytes: vec![0], index: btf::hash::StrIndex::build(&[0]) }
    }

    fn add(&mut self, s: &[u8]) -> u32 {
        if s.is_empty() {
            return 0;
        }
        self.index.intern(&mut self.bytes, s)
    }

    /// The string at `off` (to its NUL).
    pub fn get(&self, off: u32) -> &[u8] {
        let s = self.bytes.get(off as usize..).unwrap_or(b"");
        &s[..memchr_nul(s)]
    }
}

fn memchr_nul(s: &[u8]) -> usize {
    s.iter().position(|&c| c == 0).unwrap_or(s.len())
}

/// Objects to link, added one at a time ([`Inputs::push`]), then linked ([`Inputs::link`]).
pub struct Inputs {
    opts: Options,
    pub(crate) objs: Vec<Object>,
    pub(crate) btf: Vec<Option<ObjBtf>>,
    pub(crate) merger: Merger,
    gc_removed: Vec<(String, Removed)>,
    errors: Vec<Diagnostic>,
    pub(crate) ext_strings: ExtStrings,
    /// Object string offset -> offset in `ext_strings` (u32::MAX: not yet), reused between
    /// objects: only the entries an object set (`strmap_set`) are cleared after it.
    strmap: Vec<u32>,
    strmap_set: Vec<u32>,
    /// The DATASEC names seen (`.data`, `.bss`, `.maps`, ...), each once for every object.
    datasec_names: btf::hash::FxHashSet<Arc<str>>,
}

impl Inputs {
    pub fn new(opts: &Options) -> Inputs {
        Inputs {
            opts: opts.clone(),
            objs: Vec::new(),
            btf: Vec::new(),
            merger: Merger::new(),
            gc_removed: Vec::new(),
            errors: Vec::new(),
            ext_strings: ExtStrings::new(),
            strmap: Vec::new(),
            strmap_set: Vec::new(),
            datasec_names: Default::default(),
        }
    }

    /// Room for `n` more objects (the number of inputs, when known: no regrowing).
    pub fn reserve(&mut self, n: usize) {
        self.objs.reserve(n);
        self.btf.reserve(n);
    }

    /// The objects added so far (while no input has failed to parse), in link order.
    pub fn objects(&self) -> &[Object] {
        &self.objs
    }

    /// The next input object (or why it could not be read), in link order.
    pub fn push(&mut self, name: String, r: Result<Object, String>) {
        match r {
            Ok(mut o) => {
                let bytes = o.btf.take();
                let b = bytes.as_deref().and_then(|b| Btf::parse(b).ok());
                self.add(o, b);
            }
            Err(e) => self.fail(name, e),
        }
    }

    /// [`Inputs::push`] of the object file `data` (read by [`crate::input::read_file`] or
    /// whole), parsed here: its BTF is merged from `data`, never copied.
    pub fn push_file(&mut self, name: &str, data: &[u8]) {
        match crate::input::parse_lent(name, data) {
            Ok((o, b)) => self.add(o, b),
            Err(e) => self.fail(name.to_string(), e),
        }
    }

    fn fail(&mut self, name: String, e: String) {
        self.errors.push(Diagnostic::error("L0001", format!("cannot link `{name}`: {e}")).label(&name, e));
    }

    fn add(&mut self, mut o: Object, b: Option<Btf<'_>>) {
        if !self.errors.is_empty() {
            // Nothing will be linked: only the errors are reported.
            return;
        }
        if self.opts.gc_sections {
            // (gc reads `.BTF.ext` section names in the object's own strings)
            o.btf = b.as_ref().map(|b| b.data().to_vec());
            self.gc_removed.extend(crate::gc::collect(&mut o).into_iter().map(|r| (o.name.clone(), r)));
            o.btf = None;
        }
        let ob = b.map(|b| self.merge(&b, (&o.symbols, &o.names), o.btf_ext.as_mut()));
        self.objs.push(o);
        self.btf.push(ob);
    }

    fn merge(&mut self, b: &Btf<'_>, syms: (&[crate::input::Symbol], &str), ext: Option<&mut BtfExt>) -> ObjBtf {
        let mut non_static = Vec::new();
        let mut datasecs = Vec::new();
        let mut datasec_vars = Vec::new();
        for t in b.types() {
            match t.kind() {
                Kind::DATASEC => {
                    // (The same few names in every object: one copy each.)
                    let name = b.name_of(&t);
                    let name = match self.datasec_names.get(name) {
                        Some(n) => n.clone(),
                        None => {
                            let n: Arc<str> = name.into();
                            self.datasec_names.insert(n.clone());
                            n
                        }
                    };
                    let start = datasec_vars.len() as u32;
                    datasec_vars.extend(t.datasec_vars());
                    datasecs.push((name, start, datasec_vars.len() as u32));
                }
                Kind::VAR if t.var_linkage() != Linkage::STATIC => non_static.push(t.id()),
                Kind::FUNC if t.func_linkage() != Linkage::STATIC => non_static.push(t.id()),
                _ => {}
            }
        }
        let mut ob = ObjBtf { blob: 0, globs: GlobIndex::default(), non_static, datasecs, datasec_vars };
        ob.globs = glob_index(b, &ob, syms);
        ob.blob = self.merger.add(b);
        if let Some(ext) = ext {
            self.move_ext_strings(b, ext);
        }
        ob
    }

    /// `.BTF.ext` string offsets become offsets in [`Inputs::ext_strings`].
    fn move_ext_strings(&mut self, b: &Btf<'_>, ext: &mut BtfExt) {
        for &i in &self.strmap_set {
            self.strmap[i as usize] = u32::MAX;
        }
        self.strmap_set.clear();
        let n = b.string_section().len() + 1;
        if self.strmap.len() < n {
            self.strmap.resize(n, u32::MAX);
        }
        let (map, set, strs) = (&mut self.strmap[..n], &mut self.strmap_set, &mut self.ext_strings);
        let mut s = |off: &mut u32| {
            let i = (*off as usize).min(n - 1);
            if map[i] == u32::MAX {
                map[i] = strs.add(b.str_bytes(*off).unwrap_or(b""));
                set.push(i as u32);
            }
            *off = map[i];
        };
        for sec in &mut ext.func_info {
            s(&mut sec.sec_name_off);
        }
        for sec in &mut ext.line_info {
            s(&mut sec.sec_name_off);
            for r in &mut sec.records {
                s(&mut r.file_name_off);
                s(&mut r.line_off);
            }
        }
        for sec in &mut ext.core_relos {
            s(&mut sec.sec_name_off);
            for r in &mut sec.records {
                s(&mut r.access_str_off);
            }
        }
    }

    /// Link the objects added.
    pub fn link(self) -> Result<Linked, Vec<Diagnostic>> {
        let (mut linked, out) = self.link_output()?;
        linked.bytes = out.to_bytes();
        Ok(linked)
    }

    /// [`Inputs::link`], the output not yet serialised (`bytes` left empty): for a caller
    /// that writes it into a file ([`Output::write_to`]) without holding it in memory.
    pub fn link_output(self) -> Result<(Linked, Output), Vec<Diagnostic>> {
        let Inputs { opts, objs, btf, merger, gc_removed, errors, ext_strings, .. } = self;
        if !errors.is_empty() {
            return Err(errors);
        }
        if objs.is_empty() {
            return Err(vec![Diagnostic::error("L0001", "no input objects")]);
        }
        if objs.iter().any(|o| o.big_endian != objs[0].big_endian) {
            let o = objs.iter().find(|o| o.big_endian != objs[0].big_endian).unwrap();
            return Err(vec![Diagnostic::error("L0001", "inputs differ in byte order")
                .label(&objs[0].name, if objs[0].big_endian { "big endian" } else { "little endian" })
                .label(&o.name, if o.big_endian { "big endian" } else { "little endian" })]);
        }
        // The merged types as one blob to query (types of every object, through its ids).
        let bytes = merger.raw().to_bytes(btf::Endian::native());
        let view = Btf::parse(&bytes).ok();
        let (mut linked, out) = Linker::new(&objs, &btf, &merger, view.as_ref(), &ext_strings).run(&opts)?;
        linked.gc_removed = gc_removed;
        drop(view);
        linked.inputs = objs;
        linked.merged = Some(Box::new((merger, btf, bytes, ext_strings)));
        Ok((linked, out))
    }
}

/// [`GlobIndex`] of one object, from one pass over its non-static VARs/FUNCs and DATASECs.
fn glob_index(b: &Btf<'_>, ob: &ObjBtf, (syms, names): (&[crate::input::Symbol], &str)) -> GlobIndex {
    let non_static = &ob.non_static;
    let is_non_static = |v: &btf::Type<'_>| match v.kind() {
        Kind::VAR => v.var_linkage() != Linkage::STATIC,
        Kind::FUNC => v.func_linkage() != Linkage::STATIC,
        _ => false,
    };
    /// What a name resolves to: a variable of a DATASEC (id, DATASEC), one whose loose
    /// VAR/FUNC is another type (ambiguous: the DATASEC's id, the loose one's), or a loose
    /// VAR/FUNC alone.
    #[derive(Clone, Copy)]
    enum Found {
        InSec(u32, usize),
        Ambiguous(u32, u32),
        Loose(u32),
    }
    // One map: per name, the last non-static VAR/FUNC of that name (0: none) and what the
    // first non-static variable of a DATASEC of that name resolves to. (Sized up front:
    // growing a map rehashes it, for every object.)
    let vars = ob.datasec_vars.len();
    let mut by_name: HashMap<&str, (u32, Option<Found>)> =
        HashMap::with_capacity_and_hasher(vars + non_static.len(), Default::default());
    for &id in non_static {
        if let Some(t) = b.type_by_id(id) {
            by_name.entry(b.name_of(&t)).or_insert((0, None)).0 = id;
        }
    }
    for (di, (_, vars)) in ob.datasecs().enumerate() {
        for vi in vars {
            let Some(v) = b.type_by_id(vi.type_id) else { continue };
            if !is_non_static(&v) {
                continue;
            }
            let (l, found) = by_name.entry(b.name_of(&v)).or_insert((0, None));
            if found.is_some() {
                continue;
            }
            *found = Some(match *l {
                l if l != 0 && l != vi.type_id => Found::Ambiguous(vi.type_id, l),
                _ => Found::InSec(vi.type_id, di),
            });
        }
    }
    let mut g = GlobIndex { at: Vec::with_capacity(syms.len()), ambiguous: Vec::new() };
    for (si, s) in syms.iter().enumerate() {
        if s.is_local() {
            g.at.push((0, 0));
            continue;
        }
        let name = s.name_in(names);
        let found = by_name.get(name).and_then(|&(l, f)| f.or((l != 0).then_some(Found::Loose(l))));
        g.at.push(match found {
            None => (0, 0),
            Some(Found::InSec(id, d)) => (id, d as u32 + 1),
            Some(Found::Loose(id)) => (id, 0),
            Some(Found::Ambiguous(id, l)) => {
                g.ambiguous.push((si, format!("BTF of `{name}` is ambiguous: types [{l}] and [{id}]")));
                (u32::MAX, 0)
            }
        });
    }
    g
}
