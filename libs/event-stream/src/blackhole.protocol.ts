import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { EVENT_CURSOR_PATTERN } from '@legwork/call-state';

/** Close codes the endpoint uses (4000-4999 are the application's own range). */
export const CLOSE_CODES = {
  /** The socket's user or account was disabled or deleted, or its token revoked (a Legwork addition: Kazoo closes nothing). */
  unauthorized: 4001,
  slowConsumer: 4008,
  /** A resume could not be completed (the event log failed mid-way): reconnect and resume again from the last cursor. */
  resumeFailed: 1011,
  tooManyConnections: 4029,
  goingAway: 1001,
  protocolError: 1008,
} as const;

const idSchema = z.union([z.string().max(128), z.number()]);

/** One frame from a client; unknown fields are tolerated and a frame without `action` is a `noop`, as in Kazoo's blackhole. */
export const clientMessageSchema = z.looseObject({
  action: z.enum(['subscribe', 'unsubscribe', 'ping', 'noop'], { error: 'must be subscribe, unsubscribe, ping or noop' }).default('noop'),
  auth_token: z.string({ error: 'invalid authentication token format' }).max(512, { error: 'invalid authentication token format' }).optional(),
  request_id: idSchema.optional(),
  data: z
    .looseObject({
      account_id: z.string().max(64).optional(),
      binding: z.string().optional(),
      bindings: z.array(z.string()).max(100).optional(),
      /** Resume: every event of the account logged after this cursor (a frame's `cursor`) comes first; Legwork extension. */
      since: z.string({ error: 'must be a cursor from an event frame or a subscribe reply' }).regex(EVENT_CURSOR_PATTERN, { error: 'must be a cursor from an event frame or a subscribe reply' }).optional(),
    })
    .optional(),
});
export type ClientMessage = z.output<typeof clientMessageSchema>;

export type RequestId = string | number;

/** Kazoo's default request_id: 32 random hex digits (bh_context:from_json/2). */
export function newRequestId(): string {
  return randomBytes(16).toString('hex');
}

export interface ReplyFrame {
  action: 'reply';
  request_id: RequestId;
  status: 'success' | 'error';
  data: Record<string, unknown>;
}

export interface EventFrame {
  action: 'event';
  subscribed_key: string;
  subscription_key: string;
  name: string;
  routing_key: string;
  /** The event's position in its account's log: what `since` takes to resume after it; Legwork extension. */
  cursor?: string;
  data: Record<string, unknown>;
}

/** One refusal: Kazoo's text, and Legwork's stable code beside it. */
export interface ErrorEntry {
  code: string;
  message: string;
}

export function successReply(requestId: RequestId, data: Record<string, unknown>): ReplyFrame {
  return { action: 'reply', request_id: requestId, status: 'success', data };
}

/** `data.errors` is Kazoo's list of strings; `data.error_codes` (same order) is Legwork's, for programs. */
export function errorReply(requestId: RequestId, errors: ErrorEntry[]): ReplyFrame {
  return { action: 'reply', request_id: requestId, status: 'error', data: { errors: errors.map((e) => e.message), error_codes: errors.map((e) => e.code) } };
}
