import { parseArgs } from 'node:util';
import { z } from 'zod';
import { brokerUrlsSchema, migrateBrokerExchanges, type ExchangeMigration } from '@legwork/bus';
import type { CliIo } from './core/accounts.command';

export const BUS_USAGE = 'usage: legwork bus migrate-exchanges [--dry-run] [--force]';

const envSchema = z.object({
  AMQP_URL: brokerUrlsSchema,
  AMQP_NAMESPACE: z.string().regex(/^[A-Za-z0-9_.-]*$/, 'must contain only A-Z a-z 0-9 _ . -').default(''),
});

const VERB: Record<ExchangeMigration['outcome'], string> = {
  unchanged: 'already declared as Kazoo declares it',
  migrated: 'replaced by a non-durable exchange, as Kazoo declares it',
  would_migrate: 'would be replaced (dry run)',
  refused: 'left as it is',
};

function printReport(results: ExchangeMigration[], namespace: string, io: CliIo): void {
  for (const r of results) {
    const name = namespace ? `${namespace}.${r.exchange}` : r.exchange;
    const rebound = r.rebound.length > 0 ? `; re-bound ${r.rebound.join(', ')}` : '';
    io.out(`${name}: ${VERB[r.outcome]}${rebound}\n`);
    if (r.reason !== undefined) io.err(`${name}: ${r.reason}\n`);
  }
}

/** `legwork bus migrate-exchanges`: Kazoo's exchanges that an earlier Legwork declared durable, replaced; exit code out. */
export async function runBusCommand(argv: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { 'dry-run': { type: 'boolean' }, force: { type: 'boolean' } } });
  } catch (err) {
    io.err(`${(err as Error).message}\n${BUS_USAGE}\n`);
    return 2;
  }
  if (parsed.positionals.join(' ') !== 'bus migrate-exchanges') {
    io.err(`${BUS_USAGE}\n`);
    return 2;
  }
  const input = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const config = envSchema.safeParse(input);
  if (!config.success) {
    io.err(`invalid environment: ${z.prettifyError(config.error)}\nbus migrate-exchanges needs AMQP_URL and AMQP_NAMESPACE as the apps have them.\n`);
    return 2;
  }
  const { AMQP_URL: url, AMQP_NAMESPACE: namespace } = config.data;
  const results = await migrateBrokerExchanges({ url, namespace, force: parsed.values.force === true, dryRun: parsed.values['dry-run'] === true });
  printReport(results, namespace, io);
  return results.some((r) => r.outcome === 'refused') ? 1 : 0;
}
