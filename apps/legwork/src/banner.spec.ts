import { formatBanner } from './banner';

const apps = [
  { name: 'api-gateway', url: 'http://127.0.0.1:8000' },
  { name: 'webhooks', url: 'http://127.0.0.1:8002' },
];

describe('formatBanner', () => {
  it('explains embedded mode and lists each app with its health URL', () => {
    const text = formatBanner({ mode: 'embedded', nodeId: 'n1', apps });
    expect(text).toContain('Legwork is running (node n1)');
    expect(text).toContain('mode: embedded: in-process bus and store, nothing persisted; media bypass by default');
    expect(text).toContain('  api-gateway  http://127.0.0.1:8000  health: http://127.0.0.1:8000/healthz');
    expect(text).toContain('  webhooks     http://127.0.0.1:8002  health: http://127.0.0.1:8002/healthz');
    expect(text).not.toContain('amqp:');
  });

  it('shows the (redacted) services in distributed mode', () => {
    const text = formatBanner({ mode: 'distributed', nodeId: 'n1', apps, amqpUrl: 'amqp://guest:***@mq:5672', redisUrl: 'redis://r:6379' });
    expect(text).toContain('mode: distributed');
    expect(text).toContain('amqp: amqp://guest:***@mq:5672');
    expect(text).toContain('redis: redis://r:6379');
  });
});
