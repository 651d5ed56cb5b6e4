import { isBusError, type Bus } from '@legwork/bus';
import {
  buildMessage, originateError, originateRequest, originateResponse, originateStarted, routeFor, type EnvelopeDefaults, type MessageBody,
} from '@legwork/contracts';
import { z } from 'zod';
import type { AwaitMode, OriginateOutcome, OriginateRequestBody } from './origination-client';

/** Error-Message when no media node consumes originate requests (the publish is unroutable). */
export const MEDIA_SERVER_UNAVAILABLE = 'MEDIA_SERVER_UNAVAILABLE';
/** A media node rings this long when the request names no Timeout (ecallmgr's default). */
export const DEFAULT_RING_TIMEOUT_S = 10;

export type Outcome = OriginateOutcome extends infer O ? (O extends unknown ? Omit<O, 'replayed'> : never) : never;
type Reply = Record<string, unknown> & { 'Event-Category': string; 'Event-Name': string };
const replySchema: z.ZodType<Reply> = z.looseObject({ 'Event-Category': z.string(), 'Event-Name': z.string() });

const is = (def: { category: string; eventName: string }) => (r: Reply): boolean => r['Event-Category'] === def.category && r['Event-Name'] === def.eventName;
const isStarted = is(originateStarted);
const isResponse = is(originateResponse);
const isError = is(originateError);
/** The reply that ends each await mode's wait; an error ends every one. */
const FINAL: Record<Exclude<AwaitMode, 'published'>, (r: Reply) => boolean> = {
  started: (r) => isStarted(r) || isResponse(r) || isError(r),
  answered: (r) => isResponse(r) || isError(r),
};

export interface PublisherDeps {
  bus: Bus;
  envelope: EnvelopeDefaults;
  /** How long past the request's ring Timeout a reply may take (the node's set-up, the broker's hops). */
  replyMarginMs: number;
}

/** Every leg's Outbound-Call-ID, in the order of the Endpoints. */
export function callIdsOf(request: Record<string, unknown>): string[] {
  const endpoints = Array.isArray(request['Endpoints']) ? (request['Endpoints'] as Array<Record<string, unknown>>) : [];
  return endpoints.map((e) => e['Outbound-Call-ID']).filter((id): id is string => typeof id === 'string');
}

/** The one place a wait is derived: the ring Timeout the node will honour, plus the margin. */
export function replyWaitMs(request: Record<string, unknown>, marginMs: number): number {
  const timeout = typeof request['Timeout'] === 'number' ? request['Timeout'] : DEFAULT_RING_TIMEOUT_S;
  return timeout * 1000 + marginMs;
}

/** Publishes one originate_req and waits as the mode says; broker-level failures become outcomes, anything else throws. */
export async function publishOriginate(deps: PublisherDeps, body: OriginateRequestBody, mode: AwaitMode): Promise<Outcome> {
  const { bus } = deps;
  const waits = mode !== 'published';
  // replies come to this gateway's queue only when it waits for them; otherwise fire and forget
  const msg = buildMessage(originateRequest, (waits ? { ...body, 'Server-ID': bus.serverId } : body) as MessageBody<typeof originateRequest>, deps.envelope);
  const request = msg as Record<string, unknown>;
  const callIds = callIdsOf(request);
  const { exchange, routingKey } = routeFor(originateRequest, msg);
  try {
    if (!waits) {
      await bus.publish(exchange, routingKey, msg);
      return { kind: 'initiated', request, callIds };
    }
    const final = FINAL[mode];
    const replies = await bus.collect<Reply>(exchange, routingKey, msg, {
      timeoutMs: replyWaitMs(request, deps.replyMarginMs), schema: replySchema, until: (all) => all.some(final),
    });
    const reply = replies.find(final) as Reply;
    if (isError(reply)) return { kind: 'failed', request, cause: typeof reply['Error-Message'] === 'string' ? reply['Error-Message'] : 'unspecified_fault', reply };
    return { kind: 'initiated', request, callIds, ...(typeof reply['Call-ID'] === 'string' ? { callId: reply['Call-ID'] } : {}), reply };
  } catch (err) {
    if (isBusError(err, 'bus_unroutable')) return { kind: 'failed', request, cause: MEDIA_SERVER_UNAVAILABLE };
    if (isBusError(err, 'bus_timeout')) return { kind: 'timeout', request };
    throw err;
  }
}
