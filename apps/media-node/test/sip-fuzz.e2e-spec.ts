import { waitFor } from '@legwork/common/testing';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createInfrastructure, createLogger, type Infrastructure } from '@legwork/platform';
import { AMQP_URL, REDIS_URL, cleanupScratch, scratchEnv, scratchNames } from '@legwork/platform/testing';
import { SHARED_ORIGINATE_QUEUE } from '@legwork/originate';
import { killAllSipp, runSipp, SIPP_SCENARIOS } from '@legwork/originate/testing';
import { MediaNodeChild, ensureMediaNodeBuilt } from './media-node-child';
import { fuzzTcp, fuzzUdp, fuzzWs, type FuzzRun, type FuzzTally } from './sip-fuzz.senders';

/** `npm test` sends a few thousand; `npm run test:fuzz` sets FUZZ_SIP_MESSAGES=100000. Split evenly over UDP, TCP and WS. */
const TOTAL = Number(process.env['FUZZ_SIP_MESSAGES'] ?? 9_000);
if (!Number.isInteger(TOTAL) || TOTAL < 3) throw new Error(`FUZZ_SIP_MESSAGES must be a whole number of at least 3, not ${String(process.env['FUZZ_SIP_MESSAGES'])}`);
const PER_TRANSPORT = Math.ceil(TOTAL / 3);
// a leak of even 100 bytes per message of the full run would cross this; allocator noise does not
const HEAP_GROWTH_BOUND = 48 * 1024 * 1024;
const SCENARIO = join(SIPP_SCENARIOS, 'register-digest-options.xml');

jest.setTimeout(Math.max(120_000, TOTAL * 30));

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** A media node process under mutated and random SIP on all three transports while a sipp phone keeps registering. */
describe(`SIP fuzz: ${TOTAL.toLocaleString('en')} hostile messages at a media node process over UDP, TCP and WS`, () => {
  const tag = randomBytes(5).toString('hex');
  const scratch = scratchNames('sipfuzz');
  const realm = `sipfuzz-${tag}.legwork.test`;
  let infra: Infrastructure;
  let node: MediaNodeChild;
  let url = '';
  const ports = { udp: 0, tcp: 0, ws: 0 };

  const register = async (): Promise<void> => {
    const auth = ['-au', 'desk', '-ap', 'desk-secret-1', '-s', 'desk', '-set', 'domain', realm];
    const { code, output } = await runSipp([`127.0.0.1:${ports.udp}`, '-sf', SCENARIO, '-t', 'u1', '-m', '1', ...auth], 60);
    if (code !== 0) throw new Error(`sipp REGISTER + OPTIONS exited ${String(code)}:\n${output}`);
  };

  beforeAll(async () => {
    ensureMediaNodeBuilt();
    infra = createInfrastructure({ appName: 'sip-fuzz-test', nodeId: `probe-${tag}`, logger: createLogger('sip-fuzz-test', 'silent'), amqpUrl: AMQP_URL, redisUrl: REDIS_URL, amqpNamespace: scratch.amqpNamespace, redisPrefix: scratch.redisPrefix, secretKeys: scratch.secretKeys });
    await infra.start();
    const account = await infra.directory.accounts.create({ name: `sipfuzz-${tag}`, realm });
    await infra.directory.devices.create(account.id, { name: 'desk', sip: { username: 'desk', password: 'desk-secret-1' } });
    node = MediaNodeChild.start(`sipfuzz-${tag}`, {
      AMQP_URL, REDIS_URL, ...scratchEnv(scratch), HOST: '127.0.0.1', LOG_LEVEL: 'info',
      MEDIA_NODE_HTTP_PORT: '0', SIP_UDP_PORT: '0', SIP_TCP_PORT: '0', SIP_WS_PORT: '0', DRAIN_TIMEOUT_MS: '1000',
    });
    url = await node.httpUrl();
    for (const protocol of ['udp', 'tcp', 'ws'] as const) ports[protocol] = await node.sipPort(protocol);
  });

  afterAll(async () => {
    killAllSipp();
    await node?.stop('SIGTERM');
    await infra?.close();
    await cleanupScratch(scratch, { queues: [SHARED_ORIGINATE_QUEUE] });
  });

  it('answers what it can, never crashes, keeps serving registrations during the run, and its heap comes back', async () => {
    await register();
    const heapBefore = await metric(url, 'legwork_nodejs_heap_size_used_bytes');
    let fuzzing = true;
    let registrations = 0;
    // the valid flow: sipp REGISTER with digest, then OPTIONS, over and over while the fuzz runs
    const valid = (async () => {
      while (fuzzing) {
        await register();
        registrations++;
      }
    })();
    // a failure is raised by the await below, once the fuzz has stopped
    valid.catch(() => undefined);
    const runs: Array<[(run: FuzzRun) => Promise<FuzzTally>, keyof typeof ports, string]> = [[fuzzUdp, 'udp', '127.0.0.2'], [fuzzTcp, 'tcp', '127.0.0.3'], [fuzzWs, 'ws', '127.0.0.4']];
    let tallies: FuzzTally[];
    try {
      tallies = await Promise.all(runs.map(([fuzz, protocol, source], i) => fuzz({ host: '127.0.0.1', port: ports[protocol], source, count: PER_TRANSPORT, seed: 0xf022 + i })));
    } finally {
      fuzzing = false;
    }
    await valid;
    expect(registrations).toBeGreaterThan(0);
    expect(node.alive).toBe(true);

    // the process is alive and well: healthz, a fresh REGISTER, no fault escaped a barrier
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    await register();
    expect(await metric(url, 'legwork_process_faults_total')).toBe(0);
    for (const t of tallies) {
      expect(t.sent).toBe(PER_TRANSPORT);
      expect(t.probes).toBeGreaterThan(0);
      expect(Object.keys(t.answered).some((status) => status.startsWith('4'))).toBe(true);
    }
    // transactions the fuzz opened end by their timers (32 s); the heap must come back within the bound once they have
    let heapAfter = Infinity;
    await waitFor(async () => (heapAfter = await metric(url, 'legwork_nodejs_heap_size_used_bytes')) - heapBefore < HEAP_GROWTH_BOUND, {
      message: () => `heap back within ${HEAP_GROWTH_BOUND} B of ${heapBefore} B (now ${heapAfter} B)`, timeoutMs: 90_000, intervalMs: 1_000,
    });
    console.log(JSON.stringify({ total: TOTAL, registrations, heapBefore, heapAfter, tallies }));
  });
});
