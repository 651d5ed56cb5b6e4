import { wire } from '../corpus/corpus-wire';
import type { AnySipMessage } from './sip-message';
import { parseSipMessage } from './sip-parser';

const HEAD = ['OPTIONS sip:bob@example.com SIP/2.0', 'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKfold', 'From: <sip:alice@example.com>;tag=f1', 'To: <sip:bob@example.com>', 'Call-ID: fold@192.0.2.1', 'CSeq: 1 OPTIONS'];

function parseOk(text: string): AnySipMessage {
  const result = parseSipMessage(text);
  if (!result.ok) throw new Error(`expected ok, got ${result.error.reason}: ${result.error.message}`);
  return result.value;
}

/** `name: first` then `words` as continuation lines, each fold written with its own blend of SP/HTAB. */
function folded(name: string, first: string, words: string[]): string {
  const blanks = [' ', '\t', '   ', ' \t '];
  return [`${name}: ${first}`, ...words.map((w, i) => `${blanks[i % blanks.length]}${w}${i % 3 === 0 ? '  ' : ''}`)].join('\r\n');
}

const STRING_METHODS = ['slice', 'substring', 'substr', 'trim', 'trimStart', 'trimEnd', 'concat', 'split', 'replace', 'replaceAll', 'toLowerCase', 'toUpperCase', 'padStart', 'padEnd', 'repeat'] as const;

/** Calls to String.prototype methods and the characters they produced while fn ran: the parser's copying work. */
function stringWork(fn: () => void): { calls: number; chars: number } {
  let calls = 0;
  let chars = 0;
  const proto = String.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const spies = STRING_METHODS.map((name) => {
    const original = proto[name];
    return jest.spyOn(proto, name).mockImplementation(function (this: string, ...args: unknown[]) {
      calls++;
      const out = original.apply(this, args);
      if (typeof out === 'string') chars += out.length;
      else if (Array.isArray(out)) for (const part of out) chars += (part as string).length;
      return out;
    });
  });
  try {
    fn();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return { calls, chars };
}

describe('header unfolding: folded and unfolded forms read the same', () => {
  it('many consecutive folds, blank-only lines and trailing blanks collapse to single spaces', () => {
    const words = Array.from({ length: 400 }, (_, i) => `w${i}`);
    const withBlankLines = [...words.slice(0, 3), '', '\t', ...words.slice(3)];
    const m = parseOk(wire([...HEAD, folded('Subject', 'start', withBlankLines), 'Content-Length: 0']));
    const plain = parseOk(wire([...HEAD, `Subject: start ${words.join(' ')}`, 'Content-Length: 0']));
    expect(m.headers.get('subject')).toBe(plain.headers.get('subject'));
    expect(m.headers.get('subject')).toBe(`start ${words.join(' ')}`);
  });

  it('folds inside quoted strings, name-addrs, Via and CSeq parse to the same values', () => {
    const foldedLines = [
      'OPTIONS sip:bob@example.com SIP/2.0',
      'Via: SIP/2.0/UDP',
      '  192.0.2.1',
      '\t;branch=z9hG4bKfold',
      'From: "Alice',
      '   Liddell" <sip:alice@example.com>',
      '  ;tag=f1',
      'To:',
      ' <sip:bob@example.com>',
      'Call-ID: fold@192.0.2.1',
      'CSeq: 1',
      '  OPTIONS',
      'Contact: "A, B" <sip:a@192.0.2.1>,',
      ' <sip:b@192.0.2.2>;q=0.5',
      'Content-Length: 0',
    ];
    const plainLines = [
      'OPTIONS sip:bob@example.com SIP/2.0',
      'Via: SIP/2.0/UDP 192.0.2.1 ;branch=z9hG4bKfold',
      'From: "Alice Liddell" <sip:alice@example.com> ;tag=f1',
      'To: <sip:bob@example.com>',
      'Call-ID: fold@192.0.2.1',
      'CSeq: 1 OPTIONS',
      'Contact: "A, B" <sip:a@192.0.2.1>, <sip:b@192.0.2.2>;q=0.5',
      'Content-Length: 0',
    ];
    const a = parseOk(wire(foldedLines));
    const b = parseOk(wire(plainLines));
    expect(a.headers.list.map((h) => [h.key, h.value])).toEqual(b.headers.list.map((h) => [h.key, h.value]));
    expect(a.from?.displayName).toBe('Alice Liddell');
    expect([a.via?.host, a.via?.branch, a.cseq?.method, a.fromTag]).toEqual(['192.0.2.1', 'z9hG4bKfold', 'OPTIONS', 'f1']);
    const contacts = a.getContacts();
    expect(contacts.ok && contacts.value !== '*' && contacts.value.map((c) => c.displayName)).toEqual(['A, B', undefined]);
  });

  it('still refuses a bare CR or LF inside a continuation line', () => {
    for (const bad of ['Subject: a\r\n b\rX', 'Subject: a\r\n b\nInjected: yes', 'Subject: a\r\n b\r\r\n c']) {
      const result = parseSipMessage(wire([...HEAD, bad, 'Content-Length: 0']));
      expect(!result.ok && result.error.reason).toBe('bare_line_break');
    }
  });
});

describe('header unfolding: the work is linear in the message size', () => {
  function message(folds: number): string {
    const words = Array.from({ length: folds }, (_, i) => `v${i % 10}`);
    return wire([...HEAD, folded('X-Folded', 'start', words), 'Content-Length: 0']);
  }

  it('copies each character a bounded number of times, however many folds a header has', () => {
    for (const folds of [500, 1_000, 2_000]) {
      const text = message(folds);
      const work = stringWork(() => parseOk(text));
      // a quadratic unfolder copies the growing value at every fold: millions of characters here
      expect(work.chars).toBeLessThan(4 * text.length);
      // at most a few string operations per folded line, never one per character or per pair of folds
      expect(work.calls).toBeLessThan(2 * folds + 100);
    }
  });

  it('a header folded 2,000 times costs no more per fold than one folded 100 times', () => {
    const small = stringWork(() => parseOk(message(100)));
    const large = stringWork(() => parseOk(message(2_000)));
    expect(large.chars / message(2_000).length).toBeLessThan(2 * (small.chars / message(100).length) + 1);
  });
});
