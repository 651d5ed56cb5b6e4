import { casesFor, operationsOf, sample } from './rest-fuzz.cases';
import { dialectOf, shapeProblem } from './rest-fuzz.shapes';

const SCHEMA = { type: 'object', required: ['data'], properties: { data: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, enabled: { type: 'boolean' } } } } };

describe('REST fuzz generator and oracle', () => {
  it('reads operations and body schemas from an OpenAPI document', () => {
    const ops = operationsOf({ paths: { '/v2/x/{id}': { put: { requestBody: { content: { 'application/json': { schema: SCHEMA } } } }, get: {}, parameters: {} } } } as never);
    expect(ops).toEqual([{ method: 'PUT', template: '/v2/x/{id}', schema: SCHEMA }, { method: 'GET', template: '/v2/x/{id}' }]);
  });

  it('breaks a valid sample one place at a time: wrong types per property, each required field missing, hostile path params', () => {
    expect(sample(SCHEMA)).toEqual({ data: { name: 'x' } });
    const cases = casesFor({ method: 'PUT', template: '/v2/x/{id}', schema: SCHEMA });
    const bodies = (prefix: string) => cases.filter((c) => c.name.startsWith(prefix)).map((c) => JSON.parse(String(c.body)) as unknown);
    expect(bodies('data.enabled: wrong value')).toContainEqual({ data: { name: 'x', enabled: 'not-what-you-want' } });
    expect(bodies('data.name: wrong value')).toContainEqual({ data: { name: -1.5e308 } });
    expect(bodies('data.name: missing')).toEqual([{ data: {} }]);
    expect(bodies('data: missing')).toEqual([{}]);
    expect(cases.filter((c) => c.pathParam !== undefined).map((c) => c.pathParam)).toContain('a'.repeat(10_240));
    // a GET gets no generic bodies, only a junk one and the path params
    expect(casesFor({ method: 'GET', template: '/v2/x' }).map((c) => c.name)).toEqual(['GET with a junk body']);
  });

  it('knows each dialect by its mount and accepts only its own error shape', () => {
    expect(['/v2/accounts', '/uapi/phoneCalls', '/basix/api/call_user', '/v1/call', '/api/v1/auth/token', '/healthz'].map(dialectOf)).toEqual(['kazoo', 'voipnow', 'basix', 'xon', 'netaxis', 'platform']);
    const kazoo = { status: 'error', error: '400', message: 'invalid data', data: {} };
    const voipnow = { error: { code: 'request_invalid', message: 'bad' } };
    const basix = { result_code: 500, error: { id: 'invalid_json', message: 'bad' } };
    const xon = { error: 'deviceId is required', field: 'deviceId' };
    const netaxis = { error: { status: 400, code: 'INVALID_REQUEST', message: 'bad' } };
    expect([shapeProblem('kazoo', 400, kazoo, ''), shapeProblem('voipnow', 400, voipnow, ''), shapeProblem('basix', 400, basix, ''), shapeProblem('xon', 400, xon, ''), shapeProblem('netaxis', 400, netaxis, '')]).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(shapeProblem('kazoo', 404, kazoo, '')).toBe('not a Kazoo error envelope');
    expect(shapeProblem('netaxis', 401, netaxis, '')).toBeDefined();
    expect(shapeProblem('voipnow', 400, netaxis, '')).toBeDefined();
    expect(shapeProblem('basix', 400, voipnow, '')).toBeDefined();
    expect(shapeProblem('xon', 400, kazoo, '')).toBeDefined();
    expect(shapeProblem('xon', 400, undefined, 'Bad Request')).toBe('not JSON: Bad Request');
    expect(shapeProblem('xon', 404, undefined, '')).toBeUndefined();
    expect(shapeProblem('voipnow', 400, { error: 'invalid_request', error_description: 'grant_type is required' }, '', '/oauth/token.php')).toBeUndefined();
    expect(shapeProblem('voipnow', 400, { error: 'invalid_request', error_description: 'x' }, '', '/uapi/phoneCalls/{userId}/simple')).toBeDefined();
    expect(shapeProblem('kazoo', 200, undefined, 'anything')).toBeUndefined();
  });
});
