import { createRequest, createResponse } from '../message/sip-builders';
import type { AnySipMessage, SipRequest } from '../message/sip-message';
import type { SipProtocol, SipSource, SipTarget, SipTransportLayer } from '../transport/transport.types';
import { FlowRelay } from './flow-relay';
import { relayRouteHeader } from './relay-route';

const SECRET = 'relay-spec-cluster-secret-0123456789';
const RELAY = { host: '10.0.0.2', port: 5060 };
const PEER = { host: '10.0.0.1', port: 5070 };
const FLOW = 'Zm9vYmFyYmF6cXV4MTIzNA';

const fromPeer: SipSource = { protocol: 'udp', remoteAddress: PEER.host, remotePort: PEER.port, localAddress: RELAY.host, localPort: RELAY.port };
const fromDevice: SipSource = { protocol: 'tcp', remoteAddress: '203.0.113.9', remotePort: 40000, localAddress: RELAY.host, localPort: 5060, flowId: FLOW };

/** A transport that records what the relay sends and answers. */
function transport(): SipTransportLayer & { sent: Array<{ message: AnySipMessage; target: SipTarget }>; answered: number[] } {
  const sent: Array<{ message: AnySipMessage; target: SipTarget }> = [];
  const answered: number[] = [];
  return {
    sent, answered,
    onMessage: () => undefined, onFlowClosed: () => undefined, isReliable: () => false, listening: () => [], close: async () => undefined,
    resolve: async () => ({ protocol: 'udp', host: '', port: 0 }),
    send: async (message, target) => void sent.push({ message, target }),
    sendResponse: async (response) => void answered.push(response.status),
    sentBy: (protocol: SipProtocol) => ({ host: RELAY.host, port: 5060, protocol }),
  };
}

function invite(route: string, callId = 'call-1', maxForwards = 70): SipRequest {
  return createRequest({
    method: 'INVITE', uri: 'sip:phone@203.0.113.9:40000;transport=tcp', via: `SIP/2.0/UDP ${PEER.host}:${PEER.port};branch=z9hG4bK-peer-1`,
    from: '<sip:node@10.0.0.1>;tag=a', to: '<sip:phone@example.test>', callId, cseq: 1, maxForwards, headers: [['Route', route]],
  });
}

const signed = (callId = 'call-1', flowId = FLOW): string => relayRouteHeader(SECRET, RELAY, { flowId, protocol: 'tcp', peer: PEER, callId });

/** The stateless relay toward a device's flow, and what it refuses to relay. */
describe('FlowRelay', () => {
  it('a signed route to a held flow: sent over that flow with our Via on top, Record-Route, one hop less; its response goes back to the peer', () => {
    const t = transport();
    const relay = new FlowRelay({ transport: t, secret: SECRET, holds: (id) => id === FLOW });
    expect(relay.handle({ message: invite(signed()), source: fromPeer })).toBe(true);
    const [{ message, target }] = t.sent;
    expect(target).toMatchObject({ protocol: 'tcp', flowId: FLOW });
    expect(message.headers.getAll('via')[0]).toMatch(/^SIP\/2\.0\/TCP 10\.0\.0\.2:5060;branch=z9hG4bK-lwr-[0-9a-f]{20}$/);
    expect(message.headers.getAll('route')).toEqual([]);
    expect(message.headers.get('record-route')).toBe(signed());
    expect(message.headers.get('max-forwards')).toBe('69');

    const answer = createResponse(message as SipRequest, 200, 'OK');
    expect(relay.handle({ message: answer, source: fromDevice })).toBe(true);
    expect(t.sent[1]?.target).toEqual({ protocol: 'udp', host: PEER.host, port: PEER.port });
    expect(t.sent[1]?.message.headers.getAll('via')).toEqual([`SIP/2.0/UDP ${PEER.host}:${PEER.port};branch=z9hG4bK-peer-1`]);
  });

  it("the device's request on the route goes to the signed peer only, whatever its Request-URI; the answer comes back over the flow", () => {
    const t = transport();
    const relay = new FlowRelay({ transport: t, secret: SECRET, holds: () => true });
    const bye = createRequest({ method: 'BYE', uri: 'sip:elsewhere@198.51.100.66', via: 'SIP/2.0/TCP 203.0.113.9:40000;branch=z9hG4bK-dev', from: '<sip:phone@example.test>;tag=b', to: '<sip:node@10.0.0.1>;tag=a', callId: 'call-1', cseq: 5, headers: [['Route', signed()]] });
    expect(relay.handle({ message: bye, source: fromDevice })).toBe(true);
    expect(t.sent[0]?.target).toEqual({ protocol: 'udp', host: PEER.host, port: PEER.port });
    expect(t.sent[0]?.message.headers.getAll('via')[0]).toContain(`;lw-flow=${FLOW}`);
    expect(relay.handle({ message: createResponse(t.sent[0]?.message as SipRequest, 200, 'OK'), source: fromPeer })).toBe(true);
    expect(t.sent[1]?.target).toMatchObject({ flowId: FLOW });
  });

  it('a CANCEL gets the branch its INVITE got, so the device matches it to the INVITE (RFC 3261 §16.11)', () => {
    const t = transport();
    const relay = new FlowRelay({ transport: t, secret: SECRET, holds: () => true });
    relay.handle({ message: invite(signed()), source: fromPeer });
    const cancel = createRequest({ method: 'CANCEL', uri: 'sip:phone@203.0.113.9:40000;transport=tcp', via: `SIP/2.0/UDP ${PEER.host}:${PEER.port};branch=z9hG4bK-peer-1`, from: '<sip:node@10.0.0.1>;tag=a', to: '<sip:phone@example.test>', callId: 'call-1', cseq: 1, headers: [['Route', signed()]] });
    relay.handle({ message: cancel, source: fromPeer });
    expect(t.sent[1]?.message.via?.branch).toBe(t.sent[0]?.message.via?.branch);
  });

  it('forged, borrowed or stale routes are not relayed: another key, another call, a flow not held here, no hops left', () => {
    const t = transport();
    const relay = new FlowRelay({ transport: t, secret: SECRET, holds: (id) => id === FLOW });
    const forged = relayRouteHeader('some-other-key-0123456789abcdef', RELAY, { flowId: FLOW, protocol: 'tcp', peer: PEER, callId: 'call-1' });
    // left to the UA core, which treats it as any other INVITE
    expect(relay.handle({ message: invite(forged), source: fromPeer })).toBe(false);
    expect(relay.handle({ message: invite(signed('call-1'), 'call-2'), source: fromPeer })).toBe(false);
    expect(relay.handle({ message: invite('<sip:10.0.0.2;lr>'), source: fromPeer })).toBe(false);
    expect(relay.handle({ message: invite(signed('call-3', 'bm90LWhlbGQtaGVyZQ'), 'call-3'), source: fromPeer })).toBe(true);
    expect(relay.handle({ message: invite(signed(), 'call-1', 0), source: fromPeer })).toBe(true);
    expect(t.sent).toEqual([]);
    expect(t.answered).toEqual([430, 483]);
  });

  it('a made-up response naming a flow in a Via like ours is dropped, never written to the flow', () => {
    const t = transport();
    const relay = new FlowRelay({ transport: t, secret: SECRET, holds: () => true });
    const bait = createRequest({ method: 'BYE', uri: 'sip:x@10.0.0.2', via: `SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK-lwr-0123456789abcdef0123;lw-flow=${FLOW}`, from: '<sip:a@b>;tag=1', to: '<sip:c@d>;tag=2', callId: 'call-9', cseq: 3, headers: [['Via', 'SIP/2.0/TCP 203.0.113.9:40000;branch=z9hG4bK-dev']] });
    expect(relay.handle({ message: createResponse(bait, 200, 'OK'), source: fromPeer })).toBe(true);
    expect(t.sent).toEqual([]);
  });

  it('responses that are not to a request it relayed are left alone', () => {
    const relay = new FlowRelay({ transport: transport(), secret: SECRET, holds: () => true });
    expect(relay.handle({ message: createResponse(invite(signed()), 180, 'Ringing'), source: fromPeer })).toBe(false);
  });
});
