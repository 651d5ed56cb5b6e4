import type { Channel, ChannelModel } from 'amqplib';
import { EXCHANGES, KAZOO_EXCHANGE_OPTIONS, SHARED_QUEUES } from '@legwork/contracts';
import { errorMessage } from './bus.error';
import type { Namer } from './bus.topology';

/** The documented way to upgrade a broker by hand; every refusal names it. */
export const MIGRATE_EXCHANGES_COMMAND = 'npm run legwork -- bus migrate-exchanges';

/** `auto`: migrate at start when nothing depends on the old exchanges; `manual`: refuse and name the command. */
export type ExchangeMigrationMode = 'auto' | 'manual';

export interface KnownBinding {
  queue: string;
  exchange: string;
  routingKey: string;
}

/** `legacy`: declared durable by an earlier Legwork; `mismatch`: some other type or arguments. */
export interface ExchangeProbe {
  name: string;
  type: 'topic' | 'direct';
  state: 'ok' | 'legacy' | 'mismatch';
}

export interface ExchangeMigration {
  exchange: string;
  outcome: 'unchanged' | 'migrated' | 'refused' | 'would_migrate';
  /** Why it was refused, for people. */
  reason?: string;
  /** Queues re-bound after the exchange was re-declared. */
  rebound: string[];
}

export interface MigrateOptions {
  /** Bindings to carry over (logical names); the shared queues' are always included. */
  known?: readonly KnownBinding[];
  /** Delete even when a known queue has consumers or the exchange has bindings Legwork does not know. */
  force?: boolean;
  /** Only say what would happen. */
  dryRun?: boolean;
}

type Attempt<R> = { ok: true; value: R } | { ok: false; code: number | undefined; message: string };

/** Runs one operation on its own channel: a refusal closes only that channel. */
async function attempt<R>(model: ChannelModel, fn: (ch: Channel) => Promise<R>): Promise<Attempt<R>> {
  let ch: Channel | undefined;
  try {
    ch = await model.createChannel();
    ch.on('error', () => undefined);
    return { ok: true, value: await fn(ch) };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return { ok: false, code: typeof code === 'number' ? code : undefined, message: errorMessage(err) };
  } finally {
    if (ch) await ch.close().catch(() => undefined);
  }
}

const PRECONDITION_FAILED = 406;
const NOT_FOUND = 404;

/**
 * Declares Kazoo's four exchanges as kz_amqp_util does, each on a throwaway channel. A passive check
 * would not do: it ignores flags. A 406 means an earlier declare with other options; a second, durable
 * declare tells an earlier Legwork's exchange from anything else.
 */
export async function probeExchanges(model: ChannelModel, namer: Namer): Promise<ExchangeProbe[]> {
  const probes: ExchangeProbe[] = [];
  for (const { name, type } of Object.values(EXCHANGES)) {
    const real = namer.real(name);
    const kazoo = await attempt(model, (ch) => ch.assertExchange(real, type, { ...KAZOO_EXCHANGE_OPTIONS, arguments: {} }));
    if (kazoo.ok) probes.push({ name, type, state: 'ok' });
    else if (kazoo.code !== PRECONDITION_FAILED) throw new Error(`declaring exchange ${real} failed: ${kazoo.message}`);
    else {
      const durable = await attempt(model, (ch) => ch.assertExchange(real, type, { durable: true, autoDelete: false, internal: false, arguments: {} }));
      probes.push({ name, type, state: durable.ok ? 'legacy' : 'mismatch' });
    }
  }
  return probes;
}

/** Every binding to carry over for `exchange`: the shared queues' plus the caller's, once each. */
function bindingsOf(exchange: string, known: readonly KnownBinding[]): KnownBinding[] {
  const shared = SHARED_QUEUES.flatMap((q) => q.bindings.map((b) => ({ queue: q.name, exchange: b.exchange as string, routingKey: b.routingKey })));
  const seen = new Set<string>();
  return [...shared, ...known].filter((b) => {
    const key = JSON.stringify([b.queue, b.routingKey]);
    if (b.exchange !== exchange || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Replaces the exchanges that are not declared as Kazoo declares them: delete, re-declare non-durable,
 * re-bind the known queues. Deleting drops every binding, so unless forced it first makes sure nothing
 * depends on them: no consumer on a known queue, and no binding beyond the known ones (tested by
 * unbinding those and deleting with if-unused). All or nothing: on any refusal every exchange is put
 * back as it was, with its bindings.
 */
export async function migrateExchanges(model: ChannelModel, namer: Namer, probes: readonly ExchangeProbe[], opts: MigrateOptions = {}): Promise<ExchangeMigration[]> {
  const stale = probes.filter((p) => p.state !== 'ok');
  const unchanged = (p: ExchangeProbe): ExchangeMigration => ({ exchange: p.name, outcome: 'unchanged', rebound: [] });
  const plans: Plan[] = [];
  for (const probe of stale) plans.push(await plan(model, namer, probe, bindingsOf(probe.name, opts.known ?? []), opts));
  const blocked = plans.find((p) => p.refusal !== undefined);
  const report = (outcome: (p: Plan) => ExchangeMigration): ExchangeMigration[] =>
    probes.map((probe) => {
      const p = plans.find((x) => x.probe === probe);
      return p === undefined ? unchanged(probe) : outcome(p);
    });
  if (blocked !== undefined) return report((p) => refusedBy(p, blocked));
  if (opts.dryRun) return report((p) => ({ exchange: p.probe.name, outcome: 'would_migrate', rebound: p.present.map((b) => b.queue) }));

  for (const p of plans) for (const b of p.present) await run(model, `unbinding ${b.queue}`, (ch) => ch.unbindQueue(namer.real(b.queue), p.real, b.routingKey));
  const deleted: Plan[] = [];
  for (const p of plans) {
    const res = await attempt(model, (ch) => ch.deleteExchange(p.real, { ifUnused: !opts.force }));
    // a 404 means another node just deleted it: declaring it is all that is left
    if (res.ok || res.code === NOT_FOUND) {
      deleted.push(p);
      continue;
    }
    if (res.code !== PRECONDITION_FAILED) throw new Error(`deleting exchange ${p.real} failed: ${res.message}`);
    p.refusal = `${p.real} has bindings Legwork does not know (another application's queue or exchange); deleting it would drop them: run \`${MIGRATE_EXCHANGES_COMMAND} --force\` to do it anyway`;
    for (const d of deleted) await run(model, `restoring ${d.real}`, (ch) => ch.assertExchange(d.real, d.probe.type, { durable: true, autoDelete: false, internal: false, arguments: {} }));
    for (const x of plans) await bindAll(model, namer, x);
    return report((x) => refusedBy(x, p));
  }
  for (const p of plans) {
    await run(model, `declaring ${p.real}`, (ch) => ch.assertExchange(p.real, p.probe.type, { ...KAZOO_EXCHANGE_OPTIONS, arguments: {} }));
    await bindAll(model, namer, p);
  }
  return report((p) => ({ exchange: p.probe.name, outcome: 'migrated', rebound: p.present.map((b) => b.queue) }));
}

interface Plan {
  probe: ExchangeProbe;
  real: string;
  /** Known bindings whose queue exists. */
  present: KnownBinding[];
  refusal?: string;
}

function refusedBy(p: Plan, blocked: Plan): ExchangeMigration {
  const reason = p === blocked ? blocked.refusal : `left as it was, since ${blocked.real} cannot be replaced`;
  return { exchange: p.probe.name, outcome: 'refused', ...(reason !== undefined ? { reason } : {}), rebound: [] };
}

/** What replacing one exchange involves, and whether something forbids it (checked before anything changes). */
async function plan(model: ChannelModel, namer: Namer, probe: ExchangeProbe, known: KnownBinding[], opts: MigrateOptions): Promise<Plan> {
  const real = namer.real(probe.name);
  const p: Plan = { probe, real, present: [] };
  for (const b of known) {
    const q = await attempt(model, (ch) => ch.checkQueue(namer.real(b.queue)));
    if (!q.ok && q.code === NOT_FOUND) continue;
    if (!q.ok) throw new Error(`checking queue ${namer.real(b.queue)} failed: ${q.message}`);
    if (q.value.consumerCount > 0 && !opts.force && p.refusal === undefined) {
      p.refusal = `queue ${namer.real(b.queue)} has ${q.value.consumerCount} consumer(s) on the old ${real}: stop every Legwork app still running, then start again or run \`${MIGRATE_EXCHANGES_COMMAND}\``;
    }
    p.present.push(b);
  }
  if (probe.state === 'mismatch' && !opts.force && p.refusal === undefined) {
    p.refusal = `${real} exists with another type or arguments than Kazoo's (${probe.type}, non-durable): run \`${MIGRATE_EXCHANGES_COMMAND} --force\` to replace it`;
  }
  return p;
}

async function bindAll(model: ChannelModel, namer: Namer, p: Plan): Promise<void> {
  for (const b of p.present) await run(model, `binding ${b.queue}`, (ch) => ch.bindQueue(namer.real(b.queue), p.real, b.routingKey));
}

async function run(model: ChannelModel, what: string, fn: (ch: Channel) => Promise<unknown>): Promise<void> {
  const result = await attempt(model, fn);
  if (!result.ok) throw new Error(`${what} failed: ${result.message}`);
}
