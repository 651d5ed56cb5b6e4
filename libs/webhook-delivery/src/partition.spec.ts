import { fnv1a, orderKey, orderingCallId, partitionOf } from './partition';

const job = (hook: string, call: string, origination?: string) => ({ hook_id: hook, call_id: call, payload: origination === undefined ? {} : { origination_call_id: origination } });

describe('partitioning of webhook jobs', () => {
  it('keys a job by hook and the origination call, falling back to the leg', () => {
    expect(orderingCallId(job('h', 'leg-b', 'leg-a'))).toBe('leg-a');
    expect(orderingCallId(job('h', 'leg-a'))).toBe('leg-a');
    expect(orderKey(job('h1', 'leg-b', 'leg-a'))).toBe('h1|leg-a');
  });

  it('sends every leg of a call to one partition for a hook, and spreads calls over all partitions', () => {
    expect(partitionOf(job('h', 'leg-b', 'call-1'), 16)).toBe(partitionOf(job('h', 'call-1'), 16));
    const used = new Set(Array.from({ length: 2000 }, (_, i) => partitionOf(job('h', `call-${i}`), 16)));
    expect([...used].sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    for (const p of used) expect(p).toBeLessThan(16);
  });

  it('hashes with FNV-1a, so every process and version routes a pair alike', () => {
    // The published FNV-1a test vectors: a changed hash would reroute calls in flight during an upgrade.
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
    expect(partitionOf(job('hook-1', 'call-1'), 16)).toBe(fnv1a('hook-1|call-1') % 16);
    expect(partitionOf(job('hook-1', 'call-1'), 1)).toBe(0);
  });
});
