import { randomBytes } from 'node:crypto';
import { FakeMediaResponder } from '@legwork/originate-client/testing';
import { createInfrastructure, createLogger, type Infrastructure } from '@legwork/platform';
import { AMQP_URL, REDIS_URL, cleanupScratch, scratchNames, type Scratch } from '@legwork/platform/testing';
import { uapiError, VoipnowClient, type UapiReply } from '../src/dialects/voipnow/testing';
import { startKazooApp, type KazooApp } from './kazoo-app.harness';
import { securityWorld, type SecurityWorld } from './security.fixture';

type Json = Record<string, unknown>;
const GATEWAY = `voipnow-gw-${randomBytes(3).toString('hex')}`;

// PUT link.self over HTTP on real Redis and RabbitMQ: a media node stands in on the bus, answering call_command as told.
describe('VoipNow PhoneCall updates over HTTP: recording on the call_command plane', () => {
  let scratch: Scratch;
  let infra: Infrastructure;
  let app: KazooApp;
  let w: SecurityWorld;
  let node: FakeMediaResponder;
  let user: VoipnowClient;
  let self = '';
  let phoneLeg = '';

  const expectError = (res: UapiReply, status: number, code: string): void => {
    expect({ status: res.status, code: uapiError(res)?.code }).toEqual({ status, code });
  };

  beforeAll(async () => {
    scratch = scratchNames('voipnow-update');
    infra = createInfrastructure({
      amqpUrl: AMQP_URL, redisUrl: REDIS_URL, appName: 'api-gateway', nodeId: GATEWAY, logger: createLogger('voipnow', 'silent'),
      redisPrefix: scratch.redisPrefix, amqpNamespace: scratch.amqpNamespace, secretKeys: scratch.secretKeys,
    });
    await infra.start();
    app = await startKazooApp({ infra, env: { RATE_BUCKET_BURST: '1000000', UNAUTHENTICATED_RATE_LIMIT: '1000000' } });
    w = await securityWorld(app);
    node = new FakeMediaResponder(infra.bus, `voipnow-media-${randomBytes(3).toString('hex')}`);
    await node.start();
    const d = app.directory;
    await d.accounts.patch(w.a.id, { country: 'BB', extension_prefix: '0003' });
    await d.devices.patch(w.a.id, w.a.userDeviceId, { extension: '210' });
    await d.devices.patch(w.a.id, w.a.peerDeviceId, { extension: '211' });
    const res = await app.call('PUT', `/v2/accounts/${w.a.id}/api_clients`, { token: w.a.keyToken, body: { data: { name: 'crm', dialect: 'voipnow', owner_id: w.a.userId } } });
    const created = res.body.data as Json;
    user = await VoipnowClient.login(app.url, String(created['client_id']), String(created['client_secret']));

    const made = await user.phoneCall('@me', { extension: '210', phoneCallView: [{ source: ['210'], destination: ['211'] }] });
    expect(made.status).toBe(202);
    self = String(((made.body as Json[])[0]?.['link'] as Json)['self']);
    // the source's leg is the call id the originate request gave its endpoint
    phoneLeg = String(((node.requests.at(-1)?.['Endpoints'] as Json[] | undefined)?.[0] ?? {})['Outbound-Call-ID']);
    expect(phoneLeg).toMatch(/.{8,}/);
    // the legs as the media node records them once the phone answered and the destination was bridged to it
    const peerLeg = `${phoneLeg}-dst`;
    const base = { accountId: w.a.id, nodeId: node.nodeId, endpointId: w.a.userDeviceId, ownerId: w.a.userId };
    await infra.calls.calls.create({ ...base, callId: phoneLeg, leg: 'a', to: `sip:desk@${w.a.realm}` });
    await infra.calls.calls.create({ ...base, callId: peerLeg, leg: 'b', peerCallId: phoneLeg, to: `sip:211@${w.a.realm}` });
    await infra.calls.calls.update(phoneLeg, { peerCallId: peerLeg });
    for (const leg of [phoneLeg, peerLeg]) {
      await infra.calls.calls.transition(leg, 'ring');
      await infra.calls.calls.transition(leg, 'answer');
      await infra.calls.calls.transition(leg, 'bridge');
    }
  });
  afterAll(async () => {
    await node?.stop();
    await app?.close();
    await infra?.close();
    await cleanupScratch(scratch);
  });
  afterEach(() => {
    node.commandResult = 'ok';
  });

  it('StartRecording, PauseRecording, ResumeRecording, StopRecording: 204 each, record_* on the phone\'s leg', async () => {
    const before = node.commands.length;
    for (const body of [{ action: 'StartRecording', format: 'wav', phoneCallViewId: '01' }, { action: 'PauseRecording' }, { action: 'ResumeRecording' }, { action: 'StopRecording', phoneCallViewId: '01' }]) {
      expect((await user.call('PUT', self, body)).status).toBe(204);
    }
    expect(node.commands.slice(before).map((c) => [c['Application-Name'], c['Call-ID']])).toEqual([
      ['record_start', phoneLeg], ['record_pause', phoneLeg], ['record_resume', phoneLeg], ['record_stop', phoneLeg],
    ]);
  });

  it('the node unable to record this call (no RECORDING_DIR, a party refusing to move its media) is 501; a state that does not allow it 409', async () => {
    node.commandResult = 'not_supported';
    expectError(await user.call('PUT', self, { action: 'StartRecording' }), 501, 'pc_action_not_supported');
    node.commandResult = 'invalid_state';
    expectError(await user.call('PUT', self, { action: 'StopRecording' }), 409, 'pc_state_invalid');
    node.commandResult = 'failed';
    expectError(await user.call('PUT', self, { action: 'StartRecording' }), 502, 'pc_action_failed');
  });

  it('refusals known before any command: wav49 501, another format 400 naming format, park 501, an unknown action 400', async () => {
    const before = node.commands.length;
    expectError(await user.call('PUT', self, { action: 'StartRecording', format: 'wav49' }), 501, 'pc_action_not_supported');
    const format = await user.call('PUT', self, { action: 'StartRecording', format: 'ogg' });
    expectError(format, 400, 'pc_format_invalid');
    expect(uapiError(format)?.message).toContain('format');
    expectError(await user.call('PUT', self, { action: 'Park' }), 501, 'pc_action_not_supported');
    expectError(await user.call('PUT', self, { action: 'Record-Everything' }), 400, 'pc_action_invalid');
    expect(node.commands).toHaveLength(before);
  });
});
