// Entry and exception vectors of the bare-metal test programs: a stack, VBAR_EL1, the FP/SIMD
// unit enabled, .bss cleared, then main(x0 at entry). Every vector saves x0-x30 in a frame and
// calls on_exception(kind, frame); the handler may change the saved ELR (frame[31]) before ERET.
    .section .text.boot
    .global _start
_start:
    mov x19, x0
    ldr x1, =__stack_top
    mov sp, x1
    ldr x1, =vectors
    msr vbar_el1, x1
    mov x1, #(3 << 20)
    msr cpacr_el1, x1
    isb
    ldr x1, =__bss_start
    ldr x2, =__bss_end
1:  cmp x1, x2
    b.hs 2f
    str xzr, [x1], #8
    b 1b
2:  mov x0, x19
    bl main
3:  wfi
    b 3b

    .macro vector kind
    .balign 0x80
    sub sp, sp, #(33 * 8)
    stp x0, x1, [sp, #0]
    mov x0, #\kind
    b save_and_handle
    .endm

    .balign 0x800
    .global vectors
vectors:
    vector 0    // current EL with SP0: sync
    vector 1    // irq
    vector 2    // fiq
    vector 3    // serror
    vector 0x10 // current EL with SPx: sync
    vector 0x11
    vector 0x12
    vector 0x13
    vector 0x20 // lower EL, AArch64
    vector 0x21
    vector 0x22
    vector 0x23
    vector 0x30 // lower EL, AArch32
    vector 0x31
    vector 0x32
    vector 0x33

save_and_handle:
    stp x2, x3, [sp, #16]
    stp x4, x5, [sp, #32]
    stp x6, x7, [sp, #48]
    stp x8, x9, [sp, #64]
    stp x10, x11, [sp, #80]
    stp x12, x13, [sp, #96]
    stp x14, x15, [sp, #112]
    stp x16, x17, [sp, #128]
    stp x18, x19, [sp, #144]
    stp x20, x21, [sp, #160]
    stp x22, x23, [sp, #176]
    stp x24, x25, [sp, #192]
    stp x26, x27, [sp, #208]
    stp x28, x29, [sp, #224]
    mrs x1, elr_el1
    stp x30, x1, [sp, #240]
    mrs x1, spsr_el1
    str x1, [sp, #256]
    mov x1, sp
    bl on_exception
    ldr x1, [sp, #256]
    msr spsr_el1, x1
    ldp x30, x1, [sp, #240]
    msr elr_el1, x1
    ldp x28, x29, [sp, #224]
    ldp x26, x27, [sp, #208]
    ldp x24, x25, [sp, #192]
    ldp x22, x23, [sp, #176]
    ldp x20, x21, [sp, #160]
    ldp x18, x19, [sp, #144]
    ldp x16, x17, [sp, #128]
    ldp x14, x15, [sp, #112]
    ldp x12, x13, [sp, #96]
    ldp x10, x11, [sp, #80]
    ldp x8, x9, [sp, #64]
    ldp x6, x7, [sp, #48]
    ldp x4, x5, [sp, #32]
    ldp x2, x3, [sp, #16]
    ldp x0, x1, [sp, #0]
    add sp, sp, #(33 * 8)
    eret
