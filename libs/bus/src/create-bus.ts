import type { Bus, BusOptions } from './bus.driver';
import { resolveBusConfig } from './bus.config';
import { AmqpBus } from './amqp-bus.driver';
import { InProcessBus } from './in-process-bus.driver';

/** `url` set: RabbitMQ through amqplib; unset: the in-process broker shared by this process (embedded mode). */
export function createBus(opts: BusOptions): Bus {
  const cfg = resolveBusConfig(opts);
  return cfg.urls === undefined ? new InProcessBus(cfg) : new AmqpBus({ ...cfg, urls: cfg.urls });
}
