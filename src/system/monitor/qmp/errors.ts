/** QMP errors: `{"error": {"class": ..., "desc": ...}}` with QEMU's error classes. */

export type QmpErrorClass = 'GenericError' | 'CommandNotFound' | 'DeviceNotActive' | 'DeviceNotFound';

export class QmpError extends Error {
  constructor(
    readonly errorClass: QmpErrorClass,
    desc: string,
  ) {
    super(desc);
  }

  static generic(desc: string): QmpError {
    return new QmpError('GenericError', desc);
  }

  /** Any error as a QMP error: our own keep their class, everything else is a GenericError. */
  static from(e: unknown): QmpError {
    if (e instanceof QmpError) return e;
    return QmpError.generic(e instanceof Error ? e.message : String(e));
  }

  toJSON(): { class: QmpErrorClass; desc: string } {
    return { class: this.errorClass, desc: this.message };
  }
}
