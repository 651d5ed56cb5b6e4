import { inspect } from 'node:util';
import { hashCredential, verifyCredential } from './credential-hash';
import { SecretBox } from './secret-box';
import { generateSecretKey, SecretKeyring, secretKeysProblems } from './secret-keys';

const k = (id: string, fill: number) => `${id}:${Buffer.alloc(32, fill).toString('base64')}`;

describe('secret keys', () => {
  it('parses kid:base64 entries, first one current, and names every bad entry', () => {
    const ring = SecretKeyring.parse(` ${k('new', 1)} , ${k('old', 2)}`);
    expect(ring.currentId).toBe('new');
    expect(ring.ids).toEqual(['new', 'old']);
    expect(secretKeysProblems(`nocolon,${k('a b', 1)},x:${Buffer.alloc(16).toString('base64')},${k('d', 1)},${k('d', 2)}`)).toEqual([
      'entry 1: must be KEY_ID:BASE64_KEY',
      'entry 2: key id must be 1-32 characters of A-Z a-z 0-9 _ -',
      'entry 3: key must be base64 of exactly 32 random bytes',
      'entry 5: key id "d" is listed twice',
    ]);
    expect(() => SecretKeyring.parse('')).toThrow(expect.objectContaining({ code: 'invalid_secret_keys' }));
    expect(generateSecretKey('k2')).toMatch(/^k2:[A-Za-z0-9+/]{43}=$/);
    expect(() => generateSecretKey('bad id')).toThrow(expect.objectContaining({ code: 'invalid_secret_keys' }));
  });

  it('never shows key material in JSON or inspect', () => {
    const text = k('k0', 5);
    const ring = SecretKeyring.parse(text);
    const material = text.slice(3);
    expect(JSON.stringify({ ring })).toBe('{"ring":{"ids":["k0"]}}');
    expect(inspect(ring)).toBe('SecretKeyring(k0)');
    expect(`${JSON.stringify(ring)}${inspect(ring, { showHidden: true })}`).not.toContain(material);
  });
});

describe('secret box', () => {
  it('seals with a fresh IV per value, opens only with the same context, and passes legacy clear values through', () => {
    const box = new SecretBox(SecretKeyring.parse(k('k0', 3)));
    const a = box.seal('hunter2', 'ctx/1');
    expect(a).toMatch(/^enc:v1:k0:/);
    expect(box.seal('hunter2', 'ctx/1')).not.toBe(a);
    expect(box.open(a, 'ctx/1')).toBe('hunter2');
    expect(() => box.open(a, 'ctx/2')).toThrow(expect.objectContaining({ code: 'secret_unreadable' }));
    expect(box.open('legacy clear', 'ctx/1')).toBe('legacy clear');
    expect(box.needsReseal('legacy clear')).toBe(true);
    expect(box.needsReseal(a)).toBe(false);
    const rotated = new SecretBox(SecretKeyring.parse(`${k('k1', 4)},${k('k0', 3)}`));
    expect(rotated.open(a, 'ctx/1')).toBe('hunter2');
    expect(rotated.needsReseal(a)).toBe(true);
    expect(() => new SecretBox(SecretKeyring.parse(k('k1', 4))).open(a, 'ctx/1')).toThrow(expect.objectContaining({ code: 'secret_key_unknown' }));
    // Same id, other key material: authentication fails rather than yielding garbage.
    expect(() => new SecretBox(SecretKeyring.parse(k('k0', 9))).open(a, 'ctx/1')).toThrow(expect.objectContaining({ code: 'secret_unreadable' }));
  });
});

describe('credential hash', () => {
  it('hashes with a random salt and verifies only the same credential', async () => {
    const one = await hashCredential('c'.repeat(32));
    const two = await hashCredential('c'.repeat(32));
    expect(one).toMatch(/^\$scrypt\$ln=14,r=8,p=1\$/);
    expect(one).not.toBe(two);
    await expect(verifyCredential('c'.repeat(32), one)).resolves.toBe(true);
    await expect(verifyCredential('d'.repeat(32), one)).resolves.toBe(false);
  });

  it('refuses malformed hashes and costs outside the bounds without running them', async () => {
    const good = await hashCredential('x');
    const [, , , salt, hash] = good.split('$');
    await expect(verifyCredential('x', `$scrypt$ln=24,r=8,p=1$${salt}$${hash}`)).resolves.toBe(false);
    await expect(verifyCredential('x', `$scrypt$ln=14,r=64,p=1$${salt}$${hash}`)).resolves.toBe(false);
    await expect(verifyCredential('x', 'not a hash')).resolves.toBe(false);
    await expect(verifyCredential('x', '')).resolves.toBe(false);
  });
});
