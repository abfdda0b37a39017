/* SPDX-License-Identifier: MIT OR Apache-2.0
 *
 * Loads every program of a BPF object the way a libbpf tool would, one program at a time, and
 * prints the running kernel's verdict, for bpflint/tools/real_tools.sh.
 *
 * Maps whose max_entries is 0 in the object are sized as the tool's user space would size them
 * before loading: ring buffers 256 KiB, perf event arrays the number of possible CPUs, anything
 * else 10240; stack trace maps without a value size get 127 frames. `const volatile` rodata is left at its compiled-in defaults.
 *
 * Usage: real_tools_load OBJ.o   (as root)
 *        real_tools_load --flags IN.o OUT.o   (see write_flags_copy)
 *        real_tools_load --prefix-types OBJ.o   (see print_prefix_types)
 * Output: one line per program: FILE<TAB>PROG<TAB>ok|reject|refused<TAB>errno<TAB>reason
 * "reject" needs a verifier log; a failure without one (EPERM for fentry/lsm, a missing attach
 * target, a failed map or BTF step) is "refused" and is not compared.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <unistd.h>
#include <gelf.h>
#include <libelf.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#define LOG_SIZE (64u << 20)

static char last_msg[512];

static int on_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[512];
	char *nl;

	if (level == LIBBPF_DEBUG)
		return 0;
	vsnprintf(line, sizeof(line), fmt, ap);
	nl = strchr(line, '\n');
	if (nl)
		*nl = '\0';
	/* keep the first warning of a load: the later ones are its consequences */
	if (!last_msg[0] && level == LIBBPF_WARN && !strstr(line, "BEGIN PROG LOAD LOG") &&
	    !strstr(line, "BTF loading error") && !strstr(line, "Error loading .BTF"))
		snprintf(last_msg, sizeof(last_msg), "%s", line);
	return 0;
}

/* The verifier's error line: the last line before "processed N insns" that is not empty. */
static void error_line(const char *log, char *out, size_t size)
{
	const char *end = strstr(log, "\nprocessed ");
	const char *start;

	out[0] = '\0';
	if (!end)
		end = log + strlen(log);
	while (end > log && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	start = end;
	while (start > log && start[-1] != '\n')
		start--;
	snprintf(out, size, "%.*s", (int)(end - start), start);
	for (char *p = out; *p; p++)
		if (*p == '\t')
			*p = ' ';
}

static void size_maps(struct bpf_object *obj)
{
	struct bpf_map *map;
	int cpus = libbpf_num_possible_cpus();

	bpf_object__for_each_map(map, obj) {
		/* stack maps: tools set the value size from their stack depth (127 frames) */
		if (bpf_map__type(map) == BPF_MAP_TYPE_STACK_TRACE && bpf_map__value_size(map) == 0)
			bpf_map__set_value_size(map, 127 * sizeof(__u64));
		if (bpf_map__max_entries(map) != 0)
			continue;
		switch (bpf_map__type(map)) {
		case BPF_MAP_TYPE_RINGBUF:
			bpf_map__set_max_entries(map, 256 * 1024);
			break;
		case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
			bpf_map__set_max_entries(map, cpus > 0 ? cpus : 1);
			break;
		default:
			bpf_map__set_max_entries(map, 10240);
		}
	}
}

/* The rodata variables REAL_TOOLS_FLAGS sets: one-byte ones (bool flags), and with
 * REAL_TOOLS_FLAGS=all every scalar of 2, 4 or 8 bytes too (pids, thresholds, filters: the value
 * 1, little-endian), so the filter code behind non-zero options is verified as well. */
static int is_option(__u32 size)
{
	const char *mode = getenv("REAL_TOOLS_FLAGS");

	if (size == 1)
		return 1;
	return mode && strcmp(mode, "all") == 0 && (size == 2 || size == 4 || size == 8);
}

/* With REAL_TOOLS_FLAGS=1, every one-byte `const volatile` variable of .rodata (the tools' bool
 * options) is set to 1 before loading, so the code paths behind the options are verified too:
 * the kernel prunes branches on known rodata values (verifier.c, check_cond_jmp_op with a map
 * value of a frozen read-only map). */
static void set_flags(struct bpf_object *obj)
{
	const struct btf *btf = bpf_object__btf(obj);
	struct bpf_map *map;

	if (!btf || !getenv("REAL_TOOLS_FLAGS"))
		return;
	bpf_object__for_each_map(map, obj) {
		const char *name = bpf_map__name(map);
		size_t size;
		char *data;
		__s32 id;
		const struct btf_type *sec;
		const struct btf_var_secinfo *vs;

		if (!strstr(name, ".rodata"))
			continue;
		data = (char *)bpf_map__initial_value(map, &size);
		id = btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
		if (!data || id < 0 || strcmp(strchr(name, '.'), ".rodata"))
			continue;
		sec = btf__type_by_id(btf, id);
		vs = btf_var_secinfos(sec);
		for (int i = 0; i < btf_vlen(sec); i++, vs++)
			if (is_option(vs->size) && vs->offset + vs->size <= size) {
				memset(data + vs->offset, 0, vs->size);
				data[vs->offset] = 1;
			}
	}
}

/* Sections such as "perf_event/1" (llcstat) predate libbpf's exact-name matching: a tool's user
 * space sets their type itself. Take the type from the part before the first '/'. */
static void set_prefix_type(struct bpf_program *prog)
{
	enum bpf_prog_type type;
	enum bpf_attach_type attach;
	char prefix[128];
	const char *sec = bpf_program__section_name(prog);

	if (bpf_program__type(prog) != BPF_PROG_TYPE_UNSPEC || !strchr(sec, '/'))
		return;
	snprintf(prefix, sizeof(prefix), "%.*s", (int)(strchr(sec, '/') - sec), sec);
	if (!libbpf_prog_type_by_name(prefix, &type, &attach))
		bpf_program__set_type(prog, type);
}

/* `real_tools_load --prefix-types OBJ`: prints PROG=PREFIX for every program whose type
 * set_prefix_type takes from its section's prefix, for bpflint's --prog-type. */
static int print_prefix_types(const char *path)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_program *prog;

	if (!obj)
		return 1;
	bpf_object__for_each_program(prog, obj) {
		const char *sec = bpf_program__section_name(prog);
		enum bpf_prog_type type;
		enum bpf_attach_type attach;
		char prefix[128];

		if (bpf_program__type(prog) != BPF_PROG_TYPE_UNSPEC || !strchr(sec, '/'))
			continue;
		snprintf(prefix, sizeof(prefix), "%.*s", (int)(strchr(sec, '/') - sec), sec);
		if (!libbpf_prog_type_by_name(prefix, &type, &attach))
			printf("%s=%s\n", bpf_program__name(prog), prefix);
	}
	bpf_object__close(obj);
	return 0;
}

static int load_one(const char *path, const char *want, char *log)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_program *prog, *target = NULL;
	char reason[512];
	int err;

	if (!obj) {
		printf("%s\t%s\trefused\t%d\topen: %s\n", path, want, errno, last_msg);
		return 0;
	}
	bpf_object__for_each_program(prog, obj) {
		int mine = strcmp(bpf_program__name(prog), want) == 0;

		bpf_program__set_autoload(prog, mine);
		if (mine)
			target = prog;
	}
	set_prefix_type(target);
	size_maps(obj);
	set_flags(obj);
	log[0] = '\0';
	last_msg[0] = '\0';
	bpf_program__set_log_buf(target, log, LOG_SIZE);
	bpf_program__set_log_level(target, 1);
	err = bpf_object__load(obj);
	if (!err) {
		printf("%s\t%s\tok\t0\t\n", path, want);
	} else {
		error_line(log, reason, sizeof(reason));
		if (log[0] && reason[0] && err != -EPERM)
			printf("%s\t%s\treject\t%d\t%s\n", path, want, -err, reason);
		else
			printf("%s\t%s\trefused\t%d\t%s\n", path, want, -err, last_msg);
	}
	bpf_object__close(obj);
	return 0;
}

/* `real_tools_load --flags IN.o OUT.o`: writes a copy of IN.o whose one-byte .rodata variables
 * are 1, so that bpflint sees the values the REAL_TOOLS_FLAGS=1 load gives the kernel. */
static int write_flags_copy(const char *in, const char *out)
{
	struct bpf_object *obj = bpf_object__open_file(in, NULL);
	const struct btf *btf = obj ? bpf_object__btf(obj) : NULL;
	__s32 id = btf ? btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC) : -1;
	char cmd[4096];
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	Elf *elf;
	int fd;

	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", in, out);
	if (system(cmd) != 0)
		return 1;
	if (id < 0)
		return 0;
	elf_version(EV_CURRENT);
	fd = open(out, O_RDWR);
	if (fd < 0 || !(elf = elf_begin(fd, ELF_C_READ, NULL)) || elf_getshdrstrndx(elf, &shstrndx))
		return 1;
	while ((scn = elf_nextscn(elf, scn))) {
		const struct btf_type *sec = btf__type_by_id(btf, id);
		const struct btf_var_secinfo *vs = btf_var_secinfos(sec);
		GElf_Shdr sh;
		const char one = 1;

		if (!gelf_getshdr(scn, &sh) || strcmp(elf_strptr(elf, shstrndx, sh.sh_name), ".rodata"))
			continue;
		for (int i = 0; i < btf_vlen(sec); i++, vs++) {
			char buf[8] = { 0 };

			buf[0] = one;
			if (is_option(vs->size) && vs->offset + vs->size <= sh.sh_size &&
			    pwrite(fd, buf, vs->size, (off_t)(sh.sh_offset + vs->offset)) !=
				    (ssize_t)vs->size)
				return 1;
		}
	}
	elf_end(elf);
	close(fd);
	bpf_object__close(obj);
	return 0;
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	char *log;
	char **names;
	size_t n = 0;

	if (argc == 4 && strcmp(argv[1], "--flags") == 0)
		return write_flags_copy(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "--prefix-types") == 0)
		return print_prefix_types(argv[2]);
	if (argc != 2) {
		fprintf(stderr, "usage: %s OBJ.o\n", argv[0]);
		return 2;
	}
	libbpf_set_print(on_print);
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		fprintf(stderr, "%s: cannot open: %s\n", argv[1], strerror(errno));
		return 1;
	}
	names = calloc(4096, sizeof(*names));
	log = malloc(LOG_SIZE);
	if (!names || !log)
		return 1;
	bpf_object__for_each_program(prog, obj)
		if (n < 4096)
			names[n++] = strdup(bpf_program__name(prog));
	bpf_object__close(obj);
	for (size_t i = 0; i < n; i++)
		load_one(argv[1], names[i], log);
	fflush(stdout);
	return 0;
}
