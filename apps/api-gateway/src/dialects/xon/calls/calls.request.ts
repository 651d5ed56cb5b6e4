import { callIdProblem, displayNameProblem, PUSH_CANCEL_REASONS, type PushCancelReasonCode } from '@legwork/contracts';
import { isE164 } from '@legwork/directory';
import { XonError } from '../core/xon.error';

/** X-on device ids are the devices' push ids (RFC 8599 pn-prid): printable ASCII, as the directory keeps them. */
const DEVICE_ID = /^[\x21-\x7e]{1,4096}$/;

/** `POST /v1/call` and `/v1/update-call`. */
export interface CallBody {
  deviceId: string;
  callId: string;
  callerName: string;
}

/** `POST /v1/cancel-call`. */
export interface CancelBody {
  deviceId: string;
  callId: string;
  reason: PushCancelReasonCode;
}

function objectOf(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw XonError.invalid('body', 'must be a JSON object');
  return body as Record<string, unknown>;
}

function text(fields: Record<string, unknown>, name: string, problem: (value: string) => string | undefined): string {
  const value = fields[name];
  if (value === undefined || value === null) throw XonError.invalid(name, 'is required');
  if (typeof value !== 'string') throw XonError.invalid(name, 'must be a string');
  const why = problem(value);
  if (why !== undefined) throw XonError.invalid(name, why);
  return value;
}

const deviceIdProblem = (value: string): string | undefined => (DEVICE_ID.test(value) ? undefined : 'must be a device id (1 to 4096 printable characters, no spaces)');
const required = (problem: (value: string) => string | undefined) => (value: string): string | undefined => (value === '' ? 'must not be empty' : problem(value));

/** The mobileNumber query parameter: one E.164 number; a `+` sent unencoded (read as a space) is taken as the plus it was. */
export function parseMobileNumber(query: Record<string, unknown>): string {
  const raw = query['mobileNumber'];
  if (raw === undefined) throw XonError.invalid('mobileNumber', 'is required');
  if (typeof raw !== 'string') throw XonError.invalid('mobileNumber', 'must be given once');
  const number = /^ [0-9]/.test(raw) ? `+${raw.slice(1)}` : raw;
  if (!isE164(number)) throw XonError.invalid('mobileNumber', 'must be a mobile number in E.164 format, such as +447700900123');
  return number;
}

export function parseCallBody(body: unknown): CallBody {
  const fields = objectOf(body);
  return {
    deviceId: text(fields, 'deviceId', deviceIdProblem),
    callId: text(fields, 'callId', required(callIdProblem)),
    // an INVITE without a display name has an empty one
    callerName: text(fields, 'callerName', displayNameProblem),
  };
}

export function parseCancelBody(body: unknown): CancelBody {
  const fields = objectOf(body);
  const deviceId = text(fields, 'deviceId', deviceIdProblem);
  const callId = text(fields, 'callId', required(callIdProblem));
  const reason = text(fields, 'reason', (v) => ((PUSH_CANCEL_REASONS as readonly string[]).includes(v) ? undefined : `must be one of ${PUSH_CANCEL_REASONS.join(', ')}`));
  return { deviceId, callId, reason: reason as PushCancelReasonCode };
}
