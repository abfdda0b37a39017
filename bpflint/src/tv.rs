//! The kernel's test_verifier cases (linux-source 6.1) as data: the corpus is generated at run
//! time (nothing GPL-derived is committed): the tarball's selftests are extracted under
//! `target/bpflint-tv/`, our extractor `tools/tv_extract.c` (which `#include`s test_verifier.c) is
//! compiled with gcc against libbpf, and run as root: it prints every case's instructions,
//! program type, map fix-ups and the kernel's verdict of BPF_PROG_LOAD as JSON lines
//! (`tv.jsonl`, cached). Used by `bpflint-score` and by the kernel-differential campaign.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{MapDesc, Profile, RawOptions};
use bpf_isa::RawInsn;
use bpfobj::uapi::{AttachType, ProgType};
use serde_json::Value;

const TARBALL: &str = "/usr/src/linux-source-6.1.tar.xz";
const TOP: &str = "linux-source-6.1";

fn cache_dir() -> PathBuf {
    if let Ok(d) = std::env::var("BPFLINT_TV_DIR") {
        return PathBuf::from(d);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bpflint-tv")
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
    if !out.status.success() {
        return Err(format!("{cmd:?} failed:\n{}", String::from_utf8_lossy(&out.stderr)));
    }
    Ok(())
}

/// Build (if needed) and return the path of `tv.jsonl`.
pub fn corpus(regen: bool) -> Result<PathBuf, String> {
    let dir = cache_dir();
    let jsonl = dir.join("tv.jsonl");
    // a corpus older than the extractor is stale
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/tv_extract.c");
    let mtime = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    if jsonl.exists() && !regen && mtime(&jsonl) >= mtime(&src) {
        return Ok(jsonl);
    }
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let sel = format!("{TOP}/tools/testing/selftests/bpf");
    if !dir.join(&sel).join("test_verifier.c").exists() {
        eprintln!("extracting test_verifier sources from {TARBALL} ...");
        run(Command::new("tar").arg("xJf").arg(TARBALL).arg("-C").arg(&dir).args([
            format!("{TOP}/tools/testing/selftests/bpf"),
            format!("{TOP}/tools/include"),
            format!("{TOP}/tools/lib/bpf"),
            format!("{TOP}/tools/arch/x86/include"),
            format!("{TOP}/include/uapi"),
        ]))?;
    }
    // verifier/tests.h as the selftests Makefile generates it
    let vdir = dir.join(&sel).join("verifier");
    let mut names: Vec<String> = std::fs::read_dir(&vdir)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".c"))
        .collect();
    names.sort();
    let mut h = String::from("/* Generated header, do not edit */\n#ifdef FILL_ARRAY\n");
    for n in &names {
        h.push_str(&format!("#include \"{n}\"\n"));
    }
    h.push_str("#endif\n");
    std::fs::write(vdir.join("tests.h"), h).map_err(|e| e.to_string())?;
    let exe = dir.join("tv_extract");
    let s = dir.join(&sel);
    eprintln!("compiling the extractor ...");
    run(Command::new("gcc")
        .args(["-O0", "-w", "-o"])
        .arg(&exe)
        .arg(&src)
        .arg(s.join("cap_helpers.c"))
        .arg(format!("-I{}", s.display()))
        .arg(format!("-I{}", dir.join(TOP).join("tools/include").display()))
        .arg(format!("-I{}", dir.join(TOP).join("tools/include/uapi").display()))
        .arg(format!("-I{}", dir.join(TOP).join("tools/lib").display()))
        .args(["-lbpf", "-lelf", "-lz"]))?;
    eprintln!("asking the running kernel for its verdicts ...");
    let out = Command::new(&exe).output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!("extractor failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    std::fs::write(&jsonl, &out.stdout).map_err(|e| e.to_string())?;
    Ok(jsonl)
}

/// Map descriptions for test_verifier's fix-up kinds (sizes as test_verifier creates them).
pub fn map_for(kind: &str) -> MapDesc {
    let mut m = match kind {
        "map_hash_8b" => MapDesc::new(1, 8, 8, 1),
        "map_hash_48b" => MapDesc::new(1, 8, 48, 1),
        "map_hash_16b" => MapDesc::new(1, 8, 16, 1),
        "map_array_48b" | "map_array_ro" | "map_array_wo" => MapDesc::new(2, 4, 48, 1),
        "map_sockmap" => MapDesc::new(15, 4, 4, 1),
        "map_sockhash" => MapDesc::new(18, 4, 4, 1),
        "map_xskmap" => MapDesc::new(17, 4, 4, 1),
        "map_stacktrace" => MapDesc::new(7, 4, 8, 1),
        "prog1" => MapDesc::new(3, 4, 4, 4),
        "prog2" => MapDesc::new(3, 4, 4, 8),
        "map_in_map" => {
            let mut m = MapDesc::new(12, 4, 4, 1);
            m.inner = Some(Box::new(MapDesc::new(2, 4, 4, 1)));
            m
        }
        "cgroup_storage" => MapDesc::new(19, 16, 64, 0),
        "percpu_cgroup_storage" => MapDesc::new(21, 16, 64, 0),
        "map_spin_lock" => {
            let mut m = MapDesc::new(2, 4, 8, 1);
            m.spin_lock_off = Some(4);
            m
        }
        "map_array_small" => MapDesc::new(2, 4, 1, 1),
        "sk_storage_map" => {
            let mut m = MapDesc::new(24, 4, 8, 0);
            m.spin_lock_off = Some(4);
            m
        }
        "map_event_output" => MapDesc::new(4, 4, 4, 1),
        "map_reuseport_array" => MapDesc::new(20, 4, 8, 1),
        "map_ringbuf" => MapDesc::new(27, 0, 0, 4096),
        "map_timer" => {
            let mut m = MapDesc::new(2, 4, 16, 1);
            m.timer_off = Some(0);
            m
        }
        "map_kptr" => {
            let mut m = MapDesc::new(2, 4, 24, 1);
            // test_verifier's map value: struct prog_test_ref_kfunc __kptr_untrusted *unref_ptr;
            // struct prog_test_ref_kfunc __kptr *ref_ptr; struct prog_test_member __kptr *ref_memb_ptr;
            use crate::program::{Kptr, KptrKind};
            let k = |off, kind, target: &str| Kptr { off, kind, target: target.into() };
            m.kptrs = vec![
                k(0, KptrKind::Unref, "prog_test_ref_kfunc"),
                k(8, KptrKind::Ref, "prog_test_ref_kfunc"),
                k(16, KptrKind::Ref, "prog_test_member"),
            ];
            m
        }
        _ => MapDesc::new(1, 8, 8, 1),
    };
    if kind == "map_array_ro" {
        m.flags |= crate::program::BPF_F_RDONLY_PROG;
    }
    if kind == "map_array_wo" {
        m.flags |= crate::program::BPF_F_WRONLY_PROG;
    }
    m.name = kind.to_string();
    m
}

pub fn raw_opts(d: &Value, profile: &'static Profile) -> (Vec<RawInsn>, RawOptions) {
    let insns: Vec<RawInsn> = d["insns"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|i| RawInsn {
                    code: i[0].as_u64().unwrap_or(0) as u8,
                    dst: i[1].as_u64().unwrap_or(0) as u8,
                    src: i[2].as_u64().unwrap_or(0) as u8,
                    off: i[3].as_i64().unwrap_or(0) as i16,
                    imm: i[4].as_i64().unwrap_or(0) as i32,
                })
                .collect()
        })
        .unwrap_or_default();
    let mut opts = RawOptions {
        prog_type: ProgType(d["prog_type"].as_u64().unwrap_or(1) as u32),
        attach_type: AttachType(d["expected_attach_type"].as_u64().unwrap_or(0) as u32),
        strict_alignment: d["flags"].as_u64().unwrap_or(0) & 2 != 0,
        func_info: d["func_info_cnt"].as_u64().unwrap_or(0) != 0,
        profile,
        ..Default::default()
    };
    let mut kinds: Vec<String> = Vec::new();
    for m in d["maps"].as_array().into_iter().flatten() {
        let kind = m["kind"].as_str().unwrap_or("").to_string();
        let idx = match kinds.iter().position(|k| *k == kind) {
            Some(i) => i,
            None => {
                kinds.push(kind.clone());
                opts.maps.push(map_for(&kind));
                kinds.len() - 1
            }
        };
        opts.map_refs.push((m["insn"].as_u64().unwrap_or(0) as usize, idx as u32));
    }
    (insns, opts)
}
