//! `.kconfig` externs as libbpf fills them at load time: `LINUX_KERNEL_VERSION` and the other
//! `LINUX_*` virtual externs, and `CONFIG_*` values from the kernel's build configuration.
//! libbpf freezes the `.kconfig` map read-only before loading, so the verifier reads these
//! values as constants and skips code they make dead (`if (CONFIG_X) ...`): bpflint must
//! know them to give the same verdict.

use std::collections::HashMap;
use std::io::Read;

/// A kernel's version and build configuration.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Kconfig {
    /// `KERNEL_VERSION(major, minor, patch)`: `major << 16 | minor << 8 | min(patch, 255)`.
    pub version: u32,
    /// `CONFIG_FOO` -> its raw value (`y`, `m`, `"text"`, `123`, `0x10`); options that are
    /// "not set" are absent.
    pub values: HashMap<String, String>,
    /// Where the configuration came from (for messages).
    pub source: String,
    /// The kernel's `nr_cpu_ids` (possible CPUs): the running machine's
    /// (`/sys/devices/system/cpu/possible`) for the native configuration, else the bound
    /// `CONFIG_NR_CPUS` gives.
    pub nr_cpu_ids: Option<u32>,
}

/// How an extern is declared (its BTF type), which decides how a value is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExternType {
    /// `bool`.
    Bool,
    /// `enum libbpf_tristate` (no = 0, yes = 1, module = 2).
    Tristate,
    /// `char`: the letter `y`, `n` or `m`.
    Char,
    /// `char[N]`: a string.
    Str(u32),
    /// An integer of this many bytes.
    Int(u32),
}

impl ExternType {
    pub fn size(self) -> u32 {
        match self {
            ExternType::Bool | ExternType::Char => 1,
            ExternType::Tristate => 4,
            ExternType::Str(n) | ExternType::Int(n) => n,
        }
    }
    pub fn align(self) -> u32 {
        match self {
            ExternType::Str(_) => 1,
            t => t.size().clamp(1, 8),
        }
    }
}

/// `KERNEL_VERSION` of a release string such as `6.18.44-fc-v669`.
pub fn version_code(release: &str) -> u32 {
    let mut it = release.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).map(|s| s.parse::<u32>());
    let mut next = || it.next().and_then(|r| r.ok()).unwrap_or(0);
    let (a, b, c) = (next(), next(), next());
    (a.min(255) << 16) | (b.min(255) << 8) | c.min(255)
}

/// The running kernel's release (`uname -r`), `None` when /proc is not readable.
pub fn running_release() -> Option<String> {
    std::fs::read_to_string("/proc/sys/kernel/osrelease").ok().map(|r| r.trim().to_string())
}

/// `nr_cpu_ids` from a CPU list (`0-3`, `0,2-5`): the highest CPU plus one.
fn possible_cpus(list: &str) -> Option<u32> {
    let last = list.trim().rsplit([',', '-']).next()?;
    last.parse::<u32>().ok()?.checked_add(1)
}

impl Kconfig {
    /// Parse a `.config` (`CONFIG_X=value` lines; `# CONFIG_X is not set` and comments are
    /// skipped).
    pub fn parse(text: &str, version: u32, source: &str) -> Kconfig {
        let mut values = HashMap::new();
        for line in text.lines() {
            let line = line.trim();
            if line.starts_with('#') {
                continue;
            }
            if let Some((k, v)) = line.split_once('=') {
                if k.starts_with("CONFIG_") {
                    values.insert(k.to_string(), v.to_string());
                }
            }
        }
        let nr_cpu_ids = values.get("CONFIG_NR_CPUS").and_then(|v| v.parse().ok());
        Kconfig { version, values, source: source.to_string(), nr_cpu_ids }
    }

    /// Read a `.config`, plain or gzip-compressed (`/proc/config.gz`).
    pub fn from_file(path: &str, version: u32) -> Result<Kconfig, String> {
        let raw = std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?;
        let text = if raw.starts_with(&[0x1f, 0x8b]) {
            let mut s = String::new();
            flate2::read::GzDecoder::new(&raw[..])
                .read_to_string(&mut s)
                .map_err(|e| format!("{path}: not a gzip-compressed kernel config: {e}"))?;
            s
        } else {
            String::from_utf8_lossy(&raw).into_owned()
        };
        Ok(Kconfig::parse(&text, version, path))
    }

    /// The running kernel's, where libbpf looks: `/boot/config-$(uname -r)`, then
    /// `/proc/config.gz`. `None` when neither is readable.
    pub fn native() -> Option<Kconfig> {
        let release = running_release()?;
        let version = version_code(&release);
        let boot = format!("/boot/config-{release}");
        let mut k =
            Kconfig::from_file(&boot, version).or_else(|_| Kconfig::from_file("/proc/config.gz", version)).ok()?;
        if let Some(n) =
            std::fs::read_to_string("/sys/devices/system/cpu/possible").ok().and_then(|s| possible_cpus(&s))
        {
            k.nr_cpu_ids = Some(n);
        }
        Some(k)
    }

    /// The bytes libbpf stores for extern `name` of type `ty` (`weak`: declared `__weak`).
    /// `None` when libbpf would refuse to load the object (an unknown strong extern, or a
    /// value that does not fit the declared type).
    pub fn value(&self, name: &str, ty: ExternType, weak: bool, big_endian: bool) -> Option<Vec<u8>> {
        let size = ty.size() as usize;
        let int = |v: u64| -> Vec<u8> {
            let b = v.to_le_bytes();
            let mut out = b[..size.min(8)].to_vec();
            out.resize(size, 0);
            if big_endian {
                out.reverse();
            }
            out
        };
        if let Some(virt) = name.strip_prefix("LINUX_") {
            let v = match virt {
                "KERNEL_VERSION" => self.version as u64,
                // helpers and wrappers every kernel bpflint models has
                "HAS_BPF_COOKIE" | "HAS_SYSCALL_WRAPPER" => 1,
                _ if weak => 0,
                _ => return None,
            };
            return Some(int(v));
        }
        let Some(raw) = self.values.get(name) else {
            // "not set": n for bool/tristate/char, else the weak default of zeroes
            return match ty {
                ExternType::Bool | ExternType::Tristate => Some(int(0)),
                ExternType::Char => Some(vec![b'n']),
                _ if weak => Some(vec![0; size]),
                _ => None,
            };
        };
        match (ty, raw.as_str()) {
            (ExternType::Bool, "y") | (ExternType::Tristate, "y") => Some(int(1)),
            (ExternType::Bool, "n") | (ExternType::Tristate, "n") => Some(int(0)),
            (ExternType::Tristate, "m") => Some(int(2)),
            (ExternType::Char, "y" | "n" | "m") => Some(vec![raw.as_bytes()[0]]),
            (ExternType::Str(n), s) if s.len() >= 2 && s.starts_with('"') && s.ends_with('"') => {
                let body = &s.as_bytes()[1..s.len() - 1];
                let mut out = body[..body.len().min(n.saturating_sub(1) as usize)].to_vec();
                out.resize(n as usize, 0);
                Some(out)
            }
            (ExternType::Int(_), s) => {
                let v = if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
                    u64::from_str_radix(h, 16).ok()?
                } else if let Some(neg) = s.strip_prefix('-') {
                    (neg.parse::<u64>().ok()? as i64).wrapping_neg() as u64
                } else {
                    s.parse::<u64>().ok()?
                };
                Some(int(v))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn possible_cpu_lists() {
        assert_eq!(super::possible_cpus("0-1\n"), Some(2));
        assert_eq!(super::possible_cpus("0"), Some(1));
        assert_eq!(super::possible_cpus("0,2-5"), Some(6));
        assert_eq!(super::possible_cpus(""), None);
    }

    #[test]
    fn values_as_libbpf_stores_them() {
        let k = Kconfig::parse(
            "# c\nCONFIG_BPF_SYSCALL=y\nCONFIG_TRI=m\n# CONFIG_OFF is not set\nCONFIG_STR=\"abcdefghij\"\nCONFIG_HEX=0x1234\nCONFIG_NEG=-2\n",
            version_code("6.18.44-fc-v669"),
            "test",
        );
        assert_eq!(k.version, 6 << 16 | 18 << 8 | 44);
        assert_eq!(
            k.value("LINUX_KERNEL_VERSION", ExternType::Int(4), false, false),
            Some(k.version.to_le_bytes().to_vec())
        );
        assert_eq!(k.value("LINUX_UNKNOWN", ExternType::Int(4), true, false), Some(vec![0; 4]));
        assert_eq!(k.value("LINUX_UNKNOWN", ExternType::Int(4), false, false), None);
        assert_eq!(k.value("CONFIG_BPF_SYSCALL", ExternType::Bool, false, false), Some(vec![1]));
        assert_eq!(k.value("CONFIG_TRI", ExternType::Tristate, true, false), Some(vec![2, 0, 0, 0]));
        assert_eq!(k.value("CONFIG_TRI", ExternType::Bool, true, false), None);
        assert_eq!(k.value("CONFIG_OFF", ExternType::Char, true, false), Some(vec![b'n']));
        assert_eq!(k.value("CONFIG_STR", ExternType::Str(8), true, false), Some(b"abcdefg\0".to_vec()));
        assert_eq!(k.value("CONFIG_HEX", ExternType::Int(2), true, true), Some(vec![0x12, 0x34]));
        assert_eq!(k.value("CONFIG_NEG", ExternType::Int(8), true, false), Some((-2i64).to_le_bytes().to_vec()));
        assert_eq!(k.value("CONFIG_MISSING", ExternType::Int(8), true, false), Some(vec![0; 8]));
        assert_eq!(k.value("CONFIG_MISSING", ExternType::Int(8), false, false), None);
    }
}
