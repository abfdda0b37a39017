#!/usr/bin/env python3
"""Deep-nesting seeds for every fuzz target, into fuzz/corpus/<target>/deep_*.

Recursion on user-controlled depth is a class of crash (stack overflow, exit 134) that random
mutation rarely reaches from shallow seeds, so each target starts from structured deep inputs:
  bpfld_archive: 4096 members behind a 4096-entry symbol index;
  text targets (asm_text, disasm, bpfld_link, bpflint_object): parenthesised, unary and
  binary-chain expressions, `.cdecl` declarators, pointer chains, nested structs, braced
  initialisers, typedef chains, a byte-order mark, CRLF line endings;
  btf: PTR/TYPEDEF/CONST/ARRAY/STRUCT/FUNC_PROTO chains, each referring up and down the ids;
  bpflint_raw, insn_decode, asm_roundtrip: chains of bpf-to-bpf calls and of jumps.
Depths are a few times the tools' limits (256 for expressions, the cdecl nesting limit, 32 for
BTF resolution, 8 call frames) but small enough for fast executions.
"""
import os
import struct
import sys

root = os.path.dirname(os.path.abspath(__file__))
corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "corpus")


def put(target, name, data):
    d = os.path.join(corpus, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, "deep_" + name), "wb") as f:
        f.write(data)


N = 1000
text = {
    "parens": "r0 = " + "(" * N + "1" + ")" * N + "\nexit\n",
    "unary": "r0 = " + "-~" * N + "1\nexit\n",
    "chain": "r0 = " + "1+" * N + "1\nexit\n",
    "memoff": "r0 = *(u32 *)(r1 + " + "(" * N + "4" + ")" * N + ")\nexit\n",
    "long": ".long " + "(" * N + "1" + ")" * N + "\n",
    "cdecl_declarator": ".cdecl\nint " + "(" * N + "x" + ")" * N + ";\n.endcdecl\n",
    "cdecl_pointers": ".cdecl\nint " + "*" * N + "x;\n.endcdecl\n",
    "cdecl_structs": ".cdecl\n" + "struct a { " * N + "int x;" + "} y;" * N + "\n.endcdecl\n",
    "cdecl_array_expr": ".cdecl\nint a[" + "(" * N + "1" + ")" * N + "];\n.endcdecl\n",
    "cdecl_init": ".cdecl\nint a = " + "{" * N + "1" + "}" * N + ";\n.endcdecl\n",
    "cdecl_arrays": ".cdecl\nint x" + "[1]" * N + ";\n.endcdecl\n",
    "cdecl_fnptr": ".cdecl\nvoid f(" + "int (*)(" * N + ")" * N + ");\n.endcdecl\n",
    "cdecl_typedefs": ".cdecl\ntypedef int t0;\n"
    + "".join("typedef t%d t%d;\n" % (i, i + 1) for i in range(N))
    + "t%d v;\n.endcdecl\n" % N,
    "sizeof": ".cdecl\nstruct s { int x; };\n.endcdecl\nr0 = sizeof(" + "(" * N + "struct s" + ")" * N + ")\nexit\n",
    "bom_crlf": "\ufeffr0 = 1\r\nexit\r\n",
}
for name, t in text.items():
    for target in ["asm_text", "disasm", "bpfld_link", "bpflint_object"]:
        put(target, name + ".s", t)


def btf(types, strs=b"\0int\0s\0m\0t\0"):
    tb = b"".join(types)
    return struct.pack("<HBBIIIII", 0xEB9F, 1, 0, 24, 0, len(tb), len(tb), len(strs)) + tb + strs


INT = struct.pack("<IIII", 1, 1 << 24, 4, 32)


def chain(kind, n, down):
    """Types 1..n each referring to the next (down=False: to the previous) one."""
    out = [] if not down else [INT]
    ids = range(2, n + 2) if down else range(1, n + 1)
    last = n + 1
    for i in ids:
        r = i - 1 if down else i + 1
        if kind == "ptr":
            out.append(struct.pack("<III", 0, 2 << 24, r))
        elif kind == "typedef":
            out.append(struct.pack("<III", 9, 8 << 24, r))
        elif kind == "const":
            out.append(struct.pack("<III", 0, 10 << 24, r))
        elif kind == "array":
            out.append(struct.pack("<IIIIII", 0, 3 << 24, 0, r, 1 if down else last, 1))
        elif kind == "struct":
            out.append(struct.pack("<IIIIII", 5, (4 << 24) | 1, 4, 7, r, 0))
        elif kind == "proto":
            out.append(struct.pack("<IIIII", 0, (13 << 24) | 1, 1 if down else last, 0, r))
    if not down:
        out.append(INT)
    return btf(out)


# Nested structs cost dedup time in proportion to the cube of the depth: keep them shallow.
for kind, n in [("ptr", N), ("typedef", N), ("const", N), ("array", N), ("struct", 200), ("proto", N)]:
    put("btf", "%s_down.btf" % kind, chain(kind, n, True))
    put("btf", "%s_up.btf" % kind, chain(kind, n, False))


def insn(code, dst=0, src=0, off=0, imm=0):
    return struct.pack("<BBhi", code, (src << 4) | dst, off, imm)


CALL, EXIT, MOV_IMM, JA = 0x85, 0x95, 0xB7, 0x05
# A chain of bpf-to-bpf calls, each function calling the next (pseudo call, src = 1).
calls = b"".join(insn(CALL, src=1, imm=1) + insn(EXIT) for _ in range(64))
calls = insn(MOV_IMM, imm=0) + calls + insn(MOV_IMM, imm=0) + insn(EXIT)
# A chain of forward jumps.
jumps = insn(MOV_IMM, imm=0) + b"".join(insn(JA, off=0) for _ in range(N)) + insn(EXIT)
for sel in range(8):
    put("bpflint_raw", "calls_%d" % sel, bytes([sel]) + calls)
    put("bpflint_raw", "jumps_%d" % sel, bytes([sel]) + jumps)
put("insn_decode", "calls", b"\0" + calls)
put("insn_decode", "jumps", b"\0" + jumps)
put("asm_roundtrip", "long", bytes(range(256)) * 2)
text_calls = "".join("f%d:\n\tcall f%d\n\texit\n" % (i, i + 1) for i in range(64)) + "f64:\n\tr0 = 0\n\texit\n"
for target in ["asm_text", "disasm", "bpfld_link", "bpflint_object"]:
    put(target, "calls.s", '.section socket, "ax"\n' + text_calls)


def ar(members, symtab=None):
    """A GNU archive: optional symbol index ("/") then members named m<i>.o."""
    out = b"!<arch>\n"

    def member(name, data):
        hdr = b"%-16s%-12s%-6s%-6s%-8s%-10d`\n" % (name, b"0", b"0", b"0", b"644", len(data))
        return hdr + data + (b"\n" if len(data) % 2 else b"")

    if symtab is not None:
        out += member(b"/", symtab)
    for i, data in enumerate(members):
        out += member(b"m%d.o/" % i, data)
    return out


# bpfld_archive: many members and a long symbol index (the selection fixpoint and the index
# walk on input-controlled sizes)
n = 4096
index = n.to_bytes(4, "big") + b"".join((8).to_bytes(4, "big") for _ in range(n))
index += b"".join(b"s%d\0" % i for i in range(n))
put("bpfld_archive", "many_members.a", ar([b"x"] * n, index))
put("bpfld_archive", "deep_names.a", ar([b"\x7fELF" + b"\0" * 60] * 64))
print("deep seeds written to", corpus)
