import { createSocket, type Socket } from 'node:dgram';
import { RFC4475_BADVERS } from '../corpus/rfc4475-valid.corpus';
import { createResponse } from '../message/sip-builders';
import { parseSipMessage } from '../message/sip-parser';
import { serializeMessage } from '../message/sip-serializer';
import type { SipResponse } from '../message/sip-message';
import type { TransportLayer } from './transport-layer';
import { LOCAL, nextMessage, optionsRequest, portOf, startLayer } from './transport.test-helpers';

describe('UDP transport', () => {
  let server: TransportLayer;
  let client: TransportLayer;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    server = await startLayer(['udp']);
    client = await startLayer(['udp']);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await Promise.all([server.close(), client.close()]);
  });

  function rawSocket(): Promise<Socket> {
    const socket = createSocket('udp4');
    sockets.push(socket);
    return new Promise((resolve) => socket.bind(0, LOCAL, () => resolve(socket)));
  }

  function nextDatagram(socket: Socket, timeoutMs = 5_000): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no datagram arrived')), timeoutMs);
      socket.once('message', (data) => {
        clearTimeout(timer);
        resolve(data);
      });
    });
  }

  it('carries a request and its response between two layers', async () => {
    const request = optionsRequest({ protocol: 'udp', targetPort: portOf(server, 'udp'), viaPort: portOf(client, 'udp'), rport: true });
    const arrived = nextMessage(server, (m) => m.message.callId === request.callId);
    await client.send(request, await client.resolve(request));
    const inbound = await arrived;
    expect(inbound.message.kind).toBe('request');
    expect(inbound.source).toMatchObject({ protocol: 'udp', remoteAddress: LOCAL, remotePort: portOf(client, 'udp'), localPort: portOf(server, 'udp') });
    expect(inbound.source.flowId).toBeUndefined();

    const answered = nextMessage(client, (m) => m.message.callId === request.callId);
    if (inbound.message.kind !== 'request') throw new Error('expected a request');
    await server.sendResponse(createResponse(inbound.message, 200, undefined, { toTag: 'abc' }), inbound.source);
    const response = (await answered).message as SipResponse;
    expect(response.status).toBe(200);
    expect(response.toTag).toBe('abc');
  });

  it('stamps received and rport on the top Via only and answers to received:rport', async () => {
    const socket = await rawSocket();
    const port = socket.address().port;
    // the sent-by names a host and port the response must NOT go to
    const request = optionsRequest({ protocol: 'udp', targetPort: portOf(server, 'udp'), viaHost: 'phone.invalid', viaPort: 9, rport: true });
    request.headers.append('Via', 'SIP/2.0/UDP proxy.invalid:5060;branch=z9hG4bKlower;rport');
    const arrived = nextMessage(server, (m) => m.message.callId === request.callId);
    socket.send(serializeMessage(request), portOf(server, 'udp'), LOCAL);
    const inbound = await arrived;
    const vias = inbound.message.getVias();
    if (!vias.ok) throw vias.error;
    expect(vias.value[0].received).toBe(LOCAL);
    expect(vias.value[0].rport).toBe(port);
    expect(vias.value[1].received).toBeUndefined();
    expect(vias.value[1].rport).toBe(true);

    const reply = nextDatagram(socket);
    if (inbound.message.kind !== 'request') throw new Error('expected a request');
    await server.sendResponse(createResponse(inbound.message, 200), inbound.source);
    const parsed = parseSipMessage(await reply);
    expect(parsed.ok && parsed.value.kind === 'response' && parsed.value.status).toBe(200);
  });

  it('adds received but no rport when the client did not ask for rport', async () => {
    const request = optionsRequest({ protocol: 'udp', targetPort: portOf(server, 'udp'), viaHost: '192.0.2.1', viaPort: 5060 });
    const arrived = nextMessage(server, (m) => m.message.callId === request.callId);
    await client.send(request, { protocol: 'udp', host: LOCAL, port: portOf(server, 'udp') });
    const via = (await arrived).message.via;
    expect(via?.received).toBe(LOCAL);
    expect(via?.rport).toBeUndefined();
  });

  it('answers a malformed request with a stateless 400 naming the problem', async () => {
    const socket = await rawSocket();
    const reply = nextDatagram(socket);
    const broken = ['INVITE sip:bob@127.0.0.1 SIP/2.0', 'Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKbad', 'From: <sip:a@127.0.0.1>;tag=1', 'To: <sip:b@127.0.0.1>', 'Call-ID: broken-1', 'CSeq: 1 INVITE', 'Max-Forwards: lots', 'Content-Length: 0', '', ''].join('\r\n');
    socket.send(Buffer.from(broken), portOf(server, 'udp'), LOCAL);
    const parsed = parseSipMessage(await reply);
    if (!parsed.ok || parsed.value.kind !== 'response') throw new Error('expected a response');
    expect(parsed.value.status).toBe(400);
    expect(parsed.value.reason).toContain('max forwards');
    expect(parsed.value.callId).toBe('broken-1');
    expect(parsed.value.toTag).toBeDefined();
    expect(server.stats().rejected).toBeGreaterThan(0);
  });

  it('answers a request of an unknown SIP version with 505 instead of dropping it', async () => {
    const socket = await rawSocket();
    const reply = nextDatagram(socket);
    socket.send(RFC4475_BADVERS.wire, portOf(server, 'udp'), LOCAL);
    const parsed = parseSipMessage(await reply);
    if (!parsed.ok || parsed.value.kind !== 'response') throw new Error('expected a response');
    expect([parsed.value.status, parsed.value.callId]).toEqual([505, 'badvers.31417@c.example.com']);
  });

  it('drops unanswerable garbage and counts it', async () => {
    const socket = await rawSocket();
    const before = server.stats().dropped;
    socket.send(Buffer.from('this is not SIP\r\n\r\n'), portOf(server, 'udp'), LOCAL);
    // a valid request sent afterwards on the same path proves the garbage was processed first
    const request = optionsRequest({ protocol: 'udp', targetPort: portOf(server, 'udp') });
    const arrived = nextMessage(server, (m) => m.message.callId === request.callId);
    socket.send(serializeMessage(request), portOf(server, 'udp'), LOCAL);
    await arrived;
    expect(server.stats().dropped).toBe(before + 1);
  });

  it('rejects datagrams too large for UDP with too_large and sends after close with closed', async () => {
    const request = optionsRequest({ protocol: 'udp', targetPort: portOf(server, 'udp') });
    request.body = Buffer.alloc(70_000, 0x61);
    await expect(client.send(request, { protocol: 'udp', host: LOCAL, port: portOf(server, 'udp') })).rejects.toMatchObject({ code: 'too_large' });
    const spare = await startLayer(['udp']);
    await spare.close();
    await expect(spare.send(optionsRequest({ protocol: 'udp', targetPort: 9 }), { protocol: 'udp', host: LOCAL, port: 9 })).rejects.toMatchObject({ code: 'closed' });
  });
});
