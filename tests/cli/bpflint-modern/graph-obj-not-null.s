# RUN: bpfasm -g %s -o %t
# RUN: bpflint %t
# KERNEL: accept
# Once checked, an object from bpf_obj_new() is never NULL: a second comparison with 0 has
# one way only, so the branch that would leak the object is never taken
# (kernel/bpf/verifier.c: is_branch_taken() -> reg_not_null(), MEM_ALLOC is trusted).
	.cdecl
struct bpf_spin_lock { unsigned int val; };
struct bpf_list_head { unsigned long long __opaque[2]; } __attribute__((aligned(8)));
struct bpf_list_node { unsigned long long __opaque[3]; } __attribute__((aligned(8)));
struct bpf_rb_root { unsigned long long __opaque[2]; } __attribute__((aligned(8)));
struct bpf_rb_node { unsigned long long __opaque[4]; } __attribute__((aligned(8)));
struct foo { long data; struct bpf_list_node node; };
struct bar { long key; struct bpf_rb_node rb; };
struct val {
	struct bpf_spin_lock lock;
	struct bpf_list_head head __attribute__((btf_decl_tag("contains:foo:node")));
	struct bpf_rb_root root __attribute__((btf_decl_tag("contains:bar:rb")));
};
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct val);
} m SEC(".maps");
extern void *bpf_obj_new_impl(unsigned long long local_type_id, void *meta) __ksym;
extern void bpf_obj_drop_impl(void *kptr, void *meta) __ksym;
extern int bpf_list_push_back_impl(struct bpf_list_head *head, struct bpf_list_node *node, void *meta, unsigned long long off) __ksym;
extern struct bpf_list_node *bpf_list_pop_front(struct bpf_list_head *head) __ksym;
extern struct bpf_rb_node *bpf_rbtree_first(struct bpf_rb_root *root) __ksym;
extern struct bpf_rb_node *bpf_rbtree_remove(struct bpf_rb_root *root, struct bpf_rb_node *node) __ksym;
extern int bpf_rbtree_add_impl(struct bpf_rb_root *root, struct bpf_rb_node *node, _Bool (less)(struct bpf_rb_node *a, const struct bpf_rb_node *b), void *meta, unsigned long long off) __ksym;
char LICENSE[] SEC("license") = "GPL";
	.endcdecl
	.section	tc,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = 0
	*(u32 *)(r10 - 4) = r1
	r2 = r10
	r2 += -4
	r1 = m ll
	call 1
	if r0 == 0 goto out
	r6 = r0
	r1 = 12
	r2 = 0
	call bpf_obj_new_impl
	if r0 == 0 goto out
	r7 = r0
	if r7 == 0 goto out
	r1 = r7
	r2 = 0
	call bpf_obj_drop_impl
out:
	r0 = 0
	exit
	.size	prog, .-prog
