import { parseInput } from '../call-record';
import type { RegistrationRepository } from '../call-store';
import { check } from '../call-store.validate';
import { type Contact, type ContactRef, type LastPush, type PushBinding, LAST_PUSH_TTL_MS, aorSchema, contactKey, contactSchema, lastPushOf } from '../registration';
import { liveContacts } from '../registration.list';
import { parseBind } from '../registration.bind';
import { bindWithCap, pruneBindings, writeAndExtend } from './registrations.lua';
import { type RedisContext, execAll, guard } from './redis-context';

/** One hash per AOR (`{reg:aor}`), field per binding, JSON contact; push prids index AORs. */
export class RedisRegistrationRepository implements RegistrationRepository {
  constructor(private readonly ctx: RedisContext) {}

  async upsert(aor: string, contact: Contact): Promise<void> {
    const key = this.ctx.keys.registration(parseInput(aorSchema, aor, 'aor'));
    const parsed = parseInput(contactSchema, contact, 'contact');
    return guard('registrations.upsert', async () => {
      const { redis, keys, clock } = this.ctx;
      const ttl = parsed.expiresAt - clock.now();
      if (ttl <= 0) {
        await redis.hdel(key, contactKey(parsed));
        return;
      }
      await writeAndExtend.run(redis, [key], [ttl, 'HSET', contactKey(parsed), JSON.stringify(parsed)]);
      if (parsed.pushPrid !== undefined) {
        await writeAndExtend.run(redis, [keys.pushPrid(parsed.pushPrid)], [ttl, 'SADD', aor]);
      }
      await this.rememberPush(aor, [parsed]);
    });
  }

  async bind(aor: string, contacts: Contact[], maxContacts: number): Promise<Contact[]> {
    const { redis, keys, clock } = this.ctx;
    const now = clock.now();
    const request = parseBind(aor, contacts, maxContacts, now);
    const live = [...request.live];
    const ttl = Math.max(1, ...live.map(([, c]) => c.expiresAt - now));
    return guard('registrations.bind', async () => {
      const pairs = live.flatMap(([key, c]) => [key, JSON.stringify(c)]);
      const evicted = (await bindWithCap.run(redis, [keys.registration(request.aor)], [now, request.maxContacts, ttl, request.past.length, ...request.past, ...pairs])) as string[];
      for (const [, c] of live) {
        if (c.pushPrid !== undefined) await writeAndExtend.run(redis, [keys.pushPrid(c.pushPrid)], [c.expiresAt - now, 'SADD', request.aor]);
      }
      await this.rememberPush(request.aor, live.map(([, c]) => c));
      return evicted.map(readContact).filter((c): c is Contact => c !== null);
    });
  }

  async remove(aor: string, ref: ContactRef): Promise<boolean> {
    const key = this.ctx.keys.registration(parseInput(aorSchema, aor, 'aor'));
    return guard('registrations.remove', async () => {
      const fields = new Set([contactKey(ref)]);
      for (const [field, raw] of Object.entries(await this.ctx.redis.hgetall(key))) {
        if (readContact(raw)?.uri === ref.uri) fields.add(field);
      }
      return (await this.ctx.redis.hdel(key, ...fields)) > 0;
    });
  }

  async removeAll(aor: string): Promise<number> {
    const key = this.ctx.keys.registration(parseInput(aorSchema, aor, 'aor'));
    return guard('registrations.removeAll', async () => {
      const [count] = await execAll(this.ctx.redis.multi().hlen(key).del(key, this.ctx.keys.lastPush(aor)));
      return Number(count);
    });
  }

  async list(aor: string): Promise<Contact[]> {
    const key = this.ctx.keys.registration(parseInput(aorSchema, aor, 'aor'));
    return guard('registrations.list', () => this.listKey(key));
  }

  async findByPushPrid(prid: string): Promise<PushBinding[]> {
    const indexKey = this.ctx.keys.pushPrid(check.id(prid, 'prid'));
    return guard('registrations.findByPushPrid', async () => {
      const found: PushBinding[] = [];
      for (const aor of (await this.ctx.redis.smembers(indexKey)).sort()) {
        for (const contact of await this.listKey(this.ctx.keys.registration(aor))) {
          if (contact.pushPrid === prid) found.push({ aor, contact });
        }
      }
      return found;
    });
  }

  async lastPush(aor: string): Promise<LastPush | null> {
    const key = this.ctx.keys.lastPush(parseInput(aorSchema, aor, 'aor'));
    return guard('registrations.lastPush', async () => {
      const raw = await this.ctx.redis.get(key);
      if (raw === null) return null;
      try {
        const push = JSON.parse(raw) as LastPush;
        return typeof push.provider === 'string' && typeof push.prid === 'string' ? push : null;
      } catch {
        return null;
      }
    });
  }

  private async rememberPush(aor: string, contacts: Contact[]): Promise<void> {
    const push = lastPushOf(contacts);
    if (push !== undefined) await this.ctx.redis.set(this.ctx.keys.lastPush(aor), JSON.stringify(push), 'PX', LAST_PUSH_TTL_MS);
  }

  private async listKey(key: string): Promise<Contact[]> {
    const { redis, clock } = this.ctx;
    const now = clock.now();
    const entries: Array<[string, Contact]> = [];
    const unreadable: string[] = [];
    for (const [field, raw] of Object.entries(await redis.hgetall(key))) {
      const contact = readContact(raw);
      if (contact) entries.push([field, contact]);
      else unreadable.push(field);
    }
    const { live, expired } = liveContacts(entries, now);
    const doomed = [...expired, ...unreadable];
    // The script re-checks each binding, so a refresh racing this prune is never deleted.
    if (doomed.length > 0) await pruneBindings.run(redis, [key], [now, ...doomed]);
    return live;
  }
}

function readContact(raw: string): Contact | null {
  try {
    const parsed = contactSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
