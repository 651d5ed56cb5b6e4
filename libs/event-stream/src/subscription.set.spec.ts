import type { Scope } from '@legwork/directory';
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
    expect(set.matching('call.CHANNEL_CREATE.call-1', A, 'CHANNEL_CREATE').map((s) => s.binding)).toEqual(['call.CHANNEL_CREATE.*', 'call.*.call-1']);
    expect(set.matching('call.CHANNEL_ANSWER.call-2', A, 'CHANNEL_ANSWER')).toEqual([]);
    expect(set.matching('call.CHANNEL_CREATE.call-2', B, 'CHANNEL_CREATE').map((s) => s.accountId)).toEqual([B]);
    expect(set.routingKeys()).toEqual(new Set(['call.CHANNEL_CREATE.*', 'call.*.call-1']));
  });

  it("lets `*` cover only Kazoo's call events; other events need their name", () => {
    const set = new SubscriptionSet();
    set.add({ ...parseBinding('call.*.*'), accountId: A, scope: ALL });
    set.add({ ...parseBinding('call.CHANNEL_PROGRESS.*'), accountId: A, scope: ALL });
    for (const name of ['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_DESTROY', 'CHANNEL_HOLD', 'CHANNEL_UNHOLD', 'CHANNEL_BRIDGE']) {
      expect([name, set.matching(`call.${name}.x`, A, name).map((s) => s.binding)]).toEqual([name, ['call.*.*']]);
    }
    for (const name of ['CHANNEL_UNBRIDGE', 'RECORD_START', 'RECORD_STOP', 'originate_failed']) expect([name, set.matching(`call.${name}.x`, A, name)]).toEqual([name, []]);
    expect(set.matching('call.CHANNEL_PROGRESS.x', A, 'CHANNEL_PROGRESS').map((s) => s.binding)).toEqual(['call.CHANNEL_PROGRESS.*']);
  });

  it('brings the scope of an account’s subscriptions up to date', () => {
    const set = new SubscriptionSet();
    const own: Scope = { all: false, userId: 'u', deviceIds: [] };
    set.add({ ...parseBinding('call.*.*'), accountId: A, scope: own });
    set.add({ ...parseBinding('call.*.*'), accountId: B, scope: own });
    set.rescope(A, ALL);
    expect([...set.accounts()].sort()).toEqual([A, B]);
    expect(set.matching('call.CHANNEL_CREATE.x', A, 'CHANNEL_CREATE')[0]?.scope).toEqual(ALL);
    expect(set.matching('call.CHANNEL_CREATE.x', B, 'CHANNEL_CREATE')[0]?.scope).toEqual(own);
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
