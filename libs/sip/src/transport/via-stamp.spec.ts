import { parseSipMessage } from '../message/sip-parser';
import type { SipRequest } from '../message/sip-message';
import { serializeMessage } from '../message/sip-serializer';
import type { SipSource } from './transport.types';
import { stampVia } from './via-stamp';

const source: SipSource = { protocol: 'udp', remoteAddress: '203.0.113.9', remotePort: 41000, localAddress: '127.0.0.1', localPort: 5060 };

function request(via: string): SipRequest {
  const parsed = parseSipMessage(['OPTIONS sip:a@example.com SIP/2.0', `Via: ${via}`, 'From: <sip:b@example.com>;tag=1', 'To: <sip:a@example.com>', 'Call-ID: v1', 'CSeq: 1 OPTIONS', 'Content-Length: 0', '', ''].join('\r\n'));
  if (!parsed.ok || parsed.value.kind !== 'request') throw new Error('fixture must parse');
  return parsed.value;
}

describe('stampVia', () => {
  it('adds received when the sent-by differs from the source', () => {
    const req = request('SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK1');
    stampVia(req, source);
    expect(req.via?.received).toBe('203.0.113.9');
    expect(req.via?.rport).toBeUndefined();
  });

  it('leaves the Via alone when the sent-by is the source and no rport is asked', () => {
    const req = request('SIP/2.0/UDP 203.0.113.9:5060;branch=z9hG4bK1');
    stampVia(req, source);
    expect(req.headers.get('via')).toBe('SIP/2.0/UDP 203.0.113.9:5060;branch=z9hG4bK1');
  });

  it('fills rport and received (RFC 3581) in the first item of a comma list only', () => {
    const req = request('SIP/2.0/UDP 203.0.113.9:5060;branch=z9hG4bK1;rport, SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK0;rport');
    stampVia(req, source);
    const vias = req.getVias();
    if (!vias.ok) throw vias.error;
    expect(vias.value[0].rport).toBe(41000);
    expect(vias.value[0].received).toBe('203.0.113.9');
    expect(vias.value[1].rport).toBe(true);
    expect(serializeMessage(req).toString()).toContain('branch=z9hG4bK1;rport=41000;received=203.0.113.9, SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK0;rport');
  });

  it('treats a bracketed IPv6 sent-by as equal to the socket address', () => {
    const req = request('SIP/2.0/UDP [2001:db8::5]:5060;branch=z9hG4bK1');
    stampVia(req, { ...source, remoteAddress: '2001:db8::5' });
    expect(req.via?.received).toBeUndefined();
  });
});

describe('stampVia on hostile input', () => {
  it('leaves the message untouched when a later hop of the Via line is unreadable', () => {
    const req = request('SIP/2.0/UDP 10.0.0.5;branch=z9hG4bK1;rport, SIP/2.0/UDP x;p="open');
    expect(stampVia(req, source)).toBe(false);
    expect(req.headers.get('via')).toBe('SIP/2.0/UDP 10.0.0.5;branch=z9hG4bK1;rport, SIP/2.0/UDP x;p="open');
  });
});
