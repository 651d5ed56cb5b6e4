import { createReadStream } from 'node:fs';
import { Get, Headers, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../core/kazoo-access.decorator';
import { KazooController } from '../core/kazoo-controller.decorator';
import { KazooError, kazooOk, type KazooOk, type KazooRequest } from '../core/kazoo.contract';
import { successBody } from '../core/kazoo-envelope';
import { RECORDINGS_CONFIG, type RecordingsConfig } from './recordings.config';
import { RecordingFiles, type RecordingDoc } from './recording-files';

interface AudioResponse {
  status(code: number): AudioResponse;
  setHeader(name: string, value: string | number): void;
  json(body: unknown): void;
  destroy(): void;
}

/** The account's call recordings: a listing, one's metadata, and the WAV itself with `Accept: audio/wav`. */
@ApiTags('recordings')
@KazooController('v2/accounts/:accountId/recordings')
export class RecordingsController {
  private readonly files: RecordingFiles;

  constructor(@Inject(RECORDINGS_CONFIG) config: RecordingsConfig) {
    this.files = new RecordingFiles(config.RECORDING_DIR);
  }

  @Get()
  @Access('recording.list')
  @ApiOperation({ summary: "The account's recordings, newest first" })
  async list(@Param('accountId') accountId: string): Promise<KazooOk<RecordingDoc[]>> {
    return kazooOk(await this.files.list(accountId));
  }

  @Get(':recordingId')
  @Access('recording.read')
  @ApiOperation({ summary: 'One recording: its metadata, or the WAV with Accept: audio/wav' })
  async get(@Req() req: KazooRequest, @Param('accountId') accountId: string, @Param('recordingId') id: string, @Headers('accept') accept: string | undefined, @Res() res: AudioResponse & NodeJS.WritableStream): Promise<void> {
    const doc = await this.files.get(accountId, id);
    if (doc === undefined) throw KazooError.badIdentifier(id);
    if (!(accept ?? '').toLowerCase().includes('audio/wav')) return void res.status(200).json(successBody(req, doc, {}));
    const audio = await this.files.audio(accountId, id);
    if (audio === undefined) throw KazooError.badIdentifier(id);
    res.status(200);
    res.setHeader('Content-Type', 'audio/wav');
    res.setHeader('Content-Length', audio.size);
    res.setHeader('Content-Disposition', `attachment; filename="${doc.media_name}"`);
    // a read failing half way can only cut the response short: the status is already sent
    createReadStream(audio.path).on('error', () => res.destroy()).pipe(res);
  }
}
