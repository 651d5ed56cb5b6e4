import type { Directory } from '../directory';
import { DirectoryError, type DirectoryErrorCode } from '../directory.error';

/** A manual clock in epoch milliseconds. */
export class TestClock {
  constructor(public time = Date.UTC(2025, 0, 1)) {}
  readonly now = (): number => this.time;
  advance(ms: number): void {
    this.time += ms;
  }
}

/** What each driver's spec hands the shared contract suite. */
export interface DirectoryHarness {
  directory: Directory;
  clock: TestClock;
  /** Every key and value the driver keeps at rest. */
  dump(): Promise<string[]>;
  /** Closes the directory and removes what the run stored. */
  dispose(): Promise<void>;
}

export type HarnessFactory = (opts: { tokenTtlSeconds: number }) => Promise<DirectoryHarness>;

let seq = 0;
/** A name no other test in the run uses. */
export function uniq(base: string): string {
  seq += 1;
  return `${base}${seq}x${Math.random().toString(36).slice(2, 8)}`;
}

export async function account(dir: Directory, parentId?: string) {
  const name = uniq('acct');
  return dir.accounts.create({ name, realm: `${name}.legwork.local` }, parentId);
}

/** Awaits a rejection and checks it is a DirectoryError with `code` (and field/rule when given). */
export async function expectDirectoryError(
  promise: Promise<unknown>,
  code: DirectoryErrorCode,
  field?: string,
  rule?: string,
): Promise<DirectoryError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DirectoryError);
  const dirErr = err as DirectoryError;
  expect(dirErr.code).toBe(code);
  if (field !== undefined && code === 'invalid_document') {
    expect(dirErr.violations.map((v) => v.field)).toContain(field);
    if (rule !== undefined) expect(dirErr.violations.find((v) => v.field === field)?.rule).toBe(rule);
  } else if (field !== undefined) {
    expect(dirErr.details['field']).toBe(field);
  }
  return dirErr;
}
