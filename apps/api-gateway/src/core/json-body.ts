import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Deepest JSON nesting a request body may have (the deepest document is far shallower). */
export const MAX_BODY_DEPTH = 64;

function bodyError(type: string, message: string): Error {
  return Object.assign(new Error(message), { status: 400, type, expose: true });
}

/** Deepest [ / { nesting of a JSON text, strings skipped: one linear pass over the bytes. */
export function jsonDepth(buf: Buffer): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) max = Math.max(max, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/** body-parser `verify`: refuses bodies that are not UTF-8 or nest too deep, before JSON.parse sees them. */
export function verifyJsonBody(_req: IncomingMessage, _res: ServerResponse, buf: Buffer): void {
  if (!isUtf8(buf)) throw bodyError('entity.invalid.utf8', 'request body is not valid UTF-8');
  if (jsonDepth(buf) > MAX_BODY_DEPTH) throw bodyError('entity.too.deep', `request body nests deeper than ${MAX_BODY_DEPTH} levels`);
}
