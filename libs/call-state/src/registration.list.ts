import type { Contact } from './registration';

/** Splits bindings into live contacts (latest expiry first) and the keys of expired ones. */
export function liveContacts(entries: Array<[string, Contact]>, now: number): { live: Contact[]; expired: string[] } {
  const live: Contact[] = [];
  const expired: string[] = [];
  for (const [key, contact] of entries) {
    if (contact.expiresAt > now) live.push(contact);
    else expired.push(key);
  }
  live.sort((a, b) => b.expiresAt - a.expiresAt || a.uri.localeCompare(b.uri));
  return { live, expired };
}
