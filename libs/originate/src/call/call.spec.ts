import { silentLogger } from '@legwork/common';
import type { Leg } from '../legs/leg';
import { Call, type CallHost } from './call';

// these calls never receive a REFER: an attended transfer asked of them is a test bug
const host: CallHost = { track: () => undefined, attendedTransfer: () => Promise.reject(new Error('no attended transfer in this test')) };

describe('Call', () => {
  it('keeps the earliest duration limit: a joining request can shorten the call, never extend it', () => {
    jest.useFakeTimers();
    try {
      const call = new Call('c-1', host, silentLogger);
      const hangup = jest.spyOn(call, 'hangup');
      call.limitDuration(60);
      call.limitDuration(14_400);
      jest.advanceTimersByTime(60_000);
      expect(hangup).toHaveBeenCalledWith('ALLOTTED_TIMEOUT');
    } finally {
      jest.useRealTimers();
    }
  });

  it('is over once it had nothing to do and no leg: done resolves and its state is ended', async () => {
    const call = new Call('c-2', host, silentLogger);
    call.keep(Promise.resolve());
    await call.done;
    expect(call.state()).toBe('ended');
  });

  it('cancels a ringing leg it adopts after being hung up (a caller gone before its targets ring), and only a ringing one', async () => {
    const call = new Call('c-3', host, silentLogger);
    await call.hangup('ORIGINATOR_CANCEL');
    const leg = (ringing: boolean) => ({ callId: `l-${String(ringing)}`, ringing, ended: false, attach: jest.fn(), cancel: jest.fn(), done: Promise.resolve() }) as unknown as Leg & { cancel: jest.Mock };
    const late = call.adopt(leg(true)) as Leg & { cancel: jest.Mock };
    const answered = call.adopt(leg(false)) as Leg & { cancel: jest.Mock };
    expect(late.cancel).toHaveBeenCalledWith('ORIGINATOR_CANCEL');
    expect(answered.cancel).not.toHaveBeenCalled();
  });

  it('tells its host once it is over, and done still resolves when asked for only afterwards', async () => {
    const closed = jest.fn();
    const call = new Call('c-4', { ...host, closed }, silentLogger);
    call.keep(Promise.resolve());
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toHaveBeenCalledWith(call);
    await expect(call.done).resolves.toBeUndefined();
  });

  it('has its host let go of a leg that ended (a leg handed to another call is untracked by that one)', () => {
    const untrack = jest.fn();
    const call = new Call('c-5', { ...host, untrack }, silentLogger);
    const leg = { callId: 'l-1', ringing: false, ended: true, attach: jest.fn(), done: Promise.resolve() } as unknown as Leg;
    call.adopt(leg);
    call.signal(leg, 'ended');
    expect(untrack).toHaveBeenCalledWith(leg, call);
  });
});
