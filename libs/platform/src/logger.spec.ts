import { createLogger, resolveLogFormat } from './logger';

const ANSI = /\x1b\[[0-9;]*m/g; // eslint-disable-line no-control-regex

function capture(format: 'json' | 'pretty') {
  const out: string[] = [];
  const logger = createLogger('media-node', 'info', { node: 'n1', format, destination: { write: (chunk: string) => void out.push(chunk) } });
  return { out, logger };
}

describe('createLogger', () => {
  it('auto is pretty on a terminal and JSON otherwise; pretty and json are what they say', () => {
    expect(resolveLogFormat('auto', true)).toBe('pretty');
    expect(resolveLogFormat('auto', false)).toBe('json');
    expect(resolveLogFormat('json', true)).toBe('json');
    expect(resolveLogFormat('pretty', false)).toBe('pretty');
  });

  it('json: one object a line with level, app and node', () => {
    const { out, logger } = capture('json');
    logger.info({ sip: ['udp:127.0.0.1:5060'] }, 'sip listening');
    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0]!)).toMatchObject({ level: 'info', app: 'media-node', node: 'n1', sip: ['udp:127.0.0.1:5060'], msg: 'sip listening' });
  });

  it('pretty: one readable line per entry (time, level, app, context, message, fields), written at once', () => {
    const { out, logger } = capture('pretty');
    logger.warn({ context: 'Boot', sip: ['udp:127.0.0.1:5060'] }, 'sip listening');
    expect(out).toHaveLength(1);
    const line = out[0]!.replace(ANSI, '');
    expect(line).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] WARN: media-node \[Boot\]: sip listening \{"sip":\["udp:127\.0\.0\.1:5060"\]\}\n$/);
    expect(line).not.toContain('"node"');
  });
});
