/**
 * Who is joined to whom in a call, as data the call consults (remote hangup ends the peer, an offer goes to the
 * peer). Re-pointing a leg (a transfer) is one `pair`; nothing is wired between the legs themselves.
 */
export class Pairing {
  private readonly peers = new Map<string, string>();

  /** Joins two legs; whatever either was joined to before is let go. */
  pair(a: string, b: string): void {
    this.unpair(a);
    this.unpair(b);
    this.peers.set(a, b);
    this.peers.set(b, a);
  }

  peerOf(legId: string): string | undefined {
    return this.peers.get(legId);
  }

  /** Lets the leg go; returns the peer it had. */
  unpair(legId: string): string | undefined {
    const peer = this.peers.get(legId);
    this.peers.delete(legId);
    if (peer !== undefined && this.peers.get(peer) === legId) this.peers.delete(peer);
    return peer;
  }

  get size(): number {
    return this.peers.size / 2;
  }
}
