import type { KazooRequest } from './kazoo.contract';
import { presentedToken } from './kazoo-token';

const req = (parts: { headers?: Record<string, string | string[]>; query?: Record<string, unknown>; body?: unknown }): KazooRequest =>
  ({ headers: parts.headers ?? {}, query: parts.query ?? {}, body: parts.body, params: {} }) as unknown as KazooRequest;

describe('presentedToken (api_util:get_auth_token)', () => {
  it('reads X-Auth-Token, auth_token from the body data, the query or the body, and Authorization: Bearer', () => {
    expect(presentedToken(req({ headers: { 'x-auth-token': 'h' } }))).toBe('h');
    expect(presentedToken(req({ body: { data: { auth_token: 'd' } } }))).toBe('d');
    expect(presentedToken(req({ query: { auth_token: 'q' } }))).toBe('q');
    expect(presentedToken(req({ body: { auth_token: 'b' } }))).toBe('b');
    expect(presentedToken(req({ headers: { authorization: 'Bearer t0k' } }))).toBe('t0k');
  });

  it("keeps Kazoo's precedence: header, then data, query, body, then Bearer", () => {
    const all = { headers: { 'x-auth-token': 'h', authorization: 'Bearer t' }, query: { auth_token: 'q' }, body: { auth_token: 'b', data: { auth_token: 'd' } } };
    expect(presentedToken(req(all))).toBe('h');
    expect(presentedToken(req({ ...all, headers: { authorization: 'Bearer t' } }))).toBe('d');
    expect(presentedToken(req({ headers: { authorization: 'Bearer t' }, query: { auth_token: 'q' }, body: { auth_token: 'b' } }))).toBe('q');
    expect(presentedToken(req({ headers: { authorization: 'Bearer t' }, body: { auth_token: 'b' } }))).toBe('b');
  });

  it('has no token for an empty header (which still decides), Basic credentials, or values that are not strings', () => {
    expect(presentedToken(req({ headers: { 'x-auth-token': '' }, query: { auth_token: 'q' } }))).toBeUndefined();
    expect(presentedToken(req({ headers: { authorization: 'Basic YTpi' } }))).toBeUndefined();
    expect(presentedToken(req({ query: { auth_token: { nested: 'x' } }, body: 'not json' }))).toBeUndefined();
    expect(presentedToken(req({ query: { auth_token: ['first', 'last'] } }))).toBe('last');
    expect(presentedToken(req({}))).toBeUndefined();
  });
});
