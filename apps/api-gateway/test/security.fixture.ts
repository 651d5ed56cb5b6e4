import { randomBytes } from 'node:crypto';
import { md5Credentials } from '@legwork/directory';
import { bannerKey, startKazooApp, tokenFor, type KazooApp, type KazooResponse } from './kazoo-app.harness';

/** One tenant as the security tests see it: its admin, a plain user and an API-key token, and what each owns. */
export interface SecurityTenant {
  id: string;
  name: string;
  realm: string;
  /** The account's API key, and a token for it. */
  apiKey: string;
  keyToken: string;
  /** user_auth token of a user with priv_level admin. */
  adminToken: string;
  /** user_auth token of a plain user (priv_level user). */
  userToken: string;
  adminId: string;
  userId: string;
  /** A second plain user of the same account. */
  peerId: string;
  /** Owned by the plain user. */
  userDeviceId: string;
  /** Owned by the peer. */
  peerDeviceId: string;
  resourceId: string;
  webhookId: string;
  groupId: string;
}

export interface SecurityWorld {
  masterId: string;
  masterToken: string;
  a: SecurityTenant;
  b: SecurityTenant;
}

export const PASSWORD = 'Corr3ct-horse';

/** A user_auth token by account realm. */
export async function userToken(app: KazooApp, realm: string, username: string, password = PASSWORD): Promise<string> {
  const res = await app.call('PUT', '/v2/user_auth', { body: { data: { credentials: md5Credentials(username, password), account_realm: realm } } });
  if (res.status !== 201 || typeof res.body.auth_token !== 'string') throw new Error(`user_auth ${username}@${realm}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.auth_token;
}

/** A sub-account of the master with an admin, two plain users, their devices, a carrier and a webhook. */
export async function securityTenant(app: KazooApp, masterId: string, label: string): Promise<SecurityTenant> {
  const tag = `${label}-${randomBytes(3).toString('hex')}`;
  const { directory } = app;
  const account = await directory.accounts.create({ name: tag, realm: `${tag}.sec.legwork.local` }, masterId);
  const user = (username: string, priv: 'admin' | 'user') =>
    directory.users.create(account.id, { first_name: username, last_name: 'Test', username, password: PASSWORD, priv_level: priv });
  const [admin, plain, peer] = [await user(`admin-${tag}`, 'admin'), await user(`user-${tag}`, 'user'), await user(`peer-${tag}`, 'user')];
  const device = (name: string, ownerId: string) => directory.devices.create(account.id, { name, owner_id: ownerId, sip: { username: `${name}-${tag}`, password: 'sip-secret' } });
  const userDevice = await device('mine', plain.id);
  const peerDevice = await device('theirs', peer.id);
  const resource = await directory.resources.create(account.id, { name: 'carrier', gateways: [{ server: '192.0.2.1', password: 'trunk-secret' }], rules: ['^\\+1'] });
  const webhook = await directory.webhooks.create(account.id, { name: 'crm', uri: 'http://192.0.2.2/hook', hook: 'all' });
  const group = await directory.groups.create(account.id, { name: 'sales', type: 'call_center', endpoints: { [plain.id]: { type: 'user' } } });
  const apiKey = await directory.credentials.createApiKey(account.id);
  return {
    id: account.id,
    name: account.name,
    realm: account.realm,
    apiKey,
    keyToken: await tokenFor(app, apiKey),
    adminToken: await userToken(app, account.realm, admin.username ?? ''),
    userToken: await userToken(app, account.realm, plain.username ?? ''),
    adminId: admin.id,
    userId: plain.id,
    peerId: peer.id,
    userDeviceId: userDevice.id,
    peerDeviceId: peerDevice.id,
    resourceId: resource.id,
    webhookId: webhook.id,
    groupId: group.id,
  };
}

export async function securityWorld(app: KazooApp): Promise<SecurityWorld> {
  const master = await app.directory.accounts.getMaster();
  if (!master) throw new Error('no master account');
  return {
    masterId: master.id,
    masterToken: await tokenFor(app, bannerKey(app)),
    a: await securityTenant(app, master.id, 'sa'),
    b: await securityTenant(app, master.id, 'sb'),
  };
}

/** The reply is a Kazoo error envelope with this status. */
export function expectKazooError(res: KazooResponse, status: number): void {
  expect({ status: res.status, envelope: res.body.status, error: res.body.error }).toEqual({ status, envelope: 'error', error: String(status) });
}

/** A gateway (bucket wide open, so throttling never interferes) and the two-tenant world the security suites test against. */
export async function startSecurityWorld(): Promise<{ app: KazooApp; w: SecurityWorld }> {
  const app = await startKazooApp({ env: { RATE_BUCKET_BURST: '100000' } });
  return { app, w: await securityWorld(app) };
}
