import { loadConfig } from '@legwork/platform';
import { legworkConfigSchema } from './legwork.config';
import { startPlatform } from './launcher';

const ANSI = /\x1b\[[0-9;]*m/g; // eslint-disable-line no-control-regex
const PORTS = { API_GATEWAY_PORT: '0', WEBSOCKETS_PORT: '0', MEDIA_NODE_HTTP_PORT: '0', WEBHOOKS_PORT: '0', SIP_UDP_PORT: '0', SIP_TCP_PORT: '0', SIP_WS_PORT: '0' };
const BOOT_CONTEXTS = ['RouterExplorer', 'RoutesResolver', 'InstanceLoader'];

/** Every log line of an embedded platform's start and stop, with the terminal decision injected. */
async function bootLog(isTty: boolean, env: Record<string, string> = {}): Promise<string[]> {
  const lines: string[] = [];
  const config = loadConfig(legworkConfigSchema, { ...PORTS, NODE_ID: 'log-spec', HOST: '127.0.0.1', ...env });
  const platform = await startPlatform(config, { isTty, destination: { write: (chunk: string) => void lines.push(...chunk.split('\n').filter((l) => l !== '')) } });
  await platform.close();
  return lines;
}

const json = (lines: string[]): Array<Record<string, unknown>> => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

describe('embedded platform logs (npm start)', () => {
  it('on a terminal: readable lines, one per entry, none of them JSON', async () => {
    const lines = (await bootLog(true)).map((l) => l.replace(ANSI, ''));
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.filter((l) => !/^\[\d\d:\d\d:\d\d\.\d{3}\] (TRACE|DEBUG|INFO|WARN|ERROR|FATAL): [a-z-]+( \[\w+\])?: /.test(l))).toEqual([]);
    expect(lines.filter((l) => l.startsWith('{'))).toEqual([]);
    expect(lines.some((l) => /INFO: media-node: sip listening \{"sip":\["udp:127\.0\.0\.1:\d+"/.test(l))).toBe(true);
  });

  it('not a terminal: JSON lines carrying level, app and node', async () => {
    const entries = json(await bootLog(false));
    expect(entries.length).toBeGreaterThan(5);
    expect(entries.filter((e) => typeof e.level !== 'string' || typeof e.app !== 'string' || e.node !== 'log-spec' || typeof e.msg !== 'string')).toEqual([]);
    expect(entries.some((e) => e.app === 'media-node' && e.msg === 'sip listening')).toBe(true);
  });

  it("LOG_LEVEL info: none of Nest's route-mapping and module lines; debug: they are there, at debug", async () => {
    const info = json(await bootLog(false, { LOG_LEVEL: 'info' }));
    expect(info.filter((e) => BOOT_CONTEXTS.includes(String(e.context)) || /^Mapped \{/.test(String(e.msg)))).toEqual([]);
    const debug = json(await bootLog(false, { LOG_LEVEL: 'debug' }));
    const mapped = debug.filter((e) => e.context === 'RouterExplorer');
    expect(mapped.some((e) => e.msg === 'Mapped {/v2/api_auth, PUT} route' && e.app === 'api-gateway')).toBe(true);
    expect(new Set(debug.filter((e) => BOOT_CONTEXTS.includes(String(e.context))).map((e) => `${String(e.context)}:${String(e.level)}`))).toEqual(
      new Set(BOOT_CONTEXTS.map((c) => `${c}:debug`)),
    );
  });
});
