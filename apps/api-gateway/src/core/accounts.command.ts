import { parseArgs } from 'node:util';
import { silentLogger } from '@legwork/common';
import { redisClusterNodesSchema, redisUrlSchema } from '@legwork/redis';
import { z } from 'zod';
import { createDirectory, isDirectoryError, type Directory } from '@legwork/directory';
import { secretKeysSetting } from '../secrets.command';

export const CLI_USAGE = 'usage: legwork accounts create --name NAME [--realm REALM] [--parent ACCOUNT_ID]\n       legwork secrets keygen [--id KEY_ID] | legwork secrets rotate';

const envSchema = z.object({
  REDIS_URL: redisUrlSchema.optional(),
  REDIS_CLUSTER_NODES: redisClusterNodesSchema.optional(),
  REDIS_PREFIX: z.string().min(1).max(64).default('lw:'),
  MASTER_REALM: z.string().min(1).default('legwork.local'),
  // Accounts hold no secrets; the keys are taken when given so this process reads the store as the apps do.
  LEGWORK_SECRET_KEYS: secretKeysSetting.optional(),
});

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

/** `acme corp` under `legwork.local` → `acme-corp.legwork.local`. */
export function defaultRealm(name: string, masterRealm: string): string {
  const label = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63) || 'account';
  return `${label}.${masterRealm}`;
}

async function createAccount(directory: Directory, args: { name: string; realm: string; parent?: string }, io: CliIo): Promise<number> {
  // Without --parent the account goes under the master, as a reseller's tenants do.
  const parentId = args.parent ?? (await directory.accounts.getMaster())?.id;
  if (parentId === undefined) {
    io.err('no master account yet: start the api-gateway once (it creates the master) or pass --parent\n');
    return 1;
  }
  const account = await directory.accounts.create({ name: args.name, realm: args.realm }, parentId);
  const apiKey = await directory.credentials.createApiKey(account.id);
  io.out(`account_id=${account.id}\nrealm=${account.realm}\napi_key=${apiKey}\n`);
  return 0;
}

/** `legwork accounts create …` over the shared Redis; exit code out. */
export async function runAccountsCommand(argv: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { name: { type: 'string' }, realm: { type: 'string' }, parent: { type: 'string' } } });
  } catch (err) {
    io.err(`${(err as Error).message}\n${CLI_USAGE}\n`);
    return 2;
  }
  const { positionals, values } = parsed;
  if (positionals.join(' ') !== 'accounts create' || values.name === undefined) {
    io.err(`${CLI_USAGE}\n`);
    return 2;
  }
  const config = envSchema.safeParse(env);
  if (!config.success) {
    io.err(`invalid environment: ${z.prettifyError(config.error)}\n`);
    return 2;
  }
  if (config.data.REDIS_URL === undefined && config.data.REDIS_CLUSTER_NODES === undefined) {
    io.err('REDIS_URL is not set: the account would live only in this process and vanish on exit. Set REDIS_URL (or REDIS_CLUSTER_NODES) and REDIS_PREFIX as the gateway has them.\n');
    return 2;
  }
  const redis = { url: config.data.REDIS_URL, clusterNodes: config.data.REDIS_CLUSTER_NODES };
  const directory = createDirectory({ ...redis, prefix: config.data.REDIS_PREFIX, logger: silentLogger, secretKeys: config.data.LEGWORK_SECRET_KEYS });
  try {
    const realm = values.realm ?? defaultRealm(values.name, config.data.MASTER_REALM);
    return await createAccount(directory, { name: values.name, realm, parent: values.parent }, io);
  } catch (err) {
    if (!isDirectoryError(err)) throw err;
    const fields = err.violations.map((v) => `${v.field}: ${v.message}`).join('; ');
    io.err(`cannot create the account: ${fields || err.message}\n`);
    return 1;
  } finally {
    await directory.close();
  }
}
