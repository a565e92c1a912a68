/** The chardevs of one emulator, by id: what query-chardev lists and chardev-add/-remove change. */
import { ChardevError, type Chardev } from './chardev';

export class ChardevRegistry {
  private readonly byId = new Map<string, Chardev>();

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get(id: string): Chardev {
    const c = this.byId.get(id);
    if (!c) throw new ChardevError(`Chardev '${id}' not found`);
    return c;
  }

  /** Opens `chardev` and registers it; on failure it is closed again and the error rethrown. */
  async add(chardev: Chardev): Promise<void> {
    if (this.byId.has(chardev.id)) {
      await chardev.close();
      throw new ChardevError(`Chardev '${chardev.id}' already exists`);
    }
    this.byId.set(chardev.id, chardev);
    try {
      await chardev.open();
    } catch (e) {
      this.byId.delete(chardev.id);
      await chardev.close();
      throw e;
    }
  }

  /** Closes and forgets a chardev that no frontend uses. */
  async remove(id: string): Promise<void> {
    const c = this.get(id);
    if (c.frontendOpen) throw new ChardevError(`Chardev '${id}' is busy`);
    this.byId.delete(id);
    await c.close();
  }

  list(): Chardev[] {
    return [...this.byId.values()];
  }

  async closeAll(): Promise<void> {
    const all = this.list();
    this.byId.clear();
    await Promise.all(all.map((c) => c.close()));
  }
}
