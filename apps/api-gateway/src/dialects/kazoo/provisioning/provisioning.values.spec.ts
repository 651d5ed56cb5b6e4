import { DirectoryError } from '@legwork/directory';
import { KazooError } from '../core/kazoo.contract';
import { documentOf, revisionOf } from './provisioning.request';
import { valueAt, withSubmittedValues } from './provisioning.values';
import { deviceSummary, documentView } from './provisioning.views';

function thrown(fn: () => unknown): KazooError {
  try {
    fn();
  } catch (err) {
    if (err instanceof KazooError) return err;
  }
  throw new Error('expected a KazooError');
}

async function failure(p: Promise<unknown>): Promise<KazooError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  if (!(err instanceof KazooError)) throw new Error(`expected a KazooError, got ${String(err)}`);
  return err;
}

describe('provisioning request and error mapping', () => {
  it('unwraps the data envelope and names `data` when it is missing or not an object', () => {
    expect(documentOf({ data: { name: 'x' } })).toEqual({ name: 'x' });
    const missing = thrown(() => documentOf({ name: 'x' }));
    expect(missing.status).toBe(400);
    expect(missing.data).toEqual({ data: { required: { message: expect.any(String) } } });
    const wrongType = thrown(() => documentOf({ data: [1] }));
    expect(wrongType.data).toHaveProperty(['data', 'type']);
  });

  it('reads If-Match revisions, quoted or weak', () => {
    expect(revisionOf('"3-abc"')).toBe('3-abc');
    expect(revisionOf('W/"3-abc"')).toBe('3-abc');
    expect(revisionOf(' ')).toBeUndefined();
    expect(revisionOf(undefined)).toBeUndefined();
  });

  it('finds values by dotted path, array indexes included', () => {
    const doc = { sip: { username: 'u' }, gateways: [{ server: 'h' }] };
    expect(valueAt(doc, 'sip.username')).toBe('u');
    expect(valueAt(doc, 'gateways.0.server')).toBe('h');
    expect(valueAt(doc, 'sip.nope.deeper')).toBeUndefined();
  });

  it('turns invalid_document into Kazoo field → rule with the submitted value, never a password', async () => {
    const doc = { name: '', sip: { username: 'a b', password: 'secret!' } };
    const err = await failure(
      withSubmittedValues(doc, () =>
        Promise.reject(
          DirectoryError.invalid([
            { field: 'name', rule: 'minLength', message: 'too short' },
            { field: 'sip.username', rule: 'pattern', message: 'no spaces' },
            { field: 'sip.password', rule: 'maxLength', message: 'too long' },
            { field: 'caller_id', rule: 'required', message: 'is required' },
          ]),
        ),
      ),
    );
    expect(err.status).toBe(400);
    expect(err.data).toEqual({
      name: { minLength: { message: 'too short', value: '' } },
      'sip.username': { pattern: { message: 'no spaces', value: 'a b' } },
      'sip.password': { maxLength: { message: 'too long' } },
      caller_id: { required: { message: 'is required' } },
    });
  });

  it('passes other errors through untouched', async () => {
    const notFound = DirectoryError.notFound('user', 'x');
    await expect(withSubmittedValues({}, () => Promise.reject(notFound))).rejects.toBe(notFound);
  });

  it('keeps bookkeeping out of data and lists devices by SIP username', () => {
    const device = {
      id: 'd1', account_id: 'a1', revision: '1-x', created: 1, modified: 1, name: 'desk', device_type: 'sip_device' as const, enabled: true,
      sip: { username: 'desk', password: 'p', realm: 'r.example', invite_format: 'username' as const },
    };
    expect(documentView(device)).not.toHaveProperty('account_id');
    expect(documentView(device)).not.toHaveProperty('revision');
    expect(documentView(device)).toMatchObject({ id: 'd1', name: 'desk', sip: { username: 'desk' } });
    expect(deviceSummary(device)).toEqual({ id: 'd1', name: 'desk', username: 'desk', owner_id: undefined, enabled: true, device_type: 'sip_device' });
  });
});
