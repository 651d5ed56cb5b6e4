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

    it('rejects malformed AORs and contacts', async () => {
      await expectCode(h.store.registrations.upsert('no-realm', contact()), 'invalid_input');
      await expectCode(h.store.registrations.upsert('a@b', { ...contact(), transport: 'sctp' } as unknown as Contact), 'invalid_input');
      await expectCode(h.store.registrations.upsert('a@b', { ...contact(), expiresAt: -5 }), 'invalid_input');
    });
  });
}
