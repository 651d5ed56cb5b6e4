import { silentLogger } from '@legwork/common';
import { Call } from './call';

describe('Call', () => {
  it('keeps the earliest duration limit: a joining request can shorten the call, never extend it', () => {
    jest.useFakeTimers();
    try {
      const call = new Call('c-1', { track: () => undefined }, silentLogger);
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
    const call = new Call('c-2', { track: () => undefined }, silentLogger);
    call.keep(Promise.resolve());
    await call.done;
    expect(call.state()).toBe('ended');
  });
});
