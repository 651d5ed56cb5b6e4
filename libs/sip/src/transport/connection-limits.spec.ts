import { waitFor } from '@legwork/common/testing';
import { connect, type Socket } from 'node:net';
import { WebSocket } from 'ws';
import type { Logger } from '@legwork/common';
import { serializeMessage } from '../message/sip-serializer';
import { SipStreamFramer } from '../message/sip-stream-framer';
import { SipStack } from '../ua/sip-stack';
import type { TransportLayer } from './transport-layer';
import type { TransportLayerOptions } from './transport.config';
import { LOCAL, makeTestCert, nextMessage, optionsRequest, portOf, startLayer } from './transport.test-helpers';

const OTHER_SOURCE = '127.0.0.2';

function rawClient(port: number, localAddress = LOCAL): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: LOCAL, localAddress }, () => resolve(socket));
    socket.once('error', reject);
  });
}

function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));
}

/** Resolves true when the socket closes within ms, false when it is still open then. */
function closesWithin(socket: Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void closed(socket).then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Sends an OPTIONS on the socket and resolves with the status of the response that comes back on it. */
function optionsOver(socket: Socket, port: number): Promise<number> {
  const framer = new SipStreamFramer();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no response')), 5_000);
    socket.on('data', (chunk: Buffer) => {
      for (const frame of framer.push(chunk)) {
        if (frame.type !== 'message' || frame.message.kind !== 'response') continue;
        clearTimeout(timer);
        resolve(frame.message.status);
      }
    });
    socket.write(serializeMessage(optionsRequest({ protocol: 'tcp', targetPort: port })));
  });
}

function capturingLogger(lines: string[]): Logger {
  const record = (_obj: unknown, msg?: string): void => void (msg !== undefined && lines.push(msg));
  return { debug: () => undefined, info: record, warn: record, error: record } as unknown as Logger;
}

async function serve(protocols: Array<'tcp' | 'ws'>, extra: Partial<TransportLayerOptions>): Promise<{ layer: TransportLayer; stack: SipStack }> {
  const layer = await startLayer(protocols, extra);
  return { layer, stack: new SipStack({ transport: layer }) };
}

describe('stream connections: one source cannot take every slot', () => {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  it('TCP: past 64 idle connections from 127.0.0.1 the next are refused (counted, logged) while 127.0.0.2 is answered', async () => {
    const log: string[] = [];
    const { layer, stack } = await serve(['tcp'], { logger: capturingLogger(log) });
    cleanup.push(() => layer.close(), () => stack.close());
    const port = portOf(layer, 'tcp');
    const idle = await Promise.all(Array.from({ length: 64 }, () => rawClient(port)));
    cleanup.push(() => idle.forEach((s) => s.destroy()));
    await waitFor(() => layer.flowCount() === 64, { timeoutMs: 10_000 });
    const extra = await Promise.all(Array.from({ length: 10 }, () => rawClient(port)));
    cleanup.push(() => extra.forEach((s) => s.destroy()));
    expect(await Promise.all(extra.map((s) => closesWithin(s, 3_000)))).toEqual(extra.map(() => true));
    expect(layer.stats()).toMatchObject({ refusedConnections: 10, refusedPerSource: 10 });
    expect(log).toContain('SIP connection refused: per-source limit reached');
    expect(layer.flowCount()).toBe(64);

    const other = await rawClient(port, OTHER_SOURCE);
    cleanup.push(() => other.destroy());
    expect(await optionsOver(other, port)).toBe(200);
  });

  it('WS: the per-source share counts connections that never finish the handshake; another source still upgrades', async () => {
    const { layer, stack } = await serve(['ws'], { maxConnectionsPerSource: 5 });
    cleanup.push(() => layer.close(), () => stack.close());
    const port = portOf(layer, 'ws');
    // raw TCP to the WebSocket port, no HTTP at all: each holds a slot until a deadline closes it
    const stalled = await Promise.all(Array.from({ length: 5 }, () => rawClient(port)));
    cleanup.push(() => stalled.forEach((s) => s.destroy()));
    const open = (localAddress: string): Promise<WebSocket> =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(`ws://${LOCAL}:${port}/`, 'sip', { localAddress });
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
      });
    await expect(open(LOCAL)).rejects.toThrow();
    const ws = await open(OTHER_SOURCE);
    cleanup.push(() => ws.terminate());
    expect(ws.protocol).toBe('sip');
    expect(layer.stats().refusedPerSource).toBe(1);
  });

  it('WS: an upgraded WebSocket that sends no message is closed, and keepalives do not keep an unregistered one open', async () => {
    const { layer, stack } = await serve(['ws'], { firstMessageTimeoutMs: 400, unregisteredIdleTimeoutMs: 400 });
    cleanup.push(() => layer.close(), () => stack.close());
    const port = portOf(layer, 'ws');
    const open = (): Promise<WebSocket> =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(`ws://${LOCAL}:${port}/`, 'sip');
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
      });
    const wsClosed = (ws: WebSocket, ms: number): Promise<boolean> =>
      new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), ms);
        ws.once('close', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    const mute = await open();
    const chatty = await open();
    cleanup.push(() => mute.terminate(), () => chatty.terminate());
    const answered = new Promise<string>((resolve) => chatty.once('message', (data: Buffer) => resolve(data.toString())));
    chatty.send(serializeMessage(optionsRequest({ protocol: 'ws', targetPort: port, viaHost: 'chatty.invalid' })).toString());
    expect(await answered).toMatch(/^SIP\/2\.0 200 /);
    const ping = setInterval(() => [mute, chatty].forEach((ws) => ws.readyState === WebSocket.OPEN && ws.send('\r\n\r\n')), 100);
    cleanup.push(() => clearInterval(ping));
    expect(await Promise.all([wsClosed(mute, 3_000), wsClosed(chatty, 3_000)])).toEqual([true, true]);
    expect(layer.stats()).toMatchObject({ closedNoFirstMessage: 1, closedIdle: 1 });
  });

  it.each(['tls', 'wss'] as const)('%s: sockets that never start the TLS handshake count against the share and are closed by the deadline', async (protocol) => {
    const layer = await startLayer([protocol], { maxConnectionsPerSource: 3, firstMessageTimeoutMs: 400 }, makeTestCert());
    cleanup.push(() => layer.close());
    const port = portOf(layer, protocol);
    const stalled = await Promise.all(Array.from({ length: 3 }, () => rawClient(port)));
    const refused = await rawClient(port);
    cleanup.push(() => [...stalled, refused].forEach((s) => s.destroy()));
    expect(await closesWithin(refused, 1_000)).toBe(true);
    expect(layer.stats().refusedPerSource).toBe(1);
    expect(await Promise.all(stalled.map((s) => closesWithin(s, 3_000)))).toEqual([true, true, true]);
    expect(layer.stats().closedNoFirstMessage).toBe(3);
  });

  it('a connection that trickles a message is closed once the message deadline passes, after or before a first message', async () => {
    const { layer, stack } = await serve(['tcp'], { messageTimeoutMs: 500, firstMessageTimeoutMs: 800, unregisteredIdleTimeoutMs: 60_000 });
    cleanup.push(() => layer.close(), () => stack.close());
    const port = portOf(layer, 'tcp');
    const talker = await rawClient(port);
    cleanup.push(() => talker.destroy());
    expect(await optionsOver(talker, port)).toBe(200);
    const trickle = (socket: Socket): (() => void) => {
      const bytes = Buffer.from('OPTIONS sip:slow@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKslow\r\n');
      let i = 0;
      const timer = setInterval(() => socket.writable && socket.write(bytes.subarray(i, ++i)), 100);
      return () => clearInterval(timer);
    };
    cleanup.push(trickle(talker));
    expect(await closesWithin(talker, 3_000)).toBe(true);
    expect(layer.stats().closedIncompleteMessage).toBe(1);

    const silentStarter = await rawClient(port);
    cleanup.push(() => silentStarter.destroy(), trickle(silentStarter));
    expect(await closesWithin(silentStarter, 3_000)).toBe(true);
    expect(layer.stats().closedIncompleteMessage + layer.stats().closedNoFirstMessage).toBe(2);
  });

  it('a connection that never completes a first message is closed by the first-message deadline', async () => {
    const { layer, stack } = await serve(['tcp'], { firstMessageTimeoutMs: 400 });
    cleanup.push(() => layer.close(), () => stack.close());
    const silent = await rawClient(portOf(layer, 'tcp'));
    cleanup.push(() => silent.destroy());
    // keepalives are no message: they do not meet the deadline
    const ping = setInterval(() => silent.writable && silent.write('\r\n\r\n'), 100);
    cleanup.push(() => clearInterval(ping));
    expect(await closesWithin(silent, 3_000)).toBe(true);
    expect(layer.stats().closedNoFirstMessage).toBe(1);
  });

  it('an idle connection without a registration closes after the short limit; a registered flow stays', async () => {
    const { layer, stack } = await serve(['tcp'], { unregisteredIdleTimeoutMs: 400, idleTimeoutMs: 60_000 });
    cleanup.push(() => layer.close(), () => stack.close());
    const port = portOf(layer, 'tcp');
    const plain = await rawClient(port);
    const registered = await rawClient(port);
    cleanup.push(() => plain.destroy(), () => registered.destroy());
    const request = optionsRequest({ protocol: 'tcp', targetPort: port });
    const arrived = nextMessage(layer, (m) => m.message.callId === request.callId);
    registered.write(serializeMessage(request));
    layer.markFlowRegistered((await arrived).source.flowId ?? '', true);
    expect(await optionsOver(plain, port)).toBe(200);
    // keepalives keep a registered flow alive, not an unregistered one
    const ping = setInterval(() => [plain, registered].forEach((s) => s.writable && s.write('\r\n\r\n')), 100);
    cleanup.push(() => clearInterval(ping));
    expect(await closesWithin(plain, 3_000)).toBe(true);
    expect(layer.stats().closedIdle).toBe(1);
    expect(await closesWithin(registered, 1_000)).toBe(false);
  });

  it('a flow held for another use (a dialog) keeps the long idle limit until the hold is released', async () => {
    const { layer, stack } = await serve(['tcp'], { unregisteredIdleTimeoutMs: 300, idleTimeoutMs: 60_000 });
    cleanup.push(() => layer.close(), () => stack.close());
    const port = portOf(layer, 'tcp');
    const socket = await rawClient(port);
    cleanup.push(() => socket.destroy());
    // read (and drop) the 200: a socket with unread data never reports the server's close
    socket.resume();
    const request = optionsRequest({ protocol: 'tcp', targetPort: port });
    const arrived = nextMessage(layer, (m) => m.message.callId === request.callId);
    socket.write(serializeMessage(request));
    const release = layer.holdFlow((await arrived).source.flowId ?? '');
    expect(await closesWithin(socket, 900)).toBe(false);
    release();
    expect(await closesWithin(socket, 2_000)).toBe(true);
    expect(layer.stats().closedIdle).toBe(1);
  });
});
