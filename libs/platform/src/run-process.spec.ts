import { ConfigError } from './config.error';
import { runProcess } from './run-process';

function harness() {
  const exits: number[] = [];
  const errors: string[] = [];
  let exited: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (exited = resolve));
  return {
    exits,
    errors,
    done,
    options: {
      name: 'demo',
      signals: ['SIGUSR2'] as NodeJS.Signals[],
      // the process handlers belong to a real process, not to Jest's
      faultHandlers: false,
      exit: (code: number) => {
        exits.push(code);
        exited();
      },
      stderr: (text: string) => void errors.push(text),
    },
  };
}

describe('runProcess', () => {
  afterEach(() => process.removeAllListeners('SIGUSR2'));

  it('exits 1 and says why when boot fails', async () => {
    const h = harness();
    await runProcess(async () => {
      throw ConfigError.fromIssues([{ variable: 'API_GATEWAY_PORT', message: 'must be a port number (0-65535)' }]);
    }, h.options);
    expect(h.exits).toEqual([1]);
    expect(h.errors.join('')).toContain('demo: failed to start: invalid configuration:\n  API_GATEWAY_PORT: must be a port number');
    expect(h.errors.join('')).toContain('[invalid_config]');
  });

  it('closes once on repeated signals, then exits 0', async () => {
    const h = harness();
    let closes = 0;
    await runProcess(async () => ({ close: async () => void closes++ }), h.options);
    process.emit('SIGUSR2', 'SIGUSR2');
    process.emit('SIGUSR2', 'SIGUSR2');
    await h.done;
    expect(closes).toBe(1);
    expect(h.exits).toEqual([0]);
  });

  it('exits 1 when shutdown fails', async () => {
    const h = harness();
    await runProcess(
      async () => ({
        close: async () => {
          throw new Error('broker gone');
        },
      }),
      h.options,
    );
    process.emit('SIGUSR2', 'SIGUSR2');
    await h.done;
    expect(h.exits).toEqual([1]);
    expect(h.errors.join('')).toContain('demo: shutdown failed: Error: broker gone');
  });
});
