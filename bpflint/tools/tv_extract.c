/* SPDX-License-Identifier: MIT OR Apache-2.0
 *
 * Extracts the kernel's test_verifier cases and asks the running kernel for its verdict.
 * Compiled at test time by `bpflint-score`; it #includes test_verifier.c from the
 * linux-source tarball extracted under target/ (nothing GPL is committed).
 * Output: one JSON object per line on stdout.
 */
#define main test_verifier_main
#include "test_verifier.c"
#undef main

static FILE *out;
#define printf(...) fprintf(out, __VA_ARGS__)
#define putchar(c) fputc(c, out)

static void json_str(const char *s)
{
	putchar('"');
	for (; s && *s; s++) {
		unsigned char c = *s;
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else if (c < 0x80)
			putchar(c);
	}
	putchar('"');
}

#define FIX(name) { #name, offsetof(struct bpf_test, fixup_##name) }
static const struct { const char *name; size_t off; } fixups[] = {
	FIX(map_hash_8b), FIX(map_hash_48b), FIX(map_hash_16b), FIX(map_array_48b),
	FIX(map_sockmap), FIX(map_sockhash), FIX(map_xskmap), FIX(map_stacktrace),
	FIX(prog1), FIX(prog2), FIX(map_in_map), FIX(cgroup_storage),
	FIX(percpu_cgroup_storage), FIX(map_spin_lock), FIX(map_array_ro), FIX(map_array_wo),
	FIX(map_array_small), FIX(sk_storage_map), FIX(map_event_output),
	FIX(map_reuseport_array), FIX(map_ringbuf), FIX(map_timer), FIX(map_kptr),
};

static void run_one(int idx, struct bpf_test *test)
{
	int map_fds[MAX_NR_MAPS];
	int prog_type = test->prog_type ? test->prog_type : BPF_PROG_TYPE_SOCKET_FILTER;
	struct bpf_insn *prog = test->insns;
	int prog_len, fd, err, btf_fd = -1, i, j, first;
	LIBBPF_OPTS(bpf_prog_load_opts, opts);
	__u32 pflags;

	for (i = 0; i < MAX_NR_MAPS; i++)
		map_fds[i] = -1;
	printf("{\"index\":%d,\"descr\":", idx);
	json_str(test->descr);
	printf(",\"prog_type\":%d,\"expected_attach_type\":%d,\"flags\":%d", prog_type,
	       test->expected_attach_type, test->flags);
	printf(",\"expected\":\"%s\"", test->result == REJECT ? "REJECT" : "ACCEPT");
	printf(",\"errstr\":");
	json_str(test->errstr);
	printf(",\"maps\":[");
	first = 1;
	for (i = 0; i < (int)(sizeof(fixups) / sizeof(fixups[0])); i++) {
		int *f = (int *)((char *)test + fixups[i].off);
		for (j = 0; j < MAX_FIXUPS && f[j]; j++) {
			printf("%s{\"insn\":%d,\"kind\":\"%s\"}", first ? "" : ",", f[j], fixups[i].name);
			first = 0;
		}
	}
	printf("],\"kfuncs\":[");
	for (i = 0; i < MAX_FIXUPS && test->fixup_kfunc_btf_id[i].kfunc; i++) {
		printf("%s{\"insn\":%d,\"name\":", i ? "," : "", test->fixup_kfunc_btf_id[i].insn_idx);
		json_str(test->fixup_kfunc_btf_id[i].kfunc);
		printf("}");
	}
	printf("],\"attach_name\":");
	json_str(test->kfunc);
	printf(",\"has_btf\":%s,\"func_info_cnt\":%d", test->btf_types[0] ? "true" : "false",
	       test->func_info_cnt);

	do_test_fixup(test, prog_type, prog, map_fds);
	if (test->fill_insns) {
		prog = test->fill_insns;
		prog_len = test->prog_len;
	} else {
		prog_len = probe_filter_length(prog);
	}
	printf(",\"insns\":[");
	for (i = 0; i < prog_len; i++)
		printf("%s[%u,%u,%u,%d,%d]", i ? "," : "", prog[i].code, prog[i].dst_reg,
		       prog[i].src_reg, prog[i].off, prog[i].imm);
	printf("]");
	{
		int failed = 0;
		for (i = 0; i < (int)(sizeof(fixups) / sizeof(fixups[0])); i++) {
			int *f = (int *)((char *)test + fixups[i].off);
			for (j = 0; j < MAX_FIXUPS && f[j]; j++)
				if (prog[f[j]].imm < 0)
					failed = 1;
		}
		printf(",\"setup_failed\":%s", failed ? "true" : "false");
	}

	pflags = BPF_F_TEST_RND_HI32;
	if (test->flags & F_LOAD_WITH_STRICT_ALIGNMENT)
		pflags |= BPF_F_STRICT_ALIGNMENT;
	if (test->flags & F_NEEDS_EFFICIENT_UNALIGNED_ACCESS)
		pflags |= BPF_F_ANY_ALIGNMENT;
	if (test->flags & ~3)
		pflags |= test->flags;
	opts.expected_attach_type = test->expected_attach_type;
	opts.log_level = 1;
	opts.prog_flags = pflags;
	opts.log_buf = bpf_vlog;
	opts.log_size = sizeof(bpf_vlog);
	if ((prog_type == BPF_PROG_TYPE_TRACING || prog_type == BPF_PROG_TYPE_LSM) && test->kfunc) {
		int id = libbpf_find_vmlinux_btf_id(test->kfunc, opts.expected_attach_type);
		if (id > 0)
			opts.attach_btf_id = id;
	}
	if (test->btf_types[0] != 0) {
		btf_fd = load_btf_for_test(test);
		if (btf_fd >= 0)
			opts.prog_btf_fd = btf_fd;
	}
	if (test->func_info_cnt != 0) {
		opts.func_info = test->func_info;
		opts.func_info_cnt = test->func_info_cnt;
		opts.func_info_rec_size = sizeof(test->func_info[0]);
	}
	bpf_vlog[0] = 0;
	{
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		fd = bpf_prog_load(prog_type, NULL, "GPL", prog, prog_len, &opts);
		err = errno;
		if (fd < 0 && err == ENOSPC) {
			/* the log did not fit (a verified program too: since 6.4 a truncated log
			 * fails the load): the verdict is the one of a load without a log */
			struct bpf_prog_load_opts quiet = opts;

			quiet.log_level = 0;
			quiet.log_buf = NULL;
			quiet.log_size = 0;
			fd = bpf_prog_load(prog_type, NULL, "GPL", prog, prog_len, &quiet);
			err = errno;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		printf(",\"load_ns\":%lld", (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec));
	}
	printf(",\"kernel\":\"%s\",\"errno\":%d,\"log_tail\":", fd >= 0 ? "ACCEPT" : "REJECT", fd >= 0 ? 0 : err);
	{
		/* last two non-empty lines of the log */
		char *end = bpf_vlog + strlen(bpf_vlog), *p = end;
		int lines = 0;
		while (p > bpf_vlog && lines < 3) {
			p--;
			if (*p == '\n')
				lines++;
		}
		json_str(p);
	}
	printf("}\n");
	fflush(out);
	if (fd >= 0)
		close(fd);
	if (btf_fd >= 0)
		close(btf_fd);
	for (i = 0; i < MAX_NR_MAPS; i++)
		if (map_fds[i] >= 0)
			close(map_fds[i]);
	if (test->fill_insns) {
		free(test->fill_insns);
		test->fill_insns = NULL;
	}
}

int main(int argc, char **argv)
{
	int i, from = 0, to = ARRAY_SIZE(tests);
	if (argc > 1)
		from = atoi(argv[1]);
	if (argc > 2)
		to = atoi(argv[2]);
	libbpf_set_strict_mode(LIBBPF_STRICT_ALL);
	/* the test file's own messages go to stderr; JSON stays on stdout */
	out = fdopen(dup(1), "w");
	dup2(2, 1);
	for (i = from; i < to && i < (int)ARRAY_SIZE(tests); i++)
		run_one(i, &tests[i]);
	return 0;
}
