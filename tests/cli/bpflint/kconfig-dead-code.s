# RUN: bpfasm -g %s -o %t
# RUN: bpflint --kernel 6.18 --kconfig kconfig-dead-code.config %t
# FAIL: bpflint --kernel 6.18 %t
# USAGE: bpflint --kconfig no-such.config %t
# libbpf fills `.kconfig` externs and freezes the map before loading, so the verifier reads
# them as constants and never checks code they make dead. With the configuration (--kconfig,
# or the running kernel's by default) CONFIG_MISSING is 0 (not set, weak) and
# LINUX_KERNEL_VERSION is 6.18.0: both calls to the unknown helper are dead and the program
# is accepted. Without a configuration the values are unknown and the call is reported.
	.cdecl
extern int CONFIG_MISSING __kconfig __weak;
extern int LINUX_KERNEL_VERSION __kconfig;
	.endcdecl
	.section	socket,"ax",@progbits
	.globl	prog
	.type	prog,@function
prog:
	r1 = CONFIG_MISSING ll
	r1 = *(u32 *)(r1 + 0)
	if r1 == 0 goto version
	call 999
version:
	r1 = LINUX_KERNEL_VERSION ll
	r1 = *(u32 *)(r1 + 0)
	if r1 >= 0x061200 goto out
	call 999
out:
	r0 = 0
	exit
	.size	prog, .-prog
	.section	license,"aw",@progbits
	.globl	_license
_license:
	.asciz	"GPL"
