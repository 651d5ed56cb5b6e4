import type { Contact } from '../registration';
import { type HarnessFactory, type StoreHarness, expectCode, uid } from './store-harness';

export function registrationsContract(makeHarness: HarnessFactory): void {
  describe('registrations', () => {
    let h: StoreHarness;
    beforeEach(async () => {
      h = await makeHarness();
    });
    afterEach(() => h.store.close());

    const contact = (overrides: Partial<Contact> = {}): Contact => ({
      uri: `sip:${uid('ua')}@192.0.2.10:5060`,
      expiresAt: h.now() + 60_000,
      nodeId: 'node-1',
      transport: 'udp',
      ...overrides,
    });

    it('keeps several contacts per AOR, replaces by instance id and removes one or all', async () => {
      const { registrations } = h.store;
      const aor = `${uid('user')}@example.com`;
      const desk = contact({ instanceId: '<urn:uuid:desk>', regId: 1, transport: 'tcp', userAgent: 'Desk/1', path: ['<sip:edge;lr>'], callId: 'reg-1', cseq: 7 });
      const soft = contact({ transport: 'wss', flowToken: 'flow-9', source: '198.51.100.7:40000', expiresAt: h.now() + 120_000 });
      await registrations.upsert(aor, desk);
      await registrations.upsert(aor, soft);
      expect(await registrations.list(aor)).toEqual([soft, desk]);

      const moved = { ...desk, uri: 'sip:desk@192.0.2.99:5060', cseq: 8 };
      await registrations.upsert(aor, moved);
      expect(await registrations.list(aor)).toEqual([soft, moved]);

      expect(await registrations.remove(aor, { uri: soft.uri })).toBe(true);
      expect(await registrations.remove(aor, { uri: soft.uri })).toBe(false);
      expect(await registrations.list(aor)).toEqual([moved]);
      await registrations.upsert(aor, soft);
      expect(await registrations.removeAll(aor)).toBe(2);
      expect(await registrations.list(aor)).toEqual([]);
    });

    it('filters and prunes expired contacts, and treats a past expiry as removal', async () => {
      const { registrations } = h.store;
      const aor = `${uid('user')}@example.com`;
      const brief = contact({ expiresAt: h.now() + 200 });
      const lasting = contact();
      await registrations.upsert(aor, brief);
      await registrations.upsert(aor, lasting);
      await h.advance(400);
      expect(await registrations.list(aor)).toEqual([lasting]);
      expect(await registrations.remove(aor, { uri: brief.uri })).toBe(false);
      await registrations.upsert(aor, { ...lasting, expiresAt: h.now() - 1 });
      expect(await registrations.list(aor)).toEqual([]);
    });

    it('finds the binding of a push token while it is live', async () => {
      const { registrations } = h.store;
      const aor = `${uid('user')}@example.com`;
      const prid = uid('prid');
      const phone = contact({ pushProvider: 'apns', pushPrid: prid, pushParam: 'ABCD.com.example.voip', instanceId: '<urn:uuid:phone>', expiresAt: h.now() + 800 });
      await registrations.upsert(aor, phone);
      await registrations.upsert(aor, contact());
      expect(await registrations.findByPushPrid(prid)).toEqual([{ aor, contact: phone }]);
      expect(await registrations.findByPushPrid(uid('none'))).toEqual([]);
      await h.advance(1000);
      expect(await registrations.findByPushPrid(prid)).toEqual([]);
    });

    it('keeps the last push parameters of an AOR after its binding lapsed, until removeAll', async () => {
      const { registrations } = h.store;
      const aor = `${uid('sleeper')}@example.com`;
      expect(await registrations.lastPush(aor)).toBeNull();
      await registrations.bind(aor, [contact({ pushProvider: 'fcm', pushPrid: 'old', expiresAt: h.now() + 500 })], 10);
      await registrations.upsert(aor, contact({ uri: 'sip:m@192.0.2.9:5062', pushProvider: 'apns', pushPrid: 'tok', pushParam: 'TEAM.app.voip', expiresAt: h.now() + 500 }));
      await registrations.upsert(aor, contact({ uri: 'sip:desk@192.0.2.10' }));
      await h.advance(1000);
      expect(await registrations.list(aor)).toHaveLength(1);
      expect(await registrations.lastPush(aor)).toEqual({ provider: 'apns', prid: 'tok', param: 'TEAM.app.voip' });
      await registrations.removeAll(aor);
      expect(await registrations.lastPush(aor)).toBeNull();
    });

    it('binds within a cap: the oldest other bindings go, the same instance updates in place', async () => {
      const { registrations } = h.store;
      const aor = `${uid('capped')}@example.com`;
      const at = (ms: number) => h.now() + ms;
      const old = contact({ registeredAt: at(-3000) });
      const phone = contact({ instanceId: '<urn:uuid:phone>', regId: 1, registeredAt: at(-2000) });
      const mid = contact({ registeredAt: at(-1000) });
      expect(await registrations.bind(aor, [old, phone, mid], 3)).toEqual([]);
      const movedPhone = { ...phone, uri: 'sip:phone@192.0.2.77:5060', registeredAt: at(0) };
      expect(await registrations.bind(aor, [movedPhone], 3)).toEqual([]);
      const fresh = contact({ registeredAt: at(0) });
      expect(await registrations.bind(aor, [fresh], 3)).toEqual([old]);
      expect((await registrations.list(aor)).map((c) => c.uri).sort()).toEqual([movedPhone.uri, mid.uri, fresh.uri].sort());
      const pair = [contact({ registeredAt: at(1) }), contact({ registeredAt: at(1) })];
      expect((await registrations.bind(aor, pair, 3)).map((c) => c.uri).sort()).toEqual([mid.uri, movedPhone.uri].sort());
      expect((await registrations.list(aor)).map((c) => c.uri).sort()).toEqual([fresh.uri, ...pair.map((c) => c.uri)].sort());
    });

    it('never lets concurrent binds push an AOR past its cap', async () => {
      const { registrations } = h.store;
      const aor = `${uid('race')}@example.com`;
      await Promise.all(Array.from({ length: 40 }, (_, i) => registrations.bind(aor, [contact({ registeredAt: h.now() + i })], 5)));
      expect(await registrations.list(aor)).toHaveLength(5);
    });

    it('treats past expiries in a bind as removals and refuses more contacts than the cap', async () => {
      const { registrations } = h.store;
      const aor = `${uid('bind')}@example.com`;
      const kept = contact();
      await registrations.bind(aor, [kept, contact()], 2);
      const first = (await registrations.list(aor)).find((c) => c.uri !== kept.uri);
      if (first === undefined) throw new Error('second binding missing');
      await registrations.bind(aor, [{ ...first, expiresAt: h.now() - 1 }], 2);
      expect(await registrations.list(aor)).toEqual([kept]);
      await expectCode(registrations.bind(aor, [contact(), contact(), contact()], 2), 'invalid_input');
      await expectCode(registrations.bind(aor, [contact()], 0), 'invalid_input');
      expect(await registrations.list(aor)).toEqual([kept]);
    });

    it('rejects malformed AORs and contacts', async () => {
      await expectCode(h.store.registrations.upsert('no-realm', contact()), 'invalid_input');
      await expectCode(h.store.registrations.upsert('a@b', { ...contact(), transport: 'sctp' } as unknown as Contact), 'invalid_input');
      await expectCode(h.store.registrations.upsert('a@b', { ...contact(), expiresAt: -5 }), 'invalid_input');
    });
  });
}
