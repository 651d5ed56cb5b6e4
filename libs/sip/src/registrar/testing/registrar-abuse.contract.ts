import { createHash } from 'node:crypto';
import { ManualClock } from '@legwork/call-state';
import type { Account } from '@legwork/directory';
import { parseAuth } from '../../message/sip-auth';
import { Registrar } from '../registrar';
import type { RegistrarOptions } from '../registrar.options';
import { RegisterClient, header, udpSource } from './register-client';
import type { RegistrarHarness } from './registrar.contract';

/** Nonces the per-node table of earlier versions remembered; a replay had to outlast this many others. */
const OLD_TABLE_CAPACITY = 10_000;
const PASSWORD = 'dave-pa55';

/**
 * Replays, RFC 2069 answers and contact floods against any directory + call store pair. `replayFlood` is how
 * many other REGISTERs a captured Authorization must outlast; a store's own contract proves its counter has no
 * capacity (12,000 nonces), so a networked store may run the registrar-level flood smaller.
 */
export function registrarAbuseContract(name: string, makeHarness: (clock: ManualClock) => Promise<RegistrarHarness>, replayFlood = OLD_TABLE_CAPACITY + 50): void {
  describe(`Registrar under abuse (${name})`, () => {
    let h: RegistrarHarness;
    let account: Account;
    let realm: string;
    const make = (opts: Partial<RegistrarOptions> = {}) => new Registrar({ directory: h.directory, calls: h.calls, nodeId: 'node-a', secret: 'registrar-abuse-secret', clock: h.clock, algorithms: ['MD5'], ...opts });
    const contact = (n: number, params = '') => `<sip:dave@198.51.100.${n}:5062>${params}`;

    beforeAll(async () => {
      h = await makeHarness(new ManualClock(Date.now()));
      const suffix = Math.random().toString(36).slice(2, 10);
      realm = `abuse${suffix}.legwork.test`;
      account = await h.directory.accounts.create({ name: `abuse-${suffix}`, realm });
      await h.directory.devices.create(account.id, { name: 'dave phone', sip: { username: 'dave', password: PASSWORD } });
    });

    afterAll(async () => {
      await h.dispose();
    });

    beforeEach(async () => {
      await h.calls.registrations.removeAll(`dave@${realm}`);
    });

    it(`refuses a captured Authorization replayed after ${replayFlood} other REGISTERs`, async () => {
      const registrar = make();
      const victim = new RegisterClient(registrar, 'dave', realm, PASSWORD);
      expect((await victim.register({ contacts: [contact(1)], expires: 600 }, 'MD5')).status).toBe(200);
      const captured = victim.lastAuthorization;
      for (let done = 0; done < replayFlood; done += 250) {
        const batch = Array.from({ length: 250 }, async () => (await new RegisterClient(registrar, 'dave', realm, PASSWORD).register({}, 'MD5')).status);
        expect(new Set(await Promise.all(batch))).toEqual(new Set([200]));
      }
      const attacker = new RegisterClient(registrar, 'dave', realm, PASSWORD, { ...udpSource, remoteAddress: '203.0.113.66' });
      const replay = await attacker.send({ contacts: ['<sip:evil@203.0.113.66:5062>'], expires: 600, authorization: captured });
      expect(replay.status).toBe(401);
      expect((await h.calls.registrations.list(`dave@${realm}`)).map((c) => c.uri)).toEqual(['sip:dave@198.51.100.1:5062']);
    }, 120_000);

    it('refuses a captured Authorization replayed to a second registrar sharing the store', async () => {
      const victim = new RegisterClient(make(), 'dave', realm, PASSWORD);
      expect((await victim.register({ contacts: [contact(2)], expires: 600 }, 'MD5')).status).toBe(200);
      const other = new RegisterClient(make({ nodeId: 'node-b' }), 'dave', realm, PASSWORD);
      expect((await other.send({ contacts: ['<sip:evil@203.0.113.66:5062>'], authorization: victim.lastAuthorization })).status).toBe(401);
      expect((await h.calls.registrations.list(`dave@${realm}`)).map((c) => c.nodeId)).toEqual(['node-a']);
    });

    it('refuses an RFC 2069 answer (no qop), which has no nonce-count to track', async () => {
      const ua = new RegisterClient(make(), 'dave', realm, PASSWORD);
      const challenge = parseAuth(header(await ua.send({ contacts: [contact(3)] }), 'WWW-Authenticate')[0]);
      const md5 = (text: string) => createHash('md5').update(text).digest('hex');
      const uri = `sip:${realm}`;
      const response = md5(`${md5(`dave:${realm}:${PASSWORD}`)}:${challenge.get('nonce')}:${md5(`REGISTER:${uri}`)}`);
      const authorization = `Digest username="dave", realm="${realm}", nonce="${challenge.get('nonce')}", uri="${uri}", response="${response}", algorithm=MD5, opaque="${challenge.get('opaque')}"`;
      for (let i = 0; i < 2; i++) expect((await ua.send({ contacts: [contact(3)], authorization })).status).toBe(401);
      expect(await h.calls.registrations.list(`dave@${realm}`)).toEqual([]);
    });

    it('replaces the oldest bindings beyond maxContacts and updates the same instance in place', async () => {
      const registrar = make({ maxContacts: 3 });
      const ua = () => new RegisterClient(registrar, 'dave', realm, PASSWORD);
      const instance = ';+sip.instance="<urn:uuid:0a0a0a0a-0000-1000-8000-000000000001>";reg-id=1';
      expect((await ua().register({ contacts: [contact(10, instance)], expires: 600 }, 'MD5')).status).toBe(200);
      for (const n of [11, 12]) {
        h.clock.advance(1000);
        expect((await ua().register({ contacts: [contact(n)], expires: 600 }, 'MD5')).status).toBe(200);
      }
      h.clock.advance(1000);
      // the same instance from a new address: an update, nothing is evicted
      const moved = await ua().register({ contacts: [contact(20, instance)], expires: 600 }, 'MD5');
      expect(header(moved, 'Contact').map((c) => c.slice(0, c.indexOf('>') + 1)).sort()).toEqual([contact(11), contact(12), contact(20)].sort());
      h.clock.advance(1000);
      const fourth = await ua().register({ contacts: [contact(13)], expires: 600 }, 'MD5');
      expect(fourth.status).toBe(200);
      expect((await h.calls.registrations.list(`dave@${realm}`)).map((c) => c.uri).sort()).toEqual(['sip:dave@198.51.100.12:5062', 'sip:dave@198.51.100.13:5062', 'sip:dave@198.51.100.20:5062']);
    });

    it('refuses one REGISTER carrying more contacts than maxContacts with 403 and stores none of them', async () => {
      const registrar = make({ maxContacts: 3 });
      const reply = await new RegisterClient(registrar, 'dave', realm, PASSWORD).register({ contacts: [30, 31, 32, 33].map((n) => contact(n)), expires: 600 }, 'MD5');
      expect([reply.status, reply.reason]).toEqual([403, 'Too Many Contacts']);
      expect(await h.calls.registrations.list(`dave@${realm}`)).toEqual([]);
      // removals do not count against the cap
      const removals = [30, 31, 32, 33].map((n) => `${contact(n)};expires=0`);
      expect((await new RegisterClient(registrar, 'dave', realm, PASSWORD).register({ contacts: [...removals, contact(34)] }, 'MD5')).status).toBe(200);
    });
  });
}
