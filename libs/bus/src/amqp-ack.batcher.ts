import type { Channel, Message } from 'amqplib';

/**
 * One channel's acks, sent once per turn of the event loop: the deliveries acked in that turn that form an unbroken
 * run from the oldest delivery not yet settled go as one `multiple` ack, the others one by one. A delivery still
 * running, or left for the broker to requeue, ends the run, so a multiple ack never covers it.
 */
export class AckBatcher {
  /** Delivery tags received and not yet known settled, oldest first (a channel numbers its deliveries in order). */
  private open: number[] = [];
  private head = 0;
  /** Acked, not yet sent. */
  private readonly due = new Set<number>();
  /** Settled ahead of the run (acked one by one, or nacked): skipped when the run reaches them. */
  private readonly settled = new Set<number>();
  private scheduled = false;

  constructor(private readonly ch: Pick<Channel, 'ack'>) {}

  received(msg: Message): void {
    this.open.push(msg.fields.deliveryTag);
  }

  /** Acks the delivery at the end of this turn, or at the next flush(). */
  ack(msg: Message): void {
    this.due.add(msg.fields.deliveryTag);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** The delivery was settled otherwise (nacked): a later multiple ack may pass it. */
  settledElsewhere(msg: Message): void {
    this.settled.add(msg.fields.deliveryTag);
  }

  /** Sends the acks due. On a channel already closed they are dropped: the broker requeues those deliveries itself. */
  flush(): void {
    this.scheduled = false;
    if (this.due.size === 0) return;
    let upTo = -1;
    for (; this.head < this.open.length; this.head++) {
      const tag = this.open[this.head] as number;
      if (this.due.delete(tag)) upTo = tag;
      else if (!this.settled.delete(tag)) break;
    }
    if (this.head >= 1024) {
      this.open = this.open.slice(this.head);
      this.head = 0;
    }
    const single = [...this.due];
    this.due.clear();
    for (const tag of single) this.settled.add(tag);
    if (upTo >= 0) this.send(upTo, true);
    for (const tag of single) this.send(tag, false);
  }

  private send(deliveryTag: number, multiple: boolean): void {
    try {
      this.ch.ack({ fields: { deliveryTag } } as Message, multiple);
    } catch {
      /* channel closed */
    }
  }
}
