#!/usr/bin/env python3
"""Cut small, well-formed BTF blobs out of a large raw BTF file (e.g. vmlinux) for fuzz seeds.

Each blob holds a window of consecutive types, re-numbered from 1; references outside the
window become 0 (void); only the strings the window uses are kept.
usage: btf_slices.py VMLINUX OUTDIR
"""
import os
import struct
import sys

# Kind -> (fixed extra bytes, bytes per vlen entry, name offset at the start of each entry?)
LAYOUT = {
    1: (4, 0, False), 2: (0, 0, False), 3: (12, 0, False), 4: (0, 12, True), 5: (0, 12, True),
    6: (0, 8, True), 7: (0, 0, False), 8: (0, 0, False), 9: (0, 0, False), 10: (0, 0, False),
    11: (0, 0, False), 12: (0, 0, False), 13: (0, 8, True), 14: (4, 0, False), 15: (0, 12, False),
    16: (0, 0, False), 17: (4, 0, False), 18: (0, 0, False), 19: (0, 12, True),
}



def main():
    src, out = sys.argv[1], sys.argv[2]
    data = open(src, "rb").read()
    magic, ver, flags, hlen, toff, tlen, soff, slen = struct.unpack_from("<HBBIIIII", data)
    assert magic == 0xEB9F
    types = data[hlen + toff: hlen + toff + tlen]
    strs = data[hlen + soff: hlen + soff + slen]
    recs = []
    p = 0
    while p < len(types):
        name, info, st = struct.unpack_from("<III", types, p)
        kind, vlen = (info >> 24) & 0x1F, info & 0xFFFF
        fixed, per, _ = LAYOUT[kind]
        n = 12 + fixed + per * vlen
        recs.append(types[p: p + n])
        p += n
    os.makedirs(out, exist_ok=True)
    # Closures: a root type and what it reaches (breadth first, capped), so most seeds are valid.
    wanted = [b"task_struct", b"sk_buff", b"bpf_prog", b"xdp_md", b"file_operations", b"list_head",
              b"bpf_map_lookup_elem", b"page", b"sock", b"__sk_buff"]
    by_name = {}
    for i, r in enumerate(recs, 1):
        name = struct.unpack_from("<I", r, 0)[0]
        if name:
            by_name.setdefault(strs[name: strs.index(b"\0", name)], i)
    for w in wanted:
        if w in by_name:
            for cap in (24, 160):
                ids = closure(recs, by_name[w], cap)
                with open(os.path.join(out, "vmlinux_%s_%d.btf" % (w.decode(), cap)), "wb") as f:
                    f.write(window(recs, strs, ids))
    for start, count in [(1, 64), (2000, 128), (len(recs) - 200, 200)]:
        start = max(1, min(start, len(recs) - count))
        with open(os.path.join(out, "vmlinux_window_%d_%d.btf" % (start, count)), "wb") as f:
            f.write(window(recs, strs, list(range(start, start + count))))


def refs(r):
    name, info, st = struct.unpack_from("<III", r, 0)
    kind, vlen = (info >> 24) & 0x1F, info & 0xFFFF
    out = []
    if kind in (2, 7, 8, 9, 10, 11, 12, 13, 14, 17, 18):
        out.append(st)
    if kind == 3:
        out += list(struct.unpack_from("<II", r, 12))
    fixed, per, _ = LAYOUT[kind]
    for k in range(vlen):
        q = 12 + fixed + per * k
        if kind in (4, 5, 13):
            out.append(struct.unpack_from("<I", r, q + 4)[0])
        if kind == 15:
            out.append(struct.unpack_from("<I", r, q)[0])
    return [x for x in out if x]


def closure(recs, root, cap):
    seen, order, q = {root}, [root], [root]
    while q and len(order) < cap:
        for x in refs(recs[q.pop(0) - 1]):
            if x not in seen and len(order) < cap:
                seen.add(x)
                order.append(x)
                q.append(x)
    return sorted(order)


def window(recs, strs, ids):
    table = {0: 0}
    new_strs = bytearray(b"\0")

    def s(off):
        if off not in table:
            end = strs.index(b"\0", off)
            table[off] = len(new_strs)
            new_strs.extend(strs[off: end + 1])
        return table[off]

    new_id = {old: i for i, old in enumerate(ids, 1)}

    def t(tid):
        return new_id.get(tid, 0)

    out = bytearray()
    for r in (recs[i - 1] for i in ids):
        r = bytearray(r)
        name, info, st = struct.unpack_from("<III", r, 0)
        kind, vlen = (info >> 24) & 0x1F, info & 0xFFFF
        struct.pack_into("<I", r, 0, s(name))
        if kind in (2, 7, 8, 9, 10, 11, 12, 13, 14, 17, 18):
            struct.pack_into("<I", r, 8, t(st))
        if kind == 3:
            e, i, n = struct.unpack_from("<III", r, 12)
            struct.pack_into("<II", r, 12, t(e), t(i))
        fixed, per, named = LAYOUT[kind]
        for k in range(vlen):
            q = 12 + fixed + per * k
            if named:
                struct.pack_into("<I", r, q, s(struct.unpack_from("<I", r, q)[0]))
            if kind in (4, 5, 13):  # member / param type
                o = q + 4
                struct.pack_into("<I", r, o, t(struct.unpack_from("<I", r, o)[0]))
            if kind == 15:  # datasec var id
                struct.pack_into("<I", r, q, t(struct.unpack_from("<I", r, q)[0]))
        out += r
    hdr = struct.pack("<HBBIIIII", 0xEB9F, 1, 0, 24, 0, len(out), len(out), len(new_strs))
    return bytes(hdr + out + new_strs)


if __name__ == "__main__":
    main()
