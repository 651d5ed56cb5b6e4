import { HttpException, type ArgumentsHost } from '@nestjs/common';
import type { AppLogger } from '@legwork/platform';
import { basicCredentials } from './basix-auth.guard';
import { BasixExceptionFilter } from './basix-exception.filter';
import { BasixError } from './basix.error';

const basic = (text: string): string => `Basic ${Buffer.from(text).toString('base64')}`;

function answer(exception: unknown): { status: number; body: unknown; headers: Record<string, string>; logged: number } {
  const out = { status: 0, body: undefined as unknown, headers: {} as Record<string, string>, logged: 0 };
  const res = {
    headersSent: false,
    status(code: number) {
      out.status = code;
      return res;
    },
    setHeader(name: string, value: string) {
      out.headers[name] = value;
    },
    json(body: unknown) {
      out.body = body;
    },
  };
  const logger = { error: () => void out.logged++ } as unknown as AppLogger;
  const host = { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
  new BasixExceptionFilter(logger).catch(exception, host);
  return out;
}

describe('Basix core', () => {
  it('reads DOMAIN_NAME:API_TOKEN from HTTP Basic, splitting at the first colon, and nothing else', () => {
    expect(basicCredentials(basic('acme.example.com:s3cr:et'))).toEqual({ realm: 'acme.example.com', secret: 's3cr:et' });
    expect(basicCredentials(`basic  ${Buffer.from('a:b').toString('base64')} `)).toEqual({ realm: 'a', secret: 'b' });
    for (const bad of [undefined, 'Bearer abc', basic('no-colon'), basic(':token'), basic('domain:'), `Basic ${'A'.repeat(2000)}`, 'Basic !!!']) {
      expect(basicCredentials(bad)).toBeUndefined();
    }
  });

  it('answers every error as {"result_code":500,"error":{...}} with its status; a fault is internal_error, logged, its message hidden', () => {
    expect(answer(new BasixError(404, 'user_not_found', 'no user', 'user_name'))).toMatchObject({
      status: 404, body: { result_code: 500, error: { id: 'user_not_found', field: 'user_name', message: 'no user' } }, logged: 0,
    });
    const unauthorized = answer(new BasixError(401, 'unauthorized', 'who are you'));
    expect(unauthorized.headers['WWW-Authenticate']).toMatch(/^Basic realm="basix"/);
    expect(answer(new BasixError(429, 'too_many_requests', 'slow down', undefined, 7)).headers['Retry-After']).toBe('7');
    const fault = answer(new Error('secret internals'));
    expect(fault).toMatchObject({ status: 500, body: { result_code: 500, error: { id: 'internal_error' } }, logged: 1 });
    expect(JSON.stringify(fault.body)).not.toContain('secret internals');
    expect(answer(new HttpException('too big', 413))).toMatchObject({ status: 413, body: { error: { id: 'request_too_large' } } });
  });

  it('answers 503 service_unavailable with Retry-After while Redis or the broker is unreachable', () => {
    const gone = answer(Object.assign(new Error('Reached the max retries per request limit (which is 3).'), { name: 'MaxRetriesPerRequestError' }));
    expect(gone).toMatchObject({ status: 503, body: { result_code: 500, error: { id: 'service_unavailable' } } });
    expect(gone.headers['Retry-After']).toBe('1');
  });
});
