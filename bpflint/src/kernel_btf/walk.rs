//! Loads through a pointer to a kernel object: which field of which struct an offset names,
//! and what the loaded value is (kernel/bpf/btf.c, btf_struct_access() and btf_struct_walk()),
//! plus the kernel's lists of fields that keep their parent's trust (kernel/bpf/verifier.c,
//! BTF_TYPE_SAFE_RCU / _RCU_OR_NULL / _TRUSTED / _TRUSTED_OR_NULL). Those lists are read from
//! the kernel's own BTF, where the kernel emits them as `struct <name>__safe_<kind>`, so they are
//! the running kernel's and never a copy that ages.

use btf::Kind;

use super::KernelBtf;

/// What a load of `size` bytes at an offset into a kernel struct reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Walk {
    /// An integer, or part of one.
    Scalar,
    /// A whole pointer to something other than a struct or union (`char *`, `void *`, a
    /// function pointer): a number before Linux 6.16, read-only untrusted memory since
    /// (btf_struct_walk(): WALK_PTR_UNTRUSTED).
    MemPtr,
    /// A whole pointer to a struct or union.
    Ptr {
        /// The pointee (modifiers and typedefs skipped).
        id: u32,
        /// The pointer member's name (the key of the trust lists).
        field: String,
        /// `__rcu` type tag on the member.
        rcu_tag: bool,
        /// `__percpu` or `__user` type tag (kept as the kernel keeps them).
        percpu_or_user: bool,
        /// The walk went through a union of more than one member: untrusted.
        through_union: bool,
    },
}

/// The kernel's four lists of trusted fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Safe {
    /// Trusted in an RCU section, never NULL.
    Rcu,
    /// Trusted in an RCU section, may be NULL.
    RcuOrNull,
    /// Trusted everywhere, never NULL.
    Trusted,
    /// Trusted everywhere, may be NULL.
    TrustedOrNull,
}

impl Safe {
    fn suffix(self) -> &'static str {
        match self {
            Safe::Rcu => "__safe_rcu",
            Safe::RcuOrNull => "__safe_rcu_or_null",
            Safe::Trusted => "__safe_trusted",
            Safe::TrustedOrNull => "__safe_trusted_or_null",
        }
    }
}

use crate::limits::MAX_STRUCT_WALK as MAX_WALK;

impl KernelBtf {
    /// The value a `size`-byte load at `off` into struct `id` reads, or the kernel's message
    /// when the load is refused.
    pub fn struct_walk(&self, id: u32, off: u32, size: u32) -> Result<Walk, String> {
        let b = &self.btf;
        let mut id = id;
        let mut off = off;
        let mut through_union = false;
        for _ in 0..MAX_WALK {
            match self.walk_one(id, off, size, &mut through_union)? {
                Step::Done(w) => return Ok(w),
                // a struct member starting exactly at `off`: walk on inside it at offset 0
                Step::Struct(next) => {
                    id = b.skip_mods_and_typedefs(next);
                    off = 0;
                }
            }
        }
        Err(format!("struct {} is nested too deeply", self.type_name(id)))
    }

    /// One `btf_struct_walk()`: `off` inside struct `id`.
    fn walk_one(&self, id: u32, off: u32, size: u32, through_union: &mut bool) -> Result<Step, String> {
        let b = &self.btf;
        let mut id = b.skip_mods_and_typedefs(id);
        let mut off = off;
        'again: for _ in 0..MAX_WALK {
            let Some(t) = b.type_by_id(id) else { return Err(format!("unknown type {id}")) };
            let tname = b.name_of(&t);
            if !t.is_composite() {
                return Err(format!("Type '{tname}' is not a struct"));
            }
            let vlen = t.members().count();
            // walking unions gives untrusted pointers, except a union of one member
            if t.kind() == Kind::UNION && vlen != 1 {
                *through_union = true;
            }
            if off as u64 + size as u64 > t.size() as u64 {
                // past the end: only into a trailing flexible array of ints or structs
                let beyond = || format!("access beyond struct {tname} at off {off} size {size}");
                let Some(last) = t.members().last() else { return Err(beyond()) };
                let at = b.skip_mods_and_typedefs(last.type_id);
                let Some(arr) = b.type_by_id(at).filter(|a| a.kind() == Kind::ARRAY) else { return Err(beyond()) };
                let moff = last.bit_offset / 8;
                if arr.array().nelems != 0 || off < moff {
                    return Err(beyond());
                }
                let eid = b.skip_mods_and_typedefs(arr.array().elem_type);
                let Some(e) = b.type_by_id(eid) else { return Err(beyond()) };
                if e.kind() == Kind::INT {
                    return Ok(Step::Done(Walk::Scalar));
                }
                if !e.is_composite() || e.size() == 0 {
                    return Err(beyond());
                }
                off = (off - moff) % e.size();
                id = eid;
                continue 'again;
            }
            for m in t.members() {
                let mut moff = m.bit_offset / 8;
                if off as u64 + size as u64 <= moff as u64 {
                    break;
                }
                if m.bitfield_size != 0 {
                    let end_bit = m.bit_offset as u64 + m.bitfield_size as u64;
                    if off <= moff && end_bit.div_ceil(8) <= off as u64 + size as u64 {
                        return Ok(Step::Done(Walk::Scalar));
                    }
                    continue;
                }
                if off < moff {
                    break;
                }
                let mname = b.str_at(m.name_off).unwrap_or("");
                let Some(r) = self.resolve(m.type_id) else { return Err(format!("field {mname} doesn't have size")) };
                let true_end = moff as u64 + r.size;
                if off as u64 >= true_end {
                    continue;
                }
                let (mut mid, mut msize) = (r.id, r.size);
                if r.array {
                    if moff as u64 == true_end {
                        continue;
                    }
                    msize /= r.nelems.max(1);
                    let idx = (off - moff) as u64 / msize.max(1);
                    moff += (idx * msize) as u32;
                    mid = r.elem;
                }
                let Some(mt) = b.type_by_id(mid) else { return Err(format!("field {mname} doesn't have size")) };
                if mt.is_composite() {
                    if off == moff {
                        return Ok(Step::Struct(mid));
                    }
                    off -= moff;
                    id = mid;
                    continue 'again;
                }
                if mt.kind() == Kind::PTR {
                    if msize != size as u64 || off != moff {
                        return Err(format!(
                            "cannot access ptr member {mname} with moff {moff} in struct {tname} with off {off} size {size}"
                        ));
                    }
                    let (mut rcu_tag, mut percpu_or_user) = (false, false);
                    if let Some(tag) = b.type_by_id(mt.type_id()).filter(|t| t.kind() == Kind::TYPE_TAG) {
                        match b.name_of(&tag) {
                            "rcu" => rcu_tag = true,
                            "percpu" | "user" => percpu_or_user = true,
                            _ => {}
                        }
                    }
                    let pointee = b.skip_mods_and_typedefs(mt.type_id());
                    if b.type_by_id(pointee).is_some_and(|p| p.is_composite()) {
                        return Ok(Step::Done(Walk::Ptr {
                            id: pointee,
                            field: mname.to_string(),
                            rcu_tag,
                            percpu_or_user,
                            through_union: *through_union,
                        }));
                    }
                    return Ok(Step::Done(Walk::MemPtr));
                }
                // an int (or an int array used as scratch space) up to the member's true end
                if off as u64 + size as u64 > true_end && !*through_union {
                    return Err(format!(
                        "access beyond the end of member {mname} (mend:{true_end}) in struct {tname} with off {off} size {size}"
                    ));
                }
                return Ok(Step::Done(Walk::Scalar));
            }
            return Err(format!("struct {tname} doesn't have field at offset {off}"));
        }
        Err(format!("struct {} is nested too deeply", self.type_name(id)))
    }

    /// `__btf_resolve_size()`: a member's type through typedefs, modifiers and (nested) arrays.
    fn resolve(&self, id: u32) -> Option<Resolved> {
        let b = &self.btf;
        let mut id = id;
        let mut nelems: u64 = 1;
        let mut array = false;
        for _ in 0..MAX_WALK {
            let t = b.type_by_id(id)?;
            let size = match t.kind() {
                Kind::INT | Kind::STRUCT | Kind::UNION | Kind::ENUM | Kind::ENUM64 | Kind::FLOAT => t.size() as u64,
                Kind::PTR => 8,
                k if k.is_modifier() || k == Kind::TYPEDEF => {
                    id = t.type_id();
                    continue;
                }
                Kind::ARRAY => {
                    array = true;
                    nelems = nelems.checked_mul(t.array().nelems as u64).filter(|&n| n <= u32::MAX as u64)?;
                    id = t.array().elem_type;
                    continue;
                }
                _ => return None,
            };
            let total = nelems.checked_mul(size).filter(|&n| n <= u32::MAX as u64)?;
            return Some(Resolved { id: if array { 0 } else { id }, elem: id, size: total, nelems, array });
        }
        None
    }

    /// Whether a pointer `off` bytes into struct `have` may stand for a pointer to struct `want`
    /// (kernel/bpf/btf.c btf_struct_ids_match()): at offset 0 the struct itself or, unless
    /// `strict`, its first member's struct (recursively); further in, a struct member that
    /// starts exactly there (`&task->cpus_mask` for a `struct cpumask *`).
    pub fn struct_matches_at(&self, have: u32, off: u32, want: u32, strict: bool) -> bool {
        let b = &self.btf;
        let (mut id, mut off) = (b.skip_mods_and_typedefs(have), off);
        for _ in 0..MAX_WALK {
            if off == 0 && id == want {
                return true;
            }
            if off == 0 && strict {
                return false;
            }
            let mut through_union = false;
            match self.walk_one(id, off, 1, &mut through_union) {
                Ok(Step::Struct(next)) => {
                    id = b.skip_mods_and_typedefs(next);
                    off = 0;
                }
                _ => return false,
            }
        }
        false
    }

    /// Whether `field` of struct `base`, a pointer to struct `target`, is on the kernel's `list`
    /// (btf_nested_type_is_trusted()).
    pub fn safe_field(&self, base: u32, field: &str, target: u32, list: Safe) -> bool {
        let b = &self.btf;
        let name = format!("{}{}", self.type_name(base), list.suffix());
        let Some(safe) = b.find_by_name_kind(&name, Kind::STRUCT) else { return false };
        safe.members().any(|m| {
            b.str_at(m.name_off) == Some(field)
                && b.type_by_id(m.type_id).is_some_and(|p| p.kind() == Kind::PTR)
                && b.type_by_id(m.type_id).is_some_and(|p| b.skip_mods_and_typedefs(p.type_id()) == target)
        })
    }
}

enum Step {
    Done(Walk),
    Struct(u32),
}

struct Resolved {
    /// The resolved type (0 for arrays: see `elem`).
    id: u32,
    /// The element type of an array (the type itself otherwise).
    elem: u32,
    /// Total size in bytes.
    size: u64,
    nelems: u64,
    array: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kernel() -> Option<std::sync::Arc<KernelBtf>> {
        let k = KernelBtf::native();
        if k.is_none() {
            assert!(std::env::var("CI").is_err(), "CI: /sys/kernel/btf/vmlinux is missing");
            eprintln!("skipped: no /sys/kernel/btf/vmlinux");
        }
        k
    }

    fn member_off(k: &KernelBtf, sname: &str, field: &str) -> u32 {
        let b = k.btf();
        let t = b.find_by_name_kind(sname, Kind::STRUCT).expect(sname);
        let m = t.members().find(|m| b.str_at(m.name_off) == Some(field)).expect(field);
        m.bit_offset / 8
    }

    #[test]
    fn task_struct_fields_walk_to_their_types() {
        let Some(k) = kernel() else { return };
        let task = k.struct_id("task_struct");
        let rp = member_off(&k, "task_struct", "real_parent");
        match k.struct_walk(task, rp, 8).unwrap() {
            Walk::Ptr { id, field, through_union, .. } => {
                assert_eq!(id, task);
                assert_eq!(field, "real_parent");
                assert!(!through_union);
            }
            w => panic!("{w:?}"),
        }
        // a pointer member read with the wrong size, and an int read past the member's end
        assert!(k.struct_walk(task, rp, 4).unwrap_err().starts_with("cannot access ptr member real_parent"));
        let comm = member_off(&k, "task_struct", "comm");
        assert_eq!(k.struct_walk(task, comm, 8), Ok(Walk::Scalar));
        // a pointer to chars is no pointer to a struct
        let name = member_off(&k, "file_system_type", "name");
        assert_eq!(k.struct_walk(k.struct_id("file_system_type"), name, 8), Ok(Walk::MemPtr));
        let e = k.struct_walk(task, comm + 1, 16).unwrap_err();
        assert!(e.starts_with("access beyond the end of member comm (mend:"), "{e}");
        assert!(k.struct_walk(task, u32::MAX - 4, 8).unwrap_err().starts_with("access beyond struct task_struct"));
    }

    #[test]
    fn the_kernels_trust_lists_are_read_from_its_btf() {
        let Some(k) = kernel() else { return };
        let task = k.struct_id("task_struct");
        assert!(k.safe_field(task, "real_parent", task, Safe::Rcu));
        assert!(!k.safe_field(task, "real_parent", task, Safe::Trusted));
        assert!(!k.safe_field(task, "parent", task, Safe::Rcu));
        let (skb, sock) = (k.struct_id("sk_buff"), k.struct_id("sock"));
        assert!(k.safe_field(skb, "sk", sock, Safe::RcuOrNull));
        // &task->cpus_mask stands for a struct cpumask *; task itself does not
        let cpumask = k.struct_id("cpumask");
        let at = member_off(&k, "task_struct", "cpus_mask");
        assert!(k.struct_matches_at(task, at, cpumask, false));
        assert!(!k.struct_matches_at(task, 0, cpumask, false));
        // skb->next sits in a union of several members
        match k.struct_walk(skb, 0, 8).unwrap() {
            Walk::Ptr { through_union, .. } => assert!(through_union),
            w => panic!("{w:?}"),
        }
    }
}
