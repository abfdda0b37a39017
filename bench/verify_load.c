// Load every program of one BPF object into the running kernel with libbpf and print how long
// it took, for bench/verify.py. Compiled by the bench: gcc -O2 verify_load.c -lbpf.
//
// Prints one line: `load_ns=N verify_us=M insns=K progs=P ok=0|1`
//   load_ns   CLOCK_MONOTONIC around bpf_object__load(): BTF and map creation, CO-RE
//             relocation, and BPF_PROG_LOAD of every program (the verifier's work dominates on
//             the heavy programs);
//   verify_us the sum over the programs of the kernel's own "verification time" (verifier log
//             level BPF_LOG_STATS, which prints only the final statistics);
//   insns     the sum of the kernel's "processed N insns".
#include <bpf/libbpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOG_SIZE (1 << 20)

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

static long long now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s OBJ.o\n", argv[0]);
		return 2;
	}
	libbpf_set_print(quiet);
	struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		fprintf(stderr, "%s: cannot open\n", argv[1]);
		return 1;
	}
	struct bpf_program *prog;
	int n = 0;
	bpf_object__for_each_program(prog, obj) n++;
	char **logs = calloc(n ? n : 1, sizeof(char *));
	int i = 0;
	bpf_object__for_each_program(prog, obj)
	{
		logs[i] = calloc(1, LOG_SIZE);
		if (!getenv("NOSTATS"))
			bpf_program__set_log_level(prog, 4); // BPF_LOG_STATS
		bpf_program__set_log_buf(prog, logs[i], LOG_SIZE);
		i++;
	}
	long long t0 = now_ns();
	int err = bpf_object__load(obj);
	long long t1 = now_ns();
	long long verify_us = 0, insns = 0;
	for (i = 0; i < n; i++) {
		const char *p = strstr(logs[i], "verification time ");
		if (p)
			verify_us += atoll(p + strlen("verification time "));
		p = strstr(logs[i], "processed ");
		if (p)
			insns += atoll(p + strlen("processed "));
		free(logs[i]);
	}
	free(logs);
	printf("load_ns=%lld verify_us=%lld insns=%lld progs=%d ok=%d\n", t1 - t0, verify_us, insns, n, err == 0);
	bpf_object__close(obj);
	return 0;
}
