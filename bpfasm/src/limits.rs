//! Every resource limit of the assembler, in one place.
//!
//! Each limit turns an input that would exhaust memory, time or the stack into a located error.
//! They are far above what real BPF assembly needs (the kernel loads at most 1M instructions).

/// How deeply `.include` may nest (a file including itself).
pub(crate) const MAX_INCLUDE_DEPTH: u32 = 64;
/// The most bytes a section's contents may reach (`.zero`, `.fill`, alignment padding,
/// initialised C variables): far beyond any loadable BPF object, and it keeps an input of a
/// few bytes from asking for gigabytes of memory.
pub(crate) const MAX_SECTION_BYTES: u64 = 1 << 30;
/// The largest section alignment: the object file pads each section's offset to it.
pub(crate) const MAX_ALIGN: u64 = 1 << 16;
/// How deeply a symbol's value may refer to other symbols' values.
pub(crate) const MAX_EVAL_DEPTH: u32 = 256;
/// How deeply macro expansions (`.macro` uses, `.rept`, `.irp`, `.irpc` bodies) may nest: a
/// recursive macro stops here. llvm-mc's default limit is the same (`-asm-macro-max-nesting-depth`).
pub(crate) const MAX_MACRO_DEPTH: usize = 20;
/// The most bytes of source text all macro expansions together may produce. Each expansion
/// (a macro use, one repetition of a `.rept`/`.irp`/`.irpc` body) counts its length plus
/// [`EXPANSION_OVERHEAD`], so an empty body repeated forever stops too. 32 MiB is well over
/// a million instructions, the most the kernel loads.
pub(crate) const MAX_EXPANSION_BYTES: u64 = 32 << 20;
/// What one expansion costs on top of its text, against [`MAX_EXPANSION_BYTES`].
pub(crate) const EXPANSION_OVERHEAD: u64 = 16;
/// The most errors one run reports: then the assembler stops reading (a `.rept` of a bad line
/// would otherwise turn a few bytes of input into millions of diagnostics).
pub(crate) const MAX_ERRORS: usize = 10_000;
