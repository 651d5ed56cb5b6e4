import { parseMessage, type AnyMessageDefinition } from '@legwork/contracts';
import { seededRandom } from '@legwork/sip/testing';

export type Msg = Record<string, unknown>;

/** One hostile delivery: the bytes published, and the Msg-ID it carries when it is a JSON object with one. */
export interface HostileBody {
  name: string;
  content: Buffer;
  msgId?: string;
}

/** Bodies no JSON parser reads as an object: nothing in them can name a Server-ID. */
export const UNREADABLE: Array<{ name: string; content: Buffer }> = [
  { name: 'empty', content: Buffer.alloc(0) },
  { name: 'truncated JSON', content: Buffer.from('{"Event-Name": "originate_req", ') },
  { name: 'not JSON at all', content: Buffer.from('<xml>originate</xml>') },
  { name: 'non-UTF-8 bytes', content: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]) },
  { name: 'JSON null', content: Buffer.from('null') },
  { name: 'JSON array', content: Buffer.from('[{"Msg-ID": "x"}]') },
  { name: 'JSON string', content: Buffer.from('"originate"') },
  { name: 'JSON number', content: Buffer.from('1e999') },
  { name: 'deeply nested', content: Buffer.from(`${'['.repeat(50_000)}${']'.repeat(50_000)}`) },
];

const WRONG: unknown[] = [
  null, 0, -1, 1.5, 1e308, true, '', 'x'.repeat(300_000), 'a\r\nX-Injected: yes', '\u0000', '\ud800', [], [null], [[[]]], {}, { nested: { deep: [1] } },
];

function pickFrom<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** One mutation of a valid body: a field (top level, or inside an endpoint) made the wrong type, removed, or blown up. */
function mutate(random: () => number, base: Msg, protect: readonly string[]): Msg {
  const body = structuredClone(base);
  const endpoints = body['Endpoints'];
  const target = Array.isArray(endpoints) && random() < 0.35 ? (endpoints[0] as Msg) : body;
  const keys = Object.keys(target).filter((k) => !protect.includes(k));
  const key = pickFrom(random, keys);
  const roll = random();
  if (roll < 0.55) target[key] = structuredClone(pickFrom(random, WRONG));
  else if (roll < 0.75) delete target[key];
  else if (roll < 0.85) target[key] = Array.from({ length: 20_000 }, () => target[key]);
  else if (roll < 0.93) target[key] = JSON.parse(`${'{"a":'.repeat(500)}1${'}'.repeat(500)}`) as unknown;
  else target[pickFrom(random, ['Application-Name', 'Event-Name', 'Event-Category'])] = pickFrom(random, WRONG);
  return body;
}

/**
 * `count` seeded mutations of `base` that the message's own contract refuses (the oracle: a mutation the contract
 * still accepts is a valid request, not a hostile one), each with a fresh Msg-ID; Server-ID set or removed.
 */
export function hostileBodies(def: AnyMessageDefinition, base: Msg, opts: { count: number; seed: number; serverId?: string }): HostileBody[] {
  const random = seededRandom(opts.seed);
  const out: HostileBody[] = [];
  for (let i = 0; out.length < opts.count && i < opts.count * 50; i++) {
    const msgId = `fuzz-${opts.seed.toString(16)}-${i}`;
    const body = mutate(random, { ...base, 'Msg-ID': msgId }, ['Msg-ID', 'Server-ID']);
    if (opts.serverId === undefined) delete body['Server-ID'];
    else body['Server-ID'] = opts.serverId;
    if (parseMessage(def, body).ok) continue;
    out.push({ name: `mutation #${i}`, content: Buffer.from(JSON.stringify(body)), msgId });
  }
  return out;
}
