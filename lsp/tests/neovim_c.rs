//! End to end with a real editor for C: headless neovim's built-in LSP client opens a `.bpf.c`
//! XDP program that reads the packet before its bounds check and sees bpflint's diagnostic on
//! that C line; adding the check (a buffer edit, sent as didChange) clears it; a tracepoint
//! program reading past its record gets the tracepoint-abi warning on its line.

mod common;

use common::{c_project, XDP_CHECK, XDP_UNCHECKED};
use serde_json::Value;
use std::process::Command;

const TRACEPOINT: &str = "#include \"vmlinux.h\"
#include <bpf/bpf_helpers.h>

struct openat_rec {
\tunsigned long long common;
\tlong nr;
\tlong args[6];
\tlong beyond;
};

SEC(\"tracepoint/syscalls/sys_enter_openat\")
int on_openat(struct openat_rec *ctx)
{
\tlong dfd = ctx->args[0];
\tlong more = ctx->beyond;
\treturn dfd + more == 0;
}

char LICENSE[] SEC(\"license\") = \"GPL\";
";

#[test]
fn neovim_c_client() {
    match Command::new("nvim").arg("--version").output() {
        Ok(o) if o.status.success() => {}
        _ => {
            assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "neovim is not installed (CI=true)");
            eprintln!("skipped: nvim not installed");
            return;
        }
    }
    let Some(dir) = c_project("nvim-c") else { return };
    let tracefs = "/sys/kernel/tracing/events/syscalls/sys_enter_openat/format";
    let has_tracefs = std::path::Path::new(tracefs).exists();
    if !has_tracefs {
        assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "no {tracefs} (CI=true)");
        eprintln!("skipped (tracepoint part): no {tracefs}");
    }
    let xdp = dir.join("xdp.bpf.c");
    std::fs::write(&xdp, XDP_UNCHECKED).unwrap();
    let tp = dir.join("tp.bpf.c");
    std::fs::write(&tp, TRACEPOINT).unwrap();
    let out = dir.join("out.json");
    let check: Vec<String> = XDP_CHECK.lines().map(|l| format!("{l:?}")).collect();
    let lua = format!(
        r#"
local out = {{}}
local id = vim.lsp.start_client({{ name = "bpf-lsp", cmd = {{ "{bin}" }}, root_dir = "{dir}" }})
local function diags(buf)
  local r = {{}}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(r, {{ lnum = d.lnum, source = d.source, code = d.code, message = d.message }})
  end
  return r
end
vim.cmd("edit {xdp}")
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, id)
vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
out.before = diags(buf)
vim.api.nvim_buf_set_lines(buf, 9, 9, false, {{ {check} }})
vim.wait(30000, function() return #vim.diagnostic.get(buf) == 0 end, 20)
out.after = diags(buf)
vim.cmd("edit {tp}")
local tbuf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(tbuf, id)
vim.wait(30000, function() return #vim.diagnostic.get(tbuf) > 0 end, 20)
out.tracepoint = diags(tbuf)
local f = io.open("{out}", "w")
f:write(vim.fn.json_encode(out))
f:close()
vim.cmd("qa!")
"#,
        bin = env!("CARGO_BIN_EXE_bpf-lsp"),
        dir = dir.display(),
        xdp = xdp.display(),
        tp = tp.display(),
        check = check.join(", "),
        out = out.display()
    );
    let v: Value = common::run_nvim(&dir, &lua, &out);
    let before = v["before"].as_array().expect("diagnostics");
    assert_eq!(before.len(), 1, "{v}");
    assert_eq!(before[0]["lnum"], 9, "{v}");
    assert_eq!(before[0]["source"], "bpflint", "{v}");
    assert_eq!(before[0]["code"], "BL026-packet-bounds", "{v}");
    assert!(before[0]["message"].as_str().unwrap().contains("invalid access to packet"), "{v}");
    assert_eq!(v["after"], serde_json::json!([]), "{v}");
    if has_tracefs {
        let t = v["tracepoint"].as_array().expect("tracepoint diagnostics");
        assert_eq!(t.len(), 1, "{v}");
        assert_eq!(t[0]["lnum"], 14, "{v}");
        assert_eq!(t[0]["code"], "tracepoint-abi", "{v}");
        assert!(t[0]["message"].as_str().unwrap().contains("past the end of its 48-byte record"), "{v}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
