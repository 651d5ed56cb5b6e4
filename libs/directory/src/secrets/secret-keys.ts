import { hkdfSync, randomBytes } from 'node:crypto';
import { SecretsError } from './secrets.error';

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
const KEY_BYTES = 32;

/** Purposes a configured key is stretched into (HKDF-SHA256), so no two uses share key material. */
const PURPOSES = {
  encryption: 'legwork secrets: AES-256-GCM v1',
  credentialIndex: 'legwork secrets: user credential index HMAC v1',
  apiClientSecret: 'legwork secrets: api client secret HMAC v1',
} as const;
type Purpose = keyof typeof PURPOSES;

interface Entry {
  id: string;
  derived: Record<Purpose, Buffer>;
}

/**
 * The platform's secret keys, `kid:base64(32 bytes)` comma-separated: the first encrypts and
 * indexes, every one decrypts and looks up. Key material never leaves this object (not even in JSON or inspect).
 */
export class SecretKeyring {
  readonly #entries: Entry[];

  private constructor(entries: Array<{ id: string; key: Buffer }>) {
    this.#entries = entries.map(({ id, key }) => ({
      id,
      derived: {
        encryption: Buffer.from(hkdfSync('sha256', key, 'legwork', PURPOSES.encryption, KEY_BYTES)),
        credentialIndex: Buffer.from(hkdfSync('sha256', key, 'legwork', PURPOSES.credentialIndex, KEY_BYTES)),
        apiClientSecret: Buffer.from(hkdfSync('sha256', key, 'legwork', PURPOSES.apiClientSecret, KEY_BYTES)),
      },
    }));
  }

  /** Parses the setting; every problem names the entry and the rule it broke. */
  static parse(text: string): SecretKeyring {
    const problems = secretKeysProblems(text);
    if (problems.length > 0) throw new SecretsError('invalid_secret_keys', problems.join('; '), { problems });
    return new SecretKeyring(
      text.split(',').map((entry) => {
        const [id, material] = entry.trim().split(':') as [string, string];
        return { id, key: Buffer.from(material, 'base64') };
      }),
    );
  }

  /** A random one-key ring for a process that persists nothing (embedded mode). */
  static ephemeral(): SecretKeyring {
    return new SecretKeyring([{ id: `ephemeral-${randomBytes(3).toString('hex')}`, key: randomBytes(KEY_BYTES) }]);
  }

  /** The id of the key that encrypts and indexes. */
  get currentId(): string {
    return (this.#entries[0] as Entry).id;
  }

  get ids(): string[] {
    return this.#entries.map((e) => e.id);
  }

  /** The purpose's key for `id`, undefined when that key is not configured. */
  key(id: string, purpose: Purpose): Buffer | undefined {
    return this.#entries.find((e) => e.id === id)?.derived[purpose];
  }

  toJSON(): { ids: string[] } {
    return { ids: this.ids };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `SecretKeyring(${this.ids.join(',')})`;
  }
}

/** What is wrong with a `kid:base64(32 bytes)[,…]` setting (empty when nothing). */
export function secretKeysProblems(text: string): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const entries = text.split(',');
  entries.forEach((raw, index) => {
    const entry = raw.trim();
    const at = `entry ${index + 1}`;
    const sep = entry.indexOf(':');
    if (sep < 0) return void problems.push(`${at}: must be KEY_ID:BASE64_KEY`);
    const id = entry.slice(0, sep);
    const material = entry.slice(sep + 1);
    if (!KEY_ID.test(id)) problems.push(`${at}: key id must be 1-32 characters of A-Z a-z 0-9 _ -`);
    else if (seen.has(id)) problems.push(`${at}: key id "${id}" is listed twice`);
    seen.add(id);
    if (!BASE64.test(material) || Buffer.from(material, 'base64').length !== KEY_BYTES) problems.push(`${at}: key must be base64 of exactly ${KEY_BYTES} random bytes`);
  });
  return problems;
}

/** A new `kid:base64` entry for the setting. */
export function generateSecretKey(id: string): string {
  if (!KEY_ID.test(id)) throw new SecretsError('invalid_secret_keys', 'key id must be 1-32 characters of A-Z a-z 0-9 _ -');
  return `${id}:${randomBytes(KEY_BYTES).toString('base64')}`;
}
