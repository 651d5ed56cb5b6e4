import { randomBytes } from 'node:crypto';
import { type Socket, createSocket } from 'node:dgram';
import { RtpProbe } from '../../testing/rtp-probe';
import { bdecode } from './bencode.codec';
import { createRtpengineClient } from './rtpengine-client';
import { RtpengineError } from './rtpengine.errors';
import type { RtpengineClient } from './rtpengine.types';
import { testRtpengineAddress } from './rtpengine-test.env';

const callId = (): string => `spec-${randomBytes(8).toString('hex')}`;

async function blackHole(): Promise<{ socket: Socket; port: number; got: Buffer[] }> {
  const socket = createSocket('udp4');
  const got: Buffer[] = [];
  socket.on('message', (m) => got.push(m));
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  return { socket, port: socket.address().port, got };
}

describe('RtpengineClient against the real daemon', () => {
  let client: RtpengineClient;
  const probes: RtpProbe[] = [];
  const probe = async (): Promise<RtpProbe> => {
    const p = await RtpProbe.create();
    probes.push(p);
    return p;
  };

  beforeAll(() => {
    client = createRtpengineClient({ ...testRtpengineAddress(), timeoutMs: 1000, retries: 2 });
  });
  afterEach(async () => {
    await Promise.all(probes.splice(0).map((p) => p.close()));
  });
  afterAll(() => client.close());

  it('pings', async () => {
    await expect(client.ping()).resolves.toBeUndefined();
  });

  it('anchors a call: offer/answer rewrite SDP to rtpengine ports and RTP flows both ways through them', async () => {
    const a = await probe();
    const b = await probe();
    const id = callId();
    const forB = await client.offer({ callId: id, fromTag: 'ta', sdp: a.sdp(), ice: 'remove' });
    const forA = await client.answer({ callId: id, fromTag: 'ta', toTag: 'tb', sdp: b.sdp(), ice: 'remove' });
    const toB = RtpProbe.destinationOf(forB.sdp);
    const toA = RtpProbe.destinationOf(forA.sdp);
    expect([toA.port, toB.port]).not.toContain(a.port);
    expect([toA.port, toB.port]).not.toContain(b.port);
    expect(toA.port).not.toBe(toB.port);

    // A sends where the answer told it to; it must arrive at B (and vice versa), relayed by rtpengine
    await a.send(toA, 10);
    const atB = await b.waitFor(10, { ssrc: a.ssrc });
    expect(atB.map((p) => p.seq)).toEqual([...atB.map((p) => p.seq)].sort((x, y) => ((x - atB[0].seq) & 0xffff) - ((y - atB[0].seq) & 0xffff)));
    expect(atB.every((p) => p.from.port === toB.port)).toBe(true);
    await b.send(toB, 10);
    const atA = await a.waitFor(10, { ssrc: b.ssrc });
    expect(atA.every((p) => p.from.port === toA.port && p.payloadType === 0)).toBe(true);

    const info = await client.query(id);
    expect(typeof info.tags).toBe('object');

    await client.delete({ callId: id });
    await expect(client.query(id)).rejects.toMatchObject({ code: 'rtpengine_error' });
    b.clear();
    await a.send(toA, 5);
    await expect(b.waitFor(1, { timeoutMs: 300 })).rejects.toThrow(/got 0 of 1/);
  });

  it('maps result=error to rtpengine_error with the daemon reason', async () => {
    const err = await client.answer({ callId: callId(), fromTag: 'x', toTag: 'y', sdp: (await probe()).sdp() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RtpengineError);
    expect(err).toMatchObject({ code: 'rtpengine_error', details: { reason: 'Unknown call-id', command: 'answer' } });
  });

  it('passes raw commands through (query of an unknown call is an error)', async () => {
    await expect(client.command('query', { 'call-id': callId() })).rejects.toMatchObject({ code: 'rtpengine_error' });
  });
});

describe('RtpengineClient without a daemon', () => {
  it('fails with rtpengine_unavailable after retransmitting the same cookie', async () => {
    const hole = await blackHole();
    const client = createRtpengineClient({ host: '127.0.0.1', port: hole.port, timeoutMs: 100, retries: 2 });
    try {
      await expect(client.ping()).rejects.toMatchObject({ code: 'rtpengine_unavailable' });
      expect(hole.got).toHaveLength(3);
      const cookies = hole.got.map((m) => m.toString('latin1').split(' ')[0]);
      expect(new Set(cookies).size).toBe(1);
      expect(bdecode(hole.got[0].subarray(cookies[0].length + 1))).toEqual({ command: 'ping' });
    } finally {
      await client.close();
      hole.socket.close();
    }
  });

  it('fails with rtpengine_unavailable when nothing listens on the port', async () => {
    const hole = await blackHole();
    const port = hole.port;
    await new Promise<void>((r) => hole.socket.close(() => r()));
    const client = createRtpengineClient({ host: '127.0.0.1', port, timeoutMs: 50, retries: 1 });
    await expect(client.offer({ callId: callId(), fromTag: 'a', sdp: 'v=0\r\n' })).rejects.toMatchObject({ code: 'rtpengine_unavailable' });
    await client.close();
  });

  it('bounds requests in flight and rejects pending ones on close', async () => {
    const hole = await blackHole();
    const client = createRtpengineClient({ host: '127.0.0.1', port: hole.port, timeoutMs: 5000, retries: 0, maxPending: 1 });
    const first = client.ping();
    await expect(client.ping()).rejects.toMatchObject({ code: 'rtpengine_unavailable', message: expect.stringMatching(/in flight/) });
    await client.close();
    await expect(first).rejects.toMatchObject({ code: 'rtpengine_unavailable', message: expect.stringMatching(/closed/) });
    await expect(client.ping()).rejects.toMatchObject({ code: 'rtpengine_unavailable' });
    hole.socket.close();
  });

  it('answers a late or garbled reply safely', async () => {
    const hole = await blackHole();
    const client = createRtpengineClient({ host: '127.0.0.1', port: hole.port, timeoutMs: 2000, retries: 0 });
    hole.socket.on('message', (m, rinfo) => {
      const cookie = m.toString('latin1').split(' ')[0];
      hole.socket.send(Buffer.from(`${cookie} d6:result`), rinfo.port, rinfo.address);
      hole.socket.send(Buffer.from(`${cookie} l4:ponge`), rinfo.port, rinfo.address);
    });
    await expect(client.ping()).rejects.toMatchObject({ code: 'rtpengine_bad_reply' });
    await client.close();
    hole.socket.close();
  });

  it('rejects invalid options with rtpengine_config', () => {
    expect(() => createRtpengineClient({ host: '127.0.0.1', port: 70000 })).toThrow(expect.objectContaining({ code: 'rtpengine_config' }));
  });
});
