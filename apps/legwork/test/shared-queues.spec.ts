import { SHARED_QUEUES } from '@legwork/contracts';
import { SHARED_ORIGINATE_QUEUE } from '@legwork/originate';
import { WEBHOOK_TOPOLOGY } from '@legwork/webhook-delivery';

// SHARED_QUEUES is what an exchange migration re-binds; the apps name their queues themselves.
describe('the shared queues an exchange migration re-binds', () => {
  it('are the queues the apps declare on Kazoo exchanges', () => {
    const names = SHARED_QUEUES.map((q) => q.name);
    expect(names).toEqual(expect.arrayContaining([SHARED_ORIGINATE_QUEUE, WEBHOOK_TOPOLOGY.eventQueue, 'legwork.cdr']));
    expect(SHARED_QUEUES.find((q) => q.name === SHARED_ORIGINATE_QUEUE)?.bindings).toEqual([{ exchange: 'callmgr', routingKey: 'originate.resource.req' }]);
    expect(SHARED_QUEUES.find((q) => q.name === WEBHOOK_TOPOLOGY.eventQueue)?.bindings).toEqual([{ exchange: 'callevt', routingKey: 'call.*.*' }]);
  });
});
