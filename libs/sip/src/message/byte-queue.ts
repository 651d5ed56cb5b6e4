/**
 * Bytes received but not consumed yet. Appends cost amortized O(1) per byte (the store doubles),
 * so a peer sending one byte per packet costs us no more than one sending whole messages.
 */
export class ByteQueue {
  private store: Buffer = Buffer.alloc(0);
  private start = 0;
  private end = 0;
  // the first chunk is kept as it is (no copy) until a second one must be appended to it
  private borrowed = false;

  get length(): number {
    return this.end - this.start;
  }

  /** The queued bytes; valid until the next append or consume. */
  view(): Buffer {
    return this.store.subarray(this.start, this.end);
  }

  append(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.length === 0) {
      this.store = chunk;
      this.start = 0;
      this.end = chunk.length;
      this.borrowed = true;
      return;
    }
    if (!this.borrowed && this.end + chunk.length <= this.store.length) {
      this.end += chunk.copy(this.store, this.end);
      return;
    }
    const live = this.length;
    const next = Buffer.allocUnsafeSlow(Math.max(4096, 2 * (live + chunk.length)));
    this.store.copy(next, 0, this.start, this.end);
    chunk.copy(next, live);
    this.store = next;
    this.start = 0;
    this.end = live + chunk.length;
    this.borrowed = false;
  }

  consume(bytes: number): void {
    this.start += bytes;
    if (this.start >= this.end) this.clear();
  }

  clear(): void {
    this.store = Buffer.alloc(0);
    this.start = 0;
    this.end = 0;
    this.borrowed = false;
  }
}
