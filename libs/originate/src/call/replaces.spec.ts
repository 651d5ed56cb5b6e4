import { parseNameAddr } from '@legwork/sip';
import { namesDialog, parseReplaces, replacesOf, sameOwner } from './replaces';

/** The Replaces of a Refer-To value, read as the REFER handler reads it: name-addr, URI headers, Replaces. */
const fromReferTo = (value: string) => {
  const parsed = parseNameAddr(value);
  if (parsed.uri.kind !== 'sip') throw new Error('not a SIP URI');
  return replacesOf(parsed.uri.headers);
};

describe('Replaces in a Refer-To (RFC 3891)', () => {
  it('reads the escaped header of a URI, in angle brackets behind a quoted display name', () => {
    expect(fromReferTo('"Bob \\"the consulted\\"" <sip:bob@example.com?Replaces=a84b4c76e66710%40pc33.example.com%3Bto-tag%3D1928301774%3Bfrom-tag%3Dxyz>')).toEqual({
      ok: true, value: { callId: 'a84b4c76e66710@pc33.example.com', toTag: '1928301774', fromTag: 'xyz', earlyOnly: false },
    });
  });

  it('takes a Call-ID whose @ a phone left unescaped', () => {
    expect(fromReferTo('<sip:bob@example.com?Replaces=abc@10.0.0.2%3Bto-tag%3D1%3Bfrom-tag%3D2>')).toEqual({ ok: true, value: { callId: 'abc@10.0.0.2', toTag: '1', fromTag: '2', earlyOnly: false } });
  });

  it('takes parameters in any order and case, with early-only', () => {
    expect(parseReplaces('abc%3BFrom-Tag%3D2%3Bearly-only%3BTO-TAG%3D1')).toEqual({ ok: true, value: { callId: 'abc', toTag: '1', fromTag: '2', earlyOnly: true } });
  });

  it('is undefined without a Replaces, and refuses two', () => {
    expect(fromReferTo('<sip:bob@example.com?Subject=hi>')).toBeUndefined();
    expect(fromReferTo('<sip:bob@example.com?Replaces=a%3Bto-tag%3D1%3Bfrom-tag%3D2&replaces=b%3Bto-tag%3D1%3Bfrom-tag%3D2>')).toEqual({ ok: false, reason: 'more than one Replaces' });
  });

  it.each([
    ['empty Replaces', ''],
    ['bad %-escape in Replaces', 'abc%ZZ%3Bto-tag%3D1%3Bfrom-tag%3D2'],
    ['bad %-escape in Replaces', 'abc%3Bto-tag%3D1%3Bfrom-tag%3D2%'],
    ['control character or space in Replaces', 'abc%0D%0AVia%3A%20evil%3Bto-tag%3D1%3Bfrom-tag%3D2'],
    ['control character or space in Replaces', 'abc%3Bto-tag%3D1%0A%3Bfrom-tag%3D2'],
    ['control character or space in Replaces', 'abc%00%3Bto-tag%3D1%3Bfrom-tag%3D2'],
    ['bad Call-ID in Replaces', '%3Bto-tag%3D1%3Bfrom-tag%3D2'],
    ['bad Call-ID in Replaces', 'a%40b%40c%3Bto-tag%3D1%3Bfrom-tag%3D2'],
    ['Replaces needs to-tag and from-tag', 'abc%3Bto-tag%3D1'],
    ['Replaces needs to-tag and from-tag', 'abc%3Bfrom-tag%3D2'],
    ['bad to-tag in Replaces', 'abc%3Bto-tag%3D%221%22%3Bfrom-tag%3D2'],
    ['bad from-tag in Replaces', 'abc%3Bto-tag%3D1%3Bfrom-tag'],
    ['to-tag given twice in Replaces', 'abc%3Bto-tag%3D1%3Bto-tag%3D3%3Bfrom-tag%3D2'],
    ['early-only takes no value', 'abc%3Bto-tag%3D1%3Bfrom-tag%3D2%3Bearly-only%3Dyes'],
    ['bad parameter in Replaces', 'abc%3Bto-tag%3D1%3Bfrom-tag%3D2%3B%3Dx'],
    ['Replaces longer than 1024 characters', `${'a'.repeat(1100)}%3Bto-tag%3D1%3Bfrom-tag%3D2`],
  ])('refuses it: %s (case %#)', (reason, value) => {
    expect(parseReplaces(value)).toEqual({ ok: false, reason });
  });

  it('a raw CR/LF never gets as far: the URI itself is refused', () => {
    expect(() => parseNameAddr('<sip:bob@example.com?Replaces=abc\r\nVia: x;to-tag=1;from-tag=2>')).toThrow();
  });
});

describe('which dialog a Replaces names', () => {
  const dialog = { callId: 'c1', localTag: 'ours', remoteTag: 'phone' };
  const replaces = (callId: string, toTag: string, fromTag: string) => ({ callId, toTag, fromTag, earlyOnly: false });

  it('matches the Call-ID and both tags, either way round', () => {
    expect(namesDialog(replaces('c1', 'ours', 'phone'), dialog)).toBe(true);
    expect(namesDialog(replaces('c1', 'phone', 'ours'), dialog)).toBe(true);
  });

  it('does not match another Call-ID, one tag only, or a tag twice', () => {
    expect(namesDialog(replaces('c2', 'ours', 'phone'), dialog)).toBe(false);
    expect(namesDialog(replaces('c1', 'ours', 'other'), dialog)).toBe(false);
    expect(namesDialog(replaces('c1', 'ours', 'ours'), dialog)).toBe(false);
    expect(namesDialog(replaces('C1', 'ours', 'phone'), dialog)).toBe(false);
  });

  it('same owner: one user, one device, one account; a leg of no user and no device is nobody\'s', () => {
    const mine = { accountId: 'acc', ownerId: 'u1', endpointId: 'd1' };
    expect(sameOwner(mine, { ...mine })).toBe(true);
    expect(sameOwner(mine, { ...mine, ownerId: 'u2' })).toBe(false);
    expect(sameOwner(mine, { ...mine, accountId: 'acc2' })).toBe(false);
    expect(sameOwner(mine, { ...mine, endpointId: 'd2' })).toBe(false);
    expect(sameOwner({ accountId: 'acc' }, { accountId: 'acc' })).toBe(false);
    // a device of no user: its own calls only
    expect(sameOwner({ accountId: 'acc', endpointId: 'd1' }, { accountId: 'acc', endpointId: 'd1' })).toBe(true);
    expect(sameOwner({ accountId: 'acc', endpointId: 'd1' }, { accountId: 'acc', endpointId: 'd1', ownerId: 'u1' })).toBe(false);
  });
});
