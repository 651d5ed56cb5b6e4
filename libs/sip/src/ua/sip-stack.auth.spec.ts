import { DigestAuthenticator } from '../auth/digest';
import { findDigestCredentials } from '../auth/digest-credentials';
import type { DigestAlgorithm } from '../auth/digest-hash';
import type { SipRequest } from '../message/sip-message';
import { advance, useSipFakeTimers } from '../transaction/transaction.test-helpers';
import type { IncomingRequest } from './incoming-request';
import type { SipStack } from './sip-stack';
import { ANSWER, stackPair } from './ua.test-helpers';

const REALM = 'carrier.example';
const USER = { username: 'trunk1', password: 's3cret-pass' };

/** A UAS that challenges every request without valid credentials (401, or 407 as a proxy would). */
function challenging(bob: SipStack, algorithm: DigestAlgorithm, status: 401 | 407 = 401) {
  const digest = new DigestAuthenticator({ secret: 'a-test-secret-of-32-characters!!', algorithms: [algorithm] });
  const header = status === 401 ? { challenge: 'WWW-Authenticate', answer: 'authorization' } : { challenge: 'Proxy-Authenticate', answer: 'proxy-authorization' };
  const seen: SipRequest[] = [];
  const verdict = (request: SipRequest): boolean => {
    const found = findDigestCredentials(request, REALM, header.answer);
    if (found.kind !== 'found') return false;
    return digest.verify({ credentials: found.credentials, method: request.method, realm: REALM, password: USER.password, requestUri: request.uri }).ok;
  };
  const challenge = (incoming: IncomingRequest): Promise<void> | undefined => {
    seen.push(incoming.request);
    if (verdict(incoming.request)) return undefined;
    return incoming.reply(status, { headers: digest.challenge(REALM).map((c): [string, string] => [header.challenge, c]) });
  };
  return { seen, challenge };
}

describe('SipStack UAC digest authentication', () => {
  beforeEach(useSipFakeTimers);
  afterEach(() => jest.useRealTimers());

  it.each(['MD5', 'SHA-256'] as const)('retries an INVITE once with Authorization (%s): same Call-ID and From tag, CSeq + 1, new branch', async (algorithm) => {
    const { bob, callBob, network } = stackPair();
    const uas = challenging(bob, algorithm);
    bob.onRequest('INVITE', async (inv) => {
      if (uas.challenge(inv) === undefined) await inv.accept({ body: ANSWER });
    });
    const call = callBob({ credentials: USER });
    await advance(1);
    const outcome = await call.final;
    expect(outcome.kind).toBe('accepted');
    const [first, second] = uas.seen;
    expect(uas.seen).toHaveLength(2);
    expect(second.callId).toBe(first.callId);
    expect(second.fromTag).toBe(first.fromTag);
    expect(second.cseq?.seq).toBe((first.cseq?.seq ?? 0) + 1);
    expect(second.via?.branch).not.toBe(first.via?.branch);
    expect(second.headers.get('Authorization')).toContain(`algorithm=${algorithm}`);
    expect(second.body.toString()).toBe(first.body.toString());
    if (outcome.kind !== 'accepted') return;
    // the dialog continues from the retried CSeq: the BYE goes out with CSeq 3
    await advance(1);
    const bye = outcome.dialog.bye();
    await advance(1);
    expect((await bye).status).toBe(200);
    const byes = network.packets((p) => p.message.kind === 'request' && p.message.method === 'BYE');
    expect(byes.map((p) => p.message.cseq?.seq)).toEqual([(second.cseq?.seq ?? 0) + 1]);
  });

  it('answers a 407 with Proxy-Authorization', async () => {
    const { bob, callBob } = stackPair();
    const uas = challenging(bob, 'SHA-256', 407);
    bob.onRequest('INVITE', async (inv) => {
      if (uas.challenge(inv) === undefined) await inv.accept({ body: ANSWER });
    });
    const call = callBob({ credentials: USER });
    await advance(1);
    expect((await call.final).kind).toBe('accepted');
    expect(uas.seen[1].headers.get('Proxy-Authorization')).toContain('username="trunk1"');
  });

  it('surfaces a second challenge (wrong password) as the final response', async () => {
    const { bob, callBob } = stackPair();
    const uas = challenging(bob, 'MD5');
    bob.onRequest('INVITE', async (inv) => {
      if (uas.challenge(inv) === undefined) await inv.accept({ body: ANSWER });
    });
    const call = callBob({ credentials: { username: USER.username, password: 'wrong' } });
    await advance(1);
    const outcome = await call.final;
    expect(outcome.kind === 'rejected' && outcome.response.status).toBe(401);
    expect(uas.seen).toHaveLength(2);
  });

  it('surfaces the challenge when no credentials are given, or they are for another realm', async () => {
    const { bob, callBob } = stackPair();
    const uas = challenging(bob, 'MD5');
    bob.onRequest('INVITE', async (inv) => {
      if (uas.challenge(inv) === undefined) await inv.accept({ body: ANSWER });
    });
    const plain = callBob();
    const otherRealm = callBob({ credentials: { ...USER, realm: 'elsewhere.example' } });
    await advance(1);
    expect((await plain.final).kind).toBe('rejected');
    expect((await otherRealm.final).kind).toBe('rejected');
    expect(uas.seen).toHaveLength(2);
  });

  it('CANCELs the retried INVITE (not the challenged one) once it rings', async () => {
    const { bob, callBob } = stackPair();
    const uas = challenging(bob, 'MD5');
    const cancelled: boolean[] = [];
    bob.onRequest('INVITE', async (inv) => {
      if (uas.challenge(inv) !== undefined) return;
      await inv.progress(180);
      inv.onCancel(() => cancelled.push(true));
    });
    const call = callBob({ credentials: USER });
    call.onProvisional(() => call.cancel());
    await advance(1);
    const outcome = await call.final;
    expect(outcome.kind === 'cancelled' && outcome.response?.status).toBe(487);
    expect(cancelled).toEqual([true]);
  });

  it.each(['MD5', 'SHA-256'] as const)('retries an out-of-dialog request once with credentials (%s)', async (algorithm) => {
    const { alice, bob } = stackPair();
    const uas = challenging(bob, algorithm);
    bob.onRequest('MESSAGE', async (req) => {
      if (uas.challenge(req) === undefined) await req.reply(202);
    });
    const sent = alice.request({ method: 'MESSAGE', uri: 'sip:bob@127.0.0.1:5061', from: '<sip:alice@127.0.0.1>', to: '<sip:bob@127.0.0.1>', body: 'hi', contentType: 'text/plain', credentials: USER });
    await advance(1);
    expect((await sent).status).toBe(202);
    expect(uas.seen.map((r) => r.cseq?.seq)).toEqual([1, 2]);
    expect(uas.seen[1].fromTag).toBe(uas.seen[0].fromTag);
    const refused = alice.request({ method: 'MESSAGE', uri: 'sip:bob@127.0.0.1:5061', from: '<sip:alice@127.0.0.1>', to: '<sip:bob@127.0.0.1>', body: 'hi', contentType: 'text/plain', credentials: { ...USER, password: 'nope' } });
    await advance(1);
    expect((await refused).status).toBe(401);
  });
});
