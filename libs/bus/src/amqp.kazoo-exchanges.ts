import type { ChannelModel } from 'amqplib';
import type { Logger } from '@legwork/common';
import { BusError } from './bus.error';
import type { Namer } from './bus.topology';
import { MIGRATE_EXCHANGES_COMMAND, migrateExchanges, probeExchanges, type ExchangeMigrationMode, type KnownBinding } from './exchange-migration';

export interface EnsureOptions {
  mode: ExchangeMigrationMode;
  /** What this bus has bound so far (re-bound if an exchange is replaced). */
  known: readonly KnownBinding[];
  logger: Logger;
}

/**
 * Kazoo's four exchanges as kz_amqp_util declares them, on every (re)connect. Ones an earlier Legwork
 * declared durable are replaced when the mode allows and nothing depends on them; otherwise this throws
 * `bus_legacy_exchanges`, which fails start() at once with the reason and the command to run.
 */
export async function ensureKazooExchanges(model: ChannelModel, namer: Namer, opts: EnsureOptions): Promise<void> {
  const probes = await probeExchanges(model, namer);
  const stale = probes.filter((p) => p.state !== 'ok');
  if (stale.length === 0) return;
  const names = stale.map((p) => namer.real(p.name)).join(', ');
  if (opts.mode === 'manual') {
    throw new BusError(
      'bus_legacy_exchanges',
      `exchanges ${names} were declared with other options than Kazoo's (durable, by an earlier Legwork); ` +
        `AMQP_EXCHANGE_MIGRATION=manual: stop every Legwork app and run \`${MIGRATE_EXCHANGES_COMMAND}\` (or start with AMQP_EXCHANGE_MIGRATION=auto)`,
      { exchanges: stale.map((p) => p.name) },
    );
  }
  const results = await migrateExchanges(model, namer, stale, { known: opts.known });
  const refused = results.filter((r) => r.outcome === 'refused');
  const migrated = results.filter((r) => r.outcome === 'migrated');
  if (migrated.length > 0) {
    opts.logger.warn({ exchanges: migrated.map((r) => namer.real(r.exchange)), rebound: migrated.flatMap((r) => r.rebound) }, 'replaced exchanges an earlier Legwork declared durable with non-durable ones, as Kazoo declares them');
  }
  if (refused.length > 0) {
    throw new BusError('bus_legacy_exchanges', `cannot replace exchanges declared by an earlier Legwork: ${refused.map((r) => r.reason).join('; ')}`, {
      exchanges: refused.map((r) => r.exchange),
    });
  }
}
