import type { Duplex } from 'node:stream';

/**
 * Lets a socket's first write of an event-loop turn go out at once and corks the socket at its second, uncorking
 * every such socket once the turn's deliveries are done (setImmediate): a lone event costs no wait, and a burst's
 * frames to one socket still leave in (at most) two writes, not one each.
 */
export class WriteBatcher {
  /** Sockets written to in this turn. */
  private readonly touched = new Set<Duplex>();
  private readonly corked: Duplex[] = [];
  private scheduled = false;

  hold(socket: Duplex): void {
    if (!this.touched.has(socket)) {
      this.touched.add(socket);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(this.flush);
      }
      return;
    }
    if (socket.writableCorked > 0) return;
    this.corked.push(socket);
    socket.cork();
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    this.touched.clear();
    const sockets = this.corked.splice(0);
    for (const socket of sockets) socket.uncork();
  };
}
