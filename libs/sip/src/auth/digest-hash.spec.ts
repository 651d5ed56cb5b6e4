import { createHash } from 'node:crypto';
import { digestAlgorithm, digestHa1, digestResponse } from './digest-hash';

/** RFC 7616 §3.4.1 computed straight from the formula, independent of the code under test. */
function rfcResponse(hash: string, f: { user: string; realm: string; password: string; method: string; uri: string; nonce: string; nc: string; cnonce: string }): string {
  const h = (text: string) => createHash(hash).update(text).digest('hex');
  return h([h(`${f.user}:${f.realm}:${f.password}`), f.nonce, f.nc, f.cnonce, 'auth', h(`${f.method}:${f.uri}`)].join(':'));
}

// RFC 7616 §3.9.1 example inputs
const example = {
  user: 'Mufasa',
  realm: 'http-auth@example.org',
  password: 'Circle of Life',
  method: 'GET',
  uri: '/dir/index.html',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  nc: '00000001',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
};

describe('digest hashing', () => {
  it.each([
    ['MD5', 'md5', '8ca523f5e9506fed4657c9700eebdbec'],
    ['SHA-256', 'sha256', '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1'],
  ] as const)('matches the RFC 7616 §3.9.1 example for %s', (algorithm, nodeHash, published) => {
    const ha1 = digestHa1(algorithm, example.user, example.realm, example.password);
    const response = digestResponse({ algorithm, ha1, method: example.method, uri: example.uri, nonce: example.nonce, nc: example.nc, cnonce: example.cnonce, qop: 'auth' });
    expect(response).toBe(rfcResponse(nodeHash, example));
    expect(response).toBe(published);
  });

  it('follows the formula for SIP inputs too', () => {
    const sip = { ...example, user: 'alice', realm: 'acme.example', password: 's3cret', method: 'REGISTER', uri: 'sip:acme.example' };
    const ha1 = digestHa1('SHA-256', sip.user, sip.realm, sip.password);
    expect(digestResponse({ algorithm: 'SHA-256', ha1, method: sip.method, uri: sip.uri, nonce: sip.nonce, nc: sip.nc, cnonce: sip.cnonce, qop: 'auth' })).toBe(rfcResponse('sha256', sip));
  });

  it('reads algorithm names case-insensitively and defaults to MD5', () => {
    expect(digestAlgorithm(undefined)).toBe('MD5');
    expect(digestAlgorithm('sha-256')).toBe('SHA-256');
    expect(digestAlgorithm('md5')).toBe('MD5');
    expect(digestAlgorithm('MD5-sess')).toBeUndefined();
    expect(digestAlgorithm('SHA-512-256')).toBeUndefined();
  });
});
