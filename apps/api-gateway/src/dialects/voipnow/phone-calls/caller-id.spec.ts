import { parseCallerId } from './caller-id';

describe('UAPI-Caller-Id', () => {
  it.each([
    ['John Doe <4242425>', { name: 'John Doe', number: '4242425' }],
    ['John Doe <+3334444>', { name: 'John Doe', number: '+3334444' }],
    ['"Doe, John" <+3334444>', { name: 'Doe, John', number: '+3334444' }],
    ['<4242425>', { number: '4242425' }],
    ['4242425', { number: '4242425' }],
    ['  Ann  <  +14155550100 >', { name: 'Ann', number: '+14155550100' }],
  ])('reads %j', (text, expected) => {
    expect(parseCallerId(text)).toEqual(expected);
  });

  it.each([
    ['', 'characters'],
    ['John Doe', 'format'],
    ['John Doe <abc>', 'digits'],
    ['John <42@evil>', 'digits'],
    ['John <>', 'digits'],
    ['Jo\r\nVia: x <4242>', 'name'],
    [42, 'string'],
    [null, 'string'],
    ['x'.repeat(161), 'characters'],
  ])('refuses %j with a reason naming the %s', (value, word) => {
    const parsed = parseCallerId(value);
    expect(typeof parsed).toBe('string');
    expect(String(parsed)).toContain(word);
  });
});
