import { displayNameProblem, escapeSipUser, quoteDisplayName, sanitizeDisplayName, sipHostProblem, sipUserProblem } from './sip-text.rules';

describe('SIP text rules', () => {
  it.each(['+14155550100', '1001', '*97', 'desk-1.a_b', "o'neil", '#123'])('a user part may be %s', (user) => expect(sipUserProblem(user)).toBeUndefined());

  it.each(['1000>', '<1000', 'a"b', 'a b', 'a@b', 'a:b', 'a;b', 'a%3E', '1000\r\n', '', 'x'.repeat(129)])('a user part may not be %j', (user) => {
    expect(sipUserProblem(user)).toMatch(/must/);
  });

  it('escapes what a user part cannot carry raw, UTF-8 included', () => {
    expect(escapeSipUser('+1 (415) #5')).toBe('+1%20(415)%20%235');
    expect(escapeSipUser('zoë>')).toBe('zo%C3%AB%3E');
    expect(escapeSipUser('100%')).toBe('100%25');
  });

  it('display names: any script and punctuation, no control characters or broken UTF-16', () => {
    expect(displayNameProblem('Zoë "Z" <boss> \\ 李')).toBeUndefined();
    for (const bad of ['a\rb', 'a\nb', 'a\u0000b', 'a\tb', 'a\u0085b', 'a\u2028b', 'a\ud800b', 'a\udc00b', 'a\ufffdb']) expect(displayNameProblem(bad)).toMatch(/control characters/);
    expect(displayNameProblem('😀')).toBeUndefined();
  });

  it('quotes a display name as an RFC 3261 quoted-string, unsafe characters turned into spaces', () => {
    expect(quoteDisplayName('Bo"ss\\')).toBe('"Bo\\"ss\\\\"');
    expect(quoteDisplayName('Desk\r\nX-Injected: yes')).toBe('"Desk X-Injected: yes"');
    expect(sanitizeDisplayName('\u0000\u0000')).toBe('');
  });

  it('hosts are names or IP literals', () => {
    for (const ok of ['acme.legwork.test', '127.0.0.1', '[::1]', 'a-b.c']) expect(sipHostProblem(ok)).toBeUndefined();
    for (const bad of ['a>b', 'a b', '-a.b', 'a..b', '']) expect(sipHostProblem(bad)).toMatch(/must/);
  });
});
