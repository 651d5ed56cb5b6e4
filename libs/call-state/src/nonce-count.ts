import { z } from 'zod';
import { parseInput } from './call-record';

/** Nonces are opaque tokens of base64/hex characters; nothing that could break out of a key's hash tag. */
const nonceSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9+/=_.-]+$/, 'nonce must be base64, base64url or hex');
/** RFC 7616 nc: eight hex digits, 1 .. 0xffffffff. */
const ncSchema = z.number().int().min(1).max(0xffff_ffff);
/** Nonce lifetimes are bounded well below a week (a day, plus clock-skew slack). */
const ttlSchema = z.number().int().min(1).max(604_800_000);

export interface NonceCountInput {
  nonce: string;
  nc: number;
  ttlMs: number;
}

export function parseNonceCount(nonce: unknown, nc: unknown, ttlMs: unknown): NonceCountInput {
  return { nonce: parseInput(nonceSchema, nonce, 'nonce'), nc: parseInput(ncSchema, nc, 'nc'), ttlMs: parseInput(ttlSchema, ttlMs, 'ttlMs') };
}
