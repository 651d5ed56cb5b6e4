import { connect, type Channel, type ChannelModel } from 'amqplib';
import { AMQP_URL } from './amqp-admin';

/** What a raw declare got from the broker: declare-ok, or the reply code that closed the channel. */
export type DeclareOutcome = { name: string; ok: true } | { name: string; ok: false; code: number | undefined };

/** Kazoo's four exchanges and their types, written out as a Kazoo tool would, not taken from Legwork. */
export const KAZOO_EXCHANGES: ReadonlyArray<{ name: string; type: 'topic' | 'direct' }> = [
  { name: 'callmgr', type: 'topic' },
  { name: 'targeted', type: 'direct' },
  { name: 'callevt', type: 'topic' },
  { name: 'callctl', type: 'direct' },
];

/** kz_amqp_util:new_exchange/2's declare options (its defaults), again as a Kazoo tool states them. */
export const KAZOO_DECLARE = { durable: false, autoDelete: false, internal: false, arguments: {} };

/** One raw connection of an outside tool (Kazoo, or an earlier Legwork), each operation on its own channel. */
export class RawBroker {
  private constructor(private readonly model: ChannelModel) {}

  static async open(): Promise<RawBroker> {
    const model = await connect(AMQP_URL);
    model.on('error', () => undefined);
    return new RawBroker(model);
  }

  /** Runs `fn` on a fresh channel; a broker refusal is returned as its code, not thrown. */
  async attempt<R>(fn: (ch: Channel) => Promise<R>): Promise<{ ok: true; value: R } | { ok: false; code: number | undefined }> {
    const ch = await this.model.createChannel();
    ch.on('error', () => undefined);
    try {
      return { ok: true, value: await fn(ch) };
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      return { ok: false, code: typeof code === 'number' ? code : undefined };
    } finally {
      await ch.close().catch(() => undefined);
    }
  }

  /** Declares the four exchanges exactly as kz_amqp_util does (non-durable, not auto-delete, no arguments). */
  declareAsKazoo(namespace: string): Promise<DeclareOutcome[]> {
    return this.declareAll(namespace, KAZOO_DECLARE);
  }

  /** Declares them as Legwork did before it followed Kazoo: durable. */
  declareAsOldLegwork(namespace: string): Promise<DeclareOutcome[]> {
    return this.declareAll(namespace, { durable: true });
  }

  /** Consumes `queue` without acking until close(), as a node that is still running would. */
  async holdConsumer(queue: string): Promise<void> {
    const ch = await this.model.createChannel();
    ch.on('error', () => undefined);
    await ch.prefetch(1);
    await ch.consume(queue, () => undefined, { noAck: false });
  }

  async close(): Promise<void> {
    await this.model.close().catch(() => undefined);
  }

  private async declareAll(namespace: string, options: { durable: boolean; autoDelete?: boolean; internal?: boolean; arguments?: object }): Promise<DeclareOutcome[]> {
    const out: DeclareOutcome[] = [];
    for (const { name, type } of KAZOO_EXCHANGES) {
      const res = await this.attempt((ch) => ch.assertExchange(`${namespace}.${name}`, type, options));
      out.push(res.ok ? { name, ok: true } : { name, ok: false, code: res.code });
    }
    return out;
  }
}

/** The outcome a Kazoo tool needs: declare-ok for all four. */
export const ALL_DECLARE_OK: DeclareOutcome[] = KAZOO_EXCHANGES.map(({ name }) => ({ name, ok: true }));
