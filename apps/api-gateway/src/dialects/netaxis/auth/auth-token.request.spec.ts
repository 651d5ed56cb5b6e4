import { NetaxisError } from '../core/netaxis-error';
import { parseTokenRequest } from './auth-token.request';

function refusal(run: () => unknown): { status: number; code: string; field?: string } {
  try {
    run();
  } catch (err) {
    if (err instanceof NetaxisError) return { status: err.status, code: err.code, ...(err.extras.field !== undefined ? { field: err.extras.field } : {}) };
    throw err;
  }
  throw new Error('expected a NetaxisError');
}

describe('POST /api/v1/auth/token body', () => {
  it('reads a user login at its realm, lower-cased', () => {
    expect(parseTokenRequest({ username: 'FooUser@Sip.Example.com', password: 'pw' })).toEqual({ kind: 'user', username: 'foouser', realm: 'sip.example.com', password: 'pw' });
  });

  it('reads an API client id with its secret', () => {
    const id = 'a'.repeat(32);
    expect(parseTokenRequest({ username: id, password: 's3cret' })).toEqual({ kind: 'client', clientId: id, secret: 's3cret' });
  });

  it.each([
    ['not an object', 'x', 'body'],
    ['no username', { password: 'p' }, 'username'],
    ['no password', { username: 'a@b.c' }, 'password'],
    ['a number as password', { username: 'a@b.c', password: 5 }, 'password'],
    ['a login without realm', { username: 'alice', password: 'p' }, 'username'],
    ['a realm with a space', { username: 'a@b c', password: 'p' }, 'username'],
    ['a login with an escape character', { username: 'a\u001b[2Jb@b.c', password: 'p' }, 'username'],
    ['a login with a NUL', { username: 'a\u0000@b.c', password: 'p' }, 'username'],
    ['an oversized password', { username: 'a@b.c', password: 'x'.repeat(257) }, 'password'],
  ])('%s is 400 naming the field', (_what, body, field) => {
    expect(refusal(() => parseTokenRequest(body))).toEqual({ status: 400, code: 'INVALID_REQUEST', field });
  });
});
