// Entry of the C test programs (what FreeBSD's crt1 does, minus libc): the kernel passes the
// argument block (argc, argv..., envp..., auxv) in x0; main gets it and its result goes to exit.
// The .note.tag section is FreeBSD's ABI note (NT_FREEBSD_ABI_TAG, "FreeBSD", __FreeBSD_version),
// which brands these programs as FreeBSD ones.
	.text
	.globl	_start
_start:
	mov	x29, #0
	mov	x30, #0
	bl	fbsd_main
	mov	x8, #1
	svc	#0

	.section .note.tag, "a", %note
	.p2align 2
	.long	8
	.long	4
	.long	1
	.asciz	"FreeBSD"
	.long	1400097
