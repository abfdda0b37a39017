//! Kernel profiles: version-dependent limits and rules, as data.

/// Limits and rule switches of one kernel version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    pub name: &'static str,
    /// Processed-instruction budget (`BPF_COMPLEXITY_LIMIT_INSNS`).
    pub complexity_limit: u64,
    /// Pending branch states (`BPF_COMPLEXITY_LIMIT_JMP_SEQ`).
    pub jmp_seq_limit: usize,
    /// Maximum program length (`BPF_MAXINSNS` for privileged loads is 1M).
    pub max_insns: usize,
    pub max_call_frames: usize,
    pub max_stack: i32,
    /// Each frame of a call chain is rounded up to this many bytes when the combined stack is
    /// checked (32 on 6.1; 16 with JIT since 6.8, 32 without).
    pub stack_round: i32,
    /// ISA v4 instructions (sign extension, sdiv/smod, bswap, gotol, ldsx) accepted.
    pub isa_v4: bool,
    /// `may_goto` accepted.
    pub may_goto: bool,
    /// Lower bound of the range check on the return value of fentry/fexit.
    pub tracing_ret_zero: bool,
    /// `bpf_loop` helper present.
    pub bpf_loop: bool,
    /// Maximum helper id the kernel knows.
    pub max_helper_id: u32,
    /// Privileged (CAP_PERFMON) loads may read uninitialised stack.
    pub allow_uninit_stack: bool,
}

pub const LINUX_6_1: Profile = Profile {
    name: "6.1",
    complexity_limit: 1_000_000,
    jmp_seq_limit: 8192,
    max_insns: 1_000_000,
    max_call_frames: 8,
    max_stack: 512,
    stack_round: 32,
    isa_v4: false,
    may_goto: false,
    tracing_ret_zero: false,
    bpf_loop: true,
    max_helper_id: 211,
    allow_uninit_stack: true,
};

pub const LINUX_6_18: Profile = Profile {
    name: "6.18",
    complexity_limit: 1_000_000,
    jmp_seq_limit: 8192,
    max_insns: 1_000_000,
    max_call_frames: 8,
    max_stack: 512,
    stack_round: 16,
    isa_v4: true,
    may_goto: true,
    tracing_ret_zero: true,
    bpf_loop: true,
    max_helper_id: 211,
    allow_uninit_stack: true,
};

pub const PROFILES: &[&Profile] = &[&LINUX_6_1, &LINUX_6_18];

impl Profile {
    /// `6.1`, `6.18` or `native` (the running kernel, from `uname -r`).
    pub fn by_name(name: &str) -> Option<&'static Profile> {
        if name == "native" {
            return Some(Profile::native());
        }
        PROFILES.iter().copied().find(|p| p.name == name)
    }

    /// The profile closest to the running kernel (at or below its version).
    pub fn native() -> &'static Profile {
        let rel = crate::kconfig::running_release().unwrap_or_default();
        let mut it = rel.split(|c: char| !c.is_ascii_digit()).filter_map(|s| s.parse::<u32>().ok());
        let (maj, min) = (it.next().unwrap_or(6), it.next().unwrap_or(18));
        if (maj, min) >= (6, 6) {
            &LINUX_6_18
        } else {
            &LINUX_6_1
        }
    }
}

impl Default for &'static Profile {
    fn default() -> Self {
        &LINUX_6_18
    }
}
