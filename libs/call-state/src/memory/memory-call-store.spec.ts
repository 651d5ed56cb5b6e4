import { createCallStore } from '../call-store.factory';
import { ManualClock } from '../clock';
import { callStoreContract } from '../testing/call-store.contract';
import { MemoryCallStore } from './memory-call-store.driver';

describe('in-process call store', () => {
  callStoreContract(async (opts) => {
    const clock = new ManualClock(1_700_000_000_000);
    const endedTtlMs = 1000;
    const store = createCallStore({ clock, endedTtlMs, ...(opts?.eventLog !== undefined ? { eventLog: opts.eventLog } : {}) });
    return { store, endedTtlMs, now: () => clock.now(), advance: async (ms) => clock.advance(ms) };
  });

  it('is what createCallStore returns without a url', () => {
    expect(createCallStore({})).toBeInstanceOf(MemoryCallStore);
  });

  it('rejects bad options with invalid_input', () => {
    expect(() => createCallStore({ url: 'http://nope' })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(() => createCallStore({ endedTtlMs: -1 })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});
