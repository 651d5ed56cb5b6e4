import { randomBytes } from 'node:crypto';
import { DEAD_LETTER, DEAD_LETTER_HEADERS, EXCHANGES } from '@legwork/contracts';
import type { ExchangeType } from './bus.driver';

/** The dead-letter queue and headers, defined once in @legwork/contracts. */
export const DEAD_LETTER_QUEUE = DEAD_LETTER.queue;
export const DEAD_LETTER_EXCHANGE = DEAD_LETTER.exchange;
export { DEAD_LETTER_HEADERS };

/** Exchanges every bus declares on start and after each reconnect: Kazoo's four, then Legwork's dead-letter one. */
export const STANDARD_EXCHANGES: ReadonlyArray<{ name: string; type: ExchangeType }> = [
  ...Object.values(EXCHANGES).map((e) => ({ name: e.name, type: e.type })),
  { name: DEAD_LETTER.exchange, type: DEAD_LETTER.type },
];

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
