/*
 * No libc at all: _start writes a message with the write syscall (x8 = 64) and leaves with
 * exit_group (x8 = 94) and status 7. The first program a user-mode emulator can run.
 */
        .text
        .global _start
        .type _start, %function
_start:
        mov     x0, #1
        adr     x1, message
        mov     x2, #(message_end - message)
        mov     x8, #64
        svc     #0
        /* write returns the byte count in x0: exit with 7 only if all of it was written. */
        cmp     x0, #(message_end - message)
        mov     x0, #7
        mov     x9, #1
        csel    x0, x0, x9, eq
        mov     x8, #94
        svc     #0

        .section .rodata
message:
        .ascii  "raw syscalls: hello without libc\n"
message_end:
