//! `bpf-lsp`: a language server for BPF assembly over stdio, and for C BPF sources next to clangd
//! (see `c/`: clang on the buffer, bpflint on the object, findings on the C lines).
//!
//! Diagnostics come from the assembler (the same codes and messages as `bpfasm`), on open,
//! change and save. Hover explains instructions (from the instruction table) and symbols; go to
//! definition, find references, document symbols and completion cover labels, functions, maps,
//! variables, sections and declared C types. Requests cancelled by the client before they are
//! handled are answered with `RequestCancelled`.

mod analysis;
mod c;
mod ctypes;
mod describe;

use analysis::{analyze, Analysis, DefKind};
use bpfasm::diag::Level;
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    Cancel, DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument, Notification as _,
    PublishDiagnostics, WorkDoneProgressCancel,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, GotoDefinition, HoverRequest, References, Request as _,
    Shutdown,
};
use lsp_types::*;
use std::collections::{HashMap, HashSet, VecDeque};
use std::path::PathBuf;

struct Doc {
    text: String,
    analysis: Analysis,
}

struct Server {
    docs: HashMap<Url, Doc>,
    /// C buffers: their text; compiled and linted by the C worker.
    c_docs: HashMap<Url, String>,
    c: c::C,
}

fn path_of(uri: &Url) -> PathBuf {
    uri.to_file_path().unwrap_or_else(|_| PathBuf::from(uri.path()))
}

impl Server {
    fn update(&mut self, uri: Url, text: String) -> Notification {
        let analysis = analyze(&path_of(&uri), &text);
        let mut diagnostics: Vec<Diagnostic> = analysis
            .diags
            .iter()
            .map(|d| {
                let range = match d.span {
                    Some(s) if s.file == 0 => analysis.index.range(s.start as usize, s.end as usize),
                    _ => Range::default(),
                };
                let mut message = d.message.clone();
                for n in &d.notes {
                    message.push('\n');
                    message.push_str(n);
                }
                Diagnostic {
                    range,
                    severity: Some(match d.level {
                        Level::Error => DiagnosticSeverity::ERROR,
                        Level::Warning => DiagnosticSeverity::WARNING,
                    }),
                    code: Some(NumberOrString::String(d.code.as_str().to_string())),
                    source: Some("bpfasm".into()),
                    message,
                    ..Diagnostic::default()
                }
            })
            .collect();
        for l in &analysis.lints {
            let range = match l.line {
                Some(n) if n > 0 => {
                    let start = analysis.index.offset(Position { line: n - 1, character: 0 });
                    let end = analysis.index.offset(Position { line: n, character: 0 }).saturating_sub(1).max(start);
                    analysis.index.range(start, end)
                }
                _ => Range::default(),
            };
            diagnostics.push(Diagnostic {
                range,
                severity: Some(DiagnosticSeverity::ERROR),
                code: Some(NumberOrString::String(l.code.to_string())),
                source: Some("bpflint".into()),
                message: format!("{}\nregisters: {}", l.message, l.regs),
                ..Diagnostic::default()
            });
        }
        self.docs.insert(uri.clone(), Doc { text, analysis });
        let params = PublishDiagnosticsParams { uri, diagnostics, version: None };
        Notification::new(PublishDiagnostics::METHOD.into(), params)
    }

    fn hover(&self, p: HoverParams) -> Option<Hover> {
        let uri = &p.text_document_position_params.text_document.uri;
        if self.c_docs.contains_key(uri) {
            return c::hover(&self.c.shared, uri, p.text_document_position_params.position.line);
        }
        let doc = self.docs.get(&p.text_document_position_params.text_document.uri)?;
        let a = &doc.analysis;
        let off = a.index.offset(p.text_document_position_params.position);
        let mut parts = Vec::new();
        if let Some(d) = a.def_at(off) {
            let def = &a.defs[d];
            let kind = match def.kind {
                DefKind::Function => "function",
                DefKind::Object => "object",
                DefKind::Label => "label",
                DefKind::Constant => "constant",
                DefKind::Section => "section",
                DefKind::Type => "C type",
                DefKind::Macro => "macro",
            };
            let scope = if def.global { "global " } else { "" };
            let detail = if def.detail.contains('\n') || def.detail.len() > 40 {
                format!("\n```c\n{}\n```", def.detail.trim())
            } else {
                format!(" — {}", def.detail)
            };
            parts.push(format!("**{}** ({scope}{kind}){detail}", def.name));
        }
        if let Some(t) = a.expansion_at(off) {
            parts.push(format!("expands to:\n```asm\n{}\n```", t.trim_end()));
        }
        if let Some(s) = a.stmt_at(off) {
            parts.push(describe::hover(&s.insn, &s.section, s.offset, bpf_isa::Endian::Little));
        }
        let line = p.text_document_position_params.position.line + 1;
        let mut rejected_here = false;
        for l in a.lints.iter().filter(|l| l.line == Some(line)) {
            parts.push(format!("**bpflint** `{}` — registers here: `{}`", l.code, l.regs));
            rejected_here = true;
        }
        if let Some((regs, visits)) = a.states.get(&line).filter(|_| !rejected_here) {
            let paths = if *visits > 1 { format!(" (the first of {visits} paths here)") } else { String::new() };
            parts.push(format!("**bpflint** — registers before this instruction{paths}: `{regs}`"));
        }
        if parts.is_empty() {
            return None;
        }
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: parts.join("\n\n---\n\n"),
            }),
            range: None,
        })
    }

    fn definition(&self, p: GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
        // C files: clangd owns go-to-definition (no C buffer is in `docs`).
        let uri = &p.text_document_position_params.text_document.uri;
        let doc = self.docs.get(uri)?;
        let a = &doc.analysis;
        let off = a.index.offset(p.text_document_position_params.position);
        let def = &a.defs[a.def_at(off)?];
        if let Some((s, e)) = def.span {
            return Some(GotoDefinitionResponse::Scalar(Location { uri: uri.clone(), range: a.index.range(s, e) }));
        }
        let (path, s, e) = def.elsewhere.clone()?;
        let text = std::fs::read_to_string(&path).ok()?;
        let idx = analysis::LineIndex::new(&text);
        let uri = Url::from_file_path(std::fs::canonicalize(&path).ok()?).ok()?;
        Some(GotoDefinitionResponse::Scalar(Location { uri, range: idx.range(s, e) }))
    }

    fn references(&self, p: ReferenceParams) -> Option<Vec<Location>> {
        let uri = &p.text_document_position.text_document.uri;
        let doc = self.docs.get(uri)?;
        let a = &doc.analysis;
        let off = a.index.offset(p.text_document_position.position);
        let d = a.def_at(off)?;
        let mut out: Vec<Location> = a
            .refs
            .iter()
            .filter(|r| r.0 == d)
            .map(|&(_, s, e)| Location { uri: uri.clone(), range: a.index.range(s, e) })
            .collect();
        if p.context.include_declaration {
            if let Some((s, e)) = a.defs[d].span {
                out.insert(0, Location { uri: uri.clone(), range: a.index.range(s, e) });
            }
        }
        out.dedup_by(|x, y| x.range == y.range);
        Some(out)
    }

    #[allow(deprecated)]
    fn symbols(&self, p: DocumentSymbolParams) -> Option<DocumentSymbolResponse> {
        let doc = self.docs.get(&p.text_document.uri)?;
        let a = &doc.analysis;
        let syms = a
            .defs
            .iter()
            .filter_map(|d| {
                let (s, e) = d.span?;
                let kind = match d.kind {
                    DefKind::Function => SymbolKind::FUNCTION,
                    DefKind::Object => SymbolKind::VARIABLE,
                    DefKind::Label => SymbolKind::KEY,
                    DefKind::Constant => SymbolKind::CONSTANT,
                    DefKind::Section => SymbolKind::NAMESPACE,
                    DefKind::Type => SymbolKind::STRUCT,
                    DefKind::Macro => SymbolKind::OPERATOR,
                };
                let range = a.index.range(s, e);
                Some(DocumentSymbol {
                    name: d.name.clone(),
                    detail: (!d.detail.is_empty()).then(|| d.detail.lines().next().unwrap_or("").to_string()),
                    kind,
                    tags: None,
                    deprecated: None,
                    range,
                    selection_range: range,
                    children: None,
                })
            })
            .collect();
        Some(DocumentSymbolResponse::Nested(syms))
    }

    fn completion(&self, p: CompletionParams) -> Option<CompletionResponse> {
        // C files: clangd owns completion.
        if self.c_docs.contains_key(&p.text_document_position.text_document.uri) {
            return None;
        }
        let doc = self.docs.get(&p.text_document_position.text_document.uri);
        let mut items = Vec::new();
        let mut seen = HashSet::new();
        let mut add = |label: String, kind: CompletionItemKind, detail: Option<String>| {
            if seen.insert(label.clone()) {
                items.push(CompletionItem { label, kind: Some(kind), detail, ..CompletionItem::default() });
            }
        };
        for t in bpf_isa::templates() {
            if t.alias {
                continue;
            }
            let text = t.text.replace("$dw", "w1").replace("$d", "r1").replace("$sw", "w2").replace("$s", "r2");
            add(text, CompletionItemKind::SNIPPET, Some(describe::summary(t.op)));
        }
        for w in bpfasm::insn::known_words() {
            add(w.to_string(), CompletionItemKind::KEYWORD, None);
        }
        for d in bpfasm::asm::all_directives() {
            add(d.to_string(), CompletionItemKind::KEYWORD, Some("directive".into()));
        }
        // Helpers by name, for `call BPF_FUNC_...`.
        for (name, id) in bpfobj::uapi::HELPERS.iter().skip(1) {
            add(format!("BPF_FUNC_{name}"), CompletionItemKind::FUNCTION, Some(format!("helper bpf_{name} (id {id})")));
        }
        if let Some(doc) = doc {
            for d in &doc.analysis.defs {
                let kind = match d.kind {
                    DefKind::Function => CompletionItemKind::FUNCTION,
                    DefKind::Object => CompletionItemKind::VARIABLE,
                    DefKind::Constant => CompletionItemKind::CONSTANT,
                    // sections are not operands; C types come from `types` below
                    DefKind::Section | DefKind::Type => continue,
                    DefKind::Macro => CompletionItemKind::SNIPPET,
                    DefKind::Label => CompletionItemKind::REFERENCE,
                };
                add(d.name.clone(), kind, None);
            }
            for t in &doc.analysis.types {
                add(t.clone(), CompletionItemKind::STRUCT, Some("declared type".into()));
            }
        }
        Some(CompletionResponse::Array(items))
    }
}

fn apply_change(text: &mut String, c: TextDocumentContentChangeEvent) {
    match c.range {
        None => *text = c.text,
        Some(r) => {
            let idx = analysis::LineIndex::new(text);
            let (s, e) = (idx.offset(r.start), idx.offset(r.end));
            if s <= e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e) {
                text.replace_range(s..e, &c.text);
            }
        }
    }
}

fn result<T: serde::Serialize>(id: RequestId, v: T) -> Message {
    Message::Response(Response::new_ok(id, v))
}

fn main() {
    if std::env::args().any(|a| a == "--version") {
        println!("bpf-lsp {}", env!("CARGO_PKG_VERSION"));
        return;
    }
    // Our own reader thread with an unbounded queue: every message that has arrived is visible
    // to the main loop, so a cancellation can overtake the request it cancels.
    let (tx, rx) = std::sync::mpsc::channel::<Message>();
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        let mut input = stdin.lock();
        while let Ok(Some(m)) = Message::read(&mut input) {
            if tx.send(m).is_err() {
                break;
            }
        }
    });
    // Shared with the C worker thread; one message is written whole under the lock.
    let send: c::Send = std::sync::Arc::new(|m: Message| {
        let mut out = std::io::stdout().lock();
        let _ = m.write(&mut out);
    });
    let caps = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            save: Some(TextDocumentSyncSaveOptions::Supported(true)),
            ..Default::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions::default()),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..Default::default()
    };
    let caps = serde_json::to_value(caps).expect("capabilities");
    // Handshake: wait for `initialize`, answer, then `initialized`.
    let (cfg, progress) = loop {
        match rx.recv() {
            Ok(Message::Request(r)) if r.method == "initialize" => {
                let cfg = c::compile::Config::new(r.params.get("initializationOptions"));
                let progress = r.params["capabilities"]["window"]["workDoneProgress"].as_bool() == Some(true);
                let v = serde_json::json!({"capabilities": caps, "serverInfo": {"name": "bpf-lsp", "version": env!("CARGO_PKG_VERSION")}});
                send(result(r.id, v));
                break (cfg, progress);
            }
            Ok(Message::Request(r)) => {
                send(Message::Response(Response::new_err(
                    r.id,
                    ErrorCode::ServerNotInitialized as i32,
                    "not initialized".into(),
                )));
            }
            Ok(_) => {}
            Err(_) => return,
        }
    };
    let mut server =
        Server { docs: HashMap::new(), c_docs: HashMap::new(), c: c::C::start(cfg, send.clone(), progress) };
    let mut queue: VecDeque<Message> = VecDeque::new();
    let mut cancelled: HashSet<RequestId> = HashSet::new();
    loop {
        // Read everything already waiting, so that cancellations overtake their requests.
        while let Ok(m) = rx.try_recv() {
            queue.push_back(m);
        }
        let msg = match queue.pop_front() {
            Some(m) => m,
            None => match rx.recv() {
                Ok(m) => m,
                Err(_) => break,
            },
        };
        if let Message::Notification(n) = &msg {
            if n.method == Cancel::METHOD {
                if let Ok(p) = serde_json::from_value::<CancelParams>(n.params.clone()) {
                    let id: RequestId = match p.id {
                        NumberOrString::Number(i) => i.into(),
                        NumberOrString::String(s) => s.into(),
                    };
                    cancelled.insert(id);
                }
                continue;
            }
        }
        // Any cancel still in the queue applies before we handle the request.
        for m in &queue {
            if let Message::Notification(n) = m {
                if n.method == Cancel::METHOD {
                    if let Ok(p) = serde_json::from_value::<CancelParams>(n.params.clone()) {
                        cancelled.insert(match p.id {
                            NumberOrString::Number(i) => i.into(),
                            NumberOrString::String(s) => s.into(),
                        });
                    }
                }
            }
        }
        match msg {
            Message::Request(req) => {
                if cancelled.remove(&req.id) {
                    let r = Response::new_err(req.id, ErrorCode::RequestCanceled as i32, "cancelled".into());
                    send(Message::Response(r));
                    continue;
                }
                if req.method == Shutdown::METHOD {
                    send(result(req.id, ()));
                    continue;
                }
                if let Some(m) = handle(&mut server, req) {
                    send(m);
                }
            }
            Message::Notification(n) => {
                if n.method == "exit" {
                    let _ = std::fs::remove_dir_all(c::work_dir());
                    break;
                }
                if let Some(out) = notify(&mut server, n) {
                    send(Message::Notification(out));
                }
            }
            Message::Response(_) => {}
        }
    }
}

fn params<P: serde::de::DeserializeOwned>(req: &Request) -> Option<P> {
    serde_json::from_value(req.params.clone()).ok()
}

fn handle(s: &mut Server, req: Request) -> Option<Message> {
    let id = req.id.clone();
    let bad = |id: RequestId| {
        Some(Message::Response(Response::new_err(id, ErrorCode::InvalidParams as i32, "bad parameters".into())))
    };
    Some(match req.method.as_str() {
        HoverRequest::METHOD => match params(&req) {
            Some(p) => result(id, s.hover(p)),
            None => return bad(id),
        },
        GotoDefinition::METHOD => match params(&req) {
            Some(p) => result(id, s.definition(p)),
            None => return bad(id),
        },
        References::METHOD => match params(&req) {
            Some(p) => result(id, s.references(p)),
            None => return bad(id),
        },
        DocumentSymbolRequest::METHOD => match params(&req) {
            Some(p) => result(id, s.symbols(p)),
            None => return bad(id),
        },
        Completion::METHOD => match params(&req) {
            Some(p) => result(id, s.completion(p)),
            None => return bad(id),
        },
        CodeActionRequest::METHOD => match params::<CodeActionParams>(&req) {
            Some(p) => result(id, c::action::actions(&s.c.shared, &p.text_document.uri, p.range)),
            None => return bad(id),
        },
        _ => Message::Response(Response::new_err(
            id,
            ErrorCode::MethodNotFound as i32,
            format!("unsupported: {}", req.method),
        )),
    })
}

fn notify(s: &mut Server, n: Notification) -> Option<Notification> {
    match n.method.as_str() {
        DidOpenTextDocument::METHOD => {
            let p: DidOpenTextDocumentParams = serde_json::from_value(n.params).ok()?;
            let uri = p.text_document.uri;
            if p.text_document.language_id == "c" || c::is_c(&path_of(&uri)) {
                if c::is_c(&path_of(&uri)) {
                    s.c_docs.insert(uri.clone(), p.text_document.text.clone());
                    s.c.submit(uri, Some(p.text_document.version), p.text_document.text, true);
                }
                // other C files belong to clangd alone
                return None;
            }
            Some(s.update(uri, p.text_document.text))
        }
        DidChangeTextDocument::METHOD => {
            let p: DidChangeTextDocumentParams = serde_json::from_value(n.params).ok()?;
            let uri = p.text_document.uri;
            if let Some(text) = s.c_docs.get_mut(&uri) {
                for c in p.content_changes {
                    apply_change(text, c);
                }
                let text = text.clone();
                s.c.submit(uri, Some(p.text_document.version), text, false);
                return None;
            }
            let mut text = s.docs.get(&uri).map(|d| d.text.clone()).unwrap_or_default();
            for c in p.content_changes {
                apply_change(&mut text, c);
            }
            Some(s.update(uri, text))
        }
        DidSaveTextDocument::METHOD => {
            let p: DidSaveTextDocumentParams = serde_json::from_value(n.params).ok()?;
            let uri = p.text_document.uri;
            if let Some(text) = s.c_docs.get_mut(&uri) {
                if let Some(t) = p.text {
                    *text = t;
                }
                let text = text.clone();
                s.c.submit(uri, None, text, true);
                return None;
            }
            let text = match p.text {
                Some(t) => t,
                None => s.docs.get(&uri).map(|d| d.text.clone())?,
            };
            Some(s.update(uri, text))
        }
        WorkDoneProgressCancel::METHOD => {
            let p: WorkDoneProgressCancelParams = serde_json::from_value(n.params).ok()?;
            s.c.cancel_progress(&p.token);
            None
        }
        DidCloseTextDocument::METHOD => {
            let p: DidCloseTextDocumentParams = serde_json::from_value(n.params).ok()?;
            if s.c_docs.remove(&p.text_document.uri).is_some() {
                s.c.close(&p.text_document.uri);
                let params = PublishDiagnosticsParams { uri: p.text_document.uri, diagnostics: vec![], version: None };
                return Some(Notification::new(PublishDiagnostics::METHOD.into(), params));
            }
            s.docs.remove(&p.text_document.uri);
            None
        }
        _ => None,
    }
}
