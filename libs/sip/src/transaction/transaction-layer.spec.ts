import { createResponse } from '../message/sip-builders';
import { advance, transactionBench, useSipFakeTimers } from './transaction.test-helpers';

describe('transaction layer matching', () => {
  beforeEach(useSipFakeTimers);
  afterEach(() => jest.useRealTimers());

  it('keys server transactions by branch, sent-by and method (§17.2.3)', async () => {
    const { network, peer, events, layer } = transactionBench();
    const other = new (peer.constructor as typeof import('../ua/testing/raw-peer').RawPeer)(network, 5090);
    const a = peer.buildRequest('OPTIONS', '127.0.0.1:5070', { branch: 'z9hG4bKsame' });
    const b = other.buildRequest('OPTIONS', '127.0.0.1:5070', { branch: 'z9hG4bKsame' });
    const c = peer.buildRequest('INFO', '127.0.0.1:5070', { branch: 'z9hG4bKsame' });
    for (const [p, m] of [[peer, a], [other, b], [peer, c]] as const) await p.send(m, '127.0.0.1:5070');
    await advance(1);
    expect(events.requests).toHaveLength(3);
    expect(layer.size.servers).toBe(3);
    for (const { tx } of events.requests) tx.terminate();
    expect(layer.size.servers).toBe(0);
  });

  it('matches CANCEL to the INVITE transaction it targets, and reports unmatched CANCELs', async () => {
    const { peer, events } = transactionBench();
    const invite = peer.buildRequest('INVITE', '127.0.0.1:5070', { branch: 'z9hG4bKinv' });
    await peer.send(invite, '127.0.0.1:5070');
    await peer.send(peer.buildRequest('CANCEL', '127.0.0.1:5070', { branch: 'z9hG4bKinv', callId: invite.callId }), '127.0.0.1:5070');
    await peer.send(peer.buildRequest('CANCEL', '127.0.0.1:5070', { branch: 'z9hG4bKnone' }), '127.0.0.1:5070');
    await advance(1);
    expect(events.cancels).toHaveLength(2);
    expect(events.cancels[0].inviteTx).toBe(events.requests[0].tx);
    expect(events.cancels[1].inviteTx).toBeUndefined();
    for (const c of events.cancels) c.cancelTx.terminate();
    events.requests[0].tx.terminate();
  });

  it('routes responses by branch and CSeq method, and passes unmatched ones up as strays', async () => {
    const { layer, peer, events, recorder, target } = transactionBench();
    const rec = recorder();
    const request = peer.buildRequest('OPTIONS', '127.0.0.1:5080');
    request.headers.remove('via');
    layer.send(request, target, rec.user);
    await advance(1);
    const received = peer.requests('OPTIONS')[0];
    const wrongMethod = createResponse(received, 200, undefined, { toTag: 'x' });
    wrongMethod.headers.set('CSeq', '1 INFO');
    await peer.transport.sendResponse(wrongMethod, peer.sourceOf(received));
    await advance(1);
    expect(rec.responses).toHaveLength(0);
    expect(events.strays).toHaveLength(1);
    await peer.respond(received, 200, { toTag: 'x' });
    await advance(1);
    expect(rec.responses.map((r) => r.status)).toEqual([200]);
    layer.close();
  });

  it('passes an ACK for a 2xx (new branch) to the core', async () => {
    const { peer, events } = transactionBench();
    await peer.send(peer.buildRequest('ACK', '127.0.0.1:5070', { toTag: 'x' }), '127.0.0.1:5070');
    await advance(1);
    expect(events.acks).toHaveLength(1);
    expect(events.requests).toHaveLength(0);
  });
});
