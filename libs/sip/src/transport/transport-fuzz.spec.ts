import { waitFor } from '@legwork/common/testing';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { WebSocket } from 'ws';
import { MALFORMED } from '../corpus/malformed-messages.corpus';
import { RFC4475_BADVERS, RFC4475_VALID } from '../corpus/rfc4475-valid.corpus';
import { randomValidMessage } from '../corpus/random-messages';
import { seededRandom } from '../corpus/seeded-random';
import { VALID } from '../corpus/valid-messages.corpus';
import { serializeMessage } from '../message/sip-serializer';
import type { TransportLayer } from './transport-layer';
import { LOCAL, mutateBytes, nextMessage, optionsRequest, portOf, startLayer } from './transport.test-helpers';
import type { SipProtocol } from './transport.types';

const COUNT = 10_000;
const SEEDS = [...VALID.map((c) => Buffer.from(c.wire)), ...MALFORMED.map((c) => Buffer.from(c.wire)), ...RFC4475_VALID.map((c) => c.wire), RFC4475_BADVERS.wire];

/** A quarter random bytes, a quarter valid generated messages, half mutations of corpus or generated ones. */
function fuzzInput(random: () => number): Buffer {
  const kind = Math.floor(random() * 4);
  if (kind === 0) return Buffer.from(Array.from({ length: 1 + Math.floor(random() * 300) }, () => Math.floor(random() * 256)));
  if (kind === 1) return Buffer.from(randomValidMessage(random));
  const base = random() < 0.5 ? SEEDS[Math.floor(random() * SEEDS.length)] : Buffer.from(randomValidMessage(random));
  return mutateBytes(random, base);
}

describe(`${COUNT.toLocaleString('en')} random and mutated messages thrown at each transport`, () => {
  let target: TransportLayer;
  let heapBefore = 0;

  beforeAll(async () => {
    target = await startLayer(['udp', 'tcp', 'ws']);
    target.onMessage(() => undefined);
    heapBefore = process.memoryUsage().heapUsed;
  });

  afterAll(async () => {
    await target.close();
  });

  /** A fresh layer sends a valid OPTIONS (resent over UDP, which may drop under a burst) and sees it arrive. */
  async function stillServes(protocol: SipProtocol): Promise<void> {
    const sender = await startLayer([protocol]);
    try {
      const request = optionsRequest({ protocol, targetPort: portOf(target, protocol) });
      const arrived = nextMessage(target, (m) => m.message.callId === request.callId, 15_000);
      const send = (): Promise<void> => sender.send(request, { protocol, host: LOCAL, port: portOf(target, protocol) });
      await send();
      const resend = protocol === 'udp' ? setInterval(() => void send().catch(() => undefined), 250) : undefined;
      try {
        expect((await arrived).message.kind).toBe('request');
      } finally {
        clearInterval(resend);
      }
    } finally {
      await sender.close();
    }
  }

  it('UDP: survives every datagram and still serves', async () => {
    const random = seededRandom(0x5151);
    const socket = createSocket('udp4');
    socket.on('message', () => undefined);
    await new Promise<void>((resolve) => socket.bind(0, LOCAL, () => resolve()));
    const port = portOf(target, 'udp');
    for (let i = 0; i < COUNT; i += 100) {
      // batches keep the loopback queue from overflowing too much; drops are allowed over UDP anyway
      await Promise.all(Array.from({ length: 100 }, () => new Promise<void>((resolve) => socket.send(fuzzInput(random), port, LOCAL, () => resolve()))));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await stillServes('udp');
    socket.close();
    const { received, rejected, dropped, keepalives } = target.stats();
    expect(received + rejected + dropped + keepalives).toBeGreaterThan(COUNT / 2);
    expect(rejected).toBeGreaterThan(0);
  }, 60_000);

  it('TCP: survives every stream (framing errors close only that connection) and still serves', async () => {
    const random = seededRandom(0x7c7c);
    const port = portOf(target, 'tcp');
    for (let conn = 0; conn < COUNT / 100; conn++) {
      const chunk = Buffer.concat(Array.from({ length: 100 }, () => fuzzInput(random)));
      await new Promise<void>((resolve) => {
        const socket = connect(port, LOCAL, () => socket.end(chunk));
        socket.on('data', () => undefined);
        socket.on('error', () => undefined);
        socket.on('close', () => resolve());
      });
    }
    await stillServes('tcp');
    expect(target.stats().framingErrors).toBeGreaterThan(0);
    await waitFor(() => target.flowCount() === 0, { timeoutMs: 10_000 });
  }, 60_000);

  it('WS: survives every message and still serves on the same connections', async () => {
    const random = seededRandom(0x3e3e);
    const url = `ws://${LOCAL}:${portOf(target, 'ws')}/`;
    for (let conn = 0; conn < 10; conn++) {
      const ws = new WebSocket(url, 'sip');
      ws.on('message', () => undefined);
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });
      for (let i = 0; i < COUNT / 10; i++) ws.send(fuzzInput(random));
      // messages on one WebSocket are handled in order: a valid OPTIONS last proves the rest were consumed
      const probe = optionsRequest({ protocol: 'ws', targetPort: portOf(target, 'ws') });
      const arrived = nextMessage(target, (m) => m.message.callId === probe.callId, 15_000);
      ws.send(serializeMessage(probe));
      await arrived;
      const closed = new Promise((resolve) => ws.once('close', resolve));
      ws.close();
      await closed;
    }
    await stillServes('ws');
    await waitFor(() => target.flowCount() === 0, { timeoutMs: 10_000 });
  }, 60_000);

  it('keeps the heap bounded once the clients are gone', () => {
    expect(target.flowCount()).toBe(0);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(50 * 1024 * 1024);
  });
});
