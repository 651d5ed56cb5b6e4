import type { ZodType } from 'zod';
import { BusError, errorMessage } from './bus.error';

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

const MAX_REASON = 1000;

/** Serializes a body (unless the caller passes its JSON); bodies that JSON cannot represent are the caller's error, not the broker's. */
export function encodeBody(body: object, json?: string): Buffer {
  let text: string | undefined = json;
  try {
    text ??= JSON.stringify(body);
  } catch (err) {
    throw new BusError('bus_invalid_message', `body is not serializable: ${errorMessage(err)}`);
  }
  if (text === undefined || typeof body !== 'object' || body === null) {
    throw new BusError('bus_invalid_message', 'body must be a JSON object');
  }
  return Buffer.from(text, 'utf8');
}

export function parseJson(content: Buffer): Decoded<unknown> {
  try {
    return { ok: true, value: JSON.parse(content.toString('utf8')) as unknown };
  } catch (err) {
    return { ok: false, reason: truncate(`invalid_json: ${errorMessage(err)}`) };
  }
}

export function validate<T>(value: unknown, schema: ZodType<T>): Decoded<T> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  return { ok: false, reason: truncate(`schema_mismatch: ${issues.join('; ')}`) };
}

export function decode<T>(content: Buffer, schema: ZodType<T>): Decoded<T> {
  const parsed = parseJson(content);
  return parsed.ok ? validate(parsed.value, schema) : parsed;
}

export function truncate(reason: string): string {
  // Headers tables are bounded (64 KiB in amqplib); a reason never needs to be long.
  return reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 3)}...` : reason;
}
