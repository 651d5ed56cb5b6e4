import { createTransportLayer } from '../src/transport/transport-layer';
import type { SipTransportLayer } from '../src/transport/transport.types';
import { SipStack } from '../src/ua/sip-stack';
import { join } from 'node:path';
import { SCENARIOS, SDP, delay, killAllSipp, startSipp } from './sipp.test-helpers';

jest.setTimeout(120_000);

describe('sipp interop', () => {
  let transport: SipTransportLayer;
  let stack: SipStack;

  beforeEach(async () => {
    transport = await createTransportLayer({ udp: { host: '127.0.0.1', port: 0 }, tcp: { host: '127.0.0.1', port: 0 } });
    stack = new SipStack({ transport, timers: { T1: 100 }, userAgent: 'legwork-test' });
  });

  afterEach(async () => {
    killAllSipp();
    await stack.close();
    await transport.close();
  });

  function portOf(protocol: 'udp' | 'tcp'): number {
    const entry = transport.listening().find((l) => l.protocol === protocol);
    if (entry === undefined) throw new Error(`no ${protocol} listener`);
    return entry.port;
  }

  function answerEverything(): { answered: number; acked: number } {
    const counts = { answered: 0, acked: 0 };
    stack.onRequest('INVITE', (inv) => {
      counts.answered++;
      inv.accept({ body: SDP }).then(
        () => counts.acked++,
        () => undefined,
      );
    });
    return counts;
  }

  it.each([
    ['UDP', 'udp', 'u1'],
    ['TCP', 'tcp', 't1'],
  ] as const)('answers 200 calls from sipp uac over %s (rate 50/s), all completed', async (_name, protocol, mode) => {
    const counts = answerEverything();
    const sipp = await startSipp(['-sn', 'uac', `127.0.0.1:${portOf(protocol)}`, '-t', mode, '-m', '200', '-r', '50', '-d', '0']);
    const { code, output } = await sipp.exited;
    if (code !== 0) throw new Error(`sipp exited ${code}:\n${output.slice(-3000)}`);
    expect(code).toBe(0);
    expect(counts.answered).toBe(200);
    expect(counts.acked).toBe(200);
    expect(stack.stats().dialogs).toBe(0);
  });

  it('places 100 calls to sipp uas losing 10% of packets; retransmissions complete every call', async () => {
    const sipp = await startSipp(['-sf', join(SCENARIOS, 'uas-lossy.xml'), '-t', 'u1', '-lost', '10']);
    const port = sipp.port;
    await delay(300);
    const call = async (i: number): Promise<number> => {
      const outgoing = stack.invite({ uri: `sip:service@127.0.0.1:${port}`, from: `<sip:caller${i}@127.0.0.1>`, to: `<sip:service@127.0.0.1:${port}>`, body: SDP, target: { protocol: 'udp', host: '127.0.0.1', port } });
      const outcome = await outgoing.final;
      if (outcome.kind !== 'accepted') throw new Error(`call ${i} ${outgoing.callId}: ${outcome.kind} ${outcome.kind === 'failed' ? outcome.error.message : ''}`);
      // let sipp's 200 retransmissions meet our ACKs before hanging up
      await delay(1500);
      return (await outcome.dialog.bye()).status;
    };
    const calls: Array<Promise<number>> = [];
    for (let i = 0; i < 100; i++) {
      calls.push(call(i));
      await delay(40);
    }
    const statuses = await Promise.all(calls);
    expect(statuses).toEqual(Array.from({ length: 100 }, () => 200));
  });
});
