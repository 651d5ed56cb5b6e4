import type { Bus } from '@legwork/bus';
import type { CallStore } from '@legwork/call-state';
import { buildMessage, EXCHANGES, originateResponse, originateUuid, originateError, ROUTING_KEYS } from '@legwork/contracts';
import type { Directory } from '@legwork/directory';
import { createInfrastructure, createLogger, loadConfig } from '@legwork/platform';
import { z } from 'zod';
import { apiGatewayConfigSchema } from '../src/api-gateway.config';
import { bootstrapApiGateway } from '../src/bootstrap';

export interface GatewayHarness {
  url: string;
  bus: Bus;
  calls: CallStore;
  directory: Directory;
  close(): Promise<void>;
}

export interface HarnessEnv {
  AMQP_URL?: string;
  REDIS_URL?: string;
  REDIS_PREFIX?: string;
  AMQP_NAMESPACE?: string;
  LEGWORK_SECRET_KEYS?: string;
}

/** The gateway in-process on port 0 over the given infrastructure (in-process drivers without URLs). */
export async function startGateway(env: HarnessEnv = {}): Promise<GatewayHarness> {
  const logger = createLogger('api-gateway', 'silent');
  const config = loadConfig(apiGatewayConfigSchema, { NODE_ID: `qc-e2e-${process.pid}`, HOST: '127.0.0.1', API_GATEWAY_PORT: '0', LOG_LEVEL: 'silent', ...env });
  const infra = createInfrastructure({
    appName: 'api-gateway', nodeId: config.NODE_ID, logger,
    amqpUrl: config.AMQP_URL, redisUrl: config.REDIS_URL, redisPrefix: config.REDIS_PREFIX, amqpNamespace: config.AMQP_NAMESPACE,
    secretKeys: config.LEGWORK_SECRET_KEYS,
  });
  await infra.start();
  const app = await bootstrapApiGateway({ config, infra, logger }, { print: () => undefined });
  return {
    url: app.url,
    bus: infra.bus,
    calls: infra.calls,
    directory: infra.directory,
    close: async () => {
      await app.close();
      await infra.close();
    },
  };
}

export type ResponderMode =
  | { kind: 'answer' }
  | { kind: 'error'; message: string }
  | { kind: 'silent' };

const anyMessage = z.record(z.string(), z.unknown());

/**
 * Stands in for the media nodes: takes every originate_req and, when it carries a Server-ID,
 * replies originate_uuid then originate_resp (or an error) the way the engine does.
 */
export class FakeMediaNode {
  readonly requests: Array<Record<string, unknown>> = [];
  mode: ResponderMode = { kind: 'answer' };

  constructor(
    private readonly bus: Bus,
    private readonly queue: string,
  ) {}

  async start(): Promise<void> {
    const q = await this.bus.declareQueue(this.queue, { durable: false, autoDelete: true, bindings: [{ exchange: EXCHANGES.callmgr.name, routingKey: ROUTING_KEYS.originateReq }] });
    await this.bus.consume(q, anyMessage, (req) => this.handle(req));
  }

  private async handle(req: Record<string, unknown>): Promise<void> {
    this.requests.push(req);
    const serverId = req['Server-ID'];
    if (typeof serverId !== 'string' || this.mode.kind === 'silent') return;
    const env = { 'App-Name': 'fake-media-node', 'App-Version': '0' };
    const msgId = String(req['Msg-ID']);
    const endpoints = req['Endpoints'] as Array<Record<string, unknown>>;
    const callId = String(endpoints[0]?.['Outbound-Call-ID'] ?? 'none');
    const uuid = buildMessage(originateUuid, { 'Msg-ID': msgId, 'Outbound-Call-ID': callId, 'Outbound-Call-Control-Queue': 'callctl.fake' }, env);
    await this.bus.publish(EXCHANGES.targeted.name, serverId, uuid);
    const last = this.mode.kind === 'answer'
      ? buildMessage(originateResponse, { 'Msg-ID': msgId, 'Call-ID': callId, 'Application-Name': 'transfer', 'Application-Response': 'SUCCESS', 'Media-Server': 'fake' }, env)
      : buildMessage(originateError, { 'Msg-ID': msgId, 'Error-Message': this.mode.message, Request: req }, env);
    await this.bus.publish(EXCHANGES.targeted.name, serverId, last);
  }
}
