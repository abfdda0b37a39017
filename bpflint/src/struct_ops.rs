//! struct_ops programs: which member of which kernel struct each one implements, read from the
//! object as libbpf reads it (a `.struct_ops` / `.struct_ops.link` variable of the struct's
//! type whose function-pointer members are relocated to the programs:
//! tools/lib/bpf/libbpf.c bpf_object__collect_st_ops_relos()), and the members the kernel
//! refuses to attach to (kernel/bpf/verifier.c check_struct_ops_btf_id()).

use std::collections::HashMap;

use bpfobj::read::Object;
use btf::{Btf, Kind};

/// Program symbol -> (struct name, member name), for every struct_ops section of the object.
pub fn members(file: &Object<'_>, btf: Option<&Btf<'_>>) -> HashMap<String, (String, String)> {
    let mut out = HashMap::new();
    let Some(btf) = btf else { return out };
    for sec in file.sections() {
        let name = sec.name();
        if name != ".struct_ops" && name != ".struct_ops.link" {
            continue;
        }
        let Some(ds) = btf.find_by_name_kind(name, Kind::DATASEC) else { continue };
        let vars: Vec<_> = ds.datasec_vars().collect();
        for r in file.relocations(sec.index).unwrap_or_default() {
            let off = r.offset;
            let Some(sym) = file.symbol(r.sym as usize) else { continue };
            let prog = sym.name().to_string();
            let Some(v) = vars.iter().find(|v| off >= v.offset as u64 && off < v.offset as u64 + v.size as u64) else {
                continue;
            };
            let Some(var) = btf.type_by_id(v.type_id) else { continue };
            let Some(st) = btf.type_by_id(btf.skip_mods_and_typedefs(var.type_id())) else { continue };
            let at = (off - v.offset as u64) as u32;
            let Some(m) = st.members().find(|m| m.bit_offset / 8 == at) else { continue };
            let sname = btf.name_of(&st);
            // libbpf matches the kernel struct by its name without a `___flavour` suffix
            let sname = sname.split("___").next().unwrap_or(sname).to_string();
            let mname = btf.str_at(m.name_off).unwrap_or("").to_string();
            out.insert(prog, (sname, mname));
        }
    }
    out
}

/// The kernel's refusal to attach a program to `member` of `st` (None: allowed).
/// - members the kernel's CFI stubs leave NULL are unsupported (bpf_struct_ops_supported()):
///   tcp_congestion_ops.get_info (net/ipv4/bpf_tcp_ca.c, __bpf_ops_tcp_congestion_ops);
/// - bpf_dummy_ops: only test_sleepable may be sleepable (net/bpf/bpf_dummy_struct_ops.c,
///   bpf_dummy_ops_check_member()).
pub fn check_member(st: &str, member: &str, sleepable: bool) -> Option<String> {
    let unsupported = match st {
        "tcp_congestion_ops" => member == "get_info",
        "bpf_dummy_ops" => sleepable && member != "test_sleepable",
        _ => false,
    };
    unsupported.then(|| format!("attach to unsupported member {member} of struct {st}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_the_kernel_refuses() {
        assert!(check_member("tcp_congestion_ops", "get_info", false).is_some());
        assert_eq!(check_member("tcp_congestion_ops", "cong_avoid", false), None);
        assert!(check_member("bpf_dummy_ops", "test_2", true).unwrap().contains("test_2 of struct bpf_dummy_ops"));
        assert_eq!(check_member("bpf_dummy_ops", "test_sleepable", true), None);
        assert_eq!(check_member("bpf_dummy_ops", "test_2", false), None);
    }
}
