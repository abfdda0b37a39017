//! Thin, minimal wrappers over the `bpf(2)` system call, and the two other things that need
//! the C library: mapping a file for the life of the process, and huge pages for the heap.
//!
//! This is the one crate of the workspace allowed to use `unsafe`: calling `bpf(2)` needs
//! raw pointers to an attribute union and the kernel writes into our buffers. Each unsafe
//! block is small and states why it is sound.
#![allow(unsafe_code)]

use std::os::fd::{FromRawFd, OwnedFd};

/// `BPF_BTF_LOAD` command number.
pub const BPF_BTF_LOAD: libc::c_long = 18;

/// `union bpf_attr` for `BPF_BTF_LOAD` (Linux 6.x layout, zero tail).
#[repr(C, align(8))]
#[derive(Default)]
struct BtfLoadAttr {
    btf: u64,
    btf_log_buf: u64,
    btf_size: u32,
    btf_log_size: u32,
    btf_log_level: u32,
    btf_log_true_size: u32,
    btf_flags: u32,
    btf_token_fd: i32,
}

/// An error from `bpf(2)`: the errno and the verifier log (empty unless requested).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SysError {
    pub errno: i32,
    pub log: String,
}

impl std::fmt::Display for SysError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", std::io::Error::from_raw_os_error(self.errno))?;
        if !self.log.is_empty() {
            write!(f, "\n{}", self.log.trim_end())?;
        }
        Ok(())
    }
}

impl std::error::Error for SysError {}

fn sys_bpf<T>(cmd: libc::c_long, attr: &mut T) -> Result<i32, i32> {
    // SAFETY: `attr` is a live, properly aligned `repr(C)` struct of the size we pass; the
    // kernel reads at most that many bytes and writes only into fields of it.
    let r = unsafe { libc::syscall(libc::SYS_bpf, cmd, attr as *mut T, std::mem::size_of::<T>() as u32) };
    if r < 0 {
        Err(std::io::Error::last_os_error().raw_os_error().unwrap_or(libc::EINVAL))
    } else {
        Ok(r as i32)
    }
}

/// Load BTF into the kernel (`BPF_BTF_LOAD`). With `log`, the kernel's log is returned on
/// failure.
pub fn btf_load(btf: &[u8], log: bool) -> Result<OwnedFd, SysError> {
    let mut buf = if log { vec![0u8; 16 << 20] } else { Vec::new() };
    let mut attr = BtfLoadAttr { btf: btf.as_ptr() as u64, btf_size: btf.len() as u32, ..Default::default() };
    if log {
        attr.btf_log_buf = buf.as_mut_ptr() as u64;
        attr.btf_log_size = buf.len() as u32;
        attr.btf_log_level = 1;
    }
    match sys_bpf(BPF_BTF_LOAD, &mut attr) {
        // SAFETY: on success the kernel returned a new file descriptor that we now own.
        Ok(fd) => Ok(unsafe { OwnedFd::from_raw_fd(fd) }),
        Err(errno) => {
            let n = buf.iter().position(|&c| c == 0).unwrap_or(buf.len());
            Err(SysError { errno, log: String::from_utf8_lossy(&buf[..n]).into_owned() })
        }
    }
}

/// `BPF_OBJ_GET` command number.
pub const BPF_OBJ_GET: libc::c_long = 7;
/// `BPF_PROG_TEST_RUN` command number.
pub const BPF_PROG_TEST_RUN: libc::c_long = 10;

/// `union bpf_attr` for `BPF_OBJ_GET`.
#[repr(C, align(8))]
#[derive(Default)]
struct ObjGetAttr {
    pathname: u64,
    bpf_fd: u32,
    file_flags: u32,
    path_fd: i32,
    _pad: u32,
}

/// Open a pinned BPF object (program, map, link) under bpffs (`BPF_OBJ_GET`).
pub fn obj_get(path: &std::path::Path) -> Result<OwnedFd, SysError> {
    use std::os::unix::ffi::OsStrExt;
    let mut c = path.as_os_str().as_bytes().to_vec();
    if c.contains(&0) {
        return Err(SysError { errno: libc::EINVAL, log: String::new() });
    }
    c.push(0);
    let mut attr = ObjGetAttr { pathname: c.as_ptr() as u64, ..Default::default() };
    match sys_bpf(BPF_OBJ_GET, &mut attr) {
        // SAFETY: on success the kernel returned a new file descriptor that we now own.
        Ok(fd) => Ok(unsafe { OwnedFd::from_raw_fd(fd) }),
        Err(errno) => Err(SysError { errno, log: String::new() }),
    }
}

/// `union bpf_attr` for `BPF_PROG_TEST_RUN` (the `test` member).
#[repr(C, align(8))]
#[derive(Default)]
struct TestRunAttr {
    prog_fd: u32,
    retval: u32,
    data_size_in: u32,
    data_size_out: u32,
    data_in: u64,
    data_out: u64,
    repeat: u32,
    duration: u32,
    ctx_size_in: u32,
    ctx_size_out: u32,
    ctx_in: u64,
    ctx_out: u64,
    flags: u32,
    cpu: u32,
    batch_size: u32,
    _pad: u32,
}

/// Input of [`prog_test_run`]. Empty slices are passed as NULL; output buffers of size zero
/// are not requested (raw_tp programs reject data and output buffers and any `repeat`).
#[derive(Debug, Default, Clone)]
pub struct TestRun<'a> {
    pub data_in: &'a [u8],
    /// Size of the buffer for the packet as the program left it (0: not requested).
    pub data_out_size: usize,
    pub ctx_in: &'a [u8],
    /// Size of the buffer for the context as the program left it (0: not requested).
    pub ctx_out_size: usize,
    pub repeat: u32,
    pub flags: u32,
}

/// Output of [`prog_test_run`].
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TestRunResult {
    /// The program's return value (r0, truncated to 32 bits).
    pub retval: u32,
    pub data_out: Vec<u8>,
    pub ctx_out: Vec<u8>,
    /// Average run time in nanoseconds.
    pub duration: u32,
}

/// Run a loaded program once (or `repeat` times) on the given input (`BPF_PROG_TEST_RUN`).
pub fn prog_test_run(prog: &OwnedFd, run: &TestRun<'_>) -> Result<TestRunResult, SysError> {
    use std::os::fd::AsRawFd;
    let mut data_out = vec![0u8; run.data_out_size];
    let mut ctx_out = vec![0u8; run.ctx_out_size];
    let ptr = |s: &[u8]| if s.is_empty() { 0 } else { s.as_ptr() as u64 };
    let mut attr = TestRunAttr {
        prog_fd: prog.as_raw_fd() as u32,
        data_size_in: run.data_in.len() as u32,
        data_in: ptr(run.data_in),
        data_size_out: data_out.len() as u32,
        data_out: if data_out.is_empty() { 0 } else { data_out.as_mut_ptr() as u64 },
        ctx_size_in: run.ctx_in.len() as u32,
        ctx_in: ptr(run.ctx_in),
        ctx_size_out: ctx_out.len() as u32,
        ctx_out: if ctx_out.is_empty() { 0 } else { ctx_out.as_mut_ptr() as u64 },
        repeat: run.repeat,
        flags: run.flags,
        ..Default::default()
    };
    match sys_bpf(BPF_PROG_TEST_RUN, &mut attr) {
        Ok(_) => {
            data_out.truncate(attr.data_size_out as usize);
            ctx_out.truncate(attr.ctx_size_out as usize);
            Ok(TestRunResult { retval: attr.retval, data_out, ctx_out, duration: attr.duration })
        }
        Err(errno) => Err(SysError { errno, log: String::new() }),
    }
}

/// `BPF_MAP_CREATE` command number.
pub const BPF_MAP_CREATE: libc::c_long = 0;
/// `BPF_PROG_LOAD` command number.
pub const BPF_PROG_LOAD: libc::c_long = 5;

/// `union bpf_attr` for `BPF_MAP_CREATE` (the fields up to `map_extra`, zero tail).
#[repr(C, align(8))]
#[derive(Default)]
struct MapCreateAttr {
    map_type: u32,
    key_size: u32,
    value_size: u32,
    max_entries: u32,
    map_flags: u32,
    inner_map_fd: u32,
    numa_node: u32,
    map_name: [u8; 16],
    map_ifindex: u32,
    btf_fd: u32,
    btf_key_type_id: u32,
    btf_value_type_id: u32,
    btf_vmlinux_value_type_id: u32,
    map_extra: u64,
}

/// What [`map_create`] creates.
#[derive(Debug, Default, Clone)]
pub struct MapSpec {
    pub map_type: u32,
    pub key_size: u32,
    pub value_size: u32,
    pub max_entries: u32,
    pub flags: u32,
    /// Up to 15 bytes of name (`[A-Za-z0-9_.]`).
    pub name: String,
}

/// Create a map (`BPF_MAP_CREATE`) without BTF.
pub fn map_create(spec: &MapSpec) -> Result<OwnedFd, SysError> {
    let mut attr = MapCreateAttr {
        map_type: spec.map_type,
        key_size: spec.key_size,
        value_size: spec.value_size,
        max_entries: spec.max_entries,
        map_flags: spec.flags,
        ..Default::default()
    };
    for (d, s) in attr.map_name.iter_mut().zip(spec.name.bytes().take(15)) {
        *d = s;
    }
    match sys_bpf(BPF_MAP_CREATE, &mut attr) {
        // SAFETY: on success the kernel returned a new file descriptor that we now own.
        Ok(fd) => Ok(unsafe { OwnedFd::from_raw_fd(fd) }),
        Err(errno) => Err(SysError { errno, log: String::new() }),
    }
}

/// `union bpf_attr` for `BPF_PROG_LOAD` (Linux 6.x layout up to `prog_token_fd`, zero tail).
#[repr(C, align(8))]
#[derive(Default)]
struct ProgLoadAttr {
    prog_type: u32,
    insn_cnt: u32,
    insns: u64,
    license: u64,
    log_level: u32,
    log_size: u32,
    log_buf: u64,
    kern_version: u32,
    prog_flags: u32,
    prog_name: [u8; 16],
    prog_ifindex: u32,
    expected_attach_type: u32,
    prog_btf_fd: u32,
    func_info_rec_size: u32,
    func_info: u64,
    func_info_cnt: u32,
    line_info_rec_size: u32,
    line_info: u64,
    line_info_cnt: u32,
    attach_btf_id: u32,
    attach_prog_fd: u32,
    core_relo_cnt: u32,
    fd_array: u64,
    core_relos: u64,
    core_relo_rec_size: u32,
    log_true_size: u32,
    prog_token_fd: i32,
    _pad: u32,
}

/// What [`prog_load`] loads. `insns` are raw 8-byte instructions in the host's byte order
/// (map references already patched with map file descriptors).
#[derive(Debug, Default, Clone)]
pub struct ProgLoad<'a> {
    pub prog_type: u32,
    pub expected_attach_type: u32,
    pub insns: &'a [u8],
    /// License string (without the NUL); "GPL" unlocks GPL-only helpers.
    pub license: &'a str,
    pub prog_flags: u32,
    /// Verifier log level (0: no log); the log buffer is `log_size` bytes.
    pub log_level: u32,
    pub log_size: usize,
    /// Program BTF (`prog_btf_fd`) and its func_info records (`struct bpf_func_info`:
    /// insn_off, type_id; 8 bytes each).
    pub btf_fd: Option<i32>,
    pub func_info: &'a [[u32; 2]],
}

/// Load a program (`BPF_PROG_LOAD`). On failure the verifier log (when requested) comes back
/// in the error; on success it is dropped.
pub fn prog_load(p: &ProgLoad<'_>) -> Result<OwnedFd, SysError> {
    let mut lic = p.license.as_bytes().to_vec();
    if lic.contains(&0) {
        return Err(SysError { errno: libc::EINVAL, log: String::new() });
    }
    lic.push(0);
    let mut buf = vec![0u8; if p.log_level != 0 { p.log_size.max(1) } else { 0 }];
    let mut attr = ProgLoadAttr {
        prog_type: p.prog_type,
        insn_cnt: (p.insns.len() / 8) as u32,
        insns: p.insns.as_ptr() as u64,
        license: lic.as_ptr() as u64,
        prog_flags: p.prog_flags,
        expected_attach_type: p.expected_attach_type,
        ..Default::default()
    };
    if let Some(fd) = p.btf_fd {
        attr.prog_btf_fd = fd as u32;
        if !p.func_info.is_empty() {
            attr.func_info = p.func_info.as_ptr() as u64;
            attr.func_info_cnt = p.func_info.len() as u32;
            attr.func_info_rec_size = 8;
        }
    }
    if p.log_level != 0 {
        attr.log_level = p.log_level;
        attr.log_size = buf.len() as u32;
        attr.log_buf = buf.as_mut_ptr() as u64;
    }
    match sys_bpf(BPF_PROG_LOAD, &mut attr) {
        // SAFETY: on success the kernel returned a new file descriptor that we now own.
        Ok(fd) => Ok(unsafe { OwnedFd::from_raw_fd(fd) }),
        Err(errno) => {
            let n = buf.iter().position(|&c| c == 0).unwrap_or(buf.len());
            Err(SysError { errno, log: String::from_utf8_lossy(&buf[..n]).into_owned() })
        }
    }
}

/// Map a file read-only for the life of the process (the running kernel's BTF: sysfs lets
/// `/sys/kernel/btf/vmlinux` be mapped since Linux 6.16, which saves copying its megabytes).
/// `None` when the file cannot be mapped; the caller reads it instead.
pub fn map_file_static(path: &std::path::Path) -> Option<&'static [u8]> {
    use std::os::fd::AsRawFd;
    let file = std::fs::File::open(path).ok()?;
    let len = usize::try_from(file.metadata().ok()?.len()).ok().filter(|&n| n > 0)?;
    // SAFETY: a fresh read-only private mapping of `len` bytes of an open file; the kernel
    // checks the arguments. The mapping is never unmapped, so the slice lives as long as the
    // process. A file shrinking under the mapping would fault on access: the files mapped here
    // (kernel BTF) are immutable.
    let p = unsafe { libc::mmap(std::ptr::null_mut(), len, libc::PROT_READ, libc::MAP_PRIVATE, file.as_raw_fd(), 0) };
    if p == libc::MAP_FAILED {
        return None;
    }
    // SAFETY: the mapping above is `len` readable bytes that are never unmapped or written.
    Some(unsafe { std::slice::from_raw_parts(p as *const u8, len) })
}

/// A UTF-8 text file mapped read-only and private for the life of the process (an assembler's
/// input: 20 MB of text need not be copied into the heap). The pages of a prefix that has been
/// read can be handed back to the kernel ([`MappedText::release_before`]): they are clean pages
/// of a private file mapping, so the next access reads them again from the page cache, and the
/// text seen through [`MappedText::as_str`] stays the same. Like [`map_file_static`], a file
/// truncated under the mapping would fault on access: inputs are not rewritten while read.
#[derive(Clone, Copy, Debug)]
pub struct MappedText {
    text: &'static str,
}

/// How [`MappedText::open`] failed.
#[derive(Debug)]
pub enum MapTextError {
    /// The file cannot be mapped (empty, not a regular file, no memory): read it instead.
    NotMappable,
    /// The file is not UTF-8: the byte offset of the first bad sequence.
    NotUtf8(usize),
}

impl MappedText {
    /// Map `path` and check that it is UTF-8, a megabyte at a time, releasing the pages checked
    /// (so checking a large file does not make all of it resident at once).
    pub fn open(path: &std::path::Path) -> Result<MappedText, MapTextError> {
        const CHUNK: usize = 1 << 20;
        let file = std::fs::File::open(path).map_err(|_| MapTextError::NotMappable)?;
        let meta = file.metadata().map_err(|_| MapTextError::NotMappable)?;
        if !meta.is_file() {
            return Err(MapTextError::NotMappable);
        }
        let bytes = map_file(&file, meta.len()).ok_or(MapTextError::NotMappable)?;
        let mut at = 0;
        while at < bytes.len() {
            let end = (at + CHUNK).min(bytes.len());
            match std::str::from_utf8(&bytes[at..end]) {
                Ok(_) => at = end,
                // A sequence cut by the chunk's end: check it with the next chunk.
                Err(e) if e.error_len().is_none() && end < bytes.len() && e.valid_up_to() > 0 => at += e.valid_up_to(),
                Err(e) => {
                    release(bytes, bytes.len());
                    return Err(MapTextError::NotUtf8(at + e.valid_up_to()));
                }
            }
            release(bytes, at);
        }
        // SAFETY: every byte of `bytes` was checked above to be UTF-8, in chunks that end on
        // character boundaries; the mapping is never written.
        Ok(MappedText { text: unsafe { std::str::from_utf8_unchecked(bytes) } })
    }

    /// The text, valid for the life of the process.
    pub fn as_str(&self) -> &'static str {
        self.text
    }

    /// Give the kernel back the pages wholly before byte `end` (they are read again, from the
    /// page cache, if the text there is used later).
    pub fn release_before(&self, end: usize) {
        release(self.text.as_bytes(), end.min(self.text.len()));
    }
}

/// Map `len` bytes of `file` read-only and private, never unmapped.
fn map_file(file: &std::fs::File, len: u64) -> Option<&'static [u8]> {
    use std::os::fd::AsRawFd;
    let len = usize::try_from(len).ok().filter(|&n| n > 0)?;
    // SAFETY: a fresh read-only private mapping of `len` bytes of an open file; the kernel
    // checks the arguments. The mapping is never unmapped, so the slice lives as long as the
    // process.
    let p = unsafe { libc::mmap(std::ptr::null_mut(), len, libc::PROT_READ, libc::MAP_PRIVATE, file.as_raw_fd(), 0) };
    if p == libc::MAP_FAILED {
        return None;
    }
    // SAFETY: the mapping above is `len` readable bytes that are never unmapped or written.
    Some(unsafe { std::slice::from_raw_parts(p as *const u8, len) })
}

/// `MADV_DONTNEED` on the whole pages of `map[..end]`, a mapping made by [`map_file`] (private,
/// read-only, never written: its pages are clean copies of the file, which the kernel drops and
/// reads again on the next access, so the bytes seen do not change).
fn release(map: &'static [u8], end: usize) {
    let page = 4096;
    let len = end / page * page;
    if len == 0 {
        return;
    }
    // SAFETY: the range starts at the mapping (page-aligned) and lies inside it (where pages are
    // larger than 4 KiB the kernel rounds the length up, still inside the mapping's last page);
    // for a clean private file mapping madvise changes residency, not contents. A failure
    // changes nothing.
    unsafe {
        libc::madvise(map.as_ptr() as *mut libc::c_void, len, libc::MADV_DONTNEED);
    }
}

/// Back the next `bytes` of the heap with transparent huge pages, for a short-lived process
/// that allocates a few megabytes at once (bpfld). On a virtual machine every first touch of a
/// 4 KiB page costs a page fault of a microsecond or more: linking 200 small objects touched
/// ~550 heap pages, about an eighth of the link's CPU time; with 2 MiB pages it is a handful of
/// faults (measured: 644 -> 263 faults, task-clock -13%). glibc only (`mallopt` and a `brk`
/// heap); elsewhere, or when the kernel says no (THP off), nothing changes. Call it first in
/// `main`, before the allocations it is meant for.
pub fn prefer_huge_page_heap(bytes: usize) {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        const HUGE: usize = 2 << 20;
        const PROBE: usize = 256 << 10;
        let Ok(pad) = libc::c_int::try_from(bytes) else { return };
        // SAFETY: mallopt, malloc, free, sbrk(0) and madvise are called with valid arguments;
        // madvise only changes the paging advice of heap memory this process owns (the range
        // is clipped to what the heap just grew by). Nothing is dereferenced; the filler block
        // is leaked on purpose.
        unsafe {
            // The heap grows by `bytes` at its next extension, is never trimmed below that,
            // and allocations up to that size come from it (not from separate mmaps).
            if libc::mallopt(libc::M_TOP_PAD, pad) == 0
                || libc::mallopt(libc::M_TRIM_THRESHOLD, pad.saturating_mul(2)) == 0
                || libc::mallopt(libc::M_MMAP_THRESHOLD, pad) == 0
            {
                return;
            }
            // Make the heap grow now (a block larger than the top chunk's slack), then give
            // the block back: the room stays, and the top chunk starts 16 bytes before `p`.
            // (black_box: a malloc whose block is unused may be optimised away.)
            let p = std::hint::black_box(libc::malloc(PROBE));
            if p.is_null() {
                return;
            }
            libc::free(std::hint::black_box(p));
            let end = libc::sbrk(0) as usize;
            let top = p as usize - 16;
            // Huge pages need 2 MiB-aligned memory whose page table does not exist yet (a
            // 4 KiB page touched first in a 2 MiB range makes the whole range small pages):
            // the range starts past the probe's end (malloc wrote a header there), is advised
            // before anything touches it, and then a filler block, never touched nor freed,
            // takes the heap up to it, so that what is allocated next lies in huge pages
            // (costs address space only).
            let aligned = (top + PROBE + 64).next_multiple_of(HUGE);
            if aligned + HUGE > end {
                return;
            }
            if libc::madvise(aligned as *mut libc::c_void, (end - aligned) / HUGE * HUGE, libc::MADV_HUGEPAGE) != 0 {
                return;
            }
            std::hint::black_box(libc::malloc(aligned - top - 8));
        }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let _ = bytes;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let p = std::env::temp_dir().join(format!("bpfsys-{name}-{}", std::process::id()));
        std::fs::write(&p, bytes).unwrap();
        p
    }

    /// Two-byte characters across the 1 MiB chunks of the UTF-8 check; the text reads the same
    /// after its pages are given back.
    #[test]
    fn mapped_text_checks_utf8_across_chunks_and_survives_release() {
        let text = format!("#{}\n\tr0 = 0\n\texit\n", "é".repeat(1 << 20));
        assert!(!text.is_char_boundary(1 << 20), "a character must straddle the first chunk's end");
        let p = temp("ok", text.as_bytes());
        let m = MappedText::open(&p).expect("maps");
        assert_eq!(m.as_str(), text);
        m.release_before(usize::MAX);
        assert_eq!(m.as_str(), text);
        let _ = std::fs::remove_file(&p);
    }

    /// A bad byte is reported where `std::str::from_utf8` reports it, also past the first chunk.
    #[test]
    fn mapped_text_reports_the_first_bad_byte() {
        let mut bytes = format!("# {}\n", "é".repeat(600_000)).into_bytes();
        bytes[(1 << 20) + 5] = 0xff;
        let want = std::str::from_utf8(&bytes).unwrap_err().valid_up_to();
        let p = temp("bad", &bytes);
        match MappedText::open(&p) {
            Err(MapTextError::NotUtf8(at)) => assert_eq!(at, want),
            other => panic!("expected NotUtf8({want}), got {other:?}"),
        }
        let _ = std::fs::remove_file(&p);
    }

    /// What cannot be mapped is left to the caller to read.
    #[test]
    fn empty_files_and_directories_are_not_mapped() {
        let p = temp("empty", b"");
        assert!(matches!(MappedText::open(&p), Err(MapTextError::NotMappable)));
        let _ = std::fs::remove_file(&p);
        assert!(matches!(MappedText::open(&std::env::temp_dir()), Err(MapTextError::NotMappable)));
    }
}
