//! Instruction surgery that keeps a program well-formed: removing slots with every jump,
//! bpf-to-bpf call and callback reference across them adjusted, and map references moved.

use crate::prog::Prog;
pub use crate::prog::{starts, width};
use bpf_isa::RawInsn;

/// Where a slot's relative target lives, if it has one.
enum Rel {
    Off,
    Imm,
}

fn rel_kind(i: &RawInsn) -> Option<Rel> {
    let class = i.code & 7;
    let op = i.code & 0xf0;
    match class {
        5 if op == 0x80 => (i.src == 1).then_some(Rel::Imm),
        5 if op == 0x90 => None,
        6 if op == 0x00 => Some(Rel::Imm),
        5 | 6 if op != 0x80 && op != 0x90 => Some(Rel::Off),
        0 if i.code == 0x18 && i.src == 4 => Some(Rel::Imm),
        _ => None,
    }
}

/// Remove slots `at..at + n`. A target inside the removed range moves to `at`.
pub fn remove(p: &Prog, at: usize, n: usize) -> Prog {
    let len = p.insns.len() as i64;
    let map = |x: i64| -> i64 {
        if x < at as i64 {
            x
        } else if x >= (at + n) as i64 {
            x - n as i64
        } else {
            at as i64
        }
    };
    let mut out = p.clone();
    out.insns.clear();
    let mut first = vec![false; p.insns.len()];
    for s in starts(&p.insns) {
        first[s] = true;
    }
    for (j, ins) in p.insns.iter().enumerate() {
        if (at..at + n).contains(&j) {
            continue;
        }
        let mut ins = *ins;
        if first[j] {
            if let Some(kind) = rel_kind(&ins) {
                let rel = match kind {
                    Rel::Off => ins.off as i64,
                    Rel::Imm => ins.imm as i64,
                };
                let t = j as i64 + 1 + rel;
                if (0..=len).contains(&t) {
                    let nr = map(t) - map(j as i64) - 1;
                    match kind {
                        Rel::Off => ins.off = nr.clamp(i16::MIN as i64, i16::MAX as i64) as i16,
                        Rel::Imm => ins.imm = nr as i32,
                    }
                }
            }
        }
        out.insns.push(ins);
    }
    out.map_refs = p
        .map_refs
        .iter()
        .filter(|(i, _)| !(at..at + n).contains(i))
        .map(|&(i, m)| (map(i as i64) as usize, m))
        .collect();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ri(code: u8, dst: u8, src: u8, off: i16, imm: i32) -> RawInsn {
        RawInsn { code, dst, src, off, imm }
    }

    #[test]
    fn jumps_across_a_removed_slot_are_adjusted() {
        // 0: if r1 == 0 goto +2; 1: r0 = 1; 2: r0 = 2; 3: exit
        let p = Prog {
            prog_type: 1,
            attach_type: 0,
            insns: vec![ri(0x15, 1, 0, 2, 0), ri(0xb7, 0, 0, 0, 1), ri(0xb7, 0, 0, 0, 2), ri(0x95, 0, 0, 0, 0)],
            maps: vec![],
            map_refs: vec![],
            func_info: false,
        };
        let q = remove(&p, 1, 1);
        assert_eq!(q.insns[0].off, 1);
        assert_eq!(q.insns.len(), 3);
        // a backward jump over a removed ld_imm64 pair, and a map reference after it
        let p = Prog {
            insns: vec![
                ri(0xb7, 0, 0, 0, 0),
                ri(0x18, 1, 0, 0, 5),
                ri(0, 0, 0, 0, 0),
                ri(0x18, 2, 1, 0, 0),
                ri(0, 0, 0, 0, 0),
                ri(0x05, 0, 0, -6, 0),
            ],
            map_refs: vec![(3, 0)],
            ..p
        };
        let q = remove(&p, 1, 2);
        assert_eq!(q.insns[3].off, -4);
        assert_eq!(q.map_refs, vec![(1, 0)]);
    }
}
