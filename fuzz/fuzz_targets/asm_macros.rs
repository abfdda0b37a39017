//! Macro text through the assembler: the input picks fragments of macro syntax (`.macro`,
//! `\arg`, `\@`, `.rept`, `.irp`, `.if`, `.exitm`, ...) and raw text between them, so that
//! libFuzzer spends its time on definitions, uses and nesting rather than on lexing. Errors are
//! fine; panics, stack overflows and runaway expansion (caught by the limits) are not, and every
//! diagnostic must end up located in a file the user wrote, never in expanded text.
#![no_main]

use bpfasm::{Assembler, Options};
use libfuzzer_sys::fuzz_target;

const FRAGMENTS: &[&str] = &[
    ".macro m a, b=1\n",
    ".macro n x:req, y:vararg\n",
    ".macro r\n",
    ".endm\n",
    ".exitm\n",
    ".purgem m\n",
    "m\n",
    "m 1, 2\n",
    "m b=3, a=r1\n",
    "n r2, 1, 2\n",
    "r\n",
    "\\a",
    "\\b",
    "\\x",
    "\\y",
    "\\@",
    "\\()",
    " r\\a = \\b\n",
    " .byte \\@\n",
    ".rept 3\n",
    ".rept 100000\n",
    ".irp i, 1, 2, 3\n",
    ".irpc c, 0123\n",
    "\\i",
    "\\c",
    ".endr\n",
    ".if 1\n",
    ".if 0\n",
    ".if \\a\n",
    ".ifdef m\n",
    ".ifndef lbl\n",
    ".ifb \\b\n",
    ".ifc \\a, 1\n",
    ".elseif 1\n",
    ".else\n",
    ".endif\n",
    ".set s, s + 1\n",
    ".error \"e\"\n",
    ".warning \"w\"\n",
    "lbl:\n",
    " r0 = 1\n",
    " exit\n",
    ";",
    ",",
    " ",
    "\n",
];

fuzz_target!(|data: &[u8]| {
    // Each byte below 0xc0 picks a fragment (modulo their number); a byte from 0xc0 up starts a
    // run of raw text whose length is its low bits.
    let mut text = String::new();
    let mut i = 0;
    while i < data.len() {
        let b = data[i];
        i += 1;
        if b < 0xc0 {
            text.push_str(FRAGMENTS[b as usize % FRAGMENTS.len()]);
        } else {
            let n = ((b & 0x3f) as usize).min(data.len() - i);
            text.push_str(&String::from_utf8_lossy(&data[i..i + n]));
            i += n;
        }
    }
    if bpf_toolchain_fuzz::touches_files(&text) {
        return;
    }
    let mut a = Assembler::new(Options::default());
    a.assemble_file("fuzz.s", text);
    let _ = a.finish();
    for d in &a.diags {
        if let Some(s) = d.span {
            assert!(!a.is_expansion(s.file), "diagnostic left in expanded text: {d:?}");
        }
        for (s, _) in &d.secondary {
            assert!(!a.is_expansion(s.file), "secondary label left in expanded text: {d:?}");
        }
    }
});
