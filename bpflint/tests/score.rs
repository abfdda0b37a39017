//! Acceptance 1 of the offline verifier: on the kernel's test_verifier cases (built at test time
//! from the installed linux-source package), bpflint's verdicts are scored against the running
//! kernel's. Floors: agreement >= 90%, false accepts <= 2% of the kernel's rejects.

use std::process::Command;

#[test]
fn test_verifier_agreement_floors() {
    let out = Command::new(env!("CARGO_BIN_EXE_bpflint-score")).output().expect("run bpflint-score");
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    if text.lines().any(|l| l.starts_with("skipped:")) && std::env::var("CI").as_deref() != Ok("true") {
        eprintln!("{text}");
        return;
    }
    assert!(out.status.success(), "bpflint-score failed:\n{text}");
    println!("{text}");
    let agreement: f64 = text
        .lines()
        .find_map(|l| l.strip_prefix("agreement: "))
        .and_then(|r| r.split('%').next())
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no agreement line:\n{text}"));
    let false_accepts: f64 = text
        .lines()
        .find_map(|l| l.strip_prefix("false accepts: "))
        .and_then(|r| r.split('=').nth(1))
        .and_then(|r| r.split('%').next())
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no false-accepts line:\n{text}"));
    assert!(agreement >= 90.0, "agreement {agreement}% is below the 90% floor\n{text}");
    assert!(false_accepts <= 2.0, "false accepts {false_accepts}% exceed 2% of the kernel's rejects\n{text}");
}
