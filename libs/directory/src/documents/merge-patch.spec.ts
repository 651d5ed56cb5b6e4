import { mergePatch } from './merge-patch';

describe('mergePatch (RFC 7396)', () => {
  it('merges objects recursively, removes on null and replaces arrays and scalars', () => {
    const target = { a: 1, b: { c: 2, d: 3 }, list: [1, 2], keep: 'x' };
    expect(mergePatch(target, { a: 9, b: { d: null, e: 4 }, list: [3] })).toEqual({ a: 9, b: { c: 2, e: 4 }, list: [3], keep: 'x' });
    expect(target.b).toEqual({ c: 2, d: 3 });
  });

  it('returns a non-object patch as the result', () => {
    expect(mergePatch({ a: 1 }, ['x'])).toEqual(['x']);
    expect(mergePatch('old', { a: { b: 1 } })).toEqual({ a: { b: 1 } });
  });
});

describe('mergePatch depth', () => {
  it('refuses a patch nested 12,000 levels deep as invalid_document instead of overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 12_000; i++) deep = { a: deep };
    expect(() => mergePatch({}, { caller_id: deep })).toThrow(expect.objectContaining({ code: 'invalid_document', details: expect.objectContaining({ rule: 'maxDepth' }) }));
  });
});
