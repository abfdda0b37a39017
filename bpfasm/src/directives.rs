//! Directives: sections, symbols, data, alignment, `.file`/`.loc`, `.cfi_*`, `.include`.

use crate::asm::{default_section_kind, s_flags, Assembler, Binding, CfiFrame, Resolver, SymDef};
use crate::diag::{closest, Code, Diag};
use crate::expr::{Cursor, Expr, Span};
use crate::lexer::{Tok, Token};
use bpfobj::elf::*;
use std::path::PathBuf;

impl Assembler {
    pub(crate) fn directive(&mut self, name: &str, toks: &[Token<'_>], file: u32, eol: u32) {
        let dspan = Span { file, start: toks[0].start, end: toks[0].end };
        let mut c = Cursor::new(&toks[1..], file, eol);
        let r = match name {
            ".text" => self.simple_section(".text", dspan),
            ".data" => self.simple_section(".data", dspan),
            ".bss" => self.simple_section(".bss", dspan),
            ".rodata" => self.simple_section(".rodata", dspan),
            ".section" => self.section_directive(&mut c, dspan, false),
            ".pushsection" => self.section_directive(&mut c, dspan, true),
            ".popsection" => {
                if self.secs.pop() {
                    Ok(())
                } else {
                    Err(Diag::error(Code::StrayDirective, dspan, ".popsection without a matching .pushsection"))
                }
            }
            ".previous" => {
                let p = self.secs.prev();
                self.switch_to(p);
                Ok(())
            }
            ".globl" | ".global" => self.sym_list(&mut c, |a, id, _| a.syms[id as usize].binding = Binding::Global),
            ".weak" => self.sym_list(&mut c, |a, id, _| a.syms[id as usize].binding = Binding::Weak),
            ".local" => self.sym_list(&mut c, |a, id, _| a.syms[id as usize].binding = Binding::Local),
            ".hidden" => self.sym_list(&mut c, |a, id, _| a.syms[id as usize].vis = STV_HIDDEN),
            ".internal" => self.sym_list(&mut c, |a, id, _| a.syms[id as usize].vis = STV_INTERNAL),
            ".protected" => self.sym_list(&mut c, |a, id, _| a.syms[id as usize].vis = STV_PROTECTED),
            ".type" => self.type_directive(&mut c),
            ".size" => self.size_directive(&mut c),
            ".p2align" | ".p2alignw" | ".p2alignl" => self.align_directive(&mut c, dspan, true),
            ".align" | ".balign" => self.align_directive(&mut c, dspan, false),
            ".byte" => self.data_list(&mut c, 1),
            ".short" | ".hword" | ".2byte" | ".value" => self.data_list(&mut c, 2),
            ".long" | ".int" | ".4byte" => self.data_list(&mut c, 4),
            ".quad" | ".8byte" => self.data_list(&mut c, 8),
            ".ascii" => self.string_list(&mut c, false),
            ".asciz" | ".string" => self.string_list(&mut c, true),
            ".uleb128" => self.leb_list(&mut c, false),
            ".sleb128" => self.leb_list(&mut c, true),
            ".zero" => self.space(&mut c, dspan, true),
            ".space" | ".skip" => self.space(&mut c, dspan, false),
            ".fill" => self.fill(&mut c, dspan),
            ".set" | ".equ" | ".equiv" => self.set_directive(&mut c, name == ".equiv"),
            ".file" => self.file_directive(&mut c, dspan),
            ".loc" => self.loc_directive(&mut c, dspan),
            ".loc_mark_labels" => Ok(()),
            ".cfi_sections" => {
                while let Some(t) = c.bump() {
                    if t.tok == Tok::Ident(".debug_frame") {
                        self.cfi.set_debug_frame();
                    }
                }
                Ok(())
            }
            ".cfi_startproc" => {
                let simple = matches!(c.peek_tok(), Some(Tok::Ident("simple")));
                if simple {
                    c.bump();
                }
                if self.cfi.is_open() {
                    Err(Diag::error(Code::CfiFrame, dspan, "starting a new frame before the previous one is ended"))
                } else {
                    let sec = self.secs.current();
                    let here = (sec.cur_frag(), sec.cur_offset());
                    self.cfi.open(CfiFrame {
                        sec: self.secs.cur(),
                        start: here,
                        end: here,
                        simple,
                        span: dspan,
                        return_column: None,
                        insns: Vec::new(),
                    });
                    Ok(())
                }
            }
            ".cfi_endproc" => match self.cfi.take_open() {
                Some(mut f) => {
                    let s = &self.secs[f.sec as usize];
                    f.end = (s.cur_frag(), s.cur_offset());
                    self.cfi.finish(f);
                    Ok(())
                }
                None => Err(Diag::error(Code::StrayDirective, dspan, ".cfi_endproc without .cfi_startproc")),
            },
            ".addrsig" => {
                self.addrsig = true;
                Ok(())
            }
            ".addrsig_sym" => self.sym_list(&mut c, |a, id, _| a.syms[id as usize].addrsig = true),
            ".include" => self.include(&mut c, dspan),
            ".ident" => match c.bump() {
                Some(Token { tok: Tok::Str(s), start, end }) => {
                    let mut v = Vec::new();
                    self.unescape_str(s, Span { file, start, end }, &mut v);
                    self.ident.push(String::from_utf8_lossy(&v).into_owned());
                    Ok(())
                }
                _ => Err(Diag::error(Code::DirectiveOperand, dspan, ".ident takes a string")),
            },
            ".comm" | ".lcomm" => self.comm(&mut c, dspan, name == ".lcomm"),
            ".btf" => match c.bump() {
                Some(Token { tok: Tok::Str(s), start, end }) => {
                    let mut v = Vec::new();
                    self.unescape_str(s, Span { file, start, end }, &mut v);
                    let p = std::path::PathBuf::from(String::from_utf8_lossy(&v).into_owned());
                    self.set_base_btf(&p).map_err(|e| Diag::error(Code::BaseBtf, Span { file, start, end }, e))
                }
                _ => Err(Diag::error(Code::DirectiveOperand, dspan, ".btf takes a file name in quotes")),
            },
            ".endcdecl" => Err(Diag::error(Code::StrayDirective, dspan, "`.endcdecl` without `.cdecl`")),
            _ if name.starts_with(".cfi_") => self.cfi_directive(name, &mut c, dspan),
            _ if crate::macros::is_conditional(name) => self.conditional(name, &mut c, dspan),
            ".error" => self.user_diagnostic(true, &mut c, dspan),
            ".warning" => self.user_diagnostic(false, &mut c, dspan),
            ".exitm" | ".purgem" | ".endm" | ".endmacro" | ".endr" => self.macro_directive(name, &mut c, dspan),
            ".macro" | ".rept" | ".irp" | ".irpc" => self.body_request(name, &mut c, dspan),
            _ => {
                let mut d = Diag::error(Code::UnknownDirective, dspan, format!("unknown directive `{name}`"))
                    .label("not a directive");
                if let Some(s) = closest(name, crate::asm::all_directives()) {
                    d = d.help(format!("did you mean `{s}`?"));
                }
                Err(d)
            }
        };
        match r {
            Ok(()) => {
                if !c.at_end() {
                    let sp = c.span_here();
                    self.report(
                        Diag::error(Code::Syntax, sp, format!("unexpected text after `{name}` directive"))
                            .label("unexpected"),
                    );
                }
            }
            Err(d) => self.report(d),
        }
    }

    fn simple_section(&mut self, name: &str, span: Span) -> Result<(), Diag> {
        let (t, f) = default_section_kind(name);
        let id = self.get_section(name, t, f, 0, span);
        if self.secs[id as usize].decl.end == 0 {
            self.secs[id as usize].decl = span;
        }
        self.switch_to(id);
        Ok(())
    }

    fn expr(&mut self, c: &mut Cursor<'_, '_>) -> Result<Expr, Diag> {
        let file = c.file;
        let mut r = Resolver { a: self, file };
        c.expr(&mut r).map_err(|e| Diag::error(Code::BadExpression, e.span, e.msg))
    }

    fn abs(&mut self, c: &mut Cursor<'_, '_>, what: &str) -> Result<i64, Diag> {
        let e = self.expr(c)?;
        match self.eval_abs_now(&e, what) {
            Some(v) => Ok(v),
            None => Err(Diag { level: crate::diag::Level::Error, ..Diag::global(Code::Silent, "") }),
        }
    }

    fn sym_name<'a>(&mut self, c: &mut Cursor<'_, 'a>) -> Result<(&'a str, Span), Diag> {
        let sp = c.span_here();
        match c.peek_tok() {
            Some(Tok::Ident(s)) | Some(Tok::Str(s)) => {
                c.bump();
                Ok((s, sp))
            }
            _ => Err(Diag::error(Code::Syntax, sp, "expected a symbol name").label("expected a symbol name")),
        }
    }

    fn expect_comma(&mut self, c: &mut Cursor<'_, '_>) -> Result<(), Diag> {
        if c.eat_punct(",") {
            Ok(())
        } else {
            let sp = c.span_here();
            Err(Diag::error(Code::Syntax, sp, "expected `,`").label("expected `,`"))
        }
    }

    fn sym_list(
        &mut self,
        c: &mut Cursor<'_, '_>,
        f: impl Fn(&mut Assembler, crate::expr::SymId, Span),
    ) -> Result<(), Diag> {
        loop {
            let (name, sp) = self.sym_name(c)?;
            let id = self.intern(name);
            if self.syms[id as usize].first_use.is_none() {
                self.syms[id as usize].first_use = Some(sp);
            }
            if self.opts.ide {
                self.ide.add_ref(id, sp);
            }
            f(self, id, sp);
            if !c.eat_punct(",") {
                return Ok(());
            }
        }
    }

    fn section_directive(&mut self, c: &mut Cursor<'_, '_>, dspan: Span, push: bool) -> Result<(), Diag> {
        let sp = c.span_here();
        // Section names may be quoted or made of several tokens (e.g. `.text.foo`, `kprobe/x`).
        let name: String = match c.peek_tok() {
            Some(Tok::Str(s)) => {
                c.bump();
                s.to_string()
            }
            Some(_) => {
                let mut n = String::new();
                let mut last_end = None;
                while let Some(t) = c.peek() {
                    if t.tok == Tok::Punct(",") || last_end.is_some_and(|e| e != t.start) {
                        break;
                    }
                    let text = match t.tok {
                        Tok::Ident(s) => s.to_string(),
                        Tok::Punct(p) => p.to_string(),
                        Tok::Num { value, .. } => value.to_string(),
                        Tok::Reg(n, w) => format!("{}{n}", if w { 'w' } else { 'r' }),
                        _ => break,
                    };
                    n.push_str(&text);
                    last_end = Some(t.end);
                    c.bump();
                }
                n
            }
            None => String::new(),
        };
        if name.is_empty() {
            return Err(Diag::error(Code::Syntax, sp, "expected a section name").label("expected a section name"));
        }
        let (mut sh_type, mut flags) = default_section_kind(&name);
        let mut entsize = 0;
        let mut explicit = false;
        if c.eat_punct(",") {
            let fsp = c.span_here();
            match c.bump().map(|t| t.tok) {
                Some(Tok::Str(f)) => {
                    explicit = true;
                    let (fl, _group) = s_flags(f).ok_or_else(|| {
                        Diag::error(Code::UnknownSectionFlag, fsp, format!("unknown section flag in \"{f}\""))
                            .help("known flags: a w x M S G T o R e")
                    })?;
                    flags = fl;
                    // An explicit empty flag string means no flags; the type defaults to progbits.
                    if !name.starts_with(".bss") && !name.starts_with(".tbss") {
                        sh_type = if name.starts_with(".note") { SHT_NOTE } else { sh_type };
                    }
                }
                _ => return Err(Diag::error(Code::Syntax, fsp, "expected a flags string like \"ax\"")),
            }
            if c.eat_punct(",") {
                let tsp = c.span_here();
                let ty = match c.bump().map(|t| t.tok) {
                    Some(Tok::Ident(t)) => t.trim_start_matches(['@', '%']).to_string(),
                    Some(Tok::Punct("%")) => match c.bump().map(|t| t.tok) {
                        Some(Tok::Ident(t)) => t.to_string(),
                        _ => String::new(),
                    },
                    _ => String::new(),
                };
                sh_type = match ty.as_str() {
                    "progbits" => SHT_PROGBITS,
                    "nobits" => SHT_NOBITS,
                    "note" => SHT_NOTE,
                    "init_array" => SHT_INIT_ARRAY,
                    "fini_array" => SHT_FINI_ARRAY,
                    "preinit_array" => SHT_PREINIT_ARRAY,
                    "llvm_addrsig" => SHT_LLVM_ADDRSIG,
                    _ => {
                        return Err(Diag::error(Code::UnknownSectionType, tsp, format!("unknown section type `{ty}`"))
                            .help("use @progbits, @nobits or @note"))
                    }
                };
                if c.eat_punct(",") {
                    entsize = self.abs(c, "section entry size")? as u64;
                }
                if flags & SHF_GROUP != 0 && c.eat_punct(",") {
                    while c.bump().is_some() {}
                }
            } else if flags & SHF_MERGE != 0 {
                return Err(Diag::error(
                    Code::SectionEntrySize,
                    dspan,
                    "a mergeable section needs a type and an entry size",
                ));
            }
        }
        let id = match self.secs.lookup(&name) {
            Some(id) => {
                let s = &mut self.secs[id as usize];
                if explicit && !s.implicit && (s.flags != flags || s.sh_type != sh_type) {
                    let first = s.decl;
                    return Err(Diag::error(
                        Code::SectionChanged,
                        sp,
                        format!("changed section flags or type for `{name}`"),
                    )
                    .with_secondary(first, "first declared here"));
                }
                if s.decl.end == 0 {
                    s.decl = sp;
                }
                if explicit && s.implicit {
                    s.flags = flags;
                    s.sh_type = sh_type;
                    s.implicit = false;
                }
                id
            }
            None => self.get_section(&name, sh_type, flags, entsize, sp),
        };
        if push {
            self.secs.push();
        }
        self.switch_to(id);
        Ok(())
    }

    fn type_directive(&mut self, c: &mut Cursor<'_, '_>) -> Result<(), Diag> {
        let (name, _) = self.sym_name(c)?;
        let id = self.intern(name);
        self.expect_comma(c)?;
        let tsp = c.span_here();
        let ty = match c.bump().map(|t| t.tok) {
            Some(Tok::Ident(t)) => t.trim_start_matches(['@', '%']).to_string(),
            Some(Tok::Str(t)) => t.to_string(),
            Some(Tok::Punct("%")) => match c.bump().map(|t| t.tok) {
                Some(Tok::Ident(t)) => t.to_string(),
                _ => String::new(),
            },
            _ => String::new(),
        };
        let t = match ty.as_str() {
            "function" | "STT_FUNC" => STT_FUNC,
            "object" | "STT_OBJECT" => STT_OBJECT,
            "notype" | "STT_NOTYPE" => STT_NOTYPE,
            "tls_object" | "STT_TLS" => STT_TLS,
            "common" | "STT_COMMON" => STT_COMMON,
            "gnu_unique_object" | "gnu_indirect_function" => STT_OBJECT,
            _ => {
                return Err(Diag::error(Code::UnknownSymbolType, tsp, format!("unknown symbol type `{ty}`"))
                    .help("use @function, @object or @notype"))
            }
        };
        self.syms[id as usize].typ = t;
        Ok(())
    }

    fn size_directive(&mut self, c: &mut Cursor<'_, '_>) -> Result<(), Diag> {
        let (name, _) = self.sym_name(c)?;
        let id = self.intern(name);
        self.expect_comma(c)?;
        let e = self.expr(c)?;
        // `.size f, .Lfunc_end0-f` may be evaluated now; keep the expression for the end otherwise.
        let e = match self.eval(&e, false, 0) {
            Ok(crate::asm::Value::Abs(v)) => Expr::num(v, e.span),
            _ => e,
        };
        self.syms[id as usize].size = Some(Box::new(e));
        Ok(())
    }

    fn align_directive(&mut self, c: &mut Cursor<'_, '_>, dspan: Span, pow2: bool) -> Result<(), Diag> {
        let v = self.abs(c, "alignment")?;
        let mut fill = None;
        let mut max = 0;
        if c.eat_punct(",") {
            if !matches!(c.peek_tok(), Some(Tok::Punct(","))) {
                fill = Some(self.abs(c, "fill value")? as u8);
            }
            if c.eat_punct(",") {
                max = self.abs(c, "maximum padding")? as u64;
            }
        }
        let align = if pow2 {
            if !(0..=32).contains(&v) {
                return Err(Diag::error(Code::BadAlignment, dspan, format!("invalid alignment power {v}")));
            }
            1u64 << v
        } else {
            if v < 0 {
                return Err(Diag::error(Code::BadAlignment, dspan, "alignment must be positive"));
            }
            (v as u64).max(1)
        };
        self.emit_align(align, fill, max, dspan);
        Ok(())
    }

    fn data_list(&mut self, c: &mut Cursor<'_, '_>, size: u8) -> Result<(), Diag> {
        // Fast path: `.byte 12` / `.long 0x1234`.
        if c.toks.len() == 1 {
            if let Tok::Num { value, overflow: false } = c.toks[0].tok {
                c.bump();
                let e = Expr::num(value as i64, Span { file: c.file, start: c.toks[0].start, end: c.toks[0].end });
                self.emit_value(e, size);
                return Ok(());
            }
        }
        loop {
            let e = self.expr(c)?;
            self.emit_value(e, size);
            if !c.eat_punct(",") {
                return Ok(());
            }
        }
    }

    fn string_list(&mut self, c: &mut Cursor<'_, '_>, nul: bool) -> Result<(), Diag> {
        let mut buf = Vec::new();
        loop {
            let sp = c.span_here();
            match c.bump().map(|t| t.tok) {
                Some(Tok::Str(s)) => {
                    buf.clear();
                    self.unescape_str(s, sp, &mut buf);
                    if nul {
                        buf.push(0);
                    }
                    let b = std::mem::take(&mut buf);
                    self.emit_bytes(&b);
                    buf = b;
                }
                _ => return Err(Diag::error(Code::Syntax, sp, "expected a string").label("expected a string")),
            }
            if !c.eat_punct(",") {
                return Ok(());
            }
        }
    }

    fn leb_list(&mut self, c: &mut Cursor<'_, '_>, signed: bool) -> Result<(), Diag> {
        loop {
            let e = self.expr(c)?;
            self.emit_leb(e, signed);
            if !c.eat_punct(",") {
                return Ok(());
            }
        }
    }

    fn space(&mut self, c: &mut Cursor<'_, '_>, dspan: Span, _zero: bool) -> Result<(), Diag> {
        let n = self.abs(c, "size")?;
        let mut fill = 0u8;
        if c.eat_punct(",") {
            fill = self.abs(c, "fill value")? as u8;
        }
        if !(0..=(1 << 30)).contains(&n) {
            return Err(Diag::error(Code::OutOfRange, dspan, format!("invalid size {n}")));
        }
        self.room_for(n as u64, dspan)?;
        // `.zero`/`.space` do not take a pending `.loc` (llvm-mc).
        let d = self.secs.current_mut().data_mut();
        d.resize(d.len() + n as usize, fill);
        Ok(())
    }

    fn fill(&mut self, c: &mut Cursor<'_, '_>, dspan: Span) -> Result<(), Diag> {
        let count = self.abs(c, "repeat count")?;
        let mut size = 1i64;
        let mut value = 0i64;
        if c.eat_punct(",") {
            size = self.abs(c, "size")?;
            if c.eat_punct(",") {
                value = self.abs(c, "value")?;
            }
        }
        if !(0..=(1 << 30)).contains(&count) || !(0..=8).contains(&size) {
            return Err(Diag::error(Code::OutOfRange, dspan, "invalid .fill count or size"));
        }
        self.room_for((count * size) as u64, dspan)?;
        for _ in 0..count {
            let (b, _) = self.put_uint(value as u64, 8);
            let n = size as usize;
            let bytes = match self.opts.endian {
                bpf_isa::Endian::Little => b[..n].to_vec(),
                bpf_isa::Endian::Big => b[8 - n..].to_vec(),
            };
            self.emit_bytes(&bytes);
        }
        Ok(())
    }

    fn set_directive(&mut self, c: &mut Cursor<'_, '_>, equiv: bool) -> Result<(), Diag> {
        let (name, sp) = self.sym_name(c)?;
        self.expect_comma(c)?;
        let rest = &c.toks[c.pos..];
        c.pos = c.toks.len();
        let (file, eol) = (c.file, c.eol);
        self.assign(name, sp, rest, file, eol, equiv);
        Ok(())
    }

    fn comm(&mut self, c: &mut Cursor<'_, '_>, dspan: Span, local: bool) -> Result<(), Diag> {
        let (name, sp) = self.sym_name(c)?;
        self.expect_comma(c)?;
        let size = self.abs(c, "size")?;
        let mut align = 1;
        if c.eat_punct(",") {
            align = self.abs(c, "alignment")?;
        }
        let id = self.intern(name);
        if self.syms[id as usize].def != SymDef::Undefined {
            return Err(Diag::error(Code::DuplicateSymbol, sp, format!("symbol `{name}` is already defined")));
        }
        // `.local x` then `.comm x, ...` allocates in .bss like `.lcomm` (llvm-mc).
        if local || self.syms[id as usize].binding == Binding::Local {
            let bss = self.get_section(".bss", SHT_NOBITS, SHF_ALLOC | SHF_WRITE, 0, dspan);
            let saved = self.secs.enter(bss);
            self.emit_align(align.max(1) as u64, None, 0, dspan);
            self.define_label(name, sp);
            let v = vec![0u8; size.max(0) as usize];
            self.emit_bytes(&v);
            self.secs.enter(saved);
            self.syms[id as usize].typ = STT_OBJECT;
            self.syms[id as usize].size = Some(Box::new(Expr::num(size, sp)));
        } else {
            self.syms[id as usize].def = SymDef::Common { size: size as u64, align: align as u64 };
            self.syms[id as usize].def_span = Some(sp);
            if self.syms[id as usize].binding == Binding::Default {
                self.syms[id as usize].binding = Binding::Global;
            }
        }
        Ok(())
    }

    fn include(&mut self, c: &mut Cursor<'_, '_>, dspan: Span) -> Result<(), Diag> {
        let sp = c.span_here();
        let Some(Tok::Str(name)) = c.bump().map(|t| t.tok) else {
            return Err(Diag::error(Code::DirectiveOperand, sp, ".include takes a file name in quotes"));
        };
        let mut candidates = Vec::new();
        let cur_name = codespan_reporting::files::Files::name(&self.files, self.real_file(self.cur_file) as usize)
            .map(|n| n.to_string())
            .unwrap_or_default();
        let p = PathBuf::from(name);
        if p.is_absolute() {
            candidates.push(p.clone());
        } else {
            candidates.push(PathBuf::from(&cur_name).parent().map(|d| d.join(&p)).unwrap_or(p.clone()));
            for d in &self.opts.include_dirs {
                candidates.push(d.join(&p));
            }
        }
        let Some(path) = candidates.into_iter().find(|c| c.is_file()) else {
            return Err(Diag::error(Code::IncludeNotFound, sp, format!("cannot find include file `{name}`"))
                .label("not found")
                .help("add its directory with -I <dir>"));
        };
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Diag::error(Code::IncludeRead, sp, format!("cannot read `{}`: {e}", path.display())))?;
        if self.include_depth >= crate::asm::MAX_INCLUDE_DEPTH {
            return Err(Diag::error(Code::IncludeTooDeep, dspan, "includes nest too deeply (recursive .include?)"));
        }
        self.included.push(path.clone());
        self.include_depth += 1;
        let text = crate::diag::Source::owned(text);
        let id = self.files.add(path.display().to_string(), text.clone());
        if self.lines.auto_lines() {
            let dpath = self.opts.map_debug_path(&path.display().to_string());
            self.lines.add_auto_file(id as u32, &dpath);
        }
        self.run(id as u32, text);
        self.include_depth -= 1;
        Ok(())
    }

    fn file_directive(&mut self, c: &mut Cursor<'_, '_>, dspan: Span) -> Result<(), Diag> {
        let file = c.file;
        match c.peek_tok() {
            Some(Tok::Str(s)) => {
                c.bump();
                let mut v = Vec::new();
                self.unescape_str(s, dspan, &mut v);
                self.lines.add_file_sym(String::from_utf8_lossy(&v).into_owned());
                Ok(())
            }
            Some(Tok::Num { value, .. }) => {
                c.bump();
                let mut strs = Vec::new();
                while let Some(Token { tok: Tok::Str(s), start, end }) = c.peek().copied() {
                    c.bump();
                    let mut v = Vec::new();
                    self.unescape_str(s, Span { file, start, end }, &mut v);
                    strs.push(String::from_utf8_lossy(&v).into_owned());
                }
                let (dir, name) = match strs.len() {
                    1 => (String::new(), strs.pop().unwrap_or_default()),
                    2 => {
                        let n = strs.pop().unwrap_or_default();
                        (strs.pop().unwrap_or_default(), n)
                    }
                    _ => {
                        return Err(Diag::error(
                            Code::DirectiveOperand,
                            dspan,
                            ".file N takes \"name\" or \"dir\" \"name\"",
                        ))
                    }
                };
                let mut md5 = None;
                let mut source = None;
                while let Some(Tok::Ident(kw)) = c.peek_tok() {
                    let ksp = c.span_here();
                    c.bump();
                    match kw {
                        "md5" => {
                            let sp = c.span_here();
                            let Some(t) = c.bump() else {
                                return Err(Diag::error(Code::DirectiveOperand, sp, "expected an MD5 checksum"));
                            };
                            let text = self.source_text(file, t.start, t.end);
                            let hex = text.trim_start_matches("0x").trim_start_matches("0X");
                            if hex.len() > 32 || hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                                return Err(Diag::error(
                                    Code::DirectiveOperand,
                                    sp,
                                    "MD5 checksum must be 128-bit hex",
                                ));
                            }
                            let hex = format!("{hex:0>32}");
                            let mut m = [0u8; 16];
                            for (i, b) in m.iter_mut().enumerate() {
                                *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap_or(0);
                            }
                            md5 = Some(m);
                        }
                        "source" => match c.bump().map(|t| t.tok) {
                            Some(Tok::Str(s)) => {
                                let mut v = Vec::new();
                                self.unescape_str(s, ksp, &mut v);
                                source = Some(String::from_utf8_lossy(&v).into_owned());
                            }
                            _ => return Err(Diag::error(Code::DirectiveOperand, ksp, "`source` takes a string")),
                        },
                        _ => return Err(Diag::error(Code::UnknownOption, ksp, format!("unknown .file option `{kw}`"))),
                    }
                }
                if value > 1 << 20 {
                    return Err(Diag::error(Code::OutOfRange, dspan, "file number too large"));
                }
                let dir = self.opts.map_debug_path(&dir);
                let name = self.opts.map_debug_path(&name);
                if value == 0 {
                    self.lines.set_root_file(&dir, &name, md5, source);
                    return Ok(());
                }
                self.lines
                    .add_file(value, &dir, &name, md5, source)
                    .map_err(|e| Diag::error(Code::FileNumberReused, dspan, e.to_string()))
            }
            _ => Err(Diag::error(Code::DirectiveOperand, dspan, ".file takes a file name or a number and a name")),
        }
    }

    fn cfi_directive(&mut self, name: &str, c: &mut Cursor<'_, '_>, dspan: Span) -> Result<(), Diag> {
        use bpfobj::dwarf::CfiOp;
        let mut nums = Vec::new();
        let mut bytes = Vec::new();
        while !c.at_end() {
            let v = self.abs(c, "CFI operand")?;
            nums.push(v);
            bytes.push(v as u8);
            if !c.eat_punct(",") {
                break;
            }
        }
        let arity = |n: usize| -> Result<(), Diag> {
            if nums.len() == n {
                Ok(())
            } else {
                Err(Diag::error(Code::DirectiveOperand, dspan, format!("`{name}` takes {n} operand(s)")))
            }
        };
        let op = match name {
            ".cfi_def_cfa" => {
                arity(2)?;
                CfiOp::DefCfa { reg: nums[0] as u64, offset: nums[1] }
            }
            ".cfi_def_cfa_offset" => {
                arity(1)?;
                CfiOp::DefCfaOffset(nums[0])
            }
            ".cfi_adjust_cfa_offset" => {
                arity(1)?;
                CfiOp::AdjustCfaOffset(nums[0])
            }
            ".cfi_def_cfa_register" => {
                arity(1)?;
                CfiOp::DefCfaRegister(nums[0] as u64)
            }
            ".cfi_offset" => {
                arity(2)?;
                CfiOp::Offset { reg: nums[0] as u64, offset: nums[1] }
            }
            ".cfi_rel_offset" => {
                arity(2)?;
                CfiOp::RelOffset { reg: nums[0] as u64, offset: nums[1] }
            }
            ".cfi_restore" => {
                arity(1)?;
                CfiOp::Restore(nums[0] as u64)
            }
            ".cfi_undefined" => {
                arity(1)?;
                CfiOp::Undefined(nums[0] as u64)
            }
            ".cfi_same_value" => {
                arity(1)?;
                CfiOp::SameValue(nums[0] as u64)
            }
            ".cfi_register" => {
                arity(2)?;
                CfiOp::Register(nums[0] as u64, nums[1] as u64)
            }
            ".cfi_remember_state" => {
                arity(0)?;
                CfiOp::RememberState
            }
            ".cfi_restore_state" => {
                arity(0)?;
                CfiOp::RestoreState
            }
            ".cfi_escape" => CfiOp::Escape(bytes),
            ".cfi_return_column" => {
                arity(1)?;
                return match self.cfi.open_mut() {
                    Some(f) => {
                        f.return_column = Some(nums[0] as u64);
                        Ok(())
                    }
                    None => {
                        Err(Diag::error(Code::CfiFrame, dspan, "CFI directive outside .cfi_startproc/.cfi_endproc"))
                    }
                };
            }
            _ => return Err(Diag::error(Code::UnknownDirective, dspan, format!("unsupported CFI directive `{name}`"))),
        };
        let here = {
            let s = self.secs.current();
            (s.cur_frag(), s.cur_offset())
        };
        match self.cfi.open_mut() {
            Some(f) => {
                f.insns.push((here, op));
                Ok(())
            }
            None => Err(Diag::error(Code::CfiFrame, dspan, "CFI directive outside .cfi_startproc/.cfi_endproc")),
        }
    }

    fn loc_directive(&mut self, c: &mut Cursor<'_, '_>, dspan: Span) -> Result<(), Diag> {
        let fileno = self.abs(c, "file number")?;
        if fileno < 0 || !self.lines.is_assigned(fileno as u64) {
            return Err(Diag::error(
                Code::UnknownFileNumber,
                dspan,
                format!("unassigned file number {fileno} in .loc"),
            ));
        }
        let line = self.abs(c, "line number")?;
        let mut col = 0;
        if matches!(c.peek_tok(), Some(Tok::Num { .. })) {
            col = self.abs(c, "column")?;
        }
        let mut loc = crate::asm::Loc {
            file: fileno as u64,
            line: line as u64,
            column: col as u64,
            is_stmt: self.lines.loc().is_stmt,
            ..Default::default()
        };
        while let Some(Tok::Ident(kw)) = c.peek_tok() {
            let ksp = c.span_here();
            c.bump();
            match kw {
                "basic_block" => loc.basic_block = true,
                "prologue_end" => loc.prologue_end = true,
                "epilogue_begin" => loc.epilogue_begin = true,
                "is_stmt" => {
                    let v = self.abs(c, "is_stmt")?;
                    if v != 0 && v != 1 {
                        return Err(Diag::error(Code::DirectiveOperand, ksp, "is_stmt value not 0 or 1"));
                    }
                    loc.is_stmt = v == 1;
                }
                "isa" => loc.isa = self.abs(c, "isa")? as u64,
                "discriminator" => loc.discriminator = self.abs(c, "discriminator")? as u64,
                _ => return Err(Diag::error(Code::UnknownOption, ksp, format!("unknown .loc option `{kw}`"))),
            }
        }
        if line < 0 || col < 0 {
            return Err(Diag::error(Code::DirectiveOperand, dspan, "line and column must not be negative"));
        }
        // A `.loc` still pending becomes a row at the current offset (llvm-mc).
        self.take_loc();
        self.lines.set_loc(loc);
        Ok(())
    }
}
