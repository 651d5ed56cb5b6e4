import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@legwork/platform';
import { mediaNodeConfigSchema } from './media-node.config';
import { pushSendersFrom } from './media-push.service';

describe('push senders from the media-node config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'push-keys-'));
  const p8 = join(dir, 'AuthKey.p8');
  const sa = join(dir, 'service-account.json');
  writeFileSync(p8, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  writeFileSync(sa, JSON.stringify({ type: 'service_account', client_email: 'push@p.iam.gserviceaccount.com', private_key: rsa, project_id: 'p' }));
  const apns = { APNS_KEY_ID: 'ABC123DEFG', APNS_TEAM_ID: 'TEAM123456', APNS_BUNDLE_ID: 'com.example.phone' };

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds the sender of each provider, the gateway for the rest', () => {
    const senders = pushSendersFrom(loadConfig(mediaNodeConfigSchema, { PUSH_SENDERS: 'apns=apns,fcm=fcm', APNS_KEY_FILE: p8, FCM_SERVICE_ACCOUNT_FILE: sa, ...apns }));
    expect([senders.serves('apns'), senders.serves('fcm'), senders.serves('webpush')]).toEqual([true, true, false]);
    const withGateway = pushSendersFrom(loadConfig(mediaNodeConfigSchema, { PUSH_GATEWAY_URL: 'http://127.0.0.1:9/push' }));
    expect(withGateway.serves('webpush')).toBe(true);
  });

  it('a key file that cannot be read or used stops the boot, naming its variable', () => {
    expect(() => pushSendersFrom(loadConfig(mediaNodeConfigSchema, { PUSH_SENDERS: 'apns=apns', APNS_KEY_FILE: join(dir, 'missing.p8'), ...apns }))).toThrow(/^APNS_KEY_FILE: cannot read/);
    expect(() => pushSendersFrom(loadConfig(mediaNodeConfigSchema, { PUSH_SENDERS: 'apns=apns', APNS_KEY_FILE: sa, ...apns }))).toThrow(/^APNS_KEY_FILE: /);
    expect(() => pushSendersFrom(loadConfig(mediaNodeConfigSchema, { PUSH_SENDERS: 'fcm=fcm', FCM_SERVICE_ACCOUNT_FILE: p8 }))).toThrow(/^FCM_SERVICE_ACCOUNT_FILE: /);
  });
});
