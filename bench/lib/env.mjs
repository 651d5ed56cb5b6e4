/* global process, setTimeout */
// What every bench reads from its surroundings: broker and store URLs, repository paths, env knobs.
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = join(BENCH_DIR, '..');
export const SCENARIOS = join(BENCH_DIR, 'scenarios');
export const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** LEGWORK_SECRET_KEYS for one bench run: every process on its Redis prefix must share it (distributed mode refuses to boot without). */
export const benchSecretKeys = () => `bench:${randomBytes(32).toString('base64')}`;

export const env = (key, dflt) => process.env[key] ?? dflt;
export const N = (key, dflt) => Number(process.env[key] ?? dflt);
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The few variables a spawned app needs from ours; nothing else leaks into its config. */
export const inheritedEnv = () => Object.fromEntries(['PATH', 'HOME', 'TMPDIR', 'LANG'].filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]]));
