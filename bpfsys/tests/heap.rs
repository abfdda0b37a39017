//! `prefer_huge_page_heap`: after it, the main thread's heap allocations lie in memory the
//! kernel backs with transparent huge pages (when THP is enabled at all: `always` or
//! `madvise` in /sys/kernel/mm/transparent_hugepage/enabled; else it prints `skipped:`).
//! Its own process (harness = false): the call tunes the allocator of the whole process and
//! must come before the allocations it is for, on the main thread (whose heap it tunes).

fn main() {
    let mode = std::fs::read_to_string("/sys/kernel/mm/transparent_hugepage/enabled").unwrap_or_default();
    if !(mode.contains("[always]") || mode.contains("[madvise]")) || !cfg!(target_env = "gnu") {
        println!("skipped: transparent huge pages are off here ({})", mode.trim());
        return;
    }
    bpfsys::prefer_huge_page_heap(8 << 20);
    // 3 MiB in small blocks, touched: a linker's many small allocations.
    let blocks: Vec<Vec<u8>> = (0..3 * 1024).map(|i| vec![i as u8; 1000]).collect();
    let first = blocks[0].as_ptr() as usize;
    let smaps = std::fs::read_to_string("/proc/self/smaps").expect("read /proc/self/smaps");
    // The mapping holding the blocks, and how much of it is in huge pages.
    let mut huge_kb = None;
    let mut inside = false;
    for line in smaps.lines() {
        if let Some((range, _)) = line.split_once(' ').filter(|(r, _)| r.contains('-') && !r.contains(':')) {
            let (a, b) = range.split_once('-').unwrap();
            let (a, b) = (usize::from_str_radix(a, 16).unwrap(), usize::from_str_radix(b, 16).unwrap());
            inside = (a..b).contains(&first);
        } else if inside && line.starts_with("AnonHugePages:") {
            huge_kb = line.split_whitespace().nth(1).and_then(|n| n.parse::<u64>().ok());
        }
    }
    let huge_kb = huge_kb.expect("the mapping of the first block");
    assert!(huge_kb >= 2048, "the blocks are not in huge pages ({huge_kb} kB of AnonHugePages)");
    println!("heap: {huge_kb} kB in huge pages after 3 MiB of small blocks");
    drop(blocks);
}
