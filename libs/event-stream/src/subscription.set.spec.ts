import { parseBinding } from './binding.parser';
import { SubscriptionSet } from './subscription.set';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const ALL = { all: true } as const;

describe('SubscriptionSet', () => {
  it('matches events by routing key and exact account', () => {
    const set = new SubscriptionSet();
    set.add({ ...parseBinding('call.CHANNEL_CREATE.*'), accountId: A, scope: ALL });
    set.add({ ...parseBinding('call.*.call-1'), accountId: A, scope: ALL });
    set.add({ ...parseBinding('call.CHANNEL_CREATE.*'), accountId: B, scope: ALL });
    expect(set.matching('call.CHANNEL_CREATE.call-1', A).map((s) => s.binding)).toEqual(['call.CHANNEL_CREATE.*', 'call.*.call-1']);
    expect(set.matching('call.CHANNEL_ANSWER.call-2', A)).toEqual([]);
    expect(set.matching('call.CHANNEL_CREATE.call-2', B).map((s) => s.accountId)).toEqual([B]);
    expect(set.routingKeys()).toEqual(new Set(['call.CHANNEL_CREATE.*', 'call.*.call-1']));
  });

  it('removes named bindings, per account, or everything', () => {
    const set = new SubscriptionSet();
    set.add({ ...parseBinding('call.CHANNEL_CREATE.*'), accountId: A, scope: ALL });
    set.add({ ...parseBinding('call.CHANNEL_CREATE.*'), accountId: B, scope: ALL });
    set.add({ ...parseBinding('originate_failed'), accountId: A, scope: ALL });
    expect(set.remove(['call.CHANNEL_CREATE.*'], A).map((s) => s.accountId)).toEqual([A]);
    expect(set.bindings().sort()).toEqual(['call.CHANNEL_CREATE.*', 'originate_failed']);
    expect(set.remove(undefined)).toHaveLength(2);
    expect(set.size).toBe(0);
  });
});
