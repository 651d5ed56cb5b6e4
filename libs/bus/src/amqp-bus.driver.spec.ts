import { createBus } from './create-bus';
import { AmqpBus } from './amqp-bus.driver';
import { runBusContract } from './testing/bus-contract.suite';
import { AMQP_URL, deleteNamespace } from './testing/amqp-admin';

runBusContract('amqp', {
  make: (opts) => createBus({ ...opts, url: AMQP_URL }),
  cleanup: (namespace, queues) => deleteNamespace(namespace, queues, ['extra']),
});

describe('amqp bus construction', () => {
  it('is what createBus returns for a url, with a unique connection name', () => {
    const a = createBus({ url: AMQP_URL, appName: 'api', nodeId: 'n1' });
    const b = createBus({ url: AMQP_URL, appName: 'api', nodeId: 'n1' });
    expect(a).toBeInstanceOf(AmqpBus);
    expect((a as AmqpBus).connectionName).toMatch(/^legwork api@n1 [0-9a-f]{12}$/);
    expect((a as AmqpBus).connectionName).not.toBe((b as AmqpBus).connectionName);
    expect(a.serverId).not.toBe(b.serverId);
  });
});
