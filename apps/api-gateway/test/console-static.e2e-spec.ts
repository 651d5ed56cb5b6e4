import { request } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@legwork/platform';
import { apiGatewayConfigSchema } from '../src';
import { startKazooApp, type KazooApp } from './kazoo-app.harness';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A GET with the path sent byte for byte: fetch would resolve `..` and dot escapes before the server saw them. */
function rawGet(base: string, path: string): Promise<Raw> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A built console of three files, with a secret beside its folder and a dotfile inside it. */
function fixture(): { root: string; dist: string } {
  const root = mkdtempSync(join(tmpdir(), 'console-static-'));
  const dist = join(root, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>console fixture</title>');
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(dist, 'assets', 'index-abc123.css'), 'body{}');
  writeFileSync(join(dist, '.env'), 'DOTFILE_SECRET');
  writeFileSync(join(root, 'secret.txt'), 'OUTSIDE_SECRET');
  return { root, dist };
}

describe('the web console at /console (gateway, in-process)', () => {
  const files = fixture();
  let app: KazooApp;

  beforeAll(async () => {
    app = await startKazooApp({ env: { CONSOLE_DIR: files.dist, CONSOLE_EVENTS_PORT: '5599' } });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(files.root, { recursive: true, force: true });
  });

  it.each(['/console', '/console/'])('%s is the page, with its CSP and the headers that keep it out of frames and sniffing', async (path) => {
    const res = await rawGet(app.url, path);
    expect(res.status).toBe(200);
    expect(res.body).toContain('console fixture');
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    // recordings play from blob: URLs the page fetched with its token; no other media source is allowed
    expect(csp).toContain('media-src blob:;');
    expect(csp).toContain("connect-src 'self' ws://*:5599 wss://*:5599 ws://*:5066 wss://*:5066;");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('assets get their content types and are cached for good (their names carry their hash)', async () => {
    const js = await rawGet(app.url, '/console/assets/index-abc123.js');
    const css = await rawGet(app.url, '/console/assets/index-abc123.css');
    expect([js.status, js.headers['content-type'], js.headers['cache-control']]).toEqual([200, 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable']);
    expect([css.status, css.headers['content-type']]).toEqual([200, 'text/css; charset=utf-8']);
  });

  it.each([
    ['/console/../secret.txt', 403],
    ['/console/..%2fsecret.txt', 403],
    ['/console/%2e%2e/secret.txt', 403],
    ['/console/%2e%2e%2fsecret.txt', 403],
    ['/console/assets/..%2f..%2fsecret.txt', 403],
    ['/console/assets/%2e%2e%2f%2e%2e%2f..%2f..%2fetc%2fpasswd', 403],
    ['/console/..%5csecret.txt', 403],
    ['/console/%252e%252e%252fsecret.txt', 404],
    ['/console/.env', 403],
    ['/console/assets/x%00.js', 400],
  ])('%s never leaves the console folder: %i with the console error shape', async (path, status) => {
    const res = await rawGet(app.url, path);
    expect(res.status).toBe(status);
    expect(res.body).not.toMatch(/OUTSIDE_SECRET|DOTFILE_SECRET|root:/);
    if (path.startsWith('/console/')) {
      expect(JSON.parse(res.body)).toEqual({ error: expect.stringMatching(/^console_(not_found|forbidden|bad_path)$/), message: expect.any(String) });
      expect(res.headers['content-security-policy']).toBeDefined();
    }
  });

  it('a folder or a missing file is 404 console_not_found: no listing, no redirect', async () => {
    for (const path of ['/console/assets', '/console/assets/', '/console/nope.js']) {
      const res = await rawGet(app.url, path);
      expect({ path, status: res.status, body: JSON.parse(res.body) as unknown }).toEqual({ path, status: 404, body: { error: 'console_not_found', message: 'no such console file' } });
    }
  });

  it("config.json tells the page where the event stream and the softphone's SIP WebSocket are: ports on its own host by default", async () => {
    const res = await rawGet(app.url, '/console/config.json');
    expect([res.status, JSON.parse(res.body)]).toEqual([200, { events: { port: 5599, path: '/websocket' }, sip: { port: 5066, path: '/' } }]);
  });

  it('the route-owner guard lets the console through (it is claimed), and Kazoo routes answer as before', async () => {
    expect((await rawGet(app.url, '/console/')).status).toBe(200);
    expect((await app.call('GET', '/v2/accounts/0123456789abcdef0123456789abcdef/devices')).status).toBe(401);
  });
});

describe('console settings', () => {
  it('CONSOLE_EVENTS_URL and CONSOLE_SIP_URL name the two sockets, and they are the only ones the CSP allows', async () => {
    const files = fixture();
    const app = await startKazooApp({
      env: { CONSOLE_DIR: files.dist, CONSOLE_EVENTS_URL: 'wss://events.example.test:8443/websocket', CONSOLE_SIP_URL: 'wss://sip.example.test:7443' },
    });
    try {
      const res = await rawGet(app.url, '/console/config.json');
      expect(JSON.parse(res.body)).toEqual({ events: { url: 'wss://events.example.test:8443/websocket' }, sip: { url: 'wss://sip.example.test:7443' } });
      expect(String((await rawGet(app.url, '/console/')).headers['content-security-policy'])).toContain("connect-src 'self' wss://events.example.test:8443 wss://sip.example.test:7443;");
    } finally {
      await app.close();
      rmSync(files.root, { recursive: true, force: true });
    }
  });

  it('a console that was never built answers 503 console_not_built, naming the build', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'console-empty-'));
    const app = await startKazooApp({ env: { CONSOLE_DIR: empty } });
    try {
      const res = await rawGet(app.url, '/console/');
      expect([res.status, JSON.parse(res.body)]).toEqual([503, { error: 'console_not_built', message: 'the console is not built: run npm run build' }]);
    } finally {
      await app.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('CONSOLE_ENABLED=false mounts nothing at /console', async () => {
    const app = await startKazooApp({ env: { CONSOLE_ENABLED: 'false' } });
    try {
      expect((await rawGet(app.url, '/console/')).status).toBe(404);
    } finally {
      await app.close();
    }
  });

  it.each([
    ['CONSOLE_EVENTS_URL', 'http://events.example.test/websocket'],
    ['CONSOLE_EVENTS_URL', "wss://x.test/a' 'unsafe-inline"],
    ['CONSOLE_EVENTS_PORT', '70000'],
    ['CONSOLE_SIP_URL', 'https://sip.example.test'],
    ['CONSOLE_SIP_URL', 'wss://sip.test/a;b'],
    ['CONSOLE_SIP_PORT', '0'],
  ])('%s=%s is refused at boot, naming the variable', (name, value) => {
    expect(() => loadConfig(apiGatewayConfigSchema, { [name]: value })).toThrow(name);
  });
});
