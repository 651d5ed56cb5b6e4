import type { Dialog } from '../dialog/dialog';
import type { SipRequest } from '../message/sip-message';
import { advance, useSipFakeTimers } from '../transaction/transaction.test-helpers';
import { ANSWER, OFFER, stackPair } from './ua.test-helpers';

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

describe('SipStack dialogs', () => {
  beforeEach(useSipFakeTimers);
  afterEach(() => jest.useRealTimers());

  it('re-INVITE with the offer in the INVITE', async () => {
    const { aliceDialog, bobDialog } = await connected();
    const seen: string[] = [];
    bobDialog.onRequest('INVITE', async (inv) => {
      seen.push(inv.request.body.toString());
      await inv.accept({ body: ANSWER });
    });
    const response = await aliceDialog.reinvite({ body: OFFER });
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe(ANSWER);
    expect(seen).toEqual([OFFER]);
    expect(aliceDialog.localSeq).toBe(2);
  });

  it('fails a re-INVITE queued behind another with sip_no_dialog when the dialog ends, and never sends it', async () => {
    const { aliceDialog, bobDialog } = await connected();
    const seen: string[] = [];
    let answer: (() => void) | undefined;
    bobDialog.onRequest('INVITE', (inv) => {
      seen.push(inv.request.body.toString());
      answer = () => void inv.accept({ body: ANSWER });
    });
    const first = aliceDialog.reinvite({ body: OFFER });
    await advance(1);
    const queued = aliceDialog.reinvite({ body: `${OFFER}a=queued\r\n` });
    first.catch(() => undefined);
    aliceDialog.terminate('bye_sent');
    await expect(queued).rejects.toMatchObject({ code: 'sip_no_dialog' });
    answer?.();
    await advance(100);
    expect(seen).toEqual([OFFER]);
  });

  it('offerless re-INVITE: offer in the 2xx, answer in the ACK', async () => {
    const { aliceDialog, bobDialog } = await connected();
    let ack: Promise<SipRequest | undefined> | undefined;
    bobDialog.onRequest('INVITE', (inv) => {
      ack = inv.accept({ body: OFFER }).then(() => inv.ack);
    });
    const response = await aliceDialog.reinvite({ answer: (r) => (r.body.toString() === OFFER ? ANSWER : undefined) });
    expect(response.body.toString()).toBe(OFFER);
    await advance(1);
    const received = await ack!;
    expect(received?.body.toString()).toBe(ANSWER);
    expect(received?.headers.get('content-type')).toBe('application/sdp');
  });

  it('carries INFO, UPDATE, REFER, NOTIFY, OPTIONS and MESSAGE in the dialog with rising CSeq', async () => {
    const { aliceDialog, bobDialog } = await connected();
    const got: Array<[string, number]> = [];
    bobDialog.onRequest('*', async (req) => {
      got.push([req.request.method, req.request.cseq?.seq ?? 0]);
      await req.reply(req.request.method === 'REFER' ? 202 : 200);
    });
    const statuses: number[] = [];
    for (const method of ['INFO', 'UPDATE', 'REFER', 'NOTIFY', 'OPTIONS', 'MESSAGE']) {
      statuses.push((await aliceDialog.request(method, { headers: [['Event', 'refer']] })).status);
    }
    expect(statuses).toEqual([200, 200, 202, 200, 200, 200]);
    expect(got).toEqual([['INFO', 2], ['UPDATE', 3], ['REFER', 4], ['NOTIFY', 5], ['OPTIONS', 6], ['MESSAGE', 7]]);
    expect(bobDialog.remoteSeq).toBe(7);
  });

  it('answers in-dialog requests without a handler by default', async () => {
    const { aliceDialog } = await connected();
    expect((await aliceDialog.request('INFO')).status).toBe(200);
    expect((await aliceDialog.request('REFER')).status).toBe(405);
    // a changed session (new o= version) needs an application; the unchanged one is a refresh, answered at once
    expect((await aliceDialog.reinvite({ body: OFFER.replace('o=alice 1 1', 'o=alice 1 2') })).status).toBe(488);
    const refresh = await aliceDialog.reinvite({ body: OFFER });
    expect([refresh.status, refresh.body.toString()]).toEqual([200, ANSWER]);
  });

  it('rejects a lower remote CSeq with 500 and an unknown dialog with 481', async () => {
    const { aliceDialog, bobDialog, peer } = await connected();
    const stale = aliceDialog.createRequest('INFO', {}, 0);
    stale.headers.set('Via', `SIP/2.0/UDP ${peer.address};branch=z9hG4bKstale`);
    await peer.send(stale, '127.0.0.1:5061');
    const unknown = peer.buildRequest('INFO', '127.0.0.1:5061', { toTag: 'nope' });
    await peer.send(unknown, '127.0.0.1:5061');
    await advance(1);
    expect(peer.responses().map((r) => [r.cseq?.method, r.status])).toEqual([
      ['INFO', 500],
      ['INFO', 481],
    ]);
    expect(bobDialog.state).toBe('confirmed');
  });

  it('builds the route set from Record-Route: the UAC reverses it, the UAS keeps its order', async () => {
    const { alice, bob, peer, callPeer } = stackPair();
    const call = callPeer();
    await advance(1);
    const invite = peer.requests('INVITE')[0];
    await peer.respond(invite, 200, { toTag: 'p1', body: ANSWER, headers: [['Record-Route', '<sip:far.example.com;lr>, <sip:127.0.0.1:5080;lr>']] });
    const outcome = await call.final;
    if (outcome.kind !== 'accepted') throw new Error(outcome.kind);
    await advance(1);
    const [ack] = peer.requests('ACK');
    expect(ack.headers.getAll('route')).toEqual(['<sip:127.0.0.1:5080;lr>', '<sip:far.example.com;lr>']);
    expect(ack.uri).toBe('sip:peer@127.0.0.1:5080');
    expect(outcome.dialog.routeSet).toEqual(['<sip:127.0.0.1:5080;lr>', '<sip:far.example.com;lr>']);

    let bobDialog: Dialog | undefined;
    bob.onRequest('INVITE', async (inv) => {
      bobDialog = await inv.accept({ body: ANSWER });
    });
    const inbound = peer.buildRequest('INVITE', '127.0.0.1:5061', { body: OFFER, headers: [['Record-Route', '<sip:127.0.0.1:5080;lr>'], ['Record-Route', '<sip:far.example.com;lr>']] });
    await peer.send(inbound, '127.0.0.1:5061');
    await advance(1);
    const ok = peer.responses(200).find((r) => r.cseq?.method === 'INVITE' && r.callId === inbound.callId)!;
    expect(ok.headers.getAll('record-route')).toEqual(['<sip:127.0.0.1:5080;lr>', '<sip:far.example.com;lr>']);
    const ack2 = peer.buildRequest('ACK', '127.0.0.1:5061', { callId: inbound.callId, toTag: ok.toTag });
    await peer.send(ack2, '127.0.0.1:5061');
    await advance(1);
    expect(bobDialog?.routeSet).toEqual(['<sip:127.0.0.1:5080;lr>', '<sip:far.example.com;lr>']);
    void bobDialog!.bye().catch(() => undefined);
    await advance(1);
    const bye = peer.requests('BYE').at(-1)!;
    expect(bye.headers.getAll('route')).toEqual(['<sip:127.0.0.1:5080;lr>', '<sip:far.example.com;lr>']);
    await alice.close();
    await bob.close();
  });

  it('ACKs every forked 2xx and BYEs all but the first', async () => {
    const { peer, callPeer } = stackPair();
    const call = callPeer();
    await advance(1);
    const invite = peer.requests('INVITE')[0];
    await peer.respond(invite, 180, { toTag: 'f1' });
    await peer.respond(invite, 200, { toTag: 'f1', body: ANSWER });
    await peer.respond(invite, 200, { toTag: 'f2', body: ANSWER });
    await peer.respond(invite, 200, { toTag: 'f1', body: ANSWER });
    await advance(1);
    const outcome = await call.final;
    expect(outcome.kind === 'accepted' && outcome.dialog.remoteTag).toBe('f1');
    expect(peer.requests('ACK').map((a) => a.toTag)).toEqual(['f1', 'f2', 'f1']);
    const [first, , again] = peer.requests('ACK');
    expect(again.via?.branch).toBe(first.via?.branch);
    expect(peer.requests('BYE').map((b) => b.toTag)).toEqual(['f2']);
  });

  it('ACKs and BYEs a fork whose 2xx comes after the call was accepted, in the INVITE\'s identity', async () => {
    const { peer, callPeer } = stackPair();
    const call = callPeer();
    await advance(1);
    const invite = peer.requests('INVITE')[0];
    await peer.respond(invite, 200, { toTag: 'k1', body: ANSWER });
    const outcome = await call.final;
    expect(outcome.kind).toBe('accepted');
    await advance(1000);
    await peer.respond(invite, 200, { toTag: 'k2', body: ANSWER });
    await advance(1);
    const ack = peer.requests('ACK').find((a) => a.toTag === 'k2');
    const bye = peer.requests('BYE').find((b) => b.toTag === 'k2');
    for (const sent of [ack, bye]) {
      expect(sent?.callId).toBe(invite.callId);
      expect(sent?.headers.get('from')).toBe(invite.headers.get('from'));
      expect(sent?.uri).toBe('sip:peer@127.0.0.1:5080');
    }
    expect(ack?.cseq).toEqual({ seq: invite.cseq?.seq, method: 'ACK' });
    expect(bye?.cseq?.seq).toBe((invite.cseq?.seq ?? 0) + 1);
    expect(peer.requests('BYE').map((b) => b.toTag)).toEqual(['k2']);
  });

  it('ACKs and BYEs a 2xx that raced the CANCEL', async () => {
    const { peer, callPeer } = stackPair();
    const call = callPeer();
    await advance(1);
    const invite = peer.requests('INVITE')[0];
    await peer.respond(invite, 180, { toTag: 'r1' });
    await advance(1);
    call.cancel();
    await advance(1);
    expect(peer.requests('CANCEL')).toHaveLength(1);
    await peer.respond(invite, 200, { toTag: 'r1', body: ANSWER });
    await advance(1);
    const outcome = await call.final;
    expect(outcome.kind === 'cancelled' && outcome.response?.status).toBe(200);
    expect(peer.requests('ACK')).toHaveLength(1);
    expect(peer.requests('BYE')).toHaveLength(1);
  });

  it('re-ACKs a 2xx retransmitted after the INVITE transaction ended', async () => {
    const { peer, callPeer } = stackPair();
    const call = callPeer();
    await advance(1);
    const invite = peer.requests('INVITE')[0];
    await peer.respond(invite, 200, { toTag: 'late', body: ANSWER });
    await call.final;
    await advance(64 * 100 + 10);
    await peer.respond(invite, 200, { toTag: 'late', body: ANSWER });
    await advance(1);
    expect(peer.requests('ACK')).toHaveLength(2);
  });
});
