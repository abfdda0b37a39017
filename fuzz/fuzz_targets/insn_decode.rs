//! Bytes -> decode (first byte picks the byte order); decoded instructions re-encode to the
//! same bytes, and printing then assembling them gives those bytes again.
#![no_main]

use bpf_isa::{decode, print, Endian};
use bpf_toolchain_fuzz::{assemble, text_section};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, mut rest)) = data.split_first() else { return };
    let e = if sel & 1 == 0 { Endian::Little } else { Endian::Big };
    let mut text = String::new();
    let mut want = Vec::new();
    let mut n = 0;
    while n < 64 {
        let Ok((insn, len)) = decode(rest, e) else { break };
        assert!(len == 8 || len == 16);
        let enc = insn.encode(e);
        assert_eq!(&enc[..], &rest[..len], "decode/encode mismatch for {insn:?}");
        text.push('\t');
        text.push_str(&print(&insn));
        text.push('\n');
        want.extend_from_slice(&rest[..len]);
        rest = &rest[len..];
        n += 1;
    }
    if n == 0 {
        return;
    }
    let obj = match assemble(&text, e) {
        Ok(o) => o,
        Err(d) => panic!("bpfasm rejects printed instructions ({e:?}):\n{text}\n{d}"),
    };
    let got = text_section(&obj);
    assert!(got == want, "bytes differ ({e:?}) for\n{text}\nwant {want:02x?}\ngot  {got:02x?}");
});
