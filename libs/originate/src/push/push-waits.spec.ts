import { PushWaits, sameDevice, type WokenBinding } from './push-waits';

const binding = (push: WokenBinding['push']): WokenBinding => ({ aor: 'alice@acme.test', contact: 'sip:alice@127.0.0.1:5070', transport: 'udp', ownerNode: 'node-b', push });

describe('PushWaits', () => {
  it('wakes the legs waiting for the same provider and prid (and param when the leg has one), once', async () => {
    let now = 1000;
    const waits = new PushWaits(() => now);
    const a = waits.wait('call-a', { provider: 'apns', prid: 'tok', param: 'TEAM.app.voip' }, 10_000);
    const b = waits.wait('call-b', { provider: 'apns', prid: 'tok' }, 10_000);
    const other = waits.wait('call-c', { provider: 'apns', prid: 'another' }, 50);
    expect(waits.waitingFor('tok').map((w) => w.callId)).toEqual(['call-a', 'call-b']);
    now = 1750;
    expect(waits.wake(binding({ provider: 'APNS', prid: 'tok', param: 'TEAM.other.voip' }))).toEqual(['call-b']);
    expect(waits.wake(binding({ provider: 'apns', prid: 'tok', param: 'TEAM.app.voip' }))).toEqual(['call-a']);
    expect(await a.outcome).toMatchObject({ kind: 'registered', afterMs: 750, binding: { ownerNode: 'node-b' } });
    expect(await b.outcome).toMatchObject({ kind: 'registered' });
    expect(await other.outcome).toEqual({ kind: 'timeout' });
    expect(waits.size).toBe(0);
  });

  it('a cancelled wait ends with its cause and is no longer found; a call id waits once', async () => {
    const waits = new PushWaits();
    const w = waits.wait('call-x', { provider: 'fcm', prid: 'p' }, 10_000);
    expect(() => waits.wait('call-x', { provider: 'fcm', prid: 'p' }, 10_000)).toThrow(/already waits/);
    expect(waits.find('call-x')).toBe(w);
    expect(waits.cancel('call-x', 'LOSE_RACE')).toBe(true);
    expect(waits.cancel('call-x', 'LOSE_RACE')).toBe(false);
    expect(await w.outcome).toEqual({ kind: 'cancelled', cause: 'LOSE_RACE' });
    expect(waits.find('call-x')).toBeUndefined();
    expect(waits.wake(binding({ provider: 'fcm', prid: 'p' }))).toEqual([]);
  });

  it('sameDevice: provider case-insensitive, prid exact, param only when the waiting leg names one', () => {
    expect(sameDevice({ provider: 'fcm', prid: 'A' }, { provider: 'FCM', prid: 'A', param: 'x' })).toBe(true);
    expect(sameDevice({ provider: 'fcm', prid: 'A' }, { provider: 'fcm', prid: 'a' })).toBe(false);
    expect(sameDevice({ provider: 'fcm', prid: 'A', param: 'x' }, { provider: 'fcm', prid: 'A' })).toBe(false);
  });
});
