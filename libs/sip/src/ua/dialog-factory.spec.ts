import type { SipProtocol, SipTransportLayer } from '../transport/transport.types';
import { contactFor } from './dialog-factory';

function listeningOn(host: string): SipTransportLayer {
  const ports: Record<SipProtocol, number> = { udp: 5060, tcp: 5060, tls: 5061, ws: 5066, wss: 5067 };
  return { sentBy: (protocol: SipProtocol) => ({ host, port: ports[protocol], protocol }) } as unknown as SipTransportLayer;
}

describe('contactFor', () => {
  it('names the transport of the flow: plain for UDP, ;transport= for TCP and WS, sips: for TLS and WSS', () => {
    const t = listeningOn('198.51.100.1');
    expect(contactFor(t, 'udp', 'legwork')).toBe('<sip:legwork@198.51.100.1:5060>');
    expect(contactFor(t, 'tcp', 'legwork')).toBe('<sip:legwork@198.51.100.1:5060;transport=tcp>');
    expect(contactFor(t, 'ws')).toBe('<sip:198.51.100.1:5066;transport=ws>');
    expect(contactFor(t, 'tls', 'legwork')).toBe('<sips:legwork@198.51.100.1:5061>');
    expect(contactFor(t, 'wss')).toBe('<sips:198.51.100.1:5067;transport=wss>');
  });

  it('brackets an IPv6 host', () => {
    expect(contactFor(listeningOn('2001:db8::1'), 'tcp')).toBe('<sip:[2001:db8::1]:5060;transport=tcp>');
  });
});
