import { callStoreContract } from '../testing/call-store.contract';
import { redisHarness } from '../testing/redis-harness';
import { type SlotWatch, watchSlots } from '../testing/slot-watch';

/** Redis Cluster refuses any command, MULTI or script whose keys span slots; prove the driver never sends one. */
describe('redis call store on a Cluster key layout', () => {
  // as a Cluster client sends them: one unit per command, never an auto-pipelined batch of many slots, scripts in one slot
  const harness = redisHarness(1000, false, true);
  let watch: SlotWatch;
  beforeAll(() => {
    watch = watchSlots();
  });
  afterAll(async () => {
    watch.stop();
    await harness.cleanup();
  });

  describe('while running the whole contract', () => {
    callStoreContract(harness.factory);
  });

  it('sent no command, pipeline, MULTI or script with keys in two slots', () => {
    const units = watch.units();
    const ours = units.filter((unit) => unit.keys.some((key) => key.startsWith(harness.prefix)));
    expect(watch.crossSlot()).toEqual([]);
    // The watch really saw the writes that used to span tags: scripts, MULTI blocks and index updates.
    expect(ours.filter((unit) => unit.commands.includes('evalsha')).length).toBeGreaterThan(50);
    expect(ours.filter((unit) => unit.kind === 'multi').length).toBeGreaterThan(0);
    expect(ours.some((unit) => unit.commands.includes('zadd') && unit.keys.some((key) => key.endsWith(':calls')))).toBe(true);
    expect(ours.some((unit) => unit.commands.includes('sadd') && unit.keys.includes(`${harness.prefix}nodes`))).toBe(true);
  });
});
