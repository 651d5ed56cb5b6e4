import type { CallRecord } from '@legwork/call-state';
import { sharingStrings } from './record-sharing';

const record = (over: Partial<CallRecord> = {}): CallRecord => ({
  callId: 'c-1', accountId: 'acc', nodeId: 'n-1', leg: 'a', state: 'bridged', recording: 'off', from: '100@example.com', cav: {}, dialect: {}, createdAt: 1, updatedAt: 2, ...over,
});

describe('sharingStrings', () => {
  it('returns a record equal to the store one, and leaves the store one as it was', () => {
    const stored = record({ cav: { plan: 'gold' }, peerCallId: 'c-2' });
    const copy = JSON.parse(JSON.stringify(stored)) as CallRecord;
    const shared = sharingStrings(stored, ['c-1', 'acc', undefined, 'bridged', 'c-2']);
    expect(shared).toEqual(copy);
    expect(stored).toEqual(copy);
    expect(shared).not.toBe(stored);
  });

  it('gives empty variables a frozen object, so nothing writes to one shared by every leg', () => {
    const shared = sharingStrings(record(), []);
    expect([shared.cav, shared.dialect]).toEqual([{}, {}]);
    expect([Object.isFrozen(shared.cav), Object.isFrozen(shared.dialect)]).toEqual([true, true]);
    expect(Object.isFrozen(sharingStrings(record({ cav: { a: 1 } }), []).cav)).toBe(false);
  });
});
