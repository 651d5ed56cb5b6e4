import { randomBytes } from 'node:crypto';
import { connect, type ChannelModel } from 'amqplib';
import { corkFrameWrites } from './amqp-frame.cork';
import { AMQP_URL } from './testing/amqp-admin';

interface SocketLike {
  _write: (...args: unknown[]) => void;
  _writev?: (...args: unknown[]) => void;
}

describe('corked amqp frame writes', () => {
  let model: ChannelModel;

  beforeEach(async () => {
    model = await connect(AMQP_URL);
  });

  afterEach(async () => {
    await model.close().catch(() => undefined);
  });

  it('sends the publishes of one turn in fewer socket writes than frames, and every one arrives in order', async () => {
    expect(corkFrameWrites(model)).toBe(true);
    const socket = (model as unknown as { connection: { stream: SocketLike } }).connection.stream;
    let writes = 0;
    const write = socket._write.bind(socket);
    socket._write = (...args: unknown[]) => void ((writes += 1), write(...args));
    const writev = socket._writev?.bind(socket);
    if (writev) socket._writev = (...args: unknown[]) => void ((writes += 1), writev(...args));

    const ch = await model.createConfirmChannel();
    const queue = `cork-${randomBytes(4).toString('hex')}`;
    await ch.assertQueue(queue, { exclusive: true });
    writes = 0;
    const count = 50;
    for (let n = 0; n < count; n++) ch.sendToQueue(queue, Buffer.from(JSON.stringify({ n })));
    await ch.waitForConfirms();
    expect(writes).toBeGreaterThan(0);
    expect(writes).toBeLessThan(count);

    const got: number[] = [];
    for (let m = await ch.get(queue, { noAck: true }); m !== false; m = await ch.get(queue, { noAck: true })) got.push((JSON.parse(m.content.toString()) as { n: number }).n);
    expect(got).toEqual(Array.from({ length: count }, (_, n) => n));
  });

  it('leaves a connection without amqplib\'s muxer alone', () => {
    expect(corkFrameWrites({ connection: {} } as unknown as ChannelModel)).toBe(false);
  });
});
