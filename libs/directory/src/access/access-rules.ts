/**
 * The role matrix, one row per operation every dialect maps its routes onto.
 * - public: no caller needed; authenticated: any verified caller
 * - admin: an account admin of the addressed account or one of its ancestors
 * - member: also a plain user of that very account (read only)
 * - self / own-device / own-call: also a plain user of that account, for its own user, devices, calls and CDRs
 *   (`list`: a plain user sees only its own entries)
 * - originate: also a plain user for its own devices or itself; anonymous when the target allows quickcalls without a token
 */
export type AccessRule =
  | { kind: 'public' }
  | { kind: 'authenticated' }
  | { kind: 'admin' }
  | { kind: 'member' }
  | { kind: 'self'; list?: true }
  | { kind: 'own-device'; list?: true }
  | { kind: 'own-call'; list?: true }
  | { kind: 'originate'; target: 'device' | 'user' };

const ADMIN = { kind: 'admin' } as const;

export const ACCESS_RULES = {
  'session.login': { kind: 'public' },
  'session.logout': { kind: 'authenticated' },
  'session.read': { kind: 'authenticated' },
  'account.read': { kind: 'member' },
  'account.update': ADMIN,
  'account.delete': ADMIN,
  'account.children': ADMIN,
  'account.create-child': ADMIN,
  'user.list': { kind: 'self', list: true },
  'user.create': ADMIN,
  'user.read': { kind: 'self' },
  'user.update': { kind: 'self' },
  'user.delete': ADMIN,
  'device.list': { kind: 'own-device', list: true },
  'device.create': ADMIN,
  'device.read': { kind: 'own-device' },
  'device.update': { kind: 'own-device' },
  'device.delete': ADMIN,
  'group.list': ADMIN,
  'group.create': ADMIN,
  'group.read': ADMIN,
  'group.update': ADMIN,
  'group.delete': ADMIN,
  // API clients hold credentials of the whole account or of a user: an admin's to register and remove
  'api_client.list': ADMIN,
  'api_client.create': ADMIN,
  'api_client.read': ADMIN,
  'api_client.delete': ADMIN,
  'resource.list': ADMIN,
  'resource.create': ADMIN,
  'resource.read': ADMIN,
  'resource.update': ADMIN,
  'resource.delete': ADMIN,
  // Kazoo serves the hook catalog and payload samples to anyone (cb_webhooks:authenticate_webhook/3)
  'webhook.catalog': { kind: 'public' },
  'webhook.list': ADMIN,
  'webhook.create': ADMIN,
  'webhook.read': ADMIN,
  'webhook.update': ADMIN,
  'webhook.delete': ADMIN,
  'call.list': { kind: 'own-call', list: true },
  'call.read': { kind: 'own-call' },
  'call.hangup': { kind: 'own-call' },
  'cdr.list': { kind: 'own-call', list: true },
  // live event streams (websockets): a plain user gets only its own calls' events
  'event.subscribe': { kind: 'own-call', list: true },
  'cdr.read': { kind: 'own-call' },
  // recordings hold what every party of the account's calls said: an admin's to list and fetch
  'recording.list': ADMIN,
  'recording.read': ADMIN,
  'originate.device': { kind: 'originate', target: 'device' },
  'originate.user': { kind: 'originate', target: 'user' },
  // the platform's call counters (every tenant's traffic): the route also requires the master account
  'platform.stats': ADMIN,
} as const satisfies Record<string, AccessRule>;

export type Operation = keyof typeof ACCESS_RULES;

export const OPERATIONS = Object.keys(ACCESS_RULES) as Operation[];
