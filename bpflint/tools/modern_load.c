/* SPDX-License-Identifier: MIT OR Apache-2.0
 *
 * Asks the running kernel for its verdict on every program of BPF objects, one program at a
 * time, for `bpflint-modern` (bpflint/src/bin/modern.rs). Compiled at corpus-generation time
 * with gcc against a static libbpf built from the linux-source tarball (nothing GPL is
 * committed).
 *
 * Usage: modern_load LOGDIR OBJ.o...   (as root)
 * Output: one JSON object per program on stdout:
 *   {"file","prog","section","type","verdict":"ok|reject|skip","errno","msg","log"}
 * "msg" is the verifier log's error line for a reject, the reason for a skip; "log" names the
 * side file (in LOGDIR) holding the full verifier log and libbpf's messages.
 *
 * Kfuncs of the selftests' kernel module (bpf_testmod) are missing here, and libbpf refuses a
 * whole object for one unresolved extern. So when libbpf names an extern kfunc it cannot find,
 * that symbol is made weak in a private copy of the object and the load is retried: libbpf
 * then poisons the calls to it, and a program whose verification reaches such a call is a skip
 * ("weak" lists the externs weakened for the object). So is a program rejected only at an
 * instruction libbpf poisoned because its CO-RE relocation does not resolve on this kernel.
 *
 * A verdict is "reject" only when the kernel ran bpf(BPF_PROG_LOAD) and wrote a log; any
 * failure before that (object open, BTF, map creation, attach target, unresolved extern) or a
 * refusal without a log (EPERM, EOPNOTSUPP...) is "skip" with libbpf's last message.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gelf.h>
#include <libelf.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#define LOG_MIN (16u << 20)
#define LOG_MAX (1024u << 20)

/* libbpf's messages for the current load, for skip reasons and the side file. */
static char *msgs;
static size_t msgs_len, msgs_cap;
static char first_warn[1024];

static int starts_with(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

/* Warnings that are not the cause of a failed load. */
static int is_consequence(const char *line)
{
	static const char *const skip[] = {
		"-- BEGIN PROG LOAD LOG --", "failed to prepare load attributes", "failed to load object",
		"failed to load: -", "permission error while running as root",
		/* libbpf loads the program without the object's BTF when the kernel refuses it */
		"BTF loading error", "-- BEGIN BTF LOAD LOG", "Error loading .BTF into kernel",
	};
	size_t i;

	for (i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (strstr(line, skip[i]))
			return 1;
	return 0;
}

static int on_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char *line = NULL;
	va_list copy;
	int n;

	if (level == LIBBPF_DEBUG)
		return 0;
	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0 || !(line = malloc((size_t)n + 1)))
		return 0;
	vsnprintf(line, (size_t)n + 1, fmt, ap);
	if (msgs_len + n + 1 > msgs_cap) {
		size_t cap = (msgs_cap + n + 1) * 2;
		char *p = realloc(msgs, cap);

		if (!p) {
			free(line);
			return 0;
		}
		msgs = p;
		msgs_cap = cap;
	}
	memcpy(msgs + msgs_len, line, n);
	msgs_len += n;
	msgs[msgs_len] = '\0';
	/* Keep the root cause: the first warning of the load (its first line), not the
	 * consequences libbpf reports after it. */
	if (level == LIBBPF_WARN && !first_warn[0] && !is_consequence(line)) {
		char *nl;

		snprintf(first_warn, sizeof(first_warn), "%s", starts_with(line, "libbpf: ") ? line + 8 : line);
		nl = strchr(first_warn, '\n');
		if (nl)
			*nl = '\0';
	}
	free(line);
	return 0;
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* Lines that follow the error in a verifier log and explain nothing. */
static int is_trailer(const char *l)
{
	return *l == '\0' || starts_with(l, "processed ") || starts_with(l, "verification time") ||
	       starts_with(l, "stack depth") || starts_with(l, "max_states_per_insn") ||
	       starts_with(l, "Func#") || starts_with(l, "-- END") || starts_with(l, "-- BEGIN");
}

/* The verifier log's error line: the last meaningful line before "processed N insns", or the
 * last meaningful line of the log when there is no such line. */
static void error_line(const char *log, char *out, size_t size)
{
	const char *end = log + strlen(log), *p = strstr(log, "\nprocessed ");

	out[0] = '\0';
	if (starts_with(log, "processed "))
		return;
	if (p)
		end = p;
	while (end > log) {
		const char *start = end;
		size_t n;

		while (start > log && start[-1] != '\n')
			start--;
		n = (size_t)(end - start);
		if (n >= size)
			n = size - 1;
		memcpy(out, start, n);
		out[n] = '\0';
		while (n && (out[n - 1] == '\n' || out[n - 1] == ' '))
			out[--n] = '\0';
		/* A message without its newline runs into the statistics line. */
		{
			char *glued = strstr(out, "processed ");

			if (glued && glued > out && strstr(glued, " insns (limit "))
				*glued = '\0';
		}
		if (!is_trailer(out))
			return;
		end = start > log ? start - 1 : log;
	}
	out[0] = '\0';
}

static int needs_zero_entries(enum bpf_map_type t)
{
	switch (t) {
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY: /* libbpf sizes it to the CPU count */
	case BPF_MAP_TYPE_CGROUP_STORAGE:
	case BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE:
	case BPF_MAP_TYPE_SK_STORAGE:
	case BPF_MAP_TYPE_INODE_STORAGE:
	case BPF_MAP_TYPE_TASK_STORAGE:
	case BPF_MAP_TYPE_CGRP_STORAGE:
	case BPF_MAP_TYPE_STRUCT_OPS:
		return 1;
	default:
		return 0;
	}
}

struct result {
	const char *verdict;
	int err;
	char msg[1024];
};

/* Loads program `index` of `path` alone; fills `r`; writes the log into `logf`. */
static void load_one(const char *path, int index, size_t log_size, struct result *r, FILE *logf, int *retry)
{
	struct bpf_object *obj;
	struct bpf_program *prog, *target = NULL;
	struct bpf_map *map;
	char *log = NULL;
	int i = 0, err;

	*retry = 0;
	msgs_len = 0;
	if (msgs)
		msgs[0] = '\0';
	first_warn[0] = '\0';
	obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		r->verdict = "skip";
		r->err = errno;
		snprintf(r->msg, sizeof(r->msg), "object open failed: %s", first_warn);
		return;
	}
	bpf_object__for_each_program(prog, obj) {
		if (i++ == index)
			target = prog;
		else
			bpf_program__set_autoload(prog, false);
	}
	if (!target) {
		r->verdict = "skip";
		r->err = ENOENT;
		snprintf(r->msg, sizeof(r->msg), "program %d vanished on reopen", index);
		bpf_object__close(obj);
		return;
	}
	bpf_program__set_autoload(target, true);
	log = calloc(1, log_size);
	if (log)
		bpf_program__set_log_buf(target, log, log_size);
	bpf_object__for_each_map(map, obj) {
		enum bpf_map_type t = bpf_map__type(map);

		/* A struct_ops map loads its programs: keep it only for a struct_ops program. */
		if (t == BPF_MAP_TYPE_STRUCT_OPS && bpf_program__type(target) != BPF_PROG_TYPE_STRUCT_OPS)
			bpf_map__set_autocreate(map, false);
		if (bpf_map__max_entries(map) != 0 || needs_zero_entries(t))
			continue;
		if (t == BPF_MAP_TYPE_RINGBUF || t == BPF_MAP_TYPE_USER_RINGBUF)
			bpf_map__set_max_entries(map, 4096 * 64);
		else
			bpf_map__set_max_entries(map, 1);
	}
	err = bpf_object__load(obj);
	r->err = err < 0 ? -err : 0;
	if (err == 0) {
		r->verdict = "ok";
		r->msg[0] = '\0';
	} else if (strstr(first_warn, "failed to initialize slot")) {
		/* libbpf fills prog arrays after loading the programs: the kernel accepted ours, and
		 * the slot of a program we did not load cannot be filled. */
		r->verdict = "ok";
		snprintf(r->msg, sizeof(r->msg), "loaded; then %s", first_warn);
	} else if (log && log[0]) {
		if (r->err == ENOSPC && log_size < LOG_MAX) {
			*retry = 1;
		} else {
			const char *poison = strstr(log, "' is referenced but wasn't resolved");

			error_line(log, r->msg, sizeof(r->msg));
			/* A log with nothing but "processed 0 insns": refused before verification. */
			r->verdict = r->msg[0] ? "reject" : "skip";
			if (!r->msg[0])
				snprintf(r->msg, sizeof(r->msg), "%s (no verifier log)", first_warn);
			/* libbpf poisons an instruction whose CO-RE relocation fails on this
			 * kernel (a type of a module not loaded, a deliberately broken test
			 * relocation): the kernel only rejects the poison. */
			if (starts_with(r->msg, "failed to resolve CO-RE relocation")) {
				char m[sizeof(r->msg)];

				snprintf(m, sizeof(m), "%s", r->msg);
				r->verdict = "skip";
				snprintf(r->msg, sizeof(r->msg), "libbpf poisoned the insn: %.900s", m);
			}
			if (poison) {
				const char *k = poison;

				while (k > log && k[-1] != '\'')
					k--;
				r->verdict = "skip";
				snprintf(r->msg, sizeof(r->msg), "calls kfunc %.*s, missing from this kernel",
					 (int)(poison - k), k);
			}
		}
	} else {
		r->verdict = "skip";
		snprintf(r->msg, sizeof(r->msg), "%s", first_warn[0] ? first_warn : strerror(r->err));
	}
	if (logf && !*retry) {
		if (log && log[0])
			fputs(log, logf);
		fputs("\n-- libbpf --\n", logf);
		if (msgs)
			fputs(msgs, logf);
	}
	free(log);
	bpf_object__close(obj);
}

/* The extern kfunc libbpf could not resolve, from its message; NULL if that was not the
 * failure. */
static char *unresolved_kfunc(void)
{
	static char name[256];
	const char *p = strstr(first_warn, "extern (func ksym) '");

	if (!p || !strstr(first_warn, "': not found in kernel or module BTFs"))
		return NULL;
	p += strlen("extern (func ksym) '");
	snprintf(name, sizeof(name), "%.*s", (int)strcspn(p, "'"), p);
	return name[0] ? name : NULL;
}

/* Writes `src` to `dst` with the undefined global symbols named in `weak` (comma-separated,
 * with a leading and trailing comma) made weak. Returns 0 on success. */
static int write_weak_copy(const char *src, const char *dst, const char *weak)
{
	FILE *f = fopen(src, "rb");
	unsigned char *buf = NULL;
	long size;
	Elf *elf = NULL;
	Elf_Scn *scn = NULL;
	int ret = -1;

	if (!f)
		return -1;
	if (fseek(f, 0, SEEK_END) || (size = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET))
		goto out;
	buf = malloc(size);
	if (!buf || fread(buf, 1, size, f) != (size_t)size)
		goto out;
	elf_version(EV_CURRENT);
	elf = elf_memory((char *)buf, size);
	if (!elf || gelf_getclass(elf) != ELFCLASS64)
		goto out;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		size_t i, n;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !sh.sh_entsize)
			continue;
		n = sh.sh_size / sh.sh_entsize;
		for (i = 1; i < n; i++) {
			Elf64_Sym *sym = (Elf64_Sym *)(buf + sh.sh_offset + i * sh.sh_entsize);
			const char *name;
			char key[300];

			if ((size_t)((unsigned char *)(sym + 1) - buf) > (size_t)size)
				break;
			if (sym->st_shndx != SHN_UNDEF || ELF64_ST_BIND(sym->st_info) != STB_GLOBAL)
				continue;
			name = elf_strptr(elf, sh.sh_link, sym->st_name);
			if (!name)
				continue;
			snprintf(key, sizeof(key), ",%s,", name);
			if (strstr(weak, key))
				sym->st_info = ELF64_ST_INFO(STB_WEAK, ELF64_ST_TYPE(sym->st_info));
		}
	}
	fclose(f);
	f = fopen(dst, "wb");
	if (f && fwrite(buf, 1, size, f) == (size_t)size)
		ret = 0;
out:
	if (elf)
		elf_end(elf);
	if (f)
		fclose(f);
	free(buf);
	return ret;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

int main(int argc, char **argv)
{
	const char *logdir;
	int a;
	static char tmpdir[64];

	if (argc < 3) {
		fprintf(stderr, "usage: modern_load LOGDIR OBJ.o...\n");
		return 2;
	}
	logdir = argv[1];
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/modern_load.XXXXXX");
	if (!mkdtemp(tmpdir))
		tmpdir[0] = '\0';
	libbpf_set_print(on_print);
	libbpf_set_strict_mode(LIBBPF_STRICT_ALL);
	for (a = 2; a < argc; a++) {
		const char *path = argv[a], *file = base_name(path);
		struct bpf_object *obj = bpf_object__open_file(path, NULL);
		struct bpf_program *prog;
		int index = 0;
		char weak[4096] = ",", copy[4200];

		snprintf(copy, sizeof(copy), "%s/%s", tmpdir, file);

		if (!obj) {
			printf("{\"file\":");
			json_str(stdout, file);
			printf(",\"prog\":null,\"section\":null,\"type\":null,\"verdict\":\"skip\",\"errno\":%d,\"msg\":", errno);
			json_str(stdout, first_warn[0] ? first_warn : "object open failed");
			printf(",\"log\":null}\n");
			fflush(stdout);
			continue;
		}
		bpf_object__for_each_program(prog, obj) {
			struct result r;
			char logpath[4096];
			size_t size = LOG_MIN;
			FILE *logf;
			int retry;

			snprintf(logpath, sizeof(logpath), "%s/%s.%s.log", logdir, file, bpf_program__name(prog));
			for (;;) {
				const char *name;

				logf = fopen(logpath, "w");
				load_one(weak[1] ? copy : path, index, size, &r, logf, &retry);
				if (logf)
					fclose(logf);
				if (retry) {
					size *= 4;
					continue;
				}
				name = unresolved_kfunc();
				if (!name || !tmpdir[0] || strlen(weak) + strlen(name) + 2 >= sizeof(weak))
					break;
				/* Weaken it (once per object) and retry. */
				{
					char key[300];

					snprintf(key, sizeof(key), ",%s,", name);
					if (strstr(weak, key))
						break;
				}
				strcat(weak, name);
				strcat(weak, ",");
				if (write_weak_copy(path, copy, weak))
					break;
			}
			printf("{\"file\":");
			json_str(stdout, file);
			printf(",\"prog\":");
			json_str(stdout, bpf_program__name(prog));
			printf(",\"section\":");
			json_str(stdout, bpf_program__section_name(prog));
			printf(",\"type\":");
			json_str(stdout, libbpf_bpf_prog_type_str(bpf_program__type(prog)));
			printf(",\"verdict\":\"%s\",\"errno\":%d,\"msg\":", r.verdict, r.err);
			json_str(stdout, r.msg);
			printf(",\"log\":");
			json_str(stdout, base_name(logpath));
			weak[strlen(weak) - 1] = '\0';
			printf(",\"weak\":");
			json_str(stdout, weak + 1);
			if (weak[1])
				strcat(weak, ",");
			printf("}\n");
			fflush(stdout);
			index++;
		}
		bpf_object__close(obj);
		if (tmpdir[0])
			unlink(copy);
	}
	if (tmpdir[0])
		rmdir(tmpdir);
	return 0;
}
