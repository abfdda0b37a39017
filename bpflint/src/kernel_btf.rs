//! The kernel's BTF as an input: the types that decide what a BTF-typed context argument is
//! (tp_btf / fentry / fexit / lsm programs), what a kfunc takes and returns, and which kfuncs
//! exist. `--btf FILE` names it; the default is the running kernel's `/sys/kernel/btf/vmlinux`.
//! Nothing here reads `/sys` on its own: [`KernelBtf::native`] is what callers pass when the user
//! named no file.

use std::sync::{Arc, OnceLock};

use btf::{Btf, Kind};

mod core;
mod walk;
pub use walk::{Safe, Walk};

/// What an open-coded iterator kfunc does (kernel/bpf/verifier.c: KF_ITER_NEW / KF_ITER_NEXT /
/// KF_ITER_DESTROY, the `bpf_iter_<kind>_{new,next,destroy}` naming convention that
/// btf_check_iter_kfuncs() enforces).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IterOp {
    New,
    Next,
    Destroy,
}

/// One kernel BTF blob (parsed, name-indexed).
pub struct KernelBtf {
    btf: Btf<'static>,
    path: String,
}

impl std::fmt::Debug for KernelBtf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KernelBtf({})", self.path)
    }
}

/// What a BTF-described value is, as the verifier sees it when it arrives in a register
/// (kernel/bpf/btf.c, btf_ctx_access(): small ints, enums and structs are scalars; pointers to
/// void or to ints are scalars; other pointers are `PTR_TO_BTF_ID`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// An integer or enum of this many bytes (or a struct passed by value).
    Scalar(u32),
    /// A pointer the verifier treats as a number (`void *`, `int *`).
    ScalarPtr,
    /// A pointer to a kernel object: the pointee's type name (`task_struct`).
    BtfPtr(String),
    /// Anything else (float, array, function pointer...): its kind's name.
    Other(&'static str),
}

impl KernelBtf {
    /// Read and parse a BTF file (raw `.BTF` blob as in /sys/kernel/btf/vmlinux).
    pub fn load(path: &str) -> Result<Arc<KernelBtf>, String> {
        // mapped where the file allows it (sysfs BTF since 6.16), read otherwise
        let data: &'static [u8] = match bpfsys::map_file_static(std::path::Path::new(path)) {
            Some(d) => d,
            None => {
                let data = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
                Box::leak(data.into_boxed_slice())
            }
        };
        // the name index is built on the first lookup: programs that look up no kernel type
        // (most socket filters, XDP and tracepoint programs) skip its ~5 ms
        let btf = Btf::parse(data).map_err(|e| format!("{path}: not a BTF blob: {e}"))?;
        Ok(Arc::new(KernelBtf { btf, path: path.to_string() }))
    }

    /// The running kernel's BTF, read once (None when the kernel has none).
    pub fn native() -> Option<Arc<KernelBtf>> {
        static NATIVE: OnceLock<Option<Arc<KernelBtf>>> = OnceLock::new();
        NATIVE.get_or_init(|| KernelBtf::load("/sys/kernel/btf/vmlinux").ok()).clone()
    }

    pub fn btf(&self) -> &Btf<'static> {
        &self.btf
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    /// The FUNC_PROTO of a function (kfunc, fentry target): (return type id, parameter type ids).
    pub fn func_proto(&self, name: &str) -> Option<(u32, Vec<u32>)> {
        let f = self.btf.find_by_name_kind(name, Kind::FUNC)?;
        self.proto_of(f.type_id())
    }

    /// The prototype behind a `btf_trace_NAME` typedef (a pointer to a FUNC_PROTO whose first
    /// parameter is the tracepoint's `void *__data`, left out here).
    pub fn raw_tp_proto(&self, tp: &str) -> Option<(u32, Vec<u32>)> {
        let td = self.btf.find_by_name_kind(&format!("btf_trace_{tp}"), Kind::TYPEDEF)?;
        let ptr = self.btf.type_by_id(self.btf.skip_mods_and_typedefs(td.type_id()))?;
        if ptr.kind() != Kind::PTR {
            return None;
        }
        let (ret, mut params) = self.proto_of(ptr.type_id())?;
        if params.is_empty() {
            return None;
        }
        params.remove(0);
        Some((ret, params))
    }

    fn proto_of(&self, id: u32) -> Option<(u32, Vec<u32>)> {
        let proto = self.btf.type_by_id(id)?;
        if proto.kind() != Kind::FUNC_PROTO {
            return None;
        }
        Some((proto.type_id(), proto.params().map(|p| p.type_id).collect()))
    }

    /// The id of `struct NAME` (0: none).
    pub fn struct_id(&self, name: &str) -> u32 {
        self.btf.find_by_name_kind(name, Kind::STRUCT).map_or(0, |t| t.id())
    }

    /// The name of type `id` ("" when anonymous or unknown).
    pub fn type_name(&self, id: u32) -> &str {
        self.btf.type_by_id(id).map_or("", |t| self.btf.name_of(&t))
    }

    /// The struct a pointer of BTF type `id` points to (modifiers and typedefs skipped), or 0.
    pub fn pointee_struct(&self, id: u32) -> u32 {
        let b = &self.btf;
        let Some(t) = b.type_by_id(b.skip_mods_and_typedefs(id)) else { return 0 };
        if t.kind() != Kind::PTR {
            return 0;
        }
        let target = b.skip_mods_and_typedefs(t.type_id());
        b.type_by_id(target).filter(|p| p.is_composite()).map_or(0, |p| p.id())
    }

    /// The name of a function's `i`th parameter.
    pub fn param_name(&self, func: &str, i: usize) -> Option<&str> {
        let f = self.btf.find_by_name_kind(func, Kind::FUNC)?;
        let proto = self.btf.type_by_id(f.type_id())?;
        let p = proto.params().get(i)?;
        self.btf.str_at(p.name_off)
    }

    /// Whether a struct holds only scalars (what the kernel lets a pointer to program memory
    /// stand for: `__btf_type_is_scalar_struct()`): no pointers, at any depth of nested structs
    /// and arrays.
    pub fn struct_is_scalar(&self, id: u32) -> bool {
        fn scalar(b: &Btf<'_>, id: u32, depth: u32) -> bool {
            if depth > 8 {
                return false;
            }
            let id = b.skip_mods_and_typedefs(id);
            let Some(t) = b.type_by_id(id) else { return false };
            match t.kind() {
                Kind::INT | Kind::ENUM | Kind::ENUM64 | Kind::FLOAT => true,
                Kind::ARRAY => scalar(b, t.array().elem_type, depth + 1),
                Kind::STRUCT | Kind::UNION => t.members().all(|m| scalar(b, m.type_id, depth + 1)),
                _ => false,
            }
        }
        id != 0 && scalar(&self.btf, id, 0)
    }

    /// The size of what a pointer of type `id` points to (None: void or unsized).
    pub fn pointee_size(&self, id: u32) -> Option<u32> {
        let b = &self.btf;
        let t = b.type_by_id(b.skip_mods_and_typedefs(id))?;
        if t.kind() != Kind::PTR || b.skip_mods_and_typedefs(t.type_id()) == 0 {
            return None;
        }
        b.resolve_size(t.type_id()).map(|n| n as u32)
    }

    /// The size of `struct NAME`.
    pub fn struct_size(&self, name: &str) -> Option<u32> {
        self.btf.find_by_name_kind(name, Kind::STRUCT).map(|t| t.size())
    }

    /// An open-coded iterator kfunc (`bpf_iter_<kind>_{new,next,destroy}` whose first argument is a
    /// `struct bpf_iter_<kind> *`): (operation, kind, stack slots, element size for `next`
    /// returning an `int *`).
    pub fn iter_kfunc(&self, name: &str) -> Option<(IterOp, String, u32, Option<u32>)> {
        let rest = name.strip_prefix("bpf_iter_")?;
        let (kind, op) = rest.rsplit_once('_')?;
        let op = match op {
            "new" => IterOp::New,
            "next" => IterOp::Next,
            "destroy" => IterOp::Destroy,
            _ => return None,
        };
        let (ret, params) = self.func_proto(name)?;
        let first = *params.first()?;
        let ptr = self.btf.type_by_id(self.btf.skip_mods_and_typedefs(first))?;
        if ptr.kind() != Kind::PTR {
            return None;
        }
        let st = self.btf.type_by_id(self.btf.skip_mods_and_typedefs(ptr.type_id()))?;
        if st.kind() != Kind::STRUCT || self.btf.name_of(&st) != format!("bpf_iter_{kind}") || st.size() % 8 != 0 {
            return None;
        }
        let elem = match (op, self.value_kind(ret)) {
            (IterOp::Next, ValueKind::ScalarPtr) => {
                let p = self.btf.type_by_id(self.btf.skip_mods_and_typedefs(ret))?;
                Some(self.btf.resolve_size(p.type_id()).unwrap_or(1) as u32)
            }
            _ => None,
        };
        Some((op, kind.to_string(), st.size() / 8, elem))
    }

    /// Whether the kernel marks `name` as a kfunc (a `bpf_kfunc` declaration tag on its FUNC).
    pub fn is_kfunc(&self, name: &str) -> bool {
        let Some(f) = self.btf.find_by_name_kind(name, Kind::FUNC) else { return false };
        self.btf
            .ids_by_name("bpf_kfunc")
            .filter_map(|id| self.btf.type_by_id(id))
            .any(|t| t.kind() == Kind::DECL_TAG && t.type_id() == f.id() && t.decl_tag_component() == -1)
    }

    /// How the verifier types a value of BTF type `id` (0: void).
    pub fn value_kind(&self, id: u32) -> ValueKind {
        let b = &self.btf;
        let id = skip_mods(b, id);
        let Some(t) = b.type_by_id(id) else { return ValueKind::Other("void") };
        match t.kind() {
            Kind::INT | Kind::ENUM | Kind::ENUM64 => ValueKind::Scalar(t.size()),
            Kind::STRUCT | Kind::UNION => ValueKind::Scalar(t.size()),
            Kind::TYPEDEF => self.value_kind(t.type_id()),
            Kind::PTR => {
                let target = b.skip_mods_and_typedefs(t.type_id());
                if target == 0 {
                    return ValueKind::ScalarPtr;
                }
                match b.type_by_id(target) {
                    Some(p) if matches!(p.kind(), Kind::INT | Kind::ENUM | Kind::ENUM64) => ValueKind::ScalarPtr,
                    Some(p) if p.is_composite() => ValueKind::BtfPtr(b.name_of(&p).to_string()),
                    Some(p) => ValueKind::Other(kind_name(p.kind())),
                    None => ValueKind::Other("pointer"),
                }
            }
            k => ValueKind::Other(kind_name(k)),
        }
    }
}

/// Skip CONST/VOLATILE/RESTRICT/TYPE_TAG (not typedefs: a typedef's name can matter).
fn skip_mods(b: &Btf<'_>, mut id: u32) -> u32 {
    for _ in 0..32 {
        match b.type_by_id(id) {
            Some(t) if t.kind().is_modifier() => id = t.type_id(),
            _ => break,
        }
    }
    id
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::INT => "int",
        Kind::PTR => "ptr",
        Kind::ARRAY => "array",
        Kind::STRUCT => "struct",
        Kind::UNION => "union",
        Kind::ENUM | Kind::ENUM64 => "enum",
        Kind::FWD => "fwd",
        Kind::TYPEDEF => "typedef",
        Kind::FUNC => "func",
        Kind::FUNC_PROTO => "func_proto",
        Kind::FLOAT => "float",
        _ => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_running_kernels_sched_switch_tracepoint_is_typed() {
        let Some(k) = KernelBtf::native() else {
            eprintln!("skipped: no /sys/kernel/btf/vmlinux");
            return;
        };
        let (_, params) = k.raw_tp_proto("sched_switch").expect("btf_trace_sched_switch");
        // (bool preempt, struct task_struct *prev, struct task_struct *next, unsigned int prev_state)
        assert_eq!(params.len(), 4);
        assert_eq!(k.value_kind(params[0]), ValueKind::Scalar(1));
        assert_eq!(k.value_kind(params[1]), ValueKind::BtfPtr("task_struct".into()));
        assert_eq!(k.value_kind(params[3]), ValueKind::Scalar(4));
        assert!(k.is_kfunc("bpf_task_acquire"));
        assert!(!k.is_kfunc("schedule"));
    }
}
