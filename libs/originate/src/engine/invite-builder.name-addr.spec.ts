import { parseNameAddr } from '@legwork/sip';
import { nameAddr } from './invite-builder';

describe('nameAddr', () => {
  it('quotes the display name as an RFC 3261 quoted-string that parses back to the same name', () => {
    const value = nameAddr('+14155550100', 'legwork.local', 'Bo"ss \\ <x>');
    expect(value).toBe('"Bo\\"ss \\\\ <x>" <sip:+14155550100@legwork.local>');
    expect(parseNameAddr(value).displayName).toBe('Bo"ss \\ <x>');
  });

  it('never lets CR/LF out: they become spaces, so no header line can be injected', () => {
    expect(nameAddr('1000', 'h', 'Boss\r\nX-Injected: yes')).toBe('"Boss X-Injected: yes" <sip:1000@h>');
  });

  it('escapes a user part that would end the URI early, and drops an empty name', () => {
    expect(nameAddr('1000>', 'h', '')).toBe('<sip:1000%3E@h>');
    expect(parseNameAddr(nameAddr('2000>"', 'h', '\r\n')).uri).toMatchObject({ user: '2000%3E%22', host: 'h' });
  });
});
