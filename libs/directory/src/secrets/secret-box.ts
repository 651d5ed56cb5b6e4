import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretKeyring } from './secret-keys';
import { SecretsError } from './secrets.error';

const PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM for secrets that must be read back (trunk passwords, webhook secrets). A sealed value is
 * `enc:v1:<kid>:<iv>:<tag>:<ciphertext>` (base64url), bound through the AAD to the document holding it.
 */
export class SecretBox {
  constructor(private readonly keyring: SecretKeyring) {}

  seal(plaintext: string, context: string): string {
    const keyId = this.keyring.currentId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keyring.key(keyId, 'encryption') as Buffer, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${PREFIX}${keyId}:${iv.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}:${ciphertext.toString('base64url')}`;
  }

  /** The plaintext; a value that is not sealed is a clear secret an earlier version stored and comes back as it is. */
  open(value: string, context: string): string {
    if (!isSealed(value)) return value;
    const [keyId = '', iv = '', tag = '', ciphertext = ''] = value.slice(PREFIX.length).split(':');
    const key = this.keyring.key(keyId, 'encryption');
    if (key === undefined) {
      throw new SecretsError('secret_key_unknown', `a stored secret is encrypted with key "${keyId}", which is not among the configured secret keys`, { keyId, context });
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretsError('secret_unreadable', `a stored secret failed authentication under key "${keyId}" (altered, moved from another document, or a different key under that id)`, { keyId, context });
    }
  }

  /** True unless the value is already sealed under the current key. */
  needsReseal(value: string): boolean {
    return !value.startsWith(`${PREFIX}${this.keyring.currentId}:`);
  }
}

export function isSealed(value: string): boolean {
  return value.startsWith(PREFIX);
}
