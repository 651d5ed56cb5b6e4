import { type Logger, silentLogger } from '@legwork/common';
import { type RedisNode, type RedisTarget, RedisTargetError, redisTargetOf, redisUrlSchema } from '@legwork/redis';
import { z } from 'zod';
import { CredentialStore, type CredentialService } from './credentials/credential.service';
import { DirectoryError } from './directory.error';
import { DirectoryKeys } from './directory.keys';
import { DocumentWriter } from './documents/document-writer';
import { parseDocument } from './documents/validation';
import { AccountRepository, type AccountRepo } from './repos/account.repo';
import { DeviceRepository, type DeviceRepo } from './repos/device.repo';
import { GroupRepository, type GroupRepo } from './repos/group.repo';
import type { RepoContext } from './repos/repo-context';
import { ResourceRepository, type ResourceRepo } from './repos/resource.repo';
import { UserRepository, type UserRepo } from './repos/user.repo';
import { WebhookRepository, type WebhookRepo } from './repos/webhook.repo';
import { SecretBox } from './secrets/secret-box';
import { SecretKeyring } from './secrets/secret-keys';
import { SecretRotation, type SecretMaintenance } from './secrets/secret-rotation';
import type { DirectoryStore } from './store/directory-store.driver';
import { MemoryDirectoryStore } from './store/memory-directory-store.driver';
import { RedisDirectoryStore } from './store/redis-directory-store.driver';
import type { AuthThrottle, AuthThrottleEvent, AuthAttempt, AuthThrottlePolicy } from './throttle/auth-throttle';
import { createAuthThrottle } from './throttle/auth-throttle.factory';
import { createRequestLimiter, type RequestLimiter, type RequestLimiterOptions } from './throttle/request-limiter';
import { AccessPolicy } from './access/access-policy';
import { NumberingService, type NumberingPlan } from './numbering/numbering.service';
import { ApiClients, type ApiClientService } from './clients/api-client.service';

export interface DirectoryOptions {
  /** Redis URL; with neither this nor `clusterNodes` the directory stays in process (embedded mode). */
  url?: string;
  /** Seed nodes of a Redis Cluster (REDIS_CLUSTER_NODES); exclusive with `url`. */
  clusterNodes?: readonly RedisNode[];
  /** Key prefix, default `lw:`. */
  prefix?: string;
  logger?: Logger;
  /** Lifetime of issued auth tokens, default 3600. */
  tokenTtlSeconds?: number;
  /** Clock in epoch milliseconds (tests inject one to expire tokens). */
  now?: () => number;
  /** Limits on failed authentications (defaults: 30 per source per minute, 10 per user per 5 minutes, blocked 5 minutes). */
  authThrottle?: Partial<AuthThrottlePolicy>;
  /** Told of every failed and every refused authentication (for metrics). */
  onAuthEvent?: (event: AuthThrottleEvent, attempt: AuthAttempt) => void;
  /**
   * `kid:base64(32 bytes)[,…]`: the first key encrypts trunk passwords and webhook secrets and keys the user
   * credentials index, every listed key still decrypts. Every process on one store needs the same keys;
   * without any, a random key good for this process only is made (and a Redis-backed directory warns).
   */
  secretKeys?: string | SecretKeyring;
}

export interface Directory {
  ping(): Promise<void>;
  close(): Promise<void>;
  accounts: AccountRepo;
  users: UserRepo;
  devices: DeviceRepo;
  groups: GroupRepo;
  /** Extensions (short and extended) and DIDs across users, devices and groups. */
  numbering: NumberingPlan;
  resources: ResourceRepo;
  /** Event subscriptions (webhooks), their delivery log and failure counters. */
  webhooks: WebhookRepo;
  /** API keys and auth tokens. */
  credentials: CredentialService;
  /** API clients of the VoipNow, Basix, X-on and Netaxis dialects: secrets, authentication, access tokens. */
  apiClients: ApiClientService;
  /** Failed-authentication throttle, shared by every node on the same Redis. */
  throttle: AuthThrottle;
  /** Key rotation: re-encrypts stored secrets under the first key. */
  secrets: SecretMaintenance;
  /** Who may do what: the one role policy every dialect applies. */
  access: AccessPolicy;
  /** A per-source request limiter on the directory's store (Redis when there is one), e.g. for unauthenticated traffic. */
  requestLimiter(opts: RequestLimiterOptions): RequestLimiter;
  /** AES-256-GCM under the platform's secret keys, for secrets in transit through the bus (per-call callback signing keys). */
  secretBox: Pick<SecretBox, 'seal' | 'open'>;
}

const optionsSchema = z.object({
  url: redisUrlSchema.optional(),
  prefix: z.string().min(1).max(64).default('lw:'),
  tokenTtlSeconds: z.number().int().min(1).max(31_536_000).default(3600),
});

export function createDirectory(opts: DirectoryOptions = {}): Directory {
  const { url, prefix, tokenTtlSeconds } = parseDocument(optionsSchema, { url: opts.url, prefix: opts.prefix, tokenTtlSeconds: opts.tokenTtlSeconds });
  const logger = opts.logger ?? silentLogger;
  const now = opts.now ?? Date.now;
  const target = targetOf(url, opts.clusterNodes);
  const store = target === undefined ? new MemoryDirectoryStore(now) : new RedisDirectoryStore(target, logger);
  const throttle = createAuthThrottle({
    keyPrefix: prefix,
    logger,
    ...(store instanceof RedisDirectoryStore ? { redis: store.redis } : {}),
    ...(opts.authThrottle !== undefined ? { policy: opts.authThrottle } : {}),
    ...(opts.onAuthEvent !== undefined ? { onEvent: opts.onAuthEvent } : {}),
  });
  if (target !== undefined && opts.secretKeys === undefined) {
    logger.warn({}, 'directory on Redis without secret keys: using a random key of this process; secrets it writes are unreadable by other processes and after a restart');
  }
  const redis = store instanceof RedisDirectoryStore ? store.redis : undefined;
  const requestLimiter = (o: RequestLimiterOptions): RequestLimiter => createRequestLimiter({ ...o, keyPrefix: prefix, ...(redis !== undefined ? { redis } : {}) });
  return openDirectory(store, { prefix, tokenTtlSeconds, logger, now, throttle, requestLimiter, secretKeys: opts.secretKeys });
}

function targetOf(url: string | undefined, clusterNodes: DirectoryOptions['clusterNodes']): RedisTarget | undefined {
  try {
    return redisTargetOf({ url, clusterNodes });
  } catch (err) {
    if (err instanceof RedisTargetError) throw DirectoryError.invalidField(String(err.details['field'] ?? 'url'), 'target', err.message);
    throw err;
  }
}

export interface OpenDirectoryOptions {
  prefix: string;
  tokenTtlSeconds: number;
  logger: Logger;
  now: () => number;
  throttle?: AuthThrottle;
  requestLimiter?: (o: RequestLimiterOptions) => RequestLimiter;
  secretKeys?: string | SecretKeyring;
}

function keyringOf(secretKeys: string | SecretKeyring | undefined): SecretKeyring {
  if (secretKeys === undefined) return SecretKeyring.ephemeral();
  return typeof secretKeys === 'string' ? SecretKeyring.parse(secretKeys) : secretKeys;
}

/** Assembles the directory over any store driver. */
export function openDirectory(store: DirectoryStore, opts: OpenDirectoryOptions): Directory {
  const keyring = keyringOf(opts.secretKeys);
  const ctx: RepoContext = { store, keys: new DirectoryKeys(opts.prefix), writer: new DocumentWriter(store, opts.now), now: opts.now, logger: opts.logger, keyring, box: new SecretBox(keyring) };

  const accounts: AccountRepository = new AccountRepository(
    ctx,
    async (accountId) => {
      await groups.purge(accountId);
      await devices.purge(accountId);
      await users.purge(accountId);
      await resources.purge(accountId);
      await webhooks.purge(accountId);
      await apiClients.purge(accountId);
      await credentials.purge(accountId);
      await numbering.purge(accountId);
    },
  );
  const requireAccount = (accountId: string) => accounts.get(accountId);
  const users: UserRepository = new UserRepository(
    ctx,
    requireAccount,
    async (accountId, userId) => {
      await devices.clearOwner(accountId, userId);
      await groups.removeEndpoint(accountId, userId);
      await apiClients.removeOwnedBy(accountId, userId);
    },
    (accountId, userId) => credentials.revokeUserTokens(accountId, userId),
  );
  const devices: DeviceRepository = new DeviceRepository(
    ctx,
    requireAccount,
    async (accountId, userId) => (await users.find(accountId, userId)) !== null,
    (accountId, deviceId) => groups.removeEndpoint(accountId, deviceId),
  );
  const groups: GroupRepository = new GroupRepository(
    ctx,
    requireAccount,
    async (accountId, type, id) => (type === 'user' ? (await users.find(accountId, id)) !== null : (await devices.find(accountId, id)) !== null),
    async (accountId, userId) => (await devices.listByOwner(accountId, userId)).map((d) => d.id),
  );
  const numbering = new NumberingService(ctx, { accounts, users, devices, groups });
  const resources = new ResourceRepository(ctx, requireAccount);
  const webhooks = new WebhookRepository(ctx, requireAccount);
  const credentials = new CredentialStore(ctx, accounts, users, opts.tokenTtlSeconds, (number) => numbering.findDid(number));
  const throttle = opts.throttle ?? createAuthThrottle({ keyPrefix: opts.prefix, logger: opts.logger });
  const apiClients = new ApiClients(ctx, { accounts, users, throttle, tokenTtlSeconds: opts.tokenTtlSeconds });

  return {
    ping: () => store.ping(),
    close: () => store.close(),
    accounts,
    users,
    devices,
    groups,
    numbering,
    resources,
    webhooks,
    credentials,
    apiClients,
    throttle,
    secrets: new SecretRotation(ctx, [{ kind: 'resource', docs: resources.docs }, { kind: 'webhook', docs: webhooks.docs }], users, apiClients.repo),
    access: new AccessPolicy({ accounts, users, devices }),
    requestLimiter: opts.requestLimiter ?? ((o) => createRequestLimiter({ ...o, keyPrefix: opts.prefix })),
    secretBox: ctx.box,
  };
}
