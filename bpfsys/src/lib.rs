//! Thin, minimal wrappers over the `bpf(2)` system call.
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
