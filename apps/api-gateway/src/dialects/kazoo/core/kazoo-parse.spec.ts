import { z } from 'zod';
import { KazooError } from './kazoo.contract';
import { kazooParse } from './kazoo-parse';

const schema = z.object({ name: z.string().min(2), realm: z.string().regex(/^[a-z.]+$/), kind: z.enum(['a', 'b']).optional(), tags: z.array(z.string()).max(1).optional() });

function failure(input: unknown): KazooError {
  try {
    kazooParse(schema, input);
  } catch (err) {
    if (err instanceof KazooError) return err;
    throw err;
  }
  throw new Error('expected a KazooError');
}

describe('kazooParse', () => {
  it('returns the parsed value', () => {
    expect(kazooParse(schema, { name: 'ab', realm: 'x.y' })).toEqual({ name: 'ab', realm: 'x.y' });
  });

  it("names zod failures with Kazoo's JSON-schema rules and keeps the offending value", () => {
    const err = failure({ name: 'a', realm: 'X Y', kind: 'c', tags: ['1', '2'] });
    expect(err.status).toBe(400);
    expect(err.data).toEqual({
      name: { minLength: { message: expect.any(String), value: 'a' } },
      realm: { pattern: { message: expect.any(String), value: 'X Y' } },
      kind: { enum: { message: expect.any(String), value: 'c' } },
      tags: { maxItems: { message: expect.any(String), value: ['1', '2'] } },
    });
    expect(failure({ realm: 3 }).data).toMatchObject({ name: { required: {} }, realm: { type: { value: 3 } } });
  });
});
