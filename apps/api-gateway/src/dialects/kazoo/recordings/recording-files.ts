import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** What the media node wrote beside a recording's WAV. */
export interface RecordingDoc {
  id: string;
  call_id: string;
  media_name: string;
  content_type: string;
  duration_ms: number;
  size_bytes: number;
  started_at: number;
  stopped_at: number;
}

// ids are the media node's UUIDs and account ids name directories: nothing else reaches a path
const RECORDING_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ACCOUNT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The recordings of one account in the shared directory (`<dir>/<account>/<id>.wav` and `<id>.json`). */
export class RecordingFiles {
  constructor(private readonly dir: string | undefined) {}

  async list(accountId: string): Promise<RecordingDoc[]> {
    const base = this.accountDir(accountId);
    if (base === undefined) return [];
    const names = await readdir(base).catch(() => [] as string[]);
    const ids = names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)).filter((id) => RECORDING_ID.test(id));
    const docs = await Promise.all(ids.map((id) => this.get(accountId, id)));
    return docs.filter((d): d is RecordingDoc => d !== undefined).sort((a, b) => b.started_at - a.started_at);
  }

  async get(accountId: string, id: string): Promise<RecordingDoc | undefined> {
    const base = this.accountDir(accountId);
    if (base === undefined || !RECORDING_ID.test(id)) return undefined;
    try {
      return JSON.parse(await readFile(join(base, `${id}.json`), 'utf8')) as RecordingDoc;
    } catch {
      return undefined;
    }
  }

  /** The WAV of a recording get() found: its path and size on disk, undefined once the file is gone. */
  async audio(accountId: string, id: string): Promise<{ path: string; size: number } | undefined> {
    const base = this.accountDir(accountId);
    if (base === undefined || !RECORDING_ID.test(id)) return undefined;
    const path = join(base, `${id}.wav`);
    const info = await stat(path).catch(() => undefined);
    return info?.isFile() === true ? { path, size: info.size } : undefined;
  }

  private accountDir(accountId: string): string | undefined {
    return this.dir !== undefined && ACCOUNT_ID.test(accountId) ? join(this.dir, accountId) : undefined;
  }
}
