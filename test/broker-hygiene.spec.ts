import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { scratchNames } from '@legwork/platform/testing';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the Jest globalSetup is plain CommonJS, outside every project
const { PATTERN } = require('../tools/broker-hygiene.js') as { PATTERN: string };
const expiring = new RegExp(PATTERN);

describe('broker hygiene (Jest globalSetup)', () => {
  it('covers the queues of every scratch namespace the tests and benches use', () => {
    const names = [
      `${scratchNames('e2e').amqpNamespace}.legwork.webhooks.deliver.3`,
      `${scratchNames('kazoo-boot').amqpNamespace}.legwork.cdr`,
      `t${randomBytes(5).toString('hex')}.aux`,
      'lwtest-qc-12345.legwork.cdr',
      `whtest${randomBytes(4).toString('hex')}.legwork.webhooks.events`,
      'bench-restlat-1a2b3c.legwork.originate',
    ];
    expect(names.filter((n) => !expiring.test(n))).toEqual([]);
  });

  it('leaves the platform’s own queues alone', () => {
    const names = ['legwork.originate', 'legwork.webhooks.deliver.3', 'targeted.reply.x', 'tenant.legwork.cdr', 'media-node.n1.callctl'];
    expect(names.filter((n) => expiring.test(n))).toEqual([]);
  });

  it('has put the expiry policy on this machine’s broker', () => {
    const policies = execFileSync('rabbitmqctl', ['-q', 'list_policies', '--no-table-headers'], { encoding: 'utf8', timeout: 60_000 });
    expect(policies).toContain('legwork-test-namespaces');
    expect(policies).toContain('"expires":1200000');
  });
});
