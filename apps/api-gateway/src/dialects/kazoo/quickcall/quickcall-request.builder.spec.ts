import { createDirectory, type Directory } from '@legwork/directory';
import { originateRequest, buildMessage, type MessageBody } from '@legwork/contracts';
import { buildQuickcallRequest } from './quickcall-request.builder';
import { parseQuickcallOptions } from './quickcall.options';
import { loadQuickcallTarget } from './quickcall.target';

type Wire = Record<string, unknown>;
const endpoints = (req: Wire): Wire[] => req['Endpoints'] as Wire[];
const ccvs = (o: Wire): Wire => o['Custom-Channel-Vars'] as Wire;

describe('quickcall request building', () => {
  let dir: Directory;
  let accountId: string;
  let userId: string;
  let deskId: string;
  let softId: string;

  beforeEach(async () => {
    dir = createDirectory();
    const account = await dir.accounts.create({ name: 'acme', realm: 'acme.example.com' });
    accountId = account.id;
    const user = await dir.users.create(accountId, {
      first_name: 'Ann', last_name: 'Lee',
      caller_id: { internal: { name: 'Ann', number: '1001' }, external: { name: 'Acme', number: '+14155550100' } },
    });
    userId = user.id;
    deskId = (await dir.devices.create(accountId, { name: 'desk', owner_id: userId, sip: { username: 'ann-desk', password: 'pw' } })).id;
    softId = (await dir.devices.create(accountId, { name: 'soft', owner_id: userId, sip: { username: 'ann-soft', password: 'pw' }, media: { audio: { codecs: ['OPUS'] } } })).id;
  });
  afterEach(() => dir.close());

  it('builds a device quickcall as crossbar does, and it passes the originate_req contract', async () => {
    const target = await loadQuickcallTarget(dir, accountId, 'device', deskId);
    const req = buildQuickcallRequest(target, '+14155550199', parseQuickcallOptions({ query: { foo: 'bar' } }), () => 'c'.repeat(36) + '-quickcall');
    expect(req).toMatchObject({
      'Application-Name': 'transfer',
      'Application-Data': { Route: '+14155550199' },
      'Continue-On-Fail': false,
      'Custom-Application-Vars': { foo: 'bar' },
      'Custom-Channel-Vars': { 'Account-ID': accountId, 'Authorizing-ID': deskId, 'Authorizing-Type': 'device', 'Inherit-Codec': 'false', 'Retain-CID': 'false' },
      'Dial-Endpoint-Method': 'simultaneous',
      'Ignore-Early-Media': true,
      Media: 'process',
      Timeout: 30,
      'Outbound-Caller-ID-Name': 'Device QuickCall',
      'Outbound-Caller-ID-Number': '+14155550199',
      // an E.164-reconcilable number shows the destination the external caller id
      'Outbound-Callee-ID-Name': 'Acme',
      'Outbound-Callee-ID-Number': '+14155550100',
    });
    expect(req).not.toHaveProperty('Existing-Call-ID');
    expect(endpoints(req)).toEqual([{
      'Invite-Format': 'username', 'To-User': 'ann-desk', 'To-Username': 'ann-desk', 'To-Realm': 'acme.example.com', 'To-DID': '+14155550199',
      'Endpoint-ID': deskId, Codecs: ['PCMU', 'PCMA'], 'Presence-ID': 'ann-desk@acme.example.com', 'Outbound-Call-ID': 'c'.repeat(36) + '-quickcall',
      'Custom-SIP-Headers': { 'X-Kazoo-AOR': 'sip:ann-desk@acme.example.com' },
      'Custom-Channel-Vars': {
        'Account-ID': accountId, 'Authorizing-ID': deskId, 'Authorizing-Type': 'device', 'Owner-ID': userId, 'Auto-Answer': true,
        'Media-Encryption-Enforce-Security': false, 'SIP-Invite-Domain': 'acme.example.com',
      },
    }]);
    expect(() => buildMessage(originateRequest, req as MessageBody<typeof originateRequest>, { 'App-Name': 't', 'App-Version': '1' })).not.toThrow();
  });

  it('applies cid-name/cid-number to what the device sees, with Retain-CID, and honours the other options', async () => {
    const target = await loadQuickcallTarget(dir, accountId, 'device', deskId);
    const opts = parseQuickcallOptions({ query: { 'cid-name': 'Boss', 'cid-number': '2000', media: 'bypass', 'ignore-early-media': 'false', timeout: '12', target_call_id: 'live-1', auto_answer: 'false' } });
    const req = buildQuickcallRequest(target, '1002', opts);
    expect(req).toMatchObject({
      'Outbound-Caller-ID-Name': 'Boss', 'Outbound-Caller-ID-Number': '2000', Media: 'bypass', 'Ignore-Early-Media': false, Timeout: 12, 'Existing-Call-ID': 'live-1',
      // an extension is internal: the internal caller id goes to the destination
      'Outbound-Callee-ID-Name': 'Ann', 'Outbound-Callee-ID-Number': '1001',
    });
    expect(ccvs(req)['Retain-CID']).toBe('true');
    expect(ccvs(endpoints(req)[0])['Auto-Answer']).toBe(false);
    expect(endpoints(req)[0]['Outbound-Call-ID']).toMatch(/^[0-9a-f]{36}-quickcall$/);
  });

  it("rings every enabled device of a user, without auto-answer, one call id each", async () => {
    await dir.devices.create(accountId, { name: 'off', owner_id: userId, enabled: false, sip: { username: 'ann-off', password: 'pw' } });
    const target = await loadQuickcallTarget(dir, accountId, 'user', userId);
    const req = buildQuickcallRequest(target, '1002', parseQuickcallOptions({ query: { auto_answer: 'true' } }));
    expect(req['Outbound-Caller-ID-Name']).toBe('User QuickCall');
    expect(ccvs(req)).toMatchObject({ 'Authorizing-ID': userId, 'Authorizing-Type': 'user' });
    const eps = endpoints(req);
    expect(eps.map((e) => e['Endpoint-ID']).sort()).toEqual([deskId, softId].sort());
    expect(eps.map((e) => ccvs(e)['Auto-Answer'])).toEqual([undefined, undefined]);
    expect(new Set(eps.map((e) => e['Outbound-Call-ID'])).size).toBe(2);
    expect(eps.find((e) => e['Endpoint-ID'] === softId)?.['Codecs']).toEqual(['OPUS']);
  });

  it('marks targets that cannot ring: a disabled device, a user without devices', async () => {
    await dir.devices.patch(accountId, deskId, { enabled: false });
    expect((await loadQuickcallTarget(dir, accountId, 'device', deskId)).unavailable).toBe('DESTINATION_OUT_OF_ORDER');
    const lonely = await dir.users.create(accountId, { first_name: 'No', last_name: 'Phones' });
    const target = await loadQuickcallTarget(dir, accountId, 'user', lonely.id);
    expect(target).toMatchObject({ unavailable: 'DESTINATION_OUT_OF_ORDER', devices: [] });
  });

  it('allows anonymous quickcalls when the user or the account says so', async () => {
    expect((await loadQuickcallTarget(dir, accountId, 'device', deskId)).allowAnonymous).toBe(false);
    await dir.users.patch(accountId, userId, { allow_anonymous_quickcalls: true });
    expect((await loadQuickcallTarget(dir, accountId, 'device', deskId)).allowAnonymous).toBe(true);
    expect((await loadQuickcallTarget(dir, accountId, 'user', userId)).allowAnonymous).toBe(true);
  });
});
