//! Writing output files.
//!
//! - An output is never one of the inputs: [`refuse_inputs`] compares device and inode, so the
//!   same file under another name (`./a.s`, a hard link, a symlink) is caught as well.
//! - An output is written to a temporary file in the same directory and renamed into place
//!   ([`write_atomic`]): a tool killed mid-write leaves the old file (or none), never a
//!   truncated one that `make` would take as up to date.

use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// Device and inode of an existing file (following symlinks).
fn id(p: &Path) -> Option<(u64, u64)> {
    std::fs::metadata(p).ok().map(|m| (m.dev(), m.ino()))
}

/// Whether `a` and `b` name the same existing file (device + inode, not the spelling).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (id(a), id(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// `Err(message)` when `output` is the same file as one of `inputs` (gcc: "input file is the
/// same as output file"). `what` names the output's role (`output`, `dependency file`).
pub fn refuse_inputs<P: AsRef<Path>>(output: &Path, inputs: &[P], what: &str) -> Result<(), String> {
    let Some(out) = id(output) else { return Ok(()) };
    for i in inputs {
        if let Some(input_id) = id(i.as_ref()) {
            refuse_input(output, Some(out), i.as_ref(), input_id, what)?;
        }
    }
    Ok(())
}

/// Device and inode of an existing file (following symlinks): `output`'s for
/// [`refuse_input`].
pub fn file_id(p: &Path) -> Option<(u64, u64)> {
    id(p)
}

/// [`refuse_inputs`] for one input whose device and inode the caller has from the open file
/// (`input_id`; no second look-up by name), `out` being [`file_id`] of `output`.
pub fn refuse_input(
    output: &Path,
    out: Option<(u64, u64)>,
    input: &Path,
    input_id: (u64, u64),
    what: &str,
) -> Result<(), String> {
    if out != Some(input_id) {
        return Ok(());
    }
    Err(if input == output {
        format!("{what} `{}` is an input file; refusing to overwrite it", output.display())
    } else {
        format!(
            "{what} `{}` is the same file as input `{}`; refusing to overwrite it",
            output.display(),
            input.display()
        )
    })
}

/// A temporary name beside `path` (same directory, so the rename stays on one filesystem).
fn temp_path(path: &Path, n: u32) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.{n}.tmp", std::process::id()))
}

/// Write `bytes` to `path` through a temporary file in the same directory, renamed into
/// place. On error the temporary file is removed and `path` is untouched. The new file gets
/// the mode an ordinary create would (0666 less the umask) or, if `path` exists, its mode.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, |f| f.write_all(bytes))
}

/// [`write_atomic`] with the content produced by `fill` (for large or streamed outputs).
///
/// Only a regular file is replaced: an existing output that is something else (`/dev/null`,
/// `/dev/stdout`, a FIFO) is written in place, and a symbolic link is followed (the file it
/// names is replaced, the link stays).
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut std::io::BufWriter<&std::fs::File>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let resolved;
    let mut path = path;
    if let Ok(m) = std::fs::metadata(path) {
        if !m.is_file() {
            let file = std::fs::OpenOptions::new().write(true).open(path)?;
            let mut w = std::io::BufWriter::with_capacity(1 << 16, &file);
            fill(&mut w)?;
            return w.flush();
        }
        if std::fs::symlink_metadata(path).is_ok_and(|l| l.file_type().is_symlink()) {
            resolved = std::fs::canonicalize(path)?;
            path = &resolved;
        }
    }
    let mut n = 0;
    let (tmp, file) = loop {
        let tmp = temp_path(path, n);
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => break (tmp, f),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 100 => n += 1,
            Err(e) => return Err(e),
        }
    };
    let result = (|| {
        if let Ok(m) = std::fs::metadata(path) {
            file.set_permissions(m.permissions())?;
        }
        let mut w = std::io::BufWriter::with_capacity(1 << 16, &file);
        fill(&mut w)?;
        w.flush()?;
        drop(w);
        if std::env::var_os("BPF_OUTPUT_FSYNC").is_some_and(|v| v != "0") {
            file.sync_all()?;
        }
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("bpfcli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn same_file_by_inode_not_by_name() {
        let d = scratch("same");
        let a = d.join("a.s");
        std::fs::write(&a, "x").unwrap();
        std::fs::hard_link(&a, d.join("b.s")).unwrap();
        std::os::unix::fs::symlink(&a, d.join("c.s")).unwrap();
        assert!(same_file(&a, &d.join("./a.s")));
        assert!(same_file(&a, &d.join("b.s")));
        assert!(same_file(&a, &d.join("c.s")));
        std::fs::write(d.join("other"), "x").unwrap();
        assert!(!same_file(&a, &d.join("other")));
        assert!(!same_file(&a, &d.join("missing")));
        let e = refuse_inputs(&d.join("b.s"), &[&a], "output").unwrap_err();
        assert!(e.contains("same file as input"), "{e}");
        assert!(refuse_inputs(&d.join("new.o"), &[&a], "output").is_ok());
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn only_regular_files_are_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let d = scratch("special");
        // Through a symbolic link: the file it names gets the content, the link stays a link.
        std::fs::write(d.join("real.o"), "old").unwrap();
        std::os::unix::fs::symlink("real.o", d.join("link.o")).unwrap();
        write_atomic(&d.join("link.o"), b"new").unwrap();
        assert!(std::fs::symlink_metadata(d.join("link.o")).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read(d.join("real.o")).unwrap(), b"new");
        // A FIFO (as /dev/null or /dev/stdout would be a device): written in place, still a FIFO.
        let fifo = d.join("fifo");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        write_atomic(&fifo, b"through").unwrap();
        assert_eq!(reader.join().unwrap(), b"through");
        assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
        let names: Vec<_> = std::fs::read_dir(&d).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 3, "no temporary file left: {names:?}");
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn atomic_write_replaces_and_keeps_mode_and_leaves_no_temp() {
        use std::os::unix::fs::PermissionsExt;
        let d = scratch("atomic");
        let p = d.join("out.o");
        std::fs::write(&p, "old").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&p, b"new").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"new");
        assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o640);
        // A failing writer leaves the old file and no temporary file.
        let r = write_atomic_with(&p, |w| {
            w.write_all(b"partial")?;
            Err(std::io::Error::other("killed"))
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read(&p).unwrap(), b"new");
        let names: Vec<_> = std::fs::read_dir(&d).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("out.o")]);
        let _ = std::fs::remove_dir_all(&d);
    }
}
