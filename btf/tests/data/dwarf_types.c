// Types and functions for the DWARF -> BTF test (tests/dwarf.rs), compiled with clang-19
// and gcc, DWARF 4 and 5. Our BTF is compared with pahole -J's.
#include <stdarg.h>

typedef unsigned int u32;
typedef long long s64;
typedef _Bool bool_t;

enum color { RED, GREEN = 5, BLUE = -3 };
enum big { SMALL = 1, HUGE = 0x123456789ULL };
enum { ANON_A = 7, ANON_B };

struct opaque;
struct node;

struct bits {
	unsigned int a : 3;
	unsigned int b : 5;
	int c : 20;
	unsigned long long d : 40;
	enum color e : 4;
	char tail;
};

union u {
	int i;
	float f;
	double d;
	unsigned char bytes[8];
};

struct node {
	struct node *next;
	struct node **prevp;
	const char *name;
	volatile int counter;
	char *restrict buf;
	struct opaque *priv;
	int (*cb)(struct node *, void *);
	void (*handlers[4])(int);
	int matrix[3][4];
	union u val;
	struct {
		int x, y;
		union {
			long l;
			short s;
		};
	} pos;
	_Atomic int refs;
	_Bool flag;
	long double ld;
	char flex[];
};

struct packed_thing {
	char c;
	int i;
} __attribute__((packed));

typedef struct {
	u32 id;
	s64 when;
	bool_t ok;
} record_t;

typedef int (*cmp_fn)(const void *, const void *);

static int helper(struct node *n, int k)
{
	return n->counter + k;
}

int sum(int count, ...)
{
	va_list ap;
	int s = 0;
	va_start(ap, count);
	for (int i = 0; i < count; i++)
		s += va_arg(ap, int);
	va_end(ap);
	return s;
}

long use_all(struct node *n, struct bits *b, record_t *r, cmp_fn f, enum big g, union u *x,
	     struct packed_thing *p)
{
	return helper(n, b->c) + r->id + f(n, r) + g + x->i + p->i + sum(2, 1, 2) + ANON_B;
}
