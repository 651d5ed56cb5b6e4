import { z } from 'zod';
import { uapiError, VoipnowClient, type UapiReply } from '../src/dialects/voipnow/testing';
import type { KazooApp } from './kazoo-app.harness';
import { startSecurityWorld, type SecurityWorld } from './security.fixture';

type Json = Record<string, unknown>;

// The PhoneCalls simple request over HTTP: every 400 code of the seed, for its cause, in {"error":{"code","message"}}.
describe('VoipNow PhoneCalls: refusals over HTTP', () => {
  let app: KazooApp;
  let w: SecurityWorld;
  let user: VoipnowClient;
  let org: VoipnowClient;
  let other: VoipnowClient;
  const originations: Json[] = [];

  /** An app registered through the Kazoo admin API, logged in through OAuth. */
  const login = async (tenant: { id: string; keyToken: string }, ownerId?: string): Promise<VoipnowClient> => {
    const res = await app.call('PUT', `/v2/accounts/${tenant.id}/api_clients`, { token: tenant.keyToken, body: { data: { name: 'crm', dialect: 'voipnow', ...(ownerId !== undefined ? { owner_id: ownerId } : {}) } } });
    expect(res.status).toBe(201);
    const created = res.body.data as Json;
    return VoipnowClient.login(app.url, String(created['client_id']), String(created['client_secret']));
  };

  beforeAll(async () => {
    ({ app, w } = await startSecurityWorld());
    const d = app.directory;
    await d.accounts.patch(w.a.id, { country: 'BB', extension_prefix: '0003' });
    await d.users.patch(w.a.id, w.a.userId, { caller_id: { external: { name: 'Ann', number: '4242425' } } });
    await d.devices.patch(w.a.id, w.a.userDeviceId, { extension: '210' });
    await d.devices.patch(w.a.id, w.a.peerDeviceId, { extension: '211' });
    await d.groups.create(w.a.id, { name: 'sales', extension: '500', type: 'ring_group' });
    await d.devices.patch(w.b.id, w.b.userDeviceId, { extension: '210' });
    user = await login(w.a, w.a.userId);
    org = await login(w.a);
    other = await login(w.b);
    // nothing may reach the bus when a request is refused
    const q = await app.infra.bus.declareQueue(`voipnow-refusals-${process.pid}`, { durable: false, autoDelete: true, bindings: [{ exchange: 'callmgr', routingKey: 'originate.resource.req' }] });
    await app.infra.bus.consume(q, z.record(z.string(), z.unknown()), async (m: Json) => void originations.push(m));
  });
  afterAll(() => app.close());

  const example1 = { extension: '210', phoneCallView: [{ source: ['5354353', '5302040'], destination: ['3235742879'], callerId: 'John Doe <4242425>' }] };
  const view = (patch: Json, extension: string | null = '210'): Json => ({ ...(extension !== null ? { extension } : {}), phoneCallView: [{ ...example1.phoneCallView[0], ...patch }] });
  const expectError = (res: UapiReply, status: number, code: string): void => {
    expect({ status: res.status, code: uapiError(res)?.code, message: typeof uapiError(res)?.message }).toEqual({ status, code, message: 'string' });
  };

  it.each([
    ['extension_invalid', 'the extension is no extension', () => user.phoneCall('@me', view({}, '@self'))],
    ['extension_invalid', 'the extension is not a Phone Terminal (a group)', () => org.phoneCall('@owner', view({}, '500'))],
    ['extension_invalid', "the extension is not the user's", () => user.phoneCall('@me', view({}, '211'))],
    ['extension_invalid', 'no extension and the first source is a public number', () => user.phoneCall('@me', view({}, null))],
    ['pc_duration_invalid', 'callDuration is not a number', () => user.phoneCall('@me', example1, 'callDuration=long')],
    ['pc_duration_invalid', 'callDuration is 0', () => user.phoneCall('@me', example1, 'callDuration=0')],
    ['pc_source_invalid', 'source is missing', () => user.phoneCall('@me', view({ source: undefined }))],
    ['pc_source_invalid', 'source holds a SIP URI', () => user.phoneCall('@me', view({ source: ['sip:x@example.com'] }))],
    ['pc_source_invalid', 'source is a group without an enabled phone', () => user.phoneCall('@me', view({ source: ['500'] }))],
    ['pc_destination_invalid', 'destination is a group without an enabled phone', () => user.phoneCall('@me', view({ destination: ['500'] }))],
    ['pc_destination_invalid', 'destination is missing', () => user.phoneCall('@me', view({ destination: undefined }))],
    ['pc_destination_invalid', 'destination is no number', () => user.phoneCall('@me', view({ destination: ['12'] }))],
    ['pc_timeout_invalid', 'waitForPickup is 0', () => user.phoneCall('@me', example1, 'waitForPickup=0')],
    ['pc_timeout_invalid', 'waitForPickup is not a number', () => user.phoneCall('@me', example1, 'waitForPickup=soon')],
    ['pc_callerid_invalid', 'callerId has no <number>', () => user.phoneCall('@me', view({ callerId: 'John Doe' }))],
    ['pc_callerid_invalid', 'callerIdDestination is malformed', () => org.phoneCall('@owner', view({ callerIdDestination: 'x <y>' }))],
    ['pc_callerid_invalid', "a user's app may not set a caller id it does not own", () => user.phoneCall('@me', view({ callerId: 'Boss <+12465550000>' }))],
    ['pc_transfer_invalid', 'allowPublicTransfer is not a boolean', () => user.phoneCall('@me', example1, 'allowPublicTransfer=maybe')],
    ['pc_nonce_invalid', 'nonce is not a string', () => user.phoneCall('@me', view({ nonce: 42 }))],
    ['pc_nonce_invalid', 'nonce is empty', () => user.phoneCall('@me', view({ nonce: '' }))],
    ['pc_video_invalid', 'video is not a boolean', () => user.phoneCall('@me', example1, 'video=yes')],
    ['user_invalid', 'an organization app says @me', () => org.phoneCall('@me', example1)],
    ['user_invalid', 'userId is neither @me, @viewer, @owner nor a user id', () => org.phoneCall('12', example1)],
    ['request_invalid', 'the payload is not JSON', () => user.phoneCall('@me', '{"extension":')],
    ['request_invalid', 'phoneCallView is missing', () => user.phoneCall('@me', { extension: '210' })],
  ])('400 %s when %s', async (code, _why, send) => {
    const before = originations.length;
    expectError(await send(), 400, code);
    expect(originations).toHaveLength(before);
  });

  it("an app of another organization reaches none of this organization's extensions", async () => {
    expectError(await other.phoneCall('@owner', { extension: '0003*210', phoneCallView: [{ source: ['0003*210'], destination: ['3235742879'] }] }), 400, 'extension_invalid');
    expectError(await other.phoneCall(w.a.userId, view({}, '0003*210')), 400, 'extension_invalid');
    expectError(await user.phoneCall('@me', view({ source: ['210', '0004*210'] })), 400, 'pc_source_invalid');
  });

  it('link.self of an unknown phone call is 404 for GET, DELETE and PUT', async () => {
    for (const method of ['GET', 'DELETE', 'PUT']) expectError(await user.call(method, `/uapi/phoneCalls/@me/210/${'a'.repeat(20)}`), 404, 'not_found');
  });

  it('every refusal names its parameter in the message', async () => {
    expect(uapiError(await user.phoneCall('@me', example1, 'waitForPickup=-1'))?.message).toContain('waitForPickup');
    expect(uapiError(await user.phoneCall('@me', view({ source: ['210', 'x'] })))?.message).toContain('source[1]');
  });
});
