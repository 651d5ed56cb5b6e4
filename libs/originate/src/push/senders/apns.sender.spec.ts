import { generateKeyPairSync } from 'node:crypto';
import { freePort } from '@legwork/sip/testing';
import { LocalApns } from '../../testing/push';
import { ApnsSender, apnsTopic } from './apns.sender';

const TOKEN = 'a'.repeat(32) + '0123456789abcdef'.repeat(2);

describe('ApnsSender against a local APNs (HTTP/2)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const p8 = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  let apns: LocalApns;
  const senders: ApnsSender[] = [];
  const sender = (extra: Partial<ConstructorParameters<typeof ApnsSender>[0]> = {}): ApnsSender => {
    const s = new ApnsSender({ key: p8, keyId: 'KEY1234567', teamId: 'TEAM123456', bundleId: 'com.example.phone', url: apns.url, ...extra });
    senders.push(s);
    return s;
  };

  beforeEach(async () => {
    apns = await LocalApns.start({ publicKey, keyId: 'KEY1234567', teamId: 'TEAM123456', topics: ['com.example.phone.voip'] });
  });

  afterEach(async () => {
    await Promise.all(senders.splice(0).map((s) => s.close()));
    await apns.close();
  });

  it('sends a VoIP push with a valid ES256 provider token, the .voip topic and the call in the payload', async () => {
    const result = await sender().send({ provider: 'apns', prid: TOKEN, kind: 'call', callId: 'call-1', callerName: 'Alice' });
    expect(result).toEqual({ ok: true, status: 200 });
    expect(apns.accepted).toHaveLength(1);
    expect(apns.accepted[0]?.token).toBe(TOKEN);
    expect(apns.accepted[0]?.headers).toMatchObject({ 'apns-push-type': 'voip', 'apns-topic': 'com.example.phone.voip', 'apns-priority': '10' });
    expect(apns.accepted[0]?.payload).toEqual({ aps: {}, kind: 'call', call_id: 'call-1', caller_name: 'Alice' });
  });

  it('takes the topic from an RFC 8599 pn-param (Team ID, then the topic)', async () => {
    expect(apnsTopic('TEAM123456.com.example.phone.voip', 'other.app')).toBe('com.example.phone.voip');
    expect(apnsTopic(undefined, 'com.example.phone')).toBe('com.example.phone.voip');
    const result = await sender({ bundleId: 'not.this.one' }).send({ provider: 'apns', prid: TOKEN, param: 'TEAM123456.com.example.phone.voip', kind: 'cancel', callId: 'c', reason: 'answered_elsewhere' });
    expect(result.ok).toBe(true);
    expect(apns.accepted[0]?.payload).toMatchObject({ kind: 'cancel', reason: 'answered_elsewhere' });
  });

  it("reports APNs's refusals with status and reason: a bad device token, a token signed by another key, another app's topic", async () => {
    expect(await sender().send({ provider: 'apns', prid: 'not-a-token', kind: 'call', callId: 'c' })).toEqual({ ok: false, status: 400, error: 'BadDeviceToken' });
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(await sender({ key: otherKey }).send({ provider: 'apns', prid: TOKEN, kind: 'call', callId: 'c' })).toEqual({ ok: false, status: 403, error: 'InvalidProviderToken' });
    expect(await sender({ bundleId: 'com.other.app' }).send({ provider: 'apns', prid: TOKEN, kind: 'call', callId: 'c' })).toEqual({ ok: false, status: 400, error: 'DeviceTokenNotForTopic' });
    expect(apns.accepted).toEqual([]);
  });

  it('refuses a key that is not an EC key at construction, and reports an unreachable APNs as a failure', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => new ApnsSender({ key: rsa, keyId: 'K', teamId: 'T', bundleId: 'b' })).toThrow(/EC \(P-256\)/);
    const down = sender({ url: `http://127.0.0.1:${await freePort()}` });
    const result = await down.send({ provider: 'apns', prid: TOKEN, kind: 'call', callId: 'c' });
    expect(result.ok).toBe(false);
    expect(result.ok === false && result.error).toMatch(/ECONNREFUSED/);
  });
});
