import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { LegworkError } from '@legwork/common';

const ROOT = join(__dirname, '..');
const LIBS = readdirSync(join(ROOT, 'libs')).filter((name) => existsSync(join(ROOT, 'libs', name, 'src', 'index.ts')));

// Every error a lib exports carries a stable code (LegworkError<Code>), so filters and the bus can map it.
describe('error classes', () => {
  it.each(LIBS)('@legwork/%s: every exported *Error class extends LegworkError', (lib) => {
    const exported = require(`@legwork/${lib}`) as Record<string, unknown>; // eslint-disable-line @typescript-eslint/no-require-imports
    const errors = Object.entries(exported).filter(([name, value]) => /Error$/.test(name) && typeof value === 'function' && (value as { prototype?: unknown }).prototype instanceof Error);
    expect(errors.filter(([, value]) => value !== LegworkError && !((value as { prototype: unknown }).prototype instanceof LegworkError)).map(([name]) => name)).toEqual([]);
  });
});
