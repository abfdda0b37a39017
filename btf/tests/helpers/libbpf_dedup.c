// Reference for the dedup test: runs libbpf's btf__dedup on a raw BTF file and prints
// "<type count> <milliseconds>". Built by tests/dedup.rs with `gcc ... -lbpf`.
#include <bpf/btf.h>
#include <stdio.h>
#include <time.h>

int main(int argc, char **argv)
{
	struct timespec a, b;
	struct btf *btf;
	const void *data;
	__u32 size;
	FILE *f;

	if (argc < 2)
		return 2;
	btf = btf__parse_raw(argv[1]);
	if (!btf)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &a);
	if (btf__dedup(btf, NULL))
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%u %.3f\n", btf__type_cnt(btf) - 1,
	       (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6);
	if (argc > 2) {
		data = btf__raw_data(btf, &size);
		f = fopen(argv[2], "wb");
		if (!f || fwrite(data, 1, size, f) != size)
			return 1;
		fclose(f);
	}
	btf__free(btf);
	return 0;
}
