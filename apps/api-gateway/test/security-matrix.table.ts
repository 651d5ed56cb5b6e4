import { md5Credentials } from '@legwork/directory';
import type { KazooResponse } from './kazoo-app.harness';
import { PASSWORD, type SecurityTenant } from './security.fixture';

/**
 * Who asks: the master's API key; tenant A's API key, admin user and plain user (on its own things,
 * or as `peer` on another user's); tenant B's three tokens; nobody.
 */
export type Who = 'master' | 'key' | 'admin' | 'user' | 'peer' | 'b-key' | 'b-admin' | 'b-user' | 'anonymous';
export const EVERYONE: Who[] = ['master', 'key', 'admin', 'user', 'peer', 'b-key', 'b-admin', 'b-user', 'anonymous'];
const ADMINS: Who[] = ['master', 'key', 'admin'];
const MEMBERS: Who[] = [...ADMINS, 'user'];
const OWNERS: Who[] = [...ADMINS, 'user'];

/** What a row may use of tenant A, with `mine` the plain user's things (the peer's, for `peer`). */
export interface RowContext {
  t: SecurityTenant;
  who: Who;
  mine: { userId: string; username: string; deviceId: string; deviceUsername: string; callId: string; cdrId: string; recordingId: string };
  fresh(kind: 'user' | 'device' | 'resource' | 'webhook' | 'group' | 'api_client' | 'child'): Promise<string>;
}

export interface MatrixRow {
  /** The route as registered: `verb /v2/...` with `:params`. */
  route: string;
  /** Callers answered 2xx; everyone else gets 403 (401 without a token) and changes nothing. */
  allow: Who[];
  request(c: RowContext): Promise<{ path: string; body?: unknown }> | { path: string; body?: unknown };
  /** The caller uses a token of its own kind issued for this row (logout revokes it); OWN_TOKEN in the path becomes it. */
  ownToken?: true;
  /** Addresses one user's things: `user` asks about its own, `peer` (the same token) about another user's. */
  perUser?: true;
  /** For the plain user: what an allowed answer must contain (scoped listings). */
  scoped?(res: KazooResponse, c: RowContext): void;
}

/** Stands for the row's own token in a path (GET /v2/user_auth/{token}). */
export const OWN_TOKEN = '{OWN_TOKEN}';

const A = (c: RowContext): string => `/v2/accounts/${c.t.id}`;
const ids = (res: KazooResponse): string[] => (res.body.data as Array<{ id?: string; uuid?: string }>).map((d) => String(d.id ?? d.uuid));
const onlyMine = (pick: (m: RowContext['mine']) => string) => (res: KazooResponse, c: RowContext) => expect(ids(res)).toEqual([pick(c.mine)]);
const tag = (): string => Math.random().toString(36).slice(2, 8);

export const MATRIX: MatrixRow[] = [
  { route: 'put /v2/api_auth', allow: EVERYONE, request: (c) => ({ path: '/v2/api_auth', body: { data: { api_key: c.t.apiKey } } }) },
  {
    route: 'put /v2/user_auth',
    allow: EVERYONE,
    request: (c) => ({ path: '/v2/user_auth', body: { data: { credentials: md5Credentials(`user-${c.t.name}`, PASSWORD), account_realm: c.t.realm } } }),
  },
  { route: 'delete /v2/token_auth', allow: EVERYONE.filter((w) => w !== 'anonymous'), ownToken: true, request: () => ({ path: '/v2/token_auth' }) },
  { route: 'get /v2/user_auth/:token', allow: EVERYONE.filter((w) => w !== 'anonymous'), ownToken: true, request: () => ({ path: `/v2/user_auth/${OWN_TOKEN}` }) },

  { route: 'put /v2/accounts/:accountId', allow: ADMINS, request: (c) => ({ path: A(c), body: { data: { name: `sub-${tag()}`, realm: `sub-${tag()}.matrix.local` } } }) },
  { route: 'get /v2/accounts/:accountId', allow: MEMBERS, request: (c) => ({ path: A(c) }) },
  { route: 'post /v2/accounts/:accountId', allow: ADMINS, request: (c) => ({ path: A(c), body: { data: { name: c.t.name, realm: c.t.realm } } }) },
  { route: 'patch /v2/accounts/:accountId', allow: ADMINS, request: (c) => ({ path: A(c), body: { data: { timezone: 'UTC' } } }) },
  { route: 'delete /v2/accounts/:accountId', allow: ADMINS, request: async (c) => ({ path: `/v2/accounts/${await c.fresh('child')}` }) },
  { route: 'get /v2/accounts/:accountId/children', allow: ADMINS, request: (c) => ({ path: `${A(c)}/children` }) },

  { route: 'put /v2/accounts/:accountId/users', allow: ADMINS, request: (c) => ({ path: `${A(c)}/users`, body: { data: { first_name: 'New', last_name: tag() } } }) },
  { route: 'get /v2/accounts/:accountId/users', allow: MEMBERS, request: (c) => ({ path: `${A(c)}/users` }), scoped: onlyMine((m) => m.userId) },
  { route: 'get /v2/accounts/:accountId/users/:id', allow: OWNERS, perUser: true, request: (c) => ({ path: `${A(c)}/users/${c.mine.userId}` }) },
  {
    route: 'post /v2/accounts/:accountId/users/:id',
    allow: OWNERS,
    perUser: true,
    request: (c) => ({ path: `${A(c)}/users/${c.mine.userId}`, body: { data: { first_name: 'Re', last_name: 'Placed', username: c.mine.username } } }),
  },
  { route: 'patch /v2/accounts/:accountId/users/:id', allow: OWNERS, perUser: true, request: (c) => ({ path: `${A(c)}/users/${c.mine.userId}`, body: { data: { last_name: tag() } } }) },
  { route: 'delete /v2/accounts/:accountId/users/:id', allow: ADMINS, request: async (c) => ({ path: `${A(c)}/users/${await c.fresh('user')}` }) },

  { route: 'put /v2/accounts/:accountId/devices', allow: ADMINS, request: (c) => ({ path: `${A(c)}/devices`, body: { data: { name: 'new', sip: { username: `new-${tag()}`, password: 'pw' } } } }) },
  { route: 'get /v2/accounts/:accountId/devices', allow: MEMBERS, request: (c) => ({ path: `${A(c)}/devices` }), scoped: onlyMine((m) => m.deviceId) },
  { route: 'get /v2/accounts/:accountId/devices/status', allow: MEMBERS, request: (c) => ({ path: `${A(c)}/devices/status` }) },
  { route: 'get /v2/accounts/:accountId/devices/:id', allow: OWNERS, perUser: true, request: (c) => ({ path: `${A(c)}/devices/${c.mine.deviceId}` }) },
  {
    route: 'post /v2/accounts/:accountId/devices/:id',
    allow: OWNERS,
    perUser: true,
    request: (c) => ({ path: `${A(c)}/devices/${c.mine.deviceId}`, body: { data: { name: 'desk', owner_id: c.mine.userId, sip: { username: c.mine.deviceUsername, password: 'sip-secret' } } } }),
  },
  { route: 'patch /v2/accounts/:accountId/devices/:id', allow: OWNERS, perUser: true, request: (c) => ({ path: `${A(c)}/devices/${c.mine.deviceId}`, body: { data: { name: tag() } } }) },
  { route: 'delete /v2/accounts/:accountId/devices/:id', allow: ADMINS, request: async (c) => ({ path: `${A(c)}/devices/${await c.fresh('device')}` }) },

  { route: 'put /v2/accounts/:accountId/resources', allow: ADMINS, request: (c) => ({ path: `${A(c)}/resources`, body: { data: { name: 'gw', gateways: [{ server: '192.0.2.9' }] } } }) },
  { route: 'get /v2/accounts/:accountId/resources', allow: ADMINS, request: (c) => ({ path: `${A(c)}/resources` }) },
  { route: 'get /v2/accounts/:accountId/resources/:id', allow: ADMINS, request: (c) => ({ path: `${A(c)}/resources/${c.t.resourceId}` }) },
  {
    route: 'post /v2/accounts/:accountId/resources/:id',
    allow: ADMINS,
    request: (c) => ({ path: `${A(c)}/resources/${c.t.resourceId}`, body: { data: { name: 'carrier', gateways: [{ server: '192.0.2.1', password: 'trunk-secret' }], rules: ['^\\+1'] } } }),
  },
  { route: 'patch /v2/accounts/:accountId/resources/:id', allow: ADMINS, request: (c) => ({ path: `${A(c)}/resources/${c.t.resourceId}`, body: { data: { weight_cost: 7 } } }) },
  { route: 'delete /v2/accounts/:accountId/resources/:id', allow: ADMINS, request: async (c) => ({ path: `${A(c)}/resources/${await c.fresh('resource')}` }) },

  { route: 'put /v2/accounts/:accountId/groups', allow: ADMINS, request: (c) => ({ path: `${A(c)}/groups`, body: { data: { name: `g-${tag()}`, endpoints: { [c.mine.userId]: { type: 'user' } } } } }) },
  { route: 'get /v2/accounts/:accountId/groups', allow: ADMINS, request: (c) => ({ path: `${A(c)}/groups` }) },
  { route: 'get /v2/accounts/:accountId/groups/:id', allow: ADMINS, request: (c) => ({ path: `${A(c)}/groups/${c.t.groupId}` }) },
  {
    route: 'post /v2/accounts/:accountId/groups/:id',
    allow: ADMINS,
    request: (c) => ({ path: `${A(c)}/groups/${c.t.groupId}`, body: { data: { name: 'sales', type: 'call_center', endpoints: { [c.mine.userId]: { type: 'user' } } } } }),
  },
  { route: 'patch /v2/accounts/:accountId/groups/:id', allow: ADMINS, request: (c) => ({ path: `${A(c)}/groups/${c.t.groupId}`, body: { data: { strategy: 'single' } } }) },
  { route: 'delete /v2/accounts/:accountId/groups/:id', allow: ADMINS, request: async (c) => ({ path: `${A(c)}/groups/${await c.fresh('group')}` }) },

  { route: 'put /v2/accounts/:accountId/api_clients', allow: ADMINS, request: (c) => ({ path: `${A(c)}/api_clients`, body: { data: { name: `app-${tag()}`, dialect: 'voipnow' } } }) },
  { route: 'get /v2/accounts/:accountId/api_clients', allow: ADMINS, request: (c) => ({ path: `${A(c)}/api_clients` }) },
  { route: 'get /v2/accounts/:accountId/api_clients/:id', allow: ADMINS, request: async (c) => ({ path: `${A(c)}/api_clients/${await c.fresh('api_client')}` }) },
  { route: 'delete /v2/accounts/:accountId/api_clients/:id', allow: ADMINS, request: async (c) => ({ path: `${A(c)}/api_clients/${await c.fresh('api_client')}` }) },

  { route: 'get /v2/webhooks', allow: EVERYONE, request: () => ({ path: '/v2/webhooks' }) },
  { route: 'get /v2/webhooks/samples', allow: EVERYONE, request: () => ({ path: '/v2/webhooks/samples' }) },
  { route: 'get /v2/webhooks/samples/:name', allow: EVERYONE, request: () => ({ path: '/v2/webhooks/samples/webhooks_channel_create' }) },
  { route: 'get /v2/accounts/:accountId/webhooks/attempts', allow: ADMINS, request: (c) => ({ path: `${A(c)}/webhooks/attempts` }) },
  { route: 'patch /v2/accounts/:accountId/webhooks', allow: ADMINS, request: (c) => ({ path: `${A(c)}/webhooks`, body: { data: { 're-enable': true } } }) },
  { route: 'put /v2/accounts/:accountId/webhooks', allow: ADMINS, request: (c) => ({ path: `${A(c)}/webhooks`, body: { data: { name: 'h', uri: 'http://127.0.0.1:9/h', hook: 'all' } } }) },
  { route: 'get /v2/accounts/:accountId/webhooks', allow: ADMINS, request: (c) => ({ path: `${A(c)}/webhooks` }) },
  { route: 'get /v2/accounts/:accountId/webhooks/:id', allow: ADMINS, request: (c) => ({ path: `${A(c)}/webhooks/${c.t.webhookId}` }) },
  { route: 'get /v2/accounts/:accountId/webhooks/:id/attempts', allow: ADMINS, request: (c) => ({ path: `${A(c)}/webhooks/${c.t.webhookId}/attempts` }) },
  {
    route: 'post /v2/accounts/:accountId/webhooks/:id',
    allow: ADMINS,
    request: (c) => ({ path: `${A(c)}/webhooks/${c.t.webhookId}`, body: { data: { name: 'crm', uri: 'http://127.0.0.1:9/hook', hook: 'all' } } }),
  },
  { route: 'patch /v2/accounts/:accountId/webhooks/:id', allow: ADMINS, request: (c) => ({ path: `${A(c)}/webhooks/${c.t.webhookId}`, body: { data: { retries: 2 } } }) },
  { route: 'delete /v2/accounts/:accountId/webhooks/:id', allow: ADMINS, request: async (c) => ({ path: `${A(c)}/webhooks/${await c.fresh('webhook')}` }) },

  { route: 'get /v2/accounts/:accountId/channels', allow: MEMBERS, request: (c) => ({ path: `${A(c)}/channels` }), scoped: onlyMine((m) => m.callId) },
  { route: 'get /v2/accounts/:accountId/channels/:callId', allow: OWNERS, perUser: true, request: (c) => ({ path: `${A(c)}/channels/${c.mine.callId}` }) },
  { route: 'put /v2/accounts/:accountId/channels/:callId', allow: OWNERS, perUser: true, request: (c) => ({ path: `${A(c)}/channels/${c.mine.callId}`, body: { data: { action: 'hangup' } } }) },
  { route: 'post /v2/accounts/:accountId/channels/:callId', allow: OWNERS, perUser: true, request: (c) => ({ path: `${A(c)}/channels/${c.mine.callId}`, body: { data: { action: 'hangup' } } }) },

  // every tenant's traffic: tenant A is no master account, so even the master's own key is refused there
  { route: 'get /v2/accounts/:accountId/platform_stats', allow: [], request: (c) => ({ path: `${A(c)}/platform_stats` }) },
  // what every party of the account's calls said: admins only
  { route: 'get /v2/accounts/:accountId/recordings', allow: ADMINS, request: (c) => ({ path: `${A(c)}/recordings` }) },
  { route: 'get /v2/accounts/:accountId/recordings/:recordingId', allow: ADMINS, request: (c) => ({ path: `${A(c)}/recordings/${c.mine.recordingId}` }) },
  { route: 'get /v2/accounts/:accountId/cdrs', allow: MEMBERS, request: (c) => ({ path: `${A(c)}/cdrs` }), scoped: onlyMine((m) => m.cdrId) },
  { route: 'get /v2/accounts/:accountId/cdrs/:cdrId', allow: OWNERS, perUser: true, request: (c) => ({ path: `${A(c)}/cdrs/${c.mine.cdrId}` }) },

  { route: 'get /v2/accounts/:accountId/devices/:endpointId/quickcall/:number', allow: OWNERS, perUser: true, request: (c) => ({ path: `${A(c)}/devices/${c.mine.deviceId}/quickcall/1002` }) },
  { route: 'post /v2/accounts/:accountId/devices/:endpointId/quickcall/:number', allow: OWNERS, perUser: true, request: (c) => ({ path: `${A(c)}/devices/${c.mine.deviceId}/quickcall/1002`, body: {} }) },
  { route: 'get /v2/accounts/:accountId/users/:endpointId/quickcall/:number', allow: OWNERS, perUser: true, request: (c) => ({ path: `${A(c)}/users/${c.mine.userId}/quickcall/1002` }) },
  { route: 'post /v2/accounts/:accountId/users/:endpointId/quickcall/:number', allow: OWNERS, perUser: true, request: (c) => ({ path: `${A(c)}/users/${c.mine.userId}/quickcall/1002`, body: {} }) },
];
