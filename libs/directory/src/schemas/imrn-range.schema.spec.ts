import { imrnNumbers, imrnRangeSchema } from './imrn-range.schema';

describe('IMRN ranges', () => {
  it('lists every number of the ranges in order, keeping their length', () => {
    expect(imrnNumbers([{ first: '+3236548298', last: '+3236548301' }, { first: '+15550000000', last: '+15550000000' }])).toEqual([
      '+3236548298', '+3236548299', '+3236548300', '+3236548301', '+15550000000',
    ]);
  });

  it.each([
    [{ first: '3236548200', last: '+3236548201' }, 'first'],
    [{ first: '+3236548200', last: '+32365482001' }, 'last'],
    [{ first: '+3236548201', last: '+3236548200' }, 'last'],
    [{ first: '+3236500000', last: '+3236510000' }, 'last'],
    [{ first: '+32365482\r\n', last: '+3236548201' }, 'first'],
  ])('refuses %j naming %s', (range, field) => {
    const parsed = imrnRangeSchema.safeParse(range);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual([field]);
  });
});
