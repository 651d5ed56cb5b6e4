import { formatNumber, isNanp, normalizeE164 } from './e164-compat';
import { isE164, normalizeNumber, parsePhoneNumber, phoneNumberProblem } from './phone-number';

describe('parsePhoneNumber', () => {
  it.each([
    ['0312341234', 'JP', '+81312341234'],
    ['03-1234-1234', 'JP', '+81312341234'],
    ['+81312341234', 'JP', '+81312341234'],
    ['81312341234', 'JP', '+81312341234'],
    ['81312341234', undefined, '+81312341234'],
    ['05068680000', 'JP', '+815068680000'],
    ['0377778888', 'JP', '+81377778888'],
    ['010 1 415 555 0100', 'JP', '+14155550100'],
    ['011 81 3 1234 1234', 'US', '+81312341234'],
    ['00 81 3 1234 1234', 'US', '+81312341234'],
    ['(415) 555-0100', 'US', '+14155550100'],
    ['tel:+14155550100', undefined, '+14155550100'],
    ['020 7123 4567', 'gb', '+442071234567'],
  ])('reads %j in %s as %s', (input, country, e164) => {
    expect(normalizeNumber(input, country === undefined ? {} : { country })).toBe(e164);
  });

  it.each([
    ['0312341234', undefined],
    ['4155550100', 'GB'],
    ['210', 'JP'],
    ['0003*210', 'JP'],
    ['+999123456789', undefined],
    ['+1234567890123456', undefined],
    ['1-800-FLOWERS', 'US'],
    ['+1 415 555 0100\r\nX: y', undefined],
    ['+1+4155550100', undefined],
    ['', 'US'],
    [`+1${'0'.repeat(80)}`, undefined],
  ])('refuses %j in %s', (input, country) => {
    expect(parsePhoneNumber(input, country === undefined ? {} : { country })).toBeUndefined();
    expect(phoneNumberProblem(input, country === undefined ? {} : { country })).toMatch(/must be a phone number/);
  });

  it('refuses what is not a string, and treats an unsupported country as none', () => {
    expect(parsePhoneNumber(4155550100, { country: 'US' })).toBeUndefined();
    expect(parsePhoneNumber(null)).toBeUndefined();
    expect(normalizeNumber('0312341234', { country: 'XX' })).toBeUndefined();
    expect(normalizeNumber('+81312341234', { country: 'XX' })).toBe('+81312341234');
  });

  it('tells the country, the national number and whether libphonenumber finds the number valid', () => {
    expect(parsePhoneNumber('0312341234', { country: 'JP' })).toEqual({ e164: '+81312341234', country: 'JP', callingCode: '81', nationalNumber: '312341234', valid: true });
    // an international number need only be possible: unassigned ranges are the carrier's to refuse
    expect(parsePhoneNumber('+15555550100')).toMatchObject({ e164: '+15555550100', valid: false });
    // a national number must be valid, unless the caller asks for possible ones (caller ids as typed)
    expect(normalizeNumber('0506868002', { country: 'JP' })).toBeUndefined();
    expect(normalizeNumber('0506868002', { country: 'JP', national: 'possible' })).toBe('+81506868002');
  });

  it('knows E.164 values', () => {
    expect(isE164('+81312341234')).toBe(true);
    expect(isE164('81312341234')).toBe(false);
    expect(isE164('+0312341234')).toBe(false);
    expect(isE164(81312341234)).toBe(false);
  });
});

// The origination core's own cases for its hand-written rules, run against the libphonenumber replacement.
describe('normalizeE164 (drop-in)', () => {
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

  it("reads national numbers in the plan's country when it names one", () => {
    expect(normalizeE164('0312341234', { country: 'JP' })).toBe('+81312341234');
    expect(normalizeE164('0312341234', { defaultCountryCode: '1' })).toBeUndefined();
    expect(normalizeE164('4155551234', { country: 'JP', defaultCountryCode: '1' })).toBeUndefined();
  });
});

describe('formatNumber (drop-in)', () => {
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
