import { advance, useSipFakeTimers } from '../transaction/transaction.test-helpers';
import type { IncomingInvite } from './incoming-invite';
import { ANSWER, stackPair } from './ua.test-helpers';

describe('SipStack requests it sends', () => {
  beforeEach(useSipFakeTimers);
  afterEach(() => jest.useRealTimers());

  it('never puts URI headers in a Request-URI (RFC 3261 §19.1.5)', async () => {
    const { bob, callBob } = stackPair();
    const got: IncomingInvite[] = [];
    bob.onRequest('INVITE', (inv) => {
      got.push(inv);
      return inv.accept({ body: ANSWER }).then(() => undefined);
    });
    const outcome = await callBob({ uri: 'sip:bob@127.0.0.1:5061;ob?Route=%3Csip:evil@127.0.0.9;lr%3E&Subject=x' }).final;
    await advance(1);
    expect(outcome.kind).toBe('accepted');
    expect(got.map((inv) => [inv.request.uri, inv.request.headers.getAll('route'), inv.request.headers.get('subject')])).toEqual([['sip:bob@127.0.0.1:5061;ob', [], undefined]]);
  });
});

describe('SipStack capabilities on INVITEs and their 2xx', () => {
  beforeEach(useSipFakeTimers);
  afterEach(() => jest.useRealTimers());

  const allowOf = (value: string | undefined): string[] => (value ?? '').split(',').map((m) => m.trim());

  it('puts Allow and Supported on the INVITE and its 2xx, and Allow on a re-INVITE', async () => {
    const { bob, callBob, network } = stackPair();
    bob.onRequest('INVITE', (inv) => inv.accept({ body: ANSWER }).then(() => undefined));
    const outcome = await callBob().final;
    if (outcome.kind !== 'accepted') throw new Error(outcome.kind);
    await advance(1);
    const [invite] = network.packets((p) => p.message.kind === 'request' && p.message.method === 'INVITE').map((p) => p.message);
    for (const message of [invite, outcome.response]) {
      expect(allowOf(message?.headers.get('allow'))).toEqual(expect.arrayContaining(['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'PRACK', 'UPDATE']));
      expect(message?.headers.get('supported')).toBe('100rel, timer');
    }
    await outcome.dialog.reinvite({ body: ANSWER }).catch(() => undefined);
    const reinvite = network.packets((p) => p.message.kind === 'request' && p.message.method === 'INVITE')[1]?.message;
    expect(allowOf(reinvite?.headers.get('allow'))).toContain('UPDATE');
  });
});
