import { connect } from 'node:net';
import { RFC4475_VALID } from '../corpus/rfc4475-valid.corpus';
import { parseSipMessage } from '../message/sip-parser';
import type { SipResponse } from '../message/sip-message';
import { SipStreamFramer } from '../message/sip-stream-framer';
import { SipStack } from '../ua/sip-stack';
import type { TransportLayer } from './transport-layer';
import { LOCAL, portOf, startLayer } from './transport.test-helpers';

/** Sends one message on a fresh connection and resolves with the first response that comes back on it. */
function exchange(port: number, wire: Buffer): Promise<SipResponse> {
  return new Promise((resolve, reject) => {
    const framer = new SipStreamFramer();
    const socket = connect(port, LOCAL, () => socket.write(wire));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no response on the connection'));
    }, 5_000);
    socket.once('error', reject);
    socket.on('data', (chunk: Buffer) => {
      const response = framer.push(chunk).find((f) => f.type === 'message' && f.message.kind === 'response');
      if (response?.type !== 'message' || response.message.kind !== 'response') return;
      clearTimeout(timer);
      socket.destroy();
      resolve(response.message);
    });
  });
}

/** The torture requests of RFC 4475 §3.1.1 reach the UA core over TCP and each gets its answer, never a 400. */
describe('RFC 4475 §3.1.1 requests over TCP are answered by the UA core', () => {
  let layer: TransportLayer;
  let stack: SipStack;

  beforeAll(async () => {
    layer = await startLayer(['tcp']);
    stack = new SipStack({ transport: layer });
  });

  afterAll(async () => {
    await stack.close();
    await layer.close();
  });

  const requests = RFC4475_VALID.filter((c) => !c.wire.subarray(0, 4).equals(Buffer.from('SIP/')));

  it.each(requests.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const parsed = parseSipMessage(c.wire);
    if (!parsed.ok) throw parsed.error;
    const answer = await exchange(portOf(layer, 'tcp'), c.wire);
    expect(answer.callId).toBe(parsed.value.callId);
    expect(answer.status).not.toBe(400);
  });
});
