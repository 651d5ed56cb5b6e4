import { formatNumber, isNanp, normalizeE164 } from './e164';

describe('normalizeE164', () => {
  it.each([
    ['+1 (415) 555-1234', '+14155551234'],
    ['4155551234', '+14155551234'],
    ['14155551234', '+14155551234'],
    ['1-415-555-1234', '+14155551234'],
    ['011442071234567', '+442071234567'],
    ['00442071234567', '+442071234567'],
    ['+442071234567', '+442071234567'],
    ['tel:+33123456789', '+33123456789'],
  ])('reads %s as %s', (input, expected) => {
    expect(normalizeE164(input)).toBe(expected);
  });

  it.each(['1001', '', 'abc', '+', '+0123456789', '1234567890', '+1234567890123456', '555-1234', '41555512a4'])('refuses %j', (input) => {
    expect(normalizeE164(input)).toBeUndefined();
  });

  it('uses the configured country code for national numbers with a trunk 0', () => {
    expect(normalizeE164('020 7123 4567', { defaultCountryCode: '44' })).toBe('+442071234567');
    expect(normalizeE164('0044 20 7123 4567', { defaultCountryCode: '44' })).toBe('+442071234567');
    expect(normalizeE164('4155551234', { defaultCountryCode: '44' })).toBeUndefined();
  });
});

describe('formatNumber', () => {
  it.each([
    ['4155551234', 'e164', '+14155551234'],
    ['+14155551234', 'npan', '4155551234'],
    ['+14155551234', '1npan', '14155551234'],
    ['4155551234', '1npan', '14155551234'],
    ['+14155551234', 'strip_plus', '14155551234'],
    ['+442071234567', 'npan', '+442071234567'],
    ['+442071234567', 'strip_plus', '442071234567'],
    ['1001', 'e164', '1001'],
    ['1001', 'npan', '1001'],
  ] as const)('formats %s as %s → %s', (input, format, expected) => {
    expect(formatNumber(input, format)).toBe(expected);
  });

  it('knows NANP numbers', () => {
    expect(isNanp('+14155551234')).toBe(true);
    expect(isNanp('+442071234567')).toBe(false);
    expect(isNanp('+11155551234')).toBe(false);
  });
});
