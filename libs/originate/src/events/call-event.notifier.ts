import type { Bus } from '@legwork/bus';
import type { CallRecord, JsonValue } from '@legwork/call-state';
import { type Logger, silentLogger } from '@legwork/common';
import {
  CALL_ID_HEADER, buildMessage, callEvents, channelCreatedTime, envelope, eventTimestamps, originateErrorCode, originateFailed, originateFailedCallId, routeFor,
  type AnyMessageDefinition, type MessageBody, type OriginateFailed, type OriginateRequest,
} from '@legwork/contracts';
import { PreAnswerStates, channelCallState } from './channel-call-state';

export type ChannelEventName = Exclude<keyof typeof callEvents, 'originate_failed'>;

type Scalar = string | number | boolean | null;

export interface CallEventNotifierOptions {
  bus: Bus;
  appName: string;
  appVersion: string;
  nodeId: string;
  logger?: Logger;
}

function scalars(values: Record<string, JsonValue> | undefined): Record<string, Scalar> {
  const out: Record<string, Scalar> = {};
  for (const [key, value] of Object.entries(values ?? {})) {
    if (value === null || typeof value !== 'object') out[key] = value;
  }
  return out;
}

function seconds(fromMs: number | undefined, toMs: number | undefined): number {
  if (fromMs === undefined || toMs === undefined) return 0;
  return Math.max(0, Math.round((toMs - fromMs) / 1000));
}

/** Durations of a CDR, from the record's timestamps. */
export function callDurations(record: CallRecord, now = Date.now()): { 'Duration-Seconds': number; 'Billing-Seconds': number; 'Ringing-Seconds': number } {
  const end = record.endedAt ?? now;
  return {
    'Duration-Seconds': seconds(record.createdAt, end),
    'Billing-Seconds': record.answeredAt !== undefined ? seconds(record.answeredAt, end) : 0,
    'Ringing-Seconds': record.ringingAt !== undefined ? seconds(record.ringingAt, record.answeredAt ?? end) : 0,
  };
}

/** The one place every call event is built and published, so all of them share the same shape. */
export class CallEventNotifier {
  private readonly logger: Logger;
  private readonly preAnswer = new PreAnswerStates();

  constructor(private readonly opts: CallEventNotifierOptions) {
    this.logger = opts.logger ?? silentLogger;
  }

  /** Publishes a channel event for a leg; `extra` fields override the ones derived from the record. */
  async publish(eventName: ChannelEventName, record: CallRecord, extra: Record<string, unknown> = {}): Promise<void> {
    const extraCcv = (extra['Custom-Channel-Vars'] ?? {}) as Record<string, Scalar>;
    const body: Record<string, unknown> = {
      'Call-ID': record.callId,
      'Account-ID': record.accountId,
      'Call-Direction': 'outbound',
      'Channel-Call-State': channelCallState(eventName, record, this.preAnswer.observe(eventName, record)),
      'Media-Server': this.opts.nodeId,
      'Switch-Hostname': this.opts.nodeId,
      ...(record.peerCallId !== undefined ? { 'Other-Leg-Call-ID': record.peerCallId } : {}),
      ...(record.from !== undefined ? { From: record.from } : {}),
      ...(record.to !== undefined ? { To: record.to, Request: record.to } : {}),
      ...(record.callerIdName !== undefined ? { 'Caller-ID-Name': record.callerIdName } : {}),
      ...(record.callerIdNumber !== undefined ? { 'Caller-ID-Number': record.callerIdNumber } : {}),
      ...(record.calleeIdName !== undefined ? { 'Callee-ID-Name': record.calleeIdName } : {}),
      ...(record.calleeIdNumber !== undefined ? { 'Callee-ID-Number': record.calleeIdNumber } : {}),
      'Channel-Created-Time': channelCreatedTime(record.createdAt),
      'Custom-Application-Vars': scalars(record.cav),
      ...(eventName === 'CHANNEL_DESTROY' ? { 'Hangup-Cause': record.hangupCause ?? 'NORMAL_CLEARING', ...callDurations(record) } : {}),
      ...eventTimestamps(),
      ...extra,
      'Custom-Channel-Vars': { ...extraCcv, 'Account-ID': record.accountId },
    };
    await this.send(callEvents[eventName], body);
  }

  /**
   * A request that failed before any leg existed. `message` is the Error-Message (a switch cause such as
   * NO_ANSWER, or the refusal's text); `detail` says why, for people; Error-Code is `code` or derived from `message`.
   */
  async originateFailed(req: OriginateRequest, message: string, detail: string, outboundCallIds: string[] = [], code = originateErrorCode(message)): Promise<void> {
    const accountId = req['Account-ID'] ?? req['Custom-Channel-Vars']?.['Account-ID'];
    const body: Record<string, unknown> = {
      'Error-Message': message,
      'Error-Code': code,
      ...(detail !== message ? { 'Error-Detail': detail } : {}),
      Request: { ...req },
      ...(typeof accountId === 'string' ? { 'Account-ID': accountId } : {}),
      ...(req['Outbound-Call-ID'] !== undefined ? { 'Call-ID': req['Outbound-Call-ID'] } : {}),
      ...(outboundCallIds.length > 0 ? { 'Outbound-Call-IDs': outboundCallIds } : {}),
      ...(req['Custom-Channel-Vars'] !== undefined ? { 'Custom-Channel-Vars': req['Custom-Channel-Vars'] } : {}),
      ...(req['Custom-Application-Vars'] !== undefined ? { 'Custom-Application-Vars': req['Custom-Application-Vars'] } : {}),
      ...eventTimestamps(),
    };
    await this.send(originateFailed, body);
  }

  private async send(def: AnyMessageDefinition, body: Record<string, unknown>): Promise<void> {
    const msg = buildMessage(def, body as MessageBody<typeof def>, envelope(this.opts.appName, this.opts.appVersion, this.opts.nodeId));
    const { exchange, routingKey } = routeFor(def, msg);
    // as kapi_call does, so Kazoo's consistent-hash exchange spreads events by call
    const callId = def === originateFailed ? originateFailedCallId(msg as OriginateFailed) : String(msg['Call-ID']);
    try {
      // events are facts: nobody listening is not an error
      await this.opts.bus.publish(exchange, routingKey, msg, { mandatory: false, headers: { [CALL_ID_HEADER]: callId } });
    } catch (err) {
      this.logger.warn({ err, event: def.name, routingKey }, 'call event not published');
    }
  }
}
