import { isBusError, type Bus } from '@legwork/bus';
import type { CallStore } from '@legwork/call-state';
import {
  buildMessage, envelope, pushRequest, pushResponse, routeFor, type MessageBody, type PushCancelReasonCode, type PushKind, type PushResponse,
} from '@legwork/contracts';

/** One push a push-call API asks for: the device (directory id and RFC 8599 parameters), the call, what for. */
export interface PushSpec {
  accountId: string;
  deviceId: string;
  push: { provider: string; prid: string; param?: string };
  callId: string;
  kind: PushKind;
  callerName?: string;
  reason?: PushCancelReasonCode;
}

/**
 * `sent` (the push service took it; for a held leg's cancel, the cancel was started), `failed` (the push service
 * refused or was unreachable), `unavailable` (no media node takes push requests), `timeout` (none answered in time).
 */
export type PushOutcome =
  | { result: 'sent'; heldLeg: boolean; nodeId?: string }
  | { result: 'failed'; heldLeg: boolean; error: string; status?: number }
  | { result: 'unavailable' | 'timeout'; message: string };

export interface PushClient {
  push(spec: PushSpec): Promise<PushOutcome>;
}

export interface PushClientDeps {
  bus: Bus;
  calls: CallStore;
  nodeId: string;
  appName: string;
  appVersion?: string;
  /** How long a media node may take to answer (its push service's retries included). Default 10000. */
  timeoutMs?: number;
}

export const DEFAULT_PUSH_TIMEOUT_MS = 10_000;

/** DI token under which the gateway provides its PushClient. */
export const PUSH_CLIENT = Symbol('PUSH_CLIENT');

/**
 * Push requests from the gateway: to the node call-state names for a live leg of this account and device (it holds
 * the leg's wait), otherwise to whichever media node takes the shared queue first.
 */
export function createPushClient(deps: PushClientDeps): PushClient {
  const timeoutMs = deps.timeoutMs ?? DEFAULT_PUSH_TIMEOUT_MS;
  const holder = async (spec: PushSpec): Promise<string | undefined> => {
    const record = await deps.calls.calls.get(spec.callId);
    if (record === null || record.state === 'ended' || record.accountId !== spec.accountId || record.endpointId !== spec.deviceId) return undefined;
    return (await deps.calls.nodes.isLive(record.nodeId)) ? record.nodeId : undefined;
  };
  return {
    async push(spec) {
      const nodeId = await holder(spec);
      const body = {
        'Call-ID': spec.callId, 'Account-ID': spec.accountId, 'Device-ID': spec.deviceId, 'Push-Provider': spec.push.provider, 'Push-PRID': spec.push.prid,
        ...(spec.push.param !== undefined ? { 'Push-Param': spec.push.param } : {}), 'Push-Kind': spec.kind,
        ...(spec.callerName !== undefined ? { 'Caller-ID-Name': spec.callerName } : {}), ...(spec.reason !== undefined ? { 'Push-Reason': spec.reason } : {}),
      };
      const msg = buildMessage(pushRequest, body as MessageBody<typeof pushRequest>, envelope(deps.appName, deps.appVersion ?? '0.1.0', deps.nodeId));
      const { exchange, routingKey } = routeFor(pushRequest, msg, nodeId);
      let reply: PushResponse;
      try {
        reply = await deps.bus.request<PushResponse>(exchange, routingKey, msg, { timeoutMs, schema: pushResponse.schema });
      } catch (err) {
        if (isBusError(err, 'bus_unroutable')) return { result: 'unavailable', message: 'no media node takes push requests' };
        if (isBusError(err, 'bus_timeout')) return { result: 'timeout', message: `no media node answered the push request within ${timeoutMs} ms` };
        throw err;
      }
      const heldLeg = reply['Held-Leg'];
      if (reply.Result === 'sent') return { result: 'sent', heldLeg, ...(nodeId !== undefined ? { nodeId } : {}) };
      return { result: 'failed', heldLeg, error: reply['Push-Error'] ?? 'the push service refused the push', ...(reply['Push-Status'] !== undefined ? { status: reply['Push-Status'] } : {}) };
    },
  };
}
