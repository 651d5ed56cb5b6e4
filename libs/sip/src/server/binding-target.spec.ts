import type { Contact } from '@legwork/call-state';
import { parseHostPort, requestUriForBinding, targetForBinding } from './binding-target';

const base: Contact = { uri: 'sip:alice@192.0.2.10:5070', expiresAt: 1, nodeId: 'n1', transport: 'udp', source: '198.51.100.7:40123' };
const here = { nodeId: 'n1', holds: (flowId: string) => flowId === 'flow-1' };

describe('targetForBinding', () => {
  it('reaches a UDP binding at the address it registered from (NAT), not its Contact', () => {
    expect(targetForBinding(base, here)).toEqual({ protocol: 'udp', host: '198.51.100.7', port: 40123 });
  });

  it('uses the flow of a stream binding when this node holds it', () => {
    const ws: Contact = { ...base, transport: 'ws', flowToken: 'flow-1', uri: 'sip:x@df7jal23ls0d.invalid;transport=ws' };
    expect(targetForBinding(ws, here)).toEqual({ protocol: 'ws', host: '198.51.100.7', port: 40123, flowId: 'flow-1' });
  });

  it('cannot reach a WebSocket binding whose flow is elsewhere or gone', () => {
    const ws: Contact = { ...base, transport: 'ws', flowToken: 'flow-1', uri: 'sip:x@df7jal23ls0d.invalid;transport=ws' };
    expect(targetForBinding({ ...ws, nodeId: 'n2' }, here)).toBeUndefined();
    expect(targetForBinding({ ...ws, flowToken: 'flow-9' }, here)).toBeUndefined();
  });

  it('reaches a plain TCP binding whose flow is gone at its source address, never at its Contact; an outbound (reg-id) one not at all', () => {
    const tcp: Contact = { ...base, transport: 'tcp', flowToken: 'flow-9', uri: 'sip:alice@192.0.2.10:5070;transport=tcp' };
    expect(targetForBinding(tcp, here)).toEqual({ protocol: 'tcp', host: '198.51.100.7', port: 40123 });
    expect(targetForBinding({ ...tcp, instanceId: '<urn:uuid:1>', regId: 1 }, here)).toBeUndefined();
  });

  it("leaves a stream binding on another node's flow to that node", () => {
    const tcp: Contact = { ...base, transport: 'tcp', flowToken: 'flow-1', nodeId: 'n2', uri: 'sip:alice@192.0.2.10:5070;transport=tcp' };
    expect(targetForBinding(tcp, here)).toBeUndefined();
  });

  it('cannot reach a binding without a stored source: its Contact host is never used', () => {
    expect(targetForBinding({ ...base, source: undefined }, here)).toBeUndefined();
    expect(targetForBinding({ ...base, transport: 'tcp', source: undefined }, here)).toBeUndefined();
  });
});

describe('requestUriForBinding', () => {
  it('drops URI headers and the parameters that redirect (maddr, ttl, method), keeps the rest', () => {
    expect(requestUriForBinding('sip:alice@192.0.2.10:5070;transport=tcp;maddr=10.0.0.1;ttl=3;method=REGISTER;ob?Route=%3Csip:x%3E&Subject=hi')).toBe('sip:alice@192.0.2.10:5070;transport=tcp;ob');
    expect(requestUriForBinding('sips:bob@example.com')).toBe('sips:bob@example.com');
  });

  it('refuses what is not a SIP URI', () => {
    expect(requestUriForBinding('tel:+15551234')).toBeUndefined();
    expect(requestUriForBinding('not a uri')).toBeUndefined();
  });
});

describe('parseHostPort', () => {
  it('reads IPv4 and bracketed IPv6 and refuses junk', () => {
    expect(parseHostPort('10.0.0.1:5060')).toEqual({ host: '10.0.0.1', port: 5060 });
    expect(parseHostPort('[2001:db8::1]:5062')).toEqual({ host: '2001:db8::1', port: 5062 });
    expect(parseHostPort('10.0.0.1')).toBeUndefined();
    expect(parseHostPort('10.0.0.1:0')).toBeUndefined();
    expect(parseHostPort(undefined)).toBeUndefined();
  });
});
