import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connect } from 'amqplib';
import { KAZOO_DECLARE, KAZOO_EXCHANGES } from '@legwork/bus/testing';
import { AMQP_URL, cleanupScratch, scratchNames, type Scratch } from '@legwork/platform/testing';
import { runBusCommand } from '../src/bus.command';

const CLI = join(__dirname, '..', 'dist', 'cli.js');
const run = promisify(execFile);

function capture(): { io: { out: (l: string) => void; err: (l: string) => void }; out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l) => out.push(l), err: (l) => err.push(l) }, out: () => out.join(''), err: () => err.join('') };
}

/** Runs `fn` on a raw channel; a refusal comes back as its reply code. */
async function raw(fn: (ch: import('amqplib').Channel) => Promise<unknown>): Promise<'ok' | number | undefined> {
  const conn = await connect(AMQP_URL);
  try {
    const ch = await conn.createChannel();
    ch.on('error', () => undefined);
    await fn(ch);
    await ch.close();
    return 'ok';
  } catch (err) {
    return (err as { code?: number }).code;
  } finally {
    await conn.close().catch(() => undefined);
  }
}

const declareAll = (ns: string, options: object) => raw(async (ch) => {
  for (const { name, type } of KAZOO_EXCHANGES) await ch.assertExchange(`${ns}.${name}`, type, options);
});

describe('npm run legwork -- bus migrate-exchanges', () => {
  let scratch: Scratch;
  beforeEach(() => {
    scratch = scratchNames('bus-cli');
  });
  afterEach(() => cleanupScratch(scratch, { queues: ['legwork.cdr', 'someone.else'] }));

  it('explains its usage and the environment it needs', async () => {
    const c = capture();
    expect(await runBusCommand(['bus', 'shuffle'], {}, c.io)).toBe(2);
    expect(c.err()).toContain('usage: legwork bus migrate-exchanges');
    expect(await runBusCommand(['bus', 'migrate-exchanges'], { AMQP_URL: 'http://nope' }, c.io)).toBe(2);
    expect(c.err()).toContain('AMQP_URL');
  });

  it("replaces the durable exchanges an earlier Legwork declared, re-binding its shared queue; a dry run changes nothing; Kazoo's declare then succeeds", async () => {
    const ns = scratch.amqpNamespace;
    const env = { AMQP_URL, AMQP_NAMESPACE: ns };
    expect(await declareAll(ns, { durable: true })).toBe('ok');
    expect(await raw(async (ch) => {
      await ch.assertQueue(`${ns}.legwork.cdr`, { durable: true });
      await ch.bindQueue(`${ns}.legwork.cdr`, `${ns}.callevt`, 'call.CHANNEL_DESTROY.*');
    })).toBe('ok');

    const dry = capture();
    expect(await runBusCommand(['bus', 'migrate-exchanges', '--dry-run'], env, dry.io)).toBe(0);
    expect(dry.out()).toContain(`${ns}.callevt: would be replaced (dry run); re-bound legwork.cdr`);
    expect(await declareAll(ns, KAZOO_DECLARE)).toBe(406);

    // the built CLI, as an operator runs it
    const { stdout } = await run(process.execPath, [CLI, 'bus', 'migrate-exchanges'], { env: { ...process.env, ...env } });
    expect(stdout).toContain(`${ns}.callmgr: replaced by a non-durable exchange, as Kazoo declares it`);
    expect(stdout).toContain(`${ns}.callevt: replaced by a non-durable exchange, as Kazoo declares it; re-bound legwork.cdr`);
    expect(await declareAll(ns, KAZOO_DECLARE)).toBe('ok');
    const routed = await raw(async (ch) => {
      await ch.assertQueue(`${ns}.legwork.cdr`, { durable: true });
      ch.publish(`${ns}.callevt`, 'call.CHANNEL_DESTROY.x', Buffer.from('{}'));
      await new Promise((r) => setTimeout(r, 100));
      const got = await ch.get(`${ns}.legwork.cdr`, { noAck: true });
      if (got === false) throw Object.assign(new Error('not routed'), { code: -1 });
    });
    expect(routed).toBe('ok');

    const again = capture();
    expect(await runBusCommand(['bus', 'migrate-exchanges'], env, again.io)).toBe(0);
    expect(again.out()).toContain(`${ns}.callmgr: already declared as Kazoo declares it`);
  });

  it('refuses (exit 1) while another application is bound to an old exchange, until --force', async () => {
    const ns = scratch.amqpNamespace;
    const env = { AMQP_URL, AMQP_NAMESPACE: ns };
    expect(await declareAll(ns, { durable: true })).toBe('ok');
    expect(await raw(async (ch) => {
      await ch.assertQueue(`${ns}.someone.else`, { durable: true });
      await ch.bindQueue(`${ns}.someone.else`, `${ns}.callctl`, 'theirs');
    })).toBe('ok');
    const refused = capture();
    expect(await runBusCommand(['bus', 'migrate-exchanges'], env, refused.io)).toBe(1);
    expect(refused.err()).toContain(`${ns}.callctl has bindings Legwork does not know`);
    expect(await declareAll(ns, { durable: true })).toBe('ok');
    const forced = capture();
    expect(await runBusCommand(['bus', 'migrate-exchanges', '--force'], env, forced.io)).toBe(0);
    expect(await declareAll(ns, KAZOO_DECLARE)).toBe('ok');
  });
});
