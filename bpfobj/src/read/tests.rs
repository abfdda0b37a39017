use super::*;
use crate::write::{ObjectWriter, OutReloc, OutSection, OutSymbol, SymSection};

fn sym(name: &str, bind: u8, typ: u8, section: SymSection, value: u64) -> OutSymbol {
    OutSymbol { name: name.to_string(), value, size: 8, bind, typ, vis: 0, section }
}

/// Two legacy maps (bpf_map_def, 20 bytes each), a socket program calling a function and
/// loading a map, an undefined extern.
fn legacy_object(big: bool, entry: usize) -> Vec<u8> {
    let mut w = ObjectWriter::new(big);
    let mut prog = OutSection::new("socket", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR);
    prog.align = 8;
    prog.data = vec![0; 32];
    prog.relocs = vec![OutReloc { offset: 0, sym: 2, r_type: 1 }, OutReloc { offset: 16, sym: 3, r_type: 1 }];
    w.sections.push(prog);
    let mut maps = OutSection::new("maps", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE);
    maps.align = 4;
    let put = |v: &mut Vec<u8>, x: u32| v.extend(if big { x.to_be_bytes() } else { x.to_le_bytes() });
    for (t, k, v, n) in [(1u32, 4u32, 8u32, 16u32), (2, 4, 64, 1)] {
        for x in [t, k, v, n, 0] {
            put(&mut maps.data, x);
        }
        maps.data.resize(maps.data.len() + entry - 20, 0);
    }
    w.sections.push(maps);
    let mut lic = OutSection::new("license", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE);
    lic.data = b"GPL\0".to_vec();
    w.sections.push(lic);
    w.symbols = vec![
        sym("prog", STB_GLOBAL, STT_FUNC, SymSection::Section(0), 0),
        sym("helper", STB_LOCAL, STT_FUNC, SymSection::Section(0), 24),
        sym("hash", STB_GLOBAL, STT_OBJECT, SymSection::Section(1), 0),
        sym("arr", STB_GLOBAL, STT_OBJECT, SymSection::Section(1), entry as u64),
        sym("ext", STB_WEAK, STT_NOTYPE, SymSection::Undef, 0),
    ];
    w.write()
}

#[test]
fn legacy_maps_programs_relocations() {
    for big in [false, true] {
        for entry in [20, 36] {
            let bytes = legacy_object(big, entry);
            let o = Object::parse(&bytes).unwrap();
            assert_eq!(o.big_endian, big);
            let maps = o.legacy_maps().unwrap();
            let names: Vec<_> =
                maps.iter().map(|m| (m.name.as_str(), m.map_type, m.value_size, m.max_entries)).collect();
            assert_eq!(names, [("hash", 1, 8, 16), ("arr", 2, 64, 1)]);
            assert_eq!(maps[0].elf_map.is_some(), entry == 36);
            let progs = o.programs();
            assert_eq!(progs.len(), 1);
            assert_eq!(progs[0].prog_type, ProgType::SOCKET_FILTER);
            let funcs: Vec<&str> = progs[0].functions.iter().map(|&i| o.symbol(i).unwrap().name()).collect();
            assert_eq!(funcs, ["prog", "helper"]);
            let rel: Vec<(u64, &str)> = o
                .relocations(progs[0].section)
                .unwrap()
                .into_iter()
                .map(|r| (r.offset, o.symbol(r.sym as usize).unwrap().name()))
                .collect();
            assert_eq!(rel, [(0, "hash"), (16, "arr")]);
            assert_eq!(o.license(), Some("GPL"));
            let ext = o.externs();
            assert_eq!(ext.len(), 1);
            assert_eq!((ext[0].name.as_str(), ext[0].kind, ext[0].weak), ("ext", ExternKind::Other, true));
            assert!(maps.iter().all(|m| m.section == o.section_by_name("maps").unwrap().index));
        }
    }
}

#[test]
fn bad_inputs_are_errors() {
    assert!(Object::parse(b"not an object").is_err());
    let good = legacy_object(false, 20);
    // Every truncation is an error or a smaller object, never a panic.
    for n in (0..good.len()).step_by(7) {
        if let Ok(o) = Object::parse(&good[..n]) {
            let _ = (o.programs(), o.legacy_maps(), o.externs(), o.btf_maps());
        }
    }
    // A legacy map section that does not divide into its symbols.
    let mut w = ObjectWriter::new(false);
    let mut maps = OutSection::new("maps", SHT_PROGBITS, SHF_ALLOC);
    maps.data = vec![0; 30];
    w.sections.push(maps);
    w.symbols = vec![
        sym("a", STB_GLOBAL, STT_OBJECT, SymSection::Section(0), 0),
        sym("b", STB_GLOBAL, STT_OBJECT, SymSection::Section(0), 15),
    ];
    let bytes = w.write();
    let e = Object::parse(&bytes).unwrap().legacy_maps().unwrap_err();
    assert!(e.0.contains("30 bytes for 2 map definitions"), "{e}");
}
