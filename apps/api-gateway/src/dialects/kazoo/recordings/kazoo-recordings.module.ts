import { Module } from '@nestjs/common';
import { KazooCoreModule } from '../core/kazoo-core.module';
import { RECORDINGS_CONFIG, readRecordingsConfig } from './recordings.config';
import { RecordingsController } from './recordings.controller';

/** Call recordings under /v2/accounts/{ACCOUNT_ID}/recordings, read from the directory the media nodes write. */
@Module({
  imports: [KazooCoreModule],
  controllers: [RecordingsController],
  providers: [{ provide: RECORDINGS_CONFIG, useFactory: () => readRecordingsConfig() }],
})
export class KazooRecordingsModule {}
