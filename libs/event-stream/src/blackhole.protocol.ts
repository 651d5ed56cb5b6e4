import { z } from 'zod';

/** Close codes the endpoint uses (4000-4999 are the application's own range). */
export const CLOSE_CODES = {
  tokenExpired: 4001,
  slowConsumer: 4008,
  tooManyConnections: 4029,
  goingAway: 1001,
  protocolError: 1008,
} as const;

const idSchema = z.union([z.string().max(128), z.number()]);

/** One frame from a client; unknown fields are tolerated as Kazoo's blackhole does. */
export const clientMessageSchema = z.looseObject({
  action: z.enum(['subscribe', 'unsubscribe', 'ping'], { error: 'must be subscribe, unsubscribe or ping' }),
  auth_token: z.string().max(512).optional(),
  request_id: idSchema.optional(),
  data: z
    .looseObject({
      account_id: z.string().regex(/^[0-9a-f]{32}$/, { error: 'must be a 32-hex account id' }).optional(),
      binding: z.string().optional(),
      bindings: z.array(z.string()).max(100).optional(),
    })
    .optional(),
});
export type ClientMessage = z.output<typeof clientMessageSchema>;

export type RequestId = string | number | undefined;

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
  data: Record<string, unknown>;
}

export interface ErrorEntry {
  code: string;
  message: string;
  binding?: string;
}

export function successReply(requestId: RequestId, data: Record<string, unknown>): ReplyFrame {
  return { action: 'reply', request_id: requestId, status: 'success', data };
}

export function errorReply(requestId: RequestId, errors: ErrorEntry[]): ReplyFrame {
  return { action: 'reply', request_id: requestId, status: 'error', data: { errors } };
}
