//! Delta debugging: remove chunks of instructions (halving the chunk size down to single
//! instructions) while the disagreement persists.

use std::time::{Duration, Instant};

use crate::edit::{remove, starts};
use crate::prog::Prog;

/// The smallest program found for which `still` holds (`still(p)` is assumed). At most
/// `budget` candidates are tried, for at most `time` (a candidate bpflint explores for long
/// makes each try slow).
pub fn minimize(p: &Prog, budget: usize, time: Duration, mut still: impl FnMut(&Prog) -> bool) -> Prog {
    let end = Instant::now() + time;
    let mut still = move |q: &Prog| Instant::now() < end && still(q);
    let mut cur = p.clone();
    let mut tries = 0;
    // Passes until one removes nothing: a later removal can free an earlier one.
    loop {
        let before = cur.insns.len();
        pass(&mut cur, &mut tries, budget, &mut still);
        if cur.insns.len() == before || tries >= budget {
            break;
        }
    }
    drop_unused_maps(&mut cur);
    cur
}

fn pass(cur: &mut Prog, tries: &mut usize, budget: usize, still: &mut impl FnMut(&Prog) -> bool) {
    let mut chunk = (starts(&cur.insns).len() / 2).max(1);
    loop {
        let mut progress = false;
        let mut i = 0;
        loop {
            let st = starts(&cur.insns);
            if i >= st.len() || *tries >= budget {
                break;
            }
            let from = st[i];
            let to = st.get(i + chunk).copied().unwrap_or(cur.insns.len());
            let cand = remove(cur, from, to - from);
            *tries += 1;
            if !cand.insns.is_empty() && still(&cand) {
                *cur = cand;
                progress = true;
            } else {
                i += chunk;
            }
        }
        if *tries >= budget {
            break;
        }
        if !progress {
            if chunk == 1 {
                break;
            }
            chunk /= 2;
        }
    }
}

/// Maps nobody references any more are dropped (renumbering the references).
fn drop_unused_maps(cur: &mut Prog) {
    let mut used: Vec<u32> = cur.map_refs.iter().map(|r| r.1).collect();
    used.sort_unstable();
    used.dedup();
    let maps = used.iter().map(|&m| cur.maps[m as usize]).collect();
    for r in &mut cur.map_refs {
        r.1 = used.iter().position(|&m| m == r.1).unwrap_or(0) as u32;
    }
    cur.maps = maps;
}
