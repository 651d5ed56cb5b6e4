import { createResponse } from '../message/sip-builders';
import { TEST_TIMERS, advance, transactionBench, useSipFakeTimers } from './transaction.test-helpers';

describe('non-INVITE server transaction', () => {
  beforeEach(useSipFakeTimers);
  afterEach(() => jest.useRealTimers());

  it('absorbs retransmissions while trying, repeats the final when completed, ends after Timer J', async () => {
    const { peer, events } = transactionBench();
    const request = peer.buildRequest('MESSAGE', '127.0.0.1:5070');
    await peer.send(request, '127.0.0.1:5070');
    await peer.send(request, '127.0.0.1:5070');
    await advance(1);
    expect(events.requests).toHaveLength(1);
    expect(peer.responses()).toHaveLength(0);
    const { tx } = events.requests[0];
    await tx.respond(createResponse(tx.request, 202, undefined, { toTag: 'x' }));
    await peer.send(request, '127.0.0.1:5070');
    await advance(1);
    expect(peer.responses(202)).toHaveLength(2);
    expect(tx.state).toBe('completed');
    await advance(64 * TEST_TIMERS.T1);
    expect(tx.state).toBe('terminated');
    // after Timer J the same request is new again
    await peer.send(request, '127.0.0.1:5070');
    await advance(1);
    expect(events.requests).toHaveLength(2);
    events.requests[1].tx.terminate();
  });

  it('repeats the last provisional while proceeding and ends at once on reliable transports', async () => {
    const { peer, events } = transactionBench('tcp');
    const request = peer.buildRequest('REGISTER', '127.0.0.1:5070');
    await peer.send(request, '127.0.0.1:5070');
    await advance(1);
    const { tx } = events.requests[0];
    await tx.respond(createResponse(tx.request, 100));
    await peer.send(request, '127.0.0.1:5070');
    await advance(1);
    expect(peer.responses(100)).toHaveLength(2);
    await tx.respond(createResponse(tx.request, 200, undefined, { toTag: 'x' }));
    expect(tx.state).toBe('terminated');
  });
});
