import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { dataOf, listOf, tenant } from '../src/dialects/kazoo/provisioning/testing';
import { type GatewayHarness, startGateway } from './quickcall.harness';

type Tenant = Awaited<ReturnType<typeof tenant>>;

/** A recording as a media node leaves it in the shared directory: the WAV and its listing entry. */
async function saveRecording(dir: string, accountId: string, callId: string, startedAt: number): Promise<{ id: string; wav: Buffer }> {
  const id = randomUUID();
  const wav = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(40, 1), Buffer.alloc(800, 7)]);
  await mkdir(join(dir, accountId), { recursive: true });
  await writeFile(join(dir, accountId, `${id}.wav`), wav);
  await writeFile(join(dir, accountId, `${id}.json`), JSON.stringify({ id, call_id: callId, media_name: `${id}.wav`, content_type: 'audio/wav', duration_ms: 100, size_bytes: wav.length, started_at: startedAt, stopped_at: startedAt + 100 }));
  return { id, wav };
}

describe('Kazoo recordings: list and download, per account', () => {
  let h: GatewayHarness;
  let a: Tenant;
  let b: Tenant;
  let dir: string;
  const before = process.env.RECORDING_DIR;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'legwork-recs-'));
    process.env.RECORDING_DIR = dir;
    h = await startGateway();
    a = await tenant(h, 'reca');
    b = await tenant(h, 'recb');
  });
  afterAll(async () => {
    await h?.close();
    if (before === undefined) delete process.env.RECORDING_DIR;
    else process.env.RECORDING_DIR = before;
    await rm(dir, { recursive: true, force: true });
  });

  it("lists the account's recordings newest first, gives one's metadata, and its WAV with Accept: audio/wav", async () => {
    const older = await saveRecording(dir, a.id, 'call-1', 1000);
    const newer = await saveRecording(dir, a.id, 'call-2', 2000);
    const list = await a.client.get(`/v2/accounts/${a.id}/recordings`);
    expect(list.status).toBe(200);
    expect(listOf(list).map((r) => [r.id, r.call_id])).toEqual([[newer.id, 'call-2'], [older.id, 'call-1']]);
    const one = await a.client.get(`/v2/accounts/${a.id}/recordings/${older.id}`);
    expect(dataOf(one)).toMatchObject({ id: older.id, call_id: 'call-1', content_type: 'audio/wav', size_bytes: older.wav.length });
    const audio = await a.client.fetchRaw(`/v2/accounts/${a.id}/recordings/${older.id}`, { accept: 'audio/wav' });
    expect(audio.status).toBe(200);
    expect(audio.headers.get('content-type')).toBe('audio/wav');
    expect(Buffer.from(await audio.arrayBuffer()).equals(older.wav)).toBe(true);
  });

  it("another account's recording is 404 bad identifier; another account's listing is 403; a hostile id never reaches the file system", async () => {
    const theirs = await saveRecording(dir, a.id, 'call-3', 3000);
    const other = await b.client.get(`/v2/accounts/${b.id}/recordings/${theirs.id}`);
    expect(other.status).toBe(404);
    expect(other.body).toMatchObject({ error: '404', message: 'bad_identifier' });
    expect((await b.client.fetchRaw(`/v2/accounts/${b.id}/recordings/${theirs.id}`, { accept: 'audio/wav' })).status).toBe(404);
    expect(listOf(await b.client.get(`/v2/accounts/${b.id}/recordings`))).toEqual([]);
    expect((await b.client.get(`/v2/accounts/${a.id}/recordings`)).status).toBe(403);
    expect((await a.client.get(`/v2/accounts/${a.id}/recordings/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
  });

  it('a recording whose WAV is gone (its listing entry left) is 404 bad identifier for the download, and the gateway goes on answering', async () => {
    const gone = await saveRecording(dir, a.id, 'call-4', 4000);
    await rm(join(dir, a.id, `${gone.id}.wav`));
    const audio = await a.client.fetchRaw(`/v2/accounts/${a.id}/recordings/${gone.id}`, { accept: 'audio/wav' });
    expect([audio.status, audio.headers.get('content-type')]).toEqual([404, expect.stringContaining('application/json')]);
    expect(await audio.json()).toMatchObject({ error: '404', message: 'bad_identifier' });
    expect((await a.client.get(`/v2/accounts/${a.id}/recordings/${gone.id}`)).status).toBe(200);
  });
});
