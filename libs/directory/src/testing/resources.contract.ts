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
  });
}
