// Reference timings for btf/benches/btf.rs: libbpf's parse (btf__new over bytes already in
// memory, like our Btf::parse) and btf__dedup. Built at bench time with `gcc -O2 ... -lbpf`.
//
// usage: libbpf_bench RAW_BTF DOUBLED_BTF PARSE_RUNS DEDUP_RUNS
// prints: "parse_ms <median>", "dedup_ms <median>", "dedup_types <count after dedup>"
#include <bpf/btf.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	void *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		return NULL;
	buf = malloc(n ? n : 1);
	if (!buf || fread(buf, 1, n, f) != (size_t)n)
		return NULL;
	fclose(f);
	*size = n;
	return buf;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	size_t raw_size, dbl_size;
	int parse_runs, dedup_runs, i, types = 0;
	void *raw, *dbl;
	double *t;
	struct btf *btf;

	if (argc != 5)
		return 2;
	parse_runs = atoi(argv[3]);
	dedup_runs = atoi(argv[4]);
	raw = slurp(argv[1], &raw_size);
	dbl = slurp(argv[2], &dbl_size);
	t = calloc(parse_runs + dedup_runs + 1, sizeof(*t));
	if (!raw || !dbl || !t || parse_runs < 1 || dedup_runs < 1)
		return 1;

	for (i = 0; i < parse_runs; i++) {
		double a = now_ms();

		btf = btf__new(raw, raw_size);
		if (!btf)
			return 1;
		t[i] = now_ms() - a;
		btf__free(btf);
	}
	printf("parse_ms %.3f\n", median(t, parse_runs));

	for (i = 0; i < dedup_runs; i++) {
		double a;

		btf = btf__new(dbl, dbl_size);
		if (!btf)
			return 1;
		a = now_ms();
		if (btf__dedup(btf, NULL))
			return 1;
		t[i] = now_ms() - a;
		types = btf__type_cnt(btf) - 1;
		btf__free(btf);
	}
	printf("dedup_ms %.3f\n", median(t, dedup_runs));
	printf("dedup_types %d\n", types);
	return 0;
}
