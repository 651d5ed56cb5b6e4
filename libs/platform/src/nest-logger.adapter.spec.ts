import { createLogger } from './logger';
import { NestPinoLogger } from './nest-logger.adapter';

function capture(level: 'info' | 'trace' = 'trace') {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('api-gateway', level, {
    node: 'node-7',
    destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  });
  return { lines, nest: new NestPinoLogger(logger) };
}

describe('NestPinoLogger', () => {
  it('maps Nest levels and context onto pino JSON with app and node', () => {
    const { lines, nest } = capture();
    nest.log('Nest application successfully started', 'NestApplication');
    nest.verbose('details', 'Router');
    nest.warn({ slow: true }, 'Guard');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', app: 'api-gateway', node: 'node-7', context: 'NestApplication', msg: 'Nest application successfully started' }),
      expect.objectContaining({ level: 'trace', context: 'Router', msg: 'details' }),
      expect.objectContaining({ level: 'warn', context: 'Guard', data: { slow: true } }),
    ]);
  });

  it('keeps the stack Nest passes with errors', () => {
    const { lines, nest } = capture();
    nest.error('handler failed', 'Error: boom\n    at x', 'ExceptionsHandler');
    expect(lines[0]).toMatchObject({ level: 'error', msg: 'handler failed', stack: 'Error: boom\n    at x', context: 'ExceptionsHandler' });
  });

  it("writes Nest's boot chatter (module wiring, route mapping) at debug, its other lines at info", () => {
    const { lines, nest } = capture();
    nest.log('Mapped {/v2/api_auth, PUT} route', 'RouterExplorer');
    nest.log('KazooAuthController {/v2}:', 'RoutesResolver');
    nest.log('KazooModule dependencies initialized', 'InstanceLoader');
    nest.log('Starting Nest application...', 'NestFactory');
    nest.log('Nest application successfully started', 'NestApplication');
    expect(lines.map((l) => [l.context, l.level])).toEqual([
      ['RouterExplorer', 'debug'], ['RoutesResolver', 'debug'], ['InstanceLoader', 'debug'], ['NestFactory', 'debug'], ['NestApplication', 'info'],
    ]);
    const quiet = capture('info');
    quiet.nest.log('Mapped {/v2/api_auth, PUT} route', 'RouterExplorer');
    quiet.nest.log('Nest application successfully started', 'NestApplication');
    expect(quiet.lines.map((l) => l.msg)).toEqual(['Nest application successfully started']);
  });

  it('honours the configured level', () => {
    const { lines, nest } = capture('info');
    nest.debug('hidden', 'X');
    nest.log('shown', 'X');
    expect(lines.map((l) => l.msg)).toEqual(['shown']);
  });
});
