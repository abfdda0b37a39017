//! BTF for hand-written assembly: a FUNC for every function, `.BTF.ext` func_info for every
//! function and (with `-g`) line_info for every instruction pointing at the `.s` line.

use crate::asm::{Assembler, SecId, SymDef};
use crate::diag::Diag;
use crate::expr::{Span, SymId};
use bpf_isa::Endian;
use bpfobj::elf::*;
use btf::ext::{BtfExt, FuncInfo, LineInfo, SecRecords};
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
        !self.opts.no_btf && self.opts.debug && !self.sec_by_name.contains_key(".BTF")
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
        let mut b = BtfBuilder::new();
        let int = b.add_int("int", 4, IntEncoding::SIGNED);
        let mut ctx_types: HashMap<&'static str, u32> = HashMap::new();
        let void_ptr = b.add_ptr(0);
        let mut ext = BtfExt { has_core_relo_header: true, ..Default::default() };
        // Sizes of the functions, for their `.size` when the source gave none.
        for (&sec, list) in &funcs {
            let sec_name = self.secs[sec as usize].name.clone();
            let sec_len = data[sec as usize].len() as u64;
            if sec_len == 0 {
                continue;
            }
            if list.first().map(|f| f.0) != Some(0) {
                let span = self.secs[sec as usize].decl;
                self.report(
                    Diag::warning(
                        "btf",
                        span,
                        format!("code at the start of section `{sec_name}` is not in a function: no func_info for it"),
                    )
                    .help("put a label (with `.type name,@function`) before the first instruction"),
                );
                continue;
            }
            let ctx = ctx_struct_of_section(&sec_name);
            let param = match ctx {
                Some(name) => {
                    let id = *ctx_types.entry(name).or_insert_with(|| {
                        let fwd = b.add_fwd(name, false);
                        b.add_ptr(fwd)
                    });
                    id
                }
                None => void_ptr,
            };
            let proto = b.add_func_proto(int, &[("ctx", param)]);
            let mut records = Vec::new();
            for &(off, sym) in list {
                let s = &self.syms[sym as usize];
                let linkage = if s.is_global() { Linkage::GLOBAL } else { Linkage::STATIC };
                let name = s.name.to_string();
                let f = b.add_func(&name, proto, linkage);
                records.push(FuncInfo { insn_off: off as u32, type_id: f });
            }
            let sec_name_off = b.add_str(&sec_name);
            ext.func_info.push(SecRecords { sec_name_off, records });
            let _ = sec_len;
        }
        // line_info from the `-g` rows.
        if self.auto_lines {
            let mut file_names: HashMap<u64, (u32, usize)> = HashMap::new();
            for (&file_id, &n) in &self.dwarf_file_of {
                let name = codespan_reporting::files::Files::name(&self.files, file_id as usize)
                    .map(|n| n.to_string())
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
        if let Err(e) = btf::validate::validate_bytes(&bytes) {
            self.report(Diag::global("btf", format!("generated BTF is invalid: {e}")));
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
    }
}
