import type { Duplex } from 'node:stream';

/**
 * Corks a socket at its first write of an event-loop turn and uncorks every such socket once the turn's
 * deliveries are done (setImmediate), so the frames one socket gets in a turn leave in one write, not one each.
 */
export class WriteBatcher {
  private readonly corked = new Set<Duplex>();
  private scheduled = false;

  hold(socket: Duplex): void {
    if (this.corked.has(socket)) return;
    this.corked.add(socket);
    socket.cork();
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    const sockets = [...this.corked];
    this.corked.clear();
    for (const socket of sockets) socket.uncork();
  };
}
