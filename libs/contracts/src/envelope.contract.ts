import { z } from 'zod';
import { newMsgId } from '@legwork/common';
import type { AnyMessageDefinition, MessageBody, MessageOf } from './define-message';
import { ContractError } from './contract.error';
import { issuesFromZod } from './validate';
import { wireString } from './wire-types';

/**
 * Kazoo's standard envelope. Loose on purpose: Kazoo publishers add headers of their own
 * (`System-Log-ID`, `Raw-Headers`, …) and a relay must hand them on untouched.
 */
export const envelopeSchema = z.looseObject({
  'App-Name': wireString,
  'App-Version': wireString,
  'Event-Category': wireString,
  'Event-Name': wireString,
  'Msg-ID': wireString,
  'Server-ID': z.string().optional(),
  Node: z.string().optional(),
  'Account-ID': z.string().optional(),
  'Call-ID': z.string().optional(),
});

export type Envelope = z.infer<typeof envelopeSchema>;

/** What a publisher stamps on everything it sends. */
export interface EnvelopeDefaults {
  'App-Name': string;
  'App-Version': string;
  Node?: string;
  'Server-ID'?: string;
}

/** Headers crossbar drops when it shows a bus message in a REST body (kz_api:remove_defaults). */
export const ENVELOPE_HEADERS = [
  'App-Name',
  'App-Version',
  'Event-Category',
  'Event-Name',
  'Msg-ID',
  'Server-ID',
  'Node',
  'System-Log-ID',
] as const;

export function envelope(appName: string, appVersion: string, node?: string): EnvelopeDefaults {
  return node === undefined
    ? { 'App-Name': appName, 'App-Version': appVersion }
    : { 'App-Name': appName, 'App-Version': appVersion, Node: node };
}

/**
 * Fills the envelope for `def` (its Event-Category/Event-Name, a fresh Msg-ID unless the body
 * carries one, as replies do) and validates the result, so nothing invalid is ever published.
 */
export function buildMessage<D extends AnyMessageDefinition>(
  def: D,
  body: MessageBody<D>,
  defaults: EnvelopeDefaults,
): MessageOf<D> {
  const raw = {
    ...defaults,
    'Msg-ID': newMsgId(),
    ...body,
    'Event-Category': def.category,
    'Event-Name': def.eventName,
  };
  const parsed = def.schema.safeParse(raw);
  if (!parsed.success) throw new ContractError(def.name, issuesFromZod(parsed.error, raw));
  return parsed.data as MessageOf<D>;
}

/** The message without its envelope headers, as crossbar shows it in `data`. */
export function stripEnvelope(msg: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...msg };
  for (const key of ENVELOPE_HEADERS) delete out[key];
  return out;
}
