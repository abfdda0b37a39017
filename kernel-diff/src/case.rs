//! Regression case files: a program as readable assembly (bpfasm's syntax, one instruction a
//! line, prefixed with its index) plus header lines with the program type, the maps, the
//! kernel's verdict and message:
//!
//! ```text
//! # PROG-TYPE: xdp
//! # FUNC-INFO: yes            (optional: loaded with BTF func_info for every function)
//! # MAP: 0 type=2 key=4 value=16 entries=4 flags=0
//! # KERNEL: reject
//! # MESSAGE: invalid access to map value, value_size=16 off=16 size=1
//! # BPFLINT: reject            (only for a false reject left open: bpflint's current verdict)
//! 0: r6 = r1
//! 1: r1 = map[0] ll
//! ```
//!
//! Instructions outside bpfasm's syntax: `rN = map[M] ll` (`BPF_PSEUDO_MAP_FD`),
//! `rN = map_value[M] + OFF ll` (`BPF_PSEUDO_MAP_VALUE`), `rN = func[REL] ll`
//! (`BPF_PSEUDO_FUNC`, REL relative to the next slot) and `.raw CODE DST SRC OFF IMM` for any
//! slot that does not decode (one line per 8-byte slot).

use std::fmt::Write;

use crate::prog::{prog_type_by_name, Map, Prog};
use bpf_isa::{Insn, Op, RawInsn};
use bpfasm::expr::{Span, SymId, SymbolResolver};
use bpfasm::insn::match_insn;
use bpfasm::lexer::Lexer;

/// A parsed case.
#[derive(Clone, Debug)]
pub struct Case {
    pub prog: Prog,
    pub kernel_accept: bool,
    pub message: String,
    /// bpflint's recorded verdict for a false reject left open (`None`: must equal the kernel).
    pub bpflint_accept: Option<bool>,
    /// Free-form provenance lines (`# FOUND: ...`, `# NOTE: ...`).
    pub notes: Vec<String>,
}

fn verdict(a: bool) -> &'static str {
    if a {
        "accept"
    } else {
        "reject"
    }
}

/// Print one instruction (or `ld_imm64` pair) starting at slot `i`; returns the text and the
/// number of slots used.
fn print_insn(p: &Prog, i: usize) -> (String, usize) {
    let r = p.insns[i];
    let raw = |r: &RawInsn| format!(".raw {:#04x} {} {} {} {}", r.code, r.dst, r.src, r.off, r.imm);
    if r.code == 0x18 {
        let Some(hi) = p.insns.get(i + 1) else { return (raw(&r), 1) };
        let pair_raw = || format!("{}\n{}: {}", raw(&r), i + 1, raw(hi));
        let clean_hi = hi.code == 0 && hi.dst == 0 && hi.src == 0 && hi.off == 0;
        let map = p.map_refs.iter().find(|(at, _)| *at == i).map(|(_, m)| *m);
        if clean_hi && r.off == 0 && r.dst <= 10 {
            match (r.src, map) {
                (1, Some(m)) if hi.imm == 0 => return (format!("r{} = map[{m}] ll", r.dst), 2),
                (2, Some(m)) => return (format!("r{} = map_value[{m}] + {} ll", r.dst, hi.imm), 2),
                (4, None) if hi.imm == 0 => return (format!("r{} = func[{}] ll", r.dst, r.imm), 2),
                (0, None) => {
                    let v = (r.imm as u32 as u64) | ((hi.imm as u32 as u64) << 32);
                    return (format!("r{} = {} ll", r.dst, v as i64), 2);
                }
                _ => {}
            }
        }
        return (pair_raw(), 2);
    }
    if let Some(op) = bpf_isa::lookup(r) {
        let insn = Insn { op, dst: r.dst, src: r.src, off: r.off, imm: r.imm as i64 };
        if insn.raw().0 == r && !matches!(op, Op::AddrSpaceCast) {
            let text = bpf_isa::print(&insn);
            if parse_line(&text).ok().as_deref() == Some(&[r][..]) {
                return (text, 1);
            }
        }
    }
    (raw(&r), 1)
}

/// Write a case file's text.
pub fn write(c: &Case) -> String {
    let p = &c.prog;
    let mut s = String::new();
    let _ = writeln!(s, "# kernel-diff regression case (replayed by `cargo test -p kernel-diff`)");
    for n in &c.notes {
        let _ = writeln!(s, "# {n}");
    }
    let _ = writeln!(s, "# PROG-TYPE: {}", p.type_name());
    if p.attach_type != 0 {
        let _ = writeln!(s, "# ATTACH-TYPE: {}", p.attach_type);
    }
    if p.func_info {
        let _ = writeln!(s, "# FUNC-INFO: yes (BTF with one static `int f(void)` per function)");
    }
    for (i, m) in p.maps.iter().enumerate() {
        let _ = writeln!(
            s,
            "# MAP: {i} type={} key={} value={} entries={} flags={}",
            m.map_type, m.key_size, m.value_size, m.max_entries, m.flags
        );
    }
    let _ = writeln!(s, "# KERNEL: {}", verdict(c.kernel_accept));
    if !c.message.is_empty() {
        let _ = writeln!(s, "# MESSAGE: {}", c.message.replace('\n', " "));
    }
    if let Some(b) = c.bpflint_accept {
        let _ = writeln!(s, "# BPFLINT: {} (a false {} left open)", verdict(b), verdict(b));
    }
    let mut i = 0;
    while i < p.insns.len() {
        let (text, n) = print_insn(p, i);
        let _ = writeln!(s, "{i}: {text}");
        i += n;
    }
    s
}

struct NoSymbols;

impl SymbolResolver for NoSymbols {
    fn symbol(&mut self, _name: &str, _span: Span) -> SymId {
        0
    }
    fn dot(&mut self, _span: Span) -> SymId {
        0
    }
    fn local_ref(&mut self, _n: u32, _backward: bool, _span: Span) -> Result<SymId, String> {
        Err("no labels in case files".into())
    }
}

fn num(s: &str) -> Result<i64, String> {
    let s = s.trim();
    let (neg, t) = match s.strip_prefix('-') {
        Some(t) => (true, t),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let v = match t.strip_prefix("0x") {
        Some(h) => i64::from_str_radix(h, 16),
        None => t.parse::<i64>(),
    }
    .map_err(|e| format!("bad number `{s}`: {e}"))?;
    Ok(if neg { -v } else { v })
}

fn reg(s: &str) -> Result<u8, String> {
    s.trim()
        .strip_prefix('r')
        .and_then(|n| n.parse().ok())
        .filter(|&n: &u8| n <= 10)
        .ok_or(format!("bad register `{s}`"))
}

/// Parse one instruction line (without its index) into its raw slots. Map and callback
/// references are returned as slots with `src` set; the caller records the map index.
fn parse_line(text: &str) -> Result<Vec<RawInsn>, String> {
    let t = text.trim();
    if let Some(rest) = t.strip_prefix(".raw") {
        let f: Vec<&str> = rest.split_whitespace().collect();
        if f.len() != 5 {
            return Err(format!("`.raw` needs 5 fields: `{t}`"));
        }
        return Ok(vec![RawInsn {
            code: num(f[0])? as u8,
            dst: num(f[1])? as u8,
            src: num(f[2])? as u8,
            off: num(f[3])? as i16,
            imm: num(f[4])? as i32,
        }]);
    }
    if let Some((lhs, rhs)) = t.split_once(" = ") {
        let rhs = rhs.trim();
        let ld = |dst: &str, src: u8, imm: i32, hi: i32| -> Result<Vec<RawInsn>, String> {
            Ok(vec![
                RawInsn { code: 0x18, dst: reg(dst)?, src, off: 0, imm },
                RawInsn { imm: hi, ..Default::default() },
            ])
        };
        if let Some(body) = rhs.strip_prefix("map[").and_then(|r| r.strip_suffix("] ll")) {
            num(body)?;
            return ld(lhs, 1, 0, 0);
        }
        if let Some(body) = rhs.strip_prefix("map_value[").and_then(|r| r.strip_suffix(" ll")) {
            let (m, off) = body.split_once("] +").ok_or(format!("bad map_value: `{t}`"))?;
            num(m)?;
            return ld(lhs, 2, 0, num(off)? as i32);
        }
        if let Some(body) = rhs.strip_prefix("func[").and_then(|r| r.strip_suffix("] ll")) {
            return ld(lhs, 4, num(body)? as i32, 0);
        }
    }
    let mut lx = Lexer::new(t);
    let mut toks = Vec::new();
    lx.next_statement(&mut toks);
    if !lx.errors.is_empty() || toks.is_empty() {
        return Err(format!("cannot read `{t}`"));
    }
    let m = match_insn(&toks, 0, t.len() as u32, &mut NoSymbols).map_err(|e| format!("`{t}`: {e:?}"))?;
    let mut insn = Insn::new(m.op);
    if let Some((d, _)) = m.ops.dst {
        insn.dst = d;
    }
    if let Some((s, _)) = m.ops.src {
        insn.src = s;
    }
    let val = |e: &bpfasm::expr::Expr| e.as_num().ok_or(format!("`{t}`: a number is needed"));
    if let Some(e) = &m.ops.off {
        insn.off = val(e)? as i16;
    }
    if let Some(e) = &m.ops.imm {
        insn.imm = val(e)?;
    }
    if let Some(e) = &m.ops.target {
        let v = val(e)?;
        if matches!(m.op, Op::Gotol | Op::CallLocal) {
            insn.imm = v;
        } else {
            insn.off = v as i16;
        }
    }
    if m.ops.asd.is_some() || m.ops.ass.is_some() {
        return Err(format!("`{t}`: use .raw"));
    }
    let (a, b) = insn.raw();
    Ok(std::iter::once(a).chain(b).collect())
}

fn header<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    line.strip_prefix("# ")?.strip_prefix(key)?.strip_prefix(':').map(str::trim)
}

/// Parse a case file; errors name the line.
pub fn parse(text: &str) -> Result<Case, String> {
    let mut prog = Prog {
        prog_type: 0,
        attach_type: 0,
        insns: Vec::new(),
        maps: Vec::new(),
        map_refs: Vec::new(),
        func_info: false,
    };
    let mut kernel = None;
    let mut message = String::new();
    let mut bpflint_accept = None;
    let mut notes = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let err = |e: String| format!("line {}: {e}", n + 1);
        let line = line.trim_end();
        if line.is_empty() {
            continue;
        }
        if let Some(v) = header(line, "PROG-TYPE") {
            prog.prog_type = prog_type_by_name(v).ok_or_else(|| err(format!("unknown program type `{v}`")))?;
        } else if let Some(v) = header(line, "FUNC-INFO") {
            prog.func_info = v.starts_with("yes");
        } else if let Some(v) = header(line, "ATTACH-TYPE") {
            prog.attach_type = num(v).map_err(err)? as u32;
        } else if let Some(v) = header(line, "MAP") {
            let mut f = v.split_whitespace();
            let idx = num(f.next().unwrap_or("")).map_err(err)?;
            if idx as usize != prog.maps.len() {
                return Err(err(format!("map {idx} out of order")));
            }
            let mut m = Map::array(0, 0);
            for kv in f {
                let (k, v) = kv.split_once('=').ok_or_else(|| err(format!("bad map field `{kv}`")))?;
                let v = num(v).map_err(err)? as u32;
                match k {
                    "type" => m.map_type = v,
                    "key" => m.key_size = v,
                    "value" => m.value_size = v,
                    "entries" => m.max_entries = v,
                    "flags" => m.flags = v,
                    _ => return Err(err(format!("unknown map field `{k}`"))),
                }
            }
            prog.maps.push(m);
        } else if let Some(v) = header(line, "KERNEL") {
            kernel = Some(match v {
                "accept" => true,
                "reject" => false,
                _ => return Err(err(format!("KERNEL must be accept or reject, not `{v}`"))),
            });
        } else if let Some(v) = header(line, "MESSAGE") {
            message = v.to_string();
        } else if let Some(v) = header(line, "BPFLINT") {
            bpflint_accept = Some(v.starts_with("accept"));
        } else if line.starts_with('#') {
            if let Some(rest) = line.strip_prefix("# ") {
                if !rest.starts_with("kernel-diff regression case") {
                    notes.push(rest.to_string());
                }
            }
        } else {
            let (idx, body) = line.split_once(':').ok_or_else(|| err("expected `INDEX: instruction`".into()))?;
            let idx = num(idx).map_err(err)? as usize;
            if idx != prog.insns.len() {
                return Err(err(format!("instruction index {idx}, expected {}", prog.insns.len())));
            }
            let slots = parse_line(body).map_err(err)?;
            if slots[0].code == 0x18 && matches!(slots[0].src, 1 | 2) && slots.len() == 2 {
                let m = body.split('[').nth(1).and_then(|r| r.split(']').next()).unwrap_or("0");
                prog.map_refs.push((idx, num(m).map_err(err)? as u32));
            }
            prog.insns.extend(slots);
        }
    }
    if prog.prog_type == 0 {
        return Err("no `# PROG-TYPE:` line".into());
    }
    let kernel_accept = kernel.ok_or("no `# KERNEL:` line")?;
    Ok(Case { prog, kernel_accept, message, bpflint_accept, notes })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    #[test]
    fn generated_programs_round_trip() {
        let mut r = Rng::new(11);
        for _ in 0..300 {
            let prog = crate::gen::generate(&mut r);
            let c = Case { prog, kernel_accept: false, message: "m".into(), bpflint_accept: None, notes: vec![] };
            let text = write(&c);
            let back = parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
            assert_eq!(back.prog, c.prog, "{text}");
        }
    }

    #[test]
    fn raw_slots_and_errors() {
        let text = "# PROG-TYPE: xdp\n# KERNEL: reject\n0: .raw 0xff 1 2 3 4\n1: r0 = 0\n2: exit\n";
        let c = parse(text).unwrap();
        assert_eq!(c.prog.insns[0], RawInsn { code: 0xff, dst: 1, src: 2, off: 3, imm: 4 });
        assert_eq!(
            write(&c).lines().filter(|l| !l.starts_with('#')).collect::<Vec<_>>(),
            vec!["0: .raw 0xff 1 2 3 4", "1: r0 = 0", "2: exit"]
        );
        assert!(parse("# KERNEL: reject\n0: exit\n").unwrap_err().contains("PROG-TYPE"));
        assert!(parse("# PROG-TYPE: xdp\n# KERNEL: reject\n0: r0 = frob\n").unwrap_err().starts_with("line 3"));
    }
}
