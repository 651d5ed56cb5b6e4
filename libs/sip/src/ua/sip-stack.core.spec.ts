import type { Dialog } from '../dialog/dialog';
import { TEST_TIMERS, advance, intervals, useSipFakeTimers } from '../transaction/transaction.test-helpers';
import type { SipTransactionError } from '../transaction/transaction.errors';
import { ANSWER, OFFER, stackPair } from './ua.test-helpers';

const BOB = '127.0.0.1:5061';

describe('SipStack core', () => {
  beforeEach(useSipFakeTimers);
  afterEach(() => jest.useRealTimers());

  it('answers OPTIONS 200, unknown methods 501, known unhandled 405, stray BYE 481, with a To tag', async () => {
    const { peer } = stackPair();
    for (const method of ['OPTIONS', 'FOO', 'MESSAGE', 'BYE']) await peer.send(peer.buildRequest(method, BOB), BOB);
    await advance(1);
    const got = peer.responses().map((r) => [r.cseq?.method, r.status, r.toTag !== undefined]);
    expect(got).toEqual([
      ['OPTIONS', 200, true],
      ['FOO', 501, true],
      ['MESSAGE', 405, true],
      ['BYE', 481, true],
    ]);
    expect(peer.responses(405)[0].headers.get('allow')).toContain('INVITE');
  });

  it('dispatches out-of-dialog requests to handlers, with a "*" fallback, and 500 when a handler throws', async () => {
    const { bob, peer } = stackPair();
    bob.onRequest('MESSAGE', (req) => req.reply(202, { body: 'ok', contentType: 'text/plain' }));
    bob.onRequest('*', (req) => req.reply(req.request.method === 'SUBSCRIBE' ? 489 : 204));
    bob.onRequest('INFO', () => {
      throw new Error('boom');
    });
    for (const method of ['MESSAGE', 'SUBSCRIBE', 'PUBLISH', 'INFO']) await peer.send(peer.buildRequest(method, BOB), BOB);
    await advance(1);
    expect(peer.responses().map((r) => [r.cseq?.method, r.status])).toEqual([
      ['MESSAGE', 202],
      ['SUBSCRIBE', 489],
      ['PUBLISH', 204],
      ['INFO', 500],
    ]);
  });

  it('answers a CANCEL for an unknown transaction with 481', async () => {
    const { peer } = stackPair();
    await peer.send(peer.buildRequest('CANCEL', BOB), BOB);
    await advance(1);
    expect(peer.responses().map((r) => r.status)).toEqual([481]);
  });

  it('answers 400 to an INVITE without Contact and 483 when Max-Forwards is exhausted', async () => {
    const { bob, peer } = stackPair();
    bob.onRequest('INVITE', (inv) => inv.accept({ body: ANSWER }).then(() => undefined));
    await peer.send(peer.buildRequest('INVITE', BOB, { contact: false }), BOB);
    const hop = peer.buildRequest('MESSAGE', BOB);
    hop.headers.set('Max-Forwards', '0');
    await peer.send(hop, BOB);
    await advance(1);
    expect(peer.responses().map((r) => r.status)).toEqual([400, 483]);
  });

  it('retransmits the 2xx (T1 doubling to T2) until the ACK arrives', async () => {
    const { bob, peer, network } = stackPair();
    let accepted: Promise<Dialog> | undefined;
    bob.onRequest('INVITE', (inv) => {
      accepted = inv.accept({ body: ANSWER });
    });
    const invite = peer.buildRequest('INVITE', BOB, { body: OFFER });
    await peer.send(invite, BOB);
    await advance(1300);
    const sent = network.packets((p) => p.message.kind === 'response' && p.message.status === 200).map((p) => p.at);
    expect(intervals(sent)).toEqual([100, 200, 400, 400]);
    const ok = peer.responses(200)[0];
    await peer.send(peer.buildRequest('ACK', BOB, { callId: invite.callId, toTag: ok.toTag }), BOB);
    await advance(1);
    const dialog = await accepted!;
    expect(dialog.state).toBe('confirmed');
    await advance(2000);
    expect(network.packets((p) => p.message.kind === 'response' && p.message.status === 200)).toHaveLength(sent.length);
  });

  it('gives up without an ACK after 64*T1, rejects accept() and sends BYE', async () => {
    const { bob, peer } = stackPair();
    let accepted: Promise<Dialog> | undefined;
    bob.onRequest('INVITE', (inv) => {
      accepted = inv.accept({ body: ANSWER });
      accepted.catch(() => undefined);
    });
    await peer.send(peer.buildRequest('INVITE', BOB, { body: OFFER }), BOB);
    await advance(64 * TEST_TIMERS.T1 + 10);
    await expect(accepted!).rejects.toMatchObject({ code: 'sip_no_ack' });
    expect(peer.requests('BYE')).toHaveLength(1);
    expect(bob.stats().dialogs).toBe(0);
  });

  it('rejects request() with a timeout error and resolves it with the final response', async () => {
    const { alice } = stackPair();
    const ok = await alice.request({ method: 'OPTIONS', uri: 'sip:bob@127.0.0.1:5061', from: '<sip:alice@127.0.0.1>', to: '<sip:bob@127.0.0.1>' });
    expect(ok.status).toBe(200);
    const lost = alice.request({ method: 'MESSAGE', uri: 'sip:x@127.0.0.1:5999', from: '<sip:alice@127.0.0.1>', to: '<sip:x@127.0.0.1>', body: 'hi', contentType: 'text/plain' });
    lost.catch(() => undefined);
    await advance(64 * TEST_TIMERS.T1 + 1);
    await expect(lost).rejects.toMatchObject({ code: 'sip_timeout' } satisfies Partial<SipTransactionError>);
  });

  it('answers 503 after close and forgets dialogs', async () => {
    const { bob, peer } = stackPair();
    await bob.close();
    await peer.send(peer.buildRequest('OPTIONS', BOB), BOB);
    await advance(1);
    expect(peer.responses().map((r) => r.status)).toEqual([503]);
  });
});
