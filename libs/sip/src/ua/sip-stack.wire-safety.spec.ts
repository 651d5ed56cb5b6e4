import { waitFor } from '@legwork/common/testing';
import { createSocket, type Socket } from 'node:dgram';
import { createRequest } from '../message/sip-builders';
import { SipUnsafeValueError } from '../message/sip-unsafe-value';
import type { TransportLayer } from '../transport/transport-layer';
import { LOCAL, startLayer } from '../transport/transport.test-helpers';
import { type InviteOptions, SipStack } from './sip-stack';

const INJECTED = 'Boss\r\nX-Injected: yes';

/** Every way a caller can hand the UA core a value: each must be refused at the call, nothing sent. */
describe('SipStack refuses values that would inject header lines, synchronously and typed', () => {
  let layer: TransportLayer;
  let stack: SipStack;
  let phone: Socket;
  let target: string;
  const datagrams: Buffer[] = [];

  beforeAll(async () => {
    layer = await startLayer(['udp']);
    stack = new SipStack({ transport: layer, userAgent: 'wire-safety' });
    phone = createSocket('udp4');
    phone.on('message', (data) => datagrams.push(data));
    await new Promise<void>((resolve) => phone.bind(0, LOCAL, () => resolve()));
    target = `${LOCAL}:${phone.address().port}`;
  });

  afterAll(async () => {
    await stack.close();
    await layer.close();
    phone.close();
  });

  const base = (): InviteOptions => ({ uri: `sip:1000@${target}`, from: '"Desk" <sip:desk@127.0.0.1>', to: `<sip:1000@${target}>`, body: 'v=0\r\n' });

  const cases: Array<[string, string, () => Partial<InviteOptions>]> = [
    ['a display name in From', 'From', () => ({ from: `"${INJECTED}" <sip:desk@127.0.0.1>` })],
    ['an unquoted display name in From', 'From', () => ({ from: `${INJECTED} <sip:desk@127.0.0.1>` })],
    ['a display name in To', 'To', () => ({ to: `"${INJECTED}" <sip:1000@${target}>` })],
    ['a custom header value', 'X-Caller-Name', () => ({ headers: [['X-Caller-Name', INJECTED]] })],
    ['a custom header name', 'X-A\r\nX-Injected', () => ({ headers: [['X-A\r\nX-Injected', 'yes']] })],
    ['the user of the Request-URI', 'Request-URI', () => ({ uri: `sip:${INJECTED}@${target}` })],
    ['the user of the To URI', 'To', () => ({ to: `<sip:${INJECTED}@${target}>` })],
    ['a ">" in the dialled number', 'Request-URI', () => ({ uri: `sip:1000>@${target}` })],
    ['a ">" in the To number', 'To', () => ({ to: `<sip:1000>@${target}>` })],
    ['a ">" in the From number', 'From', () => ({ from: '<sip:2000>@127.0.0.1>' })],
    ['a raw quote in a From display name', 'From', () => ({ from: '"Bo"ss" <sip:desk@127.0.0.1>' })],
    ['the Contact user', 'Contact', () => ({ contactUser: `desk>\r\nX-Injected: yes` })],
    ['a ">" in the Contact user', 'Contact', () => ({ contactUser: 'desk>' })],
    ['the Call-ID', 'Call-ID', () => ({ callId: `abc\r\nX-Injected: yes` })],
    ['a NUL in a display name', 'From', () => ({ from: '"Bo\0ss" <sip:desk@127.0.0.1>' })],
    ['the digest username', 'Authorization', () => ({ credentials: { username: INJECTED, password: 'x' } })],
  ];

  it.each(cases)('%s: SipUnsafeValueError naming %s, thrown by invite() itself', (_what, header, change) => {
    let caught: unknown;
    try {
      stack.invite({ ...base(), ...change() });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SipUnsafeValueError);
    expect(caught).toMatchObject({ code: 'sip_unsafe_value', details: { header } });
  });

  it('request() rejects with the same typed error', async () => {
    await expect(stack.request({ method: 'MESSAGE', uri: `sip:1000@${target}`, from: `"${INJECTED}" <sip:desk@127.0.0.1>`, to: `<sip:1000@${target}>` })).rejects.toMatchObject({
      code: 'sip_unsafe_value',
      details: { header: 'From' },
    });
  });

  it('the transport layer refuses a message edited by hand after it was built: a rejected promise, nothing sent', async () => {
    const message = createRequest({ method: 'OPTIONS', uri: `sip:1000@${target}`, from: '<sip:desk@127.0.0.1>;tag=1', to: `<sip:1000@${target}>`, callId: 'edited-by-hand', cseq: 1 });
    message.headers.list.push({ name: 'X-Late', key: 'x-late', value: INJECTED });
    await expect(layer.send(message, { protocol: 'udp', host: LOCAL, port: phone.address().port })).rejects.toMatchObject({ code: 'sip_unsafe_value', details: { header: 'X-Late' } });
  });

  it('nothing of the refused INVITEs reached the wire; a clean one does', async () => {
    const clean = stack.invite({ ...base(), callId: 'clean-after-refusals' });
    await waitFor(() => datagrams.length > 0, { timeoutMs: 10_000 });
    clean.cancel();
    const texts = datagrams.map((d) => d.toString('latin1'));
    expect(texts.every((t) => t.includes('Call-ID: clean-after-refusals\r\n'))).toBe(true);
    expect(texts.some((t) => /x-injected/i.test(t))).toBe(false);
  });
});
