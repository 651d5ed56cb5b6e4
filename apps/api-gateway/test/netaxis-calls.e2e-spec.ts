import { randomBytes } from 'node:crypto';
import { newId } from '@legwork/common';
import { FakeMediaResponder } from '@legwork/originate-client/testing';
import { createInfrastructure, createLogger, type Infrastructure } from '@legwork/platform';
import { AMQP_URL, REDIS_URL, cleanupScratch, scratchNames, type Scratch } from '@legwork/platform/testing';
import { callsPath, netaxisError, netaxisRequest, NetaxisClient, type NetaxisReply } from '../src/dialects/netaxis/testing';
import { startKazooApp, type KazooApp } from './kazoo-app.harness';
import { PASSWORD, securityWorld, type SecurityWorld } from './security.fixture';

type Json = Record<string, unknown>;
const GATEWAY = `netaxis-gw-${randomBytes(3).toString('hex')}`;

// Seed 004 over HTTP on real Redis and RabbitMQ: a media node stands in on the bus, answering originate_req and call_command as told.
describe('Netaxis call service over HTTP (Redis, RabbitMQ, a stand-in media node)', () => {
  let scratch: Scratch;
  let infra: Infrastructure;
  let app: KazooApp;
  let w: SecurityWorld;
  let node: FakeMediaResponder;
  let user: NetaxisClient;
  let peer: NetaxisClient;
  let admin: NetaxisClient;
  let org: NetaxisClient;
  let otherAdmin: NetaxisClient;
  let groupId: string;
  let peerGroupId: string;

  const mine = (rest = ''): string => callsPath(w.a.id, groupId, w.a.userId, rest);
  /** The remote party's leg of each call liveCall made, by the user's leg. */
  const peers = new Map<string, string>();
  /** A live leg of the plain user's phone (and, once bridged, its remote party's leg), owned by the stand-in node as a media node records them. */
  const liveCall = async (state: 'ringing' | 'bridged' = 'bridged'): Promise<string> => {
    const callId = `${newId()}-netaxis`;
    const base = { accountId: w.a.id, nodeId: node.nodeId, endpointId: w.a.userDeviceId, ownerId: w.a.userId };
    await infra.calls.calls.create({ ...base, callId, leg: 'a', to: `sip:mine@${w.a.realm}`, cav: { 'Netaxis-Remote-Party': '+3212345678', 'Netaxis-Call-Type': 'Unknown' } });
    await infra.calls.calls.transition(callId, 'ring');
    if (state === 'bridged') {
      const peerId = `${newId()}-netaxis`;
      await infra.calls.calls.create({ ...base, callId: peerId, leg: 'b', peerCallId: callId, to: 'sip:+3212345678@carrier' });
      await infra.calls.calls.update(callId, { peerCallId: peerId });
      for (const leg of [callId, peerId]) {
        await infra.calls.calls.transition(leg, 'answer');
        await infra.calls.calls.transition(leg, 'bridge');
      }
      peers.set(callId, peerId);
    }
    return callId;
  };
  const expectError = (res: NetaxisReply, expected: Json): void => {
    expect({ status: res.status, ...netaxisError(res) }).toMatchObject(expected);
  };

  beforeAll(async () => {
    scratch = scratchNames('netaxis');
    infra = createInfrastructure({
      amqpUrl: AMQP_URL, redisUrl: REDIS_URL, appName: 'api-gateway', nodeId: GATEWAY, logger: createLogger('netaxis', 'silent'),
      redisPrefix: scratch.redisPrefix, amqpNamespace: scratch.amqpNamespace, secretKeys: scratch.secretKeys,
    });
    await infra.start();
    app = await startKazooApp({ infra, env: { RATE_BUCKET_BURST: '1000000', UNAUTHENTICATED_RATE_LIMIT: '1000000' } });
    w = await securityWorld(app);
    node = new FakeMediaResponder(infra.bus, `netaxis-media-${randomBytes(3).toString('hex')}`);
    await node.start();
    const d = app.directory;
    await d.accounts.patch(w.a.id, { country: 'BE' });
    await d.users.patch(w.a.id, w.a.userId, { extension: '210', dids: ['+3225126780'] });
    // the peer administers the user's group; a second group holds the peer alone, administered by nobody
    groupId = (await d.groups.patch(w.a.id, w.a.groupId, { admins: [w.a.peerId] })).id;
    peerGroupId = (await d.groups.create(w.a.id, { name: 'support', endpoints: { [w.a.peerId]: { type: 'user' } } })).id;
    const login = (realm: string, who: string) => NetaxisClient.login(app.url, `${who}@${realm}`, PASSWORD);
    const tag = w.a.name.split('-').at(-1) ?? '';
    user = await login(w.a.realm, `user-${w.a.name}`);
    peer = await login(w.a.realm, `peer-${w.a.name}`);
    admin = await login(w.a.realm, `admin-${w.a.name}`);
    otherAdmin = await login(w.b.realm, `admin-${w.b.name}`);
    const client = await d.apiClients.create(w.a.id, { name: `crm-${tag}`, dialect: 'netaxis' });
    org = await NetaxisClient.login(app.url, client.client_id, client.client_secret);
  }, 60_000);

  afterAll(async () => {
    await node?.stop();
    await app?.close();
    await infra?.close();
    await cleanupScratch(scratch);
  });

  describe('POST /api/v1/auth/token', () => {
    it('gives users a bearer token with their role, and netaxis API clients one too', () => {
      expect([user.role, peer.role, admin.role, org.role]).toEqual(['EndUser', 'EndUser', 'TenantAdmin', 'TenantAdmin']);
    });

    it("gives an API client registered to a user that user's role and calls", async () => {
      const app2 = await app.directory.apiClients.create(w.a.id, { name: 'softphone', dialect: 'netaxis', owner_id: w.a.userId });
      const own = await NetaxisClient.login(app.url, app2.client_id, app2.client_secret);
      expect(own.role).toBe('EndUser');
      expect((await own.call('GET', mine())).status).toBe(200);
      expectError(await own.call('GET', callsPath(w.a.id, peerGroupId, w.a.peerId)), { status: 403 });
    });

    it('answers a wrong password, an unknown realm and another dialect\'s client with the same 401', async () => {
      const voipnow = await app.directory.apiClients.create(w.a.id, { name: 'other', dialect: 'voipnow' });
      for (const body of [
        { username: `user-${w.a.name}@${w.a.realm}`, password: 'wrong' },
        { username: `user-${w.a.name}@nowhere.example`, password: PASSWORD },
        { username: voipnow.client_id, password: voipnow.client_secret },
      ]) {
        expectError(await netaxisRequest(app.url, 'POST', '/api/v1/auth/token', { body }), { status: 401, code: 'INVALID_CREDENTIALS' });
      }
    });

    it('names the field of a malformed login', async () => {
      expectError(await netaxisRequest(app.url, 'POST', '/api/v1/auth/token', { body: { username: 'no-realm', password: 'x' } }), { status: 400, code: 'INVALID_REQUEST', field: 'username' });
      expectError(await netaxisRequest(app.url, 'POST', '/api/v1/auth/token', { body: '{"username":' }), { status: 400, code: 'INVALID_REQUEST', field: 'body' });
    });

    it('lets no request through without a netaxis token: none, garbage, or a Kazoo API-key token', async () => {
      for (const token of [undefined, 'x'.repeat(40), w.a.keyToken]) {
        const res = await netaxisRequest(app.url, 'GET', mine(), { ...(token !== undefined ? { token } : {}) });
        expectError(res, { status: 401, code: 'UNAUTHORIZED' });
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
      }
    });
  });

  describe('roles', () => {
    let callId: string;
    beforeAll(async () => {
      callId = await liveCall();
    });

    it('lets the EndUser, the GroupAdmin of its group, the TenantAdmin and the tenant\'s API client read the call', async () => {
      for (const who of [user, peer, admin, org]) {
        const res = await who.call('GET', mine(`${callId}/`));
        expect({ status: res.status, callId: res.body['callId'] }).toEqual({ status: 200, callId });
      }
    });

    it('keeps an EndUser to its own calls: another user is 403, the call under its own path is 404', async () => {
      await app.directory.groups.patch(w.a.id, groupId, { admins: [] });
      try {
        expectError(await peer.call('GET', mine(`${callId}/`)), { status: 403, code: 'FORBIDDEN', message: 'invalid calling user' });
        expectError(await peer.call('DELETE', mine(`${callId}/`)), { status: 403 });
      } finally {
        await app.directory.groups.patch(w.a.id, groupId, { admins: [w.a.peerId] });
      }
      await app.directory.groups.patch(w.a.id, peerGroupId, { endpoints: { [w.a.peerId]: { type: 'user' }, [w.a.userId]: { type: 'user' } } });
      try {
        expectError(await peer.call('GET', callsPath(w.a.id, peerGroupId, w.a.peerId, `${callId}/`)), { status: 404, code: 'NOT_FOUND' });
        // the peer administers the user's group, not this one: the user is beyond it here
        expectError(await peer.call('GET', callsPath(w.a.id, peerGroupId, w.a.userId, `${callId}/`)), { status: 403 });
      } finally {
        await app.directory.groups.patch(w.a.id, peerGroupId, { endpoints: { [w.a.peerId]: { type: 'user' } } });
      }
    });

    it('limits a GroupAdmin to the members of its group', async () => {
      expectError(await peer.call('GET', callsPath(w.a.id, groupId, w.a.adminId)), { status: 404, field: 'user_id' });
      expectError(await user.call('GET', callsPath(w.a.id, peerGroupId, w.a.peerId)), { status: 403 });
    });

    it('crosses no tenant: another tenant\'s admin is 403 on this tenant, this tenant\'s groups are 404 under its own', async () => {
      expectError(await otherAdmin.call('GET', mine(`${callId}/`)), { status: 403, code: 'FORBIDDEN' });
      expectError(await otherAdmin.call('POST', mine(), { phoneNumber: '+3212345678' }), { status: 403 });
      expectError(await otherAdmin.call('GET', callsPath(w.b.id, groupId, w.a.userId)), { status: 404, field: 'group_id' });
      expect(node.requests).toHaveLength(0);
    });

    it('finds the user by username too, and answers unknown groups and users 404', async () => {
      const byName = await user.call('GET', callsPath(w.a.id, groupId, `user-${w.a.name}`, `${callId}/`));
      expect(byName.status).toBe(200);
      expectError(await admin.call('GET', callsPath(w.a.id, 'f'.repeat(32), w.a.userId)), { status: 404, field: 'group_id' });
      expectError(await admin.call('GET', callsPath(w.a.id, groupId, 'nobody')), { status: 404, field: 'user_id' });
      expectError(await admin.call('GET', mine('no-such-call/')), { status: 404, field: 'callId' });
    });
  });

  describe('hostile input', () => {
    it('answers path segments that are no ids or names 403 (tenant) or 404 (group, user, call), naming the segment', async () => {
      expectError(await admin.call('GET', callsPath('x', groupId, w.a.userId)), { status: 403, code: 'FORBIDDEN' });
      expectError(await admin.call('GET', callsPath(w.a.id, 'sales;drop', w.a.userId)), { status: 404, field: 'group_id' });
      expectError(await admin.call('GET', callsPath(w.a.id, groupId, 'a\u0000b')), { status: 404, field: 'user_id' });
      expectError(await admin.call('GET', callsPath(w.a.id, groupId, 'a\r\nb')), { status: 404, field: 'user_id' });
      expectError(await admin.call('GET', mine('x%0d%0aVia:%20evil/')), { status: 404, field: 'callId' });
    });

    it('refuses numbers that could reach SIP as anything but a number, before anything is published', async () => {
      const before = node.requests.length;
      for (const phoneNumber of ['+32 1\r\nVia: x', '<sip:x@evil>', '+3212345678;user=phone', ['+32'], { n: 1 }]) {
        expectError(await user.call('POST', mine(), { phoneNumber }), { status: 400, code: 'INVALID_PHONE_NUMBER', field: 'phoneNumber' });
      }
      expectError(await user.call('POST', mine(), '{"phoneNumber":'), { status: 400, field: 'body' });
      expectError(await user.call('POST', mine(), [1, 2]), { status: 400, field: 'body' });
      expect(node.requests).toHaveLength(before);
    });
  });

  describe('call list and details', () => {
    it('lists the user\'s ongoing calls, with every attribute when includeDetails is in the body or the query', async () => {
      const callId = await liveCall();
      const plain = await user.call('GET', mine());
      expect(plain.status).toBe(200);
      expect(plain.body['calls']).toEqual(expect.arrayContaining([{ callId, inConference: false }]));
      for (const res of [await user.call('GET', mine(), { includeDetails: true }), await user.call('GET', `${mine()}?includeDetails=true`)]) {
        const detailed = (res.body['calls'] as Json[]).find((c) => c['callId'] === callId);
        expect(detailed).toEqual({
          callId, inConference: false, externalTrackingId: callId, personality: 'Originator', state: 'Active',
          remoteParty: { address: '+3212345678', callType: 'Unknown' }, endpoint: { addressOfRecord: `mine-${w.a.name}@${w.a.realm}` },
          appearance: expect.any(Number), startTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/), answerTime: expect.stringMatching(/\.\d{6}$/),
          uri: mine(`${callId}/`), recorded: false, allowedRecordingControls: 'record',
        });
      }
      expectError(await user.call('GET', `${mine()}?includeDetails=maybe`), { status: 400, field: 'includeDetails' });
    });

    it('shows Held when the user holds the remote party or its phone held the call, Remote Held when the remote party did', async () => {
      const callId = await liveCall();
      const peerId = peers.get(callId) ?? '';
      const state = async (): Promise<unknown> => (await user.call('GET', mine(`${callId}/`))).body['state'];
      await infra.calls.calls.update(peerId, { hold: 'local' });
      expect(await state()).toBe('Held');
      await infra.calls.calls.update(peerId, { hold: 'remote' });
      expect(await state()).toBe('Remote Held');
      await infra.calls.calls.update(peerId, { hold: 'none' });
      await infra.calls.calls.update(callId, { hold: 'remote' });
      expect(await state()).toBe('Held');
    });

    it('shows a ringing call as Alerting without an answerTime, and a released one as Released', async () => {
      const callId = await liveCall('ringing');
      const ringing = await user.call('GET', mine(`${callId}/`));
      expect(ringing.body).toMatchObject({ callId, state: 'Alerting', recorded: false, allowedRecordingControls: 'none' });
      expect(ringing.body['answerTime']).toBeUndefined();
      await infra.calls.calls.end(callId, 'NORMAL_CLEARING');
      expect((await user.call('GET', mine(`${callId}/`))).body).toMatchObject({ callId, state: 'Released' });
      expect(((await user.call('GET', mine())).body['calls'] as Json[]).map((c) => c['callId'])).not.toContain(callId);
    });
  });

  describe('PUT actions on the call_command plane', () => {
    let callId: string;
    beforeAll(async () => {
      callId = await liveCall();
    });
    afterEach(() => {
      node.commandResult = 'ok';
    });
    const sent = (): Json | undefined => node.commands.at(-1);

    it('answers 200 {} when the media node did it: hold and reconnect on the remote party, a transfer on the user\'s half', async () => {
      for (const [action, command] of [['hold', 'hold'], ['reconnect', 'reconnect']] as const) {
        const res = await user.call('PUT', mine(`${callId}/`), { action });
        expect({ status: res.status, body: res.body, command: sent()?.['Application-Name'], callId: sent()?.['Call-ID'] }).toEqual({ status: 200, body: {}, command, callId: peers.get(callId) });
      }
      const transfer = await user.call('PUT', mine(`${callId}/`), { action: 'blindTransfer', phoneNumber: '02 512 67 78' });
      expect(transfer.status).toBe(200);
      expect(sent()).toMatchObject({ 'Application-Name': 'blind_transfer', 'Call-ID': callId, 'Transfer-To': '+3225126778' });
    });

    it('refuses to hold a call that has no remote party yet, without a command', async () => {
      const ringing = await liveCall('ringing');
      const before = node.commands.length;
      expectError(await user.call('PUT', mine(`${ringing}/`), { action: 'hold' }), { status: 400, subErrorCode: 59, message: 'The state of the call is not valid.' });
      expect(node.commands).toHaveLength(before);
    });

    it.each([
      ['hold', 'invalid_state', 'The state of the call is not valid.'],
      ['hold', 'failed', 'The endpoint state of the call is not valid.'],
      ['reconnect', 'not_supported', 'The state of the call is not valid.'],
      ['blindTransfer', 'failed', 'Transfer has failed.'],
      ['blindTransfer', 'not_supported', 'Transfer has failed.'],
    ] as const)('%s answered %s is sub-error 59 "%s"', async (action, result, message) => {
      node.commandResult = result;
      const res = await user.call('PUT', mine(`${callId}/`), { action, ...(action === 'blindTransfer' ? { phoneNumber: '+3212345765' } : {}) });
      expectError(res, { status: 400, code: 'INVALID_CALL_OPERATION', subErrorCode: 59, message });
    });

    it('is 404 when the media node no longer holds the call', async () => {
      node.commandResult = 'no_such_call';
      expectError(await user.call('PUT', mine(`${callId}/`), { action: 'hold' }), { status: 404, code: 'NOT_FOUND' });
    });

    it('runs the recording actions as record_* commands on the user\'s own leg; the node\'s refusals are the seed\'s recording texts', async () => {
      const before = node.commands.length;
      for (const action of ['startRecording', 'pauseRecording', 'resumeRecording', 'stopRecording']) {
        expect((await user.call('PUT', mine(`${callId}/`), { action })).status).toBe(200);
      }
      expect(node.commands.slice(before).map((c) => [c['Application-Name'], c['Call-ID']])).toEqual([
        ['record_start', callId], ['record_pause', callId], ['record_resume', callId], ['record_stop', callId],
      ]);
      node.commandResult = 'not_supported';
      expectError(await user.call('PUT', mine(`${callId}/`), { action: 'startRecording' }), { status: 400, subErrorCode: 59, message: 'Recording is disabled for this call.' });
      node.commandResult = 'invalid_state';
      node.commandState = 'idle';
      for (const action of ['pauseRecording', 'resumeRecording', 'stopRecording']) {
        expectError(await user.call('PUT', mine(`${callId}/`), { action }), { status: 400, subErrorCode: 59, message: 'Recording is not active.' });
      }
      node.commandState = 'ringing';
    });

    it('asks the media node for a consultative transfer to another live call of the user only', async () => {
      const other = await liveCall();
      node.commandResult = 'not_supported';
      expectError(await user.call('PUT', mine(`${callId}/`), { action: 'consultativeTransfer', transferCallId: other }), { status: 400, subErrorCode: 59, message: 'Transfer has failed.' });
      expect(sent()).toMatchObject({ 'Application-Name': 'consultative_transfer', 'Target-Call-ID': other });
      expectError(await user.call('PUT', mine(`${callId}/`), { action: 'consultativeTransfer', transferCallId: 'nope-1' }), { status: 404, field: 'transferCallId' });
      expectError(await user.call('PUT', mine(`${callId}/`), { action: 'consultativeTransfer', transferCallId: callId }), { status: 400, subErrorCode: 59, message: 'The state of the call is not valid.' });
    });

    it('names the field of a bad action, and refuses actions on a released call', async () => {
      expectError(await user.call('PUT', mine(`${callId}/`), { action: 'dance' }), { status: 400, field: 'action' });
      expectError(await user.call('PUT', mine(`${callId}/`), { action: 'blindTransfer', phoneNumber: 'sip:x@evil' }), { status: 400, code: 'INVALID_PHONE_NUMBER', field: 'phoneNumber' });
      const released = await liveCall();
      await infra.calls.calls.end(released, 'NORMAL_CLEARING');
      expectError(await user.call('PUT', mine(`${released}/`), { action: 'hold' }), { status: 400, subErrorCode: 59, message: 'The state of the call is not valid.' });
      expectError(await user.call('DELETE', mine(`${released}/`)), { status: 404 });
    });

    it('releases a call with a hangup command: 200 {}', async () => {
      const res = await user.call('DELETE', mine(`${callId}/`));
      expect({ status: res.status, body: res.body, command: sent()?.['Application-Name'], callId: sent()?.['Call-ID'] }).toEqual({ status: 200, body: {}, command: 'hangup', callId });
    });
  });

  describe('click-to-dial, retrieve and IMRN', () => {
    it('originates from the user\'s phones to the number and answers 201 {callId, externalTrackingId}', async () => {
      const res = await user.call('POST', mine(), { phoneNumber: '02 512 67 78' });
      expect(res.status).toBe(201);
      const req = node.requests.at(-1) as Json;
      const endpoints = req['Endpoints'] as Json[];
      expect(res.body).toEqual({ callId: endpoints[0]?.['Outbound-Call-ID'], externalTrackingId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      expect(req).toMatchObject({ 'Account-ID': w.a.id, 'Application-Data': { Route: '+3225126778' }, 'Custom-Application-Vars': { 'Netaxis-External-Tracking-ID': res.body['externalTrackingId'], 'Netaxis-Personality': 'Click-to-Dial' } });
      expect(endpoints.map((e) => e['To-User'])).toEqual([`mine-${w.a.name}`]);
    });

    it("lets the GroupAdmin call for a member, never an EndUser for another user", async () => {
      const res = await peer.call('POST', mine(), { phoneNumber: '+3212345678' });
      expect(res.status).toBe(201);
      expect((node.requests.at(-1) as Json)['Endpoints']).toEqual([expect.objectContaining({ 'To-User': `mine-${w.a.name}` })]);
      const before = node.requests.length;
      expectError(await user.call('POST', callsPath(w.a.id, peerGroupId, w.a.peerId), { phoneNumber: '+3212345678' }), { status: 403, code: 'FORBIDDEN' });
      expect(node.requests).toHaveLength(before);
    });

    it('answers 400 for an invalid number, 403 for a user without a phone or a barred call', async () => {
      expectError(await user.call('POST', mine(), { phoneNumber: '12' }), { status: 400, code: 'INVALID_PHONE_NUMBER', field: 'phoneNumber' });
      expectError(await user.call('POST', mine(), {}), { status: 400, field: 'phoneNumber' });
      await app.directory.groups.patch(w.a.id, groupId, { endpoints: { [w.a.userId]: { type: 'user' }, [w.a.adminId]: { type: 'user' } } });
      expectError(await admin.call('POST', callsPath(w.a.id, groupId, w.a.adminId), { phoneNumber: '+3212345678' }), { status: 403, code: 'FORBIDDEN' });
      node.mode = { kind: 'error', message: 'OUTGOING_CALL_BARRED' };
      try {
        expectError(await user.call('POST', mine(), { phoneNumber: '+3212345678' }), { status: 403, code: 'CALL_BARRED' });
      } finally {
        node.mode = { kind: 'answer' };
      }
    });

    it('retrieve: 404 without a call to retrieve, 400 when the media node cannot retrieve it', async () => {
      expectError(await peer.call('POST', callsPath(w.a.id, peerGroupId, w.a.peerId, 'retrieve/')), { status: 404, message: 'no call to retrieve.' });
      await liveCall();
      node.commandResult = 'not_supported';
      try {
        expectError(await user.call('POST', mine('retrieve/')), { status: 400, code: 'INVALID_CALL_STATE' });
        expect(node.commands.at(-1)).toMatchObject({ 'Application-Name': 'retrieve' });
      } finally {
        node.commandResult = 'ok';
      }
    });

    it('IMRN: 404 for a calling number that is not the user\'s, 59 IMRN allocation failed otherwise', async () => {
      expectError(await user.call('POST', mine('imrn/'), { phoneNumber: '+3225126778', callingPhoneNumber: '+3225126799' }), { status: 404, field: 'callingPhoneNumber' });
      for (const calling of ['+3225126780', '210']) {
        expectError(await user.call('POST', mine('imrn/'), { phoneNumber: '+3225126778', callingPhoneNumber: calling }), { status: 400, code: 'INVALID_CALL_OPERATION', subErrorCode: 59, message: 'IMRN allocation failed.' });
      }
      expectError(await user.call('POST', mine('imrn/'), { phoneNumber: 'x', callingPhoneNumber: '210' }), { status: 400, field: 'phoneNumber' });
    });

    it('answers unknown routes below /api/v1 in its own shape', async () => {
      expectError(await user.call('GET', '/api/v1/nothing'), { status: 404, code: 'NOT_FOUND' });
    });
  });
});
