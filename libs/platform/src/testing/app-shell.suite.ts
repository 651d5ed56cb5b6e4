import type { z } from 'zod';
import { loadConfig, type EnvSchema } from '../config';
import { createInfrastructure, type Infrastructure } from '../infrastructure';
import { createLogger } from '../logger';
import type { AppContext, AppHandle } from '../run-app';

export interface AppShellSuite<S extends EnvSchema> {
  appName: string;
  schema: S;
  /** Env that puts every listener of the app on an ephemeral port. */
  env: Record<string, string>;
  bootstrap: (ctx: AppContext<z.output<S>>) => Promise<AppHandle>;
  /** The health checks the app reports besides bus, store and directory. */
  extraChecks?: string[];
}

/** The behaviour every app shell shares: healthz over the shared infrastructure, 503 once it is gone, clean close. */
export function describeAppShell<S extends EnvSchema>(suite: AppShellSuite<S>): void {
  const logger = createLogger(suite.appName, 'silent');
  const nodeId = 'shell-test';
  const config = loadConfig(suite.schema, { NODE_ID: nodeId, HOST: '127.0.0.1', ...suite.env });
  const checks = Object.fromEntries(['bus', 'store', 'directory', ...(suite.extraChecks ?? [])].map((name) => [name, 'ok']));

  describe(`${suite.appName} shell`, () => {
    let infra: Infrastructure;

    beforeEach(async () => {
      infra = createInfrastructure({ appName: suite.appName, nodeId, logger });
      await infra.start();
    });
    afterEach(() => infra.close());

    it('serves healthz over the shared infrastructure and stops on close', async () => {
      const app = await suite.bootstrap({ config, infra, logger });
      try {
        expect(app.name).toBe(suite.appName);
        const res = await fetch(`${app.url}/healthz`);
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ status: 'ok', checks });
      } finally {
        await app.close();
      }
      await expect(fetch(`${app.url}/healthz`)).rejects.toThrow();
    });

    it('reports 503 once the infrastructure is gone', async () => {
      const app = await suite.bootstrap({ config, infra, logger });
      try {
        await infra.close();
        const res = await fetch(`${app.url}/healthz`);
        expect(res.status).toBe(503);
        expect(await res.json()).toMatchObject({ status: 'error' });
      } finally {
        await app.close();
      }
    });
  });
}
