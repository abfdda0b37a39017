//! The running kernel as the oracle: maps are created once per shape and reused, programs are
//! loaded with `BPF_PROG_LOAD` (first without a log, which is fast; a rejected program is
//! loaded again with a verifier log for the message), and every fd is closed on drop.

use std::collections::HashMap;
use std::os::fd::{AsRawFd, OwnedFd};

use crate::prog::{Map, Outcome, Prog};
use bpf_isa::Endian;
use bpfsys::{map_create, prog_load, MapSpec, ProgLoad, SysError};

/// Why the kernel cannot be asked (the caller decides whether that is a skip or a failure).
#[derive(Debug, Clone)]
pub struct Unavailable(pub String);

pub struct Kernel {
    maps: HashMap<Map, OwnedFd>,
    /// Maps that remember the programs that used them (a program array takes its first
    /// user's program type, bpf_prog_map_compatible()): fresh ones for each program.
    fresh: Vec<OwnedFd>,
    /// BTF blobs for func_info, by number of functions.
    btfs: HashMap<usize, OwnedFd>,
}

/// Map types with an owner: `BPF_MAP_TYPE_PROG_ARRAY`, `CGROUP_STORAGE`,
/// `PERCPU_CGROUP_STORAGE`.
fn has_owner(m: &Map) -> bool {
    matches!(m.map_type, 3 | 19 | 21)
}

const LOG_SIZE: usize = 1 << 20;

fn errno_name(e: i32) -> String {
    match e {
        13 => "EACCES".into(),
        7 => "E2BIG".into(),
        22 => "EINVAL".into(),
        28 => "ENOSPC".into(),
        1 => "EPERM".into(),
        38 => "ENOSYS".into(),
        95 => "ENOTSUPP".into(),
        _ => format!("errno {e}"),
    }
}

/// The verifier's last meaningful log line (the rejection reason).
pub fn last_message(log: &str) -> String {
    log.lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty() && !l.starts_with("processed ") && !l.starts_with("verification time"))
        .unwrap_or("")
        .to_string()
}

impl Kernel {
    /// Probe bpf(): a trivial program must load. EPERM/ENOSYS make the kernel unavailable.
    pub fn open() -> Result<Kernel, Unavailable> {
        let mut k = Kernel { maps: HashMap::new(), fresh: Vec::new(), btfs: HashMap::new() };
        let p = Prog {
            prog_type: 1,
            attach_type: 0,
            insns: vec![
                bpf_isa::RawInsn { code: 0xb7, ..Default::default() },
                bpf_isa::RawInsn { code: 0x95, ..Default::default() },
            ],
            maps: vec![],
            map_refs: vec![],
            func_info: false,
        };
        match k.load_raw(&p, 0) {
            Ok(_) => Ok(k),
            Err(e) if e.errno == 1 || e.errno == 38 => {
                Err(Unavailable(format!("bpf(BPF_PROG_LOAD) of `r0 = 0; exit`: {}", errno_name(e.errno))))
            }
            Err(e) => Err(Unavailable(format!("bpf(BPF_PROG_LOAD) of `r0 = 0; exit` failed: {e}"))),
        }
    }

    fn map_fd(&mut self, m: &Map) -> Result<i32, SysError> {
        if let Some(fd) = self.maps.get(m) {
            return Ok(fd.as_raw_fd());
        }
        let fd = map_create(&MapSpec {
            map_type: m.map_type,
            key_size: m.key_size,
            value_size: m.value_size,
            max_entries: m.max_entries,
            flags: m.flags,
            name: "kdiff".into(),
        })?;
        let raw = fd.as_raw_fd();
        if has_owner(m) {
            self.fresh.push(fd);
        } else {
            self.maps.insert(*m, fd);
        }
        Ok(raw)
    }

    /// BTF with `int`, `int (void)` and `n` static functions `f0..` of that prototype (type
    /// ids 3..3+n): enough for func_info records.
    fn btf_fd(&mut self, n: usize) -> Result<i32, SysError> {
        if let Some(fd) = self.btfs.get(&n) {
            return Ok(fd.as_raw_fd());
        }
        let mut strs = b"\0int\0".to_vec();
        let mut types: Vec<u32> = vec![1, 1 << 24, 4, (1 << 24) | 32, 0, 13 << 24, 1];
        for k in 0..n {
            let name = strs.len() as u32;
            strs.extend_from_slice(format!("f{k}\0").as_bytes());
            types.extend_from_slice(&[name, 12 << 24, 2]);
        }
        let tbytes: Vec<u8> = types.iter().flat_map(|t| t.to_le_bytes()).collect();
        let mut blob = Vec::new();
        blob.extend_from_slice(&0xeb9fu16.to_le_bytes());
        blob.extend_from_slice(&[1, 0]);
        for v in [24u32, 0, tbytes.len() as u32, tbytes.len() as u32, strs.len() as u32] {
            blob.extend_from_slice(&v.to_le_bytes());
        }
        blob.extend_from_slice(&tbytes);
        blob.extend_from_slice(&strs);
        let fd = bpfsys::btf_load(&blob, true)?;
        let raw = fd.as_raw_fd();
        self.btfs.insert(n, fd);
        Ok(raw)
    }

    fn load_raw(&mut self, p: &Prog, log_level: u32) -> Result<OwnedFd, SysError> {
        let mut insns = p.insns.clone();
        self.fresh.clear();
        let mut owned: HashMap<u32, i32> = HashMap::new();
        for &(idx, m) in &p.map_refs {
            let Some(map) = p.maps.get(m as usize) else { continue };
            let fd = match owned.get(&m) {
                Some(&fd) => fd,
                None => {
                    let fd = self.map_fd(map)?;
                    owned.insert(m, fd);
                    fd
                }
            };
            if let Some(i) = insns.get_mut(idx) {
                i.imm = fd;
            }
        }
        let mut bytes = Vec::with_capacity(insns.len() * 8);
        for i in &insns {
            bytes.extend_from_slice(&i.to_bytes(Endian::Little));
        }
        let starts = if p.func_info { p.func_starts() } else { Vec::new() };
        let btf = if p.func_info { Some(self.btf_fd(starts.len())?) } else { None };
        let func_info: Vec<[u32; 2]> = starts.iter().enumerate().map(|(k, &s)| [s as u32, 3 + k as u32]).collect();
        prog_load(&ProgLoad {
            btf_fd: btf,
            func_info: &func_info,
            prog_type: p.prog_type,
            expected_attach_type: p.attach_type,
            insns: &bytes,
            license: "GPL",
            prog_flags: 0,
            log_level,
            log_size: LOG_SIZE,
        })
    }

    /// The kernel's verdict without its message (one load, no verifier log): the campaign asks
    /// for the message only when it needs it.
    pub fn verdict_quick(&mut self, p: &Prog) -> Result<bool, Unavailable> {
        for m in p.maps.iter().filter(|m| !has_owner(m)) {
            self.map_fd(m).map_err(|e| Unavailable(format!("BPF_MAP_CREATE {m:?}: {e}")))?;
        }
        match self.load_raw(p, 0) {
            Ok(_) => Ok(true),
            Err(e) if e.errno == 1 || e.errno == 38 => Err(Unavailable(errno_name(e.errno))),
            Err(_) => Ok(false),
        }
    }

    /// The kernel's verdict. `Err` only when a map cannot be created or bpf() is refused
    /// (EPERM/ENOSYS): not a verdict about the program.
    pub fn verdict(&mut self, p: &Prog) -> Result<Outcome, Unavailable> {
        for m in p.maps.iter().filter(|m| !has_owner(m)) {
            self.map_fd(m).map_err(|e| Unavailable(format!("BPF_MAP_CREATE {m:?}: {e}")))?;
        }
        match self.load_raw(p, 0) {
            Ok(_) => return Ok(Outcome { accept: true, msg: String::new() }),
            Err(e) if e.errno == 1 || e.errno == 38 => return Err(Unavailable(errno_name(e.errno))),
            Err(_) => {}
        }
        match self.load_raw(p, 1) {
            // Loaded with a log but not without one: report it, it is not a verdict we can use.
            Ok(_) => Err(Unavailable("the program loads with a verifier log but not without one".into())),
            Err(e) if e.errno == 1 || e.errno == 38 => Err(Unavailable(errno_name(e.errno))),
            Err(e) => {
                if std::env::var_os("KDIFF_LOG").is_some() {
                    eprintln!("errno {}; verifier log:\n{}", e.errno, e.log);
                }
                let mut msg = last_message(&e.log);
                if msg.is_empty() {
                    msg = format!("({} without a verifier message)", errno_name(e.errno));
                }
                Ok(Outcome { accept: false, msg })
            }
        }
    }
}
