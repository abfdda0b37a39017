//! Programs of an object as the loader sees them: entry functions of program sections, with
//! the program type, expected attach type and flags their section name selects (libbpf's table
//! in `bpfobj::progsec`), and their BTF FUNC.

use crate::input::Object;
use bpfobj::elf::*;
use bpfobj::progsec::{self, flags};
use bpfobj::uapi::{AttachType, ProgType};
use btf::{Btf, Kind};

#[derive(Clone, Debug)]
pub struct Program {
    pub name: String,
    pub section: String,
    pub sec_index: usize,
    /// Offset of the entry in its section.
    pub offset: u64,
    pub size: u64,
    pub prog_type: Option<ProgType>,
    pub attach_type: Option<AttachType>,
    pub sleepable: bool,
    pub xdp_frags: bool,
    pub global: bool,
    pub hidden: bool,
    /// The BTF FUNC of the entry (0 if none).
    pub btf_func: u32,
}

impl Program {
    /// `xdp` (BPF_PROG_TYPE_XDP, expected attach type BPF_XDP, frags) style description.
    pub fn describe(&self) -> String {
        let mut s = match self.prog_type {
            Some(t) => t.to_string(),
            None => "unknown program type".into(),
        };
        s += &match self.attach_type {
            Some(a) => format!(", expected attach type {a}"),
            None => ", no expected attach type".into(),
        };
        if self.xdp_frags {
            s += ", xdp frags";
        }
        if self.sleepable {
            s += ", sleepable";
        }
        s
    }
    /// The part of the section name after the first `/` (an attach target).
    pub fn target_name(&self) -> Option<&str> {
        self.section.split_once('/').map(|(_, t)| t).filter(|t| !t.is_empty())
    }
}

/// Every program entry point in `obj` (FUNC symbols in executable sections other than `.text`).
pub fn programs(obj: &Object) -> Vec<Program> {
    let btf = obj.btf.as_deref().and_then(|b| Btf::parse(b).ok());
    let mut out = Vec::new();
    for (si, s) in obj.sections.iter().enumerate() {
        if !s.is_exec() || s.name == ".text" || s.size == 0 {
            continue;
        }
        let def = progsec::find(&s.name);
        let mut syms: Vec<_> = obj
            .symbols
            .iter()
            .filter(|y| y.shndx as usize == si && y.typ == STT_FUNC && !obj.sym_name(y).is_empty())
            .collect();
        syms.sort_by_key(|y| y.value);
        for y in syms {
            let btf_func = btf
                .as_ref()
                .and_then(|b| {
                    b.ids_by_name(obj.sym_name(y)).find(|&id| b.type_by_id(id).is_some_and(|t| t.kind() == Kind::FUNC))
                })
                .unwrap_or(0);
            out.push(Program {
                name: obj.sym_name(y).to_string(),
                section: s.name.clone(),
                sec_index: si,
                offset: y.value,
                size: y.size,
                prog_type: def.map(|d| d.prog_type),
                attach_type: def.and_then(|d| d.attach_type),
                sleepable: def.is_some_and(|d| d.flags & flags::SLEEPABLE != 0),
                xdp_frags: def.is_some_and(|d| d.flags & flags::XDP_FRAGS != 0),
                global: y.bind != STB_LOCAL,
                hidden: y.vis == STV_HIDDEN,
                btf_func,
            });
        }
    }
    out
}
