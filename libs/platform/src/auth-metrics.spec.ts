import { silentLogger } from '@legwork/common';
import { createInfrastructure } from './infrastructure';
import { getProcessRegistry } from './metrics-registry';

describe('auth failure metrics', () => {
  it('counts the directory throttle failures and refusals in the process registry', async () => {
    const infra = createInfrastructure({ appName: 'test', nodeId: 'n1', logger: silentLogger, authThrottle: { sourceFailures: 1 } });
    const before = await getProcessRegistry().getSingleMetricAsString('legwork_auth_failures_total');
    await infra.directory.throttle.failed({ surface: 'sip', source: '192.0.2.1', username: 'a' }, 'bad_password');
    expect(await infra.directory.throttle.check({ surface: 'sip', source: '192.0.2.1' })).toMatchObject({ allowed: false });
    const after = await getProcessRegistry().getSingleMetricAsString('legwork_auth_failures_total');
    expect(before).toContain('# TYPE legwork_auth_failures_total counter');
    expect(before).not.toContain('surface="sip"} 1');
    expect(after).toContain('legwork_auth_failures_total{surface="sip"} 1');
    expect(await getProcessRegistry().getSingleMetricAsString('legwork_auth_throttled_total')).toContain('{surface="sip"} 1');
    await infra.close();
  });
});
