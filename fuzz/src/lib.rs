//! Helpers shared by the fuzz targets.

use bpf_isa::Endian;
use bpfasm::{Assembler, Options};
use object::{Object, ObjectSection, SectionFlags};

/// Assemble `text`; `Err` carries the rendered diagnostics' messages when bpfasm reports errors.
pub fn assemble(text: &str, endian: Endian) -> Result<Vec<u8>, String> {
    let mut a = Assembler::new(Options { endian, ..Default::default() });
    a.assemble_file("fuzz.s", text.to_string());
    let obj = a.finish();
    match obj {
        Some(o) if a.errors == 0 => Ok(o),
        Some(_) => Err(format!("object returned with {} errors: {:?}", a.errors, a.diags)),
        None => {
            assert!(a.errors > 0, "finish() returned no object but reported no error");
            Err(format!("{:?}", a.diags))
        }
    }
}

/// True when the text may read files (`.include`, `.incbin`): the fuzzer must stay hermetic.
pub fn touches_files(text: &str) -> bool {
    text.contains("include") || text.contains("incbin")
}

/// The bytes of `.text` (empty when the object has none).
pub fn text_section(obj: &[u8]) -> Vec<u8> {
    let f = object::File::parse(obj).expect("bpfasm wrote an ELF object object cannot parse");
    match f.section_by_name(".text") {
        Some(s) => s.data().expect(".text data").to_vec(),
        None => Vec::new(),
    }
}

/// Every executable section as (name, bytes), in section order.
pub fn code_sections(obj: &[u8]) -> Vec<(String, Vec<u8>)> {
    let f = object::File::parse(obj).expect("bpfasm wrote an ELF object object cannot parse");
    let mut v = Vec::new();
    for s in f.sections() {
        let exec = match s.flags() {
            SectionFlags::Elf { sh_flags, .. } => sh_flags.0 & object::elf::SHF_EXECINSTR.0 != 0,
            _ => false,
        };
        if exec {
            v.push((s.name().unwrap_or("").to_string(), s.data().expect("section data").to_vec()));
        }
    }
    v
}

/// A little cursor over fuzz input: reads return zero once the input is exhausted.
pub struct Bytes<'a> {
    data: &'a [u8],
}

impl<'a> Bytes<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Bytes { data }
    }
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
    pub fn u8(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&b, rest)) => {
                self.data = rest;
                b
            }
            None => 0,
        }
    }
    pub fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        for b in out.iter_mut() {
            *b = self.u8();
        }
        out
    }
    pub fn i16(&mut self) -> i16 {
        i16::from_le_bytes(self.bytes())
    }
    pub fn i32(&mut self) -> i32 {
        i32::from_le_bytes(self.bytes())
    }
    pub fn i64(&mut self) -> i64 {
        i64::from_le_bytes(self.bytes())
    }
}
