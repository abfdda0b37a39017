# FAIL: bpfasm %s -o %t
	.cdecl
struct {
	__uint(type, BPF_MAP_TYPE_HASHMAP);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");
	.endcdecl
