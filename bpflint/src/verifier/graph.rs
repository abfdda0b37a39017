//! The BPF graph API: `bpf_list_head`/`bpf_list_node` and `bpf_rb_root`/`bpf_rb_node` arguments
//! of the graph kfuncs, the bpf_spin_lock that must protect a root, owning references the
//! insertions take, and the `less` callback of bpf_rbtree_add() (kernel/bpf/verifier.c:
//! check_kfunc_args() KF_ARG_PTR_TO_{LIST_HEAD,LIST_NODE,RB_ROOT,RB_NODE},
//! __process_kf_arg_ptr_to_graph_root(), __process_kf_arg_ptr_to_graph_node(),
//! check_reg_allocation_locked(), set_rbtree_add_callback_state(), in_rbtree_lock_required_cb()).

use super::*;
use crate::domain::state::NON_OWN;
use crate::graph_btf::GraphRoot;

/// The lock identity of a bpf_spin_lock inside an allocated object (`bpf_obj_new()`): no map,
/// the object's reference (kernel/bpf/verifier.c, process_spin_lock(): active_lock.ptr is the
/// object's BTF rather than a map).
pub(super) const ALLOC_LOCK: u32 = u32::MAX;

/// What a graph kfunc's pointer argument is, by the struct it points to.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum GraphArg {
    /// `bpf_list_head` / `bpf_rb_root`.
    Root(&'static str),
    /// `bpf_list_node` / `bpf_rb_node`.
    Node(&'static str),
}

/// The graph argument kind of a kfunc parameter pointing to struct `sname`
/// (get_kfunc_ptr_arg_type(): is_kfunc_arg_list_head() ...).
pub(super) fn graph_arg(sname: &str) -> Option<GraphArg> {
    match sname {
        "bpf_list_head" => Some(GraphArg::Root("bpf_list_head")),
        "bpf_rb_root" => Some(GraphArg::Root("bpf_rb_root")),
        "bpf_list_node" => Some(GraphArg::Node("bpf_list_node")),
        "bpf_rb_node" => Some(GraphArg::Node("bpf_rb_node")),
        _ => None,
    }
}

/// Graph kfuncs that take the owning reference of the node they insert (the kernel converts
/// it to a non-owning one: ref_convert_owning_non_owning()).
pub(super) const OWNERSHIP_TAKERS: &[&str] =
    &["bpf_list_push_front_impl", "bpf_list_push_back_impl", "bpf_rbtree_add_impl"];

impl Verifier<'_> {
    /// The identity of the bpf_spin_lock register `reg` points to: its map and register id
    /// for a map value, [`ALLOC_LOCK`] and its reference for an allocated object
    /// (process_spin_lock(): active_lock.ptr / .id).
    pub(super) fn lock_identity(reg: &Reg, map: Option<u32>) -> (u32, i32) {
        if reg.ty == RegType::BtfId {
            (ALLOC_LOCK, reg.ref_id as i32)
        } else {
            (map.unwrap_or(0), reg.id as i32)
        }
    }

    /// An inserted node: its owning reference is gone, and every register that held it now
    /// holds a non-owning reference, valid until the lock is released
    /// (ref_convert_owning_non_owning(), release_reference()).
    pub(super) fn convert_owning_non_owning(st: &mut State, rid: u32) {
        st.refs.retain(|e| e.id != rid);
        st.for_each_reg(|x| {
            if x.ref_id == rid {
                if x.ty == RegType::BtfId {
                    (x.ref_id, x.trust) = (0, NON_OWN);
                } else {
                    *x = Reg::unknown();
                }
            }
        });
    }

    /// bpf_spin_unlock(): the non-owning references die with the lock
    /// (process_spin_lock(), invalidate_non_owning_refs()).
    pub(super) fn invalidate_non_owning_refs(st: &mut State) {
        st.for_each_reg(|x| {
            if x.ty == RegType::BtfId && x.trust == NON_OWN {
                *x = Reg::unknown();
            }
        });
    }

    /// The roots of the container register `reg` points into, when bpflint knows them: a map
    /// value's from the map's BTF, an allocated object's from its type.
    fn roots_of(&self, reg: &Reg) -> Option<&[GraphRoot]> {
        match reg.ty {
            RegType::MapValue => {
                let m = self.p.maps.get(reg.map as usize)?;
                (!m.graph_roots.is_empty()).then_some(&m.graph_roots[..])
            }
            RegType::BtfId if reg.local != 0 => self.p.local_types.types.get(&reg.local).map(|t| &t.roots[..]),
            _ => None,
        }
    }

    /// The root register `reg` points to, when bpflint knows it.
    pub(super) fn root_at(&self, reg: &Reg) -> Option<GraphRoot> {
        let at = reg.off as i64 + reg.val.const_value()? as i64;
        self.roots_of(reg)?.iter().find(|r| r.off as i64 == at && r.value != 0).cloned()
    }

    /// The result of graph kfunc `name`, from its arguments (before the call clobbers them).
    pub(super) fn graph_result(&self, st: &State, name: &str) -> Option<GraphResult> {
        match name {
            "bpf_obj_new_impl" => {
                let id = st.reg(1).val.const_value().filter(|_| st.reg(1).is_scalar())? as u32;
                self.p.local_types.types.contains_key(&id).then_some(GraphResult {
                    local: id,
                    off: 0,
                    non_owning: false,
                })
            }
            "bpf_refcount_acquire_impl" => {
                let r = st.reg(1);
                (r.local != 0).then_some(GraphResult { local: r.local, off: 0, non_owning: false })
            }
            "bpf_list_pop_front" | "bpf_list_pop_back" | "bpf_rbtree_remove" | "bpf_rbtree_first" => {
                let root = self.root_at(st.reg(1))?;
                let non_owning = name == "bpf_rbtree_first";
                Some(GraphResult { local: root.value, off: root.node_off as i32, non_owning })
            }
            _ => None,
        }
    }

    /// One bpf_obj_drop() call drops one type: the kernel records the type's field metadata
    /// per call instruction, so a call reached with objects of two types, one of which has
    /// special fields, is refused (measured on Linux 6.18: "same call cannot be used with
    /// different types"; the 6.12 source keeps the last type seen: check_kfunc_call(),
    /// insn_aux->kptr_struct_meta).
    pub(super) fn drop_type(&mut self, st: &State, name: &str) -> R<()> {
        if !matches!(name, "bpf_obj_drop_impl" | "bpf_percpu_obj_drop_impl") {
            return Ok(());
        }
        let local = st.reg(1).local;
        if st.reg(1).ty != RegType::BtfId || local == 0 {
            return Ok(());
        }
        let prev = *self.drop_types.entry(self.pc).or_insert(local);
        let has_meta = |s: &Self, id: u32| {
            s.p.local_types.types.get(&id).is_some_and(|t| !t.nodes.is_empty() || !t.roots.is_empty())
        };
        if prev != local && (has_meta(self, prev) || has_meta(self, local)) {
            return Err(self.err(
                Some(st),
                Code::BadCall,
                "same call cannot be used with different types\nuse one call for each type: inline the static function that holds the call,\nor mark the callee with __attribute__((nomerge))".into(),
            ));
        }
        Ok(())
    }

    /// bpf_kptr_xchg() of an allocated object into a map's kptr field: the object must be of
    /// the field's type (check_func_arg() ARG_PTR_TO_KPTR... map_kptr_match_type():
    /// "invalid kptr access").
    pub(super) fn kptr_xchg_type(&mut self, st: &State) -> R<()> {
        let (dst, obj) = (*st.reg(1), *st.reg(2));
        if dst.ty != RegType::MapValue || obj.ty != RegType::BtfId || obj.local == 0 {
            return Ok(());
        }
        let Some(at) = dst.val.const_value().map(|v| dst.off as i64 + v as i64) else { return Ok(()) };
        let Some(map) = self.p.maps.get(dst.map as usize) else { return Ok(()) };
        let Some(kp) = map.kptrs.iter().find(|k| k.off as i64 == at) else { return Ok(()) };
        let Some(lt) = self.p.local_types.types.get(&obj.local) else { return Ok(()) };
        if lt.name == kp.target {
            return Ok(());
        }
        let msg = format!("invalid kptr access, R2 type=ptr_{} expected=ptr_{}", lt.name, kp.target);
        Err(self.err(Some(st), Code::ArgType, msg))
    }

    /// The program's BTF id of struct `name` (0: none).
    pub(super) fn local_type_named(&self, name: &str) -> u32 {
        self.p.local_types.types.iter().filter(|(_, t)| t.name == name).map(|(&id, _)| id).min().unwrap_or(0)
    }

    /// Whether a load of `size` bytes at `off` from `base`, an object of the program's own
    /// type, reads an integer member.
    pub(super) fn local_scalar(&self, base: &Reg, off: i32, size: u32) -> bool {
        let Some(t) = self.p.local_types.types.get(&base.local).filter(|_| base.local != 0) else { return false };
        let Some(v) = base.val.const_value() else { return false };
        t.scalar_at(base.off as i64 + v as i64 + off as i64, size)
    }

    /// Whether the current path runs inside the `less` callback of bpf_rbtree_add(), or a
    /// subprogram it calls (in_rbtree_lock_required_cb()).
    pub(super) fn in_rbtree_cb(&self, st: &State) -> bool {
        st.frames.iter().skip(1).any(|f| {
            f.callback_ret.is_some() && self.p.kfuncs.get(&f.callsite).is_some_and(|n| n == "bpf_rbtree_add_impl")
        })
    }

    /// The offsets a kfunc's pointer argument may carry (check_func_arg_reg_off(),
    /// __check_ptr_off_reg()): a kernel object has no variable offset and no negative one, and
    /// a released object is passed at offset 0.
    pub(super) fn kfunc_arg_reg_off(&mut self, st: &State, regno: u8, reg: &Reg, release: bool) -> R<()> {
        if reg.ty != RegType::BtfId || self.graph_node_result(reg) {
            return Ok(());
        }
        let msg = if release && reg.ref_id != 0 && reg.off != 0 {
            format!("R{regno} must have zero offset when passed to release func or trusted arg to kfunc")
        } else if reg.off < 0 {
            format!("negative offset ptr_ ptr R{regno} off={} disallowed", reg.off)
        } else if reg.val.const_value() != Some(0) {
            format!("variable ptr_ access var_off={} disallowed", reg.val.var)
        } else {
            return Ok(());
        };
        Err(self.err(Some(st), Code::ArgType, msg))
    }

    /// A node a graph kfunc returned (bpf_list_pop_*, bpf_rbtree_remove, bpf_rbtree_first):
    /// it stands inside the program's object at the node's offset, which bpflint does not know
    /// (the kernel marks it at that offset: mark_reg_graph_node()), so its offsets are not
    /// checked.
    fn graph_node_result(&self, reg: &Reg) -> bool {
        reg.btf_id != 0
            && self
                .p
                .kernel_btf
                .as_deref()
                .is_some_and(|k| matches!(k.type_name(reg.btf_id), "bpf_list_node" | "bpf_rb_node"))
    }

    /// Argument `i` (register `regno`) of graph kfunc `name`, a root or a node
    /// (check_kfunc_args(): KF_ARG_PTR_TO_LIST_HEAD, _RB_ROOT, _LIST_NODE, _RB_NODE).
    pub(super) fn graph_kfunc_arg(&mut self, st: &State, name: &str, i: usize, reg: &Reg, g: GraphArg) -> R<()> {
        let regno = i as u8 + 1;
        let fail = |s: &mut Self, m: String| Err(s.err(Some(st), Code::ArgType, m));
        if reg.is_null_const() || reg.maybe_null {
            return fail(self, format!("Possibly NULL pointer passed to trusted arg{i}"));
        }
        match g {
            GraphArg::Root(what) => {
                // a map value, or an object of the program's own type it owns
                let alloc = reg.ty == RegType::BtfId;
                if reg.ty != RegType::MapValue && !alloc {
                    return fail(self, format!("arg#{i} expected pointer to map value or allocated object"));
                }
                if alloc && reg.ref_id == 0 {
                    return fail(self, "allocated object must be referenced".into());
                }
                if !reg.val.is_const() {
                    return fail(
                        self,
                        format!("R{regno} doesn't have constant offset. {what} has to be at the constant offset"),
                    );
                }
                if let Some(roots) = self.roots_of(reg) {
                    let at = reg.off as i64 + reg.val.const_value().unwrap_or(0) as i64;
                    if !roots.iter().any(|r| r.off as i64 == at && r.kind.root_name() == what) {
                        return fail(self, format!("{what} not found at offset={at}"));
                    }
                }
                // every operation on a root needs the bpf_spin_lock that protects it
                // (__process_kf_arg_ptr_to_graph_root(), check_reg_allocation_locked())
                let lock_off = |s: &Self| {
                    if reg.ty == RegType::MapValue {
                        s.p.maps.get(reg.map as usize).and_then(|m| m.spin_lock_off).map_or(-1, |o| o as i64)
                    } else {
                        -1
                    }
                };
                let held = match st.spin_lock {
                    None => false,
                    Some((m, _)) if reg.ty == RegType::MapValue => m == reg.map,
                    Some(_) => true,
                };
                if !held {
                    let off = lock_off(self);
                    return fail(self, format!("bpf_spin_lock at off={off} must be held for {what}"));
                }
            }
            GraphArg::Node(what) => {
                if name == "bpf_rbtree_remove" {
                    // removal takes a non-owning reference, and not from the add callback
                    if reg.ref_id != 0 {
                        return fail(self, "rbtree_remove node input must be non-owning ref".into());
                    }
                    if self.in_rbtree_cb(st) {
                        return fail(self, "bpf_rbtree_remove not allowed in rbtree cb".into());
                    }
                } else if OWNERSHIP_TAKERS.contains(&name) {
                    // an insertion takes an owning reference: an object the program allocated
                    // and still owns (not one already inserted, nor a callback argument)
                    if reg.ty != RegType::BtfId || reg.ref_id == 0 {
                        return fail(self, format!("arg#{i} expected pointer to allocated object"));
                    }
                }
                if !reg.val.is_const() {
                    return fail(
                        self,
                        format!("R{regno} doesn't have constant offset. {what} has to be at the constant offset"),
                    );
                }
                self.graph_node_field(st, reg, what)?;
            }
        }
        Ok(())
    }

    /// The node argument against its object's type and the root it goes into
    /// (__process_kf_arg_ptr_to_graph_node()): a node of the right kind at that offset, in the
    /// type the root holds, at the offset the root's `contains` tag names.
    fn graph_node_field(&mut self, st: &State, reg: &Reg, what: &str) -> R<()> {
        if reg.local == 0 {
            return Ok(());
        }
        let Some(lt) = self.p.local_types.types.get(&reg.local) else { return Ok(()) };
        let at = reg.off as i64 + reg.val.const_value().unwrap_or(0) as i64;
        let msg = if !lt.nodes.iter().any(|&(o, k)| o as i64 == at && k.node_name() == what) {
            format!("{what} not found at offset={at}")
        } else if let Some(root) = self.root_at(st.reg(1)) {
            let same = root.value == reg.local || root.value_name == lt.name;
            if !same {
                format!(
                    "operation on {} expects arg#1 {what} at offset={} in struct {}, but arg is at offset={at} in struct {}",
                    root.kind.root_name(),
                    root.node_off,
                    root.value_name,
                    lt.name
                )
            } else if root.node_off as i64 != at {
                format!(
                    "arg#1 offset={at}, but expected {what} at offset={} in struct {}",
                    root.node_off, root.value_name
                )
            } else {
                return Ok(());
            }
        } else {
            return Ok(());
        };
        Err(self.err(Some(st), Code::ArgType, msg))
    }

    /// bpf_rbtree_add(): the kernel verifies the `less` callback at the call, with the lock
    /// still held; it gets two non-owning node references and returns 0 or 1
    /// (check_kfunc_call() push_callback_call(), set_rbtree_add_callback_state()). The path
    /// goes on after the call once the callback returns.
    pub(super) fn rbtree_add_callback(&mut self, st: &mut State, sub: usize, root: Option<GraphRoot>) -> R<Next> {
        let meta = Meta::default();
        self.callback(st, sub, RBTREE_ADD_CB, &meta, (0, 1))?;
        let f = st.frames.last_mut().expect("callback frame");
        let mut node = Reg { trust: NON_OWN, ..Reg::ptr(RegType::BtfId) };
        if let Some(r) = root {
            (node.local, node.off) = (r.value, r.node_off as i32);
        }
        f.regs[1] = node;
        f.regs[2] = node;
        for r in 3..=5 {
            f.regs[r] = Reg::NOT_INIT;
        }
        Ok(Next::Goto(self.cfg.subprogs[sub].start))
    }
}

/// What a graph kfunc's result is, learnt from its arguments before the call: the program's
/// type of the object and the offset of the node in it (kernel/bpf/verifier.c:
/// check_kfunc_call(): bpf_obj_new's local type, mark_reg_graph_node() for nodes taken out of a
/// root, ref_set_non_owning() for bpf_rbtree_first()).
#[derive(Clone, Copy)]
pub(super) struct GraphResult {
    local: u32,
    off: i32,
    non_owning: bool,
}

impl GraphResult {
    pub(super) fn apply(self, r0: &mut Reg) {
        if r0.ty != RegType::BtfId {
            return;
        }
        (r0.btf_id, r0.local, r0.off) = (0, self.local, self.off);
        if self.non_owning {
            r0.trust = NON_OWN;
        }
    }
}

/// The pseudo helper number the call graph records for the `less` callback of
/// bpf_rbtree_add() (a kfunc, not a helper).
const RBTREE_ADD_CB: u32 = u32::MAX;
