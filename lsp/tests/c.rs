//! The C pipeline over JSON-RPC: bpflint verdicts on C lines, clang's errors, debounce,
//! cancellation of stale compiles, a hanging clang and a missing one.

mod common;

use common::{c_project, script, Client, XDP_CHECK, XDP_UNCHECKED};
use serde_json::{json, Value};
use std::path::Path;

fn init(opts: Value) -> Value {
    json!({"processId": null, "rootUri": null, "capabilities": {"window": {"workDoneProgress": true}},
           "initializationOptions": opts})
}

fn uri(p: &Path) -> String {
    format!("file://{}", p.display())
}

fn open(c: &mut Client, path: &Path, text: &str) -> String {
    let u = uri(path);
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": u, "languageId": "c", "version": 1, "text": text}}),
    );
    u
}

fn publish(c: &mut Client, u: &str) -> Value {
    c.wait(|v| v["method"] == "textDocument/publishDiagnostics" && v["params"]["uri"] == u)["params"].clone()
}

#[test]
fn verdict_on_the_c_line_hover_and_fix() {
    let Some(dir) = c_project("c-verdict") else { return };
    let mut c = Client::start_with(&[], init(json!({})));
    let file = dir.join("xdp.bpf.c");
    let u = open(&mut c, &file, XDP_UNCHECKED);
    // progress while it compiles
    let begin = c.wait(|v| v["method"] == "$/progress" && v["params"]["value"]["kind"] == "begin");
    assert_eq!(begin["params"]["value"]["title"], "bpflint");
    let p = publish(&mut c, &u);
    let d = p["diagnostics"].as_array().unwrap();
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["source"], "bpflint");
    assert_eq!(d[0]["range"]["start"]["line"], 9, "{d:?}");
    assert_eq!(d[0]["code"], "BL026-packet-bounds");
    let msg = d[0]["message"].as_str().unwrap();
    assert!(msg.contains("invalid access to packet") && msg.contains("help: "), "{msg}");
    let rel = d[0]["relatedInformation"][0]["message"].as_str().unwrap();
    assert!(rel.contains("r1 = *(u16 *)(r1 + 12)") && rel.contains("R1=pkt(r=0)"), "{rel}");

    let id =
        c.request("textDocument/hover", json!({"textDocument": {"uri": u}, "position": {"line": 9, "character": 4}}));
    let h = c.response(id)["result"]["contents"]["value"].as_str().unwrap_or("").to_string();
    assert!(h.contains("registers before each") && h.contains("R1=pkt(r=0)"), "{h}");
    // clangd owns completion and definitions in C files
    let id = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": u}, "position": {"line": 9, "character": 4}}),
    );
    assert!(c.response(id)["result"].is_null());

    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 9, "character": 0}, "end": {"line": 9, "character": 0}}, "text": XDP_CHECK}
        ]}),
    );
    let p = publish(&mut c, &u);
    assert_eq!(p["version"], 2);
    assert_eq!(p["diagnostics"], json!([]), "{p}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn compile_errors_and_files_without_programs() {
    let Some(dir) = c_project("c-errors") else { return };
    let mut c = Client::start_with(&[], init(json!({})));
    let text = "#include \"vmlinux.h\"\n#include <bpf/bpf_helpers.h>\n\nSEC(\"xdp\")\nint prog(struct xdp_md *ctx)\n{\n\treturn nope;\n}\n";
    let u = open(&mut c, &dir.join("bad.bpf.c"), text);
    let d = publish(&mut c, &u)["diagnostics"].as_array().unwrap().clone();
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["range"]["start"], json!({"line": 6, "character": 8}), "{d:?}");
    assert_eq!(d[0]["code"], "clang");
    assert_eq!(d[0]["source"], "bpflint");
    assert!(d[0]["message"].as_str().unwrap().contains("undeclared identifier 'nope'"), "{d:?}");

    let u = open(&mut c, &dir.join("empty.bpf.c"), "static int helper(int x) { return x + 1; }\n");
    let d = publish(&mut c, &u)["diagnostics"].as_array().unwrap().clone();
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["code"], "no-programs", "{d:?}");

    // a program in a section libbpf does not know: one diagnostic saying so
    let text = XDP_UNCHECKED.replace("SEC(\"xdp\")", "SEC(\"mystery/thing\")");
    let u = open(&mut c, &dir.join("mystery.bpf.c"), &text);
    let d = publish(&mut c, &u)["diagnostics"].as_array().unwrap().clone();
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["code"], "BL005-unknown-program-type", "{d:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn plain_c_files_whose_project_flags_target_bpf() {
    let Some(dir) = c_project("c-flags") else { return };
    let sub = dir.join("src");
    std::fs::create_dir_all(&sub).unwrap();
    // clangd's compile_flags.txt, one flag a line; the include path is relative to it
    std::fs::write(dir.join("compile_flags.txt"), "-target\nbpf\n-I.\n-DVERDICT=XDP_PASS\n").unwrap();
    let text = XDP_UNCHECKED
        .replace("#include \"vmlinux.h\"", "#include <vmlinux.h>")
        .replace("return XDP_PASS", "return VERDICT");
    let mut c = Client::start_with(&[], init(json!({})));
    let u = open(&mut c, &sub.join("prog.c"), &text);
    let d = publish(&mut c, &u)["diagnostics"].as_array().unwrap().clone();
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["code"], "BL026-packet-bounds", "{d:?}");
    assert_eq!(d[0]["range"]["start"]["line"], 9, "{d:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn null_check_code_action() {
    let Some(dir) = c_project("c-action") else { return };
    let mut c = Client::start_with(&[], init(json!({})));
    let text = "#include \"vmlinux.h\"\n#include <bpf/bpf_helpers.h>\n\nstruct {\n\t__uint(type, BPF_MAP_TYPE_HASH);\n\t__uint(max_entries, 1);\n\t__type(key, __u32);\n\t__type(value, __u64);\n} counts SEC(\".maps\");\n\nSEC(\"xdp\")\nint count(struct xdp_md *ctx)\n{\n\t__u32 k = 0;\n\t__u64 *v = bpf_map_lookup_elem(&counts, &k);\n\t*v += 1;\n\treturn XDP_PASS;\n}\n\nchar LICENSE[] SEC(\"license\") = \"GPL\";\n";
    let u = open(&mut c, &dir.join("nul.bpf.c"), text);
    let d = publish(&mut c, &u)["diagnostics"].as_array().unwrap().clone();
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["range"]["start"]["line"], 15, "{d:?}");
    let id = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": u}, "range": d[0]["range"], "context": {"diagnostics": d}}),
    );
    let r = c.response(id);
    let edit = &r["result"][0]["edit"]["changes"][&u][0];
    assert_eq!(edit["newText"], "\tif (!v)\n\t\treturn 0;\n", "{r}");
    assert_eq!(edit["range"]["start"], json!({"line": 15, "character": 0}), "{r}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn two_quick_edits_compile_once_with_the_last_text() {
    let Some(dir) = c_project("c-debounce") else { return };
    // a clang that records every source it is given, then compiles it
    let log = dir.join("log");
    let fake = dir.join("clang");
    script(
        &fake,
        &format!("for a in \"$@\"; do case $a in *.c) echo \"== $(grep -c MARK \"$a\") $(grep -o 'MARK[0-9]*' \"$a\" | tr '\\n' ' ')\" >> {};; esac; done\nexec clang-19 \"$@\"\n", log.display()),
    );
    let mut c = Client::start_with(&[], init(json!({"clang": fake.display().to_string(), "debounceMs": 400})));
    let u = open(&mut c, &dir.join("xdp.bpf.c"), &format!("// MARK1\n{XDP_UNCHECKED}"));
    assert_eq!(publish(&mut c, &u)["version"], 1);
    for (v, m) in [(2, "MARK2"), (3, "MARK3")] {
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": u, "version": v}, "contentChanges": [
                {"range": {"start": {"line": 0, "character": 3}, "end": {"line": 0, "character": 8}}, "text": m}
            ]}),
        );
    }
    let p = publish(&mut c, &u);
    assert_eq!(p["version"], 3, "{p}");
    assert_eq!(p["diagnostics"][0]["range"]["start"]["line"], 10, "{p}");
    let log = std::fs::read_to_string(&log).unwrap();
    assert_eq!(log, "== 1 MARK1 \n== 1 MARK3 \n");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn progress_cancel_and_close_stop_a_running_compile() {
    let Some(dir) = c_project("c-cancel") else { return };
    // a clang that never finishes on its own; it records its pid
    let fake = dir.join("clang");
    let started = dir.join("started");
    script(&fake, &format!("echo $$ >> {}\nexec sleep 600\n", started.display()));
    let mut c = Client::start_with(&[], init(json!({"clang": fake.display().to_string(), "debounceMs": 0})));
    let u = open(&mut c, &dir.join("xdp.bpf.c"), XDP_UNCHECKED);
    let pids = |n: usize| -> Vec<String> {
        for _ in 0..2000 {
            let t = std::fs::read_to_string(&started).unwrap_or_default();
            if t.lines().count() >= n {
                return t.lines().map(String::from).collect();
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        panic!("compile {n} never started");
    };
    let first = pids(1)[0].clone();
    // the client cancels the compile through its progress token
    let begin = c.wait(|v| v["method"] == "$/progress" && v["params"]["value"]["kind"] == "begin");
    assert_eq!(begin["params"]["value"]["cancellable"], true);
    let token = begin["params"]["token"].clone();
    c.notify("window/workDoneProgress/cancel", json!({"token": token}));
    c.wait(|v| v["method"] == "$/progress" && v["params"]["token"] == token && v["params"]["value"]["kind"] == "end");
    // the worker is free at once: the next buffer's compile starts, the first clang is gone
    let u2 = open(&mut c, &dir.join("other.bpf.c"), XDP_UNCHECKED);
    let second = pids(2)[1].clone();
    assert!(!Path::new(&format!("/proc/{first}")).exists(), "the cancelled clang still runs");
    // closing a buffer cancels its compile too
    c.notify("textDocument/didClose", json!({"textDocument": {"uri": u2}}));
    assert_eq!(publish(&mut c, &u2)["diagnostics"], json!([]));
    open(&mut c, &dir.join("third.bpf.c"), XDP_UNCHECKED);
    pids(3);
    assert!(!Path::new(&format!("/proc/{second}")).exists(), "the cancelled clang still runs");
    // a request cancelled before it is handled
    c.notify("$/cancelRequest", json!({"id": 99}));
    c.next_id = 99;
    let id =
        c.request("textDocument/hover", json!({"textDocument": {"uri": u}, "position": {"line": 0, "character": 0}}));
    assert_eq!(c.response(id)["error"]["code"], -32800);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_hanging_clang_times_out_and_a_missing_one_is_reported() {
    let Some(dir) = c_project("c-hang") else { return };
    let fake = dir.join("clang");
    script(&fake, "exec sleep 600\n");
    let mut c =
        Client::start_with(&[], init(json!({"clang": fake.display().to_string(), "timeoutMs": 300, "debounceMs": 0})));
    let u = open(&mut c, &dir.join("xdp.bpf.c"), XDP_UNCHECKED);
    let d = publish(&mut c, &u)["diagnostics"].as_array().unwrap().clone();
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["code"], "clang-timeout", "{d:?}");
    // still answering
    let id =
        c.request("textDocument/hover", json!({"textDocument": {"uri": u}, "position": {"line": 0, "character": 0}}));
    assert!(c.response(id).get("error").is_none());
    drop(c);

    let missing = dir.join("no-such-clang");
    let mut c = Client::start_with(&[("BPF_LSP_CLANG", missing.to_str().unwrap())], init(Value::Null));
    let u = open(&mut c, &dir.join("xdp.bpf.c"), XDP_UNCHECKED);
    let m = c.wait(|v| v["method"] == "window/showMessage");
    assert!(m["params"]["message"].as_str().unwrap().contains("no-such-clang"), "{m}");
    let d = publish(&mut c, &u)["diagnostics"].as_array().unwrap().clone();
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["code"], "clang-missing", "{d:?}");
    let id = c.request("shutdown", Value::Null);
    assert!(c.response(id).get("error").is_none());
    let _ = std::fs::remove_dir_all(&dir);
}
