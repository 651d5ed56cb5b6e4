/**
 * Who is joined to whom in a call, as data the call consults (remote hangup ends the peer, an offer goes to the
 * peer). Re-pointing a leg (a transfer) is one `pair`; nothing is wired between the legs themselves.
 */
export class Pairing {
  /** Joined legs two by two ([a, b, c, d]: a with b, c with d): a call keeps this for its life, a Map would weigh more. */
  private peers: string[] = [];

  /** Joins two legs; whatever either was joined to before is let go. */
  pair(a: string, b: string): void {
    this.unpair(a);
    this.unpair(b);
    // concat sizes the array exactly; a spread reserves room for 16 more, kept for the call's life
    this.peers = this.peers.concat([a, b]);
  }

  peerOf(legId: string): string | undefined {
    const at = this.peers.indexOf(legId);
    return at < 0 ? undefined : this.peers[at % 2 === 0 ? at + 1 : at - 1];
  }

  /** Lets the leg go; returns the peer it had. */
  unpair(legId: string): string | undefined {
    const at = this.peers.indexOf(legId);
    if (at < 0) return undefined;
    const first = at - (at % 2);
    const peer = this.peers[at % 2 === 0 ? at + 1 : at - 1];
    this.peers = this.peers.slice(0, first).concat(this.peers.slice(first + 2));
    return peer;
  }

  get size(): number {
    return this.peers.length / 2;
  }
}
