//! Every limit this crate puts on its input, in one place. Some are the kernel's own rules
//! (a blob the kernel would refuse is refused, with the kernel's name for the limit); the
//! others bound our own recursion and memory on hostile input, each with a located error
//! rather than a stack overflow.

/// `BTF_MAX_TYPE` (include/uapi/linux/btf.h): the largest type id.
pub const MAX_TYPE: u32 = 0x000f_ffff;
/// `BTF_MAX_NAME_OFFSET` (include/uapi/linux/btf.h): the largest string offset of a name.
pub const MAX_NAME_OFFSET: u32 = 0x00ff_ffff;
/// `BTF_MAX_SIZE` (kernel/bpf/btf.c): bytes a `BPF_BTF_LOAD` accepts.
pub const MAX_SIZE: usize = 16 * 1024 * 1024;
/// `MAX_RESOLVE_DEPTH` (kernel/bpf/btf.c, btf_resolve()): the longest chain of references
/// (modifiers, typedefs, pointers, arrays) the kernel resolves; also what every resolving walk
/// of the reader follows at most.
pub const MAX_RESOLVE_DEPTH: usize = 32;
/// `KSYM_NAME_LEN` (include/linux/kallsyms.h): the longest identifier
/// (btf_name_valid_identifier()).
pub const KSYM_NAME_LEN: usize = 512;
/// Dedup (`dedup.rs`): how deep the equivalence check of two struct graphs recurses before
/// the types are reported as a type graph too deep ("type graph too deep at type N").
pub const DEDUP_MAX_DEPTH: usize = 4096;
/// C dump (`dump_c.rs`): how deeply nested anonymous types are printed inline.
pub const DUMP_C_MAX_DEPTH: usize = 64;
