import type { Dialog } from '../dialog/dialog';
import type { SessionAnswer, SessionOffer } from '../dialog/dialog.types';
import type { SipRequest, SipResponse } from '../message/sip-message';
import { advance, useSipFakeTimers } from '../transaction/transaction.test-helpers';
import { ANSWER, OFFER, stackPair } from './ua.test-helpers';

const HOLD = OFFER.replace('o=alice 1 1', 'o=alice 1 2').replace('m=audio 4000 RTP/AVP 0\r\n', 'm=audio 4000 RTP/AVP 0\r\na=sendonly\r\n');
const HELD = ANSWER.replace('o=bob 1 1', 'o=bob 1 2').replace('m=audio 5000 RTP/AVP 0\r\n', 'm=audio 5000 RTP/AVP 0\r\na=recvonly\r\n');

async function connected() {
  const pair = stackPair();
  let bobDialog: Dialog | undefined;
  pair.bob.onRequest('INVITE', async (inv) => {
    bobDialog = await inv.accept({ body: ANSWER });
  });
  const outcome = await pair.callBob().final;
  if (outcome.kind !== 'accepted') throw new Error(outcome.kind);
  await advance(1);
  return { ...pair, aliceDialog: outcome.dialog, bobDialog: bobDialog! };
}

const inviteRequests = (network: ReturnType<typeof stackPair>['network'], toPort: number): SipRequest[] =>
  network.packets((p) => p.message.kind === 'request' && p.message.method === 'INVITE' && p.to === `127.0.0.1:${toPort}`).map((p) => p.message as SipRequest);

describe('SipStack: the peer changes the session (re-INVITE, UPDATE) and a session handler answers', () => {
  beforeEach(useSipFakeTimers);
  afterEach(() => jest.useRealTimers());

  it('relays a changed re-INVITE to the handler and answers with its SDP, never 488', async () => {
    const { aliceDialog, bobDialog } = await connected();
    const offers: SessionOffer[] = [];
    bobDialog.onSessionChange({ offer: async (offer) => (offers.push(offer), { kind: 'answer', sdp: HELD }) });
    const response = await aliceDialog.reinvite({ body: HOLD });
    expect([response.status, response.body.toString()]).toEqual([200, HELD]);
    expect(offers).toEqual([{ method: 'INVITE', sdp: HOLD }]);
    await advance(1);
    expect([bobDialog.remoteSdp, bobDialog.localSdp]).toEqual([HOLD, HELD]);
    // the refresh of the new session is answered at once, without the handler
    const refresh = await aliceDialog.reinvite({ body: HOLD });
    expect([refresh.status, refresh.body.toString(), offers.length]).toEqual([200, HELD, 1]);
  });

  it('answers an UPDATE carrying a changed offer with the answer in its 200, and one the handler refuses with its status', async () => {
    const { aliceDialog, bobDialog } = await connected();
    let verdict: SessionAnswer = { kind: 'answer', sdp: HELD };
    bobDialog.onSessionChange({ offer: async () => verdict });
    const updated = await aliceDialog.request('UPDATE', { body: HOLD });
    expect([updated.status, updated.body.toString(), updated.headers.get('content-type')]).toEqual([200, HELD, 'application/sdp']);
    expect(aliceDialog.remoteSdp).toBe(HELD);
    verdict = { kind: 'refuse', status: 488 };
    const refused = await aliceDialog.request('UPDATE', { body: HOLD.replace('o=alice 1 2', 'o=alice 1 3') });
    expect([refused.status, refused.body.length]).toEqual([488, 0]);
  });

  it('offers the SDP in force to an offerless re-INVITE and hands the changed answer of the ACK to the handler', async () => {
    const { aliceDialog, bobDialog } = await connected();
    const answered: string[] = [];
    bobDialog.onSessionChange({ offer: async () => ({ kind: 'refuse', status: 488 }), answered: (sdp) => void answered.push(sdp) });
    const response = await aliceDialog.reinvite({ answer: () => HOLD });
    expect([response.status, response.body.toString()]).toEqual([200, ANSWER]);
    await advance(1);
    expect(answered).toEqual([HOLD]);
    // the same answer again changes nothing
    await aliceDialog.reinvite({ answer: () => HOLD });
    await advance(1);
    expect(answered).toEqual([HOLD]);
  });

  it('while an offer is being answered: a second one gets 500 with Retry-After, and our own re-INVITE waits for the ACK', async () => {
    const { aliceDialog, bobDialog, network, peer } = await connected();
    let release: (answer: SessionAnswer) => void = () => undefined;
    bobDialog.onSessionChange({ offer: () => new Promise<SessionAnswer>((resolve) => (release = resolve)) });
    aliceDialog.onSessionChange({ offer: async () => ({ kind: 'answer', sdp: HOLD }) });
    const aliceReinvite = aliceDialog.reinvite({ body: HOLD });
    await advance(1);
    // a second offer in the same dialog while the first is unanswered
    const second = aliceDialog.createRequest('INVITE', { body: HOLD.replace('o=alice 1 2', 'o=alice 1 3') });
    second.headers.set('Via', `SIP/2.0/UDP ${peer.address};branch=z9hG4bKsecond`);
    await peer.send(second, '127.0.0.1:5061');
    await advance(1);
    const busy = peer.responses().find((r: SipResponse) => r.cseq?.method === 'INVITE');
    expect([busy?.status, busy?.headers.get('retry-after')]).toEqual([500, '1']);
    // Bob's own re-INVITE is queued, not sent, so it cannot collide with Alice's
    const bobReinvite = bobDialog.reinvite({ body: ANSWER.replace('o=bob 1 1', 'o=bob 1 5') });
    await advance(50);
    expect(inviteRequests(network, 5060)).toHaveLength(0);
    release({ kind: 'answer', sdp: HELD });
    expect((await aliceReinvite).status).toBe(200);
    expect((await bobReinvite).status).toBe(200);
    expect(inviteRequests(network, 5060)).toHaveLength(1);
  });

  it('queues our own re-INVITEs one after another, and answers 491 only to a re-INVITE that crosses one already sent', async () => {
    const { aliceDialog, bobDialog, network, peer } = await connected();
    let answerNow: (answer: SessionAnswer) => void = () => undefined;
    bobDialog.onSessionChange({ offer: () => new Promise<SessionAnswer>((resolve) => (answerNow = resolve)) });
    const first = aliceDialog.reinvite({ body: HOLD });
    const second = aliceDialog.reinvite({ body: OFFER.replace('o=alice 1 1', 'o=alice 1 3') });
    await advance(1);
    expect(inviteRequests(network, 5061)).toHaveLength(2);
    expect(aliceDialog.invites.queued).toBe(1);
    // a re-INVITE from Bob's side crosses Alice's first one, which is out: glare
    const crossing = bobDialog.createRequest('INVITE', { body: ANSWER.replace('o=bob 1 1', 'o=bob 1 9') });
    crossing.headers.set('Via', `SIP/2.0/UDP ${peer.address};branch=z9hG4bKcrossing`);
    await peer.send(crossing, '127.0.0.1:5060');
    await advance(1);
    expect(peer.responses().filter((r) => r.cseq?.method === 'INVITE').map((r) => r.status)).toEqual([491]);
    answerNow({ kind: 'answer', sdp: HELD });
    expect((await first).status).toBe(200);
    await advance(1);
    answerNow({ kind: 'answer', sdp: ANSWER.replace('o=bob 1 1', 'o=bob 1 3') });
    expect((await second).status).toBe(200);
    // initial INVITE, then the two re-INVITEs, each sent only after the one before was answered
    expect(inviteRequests(network, 5061).map((r) => r.cseq?.seq)).toEqual([1, 2, 3]);
  });
});
