import { parseArgs } from 'node:util';
import { redisClusterNodesSchema, redisUrlSchema } from '@legwork/redis';
import { z } from 'zod';
import { createDirectory, generateSecretKey, secretKeysProblems, type RotationReport } from '@legwork/directory';
import type { CliIo } from './core/accounts.command';

export const SECRETS_USAGE = 'usage: legwork secrets keygen [--id KEY_ID] | legwork secrets rotate';

/** LEGWORK_SECRET_KEYS as the apps validate it, each bad entry named. */
export const secretKeysSetting = z.string().superRefine((value, ctx) => {
  const problems = secretKeysProblems(value);
  if (problems.length > 0) ctx.addIssue({ code: 'custom', message: problems.join('; ') });
});

const envSchema = z
  .object({
    REDIS_URL: redisUrlSchema.optional(),
    REDIS_CLUSTER_NODES: redisClusterNodesSchema.optional(),
    REDIS_PREFIX: z.string().min(1).max(64).default('lw:'),
    LEGWORK_SECRET_KEYS: secretKeysSetting,
  })
  .refine((env) => (env.REDIS_URL === undefined) !== (env.REDIS_CLUSTER_NODES === undefined), {
    message: 'set one of REDIS_URL and REDIS_CLUSTER_NODES',
    path: ['REDIS_URL'],
  });

/** A key id that sorts by the day it was made: `k20250101`. */
function defaultKeyId(): string {
  return `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`;
}

function printReport(report: RotationReport, io: CliIo): void {
  io.out(`key=${report.keyId}\naccounts=${report.accounts}\nresealed=${report.resealed}\nusers_migrated=${report.usersMigrated}\nusers_on_retired_keys=${report.usersOnRetiredKeys}\nsha_on_retired_keys=${report.shaOnRetiredKeys}\napi_clients_on_retired_keys=${report.apiClientsOnRetiredKeys}\nfailed=${report.failures.length}\n`);
  for (const f of report.failures) io.err(`cannot read ${f.kind} ${f.id} of account ${f.accountId}: ${f.code}: ${f.message}\n`);
  if (report.usersOnRetiredKeys > 0) {
    io.err(`${report.usersOnRetiredKeys} user(s) still log in through an older key: keep it listed until they have logged in once, or they must set a new password\n`);
  }
  if (report.apiClientsOnRetiredKeys > 0) {
    io.err(`${report.apiClientsOnRetiredKeys} API client(s) still authenticate through an older key: keep it listed until each has authenticated once, or recreate them\n`);
  }
}

/** Re-encrypts every stored secret under the first of LEGWORK_SECRET_KEYS (run after putting a new key first on every app). */
async function rotate(env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const input = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const config = envSchema.safeParse(input);
  if (!config.success) {
    io.err(`invalid environment: ${z.prettifyError(config.error)}\nsecrets rotate needs REDIS_URL (or REDIS_CLUSTER_NODES), REDIS_PREFIX and LEGWORK_SECRET_KEYS as the apps have them, the new key first.\n`);
    return 2;
  }
  const directory = createDirectory({ url: config.data.REDIS_URL, clusterNodes: config.data.REDIS_CLUSTER_NODES, prefix: config.data.REDIS_PREFIX, secretKeys: config.data.LEGWORK_SECRET_KEYS });
  try {
    const report = await directory.secrets.rotate();
    printReport(report, io);
    return report.failures.length === 0 ? 0 : 1;
  } finally {
    await directory.close();
  }
}

/** `legwork secrets keygen|rotate`; exit code out. */
export async function runSecretsCommand(argv: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { id: { type: 'string' } } });
  } catch (err) {
    io.err(`${(err as Error).message}\n${SECRETS_USAGE}\n`);
    return 2;
  }
  const command = parsed.positionals.join(' ');
  if (command === 'secrets keygen') {
    try {
      io.out(`${generateSecretKey(parsed.values.id ?? defaultKeyId())}\n`);
      return 0;
    } catch (err) {
      io.err(`${(err as Error).message}\n`);
      return 2;
    }
  }
  if (command === 'secrets rotate' && parsed.values.id === undefined) return rotate(env, io);
  io.err(`${SECRETS_USAGE}\n`);
  return 2;
}
