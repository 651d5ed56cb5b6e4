import { createHash } from 'node:crypto';
import { clientFor, dataOf, KazooClient, listOf, tenant, uniqueTag, type KazooReply, type ProvisioningHarness } from '../src/dialects/kazoo/provisioning/testing';

type Tenant = Awaited<ReturnType<typeof tenant>>;

interface KindCase {
  kind: 'users' | 'devices' | 'resources' | 'groups';
  create: (tag: string) => Record<string, unknown>;
  /** A merge patch and what it must leave in the document. */
  patch: Record<string, unknown>;
  afterPatch: Record<string, unknown>;
  /** A whole new body; `dropped` loses its old value (POST replaces, it does not merge). */
  replace: (tag: string) => Record<string, unknown>;
  afterReplace: Record<string, unknown>;
  dropped: string;
  summaryKeys: string[];
}

const KINDS: KindCase[] = [
  {
    kind: 'users',
    create: (tag) => ({ first_name: 'Ada', last_name: 'Lovelace', username: `ada-${tag}`, password: 'engine', caller_id: { internal: { name: 'Ada', number: '1001' } } }),
    patch: { caller_id: { external: { number: '+15551230001' } } },
    afterPatch: { first_name: 'Ada', caller_id: { internal: { name: 'Ada', number: '1001' }, external: { number: '+15551230001' } } },
    replace: (tag) => ({ first_name: 'Augusta', last_name: 'King', username: `ada-${tag}`, password: 'engine2' }),
    afterReplace: { first_name: 'Augusta', last_name: 'King', enabled: true },
    dropped: 'caller_id',
    summaryKeys: ['id', 'first_name', 'last_name', 'username'],
  },
  {
    kind: 'devices',
    create: (tag) => ({ name: 'desk', sip: { username: `desk-${tag}`, password: 'pw1' }, caller_id: { internal: { name: 'Desk', number: '2001' } } }),
    patch: { enabled: false, sip: { password: 'pw2' } },
    afterPatch: { name: 'desk', enabled: false, caller_id: { internal: { name: 'Desk', number: '2001' } } },
    replace: (tag) => ({ name: 'desk-2', sip: { username: `desk-${tag}`, password: 'pw3' } }),
    afterReplace: { name: 'desk-2', enabled: true },
    dropped: 'caller_id',
    summaryKeys: ['id', 'name', 'username', 'enabled'],
  },
  {
    kind: 'resources',
    create: () => ({ name: 'carrier', gateways: [{ server: 'carrier.example.com:5060', enabled: true }], rules: ['^\\+1\\d{10}$'], flags: ['intl'] }),
    patch: { weight_cost: 10 },
    afterPatch: { name: 'carrier', weight_cost: 10, flags: ['intl'] },
    replace: () => ({ name: 'carrier-b', gateways: [{ server: '192.0.2.10', enabled: false }] }),
    afterReplace: { name: 'carrier-b', rules: [], flags: [], weight_cost: 50 },
    dropped: 'rules',
    summaryKeys: ['id', 'name', 'enabled', 'weight_cost'],
  },
  {
    kind: 'groups',
    create: (tag) => ({ name: `sales-${tag}`, type: 'call_center', strategy: 'single', label: `Sales ${tag}` }),
    patch: { strategy: 'simultaneous' },
    afterPatch: { name: expect.stringMatching(/^sales-/), type: 'call_center', strategy: 'simultaneous', endpoints: {} },
    replace: (tag) => ({ name: `support-${tag}` }),
    afterReplace: { type: 'ring_group', strategy: 'simultaneous', endpoints: {} },
    dropped: 'label',
    summaryKeys: ['id', 'name', 'type', 'strategy', 'endpoints'],
  },
];

const hex = (algorithm: string, text: string): string => createHash(algorithm).update(text).digest('hex');

interface SecretCase {
  kind: 'users' | 'devices' | 'resources';
  /** A document carrying `secret` where this kind keeps it. */
  doc: (tag: string, secret: string) => Record<string, unknown>;
  /** What a store or a response could leak instead of the secret itself (hashes a login or digest would accept). */
  derived: (tag: string, secret: string, realm: string) => string[];
}

const SECRET_CASES: SecretCase[] = [
  {
    kind: 'users',
    doc: (tag, secret) => ({ first_name: 'W', last_name: 'O', username: `wo-${tag}`, password: secret }),
    derived: (tag, secret) => [hex('md5', `wo-${tag}:${secret}`), hex('sha1', `wo-${tag}:${secret}`)],
  },
  {
    kind: 'devices',
    doc: (tag, secret) => ({ name: 'wo', sip: { username: `wo-${tag}`, password: secret } }),
    derived: (tag, secret, realm) => [hex('md5', `wo-${tag}:${realm}:${secret}`), hex('sha256', `wo-${tag}:${realm}:${secret}`)],
  },
  {
    kind: 'resources',
    doc: (_tag, secret) => ({ name: 'wo', gateways: [{ server: 'carrier.example.com', realm: 'carrier.example.com', username: 'acct', password: secret }] }),
    derived: () => [],
  },
  {
    kind: 'resources',
    // an inbound carrier's digest password is kept as HA1s (the account realm), like a device's
    doc: (tag, secret) => ({ name: 'in', gateways: [{ server: 'carrier.example.com' }], inbound: { enabled: true, sources: ['192.0.2.0/24'], credentials: { username: `in-${tag}`, password: secret } } }),
    derived: (tag, secret, realm) => [hex('md5', `in-${tag}:${realm}:${secret}`), hex('sha256', `in-${tag}:${realm}:${secret}`)],
  },
];

/** Every key of a JSON value at any depth. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)]);
}

/** The provisioning face of the Kazoo dialect, over HTTP, against whichever infrastructure `start` brings up. */
export function describeProvisioning(label: string, start: () => Promise<ProvisioningHarness>): void {
  describe(`Kazoo provisioning (${label})`, () => {
    let h: ProvisioningHarness;
    let a: Tenant;
    let b: Tenant;

    beforeAll(async () => {
      h = await start();
      a = await tenant(h, 'alpha');
      b = await tenant(h, 'beta');
    });
    afterAll(() => h?.close());

    describe.each(KINDS)('$kind', (c) => {
      const base = () => `/v2/accounts/${a.id}/${c.kind}`;

      it('creates, reads, lists, merges, replaces and deletes in Kazoo shapes', async () => {
        const tag = uniqueTag();
        const created = await a.client.put(base(), c.create(tag));
        expect(created.status).toBe(201);
        expect(created.body.status).toBe('success');
        const doc = dataOf(created);
        expect(doc['id']).toMatch(/^[0-9a-f]{32}$/);
        expect(created.body.revision).toEqual(expect.any(String));
        expect(doc).not.toHaveProperty('password');
        const path = `${base()}/${String(doc['id'])}`;

        const fetched = await a.client.get(path);
        expect(fetched.status).toBe(200);
        expect(dataOf(fetched)).toEqual(doc);
        expect(fetched.body.revision).toBe(created.body.revision);

        const listed = await a.client.get(base());
        expect(listed.status).toBe(200);
        const row = listOf(listed).find((r) => r['id'] === doc['id']);
        expect(Object.keys(row ?? {})).toEqual(expect.arrayContaining(c.summaryKeys));

        const patched = await a.client.patch(path, c.patch);
        expect(patched.status).toBe(200);
        expect(dataOf(patched)).toMatchObject(c.afterPatch);
        expect(patched.body.revision).not.toBe(created.body.revision);

        const replaced = await a.client.post(path, c.replace(tag));
        expect(replaced.status).toBe(200);
        expect(dataOf(replaced)[c.dropped]).not.toEqual(doc[c.dropped]);
        expect(dataOf(replaced)).toMatchObject(c.afterReplace);
        expect(dataOf(replaced)['id']).toBe(doc['id']);

        const deleted = await a.client.delete(path);
        expect(deleted.status).toBe(200);
        expect(dataOf(deleted)['id']).toBe(doc['id']);
        const gone = await a.client.get(path);
        expect(gone.status).toBe(404);
        expect(gone.body.status).toBe('error');
      });

      it('answers 404 for an unknown id on GET, POST, PATCH and DELETE', async () => {
        const path = `${base()}/${'0'.repeat(32)}`;
        const replies = [await a.client.get(path), await a.client.post(path, c.create(uniqueTag())), await a.client.patch(path, {}), await a.client.delete(path)];
        expect(replies.map((r) => r.status)).toEqual([404, 404, 404, 404]);
      });

      it('answers 409 when If-Match names a stale revision', async () => {
        const created = await a.client.put(base(), c.create(uniqueTag()));
        const path = `${base()}/${String(dataOf(created)['id'])}`;
        expect((await a.client.patch(path, c.patch)).status).toBe(200);
        const stale = await a.client.patch(path, c.patch, { 'if-match': String(created.body.revision) });
        expect(stale.status).toBe(409);
        await a.client.delete(path);
      });

      it('refuses every route on another account with 403', async () => {
        const theirs = await b.client.put(`/v2/accounts/${b.id}/${c.kind}`, c.create(uniqueTag()));
        expect(theirs.status).toBe(201);
        const list = `/v2/accounts/${b.id}/${c.kind}`;
        const one = `${list}/${String(dataOf(theirs)['id'])}`;
        const replies = [
          await a.client.put(list, c.create(uniqueTag())),
          await a.client.get(list),
          await a.client.get(one),
          await a.client.post(one, c.create(uniqueTag())),
          await a.client.patch(one, c.patch),
          await a.client.delete(one),
        ];
        expect(replies.map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 403]);
        expect((await b.client.get(one)).status).toBe(200);
      });
    });

    describe.each(SECRET_CASES)('$kind: write-only secrets', (c) => {
      it('no response to PUT, GET, list, PATCH, POST or DELETE carries the secret or a hash of it', async () => {
        const tag = uniqueTag();
        const secrets = [`s1-${tag}-Zq9`, `s2-${tag}-Xw8`, `s3-${tag}-Yv7`];
        const replies: KazooReply[] = [];
        const base = `/v2/accounts/${a.id}/${c.kind}`;
        const created = await a.client.put(base, c.doc(tag, secrets[0] as string));
        expect(created.status).toBe(201);
        const path = `${base}/${String(dataOf(created)['id'])}`;
        replies.push(created, await a.client.get(path), await a.client.get(base));
        replies.push(await a.client.patch(path, c.doc(tag, secrets[1] as string)), await a.client.get(path));
        replies.push(await a.client.post(path, c.doc(tag, secrets[2] as string)), await a.client.get(path), await a.client.get(base));
        replies.push(await a.client.delete(path));
        expect(replies.map((r) => r.status)).toEqual([201, 200, 200, 200, 200, 200, 200, 200, 200]);
        const seen = JSON.stringify(replies.map((r) => r.body));
        for (const secret of secrets) {
          expect(seen).not.toContain(secret);
          for (const leak of c.derived(tag, secret, a.realm)) expect(seen).not.toContain(leak);
        }
        const keys = keysOf(replies.map((r) => r.body.data));
        expect(keys.filter((k) => /^pvt_|password|secret|ha1/i.test(k))).toEqual([]);
      });
    });

    describe('devices and their owners', () => {
      it('takes the account realm, links an owner of the same account and refuses one from another', async () => {
        const tag = uniqueTag();
        const user = dataOf(await a.client.put(`/v2/accounts/${a.id}/users`, { first_name: 'Own', last_name: 'Er' }));
        const created = await a.client.put(`/v2/accounts/${a.id}/devices`, { name: 'cell', owner_id: user['id'], sip: { username: `cell-${tag}`, password: 'p' } });
        expect(created.status).toBe(201);
        expect(dataOf(created)).toMatchObject({ owner_id: user['id'], sip: { username: `cell-${tag}`, realm: a.realm } });
        // the SIP password is write-only: kept as digest HA1s, never echoed
        expect(dataOf(created)['sip']).not.toHaveProperty('password');
        const rows = listOf(await a.client.get(`/v2/accounts/${a.id}/devices`));
        expect(rows).toContainEqual(expect.objectContaining({ id: dataOf(created)['id'], owner_id: user['id'], username: `cell-${tag}` }));

        const foreign = dataOf(await b.client.put(`/v2/accounts/${b.id}/users`, { first_name: 'Not', last_name: 'Mine' }));
        const refused = await a.client.put(`/v2/accounts/${a.id}/devices`, { name: 'x', owner_id: foreign['id'], sip: { username: `x-${tag}`, password: 'p' } });
        expect(refused.status).toBe(400);
        expect(refused.body.data).toMatchObject({ owner_id: { exists: { value: foreign['id'] } } });
      });
    });

    describe('groups and their members', () => {
      const extension = (): string => String(Math.floor(Math.random() * 9e7) + 1e7);

      it('keeps users and devices of the account as members, with type, strategy and numbering fields', async () => {
        const tag = uniqueTag();
        const user = dataOf(await a.client.put(`/v2/accounts/${a.id}/users`, { first_name: 'Grace', last_name: `Hopper-${tag}` }));
        const device = dataOf(await a.client.put(`/v2/accounts/${a.id}/devices`, { name: 'desk', sip: { username: `gdesk-${tag}`, password: 'p' } }));
        const ext = extension();
        const created = await a.client.put(`/v2/accounts/${a.id}/groups`, {
          name: `cc-${tag}`, type: 'call_center', strategy: 'single', extension: ext, dids: ['+1 415 555 01' + ext.slice(-2)],
          endpoints: { [String(user['id'])]: { type: 'user' }, [String(device['id'])]: { type: 'device', weight: 2 } },
        });
        expect(created.status).toBe(201);
        expect(dataOf(created)).toMatchObject({
          name: `cc-${tag}`, type: 'call_center', strategy: 'single', extension: ext, dids: [`+141555501${ext.slice(-2)}`],
          endpoints: { [String(user['id'])]: { type: 'user' }, [String(device['id'])]: { type: 'device', weight: 2 } },
        });
        const row = listOf(await a.client.get(`/v2/accounts/${a.id}/groups`)).find((r) => r['id'] === dataOf(created)['id']);
        expect(row).toMatchObject({ name: `cc-${tag}`, type: 'call_center', strategy: 'single', extension: ext, endpoints: 2 });

        // a member that is deleted leaves the group
        expect((await a.client.delete(`/v2/accounts/${a.id}/devices/${String(device['id'])}`)).status).toBe(200);
        const after = dataOf(await a.client.get(`/v2/accounts/${a.id}/groups/${String(dataOf(created)['id'])}`));
        expect(Object.keys(after['endpoints'] as object)).toEqual([user['id']]);
      });

      it("refuses members of another account, unknown ids, a bad type or strategy, and an extension a user holds", async () => {
        const tag = uniqueTag();
        const foreign = dataOf(await b.client.put(`/v2/accounts/${b.id}/users`, { first_name: 'Not', last_name: `Ours-${tag}` }));
        const base = `/v2/accounts/${a.id}/groups`;
        const theirs = await a.client.put(base, { name: `g-${tag}`, endpoints: { [String(foreign['id'])]: { type: 'user' } } });
        expect(theirs.status).toBe(400);
        expect(theirs.body.data).toHaveProperty([`endpoints.${String(foreign['id'])}`, 'exists']);
        const badKind = await a.client.put(base, { name: `g-${tag}`, type: 'queue', strategy: 'random' });
        expect(badKind.status).toBe(400);
        expect(badKind.body.data).toMatchObject({ type: { enum: { value: 'queue' } }, strategy: { enum: { value: 'random' } } });
        const ext = extension();
        expect((await a.client.put(`/v2/accounts/${a.id}/users`, { first_name: 'Ext', last_name: `Holder-${tag}`, extension: ext })).status).toBe(201);
        const taken = await a.client.put(base, { name: `g-${tag}`, extension: ext });
        expect(taken.status).toBe(400);
        expect(taken.body.data).toHaveProperty(['extension', 'unique']);
      });
    });

    describe('resources: inbound calls', () => {
      it('accepts and returns inbound sources and the credentials username; a bad source or a missing password is a 400 naming the field', async () => {
        const base = `/v2/accounts/${a.id}/resources`;
        const inbound = { enabled: true, sources: ['192.0.2.10', '198.51.100.0/24'], credentials: { username: `trunk-${uniqueTag()}`, password: 'pw' } };
        const created = await a.client.put(base, { name: 'in', gateways: [{ server: 'carrier.example.com' }], inbound });
        expect(created.status).toBe(201);
        expect(dataOf(created)['inbound']).toEqual({ enabled: true, sources: inbound.sources, credentials: { username: inbound.credentials.username } });
        const path = `${base}/${String(dataOf(created)['id'])}`;
        const patched = await a.client.patch(path, { inbound: { sources: ['203.0.113.0/28'] } });
        expect(dataOf(patched)['inbound']).toEqual({ enabled: true, sources: ['203.0.113.0/28'], credentials: { username: inbound.credentials.username } });
        const bad = await a.client.put(base, { name: 'in', gateways: [{ server: 'carrier.example.com' }], inbound: { enabled: true, sources: ['192.0.2.0/40'] } });
        expect(bad.status).toBe(400);
        expect(bad.body.data).toMatchObject({ 'inbound.sources.0': { format: expect.anything() } });
        const noPassword = await a.client.put(base, { name: 'in', gateways: [{ server: 'carrier.example.com' }], inbound: { enabled: true, credentials: { username: 'x' } } });
        expect(noPassword.status).toBe(400);
        expect(noPassword.body.data).toMatchObject({ 'inbound.credentials.password': { required: expect.anything() } });
        await a.client.delete(path);
      });
    });

    describe('validation', () => {
      it('names the field and rule of each violation', async () => {
        const user = await a.client.put(`/v2/accounts/${a.id}/users`, { last_name: 'Nobody' });
        expect(user.status).toBe(400);
        expect(user.body.message).toBe('invalid data');
        expect(user.body.data).toMatchObject({ first_name: { required: { message: expect.any(String) } } });

        const device = await a.client.put(`/v2/accounts/${a.id}/devices`, { name: 'x', sip: { password: 'p' } });
        expect(device.status).toBe(400);
        expect(device.body.data).toHaveProperty(['sip.username', 'required']);

        const resource = await a.client.put(`/v2/accounts/${a.id}/resources`, { name: 'r', gateways: [{ server: 'bad host!' }] });
        expect(resource.status).toBe(400);
        expect(resource.body.data).toMatchObject({ 'gateways.0.server': { format: { value: 'bad host!' } } });
      });

      it('rejects a body without the data envelope', async () => {
        const reply = await a.client.call('PUT', `/v2/accounts/${a.id}/users`, { first_name: 'Ada', last_name: 'L' });
        expect(reply.status).toBe(400);
        expect(reply.body.data).toHaveProperty(['data', 'required']);
      });

      it('never echoes a password in an error', async () => {
        // A distinctive wrong-typed password: random ids and tokens in the envelope can't contain it by chance.
        const reply = await a.client.put(`/v2/accounts/${a.id}/devices`, { name: 'x', sip: { username: 'u', password: 987654321987 } });
        expect(reply.status).toBe(400);
        expect(JSON.stringify(reply.body.data)).toContain('password');
        expect(JSON.stringify(reply.body)).not.toContain('987654321987');
      });

      it('reports a taken username or SIP username as a unique violation', async () => {
        const tag = uniqueTag();
        const first = await a.client.put(`/v2/accounts/${a.id}/users`, { first_name: 'A', last_name: 'B', username: `dup-${tag}` });
        expect(first.status).toBe(201);
        const again = await a.client.put(`/v2/accounts/${a.id}/users`, { first_name: 'C', last_name: 'D', username: `DUP-${tag}` });
        expect(again.status).toBe(400);
        expect(again.body.data).toHaveProperty(['username', 'unique']);

        const dev = { name: 'd', sip: { username: `sip-${tag}`, password: 'p' } };
        expect((await a.client.put(`/v2/accounts/${a.id}/devices`, dev)).status).toBe(201);
        const twin = await a.client.put(`/v2/accounts/${a.id}/devices`, dev);
        expect(twin.status).toBe(400);
        expect(twin.body.data).toHaveProperty(['sip.username', 'unique']);
      });
    });

    describe('accounts', () => {
      it('never shows an API key: not on the account, its children or the documents under it', async () => {
        const key = await h.directory.credentials.createApiKey(a.id);
        const replies = [await a.client.get(`/v2/accounts/${a.id}`), await a.client.get(`/v2/accounts/${a.id}/children`), await a.client.patch(`/v2/accounts/${a.id}`, {}), await a.client.get(`/v2/accounts/${a.id}/users`)];
        expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200]);
        const seen = JSON.stringify(replies.map((r) => r.body));
        expect(seen).not.toContain(key);
        expect(seen).not.toContain(hex('sha256', key));
      });

      it('creates a sub-account under the path account, reachable with the parent token', async () => {
        const tag = uniqueTag();
        const created = await a.client.put(`/v2/accounts/${a.id}`, { name: `child-${tag}`, realm: `child-${tag}.test.legwork.local` });
        expect(created.status).toBe(201);
        const child = dataOf(created);
        expect(child).toMatchObject({ name: `child-${tag}`, realm: `child-${tag}.test.legwork.local`, parent_id: a.id });
        expect(child).not.toHaveProperty('tree');
        const childId = String(child['id']);

        const children = await a.client.get(`/v2/accounts/${a.id}/children`);
        expect(listOf(children)).toContainEqual(expect.objectContaining({ id: childId, name: `child-${tag}`, realm: `child-${tag}.test.legwork.local` }));

        expect((await a.client.get(`/v2/accounts/${childId}`)).status).toBe(200);
        const user = await a.client.put(`/v2/accounts/${childId}/users`, { first_name: 'Sub', last_name: 'User' });
        expect(user.status).toBe(201);
        expect((await a.client.get(`/v2/accounts/${childId}/users`)).body.data).toHaveLength(1);

        const childClient = await clientFor(h, childId);
        expect((await childClient.get(`/v2/accounts/${childId}`)).status).toBe(200);
        expect((await childClient.get(`/v2/accounts/${a.id}`)).status).toBe(403);
        expect((await childClient.get(`/v2/accounts/${a.id}/users`)).status).toBe(403);

        expect((await a.client.delete(`/v2/accounts/${a.id}`)).status).toBe(403);
        const blocked = await b.client.delete(`/v2/accounts/${childId}`);
        expect(blocked.status).toBe(403);
        const removed = await a.client.delete(`/v2/accounts/${childId}`);
        expect(removed.status).toBe(200);
        expect(dataOf(removed)['id']).toBe(childId);
        // gone: answered like any account outside the tree
        expect((await a.client.get(`/v2/accounts/${childId}`)).status).toBe(403);
      });

      it('merges on PATCH, replaces on POST, and keeps a sub-account from raising its own limits', async () => {
        const tag = uniqueTag();
        const realm = `lim-${tag}.test.legwork.local`;
        const created = await a.client.put(`/v2/accounts/${a.id}`, { name: `lim-${tag}`, realm, timezone: 'Europe/Paris', limits: { max_concurrent_channels: 2 } });
        const id = String(dataOf(created)['id']);

        const patched = await a.client.patch(`/v2/accounts/${id}`, { enabled: false });
        expect(dataOf(patched)).toMatchObject({ name: `lim-${tag}`, realm, timezone: 'Europe/Paris', enabled: false });

        const replaced = await a.client.post(`/v2/accounts/${id}`, { name: `lim2-${tag}`, realm, limits: { max_concurrent_channels: 2 } });
        expect(dataOf(replaced)).toMatchObject({ name: `lim2-${tag}`, enabled: true });
        expect(dataOf(replaced)).not.toHaveProperty('timezone');

        const own = await clientFor(h, id);
        const raised = await own.patch(`/v2/accounts/${id}`, { limits: { max_concurrent_channels: 500 }, timezone: 'UTC' });
        expect(raised.status).toBe(200);
        expect(dataOf(raised)).toMatchObject({ timezone: 'UTC', limits: { max_concurrent_channels: 2 } });

        const byParent = await a.client.patch(`/v2/accounts/${id}`, { limits: { max_concurrent_channels: 5 } });
        expect(dataOf(byParent)).toMatchObject({ limits: { max_concurrent_channels: 5 } });
        await a.client.delete(`/v2/accounts/${id}`);
      });

      it('reports a taken realm, and answers 409 deleting an account that has sub-accounts', async () => {
        const tag = uniqueTag();
        const taken = await a.client.put(`/v2/accounts/${a.id}`, { name: `dup-${tag}`, realm: b.realm });
        expect(taken.status).toBe(400);
        expect(taken.body.data).toHaveProperty(['realm', 'unique']);

        const mid = dataOf(await a.client.put(`/v2/accounts/${a.id}`, { name: `mid-${tag}`, realm: `mid-${tag}.test.legwork.local` }));
        const leaf = dataOf(await a.client.put(`/v2/accounts/${String(mid['id'])}`, { name: `leaf-${tag}`, realm: `leaf-${tag}.test.legwork.local` }));
        expect((await a.client.delete(`/v2/accounts/${String(mid['id'])}`)).status).toBe(409);
        expect((await a.client.delete(`/v2/accounts/${String(leaf['id'])}`)).status).toBe(200);
        expect((await a.client.delete(`/v2/accounts/${String(mid['id'])}`)).status).toBe(200);
      });

      it('refuses every account route of another tree, and of unknown accounts, with the same 403', async () => {
        const routes = [
          await a.client.put(`/v2/accounts/${b.id}`, { name: `x-${uniqueTag()}`, realm: `x-${uniqueTag()}.test.legwork.local` }),
          await a.client.get(`/v2/accounts/${b.id}`),
          await a.client.post(`/v2/accounts/${b.id}`, { name: 'x', realm: 'x.test.legwork.local' }),
          await a.client.patch(`/v2/accounts/${b.id}`, { name: 'x' }),
          await a.client.delete(`/v2/accounts/${b.id}`),
          await a.client.get(`/v2/accounts/${b.id}/children`),
        ];
        expect(routes.map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 403]);
        expect((await a.client.get(`/v2/accounts/${'f'.repeat(32)}`)).status).toBe(403);
      });

      it('requires a token', async () => {
        const anonymous = new KazooClient(h.url);
        expect((await anonymous.get(`/v2/accounts/${a.id}/users`)).status).toBe(401);
      });
    });
  });
}
