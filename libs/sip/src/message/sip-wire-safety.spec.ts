import { RFC4475_VALID } from '../corpus/rfc4475-valid.corpus';
import { NameAddr, parseNameAddr, serializeNameAddr } from './name-addr';
import { createRequest, createResponse } from './sip-builders';
import { SipHeaders } from './sip-headers';
import type { SipRequest } from './sip-message';
import { SipParams } from './sip-params';
import { parseSipMessage } from './sip-parser';
import { serializeMessage } from './sip-serializer';
import { quote } from './sip-text';
import { SipUnsafeValueError } from './sip-unsafe-value';
import { parseUri, serializeUri } from './sip-uri';

const INJECTED = 'Boss\r\nX-Injected: yes';

function refusal(fn: () => unknown): SipUnsafeValueError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SipUnsafeValueError) return err;
    throw new Error(`expected SipUnsafeValueError, got ${String(err)}`);
  }
  throw new Error('expected SipUnsafeValueError, nothing was thrown');
}

const request = (extra: Partial<Parameters<typeof createRequest>[0]> = {}): SipRequest =>
  createRequest({ method: 'INVITE', uri: 'sip:1000@192.0.2.1', from: '<sip:desk@192.0.2.2>;tag=a', to: '<sip:1000@192.0.2.1>', callId: 'ws-1', cseq: 1, ...extra });

describe('builders refuse values that break the wire, naming the header', () => {
  it.each([
    ['From', () => request({ from: new NameAddr(parseUri('sip:desk@192.0.2.2'), INJECTED) })],
    ['To', () => request({ to: new NameAddr(parseUri('sip:1000@192.0.2.1'), 'Bo\0ss') })],
    ['Request-URI', () => request({ uri: { kind: 'sip', scheme: 'sip', user: INJECTED, host: '192.0.2.1', params: new SipParams(), headers: [] } })],
    ['Request-URI', () => request({ uri: 'sip:1000>@192.0.2.1' })],
    ['Request-URI', () => request({ uri: 'sip:1000@192.0.2.1 SIP/2.0\r\nX-Injected: yes\r\nX:' })],
    ['method', () => request({ method: 'INVITE sip:x SIP/2.0\r\nX-Injected: yes\r\nX' })],
    ['Contact', () => request({ contact: '<sip:desk@192.0.2.2>, <sip:evil>@x>' })],
    ['Route', () => request({ headers: [['Route', '<sip:proxy;lr>\r\nX-Injected: yes']] })],
    ['X-Custom', () => request({ headers: [['X-Custom', 'a\nb']] })],
    ['Content-Type', () => request({ contentType: 'application/sdp\r\nX-Injected: yes' })],
  ] as const)('%s', (header, build) => {
    expect(refusal(build)).toMatchObject({ code: 'sip_unsafe_value', details: { header } });
  });

  it('createResponse refuses an injected reason phrase, header or To tag', () => {
    const req = request();
    expect(refusal(() => createResponse(req, 486, `Busy\r\nX-Injected: yes`)).details).toMatchObject({ header: 'reason-phrase' });
    expect(refusal(() => createResponse(req, 486, undefined, { headers: [['Warning', INJECTED]] })).details).toMatchObject({ header: 'Warning' });
    expect(refusal(() => createResponse(req, 200, undefined, { toTag: 'x;maddr=evil' })).details).toMatchObject({ header: 'To' });
  });

  it('header mutations are checked where they happen', () => {
    const headers = new SipHeaders();
    expect(refusal(() => headers.append('X-A', INJECTED)).details).toMatchObject({ header: 'X-A' });
    expect(refusal(() => headers.set('Subject', 'a\rb')).details).toMatchObject({ header: 'Subject' });
    expect(refusal(() => headers.prepend('Via: x\r\nX', 'y')).details).toMatchObject({ reason: 'bad_header_name' });
    expect(() => SipHeaders.from([['X-B', 'ok\0']])).toThrow(SipUnsafeValueError);
    expect(headers.size).toBe(0);
  });

  it('the serializer is the last line: a header list edited by hand still never reaches the wire', () => {
    const m = request();
    m.headers.list.push({ name: 'X-Late', key: 'x-late', value: INJECTED });
    expect(refusal(() => serializeMessage(m)).details).toMatchObject({ header: 'X-Late' });
    const r = createResponse(request(), 200);
    r.reason = 'OK\r\nX-Injected: yes';
    expect(refusal(() => serializeMessage(r)).details).toMatchObject({ header: 'reason-phrase' });
  });

  it('display names are quoted with their controls escaped; CR and LF cannot be', () => {
    expect(quote('say "hi" \\ \x07 \x7f')).toBe('"say \\"hi\\" \\\\ \\\x07 \\\x7f"');
    expect(refusal(() => quote('a\r\nb')).details).toMatchObject({ reason: 'line_break' });
    const addr = parseNameAddr('"A <b>, c" <sip:a@192.0.2.1>');
    expect(serializeNameAddr(addr)).toBe('"A <b>, c" <sip:a@192.0.2.1>');
    expect(refusal(() => serializeUri({ kind: 'sip', scheme: 'sip', user: '1000>', host: 'x', params: new SipParams(), headers: [] })).details).toMatchObject({ reason: 'bad_uri' });
  });

  it("a peer's odd but readable values stay usable in the requests of its dialog", () => {
    const bye = createRequest({ method: 'BYE', uri: 'sip:peer@[2001:db8::1]:5070;transport=tcp;=odd', from: '"Ünï \\"Q\\"" <sip:me@192.0.2.2>;tag=[v6]:x', to: '<sip:peer@192.0.2.1>;tag="quoted tag"', callId: 'a b@c', cseq: 2, via: 'SIP/2.0/TCP 192.0.2.2;branch=z9hG4bKodd' });
    const again = parseSipMessage(serializeMessage(bye));
    expect(again.ok && [again.value.callId, again.value.fromTag, again.value.toTag]).toEqual(['a b@c', '[v6]:x', '"quoted tag"']);
  });

  it('what the parser accepted can always be echoed: RFC 4475 requests get their responses serialized', () => {
    for (const c of RFC4475_VALID) {
      const parsed = parseSipMessage(c.wire);
      if (!parsed.ok || parsed.value.kind !== 'request') continue;
      const out = serializeMessage(createResponse(parsed.value, 501, undefined, { toTag: 'x1' }));
      expect(parseSipMessage(out).ok).toBe(true);
    }
  });
});
