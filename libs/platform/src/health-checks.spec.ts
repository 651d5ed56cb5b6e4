import { runHealthChecks } from './health-checks';

describe('runHealthChecks', () => {
  it('reports ok when every check resolves', async () => {
    const report = await runHealthChecks({ bus: async () => undefined, store: async () => undefined });
    expect(report).toEqual({ status: 'ok', checks: { bus: 'ok', store: 'ok' } });
  });

  it('reports each failing check with its message, sync throws included', async () => {
    const report = await runHealthChecks({
      bus: async () => undefined,
      store: async () => {
        throw new Error('connection refused');
      },
      directory: () => {
        throw new Error('not started');
      },
    });
    expect(report).toEqual({
      status: 'error',
      checks: { bus: 'ok', store: 'error', directory: 'error' },
      errors: { store: 'connection refused', directory: 'not started' },
    });
  });

  it('fails a check that does not settle within the bound', async () => {
    let release: () => void = () => undefined;
    const hanging = new Promise<void>((resolve) => (release = resolve));
    const report = await runHealthChecks({ bus: () => hanging }, 20);
    release();
    expect(report.status).toBe('error');
    expect(report.errors).toEqual({ bus: 'timed out after 20 ms' });
  });
});
