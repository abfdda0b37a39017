//! BTF bytes -> parse -> validate -> raw, JSON and C dumps -> dedup; also `.BTF.ext` parsing.
//! Nothing may panic or hang, whether or not the input validates.
//!
//! `BTF_FUZZ_C_DUMP=valid` in the environment limits the C dump to inputs that validate (it was
//! used to fuzz past a hang of the C dump on invalid BTF, since fixed; see regressions/btf/).
#![no_main]

use btf::{Btf, BtfBuilder};
use libfuzzer_sys::fuzz_target;
use std::io::sink;

fn c_dump_valid_only() -> bool {
    static V: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *V.get_or_init(|| std::env::var("BTF_FUZZ_C_DUMP").as_deref() == Ok("valid"))
}

fuzz_target!(|data: &[u8]| {
    let _ = btf::ext::BtfExt::parse(data);
    let _ = btf::validate::validate_bytes(data);
    let Ok(b) = Btf::parse(data) else { return };
    let valid = btf::validate::validate(&b).is_ok();
    for t in b.types() {
        let _ = b.resolve_size(t.id());
        let _ = b.skip_mods_and_typedefs(t.id());
        let name = b.name_of(&t);
        let _ = b.ids_by_name(name).count();
    }
    let _ = btf::dump_raw::dump_raw(&b, &mut sink());
    let _ = btf::dump_json::dump_json(&b, &mut sink());
    if valid || !c_dump_valid_only() {
        let _ = btf::dump_c::dump_c(&b, &mut sink());
    }
    let mut builder = BtfBuilder::from_btf(&b);
    let out = builder.to_bytes(b.endian());
    if valid {
        Btf::parse(&out).expect("written BTF of a valid input does not parse");
    }
    if btf::dedup::dedup(&mut builder).is_ok() && valid {
        let d = builder.to_bytes(b.endian());
        if let Err(e) = btf::validate::validate_bytes(&d) {
            panic!("dedup of valid BTF is invalid: {e}");
        }
    }
});
