//! bpflint's helper availability against the running kernel: for every program type of
//! `bpflint::helpers_measured` (with the expected attach type it was measured with) and every
//! helper id, a program `r1..r5 = 0; call N; r0 = 0; exit` is loaded with a verifier log, and
//! the kernel's answer (the call is refused as unavailable, refused as sleeping, or passes the
//! availability check) must be bpflint's. Regenerate the table with `scripts/probe-helpers.py`.
//! Needs root (bpf()); skipped with a message otherwise (a failure under CI=true).

use bpflint::helpers::{self, Attach};
use bpfobj::uapi::{AttachType, ProgType};

/// The kernel's answer: Some(true) available, Some(false) refused as unavailable or sleeping,
/// Err(errno) when bpf() itself is refused without a verifier log.
fn kernel_allows(prog_type: u32, attach: u32, helper: u32) -> Result<bool, i32> {
    load_log(prog_type, attach, helper, "GPL").map(|log| {
        let refused = ["cannot use helper", "invalid func", "unknown func", "might sleep"];
        !log.is_some_and(|l| refused.iter().any(|m| l.contains(m)))
    })
}

/// Load `r1..r5 = 0; call N; r0 = 0; exit` under `license`: None when it loads, the verifier
/// log when it is refused, Err(errno) when bpf() itself is refused without a log.
fn load_log(prog_type: u32, attach: u32, helper: u32, license: &str) -> Result<Option<String>, i32> {
    let insn = |code: u8, dst: u8, imm: i32| -> u64 { code as u64 | (dst as u64) << 8 | (imm as u32 as u64) << 32 };
    let mut prog: Vec<u64> = (1..=5).map(|r| insn(0xb7, r, 0)).collect();
    prog.extend([insn(0x85, 0, helper as i32), insn(0xb7, 0, 0), insn(0x95, 0, 0)]);
    let bytes: Vec<u8> = prog.iter().flat_map(|i| i.to_ne_bytes()).collect();
    let load = bpfsys::ProgLoad {
        prog_type,
        expected_attach_type: attach,
        insns: &bytes,
        license,
        log_level: 1,
        log_size: 1 << 16,
        ..Default::default()
    };
    match bpfsys::prog_load(&load) {
        Ok(_) => Ok(None),
        Err(e) if e.log.is_empty() => Err(e.errno),
        Err(e) => Ok(Some(e.log)),
    }
}

#[test]
fn helper_availability_matches_the_running_kernel() {
    match kernel_allows(1, 0, 1) {
        Err(e) if e == libc::EPERM || e == libc::ENOSYS => {
            let msg = format!("bpf() refused (errno {e}): not root or no BPF");
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!("{msg}");
            }
            eprintln!("skipped: {msg}");
            return;
        }
        _ => {}
    }
    let profile = bpflint::Profile::native();
    let kconfig = bpflint::object::native_kconfig();
    let mut wrong = Vec::new();
    let mut checked = 0;
    for &(pt, at, _) in bpflint::helpers_measured::AVAILABLE {
        for id in 1..=profile.max_helper_id {
            let Ok(kernel) = kernel_allows(pt, at, id) else { continue };
            let attach = Attach { prog_type: ProgType(pt), attach_type: AttachType(at), struct_ops: None };
            let ours = helpers::by_id(id).is_some_and(|h| {
                h.available_on(&attach, profile) && helpers::built_in(id, kconfig.as_deref()) && !h.might_sleep()
            });
            checked += 1;
            if ours != kernel {
                wrong.push(format!("type {pt} attach {at} helper {id}: kernel {kernel}, bpflint {ours}"));
            }
        }
    }
    // GPL-only helpers: each helper a probed type may call, loaded once under a non-GPL license
    let mut gpl_checked = 0;
    for id in 1..=profile.max_helper_id {
        let Some(&(pt, at, _)) = bpflint::helpers_measured::AVAILABLE.iter().find(|(_, _, ids)| ids.contains(&id))
        else {
            continue;
        };
        let Ok(log) = load_log(pt, at, id, "MIT") else { continue };
        let kernel = log.is_some_and(|l| l.contains("GPL-restricted"));
        let ours = helpers::by_id(id).is_some_and(|h| h.gpl_only());
        gpl_checked += 1;
        if ours != kernel {
            wrong.push(format!("helper {id} under a non-GPL license: kernel gpl-only {kernel}, bpflint {ours}"));
        }
    }
    assert!(gpl_checked > 100, "too few helpers checked for GPL: {gpl_checked}");
    println!("{checked} (program type, helper) pairs and {gpl_checked} GPL-only flags checked against the kernel");
    assert!(checked > 1000, "too few pairs checked: {checked}");
    assert!(wrong.is_empty(), "{} disagreements (rerun scripts/probe-helpers.py?):\n{}", wrong.len(), wrong.join("\n"));
}
