import { account, expectDirectoryError, type DirectoryHarness } from './directory-harness';

const gw = (server: string) => ({ server, realm: 'carrier.example.com', username: 'u', password: 'p' });

export function resourceContract(h: () => DirectoryHarness): void {
  describe('resources', () => {
    it('creates carriers with defaults and validates gateways and rules', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const res = await dir.resources.create(acct.id, { name: 'carrier', gateways: [gw('sip.example.com:5060')], rules: ['^\\+1(\\d{10})$'] });
      expect(res).toMatchObject({ account_id: acct.id, enabled: true, weight_cost: 50, flags: [], gateways: [{ server: 'sip.example.com:5060', enabled: true, prefix: '', suffix: '' }] });
      await expectDirectoryError(dir.resources.create(acct.id, { name: 'x', gateways: [gw('a')], rules: ['^+1(('] }), 'invalid_document', 'rules.0', 'pattern');
      await expectDirectoryError(dir.resources.create(acct.id, { name: 'x', gateways: [gw('host:99999')] }), 'invalid_document', 'gateways.0.server', 'format');
      await expectDirectoryError(dir.resources.create(acct.id, { name: 'x', gateways: [] }), 'invalid_document', 'gateways', 'minLength');
      await expectDirectoryError(dir.resources.create(acct.id, { name: 'x', gateways: [gw('a')], weight_cost: 0 }), 'invalid_document', 'weight_cost', 'minimum');
      const patched = await dir.resources.patch(acct.id, res.id, { weight_cost: 10 });
      expect(patched.rules).toEqual(res.rules);
      expect((await dir.resources.list(acct.id)).map((r) => r.weight_cost)).toEqual([10]);
    });

    it('matches enabled resources by rule and flags, cheapest first, local before global on ties', async () => {
      const dir = h().directory;
      const master = await account(dir);
      const sub = await account(dir, master.id);
      const us = ['^\\+1\\d{10}$'];
      const globalCheap = await dir.resources.create(master.id, { name: 'g-cheap', gateways: [gw('g1')], rules: us, weight_cost: 10 });
      const globalTie = await dir.resources.create(master.id, { name: 'g-tie', gateways: [gw('g2')], rules: us, weight_cost: 30 });
      await dir.resources.create(master.id, { name: 'g-off', gateways: [gw('g3')], rules: us, weight_cost: 1, enabled: false });
      await dir.resources.create(master.id, { name: 'g-uk', gateways: [gw('g4')], rules: ['^\\+44'], weight_cost: 1 });
      const localTie = await dir.resources.create(sub.id, { name: 'l-tie', gateways: [gw('l1')], rules: us, weight_cost: 30, flags: ['fax'] });

      const ids = (list: { id: string }[]) => list.map((r) => r.id);
      expect(ids(await dir.resources.matchResource(sub.id, '+14155550100'))).toEqual([globalCheap.id, localTie.id, globalTie.id]);
      expect(ids(await dir.resources.matchResource(sub.id, '+14155550100', ['fax']))).toEqual([localTie.id]);
      expect(await dir.resources.matchResource(sub.id, '+3312345678')).toEqual([]);
      expect(ids(await dir.resources.matchResource(master.id, '+14155550100'))).toEqual([globalCheap.id, globalTie.id]);
      await dir.resources.delete(master.id, globalCheap.id);
      expect(ids(await dir.resources.matchResource(sub.id, '+14155550100'))).toEqual([localTie.id, globalTie.id]);
      await expectDirectoryError(dir.resources.matchResource('b'.repeat(32), '+1'), 'not_found');
    });

    it('inbound: sources and digest credentials validated, the password kept only as HA1s and never returned', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const base = { name: 'in', gateways: [gw('in.example.com')] };
      const res = await dir.resources.create(acct.id, { ...base, inbound: { enabled: true, sources: ['198.51.100.7', '198.51.100.64/26', '2001:db8:7::/48'], credentials: { username: 'trunk', password: 's3cret' } } });
      expect(res.inbound).toEqual({ enabled: true, sources: ['198.51.100.7', '198.51.100.64/26', '2001:db8:7::/48'], credentials: { username: 'trunk' } });
      for (const read of [await dir.resources.get(acct.id, res.id), ...(await dir.resources.list(acct.id))]) {
        expect(JSON.stringify(read)).not.toMatch(/s3cret|pvt_|ha1/);
      }
      const creds = await dir.resources.findInboundCredentials(acct.id);
      expect(creds).toEqual([{ resource: expect.objectContaining({ id: res.id }), username: 'trunk', ha1: expect.objectContaining({ realm: acct.realm, md5: expect.stringMatching(/^[0-9a-f]{32}$/) }) }]);
      expect(JSON.stringify(creds)).not.toContain('s3cret');

      await expectDirectoryError(dir.resources.create(acct.id, { ...base, inbound: { enabled: true, sources: ['198.51.100.0/33'] } }), 'invalid_document', 'inbound.sources.0', 'format');
      await expectDirectoryError(dir.resources.create(acct.id, { ...base, inbound: { enabled: true, sources: ['carrier.example.com'] } }), 'invalid_document', 'inbound.sources.0', 'format');
      await expectDirectoryError(dir.resources.create(acct.id, { ...base, inbound: { enabled: true } }), 'invalid_document', 'inbound.sources', 'required');
      await expectDirectoryError(dir.resources.create(acct.id, { ...base, inbound: { enabled: true, credentials: { username: 'trunk' } } }), 'invalid_document', 'inbound.credentials.password', 'required');
      await expectDirectoryError(dir.resources.create(acct.id, { ...base, inbound: { enabled: true, credentials: { username: 'a b', password: 'x' } } }), 'invalid_document', 'inbound.credentials.username');
      // the calls' media: kept as given, only the two modes an originate request knows
      const anchored = await dir.resources.create(acct.id, { ...base, inbound: { enabled: true, sources: ['198.51.100.8'], media: 'process' } });
      expect((await dir.resources.get(acct.id, anchored.id)).inbound).toEqual({ enabled: true, sources: ['198.51.100.8'], media: 'process' });
      await expectDirectoryError(dir.resources.create(acct.id, { ...base, inbound: { enabled: true, sources: ['198.51.100.8'], media: 'transcode' as never } }), 'invalid_document', 'inbound.media');

      // a patch that leaves the credentials alone keeps their HA1s; a new username needs a new password
      const before = (await dir.resources.findInboundCredentials(acct.id))[0]?.ha1;
      await dir.resources.patch(acct.id, res.id, { weight_cost: 20 });
      expect((await dir.resources.findInboundCredentials(acct.id))[0]?.ha1).toEqual(before);
      await expectDirectoryError(dir.resources.patch(acct.id, res.id, { inbound: { credentials: { username: 'other' } } }), 'invalid_document', 'inbound.credentials.password', 'required');
      await dir.resources.patch(acct.id, res.id, { inbound: { credentials: { password: 'n3w' } } });
      expect((await dir.resources.findInboundCredentials(acct.id))[0]?.ha1.md5).not.toEqual(before?.md5);
    });

    it('inbound: resources are found by source address platform-wide while enabled, and credentials along the account tree', async () => {
      const dir = h().directory;
      const master = await account(dir);
      const sub = await account(dir, master.id);
      const other = await account(dir);
      const inbound = (sources: string[], extra: Record<string, unknown> = {}) => ({ name: 'in', gateways: [gw('in.example.com')], inbound: { enabled: true, sources, ...extra } });
      const block = await dir.resources.create(master.id, inbound(['203.0.113.128/25']));
      const single = await dir.resources.create(sub.id, inbound(['203.0.113.9', '2001:db8:9::1']));
      const off = await dir.resources.create(other.id, { ...inbound(['203.0.113.10']), enabled: false });
      const ids = (list: { id: string }[]) => list.map((r) => r.id).sort();

      expect(ids(await dir.resources.findInboundBySource('203.0.113.200'))).toEqual([block.id]);
      expect(ids(await dir.resources.findInboundBySource('203.0.113.9'))).toEqual([single.id]);
      expect(ids(await dir.resources.findInboundBySource('::ffff:203.0.113.9'))).toEqual([single.id]);
      expect(ids(await dir.resources.findInboundBySource('2001:db8:9::1'))).toEqual([single.id]);
      expect(await dir.resources.findInboundBySource('203.0.113.10')).toEqual([]);
      expect(await dir.resources.findInboundBySource('203.0.113.8')).toEqual([]);
      expect(await dir.resources.findInboundBySource('not an address')).toEqual([]);

      await dir.resources.patch(sub.id, single.id, { inbound: { enabled: false } });
      expect(await dir.resources.findInboundBySource('203.0.113.9')).toEqual([]);
      await dir.resources.patch(sub.id, single.id, { inbound: { enabled: true } });
      expect(ids(await dir.resources.findInboundBySource('203.0.113.9'))).toEqual([single.id]);
      await dir.resources.delete(master.id, block.id);
      expect(await dir.resources.findInboundBySource('203.0.113.200')).toEqual([]);
      await dir.resources.patch(other.id, off.id, { enabled: true });
      expect(ids(await dir.resources.findInboundBySource('203.0.113.10'))).toEqual([off.id]);

      const digest = await dir.resources.create(master.id, inbound([], { credentials: { username: 'pbx', password: 'pw' } }));
      expect((await dir.resources.findInboundCredentials(sub.id)).map((c) => c.resource.id)).toEqual([digest.id]);
      expect(await dir.resources.findInboundCredentials(other.id)).toEqual([]);
    });
  });
}
