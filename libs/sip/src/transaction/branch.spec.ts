import { MAGIC_COOKIE, isRfc3261Branch, newBranch, newCallId, newTag } from './branch';

describe('branch', () => {
  it('starts with the magic cookie and carries at least 64 random bits', () => {
    const branch = newBranch();
    expect(branch.startsWith(MAGIC_COOKIE)).toBe(true);
    const random = Buffer.from(branch.slice(MAGIC_COOKIE.length), 'base64url');
    expect(random.length * 8).toBeGreaterThanOrEqual(64);
    expect(branch).toMatch(/^z9hG4bK[A-Za-z0-9_-]+$/);
    expect(isRfc3261Branch(branch)).toBe(true);
    expect(isRfc3261Branch('1234')).toBe(false);
  });

  it('never repeats over 100,000 branches', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) seen.add(newBranch());
    expect(seen.size).toBe(100_000);
  });

  it('makes distinct tags and call ids', () => {
    const tags = new Set(Array.from({ length: 10_000 }, newTag));
    expect(tags.size).toBe(10_000);
    expect(newCallId()).toMatch(/^[0-9a-f]{32}$/);
  });
});
