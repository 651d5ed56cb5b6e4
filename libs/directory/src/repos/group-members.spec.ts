import { createDirectory } from '../directory';
import { groupMemberDevices } from './group-members';

describe('groupMemberDevices', () => {
  it('lists enabled member devices by weight, then as listed; a user stands for its enabled devices; each device once', async () => {
    const dir = createDirectory({});
    const acct = await dir.accounts.create({ name: 'members', realm: 'members.local' });
    const sip = (username: string) => ({ username, password: `pw-${username}` });
    const user = await dir.users.create(acct.id, { first_name: 'Gail', last_name: 'Group' });
    const desk = await dir.devices.create(acct.id, { name: 'desk', owner_id: user.id, sip: sip('desk') });
    await dir.devices.create(acct.id, { name: 'off', owner_id: user.id, enabled: false, sip: sip('off') });
    const lobby = await dir.devices.create(acct.id, { name: 'lobby', sip: sip('lobby') });
    const late = await dir.devices.create(acct.id, { name: 'late', sip: sip('late') });
    const group = await dir.groups.create(acct.id, {
      name: 'front',
      endpoints: { [late.id]: { type: 'device', weight: 90 }, [user.id]: { type: 'user', weight: 20 }, [desk.id]: { type: 'device', weight: 30 }, [lobby.id]: { type: 'device', weight: 20 } },
    });
    expect((await groupMemberDevices(dir, group)).map((d) => d.name)).toEqual(['desk', 'lobby', 'late']);
    await dir.users.patch(acct.id, user.id, { enabled: false });
    // the desk is still a member on its own once its user is disabled
    expect((await groupMemberDevices(dir, await dir.groups.get(acct.id, group.id))).map((d) => d.name)).toEqual(['lobby', 'desk', 'late']);
    await dir.close();
  });
});
