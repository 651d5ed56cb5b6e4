import type { RecordingState as StoredRecording } from '@legwork/call-state';
import type { Logger } from '@legwork/common';
import type { Leg } from '../legs/leg';
import { CallRecorder, type RecorderOptions } from '../recording/call-recorder';
import { CallControlError } from './call-control.errors';

/** Where a call's recording stands: `idle` before a start and after a stop, `failed` once a segment could not be saved. */
export type RecordingState = 'idle' | 'recording' | 'paused' | 'failed';

/** Account ids name a directory of their own: anything else never reaches the file system. */
const SAFE_ACCOUNT = /^[A-Za-z0-9_-]{1,64}$/;

const invalid = (message: string, state: string): CallControlError => new CallControlError('invalid_state', message, state);

/** The recording of one call: start, pause, resume, stop, one WAV per segment; a hangup stops and saves it. */
export class CallRecording {
  private current: { recorder: CallRecorder; leg: Leg; peer: Leg | undefined } | undefined;
  private paused = false;
  private failed = false;
  private readonly saved: string[] = [];
  private stopping: Promise<void> | undefined;
  /** A start in progress (a bypass call being anchored takes two re-INVITEs): a second start waits for none. */
  private starting = false;

  constructor(
    private readonly opts: RecorderOptions | undefined,
    private readonly logger: Logger,
    /** Moves a bypass call's media onto rtpengine, or rejects (recording_disabled) having changed nothing. */
    private readonly anchorBypass: (leg: Leg, peer: Leg | undefined) => Promise<void> = () => Promise.resolve(),
  ) {}

  get state(): RecordingState {
    if (this.failed) return 'failed';
    if (this.current === undefined) return 'idle';
    return this.paused ? 'paused' : 'recording';
  }

  /** Starts a segment of both sides of the leg's rtpengine session (a bypass call is anchored there first); the id of the recording. */
  async start(leg: Leg, peer: Leg | undefined): Promise<string> {
    if (this.opts === undefined) throw new CallControlError('recording_disabled', 'recording is not configured on this media node', this.state);
    if (this.failed) throw invalid(`the recording of call ${leg.callId} has failed: a new one cannot be started`, 'failed');
    if (this.current !== undefined || this.starting) throw invalid(`call ${leg.callId} is already being recorded`, this.starting ? 'recording' : this.state);
    if (!SAFE_ACCOUNT.test(leg.init.accountId)) throw new CallControlError('recording_disabled', `account id of call ${leg.callId} cannot name a recordings directory`, this.state);
    this.starting = true;
    try {
      if (leg.media?.anchor === undefined) await this.anchorBypass(leg, peer);
      return await this.begin(leg, peer);
    } finally {
      this.starting = false;
    }
  }

  private async begin(leg: Leg, peer: Leg | undefined): Promise<string> {
    const anchor = leg.media?.anchor;
    if (anchor === undefined) throw new CallControlError('recording_disabled', `the media of call ${leg.callId} is not anchored on rtpengine: it cannot be recorded`, this.state);
    const dir = `${this.opts!.dir}/${leg.init.accountId}`;
    const recorder = await this.attempt(leg, () => CallRecorder.start(anchor.call, [anchor.tag, anchor.otherTag], { ...this.opts!, dir, callId: leg.callId }));
    this.current = { recorder, leg, peer };
    this.paused = false;
    // whichever leg ends first stops it; both CDRs wait for the save and name the file
    leg.onEnding(() => this.finish(peer));
    peer?.onEnding(() => this.finish(peer));
    await leg.announce('RECORD_START', this.named(recorder));
    await this.store('recording');
    return recorder.id;
  }

  async pause(leg: Leg): Promise<string> {
    const rec = this.active(leg, 'paused');
    if (this.paused) throw invalid(`the recording of call ${leg.callId} is already paused`, 'paused');
    rec.pause();
    this.paused = true;
    await leg.announce('RECORD_PAUSE', this.named(rec));
    await this.store('paused');
    return rec.id;
  }

  async resume(leg: Leg): Promise<string> {
    const rec = this.active(leg, 'resumed');
    if (!this.paused) throw invalid(`the recording of call ${leg.callId} is not paused`, 'recording');
    rec.resume();
    this.paused = false;
    await leg.announce('RECORD_RESUME', this.named(rec));
    await this.store('recording');
    return rec.id;
  }

  /** Ends the segment: RECORD_STOP, then RECORDING_SAVED (or RECORDING_FAILED) once the WAV is written. */
  async stop(leg: Leg, peer: Leg | undefined): Promise<string> {
    const rec = this.active(leg, 'stopped');
    await this.finish(peer);
    return rec.id;
  }

  private finish(peer: Leg | undefined): Promise<void> {
    const current = this.current;
    if (current === undefined) return this.stopping ?? Promise.resolve();
    this.current = undefined;
    const stopping = this.save(current, peer).finally(() => {
      if (this.stopping === stopping) this.stopping = undefined;
    });
    this.stopping = stopping;
    return stopping;
  }

  private async save(current: { recorder: CallRecorder; leg: Leg }, peer: Leg | undefined): Promise<void> {
    const legs = [current.leg, peer];
    this.paused = false;
    const { recorder, leg } = current;
    try {
      const saved = await recorder.stop();
      this.saved.push(saved.id);
      for (const l of [leg, peer]) l?.noteForDestroy({ 'Recording-IDs': [...this.saved] });
      await leg.announce('RECORD_STOP', { ...this.named(recorder), Length: saved.durationMs });
      await leg.announce('RECORDING_SAVED', { ...this.named(recorder), 'Recording-Location': saved.location, 'Content-Type': 'audio/wav', Length: saved.durationMs, 'Size-Bytes': saved.sizeBytes });
      await this.store('stopped', legs);
    } catch (err) {
      this.failed = true;
      this.logger.error({ err, callId: leg.callId }, 'recording not saved');
      await leg.announce('RECORDING_FAILED', { 'Media-Recording-ID': recorder.id, 'Error-Message': `recording not saved: ${err instanceof Error ? err.message : String(err)}` });
      await this.store('failed', legs);
    }
  }

  private active(leg: Leg, verb: string): CallRecorder {
    if (this.current === undefined) throw invalid(`call ${leg.callId} is not being recorded: it cannot be ${verb}`, this.state);
    return this.current.recorder;
  }

  private async attempt<T>(leg: Leg, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      const message = `recording of call ${leg.callId} could not start: ${err instanceof Error ? err.message : String(err)}`;
      await leg.announce('RECORDING_FAILED', { 'Error-Message': message });
      throw new CallControlError('recording_failed', message, 'failed');
    }
  }

  /** Both legs' records say where the recording stands (the dialects' call views read it). */
  private async store(state: StoredRecording, legs = [this.current?.leg, this.current?.peer]): Promise<void> {
    await Promise.all(legs.map((l) => l?.storeRecording(state)));
  }

  private named(rec: CallRecorder): Record<string, string> {
    return { 'Media-Name': rec.name, 'Media-Recording-ID': rec.id };
  }
}
