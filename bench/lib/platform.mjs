/* global process */
// One legwork process (`npm start`'s launcher) on the real broker and store, as the REST benches drive it.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { AMQP_URL, REDIS_URL, ROOT, benchSecretKeys, inheritedEnv, sleep } from './env.mjs';
import { Rest } from './http-load.mjs';
import { child } from './procs.mjs';

const FREE_PORTS = { API_GATEWAY_PORT: '0', WEBSOCKETS_PORT: '0', MEDIA_NODE_HTTP_PORT: '0', WEBHOOKS_PORT: '0', SIP_UDP_PORT: '0', SIP_TCP_PORT: '0', SIP_WS_PORT: '0' };

/**
 * Starts legwork in the bench's namespace with a bootstrap API key, the request bucket lifted (the figures are the
 * platform's, not the rate limiter's) and `env` on top; resolves once its banner names the API and the SIP port.
 */
export async function startLegwork({ ns, prefix, procs, env = {} }) {
  const apiKey = randomBytes(32).toString('hex');
  const platform = child('legwork', process.execPath, [join(ROOT, 'apps/legwork/dist/main.js')], {
    cwd: ROOT,
    env: {
      ...inheritedEnv(), ...FREE_PORTS, NODE_ID: ns, AMQP_URL, REDIS_URL, AMQP_NAMESPACE: ns, REDIS_PREFIX: prefix, LEGWORK_SECRET_KEYS: benchSecretKeys(),
      LOG_LEVEL: 'warn', LEGWORK_BOOTSTRAP_API_KEY: apiKey, RATE_BUCKET_BURST: '1000000', RATE_BUCKET_REFILL_PER_SECOND: '1000000', DRAIN_TIMEOUT_MS: '1000', ...env,
    },
  });
  procs.push(platform);
  for (let waited = 0; !platform.out.stdout.includes('Press Ctrl+C to stop.'); waited += 100) {
    if (waited > 30_000 || platform.proc.exitCode !== null) throw new Error(`legwork did not start\n${platform.out.tail}`);
    await sleep(100);
  }
  const api = /^ {2}api-gateway +(http:\/\/\S+) /m.exec(platform.out.stdout)?.[1];
  const sipPort = /sip: udp:127\.0\.0\.1:(\d+)/.exec(platform.out.stdout)?.[1];
  if (!api || !sipPort) throw new Error(`no API or SIP port in the banner\n${platform.out.stdout}`);
  return { platform, api, sipPort, apiKey };
}

/** Logs in with the master key and creates an account of `phones` SIP devices (`ph<i>`); returns the REST client on it. */
export async function provisionPhones({ api, apiKey, tag, realm, phones }) {
  const auth = await new Rest(api).call('PUT', '/v2/api_auth', { api_key: apiKey });
  const rest = new Rest(api, auth.body.auth_token);
  const account = await rest.create(`/v2/accounts/${auth.body.data.account_id}`, { name: `bench-${tag}`, realm });
  const base = `/v2/accounts/${account.id}`;
  const devices = [];
  for (let i = 0; i < phones; i++) {
    const d = await rest.create(`${base}/devices`, { name: `ph${i}`, sip: { username: `ph${i}`, password: `pw-${tag}-${i}` } });
    devices.push({ id: d.id, username: `ph${i}`, password: `pw-${tag}-${i}` });
  }
  return { rest, base, devices };
}
