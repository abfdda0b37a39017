//! BTF for hand-written assembly: a FUNC for every function, `.BTF.ext` func_info for every
//! function and (with `-g`) line_info for every instruction pointing at the `.s` line.

use crate::asm::{Assembler, SecId, SymDef};
use crate::diag::{Code, Diag};
use crate::expr::{Span, SymId};
use bpf_isa::Endian;
use bpfobj::elf::*;
use btf::ext::{BtfExt, CoreRelo, FuncInfo, LineInfo, SecRecords};
use btf::{BtfBuilder, IntEncoding, Linkage};
use std::collections::{BTreeMap, HashMap};

/// The context struct a program of this section receives (libbpf's section names).
pub fn ctx_struct_of_section(sec: &str) -> Option<&'static str> {
    bpfobj::progsec::find(sec).and_then(|d| bpfobj::progsec::ctx_struct(d.prog_type))
}

impl Assembler {
    /// The text of a 1-based source line, trimmed.
    pub(crate) fn line_text(&self, file_id: usize, line: u64) -> String {
        use codespan_reporting::files::Files;
        let Ok(range) = self.files.line_range(file_id, line.saturating_sub(1) as usize) else { return String::new() };
        let Ok(src) = self.files.source(file_id) else { return String::new() };
        src.get(range).map(|t| t.trim().to_string()).unwrap_or_default()
    }

    /// BTF is generated for sources that have none of their own, with `-g` or declarations.
    pub(crate) fn wants_btf(&self) -> bool {
        !self.opts.no_btf && (self.opts.debug || self.decls.has_context()) && !self.secs.contains(".BTF")
    }

    /// Mark functions (STT_FUNC) before their sizes are computed.
    pub(crate) fn mark_functions(&mut self) {
        let _ = self.functions();
    }

    /// The functions of each code section: (offset, symbol), sorted.
    fn functions(&mut self) -> BTreeMap<SecId, Vec<(u64, SymId)>> {
        let targets: std::collections::HashSet<(SecId, u64)> = self.call_targets.iter().copied().collect();
        let mut out: BTreeMap<SecId, Vec<(u64, SymId)>> = BTreeMap::new();
        for i in 0..self.syms.len() {
            let s = &self.syms[i];
            let SymDef::Label { sec, frag, off } = s.def else { continue };
            if !self.secs[sec as usize].is_code() || s.temp {
                continue;
            }
            let at = self.secs[sec as usize].frags[frag as usize].start + off as u64;
            let is_func = s.typ == STT_FUNC || (s.typ == STT_NOTYPE && (s.is_global() || targets.contains(&(sec, at))));
            if is_func {
                // libbpf finds programs and subprograms by STT_FUNC symbols.
                self.syms[i].typ = STT_FUNC;
                out.entry(sec).or_default().push((at, i as SymId));
            }
        }
        for v in out.values_mut() {
            v.sort();
            v.dedup_by_key(|x| x.0);
        }
        out
    }

    pub(crate) fn generate_btf(&mut self, data: &mut Vec<Vec<u8>>) {
        let big = self.opts.endian == Endian::Big;
        let endian = if big { btf::Endian::Big } else { btf::Endian::Little };
        let funcs = self.functions();
        let mut ctx = self.decls.take_context();
        let mut owned = BtfBuilder::new();
        let b: &mut BtfBuilder = match ctx.as_mut() {
            Some(c) => c.builder_mut(),
            None => &mut owned,
        };
        let _ = b;
        let (int, void_ptr) = match ctx.as_mut() {
            Some(c) => (c.type_id("int").unwrap_or(0), c.type_id("void *").unwrap_or(0)),
            None => {
                let i = owned.add_int("int", 4, IntEncoding::SIGNED);
                (i, owned.add_ptr(0))
            }
        };
        let mut ctx_types: HashMap<&'static str, u32> = HashMap::new();
        let mut default_protos: HashMap<Option<&'static str>, u32> = HashMap::new();
        let mut ext = BtfExt { has_core_relo_header: true, ..Default::default() };
        let mut func_ids: HashMap<SymId, u32> = HashMap::new();
        for (&sec, list) in &funcs {
            let sec_name = self.secs[sec as usize].name.clone();
            if data[sec as usize].is_empty() {
                continue;
            }
            if list.first().map(|f| f.0) != Some(0) {
                let span = self.secs[sec as usize].decl;
                self.report(
                    Diag::warning(
                        Code::NoFuncInfo,
                        span,
                        format!("code at the start of section `{sec_name}` is not in a function: no func_info for it"),
                    )
                    .help("put a label (with `.type name,@function`) before the first instruction"),
                );
                continue;
            }
            let ctx_name = ctx_struct_of_section(&sec_name);
            let mut records = Vec::new();
            for &(off, sym) in list {
                let s = &self.syms[sym as usize];
                let name = s.name.to_string();
                let linkage = if s.is_global() { Linkage::GLOBAL } else { Linkage::STATIC };
                let declared = self.decls.get(&name).and_then(|d| match &d.decl {
                    crate::cdecl::Decl::Func { proto, .. } => Some(*proto),
                    _ => None,
                });
                let b: &mut BtfBuilder = match ctx.as_mut() {
                    Some(c) => c.builder_mut(),
                    None => &mut owned,
                };
                let proto = match declared {
                    Some(p) => p,
                    None => *default_protos.entry(ctx_name).or_insert_with(|| {
                        let param = match ctx_name {
                            Some(n) => *ctx_types.entry(n).or_insert_with(|| {
                                let fwd = b.add_fwd(n, false);
                                b.add_ptr(fwd)
                            }),
                            None => void_ptr,
                        };
                        b.add_func_proto(int, &[("ctx", param)])
                    }),
                };
                let f = b.add_func(&name, proto, linkage);
                if let Some(d) = self.decls.get(&name) {
                    if let crate::cdecl::Decl::Func { decl_tags, .. } = &d.decl {
                        for (tag, comp) in decl_tags {
                            b.add_decl_tag(tag, f, *comp);
                        }
                    }
                }
                func_ids.insert(sym, f);
                records.push(FuncInfo { insn_off: off as u32, type_id: f });
            }
            let b: &mut BtfBuilder = match ctx.as_mut() {
                Some(c) => c.builder_mut(),
                None => &mut owned,
            };
            let sec_name_off = b.add_str(&sec_name);
            ext.func_info.push(SecRecords { sec_name_off, records });
        }
        // Variables and externs: VARs in DATASECs.
        if let Some(c) = ctx.as_mut() {
            self.datasecs(c, data);
        }
        let b: &mut BtfBuilder = match ctx.as_mut() {
            Some(c) => c.builder_mut(),
            None => &mut owned,
        };
        // CO-RE relocations.
        let mut core: BTreeMap<SecId, Vec<CoreRelo>> = BTreeMap::new();
        for r in self.decls.core() {
            let access_str_off = b.add_str(&r.access);
            let insn_off = (self.secs[r.sec as usize].frags[r.frag as usize].start + r.offset as u64) as u32;
            core.entry(r.sec).or_default().push(CoreRelo {
                insn_off,
                type_id: r.type_id,
                access_str_off,
                kind: btf::ext::CoreReloKind(r.kind),
            });
        }
        for (sec, records) in core {
            let sec_name_off = b.add_str(&self.secs[sec as usize].name.clone());
            ext.core_relos.push(SecRecords { sec_name_off, records });
        }
        // line_info from the `-g` rows.
        if self.lines.auto_lines() {
            let mut file_names: HashMap<u64, (u32, usize)> = HashMap::new();
            // In file-number order: the string section must not depend on hash order (the same
            // input gives the same bytes, every run).
            let mut files: Vec<(u64, u32)> = self.lines.dwarf_files().collect();
            files.sort_unstable();
            for (n, file_id) in files {
                let name = codespan_reporting::files::Files::name(&self.files, file_id as usize)
                    .map(|n| self.opts.map_debug_path(n))
                    .unwrap_or_default();
                file_names.insert(n, (b.add_str(&name), file_id as usize));
            }
            for &sec in funcs.keys() {
                let s = &self.secs[sec as usize];
                let mut records = Vec::new();
                for r in &s.lines {
                    let Some(&(name_off, file_id)) = file_names.get(&r.loc.file) else { continue };
                    let text = self.line_text(file_id, r.loc.line);
                    let line_off = b.add_str(&text);
                    let off = s.frags[r.frag as usize].start + r.offset as u64;
                    records.push(LineInfo {
                        insn_off: off as u32,
                        file_name_off: name_off,
                        line_off,
                        line_col: ((r.loc.line as u32) << 10) | (r.loc.column.min(1023) as u32),
                    });
                }
                if !records.is_empty() {
                    let sec_name_off = b.add_str(&s.name.clone());
                    ext.line_info.push(SecRecords { sec_name_off, records });
                }
            }
        }
        let bytes = b.to_bytes(endian);
        // Objects carry `extern` FUNCs/VARs that libbpf resolves before the kernel sees the BTF;
        // validate what the kernel will be given.
        let mut check = b.clone();
        let is_func: std::collections::HashSet<u32> = check
            .types()
            .iter()
            .enumerate()
            .filter(|(_, t)| matches!(t.data, btf::TypeData::Func { .. }))
            .map(|(i, _)| check.start_id() + i as u32)
            .collect();
        for t in check.types_mut() {
            match &mut t.data {
                btf::TypeData::Func { linkage, .. } if *linkage == Linkage::EXTERN => *linkage = Linkage::GLOBAL,
                btf::TypeData::Var { linkage, .. } if *linkage == Linkage::EXTERN => *linkage = Linkage::GLOBAL,
                // libbpf replaces the kfunc entries of `.ksyms` before loading.
                btf::TypeData::Datasec { vars, .. } => vars.retain(|v| !is_func.contains(&v.type_id)),
                _ => {}
            }
        }
        if let Err(e) = btf::validate::validate_bytes(&check.to_bytes(endian)) {
            self.report(Diag::global(Code::InvalidBtf, format!("generated BTF is invalid: {e}")));
            return;
        }
        let btf_sec = self.get_section(".BTF", SHT_PROGBITS, 0, 0, Span::default());
        let ext_sec = self.get_section(".BTF.ext", SHT_PROGBITS, 0, 0, Span::default());
        while data.len() <= ext_sec.max(btf_sec) as usize {
            data.push(Vec::new());
        }
        self.secs[btf_sec as usize].align = 4;
        self.secs[ext_sec as usize].align = 4;
        data[btf_sec as usize] = bytes;
        data[ext_sec as usize] = ext.to_bytes(endian);
        let _ = func_ids;
    }

    /// DATASECs: a VAR for every declared variable, per section, at its offset; `.ksyms` and
    /// `.kconfig` for externs (kfuncs appear in `.ksyms` as FUNCs).
    fn datasecs(&mut self, c: &mut crate::cdecl::Context, data: &[Vec<u8>]) {
        let mut by_sec: BTreeMap<String, Vec<(u32, u32, u32)>> = BTreeMap::new();
        let mut externs: BTreeMap<&'static str, Vec<(u32, u32)>> = BTreeMap::new();
        let order = self.decls.names().to_vec();
        for name in &order {
            let d = self.decls.get(name).expect("a declared name");
            let id = self.syms.lookup(name.as_str());
            match &d.decl {
                crate::cdecl::Decl::Var { extern_kind: Some(k), size, .. } => {
                    let Some(sec) = crate::decls::extern_section(*k) else { continue };
                    let v = c.add_var(&d.decl).unwrap_or(0);
                    externs.entry(sec).or_default().push((v, *size));
                }
                crate::cdecl::Decl::Var { storage, size, .. } => {
                    let Some(id) = id else { continue };
                    let s = &self.syms[id as usize];
                    let SymDef::Label { sec, frag, off } = s.def else { continue };
                    let offset = self.secs[sec as usize].frags[frag as usize].start + off as u64;
                    // The symbol's binding decides the VAR linkage (global allocated or static).
                    let mut decl = d.decl.clone();
                    if let crate::cdecl::Decl::Var { storage: st, .. } = &mut decl {
                        *st = if s.is_global() { crate::cdecl::Storage::Global } else { crate::cdecl::Storage::Static };
                    }
                    let _ = storage;
                    let v = c.add_var(&decl).unwrap_or(0);
                    by_sec.entry(self.secs[sec as usize].name.clone()).or_default().push((v, offset as u32, *size));
                }
                // A kfunc: an extern FUNC, listed in .ksyms when the code calls it.
                crate::cdecl::Decl::Func { ksym: true, .. }
                    if id.is_some_and(|i| self.syms[i as usize].used_in_reloc) =>
                {
                    let f = c.add_func(&d.decl).unwrap_or(0);
                    externs.entry(".ksyms").or_default().push((f, 0));
                }
                crate::cdecl::Decl::Func { storage: crate::cdecl::Storage::Extern, .. }
                    if id.is_some_and(|i| self.syms[i as usize].used_in_reloc) =>
                {
                    c.add_func(&d.decl);
                }
                _ => {}
            }
        }
        let b = c.builder_mut();
        for (name, mut vars) in by_sec {
            vars.sort_by_key(|v| v.1);
            let size = self.secs.lookup(&name).map_or(0, |s| data.get(s as usize).map_or(0, |d| d.len()));
            b.add_datasec(&name, size as u32, &vars);
        }
        for (name, vars) in externs {
            // libbpf lays externs out itself; give them distinct, aligned offsets.
            let mut off = 0u32;
            let mut list = Vec::new();
            for (v, size) in vars {
                let sz = size.max(if name == ".ksyms" { 4 } else { 1 });
                let al = sz.next_power_of_two().min(8);
                off = off.div_ceil(al) * al;
                list.push((v, off, sz));
                off += sz;
            }
            b.add_datasec(name, off, &list);
        }
    }
}
