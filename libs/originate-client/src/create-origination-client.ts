import type { Bus } from '@legwork/bus';
import type { CallStore } from '@legwork/call-state';
import { envelope, type EnvelopeDefaults } from '@legwork/contracts';
import { admits, toCallView } from './call.views';
import { sendCallCommand } from './call-command.sender';
import { fingerprintOf, requestFingerprint } from './originate-fingerprint';
import { rememberOutcome } from './originate.idempotency';
import { publishOriginate } from './originate.publisher';
import type { OriginationClient } from './origination-client';

export interface OriginationClientDeps {
  /** Read on every call, so a provider may hand in an object whose infrastructure is looked up late. */
  bus: Bus;
  calls: CallStore;
  /** Node and App-Name of every message this client publishes. */
  nodeId: string;
  appName: string;
  appVersion?: string;
  /** How long past a request's ring Timeout the reply may take. Default 5000. */
  replyMarginMs?: number;
  /** How long a command waits for the owning node's call_command_result. Default 5000. */
  commandTimeoutMs?: number;
}

export const DEFAULT_REPLY_MARGIN_MS = 5000;
export const DEFAULT_COMMAND_TIMEOUT_MS = 5000;

/** The gateway's origination client over the bus and call-state: what every dialect originates and controls calls with. */
export function createOriginationClient(deps: OriginationClientDeps): OriginationClient {
  const defaults = (): EnvelopeDefaults => envelope(deps.appName, deps.appVersion ?? '0.1.0', deps.nodeId);
  return {
    async originate(request, opts) {
      const run = () => publishOriginate({ bus: deps.bus, envelope: defaults(), replyMarginMs: deps.replyMarginMs ?? DEFAULT_REPLY_MARGIN_MS }, request, opts.await);
      const idem = opts.idempotency;
      if (idem === undefined) return { ...(await run()), replayed: false };
      // how long the caller waited is part of what it asked: a fire-and-forget answer is no answer to a blocking request
      const fingerprint = fingerprintOf({ await: opts.await, request: idem.fingerprint ?? requestFingerprint(request) });
      return rememberOutcome(deps.calls.idempotency, idem, fingerprint, run);
    },

    command(callId, name, opts) {
      return sendCallCommand({ bus: deps.bus, calls: deps.calls, envelope: defaults(), commandTimeoutMs: deps.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS }, callId, name, opts);
    },

    async liveCalls(accountId, filter) {
      const calls = await deps.calls.calls.listByAccount(accountId);
      return calls.filter((c) => c.state !== 'ended' && admits(filter, c)).sort((a, b) => a.createdAt - b.createdAt).map(toCallView);
    },

    async call(callId) {
      const call = await deps.calls.calls.get(callId);
      return call === null ? undefined : toCallView(call);
    },
  };
}
