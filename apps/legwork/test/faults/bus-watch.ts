import { connect, type ChannelModel, type ConsumeMessage } from 'amqplib';
import type { Json } from '../kazoo-platform.fixture';

/**
 * Every `call.*.*` event of a namespace, read off a queue of our own; it reconnects by itself when the broker goes
 * away (what it missed meanwhile is not on the bus any more: cases that restart the broker read the event log too).
 */
export class BusWatch {
  readonly events: Json[] = [];
  private conn: ChannelModel | undefined;
  private closing = false;
  reconnects = 0;

  private constructor(
    private readonly url: string,
    private readonly ns: string,
  ) {}

  static async open(url: string, ns: string): Promise<BusWatch> {
    const watch = new BusWatch(url, ns);
    await watch.attach();
    return watch;
  }

  private async attach(): Promise<void> {
    const conn = await connect(this.url);
    this.conn = conn;
    conn.on('error', () => undefined);
    conn.once('close', () => void this.reattach());
    const ch = await conn.createChannel();
    const q = await ch.assertQueue('', { exclusive: true, autoDelete: true });
    await ch.bindQueue(q.queue, `${this.ns}.callevt`, 'call.*.*');
    await ch.consume(q.queue, (m: ConsumeMessage | null) => void (m && this.events.push(JSON.parse(m.content.toString()) as Json)), { noAck: true });
  }

  private async reattach(): Promise<void> {
    while (!this.closing) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      try {
        await this.attach();
        this.reconnects += 1;
        return;
      } catch {
        // broker still away
      }
    }
  }

  of(callId: string, name?: string): Json[] {
    return this.events.filter((e) => e['Call-ID'] === callId && (name === undefined || e['Event-Name'] === name));
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.conn?.close().catch(() => undefined);
  }
}
