import { createResponse } from '../message/sip-builders';
import { TEST_TIMERS, advance, intervals, transactionBench, useSipFakeTimers } from './transaction.test-helpers';

describe('INVITE server transaction', () => {
  beforeEach(useSipFakeTimers);
  afterEach(() => jest.useRealTimers());

  async function received(protocol: 'udp' | 'tcp' = 'udp') {
    const bench = transactionBench(protocol);
    const invite = bench.peer.buildRequest('INVITE', '127.0.0.1:5070');
    await bench.peer.send(invite, '127.0.0.1:5070');
    await advance(0);
    return { ...bench, invite, tx: bench.events.requests[0].tx };
  }

  it('sends 100 Trying when the core has not answered within 200 ms', async () => {
    const { peer, tx } = await received();
    expect(peer.responses()).toHaveLength(0);
    await advance(TEST_TIMERS.trying);
    expect(peer.responses(100)).toHaveLength(1);
    expect(tx.state).toBe('proceeding');
    tx.terminate();
  });

  it('answers a retransmitted INVITE with the last provisional, without a second transaction', async () => {
    const { peer, events, tx, invite } = await received();
    await tx.respond(createResponse(tx.request, 180, undefined, { toTag: 'u1' }));
    await peer.send(invite, '127.0.0.1:5070');
    await advance(1);
    expect(events.requests).toHaveLength(1);
    expect(peer.responses(180)).toHaveLength(2);
    tx.terminate();
  });

  it('retransmits a 3xx-6xx with Timer G up to T2 and gives up with Timer H', async () => {
    const { network, peer, tx } = await received();
    const failures: Error[] = [];
    tx.user = { onFailure: (e) => failures.push(e) };
    await tx.respond(createResponse(tx.request, 486, undefined, { toTag: 'u1' }));
    await advance(64 * TEST_TIMERS.T1 + 10);
    const sent = network.packets((p) => p.message.kind === 'response' && p.message.status === 486).map((p) => p.at);
    expect(intervals(sent).slice(0, 4)).toEqual([100, 200, 400, 400]);
    expect(peer.responses(486).length).toBe(sent.length);
    expect(tx.state).toBe('terminated');
    expect(failures.map((f) => (f as { code?: string }).code)).toEqual(['sip_no_ack']);
  });

  it('stops Timer G on ACK and absorbs ACK retransmissions for Timer I', async () => {
    const { network, peer, tx, invite, events } = await received();
    await tx.respond(createResponse(tx.request, 404, undefined, { toTag: 'u1' }));
    const ack = peer.buildRequest('ACK', '127.0.0.1:5070', { branch: invite.via?.branch, callId: invite.callId, toTag: 'u1', cseq: 1 });
    await peer.send(ack, '127.0.0.1:5070');
    await advance(1);
    expect(tx.state).toBe('confirmed');
    await peer.send(ack, '127.0.0.1:5070');
    await advance(2000);
    expect(events.acks).toHaveLength(0);
    expect(network.packets((p) => p.message.kind === 'response' && p.message.status === 404)).toHaveLength(1);
    expect(tx.state).toBe('terminated');
  });

  it('goes to Accepted on 2xx (RFC 6026), lets the core retransmit it, absorbs INVITE retransmissions, ends after Timer L', async () => {
    const { peer, tx, invite } = await received();
    const ok = createResponse(tx.request, 200, undefined, { toTag: 'u1' });
    await tx.respond(ok);
    expect(tx.state).toBe('accepted');
    await tx.respond(ok);
    await peer.send(invite, '127.0.0.1:5070');
    await advance(1);
    expect(peer.responses(200)).toHaveLength(2);
    await advance(64 * TEST_TIMERS.T1);
    expect(tx.state).toBe('terminated');
  });

  it('uses no Timer G and zero Timer I on a reliable transport', async () => {
    const { peer, tx, invite } = await received('tcp');
    await tx.respond(createResponse(tx.request, 480, undefined, { toTag: 'u1' }));
    await advance(3000);
    expect(peer.responses(480)).toHaveLength(1);
    await peer.send(peer.buildRequest('ACK', '127.0.0.1:5070', { branch: invite.via?.branch, callId: invite.callId, toTag: 'u1' }), '127.0.0.1:5070');
    await advance(1);
    expect(tx.state).toBe('terminated');
  });
});
