import { parseInput } from '../call-record';
import type { RegistrationRepository } from '../call-store';
import { check } from '../call-store.validate';
import type { Clock } from '../clock';
import { type Contact, type ContactRef, type LastPush, type PushBinding, LAST_PUSH_TTL_MS, aorSchema, contactKey, contactSchema, lastPushOf, olderBinding } from '../registration';
import { parseBind } from '../registration.bind';
import { liveContacts } from '../registration.list';

export class MemoryRegistrationRepository implements RegistrationRepository {
  /** aor → (binding key → contact) */
  private readonly bindings = new Map<string, Map<string, Contact>>();
  private readonly pushes = new Map<string, { push: LastPush; until: number }>();

  constructor(private readonly clock: Clock) {}

  async upsert(aor: string, contact: Contact): Promise<void> {
    const bindings = this.aor(parseInput(aorSchema, aor, 'aor'));
    const parsed = parseInput(contactSchema, contact, 'contact');
    const key = contactKey(parsed);
    if (parsed.expiresAt <= this.clock.now()) bindings.delete(key);
    else {
      bindings.set(key, structuredClone(parsed));
      this.rememberPush(aor, [parsed]);
    }
    this.tidy(aor);
  }

  async bind(aor: string, contacts: Contact[], maxContacts: number): Promise<Contact[]> {
    const now = this.clock.now();
    const request = parseBind(aor, contacts, maxContacts, now);
    const bindings = this.aor(request.aor);
    for (const key of request.past) bindings.delete(key);
    for (const [key, contact] of request.live) bindings.set(key, structuredClone(contact));
    this.rememberPush(request.aor, [...request.live.values()]);
    const others = [...bindings].filter(([key, c]) => !request.live.has(key) && c.expiresAt > now).sort(olderBinding);
    const live = request.live.size + others.length;
    const evicted = others.slice(0, Math.max(0, live - request.maxContacts));
    for (const [key] of evicted) bindings.delete(key);
    this.tidy(request.aor);
    return evicted.map(([, contact]) => structuredClone(contact));
  }

  async remove(aor: string, ref: ContactRef): Promise<boolean> {
    const bindings = this.aor(parseInput(aorSchema, aor, 'aor'));
    let removed = bindings.delete(contactKey(ref));
    for (const [key, contact] of bindings) {
      if (contact.uri === ref.uri && bindings.delete(key)) removed = true;
    }
    this.tidy(aor);
    return removed;
  }

  async removeAll(aor: string): Promise<number> {
    const count = this.aor(parseInput(aorSchema, aor, 'aor')).size;
    this.bindings.delete(aor);
    this.pushes.delete(aor);
    return count;
  }

  async lastPush(aor: string): Promise<LastPush | null> {
    const kept = this.pushes.get(parseInput(aorSchema, aor, 'aor'));
    if (kept === undefined || kept.until <= this.clock.now()) {
      this.pushes.delete(aor);
      return null;
    }
    return structuredClone(kept.push);
  }

  private rememberPush(aor: string, contacts: Contact[]): void {
    const push = lastPushOf(contacts);
    if (push !== undefined) this.pushes.set(aor, { push, until: this.clock.now() + LAST_PUSH_TTL_MS });
  }

  async list(aor: string): Promise<Contact[]> {
    return this.listSync(parseInput(aorSchema, aor, 'aor'));
  }

  async findByPushPrid(prid: string): Promise<PushBinding[]> {
    check.id(prid, 'prid');
    const found: PushBinding[] = [];
    for (const aor of [...this.bindings.keys()].sort()) {
      for (const contact of this.listSync(aor)) if (contact.pushPrid === prid) found.push({ aor, contact });
    }
    return found;
  }

  private listSync(aor: string): Contact[] {
    const bindings = this.aor(aor);
    const { live, expired } = liveContacts([...bindings], this.clock.now());
    for (const key of expired) bindings.delete(key);
    this.tidy(aor);
    return live.map((contact) => structuredClone(contact));
  }

  private aor(aor: string): Map<string, Contact> {
    const bindings = this.bindings.get(aor) ?? new Map<string, Contact>();
    this.bindings.set(aor, bindings);
    return bindings;
  }

  private tidy(aor: string): void {
    if (this.bindings.get(aor)?.size === 0) this.bindings.delete(aor);
  }
}
