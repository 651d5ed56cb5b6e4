import { WebSocket } from 'ws';
import { createResponse } from '../message/sip-builders';
import type { SipResponse } from '../message/sip-message';
import { parseSipMessage } from '../message/sip-parser';
import { serializeMessage } from '../message/sip-serializer';
import type { TransportLayer } from './transport-layer';
import { LOCAL, nextMessage, optionsRequest, portOf, startLayer } from './transport.test-helpers';

function openClient(port: number, protocols: string[]): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://${LOCAL}:${port}/`, protocols);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function nextWsMessage(ws: WebSocket): Promise<Buffer> {
  return new Promise((resolve) => ws.once('message', (data: Buffer) => resolve(data)));
}

describe('WebSocket transport', () => {
  let server: TransportLayer;
  let client: TransportLayer;
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    server = await startLayer(['ws']);
    client = await startLayer(['ws']);
  });

  afterAll(async () => {
    for (const ws of sockets) ws.terminate();
    await Promise.all([server.close(), client.close()]);
  });

  it('round-trips between two layers and answers over the same WebSocket', async () => {
    const request = optionsRequest({ protocol: 'ws', targetPort: portOf(server, 'ws'), viaHost: 'df7jal23ls0d.invalid', rport: true });
    const arrived = nextMessage(server, (m) => m.message.callId === request.callId);
    await client.send(request, await client.resolve(request));
    const inbound = await arrived;
    expect(inbound.source).toMatchObject({ protocol: 'ws', remoteAddress: LOCAL });
    expect(inbound.source.flowId).toBeDefined();
    expect(inbound.message.via?.received).toBe(LOCAL);
    if (inbound.message.kind !== 'request') throw new Error('expected a request');

    const answered = nextMessage(client, (m) => m.message.callId === request.callId);
    await server.sendResponse(createResponse(inbound.message, 200), inbound.source);
    expect(((await answered).message as SipResponse).status).toBe(200);
  });

  it('fails a response with flow_gone once the WebSocket is closed', async () => {
    const ws = await openClient(portOf(server, 'ws'), ['sip']);
    const request = optionsRequest({ protocol: 'ws', targetPort: portOf(server, 'ws'), viaHost: 'client.invalid' });
    const arrived = nextMessage(server, (m) => m.message.callId === request.callId);
    ws.send(serializeMessage(request).toString('utf8'));
    const inbound = await arrived;
    const closed = new Promise<string>((resolve) => server.onFlowClosed((id) => id === inbound.source.flowId && resolve(id)));
    ws.close();
    expect(await closed).toBe(inbound.source.flowId);
    if (inbound.message.kind !== 'request') throw new Error('expected a request');
    await expect(server.sendResponse(createResponse(inbound.message, 200), inbound.source)).rejects.toMatchObject({ code: 'flow_gone' });
  });

  it('refuses a handshake that does not offer the sip subprotocol', async () => {
    await expect(openClient(portOf(server, 'ws'), [])).rejects.toThrow(/400/);
    await expect(openClient(portOf(server, 'ws'), ['chat'])).rejects.toThrow(/400/);
  });

  it('answers a keepalive and a malformed request, and keeps the connection', async () => {
    const ws = await openClient(portOf(server, 'ws'), ['sip']);
    sockets.push(ws);
    expect(ws.protocol).toBe('sip');
    const pong = nextWsMessage(ws);
    ws.send('\r\n\r\n');
    expect((await pong).toString()).toBe('\r\n');

    const reply = nextWsMessage(ws);
    ws.send(['MESSAGE sip:x@127.0.0.1 SIP/2.0', 'Via: SIP/2.0/WS h.invalid;branch=z9hG4bKw', 'From: <sip:a@h.invalid>;tag=9', 'To: <sip:x@127.0.0.1>', 'Call-ID: ws-broken', 'CSeq: 4 MESSAGE', 'Max-Forwards: none', 'Content-Length: 0', '', ''].join('\r\n'));
    const parsed = parseSipMessage(await reply);
    if (!parsed.ok || parsed.value.kind !== 'response') throw new Error('expected a response');
    expect(parsed.value.status).toBe(400);
    expect(parsed.value.cseq?.seq).toBe(4);
    expect(ws.readyState).toBe(WebSocket.OPEN);
  });
});

