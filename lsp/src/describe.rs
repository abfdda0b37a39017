//! Hover text for instructions, from the instruction table.

use bpf_isa::{print, Endian, Field, Insn, Op};

/// What an instruction does, in a few words, derived from its table row.
pub fn summary(op: Op) -> String {
    let f = op.form();
    let name = f.name;
    let (width, rest) = if let Some(r) = name.strip_suffix("64") {
        ("64-bit ", r)
    } else if let Some(r) = name.strip_suffix("32") {
        ("32-bit ", r)
    } else {
        ("", name)
    };
    let (operand, base) = if let Some(b) = rest.strip_suffix('K') {
        (" with an immediate", b)
    } else if let Some(b) = rest.strip_suffix('X') {
        (" with a register", b)
    } else {
        ("", rest)
    };
    let what = match base {
        "Add" => "add",
        "Sub" => "subtract",
        "Mul" => "multiply",
        "Div" => "unsigned divide (x / 0 = 0)",
        "Sdiv" => "signed divide (x / 0 = 0)",
        "Mod" => "unsigned modulo (x % 0 = x)",
        "Smod" => "signed modulo (x % 0 = x)",
        "Or" => "bitwise or",
        "And" => "bitwise and",
        "Xor" => "bitwise xor",
        "Lsh" => "shift left",
        "Rsh" => "logical shift right",
        "Arsh" => "arithmetic shift right",
        "Neg" => "negate",
        "Mov" => "move",
        "MovsxB" => "move, sign-extending the low 8 bits",
        "MovsxH" => "move, sign-extending the low 16 bits",
        "MovsxW" => "move, sign-extending the low 32 bits",
        "AddrSpaceCast" => "cast a pointer between address spaces (arena)",
        "Bswap16" | "Bswap32" | "Bswap64" => "byte swap unconditionally",
        "Le16" | "Le32" | "Le64" => "convert from host to little endian (truncating to the width)",
        "Be16" | "Be32" | "Be64" => "convert from host to big endian (truncating to the width)",
        "LdImm64" => "load a 64-bit immediate (two instruction slots; maps and globals via relocations)",
        "LdAbsW" | "LdAbsH" | "LdAbsB" => "legacy packet load at a constant offset into r0 (network byte order)",
        "LdIndW" | "LdIndH" | "LdIndB" => "legacy packet load at a register offset into r0 (network byte order)",
        "LdxW" | "LdxH" | "LdxB" | "LdxDW" => "load from memory, zero-extending",
        "LdxsxW" | "LdxsxH" | "LdxsxB" => "load from memory, sign-extending",
        "StW" | "StH" | "StB" | "StDW" => "store an immediate to memory",
        "StxW" | "StxH" | "StxB" | "StxDW" => "store a register to memory",
        "Ja" => "jump",
        "Gotol" => "jump with a 32-bit offset",
        "Call" => "call a helper function by id",
        "CallLocal" => "call a BPF subprogram (pc-relative)",
        "CallKfunc" => "call a kernel function by BTF id",
        "Callx" => "call through a register",
        "Exit" => "return r0 to the caller",
        "MayGoto" => "jump if the loop budget is exhausted (kernel may_goto)",
        b if b.starts_with("Atomic") => "atomic read-modify-write",
        b if b.starts_with('J') => "conditional jump",
        _ => "instruction",
    };
    format!("{width}{what}{operand}")
}

/// Markdown hover for an instruction.
pub fn hover(insn: &Insn, section: &str, offset: u64, endian: Endian) -> String {
    let f = insn.op.form();
    let bytes = insn.encode(endian);
    let hex: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let mut fields = Vec::new();
    for (label, field, value) in [
        ("dst", f.dst, insn.dst as i64),
        ("src", f.src, insn.src as i64),
        ("off", f.off, insn.off as i64),
        ("imm", f.imm, insn.imm),
    ] {
        match field {
            Field::Operand => fields.push(format!("{label}={value}")),
            Field::Fixed(v) => fields.push(format!("{label}={v} (fixed)")),
            Field::Zero => {}
        }
    }
    let helper = match insn.op {
        Op::Call => bpfobj::uapi::helper_name(insn.imm as u32)
            .map(|n| format!("\n\nhelper `bpf_{n}` (`BPF_FUNC_{n}`, id {})", insn.imm))
            .unwrap_or_else(|| format!("\n\nhelper id {} is not a known helper", insn.imm)),
        _ => String::new(),
    };
    format!(
        "```bpf\n{}\n```\n**{}** — {}{helper}\n\nopcode `{:#04x}` (class {}), {}\n\nencoding `{}`\n\nISA {} · group {:?} · `{section}` + {offset:#x} (insn {})",
        print(insn),
        f.name,
        summary(insn.op),
        f.code,
        f.code & 7,
        fields.join(", "),
        hex.join(" "),
        f.isa.name(),
        f.group,
        offset / 8,
    )
}
