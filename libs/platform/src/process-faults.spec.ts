import { execSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LegworkError, type Logger } from '@legwork/common';
import { processFaultCounter, reportProcessFault } from './process-faults';

jest.setTimeout(60_000);

const ROOT = join(__dirname, '..', '..', '..');
const PLATFORM_DIST = join(ROOT, 'libs', 'platform', 'dist', 'index.js');

/** A process booted by runProcess that, asked to, throws in a timer and rejects a promise, as a call's handler might. */
const PROBE = `
const http = require('node:http');
const { runProcess, getProcessRegistry } = require(${JSON.stringify(PLATFORM_DIST)});
const logger = { debug() {}, info() {}, warn() {}, error(o, m) { process.stderr.write(JSON.stringify({ msg: m, kind: o.kind, callId: o.callId, err: String(o.err) }) + '\\n'); } };
void runProcess(async () => {
  const server = http.createServer(async (req, res) => {
    if (req.url === '/boom') {
      setTimeout(() => { throw Object.assign(new Error('timer bug in one call'), { callId: 'call-1' }); }, 0);
      void (async () => { await new Promise((r) => setTimeout(r, 5)); throw new Error('async bug in one call'); })();
    }
    res.end(req.url === '/metrics' ? await getProcessRegistry().metrics() : 'served ' + req.url);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  process.stdout.write('PORT ' + server.address().port + '\\n');
  return { logger, close: () => new Promise((r) => server.close(r)) };
}, { name: 'fault-probe' });
`;

describe('process fault handlers', () => {
  it('log a fault with the call id it carries and count it', () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (o) => void lines.push(o as Record<string, unknown>) };
    const before = processFaultCounter();
    reportProcessFault('unhandled_rejection', new LegworkError('x', 'boom', { callId: 'abc' }), logger);
    expect(lines).toEqual([expect.objectContaining({ kind: 'unhandled_rejection', callId: 'abc' })]);
    expect(before).toBe(processFaultCounter());
  });

  it('a process run by runProcess survives an uncaught exception and an unhandled rejection and serves the next request', async () => {
    if (!existsSync(PLATFORM_DIST)) execSync('npx nx run platform:build --outputStyle=stream', { cwd: ROOT, stdio: 'ignore', env: { ...process.env, NX_DAEMON: 'false' } });
    const child = spawn(process.execPath, ['-e', PROBE], { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      for (let i = 0; i < 200 && !/PORT \d+/.test(stdout); i++) await new Promise((r) => setTimeout(r, 25));
      const base = `http://127.0.0.1:${/PORT (\d+)/.exec(stdout)?.[1] ?? '0'}`;
      expect(await (await fetch(`${base}/boom`)).text()).toBe('served /boom');
      for (let i = 0; i < 200 && stderr.split('\n').filter(Boolean).length < 2; i++) await new Promise((r) => setTimeout(r, 25));
      expect(await (await fetch(`${base}/next`)).text()).toBe('served /next');
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/legwork_process_faults_total\{kind="uncaught_exception"\} 1/);
      expect(metrics).toMatch(/legwork_process_faults_total\{kind="unhandled_rejection"\} 1/);
      const logged = stderr.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(logged).toEqual(expect.arrayContaining([
        expect.objectContaining({ kind: 'uncaught_exception', callId: 'call-1', err: 'Error: timer bug in one call' }),
        expect.objectContaining({ kind: 'unhandled_rejection', err: 'Error: async bug in one call' }),
      ]));
      expect(child.exitCode).toBeNull();
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
