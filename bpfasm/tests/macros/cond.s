# Conditional assembly: .if/.elseif/.else, .ifdef/.ifndef, .ifeq/.ifne/.ifgt/..., .ifb/.ifc,
# recursion ended by .if, .exitm, .purgem and redefinition.
	.set	N, 3
	.equ	M, 4
	.equiv	K, 5
	.text
	.if	N == 3
	r1 = 1
	.elseif	N == 4
	r1 = 2
	.else
	r1 = 3
	.endif
	.if	N > 10
	r2 = 1
	.elseif	M == 4
	r2 = 2
	.else
	r2 = 3
	.endif
	.if	0
	.if	1
	r3 = 99
	.else
	r3 = 98
	.endif
	.error	"never"
	.endif
	.ifdef	N
	r4 = 4
	.endif
	.ifndef	UNDEFINED
	r4 = 5
	.endif
	.ifdef	later
	r4 = 6
	.endif
	.ifeq	N - 3
	r5 = 1
	.endif
	.ifne	N - 3
	r5 = 2
	.endif
	.ifgt	K
	r5 = 3
	.endif
	.iflt	K
	r5 = 4
	.endif
	.ifge	0
	r5 = 5
	.endif
	.ifle	-1
	r5 = 6
	.endif
	.ifb
	r6 = 1
	.endif
	.ifnb	x
	r6 = 2
	.endif
	.ifc	abc, abc
	r6 = 3
	.endif
	.ifnc	abc, abd
	r6 = 4
	.endif

	.macro	sum n
	.if	\n
	r0 += \n
	sum	\n-1
	.endif
	.endm
	sum	5

	.macro	early a
	r7 = \a
	.if	\a
	.exitm
	.endif
	r8 = \a
	.endm
	early	0
	early	1

	.macro	m
	r9 = 1
	.endm
	m
	.purgem	m
	.macro	m
	r9 = 2
	.endm
	m
later:
	exit
