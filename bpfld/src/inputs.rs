//! Inputs as they are read. Each object's BTF is merged into one growing blob
//! ([`btf::merge::Merger`]: header types shared by many objects are kept about once) as soon
//! as the object is added, and the object's own BTF bytes are dropped: the link keeps of it
//! only what [`crate::objbtf::ObjBtf`] holds, and its `.BTF.ext` with strings moved to one
//! table of `.BTF.ext` strings. Linking 200 objects built against `vmlinux.h` then holds one
//! copy of the kernel types, not 200.

use crate::diag::Diagnostic;
use crate::gc::Removed;
use crate::input::{self, Object};
use crate::link::{Linked, Linker, Options, Output};
use crate::objbtf::{ExtStrings, ObjBtf};
use btf::ext::BtfExt;
use btf::merge::Merger;
use btf::Btf;
use std::sync::Arc;

/// Link `inputs` (name, bytes) into one relocatable object.
pub fn link(inputs: &[(String, Vec<u8>)], opts: &Options) -> Result<Linked, Vec<Diagnostic>> {
    let mut ins = Inputs::new(opts);
    for (name, data) in inputs {
        ins.push(name.clone(), input::parse(name, data));
    }
    ins.link()
}

/// [`link`] on inputs already given to [`input::parse`] (name, result). A caller reading many
/// files can instead add each to [`Inputs`] as it is read (its BTF is merged and dropped then).
pub fn link_parsed(inputs: Vec<(String, Result<Object, String>)>, opts: &Options) -> Result<Linked, Vec<Diagnostic>> {
    let mut ins = Inputs::new(opts);
    for (name, r) in inputs {
        ins.push(name, r);
    }
    ins.link()
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
        let mut ob = ObjBtf::new(b, syms, &mut self.datasec_names);
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
