import type { Dialog } from '../dialog/dialog';
import type { DialogTerminationReason } from '../dialog/dialog.types';
import type { SipRequest } from '../message/sip-message';
import { advance, useSipFakeTimers } from '../transaction/transaction.test-helpers';
import { ANSWER, OFFER, stackPair } from './ua.test-helpers';

const BOB = '127.0.0.1:5061';
/** RFC 4028's own figures: a 90 s interval (the Min-SE floor), refreshed at 45 s, given up at 90 - min(32, 30) = 60 s. */
const SESSION = { sessionTimer: { expires: 90, minSE: 90 } };
const S = 1000;

/** BYE transactions (UDP retransmissions counted once), by CSeq. */
const byes = (peer: ReturnType<typeof stackPair>['peer']): number[] => [...new Set(peer.requests('BYE').map((b) => b.cseq?.seq ?? 0))];

const requestsOf = (network: ReturnType<typeof stackPair>['network'], method: string): SipRequest[] =>
  network.packets((p) => p.message.kind === 'request' && p.message.method === method).map((p) => p.message as SipRequest);

describe('RFC 4028 session timers: our UAC', () => {
  beforeEach(useSipFakeTimers);
  afterEach(() => jest.useRealTimers());

  it('asks for Session-Expires and Min-SE, and answers 422 by asking again for the Min-SE it names', async () => {
    const { peer, callPeer } = stackPair('udp', SESSION);
    const call = callPeer();
    await advance(1);
    const [first] = peer.requests('INVITE');
    expect([first?.headers.get('supported'), first?.headers.get('session-expires'), first?.headers.get('min-se')]).toEqual(['100rel, timer', '90', '90']);
    await peer.respond(first!, 422, { toTag: 'small', headers: [['Min-SE', '300']] });
    await advance(1);
    const retry = peer.requests('INVITE')[1];
    expect([retry?.cseq?.seq, retry?.callId, retry?.fromTag, retry?.headers.get('session-expires'), retry?.headers.get('min-se')]).toEqual([2, first?.callId, first?.fromTag, '300', '300']);
    expect(peer.requests('ACK').map((a) => a.cseq?.seq)).toEqual([1]);
    await peer.respond(retry!, 200, { toTag: 'ok', body: ANSWER });
    expect((await call.final).kind).toBe('accepted');
  });

  it('refreshes at half the interval with UPDATE when the peer allows it; each answered refresh restarts both sides', async () => {
    const { bob, callBob, network } = stackPair('udp', SESSION);
    let bobDialog: Dialog | undefined;
    bob.onRequest('INVITE', async (inv) => {
      bobDialog = await inv.accept({ body: ANSWER });
    });
    const outcome = await callBob().final;
    if (outcome.kind !== 'accepted') throw new Error(outcome.kind);
    expect([outcome.response.headers.get('session-expires'), outcome.response.headers.get('require')]).toEqual(['90;refresher=uac', 'timer']);
    await advance(44 * S);
    expect(requestsOf(network, 'UPDATE')).toEqual([]);
    await advance(2 * S);
    expect(requestsOf(network, 'UPDATE').map((u) => u.headers.get('session-expires'))).toEqual(['90;refresher=uac']);
    await advance(45 * S);
    expect(requestsOf(network, 'UPDATE')).toHaveLength(2);
    expect(requestsOf(network, 'BYE')).toEqual([]);
    expect([outcome.dialog.state, bobDialog?.state]).toEqual(['confirmed', 'confirmed']);
  });

  it('re-offers the session description in force, unchanged, by re-INVITE when the peer does not allow UPDATE', async () => {
    const { peer, callPeer } = stackPair('udp', SESSION);
    const call = callPeer();
    await advance(1);
    const [invite] = peer.requests('INVITE');
    await peer.respond(invite!, 200, { toTag: 'ri', body: ANSWER, headers: [['Session-Expires', '90;refresher=uac'], ['Require', 'timer'], ['Allow', 'INVITE, ACK, BYE, CANCEL']] });
    expect((await call.final).kind).toBe('accepted');
    await advance(46 * S);
    const refresh = peer.requests('INVITE')[1];
    expect([refresh?.toTag, refresh?.body.toString(), refresh?.headers.get('session-expires')]).toEqual(['ri', OFFER, '90;refresher=uac']);
    await peer.respond(refresh!, 200, { toTag: 'ri', body: ANSWER, headers: [['Session-Expires', '90;refresher=uac'], ['Require', 'timer']] });
    await advance(1);
    expect(peer.requests('ACK').map((a) => a.cseq?.seq)).toEqual([1, 2]);
    expect(byes(peer)).toEqual([]);
  });

  it('sends BYE when the refresher stays silent, at the interval minus min(32 s, interval/3)', async () => {
    const { peer, callPeer } = stackPair('udp', SESSION);
    const call = callPeer();
    await advance(1);
    await peer.respond(peer.requests('INVITE')[0]!, 200, { toTag: 'quiet', body: ANSWER, headers: [['Session-Expires', '90;refresher=uas'], ['Require', 'timer']] });
    const outcome = await call.final;
    if (outcome.kind !== 'accepted') throw new Error(outcome.kind);
    const reasons: DialogTerminationReason[] = [];
    outcome.dialog.onTerminated((r) => reasons.push(r));
    await advance(59.9 * S);
    expect(byes(peer)).toEqual([]);
    expect(peer.requests('UPDATE')).toEqual([]);
    await advance(0.2 * S);
    expect(byes(peer)).toHaveLength(1);
    expect(reasons).toEqual(['session_expired']);
  });

  it('ends the session with BYE when its refresh goes unanswered', async () => {
    const { peer, callPeer } = stackPair('udp', SESSION);
    const call = callPeer();
    await advance(1);
    await peer.respond(peer.requests('INVITE')[0]!, 200, { toTag: 'deaf', body: ANSWER, headers: [['Session-Expires', '90;refresher=uac'], ['Require', 'timer'], ['Allow', 'INVITE, ACK, BYE, UPDATE']] });
    const outcome = await call.final;
    if (outcome.kind !== 'accepted') throw new Error(outcome.kind);
    const reasons: DialogTerminationReason[] = [];
    outcome.dialog.onTerminated((r) => reasons.push(r));
    await advance(61 * S);
    expect(peer.requests('UPDATE').length).toBeGreaterThan(0);
    expect(byes(peer)).toHaveLength(1);
    expect(reasons).toEqual(['session_expired']);
  });
});

describe('RFC 4028 session timers: our UAS', () => {
  beforeEach(useSipFakeTimers);
  afterEach(() => jest.useRealTimers());

  async function answeredInvite(headers: Array<[string, string]>) {
    const pair = stackPair('udp', SESSION);
    let bobDialog: Dialog | undefined;
    pair.bob.onRequest('INVITE', async (inv) => {
      bobDialog = await inv.accept({ body: ANSWER });
    });
    const invite = pair.peer.buildRequest('INVITE', BOB, { body: OFFER, headers });
    await pair.peer.send(invite, BOB);
    await advance(1);
    const ok = pair.peer.responses().find((r) => r.cseq?.method === 'INVITE' && r.status >= 200);
    if (ok?.status === 200) await pair.peer.send(pair.peer.buildRequest('ACK', BOB, { callId: invite.callId, toTag: ok.toTag }), BOB);
    await advance(1);
    return { ...pair, invite, ok, bobDialog: () => bobDialog };
  }

  it('answers a Session-Expires below its Min-SE with 422 naming it', async () => {
    const { ok } = await answeredInvite([['Supported', 'timer'], ['Session-Expires', '30']]);
    expect([ok?.status, ok?.headers.get('min-se')]).toEqual([422, '90']);
  });

  it('grants the asked interval to a UAC that supports timers, which then refreshes (refresher=uac, Require: timer)', async () => {
    const { ok, peer, bobDialog } = await answeredInvite([['Supported', 'timer'], ['Session-Expires', '120']]);
    expect([ok?.status, ok?.headers.get('session-expires'), ok?.headers.get('require')]).toEqual([200, '120;refresher=uac', 'timer']);
    await advance(80 * S);
    expect(byes(peer)).toEqual([]);
    await advance(10 * S);
    // 120 - min(32, 40) = 88 s without a refresh
    expect(byes(peer)).toHaveLength(1);
    expect(bobDialog()?.state).toBe('terminated');
  });

  it('refreshes itself toward a UAC without timer support (refresher=uas, no Require), re-offering its SDP unchanged', async () => {
    const { ok, peer } = await answeredInvite([['Session-Expires', '120']]);
    expect([ok?.status, ok?.headers.get('session-expires'), ok?.headers.get('require')]).toEqual([200, '120;refresher=uas', undefined]);
    await advance(61 * S);
    const refresh = peer.requests('INVITE')[0];
    expect([refresh?.body.toString(), refresh?.headers.get('session-expires')]).toEqual([ANSWER, '120;refresher=uac']);
  });

  it('answers an incoming refresh (the same SDP) at once with its own, and that refresh restarts the expiry timer', async () => {
    const { peer, invite, ok, bobDialog } = await answeredInvite([['Supported', 'timer'], ['Session-Expires', '90']]);
    await advance(40 * S);
    const refresh = peer.buildRequest('INVITE', BOB, { callId: invite.callId, toTag: ok?.toTag, cseq: 2, body: OFFER, headers: [['Supported', 'timer'], ['Session-Expires', '90;refresher=uac']] });
    await peer.send(refresh, BOB);
    await advance(1);
    const answered = peer.responses(200).find((r) => r.cseq?.seq === 2);
    expect([answered?.body.toString(), answered?.headers.get('session-expires')]).toEqual([ANSWER, '90;refresher=uac']);
    await peer.send(peer.buildRequest('ACK', BOB, { callId: invite.callId, toTag: ok?.toTag, cseq: 2 }), BOB);
    await advance(59 * S);
    expect(byes(peer)).toEqual([]);
    await advance(2 * S);
    expect(byes(peer)).toHaveLength(1);
    expect(bobDialog()?.state).toBe('terminated');
  });
});
