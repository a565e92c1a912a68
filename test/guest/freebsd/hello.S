// FreeBSD/arm64 hello world without libc: write(2) then exit(2) with status 7, the numbers of
// FreeBSD's syscalls.master (write 4, exit 1).
	.text
	.globl	_start
_start:
	mov	x0, #1
	adr	x1, message
	mov	x2, #(message_end - message)
	mov	x8, #4
	svc	#0
	mov	x0, #7
	mov	x8, #1
	svc	#0
message:
	.ascii	"hello from FreeBSD\n"
message_end:
