import { CallStateError } from '../call-state.errors';
import type { NewCall } from '../call-record';
import { type HarnessFactory, type StoreHarness, expectCode, uid } from './store-harness';

function newCall(overrides: Partial<NewCall> = {}): NewCall {
  return { callId: uid('call'), accountId: uid('acct'), nodeId: uid('node'), leg: 'a', from: 'sip:100@example.com', to: 'sip:200@example.com', ...overrides };
}

export function callsContract(makeHarness: HarnessFactory): void {
  describe('calls', () => {
    let h: StoreHarness;
    beforeEach(async () => {
      h = await makeHarness();
    });
    afterEach(() => h.store.close());

    it('keeps the device and owner a leg was placed for and the call it is numbered under, which no update changes', async () => {
      const { calls } = h.store;
      const input = newCall({ endpointId: uid('device'), ownerId: uid('user'), sequenceId: uid('first-leg') });
      const created = await calls.create(input);
      expect(created).toMatchObject({ endpointId: input.endpointId, ownerId: input.ownerId, sequenceId: input.sequenceId });
      await calls.update(input.callId, { callerIdName: 'x' });
      expect(await calls.get(input.callId)).toMatchObject({ endpointId: input.endpointId, ownerId: input.ownerId, sequenceId: input.sequenceId, callerIdName: 'x' });
      expect((await calls.listByAccount(input.accountId))[0]).toMatchObject({ endpointId: input.endpointId });
      const bare = await calls.create(newCall());
      expect(bare).not.toHaveProperty('endpointId');
    });

    it('walks a leg through its life and keeps the ended record for late readers', async () => {
      const { calls } = h.store;
      const input = newCall({ cav: { order: 42, tags: ['x'] }, dialect: { nonce: 'n-1' }, callerIdNumber: '100' });
      const created = await calls.create(input);
      expect(created).toMatchObject({ callId: input.callId, state: 'new', leg: 'a', recording: 'off', cav: { order: 42, tags: ['x'] }, dialect: { nonce: 'n-1' } });
      expect(await calls.get(input.callId)).toEqual(created);

      expect((await calls.transition(input.callId, 'ring')).ringingAt).toEqual(expect.any(Number));
      const answered = await calls.transition(input.callId, 'answer');
      expect(answered).toMatchObject({ state: 'answered', answeredAt: expect.any(Number) });
      await calls.transition(input.callId, 'bridge');
      expect((await calls.transition(input.callId, 'hold')).state).toBe('held');
      const unheld = await calls.transition(input.callId, 'unhold');
      expect(unheld).toMatchObject({ state: 'bridged', bridgedAt: expect.any(Number) });
      expect(await calls.get(input.callId)).toEqual(unheld);

      const updated = await calls.update(input.callId, { peerCallId: 'peer-1', recording: 'recording', cav: { order: null, extra: 'y' }, dialect: { tracking: 't-9' }, callerIdNumber: null });
      expect(updated).toMatchObject({ peerCallId: 'peer-1', recording: 'recording', cav: { tags: ['x'], extra: 'y' }, dialect: { nonce: 'n-1', tracking: 't-9' } });
      expect(updated.cav).not.toHaveProperty('order');
      expect(updated.callerIdNumber).toBeUndefined();
      expect(updated).not.toHaveProperty('hold');
      expect((await calls.update(input.callId, { hold: 'remote' })).hold).toBe('remote');
      expect(await calls.update(input.callId, { hold: 'none' })).not.toHaveProperty('hold');

      const ended = await calls.end(input.callId, 'NORMAL_CLEARING');
      expect(ended).toMatchObject({ ended: true, record: { state: 'ended', hangupCause: 'NORMAL_CLEARING', endedAt: expect.any(Number), peerCallId: 'peer-1' } });
      expect(await calls.end(input.callId, 'ORIGINATOR_CANCEL')).toMatchObject({ ended: false, record: { hangupCause: 'NORMAL_CLEARING' } });
      expect(await calls.listByAccount(input.accountId)).toEqual([]);
      expect(await calls.countByNode(input.nodeId)).toBe(0);
      expect((await calls.get(input.callId))?.state).toBe('ended');
      await expectCode(calls.update(input.callId, { to: 'sip:late@example.com' }), 'call_ended');

      await h.advance(h.endedTtlMs + 100);
      expect(await calls.get(input.callId)).toBeNull();
      await expectCode(calls.require(input.callId), 'call_not_found');
    });

    it('refuses a duplicate call id without touching the other account', async () => {
      const input = newCall();
      await h.store.calls.create(input);
      const intruder = { ...input, accountId: uid('acct'), nodeId: uid('node') };
      await expectCode(h.store.calls.create(intruder), 'call_exists');
      expect(await h.store.calls.countByAccount(intruder.accountId)).toBe(0);
      expect(await h.store.calls.countByNode(intruder.nodeId)).toBe(0);
      expect(await h.store.calls.listByAccount(intruder.accountId)).toEqual([]);
      expect((await h.store.calls.require(input.callId)).accountId).toBe(input.accountId);
    });

    it('lets exactly one of many racing creates of one id win, and keeps only its index entries', async () => {
      const input = newCall();
      const racers = [input, input, input, ...Array.from({ length: 5 }, () => ({ ...input, accountId: uid('acct'), nodeId: uid('node') }))];
      const results = await Promise.allSettled(racers.map((racer) => h.store.calls.create(racer)));
      const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [racers[i]] : []));
      expect(won).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect((r.reason as CallStateError).code).toBe('call_exists');
      const [winner] = won;
      for (const racer of racers) {
        const mine = racer.accountId === winner.accountId;
        expect(await h.store.calls.countByAccount(racer.accountId)).toBe(mine ? 1 : 0);
        expect((await h.store.calls.listByNode(racer.nodeId)).map((c) => c.callId)).toEqual(racer.nodeId === winner.nodeId ? [input.callId] : []);
      }
    });

    it('rejects moves the state machine forbids and leaves the leg untouched', async () => {
      const input = newCall();
      await h.store.calls.create(input);
      await expectCode(h.store.calls.transition(input.callId, 'bridge'), 'invalid_transition');
      await expectCode(h.store.calls.transition(input.callId, 'unhold'), 'invalid_transition');
      expect((await h.store.calls.require(input.callId)).state).toBe('new');
      await expectCode(h.store.calls.transition(uid('missing'), 'ring'), 'call_not_found');
      await expectCode(h.store.calls.update(uid('missing'), { to: 'x' }), 'call_not_found');
      await expectCode(h.store.calls.end(uid('missing'), 'NORMAL_CLEARING'), 'call_not_found');

      const hungUp = await h.store.calls.transition(input.callId, 'hangup');
      expect(hungUp).toMatchObject({ state: 'ended', hangupCause: 'NORMAL_CLEARING' });
      await expectCode(h.store.calls.transition(input.callId, 'answer'), 'invalid_transition');
    });

    it('lets exactly one of many concurrent writers win a move', async () => {
      const input = newCall();
      await h.store.calls.create(input);
      await h.store.calls.transition(input.callId, 'ring');
      const results = await Promise.allSettled(Array.from({ length: 12 }, () => h.store.calls.transition(input.callId, 'answer')));
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(11);
      for (const r of lost) expect(r.reason).toBeInstanceOf(CallStateError);
      for (const r of lost) expect((r.reason as CallStateError).code).toBe('invalid_transition');

      const ends = await Promise.all(Array.from({ length: 6 }, (_, i) => h.store.calls.end(input.callId, `CAUSE_${i}`)));
      expect(ends.filter((e) => e.ended)).toHaveLength(1);
    });

    it('indexes live calls per account and per node', async () => {
      const [acctA, acctB, node1, node2] = [uid('acct'), uid('acct'), uid('node'), uid('node')];
      const a1 = await h.store.calls.create(newCall({ accountId: acctA, nodeId: node1 }));
      const a2 = await h.store.calls.create(newCall({ accountId: acctA, nodeId: node2, leg: 'b' }));
      const b1 = await h.store.calls.create(newCall({ accountId: acctB, nodeId: node1 }));
      const ids = (list: { callId: string }[]): string[] => list.map((c) => c.callId).sort();
      expect(ids(await h.store.calls.listByAccount(acctA))).toEqual([a1.callId, a2.callId].sort());
      expect(ids(await h.store.calls.listByNode(node1))).toEqual([a1.callId, b1.callId].sort());
      expect(await h.store.calls.countByAccount(acctA)).toBe(2);
      expect(await h.store.calls.countByNode(node2)).toBe(1);
      await h.store.calls.end(a1.callId, 'NORMAL_CLEARING');
      expect(ids(await h.store.calls.listByAccount(acctA))).toEqual([a2.callId]);
      expect(ids(await h.store.calls.listByNode(node1))).toEqual([b1.callId]);
      expect(await h.store.calls.countByAccount(acctB)).toBe(1);
    });

    it('turns bad input into invalid_input', async () => {
      await expectCode(h.store.calls.create({ ...newCall(), accountId: '' }), 'invalid_input');
      await expectCode(h.store.calls.create({ ...newCall(), leg: 'c' } as unknown as NewCall), 'invalid_input');
      await expectCode(h.store.calls.get(''), 'invalid_input');
      const input = await h.store.calls.create(newCall());
      await expectCode(h.store.calls.update(input.callId, { recording: 'loud' } as never), 'invalid_input');
      await expectCode(h.store.calls.end(input.callId, ''), 'invalid_input');
    });
  });
}
