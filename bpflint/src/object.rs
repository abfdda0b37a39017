//! ELF objects: programs by section and `STT_FUNC` symbol, subprograms in `.text`, maps from
//! `.maps` (BTF-defined) / `maps` (legacy) and global data sections, relocations
//! (`R_BPF_64_64` map/data/function references, `R_BPF_64_32` calls), func_info/line_info.
//!
//! Each program is laid out as libbpf does: its function's instructions, then all of `.text`
//! when it calls or references subprograms; relocations are applied as libbpf would (pseudo
//! map/value/func `ld_imm64`, pc-relative calls).

use std::collections::HashMap;

use bpf_isa::{Endian, RawInsn};
use bpfobj::elf::{STB_GLOBAL, STB_WEAK, STT_FUNC, STT_SECTION, STV_HIDDEN};
use bpfobj::uapi::{AttachType, ProgType};
use btf::Btf;

use crate::kconfig::{ExternType, Kconfig};
use crate::kernel_btf::KernelBtf;
use crate::profile::Profile;
use crate::program::{MapDesc, Program, BPF_F_RDONLY_PROG};

#[derive(Clone, Debug)]
pub struct LoadOptions {
    pub profile: &'static Profile,
    /// Model unknown features (kfuncs, BTF-typed pointers) permissively.
    pub permissive: bool,
    /// The values libbpf gives `.kconfig` externs (`None`: unknown, so code guarded by them
    /// is explored both ways).
    pub kconfig: Option<std::sync::Arc<Kconfig>>,
    /// The kernel's BTF (`--btf`; default the running kernel's): traced functions' argument
    /// types, kfunc prototypes.
    pub kernel_btf: Option<std::sync::Arc<KernelBtf>>,
    /// What the loader will load programs of unclassifiable sections as (`--prog-type`).
    pub prog_types: Vec<ProgTypeOverride>,
}

/// `--prog-type [PROG=]TYPE`: the program type (and expected attach type) a loader such as
/// iproute2 or Cilium's gives a program whose section name libbpf does not know (`2/7`,
/// `classifier/ingress`, `from-netdev`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgTypeOverride {
    /// The program (function or section name) it is for; `None`: every unclassified section.
    pub program: Option<String>,
    pub prog_type: ProgType,
    pub attach_type: AttachType,
}

impl ProgTypeOverride {
    /// `TYPE` or `PROG=TYPE`; TYPE is a libbpf section name (`tc`, `xdp`, `cgroup/connect4`) or
    /// a program type name (`sched_cls`, `BPF_PROG_TYPE_XDP`), case-insensitive.
    pub fn parse(spec: &str) -> Result<ProgTypeOverride, String> {
        let (program, ty) = match spec.split_once('=') {
            Some((p, t)) if !p.is_empty() => (Some(p.to_string()), t),
            Some(_) => return Err("the program name before `=` is empty".into()),
            None => (None, spec),
        };
        if let Some(d) = bpfobj::progsec::find(ty) {
            return Ok(ProgTypeOverride {
                program,
                prog_type: d.prog_type,
                attach_type: d.attach_type.unwrap_or(AttachType(0)),
            });
        }
        match ProgType::from_name(&ty.to_ascii_uppercase()) {
            Some(t) if t != ProgType::UNSPEC => {
                Ok(ProgTypeOverride { program, prog_type: t, attach_type: AttachType(0) })
            }
            _ => Err(format!("`{ty}` is neither a libbpf section name nor a program type")),
        }
    }

    fn applies(&self, section: &str, func: &str) -> bool {
        self.program.as_deref().is_none_or(|p| p == section || p == func)
    }
}

impl Default for LoadOptions {
    /// The running kernel: its profile and its configuration.
    fn default() -> Self {
        LoadOptions {
            profile: Profile::native(),
            permissive: true,
            kconfig: native_kconfig(),
            kernel_btf: KernelBtf::native(),
            prog_types: Vec::new(),
        }
    }
}

/// The running kernel's configuration, read once.
pub fn native_kconfig() -> Option<std::sync::Arc<Kconfig>> {
    static NATIVE: std::sync::OnceLock<Option<std::sync::Arc<Kconfig>>> = std::sync::OnceLock::new();
    NATIVE.get_or_init(|| Kconfig::native().map(std::sync::Arc::new)).clone()
}

/// The `.kconfig` externs of an object with their types, from the BTF DATASEC `.kconfig`
/// (how libbpf finds them): (name, type, weak).
fn kconfig_externs(btf: Option<&Btf>, syms: &[Sym]) -> Vec<(String, ExternType, bool)> {
    let Some(b) = btf else { return Vec::new() };
    let Some(ds) = b.find_by_name_kind(".kconfig", btf::Kind::DATASEC) else { return Vec::new() };
    let mut out = Vec::new();
    for v in ds.datasec_vars() {
        let Some(var) = b.type_by_id(v.type_id) else { continue };
        let name = b.name_of(&var).to_string();
        let id = b.skip_mods_and_typedefs(var.type_id());
        let Some(t) = b.type_by_id(id) else { continue };
        let ty = match t.kind() {
            btf::Kind::INT if t.int().encoding.0 & btf::IntEncoding::BOOL.0 != 0 => ExternType::Bool,
            btf::Kind::INT
                if t.size() == 1 && (t.int().encoding.0 & btf::IntEncoding::CHAR.0 != 0 || b.name_of(&t) == "char") =>
            {
                ExternType::Char
            }
            btf::Kind::ENUM if b.name_of(&t) == "libbpf_tristate" => ExternType::Tristate,
            btf::Kind::ARRAY => {
                let a = t.array();
                let elem = b.type_by_id(b.skip_mods_and_typedefs(a.elem_type));
                if elem.is_some_and(|e| e.kind() == btf::Kind::INT && e.size() == 1) {
                    ExternType::Str(a.nelems)
                } else {
                    ExternType::Int(b.resolve_size(id).unwrap_or(8) as u32)
                }
            }
            _ => ExternType::Int(b.resolve_size(id).unwrap_or(8) as u32),
        };
        let weak = syms.iter().any(|s| s.name == name && s.section.is_none() && s.weak);
        out.push((name, ty, weak));
    }
    out
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError(pub String);

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LoadError {}

struct Sym {
    name: String,
    section: Option<usize>,
    value: u64,
    size: u64,
    /// `STT_FUNC`.
    func: bool,
    /// `STT_SECTION`.
    section_sym: bool,
    global: bool,
    weak: bool,
}

/// Where a global-data `ld_imm64` points.
#[derive(Clone, Copy)]
enum Target {
    Map(u32),
    Data(u32, i64),
    Func(usize, u64),
    /// Offset in the `.kconfig` map.
    Kconfig(u32),
    /// A `__ksym` extern: how libbpf resolves it against the kernel's BTF.
    Ksym(KsymKind),
}

/// What a `__ksym` extern turns into (tools/lib/bpf/libbpf.c bpf_object__resolve_ksyms_btf_id()).
#[derive(Clone, Copy)]
enum KsymKind {
    /// A kernel function (a kfunc address: `bpf_ksym_exists()`).
    Func,
    /// A kernel variable, or one bpflint cannot look up.
    Var,
    /// A `__weak` extern the kernel lacks: libbpf patches in 0.
    Missing,
}

/// Map type names used in BTF-defined maps' `type` member are numbers already.
fn btf_array_len(btf: &Btf, id: u32) -> Option<u32> {
    // `__uint(name, N)` is `int (*name)[N]`.
    let t = btf.type_by_id(btf.skip_mods_and_typedefs(id))?;
    if t.kind() != btf::Kind::PTR {
        return None;
    }
    let a = btf.type_by_id(btf.skip_mods_and_typedefs(t.type_id()))?;
    if a.kind() != btf::Kind::ARRAY {
        return None;
    }
    Some(a.array().nelems)
}

fn btf_pointee_size(btf: &Btf, id: u32) -> Option<(u32, u32)> {
    let t = btf.type_by_id(btf.skip_mods_and_typedefs(id))?;
    if t.kind() != btf::Kind::PTR {
        return None;
    }
    let target = btf.skip_mods_and_typedefs(t.type_id());
    Some((btf.resolve_size(target)? as u32, target))
}

/// Offsets of special fields (`bpf_spin_lock`, `bpf_timer`, kptrs) in a value type.
fn special_fields(btf: &Btf, id: u32, m: &mut MapDesc) {
    special_fields_at(btf, id, m, 0)
}

fn special_fields_at(btf: &Btf, id: u32, m: &mut MapDesc, depth: u32) {
    let Some(t) = btf.type_by_id(btf.skip_mods_and_typedefs(id)) else { return };
    if !t.is_composite() {
        return;
    }
    for mem in t.members() {
        let off = mem.bit_offset / 8;
        let Some(mt) = btf.type_by_id(mem.type_id) else { continue };
        let resolved = btf.type_by_id(btf.skip_mods_and_typedefs(mem.type_id));
        if let Some(r) = resolved {
            let name = btf.name_of(&r);
            match name {
                "bpf_spin_lock" => m.spin_lock_off = Some(off),
                "bpf_res_spin_lock" => m.res_spin_lock_off = Some(off),
                "bpf_timer" => m.timer_off = Some(off),
                "bpf_wq" => m.wq_off = Some(off),
                "bpf_task_work" => m.task_work_off = Some(off),
                // a struct member's own special fields count at their offset in the value
                // (kernel/bpf/btf.c, btf_find_nested_struct())
                _ if r.kind() == btf::Kind::STRUCT && depth < 8 => {
                    let mut inner = MapDesc::default();
                    special_fields_at(btf, r.id(), &mut inner, depth + 1);
                    if let Some(o) = inner.spin_lock_off {
                        m.spin_lock_off = Some(off + o);
                    }
                    if let Some(o) = inner.res_spin_lock_off {
                        m.res_spin_lock_off = Some(off + o);
                    }
                    if let Some(o) = inner.timer_off {
                        m.timer_off = Some(off + o);
                    }
                    if let Some(o) = inner.wq_off {
                        m.wq_off = Some(off + o);
                    }
                    if let Some(o) = inner.task_work_off {
                        m.task_work_off = Some(off + o);
                    }
                    // (its kptrs are found by find_kptrs() below, which walks nested structs)
                }
                _ => {}
            }
        }
        let _ = mt;
        find_kptrs(btf, mem.type_id, off, 0, &mut m.kptrs);
    }
    // more special fields than the kernel records (BTF_FIELDS_MAX): btf_parse_fields() fails
    // with -E2BIG and the map has no kptrs at all
    if m.kptrs.len() > BTF_FIELDS_MAX {
        m.kptrs.clear();
    }
}

/// kernel/bpf/btf.c BTF_FIELDS_MAX: special fields one value may hold.
const BTF_FIELDS_MAX: usize = 11;

/// kptr fields of type `id` at `off`: a pointer whose target is tagged "kptr"/"kptr_untrusted"/
/// "percpu_kptr" and is a struct (a forward declaration makes the kernel refuse the map's BTF,
/// and libbpf then creates the map without it: no kptr), also as array elements and inside
/// nested structs (kernel/bpf/btf.c btf_find_kptr(), btf_find_field_one(): arrays repeat the
/// element, nested structs are walked).
fn find_kptrs(btf: &Btf, id: u32, off: u32, depth: u32, out: &mut Vec<crate::program::Kptr>) {
    if depth > 8 || out.len() > BTF_FIELDS_MAX {
        return;
    }
    let Some(mt) = btf.type_by_id(id) else { return };
    match mt.kind() {
        btf::Kind::PTR => {
            let Some(tag) = btf.type_by_id(mt.type_id()) else { return };
            let target = btf.skip_mods_and_typedefs(tag.type_id());
            let is_struct = btf.type_by_id(target).is_some_and(|t| t.kind() == btf::Kind::STRUCT);
            let kind = crate::program::KptrKind::from_tag(btf.name_of(&tag));
            if let (btf::Kind::TYPE_TAG, Some(kind), true) = (tag.kind(), kind, is_struct) {
                let name = btf.type_by_id(target).map_or("", |t| btf.name_of(&t)).to_string();
                out.push(crate::program::Kptr { off, kind, target: name });
            }
        }
        btf::Kind::TYPEDEF | btf::Kind::CONST | btf::Kind::VOLATILE | btf::Kind::RESTRICT => {
            find_kptrs(btf, mt.type_id(), off, depth + 1, out)
        }
        btf::Kind::ARRAY => {
            let a = mt.array();
            let esize = btf.resolve_size(a.elem_type).unwrap_or(0) as u32;
            for i in 0..a.nelems.min(BTF_FIELDS_MAX as u32 + 1) {
                find_kptrs(btf, a.elem_type, off + i * esize, depth + 1, out);
            }
        }
        btf::Kind::STRUCT => {
            for m in mt.members() {
                find_kptrs(btf, m.type_id, off + m.bit_offset / 8, depth + 1, out);
            }
        }
        _ => {}
    }
}

/// Special fields of a global-data map: its value type is the section's DATASEC, whose
/// variables may be (or contain) a `bpf_spin_lock` or `bpf_timer` (kernel/bpf/btf.c,
/// btf_parse_fields() walks DATASEC variables like struct members): `private(A) struct
/// bpf_spin_lock lock SEC(".bss.A")`.
fn datasec_special_fields(btf: &Btf, section: &str, offset_of: &dyn Fn(&str) -> Option<u32>, m: &mut MapDesc) {
    let Some(ds) = btf.find_by_name_kind(section, btf::Kind::DATASEC) else { return };
    for mut v in ds.datasec_vars() {
        let Some(var) = btf.type_by_id(v.type_id) else { continue };
        v.offset = offset_of(btf.name_of(&var)).unwrap_or(v.offset);
        let Some(t) = btf.type_by_id(btf.skip_mods_and_typedefs(var.type_id())) else { continue };
        match btf.name_of(&t) {
            "bpf_spin_lock" => m.spin_lock_off = Some(v.offset),
            "bpf_res_spin_lock" => m.res_spin_lock_off = Some(v.offset),
            "bpf_timer" => m.timer_off = Some(v.offset),
            "bpf_wq" => m.wq_off = Some(v.offset),
            "bpf_task_work" => m.task_work_off = Some(v.offset),
            // a kptr variable, or an array of them (`private(A) struct bpf_cpumask __kptr *m[2]`)
            _ if matches!(t.kind(), btf::Kind::PTR | btf::Kind::ARRAY) => {
                let mut found = Vec::new();
                find_kptrs(btf, var.type_id(), v.offset, 0, &mut found);
                m.kptrs.extend(found);
                if m.kptrs.len() > BTF_FIELDS_MAX {
                    m.kptrs.clear();
                }
            }
            _ if t.is_composite() => {
                let mut inner = MapDesc::default();
                special_fields(btf, t.id(), &mut inner);
                if let Some(o) = inner.spin_lock_off {
                    m.spin_lock_off = Some(v.offset + o);
                }
                if let Some(o) = inner.res_spin_lock_off {
                    m.res_spin_lock_off = Some(v.offset + o);
                }
                if let Some(o) = inner.timer_off {
                    m.timer_off = Some(v.offset + o);
                }
                if let Some(o) = inner.wq_off {
                    m.wq_off = Some(v.offset + o);
                }
                if let Some(o) = inner.task_work_off {
                    m.task_work_off = Some(v.offset + o);
                }
                m.kptrs.extend(inner.kptrs.into_iter().map(|k| crate::program::Kptr { off: v.offset + k.off, ..k }));
                if m.kptrs.len() > BTF_FIELDS_MAX {
                    m.kptrs.clear();
                }
            }
            _ => {}
        }
    }
}

/// A map value whose BTF the kernel refuses is created without it: no special fields.
fn refuse_value_btf(m: &mut MapDesc) {
    if crate::graph_btf::value_btf_refused(&m.graph_roots, m.spin_lock_off.is_some()) {
        m.spin_lock_off = None;
        m.timer_off = None;
        m.wq_off = None;
        m.task_work_off = None;
        m.kptrs.clear();
        m.graph_roots.clear();
    }
}

fn btf_map(btf: &Btf, name: &str, var_type: u32) -> MapDesc {
    let mut m = MapDesc { name: name.to_string(), ..Default::default() };
    let Some(t) = btf.type_by_id(btf.skip_mods_and_typedefs(var_type)) else { return m };
    if !t.is_composite() {
        return m;
    }
    for mem in t.members() {
        let mname = btf.str_at(mem.name_off).unwrap_or("");
        match mname {
            "type" => m.map_type = btf_array_len(btf, mem.type_id).unwrap_or(0),
            "max_entries" => m.max_entries = btf_array_len(btf, mem.type_id).unwrap_or(0),
            "map_flags" => m.flags = btf_array_len(btf, mem.type_id).unwrap_or(0),
            "key_size" => m.key_size = btf_array_len(btf, mem.type_id).unwrap_or(0),
            "value_size" => m.value_size = btf_array_len(btf, mem.type_id).unwrap_or(0),
            "key" => {
                if let Some((s, _)) = btf_pointee_size(btf, mem.type_id) {
                    m.key_size = s;
                }
            }
            "value" => {
                if let Some((s, tid)) = btf_pointee_size(btf, mem.type_id) {
                    m.value_size = s;
                    special_fields(btf, tid, &mut m);
                    m.graph_roots = crate::graph_btf::value_roots(btf, tid);
                    refuse_value_btf(&mut m);
                }
            }
            "values" => {
                // map-in-map / prog array: `__array(values, struct inner)`
                let inner = btf
                    .type_by_id(btf.skip_mods_and_typedefs(mem.type_id))
                    .filter(|a| a.kind() == btf::Kind::ARRAY)
                    .and_then(|a| btf.type_by_id(btf.skip_mods_and_typedefs(a.array().elem_type)))
                    .filter(|p| p.kind() == btf::Kind::PTR)
                    .map(|p| p.type_id());
                if let Some(inner) = inner {
                    let im = btf_map(btf, "inner", inner);
                    if im.map_type != 0 {
                        m.inner = Some(Box::new(im));
                    }
                }
                if m.value_size == 0 {
                    m.value_size = 4;
                }
            }
            _ => {}
        }
    }
    if matches!(m.map_type, 12 | 13 | 3) && m.value_size == 0 {
        m.value_size = 4;
    }
    if matches!(m.map_type, 12 | 13) && m.key_size == 0 {
        m.key_size = 4;
    }
    m
}

/// The traced function's arguments of a BTF-typed tracing program, from the section name
/// (`tp_btf/NAME`, `fentry/NAME`, `fexit/NAME`, `fmod_ret/NAME`, `lsm/NAME`) and the kernel's BTF
/// (how libbpf resolves the attach target: `btf_trace_NAME` for tp_btf, `bpf_lsm_NAME` for lsm).
pub fn btf_ctx(k: &KernelBtf, section: &str, t: ProgType, attach: AttachType) -> Option<crate::program::BtfCtx> {
    if !matches!(t, ProgType::TRACING | ProgType::LSM) {
        return None;
    }
    let target = section.strip_prefix('?').unwrap_or(section).split_once('/')?.1;
    // an iterator's context is its `bpf_iter_<target>` prototype: (meta, target arguments),
    // typed only for the targets whose ctx_arg_info bpflint knows
    let iter = if attach == AttachType::TRACE_ITER {
        Some(crate::program::ITER_ARGS.iter().find(|(n, _)| *n == target)?.1)
    } else {
        None
    };
    let (ret, params) = match attach {
        AttachType::TRACE_RAW_TP => k.raw_tp_proto(target)?,
        AttachType::LSM_MAC | AttachType::LSM_CGROUP => k.func_proto(&format!("bpf_lsm_{target}"))?,
        AttachType::TRACE_FENTRY | AttachType::TRACE_FEXIT | AttachType::MODIFY_RETURN => {
            k.func_proto(target.split(':').next_back().unwrap_or(target))?
        }
        AttachType::TRACE_ITER => k.func_proto(&format!("bpf_iter_{target}"))?,
        _ => return None,
    };
    let has_ret = matches!(
        attach,
        AttachType::TRACE_FEXIT | AttachType::MODIFY_RETURN | AttachType::LSM_MAC | AttachType::LSM_CGROUP
    );
    let func = if iter.is_some() { format!("bpf_iter_{target}") } else { target.to_string() };
    let iter_args = iter
        .map(|list| {
            list.iter()
                .filter_map(|&(name, kind)| {
                    (0..params.len()).find(|&i| k.param_name(&func, i) == Some(name)).map(|i| (i, kind))
                })
                .collect()
        })
        .unwrap_or_default();
    Some(crate::program::BtfCtx {
        func,
        args: params.iter().map(|&id| k.value_kind(id)).collect(),
        ret: has_ret.then(|| if ret == 0 { crate::kernel_btf::ValueKind::Scalar(8) } else { k.value_kind(ret) }),
        iter_args,
    })
}

/// Load every program of an object.
pub fn load(data: &[u8], o: &LoadOptions) -> Result<Vec<Program>, LoadError> {
    let file = bpfobj::read::Object::parse(data).map_err(|e| LoadError(e.to_string()))?;
    let endian = if file.big_endian { Endian::Big } else { Endian::Little };
    // (Indexed by ELF symbol index; the null symbol is an unnamed one.)
    let syms: Vec<Sym> = file
        .symbols()
        .map(|s| Sym {
            name: s.name().to_string(),
            section: s.section(),
            value: s.value,
            size: s.size,
            func: s.typ == STT_FUNC,
            section_sym: s.typ == STT_SECTION,
            // libbpf makes hidden (STV_HIDDEN) global functions static in the BTF it loads, so the
            // kernel verifies them in their callers' context (libbpf.c: mark_btf_static)
            global: (s.bind == STB_GLOBAL || s.bind == STB_WEAK) && s.vis != STV_HIDDEN,
            weak: s.bind == STB_WEAK,
        })
        .collect();
    let btf_data = file.btf();
    let btf = btf_data.and_then(|d| Btf::parse(d).ok());
    let decl_tags = btf.as_ref().map(func_decl_tags).unwrap_or_default();
    // the license libbpf passes: the `license` section's string (none: an empty license)
    let license = file
        .section_by_name("license")
        .map(|s| String::from_utf8_lossy(s.data.split(|&b| b == 0).next().unwrap_or(&[])).into_owned())
        .unwrap_or_default();
    let gpl_compatible = crate::program::license_is_gpl_compatible(&license);
    let st_ops = crate::struct_ops::members(&file, btf.as_ref());
    let ext = file.btf_ext().and_then(|d| btf::ext::BtfExt::parse(d).ok());

    // ---- maps and global data
    let mut maps: Vec<MapDesc> = Vec::new();
    let mut map_by_sym: HashMap<(usize, u64), u32> = HashMap::new();
    let mut data_map: HashMap<usize, u32> = HashMap::new();
    let legacy = file.legacy_maps().map_err(|e| LoadError(e.to_string()))?;
    for sec in file.sections() {
        let name = sec.name();
        if name == ".maps" {
            // BTF-defined maps: the DATASEC `.maps` gives each variable's type
            let mut by_name: HashMap<String, u32> = HashMap::new();
            if let Some(b) = &btf {
                if let Some(ds) = b.find_by_name_kind(".maps", btf::Kind::DATASEC) {
                    for v in ds.datasec_vars() {
                        if let Some(var) = b.type_by_id(v.type_id) {
                            by_name.insert(b.name_of(&var).to_string(), var.type_id());
                        }
                    }
                }
            }
            let map_relocs: Vec<(u64, String)> = file
                .relocations(sec.index)
                .map_err(|e| LoadError(e.to_string()))?
                .into_iter()
                .map(|r| (r.offset, syms[r.sym as usize].name.clone()))
                .collect();
            for s in syms.iter().filter(|s| s.section == Some(sec.index) && !s.section_sym) {
                let m = match (&btf, by_name.get(&s.name)) {
                    (Some(b), Some(tid)) => {
                        let mut m = btf_map(b, &s.name, *tid);
                        m.static_members = static_members(b, *tid, s.value, s.size, &map_relocs);
                        m
                    }
                    _ => MapDesc {
                        name: s.name.clone(),
                        map_type: 2,
                        key_size: 4,
                        value_size: 8,
                        max_entries: 1,
                        ..Default::default()
                    },
                };
                map_by_sym.insert((sec.index, s.value), maps.len() as u32);
                maps.push(m);
            }
        } else if name == "maps" || name.starts_with("maps/") {
            // legacy `struct bpf_map_def` entries, or iproute2's `struct bpf_elf_map` in
            // `maps` or `maps/NAME` (bpfobj::read::Object::legacy_maps)
            for l in legacy.iter().filter(|l| l.section == sec.index) {
                let m = MapDesc {
                    name: l.name.clone(),
                    map_type: l.map_type,
                    key_size: l.key_size,
                    value_size: l.value_size,
                    max_entries: l.max_entries,
                    flags: l.map_flags,
                    ..Default::default()
                };
                map_by_sym.insert((sec.index, l.offset), maps.len() as u32);
                maps.push(m);
            }
        } else if (name.starts_with(".data") || name.starts_with(".bss") || name.starts_with(".rodata"))
            && !name.starts_with(".rodata.str")
            || name.starts_with(".rodata.str")
        {
            let size = sec.size as u32;
            let ro = name.starts_with(".rodata");
            let mut m = MapDesc::new(2, 4, size.max(1), 1);
            m.name = name.to_string();
            if ro {
                m.flags |= BPF_F_RDONLY_PROG;
                m.frozen = Some(sec.data.to_vec());
            }
            if let Some(b) = &btf {
                // clang leaves DATASEC offsets 0; libbpf takes them from the symbols
                let offset_of = |var: &str| {
                    syms.iter().find(|s| s.section == Some(sec.index) && s.name == var).map(|s| s.value as u32)
                };
                datasec_special_fields(b, name, &offset_of, &mut m);
                m.graph_roots = crate::graph_btf::datasec_roots(b, name, &offset_of);
                refuse_value_btf(&mut m);
            }
            data_map.insert(sec.index, maps.len() as u32);
            maps.push(m);
        }
    }
    // .kconfig externs, laid out as libbpf does (alignment descending, size ascending, name)
    // and, when the kernel's configuration is known, filled and frozen as libbpf does.
    let mut kexterns = kconfig_externs(btf.as_ref(), &syms);
    kexterns.sort_by(|a, b| b.1.align().cmp(&a.1.align()).then(a.1.size().cmp(&b.1.size())).then(a.0.cmp(&b.0)));
    let mut kconfig_off: HashMap<String, u32> = HashMap::new();
    let mut kconfig_size = 0u32;
    for (name, ty, _) in &kexterns {
        let off = kconfig_size.next_multiple_of(ty.align());
        kconfig_off.insert(name.clone(), off);
        kconfig_size = off + ty.size();
    }
    let kconfig_map = {
        let mut m = MapDesc::new(2, 4, kconfig_size.max(8), 1);
        m.name = ".kconfig".into();
        m.flags |= BPF_F_RDONLY_PROG;
        if let Some(k) = &o.kconfig {
            let mut data = vec![0u8; m.value_size as usize];
            let mut all = !kexterns.is_empty();
            for (name, ty, weak) in &kexterns {
                match k.value(name, *ty, *weak, endian == Endian::Big) {
                    Some(v) => {
                        let at = kconfig_off[name] as usize;
                        data[at..at + v.len()].copy_from_slice(&v);
                    }
                    None => all = false,
                }
            }
            if all {
                m.frozen = Some(data);
            }
        }
        maps.push(m);
        maps.len() as u32 - 1
    };

    let text = file.section_by_name(".text").filter(|s| s.size > 0);
    let text_idx = text.as_ref().map(|s| s.index);
    let text_data: Vec<RawInsn> = text.as_ref().map(|s| raw_insns(s.data, endian)).unwrap_or_default();

    // functions of .text: (first insn, length)
    let mut text_funcs: Vec<(usize, usize)> = syms
        .iter()
        .filter(|s| s.section == text_idx && text_idx.is_some() && s.func)
        .map(|s| ((s.value / 8) as usize, (s.size / 8) as usize))
        .collect();
    text_funcs.sort_unstable();
    text_funcs.dedup_by_key(|f| f.0);
    for k in 0..text_funcs.len() {
        if text_funcs[k].1 == 0 {
            let end = text_funcs.get(k + 1).map(|f| f.0).unwrap_or(text_data.len());
            text_funcs[k].1 = end.saturating_sub(text_funcs[k].0);
        }
    }
    if text_funcs.is_empty() && !text_data.is_empty() {
        text_funcs.push((0, text_data.len()));
    }
    let classify = |sym: &Sym, addend: i64| -> Option<Target> {
        match sym.section {
            None => {
                // extern
                let n = &sym.name;
                if let Some(&off) = kconfig_off.get(n) {
                    Some(Target::Kconfig(off))
                } else if n.starts_with("CONFIG_") || n.starts_with("LINUX_") {
                    // no BTF to lay it out: somewhere in the map, value unknown
                    Some(Target::Kconfig(0))
                } else {
                    let k = o.kernel_btf.as_deref();
                    let func = k.is_some_and(|k| k.btf().find_by_name_kind(n, btf::Kind::FUNC).is_some());
                    let var = k.is_some_and(|k| k.btf().find_by_name_kind(n, btf::Kind::VAR).is_some());
                    Some(Target::Ksym(match (func, var) {
                        (true, _) => KsymKind::Func,
                        (false, false) if k.is_some() && sym.weak => KsymKind::Missing,
                        _ => KsymKind::Var,
                    }))
                }
            }
            Some(si) => {
                if let Some(&m) = map_by_sym.get(&(si, sym.value)) {
                    return Some(Target::Map(m));
                }
                if let Some(&m) = data_map.get(&si) {
                    return Some(Target::Data(m, sym.value as i64 + addend));
                }
                if file.section(si).is_some_and(|s| s.is_exec()) {
                    return Some(Target::Func(si, (sym.value as i64 + addend) as u64));
                }
                if let Some(s) = file.section(si) {
                    if s.name() == ".maps" || s.name() == "maps" || s.name().starts_with("maps/") {
                        // section symbol + addend into .maps
                        let off = sym.value as i64 + addend;
                        return map_by_sym.get(&(si, off as u64)).map(|&m| Target::Map(m));
                    }
                }
                None
            }
        }
    };

    // ---- programs
    let mut progs = Vec::new();
    let local_types = std::sync::Arc::new(btf.as_ref().map(crate::graph_btf::LocalTypes::from_btf).unwrap_or_default());
    for ps in file.programs() {
        let Some(sec) = file.section(ps.section) else { continue };
        let (name, def, prog_type, attach) = (ps.name, ps.def, ps.prog_type, ps.attach_type);
        let data = sec.data;
        let all = raw_insns(data, endian);
        let relocs: Vec<(u64, u32, usize)> = file
            .relocations(sec.index)
            .map_err(|e| LoadError(e.to_string()))?
            .into_iter()
            .map(|r| (r.offset, r.r_type, r.sym as usize))
            .collect();
        let text_relocs: Vec<(u64, u32, usize)> = match text_idx {
            Some(t) => file.relocations(t).map_err(|e| LoadError(e.to_string()))?,
            None => Vec::new(),
        }
        .into_iter()
        .map(|r| (r.offset, r.r_type, r.sym as usize))
        .collect();
        let mut funcs: Vec<&Sym> = syms.iter().filter(|s| s.section == Some(sec.index) && s.func && s.global).collect();
        funcs.sort_by_key(|s| s.value);
        if funcs.is_empty() {
            // a section without function symbols is one program
            funcs = syms.iter().filter(|s| s.section == Some(sec.index) && s.func).collect();
        }
        let entries: Vec<(String, u64, u64)> = if funcs.is_empty() {
            vec![(name.clone(), 0, data.len() as u64)]
        } else {
            funcs
                .iter()
                .map(|f| {
                    (
                        f.name.clone(),
                        f.value,
                        if f.size > 0 { f.size } else { (data.len() as u64).saturating_sub(f.value) },
                    )
                })
                .collect()
        };
        for (pname, start, size) in entries {
            let s0 = (start / 8) as usize;
            let n = (size / 8) as usize;
            let mut raw: Vec<RawInsn> = all.get(s0..(s0 + n).min(all.len())).unwrap_or(&[]).to_vec();
            let main_len = raw.len();
            let (prog_type, attach) = match o.prog_types.iter().rev().find(|t| t.applies(&name, &pname)) {
                Some(t) if def.is_none() => (t.prog_type, t.attach_type),
                _ => (prog_type, attach),
            };
            let mut p = Program::from_raw(&pname, &[], prog_type);
            p.attach_type = attach;
            p.btf_ctx = o.kernel_btf.as_deref().and_then(|k| btf_ctx(k, &name, prog_type, attach));
            p.kernel_btf = o.kernel_btf.clone();
            p.kconfig = o.kconfig.clone();
            p.profile = o.profile;
            p.permissive = o.permissive;
            p.func_info = btf.is_some() && ext.as_ref().is_some_and(|e| !e.func_info.is_empty());
            p.gpl_compatible = gpl_compatible;
            p.struct_ops = st_ops.get(&pname).cloned();
            p.local_types = local_types.clone();
            p.set_maps(maps.clone());
            let mut kfunc_names: HashMap<usize, String> = HashMap::new();
            // the first relocation of each instruction (by instruction index): a look-up per
            // instruction instead of a search of every relocation
            let first_rel = |rels: &[(u64, u32, usize)]| {
                let mut at: HashMap<u64, usize> = HashMap::new();
                for (k, r) in rels.iter().enumerate() {
                    at.entry(r.0 / 8).or_insert(k);
                }
                at
            };
            let (rel_at, text_rel_at) = (first_rel(&relocs), first_rel(&text_relocs));
            // Chunks: (source section is .text?, first source insn, length, position in `raw`).
            let mut chunks: Vec<(bool, usize, usize, usize)> = vec![(false, s0, main_len, 0)];
            // the exception callback the main function's declaration tag names
            let exc_tags: Vec<&str> = btf
                .as_ref()
                .and_then(|b| b.find_by_name_kind(&pname, btf::Kind::FUNC))
                .and_then(|f| decl_tags.get(&f.id()))
                .map(|t| {
                    t.iter()
                        .filter(|(c, _)| *c == -1)
                        .filter_map(|(_, v)| v.strip_prefix("exception_callback:"))
                        .collect()
                })
                .unwrap_or_default();
            p.exception_cb_tags = exc_tags.len();
            let exc_src = exc_tags.first().and_then(|n| {
                syms.iter().find(|s| s.section == text_idx && s.func && s.name == *n).map(|s| (s.value / 8) as usize)
            });
            let mut exc_pending = exc_src;
            let mut k = 0;
            loop {
                if k >= chunks.len() {
                    let Some(es) = exc_pending.take() else { break };
                    if let Some(&(fs, fl)) = text_funcs.iter().find(|(fs, _)| *fs == es) {
                        if !chunks.iter().any(|c| c.0 && c.1 == fs) {
                            let pos = raw.len();
                            let code = text_data.get(fs..fs + fl).unwrap_or(&[]);
                            raw.extend_from_slice(code);
                            chunks.push((true, fs, code.len(), pos));
                        }
                    }
                    continue;
                }
                let (in_text, src0, len, _) = chunks[k];
                k += 1;
                let rels: &[(u64, u32, usize)] = if in_text { &text_relocs } else { &relocs };
                let at = if in_text { &text_rel_at } else { &rel_at };
                let code: &[RawInsn] = if in_text { &text_data } else { &all };
                let mut targets = Vec::new();
                for i in src0..src0 + len {
                    let Some(ins) = code.get(i) else { continue };
                    let rel = at.get(&(i as u64)).map(|&k| &rels[k]);
                    match rel {
                        Some(&(_, t, si)) => {
                            let sym = &syms[si];
                            if sym.section.is_none() || sym.section != text_idx {
                                continue;
                            }
                            if t == 10 && ins.code == 0x85 {
                                targets.push(((sym.value / 8) as i64 + ins.imm as i64 + 1) as usize);
                            } else if t == 1 && ins.code == 0x18 {
                                targets.push(((sym.value as i64 + ins.imm as i64) / 8) as usize);
                            }
                        }
                        None => {
                            if in_text && ins.code == 0x85 && ins.src == 1 {
                                targets.push((i as i64 + ins.imm as i64 + 1) as usize);
                            }
                        }
                    }
                }
                for t in targets {
                    let Some(&(fs, fl)) = text_funcs.iter().find(|(fs, fl)| t >= *fs && t < fs + fl) else { continue };
                    if chunks.iter().any(|c| c.0 && c.1 == fs) {
                        continue;
                    }
                    let pos = raw.len();
                    // Hostile objects can name functions past the section's end: record what was
                    // really copied.
                    let code = text_data.get(fs..fs + fl).unwrap_or(&[]);
                    raw.extend_from_slice(code);
                    chunks.push((true, fs, code.len(), pos));
                }
            }
            let place = |in_text: bool, src: usize| -> Option<usize> {
                chunks.iter().find(|c| c.0 == in_text && src >= c.1 && src < c.1 + c.2).map(|c| c.3 + src - c.1)
            };
            p.exception_cb = exc_src.and_then(|es| place(true, es));
            // apply relocations
            for &(in_text, src0, len, pos) in &chunks {
                let rels: &[(u64, u32, usize)] = if in_text { &text_relocs } else { &relocs };
                let at = if in_text { &text_rel_at } else { &rel_at };
                for &(off, rtype, si) in rels {
                    let i = (off / 8) as usize;
                    if i < src0 || i >= src0 + len {
                        continue;
                    }
                    let idx = pos + i - src0;
                    let Some(ins) = raw.get(idx).copied() else { continue };
                    let sym = &syms[si];
                    if rtype == 1 && ins.code == 0x18 {
                        let addend = ins.imm as i64;
                        match classify(sym, addend) {
                            Some(Target::Map(m)) => {
                                raw[idx].src = 1;
                                raw[idx].imm = 0;
                                p.ld_refs.insert(idx, crate::program::LdRef::Map(m));
                            }
                            Some(Target::Data(m, off)) => {
                                raw[idx].src = 2;
                                raw[idx].imm = 0;
                                if let Some(n2) = raw.get_mut(idx + 1) {
                                    n2.imm = off as i32;
                                }
                                p.ld_refs.insert(idx, crate::program::LdRef::Map(m));
                            }
                            Some(Target::Kconfig(off)) => {
                                raw[idx].src = 2;
                                raw[idx].imm = 0;
                                if let Some(n2) = raw.get_mut(idx + 1) {
                                    n2.imm = off as i32;
                                }
                                p.ld_refs.insert(idx, crate::program::LdRef::Map(kconfig_map));
                            }
                            // BPF_PSEUDO_BTF_ID; the immediate says what the verifier model makes of
                            // it (verifier/alu.rs ld_imm64()); a missing weak symbol is 0
                            Some(Target::Ksym(kind)) => {
                                // a kernel variable needs its address from kallsyms, which has
                                // only functions unless CONFIG_KALLSYMS_ALL (check_pseudo_btf_id())
                                let no_data_syms = o
                                    .kconfig
                                    .as_deref()
                                    .is_some_and(|k| k.values.get("CONFIG_KALLSYMS_ALL").is_none_or(|v| v == "n"));
                                if matches!(kind, KsymKind::Var) && no_data_syms && o.kernel_btf.is_some() {
                                    p.ksym_unresolved.push((idx, sym.name.clone()));
                                }
                                let (src, imm) = match kind {
                                    KsymKind::Func => (3, 1),
                                    KsymKind::Var => (3, 0),
                                    KsymKind::Missing => (0, 0),
                                };
                                raw[idx].src = src;
                                raw[idx].imm = imm;
                                if let Some(n2) = raw.get_mut(idx + 1) {
                                    n2.imm = 0;
                                }
                            }
                            Some(Target::Func(fsi, off)) => {
                                let t = if Some(fsi) == text_idx {
                                    place(true, (off / 8) as usize)
                                } else if fsi == sec.index {
                                    place(false, (off / 8) as usize)
                                } else {
                                    None
                                };
                                raw[idx].src = 4;
                                raw[idx].imm = t.map(|t| (t as i64 - idx as i64 - 1) as i32).unwrap_or(i32::MAX);
                                if let Some(n2) = raw.get_mut(idx + 1) {
                                    n2.imm = 0;
                                }
                            }
                            None => {}
                        }
                    } else if rtype == 10 && ins.code == 0x85 {
                        if sym.section.is_none() {
                            raw[idx].src = 2;
                            kfunc_names.insert(idx, sym.name.clone());
                        } else {
                            let in_sec = ((sym.value / 8) as i64 + ins.imm as i64 + 1) as usize;
                            let t = if sym.section == text_idx { place(true, in_sec) } else { place(false, in_sec) };
                            raw[idx].src = 1;
                            raw[idx].imm = t.map(|t| (t as i64 - idx as i64 - 1) as i32).unwrap_or(i32::MAX);
                        }
                    }
                }
                // calls inside .text resolved by the assembler (no relocation)
                if in_text {
                    for i in src0..src0 + len {
                        let idx = pos + i - src0;
                        let Some(&ins) = raw.get(idx) else { break };
                        if ins.code == 0x85 && ins.src == 1 && !at.contains_key(&(i as u64)) {
                            let t = place(true, (i as i64 + ins.imm as i64 + 1) as usize);
                            raw[idx].imm = t.map(|t| (t as i64 - idx as i64 - 1) as i32).unwrap_or(i32::MAX);
                        }
                    }
                }
            }
            let uses_text = chunks.len() > 1;
            p.slots = Program::decode(&raw);
            for (idx, nm) in kfunc_names {
                if let Some((op, kind, slots, elem_mem)) = o.kernel_btf.as_deref().and_then(|k| k.iter_kfunc(&nm)) {
                    let k = match p.iter_kinds.iter().position(|x| *x == kind) {
                        Some(k) => k,
                        None => {
                            p.iter_kinds.push(kind);
                            p.iter_kinds.len() - 1
                        }
                    };
                    p.iter_calls.insert(idx, crate::program::IterCall { op, kind: k as u32, slots, elem_mem });
                }
                p.kfuncs.insert(idx, nm);
            }
            // line info
            if let (Some(ext), Some(b)) = (&ext, &btf) {
                for recs in &ext.line_info {
                    let sname = b.str_at(recs.sec_name_off).unwrap_or("");
                    for li in &recs.records {
                        let at = (li.insn_off / 8) as usize;
                        let idx = if sname == name {
                            if at < s0 || at >= s0 + main_len {
                                continue;
                            }
                            at - s0
                        } else if sname == ".text" && uses_text {
                            match chunks.iter().find(|c| c.0 && at >= c.1 && at < c.1 + c.2) {
                                Some(c) => c.3 + at - c.1,
                                None => continue,
                            }
                        } else {
                            continue;
                        };
                        let file_name = b.str_at(li.file_name_off).unwrap_or("").to_string();
                        p.lines.push((idx, file_name, li.line(), li.column()));
                    }
                }
                p.lines.sort_by_key(|l| l.0);
                for recs in &ext.core_relos {
                    let sname = b.str_at(recs.sec_name_off).unwrap_or("");
                    for r in &recs.records {
                        let at = (r.insn_off / 8) as usize;
                        let idx = if sname == name {
                            if at < s0 || at >= s0 + main_len {
                                continue;
                            }
                            at - s0
                        } else if sname == ".text" && uses_text {
                            match chunks.iter().find(|c| c.0 && at >= c.1 && at < c.1 + c.2) {
                                Some(c) => c.3 + at - c.1,
                                None => continue,
                            }
                        } else {
                            continue;
                        };
                        p.core_relos.insert(idx);
                        if r.kind == btf::ext::CoreReloKind::TYPE_ID_TARGET {
                            let id = o.kernel_btf.as_deref().map(|k| k.core_type_id(b, r.type_id) as u64);
                            patch_core_insn(&mut p.slots, idx, id);
                        }
                        if r.kind == btf::ext::CoreReloKind::FIELD_BYTE_OFFSET {
                            let access = b.str_at(r.access_str_off).unwrap_or("");
                            let off = o.kernel_btf.as_deref().and_then(|k| k.core_field_offset(b, r.type_id, access));
                            if !patch_core_insn(&mut p.slots, idx, off) {
                                p.core_unresolved.insert(idx);
                            }
                        }
                    }
                }
            }
            // function prototypes from BTF (for context-type checks of calls)
            if let Some(b) = &btf {
                for &(in_text, src0, _, pos) in &chunks {
                    let (fname, global) = if in_text {
                        match syms.iter().find(|s| s.section == text_idx && s.func && (s.value / 8) as usize == src0) {
                            Some(s) => (s.name.clone(), s.global),
                            None => continue,
                        }
                    } else {
                        (pname.clone(), true)
                    };
                    let ctx = bpfobj::progsec::ctx_struct(prog_type);
                    if let Some(sig) = func_sig(b, &decl_tags, &fname, pos, global, ctx) {
                        p.func_sigs.push(sig);
                    }
                }
            }
            p.section = name.clone();
            p.name = pname;
            progs.push(p);
        }
    }
    Ok(progs)
}

/// The declaration tags of functions' parameters (`arg:ctx`, `arg:nonnull`...): FUNC type id ->
/// (component index, tag), read once per object.
fn func_decl_tags(b: &Btf) -> HashMap<u32, Vec<(i32, String)>> {
    let mut m: HashMap<u32, Vec<(i32, String)>> = HashMap::new();
    for t in b.types().filter(|t| t.kind() == btf::Kind::DECL_TAG) {
        m.entry(t.type_id()).or_default().push((t.decl_tag_component(), b.name_of(&t).to_string()));
    }
    m
}

/// How the kernel types a global function's arguments (kernel/bpf/btf.c,
/// btf_prepare_func_args()): `arg:*` declaration tags first, then pointers to the program's
/// context struct, pointers to sized memory (maybe NULL), integers and enums.
fn global_params(
    b: &Btf,
    tags: &[(i32, String)],
    proto: &btf::Type<'_>,
    ctx_struct: Option<&str>,
) -> Vec<crate::program::GlobalArg> {
    use crate::program::GlobalArg;
    proto
        .params()
        .enumerate()
        .map(|(i, prm)| {
            let tag = |n: &str| tags.iter().any(|(c, v)| *c == i as i32 && v == n);
            let t = b.type_by_id(b.skip_mods_and_typedefs(prm.type_id));
            let Some(t) = t else { return GlobalArg::Other };
            // kernel/bpf/btf.c btf_prepare_func_args(), ARG_TAG_UNTRUSTED (Linux 6.16+): alone,
            // on a pointer to void, a primitive type (read-only untrusted memory) or a struct the
            // kernel's BTF has (an untrusted kernel object)
            if tag("arg:untrusted") {
                let others = tags.iter().any(|(c, v)| *c == i as i32 && v.starts_with("arg:") && v != "arg:untrusted");
                if others {
                    return GlobalArg::Refused(format!("arg#{i} untrusted cannot be combined with any other tags"));
                }
                if t.kind() != btf::Kind::PTR {
                    return GlobalArg::Other;
                }
                let target = b.skip_mods_and_typedefs(t.type_id());
                let pt = b.type_by_id(target);
                let kind = pt.as_ref().map(|p| p.kind());
                return match kind {
                    None => GlobalArg::Untrusted { target: String::new() },
                    Some(btf::Kind::INT | btf::Kind::ENUM | btf::Kind::ENUM64 | btf::Kind::FLOAT) => {
                        GlobalArg::Untrusted { target: String::new() }
                    }
                    Some(btf::Kind::STRUCT) => {
                        let name = pt.as_ref().map(|p| b.name_of(p)).unwrap_or("");
                        let name = name.split_once("___").map_or(name, |(n, _)| n);
                        GlobalArg::Untrusted { target: name.to_string() }
                    }
                    _ => GlobalArg::Other,
                };
            }
            if tag("arg:ctx") {
                return GlobalArg::Ctx;
            }
            if tag("arg:trusted") && !tag("arg:arena") && t.kind() == btf::Kind::PTR {
                return GlobalArg::Trusted { nullable: tag("arg:nullable") };
            }
            if tag("arg:trusted") || tag("arg:arena") {
                return GlobalArg::Other;
            }
            match t.kind() {
                btf::Kind::INT | btf::Kind::ENUM | btf::Kind::ENUM64 => GlobalArg::Scalar,
                btf::Kind::PTR => {
                    let target = b.skip_mods_and_typedefs(t.type_id());
                    let pt = b.type_by_id(target);
                    let name = pt.as_ref().map(|p| b.name_of(p)).unwrap_or("");
                    // the program's context struct; `void *` is how tracing programs pass
                    // their context on (btf_get_prog_ctx_type())
                    const TRACING_CTX: &[&str] = &[
                        "pt_regs",
                        "bpf_user_pt_regs_t",
                        "user_pt_regs",
                        "bpf_raw_tracepoint_args",
                        "bpf_perf_event_data",
                    ];
                    let tracing = ctx_struct.is_none_or(|c| TRACING_CTX.contains(&c));
                    let composite = pt.as_ref().is_some_and(|p| p.is_composite());
                    if composite && (Some(name) == ctx_struct || tracing && TRACING_CTX.contains(&name)) || target == 0
                    {
                        return GlobalArg::Ctx;
                    }
                    if name == "bpf_dynptr" {
                        return GlobalArg::Dynptr;
                    }
                    if name.starts_with("bpf_iter_") {
                        return GlobalArg::Other;
                    }
                    match pt.and_then(|_| b.resolve_size(target)) {
                        Some(size) if size > 0 => GlobalArg::Mem { size: size as u32, nullable: !tag("arg:nonnull") },
                        _ => GlobalArg::Other,
                    }
                }
                _ => GlobalArg::Other,
            }
        })
        .collect()
}

/// A function's BTF prototype: per argument, the struct it points to, and how the kernel types
/// it when the function is global.
fn func_sig(
    b: &Btf,
    decl_tags: &HashMap<u32, Vec<(i32, String)>>,
    fname: &str,
    start: usize,
    global: bool,
    ctx_struct: Option<&str>,
) -> Option<crate::program::FuncSig> {
    let f = b.find_by_name_kind(fname, btf::Kind::FUNC)?;
    let proto = b.type_by_id(f.type_id())?;
    let mut arg_structs = Vec::new();
    for prm in proto.params() {
        let t = b.type_by_id(b.skip_mods_and_typedefs(prm.type_id));
        let s = t
            .filter(|t| t.kind() == btf::Kind::PTR)
            .and_then(|t| b.type_by_id(b.skip_mods_and_typedefs(t.type_id())))
            .filter(|t| t.is_composite() || t.kind() == btf::Kind::FWD)
            .map(|t| b.name_of(&t).to_string())
            .unwrap_or_default();
        arg_structs.push(s);
    }
    let global = global && f.func_linkage() != btf::Linkage::STATIC;
    let tags = decl_tags.get(&f.id()).map_or(&[][..], Vec::as_slice);
    let params = global_params(b, tags, &proto, ctx_struct);
    let ret = b.type_by_id(b.skip_mods_and_typedefs(proto.type_id()));
    let ret_scalar = ret.is_some_and(|t| matches!(t.kind(), btf::Kind::INT | btf::Kind::ENUM | btf::Kind::ENUM64));
    Some(crate::program::FuncSig { start, name: fname.to_string(), global, arg_structs, params, ret_scalar })
}

/// Statically initialised program-array slots of a BTF-defined map: relocations of `.maps`
/// pointing at programs, inside the map's `values` member.
fn static_members(
    btf: &Btf,
    var_type: u32,
    map_off: u64,
    map_size: u64,
    relocs: &[(u64, String)],
) -> Vec<(u32, String)> {
    let Some(t) = btf.type_by_id(btf.skip_mods_and_typedefs(var_type)) else { return Vec::new() };
    if !t.is_composite() {
        return Vec::new();
    }
    let Some(values) = t.members().find(|m| btf.str_at(m.name_off) == Some("values")) else { return Vec::new() };
    let start = map_off + (values.bit_offset / 8) as u64;
    let end = map_off + map_size.max(1);
    relocs.iter().filter(|(o, _)| *o >= start && *o < end).map(|(o, n)| (((o - start) / 8) as u32, n.clone())).collect()
}

/// Put the kernel's value of a CO-RE relocation (`off`: a field offset or a type id) into the
/// instruction at `idx`, as libbpf does before loading (tools/lib/bpf/relo_core.c,
/// bpf_core_patch_insn(): the offset of a load or store, the immediate of an ALU or
/// `ld_imm64`). False when there is no value or no such instruction: the instruction keeps
/// what it was compiled with.
fn patch_core_insn(slots: &mut [crate::program::Slot], idx: usize, off: Option<u64>) -> bool {
    let (Some(off), Some(crate::program::Slot::Insn(insn, _))) = (off, slots.get_mut(idx)) else { return false };
    // instruction classes: 0 LD, 1 LDX, 2 ST, 3 STX, 4 ALU, 7 ALU64
    match insn.form().class() {
        1..=3 => match i16::try_from(off) {
            Ok(o) => insn.off = o,
            Err(_) => return false,
        },
        0 | 4 | 7 => match i32::try_from(off) {
            Ok(v) => insn.imm = v as i64,
            Err(_) => return false,
        },
        _ => return false,
    }
    true
}

fn raw_insns(d: &[u8], e: Endian) -> Vec<RawInsn> {
    d.chunks_exact(8)
        .map(|c| {
            let b: [u8; 8] = [c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]];
            RawInsn::from_bytes(&b, e)
        })
        .collect()
}
