//! Golden files for the CLI tests of every tool (`tests/cli/<tool>/`): compare a case's stdout and
//! stderr with `<stem>.stdout` / `<stem>.stderr` beside it (a missing file means empty), or rewrite
//! them when `BLESS` is set.

use std::path::Path;

/// Whether the golden files should be rewritten (`BLESS=1`).
pub fn bless() -> bool {
    std::env::var_os("BLESS").is_some()
}

/// Check (or, with `bless`, rewrite) `dir/<stem>.stdout` and `dir/<stem>.stderr`.
pub fn check(dir: &Path, stem: &str, stdout: &[u8], stderr: &[u8], bless: bool) -> Result<(), String> {
    for (ext, got) in [("stdout", stdout), ("stderr", stderr)] {
        let golden = dir.join(format!("{stem}.{ext}"));
        if bless {
            if got.is_empty() {
                let _ = std::fs::remove_file(&golden);
            } else {
                std::fs::write(&golden, got).map_err(|e| e.to_string())?;
            }
            continue;
        }
        let want = std::fs::read(&golden).unwrap_or_default();
        if want != got {
            return Err(format!(
                "{ext} differs from {}\n--- expected\n{}\n--- got\n{}",
                golden.display(),
                String::from_utf8_lossy(&want),
                String::from_utf8_lossy(got)
            ));
        }
    }
    Ok(())
}
