//! Lints: problems the kernel finds only at attach time, at map update time, or never.
//! Each lint has a stable id, a default level and an explanation (`bpflint explain ID`); each
//! works from the facts the verifier recorded ([`crate::verifier::Facts`]: context accesses,
//! helper call sites, stack depth per frame, call graph) and from the object (sections, BTF
//! prototypes, CO-RE relocations, program arrays).

pub mod context_cast;
pub mod stack_instrumentation;
pub mod tracepoint_abi;

use std::collections::HashMap;
use std::path::PathBuf;

use crate::profile::Profile;
use crate::program::Program;
use crate::verifier::Verdict;

/// How a lint's findings are reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Off,
    Warn,
    Error,
}

impl Level {
    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "off" | "allow" => Some(Level::Off),
            "warn" | "warning" => Some(Level::Warn),
            "error" | "deny" => Some(Level::Error),
            _ => None,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Level::Off => "off",
            Level::Warn => "warning",
            Level::Error => "error",
        }
    }
}

/// A lint's identity and documentation.
#[derive(Debug)]
pub struct Lint {
    pub id: &'static str,
    pub level: Level,
    pub summary: &'static str,
    pub explain: &'static str,
    /// The lint itself: findings for one program (`units`: every program of the run, for
    /// lints that follow tail calls into other programs).
    pub check: fn(&Unit, &[Unit], &Options) -> Vec<Finding>,
}

/// Every lint, in the order they run.
pub const LINTS: &[&Lint] = &[&tracepoint_abi::LINT, &context_cast::LINT, &stack_instrumentation::LINT];

pub fn by_id(id: &str) -> Option<&'static Lint> {
    LINTS.iter().copied().find(|l| l.id == id)
}

/// One problem found by a lint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub lint: &'static str,
    pub level: Level,
    pub file: String,
    pub program: String,
    /// The instruction the finding is about (None: the whole program).
    pub insn: Option<usize>,
    pub message: String,
    pub notes: Vec<String>,
    /// What the kernel does with it (`attach fails with EACCES`, `accepted silently`).
    pub kernel: Option<String>,
    pub help: Option<String>,
}

impl Finding {
    pub fn new(lint: &'static Lint, unit: &Unit, insn: Option<usize>, message: String) -> Finding {
        Finding {
            lint: lint.id,
            level: lint.level,
            file: unit.file.to_string(),
            program: unit.program.name.clone(),
            insn,
            message,
            notes: Vec::new(),
            kernel: None,
            help: None,
        }
    }
    pub fn note(mut self, n: impl Into<String>) -> Finding {
        self.notes.push(n.into());
        self
    }
    pub fn kernel(mut self, k: impl Into<String>) -> Finding {
        self.kernel = Some(k.into());
        self
    }
    pub fn help(mut self, h: impl Into<String>) -> Finding {
        self.help = Some(h.into());
        self
    }
}

/// One analysed program.
pub struct Unit<'a> {
    pub file: &'a str,
    pub program: &'a Program,
    pub verdict: &'a Verdict,
}

/// Instrumentation models added to the kernel's own rewrites (`--instrument`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Instrument {
    /// Map-update tracing: the helper's arguments saved on the stack at every
    /// `bpf_map_update_elem`/`bpf_map_delete_elem` call site.
    pub map_trace: bool,
}

/// Lint configuration (from the command line).
#[derive(Clone, Debug)]
pub struct Options {
    /// `--lint ID=off|warn|error`.
    pub levels: HashMap<String, Level>,
    /// `--tracefs DIR` (None: the running kernel's tracefs).
    pub tracefs: Option<PathBuf>,
    /// `--prog-array MAP=PROG,...`.
    pub prog_arrays: Vec<(String, Vec<String>)>,
    pub profile: &'static Profile,
    pub instrument: Instrument,
    /// `--stack-headroom N`: flag chains with less than N bytes left.
    pub stack_headroom: Option<i32>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            levels: HashMap::new(),
            tracefs: None,
            prog_arrays: Vec::new(),
            profile: Profile::native(),
            instrument: Instrument::default(),
            stack_headroom: None,
        }
    }
}

impl Options {
    pub fn level(&self, l: &Lint) -> Level {
        self.levels.get(l.id).copied().unwrap_or(l.level)
    }
    pub fn tracefs_root(&self) -> Option<PathBuf> {
        self.tracefs.clone().or_else(bpfobj::tracefs::default_root)
    }
}

/// Run every enabled lint on every program; findings in program order.
pub fn run(units: &[Unit], opts: &Options) -> Vec<Finding> {
    let mut out = Vec::new();
    for u in units {
        for lint in LINTS {
            let level = opts.level(lint);
            if level == Level::Off {
                continue;
            }
            out.extend((lint.check)(u, units, opts).into_iter().map(|mut f| {
                f.level = level;
                f
            }));
        }
    }
    out
}
