import { randomBytes } from 'node:crypto';
import { createDirectory, type Account, type ClientPrincipal, type Directory, type User } from '@legwork/directory';
import { BasixError } from '../core/basix.error';
import { parseCallUser } from './call-user.request';
import { loadCallUserTarget } from './call-user.target';
import { resolveDestination } from './destination.resolver';

const tag = (): string => randomBytes(3).toString('hex');

describe('call_user target and destination (in-process directory)', () => {
  let dir: Directory;
  let account: Account;
  let org: ClientPrincipal;
  let jessica: User;
  let thomas: User;

  const principal = async (accountId: string, ownerId?: string): Promise<ClientPrincipal> => {
    const { client_secret: secret } = await dir.apiClients.create(accountId, { name: 'app', dialect: 'basix', ...(ownerId !== undefined ? { owner_id: ownerId } : {}) });
    const auth = await dir.apiClients.authenticate({ secret }, { dialect: 'basix', source: '127.0.0.1' });
    if (!auth.ok) throw new Error('client did not authenticate');
    return auth.principal;
  };
  const idOf = async (p: Promise<unknown>): Promise<string> => p.then(() => 'ok', (err: unknown) => (err instanceof BasixError ? err.id : Promise.reject(err)));
  const target = (body: Record<string, unknown>, who = org) => loadCallUserTarget(dir, who, parseCallUser({ destination: '0312341234', ...body }));

  beforeAll(async () => {
    dir = createDirectory();
    account = await dir.accounts.create({ name: `bx-${tag()}`, realm: `bx-${tag()}.local`, country: 'JP' });
    jessica = await dir.users.create(account.id, { first_name: 'Jessica', last_name: 'Jones', username: 'jessica', email: 'jones@abcd.com', extension: '1001', label: 'Front desk', dids: ['+81312340001'] });
    thomas = await dir.users.create(account.id, { first_name: 'Thomas', last_name: 'Jenkins', username: 'thomas', extension: '1002' });
    for (const [name, owner] of [['j1', jessica], ['j2', jessica], ['t1', thomas]] as const) {
      await dir.devices.create(account.id, { name, owner_id: owner.id, sip: { username: `${name}-${tag()}`, password: 'pw' } });
    }
    await dir.groups.create(account.id, { name: 'sales', type: 'ring_group', extension: '2001', endpoints: { [jessica.id]: { type: 'user' } } });
    await dir.groups.create(account.id, { name: 'support', type: 'call_center', label: 'Support', endpoints: { [jessica.id]: { type: 'user' } } });
    await dir.groups.create(account.id, { name: 'others', endpoints: { [thomas.id]: { type: 'user' } } });
    org = await principal(account.id);
  });
  afterAll(() => dir.close());

  it('finds the user by each of id, name, label, extension, DID and email, with all its enabled devices', async () => {
    for (const body of [{ user_id: jessica.id }, { user_name: 'jessica' }, { user_label: 'front desk' }, { user_extension: 1001 }, { user_did: '0312340001' }, { user_email: 'JONES@abcd.com' }]) {
      const t = await target(body);
      expect([t.user.id, t.devices.length]).toEqual([jessica.id, 2]);
    }
  });

  it('finds the group context by name, label, extension, id and the resolvers, or refuses it', async () => {
    expect((await target({ user_name: 'jessica', group_name: 'sales' })).group?.name).toBe('sales');
    expect((await target({ user_name: 'jessica', group_label: 'support' })).group?.name).toBe('support');
    expect((await target({ user_name: 'jessica', group_extension: '2001' })).group?.name).toBe('sales');
    expect((await target({ user_name: 'jessica', group_resolver: 'any:CALL_CENTER' })).group?.type).toBe('call_center');
    expect((await target({ user_name: 'thomas', group_resolver: '*' })).group?.name).toBe('others');
    expect(await idOf(target({ user_name: 'thomas', group_resolver: 'any:CALL_CENTER' }))).toBe('group_not_found');
    expect(await idOf(target({ user_name: 'jessica', group_name: 'nobody' }))).toBe('group_not_found');
    expect(await idOf(target({ user_name: 'thomas', group_name: 'sales' }))).toBe('user_not_in_group');
  });

  it('answers user_not_found, no_devices, user_disabled and, for a user\'s app, forbidden on another user', async () => {
    expect(await idOf(target({ user_id: 10001001 }))).toBe('user_not_found');
    expect(await idOf(target({ user_name: 'nobody' }))).toBe('user_not_found');
    const lonely = await dir.users.create(account.id, { first_name: 'Lonely', last_name: tag(), username: `lonely-${tag()}` });
    expect(await idOf(target({ user_id: lonely.id }))).toBe('no_devices');
    await dir.users.patch(account.id, lonely.id, { enabled: false });
    expect(await idOf(target({ user_id: lonely.id }))).toBe('user_disabled');
    const jessicasApp = await principal(account.id, jessica.id);
    expect((await target({ user_name: 'jessica' }, jessicasApp)).user.id).toBe(jessica.id);
    expect(await idOf(target({ user_name: 'thomas' }, jessicasApp))).toBe('forbidden');
  });

  it("never reaches another account's users", async () => {
    const other = await dir.accounts.create({ name: `bx-${tag()}`, realm: `bx-${tag()}.local` });
    const stranger = await dir.users.create(other.id, { first_name: 'S', last_name: 'T', username: 'jessica', email: 'jones@abcd.com', extension: '1001' });
    await dir.devices.create(other.id, { name: 'x', owner_id: stranger.id, sip: { username: `x-${tag()}`, password: 'pw' } });
    const theirs = await principal(other.id);
    expect((await target({ user_name: 'jessica' }, theirs)).user.id).toBe(stranger.id);
    expect(await idOf(target({ user_id: jessica.id }, theirs))).toBe('user_not_found');
    expect(await idOf(resolveDestination(dir, other, '1002'))).toBe('destination_invalid');
    expect(await idOf(resolveDestination(dir, other, 'thomas'))).toBe('destination_not_found');
  });

  it('resolves destinations: extensions and user names to usernames, numbers to E.164 in the account country, groups to their route', async () => {
    expect(await resolveDestination(dir, account, 'thomas')).toEqual({ route: 'thomas', kind: 'user' });
    expect(await resolveDestination(dir, account, '1002')).toEqual({ route: 'thomas', kind: 'user' });
    expect(await resolveDestination(dir, account, '0312341234')).toEqual({ route: '+81312341234', kind: 'number' });
    expect(await resolveDestination(dir, account, '+1 415 555 0100')).toEqual({ route: '+14155550100', kind: 'number' });
    const sales = await dir.groups.findByName(account.id, 'sales');
    expect(await resolveDestination(dir, account, '2001')).toEqual({ route: `group:${String(sales?.id)}`, kind: 'group' });
    expect(await resolveDestination(dir, account, 'sales')).toEqual({ route: `group:${String(sales?.id)}`, kind: 'group' });
    // a group whose members have no enabled device can ring nobody
    await dir.groups.create(account.id, { name: 'empty', extension: '2009' });
    expect(await idOf(resolveDestination(dir, account, '2009'))).toBe('destination_unreachable');
    expect(await idOf(resolveDestination(dir, account, 'empty'))).toBe('destination_unreachable');
    expect(await idOf(resolveDestination(dir, account, '12'))).toBe('destination_invalid');
    expect(await idOf(resolveDestination(dir, account, 'nobody'))).toBe('destination_not_found');
    await dir.users.create(account.id, { first_name: 'Thomas', last_name: 'Other' });
    expect(await idOf(resolveDestination(dir, account, 'Thomas Other'))).toBe('destination_unreachable');
  });
});
