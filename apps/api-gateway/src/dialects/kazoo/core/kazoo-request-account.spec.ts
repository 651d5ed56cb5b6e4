import type { Account, Directory } from '@legwork/directory';
import type { KazooRequest } from './kazoo.contract';
import { prefetchAccount, requestAccount } from './kazoo-request-account';

function directoryOf(find: (id: string) => Promise<Account | null>): { directory: Directory; reads: string[] } {
  const reads: string[] = [];
  const directory = { accounts: { find: (id: string) => (reads.push(id), find(id)) } } as unknown as Directory;
  return { directory, reads };
}

const account = (id: string): Account => ({ id, enabled: true, tree: [] }) as unknown as Account;

describe('requestAccount', () => {
  it('reads each account once per request, concurrent askers included', async () => {
    const { directory, reads } = directoryOf(async (id) => account(id));
    const req = {} as KazooRequest;
    prefetchAccount(req, directory, 'a');
    const [one, two] = await Promise.all([requestAccount(req, directory, 'a'), requestAccount(req, directory, 'a')]);
    expect(one).toBe(two);
    expect(await requestAccount(req, directory, 'b')).toMatchObject({ id: 'b' });
    expect(reads).toEqual(['a', 'b']);
    await requestAccount({} as KazooRequest, directory, 'a');
    expect(reads).toEqual(['a', 'b', 'a']);
  });

  it('keeps a failed prefetch for whoever awaits the account, without an unhandled rejection', async () => {
    const { directory } = directoryOf(async () => {
      throw new Error('store down');
    });
    const req = {} as KazooRequest;
    prefetchAccount(req, directory, 'a');
    await expect(requestAccount(req, directory, 'a')).rejects.toThrow('store down');
  });
});
