import { createCallStore } from '@legwork/call-state';
import { type Logger, silentLogger } from '@legwork/common';
import { createDirectory, type Directory } from '@legwork/directory';
import { DigestAuthenticator, type SipSource, createRequest, digestHa1, digestResponse } from '@legwork/sip';
import { InboundGate } from './inbound-gate';

const source = (remoteAddress: string): SipSource => ({ protocol: 'udp', remoteAddress, remotePort: 5060, localAddress: '127.0.0.1', localPort: 5060 });

function invite(number: string, headers: Array<[string, string]> = []) {
  return createRequest({
    method: 'INVITE', uri: `sip:${number}@192.0.2.1`, via: 'SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bK-1', from: '<sip:+14155550123@carrier.example>;tag=a', to: `<sip:${number}@192.0.2.1>`,
    callId: 'c1', cseq: 1, headers, body: 'v=0\r\n', contentType: 'application/sdp',
  });
}

/** Who gets in, in-process directory: sources, DID ownership along the account tree, digest; every refusal logged. */
describe('InboundGate', () => {
  let directory: Directory;
  let gate: InboundGate;
  const warnings: string[] = [];
  const logger: Logger = { ...silentLogger, warn: (_o, msg) => void warnings.push(String(msg)), info: (_o, msg) => void warnings.push(String(msg)) };
  const digest = new DigestAuthenticator({ secret: 'inbound-gate-spec-secret', algorithms: ['MD5'] });
  let master = '';
  let sub = '';
  let other = '';

  beforeAll(async () => {
    directory = createDirectory({ logger, authThrottle: { sourceFailures: 3 } });
    master = (await directory.accounts.create({ name: 'master', realm: 'master.example', country: 'US' })).id;
    sub = (await directory.accounts.create({ name: 'sub', realm: 'sub.example' }, master)).id;
    other = (await directory.accounts.create({ name: 'other', realm: 'other.example' })).id;
    await directory.users.create(sub, { first_name: 'Sub', last_name: 'User', dids: ['+442079460000'] });
    await directory.users.create(other, { first_name: 'Other', last_name: 'User', dids: ['+14155550199'] });
    await directory.groups.create(master, { name: 'desk', dids: ['+14155550100'] });
    await directory.resources.create(master, { name: 'wholesale', gateways: [{ server: 'gw.example' }], inbound: { enabled: true, sources: ['198.51.100.0/24'] } });
    await directory.resources.create(sub, { name: 'pbx', gateways: [{ server: 'pbx.example' }], inbound: { enabled: true, credentials: { username: 'pbx', password: 'pbx-pass' } } });
    gate = new InboundGate({ directory, digest, nonces: createCallStore({}).nonces, logger });
  });

  afterAll(() => directory.close());

  it("a listed source reaches DIDs of its account and its sub-accounts, national forms read in the carrier account's country", async () => {
    expect(await gate.admit(invite('+14155550100'), source('198.51.100.7'))).toMatchObject({ ok: true, by: 'source', number: '+14155550100', owner: { kind: 'group', accountId: master } });
    expect(await gate.admit(invite('4155550100'), source('198.51.100.7'))).toMatchObject({ ok: true, number: '+14155550100' });
    expect(await gate.admit(invite('+442079460000'), source('198.51.100.8'))).toMatchObject({ ok: true, owner: { kind: 'user', accountId: sub } });
  });

  it("a listed source dialling a number nobody owns, or one of another account tree, gets 404 with one log line", async () => {
    warnings.length = 0;
    expect(await gate.admit(invite('+14155550111'), source('198.51.100.7'))).toEqual({ ok: false, status: 404, reason: 'Not Found' });
    expect(await gate.admit(invite('+14155550199'), source('198.51.100.7'))).toEqual({ ok: false, status: 404, reason: 'Not Found' });
    expect(warnings.filter((w) => w.startsWith('inbound refused status=404 source=198.51.100.7'))).toHaveLength(2);
  });

  it('an unknown source gets 403 as an auth failure, and is blocked once over the throttle', async () => {
    warnings.length = 0;
    expect(await gate.admit(invite('+14155550100'), source('203.0.113.5'))).toEqual({ ok: false, status: 403, reason: 'Forbidden' });
    expect(warnings).toEqual([expect.stringMatching(/^auth failure surface=sip source=203\.0\.113\.5 .*reason=unknown_source$/)]);
    await gate.admit(invite('+14155550100'), source('203.0.113.5'));
    await gate.admit(invite('+14155550100'), source('203.0.113.5'));
    expect(await gate.admit(invite('+14155550100'), source('203.0.113.5'))).toEqual({ ok: false, status: 403, reason: 'Too Many Failed Attempts' });
  });

  it("without a listed source, a DID whose account tree has carriers with credentials is challenged (407), and the right answer admits", async () => {
    const first = await gate.admit(invite('+442079460000'), source('203.0.113.20'));
    expect(first).toMatchObject({ ok: false, status: 407 });
    const challenge = first.ok ? '' : (first.headers?.[0]?.[1] ?? '');
    expect(first.ok ? [] : first.headers?.map(([h]) => h)).toEqual(['Proxy-Authenticate']);
    expect(challenge).toContain('realm="sub.example"');
    const nonce = /nonce="([^"]+)"/.exec(challenge)?.[1] ?? '';
    const opaque = /opaque="([^"]+)"/.exec(challenge)?.[1] ?? '';
    const answer = (password: string, nc: string): string => {
      const uri = 'sip:+442079460000@192.0.2.1';
      const response = digestResponse({ algorithm: 'MD5', ha1: digestHa1('MD5', 'pbx', 'sub.example', password), method: 'INVITE', uri, nonce, nc, cnonce: 'abc', qop: 'auth' });
      return `Digest username="pbx", realm="sub.example", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5, qop=auth, nc=${nc}, cnonce="abc", opaque="${opaque}"`;
    };
    expect(await gate.admit(invite('+442079460000', [['Proxy-Authorization', answer('wrong', '00000001')]]), source('203.0.113.20'))).toEqual({ ok: false, status: 403, reason: 'Forbidden' });
    expect(await gate.admit(invite('+442079460000', [['Proxy-Authorization', answer('pbx-pass', '00000002')]]), source('203.0.113.20'))).toMatchObject({ ok: true, by: 'digest', owner: { accountId: sub } });
    // the same answer again is a replay
    expect(await gate.admit(invite('+442079460000', [['Proxy-Authorization', answer('pbx-pass', '00000002')]]), source('203.0.113.20'))).toMatchObject({ ok: false, status: 403 });
    // the master's DIDs are above the credentials' account: no challenge, plain refusal
    expect(await gate.admit(invite('+14155550100'), source('203.0.113.21'))).toMatchObject({ ok: false, status: 403 });
  });
});
