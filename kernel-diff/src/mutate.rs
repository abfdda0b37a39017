//! The mutator: small edits of real programs that move them across the verifier's edge —
//! drop a bounds check, remove a null check, shift an offset, change an access size, swap a
//! register, nudge a bound, change a comparison, delete an instruction.

use crate::asm::{CONDS, JMP, JMP32};
use crate::edit::{remove, starts};
use crate::prog::Prog;
use crate::rng::Rng;
use bpf_isa::RawInsn;

pub const MUTATIONS: [&str; 8] = [
    "drop-check",
    "remove-null-check",
    "shift-offset",
    "change-size",
    "swap-register",
    "nudge-bound",
    "change-cond",
    "delete-insn",
];

fn is_cond(i: &RawInsn) -> bool {
    matches!(i.code & 7, 5 | 6) && CONDS.contains(&(i.code & 0xf0))
}

fn is_mem(i: &RawInsn) -> bool {
    matches!(i.code & 7, 1..=3) && i.code & 0xe0 == 0x60
}

fn is_alu_k(i: &RawInsn) -> bool {
    matches!(i.code & 7, 4 | 7) && i.code & 0x08 == 0 && i.code & 0xf0 != 0x80
}

/// Instructions (first slots) satisfying `f`.
fn pick_where(p: &Prog, r: &mut Rng, f: impl Fn(&RawInsn) -> bool) -> Option<usize> {
    let v: Vec<usize> = starts(&p.insns).into_iter().filter(|&i| f(&p.insns[i])).collect();
    (!v.is_empty()).then(|| *r.pick(&v))
}

/// Apply one named mutation; `None` when the program has nothing it applies to.
pub fn apply(p: &Prog, r: &mut Rng, which: &str) -> Option<Prog> {
    let mut q = p.clone();
    match which {
        "drop-check" | "remove-null-check" => {
            let null = which == "remove-null-check";
            let i = pick_where(p, r, |i| is_cond(i) && (!null || (i.code & 0x08 == 0 && i.imm == 0)))?;
            // fall through always (`goto +0`), or always take the branch
            let off = if r.chance(50) { 0 } else { q.insns[i].off };
            q.insns[i] = RawInsn { code: 0x05, off, ..Default::default() };
        }
        "shift-offset" => {
            let d = *r.pick(&[1, 2, 4, 8, -1, -2, -4, -8]);
            if r.chance(70) {
                let i = pick_where(p, r, is_mem)?;
                q.insns[i].off = q.insns[i].off.wrapping_add(d);
            } else {
                let i = pick_where(p, r, |i| is_alu_k(i) && i.code & 0xf0 == 0x00)?;
                q.insns[i].imm = q.insns[i].imm.wrapping_add(d as i32);
            }
        }
        "change-size" => {
            let i = pick_where(p, r, is_mem)?;
            let sizes = [0x00u8, 0x08, 0x10, 0x18];
            let cur = q.insns[i].code & 0x18;
            let new = loop {
                let s = *r.pick(&sizes);
                if s != cur {
                    break s;
                }
            };
            q.insns[i].code = (q.insns[i].code & !0x18) | new;
        }
        "swap-register" => {
            let i = pick_where(p, r, |i| i.code != 0x18 && !(i.code & 7 == 5 && i.code & 0xf0 >= 0x80))?;
            let reg = r.below(11) as u8;
            let uses_src = matches!(q.insns[i].code & 7, 1 | 3) || q.insns[i].code & 0x08 != 0;
            if uses_src && r.chance(50) {
                q.insns[i].src = reg;
            } else {
                q.insns[i].dst = reg;
            }
        }
        "nudge-bound" => {
            let i = pick_where(p, r, |i| (is_cond(i) || is_alu_k(i)) && i.code & 0x08 == 0)?;
            let d = *r.pick(&[1, -1, 1, -1, 2, 8]);
            q.insns[i].imm = q.insns[i].imm.wrapping_add(d);
        }
        "change-cond" => {
            let i = pick_where(p, r, is_cond)?;
            if r.chance(30) {
                let class = if q.insns[i].code & 7 == JMP { JMP32 } else { JMP };
                q.insns[i].code = (q.insns[i].code & !7) | class;
            } else {
                q.insns[i].code = (q.insns[i].code & 0x0f) | *r.pick(&CONDS);
            }
        }
        "delete-insn" => {
            let st = starts(&p.insns);
            if st.len() < 2 {
                return None;
            }
            let i = *r.pick(&st[..st.len() - 1]);
            q = remove(p, i, crate::edit::width(&p.insns, i));
        }
        _ => return None,
    }
    (q != *p).then_some(q)
}

/// One or two random mutations; returns the program and the mutations' names.
pub fn mutate(p: &Prog, r: &mut Rng) -> Option<(Prog, String)> {
    let n = if r.chance(25) { 2 } else { 1 };
    let mut cur = p.clone();
    let mut names = Vec::new();
    for _ in 0..n {
        for _ in 0..8 {
            let which = *r.pick(&MUTATIONS);
            if let Some(q) = apply(&cur, r, which) {
                cur = q;
                names.push(which);
                break;
            }
        }
    }
    (!names.is_empty()).then(|| (cur, names.join("+")))
}
