//! bpflint: an offline BPF verifier. It reads BPF ELF objects (or raw instruction arrays),
//! explores every path of each program in the kernel verifier's terms (tnums, signed/unsigned
//! 64/32-bit ranges, typed pointers, stack slots, references, helper prototypes, context rules)
//! and predicts the kernel's verdict, explaining rejections in plain language.
//!
//! Entry points: [`analyze_raw`] for raw instructions (test_verifier style), [`object::load`]
//! plus [`verifier::verify`] for ELF objects.

pub mod cfg;
pub mod ctx;
pub mod diag;
pub mod domain;
pub mod graph_btf;
pub mod helpers;
pub mod helpers_measured;
pub mod kconfig;
pub mod kernel_btf;
pub mod kfuncs;
pub mod limits;
pub mod lints;
pub mod object;
pub mod profile;
pub mod program;
pub mod render;
pub mod struct_ops;
pub mod tv;
pub mod verifier;

pub use diag::{Code, Diag};
pub use profile::Profile;
pub use program::{LdRef, MapDesc, Program};
pub use verifier::{verify, Verdict};

use bpf_isa::RawInsn;
use bpfobj::uapi::{AttachType, ProgType};

/// Options for [`analyze_raw`].
#[derive(Clone, Debug)]
pub struct RawOptions {
    pub prog_type: ProgType,
    pub attach_type: AttachType,
    pub strict_alignment: bool,
    pub profile: &'static Profile,
    /// Maps, and which `ld_imm64` (by instruction index) loads which map.
    pub maps: Vec<MapDesc>,
    pub map_refs: Vec<(usize, u32)>,
    /// The kernel's configuration (default: the running kernel's): which helpers are built in.
    pub kconfig: Option<std::sync::Arc<kconfig::Kconfig>>,
    /// Loaded with BTF func_info (one record per function).
    pub func_info: bool,
}

impl Default for RawOptions {
    fn default() -> Self {
        RawOptions {
            prog_type: ProgType::SOCKET_FILTER,
            attach_type: AttachType(0),
            strict_alignment: false,
            profile: Profile::native(),
            maps: Vec::new(),
            map_refs: Vec::new(),
            kconfig: object::native_kconfig(),
            func_info: false,
        }
    }
}

/// Verify a raw instruction array (8-byte slots, `ld_imm64` as two slots; map references by
/// `BPF_PSEUDO_MAP_FD`/`BPF_PSEUDO_MAP_VALUE` with `map_refs` naming the map).
pub fn analyze_raw(insns: &[RawInsn], opts: &RawOptions) -> Verdict {
    let mut p = Program::from_raw("prog", insns, opts.prog_type);
    p.attach_type = opts.attach_type;
    p.strict_alignment = opts.strict_alignment;
    p.profile = opts.profile;
    p.set_maps(opts.maps.clone());
    p.kconfig = opts.kconfig.clone();
    p.func_info = opts.func_info;
    for &(idx, m) in &opts.map_refs {
        p.ld_refs.insert(idx, LdRef::Map(m));
    }
    verify(&p)
}

/// Never panics: analyse arbitrary bytes as an ELF object (the fuzz entry point).
pub fn analyze_object_bytes(data: &[u8]) -> Vec<(String, Verdict)> {
    match object::load(data, &object::LoadOptions::default()) {
        Ok(progs) => progs.iter().map(|p| (p.name.clone(), verify(p))).collect(),
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(v: &[(u8, u8, u8, i16, i32)]) -> Vec<RawInsn> {
        v.iter().map(|&(code, dst, src, off, imm)| RawInsn { code, dst, src, off, imm }).collect()
    }

    #[test]
    fn accepts_return_zero() {
        let v = analyze_raw(&raw(&[(0xb7, 0, 0, 0, 0), (0x95, 0, 0, 0, 0)]), &RawOptions::default());
        assert!(v.accepted(), "{:?}", v.error);
    }

    #[test]
    fn rejects_uninit_r0() {
        let v = analyze_raw(&raw(&[(0x95, 0, 0, 0, 0)]), &RawOptions::default());
        let e = v.error.expect("rejected");
        assert_eq!(e.code, Code::UninitReg);
        assert_eq!(e.kernel, "R0 !read_ok");
    }

    #[test]
    fn map_lookup_needs_null_check() {
        // r1 = 0; *(u64 *)(r10 - 8) = r1; r2 = r10; r2 += -8; r1 = map; call 1; r0 = *(u64 *)(r0 + 0); exit
        let prog = raw(&[
            (0xb7, 1, 0, 0, 0),
            (0x7b, 10, 1, -8, 0),
            (0xbf, 2, 10, 0, 0),
            (0x07, 2, 0, 0, -8),
            (0x18, 1, 1, 0, 3),
            (0x00, 0, 0, 0, 0),
            (0x85, 0, 0, 0, 1),
            (0x79, 0, 0, 0, 0),
            (0x95, 0, 0, 0, 0),
        ]);
        let opts = RawOptions { maps: vec![MapDesc::new(1, 8, 8, 1)], map_refs: vec![(4, 0)], ..Default::default() };
        let e = analyze_raw(&prog, &opts).error.expect("rejected");
        assert_eq!(e.kernel, "R0 invalid mem access 'map_value_or_null'");
        assert_eq!(e.insn, 7);
    }

    #[test]
    fn bounded_loop_terminates() {
        // r6 = 0; loop: r6 += 1; if r6 < 100 goto loop; r0 = 0; exit
        let prog = raw(&[
            (0xb7, 6, 0, 0, 0),
            (0x07, 6, 0, 0, 1),
            (0xa5, 6, 0, -2, 100),
            (0xb7, 0, 0, 0, 0),
            (0x95, 0, 0, 0, 0),
        ]);
        assert!(analyze_raw(&prog, &RawOptions::default()).accepted());
        // an endless loop is reported
        let prog = raw(&[(0xb7, 0, 0, 0, 0), (0x05, 0, 0, -1, 0), (0x95, 0, 0, 0, 0)]);
        let e = analyze_raw(&prog, &RawOptions::default()).error.expect("rejected");
        assert!(matches!(e.code, Code::InfiniteLoop | Code::Unreachable), "{e:?}");
    }

    #[test]
    fn hostile_input_does_not_panic() {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..2000 {
            let n = (x % 24) as usize + 1;
            let mut v = Vec::new();
            for _ in 0..n {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let b = x.to_le_bytes();
                v.push(RawInsn::from_bytes(&b, bpf_isa::Endian::Little));
            }
            let _ = analyze_raw(&v, &RawOptions::default());
            let _ = analyze_object_bytes(&x.to_le_bytes());
        }
    }
}
