import { silentLogger } from '@legwork/common';
import { createDirectory, openDirectory } from './directory';
import { MemoryDirectoryStore } from './store/memory-directory-store.driver';
import { directoryContract } from './testing/directory.contract';
import { harnessKeys, TestClock } from './testing/directory-harness';

directoryContract('in-process', async ({ tokenTtlSeconds, secretKeys }) => {
  const clock = new TestClock();
  const store = new MemoryDirectoryStore(clock.now);
  const open = (keys: string) => openDirectory(store, { prefix: 'lw:', tokenTtlSeconds, logger: silentLogger, now: clock.now, secretKeys: keys });
  const directory = open(secretKeys);
  return { directory, clock, store, keys: harnessKeys('lw:'), reopen: open, dump: async () => store.dump(), dispose: () => directory.close() };
});

describe('createDirectory without a url', () => {
  it('runs in process and validates its options', async () => {
    const dir = createDirectory({});
    await dir.ping();
    const acct = await dir.accounts.create({ name: 'embedded', realm: 'embedded.local' });
    expect(await dir.accounts.getMaster()).toEqual(acct);
    await dir.close();
    await expect(dir.ping()).rejects.toThrow('closed');
    expect(() => createDirectory({ tokenTtlSeconds: 0 })).toThrow(expect.objectContaining({ code: 'invalid_document', details: expect.objectContaining({ field: 'tokenTtlSeconds' }) }));
    expect(() => createDirectory({ url: 'http://x' })).toThrow(expect.objectContaining({ code: 'invalid_document' }));
  });
});
