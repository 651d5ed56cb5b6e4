import type { Message } from 'amqplib';
import { AckBatcher } from './amqp-ack.batcher';

const msg = (deliveryTag: number): Message => ({ fields: { deliveryTag } }) as Message;

function batcher(): { acks: AckBatcher; sent: [number, boolean][] } {
  const sent: [number, boolean][] = [];
  const acks = new AckBatcher({ ack: (m: Message, multiple?: boolean) => void sent.push([m.fields.deliveryTag, multiple === true]) });
  return { acks, sent };
}
const received = (acks: AckBatcher, ...tags: number[]): void => tags.forEach((t) => acks.received(msg(t)));
const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('AckBatcher', () => {
  it('acks the run from the oldest open delivery with one multiple ack, at the end of the turn', async () => {
    const { acks, sent } = batcher();
    received(acks, 1, 2, 3, 4);
    for (const t of [2, 1, 3]) acks.ack(msg(t));
    expect(sent).toEqual([]);
    await nextTurn();
    expect(sent).toEqual([[3, true]]);
  });

  it('acks one by one past a delivery still running, and the run covers them once it is done', async () => {
    const { acks, sent } = batcher();
    received(acks, 1, 2, 3, 4, 5);
    for (const t of [1, 2, 4]) acks.ack(msg(t));
    await nextTurn();
    expect(sent).toEqual([
      [2, true],
      [4, false],
    ]);
    acks.ack(msg(5));
    acks.ack(msg(3));
    acks.flush();
    expect(sent.slice(2)).toEqual([[5, true]]);
  });

  it('never covers a delivery left unsettled, and passes one nacked', () => {
    const { acks, sent } = batcher();
    received(acks, 1, 2, 3, 4, 5, 6);
    // 1 is left for the broker to requeue; 4 was nacked.
    acks.settledElsewhere(msg(4));
    for (const t of [2, 3]) acks.ack(msg(t));
    acks.flush();
    expect(sent).toEqual([
      [2, false],
      [3, false],
    ]);
    const { acks: other, sent: otherSent } = batcher();
    received(other, 1, 2, 3);
    other.settledElsewhere(msg(2));
    other.ack(msg(1));
    other.ack(msg(3));
    other.flush();
    expect(otherSent).toEqual([[3, true]]);
  });

  it('drops the acks of a closed channel instead of throwing (the broker requeues those deliveries)', () => {
    const acks = new AckBatcher({
      ack: () => {
        throw new Error('Channel closed');
      },
    });
    received(acks, 1, 2);
    acks.ack(msg(2));
    expect(() => acks.flush()).not.toThrow();
  });
});
