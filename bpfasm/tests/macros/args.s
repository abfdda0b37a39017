# Argument splitting: spaces, operators, parentheses, strings, varargs, empty arguments
# (`1\a` with an empty `a` is `1`).
	.macro	two a, b
	.quad	\a
	.quad	\b
	.endm
	.macro	opt x, y
	.quad	1\x
	.quad	2\y
	.endm
	.macro	list first, rest:vararg
	.byte	\first
	.byte	\rest
	.endm
	.macro	str s
	.asciz	"\s"
	.endm
	.macro	noparams
	.byte	1
	.endm
	.data
	two	1, 2
	two	1 + 2, 5
	two	1 +2 6
	two	(1 + 2) 4
	two	"7", 8
	opt	, 9
	opt
	opt	3
	opt	y=4
	two	b=10, a=11
	list	1, 2, 3, 4
	list	5, 6
	str	hello
	str	"with space"
	noparams
