import { type CallStore, type Contact, createCallStore } from '@legwork/call-state';
import type { OriginateEndpoint, OriginateRequest } from '@legwork/contracts';
import { type Account, createDirectory, type Directory } from '@legwork/directory';
import { targetForBinding } from '@legwork/sip';
import Redis from 'ioredis';
import type { EndpointResolver } from '../engine/originate.types';
import { type ContactLookup, contactsFromSipServer } from './endpoint-contacts';
import { createEndpointResolver } from './endpoint-resolver';

interface ResolverHarness {
  directory: Directory;
  calls: CallStore;
  dispose(): Promise<void>;
}

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const NODE = 'node-a';
let seq = 0;

/** A binding as the registrar stores it: its source is where the REGISTER came from (here, the Contact's host:port). */
function contact(uri: string, over: Partial<Contact> = {}): Contact {
  const source = /@([^;>?]+)/.exec(uri)?.[1];
  return { uri, expiresAt: Date.now() + 3_600_000, nodeId: NODE, transport: 'udp', ...(source !== undefined ? { source } : {}), ...over };
}

function request(endpoints: OriginateEndpoint[], over: Partial<OriginateRequest> = {}): OriginateRequest {
  return { 'App-Name': 'test', 'App-Version': '1', 'Event-Category': 'resource', 'Event-Name': 'originate_req', 'Application-Name': 'park', Endpoints: endpoints, ...over } as OriginateRequest;
}

/** The resolver's behaviour, run against every store driver. */
function endpointResolverContract(name: string, open: () => Promise<ResolverHarness>): void {
  describe(`endpoint resolver (${name})`, () => {
    let h: ResolverHarness;
    let account: Account;
    let resolver: EndpointResolver;
    let lookup: ContactLookup;
    const realm = () => account.realm;

    beforeAll(async () => {
      h = await open();
    });
    afterAll(() => h.dispose());

    beforeEach(async () => {
      seq += 1;
      const tag = `${seq}x${Math.random().toString(36).slice(2, 8)}`;
      account = await h.directory.accounts.create({ name: `acct${tag}`, realm: `acct${tag}.legwork.local` });
      const here = { nodeId: NODE, holds: () => false };
      const server = {
        contactsFor: async (aor: string) => (await h.calls.registrations.list(aor)).flatMap((c) => { const target = targetForBinding(c, here); return target === undefined ? [] : [{ contact: c, target }]; }),
        targetForBinding: (c: Contact) => targetForBinding(c, here),
      };
      lookup = contactsFromSipServer(server);
      resolver = createEndpointResolver({ directory: h.directory, calls: h.calls, contactsFor: lookup });
    });

    const register = (user: string, c: Contact) => h.calls.registrations.upsert(`${user}@${realm()}`, c);

    it('a device with push settings and no live binding resolves to a push leg (its AOR, never dialled); one that refuses calls stays unregistered', async () => {
      const mobile = await h.directory.devices.create(account.id, { name: 'mobile', device_type: 'mobile', sip: { username: 'mobile', password: 'pw-mobile' }, push: { provider: 'APNS', prid: 'tok-1', param: 'TEAM.app.voip' } });
      const refusing = await h.directory.devices.create(account.id, { name: 'quiet', sip: { username: 'quiet', password: 'pw-quiet' }, push: { provider: 'fcm', prid: 'tok-2', accept_calls: false } });
      const { endpoints, failures } = await resolver.resolve(request([
        { 'Invite-Format': 'username', 'To-Username': 'mobile', 'To-Realm': realm(), 'Endpoint-ID': mobile.id },
        { 'Invite-Format': 'e164', 'To-DID': '+14155550100', 'To-Username': 'mobile', 'To-Realm': realm(), 'Endpoint-ID': mobile.id },
        { 'Invite-Format': 'username', 'To-Username': 'quiet', 'To-Realm': realm(), 'Endpoint-ID': refusing.id },
      ]), account.id, NODE);
      expect(endpoints.map((e) => [e.requestUri, e.aor, e.push])).toEqual([
        [`sip:mobile@${realm()}`, `mobile@${realm()}`, { provider: 'apns', prid: 'tok-1', param: 'TEAM.app.voip' }],
        [`sip:+14155550100@${realm()}`, `mobile@${realm()}`, { provider: 'apns', prid: 'tok-1', param: 'TEAM.app.voip', requestUser: '+14155550100' }],
      ]);
      expect(failures).toEqual([expect.objectContaining({ index: 2, cause: 'DESTINATION_OUT_OF_ORDER' })]);
      await register('mobile', contact('sip:mobile@127.0.0.1:5090;pn-provider=apns;pn-prid=tok-1'));
      const live = await resolver.resolve(request([{ 'Invite-Format': 'username', 'To-Username': 'mobile', 'To-Realm': realm(), 'Endpoint-ID': mobile.id }]), account.id, NODE);
      expect(live.endpoints.map((e) => [e.requestUri, e.push])).toEqual([['sip:mobile@127.0.0.1:5090;pn-provider=apns;pn-prid=tok-1', undefined]]);
    });

    it('a lapsed binding that had push parameters resolves to a push leg with them, unless the device refuses push calls', async () => {
      const quiet = await h.directory.devices.create(account.id, { name: 'q', sip: { username: 'q', password: 'pw-q' }, push: { provider: 'fcm', prid: 'dir-tok', accept_calls: false } });
      for (const user of ['lapsed', 'q']) await register(user, contact(`sip:${user}@127.0.0.1:5091`, { pushProvider: 'fcm', pushPrid: `tok-${user}`, pushParam: 'proj', expiresAt: Date.now() + 30 }));
      await new Promise((r) => setTimeout(r, 60));
      const { endpoints, failures } = await resolver.resolve(request([
        { 'Invite-Format': 'username', 'To-Username': 'lapsed', 'To-Realm': realm() },
        { 'Invite-Format': 'username', 'To-Username': 'q', 'To-Realm': realm(), 'Endpoint-ID': quiet.id },
      ]), account.id, NODE);
      expect(endpoints.map((e) => [e.requestUri, e.push])).toEqual([[`sip:lapsed@${realm()}`, { provider: 'fcm', prid: 'tok-lapsed', param: 'proj' }]]);
      expect(failures).toEqual([expect.objectContaining({ index: 1, cause: 'DESTINATION_OUT_OF_ORDER' })]);
    });

    it('rings every live contact of a username AOR, with distinct call ids', async () => {
      await register('alice', contact('sip:alice@127.0.0.1:5071'));
      await register('alice', contact('sip:alice@127.0.0.1:5072;transport=tcp', { transport: 'tcp', instanceId: 'x' }));
      const { endpoints, failures } = await resolver.resolve(request([{ 'Invite-Format': 'username', 'To-User': 'alice', 'To-Realm': realm() }]), account.id, NODE);
      expect(failures).toEqual([]);
      expect(endpoints.map((e) => e.requestUri).sort()).toEqual(['sip:alice@127.0.0.1:5071', 'sip:alice@127.0.0.1:5072;transport=tcp']);
      expect(endpoints.map((e) => e.target).sort((a, b) => a.port - b.port)).toEqual([{ protocol: 'udp', host: '127.0.0.1', port: 5071 }, { protocol: 'tcp', host: '127.0.0.1', port: 5072 }]);
      expect(new Set(endpoints.map((e) => e.callId)).size).toBe(2);
      expect(endpoints.every((e) => /^[0-9a-f]{32}$/.test(e.callId) && e.aor === `alice@${realm()}` && e.index === 0 && !e.autoAnswer)).toBe(true);
    });

    it('reads an AOR\'s bindings once for both its reachable contacts and the ones other nodes hold; a lookup that cannot tell them from bindings reads its own', async () => {
      await register('erin', contact('sip:erin@127.0.0.1:5073'));
      await register('erin', contact('sip:erin@10.9.9.8:40000;transport=tcp', { transport: 'tcp', nodeId: 'node-b', flowToken: 'f2', regId: 1, instanceId: 'j', source: '10.9.9.8:40000' }));
      const list = jest.spyOn(h.calls.registrations, 'list');
      const req = request([{ 'Invite-Format': 'username', 'To-User': 'erin', 'To-Realm': realm() }]);
      const expected = [['sip:erin@127.0.0.1:5073', undefined], ['sip:erin@10.9.9.8:40000;transport=tcp', 'node-b']];
      try {
        expect((await resolver.resolve(req, account.id, NODE)).endpoints.map((e) => [e.requestUri, e.ownerNode])).toEqual(expected);
        expect(list.mock.calls).toEqual([[`erin@${realm()}`]]);
        list.mockClear();
        const plain = createEndpointResolver({ directory: h.directory, calls: h.calls, contactsFor: (aor) => lookup(aor) });
        expect((await plain.resolve(req, account.id, NODE)).endpoints.map((e) => [e.requestUri, e.ownerNode])).toEqual(expected);
        expect(list).toHaveBeenCalledTimes(2);
      } finally {
        list.mockRestore();
      }
    });

    it('rings an endpoint naming no To-Realm under the account realm, read alongside its device, and hands the account on', async () => {
      const desk = await h.directory.devices.create(account.id, { name: 'desk', sip: { username: 'desk', password: 'pw-desk' } });
      await register('desk', contact('sip:desk@127.0.0.1:5073'));
      const resolution = await resolver.resolve(request([{ 'Invite-Format': 'username', 'To-Username': 'desk', 'Endpoint-ID': desk.id }]), account.id, NODE);
      expect(resolution.failures).toEqual([]);
      expect(resolution.endpoints.map((e) => [e.aor, e.endpointId])).toEqual([[`desk@${realm()}`, desk.id]]);
      expect(resolution.account).toMatchObject({ id: account.id, realm: realm() });
      const unknown = await resolver.resolve(request([{ 'Invite-Format': 'username', 'To-Username': 'desk', 'To-Realm': realm() }]), 'f'.repeat(32), NODE);
      expect(unknown.account).toBeNull();
    });

    it('reports an unregistered endpoint as DESTINATION_OUT_OF_ORDER and keeps resolving the others', async () => {
      await register('bob', contact('sip:bob@127.0.0.1:5073'));
      const { endpoints, failures } = await resolver.resolve(
        request([{ 'Invite-Format': 'username', 'To-User': 'nobody', 'To-Realm': realm() }, { 'Invite-Format': 'username', 'To-Username': 'bob', 'To-Realm': realm() }]),
        account.id,
        NODE,
      );
      expect(failures).toEqual([expect.objectContaining({ index: 0, cause: 'DESTINATION_OUT_OF_ORDER', reason: `nobody@${realm()} is not registered` })]);
      expect(endpoints).toEqual([expect.objectContaining({ index: 1, requestUri: 'sip:bob@127.0.0.1:5073' })]);
    });

    it('honours Outbound-Call-ID (endpoint first, the request one for a lone endpoint), headers, auto-answer and timers', async () => {
      await register('carol', contact('sip:carol@127.0.0.1:5074'));
      await register('carol', contact('sip:carol@127.0.0.1:5075'));
      const ep: OriginateEndpoint = {
        'Invite-Format': 'username',
        'To-User': 'carol',
        'To-Realm': realm(),
        'Custom-SIP-Headers': { 'X-Tag': 'ep', 'Call-ID': 'evil', 'X-Num': 7 },
        'Custom-Channel-Vars': { 'Auto-Answer': 'true' },
        'Endpoint-Timeout': 12,
        'Endpoint-Delay': 3,
      };
      const lone = await resolver.resolve(request([ep], { 'Outbound-Call-ID': 'req-id', 'Custom-SIP-Headers': { 'X-Tag': 'req', 'X-Req': 'r' } }), account.id, NODE);
      expect(lone.endpoints.map((e) => e.callId).sort()).toEqual(['req-id', 'req-id-1']);
      expect(lone.endpoints[0]).toMatchObject({ autoAnswer: true, timeoutSeconds: 12, delaySeconds: 3 });
      expect(lone.endpoints[0]?.headers).toEqual([['X-Tag', 'ep'], ['X-Req', 'r'], ['X-Num', '7']]);
      const two = await resolver.resolve(request([{ ...ep, 'Outbound-Call-ID': 'ep-id' }, ep], { 'Outbound-Call-ID': 'req-id' }), account.id, NODE);
      const ids = two.endpoints.map((e) => e.callId);
      expect(ids.filter((id) => id.startsWith('ep-id'))).toHaveLength(2);
      expect(ids.some((id) => id.startsWith('req-id'))).toBe(false);
    });

    it('rewrites the Request-URI user for e164, npan, 1npan and strip_plus', async () => {
      await register('dev1', contact('sip:dev1@127.0.0.1:5076;ob'));
      const formats = ['e164', 'npan', '1npan', 'strip_plus'] as const;
      const { endpoints } = await resolver.resolve(
        request(formats.map((f) => ({ 'Invite-Format': f, 'To-User': 'dev1', 'To-DID': f === 'strip_plus' ? '+14155551234' : '(415) 555-1234', 'To-Realm': realm() }))),
        account.id,
        NODE,
      );
      expect(endpoints.map((e) => e.requestUri)).toEqual(['sip:+14155551234@127.0.0.1:5076;ob', 'sip:4155551234@127.0.0.1:5076;ob', 'sip:14155551234@127.0.0.1:5076;ob', 'sip:14155551234@127.0.0.1:5076;ob']);
    });

    it('sends route and contact formats where they point', async () => {
      const { endpoints, failures } = await resolver.resolve(
        request([
          { 'Invite-Format': 'route', Route: 'sip:9000@10.1.2.3:5080;transport=tcp' },
          { 'Invite-Format': 'contact', 'To-User': 'x', 'To-Realm': realm(), 'To-URI': 'sip:x@10.1.2.4' },
          { 'Invite-Format': 'route', Route: 'not a uri' },
        ]),
        account.id,
        NODE,
      );
      expect(endpoints.map((e) => [e.requestUri, e.target])).toEqual([
        ['sip:9000@10.1.2.3:5080;transport=tcp', { protocol: 'tcp', host: '10.1.2.3', port: 5080 }],
        ['sip:x@10.1.2.4', { protocol: 'udp', host: '10.1.2.4', port: 5060 }],
      ]);
      expect(failures).toEqual([expect.objectContaining({ index: 2, cause: 'INVALID_NUMBER_FORMAT' })]);
    });

    it('marks flow bindings held by another node with ownerNode', async () => {
      await register('dave', contact('sip:dave@10.9.9.9:40000;transport=tcp', { transport: 'tcp', nodeId: 'node-b', flowToken: 'f1', regId: 1, instanceId: 'i', source: '10.9.9.9:40000' }));
      const { endpoints } = await resolver.resolve(request([{ 'Invite-Format': 'username', 'To-User': 'dave', 'To-Realm': realm() }]), account.id, NODE);
      expect(endpoints).toEqual([expect.objectContaining({ ownerNode: 'node-b', requestUri: 'sip:dave@10.9.9.9:40000;transport=tcp' })]);
    });

    it('takes the caller id of the Endpoint-ID device (external for public numbers) and refuses disabled devices', async () => {
      const owner = await h.directory.users.create(account.id, { first_name: 'E', last_name: 'F', caller_id: { external: { number: '+14155550000' } } });
      const device = await h.directory.devices.create(account.id, { name: 'desk', owner_id: owner.id, sip: { username: 'desk1', password: 'pw' }, caller_id: { internal: { name: 'Desk', number: '101' } } });
      const off = await h.directory.devices.create(account.id, { name: 'off', enabled: false, sip: { username: 'off1', password: 'pw' } });
      await register('desk1', contact('sip:desk1@127.0.0.1:5077'));
      await register('off1', contact('sip:off1@127.0.0.1:5078'));
      const ep = (id: string, user: string): OriginateEndpoint => ({ 'Invite-Format': 'username', 'To-User': user, 'To-Realm': realm(), 'Endpoint-ID': id });
      const internal = await resolver.resolve(request([ep(device.id, 'desk1'), ep(off.id, 'off1')], { 'Application-Name': 'transfer', 'Application-Data': { Route: '2001' } }), account.id, NODE);
      expect(internal.endpoints).toEqual([expect.objectContaining({ endpointId: device.id, callerId: { name: 'Desk', number: '101' }, owner: { id: owner.id } })]);
      expect(internal.failures).toEqual([expect.objectContaining({ index: 1, cause: 'DESTINATION_OUT_OF_ORDER', reason: `device ${off.id} is disabled` })]);
      const external = await resolver.resolve(request([ep(device.id, 'desk1')], { 'Application-Name': 'transfer', 'Application-Data': { Route: '4155551234' } }), account.id, NODE);
      expect(external.endpoints[0]?.callerId).toEqual({ number: '+14155550000' });
    });

    describe('resolveRoute', () => {
      it('prefers a local device, user or presence id of the account', async () => {
        const user = await h.directory.users.create(account.id, { first_name: 'G', last_name: 'H', username: 'gina', presence_id: '2002' });
        const desk = await h.directory.devices.create(account.id, { name: 'g1', owner_id: user.id, sip: { username: 'gina_desk', password: 'pw' } });
        await register('gina_desk', contact('sip:gina_desk@127.0.0.1:5079'));
        for (const route of ['gina_desk', 'gina', '2002', `sip:2002@${realm()}`]) {
          const found = await resolver.resolveRoute(route, account.id);
          expect(found.failure).toBeUndefined();
          expect(found.targets).toEqual([{ kind: 'local', requestUri: 'sip:gina_desk@127.0.0.1:5079', target: { protocol: 'udp', host: '127.0.0.1', port: 5079 }, headers: [], endpointId: desk.id }]);
        }
      });

      it('fails a local endpoint that is not registered or disabled, without trying carriers', async () => {
        await h.directory.devices.create(account.id, { name: 'x', sip: { username: '3003', password: 'pw' } });
        await h.directory.devices.create(account.id, { name: 'y', enabled: false, sip: { username: '3004', password: 'pw' } });
        expect(await resolver.resolveRoute('3003', account.id)).toEqual({ targets: [], failure: { cause: 'DESTINATION_OUT_OF_ORDER', reason: '3003 is not registered' } });
        expect((await resolver.resolveRoute('3004', account.id)).failure?.cause).toBe('DESTINATION_OUT_OF_ORDER');
      });

      it('routes other numbers to carriers by weight, with credentials', async () => {
        await h.directory.resources.create(account.id, { name: 'dear', weight_cost: 80, rules: ['^\\+1\\d{10}$'], gateways: [{ server: '127.0.0.1:5090' }] });
        const cheap = await h.directory.resources.create(account.id, { name: 'cheap', weight_cost: 10, rules: ['^\\+1(\\d{10})$'], gateways: [{ server: '127.0.0.1:5091', prefix: '8', username: 'u', password: 'p' }] });
        await h.directory.resources.create(account.id, { name: 'off', enabled: false, weight_cost: 1, rules: ['.*'], gateways: [{ server: '127.0.0.1:5092' }] });
        const found = await resolver.resolveRoute('+1 415 555 1234', account.id);
        expect(found.targets.map((t) => t.requestUri)).toEqual(['sip:84155551234@127.0.0.1:5091', 'sip:+14155551234@127.0.0.1:5090']);
        expect(found.targets[0]).toMatchObject({ kind: 'carrier', resourceId: cheap.id, credentials: { username: 'u', password: 'p' } });
      });

      it('answers NO_ROUTE_DESTINATION when nothing matches', async () => {
        expect((await resolver.resolveRoute('+442071234567', account.id)).failure).toEqual({ cause: 'NO_ROUTE_DESTINATION', reason: 'no carrier route for +442071234567' });
        expect((await resolver.resolveRoute('99', account.id)).failure?.cause).toBe('NO_ROUTE_DESTINATION');
        expect((await resolver.resolveRoute('  ', account.id)).failure?.cause).toBe('NO_ROUTE_DESTINATION');
        expect((await resolver.resolveRoute('4155551234', 'f'.repeat(32))).failure?.cause).toBe('NO_ROUTE_DESTINATION');
      });

      it('sends number-only and loopback endpoints through the route', async () => {
        await h.directory.resources.create(account.id, { name: 'c', rules: ['^\\+1(\\d{10})$'], gateways: [{ server: '127.0.0.1:5093' }] });
        const { endpoints, failures } = await resolver.resolve(
          request([{ 'Invite-Format': 'e164', 'To-DID': '4155551234' }, { 'Invite-Format': 'loopback', Route: '4155559999' }, { 'Invite-Format': 'loopback', Route: '+4420' }]),
          account.id,
          NODE,
        );
        expect(endpoints.map((e) => e.requestUri)).toEqual(['sip:4155551234@127.0.0.1:5093', 'sip:4155559999@127.0.0.1:5093']);
        expect(failures).toEqual([expect.objectContaining({ index: 2, cause: 'NO_ROUTE_DESTINATION' })]);
        // they dial out themselves: outbound rules apply to them, not only to the transfer's route
        expect(endpoints.map((e) => e.dialledNumber)).toEqual(['+14155551234', '+14155559999']);
      });
    });
  });
}


endpointResolverContract('in process', async () => {
  const directory = createDirectory();
  const calls = createCallStore();
  return { directory, calls, dispose: async () => { await directory.close(); await calls.close(); } };
});

endpointResolverContract('redis', async () => {
  const prefix = `lwt:originate-resolver:${Math.random().toString(36).slice(2, 10)}:`;
  const directory = createDirectory({ url: REDIS_URL, prefix });
  const calls = createCallStore({ url: REDIS_URL, prefix });
  return {
    directory,
    calls,
    async dispose() {
      await directory.close();
      await calls.close();
      const raw = new Redis(REDIS_URL);
      try {
        const keys = await raw.keys(`${prefix}*`);
        if (keys.length > 0) await raw.unlink(...keys);
      } finally {
        raw.disconnect();
      }
    },
  };
});
