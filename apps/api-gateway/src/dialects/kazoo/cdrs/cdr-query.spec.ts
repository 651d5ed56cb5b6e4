import { gregorianSeconds } from '@legwork/contracts';
import { KazooError } from '../core/kazoo.contract';
import { DEFAULT_PAGE_SIZE, parseCdrQuery } from './cdr-query';

describe('parseCdrQuery', () => {
  it('defaults the page size and converts gregorian seconds to an inclusive millisecond range', () => {
    expect(parseCdrQuery({})).toEqual({ pageSize: DEFAULT_PAGE_SIZE });
    const at = Date.UTC(2026, 0, 1);
    expect(parseCdrQuery({ created_from: String(gregorianSeconds(at)), created_to: String(gregorianSeconds(at)), page_size: '10' })).toEqual({
      pageSize: 10, createdFrom: at, createdTo: at + 999,
    });
  });

  it("answers 400 'invalid data' for bad filters", () => {
    for (const bad of [{ page_size: '0' }, { page_size: '5000' }, { created_from: 'soon' }, { start_key: 'x' }, { created_from: '20', created_to: '10' }]) {
      expect(() => parseCdrQuery(bad)).toThrow(KazooError);
    }
  });
});
