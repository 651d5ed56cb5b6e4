import { Pairing } from './pairing';

describe('Pairing', () => {
  it('joins legs both ways, re-points a leg to a new peer and lets the old one go', () => {
    const pairs = new Pairing();
    pairs.pair('a', 'b');
    expect([pairs.peerOf('a'), pairs.peerOf('b'), pairs.size]).toEqual(['b', 'a', 1]);
    // a transfer: the remaining party is joined to the new one, the transferor is left alone
    pairs.pair('b', 'c');
    expect([pairs.peerOf('a'), pairs.peerOf('b'), pairs.peerOf('c'), pairs.size]).toEqual([undefined, 'c', 'b', 1]);
    expect(pairs.unpair('c')).toBe('b');
    expect([pairs.peerOf('b'), pairs.size]).toEqual([undefined, 0]);
    expect(pairs.unpair('nobody')).toBeUndefined();
  });
});
