import { BasixError } from '../core/basix.error';
import { parseDestination } from './destination.parser';

const idOf = (value: unknown): string => {
  try {
    parseDestination(value);
  } catch (err) {
    if (err instanceof BasixError) return err.id;
    throw err;
  }
  return 'parsed';
};

describe('call_user destination', () => {
  it('takes a plain string (number, user name, extension) and a JSON number', () => {
    expect(parseDestination(' 0312341234 ')).toEqual({ target: '0312341234' });
    expect(parseDestination('thomas')).toEqual({ target: 'thomas' });
    expect(parseDestination(1001)).toEqual({ target: '1001' });
  });

  it('takes the object form with calling_number and end_user, any subset of them', () => {
    expect(
      parseDestination({
        called_number: '0377778888', calling_number: '0506868002',
        end_user: { id: '11223344', name: 'Popeye', organization: 'Thimble Theatre', avatar: 'https://gravatar/3osdj93j9jw3j9j93w939w5.jpg', prefecture: 'Illinois' },
      }),
    ).toEqual({
      target: '0377778888', callingNumber: '0506868002',
      endUser: { id: '11223344', name: 'Popeye', organization: 'Thimble Theatre', avatar: 'https://gravatar/3osdj93j9jw3j9j93w939w5.jpg', prefecture: 'Illinois' },
    });
    expect(parseDestination({ called_number: '0312341234', end_user: { name: 'thomas' } })).toEqual({ target: '0312341234', endUser: { name: 'thomas' } });
    expect(parseDestination({ called_number: 312341234 })).toEqual({ target: '312341234' });
  });

  it('takes the inline form {key=value,...}NUMBER', () => {
    expect(parseDestination('{name=Charles Xavier,organization=X-Men}0312341234')).toEqual({ target: '0312341234', endUser: { name: 'Charles Xavier', organization: 'X-Men' } });
    expect(parseDestination('{}0312341234')).toEqual({ target: '0312341234' });
  });

  it.each([
    ['', 'destination_invalid'],
    [[], 'destination_invalid'],
    [true, 'destination_invalid'],
    ['x'.repeat(200), 'destination_invalid'],
    ['{name=X0312341234', 'destination_invalid'],
    ['{name}0312341234', 'destination_invalid'],
    ['{name=X}', 'destination_invalid'],
    [{ calling_number: '1' }, 'destination_invalid'],
    [{ called_number: '1', calling_number: {} }, 'destination_invalid'],
    [{ called_number: '1', end_user: 'Popeye' }, 'end_user_invalid'],
    [{ called_number: '1', end_user: { 'bad key': 'x' } }, 'end_user_invalid'],
    [{ called_number: '1', end_user: { name: 'a\u0000b' } }, 'end_user_invalid'],
    [{ called_number: '1', end_user: { name: { first: 'P' } } }, 'end_user_invalid'],
    [{ called_number: '1', end_user: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])) }, 'end_user_invalid'],
  ])('%j → %s', (value, id) => {
    expect(idOf(value)).toBe(id);
  });
});
