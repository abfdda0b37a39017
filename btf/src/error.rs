//! Small error values for the reader: a kind plus the byte offset in the input.

use crate::Kind;
use core::fmt;

/// What went wrong while reading BTF or `.BTF.ext` bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input ends before a structure it must contain.
    Truncated,
    /// The magic is neither 0xeB9F in little nor in big endian.
    BadMagic,
    /// Version is not 1.
    BadVersion(u8),
    /// `hdr_len` is smaller than the fixed header or past the end of the input.
    BadHeaderLen(u32),
    /// A section lies outside the input.
    SectionOutOfBounds,
    /// The type section does not start on a 4-byte boundary.
    SectionMisaligned,
    /// A type record has a kind this crate does not know.
    UnknownKind(Kind),
    /// A type record runs past the end of the type section.
    TypeTruncated,
    /// More types than ids can hold.
    TooManyTypes,
    /// A `.BTF.ext` record size is too small or not a multiple of 4.
    BadRecordSize(u32),
    /// A `.BTF.ext` sub-section is truncated or overruns its section.
    BadExtSection,
}

/// A reader error: what and where (byte offset into the input).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    pub offset: usize,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, offset: usize) -> Self {
        Error { kind, offset }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Truncated => f.write_str("input is truncated"),
            ErrorKind::BadMagic => f.write_str("bad magic (expected 0xeb9f)"),
            ErrorKind::BadVersion(v) => write!(f, "unsupported version {v}"),
            ErrorKind::BadHeaderLen(l) => write!(f, "bad header length {l}"),
            ErrorKind::SectionOutOfBounds => f.write_str("section out of bounds"),
            ErrorKind::SectionMisaligned => f.write_str("type section not 4-byte aligned"),
            ErrorKind::UnknownKind(k) => write!(f, "{k}"),
            ErrorKind::TypeTruncated => f.write_str("type record truncated"),
            ErrorKind::TooManyTypes => f.write_str("too many types"),
            ErrorKind::BadRecordSize(s) => write!(f, "bad record size {s}"),
            ErrorKind::BadExtSection => f.write_str("malformed .BTF.ext section"),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte offset {}", self.kind, self.offset)
    }
}

impl std::error::Error for Error {}
