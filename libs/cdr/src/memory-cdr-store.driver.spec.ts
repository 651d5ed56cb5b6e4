import { MemoryCdrStore } from './memory-cdr-store.driver';
import { describeCdrStoreContract } from './testing/cdr-store.contract';

describeCdrStoreContract('in-process', async () => {
  let now = Date.now();
  const retentionMs = 60_000;
  return {
    store: new MemoryCdrStore(retentionMs, () => now),
    retentionMs,
    expire: async () => {
      now += retentionMs + 1;
    },
  };
});
