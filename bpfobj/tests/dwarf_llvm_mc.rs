//! Differential tests: `.debug_line`, `.debug_line_str`, `.debug_frame` and their
//! relocations from `bpfobj::dwarf` against `llvm-mc-19 -filetype=obj`.
//!
//! A small "directive model" below plays the assembler's part: it follows llvm-mc's
//! rules for `.file`/`.loc`/`.cfi_*` (documented on `bpfobj::dwarf::line::Sequence`)
//! over a restricted assembly syntax (every non-directive line is an 8-byte instruction,
//! 16 bytes when it ends in ` ll`). It is also a reference for the real assembler.
//!
//! * hand-written inputs are assembled for bpfel and bpfeb;
//! * a corpus of C programs is compiled by clang-19 (`-S -g`) and assembled by llvm-mc-19 at
//!   test time (`llvm_mc_corpus`); `BPFOBJ_DWARF_CORPUS=/dir` additionally checks every `X.s`
//!   with an `X.mc.o` (llvm-mc-19 output) in that directory.
//!
//! Without llvm-mc-19 (or clang-19, for the corpus) the tests print "skipped: ...", unless
//! `CI=true`, where that is a failure.

use bpfobj::dwarf::{
    build_debug_frame, build_line_table, CfiInsn, CfiOp, DwarfReloc, Fde, FileTable, FrameInput, LineTableInput, Loc,
    RelocTarget, Row, SectionRef, Sequence,
};
use object::{Object, ObjectSection, ObjectSymbol, RelocationFlags, RelocationTarget};
use std::path::{Path, PathBuf};
use std::process::Command;

// ---------------------------------------------------------------------------------------
// Directive model
// ---------------------------------------------------------------------------------------

struct Model {
    section_names: Vec<String>,
    sizes: Vec<u64>,
    cur: usize,
    files: FileTable,
    /// is_stmt of the last `.loc` (sticky).
    is_stmt: bool,
    pending: Option<Loc>,
    /// Sequences in order of first row.
    seqs: Vec<(usize, Vec<Row>)>,
    fdes: Vec<Fde>,
    open: Option<Fde>,
}

struct Built {
    sections: Vec<String>,
    line: Option<LineTableInput>,
    frame: FrameInput,
}

fn unquote(s: &str) -> (String, &str) {
    let (b, rest) = unquote_bytes(s);
    (String::from_utf8(b).expect("UTF-8 string"), rest)
}

fn unquote_bytes(s: &str) -> (Vec<u8>, &str) {
    let s = s.trim_start();
    assert!(s.starts_with('"'), "expected string: {s}");
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 1;
    while bytes[i] != b'"' {
        if bytes[i] == b'\\' {
            i += 1;
            match bytes[i] {
                b'n' => out.push(b'\n'),
                b't' => out.push(b'\t'),
                b'r' => out.push(b'\r'),
                b'0'..=b'7' => {
                    let mut v = 0u32;
                    let mut n = 0;
                    while n < 3 && i < bytes.len() && (b'0'..=b'7').contains(&bytes[i]) {
                        v = v * 8 + (bytes[i] - b'0') as u32;
                        i += 1;
                        n += 1;
                    }
                    out.push(v as u8);
                    continue;
                }
                c => out.push(c),
            }
            i += 1;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    (out, &s[i + 1..])
}

fn parse_int(s: &str) -> i64 {
    let s = s.trim();
    let (neg, s) = s.strip_prefix('-').map_or((false, s), |r| (true, r));
    let v = if let Some(h) = s.strip_prefix("0x") {
        i64::from_str_radix(h, 16).unwrap()
    } else {
        s.parse::<i64>().unwrap_or_else(|_| panic!("bad int {s}"))
    };
    if neg {
        -v
    } else {
        v
    }
}

fn strip_comment(line: &str) -> &str {
    let mut in_str = false;
    let mut esc = false;
    for (i, c) in line.char_indices() {
        match c {
            '\\' if in_str && !esc => {
                esc = true;
                continue;
            }
            '"' if !esc => in_str = !in_str,
            '#' if !in_str => return &line[..i],
            _ => {}
        }
        esc = false;
    }
    line
}

impl Model {
    fn new(comp_dir: &str) -> Self {
        Model {
            section_names: vec![".text".into()],
            sizes: vec![0],
            cur: 0,
            files: FileTable::new(comp_dir),
            is_stmt: true,
            pending: None,
            seqs: Vec::new(),
            fdes: Vec::new(),
            open: None,
        }
    }

    fn switch(&mut self, name: &str) {
        // A section switch drops a pending `.loc`.
        self.pending = None;
        self.cur = match self.section_names.iter().position(|n| n == name) {
            Some(i) => i,
            None => {
                self.section_names.push(name.to_owned());
                self.sizes.push(0);
                self.section_names.len() - 1
            }
        };
    }

    /// A pending `.loc` becomes a row at the current offset.
    fn flush_loc(&mut self) {
        let Some(l) = self.pending.take() else { return };
        let offset = self.sizes[self.cur];
        let row = Row { offset, loc: l };
        match self.seqs.iter_mut().find(|(s, _)| *s == self.cur) {
            Some((_, rows)) => rows.push(row),
            None => self.seqs.push((self.cur, vec![row])),
        }
    }

    fn emit(&mut self, size: u64) {
        self.flush_loc();
        self.sizes[self.cur] += size;
    }

    fn cfi(&mut self, op: CfiOp) {
        let offset = self.sizes[self.cur];
        self.open.as_mut().expect("cfi outside frame").instructions.push(CfiInsn { offset, op });
    }

    fn statement(&mut self, line: &str) {
        let line = strip_comment(line).trim();
        if line.is_empty() || line.ends_with(':') {
            return;
        }
        let (word, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let rest = rest.trim();
        let args: Vec<&str> = rest.split(',').map(str::trim).collect();
        let reg = |s: &str| parse_int(s) as u64;
        match word {
            ".text" | ".data" | ".bss" | ".rodata" => self.switch(word),
            ".section" => self.switch(args[0].trim_matches('"')),
            ".file" => self.file(rest),
            ".loc" => self.loc(rest),
            ".cfi_sections" => {}
            ".cfi_startproc" => {
                self.open = Some(Fde {
                    section: SectionRef(self.cur),
                    start: self.sizes[self.cur],
                    end: 0,
                    return_column: None,
                    instructions: vec![],
                })
            }
            ".cfi_endproc" => {
                let mut f = self.open.take().expect("endproc without startproc");
                f.end = self.sizes[f.section.0];
                self.fdes.push(f);
            }
            ".cfi_def_cfa" => self.cfi(CfiOp::DefCfa { reg: reg(args[0]), offset: parse_int(args[1]) }),
            ".cfi_def_cfa_offset" => self.cfi(CfiOp::DefCfaOffset(parse_int(args[0]))),
            ".cfi_adjust_cfa_offset" => self.cfi(CfiOp::AdjustCfaOffset(parse_int(args[0]))),
            ".cfi_def_cfa_register" => self.cfi(CfiOp::DefCfaRegister(reg(args[0]))),
            ".cfi_offset" => self.cfi(CfiOp::Offset { reg: reg(args[0]), offset: parse_int(args[1]) }),
            ".cfi_rel_offset" => self.cfi(CfiOp::RelOffset { reg: reg(args[0]), offset: parse_int(args[1]) }),
            ".cfi_restore" => self.cfi(CfiOp::Restore(reg(args[0]))),
            ".cfi_undefined" => self.cfi(CfiOp::Undefined(reg(args[0]))),
            ".cfi_same_value" => self.cfi(CfiOp::SameValue(reg(args[0]))),
            ".cfi_register" => self.cfi(CfiOp::Register(reg(args[0]), reg(args[1]))),
            ".cfi_remember_state" => self.cfi(CfiOp::RememberState),
            ".cfi_restore_state" => self.cfi(CfiOp::RestoreState),
            ".cfi_escape" => self.cfi(CfiOp::Escape(args.iter().map(|a| parse_int(a) as u8).collect())),
            ".cfi_return_column" => {
                self.open.as_mut().unwrap().return_column = Some(reg(args[0]));
            }
            ".byte" => self.emit(args.len() as u64),
            ".short" | ".2byte" => self.emit(2 * args.len() as u64),
            ".long" | ".4byte" => self.emit(4 * args.len() as u64),
            ".quad" | ".8byte" => self.emit(8 * args.len() as u64),
            ".asciz" | ".ascii" => {
                let mut r = rest;
                let mut n = 0;
                while !r.trim().is_empty() {
                    let (s, tail) = unquote_bytes(r);
                    n += s.len() as u64 + (word == ".asciz") as u64;
                    r = tail.trim_start().trim_start_matches(',');
                }
                self.emit(n)
            }
            // Byte-count fills and alignment don't consume a pending `.loc`.
            ".zero" | ".space" | ".skip" => self.sizes[self.cur] += parse_int(args[0]) as u64,
            ".fill" => {
                let size = args.get(1).map_or(1, |s| parse_int(s));
                self.emit(parse_int(args[0]) as u64 * size as u64)
            }
            ".p2align" => {
                let a = 1u64 << parse_int(args[0]);
                let s = self.sizes[self.cur];
                let pad = (a - s % a) % a;
                self.sizes[self.cur] += pad;
            }
            w if w.starts_with('.') => {} // .globl, .type, .size, .addrsig, ...
            _ => self.emit(if line.ends_with(" ll") { 16 } else { 8 }),
        }
    }

    fn file(&mut self, rest: &str) {
        if rest.starts_with('"') {
            return; // `.file "x.c"`: only an STT_FILE symbol
        }
        let (num, mut r) = rest.split_once(char::is_whitespace).unwrap();
        let num = parse_int(num) as u64;
        let (first, tail) = unquote(r);
        r = tail.trim_start();
        let (dir, name) = if r.starts_with('"') {
            let (second, tail) = unquote(r);
            r = tail.trim_start();
            (first, second)
        } else {
            (String::new(), first)
        };
        let mut md5 = None;
        let mut source = None;
        while !r.is_empty() {
            let (kw, tail) = r.split_once(char::is_whitespace).unwrap();
            let tail = tail.trim_start();
            match kw {
                "md5" => {
                    let (hex, tail2) = tail.split_once(char::is_whitespace).unwrap_or((tail, ""));
                    let hex = hex.trim_start_matches("0x");
                    let hex = format!("{hex:0>32}");
                    let mut m = [0u8; 16];
                    for (i, b) in m.iter_mut().enumerate() {
                        *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap();
                    }
                    md5 = Some(m);
                    r = tail2.trim_start();
                }
                "source" => {
                    let (s, tail2) = unquote(tail);
                    source = Some(s);
                    r = tail2.trim_start();
                }
                _ => panic!("unknown .file keyword {kw}"),
            }
        }
        if num == 0 {
            self.files.set_root_file(&dir, &name, md5, source);
        } else {
            self.files.add_file(num, &dir, &name, md5, source).unwrap();
        }
    }

    fn loc(&mut self, rest: &str) {
        // A new `.loc` first turns a pending one into a row.
        self.flush_loc();
        let toks: Vec<&str> = rest.split_whitespace().collect();
        let mut l = Loc {
            file: parse_int(toks[0]) as u64,
            line: parse_int(toks[1]) as u64,
            column: 0,
            is_stmt: self.is_stmt,
            basic_block: false,
            prologue_end: false,
            epilogue_begin: false,
            isa: 0,
            discriminator: 0,
        };
        let mut i = 2;
        if toks.get(2).is_some_and(|t| t.chars().all(|c| c.is_ascii_digit())) {
            l.column = parse_int(toks[2]) as u64;
            i = 3;
        }
        while i < toks.len() {
            match toks[i] {
                "basic_block" => l.basic_block = true,
                "prologue_end" => l.prologue_end = true,
                "epilogue_begin" => l.epilogue_begin = true,
                "is_stmt" => {
                    i += 1;
                    l.is_stmt = parse_int(toks[i]) != 0;
                }
                "isa" => {
                    i += 1;
                    l.isa = parse_int(toks[i]) as u64;
                }
                "discriminator" => {
                    i += 1;
                    l.discriminator = parse_int(toks[i]) as u64;
                }
                t => panic!("unknown .loc flag {t}"),
            }
            i += 1;
        }
        assert!(self.files.is_assigned(l.file), "unassigned file number in '.loc'");
        self.is_stmt = l.is_stmt;
        self.pending = Some(l);
    }

    /// `comp_dir`: llvm-mc's working directory (used when `.file 0` has no directory).
    fn run(text: &str, comp_dir: &str) -> Built {
        let mut m = Model::new(comp_dir);
        for line in text.lines() {
            m.statement(line);
        }
        let version = m.files.version();
        let sequences = m
            .seqs
            .iter()
            .map(|(s, rows)| Sequence { section: SectionRef(*s), rows: rows.clone(), end_offset: m.sizes[*s] })
            .collect();
        let line = if m.files.is_used() { Some(m.files.into_input(sequences).unwrap()) } else { None };
        Built { sections: m.section_names, line, frame: FrameInput { dwarf_version: version, fdes: m.fdes } }
    }
}

// ---------------------------------------------------------------------------------------
// Comparison against llvm-mc's object
// ---------------------------------------------------------------------------------------

/// (offset, r_type, target section name) of every relocation of `sec`.
fn relocs_of(file: &object::File, sec: &str) -> Vec<(u64, u32, String)> {
    let Some(s) = file.section_by_name(sec) else { return vec![] };
    let mut v: Vec<_> = s
        .relocations()
        .map(|(off, r)| {
            let RelocationFlags::Elf { r_type } = r.flags() else { panic!() };
            let RelocationTarget::Symbol(si) = r.target() else { panic!() };
            let sym = file.symbol_by_index(si).unwrap();
            let name = match sym.section_index() {
                Some(i) if sym.kind() == object::SymbolKind::Section => {
                    file.section_by_index(i).unwrap().name().unwrap().to_owned()
                }
                _ => format!("sym:{}", sym.name().unwrap()),
            };
            (off, r_type.0, name)
        })
        .collect();
    v.sort();
    v
}

fn ours(relocs: &[DwarfReloc], sections: &[String]) -> Vec<(u64, u32, String)> {
    let mut v: Vec<_> = relocs
        .iter()
        .map(|r| {
            let name = match r.target {
                RelocTarget::Section(s) => sections[s.0].clone(),
                RelocTarget::DebugLineStr => ".debug_line_str".into(),
                RelocTarget::DebugFrame => ".debug_frame".into(),
            };
            (r.offset, r.r_type(), name)
        })
        .collect();
    v.sort();
    v
}

fn section_bytes(file: &object::File, name: &str) -> Vec<u8> {
    file.section_by_name(name).map(|s| s.data().unwrap().to_vec()).unwrap_or_default()
}

fn hex(b: &[u8]) -> String {
    b.chunks(16)
        .map(|c| c.iter().map(|x| format!("{x:02x}")).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Compare our sections with those in the llvm-mc object; Err describes the first
/// difference.
fn compare(built: &Built, obj_bytes: &[u8], big_endian: bool) -> Result<(), String> {
    let file = object::File::parse(obj_bytes).map_err(|e| e.to_string())?;
    let (line, line_relocs, line_str) = match &built.line {
        Some(input) => {
            let out = build_line_table(input, big_endian).map_err(|e| e.to_string())?;
            (out.debug_line, out.relocs, out.line_str)
        }
        None => (vec![], vec![], vec![]),
    };
    let check = |what: &str, ours: &[u8], theirs: &[u8]| {
        if ours != theirs {
            Err(format!("{what} differs\nours:\n{}\nllvm-mc:\n{}", hex(ours), hex(theirs)))
        } else {
            Ok(())
        }
    };
    check(".debug_line", &line, &section_bytes(&file, ".debug_line"))?;
    check(".debug_line_str", &line_str, &section_bytes(&file, ".debug_line_str"))?;
    let ours_lr = ours(&line_relocs, &built.sections);
    let theirs_lr = relocs_of(&file, ".debug_line");
    if ours_lr != theirs_lr {
        return Err(format!(".debug_line relocs differ\nours {ours_lr:?}\nllvm-mc {theirs_lr:?}"));
    }
    let (frame, frame_relocs) = build_debug_frame(&built.frame, big_endian).map_err(|e| e.to_string())?;
    check(".debug_frame", &frame, &section_bytes(&file, ".debug_frame"))?;
    let ours_fr = ours(&frame_relocs, &built.sections);
    let theirs_fr = relocs_of(&file, ".debug_frame");
    if ours_fr != theirs_fr {
        return Err(format!(".debug_frame relocs differ\nours {ours_fr:?}\nllvm-mc {theirs_fr:?}"));
    }
    Ok(())
}

fn llvm_mc_available() -> bool {
    let ok = Command::new("llvm-mc-19").arg("--version").output().is_ok_and(|o| o.status.success());
    if !ok {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("llvm-mc-19 not installed (CI=true)");
        }
        println!("skipped: llvm-mc-19 not installed");
    }
    ok
}

fn tmpdir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("bpfobj-dwarf-{}-{tag}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn assemble(src: &str, triple: &str, dir: &Path, name: &str) -> Vec<u8> {
    let s = dir.join(format!("{name}.s"));
    let o = dir.join(format!("{name}.{triple}.o"));
    std::fs::write(&s, src).unwrap();
    let out = Command::new("llvm-mc-19")
        .args(["-triple", triple, "-filetype=obj", "-o"])
        .arg(&o)
        .arg(&s)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "llvm-mc-19 failed: {}", String::from_utf8_lossy(&out.stderr));
    std::fs::read(&o).unwrap()
}

fn diff_case(name: &str, src: &str) {
    if !llvm_mc_available() {
        return;
    }
    let dir = tmpdir(name);
    // llvm-mc runs in `dir`, its default compilation directory.
    let built = Model::run(src, dir.to_str().unwrap());
    for (triple, be) in [("bpfel", false), ("bpfeb", true)] {
        let obj = assemble(src, triple, &dir, name);
        if let Err(e) = compare(&built, &obj, be) {
            panic!("{name} ({triple}): {e}");
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

// ---------------------------------------------------------------------------------------
// Hand-written inputs (our own text)
// ---------------------------------------------------------------------------------------

/// Shaped like clang -g output: DWARF 5 with md5, two code sections, .debug_frame.
const CLANG_LIKE: &str = r#"
	.text
	.file	"demo.c"
	.file	0 "/src/demo" "demo.c" md5 0x0123456789abcdef0123456789abcdef
	.file	1 "/usr/include/linux" "types.h" md5 0xfedcba9876543210fedcba9876543210
	.section	prog_a,"ax",@progbits
	.globl	first
	.p2align	3
first:
	.cfi_sections .debug_frame
	.cfi_startproc
	.loc	0 4 0 prologue_end
	r1 = counter ll
	w2 = *(u32 *)(r1 + 0)
	.loc	0 5 9 is_stmt 0
	w2 += 1
	*(u32 *)(r1 + 0) = w2
	.loc	1 12 3 is_stmt 1
	w0 = 0
	exit
.Lend_first:
	.cfi_endproc
	.section	prog_b,"ax",@progbits
	.globl	second
	.p2align	3
second:
	.cfi_startproc
	.loc	0 9 0 prologue_end
	r0 = 1
	.loc	0 8 2
	if r1 == 0 goto +1
	.loc	0 40 2 is_stmt 0
	r0 = 2
	.loc	0 2 1 epilogue_begin
	exit
	.cfi_endproc
	.section	.bss,"aw",@nobits
counter:
	.long	0
	.section	.debug_line,"",@progbits
.Lline_table_start0:
"#;

/// Opcode corner cases: big address and line jumps, flags, isa, discriminator,
/// consecutive `.loc`s, sections re-entered, `.loc` dropped by a section switch,
/// CFI instructions of every kind we encode.
const CORNERS: &str = r#"
	.file	0 "/w" "corner.c"
	.file	1 "/w" "inc/one.h" source "int one;"
	.file	2 "two.h"
	.file	3 "/elsewhere/x" "three.h"
	.section	s1,"ax",@progbits
	.cfi_sections .debug_frame
	.cfi_startproc
	.loc	0 5 1 basic_block prologue_end epilogue_begin
	r0 = 0
	.cfi_def_cfa 10, 16
	.cfi_def_cfa_offset 32
	.cfi_adjust_cfa_offset 8
	.cfi_def_cfa_register 9
	.cfi_offset 6, -8
	.cfi_offset 7, 16
	.cfi_offset 70, 8
	.cfi_offset 70, -8
	.cfi_rel_offset 8, 4
	.loc	1 300 0 isa 2
	r1 = 2 ll
	.loc	1 300 0 discriminator 7
	.loc	2 297 4 discriminator 200
	r0 = 1
	.loc	0 3 1
	.section	s2,"ax",@progbits
	r0 = 5
	.section	s1,"ax",@progbits
	.fill 70, 8, 0
	.cfi_restore 6
	.cfi_restore 70
	.cfi_undefined 1
	.cfi_same_value 2
	.cfi_register 3, 4
	.loc	3 1 1
	r0 = 3
	.fill 17, 8, 0
	.loc	3 1 1
	r0 = 3
	.fill 300, 8, 0
	.cfi_remember_state
	.cfi_restore_state
	.cfi_escape 0x2e, 0x10
	.loc	3 2 1
	r0 = 3
	.fill 9000, 8, 0
	.cfi_def_cfa_offset 0
	exit
	.cfi_endproc
	.section	s3,"ax",@progbits
	.cfi_startproc
	.loc	2 9 9
	r0 = 0
	.loc	2 1000 9
	.fill 17, 8, 0
	.cfi_endproc
	.section	s2,"ax",@progbits
	.loc	1 7 7
	r0 = 3
	.loc	1 1 7
	.fill 41, 8, 0
	r0 = 3
	.loc	1 20 1
	r0 = 4
	.fill 2000, 8, 0
	.section	s4,"ax",@progbits
	r0 = 0
	.loc	2 2 0
	.p2align 4
	r0 = 0
	.loc	2 3 0
	.zero 8
	.loc	2 4 0
	.long 7
	.loc	2 5 0
	.byte 1
	.loc	2 6 0
	.ascii "abcdefg"
	.loc	2 7 0
	.space 16
	.loc	2 8 0
	.fill 2, 4, 0
	.quad 0
"#;

/// DWARF 4: no `.file 0`; names with directories split by the table.
const V4: &str = r#"
	.file	1 "/w" "main.c"
	.file	2 "lib/util.h"
	.file	3 "/w" "lib/other.h"
	.section	xdp,"ax",@progbits
	.cfi_sections .debug_frame
	.cfi_startproc
	.loc	1 10 2 prologue_end
	r0 = 0
	.loc	2 3 4
	r0 = 1
	.loc	3 1 0 discriminator 3
	exit
	.cfi_endproc
"#;

#[test]
fn llvm_mc_clang_like() {
    diff_case("clang_like", CLANG_LIKE);
}

#[test]
fn llvm_mc_corners() {
    diff_case("corners", CORNERS);
}

#[test]
fn llvm_mc_v4() {
    diff_case("v4", V4);
}

#[test]
fn llvm_mc_header_only() {
    diff_case("header_only", "\t.file 0 \"/d\" \"x.c\" md5 0x11111111111111111111111111111111\n");
}

/// C programs compiled with `clang-19 -S -g --target=bpf` at test time (and assembled by
/// llvm-mc-19) for `llvm_mc_corpus`: several functions and sections, inlining from a header
/// (a second file in the line table), loops, switches, globals, different optimisation levels.
const CORPUS_HEADER: &str = "\
static inline __attribute__((always_inline)) int clamp(int v, int lo, int hi)
{
\tif (v < lo)
\t\treturn lo;
\treturn v > hi ? hi : v;
}
";

const CORPUS_C: &[(&str, &str)] = &[
    (
        "sections",
        "#include \"common.h\"
__attribute__((section(\"xdp\"))) int prog(void *ctx)
{
\tint x = (int)(long)ctx;
\treturn clamp(x, 1, 3);
}
__attribute__((section(\"tc\"))) int other(void *ctx)
{
\treturn clamp((int)(long)ctx * 7, -4, 9) + 1;
}
",
    ),
    (
        "loops",
        "#include \"common.h\"
int table[16];
__attribute__((noinline)) static int sum(int n)
{
\tint s = 0;
#pragma clang loop unroll(disable)
\tfor (int i = 0; i < n && i < 16; i++)
\t\ts += clamp(table[i], 0, 100);
\treturn s;
}
__attribute__((section(\"socket\"))) int prog(void *ctx)
{
\treturn sum((int)(long)ctx) + sum(3);
}
",
    ),
    (
        "switch",
        "long g;
__attribute__((section(\"kprobe/x\"))) int prog(unsigned long *ctx)
{
\tswitch (ctx[0] & 7) {
\tcase 0: g += 1; break;
\tcase 1: g ^= ctx[1]; break;
\tcase 2: g = g * 3 + 1; break;
\tcase 5: return 7;
\tdefault: g = 0;
\t}
\treturn g > 100 ? 1 : 0;
}
",
    ),
    (
        "globals",
        "struct point { int x, y; char tag[6]; };
struct point pts[4] = { { 1, 2, \"a\" }, { 3, 4, \"bb\" } };
static volatile unsigned long long counter;
const char msg[] = \"hello\";
__attribute__((section(\"tp/a/b\"))) int prog(void *ctx)
{
\tcounter += msg[(long)ctx & 3];
\tfor (int i = 0; i < 4; i++)
\t\tcounter += pts[i].x * pts[i].y;
\treturn 0;
}
__attribute__((section(\"tp/c/d\"))) int prog2(void *ctx)
{
\treturn counter == 0x1234567890ULL;
}
",
    ),
    (
        "calls",
        "#include \"common.h\"
__attribute__((noinline)) int f1(int a) { return a * 2 + 1; }
__attribute__((noinline)) int f2(int a, int b) { return f1(a) - f1(b); }
__attribute__((noinline)) static long f3(long a, long b, long c)
{
\tif (a > b)
\t\treturn f2(a, c);
\treturn clamp(b, 0, c) + f2(c, b);
}
__attribute__((section(\"xdp\"))) int prog(void *ctx)
{
\tlong v = (long)ctx;
\treturn f3(v, v >> 3, 17);
}
",
    ),
];

/// Build the corpus: `X.s` from clang-19 and `X.mc.o` from llvm-mc-19, in a fresh directory.
/// `None` (after printing `skipped: ...`) only when a tool is absent and `CI` is not `true`.
fn build_corpus() -> Option<PathBuf> {
    if !llvm_mc_available() {
        return None;
    }
    if !Command::new("clang-19").arg("--version").output().is_ok_and(|o| o.status.success()) {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("clang-19 not installed (CI=true)");
        }
        println!("skipped: clang-19 not installed");
        return None;
    }
    let dir = tmpdir("corpus");
    std::fs::write(dir.join("common.h"), CORPUS_HEADER).unwrap();
    for (name, src) in CORPUS_C {
        let c = format!("{name}.c");
        std::fs::write(dir.join(&c), src).unwrap();
        for (opt, dwarf) in [("-O2", "-gdwarf-5"), ("-O1", "-gdwarf-5"), ("-O0", "-gdwarf-5"), ("-O2", "-gdwarf-4")] {
            let stem = format!("{name}{opt}{dwarf}");
            let s = format!("{stem}.s");
            let out = Command::new("clang-19")
                .args(["--target=bpf", "-S", "-g", dwarf, opt, "-o", &s, &c])
                .current_dir(&dir)
                .output()
                .unwrap();
            assert!(out.status.success(), "clang-19 {c} {opt}: {}", String::from_utf8_lossy(&out.stderr));
            let out = Command::new("llvm-mc-19")
                .args(["-triple", "bpfel", "-filetype=obj", "-o", &format!("{stem}.mc.o"), &s])
                .current_dir(&dir)
                .output()
                .unwrap();
            assert!(out.status.success(), "llvm-mc-19 {s}: {}", String::from_utf8_lossy(&out.stderr));
        }
    }
    Some(dir)
}

/// Every `X.s` with an `X.mc.o` (clang -S -g output assembled by llvm-mc-19) in a corpus built
/// at test time from `CORPUS_C`, and in `$BPFOBJ_DWARF_CORPUS` as well when that is set (for
/// example the kernel selftests corpus). Nothing from a corpus is stored in the repository.
#[test]
fn llvm_mc_corpus() {
    let Some(built_dir) = build_corpus() else { return };
    let mut dirs = vec![built_dir.clone()];
    if let Ok(extra) = std::env::var("BPFOBJ_DWARF_CORPUS") {
        dirs.push(PathBuf::from(extra));
    }
    let mut checked = 0;
    let mut failures = Vec::new();
    for dir in &dirs {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "s"))
            .collect();
        paths.sort();
        for s in paths {
            let o = s.with_extension("mc.o");
            let Ok(obj) = std::fs::read(&o) else { continue };
            let text = std::fs::read_to_string(&s).unwrap();
            let built = Model::run(&text, &dir.to_string_lossy());
            checked += 1;
            if let Err(e) = compare(&built, &obj, false) {
                if failures.is_empty() {
                    println!("first failure, {}:\n{e}", s.display());
                }
                let first: String = e.lines().take(3).collect::<Vec<_>>().join(" | ");
                failures.push(format!("{}: {first}", s.display()));
            }
        }
    }
    println!("corpus: {checked} checked, {} failed", failures.len());
    let _ = std::fs::remove_dir_all(&built_dir);
    assert!(checked >= CORPUS_C.len() * 4, "only {checked} corpus files checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---------------------------------------------------------------------------------------
// gimli decode of our own output
// ---------------------------------------------------------------------------------------

#[test]
fn gimli_decodes_line_table() {
    let built = Model::run(CLANG_LIKE, "/");
    let input = built.line.as_ref().unwrap();
    for be in [false, true] {
        let out = build_line_table(input, be).unwrap();
        let endian = if be { gimli::RunTimeEndian::Big } else { gimli::RunTimeEndian::Little };
        let debug_line = gimli::DebugLine::new(&out.debug_line, endian);
        let program = debug_line.program(gimli::DebugLineOffset(0), 8, None, None).expect("header parses");
        let header = program.header().clone();
        assert_eq!(header.version(), 5);
        assert_eq!(header.minimum_instruction_length(), 8);
        assert_eq!(header.file_names().len(), 2);
        assert!(header.file_has_md5());
        let line_str = gimli::DebugLineStr::new(&out.line_str, endian);
        let name = |v: gimli::AttributeValue<_>| match v {
            gimli::AttributeValue::DebugLineStrRef(o) => line_str.get_str(o).unwrap().to_string_lossy().into_owned(),
            _ => panic!(),
        };
        assert_eq!(name(header.include_directories()[0]), "/src/demo");
        assert_eq!(name(header.include_directories()[1]), "/usr/include/linux");
        assert_eq!(name(header.file_names()[1].path_name()), "types.h");
        assert_eq!(header.file_names()[1].directory_index(), 1);

        // Rows: (section-relative address, file, line, column, is_stmt, end_sequence).
        let mut rows = program.rows();
        let mut got = Vec::new();
        while let Some((_, row)) = rows.next_row().unwrap() {
            let col = match row.column() {
                gimli::ColumnType::LeftEdge => 0,
                gimli::ColumnType::Column(c) => c.get(),
            };
            got.push((
                row.address(),
                row.file_index(),
                row.line().map_or(0, |l| l.get()),
                col,
                row.is_stmt(),
                row.end_sequence(),
            ));
        }
        let mut want = Vec::new();
        for seq in &input.sequences {
            for r in &seq.rows {
                want.push((r.offset, r.loc.file, r.loc.line, r.loc.column, r.loc.is_stmt, false));
            }
            let last = seq.rows.last().unwrap();
            want.push((seq.end_offset, last.loc.file, last.loc.line, last.loc.column, last.loc.is_stmt, true));
        }
        assert_eq!(got, want);
    }
}

#[test]
fn gimli_decodes_debug_frame() {
    use gimli::UnwindSection;
    let built = Model::run(CORNERS, "/");
    for be in [false, true] {
        let (bytes, relocs) = build_debug_frame(&built.frame, be).unwrap();
        assert_eq!(relocs.len(), 2 * built.frame.fdes.len());
        let endian = if be { gimli::RunTimeEndian::Big } else { gimli::RunTimeEndian::Little };
        let mut frame = gimli::DebugFrame::new(&bytes, endian);
        frame.set_address_size(8);
        let bases = gimli::BaseAddresses::default();
        let mut entries = frame.entries(&bases);
        let mut fdes = 0;
        while let Some(entry) = entries.next().unwrap() {
            match entry {
                gimli::CieOrFde::Cie(cie) => {
                    assert_eq!(cie.version(), 4);
                    assert_eq!(cie.code_alignment_factor(), 8);
                    assert_eq!(cie.data_alignment_factor(), -4);
                    assert_eq!(cie.return_address_register(), gimli::Register(11));
                }
                gimli::CieOrFde::Fde(partial) => {
                    let fde = partial.parse(|f, b, o| f.cie_from_offset(b, o)).unwrap();
                    let want = &built.frame.fdes[fdes];
                    assert_eq!(fde.initial_address(), want.start);
                    assert_eq!(fde.len(), want.end - want.start);
                    // Every instruction decodes.
                    let mut insns = fde.instructions(&frame, &bases);
                    let mut n = 0;
                    while insns.next().unwrap().is_some() {
                        n += 1;
                    }
                    assert!(n >= want.instructions.len());
                    fdes += 1;
                }
            }
        }
        assert_eq!(fdes, built.frame.fdes.len());
    }
}

/// The comparison itself must notice a one-row difference.
#[test]
fn compare_detects_differences() {
    if !llvm_mc_available() {
        return;
    }
    let dir = tmpdir("negative");
    let obj = assemble(CLANG_LIKE, "bpfel", &dir, "negative");
    let mut built = Model::run(CLANG_LIKE, dir.to_str().unwrap());
    compare(&built, &obj, false).unwrap();
    built.line.as_mut().unwrap().sequences[1].rows[2].loc.line += 1;
    assert!(compare(&built, &obj, false).unwrap_err().contains(".debug_line differs"));
    built.line.as_mut().unwrap().sequences[1].rows[2].loc.line -= 1;
    built.frame.fdes[0].end += 8;
    assert!(compare(&built, &obj, false).unwrap_err().contains(".debug_frame differs"));
    std::fs::remove_dir_all(&dir).ok();
}
