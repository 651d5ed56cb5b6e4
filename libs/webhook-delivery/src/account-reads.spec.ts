import { createDirectory, type Directory } from '@legwork/directory';
import { AccountReads } from './account-reads';

let dir: Directory;

beforeEach(() => {
  dir = createDirectory({});
});
afterEach(() => dir.close());

describe('AccountReads', () => {
  it('reads an account once for the lookups of one turn, and again for a lookup after that read was sent', async () => {
    const acct = await dir.accounts.create({ name: 'a', realm: 'a.local' });
    const reads: string[] = [];
    const find = dir.accounts.find.bind(dir.accounts);
    dir.accounts.find = (id) => (reads.push(id), find(id));
    const accounts = new AccountReads(dir);
    const first = await Promise.all([accounts.find(acct.id), accounts.find(acct.id), accounts.find('nobody')]);
    expect(first.map((a) => a?.id ?? null)).toEqual([acct.id, acct.id, null]);
    expect(reads.sort()).toEqual([acct.id, 'nobody'].sort());
    await dir.accounts.patch(acct.id, { name: 'renamed' });
    expect((await accounts.find(acct.id))?.name).toBe('renamed');
    expect(reads).toHaveLength(3);
  });

  it('rejects every lookup sharing a read that failed', async () => {
    dir.accounts.find = () => Promise.reject(new Error('store down'));
    const accounts = new AccountReads(dir);
    const results = await Promise.allSettled([accounts.find('a'), accounts.find('a')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
