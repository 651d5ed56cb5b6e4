import { createDirectory, type DidOwner, type Directory } from '@legwork/directory';
import { inboundTargets } from './inbound-targets';

/** What a DID rings, read from an in-process directory. */
describe('inboundTargets', () => {
  let directory: Directory;
  let accountId = '';
  const device = async (name: string, extra: Record<string, unknown> = {}): Promise<string> =>
    (await directory.devices.create(accountId, { name, sip: { username: name, password: 'pw' }, ...extra })).id;
  const owner = async (number: string): Promise<DidOwner> => {
    const found = await directory.numbering.findDid(number);
    if (found === null) throw new Error(`${number} has no owner`);
    return found;
  };

  beforeAll(async () => {
    directory = createDirectory({});
    accountId = (await directory.accounts.create({ name: 'targets', realm: 'targets.example' })).id;
  });
  afterAll(() => directory.close());

  it("a user's DID rings its enabled devices at once, each leg naming the owner; a disabled user rings nothing", async () => {
    const user = await directory.users.create(accountId, { first_name: 'U', last_name: 'One', dids: ['+14155550101'] });
    await device('u1-a', { owner_id: user.id });
    await device('u1-off', { owner_id: user.id, enabled: false });
    await device('u1-b', { owner_id: user.id });
    const targets = await inboundTargets(directory, await owner('+14155550101'));
    expect(targets).toMatchObject({ method: 'simultaneous', ownerId: user.id });
    // devices made in the same millisecond list in id order: compare as a set
    const sorted = [...targets.endpoints].sort((a, b) => String(a['To-Username']).localeCompare(String(b['To-Username'])));
    expect(sorted).toEqual(['u1-a', 'u1-b'].map((n) => expect.objectContaining({ 'Invite-Format': 'username', 'To-Username': n, 'To-Realm': 'targets.example', 'Custom-Channel-Vars': { 'Owner-ID': user.id } })));
    await directory.users.patch(accountId, user.id, { enabled: false });
    expect((await inboundTargets(directory, await owner('+14155550101'))).endpoints).toEqual([]);
  });

  it("a group's DID rings its members by weight with its strategy, a user member as its devices, each device once", async () => {
    const member = await directory.users.create(accountId, { first_name: 'G', last_name: 'Member' });
    const own = await device('g-own', { owner_id: member.id });
    const heavy = await device('g-heavy');
    const off = await device('g-off', { enabled: false });
    await directory.groups.create(accountId, {
      name: 'sales', dids: ['+14155550102'], strategy: 'single',
      endpoints: { [heavy]: { type: 'device', weight: 90 }, [member.id]: { type: 'user', weight: 10 }, [own]: { type: 'device', weight: 20 }, [off]: { type: 'device', weight: 1 } },
    });
    const targets = await inboundTargets(directory, await owner('+14155550102'));
    expect(targets.method).toBe('single');
    expect(targets.ownerId).toBeUndefined();
    expect(targets.endpoints.map((e) => e['To-Username'])).toEqual(['g-own', 'g-heavy']);
  });
});
