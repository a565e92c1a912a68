/**
 * QMP events (STOP, RESUME, RESET, SHUTDOWN, POWERDOWN): emitted by the emulator, stamped with
 * wall-clock time as QEMU does, and delivered to every monitor session that negotiated
 * capabilities.
 */

export interface QmpEvent {
  event: string;
  data?: Record<string, unknown>;
  timestamp: { seconds: number; microseconds: number };
}

export type EventListener = (event: QmpEvent) => void;

export class EventBus {
  private readonly listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: string, data?: Record<string, unknown>): void {
    const micros = Math.floor((performance.timeOrigin + performance.now()) * 1000);
    const e: QmpEvent = { timestamp: { seconds: Math.floor(micros / 1e6), microseconds: micros % 1e6 }, event };
    if (data !== undefined) e.data = data;
    for (const l of this.listeners) l(e);
  }
}
