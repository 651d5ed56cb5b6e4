import type { Directory } from '../directory';
import { DirectoryError, type DirectoryErrorCode } from '../directory.error';
import { DirectoryKeys } from '../directory.keys';
import type { DirectoryStore } from '../store/directory-store.driver';

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
  /** The raw store under the directory, to leave documents as an earlier version wrote them. */
  store: DirectoryStore;
  keys: DirectoryKeys;
  /** Another directory over the same store with other secret keys (key rotation); closed by dispose. */
  reopen(secretKeys: string): Directory;
  /** Closes the directory and removes what the run stored. */
  dispose(): Promise<void>;
}

export type HarnessFactory = (opts: { tokenTtlSeconds: number; secretKeys: string }) => Promise<DirectoryHarness>;

/** Keys the contract runs under: the directory starts on k0; rotation tests put k1 first. */
export const CONTRACT_KEYS = {
  k0: `k0:${Buffer.alloc(32, 7).toString('base64')}`,
  k1: `k1:${Buffer.alloc(32, 9).toString('base64')}`,
  k9: `k9:${Buffer.alloc(32, 1).toString('base64')}`,
};

/** The layout helper for a store written with `prefix`. */
export function harnessKeys(prefix: string): DirectoryKeys {
  return new DirectoryKeys(prefix);
}

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
