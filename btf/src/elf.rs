//! Finding `.BTF` and `.BTF.ext` in ELF objects.

use object::{Object, ObjectSection};

/// Whether `data` starts with the ELF magic.
pub fn is_elf(data: &[u8]) -> bool {
    data.starts_with(b"\x7fELF")
}

/// The contents of section `name` of an ELF object (`Ok(None)` if absent).
pub fn section<'a>(data: &'a [u8], name: &str) -> Result<Option<&'a [u8]>, object::Error> {
    let file = object::File::parse(data)?;
    match file.section_by_name(name) {
        Some(s) => Ok(Some(s.data()?)),
        None => Ok(None),
    }
}

/// Raw BTF bytes from either a raw BTF file or an ELF object's `.BTF` section.
pub fn btf_bytes(data: &[u8]) -> Result<&[u8], String> {
    if !is_elf(data) {
        return Ok(data);
    }
    match section(data, ".BTF") {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err("ELF object has no .BTF section".into()),
        Err(e) => Err(format!("bad ELF object: {e}")),
    }
}
