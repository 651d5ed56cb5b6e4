import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocket as NodeWebSocket, WebSocketServer, type WebSocket as Peer } from 'ws';
import { waitFor } from '@legwork/common/testing';
import { EventStream, callBindings, type StreamEvent } from './event-stream';

type Frame = { action: string; request_id?: string; data: { account_id: string; bindings: string[]; since?: string } };

/** A blackhole endpoint that keeps every subscribe frame and lets the test answer and drop each socket. */
async function endpoint(): Promise<{ url: string; subscribes: Frame[]; sockets: Peer[]; close(): Promise<void> }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  const subscribes: Frame[] = [];
  const sockets: Peer[] = [];
  server.on('connection', (ws) => {
    sockets.push(ws);
    ws.on('message', (raw) => subscribes.push(JSON.parse(String(raw)) as Frame));
  });
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/websocket`,
    subscribes,
    sockets,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const reply = (data: Record<string, unknown>) => JSON.stringify({ action: 'reply', request_id: 'console-subscribe', status: 'success', data });
const event = (cursor: string, msg_id: string) => JSON.stringify({ action: 'event', cursor, data: { event_name: 'CHANNEL_CREATE', call_id: 'c1', msg_id } });

describe('the console event stream resumes where it left off', () => {
  const saved = (globalThis as { WebSocket?: unknown }).WebSocket;
  beforeAll(() => void ((globalThis as { WebSocket?: unknown }).WebSocket = NodeWebSocket));
  afterAll(() => void ((globalThis as { WebSocket?: unknown }).WebSocket = saved));

  it("a call's history subscribes since the log's start with its bindings, hears an incomplete resume, and after a drop resumes after the last event's cursor", async () => {
    const server = await endpoint();
    const seen: StreamEvent[] = [];
    const resumed: boolean[] = [];
    const stream = new EventStream(server.url, 'tok', 'acc', { onEvent: (e) => seen.push(e), onStatus: () => undefined, onResumed: (c) => resumed.push(c) }, { bindings: callBindings('c1'), since: '0-0' });
    try {
      stream.open();
      await waitFor(() => server.subscribes.length === 1, { message: 'first subscribe', timeoutMs: 5000 });
      expect(server.subscribes[0]).toMatchObject({ action: 'subscribe', data: { account_id: 'acc', bindings: callBindings('c1'), since: '0-0' } });
      server.sockets[0]?.send(reply({ subscribed: [], resumed: { since: '0-0', complete: false } }));
      server.sockets[0]?.send(event('17-0', 'm1'));
      server.sockets[0]?.send(event('17-1', 'm2'));
      await waitFor(() => seen.length === 2, { message: 'two events', timeoutMs: 5000 });
      server.sockets[0]?.close(1011, 'resume failed');
      await waitFor(() => server.subscribes.length === 2, { message: 'the subscribe after the drop', timeoutMs: 10_000 });
      expect(server.subscribes[1]?.data.since).toBe('17-1');
      expect([resumed, seen.map((e) => e.msg_id)]).toEqual([[false], ['m1', 'm2']]);
    } finally {
      stream.close();
      await server.close();
    }
  });

  it('the live stream subscribes without since; dropped before any event, it resumes from the head its reply named', async () => {
    const server = await endpoint();
    const stream = new EventStream(server.url, 'tok', 'acc', { onEvent: () => undefined, onStatus: () => undefined });
    try {
      stream.open();
      await waitFor(() => server.subscribes.length === 1, { message: 'first subscribe', timeoutMs: 5000 });
      expect(server.subscribes[0]?.data.since).toBeUndefined();
      expect(server.subscribes[0]?.data.bindings).toContain('call.RECORD_START.*');
      server.sockets[0]?.send(reply({ subscribed: [], cursor: '42-3' }));
      // the close follows the reply on the same socket, so the reply has been read when the drop is seen
      server.sockets[0]?.close(1001, 'going away');
      await waitFor(() => server.subscribes.length === 2, { message: 'the subscribe after the drop', timeoutMs: 10_000 });
      expect(server.subscribes[1]?.data.since).toBe('42-3');
    } finally {
      stream.close();
      await server.close();
    }
  });
});
