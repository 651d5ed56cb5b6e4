import type { Contact } from '@legwork/call-state';
import { parseHostPort, targetForBinding } from './binding-target';

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

  it('dials a plain TCP binding by its Contact when the flow is gone, but not an outbound (reg-id) one', () => {
    const tcp: Contact = { ...base, transport: 'tcp', flowToken: 'flow-9', uri: 'sip:alice@192.0.2.10:5070;transport=tcp' };
    expect(targetForBinding(tcp, here)).toEqual({ protocol: 'tcp', host: '192.0.2.10', port: 5070 });
    expect(targetForBinding({ ...tcp, instanceId: '<urn:uuid:1>', regId: 1 }, here)).toBeUndefined();
  });

  it('falls back to the Contact URI without a stored source and gives up on a non-SIP one', () => {
    expect(targetForBinding({ ...base, source: undefined }, here)).toEqual({ protocol: 'udp', host: '192.0.2.10', port: 5070 });
    expect(targetForBinding({ ...base, source: undefined, uri: 'tel:+15551234' }, here)).toBeUndefined();
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
