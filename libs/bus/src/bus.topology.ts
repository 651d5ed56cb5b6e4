import { randomBytes } from 'node:crypto';
import type { ExchangeType } from './bus.driver';

/** Standard exchanges, named as Kazoo names them so its tools work unchanged. */
export const BUS_EXCHANGES = {
  callmgr: 'callmgr',
  targeted: 'targeted',
  callevt: 'callevt',
  callctl: 'callctl',
  deadLetter: 'legwork.dlx',
} as const;

export const DEAD_LETTER_QUEUE = 'legwork.dead-letter';

export const STANDARD_EXCHANGES: ReadonlyArray<{ name: string; type: ExchangeType }> = [
  { name: BUS_EXCHANGES.callmgr, type: 'topic' },
  { name: BUS_EXCHANGES.targeted, type: 'direct' },
  { name: BUS_EXCHANGES.callevt, type: 'topic' },
  { name: BUS_EXCHANGES.callctl, type: 'direct' },
  { name: BUS_EXCHANGES.deadLetter, type: 'fanout' },
];

/** Headers a dead-lettered message carries. */
export const DEAD_LETTER_HEADERS = {
  reason: 'x-legwork-reason',
  exchange: 'x-legwork-original-exchange',
  routingKey: 'x-legwork-original-routing-key',
  queue: 'x-legwork-original-queue',
} as const;

/** Maps logical names to broker names under a namespace and back. */
export class Namer {
  private readonly prefix: string;

  constructor(namespace: string) {
    this.prefix = namespace ? `${namespace}.` : '';
  }

  real(name: string): string {
    return `${this.prefix}${name}`;
  }

  logical(name: string): string {
    return this.prefix && name.startsWith(this.prefix) ? name.slice(this.prefix.length) : name;
  }
}

/** A queue name unique to this process: `<app>.<node>.<random>`. */
export function uniqueQueueName(appName: string, nodeId: string): string {
  return `${appName}.${nodeId}.${randomBytes(6).toString('hex')}`;
}
