import { randomUUID } from 'node:crypto';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnchoredCall } from '../media/rtpengine/anchored-call';
import { isG711 } from './g711';
import { RecordingTrack, SAMPLE_RATE } from './recording-track';
import { RtpTap, type TappedPacket } from './rtp-tap';
import { writeStereoWav } from './wav-file';

export interface RecorderOptions {
  /** Directory the WAV files are kept in. */
  dir: string;
  /** Address the node receives rtpengine's copy of the RTP on. */
  listenAddress: string;
}

/** A saved segment: the file, its length and size. */
export interface SavedRecording {
  id: string;
  name: string;
  location: string;
  durationMs: number;
  sizeBytes: number;
}

/**
 * One segment of a call's recording: rtpengine sends a copy of both sides' RTP, side `tags[0]` is written to the
 * left channel and `tags[1]` to the right; while paused, packets are dropped, so the pause is silence in the file.
 */
export class CallRecorder {
  readonly name: string;
  private readonly startedAt = Date.now();
  private paused = false;
  private tap: RtpTap | undefined;
  private undecodable = 0;

  private constructor(
    private readonly opts: RecorderOptions & { callId: string },
    private readonly tracks: [RecordingTrack, RecordingTrack],
    private readonly tags: [string, string],
    readonly id: string,
  ) {
    this.name = `${id}.wav`;
  }

  /** `callId` is written beside the WAV (`<id>.json`), so a listing names the call each file belongs to. */
  static async start(call: AnchoredCall, tags: [string, string], opts: RecorderOptions & { callId: string }): Promise<CallRecorder> {
    const id = randomUUID();
    await mkdir(opts.dir, { recursive: true });
    const tracks = await Promise.all([RecordingTrack.create(join(opts.dir, `${id}.left.raw`)), RecordingTrack.create(join(opts.dir, `${id}.right.raw`))]);
    const recorder = new CallRecorder(opts, tracks, tags, id);
    try {
      recorder.tap = await RtpTap.open(call, tags, opts.listenAddress, (p) => recorder.onPacket(p));
    } catch (err) {
      await recorder.discard();
      throw err;
    }
    return recorder;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  /** Stops listening and writes the WAV; the raw tracks are removed either way. */
  async stop(): Promise<SavedRecording> {
    await this.tap?.close();
    this.tap = undefined;
    try {
      await Promise.all(this.tracks.map((t) => t.close()));
      const frames = Math.max(this.tracks[0].samples, this.tracks[1].samples);
      const location = join(this.opts.dir, this.name);
      await writeStereoWav(this.tracks[0].path, this.tracks[1].path, location, frames);
      const { size } = await stat(location);
      const saved = { id: this.id, name: this.name, location, durationMs: Math.round((frames * 1000) / SAMPLE_RATE), sizeBytes: size };
      const meta = { id: this.id, call_id: this.opts.callId, media_name: this.name, content_type: 'audio/wav', duration_ms: saved.durationMs, size_bytes: size, started_at: this.startedAt, stopped_at: Date.now() };
      await writeFile(join(this.opts.dir, `${this.id}.json`), JSON.stringify(meta));
      return saved;
    } finally {
      await this.removeTracks();
    }
  }

  /** Packets of a codec the recorder cannot decode (not G.711), skipped. */
  get skipped(): number {
    return this.undecodable;
  }

  private onPacket(p: TappedPacket): void {
    if (this.paused || p.codec === 'TELEPHONE-EVENT') return;
    if (p.codec === undefined || !isG711(p.codec)) {
      this.undecodable++;
      return;
    }
    const track = p.tag === this.tags[1] ? this.tracks[1] : this.tracks[0];
    track.write(p.ssrc, p.timestamp, p.codec, p.payload, Math.floor(((Date.now() - this.startedAt) * SAMPLE_RATE) / 1000));
  }

  private async discard(): Promise<void> {
    await Promise.all(this.tracks.map((t) => t.close().catch(() => undefined)));
    await this.removeTracks();
  }

  private async removeTracks(): Promise<void> {
    await Promise.all(this.tracks.map((t) => rm(t.path, { force: true })));
  }
}
