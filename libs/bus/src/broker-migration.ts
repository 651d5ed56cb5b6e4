import { connect } from 'amqplib';
import { Namer } from './bus.topology';
import { migrateExchanges, probeExchanges, type ExchangeMigration } from './exchange-migration';

export interface BrokerMigrationOptions {
  url: string;
  /** The apps' AMQP_NAMESPACE; empty in production and whenever Kazoo applications share the broker. */
  namespace: string;
  force?: boolean;
  dryRun?: boolean;
}

/** For the operator's command: check Kazoo's exchanges on a broker and replace the ones an earlier Legwork declared durable. */
export async function migrateBrokerExchanges(opts: BrokerMigrationOptions): Promise<ExchangeMigration[]> {
  const model = await connect(opts.url, { clientProperties: { connection_name: 'legwork bus migrate-exchanges' } });
  model.on('error', () => undefined);
  try {
    const namer = new Namer(opts.namespace);
    const probes = await probeExchanges(model, namer);
    return await migrateExchanges(model, namer, probes, { force: opts.force === true, dryRun: opts.dryRun === true });
  } finally {
    await model.close().catch(() => undefined);
  }
}
