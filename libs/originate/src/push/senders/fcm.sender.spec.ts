import { generateKeyPairSync } from 'node:crypto';
import { LocalFcm } from '../../testing/push';
import { FcmSender } from './fcm.sender';

describe('FcmSender against a local OAuth2 token endpoint and FCM v1', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const account = { client_email: 'push@legwork-test.iam.gserviceaccount.com', private_key: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), project_id: 'legwork-test' };
  let fcm: LocalFcm;
  const sender = (extra: Partial<ConstructorParameters<typeof FcmSender>[0]> = {}): FcmSender => new FcmSender({ serviceAccount: account, tokenUrl: fcm.tokenUrl, url: fcm.url, ...extra });

  beforeEach(async () => {
    fcm = await LocalFcm.start({ publicKey, clientEmail: account.client_email, projectId: 'legwork-test', tokens: ['fcm-token-1'] });
  });

  afterEach(() => fcm.close());

  it('trades a service-account JWT for a token once, then sends high-priority data messages with it', async () => {
    const s = sender();
    expect(await s.send({ provider: 'fcm', prid: 'fcm-token-1', kind: 'call', callId: 'call-1', callerName: 'Alice' })).toEqual({ ok: true, status: 200 });
    expect(await s.send({ provider: 'fcm', prid: 'fcm-token-1', kind: 'cancel', callId: 'call-1', reason: 'cancelled' })).toEqual({ ok: true, status: 200 });
    expect(fcm.tokensIssued).toHaveLength(1);
    expect(fcm.messages).toEqual([
      { token: 'fcm-token-1', data: { kind: 'call', call_id: 'call-1', caller_name: 'Alice' }, android: { priority: 'HIGH', ttl: '0s' } },
      { token: 'fcm-token-1', data: { kind: 'cancel', call_id: 'call-1', reason: 'cancelled' }, android: { priority: 'HIGH', ttl: '0s' } },
    ]);
  });

  it('gets a new access token when FCM no longer accepts the cached one', async () => {
    const s = sender();
    await s.send({ provider: 'fcm', prid: 'fcm-token-1', kind: 'call', callId: 'a' });
    fcm.revokeTokens();
    expect(await s.send({ provider: 'fcm', prid: 'fcm-token-1', kind: 'call', callId: 'b' })).toEqual({ ok: true, status: 200 });
    expect(fcm.messages).toHaveLength(2);
  });

  it("reports FCM's refusals: an unregistered token, another project; and a key the token endpoint does not know", async () => {
    expect(await sender().send({ provider: 'fcm', prid: 'stale-token', kind: 'call', callId: 'c' })).toEqual({ ok: false, status: 404, error: 'UNREGISTERED' });
    expect(await sender({ serviceAccount: { ...account, project_id: 'someone-else' } }).send({ provider: 'fcm', prid: 'fcm-token-1', kind: 'call', callId: 'c' })).toEqual({ ok: false, status: 403, error: 'PERMISSION_DENIED' });
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const refused = await sender({ serviceAccount: { ...account, private_key: stranger } }).send({ provider: 'fcm', prid: 'fcm-token-1', kind: 'call', callId: 'c' });
    expect(refused.ok).toBe(false);
    expect(refused.ok === false && refused.error).toMatch(/token endpoint answered 400.*invalid_grant/);
    expect(fcm.messages).toEqual([]);
  });
});
