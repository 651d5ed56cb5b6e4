import type { Dialog } from '../dialog/dialog';
import { TEST_TIMERS, advance, useSipFakeTimers } from '../transaction/transaction.test-helpers';
import type { IncomingInvite } from './incoming-invite';
import { ANSWER, OFFER, stackPair } from './ua.test-helpers';

describe('SipStack calls', () => {
  beforeEach(useSipFakeTimers);
  afterEach(() => jest.useRealTimers());

  it('sets up a call (180, 200 with SDP, ACK) and tears it down with BYE from the caller', async () => {
    const { alice, bob, callBob, network } = stackPair();
    let bobDialog: Dialog | undefined;
    let incoming: IncomingInvite | undefined;
    bob.onRequest('INVITE', async (inv) => {
      incoming = inv;
      await inv.progress(180);
      bobDialog = await inv.accept({ body: ANSWER });
    });
    const call = callBob();
    const provisional: number[] = [];
    call.onProvisional((r) => provisional.push(r.status));
    await advance(1);
    const outcome = await call.final;
    expect(outcome.kind).toBe('accepted');
    if (outcome.kind !== 'accepted') return;
    expect(provisional).toEqual([180]);
    expect(outcome.response.body.toString()).toBe(ANSWER);
    expect(incoming?.request.body.toString()).toBe(OFFER);
    await advance(1);
    expect(bobDialog?.state).toBe('confirmed');
    expect(incoming?.ack?.method).toBe('ACK');
    expect(bobDialog?.remoteTag).toBe(outcome.dialog.localTag);
    expect(network.packets((p) => p.message.kind === 'response' && p.message.status === 100)).toHaveLength(0);
    const ended: string[] = [];
    bobDialog?.onTerminated((reason) => ended.push(reason));
    const byeResponse = await outcome.dialog.bye();
    expect(byeResponse.status).toBe(200);
    expect(ended).toEqual(['bye_received']);
    expect(alice.stats().dialogs).toBe(0);
    expect(bob.stats().dialogs).toBe(0);
    await advance(64 * TEST_TIMERS.T1 + TEST_TIMERS.D);
    expect(alice.stats()).toEqual({ clientTransactions: 0, serverTransactions: 0, dialogs: 0 });
    expect(bob.stats()).toEqual({ clientTransactions: 0, serverTransactions: 0, dialogs: 0 });
  });

  /** Alice calls Bob, Bob answers: both sides' dialogs. */
  async function answeredCall(): Promise<{ aliceDialog: Dialog; bobDialog: Dialog }> {
    const { bob, callBob } = stackPair();
    let bobDialog: Dialog | undefined;
    bob.onRequest('INVITE', async (inv) => {
      bobDialog = await inv.accept({ body: ANSWER });
    });
    const outcome = await callBob().final;
    if (outcome.kind !== 'accepted') throw new Error(outcome.kind);
    await advance(1);
    if (bobDialog === undefined) throw new Error('bob has no dialog');
    return { aliceDialog: outcome.dialog, bobDialog };
  }

  it('lets the callee hang up', async () => {
    const { aliceDialog, bobDialog } = await answeredCall();
    const reasons: string[] = [];
    aliceDialog.onTerminated((r) => reasons.push(r));
    const response = await bobDialog.bye();
    expect(response.status).toBe(200);
    expect(reasons).toEqual(['bye_received']);
  });

  it('takes a termination callback off when asked: only the ones still on run when the dialog ends', async () => {
    const { aliceDialog, bobDialog } = await answeredCall();
    const reasons: string[] = [];
    const off = aliceDialog.onTerminated((r) => reasons.push(`off ${r}`));
    aliceDialog.onTerminated((r) => reasons.push(r));
    off();
    await bobDialog.bye();
    expect(reasons).toEqual(['bye_received']);
    expect([aliceDialog.localSdp, aliceDialog.remoteSdp, bobDialog.localSdp, bobDialog.remoteSdp]).toEqual([OFFER, ANSWER, ANSWER, OFFER]);
  });

  it('sends 100 Trying when the application is slow', async () => {
    const { bob, callBob, network } = stackPair();
    bob.onRequest('INVITE', async (inv) => {
      await new Promise((r) => setTimeout(r, 1000));
      await inv.reject(486);
    });
    const call = callBob();
    await advance(1500);
    const outcome = await call.final;
    expect(outcome.kind === 'rejected' && outcome.response.status).toBe(486);
    expect(network.packets((p) => p.message.kind === 'response' && p.message.status === 100)).toHaveLength(1);
  });

  it('CANCELs a ringing call: 200 to CANCEL, 487 to INVITE, Reason carried, callee told', async () => {
    const { bob, callBob, network } = stackPair();
    let incoming: IncomingInvite | undefined;
    const cancelled: boolean[] = [];
    bob.onRequest('INVITE', async (inv) => {
      incoming = inv;
      inv.onCancel(() => cancelled.push(inv.cancelled));
      await inv.progress(180);
    });
    const call = callBob();
    await advance(1);
    call.cancel('SIP;cause=200;text="Call completed elsewhere"');
    await advance(1);
    const outcome = await call.final;
    expect(outcome.kind).toBe('cancelled');
    expect(outcome.kind === 'cancelled' && outcome.response?.status).toBe(487);
    expect(cancelled).toEqual([true]);
    expect(incoming?.cancelled).toBe(true);
    const cancel = network.packets((p) => p.message.kind === 'request' && p.message.method === 'CANCEL')[0].message;
    expect(cancel.headers.get('reason')).toBe('SIP;cause=200;text="Call completed elsewhere"');
    const cancelOk = network.packets((p) => p.message.kind === 'response' && p.message.cseq?.method === 'CANCEL');
    expect(cancelOk.map((p) => (p.message.kind === 'response' ? p.message.status : 0))).toEqual([200]);
    await expect(incoming!.accept({ body: ANSWER })).rejects.toMatchObject({ code: 'sip_bad_request' });
  });

  it('sends nothing when cancelled before the INVITE left', async () => {
    const { callBob, network } = stackPair();
    const call = callBob();
    call.cancel();
    await advance(10);
    expect((await call.final).kind).toBe('cancelled');
    expect(network.log).toHaveLength(0);
  });

  it('fails with a timeout when nobody answers (Timer B)', async () => {
    const { alice } = stackPair();
    const call = alice.invite({ uri: 'sip:nobody@127.0.0.1:5999', from: '<sip:alice@127.0.0.1>', to: '<sip:nobody@127.0.0.1>' });
    const failures: unknown[] = [];
    call.onFailure((f) => failures.push(f));
    await advance(64 * TEST_TIMERS.T1 + 1);
    const outcome = await call.final;
    expect(outcome.kind === 'failed' && outcome.error.code).toBe('sip_timeout');
    expect(failures).toHaveLength(1);
  });

  it('completes calls despite lost INVITE, 200, ACK and BYE (retransmissions on both sides)', async () => {
    const { bob, callBob, network } = stackPair();
    const dropped = new Set<string>();
    network.fate = (p) => {
      const m = p.message;
      const label = m.kind === 'request' ? m.method : `${m.status}/${m.cseq?.method}`;
      if (label === '100/INVITE' || dropped.has(label)) return 'deliver';
      dropped.add(label);
      return 'drop';
    };
    let accepted: Promise<Dialog> | undefined;
    bob.onRequest('INVITE', (inv) => {
      accepted = inv.accept({ body: ANSWER });
    });
    const call = callBob();
    await advance(2000);
    const outcome = await call.final;
    if (outcome.kind !== 'accepted') throw new Error(outcome.kind);
    const bobDialog = await accepted!;
    expect(bobDialog.state).toBe('confirmed');
    const bye = outcome.dialog.bye();
    await advance(2000);
    expect((await bye).status).toBe(200);
    expect(bobDialog.state).toBe('terminated');
    expect([...dropped].sort()).toEqual(['200/BYE', '200/INVITE', 'ACK', 'BYE', 'INVITE']);
  });

  it('survives duplicated packets', async () => {
    const { bob, callBob, network } = stackPair();
    network.fate = () => 'duplicate';
    const invites: number[] = [];
    bob.onRequest('INVITE', async (inv) => {
      invites.push(1);
      await inv.accept({ body: ANSWER });
    });
    const outcome = await callBob().final;
    if (outcome.kind !== 'accepted') throw new Error(outcome.kind);
    await advance(10);
    expect(invites).toHaveLength(1);
    expect((await outcome.dialog.bye()).status).toBe(200);
  });

  it('works over a reliable transport', async () => {
    const { bob, callBob, network } = stackPair('tcp');
    bob.onRequest('INVITE', async (inv) => {
      await inv.accept({ body: ANSWER });
    });
    const outcome = await callBob().final;
    if (outcome.kind !== 'accepted') throw new Error(outcome.kind);
    const contact = network.packets((p) => p.message.kind === 'request' && p.message.method === 'INVITE')[0].message.headers.get('contact');
    expect(contact).toContain('transport=tcp');
    await advance(3000);
    expect(network.packets((p) => p.message.kind === 'response' && p.message.status === 200)).toHaveLength(1);
    expect((await outcome.dialog.bye()).status).toBe(200);
  });

  it('ACKs without a body and hangs up when the answer to an offerless INVITE cannot be produced', async () => {
    const { bob, callBob, network } = stackPair();
    let bobDialog: Dialog | undefined;
    bob.onRequest('INVITE', async (inv) => {
      bobDialog = await inv.accept({ body: OFFER });
    });
    const outcome = await callBob({ body: undefined, answer: () => Promise.reject(new Error('no media')) }).final;
    expect(outcome.kind).toBe('accepted');
    await advance(10);
    const acks = network.packets((p) => p.message.kind === 'request' && p.message.method === 'ACK');
    expect(acks.map((p) => p.message.body.length)).toEqual([0]);
    expect(network.packets((p) => p.message.kind === 'request' && p.message.method === 'BYE')).toHaveLength(1);
    expect(bobDialog?.state).toBe('terminated');
  });
});
