import { type CallStore, ManualClock } from '@legwork/call-state';
import type { Account, Directory } from '@legwork/directory';
import { parseAuth } from '../../message/sip-auth';
import type { SipSource } from '../../transport/transport.types';
import { Registrar } from '../registrar';
import type { RegistrarOptions } from '../registrar.options';
import { RegisterClient, header } from './register-client';

export interface RegistrarHarness {
  directory: Directory;
  calls: CallStore;
  clock: ManualClock;
  dispose(): Promise<void>;
}

const PASSWORD = 'alice-pa55';

/** The same behaviour against any directory + call store pair (in-process or Redis). */
export function registrarContract(name: string, makeHarness: (clock: ManualClock) => Promise<RegistrarHarness>): void {
  describe(`Registrar (${name})`, () => {
    let h: RegistrarHarness;
    let account: Account;
    let realm: string;
    let registrar: Registrar;

    const make = (opts: Partial<RegistrarOptions> = {}) =>
      new Registrar({ directory: h.directory, calls: h.calls, nodeId: 'node-a', secret: 'registrar-test-secret', clock: h.clock, pushProviders: ['apns', 'fcm'], ...opts });
    const alice = (source?: SipSource) => new RegisterClient(registrar, 'alice', realm, PASSWORD, source);
    const contact = (n: number, extra = '') => `<sip:alice@192.0.2.${n}:5062;transport=udp${extra}>`;

    beforeAll(async () => {
      h = await makeHarness(new ManualClock(Date.now()));
      const suffix = Math.random().toString(36).slice(2, 10);
      realm = `reg${suffix}.legwork.test`;
      account = await h.directory.accounts.create({ name: `reg-${suffix}`, realm });
      await h.directory.devices.create(account.id, { name: 'alice phone', sip: { username: 'alice', password: PASSWORD } });
      await h.directory.devices.create(account.id, { name: 'bob phone', sip: { username: 'bob', password: 'bob-pa55' } });
      await h.directory.devices.create(account.id, { name: 'carol phone', enabled: false, sip: { username: 'carol', password: 'carol-pa55' } });
    });

    afterAll(async () => {
      await h.dispose();
    });

    beforeEach(async () => {
      registrar = make();
      for (const user of ['alice', 'bob', 'carol']) await h.calls.registrations.removeAll(`${user}@${realm}`);
    });

    it('challenges an unauthenticated REGISTER with SHA-256 then MD5, and accepts the answer', async () => {
      const ua = alice();
      const first = await ua.send({ contacts: [contact(1)], expires: 600 });
      expect(first.status).toBe(401);
      const challenges = header(first, 'WWW-Authenticate').map(parseAuth);
      expect(challenges.map((c) => c.get('algorithm'))).toEqual(['SHA-256', 'MD5']);
      expect(challenges[0].get('realm')).toBe(realm);
      expect(await h.calls.registrations.list(`alice@${realm}`)).toEqual([]);
      const ok = await ua.send({ contacts: [contact(1)], expires: 600, authorization: ua.answer(header(first, 'WWW-Authenticate')[1]) });
      expect(ok.status).toBe(200);
      expect(header(ok, 'Contact')).toEqual([`${contact(1)};expires=600`]);
      expect(header(ok, 'Date')[0]).toMatch(/GMT$/);
      const [binding] = await h.calls.registrations.list(`alice@${realm}`);
      expect(binding).toMatchObject({ uri: 'sip:alice@192.0.2.1:5062;transport=udp', nodeId: 'node-a', transport: 'udp', source: '127.0.0.1:5062', callId: ua.callId, cseq: 2 });
      expect(binding.expiresAt).toBe(h.clock.now() + 600_000);
      expect(ok.aor).toBe(`alice@${realm}`);
    });

    it('turns the reply into a valid response with a To tag', async () => {
      const ua = alice();
      const request = ua.build({ contacts: [contact(1)] });
      const reply = await registrar.handle(request, ua.source);
      const response = ua.toResponse(request, reply);
      expect(response.status).toBe(401);
      expect(response.toTag).toBe(reply.toTag);
      expect(response.getAuth('www-authenticate').ok).toBe(true);
    });

    it('re-challenges a wrong password and stores nothing', async () => {
      const ua = new RegisterClient(registrar, 'alice', realm, 'not-the-password');
      const reply = await ua.register({ contacts: [contact(1)] });
      expect(reply.status).toBe(401);
      expect(await h.calls.registrations.list(`alice@${realm}`)).toEqual([]);
    });

    it('forbids credentials of another user for this AOR (403)', async () => {
      const ua = new RegisterClient(registrar, 'alice', realm, 'bob-pa55', undefined, 'bob');
      expect((await ua.register({ contacts: [contact(1)] })).status).toBe(403);
    });

    it('answers an unknown realm and an unknown user like a wrong password: a fresh challenge for the realm asked', async () => {
      const stranger = await new RegisterClient(registrar, 'alice', 'nowhere.invalid', PASSWORD).register({ contacts: [contact(1)] });
      expect(stranger.status).toBe(401);
      expect(header(stranger, 'WWW-Authenticate').map((c) => parseAuth(c).get('realm'))).toEqual(['nowhere.invalid', 'nowhere.invalid']);
      const ghost = await new RegisterClient(registrar, 'zed', realm, 'x').register({ contacts: [contact(1)] });
      expect([ghost.status, header(ghost, 'WWW-Authenticate').length]).toEqual([401, 2]);
    });

    it('tells a disabled account only to a device that proved its password', async () => {
      const suffix = Math.random().toString(36).slice(2, 10);
      const off = await h.directory.accounts.create({ name: `off-${suffix}`, realm: `off${suffix}.legwork.test`, enabled: false });
      await h.directory.devices.create(off.id, { name: 'dormant', sip: { username: 'dormant', password: 'dormant-pa55' } });
      expect((await new RegisterClient(registrar, 'dormant', off.realm, 'guess').register({ contacts: [contact(1)] })).status).toBe(401);
      const proven = await new RegisterClient(registrar, 'dormant', off.realm, 'dormant-pa55').register({ contacts: [contact(1)] });
      expect([proven.status, proven.reason]).toEqual([403, 'Account Disabled']);
    });

    it('forbids a disabled device (403) once its password checks out', async () => {
      expect((await new RegisterClient(registrar, 'carol', realm, 'carol-pa55').register({ contacts: [contact(1)] })).status).toBe(403);
    });

    it('answers 423 with Min-Expires below the minimum, and clamps above the maximum', async () => {
      const brief = await alice().register({ contacts: [contact(1)], expires: 30 });
      expect(brief.status).toBe(423);
      expect(header(brief, 'Min-Expires')).toEqual(['60']);
      expect((await alice().register({ contacts: [`${contact(1)};expires=59`] })).status).toBe(423);
      const long = await alice().register({ contacts: [contact(2)], expires: 99_999 });
      expect(long.status).toBe(200);
      expect(header(long, 'Contact')).toEqual([`${contact(2)};expires=3600`]);
    });

    it('keeps several contacts per AOR, from one REGISTER and from another UA', async () => {
      expect((await alice().register({ contacts: [contact(1), `${contact(2)};expires=120`], expires: 900 })).status).toBe(200);
      const reply = await alice().register({ contacts: [contact(3)], expires: 300 });
      expect(header(reply, 'Contact').sort()).toEqual([`${contact(1)};expires=900`, `${contact(2)};expires=120`, `${contact(3)};expires=300`].sort());
      expect(reply.bindings).toHaveLength(3);
    });

    it('removes one contact with expires=0 and every contact with * and Expires: 0', async () => {
      const ua = alice();
      await ua.register({ contacts: [contact(1), contact(2)], expires: 600 });
      const afterOne = await ua.register({ contacts: [`${contact(1)};expires=0`] });
      expect(header(afterOne, 'Contact')).toEqual([`${contact(2)};expires=600`]);
      expect((await ua.register({ contacts: ['*'], expires: 60 })).status).toBe(400);
      expect((await ua.register({ contacts: ['*'] })).status).toBe(400);
      const cleared = await ua.register({ contacts: ['*'], expires: 0 });
      expect(cleared.status).toBe(200);
      expect(header(cleared, 'Contact')).toEqual([]);
      expect(await h.calls.registrations.list(`alice@${realm}`)).toEqual([]);
    });

    it('refuses an out-of-order CSeq within the same Call-ID (500) but not from a new Call-ID', async () => {
      const ua = alice();
      expect((await ua.register({ contacts: [contact(1)], expires: 600, cseq: 10 })).status).toBe(200);
      const auth = ua.answer(ua.lastChallenge ?? '');
      expect((await ua.send({ contacts: [contact(1)], expires: 300, cseq: 11, authorization: auth })).status).toBe(500);
      expect((await ua.send({ contacts: ['*'], expires: 0, cseq: 5, authorization: ua.answer(ua.lastChallenge ?? '') })).status).toBe(500);
      const other = alice();
      expect((await other.register({ contacts: [contact(1)], expires: 300, cseq: 1 })).status).toBe(200);
      const [binding] = await h.calls.registrations.list(`alice@${realm}`);
      expect(binding.callId).toBe(other.callId);
    });

    it('stores RFC 8599 push parameters and answers with Feature-Caps', async () => {
      const push = ';pn-provider=apns;pn-prid=00fc13adff78512;pn-param=ABCD1234.com.example.voip';
      const reply = await alice().register({ contacts: [contact(4, push)], expires: 600 });
      expect(reply.status).toBe(200);
      expect(header(reply, 'Feature-Caps')).toEqual(['*;+sip.pns="apns"']);
      const [binding] = await h.calls.registrations.list(`alice@${realm}`);
      expect(binding).toMatchObject({ pushProvider: 'apns', pushPrid: '00fc13adff78512', pushParam: 'ABCD1234.com.example.voip' });
      expect(await h.calls.registrations.findByPushPrid('00fc13adff78512')).toEqual([{ aor: `alice@${realm}`, contact: binding }]);
      expect(header(await alice().register({ contacts: [contact(5)] }), 'Feature-Caps')).toEqual([]);
      expect((await alice().register({ contacts: [contact(6, ';pn-provider=smoke-signal;pn-prid=x')] })).status).toBe(555);
    });

    it('lists bindings for a fetch (no Contact) without changing them', async () => {
      await alice().register({ contacts: [contact(1)], expires: 600 });
      h.clock.advance(10_000);
      const fetched = await alice().register();
      expect(fetched.status).toBe(200);
      expect(header(fetched, 'Contact')).toEqual([`${contact(1)};expires=590`]);
    });

    it('stores the flow token, transport, instance and reg-id, and requires outbound on a stream flow', async () => {
      const ws: SipSource = { protocol: 'ws', remoteAddress: '::1', remotePort: 40000, localAddress: '::1', localPort: 5066, flowId: 'flow-abc' };
      const instance = '+sip.instance="<urn:uuid:00000000-0000-1000-8000-000A95A0E128>";reg-id=1';
      const headers: Array<[string, string]> = [['Supported', 'outbound, path'], ['User-Agent', 'TestPhone/1.0'], ['Path', '<sip:edge.example;lr;ob>']];
      const reply = await alice(ws).register({ contacts: [`<sip:x1@df7jal23ls0d.invalid;transport=ws>;${instance}`], expires: 600, headers });
      expect(reply.status).toBe(200);
      expect(header(reply, 'Require')).toEqual(['outbound']);
      expect(header(reply, 'Path')).toEqual(['<sip:edge.example;lr;ob>']);
      expect(header(reply, 'Contact')[0]).toContain(';+sip.instance="<urn:uuid:00000000-0000-1000-8000-000A95A0E128>";reg-id=1');
      const [binding] = await h.calls.registrations.list(`alice@${realm}`);
      expect(binding).toMatchObject({ transport: 'ws', flowToken: 'flow-abc', source: '[::1]:40000', instanceId: '<urn:uuid:00000000-0000-1000-8000-000A95A0E128>', regId: 1, userAgent: 'TestPhone/1.0', path: ['<sip:edge.example;lr;ob>'] });
      // the same instance and reg-id from a new flow replaces the binding (RFC 5626 §6)
      const again = await alice({ ...ws, flowId: 'flow-def' }).register({ contacts: [`<sip:x2@df7jal23ls0d.invalid;transport=ws>;${instance}`], expires: 600, headers });
      expect(header(again, 'Contact')).toHaveLength(1);
      expect((await h.calls.registrations.list(`alice@${realm}`))[0]).toMatchObject({ flowToken: 'flow-def', uri: 'sip:x2@df7jal23ls0d.invalid;transport=ws' });
      expect(header(await alice().register({ contacts: [contact(1)], headers: [['Supported', 'outbound']] }), 'Require')).toEqual([]);
    });

    it('asks a client with an expired nonce to retry with stale=true', async () => {
      const ua = alice();
      const first = await ua.send({ contacts: [contact(1)] });
      const challenge = header(first, 'WWW-Authenticate')[0];
      h.clock.advance(301_000);
      const stale = await ua.send({ contacts: [contact(1)], authorization: ua.answer(challenge) });
      expect(stale.status).toBe(401);
      expect(parseAuth(header(stale, 'WWW-Authenticate')[0]).get('stale')).toBe('true');
      expect((await ua.send({ contacts: [contact(1)], authorization: ua.answer(header(stale, 'WWW-Authenticate')[0]) })).status).toBe(200);
    });

    it('re-challenges a replayed Authorization (same nonce-count)', async () => {
      const ua = alice();
      expect((await ua.register({ contacts: [contact(1)] })).status).toBe(200);
      expect((await ua.send({ contacts: [contact(1)], authorization: ua.lastAuthorization })).status).toBe(401);
    });

    it('rejects malformed input with 400 and unknown required extensions with 420', async () => {
      const ua = alice();
      expect((await ua.register({ contacts: [contact(1)], expires: 'soon' })).status).toBe(400);
      expect((await ua.register({ contacts: [`${contact(1)};expires=later`] })).status).toBe(400);
      expect((await ua.send({ contacts: [contact(1)], authorization: 'Digest username="alice"' })).status).toBe(400);
      const ext = await ua.send({ contacts: [contact(1)], headers: [['Require', 'foo, path']] });
      expect(ext.status).toBe(420);
      expect(header(ext, 'Unsupported')).toEqual(['foo']);
    });

    it('supports MD5 answers too', async () => {
      expect((await alice().register({ contacts: [contact(1)] }, 'MD5')).status).toBe(200);
    });
  });
}
