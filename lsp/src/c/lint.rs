//! bpflint on the compiled object, mapped back to the C buffer through line_info.

use std::collections::BTreeMap;

/// One finding on a C line.
#[derive(Clone, Debug)]
pub struct Finding {
    /// 1-based line and column in the buffer (0: no line_info names one).
    pub line: u32,
    pub col: u32,
    pub error: bool,
    pub code: String,
    pub message: String,
    /// The instruction and register state where the kernel would stop.
    pub related: Option<String>,
    /// The kernel stops on a pointer that may still be NULL (a concrete edit exists).
    pub maybe_null: bool,
}

/// What bpflint says about one buffer.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    /// Per 1-based line: the instructions generated from it, with the registers before each.
    pub states: BTreeMap<u32, Vec<String>>,
    /// Names of the programs found.
    pub programs: Vec<String>,
}

/// Run bpflint on `obj`, compiled from the temporary copy `src` of the buffer.
pub fn lint(obj: &[u8], src: &str) -> Result<Report, String> {
    let opts = bpflint::object::LoadOptions {
        kconfig: bpflint::object::native_kconfig(),
        kernel_btf: bpflint::kernel_btf::KernelBtf::native(),
        ..Default::default()
    };
    let progs = bpflint::object::load(obj, &opts).map_err(|e| e.0)?;
    let here = |f: &str| f == src;
    let mut rep = Report::default();
    let mut results = Vec::new();
    for p in &progs {
        rep.programs.push(p.name.clone());
        let (v, states) = bpflint::verifier::verify_with_states(p);
        for st in states {
            if let Some((f, line, _)) = p.line_of(st.insn) {
                if here(f) {
                    let paths = if st.visits > 1 { format!(" ({} paths)", st.visits) } else { String::new() };
                    rep.states.entry(line).or_default().push(format!(
                        "{}: {} — {}{paths}",
                        st.insn,
                        bpflint::render::insn_text(p, st.insn),
                        st.regs
                    ));
                }
            }
        }
        if let Some(d) = &v.error {
            let (line, col) = match p.line_of(d.insn) {
                Some((f, l, c)) if here(f) => (l, c),
                _ => (0, 0),
            };
            let (why, help) = d.code.explain();
            rep.findings.push(Finding {
                line,
                col,
                error: true,
                code: d.code.id().to_string(),
                message: format!(
                    "program `{}` would be rejected by the verifier: {}\nwhy: {why}\nhelp: {help}",
                    p.name, d.kernel
                ),
                related: Some(format!(
                    "insn {}: {}\nregisters: {}",
                    d.insn,
                    bpflint::render::insn_text(p, d.insn),
                    d.regs
                )),
                maybe_null: d.kernel.contains("_or_null"),
            });
        }
        results.push((p, v));
    }
    let units: Vec<bpflint::lints::Unit> =
        results.iter().map(|(p, v)| bpflint::lints::Unit { file: src, program: p, verdict: v }).collect();
    let lint_opts = bpflint::lints::Options::default();
    for f in bpflint::lints::run(&units, &lint_opts) {
        let Some(p) = progs.iter().find(|p| p.name == f.program) else { continue };
        let (line, col) = match f.insn.and_then(|i| p.line_of(i)) {
            Some((file, l, c)) if here(file) => (l, c),
            _ => (0, 0),
        };
        let mut message = format!("program `{}`: {}", f.program, f.message);
        for n in &f.notes {
            message.push_str(&format!("\nnote: {n}"));
        }
        if let Some(k) = &f.kernel {
            message.push_str(&format!("\nkernel: {k}"));
        }
        if let Some(h) = &f.help {
            message.push_str(&format!("\nhelp: {h}"));
        }
        rep.findings.push(Finding {
            line,
            col,
            error: f.level == bpflint::lints::Level::Error,
            code: f.lint.to_string(),
            message,
            related: f.insn.map(|i| format!("insn {i}: {}", bpflint::render::insn_text(p, i))),
            maybe_null: false,
        });
    }
    Ok(rep)
}
