import { parseExtensionNumber } from '@legwork/directory';
import { VoipnowError, type PhoneCallCode } from '../core/voipnow-error';
import { parseCallerId, type ParsedCallerId } from './caller-id';

/** One entry of `phoneCallView`: one phone call to make. */
export interface PhoneCallView {
  source: string[];
  destination: string;
  callerId?: ParsedCallerId;
  callerIdDestination?: ParsedCallerId;
  nonce?: string;
}

/** A POST /uapi/phoneCalls/{userId}/simple, checked; numbers are resolved later against the directory. */
export interface PhoneCallRequest {
  /** As given (short `210` or extended `0003*210`); absent: the first source of each call. */
  extension?: string;
  views: PhoneCallView[];
  waitForPickupS: number;
  /** Absent: the dialect's configured system value. */
  callDurationS?: number;
  allowPublicTransfer: boolean;
  video: boolean;
}

export const DEFAULT_WAIT_FOR_PICKUP_S = 25;
export const MAX_WAIT_FOR_PICKUP_S = 600;
export const MAX_CALL_DURATION_S = 86_400;
export const MAX_SOURCES = 10;
export const MAX_VIEWS = 10;
const MAX_NUMBER = 64;
const NONCE = /^[\x21-\x7e]{1,128}$/;
// what a source or destination may look like before the directory says what it is: digits, + and formatting, or PREFIX*EXT
const DIALLABLE = /^\s*\+?[0-9][0-9\s().\-/*]*\s*$/;

const bad = (code: PhoneCallCode, message: string): VoipnowError => VoipnowError.invalid(code, message);

/** The query parameter as one scalar; a repeated one (`?a=1&a=2`) is not. */
function scalar(query: Record<string, unknown>, name: string): unknown {
  const value = query[name];
  return Array.isArray(value) ? undefined : value === undefined ? undefined : value;
}

function positiveInteger(value: unknown, max: number): number | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  if (text === undefined || !/^[0-9]{1,9}$/.test(text)) return undefined;
  const n = Number(text);
  return n > 0 && n <= max ? n : undefined;
}

function flag(query: Record<string, unknown>, name: string, code: PhoneCallCode | 'pc_video_invalid'): boolean {
  if (!(name in query)) return false;
  const value = scalar(query, name);
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw VoipnowError.invalid(code, `${name} must be true or false`);
}

function numberList(value: unknown, field: 'source' | 'destination', code: PhoneCallCode, max: number): string[] {
  if (!Array.isArray(value) || value.length === 0) throw bad(code, `${field} must be a list of extended or short extension numbers or public phone numbers`);
  if (value.length > max) throw bad(code, `${field} may hold at most ${max} number${max === 1 ? '' : 's'}`);
  return value.map((n: unknown, i) => {
    if (typeof n !== 'string' || n.length === 0 || n.length > MAX_NUMBER || !DIALLABLE.test(n)) {
      throw bad(code, `${field}[${i}] must be an extended or short extension number or a public phone number`);
    }
    return n.trim();
  });
}

function callerIdOf(view: Record<string, unknown>, field: 'callerId' | 'callerIdDestination'): ParsedCallerId | undefined {
  if (view[field] === undefined) return undefined;
  const parsed = parseCallerId(view[field]);
  if (typeof parsed === 'string') throw bad('pc_callerid_invalid', `${field} ${parsed}`);
  return parsed;
}

function viewOf(value: unknown, i: number): PhoneCallView {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw VoipnowError.invalid('request_invalid', `phoneCallView[${i}] must be an object`);
  const view = value as Record<string, unknown>;
  const source = [...new Set(numberList(view['source'], 'source', 'pc_source_invalid', MAX_SOURCES))];
  const [destination = ''] = numberList(view['destination'], 'destination', 'pc_destination_invalid', 1);
  const nonce = view['nonce'];
  if (nonce !== undefined && (typeof nonce !== 'string' || !NONCE.test(nonce))) throw bad('pc_nonce_invalid', 'nonce must be 1 to 128 printable ASCII characters without spaces');
  return {
    source,
    destination,
    ...(view['callerId'] !== undefined ? { callerId: callerIdOf(view, 'callerId') } : {}),
    ...(view['callerIdDestination'] !== undefined ? { callerIdDestination: callerIdOf(view, 'callerIdDestination') } : {}),
    ...(nonce !== undefined ? { nonce } : {}),
  };
}

/** Reads the query and payload the way the seed describes them; every refusal names its parameter and code. */
export function parsePhoneCallRequest(query: Record<string, unknown>, body: unknown): PhoneCallRequest {
  const wait = 'waitForPickup' in query ? positiveInteger(scalar(query, 'waitForPickup'), MAX_WAIT_FOR_PICKUP_S) : DEFAULT_WAIT_FOR_PICKUP_S;
  if (wait === undefined) throw bad('pc_timeout_invalid', `waitForPickup must be a whole number of seconds from 1 to ${MAX_WAIT_FOR_PICKUP_S}`);
  const duration = 'callDuration' in query ? positiveInteger(scalar(query, 'callDuration'), MAX_CALL_DURATION_S) : undefined;
  if ('callDuration' in query && duration === undefined) throw bad('pc_duration_invalid', `callDuration must be a whole number of seconds from 1 to ${MAX_CALL_DURATION_S}`);
  const allowPublicTransfer = flag(query, 'allowPublicTransfer', 'pc_transfer_invalid');
  const video = flag(query, 'video', 'pc_video_invalid');
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw VoipnowError.invalid('request_invalid', 'the request payload must be a PhoneCall object');
  const payload = body as Record<string, unknown>;
  const extension = payload['extension'];
  if (extension !== undefined && (typeof extension !== 'string' || parseExtensionNumber(extension) === undefined)) {
    throw bad('extension_invalid', 'extension must be the number of a Phone Terminal extension, short (210) or extended (0003*210)');
  }
  const views = payload['phoneCallView'];
  if (!Array.isArray(views) || views.length === 0 || views.length > MAX_VIEWS) {
    throw VoipnowError.invalid('request_invalid', `phoneCallView must be a list of 1 to ${MAX_VIEWS} phone calls`);
  }
  return {
    ...(typeof extension === 'string' ? { extension: extension.trim() } : {}),
    views: views.map(viewOf),
    waitForPickupS: wait,
    ...(duration !== undefined ? { callDurationS: duration } : {}),
    allowPublicTransfer,
    video,
  };
}
