import { silentLogger } from '@legwork/common';
import type { Leg } from '../legs/leg';
import { CallControlError } from './call-control.errors';
import { CallRecording } from './call-recording';
import type { CallNegotiation } from './call-negotiation';
import { RecordingAnchor } from './recording-anchor';

/** A bypass leg as far as starting a recording reads it: answered, its own id and account, no rtpengine anchor. */
const bypassLeg = (callId: string, extra: Partial<Leg> = {}): Leg => ({ callId, state: 'answered', ended: false, ringing: false, init: { accountId: 'acct1' }, media: { mode: 'bypass' }, ...extra }) as unknown as Leg;

const rejection = async (p: Promise<unknown>): Promise<CallControlError> => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  if (!(err instanceof CallControlError)) throw new Error(`expected a CallControlError, got ${String(err)}`);
  return err;
};

describe('CallRecording.start on a bypass call', () => {
  const opts = { dir: '/nonexistent-recordings', listenAddress: '127.0.0.1' };

  it('a second start while the first is still anchoring is invalid_state recording, and anchors nothing', async () => {
    let anchored = 0;
    let finish: (err: Error) => void = () => undefined;
    const rec = new CallRecording(opts, silentLogger, () => {
      anchored += 1;
      return new Promise<void>((_, reject) => (finish = reject));
    });
    const first = rec.start(bypassLeg('a'), bypassLeg('b'));
    const second = await rejection(rec.start(bypassLeg('a'), bypassLeg('b')));
    expect({ code: second.code, state: second.state, message: second.message }).toEqual({ code: 'invalid_state', state: 'recording', message: 'call a is already being recorded' });
    finish(new CallControlError('recording_disabled', 'refused', 'answered'));
    expect((await rejection(first)).code).toBe('recording_disabled');
    expect(anchored).toBe(1);
    // a refused anchoring leaves the recording idle: it may be asked again
    expect(rec.state).toBe('idle');
    const again = rec.start(bypassLeg('a'), bypassLeg('b'));
    finish(new CallControlError('recording_disabled', 'refused again', 'answered'));
    expect((await rejection(again)).message).toBe('refused again');
    expect(anchored).toBe(2);
  });

  it('without RECORDING_DIR nothing is anchored: recording_disabled at once', async () => {
    let anchored = 0;
    const rec = new CallRecording(undefined, silentLogger, async () => void (anchored += 1));
    expect((await rejection(rec.start(bypassLeg('a'), bypassLeg('b')))).message).toBe('recording is not configured on this media node');
    expect(anchored).toBe(0);
  });
});

describe('RecordingAnchor preconditions', () => {
  const negotiation = { run: () => Promise.reject(new Error('nothing may be negotiated')) } as unknown as CallNegotiation;
  const call = { negotiation, useMedia: () => undefined };

  it('no rtpengine on the node: recording_disabled saying so', async () => {
    const err = await rejection(new RecordingAnchor(call, {}, silentLogger).anchor(bypassLeg('a'), bypassLeg('b')));
    expect({ code: err.code, message: err.message }).toEqual({ code: 'recording_disabled', message: 'the media of call a bypasses rtpengine and this media node has none to anchor it on' });
  });

  it('a peer still ringing, or no session known, is recording_disabled without a re-INVITE', async () => {
    const rtpengine = {} as never;
    const anchor = new RecordingAnchor(call, { rtpengine }, silentLogger);
    expect((await rejection(anchor.anchor(bypassLeg('a'), bypassLeg('b', { ringing: true } as Partial<Leg>)))).message).toBe('call a has no answered party to record with');
    expect((await rejection(anchor.anchor(bypassLeg('a'), undefined))).message).toBe('call a has no answered party to record with');
    const withDialog = { dialog: {} } as Partial<Leg>;
    expect((await rejection(anchor.anchor(bypassLeg('a', withDialog), bypassLeg('b', withDialog)))).message).toBe('call a has no session known on both sides to anchor');
  });
});
