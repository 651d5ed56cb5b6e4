import { z } from 'zod';
import { CallStateError } from './call-state.errors';
import { parseInput } from './call-record';
import { type Contact, MAX_CONTACTS_LIMIT, aorSchema, contactKey, contactSchema } from './registration';

const maxSchema = z.number().int().min(1).max(MAX_CONTACTS_LIMIT);

export interface BindRequest {
  aor: string;
  /** binding key → contact still live at `now` (later duplicates win, as in sequential upserts). */
  live: Map<string, Contact>;
  /** Keys of contacts given with an expiry already past: removals. */
  past: string[];
  maxContacts: number;
}

/** Validates a bind() call and splits its contacts into the ones to write and the ones already expired. */
export function parseBind(aor: unknown, contacts: unknown, maxContacts: unknown, now: number): BindRequest {
  const parsedAor = parseInput(aorSchema, aor, 'aor');
  const parsed = parseInput(z.array(contactSchema).max(MAX_CONTACTS_LIMIT), contacts, 'contacts');
  const max = parseInput(maxSchema, maxContacts, 'maxContacts');
  const live = new Map<string, Contact>();
  const past: string[] = [];
  for (const contact of parsed) {
    const key = contactKey(contact);
    live.delete(key);
    if (contact.expiresAt > now) live.set(key, contact);
    else past.push(key);
  }
  if (live.size > max) throw new CallStateError('invalid_input', `contacts: ${live.size} bindings exceed maxContacts ${max}`, { field: 'contacts' });
  return { aor: parsedAor, live, past, maxContacts: max };
}
