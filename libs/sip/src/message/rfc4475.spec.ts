import { RFC4475_VALID } from '../corpus/rfc4475-valid.corpus';
import type { AnySipMessage, SipRequest } from './sip-message';
import { parseSipMessage } from './sip-parser';
import { serializeMessage } from './sip-serializer';
import { SipStreamFramer } from './sip-stream-framer';

function parsed(section: string): AnySipMessage {
  const c = RFC4475_VALID.find((entry) => entry.name.startsWith(`${section} `));
  if (c === undefined) throw new Error(`no RFC 4475 case ${section}`);
  const result = parseSipMessage(c.wire);
  if (!result.ok) throw new Error(`${c.name}: ${result.error.reason}: ${result.error.message}`);
  return result.value;
}

describe('RFC 4475 §3.1.1: every valid torture message is taken as well-formed', () => {
  it.each(RFC4475_VALID.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = parseSipMessage(c.wire);
    if (!result.ok) throw new Error(`${result.error.reason}: ${result.error.message}`);
    const m = result.value;
    for (const lazy of [m.getVias(), m.getContacts(), m.getRoutes(), m.getRecordRoutes()]) expect(lazy.ok).toBe(true);
    if (m.kind === 'request') expect(m.getRequestUri().ok).toBe(true);
    // what we parsed, we can send again and read back the same
    const again = parseSipMessage(serializeMessage(m));
    expect(again.ok && again.value.headers.list).toEqual(m.headers.list);
  });

  it('reads the stream framing of each one too', () => {
    for (const c of RFC4475_VALID) {
      const frames = new SipStreamFramer().push(c.wire);
      expect([c.name, frames[0]?.type]).toEqual([c.name, 'message']);
    }
  });
});

describe('RFC 4475 §3.1.1: the values behind the torture', () => {
  it('3.1.1.1: leading zeros in Max-Forwards and CSeq, folds everywhere, quoted escapes', () => {
    const m = parsed('3.1.1.1');
    expect(m.maxForwards).toBe(68);
    expect(m.cseq).toEqual({ seq: 9, method: 'INVITE' });
    const vias = m.getVias();
    expect(vias.ok && vias.value.map((v) => [v.transport, v.host, v.branch])).toEqual([
      ['UDP', '192.0.2.2', '390skdjuw'],
      ['TCP', 'spindle.example.com', 'z9hG4bK9ikj8'],
      ['UDP', '192.168.255.111', 'z9hG4bK30239'],
    ]);
    expect([m.toTag, m.fromTag, m.from?.displayName]).toEqual(['1918181833n', '98asjd8', 'J Rosenberg \\"']);
    expect(m.headers.get('NewFangledHeader')).toBe('newfangled value continued newfangled value');
    expect(m.headers.get('UnknownHeaderWithUnusualValue')).toBe(';;,,;;,;');
    const contacts = m.getContacts();
    expect(contacts.ok && contacts.value !== '*' && [contacts.value[0].displayName, contacts.value[0].params.get('q')]).toEqual(['Quoted string ""', '0.33']);
    expect(m.body.length).toBe(150);
  });

  it('3.1.1.2: token characters in the method, escaped BEL/NUL/DEL in a quoted display name', () => {
    const m = parsed('3.1.1.2') as SipRequest;
    expect(m.method).toBe("!interesting-Method0123456789_*+`.%indeed'~");
    expect(m.maxForwards).toBe(255);
    expect(m.to?.displayName).toBe('BEL:\x07 NUL:\x00 DEL:\x7f');
    expect(m.callId).toBe('intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{');
  });

  it('3.1.1.3-3.1.1.5 and 3.1.1.9: % escapes are kept as written, %00 included', () => {
    const user = (section: string): string | undefined => {
      const uri = (parsed(section) as SipRequest).getRequestUri();
      return uri.ok && uri.value.kind === 'sip' ? uri.value.user : undefined;
    };
    expect(user('3.1.1.3')).toBe('sips%3Auser%40example.com');
    const nulls = parsed('3.1.1.4');
    expect(nulls.to?.uri.kind === 'sip' && nulls.to.uri.user).toBe('null-%00-null');
    expect((parsed('3.1.1.5') as SipRequest).method).toBe('RE%47IST%45R');
    expect(user('3.1.1.9')).toBe('user;par=u%40example.net');
  });

  it('3.1.1.7, 3.1.1.8, 3.1.1.12, 3.1.1.13: long values, trailing octets, odd and empty reasons', () => {
    expect(parsed('3.1.1.7').getVias()).toMatchObject({ ok: true, value: { length: 34 } });
    expect(parsed('3.1.1.8').body.length).toBe(0);
    const unusual = parsed('3.1.1.12');
    expect(unusual.kind === 'response' && unusual.status).toBe(200);
    const empty = parsed('3.1.1.13');
    expect(empty.kind === 'response' && [empty.status, empty.reason]).toEqual([100, '']);
  });
});
