import { waitFor } from '@legwork/common/testing';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SippPhone, header, parseSippLog, type LoggedSipMessage } from '@legwork/originate/testing';
import { MediaNodeFixture } from './media-node.fixture';

jest.setTimeout(60_000);

/** The registrar's last answer to the phone's authenticated REGISTER (CSeq 2), once it came. */
async function registerAnswer(phone: SippPhone): Promise<LoggedSipMessage> {
  const answer = (): LoggedSipMessage | undefined =>
    parseSippLog(phone.messages()).find((m) => m.direction === 'received' && m.startLine.startsWith('SIP/2.0 ') && /^2 REGISTER/.test(m.headers['cseq']?.[0] ?? '') && !m.startLine.startsWith('SIP/2.0 100'));
  await waitFor(() => answer() !== undefined, { message: `answer to ${phone.username}'s REGISTER\n${phone.log}`, timeoutMs: 15_000 });
  return answer() as LoggedSipMessage;
}

/**
 * RFC 8599 §5.4 on media nodes, sipp phones REGISTERing with pn-* Contact parameters: a pn-provider no push sender
 * of the node serves is refused 555 and nothing is bound; a served one is bound and named in Feature-Caps.
 */
describe.each([
  { name: 'no push sender', env: (): Record<string, string> => ({}), cases: [['apns', 555], ['fcm', 555]] },
  { name: 'APNs only', env: (keys: string): Record<string, string> => ({ PUSH_SENDERS: 'apns=apns', APNS_KEY_FILE: join(keys, 'AuthKey.p8'), APNS_KEY_ID: 'ABC123DEFG', APNS_TEAM_ID: 'TEAM123456', APNS_BUNDLE_ID: 'com.example.phone' }), cases: [['apns', 200], ['fcm', 555], ['webpush', 555]] },
  { name: 'a generic gateway (every provider)', env: (): Record<string, string> => ({ PUSH_GATEWAY_URL: 'http://127.0.0.1:9/push' }), cases: [['apns', 200], ['webpush', 200]] },
] as Array<{ name: string; env: (keys: string) => Record<string, string>; cases: Array<[string, 200 | 555]> }>)('media node registrar with $name', ({ env, cases }) => {
  const keys = mkdtempSync(join(tmpdir(), 'push-reg-keys-'));
  writeFileSync(join(keys, 'AuthKey.p8'), generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
  const node = new MediaNodeFixture('pushreg', env(keys));
  let accountId = '';
  let n = 0;

  async function register(provider: string | undefined): Promise<{ phone: SippPhone; answer: LoggedSipMessage; aor: string }> {
    const username = `pr${(n += 1)}`;
    await node.infra.directory.devices.create(accountId, { name: username, sip: { username, password: `pw-${username}` } });
    const contactParams = provider === undefined ? undefined : `;pn-provider=${provider};pn-prid=prid-${username};pn-param=TEAM123456.com.example.phone.voip`;
    const phone = node.own(await SippPhone.start({ username, password: `pw-${username}`, realm: node.realm, registrar: node.registrar(), behaviour: 'answer', ...(contactParams !== undefined ? { contactParams } : {}) }));
    return { phone, answer: await registerAnswer(phone), aor: `${username}@${node.realm}` };
  }

  beforeAll(async () => {
    await node.start();
    accountId = (await node.infra.directory.accounts.create({ name: node.ns, realm: node.realm })).id;
  });

  afterAll(async () => {
    await node.close();
    rmSync(keys, { recursive: true, force: true });
  });

  it('a Contact without pn-* parameters registers as ever, without Feature-Caps', async () => {
    const { answer, aor } = await register(undefined);
    expect(answer.startLine).toBe('SIP/2.0 200 OK');
    expect(answer.headers['feature-caps']).toBeUndefined();
    expect(await node.infra.calls.registrations.list(aor)).toHaveLength(1);
  });

  // 555: no sender serves it, nothing is bound; 200: bound with its push parameters, Feature-Caps names the service
  it.each(cases)('pn-provider=%s is answered %i', async (provider, status) => {
    const { answer, aor } = await register(provider);
    if (status === 555) {
      expect(answer.startLine).toBe('SIP/2.0 555 Push Notification Service Not Supported');
      expect(await node.infra.calls.registrations.list(aor)).toEqual([]);
      return;
    }
    expect(answer.startLine).toBe('SIP/2.0 200 OK');
    expect(header(answer, 'Feature-Caps')).toBe(`*;+sip.pns="${provider}"`);
    expect(await node.infra.calls.registrations.list(aor)).toEqual([expect.objectContaining({ pushProvider: provider, pushPrid: expect.stringMatching(/^prid-pr\d+$/) })]);
  });
});
