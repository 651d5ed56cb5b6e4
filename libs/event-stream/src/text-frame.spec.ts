import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { textFrame } from './text-frame';

describe('textFrame', () => {
  it('frames payloads of every length class (7-bit, 16-bit and 64-bit lengths) so that a ws client reads them as text', async () => {
    const payloads = ['{"a":1}', 'é'.repeat(100), 'x'.repeat(125), 'y'.repeat(126), 'z'.repeat(65_535), 'w'.repeat(70_000)];
    const wss = new WebSocketServer({ noServer: true });
    const http = createServer();
    // Written straight to the upgraded socket, as the event stream writes event frames.
    http.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, () => socket.write(Buffer.concat(payloads.map((p) => textFrame(Buffer.from(p, 'utf8')))))));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const client = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}`);
    try {
      const got = await new Promise<Array<[string, boolean]>>((resolve, reject) => {
        const messages: Array<[string, boolean]> = [];
        client.on('message', (data: Buffer, isBinary: boolean) => {
          messages.push([data.toString('utf8'), isBinary]);
          if (messages.length === payloads.length) resolve(messages);
        });
        client.on('error', reject);
      });
      expect(got).toEqual(payloads.map((p) => [p, false]));
    } finally {
      client.terminate();
      wss.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  });
});
