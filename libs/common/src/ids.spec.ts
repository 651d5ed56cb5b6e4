import { KAZOO_ID, newId, newMsgId } from './ids';
import { LegworkError } from './legwork-error';

describe('ids', () => {
  it('makes 32-hex document ids that do not repeat', () => {
    const ids = new Set(Array.from({ length: 1000 }, newId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(KAZOO_ID);
  });

  it('makes uuid message ids', () => {
    expect(newMsgId()).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('LegworkError', () => {
  it('keeps a stable code and serializes it', () => {
    class BusError extends LegworkError {}
    const err = new BusError('bus_unroutable', 'no queue bound', { routingKey: 'x' });
    expect(err.name).toBe('BusError');
    expect(err).toBeInstanceOf(Error);
    expect(JSON.parse(JSON.stringify(err))).toEqual({ code: 'bus_unroutable', message: 'no queue bound', details: { routingKey: 'x' } });
  });
});
