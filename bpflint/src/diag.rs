//! Diagnostics: a stable code per kind of rejection, what the kernel would print, and a
//! plain-language explanation with a fix hint.

/// Kind of rejection (stable ids, used in JSON/SARIF output).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Code {
    BadInsn,
    BadJump,
    BadCall,
    Unreachable,
    UninitReg,
    UninitStack,
    FramePointerWrite,
    InvalidMem,
    CtxAccess,
    OutOfBounds,
    NegativeIndex,
    Unbounded,
    StackOutOfBounds,
    PacketBounds,
    PacketWrite,
    ReadOnly,
    Misaligned,
    SpillSize,
    PointerArith,
    PointerLeak,
    DivByZero,
    BadShift,
    BadMap,
    UnknownHelper,
    HelperNotAllowed,
    ArgType,
    MapHelper,
    ZeroSize,
    HelperNotBuilt,
    RefLeak,
    SpinLock,
    CallDepth,
    StackTooDeep,
    ReturnValue,
    InfiniteLoop,
    TooComplex,
    Kfunc,
    /// libbpf cannot tell the program type from the section name.
    UnknownProgType,
}

impl Code {
    /// Stable identifier.
    pub fn id(self) -> &'static str {
        match self {
            Code::BadInsn => "BL001-bad-instruction",
            Code::BadJump => "BL002-bad-jump",
            Code::BadCall => "BL003-bad-call",
            Code::Unreachable => "BL004-unreachable",
            Code::UninitReg => "BL010-uninit-register",
            Code::UninitStack => "BL011-uninit-stack",
            Code::FramePointerWrite => "BL012-frame-pointer-write",
            Code::InvalidMem => "BL020-invalid-deref",
            Code::CtxAccess => "BL021-context-access",
            Code::OutOfBounds => "BL022-out-of-bounds",
            Code::NegativeIndex => "BL023-negative-index",
            Code::Unbounded => "BL024-unbounded-access",
            Code::StackOutOfBounds => "BL025-stack-bounds",
            Code::PacketBounds => "BL026-packet-bounds",
            Code::PacketWrite => "BL027-packet-write",
            Code::ReadOnly => "BL028-read-only",
            Code::Misaligned => "BL029-misaligned",
            Code::SpillSize => "BL030-spill-size",
            Code::PointerArith => "BL031-pointer-arithmetic",
            Code::PointerLeak => "BL032-pointer-leak",
            Code::DivByZero => "BL040-div-by-zero",
            Code::BadShift => "BL041-bad-shift",
            Code::BadMap => "BL050-bad-map",
            Code::UnknownHelper => "BL051-unknown-helper",
            Code::HelperNotAllowed => "BL052-helper-not-allowed",
            Code::ArgType => "BL053-helper-argument",
            Code::MapHelper => "BL054-map-helper-mismatch",
            Code::ZeroSize => "BL055-zero-size",
            Code::HelperNotBuilt => "BL056-helper-not-built",
            Code::RefLeak => "BL060-reference-leak",
            Code::SpinLock => "BL061-spin-lock",
            Code::CallDepth => "BL070-call-depth",
            Code::StackTooDeep => "BL071-stack-size",
            Code::ReturnValue => "BL072-return-value",
            Code::InfiniteLoop => "BL080-infinite-loop",
            Code::TooComplex => "BL081-too-complex",
            Code::Kfunc => "BL090-kfunc",
            Code::UnknownProgType => "BL005-unknown-program-type",
        }
    }

    /// Plain-language explanation and a fix hint.
    pub fn explain(self) -> (&'static str, &'static str) {
        match self {
            Code::BadInsn => ("the instruction is not one the kernel accepts here", "check the encoding (reserved fields, registers r0-r10) and the target kernel's ISA version"),
            Code::BadJump => ("a jump leaves its function, lands inside a 16-byte instruction, or a function does not end with exit/goto", "make every path of every function end with `exit` and keep jumps inside the function"),
            Code::BadCall => ("a bpf-to-bpf call targets an address that is not an instruction", "call the start of a function"),
            Code::Unreachable => ("the kernel rejects programs with dead instructions", "remove the dead code (or make it reachable)"),
            Code::UninitReg => ("a register is read before anything was written to it on this path (after a call, r1-r5 are scratched)", "initialise the register on every path, or save values in r6-r9 across calls"),
            Code::UninitStack => ("stack bytes are read before being written on this path", "initialise the whole buffer (e.g. `__builtin_memset`) before reading it or passing it to a helper"),
            Code::FramePointerWrite => ("r10 is the read-only frame pointer", "copy r10 into another register and modify the copy"),
            Code::InvalidMem => ("this register does not hold a pointer that may be dereferenced here (a scalar, a pointer that may be NULL, or one without loads/stores)", "null-check pointers returned by helpers (`if (!p) return 0;`) and only dereference pointers"),
            Code::CtxAccess => ("the context struct may only be accessed at the fields and sizes the program type allows, through the unmodified context pointer", "read the field with its own size at its own offset, directly from r1 (or a copy)"),
            Code::OutOfBounds => ("the access may fall outside the object", "bounds-check the index against the object size before the access"),
            Code::NegativeIndex => ("the offset may be negative", "use an unsigned index or check `index >= 0` first"),
            Code::Unbounded => ("the offset has no upper bound the verifier can see", "add `if (idx >= N) return 0;` or mask it (`idx &= N - 1`) right before the access"),
            Code::StackOutOfBounds => ("the access is outside the 512-byte stack frame", "keep stack buffers within 512 bytes; use a per-CPU array map for larger scratch space"),
            Code::PacketBounds => ("the packet access is not proven to be within data_end", "compare `data + offset + size > data_end` and bail out before the access"),
            Code::PacketWrite => ("this program type may not write packet data directly", "use a helper such as bpf_skb_store_bytes, or a program type that may write packets"),
            Code::ReadOnly => ("the memory is read-only for programs (e.g. a map created with BPF_F_RDONLY_PROG)", "write to a writable map or copy the data to the stack first"),
            Code::Misaligned => ("the access is not aligned to its size (stack accesses always must be; others under strict alignment)", "align the offset to the access size"),
            Code::SpillSize => ("pointers may only be spilled to and filled from the stack as whole 8-byte slots", "store and load pointers with 64-bit accesses at 8-byte aligned stack offsets"),
            Code::PointerArith => ("this arithmetic on a pointer is not allowed (wrong operator or type, 32-bit ALU, unchecked NULL, or an unbounded offset)", "null-check first, add bounded scalars only with 64-bit add/sub, and never do arithmetic on pkt_end, sockets or map pointers"),
            Code::PointerLeak => ("a pointer would escape where only scalars are allowed", "store or return scalars only"),
            Code::DivByZero => ("division or modulo by the constant zero", "divide by a non-zero constant"),
            Code::BadShift => ("shift by a constant that is negative or at least the operand width", "shift by 0..31 (32-bit) or 0..63 (64-bit)"),
            Code::BadMap => ("the instruction refers to a map that does not exist or cannot be used this way", "check the map definition and relocation"),
            Code::UnknownHelper => ("the helper id is not known to this kernel", "check the helper number or target a newer kernel (--kernel)"),
            Code::HelperNotAllowed => ("this program type may not call this helper", "use a helper available to the program type, or change the program type (section name)"),
            Code::ArgType => ("a helper argument has the wrong type", "pass the kind of value the helper's prototype asks for"),
            Code::MapHelper => ("this map type cannot be used with this helper", "use the helper made for this map type (e.g. bpf_tail_call for prog arrays, bpf_ringbuf_* for ring buffers)"),
            Code::ZeroSize => ("the size argument may be zero where the helper needs at least one byte", "check `size > 0` before the call or use a constant size"),
            Code::HelperNotBuilt => ("the kernel offers this helper only when built with an option this one lacks, or refuses it under lockdown (see --kconfig)", "check the target kernel's configuration, or guard the call with a `.kconfig` extern (CONFIG_...) or bpf_core_enum_value_exists() and load a variant without it"),
            Code::RefLeak => ("an acquired reference (socket, ringbuf record...) is not released on every path, or a non-referenced pointer is released", "release every acquired object (bpf_sk_release, bpf_ringbuf_submit/discard) on every path before exit"),
            Code::SpinLock => ("bpf_spin_lock rules: one lock at a time, no calls while holding it, unlock before exit, and lock fields may not be touched directly", "keep locked sections short and straight-line"),
            Code::CallDepth => ("more than 8 nested bpf-to-bpf calls", "flatten the call chain or inline functions"),
            Code::StackTooDeep => ("the stack frames of a call chain add up to more than 512 bytes (each frame rounded up to 32)", "reduce stack use in deep call chains; move buffers to maps"),
            Code::ReturnValue => ("the return value may be outside the range this program type allows", "return one of the allowed constants (e.g. 0 or 1 for cgroup programs)"),
            Code::InfiniteLoop => ("a loop repeats an identical state: it never terminates", "make the loop counter change and compare it against a constant bound"),
            Code::TooComplex => ("the verifier gives up after 1M processed instructions (or too many pending branches)", "bound loops with small constants, split work across tail calls, or use bpf_loop"),
            Code::UnknownProgType => ("libbpf cannot tell the program type from this section name, so it does not load the program (and bpflint cannot know the context, helpers and return rules)", "use a libbpf section name (SEC(\"tc\"), SEC(\"xdp\"), ...) or say what your loader (iproute2, Cilium) loads it as: `bpflint --prog-type tc` or `--prog-type PROG=tc`"),
            Code::Kfunc => ("a kernel function (kfunc) call breaks one of the kernel's kfunc rules (availability for the program type, flags, prototype)", "check the kfunc's flags (acquire/release, trusted, RCU) and its prototype in the kernel's BTF (bpftool btf dump file /sys/kernel/btf/vmlinux)"),
        }
    }
}

/// One rejection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diag {
    pub insn: usize,
    pub code: Code,
    /// What the kernel's verifier log would say.
    pub kernel: String,
    /// Short register state at that point.
    pub regs: String,
}

impl Diag {
    pub fn new(insn: usize, code: Code, kernel: String, regs: String) -> Diag {
        Diag { insn, code, kernel, regs }
    }
}
