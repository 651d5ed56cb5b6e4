import { z } from 'zod';
import { DirectoryError } from '../directory.error';
import { parseDocument } from './validation';

const schema = z.object({
  name: z.string().min(2).max(4),
  count: z.number().int().min(1).max(3).optional(),
  kind: z.enum(['a', 'b']).optional(),
  nested: z.object({ number: z.string() }).optional(),
});

function violations(input: unknown) {
  try {
    parseDocument(schema, input);
  } catch (err) {
    expect(err).toBeInstanceOf(DirectoryError);
    return (err as DirectoryError).violations.map(({ field, rule }) => `${field}:${rule}`);
  }
  throw new Error('expected a validation error');
}

describe('parseDocument', () => {
  it('returns the parsed document when valid', () => {
    expect(parseDocument(schema, { name: 'abc', extra: true })).toEqual({ name: 'abc' });
  });

  it('maps zod issues to Kazoo field/rule names', () => {
    expect(violations({})).toEqual(['name:required']);
    expect(violations({ name: 'a', count: 0 })).toEqual(['name:minLength', 'count:minimum']);
    expect(violations({ name: 'abcde', count: 9 })).toEqual(['name:maxLength', 'count:maximum']);
    expect(violations({ name: 'ab', kind: 'c', nested: { number: 5 } })).toEqual(['kind:enum', 'nested.number:type']);
  });

  it('rejects documents that are not objects', () => {
    expect(violations(null)).toEqual([':type']);
    expect(violations([1])).toEqual([':type']);
  });

  it('puts the first violation in the error details and message', () => {
    const err = (() => {
      try {
        return parseDocument(schema, { name: 'ab', nested: { number: 1 } });
      } catch (e) {
        return e as DirectoryError;
      }
    })() as DirectoryError;
    expect(err.code).toBe('invalid_document');
    expect(err.details).toMatchObject({ field: 'nested.number', rule: 'type' });
    expect(err.message).toBe('nested.number: must be a string');
  });
});

describe('parseDocument stored text', () => {
  const textSchema = z.object({ name: z.string(), caller_id: z.object({ name: z.string() }).optional(), tags: z.record(z.string(), z.string()).default({}) });

  it('refuses control characters and lone surrogates in any string, keys included, naming each field', () => {
    const bad = { name: 'a\u0000b', caller_id: { name: 'Boss\r\nX-Injected: yes' }, tags: { 'k\u0007': 'v', ok: '\ud800' } };
    const err = (() => {
      try {
        parseDocument(textSchema, bad);
      } catch (e) {
        return e as DirectoryError;
      }
      throw new Error('expected a failure');
    })();
    expect(err.violations.map((v) => [v.field, v.rule])).toEqual([['caller_id.name', 'format'], ['name', 'format'], ['tags.k\u0007', 'format'], ['tags.ok', 'format']]);
  });

  it('keeps printable Unicode (accents, emoji, CJK) and refuses documents nested too deep', () => {
    expect(parseDocument(textSchema, { name: 'Zoë 🎧 東京' }).name).toBe('Zoë 🎧 東京');
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 40; i++) deep = { a: deep };
    expect(() => parseDocument(textSchema, { name: 'x', tags: deep })).toThrow(expect.objectContaining({ details: expect.objectContaining({ rule: 'maxDepth' }) }));
  });
});
