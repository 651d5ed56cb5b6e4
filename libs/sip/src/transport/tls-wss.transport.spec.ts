import { createResponse } from '../message/sip-builders';
import type { SipResponse } from '../message/sip-message';
import type { TransportLayer } from './transport-layer';
import { makeTestCert, nextMessage, optionsRequest, portOf, startLayer, type TestCert } from './transport.test-helpers';
import type { SipProtocol } from './transport.types';

describe('TLS and WSS transports (self-signed certificate)', () => {
  let pem: TestCert;
  let server: TransportLayer;
  let client: TransportLayer;

  beforeAll(async () => {
    pem = makeTestCert();
    server = await startLayer(['tls', 'wss'], {}, pem);
    client = await startLayer(['tls', 'wss'], {}, pem);
  }, 30_000);

  afterAll(async () => {
    await Promise.all([server?.close(), client?.close()]);
  });

  it.each<SipProtocol>(['tls', 'wss'])('round-trips a request and its response over %s', async (protocol) => {
    const request = optionsRequest({ protocol, targetPort: portOf(server, protocol), viaPort: portOf(client, protocol) });
    const arrived = nextMessage(server, (m) => m.message.callId === request.callId);
    const target = await client.resolve(request);
    expect(target).toEqual({ protocol, host: '127.0.0.1', port: portOf(server, protocol) });
    await client.send(request, target);
    const inbound = await arrived;
    expect(inbound.source.protocol).toBe(protocol);
    if (inbound.message.kind !== 'request') throw new Error('expected a request');
    const answered = nextMessage(client, (m) => m.message.callId === request.callId);
    await server.sendResponse(createResponse(inbound.message, 200), inbound.source);
    expect(((await answered).message as SipResponse).status).toBe(200);
    expect(client.isReliable(protocol)).toBe(true);
  });

  it('fails to connect when the peer certificate is not trusted', async () => {
    const untrusting = await startLayer(['tls'], {}, { ...pem });
    try {
      const other = makeTestCert();
      const stranger = await startLayer(['tls'], {}, other);
      try {
        const request = optionsRequest({ protocol: 'tls', targetPort: portOf(stranger, 'tls') });
        await expect(untrusting.send(request, { protocol: 'tls', host: '127.0.0.1', port: portOf(stranger, 'tls') })).rejects.toMatchObject({ code: 'connect_failed' });
      } finally {
        await stranger.close();
      }
    } finally {
      await untrusting.close();
    }
  }, 30_000);
});
