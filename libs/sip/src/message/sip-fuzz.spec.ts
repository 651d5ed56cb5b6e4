import { MALFORMED } from '../corpus/malformed-messages.corpus';
import { RFC4475_BADVERS, RFC4475_VALID } from '../corpus/rfc4475-valid.corpus';
import { randomValidMessage } from '../corpus/random-messages';
import { intBetween, pick, seededRandom } from '../corpus/seeded-random';
import { VALID } from '../corpus/valid-messages.corpus';
import { AnySipMessage } from './sip-message';
import { SipParseError, SipResult } from './sip-parse-error';
import { parseSipMessage } from './sip-parser';
import { serializeMessage } from './sip-serializer';
import { SipStreamFramer } from './sip-stream-framer';

const SPICY = [0x0d, 0x0a, 0x00, 0x22, 0x3c, 0x3e, 0x2c, 0x3a, 0x3b, 0x20, 0x09, 0x5c, 0x40, 0x5b, 0x5d, 0x3d, 0xff, 0xc3];
const seeds = [...VALID.map((c) => Buffer.from(c.wire)), ...MALFORMED.map((c) => Buffer.from(c.wire)), ...RFC4475_VALID.map((c) => c.wire), RFC4475_BADVERS.wire];

function mutate(random: () => number, input: Buffer): Buffer {
  let data = Buffer.from(input);
  const rounds = intBetween(random, 1, 4);
  for (let r = 0; r < rounds && data.length > 0; r++) {
    const at = intBetween(random, 0, data.length - 1);
    switch (intBetween(random, 0, 5)) {
      case 0:
        data[at] = pick(random, SPICY);
        break;
      case 1:
        data[at] = intBetween(random, 0, 255);
        break;
      case 2:
        data = Buffer.concat([data.subarray(0, at), Buffer.from([pick(random, SPICY)]), data.subarray(at)]);
        break;
      case 3:
        data = Buffer.concat([data.subarray(0, at), data.subarray(Math.min(data.length, at + intBetween(random, 1, 20)))]);
        break;
      case 4:
        data = Buffer.concat([data.subarray(0, at), data.subarray(at, at + 40), data.subarray(at)]);
        break;
      default:
        data = data.subarray(0, at);
    }
  }
  return data;
}

function randomBytes(random: () => number): Buffer {
  return Buffer.from(Array.from({ length: intBetween(random, 0, 300) }, () => (random() < 0.5 ? pick(random, SPICY) : intBetween(random, 0x20, 0x7e))));
}

/** Touches every lazy accessor: none may throw, each returns a typed result. */
function exercise(result: SipResult<AnySipMessage>): void {
  if (!result.ok) {
    expect(result.error).toBeInstanceOf(SipParseError);
    return;
  }
  const m = result.value;
  for (const lazy of [m.getVias(), m.getContacts(), m.getRoutes(), m.getRecordRoutes(), m.getList('supported'), m.getAuth('authorization'), m.getNameAddr('refer-to')]) {
    if (!lazy.ok) expect(lazy.error).toBeInstanceOf(SipParseError);
  }
  if (m.kind === 'request') m.getRequestUri();
  expect(parseSipMessage(serializeMessage(m)).ok).toBe(true);
}

describe('fuzz: random and mutated input never escapes as a throw', () => {
  it('datagram parser: 10,000 inputs give ok results or typed errors', () => {
    const random = seededRandom(0x5eed);
    let ok = 0;
    for (let i = 0; i < 10_000; i++) {
      const kind = i % 4;
      const input = kind === 0 ? randomBytes(random) : kind === 1 ? Buffer.from(randomValidMessage(random)) : mutate(random, kind === 2 ? pick(random, seeds) : Buffer.from(randomValidMessage(random)));
      const result = parseSipMessage(input);
      if (result.ok) ok++;
      exercise(result);
    }
    // the generated quarter always parses; mutations sometimes survive
    expect(ok).toBeGreaterThanOrEqual(2_500);
  });

  it('stream framer: 2,000 mutated streams in random chunks give frames, never throws', () => {
    const random = seededRandom(0xf4a3e);
    for (let i = 0; i < 2_000; i++) {
      const parts = Array.from({ length: intBetween(random, 1, 3) }, () => (random() < 0.5 ? Buffer.from(randomValidMessage(random)) : mutate(random, pick(random, seeds))));
      const stream = Buffer.concat(parts);
      const framer = new SipStreamFramer({ maxMessageSize: 8192 });
      let pos = 0;
      while (pos < stream.length) {
        const size = intBetween(random, 1, 200);
        for (const frame of framer.push(stream.subarray(pos, pos + size))) {
          if (frame.type === 'message') exercise({ ok: true, value: frame.message });
          if (frame.type === 'invalid' || frame.type === 'error') expect(frame.error).toBeInstanceOf(SipParseError);
        }
        pos += size;
      }
    }
  });

  it('stream framer: generated messages back to back always frame completely', () => {
    const random = seededRandom(42);
    const messages = Array.from({ length: 300 }, () => randomValidMessage(random));
    const stream = Buffer.from(messages.join(''));
    const framer = new SipStreamFramer();
    const frames = [];
    for (let pos = 0; pos < stream.length; ) {
      const size = intBetween(random, 1, 700);
      frames.push(...framer.push(stream.subarray(pos, pos + size)));
      pos += size;
    }
    expect(frames.map((f) => f.type)).toEqual(messages.map(() => 'message'));
    expect(framer.buffered).toBe(0);
  });
});
