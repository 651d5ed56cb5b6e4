import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NetLab } from './net-lab';

describe('NetLab where network namespaces are not allowed', () => {
  let dir: string;

  beforeEach(() => {
    // an `ip` that refuses as iproute2 does without CAP_SYS_ADMIN, and notes every call
    dir = mkdtempSync(join(tmpdir(), 'netlab-spec-'));
    writeFileSync(join(dir, 'ip'), `#!/bin/sh\necho "$@" >> "${join(dir, 'calls')}"\necho "mount --make-shared /run/netns failed: Operation not permitted" >&2\nexit 1\n`);
    chmodSync(join(dir, 'ip'), 0o755);
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails, naming the refused command and the cause, instead of skipping', async () => {
    const created = NetLab.create(['a', 'b'], { ip: join(dir, 'ip') });
    await expect(created).rejects.toThrow(/this case needs network namespaces .*`ip netns add lw\d+-[0-9a-f]{4}-br` failed: mount --make-shared \/run\/netns failed: Operation not permitted/);
    // nothing past the first refusal is tried but the clean-up of what might exist
    const calls = readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n');
    expect(calls[0]).toMatch(/^netns add lw\d+-[0-9a-f]{4}-br$/);
    expect(calls.slice(1).every((c) => /^netns (pids|del) lw\d+-[0-9a-f]{4}-br$/.test(c))).toBe(true);
  });
});
