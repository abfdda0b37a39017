//! After the last statement: layout, fixups, relocations, DWARF sections, symbol table, ELF.

use crate::asm::{
    write_leb, Assembler, Binding, EvalError, FixKind, Fixup, Reloc, RelocTarget, SecId, SymDef, Tail, Value,
};
use crate::diag::{Code, Diag};
use crate::expr::{Expr, Span, SymId};
use bpf_isa::Endian;
use bpfobj::dwarf;
use bpfobj::elf::*;
use bpfobj::write::{ObjectWriter, OutReloc, OutSection, OutSymbol, SymSection};
use std::collections::HashMap;

impl Assembler {
    /// Lay out fragments until LEB128 sizes and alignments are stable.
    fn layout(&mut self) {
        for si in 0..self.secs.len() {
            if self.secs[si].frags.len() == 1 {
                continue;
            }
            for _round in 0..64 {
                let mut changed = false;
                let mut start = 0u64;
                for fi in 0..self.secs[si].frags.len() {
                    self.secs[si].frags[fi].start = start;
                    let len = self.secs[si].frags[fi].data.len() as u64;
                    let old = self.secs[si].frags[fi].tail_size;
                    let new = match self.secs[si].frags[fi].tail.clone() {
                        Tail::None => 0,
                        Tail::Leb { expr, signed } => match self.eval(&expr, true, 0) {
                            Ok(Value::Abs(v)) => crate::asm::leb_size(v, signed).max(old),
                            _ => old.max(1),
                        },
                        Tail::Align { align, max, .. } => {
                            let pad = (align - (start + len) % align) % align;
                            if max != 0 && pad > max {
                                0
                            } else {
                                pad
                            }
                        }
                    };
                    if new != old {
                        changed = true;
                        self.secs[si].frags[fi].tail_size = new;
                    }
                    start += len + new;
                }
                if !changed {
                    break;
                }
            }
        }
    }

    /// Flatten every section's fragments into one byte vector (tails written).
    fn flatten(&mut self) -> Vec<Vec<u8>> {
        let mut out = Vec::with_capacity(self.secs.len());
        for si in 0..self.secs.len() {
            if self.secs[si].frags.len() == 1 {
                out.push(std::mem::take(&mut self.secs[si].frags[0].data));
                continue;
            }
            let mut v = Vec::with_capacity(self.secs[si].size() as usize);
            for fi in 0..self.secs[si].frags.len() {
                let f = &self.secs[si].frags[fi];
                v.extend_from_slice(&f.data);
                let want = f.tail_size;
                match f.tail.clone() {
                    Tail::None => {}
                    Tail::Leb { expr, signed } => match self.eval(&expr, true, 0) {
                        Ok(Value::Abs(x)) => write_leb(&mut v, x, signed, want),
                        Ok(Value::Rel(..)) => {
                            self.report(Diag::error(
                                Code::NotAbsolute,
                                expr.span,
                                "a LEB128 value must be absolute or a difference of labels in one section",
                            ));
                            v.resize(v.len() + want as usize, 0);
                        }
                        Err(EvalError::Error(span, msg)) => {
                            self.report(Diag::error(Code::BadExpression, span, msg));
                            v.resize(v.len() + want as usize, 0);
                        }
                        Err(EvalError::NotYet) => v.resize(v.len() + want as usize, 0),
                    },
                    Tail::Align { fill, .. } => v.extend(std::iter::repeat_n(fill, want as usize)),
                }
            }
            out.push(v);
        }
        out
    }

    fn pos_of(&self, sec: SecId, frag: u32, off: u32) -> u64 {
        self.secs[sec as usize].frags[frag as usize].start + off as u64
    }

    pub(crate) fn patch(&self, data: &mut [u8], at: usize, v: u64, size: usize) {
        let Some(dst) = data.get_mut(at..at + size) else { return };
        match self.opts.endian {
            Endian::Little => dst.copy_from_slice(&v.to_le_bytes()[..size]),
            Endian::Big => dst.copy_from_slice(&v.to_be_bytes()[8 - size..]),
        }
    }

    fn patch_src(&self, data: &mut [u8], at: usize, src: u8) {
        if let Some(b) = data.get_mut(at + 1) {
            *b = match self.opts.endian {
                Endian::Little => (*b & 0x0f) | (src << 4),
                Endian::Big => (*b & 0xf0) | (src & 0xf),
            };
        }
    }

    /// Choose the symbol a relocation refers to: local labels go through their section symbol.
    fn reloc_target(&mut self, sym: SymId, c: i64) -> (RelocTarget, i64) {
        let s = &self.syms[sym as usize];
        match s.def {
            SymDef::Label { sec, frag, off } if !s.is_global() => {
                let o = self.pos_of(sec, frag, off) as i64;
                (RelocTarget::Section(sec), o + c)
            }
            _ => {
                self.syms[sym as usize].used_in_reloc = true;
                (RelocTarget::Symbol(sym), c)
            }
        }
    }

    fn undefined_check(&mut self, sym: SymId, span: Span) -> bool {
        let s = &self.syms[sym as usize];
        if s.def == SymDef::Undefined && s.temp {
            let name = s.name.split('\u{2}').next().unwrap_or(&s.name).to_string();
            let name = if s.name.contains('\u{2}') { name.trim_start_matches(".L").to_string() } else { name };
            self.report(
                Diag::error(Code::UndefinedSymbol, span, format!("undefined label `{name}`")).label("not defined"),
            );
            return false;
        }
        true
    }

    fn resolve_fixups(&mut self, data: &mut [Vec<u8>]) {
        for (si, d) in data.iter_mut().enumerate() {
            let fixups = std::mem::take(&mut self.secs[si].fixups);
            for fx in &fixups.list {
                self.resolve_one(si as SecId, fx, &fixups.expr(fx), d);
            }
        }
    }

    fn resolve_one(&mut self, si: SecId, fx: &Fixup, expr: &Expr, data: &mut [u8]) {
        let pos = self.pos_of(si, fx.frag, fx.offset);
        let at = pos as usize;
        let span = expr.span;
        let v = match self.eval(expr, true, 0) {
            Ok(v) => v,
            Err(EvalError::Error(sp, msg)) => return self.report(Diag::error(Code::BadExpression, sp, msg)),
            Err(EvalError::NotYet) => return self.report(Diag::error(Code::BadExpression, span, "cannot evaluate")),
        };
        if let Value::Rel(s, _) = v {
            if !self.undefined_check(s, span) {
                return;
            }
        }
        let sec_flags = |a: &Assembler, s: SymId| match a.syms[s as usize].def {
            SymDef::Label { sec, .. } => Some(a.secs[sec as usize].flags),
            _ => None,
        };
        match fx.kind {
            FixKind::Data(n) => match v {
                Value::Abs(x) => {
                    if !crate::asm::value_fits(x, n) {
                        self.report(
                            Diag::error(Code::OutOfRange, span, format!("value {x} does not fit in {n} byte(s)"))
                                .label("out of range"),
                        );
                    }
                    self.patch(data, at, x as u64, n as usize);
                }
                Value::Rel(s, c) => {
                    let r_type = match n {
                        8 => RelocType::ABS64,
                        4 => {
                            let sym = &self.syms[s as usize];
                            let defined = matches!(sym.def, SymDef::Label { .. });
                            let f = sec_flags(self, s).unwrap_or(0);
                            let alloc_exec = f & (SHF_ALLOC | SHF_EXECINSTR) == SHF_ALLOC | SHF_EXECINSTR;
                            let alloc_write = f & (SHF_ALLOC | SHF_WRITE) == SHF_ALLOC | SHF_WRITE;
                            if defined && ((sym.temp && alloc_exec) || (!sym.temp && alloc_write)) {
                                RelocType::NODYLD32
                            } else {
                                RelocType::ABS32
                            }
                        }
                        _ => {
                            return self.report(
                                Diag::error(
                                    Code::UnsupportedRelocation,
                                    span,
                                    format!("a symbol address does not fit in {n} byte(s); BPF has 4- and 8-byte data relocations"),
                                )
                                .label("needs a relocation"),
                            )
                        }
                    };
                    let (target, addend) = self.reloc_target(s, c);
                    self.patch(data, at, addend as u64, n as usize);
                    self.secs[si as usize].relocs.push(Reloc { offset: pos, r_type, target });
                }
            },
            FixKind::Off16 => match v {
                Value::Abs(x) if (-32768..=32767).contains(&x) => self.patch(data, at + 2, x as u64, 2),
                Value::Abs(x) => self.report(
                    Diag::error(Code::OutOfRange, span, format!("offset {x} is not a 16-bit signed integer"))
                        .label("must be in -32768..=32767"),
                ),
                Value::Rel(..) => self.report(
                    Diag::error(Code::NotAbsolute, span, "a memory offset must be a constant").label("not a constant"),
                ),
            },
            FixKind::Imm32 => match v {
                Value::Abs(x) if x >= i32::MIN as i64 && x <= u32::MAX as i64 => self.patch(data, at + 4, x as u64, 4),
                Value::Abs(x) => self.report(
                    Diag::error(Code::OutOfRange, span, format!("immediate {x} does not fit in 32 bits"))
                        .help("use `rX = <value> ll` to load a 64-bit constant"),
                ),
                Value::Rel(..) => self.report(
                    Diag::error(Code::UnsupportedRelocation, span, "a symbol's address cannot be a 32-bit immediate")
                        .label("needs a 64-bit load")
                        .help("load addresses with `rX = symbol ll`"),
                ),
            },
            FixKind::AsDst | FixKind::AsSrc => match v {
                Value::Abs(x) if (0..=0xffff).contains(&x) => {
                    let cur = match self.opts.endian {
                        Endian::Little => u32::from_le_bytes(data[at + 4..at + 8].try_into().unwrap_or([0; 4])),
                        Endian::Big => u32::from_be_bytes(data[at + 4..at + 8].try_into().unwrap_or([0; 4])),
                    };
                    let new = if fx.kind == FixKind::AsDst {
                        (cur & 0xffff) | ((x as u32) << 16)
                    } else {
                        (cur & 0xffff_0000) | x as u32
                    };
                    self.patch(data, at + 4, new as u64, 4);
                }
                _ => {
                    self.report(Diag::error(Code::OutOfRange, span, "an address space must be a constant in 0..=65535"))
                }
            },
            FixKind::Imm64 => match v {
                Value::Abs(x) => {
                    self.patch(data, at + 4, x as u64 & 0xffff_ffff, 4);
                    self.patch(data, at + 12, (x as u64) >> 32, 4);
                }
                Value::Rel(s, c) => {
                    let (target, addend) = self.reloc_target(s, c);
                    self.patch(data, at + 4, addend as u64 & 0xffff_ffff, 4);
                    self.secs[si as usize].relocs.push(Reloc { offset: pos, r_type: RelocType::R64_64, target });
                }
            },
            FixKind::Call => match v {
                Value::Abs(x) if x >= i32::MIN as i64 && x <= u32::MAX as i64 => {
                    self.patch(data, at + 4, x as u64, 4);
                }
                Value::Abs(x) => {
                    self.report(Diag::error(Code::OutOfRange, span, format!("helper id {x} does not fit in 32 bits")))
                }
                Value::Rel(s, c) => {
                    self.patch_src(data, at, 1);
                    let sym = &self.syms[s as usize];
                    match sym.def {
                        SymDef::Label { sec, frag, off } if sec == si && !sym.is_global() => {
                            let target = self.pos_of(sec, frag, off) as i64 + c;
                            self.call_targets.push((sec, target as u64));
                            let delta = target - pos as i64 - 8;
                            if delta % 8 != 0 {
                                return self.report(Diag::error(
                                    Code::MisalignedTarget,
                                    span,
                                    "call target is not at an instruction boundary",
                                ));
                            }
                            self.patch(data, at + 4, (delta / 8) as u64, 4);
                        }
                        _ => {
                            let (target, addend) = self.reloc_target(s, c);
                            self.patch(data, at + 4, ((addend - 8) / 8) as u64, 4);
                            self.secs[si as usize].relocs.push(Reloc {
                                offset: pos,
                                r_type: RelocType::R64_32,
                                target,
                            });
                        }
                    }
                }
            },
            FixKind::PcOff | FixKind::PcImm => {
                let delta = match v {
                    Value::Abs(x) => x,
                    Value::Rel(s, c) => {
                        let sym = &self.syms[s as usize];
                        match sym.def {
                            SymDef::Label { sec, frag, off } if sec == si => {
                                let target = self.pos_of(sec, frag, off) as i64 + c;
                                let d = target - pos as i64 - 8;
                                if d % 8 != 0 {
                                    return self.report(Diag::error(
                                        Code::MisalignedTarget,
                                        span,
                                        "jump target is not at an instruction boundary",
                                    ));
                                }
                                d / 8
                            }
                            SymDef::Label { sec, .. } => {
                                let (tn, sn) =
                                    (self.secs[sec as usize].name.clone(), self.secs[si as usize].name.clone());
                                return self.report(
                                    Diag::error(
                                        Code::BadJump,
                                        span,
                                        format!("jump target `{}` is in section `{tn}`, not in `{sn}`", sym.name),
                                    )
                                    .label("in another section")
                                    .help(
                                        "jumps stay inside one section; use `call` for a function in another section",
                                    ),
                                );
                            }
                            _ => {
                                let name = sym.name.clone();
                                return self.report(
                                    Diag::error(Code::UndefinedSymbol, span, format!("undefined jump target `{name}`"))
                                        .label("not defined"),
                                );
                            }
                        }
                    }
                };
                if fx.kind == FixKind::PcOff {
                    if !(-32768..=32767).contains(&delta) {
                        let is_ja = fx.is_ja();
                        let mut d = Diag::error(
                            Code::JumpOutOfRange,
                            span,
                            format!("jump offset {delta} does not fit in 16 bits"),
                        )
                        .label("too far");
                        if is_ja {
                            d = d.help("use `gotol` for unconditional jumps farther than 32767 instructions");
                        }
                        return self.report(d);
                    }
                    self.patch(data, at + 2, delta as u64, 2);
                } else {
                    if delta < i32::MIN as i64 || delta > i32::MAX as i64 {
                        return self.report(Diag::error(
                            Code::JumpOutOfRange,
                            span,
                            format!("jump offset {delta} does not fit in 32 bits"),
                        ));
                    }
                    self.patch(data, at + 4, delta as u64, 4);
                }
            }
        }
    }

    /// libbpf needs the size of every program and subprogram: a function symbol without
    /// `.size` extends to the next function symbol in its section or to the section's end.
    fn size_functions(&mut self, data: &[Vec<u8>]) {
        let mut starts: HashMap<SecId, Vec<u64>> = HashMap::new();
        for s in &self.syms {
            if let SymDef::Label { sec, frag, off } = s.def {
                if s.typ == STT_FUNC && !s.temp {
                    starts.entry(sec).or_default().push(self.pos_of(sec, frag, off));
                }
            }
        }
        for v in starts.values_mut() {
            v.sort();
            v.dedup();
        }
        for i in 0..self.syms.len() {
            let s = &self.syms[i];
            if s.typ != STT_FUNC || s.size.is_some() || s.temp {
                continue;
            }
            let SymDef::Label { sec, frag, off } = s.def else { continue };
            let at = self.pos_of(sec, frag, off);
            let end = starts[&sec].iter().copied().find(|&x| x > at).unwrap_or(data[sec as usize].len() as u64);
            let span = s.def_span.unwrap_or_default();
            self.syms[i].size = Some(Box::new(crate::expr::Expr::num((end - at) as i64, span)));
        }
    }

    /// Code sections other than `.text*` are programs: their names select the program type
    /// in libbpf, so an unknown name is almost always a typo.
    fn check_section_names(&mut self) {
        for si in 0..self.secs.len() {
            let s = &self.secs[si];
            if !s.is_code() || s.size() == 0 || s.name == ".text" || s.name.starts_with(".text.") {
                continue;
            }
            if bpfobj::progsec::find(&s.name).is_none() {
                let mut d = Diag::warning(
                    Code::SectionName,
                    s.decl,
                    format!("`{}` is not a program section name libbpf knows", s.name),
                )
                .label("libbpf will not know the program type");
                if let Some(c) = bpfobj::progsec::closest(&s.name) {
                    d = d.help(format!("did you mean `{c}`?"));
                }
                self.report(d);
            }
        }
    }

    /// Finish assembly and produce the ELF object. `None` when errors were reported.
    pub fn finish(&mut self) -> Option<Vec<u8>> {
        if let Some(f) = self.cfi.take_open() {
            self.report(Diag::error(Code::UnterminatedFrame, f.span, "unfinished frame: missing .cfi_endproc"));
        }
        self.define_tentative();
        // A reference to a section's name is a reference to the start of that section.
        for i in 0..self.syms.len() {
            let s = &self.syms[i];
            if s.def == SymDef::Undefined && !s.is_global() {
                if let Some(sec) = self.secs.lookup(&s.name) {
                    self.syms[i].def = SymDef::Label { sec, frag: 0, off: 0 };
                    self.syms[i].temp = true;
                }
            }
        }
        self.layout();
        self.check_section_names();
        let mut data = self.flatten();
        self.resolve_fixups(&mut data);
        if self.wants_btf() {
            self.mark_functions();
        }
        self.size_functions(&data);
        self.dwarf_sections(&mut data);
        if self.lines.auto_lines() {
            self.compile_unit(&mut data);
        }
        if self.wants_btf() {
            self.generate_btf(&mut data);
        }
        // Symbol sizes.
        for i in 0..self.syms.len() {
            if let Some(e) = self.syms[i].size.clone() {
                match self.eval(&e, true, 0) {
                    Ok(Value::Abs(_)) => {}
                    Ok(Value::Rel(..)) => {
                        self.report(Diag::error(Code::NotAbsolute, e.span, "symbol size must be a constant"))
                    }
                    Err(EvalError::Error(sp, m)) => self.report(Diag::error(Code::BadExpression, sp, m)),
                    Err(EvalError::NotYet) => {}
                }
            }
        }
        if self.errors > 0 {
            return None;
        }
        Some(self.write_elf(data))
    }

    /// The line rows of every code section, one sequence each, in order of each section's
    /// first row.
    pub(crate) fn line_sequences(&self, data: &[Vec<u8>]) -> Vec<dwarf::Sequence> {
        let mut order: Vec<(usize, SecId)> = Vec::new();
        for (si, s) in self.secs.iter().enumerate() {
            if let Some(first) = s.lines.first() {
                order.push((first.seq, si as SecId));
            }
        }
        order.sort();
        let mut seqs = Vec::new();
        for &(_, si) in &order {
            let s = &self.secs[si as usize];
            let rows =
                s.lines.iter().map(|r| dwarf::Row { offset: self.pos_of(si, r.frag, r.offset), loc: r.loc }).collect();
            seqs.push(dwarf::Sequence {
                section: dwarf::SectionRef(si as usize),
                rows,
                end_offset: data[si as usize].len() as u64,
            });
        }
        seqs
    }

    fn dwarf_sections(&mut self, data: &mut Vec<Vec<u8>>) {
        let big = self.opts.endian == Endian::Big;
        // (`-g` without `.loc`: the compile unit writes its own line program, debuginfo.rs.)
        if self.lines.is_used() && !self.lines.auto_lines() {
            let seqs = self.line_sequences(data);
            let table = self.lines.take_files();
            match table
                .into_input(seqs)
                .map_err(|e| e.to_string())
                .and_then(|input| dwarf::build_line_table(&input, big).map_err(|e| e.to_string()))
            {
                Ok(out) => {
                    let dl = self.get_section(".debug_line", SHT_PROGBITS, 0, 0, Span::default());
                    if dl as usize >= data.len() {
                        data.push(Vec::new());
                    }
                    let base = data[dl as usize].len() as u64;
                    data[dl as usize].extend_from_slice(&out.debug_line);
                    let mut line_str_sec = None;
                    if !out.line_str.is_empty() {
                        let ls = self.get_section(
                            ".debug_line_str",
                            SHT_PROGBITS,
                            SHF_MERGE | SHF_STRINGS,
                            1,
                            Span::default(),
                        );
                        if ls as usize >= data.len() {
                            data.push(Vec::new());
                        }
                        data[ls as usize].extend_from_slice(&out.line_str);
                        line_str_sec = Some(ls);
                    }
                    for r in out.relocs {
                        let target = match r.target {
                            dwarf::RelocTarget::Section(s) => RelocTarget::Section(s.0 as SecId),
                            dwarf::RelocTarget::DebugLineStr => match line_str_sec {
                                Some(s) => RelocTarget::Section(s),
                                None => continue,
                            },
                            dwarf::RelocTarget::DebugFrame => continue,
                        };
                        let r_type = if r.size == 8 { RelocType::ABS64 } else { RelocType::ABS32 };
                        self.secs[dl as usize].relocs.push(Reloc { offset: base + r.offset, r_type, target });
                    }
                }
                Err(m) => self.report(Diag::global(Code::Dwarf, m)),
            }
        }
        if !self.cfi.frames().is_empty() {
            if !self.cfi.debug_frame() {
                let span = self.cfi.frames()[0].span;
                self.report(
                    Diag::warning(
                        Code::CfiNotEmitted,
                        span,
                        "no `.cfi_sections .debug_frame`: call frame information is not emitted",
                    )
                    .note("BPF objects carry CFI in .debug_frame; .eh_frame is not supported"),
                );
                return;
            }
            let frames = self.cfi.take_frames();
            let fdes = frames
                .iter()
                .map(|f| dwarf::Fde {
                    section: dwarf::SectionRef(f.sec as usize),
                    start: self.pos_of(f.sec, f.start.0, f.start.1),
                    end: self.pos_of(f.sec, f.end.0, f.end.1),
                    return_column: f.return_column,
                    instructions: f
                        .insns
                        .iter()
                        .map(|((fr, o), op)| dwarf::CfiInsn { offset: self.pos_of(f.sec, *fr, *o), op: op.clone() })
                        .collect(),
                })
                .collect();
            let version = if self.lines.version5() { 5 } else { 4 };
            match dwarf::build_debug_frame(&dwarf::FrameInput { dwarf_version: version, fdes }, big) {
                Ok((bytes, relocs)) => {
                    let df = self.get_section(".debug_frame", SHT_PROGBITS, 0, 0, Span::default());
                    self.secs[df as usize].align = self.secs[df as usize].align.max(8);
                    if df as usize >= data.len() {
                        data.push(Vec::new());
                    }
                    let base = data[df as usize].len() as u64;
                    data[df as usize].extend_from_slice(&bytes);
                    for r in relocs {
                        let target = match r.target {
                            dwarf::RelocTarget::Section(s) => RelocTarget::Section(s.0 as SecId),
                            dwarf::RelocTarget::DebugFrame => RelocTarget::Section(df),
                            dwarf::RelocTarget::DebugLineStr => continue,
                        };
                        let r_type = if r.size == 8 { RelocType::ABS64 } else { RelocType::ABS32 };
                        self.secs[df as usize].relocs.push(Reloc { offset: base + r.offset, r_type, target });
                    }
                }
                Err(e) => self.report(Diag::global(Code::Dwarf, e.to_string())),
            }
        }
    }

    fn write_elf(&mut self, data: Vec<Vec<u8>>) -> Vec<u8> {
        let mut w = ObjectWriter::new(self.opts.endian == Endian::Big);
        for (si, (s, d)) in self.secs.iter().zip(data).enumerate() {
            let mut os = OutSection::new(&s.name, s.sh_type, s.flags);
            os.align = s.align;
            os.entsize = s.entsize;
            os.data = d;
            let _ = si;
            w.sections.push(os);
        }
        // Symbols: FILE, local labels, section symbols, then globals.
        let mut syms: Vec<OutSymbol> = Vec::new();
        for f in self.lines.file_syms() {
            syms.push(OutSymbol {
                name: f.clone(),
                value: 0,
                size: 0,
                bind: STB_LOCAL,
                typ: STT_FILE,
                vis: 0,
                section: SymSection::Abs,
            });
        }
        let mut index: HashMap<SymId, u32> = HashMap::new();
        let mut globals = Vec::new();
        for (i, s) in self.syms.iter().enumerate() {
            if s.temp && !s.used_in_reloc {
                continue;
            }
            let (section, value) = match self.sym_final(i as SymId) {
                Some(x) => x,
                None => continue,
            };
            let global = s.is_global() || (section == SymSection::Undef);
            if section == SymSection::Undef && !s.used_in_reloc && (!s.is_global() || s.declared_extern) {
                continue;
            }
            let size = match &s.size {
                Some(e) => match self.eval(e, true, 0) {
                    Ok(Value::Abs(v)) => v as u64,
                    _ => 0,
                },
                None => match s.def {
                    SymDef::Common { size, .. } => size,
                    _ => 0,
                },
            };
            let bind = match s.binding {
                Binding::Weak => STB_WEAK,
                Binding::Global => STB_GLOBAL,
                _ if global => STB_GLOBAL,
                _ => STB_LOCAL,
            };
            let typ = if matches!(s.def, SymDef::Common { .. }) { STT_OBJECT } else { s.typ };
            let o = OutSymbol { name: s.name.to_string(), value, size, bind, typ, vis: s.vis, section };
            if bind == STB_LOCAL {
                index.insert(i as SymId, syms.len() as u32);
                syms.push(o);
            } else {
                globals.push((i as SymId, o));
            }
        }
        // Section symbols used by relocations.
        let mut sec_sym: HashMap<SecId, u32> = HashMap::new();
        let mut used: Vec<SecId> = self
            .secs
            .iter()
            .flat_map(|s| s.relocs.iter())
            .filter_map(|r| match r.target {
                RelocTarget::Section(s) => Some(s),
                _ => None,
            })
            .collect();
        used.sort();
        used.dedup();
        for s in used {
            sec_sym.insert(s, syms.len() as u32);
            syms.push(OutSymbol {
                name: self.secs[s as usize].name.clone(),
                value: 0,
                size: 0,
                bind: STB_LOCAL,
                typ: STT_SECTION,
                vis: 0,
                section: SymSection::Section(s as usize),
            });
        }
        for (id, o) in globals {
            index.insert(id, syms.len() as u32);
            syms.push(o);
        }
        for (si, s) in self.secs.iter().enumerate() {
            let mut relocs: Vec<OutReloc> = s
                .relocs
                .iter()
                .map(|r| OutReloc {
                    offset: r.offset,
                    sym: match r.target {
                        RelocTarget::Section(t) => sec_sym[&t],
                        RelocTarget::Symbol(id) => index[&id],
                    },
                    r_type: r.r_type.0,
                })
                .collect();
            relocs.sort_by_key(|r| r.offset);
            w.sections[si].relocs = relocs;
        }
        if self.addrsig {
            let mut sec = OutSection::new(".llvm_addrsig", SHT_LLVM_ADDRSIG, SHF_EXCLUDE);
            sec.link_symtab = true;
            for (i, s) in self.syms.iter().enumerate() {
                if s.addrsig {
                    if let Some(&ix) = index.get(&(i as SymId)) {
                        write_leb(&mut sec.data, ix as i64 + 1, false, 0);
                    }
                }
            }
            w.sections.push(sec);
        }
        if !self.ident.is_empty() {
            let mut sec = OutSection::new(".comment", SHT_PROGBITS, SHF_MERGE | SHF_STRINGS);
            sec.entsize = 1;
            sec.data.push(0);
            for s in &self.ident {
                sec.data.extend_from_slice(s.as_bytes());
                sec.data.push(0);
            }
            w.sections.push(sec);
        }
        w.symbols = syms;
        w.write()
    }

    /// Final section and value of a symbol for the symbol table; `None` to leave it out.
    fn sym_final(&self, id: SymId) -> Option<(SymSection, u64)> {
        let s = &self.syms[id as usize];
        match &s.def {
            SymDef::Label { sec, frag, off } => {
                Some((SymSection::Section(*sec as usize), self.pos_of(*sec, *frag, *off)))
            }
            SymDef::Undefined => Some((SymSection::Undef, 0)),
            SymDef::Common { align, .. } => Some((SymSection::Abs, *align)),
            SymDef::Equ(e) => match self.eval(e, true, 0) {
                Ok(Value::Abs(v)) => Some((SymSection::Abs, v as u64)),
                Ok(Value::Rel(t, c)) => match self.syms[t as usize].def {
                    SymDef::Label { sec, frag, off } => {
                        Some((SymSection::Section(sec as usize), (self.pos_of(sec, frag, off) as i64 + c) as u64))
                    }
                    _ => None,
                },
                Err(_) => None,
            },
        }
    }
}
