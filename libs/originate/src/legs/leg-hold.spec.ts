import { createOffer, setDirection } from '@legwork/sip';
import { holdAfterOffer, isHeld } from './leg-hold';

const active = createOffer({ address: '127.0.0.1', port: 4000 });

describe('hold as an attribute of a leg', () => {
  it('follows the offerer: sendonly or inactive holds, sendrecv or recvonly releases, the other side keeps its own', () => {
    expect(holdAfterOffer('none', 'remote', setDirection(active, 'sendonly'))).toBe('remote');
    expect(holdAfterOffer('remote', 'local', setDirection(active, 'inactive'))).toBe('both');
    expect(holdAfterOffer('both', 'remote', active)).toBe('local');
    expect(holdAfterOffer('local', 'local', setDirection(active, 'recvonly'))).toBe('none');
    expect(holdAfterOffer('none', 'local', active.replace(/c=IN IP4 127\.0\.0\.1/g, 'c=IN IP4 0.0.0.0'))).toBe('local');
  });

  it('keeps the hold it had when the offer cannot be read', () => {
    expect(holdAfterOffer('remote', 'remote', 'not sdp')).toBe('remote');
    expect([isHeld('none'), isHeld('local'), isHeld('both')]).toEqual([false, true, true]);
  });
});
