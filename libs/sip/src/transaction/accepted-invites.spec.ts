import { createRequest, createResponse } from '../message/sip-builders';
import type { SipResponse } from '../message/sip-message';
import { AcceptedInvites } from './accepted-invites';
import { advance, useSipFakeTimers } from './transaction.test-helpers';

const invite = createRequest({ method: 'INVITE', uri: 'sip:bob@127.0.0.1', from: '<sip:alice@127.0.0.1>;tag=a', to: '<sip:bob@127.0.0.1>', callId: 'c1', cseq: 1 });
const response = (status: number): SipResponse => createResponse(invite, status, undefined, { toTag: 'b' });

describe('AcceptedInvites', () => {
  beforeEach(() => useSipFakeTimers());
  afterEach(() => jest.useRealTimers());

  function recording() {
    const seen: number[] = [];
    return { seen, user: { onResponse: (r: SipResponse) => seen.push(r.status), onFailure: () => undefined } };
  }

  it('passes 2xx up, absorbs other responses, and answers only for keys it holds', () => {
    const accepted = new AcceptedInvites(1000);
    const rec = recording();
    accepted.add('k1', rec.user);
    expect(accepted.receive('k1', response(200))).toBe(true);
    expect(accepted.receive('k1', response(486))).toBe(true);
    expect(accepted.receive('k2', response(200))).toBe(false);
    expect(rec.seen).toEqual([200]);
  });

  it('forgets each record its lifetime after it was added, in order, with one timer', async () => {
    const accepted = new AcceptedInvites(1000);
    accepted.add('k1', recording().user);
    await advance(400);
    accepted.add('k2', recording().user);
    await advance(600);
    expect([accepted.has('k1'), accepted.has('k2')]).toEqual([false, true]);
    await advance(399);
    expect(accepted.has('k2')).toBe(true);
    await advance(1);
    expect(accepted.size).toBe(0);
  });

  it('drops a record on delete and every record on clear', () => {
    const accepted = new AcceptedInvites(1000);
    accepted.add('k1', recording().user);
    accepted.add('k2', recording().user);
    accepted.delete('k1');
    expect(accepted.has('k1')).toBe(false);
    accepted.clear();
    expect(accepted.size).toBe(0);
  });
});
