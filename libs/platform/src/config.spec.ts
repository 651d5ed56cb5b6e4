import { z } from 'zod';
import { isLegworkError } from '@legwork/common';
import { loadConfig, redactConfig, secret } from './config';
import { ConfigError } from './config.error';
import { apiGatewayPortShape, baseConfigShape, mediaNodePortShape } from './config.schema';

const schema = z.object({ ...baseConfigShape, ...apiGatewayPortShape, ...mediaNodePortShape });

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = loadConfig(schema, {});
    expect(config).toMatchObject({
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      API_GATEWAY_PORT: 8000,
      MEDIA_NODE_HTTP_PORT: 8001,
      SIP_UDP_PORT: 5060,
      SIP_TCP_PORT: 5060,
      SIP_WS_PORT: 5066,
      REDIS_PREFIX: 'lw:',
      AMQP_NAMESPACE: '',
      AMQP_EXCHANGE_MIGRATION: 'auto',
      EVENT_LOG_MAX_LENGTH: 10_000,
      EVENT_LOG_MAX_AGE_SECONDS: 900,
    });
    expect(config.AMQP_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.NODE_ID).toMatch(/^[A-Za-z0-9_.-]+-\d+-[0-9a-f]{4}$/);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads and coerces the values that are set, treating empty ones as unset', () => {
    const config = loadConfig(schema, {
      AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
      REDIS_URL: '',
      API_GATEWAY_PORT: '9000',
      LOG_LEVEL: 'debug',
      NODE_ID: 'media-1',
      UNRELATED: 'ignored',
    });
    expect(config.AMQP_URL).toEqual(['amqp://guest:guest@127.0.0.1:5672']);
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.API_GATEWAY_PORT).toBe(9000);
    expect(config.LOG_LEVEL).toBe('debug');
    expect(config.NODE_ID).toBe('media-1');
    expect(config).not.toHaveProperty('UNRELATED');
  });

  it('names every bad variable and why in one invalid_config error', () => {
    const err = configError(() =>
      loadConfig(schema, { API_GATEWAY_PORT: 'abc', SIP_WS_PORT: '70000', LOG_LEVEL: 'loud', REDIS_URL: 'http://x' }),
    );
    expect(isLegworkError(err)).toBe(true);
    expect(err.code).toBe('invalid_config');
    expect(err.issues.map((i) => i.variable).sort()).toEqual(['API_GATEWAY_PORT', 'LOG_LEVEL', 'REDIS_URL', 'SIP_WS_PORT']);
    expect(err.message).toContain('API_GATEWAY_PORT: must be a port number (0-65535)');
    expect(err.message).toContain('LOG_LEVEL: must be one of');
    expect(err.message).toContain('REDIS_URL: must be a redis://, rediss:// or redis-sentinel:// URL');
  });

  it('reads REDIS_CLUSTER_NODES into seed nodes and names an entry that is not host:port', () => {
    expect(loadConfig(schema, { REDIS_CLUSTER_NODES: '10.0.0.1:7000,10.0.0.2:7001' }).REDIS_CLUSTER_NODES).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: '10.0.0.2', port: 7001 },
    ]);
    expect(loadConfig(schema, { REDIS_CLUSTER_NODES: '' }).REDIS_CLUSTER_NODES).toBeUndefined();
    const err = configError(() => loadConfig(schema, { REDIS_CLUSTER_NODES: '10.0.0.1:7000,10.0.0.2' }));
    expect(err.issues).toEqual([{ variable: 'REDIS_CLUSTER_NODES', message: expect.stringContaining('"10.0.0.2" is not host:port') }]);
  });

  it('reads AMQP_URL as the nodes of a cluster, comma-separated, and names the entry that is not an amqp URL', () => {
    expect(loadConfig(schema, { AMQP_URL: 'amqp://a:5672, amqp://b:5673,amqps://c' }).AMQP_URL).toEqual(['amqp://a:5672', 'amqp://b:5673', 'amqps://c']);
    const err = configError(() => loadConfig(schema, { AMQP_URL: 'amqp://guest:pw-secret@a:5672,http://b:5673' }));
    expect(err.issues).toEqual([{ variable: 'AMQP_URL', message: expect.stringContaining('entry 2 of 2 must be an amqp:// or amqps:// URL') }]);
    expect(err.message).not.toContain('pw-secret');
    for (const bad of ['amqp://a:5672,', 'amqp://a:5672,amqp://a:5672', 'rabbit:5672']) {
      expect(configError(() => loadConfig(schema, { AMQP_URL: bad })).issues.map((i) => i.variable)).toEqual(['AMQP_URL']);
    }
  });

  it('hides the password of every broker of a list', () => {
    const shown = redactConfig(loadConfig(schema, { AMQP_URL: 'amqp://u:one-secret@a:5672,amqp://u:two-secret@b:5672' }));
    expect(shown.AMQP_URL).toEqual(['amqp://u:***@a:5672', 'amqp://u:***@b:5672']);
  });

  it('validates LEGWORK_SECRET_KEYS entry by entry, naming the rule each one breaks', () => {
    const good = `k1:${Buffer.alloc(32, 1).toString('base64')}`;
    expect(loadConfig(schema, { LEGWORK_SECRET_KEYS: good }).LEGWORK_SECRET_KEYS).toBe(good);
    const err = configError(() => loadConfig(schema, { LEGWORK_SECRET_KEYS: `${good},k2:c2hvcnQ=` }));
    expect(err.issues).toEqual([{ variable: 'LEGWORK_SECRET_KEYS', message: expect.stringContaining('entry 2: key must be base64 of exactly 32 random bytes') }]);
    expect(err.message).not.toContain(good.slice(3));
  });

  it('keeps the event log at least ten minutes deep, naming the variable that asks for less', () => {
    expect(loadConfig(schema, { EVENT_LOG_MAX_AGE_SECONDS: '600', EVENT_LOG_MAX_LENGTH: '500' })).toMatchObject({ EVENT_LOG_MAX_AGE_SECONDS: 600, EVENT_LOG_MAX_LENGTH: 500 });
    const err = configError(() => loadConfig(schema, { EVENT_LOG_MAX_AGE_SECONDS: '599', EVENT_LOG_MAX_LENGTH: 'ten' }));
    expect(err.issues.map((i) => i.variable).sort()).toEqual(['EVENT_LOG_MAX_AGE_SECONDS', 'EVENT_LOG_MAX_LENGTH']);
    expect(err.message).toContain('EVENT_LOG_MAX_AGE_SECONDS: must be at least 600 seconds (10 minutes)');
  });

  it('rejects node ids that could not name a queue', () => {
    const err = configError(() => loadConfig(schema, { NODE_ID: 'has space' }));
    expect(err.issues).toEqual([{ variable: 'NODE_ID', message: expect.stringContaining('1-64 characters') }]);
  });
});

describe('redactConfig', () => {
  it('hides secret fields and passwords in URLs, keeps the rest', () => {
    const config = loadConfig(schema, {
      LEGWORK_BOOTSTRAP_API_KEY: 'k'.repeat(32),
      LEGWORK_SECRET_KEYS: `k1:${Buffer.alloc(32, 0x41).toString('base64')}`,
      AMQP_URL: 'amqp://guest:hunter2@rabbit:5672/vhost',
      REDIS_URL: 'redis://cache:6379',
    });
    const shown = redactConfig(config);
    expect(shown.LEGWORK_BOOTSTRAP_API_KEY).toBe('***');
    expect(shown.LEGWORK_SECRET_KEYS).toBe('***');
    expect(JSON.stringify(shown)).not.toContain(Buffer.alloc(32, 0x41).toString('base64'));
    expect(shown.AMQP_URL).toEqual(['amqp://guest:***@rabbit:5672/vhost']);
    expect(shown.REDIS_URL).toBe('redis://cache:6379');
    expect(shown.API_GATEWAY_PORT).toBe(8000);
    expect(JSON.stringify(shown)).not.toContain('hunter2');
    expect(JSON.stringify(shown)).not.toContain('kkkk');
  });

  it('honours secret() on app-specific fields, through optional and default wrappers', () => {
    const appSchema = z.object({
      WEBHOOK_SIGNING_KEY: secret(z.string()),
      PUSH_TOKEN: secret(z.string().optional()),
      PLAIN: z.string().default('visible'),
    });
    const shown = redactConfig(loadConfig(appSchema, { WEBHOOK_SIGNING_KEY: 's3cret', PUSH_TOKEN: 't0ken' }));
    expect(shown).toEqual({ WEBHOOK_SIGNING_KEY: '***', PUSH_TOKEN: '***', PLAIN: 'visible' });
  });
});
