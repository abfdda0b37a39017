//! Writing 32-bit words of a given byte order into any [`std::io::Write`] a few KiB at a
//! time (one call per chunk, not one per word).

use crate::Endian;
use std::io::Write;

pub(crate) struct WordWriter<'w> {
    out: &'w mut dyn Write,
    e: Endian,
    buf: [u8; 4096],
    n: usize,
}

impl<'w> WordWriter<'w> {
    pub(crate) fn new(out: &'w mut dyn Write, e: Endian) -> Self {
        WordWriter { out, e, buf: [0; 4096], n: 0 }
    }

    pub(crate) fn u32(&mut self, v: u32) -> std::io::Result<()> {
        if self.n + 4 > self.buf.len() {
            self.flush()?;
        }
        let b = match self.e {
            Endian::Little => v.to_le_bytes(),
            Endian::Big => v.to_be_bytes(),
        };
        self.buf[self.n..self.n + 4].copy_from_slice(&b);
        self.n += 4;
        Ok(())
    }

    /// Bytes as they are (after the words before them).
    pub(crate) fn bytes(&mut self, b: &[u8]) -> std::io::Result<()> {
        if self.n + b.len() <= self.buf.len() {
            self.buf[self.n..self.n + b.len()].copy_from_slice(b);
            self.n += b.len();
            return Ok(());
        }
        self.flush()?;
        self.out.write_all(b)
    }

    /// Write out what is buffered (also needed at the end).
    pub(crate) fn flush(&mut self) -> std::io::Result<()> {
        self.out.write_all(&self.buf[..self.n])?;
        self.n = 0;
        Ok(())
    }
}
