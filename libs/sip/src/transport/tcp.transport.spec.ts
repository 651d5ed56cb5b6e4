import { waitFor } from '@legwork/common/testing';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { createResponse } from '../message/sip-builders';
import type { SipRequest, SipResponse } from '../message/sip-message';
import { serializeMessage } from '../message/sip-serializer';
import { SipStreamFramer } from '../message/sip-stream-framer';
import type { TransportLayer } from './transport-layer';
import { LOCAL, nextMessage, optionsRequest, portOf, startLayer } from './transport.test-helpers';
import type { InboundSipMessage } from './transport.types';

function asRequest(inbound: InboundSipMessage): SipRequest {
  if (inbound.message.kind !== 'request') throw new Error('expected a request');
  return inbound.message;
}

function rawClient(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, LOCAL, () => resolve(socket));
    socket.once('error', reject);
  });
}

function readUntil(socket: Socket, done: (received: Buffer) => boolean): Promise<Buffer> {
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      if (!done(received)) return;
      socket.off('data', onData);
      resolve(received);
    };
    socket.on('data', onData);
  });
}

describe('TCP transport', () => {
  let server: TransportLayer;
  let client: TransportLayer;
  const cleanup: Array<() => unknown> = [];

  beforeAll(async () => {
    server = await startLayer(['tcp'], { idleTimeoutMs: 60_000 });
    client = await startLayer(['tcp']);
  });

  afterAll(async () => {
    await Promise.all([...cleanup.map((fn) => fn()), server.close(), client.close()]);
  });

  it('round-trips a request and answers over the same connection', async () => {
    const request = optionsRequest({ protocol: 'tcp', targetPort: portOf(server, 'tcp'), viaPort: portOf(client, 'tcp') });
    const arrived = nextMessage(server, (m) => m.message.callId === request.callId);
    await client.send(request, await client.resolve(request));
    const inbound = await arrived;
    expect(inbound.source.protocol).toBe('tcp');
    expect(inbound.source.flowId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // the client connected from an ephemeral port, not its listening port
    expect(inbound.source.remotePort).not.toBe(portOf(client, 'tcp'));

    const answered = nextMessage(client, (m) => m.message.callId === request.callId);
    await server.sendResponse(createResponse(asRequest(inbound), 200), inbound.source);
    const response = await answered;
    expect((response.message as SipResponse).status).toBe(200);
    expect(response.source.remotePort).toBe(portOf(server, 'tcp'));
  });

  it('reuses one connection for two requests to the same target', async () => {
    const fresh = await startLayer(['tcp']);
    cleanup.push(() => fresh.close());
    const target = { protocol: 'tcp' as const, host: LOCAL, port: portOf(server, 'tcp') };
    const first = optionsRequest({ protocol: 'tcp', targetPort: target.port });
    const second = optionsRequest({ protocol: 'tcp', targetPort: target.port });
    const got = [nextMessage(server, (m) => m.message.callId === first.callId), nextMessage(server, (m) => m.message.callId === second.callId)];
    await Promise.all([fresh.send(first, target), fresh.send(second, target)]);
    const [a, b] = await Promise.all(got);
    expect(a.source.flowId).toBe(b.source.flowId);
    expect(fresh.flowCount()).toBe(1);
  });

  it('falls back to the Via sent-by when the flow is gone, but fails a demanded flow with flow_gone', async () => {
    const request = optionsRequest({ protocol: 'tcp', targetPort: portOf(server, 'tcp'), viaPort: portOf(client, 'tcp') });
    const arrived = nextMessage(server, (m) => m.message.callId === request.callId);
    const sender = await startLayer(['tcp']);
    await sender.send(request, { protocol: 'tcp', host: LOCAL, port: portOf(server, 'tcp') });
    const inbound = await arrived;
    const closed = new Promise<string>((resolve) => server.onFlowClosed(resolve));
    await sender.close();
    expect(await closed).toBe(inbound.source.flowId);

    await expect(server.send(request, { protocol: 'tcp', host: LOCAL, port: 1, flowId: inbound.source.flowId })).rejects.toMatchObject({ code: 'flow_gone' });
    // the Via sent-by names the client layer's listening port: the response opens a new connection there
    const answered = nextMessage(client, (m) => m.message.callId === request.callId);
    await server.sendResponse(createResponse(asRequest(inbound), 200), inbound.source);
    expect(((await answered).message as SipResponse).status).toBe(200);
  });

  it('answers a double-CRLF keepalive with a single CRLF', async () => {
    const socket = await rawClient(portOf(server, 'tcp'));
    cleanup.push(() => socket.destroy());
    const pong = readUntil(socket, (data) => data.length >= 2);
    socket.write('\r\n\r\n');
    expect((await pong).toString()).toBe('\r\n');
  });

  it('answers a malformed but framed request with 400 and keeps the connection', async () => {
    const socket = await rawClient(portOf(server, 'tcp'));
    cleanup.push(() => socket.destroy());
    const broken = ['OPTIONS sip:x@127.0.0.1 SIP/2.0', 'Via: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bKx', 'From: <sip:a@127.0.0.1>;tag=1', 'To: <sip:x@127.0.0.1>', 'Call-ID: tcp-broken', 'CSeq: 1 OPTIONS', 'Max-Forwards: many', 'Content-Length: 0', '', ''].join('\r\n');
    const reply = readUntil(socket, (data) => data.includes('\r\n\r\n'));
    socket.write(broken);
    const frames = new SipStreamFramer().push(await reply);
    const frame = frames[0];
    if (frame?.type !== 'message' || frame.message.kind !== 'response') throw new Error('expected a response');
    expect(frame.message.status).toBe(400);
    expect(socket.destroyed).toBe(false);

    const request = optionsRequest({ protocol: 'tcp', targetPort: portOf(server, 'tcp') });
    const arrived = nextMessage(server, (m) => m.message.callId === request.callId);
    socket.write(serializeMessage(request));
    await arrived;
  });

  it('closes the connection on a framing error', async () => {
    const socket = await rawClient(portOf(server, 'tcp'));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write('OPTIONS sip:x@127.0.0.1 SIP/2.0\r\nContent-Length: banana\r\n\r\n');
    await closed;
    await waitFor(() => server.stats().framingErrors > 0, { timeoutMs: 10_000 });
  });

  it('refuses connections beyond maxConnections and closes idle ones', async () => {
    const limited = await startLayer(['tcp'], { maxConnections: 1, unregisteredIdleTimeoutMs: 300 });
    cleanup.push(() => limited.close());
    const first = await rawClient(portOf(limited, 'tcp'));
    cleanup.push(() => first.destroy());
    await waitFor(() => limited.flowCount() === 1, { timeoutMs: 10_000 });
    const second = await rawClient(portOf(limited, 'tcp'));
    await new Promise<void>((resolve) => second.once('close', () => resolve()));
    expect(limited.stats().refusedConnections).toBe(1);
    // the first connection says nothing: the idle timer closes it and the flow is forgotten
    await new Promise<void>((resolve) => first.once('close', () => resolve()));
    await waitFor(() => limited.flowCount() === 0, { timeoutMs: 10_000 });
  });

  it('rejects a connect to a closed port with connect_failed', async () => {
    const probe: Server = createServer();
    const port = await new Promise<number>((resolve) => probe.listen(0, LOCAL, () => resolve((probe.address() as { port: number }).port)));
    await new Promise((resolve) => probe.close(resolve));
    await expect(client.send(optionsRequest({ protocol: 'tcp', targetPort: port }), { protocol: 'tcp', host: LOCAL, port })).rejects.toMatchObject({ code: 'connect_failed' });
  });
});
