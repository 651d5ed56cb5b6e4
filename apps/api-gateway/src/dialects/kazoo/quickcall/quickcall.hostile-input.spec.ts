import { createDirectory } from '@legwork/directory';
import { KazooError } from '../core/kazoo.contract';
import { buildQuickcallRequest } from './quickcall-request.builder';
import { filterNumber, parseQuickcallOptions } from './quickcall.options';
import { loadQuickcallTarget } from './quickcall.target';

function refusal(run: () => unknown): { status: number; data: Record<string, unknown> } {
  try {
    run();
  } catch (err) {
    if (err instanceof KazooError) return { status: err.status, data: err.data };
    throw err;
  }
  throw new Error('expected a KazooError');
}

// Everything a quickcall puts on the INVITE is checked where it enters: a 400 naming the field, never a crash later.
describe('quickcall hostile input', () => {
  it.each([
    ['cid-name', 'Boss\r\nX-Injected: yes'],
    ['cid-name', 'nul\u0000'],
    ['cid-number', '2000>'],
    ['cid-number', '1000 <sip:evil@x>'],
  ])('%s %j is a 400 naming it', (field, value) => {
    const res = refusal(() => parseQuickcallOptions({ query: { [field]: value } }));
    expect(res.status).toBe(400);
    expect(res.data).toHaveProperty([field, 'format']);
  });

  it('keeps display names with quotes and angle brackets: they are escaped on the wire, not refused', () => {
    expect(parseQuickcallOptions({ query: { 'cid-name': 'Bo"ss \\ <x>' } }).cidName).toBe('Bo"ss \\ <x>');
  });

  it('runs number_filter on RE2: a catastrophic pattern answers with the right number', () => {
    const { numberFilter } = parseQuickcallOptions({ query: { number_filter: '(a+)+$' } });
    const number = `${'a'.repeat(32)}b`;
    expect(filterNumber(number, numberFilter)).toBe(number);
    expect(filterNumber(number, parseQuickcallOptions({ query: { number_filter: '^(?:a|a)*(b)$' } }).numberFilter)).toBe('b');
  });

  it.each(['(a)\\1', '(?<=x)1', 'a'.repeat(257)])('number_filter %j is a 400 naming number_filter', (pattern) => {
    expect(refusal(() => parseQuickcallOptions({ query: { number_filter: pattern } })).data).toHaveProperty(['number_filter', 'pattern']);
  });

  it('a number that cannot be dialled is a 400 naming number', async () => {
    const dir = createDirectory();
    const account = await dir.accounts.create({ name: 'acme', realm: 'acme.example.com' });
    const desk = await dir.devices.create(account.id, { name: 'desk', sip: { username: 'desk', password: 'pw' } });
    const target = await loadQuickcallTarget(dir, account.id, 'device', desk.id);
    for (const number of ['1000>', '+1 415 555 0100', 'sip:x@y']) {
      const res = refusal(() => buildQuickcallRequest(target, number, parseQuickcallOptions({})));
      expect({ number, status: res.status, field: Object.keys(res.data) }).toEqual({ number, status: 400, field: ['number'] });
    }
    await dir.close();
  });
});
