import { HttpException, type ArgumentsHost } from '@nestjs/common';
import type { AppLogger } from '@legwork/platform';
import { bearerSecret } from './xon-auth.guard';
import { XonExceptionFilter } from './xon-exception.filter';
import { XonError } from './xon.error';

function answer(exception: unknown): { status: number; body: unknown; ended: boolean; headers: Record<string, string>; logged: number } {
  const out = { status: 0, body: undefined as unknown, ended: false, headers: {} as Record<string, string>, logged: 0 };
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
    end() {
      out.ended = true;
    },
  };
  const logger = { error: () => void out.logged++ } as unknown as AppLogger;
  const host = { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
  new XonExceptionFilter(logger).catch(exception, host);
  return out;
}

describe('X-on core', () => {
  it('reads the secret of Authorization: Bearer, and nothing else', () => {
    expect(bearerSecret('Bearer abc_DEF-123')).toBe('abc_DEF-123');
    expect(bearerSecret('bearer  abc ')).toBe('abc');
    for (const bad of [undefined, 'Basic abc', 'Bearer', 'Bearer a b', 'Bearer abc=', `Bearer ${'a'.repeat(2000)}`]) expect(bearerSecret(bad)).toBeUndefined();
  });

  it("answers the seed's 404 with an empty body, the 403 and 400s as {error}, 401 with a Bearer challenge", () => {
    expect(answer(XonError.noDevice())).toMatchObject({ status: 404, body: undefined, ended: true });
    expect(answer(new XonError(403, 'device_rejected_call', 'device rejected inbound call'))).toMatchObject({ status: 403, body: { error: 'device rejected inbound call' } });
    expect(answer(XonError.invalid('reason', 'must be one of cancelled, answered_elsewhere'))).toMatchObject({ status: 400, body: { error: 'reason must be one of cancelled, answered_elsewhere', field: 'reason' } });
    expect(answer(new XonError(401, 'unauthorized', 'who are you')).headers['WWW-Authenticate']).toBe('Bearer realm="xon"');
    expect(answer(new XonError(429, 'rate_limited', 'slow down', undefined, false, 7)).headers['Retry-After']).toBe('7');
  });

  it('answers 503 service_unavailable with Retry-After while Redis or the broker is unreachable', () => {
    const gone = answer(Object.assign(new Error('Reached the max retries per request limit (which is 3).'), { name: 'MaxRetriesPerRequestError' }));
    expect(gone).toMatchObject({ status: 503, body: { error: 'a store or the message bus is unreachable; retry shortly' } });
    expect(gone.headers['Retry-After']).toBe('1');
  });

  it("maps Nest's errors to X-on words, and hides a fault's message (logged, 500)", () => {
    expect(answer(new HttpException('too big', 413))).toMatchObject({ status: 413, body: { error: 'the request body is too large' } });
    expect(answer(new HttpException('Cannot GET /v1/x', 404))).toMatchObject({ status: 404, body: { error: 'no such X-on route' } });
    const fault = answer(new Error('secret internals'));
    expect(fault).toMatchObject({ status: 500, logged: 1 });
    expect(JSON.stringify(fault.body)).not.toContain('secret internals');
  });
});
