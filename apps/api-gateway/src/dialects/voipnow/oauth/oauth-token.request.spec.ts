import { OAuthError } from './oauth-error';
import { parseTokenRequest } from './oauth-token.request';

const basic = (id: string, secret: string): string => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

function refusal(run: () => unknown): { status: number; code: string } {
  try {
    run();
  } catch (err) {
    if (err instanceof OAuthError) return { status: err.status, code: err.code };
    throw err;
  }
  throw new Error('expected an OAuthError');
}

describe('client_credentials token request (RFC 6749 §4.4)', () => {
  it('reads the credentials from the body', () => {
    expect(parseTokenRequest({ grant_type: 'client_credentials', client_id: 'app', client_secret: 's3cret' }, undefined)).toEqual({ clientId: 'app', clientSecret: 's3cret', basic: false });
  });

  it('reads them from HTTP Basic, URL-decoded, a matching client_id in the body allowed', () => {
    expect(parseTokenRequest({ grant_type: 'client_credentials' }, basic('app', 'a:b%c'))).toEqual({ clientId: 'app', clientSecret: 'a:b%c', basic: true });
    expect(parseTokenRequest({ grant_type: 'client_credentials', client_id: 'app' }, basic('app', 'x'))).toMatchObject({ clientId: 'app', basic: true });
  });

  it.each([
    [{}, undefined, 400, 'invalid_request'],
    [{ grant_type: 'authorization_code', client_id: 'a', client_secret: 'b' }, undefined, 400, 'unsupported_grant_type'],
    [{ grant_type: 'client_credentials', client_id: ['a', 'b'], client_secret: 'b' }, undefined, 400, 'invalid_request'],
    [{ grant_type: 'client_credentials', client_id: 'a', client_secret: 'x'.repeat(257) }, undefined, 400, 'invalid_request'],
    [{ grant_type: 'client_credentials', client_secret: 'b' }, basic('a', 'b'), 400, 'invalid_request'],
    [{ grant_type: 'client_credentials', client_id: 'other' }, basic('a', 'b'), 400, 'invalid_request'],
    [{ grant_type: 'client_credentials' }, `Basic ${Buffer.from('no-colon').toString('base64')}`, 400, 'invalid_request'],
    ['grant_type=client_credentials', undefined, 400, 'invalid_request'],
  ])('%j with %s is %d %s', (body, authorization, status, code) => {
    expect(refusal(() => parseTokenRequest(body, authorization))).toEqual({ status, code });
  });
});
