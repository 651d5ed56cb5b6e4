import { connect, type ChannelModel } from 'amqplib';
import { BusError } from './bus.error';
import { parseBrokerUrls, type BrokerUrls } from './broker-urls';
import { Namer } from './bus.topology';
import { migrateExchanges, probeExchanges, type ExchangeMigration } from './exchange-migration';

export interface BrokerMigrationOptions {
  /** The apps' AMQP_URL: one broker or several nodes of the cluster (exchanges are cluster-wide: the first that answers does). */
  url: BrokerUrls;
  /** The apps' AMQP_NAMESPACE; empty in production and whenever Kazoo applications share the broker. */
  namespace: string;
  force?: boolean;
  dryRun?: boolean;
}

/** For the operator's command: check Kazoo's exchanges on a broker and replace the ones an earlier Legwork declared durable. */
export async function migrateBrokerExchanges(opts: BrokerMigrationOptions): Promise<ExchangeMigration[]> {
  const model = await connectFirst(opts.url);
  model.on('error', () => undefined);
  try {
    const namer = new Namer(opts.namespace);
    const probes = await probeExchanges(model, namer);
    return await migrateExchanges(model, namer, probes, { force: opts.force === true, dryRun: opts.dryRun === true });
  } finally {
    await model.close().catch(() => undefined);
  }
}

async function connectFirst(value: BrokerUrls): Promise<ChannelModel> {
  const parsed = parseBrokerUrls(value);
  if ('problem' in parsed) throw new BusError('bus_invalid_config', `broker URL ${parsed.problem}`);
  let last: unknown;
  for (const url of parsed.urls) {
    try {
      return await connect(url, { clientProperties: { connection_name: 'legwork bus migrate-exchanges' } });
    } catch (err) {
      last = err;
    }
  }
  throw last;
}
