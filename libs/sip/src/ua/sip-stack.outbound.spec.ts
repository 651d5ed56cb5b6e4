import { advance, useSipFakeTimers } from '../transaction/transaction.test-helpers';
import type { IncomingInvite } from './incoming-invite';
import { ANSWER, stackPair } from './ua.test-helpers';

describe('SipStack requests it sends', () => {
  beforeEach(useSipFakeTimers);
  afterEach(() => jest.useRealTimers());

  it('never puts URI headers in a Request-URI (RFC 3261 §19.1.5)', async () => {
    const { bob, callBob } = stackPair();
    const got: IncomingInvite[] = [];
    bob.onRequest('INVITE', (inv) => {
      got.push(inv);
      return inv.accept({ body: ANSWER }).then(() => undefined);
    });
    const outcome = await callBob({ uri: 'sip:bob@127.0.0.1:5061;ob?Route=%3Csip:evil@127.0.0.9;lr%3E&Subject=x' }).final;
    await advance(1);
    expect(outcome.kind).toBe('accepted');
    expect(got.map((inv) => [inv.request.uri, inv.request.headers.getAll('route'), inv.request.headers.get('subject')])).toEqual([['sip:bob@127.0.0.1:5061;ob', [], undefined]]);
  });
});
