/**
 * Redis key layout. Everything owned by one account shares the `{acct:ID}` hash
 * tag (one cluster slot); global lookups live in small untagged index hashes.
 */
export class DirectoryKeys {
  constructor(readonly prefix: string) {}

  private acct(accountId: string): string {
    return `${this.prefix}{acct:${accountId}}`;
  }

  account(accountId: string): string {
    return `${this.acct(accountId)}:account`;
  }
  children(accountId: string): string {
    return `${this.acct(accountId)}:children`;
  }
  doc(accountId: string, kind: DocKind, id: string): string {
    return `${this.acct(accountId)}:${kind}:${id}`;
  }
  docSet(accountId: string, kind: DocKind): string {
    return `${this.acct(accountId)}:${kind}s`;
  }
  usernameIndex(accountId: string): string {
    return `${this.acct(accountId)}:idx:username`;
  }
  /** Earlier versions' index keyed by the unsalted md5 itself; only read to migrate. */
  md5Index(accountId: string): string {
    return `${this.acct(accountId)}:idx:md5`;
  }
  /** `<key id>:HMAC(server key, method:credential)` → user id. */
  credentialIndex(accountId: string): string {
    return `${this.acct(accountId)}:idx:cred`;
  }
  ownerIndex(accountId: string, userId: string): string {
    return `${this.acct(accountId)}:idx:owner:${userId}`;
  }
  /** Bumped by every write of the account's webhooks, so a delivery can tell its cached copy is current. */
  webhookGeneration(accountId: string): string {
    return `${this.acct(accountId)}:webhooks:generation`;
  }
  webhookAttempts(accountId: string, hookId: string): string {
    return `${this.acct(accountId)}:webhook:${hookId}:attempts`;
  }
  webhookFailures(accountId: string, hookId: string): string {
    return `${this.acct(accountId)}:webhook:${hookId}:failures`;
  }
  apiKeySet(accountId: string): string {
    return `${this.acct(accountId)}:apikeys`;
  }
  /** user id → token generation: tokens issued under an older generation no longer verify. */
  tokenGenerations(accountId: string): string {
    return `${this.acct(accountId)}:idx:tokengen`;
  }

  /** Extensions are unique in the account across users, devices and groups: extension → `<kind>/<id>`. */
  extensionIndex(accountId: string): string {
    return `${this.acct(accountId)}:idx:extension`;
  }
  /** Lowercase label → id, one hash per kind (users and groups). */
  labelIndex(accountId: string, kind: 'user' | 'group'): string {
    return `${this.acct(accountId)}:idx:label:${kind}`;
  }
  /** Lowercase email → user id. */
  emailIndex(accountId: string): string {
    return `${this.acct(accountId)}:idx:email`;
  }
  /** Set once the account's users written before emails were unique have been indexed. */
  emailIndexBackfilled(accountId: string): string {
    return `${this.acct(accountId)}:idx:email:backfilled`;
  }
  /** E.164 mobile number → user id. */
  mobileIndex(accountId: string): string {
    return `${this.acct(accountId)}:idx:mobile`;
  }
  /** SHA-256 of a device's push prid → device id. */
  pushIndex(accountId: string): string {
    return `${this.acct(accountId)}:idx:prid`;
  }

  /** Names are unique among the sub-accounts of one parent: lowercase name → child id. */
  childNameIndex(parentId: string): string {
    return `${this.acct(parentId)}:idx:childname`;
  }
  /** …and among root accounts. */
  get rootNameIndex(): string {
    return `${this.prefix}idx:account:rootname`;
  }
  /** Every account with this lowercase name (user_auth by account_name), keyed by its SHA-256. */
  accountsNamed(nameHash: string): string {
    return `${this.prefix}idx:account:named:${nameHash}`;
  }
  /** Globally unique names of earlier releases, still read by name lookups. */
  get legacyAccountNameIndex(): string {
    return `${this.prefix}idx:account:name`;
  }
  get accountRealmIndex(): string {
    return `${this.prefix}idx:account:realm`;
  }
  /** E.164 DID → `<account id>/<kind>/<id>`: DIDs are unique platform-wide (inbound calls find their owner by them). */
  get didIndex(): string {
    return `${this.prefix}idx:did`;
  }
  /** `<account id>/<resource id>` of every resource with inbound calls configured (INVITEs are matched against them). */
  get inboundResourceIndex(): string {
    return `${this.prefix}idx:resource:inbound`;
  }
  /** Extension prefix → account id. */
  get extensionPrefixIndex(): string {
    return `${this.prefix}idx:account:extprefix`;
  }
  /** `<key id>:HMAC(server key, client secret)` → `<account id>/<client id>`. */
  get apiClientSecretIndex(): string {
    return `${this.prefix}idx:apiclient:secret`;
  }
  get master(): string {
    return `${this.prefix}master`;
  }
  get sipIndex(): string {
    return `${this.prefix}idx:device:sip`;
  }
  get apiKeyIndex(): string {
    return `${this.prefix}idx:apikey`;
  }
  token(tokenHash: string): string {
    return `${this.prefix}token:${tokenHash}`;
  }
  /** Set when a token is revoked, so sessions opened with it stop even after it would have expired. */
  revokedToken(tokenHash: string): string {
    return `${this.prefix}token-revoked:${tokenHash}`;
  }
}

export type DocKind = 'user' | 'device' | 'group' | 'resource' | 'webhook' | 'apiclient';
