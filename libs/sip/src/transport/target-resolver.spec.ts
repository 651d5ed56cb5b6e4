import { createRequest } from '../message/sip-builders';
import type { SipRequest } from '../message/sip-message';
import { SipVia } from '../message/sip-via';
import { SipParams } from '../message/sip-params';
import { resolveRequestTarget, responseDestination } from './target-resolver';
import type { SipSource } from './transport.types';

function request(uri: string, routes: string[] = []): SipRequest {
  return createRequest({ method: 'INVITE', uri, from: '<sip:a@example.com>;tag=1', to: `<${uri}>`, callId: 'c', cseq: 1, headers: routes.map((r) => ['Route', r] as [string, string]) });
}

describe('resolveRequestTarget', () => {
  it.each([
    ['sip:bob@192.0.2.1', { protocol: 'udp', host: '192.0.2.1', port: 5060 }],
    ['sip:bob@192.0.2.1:5080;transport=TCP', { protocol: 'tcp', host: '192.0.2.1', port: 5080 }],
    ['sips:bob@192.0.2.1', { protocol: 'tls', host: '192.0.2.1', port: 5061 }],
    ['sips:bob@192.0.2.1;transport=tcp', { protocol: 'tls', host: '192.0.2.1', port: 5061 }],
    ['sip:bob@192.0.2.1;transport=ws', { protocol: 'ws', host: '192.0.2.1', port: 5060 }],
    ['sip:bob@192.0.2.1;transport=wss', { protocol: 'wss', host: '192.0.2.1', port: 5061 }],
    ['sip:bob@[2001:db8::1]:5070', { protocol: 'udp', host: '2001:db8::1', port: 5070 }],
    ['sip:bob@example.com;maddr=192.0.2.9', { protocol: 'udp', host: '192.0.2.9', port: 5060 }],
    ['sip:bob@localhost:5099', { protocol: 'udp', host: '127.0.0.1', port: 5099 }],
  ])('%s → %j', async (uri, expected) => {
    await expect(resolveRequestTarget(request(uri))).resolves.toEqual(expected);
  });

  it('follows a loose-routing top Route and ignores a strict one', async () => {
    await expect(resolveRequestTarget(request('sip:bob@192.0.2.1', ['<sip:192.0.2.50:5070;lr;transport=tcp>', '<sip:192.0.2.60;lr>']))).resolves.toEqual({ protocol: 'tcp', host: '192.0.2.50', port: 5070 });
    await expect(resolveRequestTarget(request('sip:192.0.2.70', ['<sip:bob@192.0.2.1>']))).resolves.toEqual({ protocol: 'udp', host: '192.0.2.70', port: 5060 });
  });

  it('lets the outbound proxy win over Route and Request-URI', async () => {
    await expect(resolveRequestTarget(request('sip:bob@192.0.2.1', ['<sip:192.0.2.50;lr>']), '<sip:192.0.2.99:5090;transport=tcp>')).resolves.toEqual({ protocol: 'tcp', host: '192.0.2.99', port: 5090 });
  });

  it('fails with typed errors for tel: URIs, unknown transports and unknown hosts', async () => {
    await expect(resolveRequestTarget(request('tel:+15551234567'))).rejects.toMatchObject({ code: 'unresolvable' });
    await expect(resolveRequestTarget(request('sip:bob@192.0.2.1;transport=sctp'))).rejects.toMatchObject({ code: 'unsupported_protocol' });
    await expect(resolveRequestTarget(request('sip:bob@no-such-host.invalid'))).rejects.toMatchObject({ code: 'unresolvable' });
    await expect(resolveRequestTarget(request('sip:bob@192.0.2.1'), 'not a uri')).rejects.toMatchObject({ code: 'unresolvable' });
  });
});

describe('responseDestination', () => {
  const udp: SipSource = { protocol: 'udp', remoteAddress: '203.0.113.5', remotePort: 40000, localAddress: '127.0.0.1', localPort: 5060 };

  it('UDP: received and rport win over the sent-by', () => {
    const via = new SipVia('UDP', 'phone.example.com', 5062, SipParams.of({ branch: 'z9hG4bK1', received: '203.0.113.5', rport: '40000' }));
    expect(responseDestination(via, udp)).toEqual({ protocol: 'udp', host: '203.0.113.5', port: 40000 });
  });

  it('UDP: sent-by port (or 5060) without rport', () => {
    expect(responseDestination(new SipVia('UDP', '198.51.100.2', 5062, SipParams.of({ received: '203.0.113.5' })), udp)).toEqual({ protocol: 'udp', host: '203.0.113.5', port: 5062 });
    expect(responseDestination(new SipVia('UDP', '198.51.100.2'), udp)).toEqual({ protocol: 'udp', host: '198.51.100.2', port: 5060 });
  });

  it('streams: received host with the sent-by port, 5061 by default for TLS', () => {
    const tls: SipSource = { ...udp, protocol: 'tls', flowId: 'f' };
    expect(responseDestination(new SipVia('TLS', 'client.example.com', undefined, SipParams.of({ received: '203.0.113.5', rport: '40000' })), tls)).toEqual({ protocol: 'tls', host: '203.0.113.5', port: 5061 });
  });

  it('falls back to the packet source without a Via', () => {
    expect(responseDestination(undefined, udp)).toEqual({ protocol: 'udp', host: '203.0.113.5', port: 40000 });
  });
});
