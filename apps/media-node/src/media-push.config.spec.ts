import { ConfigError, loadConfig, redactConfig } from '@legwork/platform';
import { mediaNodeConfigSchema } from './media-node.config';
import { pushProvidersOf } from './media-push.config';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(mediaNodeConfigSchema, env);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => i.variable).sort();
    throw err;
  }
  return [];
}

describe('media-node push config', () => {
  it('waits 10 s for a woken device by default, sends nothing without a sender, keeps the gateway secret out of logs', () => {
    const none = loadConfig(mediaNodeConfigSchema, {});
    expect(none.PUSH_WAKE_TIMEOUT_SECONDS).toBe(10);
    expect(none.PUSH_SENDERS.size).toBe(0);
    expect(none.PUSH_GATEWAY_URL).toBeUndefined();
    const gw = loadConfig(mediaNodeConfigSchema, { PUSH_GATEWAY_URL: 'http://127.0.0.1:9000/push', PUSH_GATEWAY_SECRET: 'a-long-enough-secret', PUSH_WAKE_TIMEOUT_SECONDS: '5' });
    expect(gw.PUSH_WAKE_TIMEOUT_SECONDS).toBe(5);
    expect(redactConfig(gw).PUSH_GATEWAY_SECRET).toBe('***');
  });

  it("offers the registrar the providers it has senders for: none, the named ones, or any ('*') with a gateway", () => {
    expect(pushProvidersOf(loadConfig(mediaNodeConfigSchema, {}))).toEqual([]);
    expect(pushProvidersOf({ PUSH_SENDERS: new Map([['apns', 'apns'], ['fcm', 'fcm']]) })).toEqual(['apns', 'fcm']);
    expect(pushProvidersOf(loadConfig(mediaNodeConfigSchema, { PUSH_GATEWAY_URL: 'http://127.0.0.1:9000/push' }))).toEqual(['*']);
  });

  it('maps providers to senders, case-insensitively', () => {
    const c = loadConfig(mediaNodeConfigSchema, {
      PUSH_SENDERS: 'APNS=apns, fcm=fcm ,webpush=gateway', PUSH_GATEWAY_URL: 'https://push.example.com/v1', APNS_KEY_FILE: '/etc/legwork/apns.p8',
      APNS_KEY_ID: 'ABC123DEFG', APNS_TEAM_ID: 'TEAM123456', APNS_BUNDLE_ID: 'com.example.phone', FCM_SERVICE_ACCOUNT_FILE: '/etc/legwork/fcm.json',
    });
    expect([...c.PUSH_SENDERS]).toEqual([['apns', 'apns'], ['fcm', 'fcm'], ['webpush', 'gateway']]);
  });

  it('names every bad or missing variable', () => {
    expect(problems({ PUSH_WAKE_TIMEOUT_SECONDS: '0', PUSH_SENDERS: 'apns=pigeon', PUSH_GATEWAY_URL: 'ftp://x', PUSH_GATEWAY_SECRET: 'short' })).toEqual(['PUSH_GATEWAY_SECRET', 'PUSH_GATEWAY_URL', 'PUSH_SENDERS', 'PUSH_WAKE_TIMEOUT_SECONDS']);
    expect(problems({ PUSH_SENDERS: 'apns=apns,fcm=fcm,x=gateway' })).toEqual(['APNS_BUNDLE_ID', 'APNS_KEY_FILE', 'APNS_KEY_ID', 'APNS_TEAM_ID', 'FCM_SERVICE_ACCOUNT_FILE', 'PUSH_GATEWAY_URL']);
    expect(problems({ APNS_KEY_ID: 'short', APNS_TEAM_ID: 'lower12345' })).toEqual(['APNS_KEY_ID', 'APNS_TEAM_ID']);
  });
});
