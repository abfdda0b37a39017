//! Every disagreement the campaign found is a regression case (`tests/cases/*.s`): bpflint's
//! verdict must equal the recorded kernel verdict (or, for a false reject left open, the
//! recorded bpflint verdict: when bpflint starts to agree, the case says so), and when bpf()
//! works the running kernel must still give the recorded verdict.

use std::path::Path;

use kernel_diff::case;
use kernel_diff::kernel::Kernel;

fn kernel_or_skip() -> Option<Kernel> {
    match Kernel::open() {
        Ok(k) => Some(k),
        Err(e) => {
            assert!(std::env::var("CI").as_deref() != Ok("true"), "CI=true: bpf() is needed: {}", e.0);
            println!("skipped: the kernel's verdicts (bpf() unavailable: {})", e.0);
            None
        }
    }
}

#[test]
fn regression_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/cases")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "s"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no regression cases in {}", dir.display());
    let mut kernel = kernel_or_skip();
    let mut failures = Vec::new();
    let (mut open, mut closed) = (0, 0);
    for f in &files {
        let name = f.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(f).expect("read case");
        let c = match case::parse(&text) {
            Ok(c) => c,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        let lint = c.prog.lint();
        match c.bpflint_accept {
            None => {
                closed += 1;
                if lint.accept != c.kernel_accept {
                    failures.push(format!(
                        "{name}: bpflint {} but the kernel {} ({})",
                        if lint.accept { "accepts" } else { "rejects" },
                        if c.kernel_accept { "accepts" } else { "rejects" },
                        if lint.accept { c.message.clone() } else { lint.msg.clone() }
                    ));
                }
            }
            Some(b) => {
                open += 1;
                if lint.accept != b {
                    failures.push(format!(
                        "{name}: bpflint now {} (recorded: {}); if it agrees with the kernel, drop the BPFLINT line",
                        if lint.accept { "accepts" } else { "rejects" },
                        if b { "accept" } else { "reject" }
                    ));
                }
            }
        }
        if let Some(k) = kernel.as_mut() {
            match k.verdict(&c.prog) {
                Ok(v) if v.accept != c.kernel_accept => failures.push(format!(
                    "{name}: the running kernel now {} ({}), recorded: {}",
                    if v.accept { "accepts" } else { "rejects" },
                    v.msg,
                    if c.kernel_accept { "accept" } else { "reject" }
                )),
                Ok(_) => {}
                Err(e) => failures.push(format!("{name}: the kernel could not judge it: {}", e.0)),
            }
        }
    }
    println!("{} cases: {closed} agree as recorded, {open} open false rejects", files.len());
    assert!(failures.is_empty(), "{} of {} cases fail:\n{}", failures.len(), files.len(), failures.join("\n"));
}
