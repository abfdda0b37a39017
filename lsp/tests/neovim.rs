//! End to end with a real editor: headless neovim's built-in LSP client opens an example with an
//! error; we assert the diagnostic (range and message), a hover text and a go-to-definition.

mod common;

use serde_json::Value;
use std::process::Command;

#[test]
fn neovim_client() {
    match Command::new("nvim").arg("--version").output() {
        Ok(o) if o.status.success() => {}
        _ => {
            assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "neovim is not installed (CI=true)");
            eprintln!("skipped: nvim not installed");
            return;
        }
    }
    let dir = std::env::temp_dir().join(format!("bpf-lsp-nvim-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("prog.s");
    std::fs::write(
        &file,
        "\t.text\n\t.globl\tprog\n\t.type\tprog,@function\nprog:\n\tr1 = 1\n\tif r1 == 0 goto done\n\tr1 += w2\ndone:\n\tr0 = 0\n\texit\n",
    )
    .unwrap();
    let out = dir.join("out.json");
    let lua = format!(
        r#"
local out = {{}}
local id = vim.lsp.start_client({{ name = "bpf-lsp", cmd = {{ "{bin}" }}, root_dir = "{dir}" }})
vim.cmd("edit {file}")
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, id)
vim.wait(10000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
out.diagnostics = {{}}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  table.insert(out.diagnostics, {{ lnum = d.lnum, col = d.col, end_col = d.end_col, message = d.message }})
end
local pos = {{ textDocument = {{ uri = vim.uri_from_bufnr(buf) }}, position = {{ line = 5, character = 19 }} }}
local h = vim.lsp.buf_request_sync(buf, "textDocument/hover", pos, 5000) or {{}}
for _, r in pairs(h) do if r.result then out.hover = r.result.contents.value end end
local d = vim.lsp.buf_request_sync(buf, "textDocument/definition", pos, 5000) or {{}}
for _, r in pairs(d) do if r.result then out.definition = r.result end end
local f = io.open("{out}", "w")
f:write(vim.fn.json_encode(out))
f:close()
vim.cmd("qa!")
"#,
        bin = env!("CARGO_BIN_EXE_bpf-lsp"),
        dir = dir.display(),
        file = file.display(),
        out = out.display()
    );
    let v: Value = common::run_nvim(&dir, &lua, &out);
    let diags = v["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diags.len(), 1, "{v}");
    assert_eq!(diags[0]["lnum"], 6);
    assert_eq!(diags[0]["col"], 7);
    assert_eq!(diags[0]["end_col"], 9);
    assert!(
        diags[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("invalid operand for instruction: expected a 64-bit register"),
        "{v}"
    );
    assert!(v["hover"].as_str().unwrap_or("").contains("**done** (label)"), "{v}");
    assert_eq!(v["definition"]["range"]["start"]["line"], 7, "{v}");
    assert!(v["definition"]["uri"].as_str().unwrap().ends_with("/prog.s"));
    let _ = std::fs::remove_dir_all(&dir);
}
