import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpSender, type DeliveryTarget } from './http-sender';
import { UrlGuard } from './url-guard';

let server: Server;
let base: string;
const sender = new HttpSender({ guard: new UrlGuard(['127.0.0.1']), connectTimeoutMs: 1000, totalTimeoutMs: 300 });
const target = (path: string, extra: Partial<DeliveryTarget> = {}): DeliveryTarget => ({ id: 'h1', account_id: 'a1', uri: `${base}${path}`, secret: 's', http_verb: 'post', format: 'json', ...extra });

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    if (req.url === '/never') return;
    if (req.url === '/big') {
      res.writeHead(202);
      return res.end(Buffer.alloc(1024 * 1024, 'x'));
    }
    res.writeHead(req.url === '/gone' ? 410 : 200);
    res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await sender.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('HttpSender', () => {
  it('answers with the status, gone on 410, and keeps the status of an answer whose body it cut off', async () => {
    expect(await sender.send(target('/ok'), { a: 1 })).toMatchObject({ kind: 'success', statusCode: 200 });
    expect(await sender.send(target('/gone'), { a: 1 })).toMatchObject({ kind: 'gone', statusCode: 410 });
    expect(await sender.send(target('/big'), { a: 1 })).toMatchObject({ kind: 'success', statusCode: 202 });
    expect(await sender.send(target('/ok', { http_verb: 'get' }), { a: 1 })).toMatchObject({ kind: 'success', statusCode: 200 });
  });

  it('gives up on a receiver that never answers once the total time is over, as a timeout', async () => {
    const result = await sender.send(target('/never'), { a: 1 });
    expect(result).toMatchObject({ kind: 'failure', error: expect.stringMatching(/^TimeoutError/) });
    expect(result.statusCode).toBeUndefined();
  });

  it('refuses a URL the guard refuses, without sending', async () => {
    const strict = new HttpSender({ guard: new UrlGuard(), connectTimeoutMs: 1000, totalTimeoutMs: 300 });
    expect(await strict.send(target('/ok'), {})).toMatchObject({ kind: 'failure', error: expect.stringMatching(/^refused:/) });
    await strict.close();
  });
});
