// The shipped example guest: a static AArch64 Linux program that greets through write(2)
// and exits with status 0. Built with: aarch64-linux-gnu-gcc -nostdlib -static -o hello-aarch64 hello-aarch64.S
    .global _start
    .text
_start:
    mov     x0, #1              // fd 1
    adr     x1, message
    mov     x2, #(message_end - message)
    mov     x8, #64             // write
    svc     #0
    mov     x0, #0
    mov     x8, #94             // exit_group
    svc     #0
message:
    .ascii  "Hello from AArch64, translated by tsemu!\n"
message_end:
