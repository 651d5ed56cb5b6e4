import type { Dialog } from '../dialog/dialog';
import { advance, useSipFakeTimers } from '../transaction/transaction.test-helpers';
import { SipStack } from './sip-stack';
import { ANSWER, OFFER, stackPair } from './ua.test-helpers';

const BOB = '127.0.0.1:5061';

/** The methods an Allow header names, upper-cased, in order. */
function allowOf(value: string | undefined): string[] {
  return (value ?? '').split(',').map((m) => m.trim().toUpperCase()).filter((m) => m.length > 0);
}

describe('SipStack request inspection (RFC 3261 §8.2)', () => {
  beforeEach(useSipFakeTimers);
  afterEach(() => jest.useRealTimers());

  it('answers an unsupported Require with 420 Bad Extension listing the unknown option-tags in Unsupported', async () => {
    const { bob, peer } = stackPair();
    bob.onRequest('INVITE', (inv) => inv.accept({ body: ANSWER }).then(() => undefined));
    await peer.send(peer.buildRequest('INVITE', BOB, { body: OFFER, headers: [['Require', 'foo, FOO'], ['Require', 'bar']] }), BOB);
    await peer.send(peer.buildRequest('OPTIONS', BOB, { headers: [['Require', 'nosuchext']] }), BOB);
    await advance(1);
    expect(peer.responses().map((r) => [r.cseq?.method, r.status, r.headers.get('unsupported')])).toEqual([
      ['INVITE', 420, 'foo, bar'],
      ['OPTIONS', 420, 'nosuchext'],
    ]);
  });

  it('takes a Require naming what it implements (100rel, timer) and lists those in Supported', async () => {
    const { bob, peer } = stackPair();
    bob.onRequest('MESSAGE', (req) => req.reply(200));
    await peer.send(peer.buildRequest('MESSAGE', BOB, { headers: [['Require', '100rel, timer']] }), BOB);
    await peer.send(peer.buildRequest('OPTIONS', BOB), BOB);
    await advance(1);
    expect(peer.responses().map((r) => [r.cseq?.method, r.status])).toEqual([
      ['MESSAGE', 200],
      ['OPTIONS', 200],
    ]);
    expect(peer.responses(200)[1]?.headers.get('supported')).toBe('100rel, timer');
  });

  it('never applies Require to CANCEL', async () => {
    const { peer } = stackPair();
    await peer.send(peer.buildRequest('CANCEL', BOB, { headers: [['Require', 'foo']] }), BOB);
    await advance(1);
    expect(peer.responses().map((r) => [r.cseq?.method, r.status])).toEqual([['CANCEL', 481]]);
  });

  it('lets a mounted handler bring its own option-tags (REGISTER: outbound, path)', async () => {
    const { network, peer } = stackPair();
    const registrar = new SipStack({ transport: network.createTransport({ port: 5090 }), extensions: { REGISTER: ['outbound', 'path'] } });
    registrar.onRequest('REGISTER', (req) => req.reply(200));
    await peer.send(peer.buildRequest('REGISTER', '127.0.0.1:5090', { headers: [['Require', 'outbound, path']] }), '127.0.0.1:5090');
    await peer.send(peer.buildRequest('MESSAGE', '127.0.0.1:5090', { headers: [['Require', 'outbound']] }), '127.0.0.1:5090');
    await advance(1);
    expect(peer.responses().map((r) => [r.cseq?.method, r.status])).toEqual([
      ['REGISTER', 200],
      ['MESSAGE', 420],
    ]);
  });

  it('answers a Request-URI of an unknown scheme with 416 (RFC 4475 §3.3.2 unkscm)', async () => {
    const { bob, peer } = stackPair();
    bob.onRequest('*', (req) => req.reply(200));
    const unknown = peer.buildRequest('OPTIONS', BOB);
    unknown.uri = 'nobodyKnowsThisScheme:totallyopaquecontent';
    const im = peer.buildRequest('MESSAGE', BOB);
    im.uri = 'im:user@example.org';
    await peer.send(unknown, BOB);
    await peer.send(im, BOB);
    await advance(1);
    expect(peer.responses().map((r) => [r.cseq?.method, r.status])).toEqual([
      ['OPTIONS', 416],
      ['MESSAGE', 416],
    ]);
  });

  it('lists the allowed methods in the Allow of a 405, never the refused one', async () => {
    const { peer } = stackPair();
    for (const method of ['MESSAGE', 'REFER', 'SUBSCRIBE']) await peer.send(peer.buildRequest(method, BOB), BOB);
    await peer.send(peer.buildRequest('OPTIONS', BOB), BOB);
    await advance(1);
    const refused = peer.responses(405);
    expect(refused.map((r) => r.cseq?.method)).toEqual(['MESSAGE', 'REFER', 'SUBSCRIBE']);
    for (const r of refused) {
      const allow = allowOf(r.headers.get('allow'));
      expect(allow).toEqual(expect.arrayContaining(['ACK', 'CANCEL', 'BYE', 'OPTIONS']));
      expect(allow).not.toContain(r.cseq?.method);
    }
    expect(allowOf(peer.responses(200)[0]?.headers.get('allow'))).toEqual(allowOf(refused[0]?.headers.get('allow')));
  });

  it('names the handled methods in the Allow of an in-dialog 405', async () => {
    const { bob, callBob } = stackPair();
    let bobDialog: Dialog | undefined;
    bob.onRequest('INVITE', async (inv) => {
      bobDialog = await inv.accept({ body: ANSWER });
    });
    const outcome = await callBob().final;
    if (outcome.kind !== 'accepted') throw new Error(outcome.kind);
    await advance(1);
    const refused = await outcome.dialog.request('REFER', { headers: [['Refer-To', '<sip:x@127.0.0.1>']] });
    expect(refused.status).toBe(405);
    const allow = allowOf(refused.headers.get('allow'));
    expect(allow).toEqual(expect.arrayContaining(['INVITE', 'ACK', 'BYE', 'UPDATE']));
    expect(allow).not.toContain('REFER');
    expect(bobDialog?.state).toBe('confirmed');
  });
});
