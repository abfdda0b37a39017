//! What the verifier analyses: decoded instructions, program type, maps, and how `ld_imm64`
//! instructions refer to maps. Built from raw instruction arrays or from ELF objects.

use bpf_isa::{Endian, Insn, Op, RawInsn};
use bpfobj::uapi::{AttachType, ProgType};

use crate::profile::Profile;

/// A map as the verifier sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MapDesc {
    pub name: String,
    pub map_type: u32,
    pub key_size: u32,
    pub value_size: u32,
    pub max_entries: u32,
    pub flags: u32,
    /// Offset of a `struct bpf_spin_lock` in the value.
    pub spin_lock_off: Option<u32>,
    /// Offset of a `struct bpf_res_spin_lock` in the value (Linux 6.15+).
    pub res_spin_lock_off: Option<u32>,
    /// Offset of a `struct bpf_timer` in the value.
    pub timer_off: Option<u32>,
    /// Offset of a `struct bpf_wq` in the value.
    pub wq_off: Option<u32>,
    /// Offset of a `struct bpf_task_work` in the value (Linux 6.18+).
    pub task_work_off: Option<u32>,
    /// kptr fields (8 bytes each).
    pub kptrs: Vec<Kptr>,
    /// Inner map of a map-in-map.
    pub inner: Option<Box<MapDesc>>,
    /// Index of the inner map in the program's map list (set by [`Program::set_maps`]).
    pub inner_index: Option<u32>,
    /// Known, frozen contents (`.rodata`): loads at constant offsets give constants.
    pub frozen: Option<Vec<u8>>,
    /// Statically initialised program-array slots: (index, program function name).
    pub static_members: Vec<(u32, String)>,
    /// `bpf_list_head`/`bpf_rb_root` fields of the value, from the program's BTF.
    pub graph_roots: Vec<crate::graph_btf::GraphRoot>,
}

/// A kptr field of a map value (kernel/bpf/btf.c btf_find_kptr(): a pointer to a struct whose
/// target carries the `kptr`, `kptr_untrusted` or `percpu_kptr` type tag).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kptr {
    /// Offset in the value.
    pub off: u32,
    pub kind: KptrKind,
    /// The pointee struct's name (a kernel type when the kernel's BTF has it, else the
    /// program's own allocated type).
    pub target: String,
}

/// `BPF_KPTR_REF`, `BPF_KPTR_UNREF`, `BPF_KPTR_PERCPU`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KptrKind {
    Ref,
    Unref,
    Percpu,
}

impl KptrKind {
    /// The kind a type tag names (`None`: not a kptr tag).
    pub fn from_tag(tag: &str) -> Option<KptrKind> {
        match tag {
            "kptr" | "kptr_ref" => Some(KptrKind::Ref),
            "kptr_untrusted" => Some(KptrKind::Unref),
            "percpu_kptr" => Some(KptrKind::Percpu),
            _ => None,
        }
    }
}

pub const BPF_F_RDONLY_PROG: u32 = 1 << 7;
pub const BPF_F_WRONLY_PROG: u32 = 1 << 8;

impl MapDesc {
    pub fn new(map_type: u32, key_size: u32, value_size: u32, max_entries: u32) -> MapDesc {
        MapDesc { map_type, key_size, value_size, max_entries, ..Default::default() }
    }
    pub fn prog_rdonly(&self) -> bool {
        self.flags & BPF_F_RDONLY_PROG != 0
    }
    pub fn prog_wronly(&self) -> bool {
        self.flags & BPF_F_WRONLY_PROG != 0
    }
}

/// How an `ld_imm64` refers to something.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LdRef {
    /// `BPF_PSEUDO_MAP_FD`: the map itself.
    Map(u32),
    /// `BPF_PSEUDO_MAP_VALUE`: a pointer into the value of a single-element map.
    MapValue(u32, i32),
}

/// The `Slot::Insn` tag of a load-acquire decoded as the plain load it verifies like.
pub const LOAD_ACQUIRE: u8 = 0x80;
/// The `Slot::Insn` tag of a store-release decoded as the plain store it verifies like.
pub const STORE_RELEASE: u8 = 0x81;

/// Load-acquire and store-release (Linux 6.15+: `BPF_STX | BPF_ATOMIC` of any size with imm
/// `BPF_LOAD_ACQ` = 0x100 or `BPF_STORE_REL` = 0x110, rows of the instruction table) verify as
/// the plain load `dst = *(size *)(src + off)` or store `*(size *)(dst + off) = src`: they are
/// decoded as that, tagged [`LOAD_ACQUIRE`] / [`STORE_RELEASE`] (kernel/bpf/verifier.c
/// check_atomic_load(), check_atomic_store()), so every analysis that knows loads and stores
/// knows them.
fn acquire_release(insn: Insn) -> (Insn, u8) {
    let (op, tag) = match insn.op {
        Op::LoadAcquireB => (Op::LdxB, LOAD_ACQUIRE),
        Op::LoadAcquireH => (Op::LdxH, LOAD_ACQUIRE),
        Op::LoadAcquireW => (Op::LdxW, LOAD_ACQUIRE),
        Op::LoadAcquireDW => (Op::LdxDW, LOAD_ACQUIRE),
        Op::StoreReleaseB => (Op::StxB, STORE_RELEASE),
        Op::StoreReleaseH => (Op::StxH, STORE_RELEASE),
        Op::StoreReleaseW => (Op::StxW, STORE_RELEASE),
        Op::StoreReleaseDW => (Op::StxDW, STORE_RELEASE),
        _ => return (insn, 0),
    };
    (Insn { op, imm: 0, ..insn }, tag)
}

/// One decoded instruction slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    Insn(Insn, u8),
    /// The second half of an `ld_imm64`.
    Wide,
    /// Bytes that decode to no instruction, with the kernel's complaint.
    Bad(RawInsn),
}

/// A function of the program (main program or a subprogram).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Func {
    pub start: usize,
    pub name: String,
    /// Global (verified on its own by the kernel).
    pub global: bool,
}

/// A program ready for analysis.
#[derive(Clone, Debug)]
pub struct Program {
    pub name: String,
    pub slots: Vec<Slot>,
    pub prog_type: ProgType,
    pub attach_type: AttachType,
    pub maps: Vec<MapDesc>,
    /// `ld_imm64` index -> what it loads.
    pub ld_refs: std::collections::HashMap<usize, LdRef>,
    /// `BPF_F_STRICT_ALIGNMENT`.
    pub strict_alignment: bool,
    pub profile: &'static Profile,
    /// Source lines by instruction index (from `.BTF.ext` line_info).
    pub lines: Vec<(usize, String, u32, u32)>,
    /// Functions named by func_info / symbols.
    pub funcs: Vec<Func>,
    /// Helper calls that are really kfunc calls resolved by name (index -> name).
    pub kfuncs: std::collections::HashMap<usize, String>,
    /// Treat features the model does not know (kfuncs, BTF-typed pointers) permissively.
    pub permissive: bool,
    /// The ELF section the program came from (`tracepoint/sched/sched_switch`).
    pub section: String,
    /// Instructions carrying a CO-RE relocation.
    pub core_relos: std::collections::BTreeSet<usize>,
    /// CO-RE field offsets that could not be matched in the kernel's BTF (the instruction
    /// keeps its compiled offset, so loads there are not checked against kernel types).
    pub core_unresolved: std::collections::BTreeSet<usize>,
    /// Function signatures from BTF, by first instruction.
    pub func_sigs: Vec<FuncSig>,
    /// The traced function's arguments, for programs whose context is BTF-typed (tp_btf,
    /// fentry/fexit/fmod_ret, lsm): `None` when the target is unknown.
    pub btf_ctx: Option<BtfCtx>,
    /// Open-coded iterator kfunc calls by instruction (`bpf_iter_num_next`...).
    pub iter_calls: std::collections::HashMap<usize, IterCall>,
    /// Iterator kinds (`num`, `task`, `bits`): `IterCall::kind` indexes this.
    pub iter_kinds: Vec<String>,
    /// The kernel's BTF the object was read against (kfunc prototypes, kernel object types).
    pub kernel_btf: Option<std::sync::Arc<crate::kernel_btf::KernelBtf>>,
    /// The kernel's build configuration (`None`: unknown, every configurable helper is
    /// assumed built in).
    pub kconfig: Option<std::sync::Arc<crate::kconfig::Kconfig>>,
    /// The program is loaded with BTF func_info (libbpf passes it when the object has `.BTF`
    /// and `.BTF.ext` func_info records); callbacks (`BPF_PSEUDO_FUNC`) need it.
    pub func_info: bool,
    /// The object's `license` is GPL-compatible (kernel/bpf/syscall.c bpf_prog_load():
    /// license_is_gpl_compatible()); true for programs built without an object.
    pub gpl_compatible: bool,
    /// A struct_ops program: the kernel struct and the member it implements.
    pub struct_ops: Option<(String, String)>,
    /// `ld_imm64` of kernel variables the kernel will find no address for (instruction, name).
    pub ksym_unresolved: Vec<(usize, String)>,
    /// The structs of the program's BTF, for objects it allocates (bpf_obj_new()).
    pub local_types: std::sync::Arc<crate::graph_btf::LocalTypes>,
    /// Where the exception callback named by the main function's `exception_callback:NAME`
    /// declaration tag starts (libbpf appends it to the program even when nothing calls it).
    pub exception_cb: Option<usize>,
    /// How many `exception_callback:` tags the main function has.
    pub exception_cb_tags: usize,
}

/// The licenses the kernel treats as GPL-compatible (include/linux/license.h).
pub fn license_is_gpl_compatible(license: &str) -> bool {
    matches!(license, "GPL" | "GPL v2" | "GPL and additional rights" | "Dual BSD/GPL" | "Dual MIT/GPL" | "Dual MPL/GPL")
}

pub use crate::kernel_btf::IterOp;

/// One iterator kfunc call site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IterCall {
    pub op: IterOp,
    /// Index into `Program::iter_kinds`.
    pub kind: u32,
    /// Stack slots the iterator state takes (`sizeof(struct bpf_iter_<kind>) / 8`).
    pub slots: u32,
    /// `next`: the element pointer is to memory of this many bytes (an `int *`), else to a
    /// kernel object (`struct task_struct *`).
    pub elem_mem: Option<u32>,
}

/// The context of a BTF-typed tracing program: the traced function's arguments, as the
/// kernel types them (kernel/bpf/btf.c, btf_ctx_access()).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BtfCtx {
    /// The traced function or tracepoint (`sched_switch`).
    pub func: String,
    pub args: Vec<crate::kernel_btf::ValueKind>,
    /// The return value, readable after the last argument by fexit / lsm programs.
    pub ret: Option<crate::kernel_btf::ValueKind>,
    /// An iterator program's arguments the kernel types itself (its `ctx_arg_info`), by
    /// argument index; the others are trusted, non-NULL pointers (prog_args_trusted()).
    pub iter_args: Vec<(usize, IterArg)>,
}

/// How an iterator's `ctx_arg_info` types an argument (kernel/bpf/*_iter.c, net/*: the
/// `bpf_iter_reg.ctx_arg_info` tables).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IterArg {
    /// `PTR_TO_BTF_ID_OR_NULL`.
    BtfOrNull,
    /// `PTR_TO_BTF_ID_OR_NULL | PTR_TRUSTED`.
    TrustedOrNull,
    /// `PTR_TO_BUF | PTR_MAYBE_NULL`, read-only when `true`.
    BufOrNull(bool),
}

/// The iterator targets bpflint knows the `ctx_arg_info` of: (target, [(argument, type)]).
/// Sources (6.12): kernel/bpf/task_iter.c, map_iter.c, prog_iter.c, link_iter.c,
/// cgroup_iter.c, kernel/kallsyms.c, net/core/bpf_sk_storage.c, net/core/sock_map.c,
/// net/ipv4/tcp_ipv4.c, net/ipv4/udp.c, net/unix/af_unix.c, net/netlink/af_netlink.c,
/// net/ipv6/route.c.
pub const ITER_ARGS: &[(&str, &[(&str, IterArg)])] = {
    use IterArg::*;
    &[
        ("task", &[("task", TrustedOrNull)]),
        ("task_file", &[("task", BtfOrNull), ("file", BtfOrNull)]),
        ("task_vma", &[("task", BtfOrNull), ("vma", BtfOrNull)]),
        ("bpf_map", &[("map", TrustedOrNull)]),
        ("bpf_map_elem", &[("key", BufOrNull(true)), ("value", BufOrNull(false))]),
        ("bpf_prog", &[("prog", BtfOrNull)]),
        ("bpf_link", &[("link", BtfOrNull)]),
        ("cgroup", &[("cgroup", TrustedOrNull)]),
        ("ksym", &[("ksym", BtfOrNull)]),
        ("bpf_sk_storage_map", &[("sk", BtfOrNull), ("value", BufOrNull(false))]),
        ("sockmap", &[("key", BufOrNull(true)), ("sk", BtfOrNull)]),
        ("tcp", &[("sk_common", BtfOrNull)]),
        ("udp", &[("udp_sk", BtfOrNull)]),
        ("unix", &[("unix_sk", BtfOrNull)]),
        ("netlink", &[("sk", BtfOrNull)]),
        ("ipv6_route", &[("rt", BtfOrNull)]),
    ]
};

/// A function's BTF prototype, reduced to what lints need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FuncSig {
    pub start: usize,
    pub name: String,
    pub global: bool,
    /// Per argument: the name of the struct it points to (empty when not a struct pointer).
    pub arg_structs: Vec<String>,
    /// Per argument: what a global function receives (kernel/bpf/btf.c,
    /// btf_prepare_func_args()).
    pub params: Vec<GlobalArg>,
    /// It returns an integer or enum (what LD_ABS and tail calls in subprograms need).
    pub ret_scalar: bool,
}

/// An argument of a global function, as the kernel types it when it verifies the function on
/// its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GlobalArg {
    /// An integer or enum: any scalar.
    Scalar,
    /// The program's context (a pointer to its context struct, or tagged `arg:ctx`).
    Ctx,
    /// A pointer to `size` bytes of memory; NULL allowed unless tagged `arg:nonnull`.
    Mem { size: u32, nullable: bool },
    /// `struct bpf_dynptr *`: an initialised dynptr, read only (`ARG_PTR_TO_DYNPTR | MEM_RDONLY`).
    Dynptr,
    /// A kernel object tagged `arg:trusted` (`ARG_PTR_TO_BTF_ID | PTR_TRUSTED`), NULL allowed
    /// when also tagged `arg:nullable`.
    Trusted { nullable: bool },
    /// A pointer tagged `arg:untrusted` (Linux 6.16+): the caller may pass anything; the
    /// function sees an untrusted pointer to the kernel struct named `target` (flavor suffix
    /// dropped), or read-only untrusted memory when `target` is empty (a pointer to void or to
    /// a primitive type).
    Untrusted { target: String },
    /// A prototype the kernel refuses (its message).
    Refused(String),
    /// Something bpflint does not model (trusted kernel objects, dynptrs, arena pointers).
    Other,
}

impl Program {
    /// Decode raw 8-byte slots.
    pub fn decode(raw: &[RawInsn]) -> Vec<Slot> {
        let mut out = Vec::with_capacity(raw.len());
        let mut i = 0;
        while i < raw.len() {
            let r = raw[i];
            if r.code == 0x18 {
                let pseudo = r.src;
                let lookup = RawInsn { src: 0, ..r };
                let op = bpf_isa::lookup(lookup);
                match (op, raw.get(i + 1)) {
                    (Some(Op::LdImm64), Some(r2)) if r2.code == 0 && r2.dst == 0 && r2.src == 0 && r2.off == 0 => {
                        let imm = ((r2.imm as u32 as u64) << 32 | r.imm as u32 as u64) as i64;
                        out.push(Slot::Insn(Insn { op: Op::LdImm64, dst: r.dst, src: 0, off: 0, imm }, pseudo));
                        out.push(Slot::Wide);
                        i += 2;
                        continue;
                    }
                    _ => {
                        out.push(Slot::Bad(r));
                        i += 1;
                        continue;
                    }
                }
            }
            let bytes = r.to_bytes(Endian::Little);
            match bpf_isa::decode(&bytes, Endian::Little) {
                Ok((insn, _)) => {
                    let (insn, tag) = acquire_release(insn);
                    out.push(Slot::Insn(insn, tag))
                }
                Err(_) => out.push(Slot::Bad(r)),
            }
            i += 1;
        }
        out
    }

    /// A program from raw instructions (the test_verifier format).
    /// Whether the program may sleep: libbpf's `.s` sections (BPF_F_SLEEPABLE) and syscall
    /// programs.
    pub fn sleepable(&self) -> bool {
        self.prog_type == ProgType::SYSCALL
            || bpfobj::progsec::find(&self.section).is_some_and(|d| d.flags & bpfobj::progsec::flags::SLEEPABLE != 0)
    }

    pub fn from_raw(name: &str, raw: &[RawInsn], prog_type: ProgType) -> Program {
        Program {
            name: name.to_string(),
            slots: Program::decode(raw),
            prog_type,
            attach_type: AttachType(0),
            maps: Vec::new(),
            ld_refs: Default::default(),
            strict_alignment: false,
            profile: crate::profile::Profile::native(),
            lines: Vec::new(),
            funcs: Vec::new(),
            kfuncs: Default::default(),
            permissive: false,
            section: String::new(),
            core_relos: Default::default(),
            core_unresolved: Default::default(),
            func_sigs: Vec::new(),
            btf_ctx: None,
            iter_calls: Default::default(),
            iter_kinds: Vec::new(),
            kernel_btf: None,
            kconfig: None,
            func_info: false,
            gpl_compatible: true,
            struct_ops: None,
            ksym_unresolved: Vec::new(),
            local_types: Default::default(),
            exception_cb: None,
            exception_cb_tags: 0,
        }
    }

    /// Install the map list, adding inner maps of map-in-maps as their own entries.
    pub fn set_maps(&mut self, maps: Vec<MapDesc>) {
        self.maps = maps;
        let n = self.maps.len();
        for i in 0..n {
            if let Some(inner) = self.maps[i].inner.clone() {
                self.maps[i].inner_index = Some(self.maps.len() as u32);
                self.maps.push(*inner);
            }
        }
    }

    /// Program type as printed in reports (`tracepoint`, `xdp`).
    pub fn type_name(&self) -> String {
        self.prog_type
            .name()
            .map(|n| n.trim_start_matches("BPF_PROG_TYPE_").to_ascii_lowercase())
            .unwrap_or_else(|| format!("type {}", self.prog_type.0))
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Source location of instruction `idx`: the closest line_info at or before it.
    pub fn line_of(&self, idx: usize) -> Option<(&str, u32, u32)> {
        let mut best: Option<&(usize, String, u32, u32)> = None;
        for l in &self.lines {
            if l.0 <= idx && best.is_none_or(|b| l.0 >= b.0) {
                best = Some(l);
            }
        }
        best.map(|l| (l.1.as_str(), l.2, l.3))
    }
}
