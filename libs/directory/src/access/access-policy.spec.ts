import { createDirectory, type Directory } from '../directory';
import type { DirectoryError } from '../directory.error';
import { ACCESS_RULES, OPERATIONS, type Operation } from './access-rules';
import type { AccessRequest, Caller } from './access.types';
import { owns } from './access-policy';
import { selfEditBody } from './self-edit';

describe('AccessPolicy', () => {
  let dir: Directory;
  let ids: Record<'root' | 'a' | 'sub' | 'b' | 'me' | 'peer' | 'myDevice' | 'peerDevice', string>;
  const admin = (accountId: string): Caller => ({ accountId, role: 'admin', method: 'api_key' });
  const user = (): Caller => ({ accountId: ids.a, userId: ids.me, role: 'user', method: 'user_auth' });

  beforeAll(async () => {
    dir = createDirectory();
    const root = await dir.accounts.create({ name: 'root', realm: 'root.local' });
    const a = await dir.accounts.create({ name: 'a', realm: 'a.local' }, root.id);
    const sub = await dir.accounts.create({ name: 'sub', realm: 'sub.a.local' }, a.id);
    const b = await dir.accounts.create({ name: 'b', realm: 'b.local' }, root.id);
    const me = await dir.users.create(a.id, { first_name: 'me', last_name: 'x' });
    const peer = await dir.users.create(a.id, { first_name: 'peer', last_name: 'x', allow_anonymous_quickcalls: true });
    const myDevice = await dir.devices.create(a.id, { name: 'mine', owner_id: me.id, sip: { username: 'mine', password: 'p' } });
    const peerDevice = await dir.devices.create(a.id, { name: 'theirs', owner_id: peer.id, sip: { username: 'theirs', password: 'p' } });
    ids = { root: root.id, a: a.id, sub: sub.id, b: b.id, me: me.id, peer: peer.id, myDevice: myDevice.id, peerDevice: peerDevice.id };
  });
  afterAll(() => dir.close());

  const verdict = async (caller: Caller | null, req: AccessRequest): Promise<string> => {
    try {
      const grant = await dir.access.authorize(caller, req);
      return grant.scope.all ? 'all' : 'own';
    } catch (err) {
      return `${(err as DirectoryError).code}:${String((err as DirectoryError).details['reason'] ?? '')}`;
    }
  };

  it('lets admins do everything in their tree and nothing outside it, unknown accounts answered like foreign ones', async () => {
    for (const operation of OPERATIONS.filter((op) => !op.startsWith('session.') && ACCESS_RULES[op].kind !== 'public')) {
      expect([operation, await verdict(admin(ids.a), { operation, accountId: ids.sub, targetId: ids.myDevice, owned: async () => null })]).toEqual([operation, 'all']);
      expect([operation, await verdict(admin(ids.a), { operation, accountId: ids.b })]).toEqual([operation, 'forbidden:outside']);
      expect([operation, await verdict(admin(ids.sub), { operation, accountId: ids.a })]).toEqual([operation, 'forbidden:outside']);
      expect([operation, await verdict(admin(ids.a), { operation, accountId: 'f'.repeat(32) })]).toEqual([operation, 'forbidden:outside']);
    }
  });

  it("gives a plain user its own user, devices, calls and originations, and nothing in sub-accounts", async () => {
    const cases: Array<[Operation, Partial<AccessRequest>, string]> = [
      ['account.read', {}, 'own'],
      ['account.update', {}, 'forbidden:role'],
      ['account.create-child', {}, 'forbidden:role'],
      ['account.children', {}, 'forbidden:role'],
      ['user.list', {}, 'own'],
      ['user.read', { targetId: ids.me }, 'own'],
      ['user.update', { targetId: ids.me }, 'own'],
      ['user.read', { targetId: ids.peer }, 'forbidden:not_owner'],
      ['user.update', { targetId: ids.peer }, 'forbidden:not_owner'],
      ['user.create', {}, 'forbidden:role'],
      ['user.delete', { targetId: ids.me }, 'forbidden:role'],
      ['device.list', {}, 'own'],
      ['device.read', { targetId: ids.myDevice }, 'own'],
      ['device.update', { targetId: ids.myDevice }, 'own'],
      ['device.read', { targetId: ids.peerDevice }, 'forbidden:not_owner'],
      ['device.read', { targetId: 'e'.repeat(32) }, 'forbidden:not_owner'],
      ['device.delete', { targetId: ids.myDevice }, 'forbidden:role'],
      ['resource.read', {}, 'forbidden:role'],
      ['webhook.list', {}, 'forbidden:role'],
      ['call.list', {}, 'own'],
      ['call.hangup', { owned: async () => ({ userIds: [], deviceIds: [ids.myDevice] }) }, 'own'],
      ['call.hangup', { owned: async () => ({ userIds: [ids.peer], deviceIds: [ids.peerDevice] }) }, 'forbidden:not_owner'],
      ['call.read', { owned: async () => null }, 'forbidden:not_owner'],
      ['cdr.read', { owned: async () => ({ userIds: [ids.me], deviceIds: [] }) }, 'own'],
      ['originate.device', { targetId: ids.myDevice }, 'own'],
      ['originate.device', { targetId: ids.peerDevice }, 'forbidden:not_owner'],
      ['originate.user', { targetId: ids.me }, 'own'],
      ['originate.user', { targetId: ids.peer }, 'forbidden:not_owner'],
    ];
    for (const [operation, extra, expected] of cases) {
      expect([operation, extra.targetId, await verdict(user(), { operation, accountId: ids.a, ...extra })]).toEqual([operation, extra.targetId, expected]);
    }
    expect(await verdict(user(), { operation: 'device.list', accountId: ids.sub })).toBe('forbidden:outside');
    expect(await verdict({ ...user(), role: 'admin' }, { operation: 'device.delete', accountId: ids.sub })).toBe('all');
  });

  it('admits anonymous callers only to logins, the webhook catalog and quickcalls the target allows', async () => {
    expect(await verdict(null, { operation: 'session.login' })).toBe('all');
    expect(await verdict(null, { operation: 'webhook.catalog' })).toBe('all');
    expect(await verdict(null, { operation: 'session.logout' })).toBe('unauthorized:');
    expect(await verdict(null, { operation: 'session.read' })).toBe('unauthorized:');
    expect(await verdict(null, { operation: 'account.read', accountId: ids.a })).toBe('unauthorized:');
    expect(await verdict(null, { operation: 'originate.user', accountId: ids.a, targetId: ids.peer })).toBe('all');
    expect(await verdict(null, { operation: 'originate.device', accountId: ids.a, targetId: ids.peerDevice })).toBe('all');
    expect(await verdict(null, { operation: 'originate.device', accountId: ids.a, targetId: ids.myDevice })).toBe('unauthorized:');
    expect(await verdict(null, { operation: 'originate.device', accountId: ids.a, targetId: 'e'.repeat(32) })).toBe('unauthorized:');
  });

  it('scopes a plain user to its own user and devices', async () => {
    const grant = await dir.access.authorize(user(), { operation: 'call.list', accountId: ids.a });
    expect(grant.scope).toEqual({ all: false, userId: ids.me, deviceIds: [ids.myDevice] });
    expect(owns(grant.scope, { userIds: [], deviceIds: [ids.myDevice] })).toBe(true);
    expect(owns(grant.scope, { userIds: [ids.peer], deviceIds: [ids.peerDevice] })).toBe(false);
  });

  it('refuses an account disabling or deleting itself, not its parent doing so', () => {
    expect(() => dir.access.assertAccountChange(admin(ids.a), ids.a, { enabled: false })).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(() => dir.access.assertAccountChange(admin(ids.a), ids.a, 'delete')).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(() => dir.access.assertAccountChange(admin(ids.a), ids.a, { enabled: true })).not.toThrow();
    expect(() => dir.access.assertAccountChange(admin(ids.root), ids.a, { enabled: false })).not.toThrow();
  });
});

describe('selfEditBody', () => {
  const current = { first_name: 'A', last_name: 'B', priv_level: 'user', enabled: true, caller_id: { external: { number: '+1555' } } };

  it('lets a PATCH change editable fields and refuses one touching an admin-only field, naming it', () => {
    expect(selfEditBody('user', current, { first_name: 'Z' }, 'patch')).toEqual({ first_name: 'Z' });
    expect(selfEditBody('user', current, { priv_level: 'user' }, 'patch')).toEqual({ priv_level: 'user' });
    expect(() => selfEditBody('user', current, { priv_level: 'admin' }, 'patch')).toThrow(expect.objectContaining({ code: 'forbidden', details: expect.objectContaining({ field: 'priv_level' }) }));
    expect(() => selfEditBody('user', current, { caller_id: { external: { number: '+1900' } } }, 'patch')).toThrow(expect.objectContaining({ details: expect.objectContaining({ field: 'caller_id' }) }));
    expect(() => selfEditBody('user', current, { caller_id: null }, 'patch')).toThrow(expect.objectContaining({ details: expect.objectContaining({ field: 'caller_id' }) }));
  });

  it('keeps the numbering plan (extension, DIDs, label, mobile number) the admin\'s', () => {
    const numbered = { ...current, extension: '210', dids: ['+81312341234'], label: 'Reception', mobile_number: '+447400123456' };
    for (const [field, value] of [['extension', '211'], ['dids', ['+81312349999']], ['label', 'Boss'], ['mobile_number', '+447400999999']] as const) {
      expect(() => selfEditBody('user', numbered, { [field]: value }, 'patch')).toThrow(expect.objectContaining({ code: 'forbidden', details: expect.objectContaining({ field }) }));
    }
    expect(selfEditBody('user', numbered, { first_name: 'Z', last_name: 'Y' }, 'replace')).toMatchObject({ extension: '210', dids: ['+81312341234'], label: 'Reception', mobile_number: '+447400123456' });
    expect(() => selfEditBody('device', { name: 'd', extension: '210', sip: { username: 'd' } }, { extension: '999' }, 'patch')).toThrow(expect.objectContaining({ details: expect.objectContaining({ field: 'extension' }) }));
  });

  it('keeps the stored admin-only fields a POST leaves out', () => {
    expect(selfEditBody('user', current, { first_name: 'Z', last_name: 'Y' }, 'replace')).toEqual({ first_name: 'Z', last_name: 'Y', priv_level: 'user', enabled: true, caller_id: { external: { number: '+1555' } } });
    expect(() => selfEditBody('user', current, { first_name: 'Z', last_name: 'Y', enabled: false }, 'replace')).toThrow(expect.objectContaining({ code: 'forbidden' }));
    const device = { name: 'd', owner_id: 'u1', sip: { username: 'd', password: 'p', realm: 'a.local' } };
    expect(selfEditBody('device', device, { name: 'e', sip: { password: 'q' } }, 'replace')).toEqual({ name: 'e', owner_id: 'u1', sip: { password: 'q', username: 'd', realm: 'a.local' } });
    expect(() => selfEditBody('device', device, { sip: { route: 'sip:evil@x' } }, 'patch')).toThrow(expect.objectContaining({ details: expect.objectContaining({ field: 'sip.route' }) }));
  });
});
