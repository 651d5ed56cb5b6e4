import { newId } from '@legwork/common';
import type { CallStore } from '../call-store';
import type { EventLogBounds } from '../event-log';

/** One store under test plus a way to let time pass that suits its driver. */
export interface StoreHarness {
  store: CallStore;
  /** How long ended calls stay readable in this harness. */
  endedTtlMs: number;
  /** The harness's notion of now (epoch ms), for absolute expiries. */
  now(): number;
  /** Moves a manual clock, or really waits when the backend keeps its own time. */
  advance(ms: number): Promise<void>;
}

/** Options a contract may ask of a fresh store (drivers take them at construction). */
export interface HarnessOptions {
  eventLog?: EventLogBounds;
}

export type HarnessFactory = (opts?: HarnessOptions) => Promise<StoreHarness>;

/** Ids unique per test, so tests never see each other's data in a shared backend. */
export function uid(label: string): string {
  return `${label}-${newId().slice(0, 12)}`;
}

export async function expectCode(work: Promise<unknown>, code: string): Promise<void> {
  await expect(work).rejects.toMatchObject({ code });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
