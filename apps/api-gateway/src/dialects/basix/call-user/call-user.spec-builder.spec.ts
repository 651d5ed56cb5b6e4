import type { Account, ClientPrincipal, Device, Group, User } from '@legwork/directory';
import { endUserOf } from '@legwork/contracts';
import { parseCallUser } from './call-user.request';
import { BASIX_CALL_ID_SUFFIX, callUserSpec, GROUP_CHANNEL_VARS, type CallUserPlan } from './call-user.spec-builder';

const account = { id: 'a'.repeat(32), realm: 'acme.local', country: 'JP' } as Account;
const principal = { accountId: account.id, clientId: 'c'.repeat(32), dialect: 'basix', role: 'admin', account } as ClientPrincipal;
const user = { id: 'u'.repeat(32), username: 'jessica', caller_id: { internal: { name: 'Jessica', number: '1001' } }, presence_id: '1001@acme.local' } as unknown as User;
const device = (id: string): Device => ({ id, owner_id: user.id, caller_id: { internal: { name: `dev ${id}`, number: '1001' } }, sip: { username: id, realm: account.realm } }) as unknown as Device;
const group = { id: 'g'.repeat(32), name: 'sales', type: 'call_center' } as Group;

function plan(body: Record<string, unknown>, extra: Partial<CallUserPlan> = {}): CallUserPlan {
  return {
    request: parseCallUser({ user_name: 'jessica', destination: '0312341234', ...body }),
    target: { account, user, devices: [device('d1'), device('d2')] },
    destination: { route: '+81312341234', kind: 'number' },
    media: 'bypass',
    ...extra,
  };
}

describe('call_user → OriginateSpec', () => {
  it("rings all the user's devices at once for answer_timeout, then transfers to the destination", () => {
    const spec = callUserSpec(principal, plan({ answer_timeout: 25 }));
    expect(spec).toMatchObject({
      accountId: account.id, authorizing: { id: principal.clientId, type: 'api_client' }, ownerId: user.id, dialMethod: 'simultaneous',
      destination: '+81312341234', timeoutS: 25, media: 'bypass', autoAnswer: false, callIdSuffix: BASIX_CALL_ID_SUFFIX, presenceId: '1001@acme.local',
    });
    expect(spec.sources.map((d) => d.id)).toEqual(['d1', 'd2']);
    expect(spec.callerIdToDestination).toBeUndefined();
    expect(spec.customChannelVars).toBeUndefined();
  });

  it('shows calling_name on the terminals, else the destination; calling_number to the destination', () => {
    expect(callUserSpec(principal, plan({ calling_name: 'Thomas Jenkins' })).callerIdToSource).toEqual({ name: 'Thomas Jenkins', number: '+81312341234' });
    expect(callUserSpec(principal, plan({ calling_name: '0506868000' })).callerIdToSource).toEqual({ name: '0506868000', number: '0506868000' });
    expect(callUserSpec(principal, plan({})).callerIdToSource).toEqual({ name: '0312341234', number: '+81312341234' });
    const detailed = plan({ destination: { called_number: '0312341234', calling_number: '05068680000', end_user: { name: 'thomas' } } }, { callingNumber: '+815068680000' });
    const spec = callUserSpec(principal, detailed);
    expect(spec.callerIdToDestination).toEqual({ number: '+815068680000' });
    expect(spec.callerIdToSource).toEqual({ name: 'thomas', number: '+81312341234' });
  });

  it('carries the group context and end_user as channel variables of every leg', () => {
    const p = plan({ destination: '{name=Charles Xavier,organization=X-Men}0312341234', group_name: 'sales' });
    const spec = callUserSpec(principal, { ...p, target: { ...p.target, group } });
    expect(spec.customChannelVars).toMatchObject({ [GROUP_CHANNEL_VARS.id]: group.id, [GROUP_CHANNEL_VARS.name]: 'sales', [GROUP_CHANNEL_VARS.type]: 'call_center' });
    expect(endUserOf(spec.customChannelVars)).toEqual({ name: 'Charles Xavier', organization: 'X-Men' });
  });

  it('asks for auto-answer, and shows a single device its own caller id first', () => {
    const single = plan({ auto_answer: true });
    const spec = callUserSpec(principal, { ...single, target: { ...single.target, devices: [device('d1')] } });
    expect(spec.autoAnswer).toBe(true);
    expect(spec.callerIds).toEqual([device('d1').caller_id, user.caller_id]);
  });
});
