import { displayNameProblem, sipSafe, sipUserProblem } from '@legwork/contracts';
import { z } from 'zod';

/** Short extensions: digits only, so `PREFIX*EXT` (extended form) always splits one way. */
export const EXTENSION_PATTERN = /^[0-9]{1,16}$/;
/** An account's extension prefix (`0003` in `0003*210`). */
export const EXTENSION_PREFIX_PATTERN = /^[0-9]{1,8}$/;
/** DIDs per user or group. */
export const MAX_DIDS = 50;

// extensions are dialled: they reach Request-URIs, so the shared SIP rules apply on top of the digits rule
export const extensionSchema = z.string().trim().regex(EXTENSION_PATTERN, 'must be 1 to 16 digits').superRefine(sipSafe(sipUserProblem));

export const extensionPrefixSchema = z.string().trim().regex(EXTENSION_PREFIX_PATTERN, 'must be 1 to 8 digits').superRefine(sipSafe(sipUserProblem));

/** A phone number as written (E.164 or national); the repo normalizes it to E.164 with the account's country. */
export const writtenNumberSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^(?:tel:)?\+?[0-9\s().\-/]+$/i, 'must be a phone number (digits, an optional leading +, spaces, dots, dashes or parentheses)');

export const didsSchema = z.array(writtenNumberSchema).max(MAX_DIDS);

/** A label people are shown (and that finds users and groups): it can end up as a caller name. */
export const labelSchema = z.string().trim().min(1).max(128).superRefine(sipSafe(displayNameProblem));

/** The numbering fields users and groups share. */
export const numberedFields = {
  extension: extensionSchema.optional(),
  /** E.164 after the write, unique platform-wide. */
  dids: didsSchema.optional(),
  label: labelSchema.optional(),
};

export type ExtensionKind = 'user' | 'device' | 'group';

/** A short (`210`) or extended (`0003*210`) extension number, split; undefined when it is neither. */
export function parseExtensionNumber(text: unknown): { prefix?: string; extension: string } | undefined {
  if (typeof text !== 'string' || text.length > 40) return undefined;
  const value = text.trim();
  const star = value.indexOf('*');
  if (star === -1) return EXTENSION_PATTERN.test(value) ? { extension: value } : undefined;
  const prefix = value.slice(0, star);
  const extension = value.slice(star + 1);
  return EXTENSION_PREFIX_PATTERN.test(prefix) && EXTENSION_PATTERN.test(extension) ? { prefix, extension } : undefined;
}

/** The extended form of an extension in an account with a prefix (`0003*210`); the short one otherwise. */
export function extendedNumber(account: { extension_prefix?: string }, extension: string): string {
  return account.extension_prefix === undefined ? extension : `${account.extension_prefix}*${extension}`;
}
