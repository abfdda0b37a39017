//! A JSON-RPC client for the server under test.
#![allow(dead_code)]

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

pub struct Client {
    pub child: Child,
    stdin: ChildStdin,
    out: BufReader<ChildStdout>,
    pub next_id: i64,
    /// Messages read while waiting for something else.
    pub backlog: Vec<Value>,
}

impl Client {
    pub fn start() -> Client {
        Client::start_with(&[], json!({"processId": null, "rootUri": null, "capabilities": {}}))
    }

    /// Start the server with extra environment variables and these `initialize` parameters.
    pub fn start_with(env: &[(&str, &str)], init: Value) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_bpf-lsp"))
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start bpf-lsp");
        let stdin = child.stdin.take().unwrap();
        let out = BufReader::new(child.stdout.take().unwrap());
        let mut c = Client { child, stdin, out, next_id: 1, backlog: Vec::new() };
        let id = c.request("initialize", init);
        let r = c.response(id);
        assert!(r["result"]["capabilities"]["hoverProvider"].as_bool().unwrap());
        c.notify("initialized", json!({}));
        c
    }

    pub fn frame(v: &Value) -> Vec<u8> {
        let body = v.to_string();
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    pub fn send_raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    pub fn request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        let m = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        self.send_raw(&Self::frame(&m));
        id
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        let m = json!({"jsonrpc": "2.0", "method": method, "params": params});
        self.send_raw(&Self::frame(&m));
    }

    pub fn read(&mut self) -> Value {
        let mut len = 0usize;
        loop {
            let mut line = String::new();
            assert!(self.out.read_line(&mut line).unwrap() > 0, "server closed the connection");
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                len = v.parse().unwrap();
            }
        }
        let mut buf = vec![0u8; len];
        self.out.read_exact(&mut buf).unwrap();
        serde_json::from_slice(&buf).unwrap()
    }

    pub fn wait(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&pred) {
            return self.backlog.remove(i);
        }
        loop {
            let v = self.read();
            if pred(&v) {
                return v;
            }
            self.backlog.push(v);
        }
    }

    pub fn response(&mut self, id: i64) -> Value {
        self.wait(|v| v["id"] == json!(id) && v.get("method").is_none())
    }

    pub fn diagnostics(&mut self) -> Vec<Value> {
        let v = self.wait(|v| v["method"] == "textDocument/publishDiagnostics");
        v["params"]["diagnostics"].as_array().unwrap().clone()
    }

    pub fn diagnostics_for(&mut self, uri: &str) -> Vec<Value> {
        let v = self.wait(|v| v["method"] == "textDocument/publishDiagnostics" && v["params"]["uri"] == uri);
        v["params"]["diagnostics"].as_array().unwrap().clone()
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        // a clean exit (the server removes its scratch files), else kill it
        let m = json!({"jsonrpc": "2.0", "method": "exit", "params": null});
        let _ = self.stdin.write_all(&Self::frame(&m));
        let _ = self.stdin.flush();
        for _ in 0..200 {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        let _ = self.child.kill();
    }
}

/// A temporary project directory for C programs, with the running kernel's `vmlinux.h` made by
/// bpftool; None (after printing why) when clang-19 or bpftool is absent, which fails under CI.
pub fn c_project(name: &str) -> Option<std::path::PathBuf> {
    for tool in ["clang-19", "bpftool"] {
        if Command::new(tool).arg("--version").output().is_err() {
            assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "{tool} is not installed (CI=true)");
            eprintln!("skipped: {tool} not installed");
            return None;
        }
    }
    let dir = std::env::temp_dir().join(format!("bpf-lsp-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let out = Command::new("bpftool")
        .args(["btf", "dump", "file", "/sys/kernel/btf/vmlinux", "format", "c"])
        .output()
        .expect("bpftool");
    assert!(out.status.success(), "bpftool btf dump: {}", String::from_utf8_lossy(&out.stderr));
    std::fs::write(dir.join("vmlinux.h"), out.stdout).unwrap();
    Some(dir)
}

/// An executable shell script at `path`.
pub fn script(path: &std::path::Path, body: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, format!("#!/bin/sh\n{body}")).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// An XDP program reading the Ethernet header before checking it against data_end (line 10).
pub const XDP_UNCHECKED: &str = "#include \"vmlinux.h\"
#include <bpf/bpf_helpers.h>

SEC(\"xdp\")
int prog(struct xdp_md *ctx)
{
\tvoid *data = (void *)(long)ctx->data;
\tvoid *data_end = (void *)(long)ctx->data_end;
\tstruct ethhdr *eth = data;
\tif (eth->h_proto == 0)
\t\treturn XDP_DROP;
\treturn XDP_PASS;
}

char LICENSE[] SEC(\"license\") = \"GPL\";
";

/// The bounds check that fixes [`XDP_UNCHECKED`], inserted before its line 10.
pub const XDP_CHECK: &str = "\tif ((void *)(eth + 1) > data_end)\n\t\treturn XDP_DROP;\n";

/// Runs headless neovim (`nvim --headless --clean`) with `lua` as its init file in `dir` (its
/// HOME too) and returns the JSON the script wrote to `out`.
pub fn run_nvim(dir: &std::path::Path, lua: &str, out: &std::path::Path) -> Value {
    let init = dir.join("init.lua");
    std::fs::write(&init, lua).unwrap();
    let st = Command::new("nvim")
        .args(["--headless", "--clean", "-u"])
        .arg(&init)
        .env("HOME", dir)
        .output()
        .expect("run nvim");
    let text = std::fs::read_to_string(out)
        .unwrap_or_else(|_| panic!("neovim wrote no result: {}", String::from_utf8_lossy(&st.stderr)));
    serde_json::from_str(&text).unwrap()
}
