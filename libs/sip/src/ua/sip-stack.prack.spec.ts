import type { Dialog } from '../dialog/dialog';
import type { SipResponse } from '../message/sip-message';
import { TEST_TIMERS, advance, intervals, useSipFakeTimers } from '../transaction/transaction.test-helpers';
import type { IncomingInvite } from './incoming-invite';
import { ANSWER, OFFER, stackPair } from './ua.test-helpers';

const BOB = '127.0.0.1:5061';
const T1 = TEST_TIMERS.T1;
const reliable = (rseq: number): Array<[string, string]> => [['Require', '100rel'], ['RSeq', String(rseq)], ['Contact', '<sip:peer@127.0.0.1:5080>']];

describe('RFC 3262 reliable provisionals: our UAS', () => {
  beforeEach(useSipFakeTimers);
  afterEach(() => jest.useRealTimers());

  /** An INVITE from the raw peer to Bob; resolves with Bob's IncomingInvite. */
  async function inviteBob(headers: Array<[string, string]>, onInvite: (inv: IncomingInvite) => void) {
    const pair = stackPair();
    pair.bob.onRequest('INVITE', onInvite);
    const invite = pair.peer.buildRequest('INVITE', BOB, { body: OFFER, headers });
    await pair.peer.send(invite, BOB);
    await advance(1);
    return { ...pair, invite };
  }

  const prackFor = (peer: ReturnType<typeof stackPair>['peer'], provisional: SipResponse, rack: string, cseq = 2) =>
    peer.buildRequest('PRACK', BOB, { callId: provisional.callId, toTag: provisional.toTag, cseq, headers: [['RAck', rack]] });

  it('sends a 183 with SDP reliably to an INVITE that supports 100rel, retransmits it from T1 doubling, and holds the 2xx until the PRACK', async () => {
    let accepted: Promise<Dialog> | undefined;
    const { peer, network, invite } = await inviteBob([['Supported', '100rel, timer']], (inv) => {
      void inv.progress(183, { body: ANSWER }).then(() => {
        accepted = inv.accept({ body: ANSWER });
      });
    });
    await advance(3 * T1 + 10);
    const sent = network.packets((p) => p.message.kind === 'response' && p.message.status === 183);
    expect(intervals(sent.map((p) => p.at))).toEqual([T1, 2 * T1]);
    const [first] = peer.responses(183);
    expect(first?.headers.get('require')).toBe('100rel');
    expect(first?.headers.get('contact')).toMatch(/^<sip:127\.0\.0\.1:5061>$/);
    const rseq = Number(first?.headers.get('rseq'));
    expect(rseq).toBeGreaterThan(0);
    expect(peer.responses(183).every((r) => r.headers.get('rseq') === String(rseq) && r.toTag === first?.toTag)).toBe(true);
    expect(peer.responses(200)).toEqual([]);

    await peer.send(prackFor(peer, first!, `${rseq + 1} 1 INVITE`), BOB);
    const prack = prackFor(peer, first!, `${rseq} 1 INVITE`, 3);
    await peer.send(prack, BOB);
    await advance(1);
    // a retransmitted PRACK (same transaction) gets the same 200 again from its transaction
    await peer.send(prack, BOB);
    await advance(1);
    expect(peer.responses().filter((r) => r.cseq?.method === 'PRACK').map((r) => r.status)).toEqual([481, 200, 200]);
    const ok = peer.responses(200).find((r) => r.cseq?.method === 'INVITE');
    expect(ok?.toTag).toBe(first?.toTag);
    await peer.send(peer.buildRequest('ACK', BOB, { callId: invite.callId, toTag: ok?.toTag }), BOB);
    await advance(64 * T1);
    expect(network.packets((p) => p.message.kind === 'response' && p.message.status === 183)).toHaveLength(sent.length);
    expect((await accepted!).state).toBe('confirmed');
  });

  it('sends every provisional reliably to an INVITE that requires 100rel, and gives up with 504 after 64*T1 without a PRACK', async () => {
    let incoming: IncomingInvite | undefined;
    const { peer, bob } = await inviteBob([['Require', '100rel']], (inv) => {
      incoming = inv;
      void inv.progress(180);
    });
    await advance(64 * T1 + 10);
    const ringing = peer.responses(180);
    // sent at 0, then T1, 3T1, 7T1, 15T1, 31T1, 63T1
    expect(ringing).toHaveLength(7);
    expect(ringing[0]?.headers.get('require')).toBe('100rel');
    expect(peer.responses(504).map((r) => r.cseq?.method)).toEqual(['INVITE']);
    await expect(incoming!.accept({ body: ANSWER })).rejects.toMatchObject({ code: 'sip_bad_request' });
    expect(bob.stats().dialogs).toBe(0);
  });

  it('sends provisionals unreliably when the INVITE does not name 100rel', async () => {
    const { peer } = await inviteBob([], (inv) => void inv.progress(183, { body: ANSWER }));
    await advance(10 * T1);
    expect(peer.responses(183)).toHaveLength(1);
    expect(peer.responses(183)[0]?.headers.get('rseq')).toBeUndefined();
  });

  it('answers a PRACK in no dialog with 481', async () => {
    const { peer } = stackPair();
    await peer.send(peer.buildRequest('PRACK', BOB, { toTag: 'none', cseq: 2, headers: [['RAck', '1 1 INVITE']] }), BOB);
    await advance(1);
    expect(peer.responses().map((r) => [r.cseq?.method, r.status])).toEqual([['PRACK', 481]]);
  });

  it('ends the INVITE with 487 when CANCELled while a reliable provisional waits for its PRACK', async () => {
    const { peer, bob, invite } = await inviteBob([['Require', '100rel']], (inv) => void inv.progress(180));
    await peer.send(peer.buildRequest('CANCEL', BOB, { callId: invite.callId, branch: invite.via?.branch }), BOB);
    await advance(1);
    expect(peer.responses(487)).toHaveLength(1);
    const before = peer.responses(180).length;
    await advance(64 * T1);
    expect(peer.responses(180)).toHaveLength(before);
    expect(bob.stats().dialogs).toBe(0);
  });
});

describe('RFC 3262 reliable provisionals: our UAC', () => {
  beforeEach(useSipFakeTimers);
  afterEach(() => jest.useRealTimers());

  it('offers 100rel with an offer, PRACKs each reliable provisional once in RSeq order in its early dialog, and completes the call', async () => {
    const { peer, callPeer } = stackPair();
    const call = callPeer();
    const provisionals: number[] = [];
    call.onProvisional((r) => provisionals.push(Number(r.headers.get('rseq'))));
    await advance(1);
    const invite = peer.requests('INVITE')[0]!;
    expect(invite.headers.get('supported')).toBe('100rel, timer');
    await peer.respond(invite, 183, { toTag: 'e1', body: ANSWER, headers: reliable(7) });
    await advance(1);
    // a retransmission of RSeq 7 and a gap (9) are discarded; 8 is next in order
    await peer.respond(invite, 183, { toTag: 'e1', body: ANSWER, headers: reliable(7) });
    await peer.respond(invite, 180, { toTag: 'e1', headers: reliable(9) });
    await peer.respond(invite, 180, { toTag: 'e1', headers: reliable(8) });
    await advance(1);
    const pracks = peer.requests('PRACK');
    expect(pracks.map((p) => [p.headers.get('rack'), p.cseq?.seq, p.toTag, p.uri])).toEqual([
      ['7 1 INVITE', 2, 'e1', 'sip:peer@127.0.0.1:5080'],
      ['8 1 INVITE', 3, 'e1', 'sip:peer@127.0.0.1:5080'],
    ]);
    for (const prack of pracks) await peer.respond(prack, 200);
    expect(provisionals).toEqual([7, 8]);
    await peer.respond(invite, 200, { toTag: 'e1', body: ANSWER });
    const outcome = await call.final;
    if (outcome.kind !== 'accepted') throw new Error(outcome.kind);
    await advance(1);
    expect(peer.requests('ACK')).toHaveLength(1);
    expect(outcome.dialog.state).toBe('confirmed');
    void outcome.dialog.bye();
    await advance(1);
    expect(peer.requests('BYE').map((b) => b.cseq?.seq)).toEqual([4]);
  });

  it('leaves 100rel out of an offerless INVITE (its 2xx must carry the offer) and ends early dialogs when the call fails', async () => {
    const { alice, peer, callPeer } = stackPair();
    const call = callPeer({ body: undefined });
    await advance(1);
    const invite = peer.requests('INVITE')[0]!;
    expect(invite.headers.get('supported')).toBe('timer');
    await peer.respond(invite, 180, { toTag: 'x1', headers: reliable(1) });
    await advance(1);
    expect(peer.requests('PRACK')).toHaveLength(1);
    expect(alice.stats().dialogs).toBe(1);
    await peer.respond(invite, 486, { toTag: 'x1' });
    expect((await call.final).kind).toBe('rejected');
    expect(alice.stats().dialogs).toBe(0);
  });
});
