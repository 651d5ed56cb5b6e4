import type { OriginateRequest } from '@legwork/contracts';
import type { OriginateReplies } from './originate.replies';
import { Refusal } from './refusal';

/** ecallmgr's REPLY_TIMEOUT: how long a park waits for originate_execute. */
export const EXECUTE_TIMEOUT_MS = 5000;
/** ecallmgr's error text when it does not come (Error-Message of the reply). */
export const EXECUTE_TIMEOUT_MESSAGE = 'Failed to receive valid originate_execute in time';

/** An originate_execute that arrived; its Server-ID (or Server-Queue-ID) is where later replies go. */
export interface ExecuteReceived {
  serverId?: string;
}

/** Where this node takes originate_execute, and how a request waits for its own. */
export interface ExecuteHandshake {
  /** The Server-ID of originate_ready: a queue this node consumes on `targeted`. */
  readonly serverId: string;
  readonly timeoutMs: number;
  /** Starts waiting for the execute of this call id (before originate_ready goes out); undefined after timeoutMs. */
  expect(callId: string): Promise<ExecuteReceived | undefined>;
}

/**
 * ecallmgr's rule: `park` waits for the requester's go-ahead unless Originate-Immediate is true; any other
 * application rings at once unless Originate-Immediate is explicitly false. Nobody to ask (no Server-ID): at once.
 */
export function needsHandshake(req: OriginateRequest): boolean {
  if (req['Server-ID'] === undefined || req['Server-ID'] === '') return false;
  const immediate = req['Originate-Immediate'];
  return req['Application-Name'] === 'park' ? immediate !== true : immediate === false;
}

/** originate_uuid, then originate_ready, then the wait: nothing rings unless originate_execute comes in time. */
export async function awaitExecute(handshake: ExecuteHandshake, replies: OriginateReplies, callId: string): Promise<void> {
  const execute = handshake.expect(callId);
  await replies.uuid(callId);
  await replies.ready(callId, handshake.serverId);
  const received = await execute;
  if (received === undefined) throw new Refusal(EXECUTE_TIMEOUT_MESSAGE, `no originate_execute for ${callId} within ${handshake.timeoutMs} ms; nothing rang`);
  if (received.serverId !== undefined) replies.retarget(received.serverId);
}
