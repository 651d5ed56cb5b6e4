import { InFlightLimiter } from './in-flight.limiter';

describe('InFlightLimiter', () => {
  it('lets `limit` holders in and queues the next until one releases', async () => {
    const limiter = new InFlightLimiter(2);
    await limiter.acquire();
    await limiter.acquire();
    let third = false;
    const pending = limiter.acquire().then(() => (third = true));
    await Promise.resolve();
    expect(third).toBe(false);
    expect(limiter.inFlight).toBe(2);
    limiter.release();
    await pending;
    expect(third).toBe(true);
    expect(limiter.inFlight).toBe(2);
    limiter.release();
    limiter.release();
    expect(limiter.inFlight).toBe(0);
  });

  it('refuses a limit below one', () => {
    expect(() => new InFlightLimiter(0)).toThrow(RangeError);
  });
});
