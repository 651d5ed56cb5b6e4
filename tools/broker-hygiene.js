/* global process, module, require, URL */
// Jest globalSetup: queues of test and bench namespaces expire on the broker 20 minutes after their last use.
// A queue a run forgets (or an aborted run leaves) holds file handles; RabbitMQ's default 927 runs out after a few
// hundred, and from then on every new connection hangs, so leftovers of earlier runs slowed later ones and finally
// wedged the broker. 20 minutes outlasts any one test file, the longest retry delay a test waits on included.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- Jest loads a globalSetup as CommonJS
const { execFileSync } = require('node:child_process');

const POLICY = 'legwork-test-namespaces';
// scratch names: t-<label>-<hex>., t<10 hex>. (bus contract), lwtest-, whtest<hex>. and the benches' bench-
const PATTERN = '^(t-[a-z0-9-]+|t[0-9a-f]{10}|lwtest-[a-z0-9-]+|whtest[0-9a-f]+|bench-[a-z0-9-]+)\\.';
const EXPIRES_MS = 20 * 60_000;

function isLocal(url) {
  const hosts = (url ?? 'amqp://127.0.0.1').split(',').map((u) => { try { return new URL(u.trim()).hostname; } catch { return ''; } });
  return hosts.every((h) => h === '127.0.0.1' || h === 'localhost' || h === '::1' || h === '[::1]');
}

module.exports = async function brokerHygiene() {
  // rabbitmqctl reaches only the broker of this machine; a remote one is its owner's to keep
  if (!isLocal(process.env.AMQP_URL)) return;
  const args = ['-q', 'set_policy', '--apply-to', 'queues', '--priority', '0', POLICY, PATTERN, JSON.stringify({ expires: EXPIRES_MS })];
  try {
    execFileSync('rabbitmqctl', args, { timeout: 60_000, stdio: 'pipe' });
  } catch (err) {
    const reason = String(err.stderr || err.message).split('\n')[0];
    process.stderr.write(`\nbroker hygiene: the expiry policy for test queues was not set (${reason}); leftover queues stay\n`);
  }
};

module.exports.PATTERN = PATTERN;
