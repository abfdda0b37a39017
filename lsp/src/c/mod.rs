//! The C pipeline: a `.bpf.c` buffer (or a `.c` file whose project flags target BPF) is
//! compiled with clang on open, change (debounced) and save, bpflint runs on the object
//! in-process, and the verdicts, lints and clang's errors are published on the C lines.
//!
//! Compiles run on one worker thread, one at a time; a newer text of the same buffer cancels
//! the compile of an older one (clang is killed) and stale results are never published.

pub mod action;
pub mod compile;
pub mod lint;

use lsp_server::{Message, Notification, Request, RequestId};
use lsp_types::notification::{Notification as _, Progress, PublishDiagnostics, ShowMessage};
use lsp_types::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Instant;

pub type Send = Arc<dyn Fn(Message) + std::marker::Send + Sync>;

/// Whether the buffer at `path` is C BPF source this server serves.
pub fn is_c(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    name.ends_with(".bpf.c") || name.ends_with(".c") && compile::flags_for(path).targets_bpf
}

/// A text to compile.
pub struct Job {
    pub uri: Url,
    pub version: Option<i32>,
    pub text: String,
    pub generation: u64,
    /// Open and save compile at once; changes wait for the debounce.
    pub now: bool,
}

/// What the worker knows about a buffer after its last compile (for hover and code actions).
#[derive(Default)]
pub struct Known {
    pub report: lint::Report,
    /// The text the report is about.
    pub text: String,
}

/// State shared between the main loop and the worker.
#[derive(Default)]
pub struct Shared {
    /// Latest generation per buffer (0 or absent: closed).
    pub generation: HashMap<Url, u64>,
    pub known: HashMap<Url, Known>,
    /// Progress tokens the client cancelled (`window/workDoneProgress/cancel`).
    pub cancelled_tokens: std::collections::HashSet<String>,
}

pub struct C {
    pub shared: Arc<Mutex<Shared>>,
    tx: Sender<Job>,
    next: u64,
}

impl C {
    pub fn start(cfg: compile::Config, send: Send, progress: bool) -> C {
        let shared = Arc::new(Mutex::new(Shared::default()));
        let (tx, rx) = std::sync::mpsc::channel();
        let sh = shared.clone();
        std::thread::spawn(move || worker(cfg, rx, sh, send, progress));
        C { shared, tx, next: 1 }
    }

    pub fn submit(&mut self, uri: Url, version: Option<i32>, text: String, now: bool) {
        self.next += 1;
        let generation = self.next;
        self.shared.lock().unwrap().generation.insert(uri.clone(), generation);
        let _ = self.tx.send(Job { uri, version, text, generation, now });
    }

    /// The client cancelled a compile through its progress token: clang is stopped and the
    /// buffer keeps its previous diagnostics until the next change.
    pub fn cancel_progress(&mut self, token: &NumberOrString) {
        if let NumberOrString::String(t) = token {
            self.shared.lock().unwrap().cancelled_tokens.insert(t.clone());
        }
    }

    pub fn close(&mut self, uri: &Url) {
        let mut s = self.shared.lock().unwrap();
        s.generation.remove(uri);
        s.known.remove(uri);
    }
}

/// The worker's scratch directory (the buffer's copy and its object, while clang runs).
pub fn work_dir() -> PathBuf {
    std::env::temp_dir().join(format!("bpf-lsp-c-{}", std::process::id()))
}

fn worker(cfg: compile::Config, rx: Receiver<Job>, shared: Arc<Mutex<Shared>>, send: Send, progress: bool) {
    let work = work_dir();
    let mut told_missing = false;
    let mut pending: HashMap<Url, Job> = HashMap::new();
    let mut progress_id = 0u64;
    loop {
        if pending.is_empty() {
            match rx.recv() {
                Ok(j) => {
                    pending.insert(j.uri.clone(), j);
                }
                Err(_) => break,
            }
        }
        // Debounce: wait until no new text arrived for `debounce` (open/save do not wait).
        let mut last = Instant::now();
        loop {
            let wait = if pending.values().all(|j| j.now) {
                std::time::Duration::ZERO
            } else {
                cfg.debounce.saturating_sub(last.elapsed())
            };
            match rx.recv_timeout(wait) {
                Ok(j) => {
                    last = Instant::now();
                    pending.insert(j.uri.clone(), j);
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        let jobs: Vec<Job> = pending.drain().map(|(_, j)| j).collect();
        for job in jobs {
            let current = |s: &Arc<Mutex<Shared>>| s.lock().unwrap().generation.get(&job.uri) == Some(&job.generation);
            if !current(&shared) {
                continue;
            }
            let path = job.uri.to_file_path().unwrap_or_else(|_| PathBuf::from(job.uri.path()));
            let token = if progress {
                progress_id += 1;
                let token = NumberOrString::String(format!("bpf-lsp-compile-{progress_id}"));
                let create = WorkDoneProgressCreateParams { token: token.clone() };
                send(Message::Request(Request::new(
                    RequestId::from(format!("bpf-lsp-progress-{progress_id}")),
                    "window/workDoneProgress/create".into(),
                    create,
                )));
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                send_progress(
                    &send,
                    &token,
                    WorkDoneProgress::Begin(WorkDoneProgressBegin {
                        title: "bpflint".into(),
                        message: Some(format!("compiling {name}")),
                        cancellable: Some(true),
                        ..Default::default()
                    }),
                );
                Some(token)
            } else {
                None
            };
            let dir = work.join(format!("{:016x}", hash(job.uri.as_str())));
            // the next compile of this buffer writes there again
            let _cleanup = RemoveDir(dir.clone());
            let t0 = Instant::now();
            let token_name = match &token {
                Some(NumberOrString::String(t)) => t.clone(),
                _ => String::new(),
            };
            let stop = || !current(&shared) || shared.lock().unwrap().cancelled_tokens.contains(&token_name);
            let outcome = compile::compile(&cfg, &path, &job.text, &dir, &stop);
            shared.lock().unwrap().cancelled_tokens.remove(&token_name);
            let clang_ms = t0.elapsed().as_secs_f64() * 1e3;
            let src = dir.join(path.file_name().unwrap_or_default()).display().to_string();
            let t1 = Instant::now();
            let (diags, report) = match outcome {
                compile::Outcome::Cancelled => (None, None),
                compile::Outcome::Object(obj) => match lint::lint(&obj, &src) {
                    Ok(rep) if rep.programs.is_empty() => (
                        Some(vec![whole_file(
                            DiagnosticSeverity::INFORMATION,
                            "no-programs",
                            "bpflint: no BPF programs in this file (no function in a SEC(\"...\") section)".into(),
                        )]),
                        Some(rep),
                    ),
                    Ok(rep) => (Some(findings(&job.uri, &rep)), Some(rep)),
                    Err(e) => (
                        Some(vec![whole_file(
                            DiagnosticSeverity::ERROR,
                            "load",
                            format!("bpflint cannot analyse the object: {e}"),
                        )]),
                        None,
                    ),
                },
                compile::Outcome::Errors(errs) => (Some(errs.iter().map(clang_diag).collect()), None),
                compile::Outcome::Missing(msg) => {
                    if !told_missing {
                        told_missing = true;
                        let p = ShowMessageParams {
                            typ: MessageType::ERROR,
                            message: format!("bpf-lsp: {msg}; set `clang` in initializationOptions or BPF_LSP_CLANG"),
                        };
                        send(Message::Notification(Notification::new(ShowMessage::METHOD.into(), p)));
                    }
                    (Some(vec![whole_file(DiagnosticSeverity::ERROR, "clang-missing", msg)]), None)
                }
                compile::Outcome::TimedOut => (
                    Some(vec![whole_file(
                        DiagnosticSeverity::ERROR,
                        "clang-timeout",
                        format!("clang did not finish within {} ms and was stopped", cfg.timeout.as_millis()),
                    )]),
                    None,
                ),
            };
            let lint_ms = t1.elapsed().as_secs_f64() * 1e3;
            if let Some(token) = token {
                send_progress(
                    &send,
                    &token,
                    WorkDoneProgress::End(WorkDoneProgressEnd {
                        message: Some(format!("clang {clang_ms:.0} ms, bpflint {lint_ms:.0} ms")),
                    }),
                );
            }
            let Some(mut diagnostics) = diags else { continue };
            let mut s = shared.lock().unwrap();
            if s.generation.get(&job.uri) != Some(&job.generation) {
                continue; // stale: a newer text is on its way
            }
            if let Some(rep) = report {
                s.known.insert(job.uri.clone(), Known { report: rep, text: job.text.clone() });
            } else {
                s.known.remove(&job.uri);
            }
            let lines: Vec<&str> = job.text.lines().collect();
            for d in &mut diagnostics {
                if let Some(l) = lines.get(d.range.end.line as usize) {
                    let len = l.encode_utf16().count() as u32;
                    d.range.end.character = d.range.end.character.min(len);
                    d.range.start.character = d.range.start.character.min(len);
                }
                d.source = Some("bpflint".into());
                let range = d.range;
                if let Some(ri) = &mut d.related_information {
                    for r in ri {
                        r.location.uri = job.uri.clone();
                        r.location.range = range;
                    }
                }
            }
            let params = PublishDiagnosticsParams { uri: job.uri.clone(), diagnostics, version: job.version };
            let mut n = serde_json::to_value(params).unwrap_or_default();
            // timings for the benchmark; clients ignore unknown fields
            n["bpfLspTimings"] = serde_json::json!({"clangMs": clang_ms, "bpflintMs": lint_ms});
            send(Message::Notification(Notification { method: PublishDiagnostics::METHOD.into(), params: n }));
        }
    }
}

struct RemoveDir(PathBuf);

impl Drop for RemoveDir {
    fn drop(&mut self) {
        // the buffer's directory, then the worker's when it is empty (one compile at a time)
        let _ = std::fs::remove_dir(&self.0);
        if let Some(p) = self.0.parent() {
            let _ = std::fs::remove_dir(p);
        }
    }
}

fn hash(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

fn send_progress(send: &Send, token: &NumberOrString, v: WorkDoneProgress) {
    let p = ProgressParams { token: token.clone(), value: ProgressParamsValue::WorkDone(v) };
    send(Message::Notification(Notification::new(Progress::METHOD.into(), p)));
}

fn whole_file(severity: DiagnosticSeverity, code: &str, message: String) -> Diagnostic {
    Diagnostic {
        range: Range::default(),
        severity: Some(severity),
        code: Some(NumberOrString::String(code.into())),
        message,
        ..Default::default()
    }
}

/// A range covering line `line` (1-based) from column `col` (1-based) to its end.
fn line_range(line: u32, col: u32) -> Range {
    let l = line.saturating_sub(1);
    Range {
        start: Position { line: l, character: col.saturating_sub(1) },
        end: Position { line: l, character: u32::MAX / 2 },
    }
}

fn clang_diag(e: &compile::ClangError) -> Diagnostic {
    let range = if e.line == 0 { Range::default() } else { line_range(e.line, e.col) };
    Diagnostic {
        range,
        severity: Some(DiagnosticSeverity::ERROR),
        code: Some(NumberOrString::String("clang".into())),
        message: format!("clang: {}", e.message),
        ..Default::default()
    }
}

fn findings(uri: &Url, rep: &lint::Report) -> Vec<Diagnostic> {
    rep.findings
        .iter()
        .map(|f| Diagnostic {
            range: if f.line == 0 { Range::default() } else { line_range(f.line, f.col) },
            severity: Some(if f.error { DiagnosticSeverity::ERROR } else { DiagnosticSeverity::WARNING }),
            code: Some(NumberOrString::String(f.code.clone())),
            message: f.message.clone(),
            related_information: f.related.as_ref().map(|r| {
                vec![DiagnosticRelatedInformation {
                    location: Location {
                        uri: uri.clone(),
                        range: if f.line == 0 { Range::default() } else { line_range(f.line, f.col) },
                    },
                    message: r.clone(),
                }]
            }),
            ..Default::default()
        })
        .collect()
}

/// Hover on a C line: the instructions generated from it and the registers before each.
pub fn hover(shared: &Arc<Mutex<Shared>>, uri: &Url, line: u32) -> Option<Hover> {
    let s = shared.lock().unwrap();
    let k = s.known.get(uri)?;
    let mut parts = Vec::new();
    for f in k.report.findings.iter().filter(|f| f.line == line + 1) {
        parts.push(format!("**bpflint** `{}`\n\n{}", f.code, f.related.clone().unwrap_or_default()));
    }
    if let Some(st) = k.report.states.get(&(line + 1)) {
        let list: Vec<String> = st.iter().map(|l| format!("    {l}")).collect();
        parts.push(format!("**bpflint** — instructions from this line, registers before each:\n\n{}", list.join("\n")));
    }
    if parts.is_empty() {
        return None;
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: parts.join("\n\n---\n\n") }),
        range: None,
    })
}
