//! Inputs the fuzzer found (fuzz/regressions/btf/*.btf): each runs through parse, validate, the
//! three dumps and dedup, and must finish without panicking.

use btf::{Btf, BtfBuilder};
use std::io::sink;

#[test]
fn fuzz_regressions_finish() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions/btf");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).expect("fuzz/regressions/btf") {
        let p = e.unwrap().path();
        if p.extension().is_none_or(|x| x != "btf") {
            continue;
        }
        n += 1;
        let data = std::fs::read(&p).unwrap();
        let _ = btf::validate::validate_bytes(&data);
        let Ok(b) = Btf::parse(&data) else { continue };
        let _ = btf::dump_raw::dump_raw(&b, &mut sink());
        let _ = btf::dump_json::dump_json(&b, &mut sink());
        let mut c = Vec::new();
        let _ = btf::dump_c::dump_c(&b, &mut c);
        let mut builder = BtfBuilder::from_btf(&b);
        let _ = btf::dedup::dedup(&mut builder);
    }
    assert!(n >= 1, "no regression inputs found in {}", dir.display());
}
