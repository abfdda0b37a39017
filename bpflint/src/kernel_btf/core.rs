//! CO-RE field offsets: where a field the program's BTF names (`struct task_struct___old`,
//! access `0:2:1`) sits in the kernel's own types, as libbpf computes it before loading
//! (tools/lib/bpf/relo_core.c: bpf_core_parse_spec(), bpf_core_spec_match(),
//! bpf_core_calc_field_relo()). bpflint reads objects before libbpf has patched them, so the
//! offsets in load instructions are the ones of the headers the program was built with;
//! this gives the ones the kernel will see.

use btf::{Btf, Kind};

use super::KernelBtf;

use crate::limits::MAX_CORE_ACCESS as MAX_ACCESS;

/// One step of a local access: a member (by name) or an array element.
enum Access<'a> {
    Member(&'a str),
    Index(u64),
}

impl KernelBtf {
    /// The byte offset in the kernel's types of the field `local` (a type id of the program's
    /// BTF `prog`) and `access` (`0:1:2`) name, or None when no kernel type matches (libbpf then
    /// fails or poisons the instruction) or the field is a bitfield.
    pub fn core_field_offset(&self, prog: &Btf<'_>, local: u32, access: &str) -> Option<u64> {
        let (root, steps) = local_spec(prog, local, access)?;
        let root_t = prog.type_by_id(root)?;
        let name = prog.name_of(&root_t);
        let essential = name.split("___").next().unwrap_or(name);
        if essential.is_empty() {
            return None;
        }
        let kind = root_t.kind();
        let k = &self.btf;
        let mut found = None;
        for id in k.ids_by_name(essential) {
            let Some(t) = k.type_by_id(id) else { continue };
            if t.kind() != kind {
                continue;
            }
            if let Some(off) = target_offset(k, id, &steps) {
                match found {
                    None => found = Some(off),
                    // candidates that disagree: libbpf refuses the relocation as ambiguous
                    Some(o) if o != off => return None,
                    Some(_) => {}
                }
            }
        }
        found
    }
}

impl KernelBtf {
    /// The kernel's id of the type the program's BTF names `local` (`bpf_core_type_id_kernel()`,
    /// a TYPE_ID_TARGET relocation): the first kernel type of the same kind whose name matches
    /// without a `___flavour` suffix; 0 when there is none (libbpf then patches in 0).
    pub fn core_type_id(&self, prog: &Btf<'_>, local: u32) -> u32 {
        let Some(t) = prog.type_by_id(local) else { return 0 };
        let name = prog.name_of(&t);
        let essential = name.split("___").next().unwrap_or(name);
        if essential.is_empty() {
            return 0;
        }
        let k = &self.btf;
        k.ids_by_name(essential).find(|&id| k.type_by_id(id).is_some_and(|c| c.kind() == t.kind())).unwrap_or(0)
    }
}

/// The program's side: the root struct and the steps the access string takes through it.
fn local_spec<'a>(b: &Btf<'a>, local: u32, access: &str) -> Option<(u32, Vec<Access<'a>>)> {
    let mut idx = access.split(':').map(|s| s.parse::<u64>().ok());
    let first = idx.next()??;
    let root = b.skip_mods_and_typedefs(local);
    let mut steps = vec![Access::Index(first)];
    let mut id = root;
    for (n, i) in idx.enumerate() {
        if n >= MAX_ACCESS {
            return None;
        }
        let i = i?;
        let t = b.type_by_id(id)?;
        match t.kind() {
            Kind::STRUCT | Kind::UNION => {
                let m = t.members().nth(i as usize)?;
                if m.bitfield_size != 0 {
                    return None;
                }
                let name = b.str_at(m.name_off).unwrap_or("");
                if name.is_empty() {
                    // an anonymous member: the kernel's layout of it is found through the
                    // named field inside it (bpf_core_spec_match() skips anonymous steps)
                    id = b.skip_mods_and_typedefs(m.type_id);
                    continue;
                }
                steps.push(Access::Member(name));
                id = b.skip_mods_and_typedefs(m.type_id);
            }
            Kind::ARRAY => {
                steps.push(Access::Index(i));
                id = b.skip_mods_and_typedefs(t.array().elem_type);
            }
            _ => return None,
        }
    }
    Some((root, steps))
}

/// The kernel's side: follow the steps by member name from kernel type `root`.
fn target_offset(k: &Btf<'_>, root: u32, steps: &[Access<'_>]) -> Option<u64> {
    let mut id = k.skip_mods_and_typedefs(root);
    let mut bits: u64 = 0;
    for (n, s) in steps.iter().enumerate() {
        match *s {
            Access::Index(i) if n == 0 => bits += i * k.resolve_size(id)? * 8,
            Access::Index(i) => {
                let t = k.type_by_id(id).filter(|t| t.kind() == Kind::ARRAY)?;
                let a = t.array();
                if i >= a.nelems as u64 && !(a.nelems == 0 && i == 0) {
                    return None;
                }
                let elem = k.skip_mods_and_typedefs(a.elem_type);
                bits += i * k.resolve_size(elem).unwrap_or(0) * 8;
                id = elem;
            }
            Access::Member(name) => {
                let (off, mid, bitfield) = find_member(k, id, name, 0)?;
                if bitfield {
                    return None;
                }
                bits += off;
                id = k.skip_mods_and_typedefs(mid);
            }
        }
    }
    bits.is_multiple_of(8).then_some(bits / 8)
}

/// A member named `name` of composite `id`, also inside its anonymous struct/union members:
/// (bit offset, type id, is a bitfield).
fn find_member(k: &Btf<'_>, id: u32, name: &str, depth: usize) -> Option<(u64, u32, bool)> {
    if depth > MAX_ACCESS {
        return None;
    }
    let t = k.type_by_id(id).filter(|t| t.is_composite())?;
    for m in t.members() {
        let mname = k.str_at(m.name_off).unwrap_or("");
        if mname == name {
            return Some((m.bit_offset as u64, m.type_id, m.bitfield_size != 0));
        }
        if mname.is_empty() {
            let inner = k.skip_mods_and_typedefs(m.type_id);
            if let Some((o, tid, bf)) = find_member(k, inner, name, depth + 1) {
                return Some((m.bit_offset as u64 + o, tid, bf));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use btf::{BtfBuilder, IntEncoding};

    /// A program's own, smaller `struct task_struct___old { int pad; struct { int pid; }; }`:
    /// its `pid` is where the kernel's is, whatever offset the program was built with.
    #[test]
    fn a_local_field_offset_becomes_the_kernels() {
        let Some(k) = KernelBtf::native() else {
            assert!(std::env::var("CI").is_err(), "CI: /sys/kernel/btf/vmlinux is missing");
            eprintln!("skipped: no /sys/kernel/btf/vmlinux");
            return;
        };
        let mut b = BtfBuilder::new();
        let int = b.add_int("int", 4, IntEncoding::SIGNED);
        let anon = b.add_struct("", 4, &[("pid", int, 0)]);
        let task = b.add_struct("task_struct___old", 8, &[("pad", int, 0), ("", anon, 32)]);
        let comm_arr = b.add_array(b.next_id(), int, 16);
        let _char = b.add_int("char", 1, IntEncoding::SIGNED);
        let other = b.add_struct("task_struct", 16, &[("comm", comm_arr, 0)]);
        let missing = b.add_struct("task_struct___new", 4, &[("no_such_field", int, 0)]);
        let bytes = b.to_bytes(btf::Endian::Little);
        let prog = Btf::parse(&bytes).unwrap();

        let kb = k.btf();
        let t = kb.find_by_name_kind("task_struct", Kind::STRUCT).unwrap();
        let at = |name: &str| t.members().find(|m| kb.str_at(m.name_off) == Some(name)).unwrap().bit_offset as u64 / 8;
        // 0:1:0 is pad's sibling (the anonymous struct), then its pid
        assert_eq!(k.core_field_offset(&prog, task, "0:1:0"), Some(at("pid")));
        // comm[3]: an array element of the kernel's comm
        assert_eq!(k.core_field_offset(&prog, other, "0:0:3"), Some(at("comm") + 3));
        assert_eq!(k.core_field_offset(&prog, missing, "0:0"), None);
    }
}
