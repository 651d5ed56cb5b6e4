import { createRequest } from '../message/sip-builders';
import { SipTransactionError } from './transaction.errors';
import { TEST_TIMERS, advance, intervals, transactionBench, useSipFakeTimers } from './transaction.test-helpers';

function invite() {
  return createRequest({ method: 'INVITE', uri: 'sip:bob@127.0.0.1:5080', from: '<sip:alice@127.0.0.1>;tag=a1', to: '<sip:bob@127.0.0.1>', callId: 'ict-1', cseq: 7, contact: '<sip:alice@127.0.0.1:5070>', headers: [['Route', '<sip:127.0.0.1:5080;lr>']] });
}

describe('INVITE client transaction', () => {
  beforeEach(useSipFakeTimers);
  afterEach(() => jest.useRealTimers());

  it('retransmits with Timer A doubling and times out with Timer B', async () => {
    const { layer, peer, recorder, target } = transactionBench();
    const rec = recorder();
    const tx = layer.send(invite(), target, rec.user);
    await advance(64 * TEST_TIMERS.T1 + 10);
    const times = peer.received.filter((r) => r.message.kind === 'request').map((r) => r.message);
    expect(times.length).toBe(7); // sent at 0,100,300,700,1500,3100 and 6300 < 6400
    expect(tx.state).toBe('terminated');
    expect(rec.failures[0]).toBeInstanceOf(SipTransactionError);
    expect((rec.failures[0] as SipTransactionError).code).toBe('sip_timeout');
    expect(layer.size.clients).toBe(0);
  });

  it('sends on the intervals A, 2A, 4A ...', async () => {
    const { layer, network, recorder, target } = transactionBench();
    layer.send(invite(), target, recorder().user);
    await advance(3200);
    const sent = network.packets((p) => p.message.kind === 'request' && p.message.method === 'INVITE').map((p) => p.at);
    expect(intervals(sent)).toEqual([100, 200, 400, 800, 1600]);
  });

  it('stops retransmitting on a provisional, and Timer B no longer applies', async () => {
    const { layer, peer, recorder, target } = transactionBench();
    const rec = recorder();
    const tx = layer.send(invite(), target, rec.user);
    await advance(1);
    await peer.respond(peer.requests('INVITE')[0], 180, { toTag: 'b1' });
    await advance(10_000);
    expect(peer.requests('INVITE')).toHaveLength(1);
    expect(tx.state).toBe('proceeding');
    expect(rec.responses.map((r) => r.status)).toEqual([180]);
    expect(rec.failures).toHaveLength(0);
    tx.terminate();
  });

  it('ACKs a 3xx-6xx itself, absorbs its retransmissions with another ACK, then ends after Timer D', async () => {
    const { layer, peer, recorder, target } = transactionBench();
    const rec = recorder();
    const tx = layer.send(invite(), target, rec.user);
    await advance(1);
    const received = peer.requests('INVITE')[0];
    await peer.respond(received, 486, { toTag: 'busy' });
    await advance(1);
    const [ack] = peer.requests('ACK');
    expect(ack.via?.branch).toBe(received.via?.branch);
    expect(ack.toTag).toBe('busy');
    expect(ack.cseq).toEqual({ seq: 7, method: 'ACK' });
    expect(ack.uri).toBe(received.uri);
    expect(ack.headers.getAll('route')).toEqual(['<sip:127.0.0.1:5080;lr>']);
    expect(tx.state).toBe('completed');
    await peer.respond(received, 486, { toTag: 'busy' });
    await advance(1);
    expect(peer.requests('ACK')).toHaveLength(2);
    expect(rec.responses.map((r) => r.status)).toEqual([486]);
    await advance(TEST_TIMERS.D);
    expect(tx.state).toBe('terminated');
  });

  it('enters Accepted on 2xx, passes 2xx retransmissions and forks up, and ends after Timer M', async () => {
    const { layer, peer, recorder, target, events } = transactionBench();
    const rec = recorder();
    const tx = layer.send(invite(), target, rec.user);
    await advance(1);
    const received = peer.requests('INVITE')[0];
    await peer.respond(received, 200, { toTag: 'fork1' });
    await peer.respond(received, 200, { toTag: 'fork1' });
    await peer.respond(received, 200, { toTag: 'fork2' });
    await advance(1);
    expect(tx.state).toBe('accepted');
    expect(rec.responses.map((r) => r.toTag)).toEqual(['fork1', 'fork1', 'fork2']);
    expect(peer.requests('ACK')).toHaveLength(0);
    expect(layer.size.clients).toBe(1);
    await advance(64 * TEST_TIMERS.T1);
    expect(layer.size.clients).toBe(0);
    // after Timer M a 2xx matches no transaction: the core gets it as a stray
    await peer.respond(received, 200, { toTag: 'fork1' });
    await advance(1);
    expect(rec.responses).toHaveLength(3);
    expect(events.strays.map((r) => r.toTag)).toEqual(['fork1']);
  });

  it('absorbs non-2xx responses in Accepted and keeps only a record of the transaction', async () => {
    const { layer, peer, recorder, target, events } = transactionBench();
    const rec = recorder();
    layer.send(invite(), target, rec.user);
    await advance(1);
    const received = peer.requests('INVITE')[0];
    await peer.respond(received, 200, { toTag: 'a' });
    await peer.respond(received, 486, { toTag: 'b' });
    await advance(1);
    expect(rec.responses.map((r) => r.status)).toEqual([200]);
    expect(events.strays).toHaveLength(0);
    expect(peer.requests('ACK')).toHaveLength(0);
    expect(layer.size.clients).toBe(1);
  });

  it('skips retransmissions and Timer D on a reliable transport', async () => {
    const { layer, peer, recorder, target } = transactionBench('tcp');
    const rec = recorder();
    const tx = layer.send(invite(), target, rec.user);
    await advance(3000);
    expect(peer.requests('INVITE')).toHaveLength(1);
    await peer.respond(peer.requests('INVITE')[0], 503, { toTag: 'x' });
    await advance(1);
    expect(tx.state).toBe('terminated');
    expect(peer.requests('ACK')).toHaveLength(1);
  });
});
