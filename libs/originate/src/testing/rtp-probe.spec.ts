import { createSocket } from 'node:dgram';
import { mediaSummary } from '@legwork/sip';
import { RtpProbe, buildRtp, parseRtp } from './rtp-probe';

describe('RtpProbe', () => {
  const probes: RtpProbe[] = [];
  const probe = async (): Promise<RtpProbe> => {
    const p = await RtpProbe.create();
    probes.push(p);
    return p;
  };
  afterEach(async () => {
    await Promise.all(probes.splice(0).map((p) => p.close()));
  });

  it('describes itself in an SDP offer', async () => {
    const a = await probe();
    expect(mediaSummary(a.sdp())).toMatchObject({ address: '127.0.0.1', port: a.port, direction: 'sendrecv', codecs: [{ name: 'PCMU' }, { name: 'PCMA' }] });
    expect(mediaSummary(a.sdp({ direction: 'sendonly', codecs: ['PCMA'] }))).toMatchObject({ direction: 'sendonly', codecs: [{ name: 'PCMA', payload: 8 }] });
  });

  it('sends valid RTP with one SSRC and increasing seq/timestamp, recorded by the peer', async () => {
    const a = await probe();
    const b = await probe();
    await a.sendToSdp(b.sdp(), 5);
    await b.send({ address: a.address, port: a.port }, 3, { intervalMs: 0 });
    const atB = await b.waitFor(5, { ssrc: a.ssrc });
    const atA = await a.waitFor(3, { ssrc: b.ssrc });
    expect(atB.map((p) => (p.seq - atB[0].seq) & 0xffff)).toEqual([0, 1, 2, 3, 4]);
    expect(atB.map((p) => (p.timestamp - atB[0].timestamp) >>> 0)).toEqual([0, 160, 320, 480, 640]);
    expect(atB.map((p) => p.marker)).toEqual([true, false, false, false, false]);
    expect(atB[0]).toMatchObject({ payloadType: 0, payloadSize: 160, from: { address: '127.0.0.1', port: a.port } });
    expect(atA).toHaveLength(3);
  });

  it('ignores RTCP and non-RTP datagrams', async () => {
    const a = await probe();
    const raw = createSocket('udp4');
    const send = (buf: Buffer): Promise<void> => new Promise((r) => raw.send(buf, a.port, '127.0.0.1', () => r()));
    await send(Buffer.from('hello, not rtp'));
    await send(Buffer.from([0x80, 200, 0, 6, 0, 0, 0, 1, 0, 0, 0, 0]));
    await send(buildRtp({ ssrc: 7, seq: 1, timestamp: 0, payloadType: 8, payload: Buffer.alloc(10) }));
    const got = await a.waitFor(1);
    expect(got).toEqual([expect.objectContaining({ ssrc: 7, payloadType: 8, payloadSize: 10 })]);
    raw.close();
  });

  it('reports a shortfall when packets do not arrive in time', async () => {
    const a = await probe();
    await expect(a.waitFor(2, { timeoutMs: 50 })).rejects.toThrow(/got 0 of 2/);
  });

  it('parses CSRCs and header extensions', () => {
    const base = buildRtp({ ssrc: 9, seq: 65535, timestamp: 2 ** 32 - 1, payloadType: 0, payload: Buffer.alloc(4) });
    const withExt = Buffer.concat([base.subarray(0, 12), Buffer.from([0, 0, 0, 5]), Buffer.from([0xbe, 0xde, 0, 1, 1, 2, 3, 4]), Buffer.alloc(4)]);
    withExt[0] = 0x80 | 0x10 | 1;
    const from = { address: '127.0.0.1', port: 1 };
    expect(parseRtp(withExt, from)).toMatchObject({ ssrc: 9, seq: 65535, timestamp: 2 ** 32 - 1, payloadSize: 4 });
    expect(parseRtp(withExt.subarray(0, 18), from)).toBeUndefined();
  });

  it('refuses an SDP without an active audio destination', () => {
    expect(() => RtpProbe.destinationOf('v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 0 RTP/AVP 0\r\n')).toThrow(/no active audio/);
  });
});
