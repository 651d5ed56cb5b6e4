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
