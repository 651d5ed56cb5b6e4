import type { Dialog } from './dialog';

/** Every live dialog by id: one Map lookup per in-dialog message. */
export class DialogLayer {
  private readonly dialogs = new Map<string, Dialog>();

  add(dialog: Dialog): void {
    this.dialogs.set(dialog.id, dialog);
  }

  get(id: string | undefined): Dialog | undefined {
    return id === undefined ? undefined : this.dialogs.get(id);
  }

  remove(id: string): void {
    this.dialogs.delete(id);
  }

  get size(): number {
    return this.dialogs.size;
  }

  /** Snapshot for shutdown. */
  list(): Dialog[] {
    return [...this.dialogs.values()];
  }
}
