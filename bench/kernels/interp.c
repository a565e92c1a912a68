/* A byte-code interpreter: a small stack machine with a switch-dispatched loop running a program
   that computes primes by trial division and a Collatz walk; indirect branches every few insns. */
#include <stdint.h>
#include <stdio.h>

enum { PUSH, LOAD, STORE, ADD, SUB, MUL, MOD, DIV, LT, EQ, JZ, JMP, DUP, POP, HALT, INC };

typedef struct { uint8_t op; int32_t arg; } insn;

static int64_t run(const insn *code, int64_t *vars) {
  int64_t stack[64];
  int sp = 0, pc = 0;
  for (;;) {
    const insn in = code[pc++];
    switch (in.op) {
      case PUSH: stack[sp++] = in.arg; break;
      case LOAD: stack[sp++] = vars[in.arg]; break;
      case STORE: vars[in.arg] = stack[--sp]; break;
      case ADD: sp--; stack[sp - 1] += stack[sp]; break;
      case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
      case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
      case MOD: sp--; stack[sp - 1] %= stack[sp]; break;
      case DIV: sp--; stack[sp - 1] /= stack[sp]; break;
      case LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
      case EQ: sp--; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
      case JZ: if (stack[--sp] == 0) pc = in.arg; break;
      case JMP: pc = in.arg; break;
      case DUP: stack[sp] = stack[sp - 1]; sp++; break;
      case POP: sp--; break;
      case INC: vars[in.arg]++; break;
      case HALT: return vars[0];
    }
  }
}

/* Counts primes below vars[3] by trial division.
   vars: 0 = prime count, 1 = n, 2 = divisor d, 3 = limit, 4 = n is prime */
static const insn primes[] = {
    /* 0 */ {PUSH, 2}, {STORE, 1},                         /* n = 2 */
    /* 2 */ {LOAD, 1}, {LOAD, 3}, {LT, 0}, {JZ, 36},       /* while n < limit */
    /* 6 */ {PUSH, 1}, {STORE, 4}, {PUSH, 2}, {STORE, 2},  /* prime = 1, d = 2 */
    /* 10 */ {LOAD, 2}, {LOAD, 2}, {MUL, 0}, {LOAD, 1}, {LT, 0},
    /* 15 */ {LOAD, 2}, {LOAD, 2}, {MUL, 0}, {LOAD, 1}, {EQ, 0},
    /* 20 */ {ADD, 0}, {JZ, 30},                           /* while d * d <= n */
    /* 22 */ {LOAD, 1}, {LOAD, 2}, {MOD, 0}, {JZ, 28},     /* n % d == 0: composite */
    /* 26 */ {INC, 2}, {JMP, 10},
    /* 28 */ {PUSH, 0}, {STORE, 4},
    /* 30 */ {LOAD, 0}, {LOAD, 4}, {ADD, 0}, {STORE, 0}, {INC, 1}, {JMP, 2},
    /* 36 */ {HALT, 0},
};

/* Total Collatz steps of every start value below vars[3].
   vars: 0 = total steps, 1 = start, 2 = x, 3 = limit */
static const insn collatz[] = {
    /* 0 */ {PUSH, 1}, {STORE, 1},
    /* 2 */ {LOAD, 1}, {LOAD, 3}, {LT, 0}, {JZ, 31},       /* while start < limit */
    /* 6 */ {LOAD, 1}, {STORE, 2},                         /* x = start */
    /* 8 */ {LOAD, 2}, {PUSH, 1}, {EQ, 0}, {JZ, 14},       /* until x == 1 */
    /* 12 */ {INC, 1}, {JMP, 2},
    /* 14 */ {INC, 0}, {LOAD, 2}, {PUSH, 2}, {MOD, 0}, {JZ, 26},
    /* 19 */ {LOAD, 2}, {PUSH, 3}, {MUL, 0}, {PUSH, 1}, {ADD, 0}, {STORE, 2}, {JMP, 8}, /* odd: 3x + 1 */
    /* 26 */ {LOAD, 2}, {PUSH, 2}, {DIV, 0}, {STORE, 2}, {JMP, 8},                      /* even: x / 2 */
    /* 31 */ {HALT, 0},
};

int main(void) {
  int64_t pv[8] = {0, 0, 0, 300000, 0};
  printf("interp primes below %lld: %lld\n", (long long)pv[3], (long long)run(primes, pv));
  int64_t cv[8] = {0, 0, 0, 150000};
  printf("interp collatz steps below %lld: %lld\n", (long long)cv[3], (long long)run(collatz, cv));
  return 0;
}
