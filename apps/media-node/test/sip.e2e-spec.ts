import { join } from 'node:path';
import { createInfrastructure, createLogger, loadConfig, type Infrastructure } from '@legwork/platform';
import { bootstrapMediaNode, type MediaNodeHandle } from '../src/bootstrap';
import { mediaNodeConfigSchema } from '../src/media-node.config';
import { killAllSipp, runSipp, SIPP_SCENARIOS } from '@legwork/originate/testing';

jest.setTimeout(60_000);

const REALM = 'media.legwork.test';
const SCENARIO = join(SIPP_SCENARIOS, 'register-digest-options.xml');

describe('media node SIP with sipp', () => {
  const logger = createLogger('media-node', 'silent');
  const config = loadConfig(mediaNodeConfigSchema, { NODE_ID: 'sip-e2e', HOST: '127.0.0.1', MEDIA_NODE_HTTP_PORT: '0', SIP_UDP_PORT: '0', SIP_TCP_PORT: '0', SIP_WS_PORT: '0' });
  let infra: Infrastructure;
  let app: MediaNodeHandle;

  beforeAll(async () => {
    infra = createInfrastructure({ appName: 'media-node', nodeId: config.NODE_ID, logger });
    await infra.start();
    const account = await infra.directory.accounts.create({ name: 'sipp-e2e', realm: REALM });
    await infra.directory.devices.create(account.id, { name: 'desk phone', sip: { username: 'desk100', password: 'desk-secret-1' } });
    app = await bootstrapMediaNode({ config, infra, logger });
  });

  afterAll(async () => {
    killAllSipp();
    await app?.close();
    await infra?.close();
  });

  const portOf = (protocol: 'udp' | 'tcp'): number => {
    const entry = app.sip.listening().find((l) => l.protocol === protocol);
    if (entry === undefined) throw new Error(`no ${protocol} listener`);
    return entry.port;
  };

  it.each([
    ['udp', 'u1'],
    ['tcp', 't1'],
  ] as const)('sipp over %s: REGISTER is challenged, answered with digest and stored; OPTIONS gets 200', async (protocol, mode) => {
    const auth = ['-au', 'desk100', '-ap', 'desk-secret-1', '-s', 'desk100', '-set', 'domain', REALM];
    const { code, output } = await runSipp([`127.0.0.1:${portOf(protocol)}`, '-sf', SCENARIO, '-t', mode, '-m', '1', ...auth]);
    if (code !== 0) throw new Error(`sipp exited ${code}:\n${output}`);
    const bindings = await infra.calls.registrations.list(`desk100@${REALM}`);
    expect(bindings).toEqual([expect.objectContaining({ transport: protocol, nodeId: 'sip-e2e', uri: expect.stringContaining(`transport=${protocol.toUpperCase()}`) })]);
    await infra.calls.registrations.removeAll(`desk100@${REALM}`);
  });

  it('sipp with a wrong password never gets 200 and stores nothing', async () => {
    const auth = ['-au', 'desk100', '-ap', 'not-the-password', '-s', 'desk100', '-set', 'domain', REALM];
    const { code, output } = await runSipp([`127.0.0.1:${portOf('udp')}`, '-sf', SCENARIO, '-t', 'u1', '-m', '1', ...auth]);
    expect(code).not.toBe(0);
    // the second REGISTER is challenged again instead of accepted
    expect(output).toMatch(/unexpected message.*401|401.*unexpected/is);
    expect(await infra.calls.registrations.list(`desk100@${REALM}`)).toEqual([]);
    // the guess is a failed authentication in the node's /metrics (the directory's shared throttle counts it)
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toContain('legwork_auth_failures_total{surface="sip"} 1');
  });
});
