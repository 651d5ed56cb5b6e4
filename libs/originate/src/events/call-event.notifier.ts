import type { Bus } from '@legwork/bus';
import type { CallRecord, EventLog, JsonValue } from '@legwork/call-state';
import { type Logger, silentLogger } from '@legwork/common';
import {
  CALL_ID_HEADER, EVENT_CURSOR_HEADER, callEvents, channelCreatedTime, envelope, eventTimestamps, originateErrorCode, originateFailed, originateFailedCallId, routeFor, stampMessage,
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
  /** Numbers every event and logs it for resuming clients; without it events go out unnumbered. */
  events?: EventLog;
  logger?: Logger;
}

/** Where an event is numbered and logged: its account, the call it counts for, its leg, and whether it ends the leg. */
interface LogTarget {
  accountId: string | undefined;
  sequenceId: string;
  callId: string;
  final: boolean;
}

/** The call a leg's events are numbered under: the one it was created in, else (older records) a B-leg's A-leg. */
export function sequenceIdOf(record: Pick<CallRecord, 'callId' | 'leg' | 'peerCallId' | 'sequenceId'>): string {
  return record.sequenceId ?? (record.leg === 'b' && record.peerCallId !== undefined ? record.peerCallId : record.callId);
}

function scalars(values: Record<string, JsonValue> | undefined): Record<string, Scalar> {
  const out: Record<string, Scalar> = {};
  for (const [key, value] of Object.entries(values ?? {})) {
    if (value === null || typeof value !== 'object') out[key] = value;
  }
  return out;
}

/** `Object.assign` as a spread does it: a JSON-parsed '__proto__' key is data, defined rather than set as the prototype. */
function copyInto(target: Record<string, unknown>, source: Readonly<Record<string, unknown>>): void {
  for (const key of Object.keys(source)) {
    if (key === '__proto__') Object.defineProperty(target, key, { value: source[key], enumerable: true, writable: true, configurable: true });
    else target[key] = source[key];
  }
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
    const sequenceId = sequenceIdOf(record);
    // assigned in the order the fields go out: a literal of a dozen conditional spreads costs several times as much
    const body: Record<string, unknown> = {
      'Call-ID': record.callId,
      'Origination-Call-ID': sequenceId,
      'Account-ID': record.accountId,
      'Call-Direction': 'outbound',
      'Channel-Call-State': channelCallState(eventName, record, this.preAnswer.observe(eventName, record)),
      'Media-Server': this.opts.nodeId,
      'Switch-Hostname': this.opts.nodeId,
    };
    if (record.peerCallId !== undefined) body['Other-Leg-Call-ID'] = record.peerCallId;
    if (record.from !== undefined) body.From = record.from;
    if (record.to !== undefined) {
      body.To = record.to;
      body.Request = record.to;
    }
    if (record.callerIdName !== undefined) body['Caller-ID-Name'] = record.callerIdName;
    if (record.callerIdNumber !== undefined) body['Caller-ID-Number'] = record.callerIdNumber;
    if (record.calleeIdName !== undefined) body['Callee-ID-Name'] = record.calleeIdName;
    if (record.calleeIdNumber !== undefined) body['Callee-ID-Number'] = record.calleeIdNumber;
    body['Channel-Created-Time'] = channelCreatedTime(record.createdAt);
    body['Custom-Application-Vars'] = scalars(record.cav);
    if (eventName === 'CHANNEL_DESTROY') {
      body['Hangup-Cause'] = record.hangupCause ?? 'NORMAL_CLEARING';
      const durations = callDurations(record);
      body['Duration-Seconds'] = durations['Duration-Seconds'];
      body['Billing-Seconds'] = durations['Billing-Seconds'];
      body['Ringing-Seconds'] = durations['Ringing-Seconds'];
    }
    const stamps = eventTimestamps();
    body.Timestamp = stamps.Timestamp;
    body['Timestamp-Ms'] = stamps['Timestamp-Ms'];
    copyInto(body, extra);
    const ccv: Record<string, Scalar> = {};
    copyInto(ccv, extraCcv);
    ccv['Account-ID'] = record.accountId;
    body['Custom-Channel-Vars'] = ccv;
    await this.send(callEvents[eventName], body, { accountId: record.accountId, sequenceId, callId: record.callId, final: eventName === 'CHANNEL_DESTROY' });
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
    // numbered under the id it is routed by, which send() derives once the Msg-ID exists
    await this.send(originateFailed, body, { accountId: typeof accountId === 'string' ? accountId : undefined, sequenceId: '', callId: '', final: false });
  }

  private async send(def: AnyMessageDefinition, body: Record<string, unknown>, target: LogTarget): Promise<void> {
    // built here from typed records: the envelope is checked, receivers parse the whole message
    const msg = stampMessage(def, body as MessageBody<typeof def>, envelope(this.opts.appName, this.opts.appVersion, this.opts.nodeId));
    const { exchange, routingKey } = routeFor(def, msg);
    // as kapi_call does, so Kazoo's consistent-hash exchange spreads events by call
    const callId = def === originateFailed ? originateFailedCallId(msg as OriginateFailed) : String(msg['Call-ID']);
    const logged = await this.log(msg, { ...target, sequenceId: target.sequenceId || callId, callId: target.callId || callId });
    if (logged === null) {
      this.logger.debug({ event: def.name, callId }, 'leg already had its final event; this one is dropped');
      return;
    }
    const headers: Record<string, string> = { [CALL_ID_HEADER]: callId, ...(logged !== undefined ? { [EVENT_CURSOR_HEADER]: logged.cursor } : {}) };
    try {
      // events are facts: nobody listening is not an error
      await this.opts.bus.publish(exchange, routingKey, msg, { mandatory: false, headers, ...(logged?.json !== undefined ? { json: logged.json } : {}) });
    } catch (err) {
      this.logger.warn({ err, event: def.name, routingKey }, 'call event not published');
    }
  }

  /**
   * Numbers the event and logs it in one store round trip; null when the leg already had its final event. A store
   * that cannot be reached leaves the event unnumbered rather than unsent.
   */
  private async log(msg: Record<string, unknown>, target: LogTarget): Promise<{ cursor: string; json?: string } | null | undefined> {
    const { events } = this.opts;
    if (events === undefined || target.accountId === undefined) return undefined;
    try {
      const unnumbered = !Object.hasOwn(msg, 'Event-Sequence');
      const payload = JSON.stringify(msg);
      const appended = await events.append({ accountId: target.accountId, sequenceId: target.sequenceId, callId: target.callId, final: target.final, payload });
      if (appended === null) return null;
      msg['Event-Sequence'] = appended.sequence;
      // the sequence is the message's last key, so its JSON is the payload's with one member appended
      return unnumbered ? { cursor: appended.cursor, json: `${payload.slice(0, -1)},"Event-Sequence":${JSON.stringify(appended.sequence)}}` } : { cursor: appended.cursor };
    } catch (err) {
      this.logger.warn({ err, event: msg['Event-Name'], callId: target.callId }, 'call event not numbered: the event log is unavailable');
      return undefined;
    }
  }
}
