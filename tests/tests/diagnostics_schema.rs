//! The three tools' `--message-format=json` output validates against ONE schema,
//! `docs/diagnostics.schema.json` (validated with python3's `jsonschema`, installed by
//! scripts/install-deps.sh): bpfasm's syntax errors, bpfld's duplicate symbol and unreadable
//! input, bpflint's rejection, acceptance, lint finding and a non-object input.

use std::path::Path;
use std::process::{Command, Stdio};
use toolchain_tests::tools;

const BAD_ASM: &str = "\t.text\nf:\n\tr1 = w2\n\tfoo r1\n\tgoto .Lnowhere\n";

const DEFINES_X: &str = "\t.data\n\t.globl\tx\nx:\n\t.long\t1\n";

const LINTED: &str = "\t.cdecl
struct { __uint(type, BPF_MAP_TYPE_PROG_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, __u32); } jmp SEC(\".maps\");
char LICENSE[] SEC(\"license\") = \"GPL\";
\t.endcdecl
\t.section\ttc,\"ax\",@progbits
\t.globl\tdispatch
\t.type\tdispatch,@function
dispatch:
\tr2 = jmp ll
\tr3 = 0
\tcall 12
\tr0 = 0
\texit
\t.section\txdp,\"ax\",@progbits
\t.globl\tmember
\t.type\tmember,@function
member:
\tr0 = 2
\texit
\t.section\tsocket,\"ax\",@progbits
\t.globl\tbad
\t.type\tbad,@function
bad:
\tr0 = *(u64 *)(r1 + 0)
\tr0 = *(u64 *)(r0 + 0)
\texit
";

fn run(tool: &Path, dir: &Path, args: &[&str]) -> (i32, String) {
    let o = Command::new(tool).current_dir(dir).args(args).output().unwrap();
    let mut text = String::from_utf8_lossy(&o.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&o.stderr));
    (o.status.code().unwrap_or(-1), text)
}

#[test]
fn three_tools_one_schema() {
    if !tools::python_has("jsonschema") {
        assert!(!tools::in_ci(), "python3 module jsonschema is missing (CI=true)");
        eprintln!("skipped: python3 jsonschema not installed");
        return;
    }
    let dir = std::env::temp_dir().join(format!("toolchain-diag-schema-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("bad.s"), BAD_ASM).unwrap();
    std::fs::write(dir.join("x.s"), DEFINES_X).unwrap();
    std::fs::write(dir.join("linted.s"), LINTED).unwrap();
    std::fs::write(dir.join("junk.o"), b"not an object").unwrap();
    for (s, o) in [("x.s", "x1.o"), ("x.s", "x2.o"), ("linted.s", "linted.o")] {
        let st = Command::new(tools::bpfasm()).current_dir(&dir).args(["-g", s, "-o", o]).status().unwrap();
        assert!(st.success(), "{s}");
    }
    let json = "--message-format=json";
    let runs: Vec<(&str, (i32, String))> = vec![
        ("bpfasm", run(tools::bpfasm(), &dir, &[json, "bad.s", "-o", "bad.o"])),
        ("bpfld", run(tools::bpfld(), &dir, &[json, "x1.o", "x2.o", "-o", "out.o"])),
        ("bpfld", run(tools::bpfld(), &dir, &[json, "missing.o", "-o", "out.o"])),
        ("bpflint", run(tools::bpflint(), &dir, &[json, "--prog-array", "jmp=member", "linted.o"])),
        ("bpflint", run(tools::bpflint(), &dir, &[json, "junk.o"])),
    ];
    let mut lines = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (tool, (code, text)) in &runs {
        assert_eq!(*code, 1, "{tool} exits 1 on these inputs:\n{text}");
        assert!(!text.trim().is_empty(), "{tool} printed nothing");
        for line in text.lines() {
            let v: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{tool}: not a JSON line ({e}): {line}"));
            assert_eq!(v["tool"], *tool, "{line}");
            seen.insert((
                v["tool"].as_str().unwrap_or("").to_string(),
                v["severity"].as_str().unwrap_or("").to_string(),
            ));
            lines.push(line.to_string());
        }
    }
    // Every tool's errors, and bpflint's notes (accepted programs), were seen.
    for want in [("bpfasm", "error"), ("bpfld", "error"), ("bpflint", "error"), ("bpflint", "note")] {
        assert!(seen.contains(&(want.0.to_string(), want.1.to_string())), "no {want:?} among {seen:?}");
    }
    let schema = tools::workspace_root().join("docs/diagnostics.schema.json");
    let script = "import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
n = 0
for line in sys.stdin:
    v.validate(json.loads(line))
    n += 1
print(n)";
    let mut child = Command::new("python3")
        .args(["-c", script, &schema.display().to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all((lines.join("\n") + "\n").as_bytes()).unwrap();
    let v = child.wait_with_output().unwrap();
    assert!(v.status.success(), "diagnostics do not validate:\n{}", String::from_utf8_lossy(&v.stderr));
    assert_eq!(String::from_utf8_lossy(&v.stdout).trim(), lines.len().to_string());

    // The schema is not vacuous: a bpfasm diagnostic without its code does not validate.
    let mut broken: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    broken.as_object_mut().unwrap().remove("code");
    let mut child = Command::new("python3")
        .args(["-c", script, &schema.display().to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(format!("{broken}\n").as_bytes()).unwrap();
    assert!(!child.wait().unwrap().success(), "a diagnostic without a code validated");
    let _ = std::fs::remove_dir_all(&dir);
}
