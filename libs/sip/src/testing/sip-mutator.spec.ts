import { parseSipMessage } from '../message/sip-parser';
import { SIP_FUZZ_CORPUS, SIP_MUTATIONS, SipMutator, applySipMutation, retargetVia, seededRandom, type SipFuzzInput } from './sip-mutator';

const INVITE = Buffer.from(
  ['INVITE sip:bob@example.org SIP/2.0', 'Via: SIP/2.0/UDP pc33.example.org;branch=z9hG4bKabc', 'From: <sip:a@example.org>;tag=1', 'To: <sip:bob@example.org>', 'Call-ID: c1', 'CSeq: 1 INVITE', 'Content-Length: 4', '', 'body'].join('\r\n'),
);
const take = (m: SipMutator, n: number): SipFuzzInput[] => Array.from({ length: n }, () => m.next());

describe('SipMutator', () => {
  it('is deterministic: one seed, one sequence; another seed, another', () => {
    const a = take(new SipMutator(7), 200).map((i) => i.bytes.toString('hex'));
    expect(take(new SipMutator(7), 200).map((i) => i.bytes.toString('hex'))).toEqual(a);
    expect(take(new SipMutator(8), 200).map((i) => i.bytes.toString('hex'))).not.toEqual(a);
  });

  it('draws every kind of input and never exceeds maxSize', () => {
    const inputs = take(new SipMutator(1, { maxSize: 20_000 }), 3_000);
    expect(new Set(inputs.map((i) => i.kind))).toEqual(new Set(['random', 'generated', ...SIP_MUTATIONS]));
    expect(Math.max(...inputs.map((i) => i.bytes.length))).toBeLessThanOrEqual(20_000);
    // most inputs are not valid SIP any more, some still are
    const parsed = inputs.filter((i) => parseSipMessage(i.bytes).ok).length;
    expect(parsed).toBeGreaterThan(0);
    expect(parsed).toBeLessThan(inputs.length);
  });

  it('covers the real INVITE/REGISTER/BYE/CANCEL messages and the RFC 4475 ones', () => {
    const methods = new Set(SIP_FUZZ_CORPUS.map((b) => /^([A-Z]+) /.exec(b.toString('latin1'))?.[1]));
    for (const method of ['INVITE', 'REGISTER', 'BYE', 'CANCEL', 'OPTIONS']) expect(methods).toContain(method);
    expect(SIP_FUZZ_CORPUS.some((b) => b.toString('latin1').startsWith('!interesting-Method'))).toBe(true);
  });

  it('each mutation does what it names', () => {
    const r = seededRandom(3);
    const text = (kind: (typeof SIP_MUTATIONS)[number]): string => applySipMutation(r, INVITE, kind, 60_000).toString('latin1');
    expect(text('truncate').length).toBeLessThan(INVITE.length);
    expect(text('duplicate-header').split('\r\n').length).toBeGreaterThan(INVITE.toString().split('\r\n').length);
    expect(text('huge-value').length).toBeGreaterThanOrEqual(INVITE.length + 300);
    expect(applySipMutation(r, INVITE, 'bad-utf8', 60_000).toString('utf8')).toContain('\ufffd');
    expect(text('content-length')).not.toMatch(/Content-Length: 4\r\n\r\nbody$/);
    expect(text('crlf')).not.toBe(INVITE.toString('latin1'));
    expect(applySipMutation(r, INVITE, 'huge-value', INVITE.length).length).toBe(INVITE.length);
    expect(INVITE.toString()).toContain('Content-Length: 4\r\n\r\nbody');
  });

  it('retargetVia points the first Via at the sender and leaves Via-less input alone', () => {
    const out = retargetVia(INVITE, 'UDP', '127.0.0.9:4000', 'x1').toString();
    expect(out).toContain('\r\nVia: SIP/2.0/UDP 127.0.0.9:4000;rport;branch=z9hG4bKx1\r\n');
    expect(out).not.toContain('pc33');
    const none = Buffer.from('garbage without headers');
    expect(retargetVia(none, 'UDP', 'h:1', 'b')).toBe(none);
  });
});
