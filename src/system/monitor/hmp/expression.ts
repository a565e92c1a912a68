/**
 * HMP's integer expressions (QEMU's get_expr), as `p`, `x`, `memsave` and the other commands with
 * numeric arguments read them: 64-bit two's complement; `*`, `/`, `%` bind tightest, then `&`, `|`,
 * `^`, then `+` and `-` (QEMU's order, so `1 + 2 & 3` is 3); unary `+`, `-`, `~`, parentheses,
 * character constants `'c'`, numbers as strtoull reads them with base 0, and `$NAME` registers.
 * An expression stops at the first character it cannot use; the caller checks what follows.
 */

const MASK = (1n << 64n) - 1n;

/** A 64-bit value as a signed one (QEMU computes in int64_t). */
const signed = (v: bigint): bigint => BigInt.asIntN(64, v);

type Operators = Readonly<Record<string, (left: bigint, right: bigint) => bigint>>;

const divisor = (right: bigint): bigint => {
  if (right === 0n) throw new ExpressionError('division by zero');
  return right;
};

/** QEMU's three binary levels, loosest first. */
const SUM: Operators = { '+': (a, b) => a + b, '-': (a, b) => a - b };
const LOGIC: Operators = { '&': (a, b) => a & b, '|': (a, b) => a | b, '^': (a, b) => a ^ b };
const PRODUCT: Operators = {
  '*': (a, b) => a * b,
  '/': (a, b) => a / divisor(b),
  '%': (a, b) => a % divisor(b),
};

/** An expression QEMU refuses: `message` is the line its monitor prints. */
export class ExpressionError extends Error {}

/** Looks a `$NAME` register up; undefined when the name is unknown. */
export type RegisterLookup = (name: string) => bigint | undefined;

const isSpace = (c: string | undefined): boolean => c !== undefined && /[ \t\n\v\f\r]/.test(c);

class Parser {
  constructor(
    readonly text: string,
    public at: number,
    readonly register: RegisterLookup,
  ) {}

  private peek(): string | undefined {
    return this.text[this.at];
  }

  private skipSpaces(): void {
    while (isSpace(this.peek())) this.at++;
  }

  /** QEMU's next(): past the operator and the spaces after it. */
  private next(): void {
    if (this.at < this.text.length) {
      this.at++;
      this.skipSpaces();
    }
  }

  sum(): bigint {
    return this.level(() => this.logic(), SUM);
  }

  private logic(): bigint {
    return this.level(() => this.product(), LOGIC);
  }

  private product(): bigint {
    return this.level(() => this.unary(), PRODUCT);
  }

  /** One precedence level: operands read by `operand`, joined left to right by the level's operators. */
  private level(operand: () => bigint, operators: Operators): bigint {
    let value = operand();
    for (let apply = operators[this.peek() ?? '']; apply; apply = operators[this.peek() ?? '']) {
      this.next();
      value = signed(apply(value, operand()));
    }
    return value;
  }

  private unary(): bigint {
    const c = this.peek();
    switch (c) {
      case '+':
        this.next();
        return this.unary();
      case '-':
        this.next();
        return signed(-this.unary());
      case '~':
        this.next();
        return signed(~this.unary());
      case '(': {
        this.next();
        const value = this.sum();
        if (this.peek() !== ')') throw new ExpressionError("')' expected");
        this.next();
        return value;
      }
      case "'": {
        this.at++;
        const ch = this.peek();
        if (ch === undefined) throw new ExpressionError('character constant expected');
        this.at++;
        if (this.peek() !== "'") throw new ExpressionError("missing terminating ' character");
        this.next();
        return BigInt(ch.charCodeAt(0) & 0xff);
      }
      case '$':
        return this.registerValue();
      case undefined:
        throw new ExpressionError('unexpected end of expression');
      default:
        return this.number();
    }
  }

  private registerValue(): bigint {
    this.at++;
    const name = /^[A-Za-z0-9_.]*/.exec(this.text.slice(this.at))![0];
    this.at += name.length;
    this.skipSpaces();
    const value = this.register(name);
    if (value === undefined) throw new ExpressionError('unknown register');
    return signed(value);
  }

  /** strtoull(p, &end, 0): 0x hex, leading 0 octal, else decimal; at least one digit. */
  private number(): bigint {
    const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(this.text.slice(this.at));
    if (!m) throw new ExpressionError(`invalid char '${this.peek()}' in expression`);
    const digits = m[1]!;
    const value =
      digits.length > 1 && digits[1] !== 'x' && digits[1] !== 'X' && digits[0] === '0'
        ? BigInt(`0o${digits.slice(1)}`)
        : BigInt(digits);
    if (value > MASK) throw new ExpressionError('number too large');
    this.at += digits.length;
    this.skipSpaces();
    return signed(value);
  }
}

/**
 * Reads an expression from `text` at `at` (spaces before it skipped); returns its value (signed
 * 64-bit) and where it ended. Throws ExpressionError with QEMU's message.
 */
export function readExpression(
  text: string,
  at: number,
  register: RegisterLookup,
): { value: bigint; end: number } {
  const parser = new Parser(text, at, register);
  while (isSpace(text[parser.at])) parser.at++;
  const value = parser.sum();
  return { value, end: parser.at };
}
