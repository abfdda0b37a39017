// A small BPF program compiled by tests/elf.rs with clang-19 -g -target bpf: its .BTF and
// .BTF.ext (func_info, line_info, CO-RE relocations) are read and written back.
#define SEC(n) __attribute__((section(n), used))
#define __uint(name, val) int (*name)[val]
#define __type(name, val) typeof(val) *name
#define BPF_MAP_TYPE_HASH 1

struct task_struct {
	int pid;
	int tgid;
	struct task_struct *parent;
} __attribute__((preserve_access_index));

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, int);
	__type(value, long);
} counts SEC(".maps");

int global_counter = 0;
const volatile int config_flag = 1;

static __attribute__((noinline)) int helper(struct task_struct *t)
{
	return t->parent->tgid + config_flag;
}

SEC("tp/sched/sched_switch")
int handle(void *ctx)
{
	struct task_struct *t = (struct task_struct *)ctx;
	global_counter += helper(t) + t->pid;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
