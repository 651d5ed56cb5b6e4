import { PassThrough } from 'node:stream';
import { WriteBatcher } from './write-batcher';

describe('WriteBatcher', () => {
  it('writes what a socket got in one event-loop turn in one batch, after the turn', async () => {
    const socket = new PassThrough();
    const batches: number[] = [];
    // _writev is what a corked stream calls with everything written meanwhile.
    socket._writev = (chunks, cb) => {
      batches.push(chunks.length);
      cb();
    };
    const batcher = new WriteBatcher();
    for (const frame of ['a', 'b', 'c']) {
      batcher.hold(socket);
      socket.write(frame);
    }
    expect(batches).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([3]);
    batcher.hold(socket);
    socket.write('d');
    socket.write('e');
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([3, 2]);
  });
});
