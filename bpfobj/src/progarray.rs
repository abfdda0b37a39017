//! Which programs may share a program array (`BPF_MAP_TYPE_PROG_ARRAY`): the kernel fixes the
//! array's "owner" properties with the first program that uses or joins it and refuses every
//! later program that differs (kernel/bpf/core.c `__bpf_prog_map_compatible`,
//! kernel/bpf/arraymap.c `prog_fd_array_get_ptr`). One rule for the linker and the linter.

use crate::progsec::{self, flags};
use crate::uapi::{AttachType, ProgType};

/// The properties of a program the kernel compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Member {
    pub prog_type: ProgType,
    /// Expected attach type (0 when none).
    pub attach_type: AttachType,
    /// `BPF_F_XDP_HAS_FRAGS` (libbpf: `xdp.frags` sections).
    pub xdp_frags: bool,
}

impl Member {
    /// The flags libbpf derives from the section name, with the given types.
    pub fn new(section: &str, prog_type: ProgType, attach_type: AttachType) -> Member {
        let fl = progsec::find(section).map_or(0, |d| d.flags);
        Member { prog_type, attach_type, xdp_frags: fl & flags::XDP_FRAGS != 0 }
    }
}

/// Why `member` cannot join a program array whose owner is `owner` (`None`: it can).
pub fn incompatibility(owner: &Member, member: &Member) -> Option<&'static str> {
    if member.prog_type == ProgType::EXT {
        // prog_fd_array_get_ptr
        return Some("extension (freplace) programs cannot be in a program array");
    }
    if owner.prog_type != member.prog_type {
        return Some("program types differ");
    }
    if owner.attach_type != member.attach_type {
        return Some("expected attach types differ");
    }
    if owner.xdp_frags != member.xdp_frags {
        return Some("one supports xdp frags (xdp.frags) and the other does not");
    }
    // Sleepable and non-sleepable programs may share an array: the running 6.18 kernel inserts
    // `uprobe.s` into a `uprobe` program's array (bpfld/tests/progarray_kernel.rs).
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(sec: &str) -> Member {
        let d = progsec::find(sec).unwrap();
        Member::new(sec, d.prog_type, d.attach_type.unwrap_or_default())
    }

    #[test]
    fn the_kernels_rules() {
        assert_eq!(incompatibility(&m("xdp"), &m("xdp")), None);
        assert_eq!(incompatibility(&m("tc"), &m("classifier")), None);
        assert_eq!(incompatibility(&m("xdp"), &m("tc")), Some("program types differ"));
        assert_eq!(incompatibility(&m("tcx/ingress"), &m("tc")), Some("expected attach types differ"));
        assert!(incompatibility(&m("xdp"), &m("xdp.frags")).unwrap().contains("frags"));
        assert_eq!(incompatibility(&m("uprobe/x"), &m("uprobe.s/x")), None);
        assert!(incompatibility(&m("fentry/f"), &m("freplace/f")).unwrap().contains("extension"));
        assert_eq!(incompatibility(&m("xdp.frags"), &m("xdp.frags")), None);
    }
}
