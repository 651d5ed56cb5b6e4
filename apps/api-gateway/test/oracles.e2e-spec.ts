import { newId } from '@legwork/common';
import { type KazooApp, type KazooResponse } from './kazoo-app.harness';
import { expectKazooError, startSecurityWorld, type SecurityWorld } from './security.fixture';

const comparable = (res: KazooResponse) => ({ status: res.status, error: res.body.error, message: res.body.message, data: res.body.data });

// Answers never tell a caller outside a tree whether an id exists there, nor name foreign ids; stored text is clean.
describe('oracles and hostile text', () => {
  let app: KazooApp;
  let w: SecurityWorld;

  beforeAll(async () => ({ app, w } = await startSecurityWorld()));
  afterAll(() => app.close());

  it('answers a foreign account id and an unknown one the same on every kind of route', async () => {
    const unknown = newId();
    const paths = (): string[] => [``, `/children`, `/users`, `/devices/${newId()}`, `/resources`, `/webhooks`, `/channels`, `/cdrs`, `/devices/${newId()}/quickcall/1002`];
    const foreign = paths();
    const missing = paths();
    for (let i = 0; i < foreign.length; i++) {
      const a = await app.call('GET', `/v2/accounts/${w.b.id}${foreign[i]}`, { token: w.a.keyToken });
      const b = await app.call('GET', `/v2/accounts/${unknown}${missing[i]}`, { token: w.a.keyToken });
      expectKazooError(a, 403);
      expect({ path: foreign[i], ...comparable(b) }).toEqual({ path: foreign[i], ...comparable(a) });
    }
  });

  it('names no account id in a refused quickcall', async () => {
    const res = await app.call('GET', `/v2/accounts/${w.b.id}/devices/${w.b.userDeviceId}/quickcall/1002`, { token: w.a.keyToken });
    expectKazooError(res, 403);
    expect(JSON.stringify(res.body)).not.toContain(w.a.id);
    expect(JSON.stringify(res.body)).not.toContain(w.b.id);
  });

  it('refuses NUL, control characters and lone surrogates in stored text, naming the field', async () => {
    const users = `/v2/accounts/${w.a.id}/users`;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ first_name: 'Ev\u0000il', last_name: 'X' }, 'first_name'],
      [{ first_name: 'Ev', last_name: 'X\u001b[31m' }, 'last_name'],
      [{ first_name: 'Ev', last_name: 'X', caller_id: { internal: { name: 'Boss\r\nX-Injected: yes' } } }, 'caller_id.internal.name'],
      [{ first_name: '\ud800', last_name: 'X' }, 'first_name'],
    ];
    for (const [data, field] of cases) {
      const res = await app.call('PUT', users, { token: w.a.keyToken, body: { data } });
      expectKazooError(res, 400);
      expect(Object.keys(res.body.data as object)).toContain(field);
    }
    const account = await app.call('PATCH', `/v2/accounts/${w.a.id}`, { token: w.a.keyToken, body: { data: { name: 'bad\u0007name' } } });
    expectKazooError(account, 400);
    expect((await app.directory.users.list(w.a.id)).map((u) => u.first_name)).not.toContain('Ev');
  });

  it('refuses a body that is not valid UTF-8', async () => {
    const bytes = Buffer.concat([Buffer.from('{"data":{"first_name":"'), Buffer.from([0xc3, 0x28]), Buffer.from('","last_name":"X"}}')]);
    const res = await fetch(`${app.url}/v2/accounts/${w.a.id}/users`, { method: 'PUT', headers: { 'content-type': 'application/json', 'x-auth-token': w.a.keyToken }, body: bytes });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ status: 'error', error: '400' });
  });
});
