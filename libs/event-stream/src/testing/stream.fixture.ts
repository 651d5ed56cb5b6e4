import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBus, type Bus } from '@legwork/bus';
import { createCallStore, type CallStore } from '@legwork/call-state';
import { createDirectory, type Directory } from '@legwork/directory';
import { EVENT_CURSOR_HEADER, buildMessage, callEvents, envelope, type AnyMessageDefinition, type CallEventName } from '@legwork/contracts';
import { cleanupScratch, scratchNames, AMQP_URL, REDIS_URL, type Scratch } from '@legwork/platform/testing';
import { EventStreamServer } from '../event-stream.server';
import type { EventStreamOptionsInput } from '../event-stream.options';
import type { FanOutObserver } from '../event-fan-out';

export interface StreamNode {
  server: EventStreamServer;
  http: Server;
  bus: Bus;
  url: string;
}

/** Event-stream servers on the real RabbitMQ and Redis, under a namespace and prefix unique to the run. */
export class StreamFixture {
  readonly scratch: Scratch;
  readonly publisher: Bus;
  readonly directory: Directory;
  /** The call store whose event logs the servers resume from, as the media nodes write them. */
  readonly calls: CallStore;
  private readonly nodes: StreamNode[] = [];

  constructor(label: string, tokenTtlSeconds = 3600) {
    this.scratch = scratchNames(label);
    this.publisher = createBus({ url: AMQP_URL, appName: 'media-node', nodeId: `pub-${label}`, namespace: this.scratch.amqpNamespace });
    this.directory = createDirectory({ url: REDIS_URL, prefix: this.scratch.redisPrefix, tokenTtlSeconds, secretKeys: this.scratch.secretKeys });
    this.calls = createCallStore({ url: REDIS_URL, prefix: this.scratch.redisPrefix });
  }

  async start(): Promise<void> {
    await this.publisher.start();
  }

  /** One more server (its own bus connection, as a separate websockets instance would have). */
  async node(options: EventStreamOptionsInput = {}, directory: Directory = this.directory, onFanOut?: FanOutObserver): Promise<StreamNode> {
    const bus = createBus({ url: AMQP_URL, appName: 'websockets', nodeId: `ws-${this.nodes.length}-${randomBytes(3).toString('hex')}`, namespace: this.scratch.amqpNamespace });
    await bus.start();
    const server = new EventStreamServer({ bus, directory, events: this.calls.events, options, ...(onFanOut !== undefined ? { onFanOut } : {}) });
    const http = createServer((_req, res) => res.writeHead(404).end());
    server.attach(http);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const node = { server, http, bus, url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/websocket` };
    this.nodes.push(node);
    return node;
  }

  /** A fresh account (optionally under `parentId`) and a token for it. */
  async account(parentId?: string): Promise<{ id: string; token: string }> {
    const name = `acct-${randomBytes(5).toString('hex')}`;
    const acct = await this.directory.accounts.create({ name, realm: `${name}.legwork.test` }, parentId);
    return { id: acct.id, token: await this.directory.credentials.issueToken({ accountId: acct.id, method: 'api_key' }) };
  }

  /** A user of the account (priv_level as given) and a user_auth token for it. */
  async user(accountId: string, privLevel: 'admin' | 'user'): Promise<{ id: string; token: string }> {
    const username = `u-${randomBytes(4).toString('hex')}`;
    const user = await this.directory.users.create(accountId, { first_name: username, last_name: 'Test', username, priv_level: privLevel });
    return { id: user.id, token: await this.directory.credentials.issueToken({ accountId, ownerId: user.id, method: 'user_auth' }) };
  }

  /** Publishes a call event as a media node does: numbered and logged first, its cursor in the event-cursor header. */
  async publish(eventName: CallEventName, accountId: string, callId: string, extra: Record<string, unknown> = {}): Promise<string> {
    const def: AnyMessageDefinition = callEvents[eventName];
    const msg = buildMessage(def, { 'Call-ID': callId, 'Custom-Channel-Vars': { 'Account-ID': accountId }, 'Error-Message': 'test', ...extra }, envelope('media-node', '0.1.0'));
    const logged = await this.calls.events.append({ accountId, sequenceId: callId, callId, final: eventName === 'CHANNEL_DESTROY', payload: JSON.stringify(msg) });
    if (logged === null) return '';
    const body = { ...msg, 'Event-Sequence': logged.sequence };
    await this.publisher.publish(def.exchange, def.routingKey(msg), body, { mandatory: false, headers: { [EVENT_CURSOR_HEADER]: logged.cursor } });
    return logged.cursor;
  }

  async close(): Promise<void> {
    for (const n of this.nodes) {
      await n.server.close();
      await new Promise<void>((resolve) => n.http.close(() => resolve()));
      await n.bus.close();
    }
    await this.publisher.close();
    await this.directory.close();
    await this.calls.close();
    await cleanupScratch(this.scratch);
  }
}
