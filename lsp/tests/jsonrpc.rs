//! Speaks JSON-RPC to `bpf-lsp` directly: diagnostics, incremental edits, hover, definition,
//! references, symbols, completion and cancellation.

mod common;

use common::Client;
use serde_json::json;

const URI: &str = "file:///tmp/bpf-lsp-test/prog.s";
const TEXT: &str = "\t.text\n\t.globl\tprog\n\t.type\tprog,@function\nprog:\n\tr1 = 1\n\tif r1 == 0 goto done\n\tr1 += w2\ndone:\n\tr0 = 0\n\texit\n";

#[test]
fn diagnostics_edits_navigation_and_cancellation() {
    let mut c = Client::start();
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "bpf", "version": 1, "text": TEXT}}),
    );
    let d = c.diagnostics();
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["range"]["start"], json!({"line": 6, "character": 7}));
    assert_eq!(d[0]["code"], "invalid-operand");
    assert!(d[0]["message"].as_str().unwrap().contains("expected a 64-bit register"), "{d:?}");

    // Incremental edit: `w2` -> `r2` fixes it.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 6, "character": 7}, "end": {"line": 6, "character": 8}}, "text": "r"}
        ]}),
    );
    assert!(c.diagnostics().is_empty());

    // Hover on the instruction and on a label reference.
    let id =
        c.request("textDocument/hover", json!({"textDocument": {"uri": URI}, "position": {"line": 4, "character": 2}}));
    let h = c.response(id);
    let text = h["result"]["contents"]["value"].as_str().unwrap().to_string();
    assert!(text.contains("MovK64") && text.contains("b7 01 00 00 01 00 00 00"), "{text}");
    let id = c
        .request("textDocument/hover", json!({"textDocument": {"uri": URI}, "position": {"line": 5, "character": 19}}));
    let h = c.response(id);
    assert!(h["result"]["contents"]["value"].as_str().unwrap().contains("**done** (label)"), "{h}");

    // Definition and references of `done`.
    let id = c.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": URI}, "position": {"line": 5, "character": 19}}),
    );
    let r = c.response(id);
    assert_eq!(r["result"]["range"]["start"], json!({"line": 7, "character": 0}), "{r}");
    let id = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": URI}, "position": {"line": 7, "character": 1}, "context": {"includeDeclaration": true}}),
    );
    let r = c.response(id);
    assert_eq!(r["result"].as_array().unwrap().len(), 2, "{r}");

    // Symbols and completion.
    let id = c.request("textDocument/documentSymbol", json!({"textDocument": {"uri": URI}}));
    let r = c.response(id);
    let names: Vec<&str> = r["result"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"prog") && names.contains(&"done") && names.contains(&".text"), "{names:?}");
    let id = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": {"line": 8, "character": 1}}),
    );
    let r = c.response(id);
    let labels: Vec<&str> = r["result"].as_array().unwrap().iter().map(|s| s["label"].as_str().unwrap()).collect();
    assert!(labels.contains(&"exit") && labels.contains(&".section") && labels.contains(&"done"));
    assert!(labels.contains(&"BPF_FUNC_map_lookup_elem"), "helpers complete by name");

    // Cancellation: a large edit keeps the server busy while a request and its cancellation
    // arrive; the request is answered with RequestCancelled (-32800).
    let big: String = "\tr1 += 1\n".repeat(200_000);
    let change = json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params":
        {"textDocument": {"uri": URI, "version": 3}, "contentChanges": [{"text": big}]}});
    let hover = json!({"jsonrpc": "2.0", "id": 99, "method": "textDocument/hover", "params":
        {"textDocument": {"uri": URI}, "position": {"line": 0, "character": 1}}});
    let cancel = json!({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 99}});
    let mut bytes = Client::frame(&change);
    bytes.extend(Client::frame(&hover));
    bytes.extend(Client::frame(&cancel));
    c.send_raw(&bytes);
    let r = c.response(99);
    assert_eq!(r["error"]["code"], json!(-32800), "{r}");

    // The offline verifier's findings arrive as diagnostics on the offending line.
    let bad = "\t.section\tsocket,\"ax\",@progbits\n\t.globl\tf\n\t.type\tf,@function\nf:\n\tr0 = r2\n\texit\n";
    let uri2 = "file:///tmp/bpf-lsp-test/uninit.s";
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri2, "languageId": "bpf", "version": 1, "text": bad}}),
    );
    let d = c.diagnostics_for(uri2);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["source"], "bpflint");
    assert_eq!(d[0]["range"]["start"]["line"], 4, "{d:?}");
    assert!(d[0]["message"].as_str().unwrap().contains("R2 !read_ok"), "{d:?}");
    let id = c
        .request("textDocument/hover", json!({"textDocument": {"uri": uri2}, "position": {"line": 4, "character": 2}}));
    let h = c.response(id);
    assert!(h["result"]["contents"]["value"].as_str().unwrap().contains("**bpflint**"), "{h}");

    let id = c.request("shutdown", json!(null));
    c.response(id);
    c.notify("exit", json!(null));
}

/// Hover on an instruction of a program shows the registers bpflint knows before it.
#[test]
fn hover_shows_the_verifier_state() {
    let uri = "file:///tmp/bpf-lsp-test/state.s";
    let text = "\t.section\tsocket,\"ax\",@progbits\n\t.globl\tprog\n\t.type\tprog,@function\nprog:\n\tr2 = 7\n\tr0 = 0\n\texit\n\t.section\tlicense,\"aw\",@progbits\n\t.globl\t_license\n_license:\n\t.asciz\t\"GPL\"\n";
    let mut c = Client::start();
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "bpf", "version": 1, "text": text}}),
    );
    assert!(c.diagnostics().is_empty());
    let id =
        c.request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": {"line": 5, "character": 2}}));
    let h = c.response(id);
    let value = h["result"]["contents"]["value"].as_str().unwrap().to_string();
    assert!(value.contains("registers before this instruction") && value.contains("R2=7"), "{value}");
    assert!(value.contains("R1=ctx()"), "{value}");
}

/// Go-to-definition and references of C types declared in `.cdecl` blocks.
#[test]
fn c_types_in_cdecl_blocks_navigate() {
    let uri = "file:///tmp/bpf-lsp-test/types.s";
    let text = "\t.cdecl\nstruct pair { int a; int b; };\ntypedef struct pair pair_t;\npair_t table[4];\n\t.endcdecl\n\t.section\tsocket,\"ax\",@progbits\n\t.globl\tprog\n\t.type\tprog,@function\nprog:\n\tr0 = 0\n\texit\n";
    let mut c = Client::start();
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "bpf", "version": 1, "text": text}}),
    );
    assert!(c.diagnostics().is_empty());
    // `pair` of `typedef struct pair pair_t;` -> line 1, `struct pair {`
    let id = c.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 16}}),
    );
    let r = c.response(id);
    assert_eq!(r["result"]["range"]["start"], json!({"line": 1, "character": 7}), "{r}");
    // `pair_t` of `pair_t table[4];` -> the typedef's name
    let id = c.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": {"line": 3, "character": 2}}),
    );
    let r = c.response(id);
    assert_eq!(r["result"]["range"]["start"], json!({"line": 2, "character": 20}), "{r}");
    let id = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 8}, "context": {"includeDeclaration": true}}),
    );
    let r = c.response(id);
    assert_eq!(r["result"].as_array().unwrap().len(), 2, "{r}");
    let id =
        c.request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": {"line": 3, "character": 2}}));
    let h = c.response(id);
    assert!(h["result"]["contents"]["value"].as_str().unwrap().contains("**pair_t** (C type)"), "{h}");
}

/// 100,000-deep nesting in a document (an expression, a C declarator) is a located diagnostic,
/// not a crashed server; a byte-order mark is not an error; no diagnostic carries escape codes.
#[test]
fn deep_nesting_and_a_byte_order_mark_are_diagnosed_not_fatal() {
    let uri = "file:///tmp/bpf-lsp-test/deep.s";
    let n = 100_000;
    let text = format!(
        "\u{feff}\tr0 = {}1{}\n\t.cdecl\nint {}x{};\n\t.endcdecl\n\texit\n",
        "(".repeat(n),
        ")".repeat(n),
        "(".repeat(n),
        ")".repeat(n)
    );
    let mut c = Client::start();
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "bpf", "version": 1, "text": text}}),
    );
    let d = c.diagnostics_for(uri);
    assert_eq!(d.len(), 2, "{d:?}");
    assert_eq!(d[0]["range"]["start"]["line"], 0, "{d:?}");
    assert!(d[0]["message"].as_str().unwrap().contains("nested too deeply"), "{d:?}");
    assert_eq!(d[1]["range"]["start"]["line"], 2, "{d:?}");
    assert!(d[1]["message"].as_str().unwrap().contains("nesting too deep"), "{d:?}");
    assert!(!serde_json::to_string(&d).unwrap().contains('\u{1b}'));
    // The server still answers.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": "\u{feff}\tr0 = 0\n\texit\n"}]}),
    );
    assert!(c.diagnostics_for(uri).is_empty());
}
