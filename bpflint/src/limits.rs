//! Every limit bpflint puts on its input, in one place: the kernel's own limits that decide a
//! verdict (a program over them is rejected as the kernel rejects it), and bounds on our own
//! work on hostile input (over them, a located error or a conservative answer, never a stack
//! overflow or unbounded memory).
//!
//! The kernel's complexity limits change between versions and live with the other per-kernel
//! facts in [`crate::profile::Profile`]: `complexity_limit` (`BPF_COMPLEXITY_LIMIT_INSNS`,
//! 1,000,000 processed instructions), `jmp_seq_limit` (`BPF_COMPLEXITY_LIMIT_JMP_SEQ`, 8,192
//! pending branches) and `max_insns` (`BPF_MAXINSNS` for unprivileged, 1,000,000 otherwise).

/// `BPF_MAX_SUBPROGS` (include/linux/bpf_verifier.h): subprograms of one program
/// (check_subprogs(): "too many subprograms").
pub const MAX_SUBPROGS: usize = 256;

/// Ours: complete states kept per instruction for pruning. The kernel keeps them all (bounded
/// by its processed-instruction limit); past this many, older states are dropped, which can
/// only cost pruning (more instructions processed), never a wrong verdict.
pub const MAX_STATES_PER_INSN: usize = 256;

/// Ours: the length of a CO-RE access string and the nested anonymous members searched for a
/// field name (kernel_btf/core.rs). libbpf's own bound is `BPF_CORE_SPEC_MAX_LEN` (64).
pub const MAX_CORE_ACCESS: usize = 64;

/// Ours: nested structs, unions and flexible arrays followed by one walk of a kernel struct
/// (kernel_btf/walk.rs, the kernel's btf_struct_walk()).
pub const MAX_STRUCT_WALK: u32 = 64;
