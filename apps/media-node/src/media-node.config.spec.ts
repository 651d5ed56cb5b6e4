import { ConfigError, loadConfig, redactConfig } from '@legwork/platform';
import { mediaNodeConfigSchema } from './media-node.config';

describe('media-node SIP config', () => {
  it('defaults to SIP on 5060 UDP+TCP and WS 5066, MD5 digests and a random nonce secret per process', () => {
    const a = loadConfig(mediaNodeConfigSchema, {});
    const b = loadConfig(mediaNodeConfigSchema, {});
    expect([a.SIP_UDP_PORT, a.SIP_TCP_PORT, a.SIP_WS_PORT]).toEqual([5060, 5060, 5066]);
    expect(a.SIP_DIGEST_ALGORITHMS).toEqual(['MD5']);
    expect(a.SIP_NONCE_SECRET.length).toBeGreaterThanOrEqual(16);
    expect(a.SIP_NONCE_SECRET).not.toBe(b.SIP_NONCE_SECRET);
    expect(redactConfig(a).SIP_NONCE_SECRET).toBe('***');
  });

  it('reads an ordered algorithm list, case-insensitively', () => {
    const config = loadConfig(mediaNodeConfigSchema, { SIP_DIGEST_ALGORITHMS: 'sha-256, MD5', SIP_NONCE_SECRET: 'cluster-wide-secret-123' });
    expect(config.SIP_DIGEST_ALGORITHMS).toEqual(['SHA-256', 'MD5']);
    expect(config.SIP_NONCE_SECRET).toBe('cluster-wide-secret-123');
  });

  it('names the bad variables', () => {
    let caught: unknown;
    try {
      loadConfig(mediaNodeConfigSchema, { SIP_DIGEST_ALGORITHMS: 'MD5,SHA-1', SIP_NONCE_SECRET: 'short', SIP_MAX_CONTACTS_PER_AOR: '0' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).issues.map((i) => i.variable).sort()).toEqual(['SIP_DIGEST_ALGORITHMS', 'SIP_MAX_CONTACTS_PER_AOR', 'SIP_NONCE_SECRET']);
  });

  it('caps contacts per AOR at 10 by default, configurable up to 1000', () => {
    expect(loadConfig(mediaNodeConfigSchema, {}).SIP_MAX_CONTACTS_PER_AOR).toBe(10);
    expect(loadConfig(mediaNodeConfigSchema, { SIP_MAX_CONTACTS_PER_AOR: '3' }).SIP_MAX_CONTACTS_PER_AOR).toBe(3);
    expect(() => loadConfig(mediaNodeConfigSchema, { SIP_MAX_CONTACTS_PER_AOR: '1001' })).toThrow(ConfigError);
  });

  it('originate settings: no rtpengine by default, bounded in-flight, sweep and drain timings', () => {
    const config = loadConfig(mediaNodeConfigSchema, {});
    expect(config.RTPENGINE_NG).toBeUndefined();
    expect([config.ORIGINATE_MAX_INFLIGHT, config.SWEEP_INTERVAL_MS, config.DRAIN_TIMEOUT_MS]).toEqual([100, 2000, 10_000]);
    const set = loadConfig(mediaNodeConfigSchema, { RTPENGINE_NG: '127.0.0.1:2223', ORIGINATE_MAX_INFLIGHT: '7', SWEEP_INTERVAL_MS: '250', DRAIN_TIMEOUT_MS: '1000' });
    expect([set.RTPENGINE_NG, set.ORIGINATE_MAX_INFLIGHT, set.SWEEP_INTERVAL_MS, set.DRAIN_TIMEOUT_MS]).toEqual(['127.0.0.1:2223', 7, 250, 1000]);
  });

  it('names bad originate variables', () => {
    let caught: unknown;
    try {
      loadConfig(mediaNodeConfigSchema, { RTPENGINE_NG: 'rtpengine-without-port', ORIGINATE_MAX_INFLIGHT: '0' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).issues.map((i) => i.variable).sort()).toEqual(['ORIGINATE_MAX_INFLIGHT', 'RTPENGINE_NG']);
  });
  it('music on hold: silence unless an absolute path on the rtpengine host is given; a relative path or control characters are refused', () => {
    expect(loadConfig(mediaNodeConfigSchema, {}).HOLD_MUSIC_FILE).toBeUndefined();
    expect(loadConfig(mediaNodeConfigSchema, { HOLD_MUSIC_FILE: '/srv/moh/default.wav' }).HOLD_MUSIC_FILE).toBe('/srv/moh/default.wav');
    for (const bad of ['moh.wav', '/srv/moh\n.wav']) {
      let caught: unknown;
      try {
        loadConfig(mediaNodeConfigSchema, { HOLD_MUSIC_FILE: bad });
      } catch (err) {
        caught = err;
      }
      expect((caught as ConfigError).issues.map((i) => i.variable)).toEqual(['HOLD_MUSIC_FILE']);
    }
  });

  it('recording: disabled unless an absolute directory is given; a relative path or a listen host that is no IP address is refused', () => {
    const config = loadConfig(mediaNodeConfigSchema, {});
    expect([config.RECORDING_DIR, config.RECORDING_LISTEN_HOST]).toEqual([undefined, '127.0.0.1']);
    expect(loadConfig(mediaNodeConfigSchema, { RECORDING_DIR: '/var/lib/legwork/recordings' }).RECORDING_DIR).toBe('/var/lib/legwork/recordings');
    for (const [variable, bad] of [['RECORDING_DIR', 'recordings'], ['RECORDING_DIR', '/srv/rec\n'], ['RECORDING_LISTEN_HOST', 'media.example.com']]) {
      let caught: unknown;
      try {
        loadConfig(mediaNodeConfigSchema, { [variable]: bad });
      } catch (err) {
        caught = err;
      }
      expect((caught as ConfigError).issues.map((i) => i.variable)).toEqual([variable]);
    }
  });

  it('heartbeat: 2 s beat and a TTL of three beats by default; a TTL not above the beat is refused', () => {
    const config = loadConfig(mediaNodeConfigSchema, {});
    expect([config.HEARTBEAT_INTERVAL_MS, config.HEARTBEAT_TTL_MS]).toEqual([2000, undefined]);
    const set = loadConfig(mediaNodeConfigSchema, { HEARTBEAT_INTERVAL_MS: '1000', HEARTBEAT_TTL_MS: '3000' });
    expect([set.HEARTBEAT_INTERVAL_MS, set.HEARTBEAT_TTL_MS]).toEqual([1000, 3000]);
    let caught: unknown;
    try {
      loadConfig(mediaNodeConfigSchema, { HEARTBEAT_INTERVAL_MS: '2000', HEARTBEAT_TTL_MS: '2000' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).issues).toEqual([{ variable: 'HEARTBEAT_TTL_MS', message: 'must be greater than HEARTBEAT_INTERVAL_MS' }]);
  });

  it('SIP stream connections: 64 per source, 10 s for a first and for any message, 15 min idle registered, 1 min otherwise', () => {
    const config = loadConfig(mediaNodeConfigSchema, {});
    expect([config.SIP_MAX_CONNECTIONS, config.SIP_MAX_CONNECTIONS_PER_SOURCE, config.SIP_FIRST_MESSAGE_TIMEOUT_MS, config.SIP_MESSAGE_TIMEOUT_MS]).toEqual([10_000, 64, 10_000, 10_000]);
    expect([config.SIP_IDLE_TIMEOUT_MS, config.SIP_UNREGISTERED_IDLE_TIMEOUT_MS]).toEqual([900_000, 60_000]);
    const set = loadConfig(mediaNodeConfigSchema, { SIP_MAX_CONNECTIONS_PER_SOURCE: '500', SIP_UNREGISTERED_IDLE_TIMEOUT_MS: '30000' });
    expect([set.SIP_MAX_CONNECTIONS_PER_SOURCE, set.SIP_UNREGISTERED_IDLE_TIMEOUT_MS]).toEqual([500, 30_000]);
    let caught: unknown;
    try {
      loadConfig(mediaNodeConfigSchema, { SIP_MAX_CONNECTIONS_PER_SOURCE: '0', SIP_MESSAGE_TIMEOUT_MS: 'soon' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).issues.map((i) => i.variable).sort()).toEqual(['SIP_MAX_CONNECTIONS_PER_SOURCE', 'SIP_MESSAGE_TIMEOUT_MS']);
  });

  it('session timers: Session-Expires 1800 s and Min-SE 90 s by default, 0 turns them off, nothing under the RFC 4028 floor', () => {
    const config = loadConfig(mediaNodeConfigSchema, {});
    expect([config.SIP_SESSION_EXPIRES, config.SIP_MIN_SE]).toEqual([1800, 90]);
    expect(loadConfig(mediaNodeConfigSchema, { SIP_SESSION_EXPIRES: '0' }).SIP_SESSION_EXPIRES).toBe(0);
    const issues = (env: Record<string, string>): Array<{ variable: string; message: string }> => {
      try {
        loadConfig(mediaNodeConfigSchema, env);
      } catch (err) {
        return (err as ConfigError).issues;
      }
      return [];
    };
    expect(issues({ SIP_MIN_SE: '30' })).toEqual([{ variable: 'SIP_MIN_SE', message: 'must be an integer from 90 to 86400' }]);
    expect(issues({ SIP_SESSION_EXPIRES: '60' })).toEqual([{ variable: 'SIP_SESSION_EXPIRES', message: 'must be an integer from 90 to 86400, or 0' }]);
    expect(issues({ SIP_SESSION_EXPIRES: '120', SIP_MIN_SE: '300' })).toEqual([{ variable: 'SIP_MIN_SE', message: 'must not exceed SIP_SESSION_EXPIRES' }]);
  });

  it('caps every call at 4 h by default; 0 means no cap', () => {
    expect(loadConfig(mediaNodeConfigSchema, {}).MAX_CALL_DURATION_SECONDS).toBe(14_400);
    expect(loadConfig(mediaNodeConfigSchema, { MAX_CALL_DURATION_SECONDS: '0' }).MAX_CALL_DURATION_SECONDS).toBe(0);
    expect(() => loadConfig(mediaNodeConfigSchema, { MAX_CALL_DURATION_SECONDS: '-5' })).toThrow(ConfigError);
  });
});
