import { createHash } from 'node:crypto';
import { createCallStore } from '@legwork/call-state';
import { parseAuth } from '../message/sip-auth';
import { parseSipMessage } from '../message/sip-parser';
import type { SipRequest } from '../message/sip-message';
import { AuthError } from './auth.errors';
import { answerDigestChallenge } from './digest-client';
import { type DigestCredentials, findDigestCredentials, readDigestCredentials } from './digest-credentials';
import { DigestAuthenticator } from './digest';

const REALM = 'acme.example';
const SECRET = 'a-long-enough-test-secret';

class Clock {
  time = Date.UTC(2025, 0, 1);
  readonly now = (): number => this.time;
}

/** Client answer computed from the RFC formula with node:crypto, not with the module under test. */
function answer(challenge: string, opts: { password?: string; nc?: string; uri?: string; username?: string } = {}): DigestCredentials {
  const c = parseAuth(challenge);
  const hash = c.get('algorithm') === 'SHA-256' ? 'sha256' : 'md5';
  const h = (text: string) => createHash(hash).update(text).digest('hex');
  const username = opts.username ?? 'alice';
  const uri = opts.uri ?? `sip:${REALM}`;
  const nc = opts.nc ?? '00000001';
  const cnonce = 'c0ffee42';
  const ha1 = h(`${username}:${c.get('realm')}:${opts.password ?? 'pa55word'}`);
  const response = h([ha1, c.get('nonce'), nc, cnonce, 'auth', h(`REGISTER:${uri}`)].join(':'));
  return { username, realm: c.get('realm') ?? '', nonce: c.get('nonce') ?? '', uri, response, algorithm: c.get('algorithm'), qop: 'auth', nc, cnonce, opaque: c.get('opaque') };
}

function verify(auth: DigestAuthenticator, credentials: DigestCredentials, password = 'pa55word') {
  return auth.verify({ credentials, method: 'REGISTER', realm: REALM, password, requestUri: `sip:${REALM}` });
}

describe('DigestAuthenticator', () => {
  let clock: Clock;
  let auth: DigestAuthenticator;

  beforeEach(() => {
    clock = new Clock();
    auth = new DigestAuthenticator({ secret: SECRET, nonceTtlSeconds: 300, now: clock.now });
  });

  it('offers SHA-256 first, then MD5, with qop=auth, opaque and one shared nonce', () => {
    const [first, second] = auth.challenge(REALM).map(parseAuth);
    expect(first.scheme).toBe('Digest');
    expect([first.get('algorithm'), second.get('algorithm')]).toEqual(['SHA-256', 'MD5']);
    for (const c of [first, second]) {
      expect(c.get('realm')).toBe(REALM);
      expect(c.get('qop')).toBe('auth');
      expect(c.get('opaque')).toBeTruthy();
      expect(c.get('stale')).toBeUndefined();
    }
    expect(first.get('nonce')).toBe(second.get('nonce'));
    expect(auth.challenge(REALM)[0]).not.toBe(auth.challenge(REALM)[0]);
  });

  it.each([0, 1])('accepts a correct answer to challenge %i (both algorithms)', (index) => {
    const verdict = verify(auth, answer(auth.challenge(REALM)[index]));
    expect(verdict).toEqual({ ok: true, username: 'alice', algorithm: index === 0 ? 'SHA-256' : 'MD5' });
  });

  it('rejects a wrong password', () => {
    expect(verify(auth, answer(auth.challenge(REALM)[0], { password: 'guess' }))).toEqual({ ok: false, reason: 'wrong_response' });
  });

  it('rejects a tampered nonce even with a matching response', () => {
    const challenge = auth.challenge(REALM)[0];
    const nonce = parseAuth(challenge).get('nonce') ?? '';
    const flipped = nonce.slice(0, 5) + (nonce[5] === 'A' ? 'B' : 'A') + nonce.slice(6);
    const forged = answer(challenge.replace(nonce, flipped));
    expect(verify(auth, forged)).toEqual({ ok: false, reason: 'bad_nonce' });
    expect(verify(auth, { ...answer(challenge), nonce: 'not-a-nonce' })).toEqual({ ok: false, reason: 'bad_nonce' });
  });

  it('does not accept a nonce issued for another realm or with another secret', () => {
    const other = answer(auth.challenge('other.example')[0]);
    expect(verify(auth, { ...other, realm: REALM })).toEqual({ ok: false, reason: 'bad_nonce' });
    const foreign = new DigestAuthenticator({ secret: 'another-secret-of-16+', now: clock.now });
    expect(verify(auth, answer(foreign.challenge(REALM)[0]))).toEqual({ ok: false, reason: 'bad_nonce' });
  });

  it('says stale for an expired nonce with the right password, and wrong_response with the wrong one', () => {
    const challenge = auth.challenge(REALM)[0];
    clock.time += 301_000;
    expect(verify(auth, answer(challenge))).toEqual({ ok: false, reason: 'stale' });
    expect(verify(auth, answer(challenge, { password: 'nope' }))).toEqual({ ok: false, reason: 'wrong_response' });
    expect(parseAuth(auth.challenge(REALM, { stale: true })[0]).get('stale')).toBe('true');
  });

  it('refuses a replayed nonce-count and accepts a higher one', () => {
    const challenge = auth.challenge(REALM)[1];
    expect(verify(auth, answer(challenge)).ok).toBe(true);
    expect(verify(auth, answer(challenge))).toEqual({ ok: false, reason: 'replay' });
    expect(verify(auth, answer(challenge, { nc: '00000002' })).ok).toBe(true);
    expect(verify(auth, answer(challenge, { nc: '00000002' }))).toEqual({ ok: false, reason: 'replay' });
  });

  it('verifies from stored HA1s alone, and treats a missing HA1 as a wrong password', () => {
    const ha1 = (alg: string) => createHash(alg).update(`alice:${REALM}:pa55word`).digest('hex');
    const stored = { MD5: ha1('md5'), 'SHA-256': ha1('sha256') };
    for (const index of [0, 1]) {
      const credentials = answer(auth.challenge(REALM)[index]);
      expect(auth.verify({ credentials, method: 'REGISTER', realm: REALM, ha1: stored }).ok).toBe(true);
    }
    expect(auth.verify({ credentials: answer(auth.challenge(REALM)[0]), method: 'REGISTER', realm: REALM, ha1: { MD5: stored.MD5 } })).toEqual({ ok: false, reason: 'wrong_response' });
    expect(auth.verify({ credentials: answer(auth.challenge(REALM)[1], { password: 'guess' }), method: 'REGISTER', realm: REALM, ha1: stored })).toEqual({ ok: false, reason: 'wrong_response' });
  });

  it('keeps refusing a replayed nonce-count after 20,000 other nonces, until the nonce expires', () => {
    const challenge = auth.challenge(REALM)[1];
    expect(verify(auth, answer(challenge)).ok).toBe(true);
    for (let i = 0; i < 20_000; i++) expect(verify(auth, answer(auth.challenge(REALM)[1])).ok).toBe(true);
    expect(verify(auth, answer(challenge))).toEqual({ ok: false, reason: 'replay' });
    clock.time += 301_000;
    expect(verify(auth, answer(challenge))).toEqual({ ok: false, reason: 'stale' });
  });

  it('authenticates through a shared counter, which sees replays made to another verifier', async () => {
    const shared = createCallStore({ clock: { now: clock.now } }).nonces;
    const other = new DigestAuthenticator({ secret: SECRET, nonceTtlSeconds: 300, now: clock.now });
    const credentials = answer(auth.challenge(REALM)[0]);
    const input = { credentials, method: 'REGISTER', realm: REALM, password: 'pa55word', requestUri: `sip:${REALM}` };
    expect(await auth.authenticate(input, shared)).toEqual({ ok: true, username: 'alice', algorithm: 'SHA-256' });
    expect(await other.authenticate(input, shared)).toEqual({ ok: false, reason: 'replay' });
    const seen: Array<[string, number, number]> = [];
    await other.authenticate({ ...input, credentials: answer(auth.challenge(REALM)[0]) }, { accept: async (...args) => (seen.push(args), true) });
    // tracked for the nonce's remaining lifetime plus a clock-skew allowance
    expect(seen[0]?.[2]).toBe(300_000 + 30_000);
  });

  it('checks qop, nc, algorithm, realm, opaque and uri', () => {
    const good = answer(auth.challenge(REALM)[0]);
    expect(verify(auth, { ...good, qop: undefined })).toEqual({ ok: false, reason: 'unsupported_qop' });
    expect(verify(auth, { ...good, nc: '1' })).toEqual({ ok: false, reason: 'unsupported_qop' });
    expect(verify(auth, { ...good, cnonce: undefined })).toEqual({ ok: false, reason: 'unsupported_qop' });
    expect(verify(auth, { ...good, algorithm: 'MD5-sess' })).toEqual({ ok: false, reason: 'unsupported_algorithm' });
    expect(verify(auth, { ...good, realm: 'evil.example' })).toEqual({ ok: false, reason: 'realm_mismatch' });
    expect(verify(auth, { ...good, opaque: 'changed' })).toEqual({ ok: false, reason: 'bad_opaque' });
    const elsewhere = answer(auth.challenge(REALM)[0], { uri: 'sip:other.example' });
    expect(verify(auth, elsewhere)).toEqual({ ok: false, reason: 'uri_mismatch' });
  });

  it('only offers and accepts the configured algorithms', () => {
    const md5Only = new DigestAuthenticator({ secret: SECRET, algorithms: ['MD5'], now: clock.now });
    expect(md5Only.challenge(REALM)).toHaveLength(1);
    expect(md5Only.verify({ credentials: answer(auth.challenge(REALM)[0]), method: 'REGISTER', realm: REALM, password: 'pa55word' })).toEqual({ ok: false, reason: 'unsupported_algorithm' });
  });

  it('throws a typed error for a weak secret', () => {
    expect(() => new DigestAuthenticator({ secret: 'short' })).toThrow(AuthError);
  });

  it('round-trips with the client helper and the message parser', () => {
    const challenge = auth.challenge(REALM)[0];
    const value = answerDigestChallenge({ challenge, method: 'REGISTER', uri: `sip:${REALM}`, username: 'alice', password: 'pa55word' });
    expect(value).toBeDefined();
    const raw = `REGISTER sip:${REALM} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bKabc\r\nFrom: <sip:alice@${REALM}>;tag=1\r\nTo: <sip:alice@${REALM}>\r\nCall-ID: x1\r\nCSeq: 2 REGISTER\r\nAuthorization: Digest username="bob", realm="elsewhere"\r\nAuthorization: ${value}\r\nContent-Length: 0\r\n\r\n`;
    const parsed = parseSipMessage(Buffer.from(raw));
    if (!parsed.ok) throw parsed.error;
    const found = findDigestCredentials(parsed.value as SipRequest, REALM);
    expect(found.kind).toBe('found');
    if (found.kind === 'found') expect(verify(auth, found.credentials).ok).toBe(true);
  });

  it('tells missing credentials from broken ones', () => {
    const request = (auth: string) => {
      const parsed = parseSipMessage(Buffer.from(`REGISTER sip:${REALM} SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKx\r\nFrom: <sip:a@${REALM}>;tag=1\r\nTo: <sip:a@${REALM}>\r\nCall-ID: y\r\nCSeq: 1 REGISTER\r\n${auth}Content-Length: 0\r\n\r\n`));
      if (!parsed.ok) throw parsed.error;
      return parsed.value as SipRequest;
    };
    expect(findDigestCredentials(request(''), REALM).kind).toBe('none');
    expect(findDigestCredentials(request('Authorization: Bearer abc\r\n'), REALM).kind).toBe('none');
    expect(findDigestCredentials(request(`Authorization: Digest username="a", realm="${REALM}"\r\n`), REALM).kind).toBe('malformed');
    expect(readDigestCredentials(parseAuth('Basic dXNlcjpwYXNz'))).toBeUndefined();
  });
});
