import { createRequest } from '../message/sip-builders';
import { SipTransactionError } from './transaction.errors';
import { TEST_TIMERS, advance, intervals, transactionBench, useSipFakeTimers } from './transaction.test-helpers';

function options() {
  return createRequest({ method: 'OPTIONS', uri: 'sip:bob@127.0.0.1:5080', from: '<sip:alice@127.0.0.1>;tag=a1', to: '<sip:bob@127.0.0.1>', callId: 'nict-1', cseq: 3 });
}

describe('non-INVITE client transaction', () => {
  beforeEach(useSipFakeTimers);
  afterEach(() => jest.useRealTimers());

  it('retransmits with Timer E doubling up to T2, then times out with Timer F', async () => {
    const { layer, network, recorder, target } = transactionBench();
    const rec = recorder();
    const tx = layer.send(options(), target, rec.user);
    await advance(64 * TEST_TIMERS.T1 + 10);
    const sent = network.packets((p) => p.message.kind === 'request').map((p) => p.at);
    const gaps = intervals(sent);
    expect(gaps.slice(0, 4)).toEqual([100, 200, 400, 400]);
    expect(new Set(gaps.slice(3))).toEqual(new Set([400]));
    expect(tx.state).toBe('terminated');
    expect((rec.failures[0] as SipTransactionError).code).toBe('sip_timeout');
  });

  it('retransmits every T2 once a provisional arrived', async () => {
    const { layer, network, peer, recorder, target } = transactionBench();
    const tx = layer.send(options(), target, recorder().user);
    await advance(1);
    await peer.respond(peer.requests('OPTIONS')[0], 100);
    await advance(1);
    expect(tx.state).toBe('proceeding');
    await advance(2000);
    const sent = network.packets((p) => p.message.kind === 'request').map((p) => p.at);
    expect(intervals(sent).slice(1).every((gap) => gap === TEST_TIMERS.T2)).toBe(true);
    expect(sent.length).toBeGreaterThan(3);
    tx.terminate();
  });

  it('completes on a final response and lingers for Timer K absorbing retransmissions', async () => {
    const { layer, peer, recorder, target } = transactionBench();
    const rec = recorder();
    const tx = layer.send(options(), target, rec.user);
    await advance(1);
    const received = peer.requests('OPTIONS')[0];
    await peer.respond(received, 200, { toTag: 't' });
    await peer.respond(received, 200, { toTag: 't' });
    await advance(1);
    expect(rec.responses.map((r) => r.status)).toEqual([200]);
    expect(tx.state).toBe('completed');
    await advance(TEST_TIMERS.T4);
    expect(tx.state).toBe('terminated');
    expect(peer.requests('OPTIONS')).toHaveLength(1);
  });

  it('uses no retransmissions and no Timer K on a reliable transport', async () => {
    const { layer, peer, recorder, target } = transactionBench('tcp');
    const tx = layer.send(options(), target, recorder().user);
    await advance(2000);
    expect(peer.requests('OPTIONS')).toHaveLength(1);
    await peer.respond(peer.requests('OPTIONS')[0], 200, { toTag: 't' });
    await advance(1);
    expect(tx.state).toBe('terminated');
  });

  it('reports a transport failure', async () => {
    const { layer, transport, recorder, target } = transactionBench();
    await transport.close();
    const rec = recorder();
    layer.send(options(), target, rec.user);
    await advance(1);
    expect((rec.failures[0] as SipTransactionError).code).toBe('sip_transport');
  });
});
