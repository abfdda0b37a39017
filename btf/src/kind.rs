//! BTF constants as newtypes: unknown values print instead of failing.

use core::fmt;

/// A BTF type kind (bits 24..29 of `btf_type.info`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Kind(pub u8);

macro_rules! kinds {
    ($($name:ident = $val:expr, $text:expr;)*) => {
        impl Kind {
            $(pub const $name: Kind = Kind($val);)*
            /// The name bpftool prints (`INT`, `STRUCT`, ...), or `None` for an unknown kind.
            pub fn name(self) -> Option<&'static str> {
                match self.0 {
                    $($val => Some($text),)*
                    _ => None,
                }
            }
        }
    };
}

kinds! {
    UNKN = 0, "UNKNOWN";
    INT = 1, "INT";
    PTR = 2, "PTR";
    ARRAY = 3, "ARRAY";
    STRUCT = 4, "STRUCT";
    UNION = 5, "UNION";
    ENUM = 6, "ENUM";
    FWD = 7, "FWD";
    TYPEDEF = 8, "TYPEDEF";
    VOLATILE = 9, "VOLATILE";
    CONST = 10, "CONST";
    RESTRICT = 11, "RESTRICT";
    FUNC = 12, "FUNC";
    FUNC_PROTO = 13, "FUNC_PROTO";
    VAR = 14, "VAR";
    DATASEC = 15, "DATASEC";
    FLOAT = 16, "FLOAT";
    DECL_TAG = 17, "DECL_TAG";
    TYPE_TAG = 18, "TYPE_TAG";
    ENUM64 = 19, "ENUM64";
}

impl Kind {
    /// Highest kind this crate knows.
    pub const MAX: Kind = Kind::ENUM64;

    /// Whether this kind is known (1..=MAX).
    pub fn is_known(self) -> bool {
        self.0 >= 1 && self <= Self::MAX
    }

    /// Size in bytes of the data that follows the 12-byte `btf_type` for `vlen` items,
    /// or `None` for an unknown kind.
    pub const fn extra_len(self, vlen: u32) -> Option<usize> {
        let vlen = vlen as usize;
        Some(match self {
            Kind::INT | Kind::VAR | Kind::DECL_TAG => 4,
            Kind::ARRAY => 12,
            Kind::STRUCT | Kind::UNION | Kind::DATASEC | Kind::ENUM64 => 12 * vlen,
            Kind::ENUM | Kind::FUNC_PROTO => 8 * vlen,
            Kind::PTR
            | Kind::FWD
            | Kind::TYPEDEF
            | Kind::VOLATILE
            | Kind::CONST
            | Kind::RESTRICT
            | Kind::FUNC
            | Kind::FLOAT
            | Kind::TYPE_TAG => 0,
            _ => return None,
        })
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) if self.0 != 0 => f.write_str(n),
            _ => write!(f, "unknown kind {}", self.0),
        }
    }
}

impl fmt::Debug for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// `BTF_KIND_INT` encoding bits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct IntEncoding(pub u8);

impl IntEncoding {
    pub const NONE: IntEncoding = IntEncoding(0);
    pub const SIGNED: IntEncoding = IntEncoding(1);
    pub const CHAR: IntEncoding = IntEncoding(2);
    pub const BOOL: IntEncoding = IntEncoding(4);

    /// The string bpftool prints.
    pub fn name(self) -> &'static str {
        match self.0 {
            0 => "(none)",
            1 => "SIGNED",
            2 => "CHAR",
            4 => "BOOL",
            _ => "UNKN",
        }
    }
}

impl fmt::Debug for IntEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            0 | 1 | 2 | 4 => f.write_str(self.name()),
            n => write!(f, "unknown int encoding {n}"),
        }
    }
}

/// Linkage of a `FUNC` (stored in vlen) or a `VAR`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Linkage(pub u32);

impl Linkage {
    pub const STATIC: Linkage = Linkage(0);
    pub const GLOBAL: Linkage = Linkage(1);
    pub const EXTERN: Linkage = Linkage(2);

    /// The string bpftool prints.
    pub fn name(self) -> &'static str {
        match self.0 {
            0 => "static",
            1 => "global",
            2 => "extern",
            _ => "(unknown)",
        }
    }
}

impl fmt::Debug for Linkage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            0..=2 => f.write_str(self.name()),
            n => write!(f, "unknown linkage {n}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_kind_prints() {
        assert_eq!(Kind(42).to_string(), "unknown kind 42");
        assert_eq!(Kind(0).to_string(), "unknown kind 0");
        assert_eq!(Kind::FUNC_PROTO.to_string(), "FUNC_PROTO");
        assert_eq!(format!("{:?}", Linkage(7)), "unknown linkage 7");
    }
}
